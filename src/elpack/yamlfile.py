"""Safe YAML loading that remembers the line of every key, so errors can point at it."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any, ClassVar

import yaml

KeyPath = tuple[str | int, ...]

# Deeper than any module file needs; PyYAML composes nodes recursively, so an unbounded depth
# ("x: [[[[[[...") would end in a RecursionError instead of a message.
MAX_DEPTH = 20
YAML_ORG = "tag:yaml.org,2002:"
# Implicit types module files never use. A version such as 2024-06-01 or a value '=' stays text
# instead of becoming a date or failing with "could not determine a constructor".
UNUSED_TYPES = {YAML_ORG + "timestamp", YAML_ORG + "value"}
NOT_YAML_HINT = "check the indentation and that text containing ': ' or '#' is in quotes"


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


class _Loader(yaml.SafeLoader):
    """The safe loader, minus dates, and with numbers that fail as YAML errors.

    PyYAML's own int constructor raises a bare ValueError for text its resolver took for a
    number (``0x_``); here that becomes a located YAML error like any other.
    """

    yaml_implicit_resolvers: ClassVar[dict[str, list]] = {
        first: [(tag, pattern) for tag, pattern in resolvers if tag not in UNUSED_TYPES]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def construct_number(self, node: yaml.ScalarNode) -> int | float:
        build = yaml.SafeLoader.construct_yaml_int if node.tag.endswith(":int") \
            else yaml.SafeLoader.construct_yaml_float
        try:
            return build(self, node)
        except ValueError:
            raise yaml.constructor.ConstructorError(
                None, None, f"'{node.value}' looks like a number but is not one",
                node.start_mark) from None


_Loader.add_constructor(YAML_ORG + "int", _Loader.construct_number)
_Loader.add_constructor(YAML_ORG + "float", _Loader.construct_number)


class _Lines:
    """File line numbers from character offsets.

    PyYAML also counts U+0085, U+2028 and U+2029 as line breaks; editors and elpack's page
    reader do not, so lines are counted from the '\\n' characters alone.
    """

    def __init__(self, text: str, first_line: int) -> None:
        self.breaks = [index for index, char in enumerate(text) if char == "\n"]
        self.first_line = first_line

    def at(self, index: int) -> int:
        return self.first_line + bisect_left(self.breaks, index)


def load_yaml(text: str, first_line: int = 1) -> YamlDocument:
    """Load one YAML document with the safe loader and record key lines.

    Only plain data is accepted. Tags (``!!python/object``, ``!!int``) are refused: the safe
    loader would reject the dangerous ones anyway, but the standard ones can crash it. Anchors
    and aliases are refused: writers never need them, and they are how "billion laughs"
    documents blow up memory. Duplicate keys are refused because YAML silently keeps the last.
    """
    lines = _Lines(text, first_line)
    try:
        _check_events(text, lines)
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            document = YamlDocument(None)
            if node is not None:
                _record_lines(node, (), document, lines)
                document.data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.reader.ReaderError as error:
        raise YamlProblem(
            lines.at(error.position),
            f"the text contains the invisible control character U+{error.character:04X}, which "
            "YAML does not allow",
            "delete it (it usually comes from copying and pasting) and save the file again",
        ) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise YamlProblem(
            lines.at(mark.index) if mark else first_line,
            f"this is not valid YAML: {error.problem or error.context}", NOT_YAML_HINT,
        ) from None
    except yaml.YAMLError as error:
        raise YamlProblem(first_line, f"this is not valid YAML: {error}", NOT_YAML_HINT) from None
    return document


def _check_events(text: str, lines: _Lines) -> None:
    """Refuse tags, anchors, aliases and deep nesting before anything is composed.

    The event stream is produced without recursion, so this pass is safe on any input.
    """
    loader = _Loader(text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            line = lines.at(event.start_mark.index)
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise YamlProblem(line, "YAML anchors and aliases (&name, *name) are not supported",
                                  "write the value out in full")
            tag = getattr(event, "tag", None)
            if tag is not None:
                shown = "!!" + tag.removeprefix(YAML_ORG) if tag.startswith(YAML_ORG) else tag
                raise YamlProblem(line, f"YAML tags such as '{shown}' are not supported",
                                  "remove the tag; to keep a value as text, put it in quotes")
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise YamlProblem(line, f"the lists and mappings here are nested more than "
                                      f"{MAX_DEPTH} levels deep", "flatten the structure")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        loader.dispose()


def _record_lines(node: yaml.Node, path: KeyPath, document: YamlDocument, lines: _Lines) -> None:
    if isinstance(node, yaml.MappingNode):
        keys_here: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = lines.at(key_node.start_mark.index)
            if key in keys_here:
                raise YamlProblem(
                    line, f"the key '{key}' appears twice", "keep one and delete the other"
                )
            keys_here.add(key)
            document.lines[(*path, key)] = line
            _record_lines(value_node, (*path, key), document, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            document.lines[(*path, index)] = lines.at(item.start_mark.index)
            _record_lines(item, (*path, index), document, lines)
    elif isinstance(node, yaml.ScalarNode):
        document.written[path] = node.value
