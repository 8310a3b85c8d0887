"""Safe YAML loading that remembers the line of every key, so errors can point at it."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any

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

    def __init__(self, line: int, message: str, hint: str, repair: str | None = None,
                 read_on: bool = True) -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.hint = hint
        self.repair = repair  # the line as the writer most likely meant it, if that is clear
        # False for what no writer types by mistake (anchors, tags, deep nesting): such a file
        # is not read any further.
        self.read_on = read_on


class _Loader(yaml.SafeLoader):
    """The safe loader, minus dates, and with numbers that fail as YAML errors.

    PyYAML's own int constructor raises a bare ValueError for text its resolver took for a
    number (``0x_``); here that becomes a located YAML error like any other.
    """

    # PyYAML reads it from the class; types-PyYAML declares it an instance variable.
    yaml_implicit_resolvers = {  # noqa: RUF012
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

    The first mistake is raised as a :class:`YamlProblem` in plain words (see :func:`explain`);
    :func:`read_yaml` goes on past it.
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
        line = lines.at(error.position)
        written = text.split("\n")[line - first_line]
        raise YamlProblem(
            line,
            f"the text contains the invisible control character U+{error.character:04X}, which "
            "YAML does not allow",
            "delete it (it usually comes from copying and pasting) and save the file again",
            "".join(c for c in written if c.isprintable() or c == "\t"),
        ) from None
    except yaml.MarkedYAMLError as error:
        raise explain(error, text.split("\n"), first_line) from None
    except yaml.YAMLError as error:
        raise YamlProblem(first_line, f"this is not valid YAML: {error}", NOT_YAML_HINT) from None
    return document


@dataclass
class YamlRead:
    """What :func:`read_yaml` could read, and every mistake it read past."""

    document: YamlDocument | None
    problems: list[YamlProblem]
    # Keys written on lines that had to be left out: a "missing" report about one of them would
    # only repeat the mistake already reported.
    lost_keys: set[str] = field(default_factory=set)


def read_yaml(text: str, first_line: int = 1) -> YamlRead:
    """Load YAML like :func:`load_yaml`, but report every mistake and read what can be read.

    After each mistake the line is mended as the writer most likely meant it (a tab becomes
    spaces, a missing ':' is added, a stray quote is closed) or, failing that, left out with the
    lines under it, and the text is read again. So one run reports each mistake at its own line,
    and the settings that were written correctly can still be used to check the rest of the
    module. A second complaint about a line already mended is taken to be a knock-on of the
    first and not reported.
    """
    lines = text.split("\n")
    problems: list[YamlProblem] = []
    mended: set[int] = set()
    lost: set[str] = set()
    for _ in range(MAX_YAML_PROBLEMS):
        try:
            return YamlRead(load_yaml("\n".join(lines), first_line), problems, lost)
        except YamlProblem as problem:
            index = min(max(problem.line - first_line, 0), len(lines) - 1)
            if index not in mended:
                problems.append(problem)
            if not problem.read_on:
                break
            if problem.repair is not None and index not in mended and lines[index] != problem.repair:
                lines[index] = problem.repair
                mended.add(index)
            else:
                mended.add(index)
                lost |= _leave_out(lines, index)
    return YamlRead(None, problems, lost)


MAX_YAML_PROBLEMS = 20
KEY_LINE = re.compile(r"^(\s*)(?:-\s+)?([^\s:#'\"][^:#]*?):(?:\s+(.*?))?\s*$")
CURLY_QUOTES = "\u201c\u201d\u2018\u2019\u201e"
STRAIGHT = {"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2018": "'", "\u2019": "'"}


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _leave_out(lines: list[str], index: int) -> set[str]:
    """Blank ``lines[index]`` and the lines indented under it; the keys lost."""
    lost = set()
    own = _indent(lines[index])
    end = index + 1
    while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > own
                                or lines[end].startswith("\t")):
        end += 1
    for position in range(index, end):
        match = KEY_LINE.match(lines[position].replace("\t", " "))
        if match:
            lost.add(match.group(2).strip())
        lines[position] = ""
    return lost


def _quoted(value: str) -> str:
    """``value`` as a YAML quoted string."""
    if '"' not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"


def _previous_key(lines: list[str], index: int) -> tuple[str, int, int] | None:
    """The nearest key line above ``index``: its key, indentation and index."""
    for position in range(index - 1, -1, -1):
        match = KEY_LINE.match(lines[position])
        if match:
            return match.group(2).strip(), _indent(lines[position]), position
    return None


def explain(error: yaml.MarkedYAMLError, lines: list[str], first_line: int = 1) -> YamlProblem:
    """The YAML library's complaint as the writer's mistake: the line where it was made, what it
    is in plain words, how to fix it, and the line as it was most likely meant."""
    problem = error.problem or ""
    context = error.context or ""
    at = error.problem_mark.line if error.problem_mark else 0
    start = error.context_mark.line if error.context_mark else at
    at, start = min(at, len(lines) - 1), min(start, len(lines) - 1)

    def located(index: int, message: str, hint: str, repair: str | None = None) -> YamlProblem:
        return YamlProblem(first_line + index, message, hint, repair)

    if "'\\t'" in problem or "\t" in problem:
        written = lines[at]
        body = written.lstrip(" \t")
        leading = written[:len(written) - len(body)]
        where = "at the start of the line" if "\t" in leading else "in the line"
        meant = written.replace("\t", "  ")
        if "\t" in leading:  # indent it as its neighbours most likely are
            above = _previous_key(lines, at)
            opens = above is not None and KEY_LINE.match(lines[above[2]]).group(3) is None  # type: ignore[union-attr]
            spaces = 0 if above is None else above[1] + (2 if opens else 0)
            meant = " " * spaces + body.replace("\t", " ")
        return located(at, f"there is a tab character {where}; YAML allows only spaces here",
                       "replace the tab with spaces (many editors have a setting to insert "
                       "spaces when you press Tab)", meant)
    if "simple key" in context and "expected ':'" in problem:
        written = lines[start]
        stripped = written.strip()
        key, _, rest = stripped.partition(" ")
        meant = f"{key}: {rest}" if rest else f"{key}:"
        return located(start, f"there is no ':' after '{key}'",
                       f"write it as '{meant}' (a ':' and a space after the name of the setting)",
                       written[:_indent(written)] + meant)
    if "quoted scalar" in context:
        written = lines[start]
        column = error.context_mark.column if error.context_mark else 0
        quote = written[column:column + 1] or '"'
        return located(start, f"the quote {quote} opened here is never closed",
                       f"add the closing {quote} at the end of the value",
                       written.rstrip() + quote)
    if "flow sequence" in context or "flow mapping" in context:
        written = lines[start]
        opening, closing = ("[", "]") if "sequence" in context else ("{", "}")
        return located(start, f"the '{opening}' opened here is never closed",
                       f"end the list with '{closing}' on the same line, e.g. "
                       "'keywords: [sepsis, triage]'", written.rstrip() + closing)
    if "mapping values are not allowed" in problem:
        written = lines[at]
        column = error.problem_mark.column if error.problem_mark else 0
        match = KEY_LINE.match(written[:column + 1])
        first_colon = written.find(":")
        if first_colon < column:  # a second ': ' on the line: it was in the value
            key, value = written[:first_colon].strip().lstrip("- "), written[first_colon + 1:].strip()
            prefix = written[:first_colon + 1] + " "
            if value[:1] in CURLY_QUOTES:
                straight = "".join(STRAIGHT.get(c, c) for c in value)
                return located(at, f"the value of '{key}' is in curly quotes ({value[0]} "
                               f"{value[-1]}), which YAML does not read as quotes, so the ': ' "
                               "inside it looks like the start of another setting",
                               f"use straight quotes: {key}: {straight} (word processors "
                               "change them to curly quotes; turn that off or use a plain-text "
                               "editor)", prefix + straight)
            return located(at, f"the value of '{key}' contains ': ', which YAML reads as the "
                           "start of another setting",
                           f"put the whole value in quotes: {key}: {_quoted(value)}",
                           prefix + _quoted(value))
        if match:
            above = _previous_key(lines, at)
            shown = f" ('{above[0]}')" if above else ""
            return located(at, "this line is indented more than the line above it"
                           f"{shown}, which already has a value",
                           "remove the extra spaces at the start of the line, so that it lines "
                           "up with the setting above it", written.lstrip(" ")
                           if above is None else " " * above[1] + written.lstrip(" "))
    if "expected <block end>" in problem or "expected key" in problem \
            or "expected '-'" in problem:
        written = lines[at]
        above = _previous_key(lines, at)
        shown = f" ('{above[0]}')" if above else ""
        return located(at, "this line is not lined up with the lines it belongs with: it is "
                       f"indented by {_indent(written)} spaces, unlike the line above{shown}",
                       "give lines at the same level the same number of spaces at the start; "
                       "lines inside a setting get more spaces than the setting itself")
    return located(at, f"this is not valid YAML: {problem or context}", NOT_YAML_HINT)


def _check_events(text: str, lines: _Lines) -> None:
    """Refuse tags, anchors, aliases and deep nesting before anything is composed.

    The event stream is produced without recursion, so this pass is safe on any input.
    """
    loader = _Loader(text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()  # type: ignore[no-untyped-call]  # untyped in types-PyYAML
            line = lines.at(event.start_mark.index)
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise YamlProblem(line, "YAML anchors and aliases (&name, *name) are not supported",
                                  "write the value out in full", read_on=False)
            tag = getattr(event, "tag", None)
            if tag is not None:
                shown = "!!" + tag.removeprefix(YAML_ORG) if tag.startswith(YAML_ORG) else tag
                raise YamlProblem(line, f"YAML tags such as '{shown}' are not supported",
                                  "remove the tag; to keep a value as text, put it in quotes",
                                  read_on=False)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise YamlProblem(line, f"the lists and mappings here are nested more than "
                                      f"{MAX_DEPTH} levels deep", "flatten the structure",
                                      read_on=False)
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
