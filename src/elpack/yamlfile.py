"""Safe YAML loading that remembers the line of every key, so errors can point at it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

KeyPath = tuple[str | int, ...]


@dataclass
class YamlDocument:
    """Parsed YAML data plus the 1-based line where each key (or list item) starts."""

    data: Any
    lines: dict[KeyPath, int] = field(default_factory=dict)
    # Scalars as written, so "version: 1.10" or "title: Yes" can be read back as text.
    written: dict[KeyPath, str] = field(default_factory=dict)

    def line(self, path: KeyPath, default: int = 1) -> int:
        """The line of ``path``, or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return default


class YamlProblem(Exception):
    """YAML that cannot be used, with the line to blame."""

    def __init__(self, line: int, message: str, hint: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.hint = hint


def load_yaml(text: str, first_line: int = 1) -> YamlDocument:
    """Load one YAML document with the safe loader and record key lines.

    Anchors and aliases are refused: writers never need them, and they are how "billion laughs"
    documents blow up memory. Duplicate keys are refused because YAML silently keeps the last.
    """
    offset = first_line - 1
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            document = YamlDocument(None)
            if node is not None:
                _record_lines(node, (), document, offset, set())
                document.data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = (mark.line + 1 + offset) if mark else first_line
        raise YamlProblem(
            line,
            f"this is not valid YAML: {error.problem or error.context}",
            "check the indentation and that text containing ': ' or '#' is in quotes",
        ) from None
    except yaml.YAMLError as error:
        raise YamlProblem(first_line, f"this is not valid YAML: {error}", "") from None
    return document


def _record_lines(
    node: yaml.Node, path: KeyPath, document: YamlDocument, offset: int, seen: set[int]
) -> None:
    lines = document.lines
    if id(node) in seen:  # only an alias makes the composer hand back a node twice
        raise YamlProblem(
            node.start_mark.line + 1 + offset,
            "YAML anchors and aliases (&name, *name) are not supported",
            "write the value out in full",
        )
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        keys_here: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1 + offset
            if key in keys_here:
                raise YamlProblem(
                    line, f"the key '{key}' appears twice", "keep one and delete the other"
                )
            keys_here.add(key)
            lines[(*path, key)] = line
            _record_lines(value_node, (*path, key), document, offset, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*path, index)] = item.start_mark.line + 1 + offset
            _record_lines(item, (*path, index), document, offset, seen)
    elif isinstance(node, yaml.ScalarNode):
        document.written[path] = node.value
