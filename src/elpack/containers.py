"""Line-by-line scanning of fenced containers (``::: type {attrs}`` … ``:::``).

elpack scans the fences itself, rather than leaving them to a Markdown extension, so that every
block and every problem carries the line it starts on. Fences inside fenced code (``` or ~~~)
are left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FENCE = re.compile(r"^ {0,3}(:{3,})\s*+(.*)$")  # the rest is rstripped: linear
CODE_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
ATTRIBUTES = re.compile(r"^(?P<type>[A-Za-z][\w-]*)?\s*(?:\{(?P<attrs>.*)\})?\s*$")
ATTRIBUTE = re.compile(
    r"""\s*(?:\#(?P<id>[^\s}]+)|(?P<key>[A-Za-z][\w-]*)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|"""
    r"""(?P<bare>[^\s"']+))|(?P<flag>[A-Za-z][\w-]*))"""
)


@dataclass
class TextRun:
    """Consecutive lines of plain Markdown."""

    first_line: int
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class Container:
    """An opened fenced block and what it holds (text runs and nested containers)."""

    type: str
    line: int
    attributes: dict[str, str] = field(default_factory=dict)
    children: list[TextRun | Container] = field(default_factory=list)
    closed: bool = False

    def text_lines(self) -> list[tuple[int, str]]:
        """(line number, text) of the direct text inside, nested blocks left out."""
        return [(child.first_line + i, line) for child in self.children
                if isinstance(child, TextRun) for i, line in enumerate(child.lines)]


@dataclass
class FenceProblem:
    line: int
    message: str
    hint: str


def parse_attributes(text: str) -> tuple[dict[str, str], str | None]:
    """``#id key=value key="x y" flag`` to a dict; returns (attributes, error)."""
    attributes: dict[str, str] = {}
    position = 0
    text = text.strip()
    while position < len(text):
        match = ATTRIBUTE.match(text, position)
        if not match or match.end() == position:
            return attributes, f"cannot read the attributes at '{text[position:].strip()}'"
        if match.group("id"):
            attributes["id"] = match.group("id")
        elif match.group("key"):
            value = next(v for v in match.group("dq", "sq", "bare") if v is not None)
            attributes[match.group("key")] = value
        elif match.group("flag"):
            attributes[match.group("flag")] = "true"
        position = match.end()
        while position < len(text) and text[position] in " \t,":
            position += 1
    return attributes, None


def scan(lines: list[str], first_line: int) -> tuple[Container, list[FenceProblem]]:
    """Split page lines into a tree of containers and text runs."""
    root = Container("page", first_line, closed=True)
    stack = [root]
    problems: list[FenceProblem] = []
    code_fence: str | None = None

    def add_text(number: int, line: str) -> None:
        children = stack[-1].children
        run = children[-1] if children else None
        if not isinstance(run, TextRun):
            run = TextRun(number)
            children.append(run)
        run.lines.append(line)

    for offset, line in enumerate(lines):
        number = first_line + offset
        code = CODE_FENCE.match(line)
        if code_fence is not None:
            if code and code.group(1)[0] == code_fence[0] and len(code.group(1)) >= len(code_fence):
                code_fence = None
            add_text(number, line)
            continue
        if code:
            code_fence = code.group(1)
            add_text(number, line)
            continue
        fence = FENCE.match(line)
        if not fence:
            add_text(number, line)
            continue
        rest = fence.group(2).rstrip()
        if not rest or set(rest) <= {":"}:
            if len(stack) == 1:
                problems.append(FenceProblem(
                    number, "this ':::' closes a block, but no block is open",
                    "delete the line, or add the '::: type' line that opens the block"))
            else:
                stack.pop().closed = True
            continue
        header = ATTRIBUTES.match(rest)
        attributes: dict[str, str] = {}
        if not header or not header.group("type"):
            problems.append(FenceProblem(
                number, f"cannot read the block line '{line.strip()}'",
                "write it as '::: type {#id key=value}', e.g. '::: question {#q-1}'"))
            block_type = "unknown"
        else:
            block_type = header.group("type").lower()
            attributes, error = parse_attributes(header.group("attrs") or "")
            if error:
                problems.append(FenceProblem(
                    number, error, 'write attributes as {#id key=value key="text with spaces"}'))
        container = Container(block_type, number, attributes)
        stack[-1].children.append(container)
        stack.append(container)

    if code_fence is not None:
        problems.append(FenceProblem(
            first_line + len(lines) - 1, f"a code block opened with {code_fence} is never closed",
            f"add a line {code_fence} after the code"))
    for container in stack[1:]:
        problems.append(FenceProblem(
            container.line, f"the '::: {container.type}' block opened here is never closed",
            "add a line ':::' after the block's last line"))
    return root, problems
