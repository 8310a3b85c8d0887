"""Limits on a page's text, checked before any parser reads it, each with a located message.

Every pattern elpack runs over page lines is linear, but Python-Markdown's are not all, and it
recurses once per level of nesting (400 nested lists overflowed the stack). These limits keep
any page far below where that costs seconds, and far above what any real page needs.
"""

from __future__ import annotations

MAX_PAGE_BYTES = 1024 * 1024
MAX_LINE_CHARACTERS = 20_000
# Levels of lists and block quotes, counted from a line's start: '>' marks and every 4 columns of
# indent (Python-Markdown's tab length) before a list marker or text.
MAX_NESTING = 16
LIST_MARKERS = ("- ", "* ", "+ ")


def nesting_depth(line: str) -> int:
    """How deeply a line is nested: each '>' and each list marker in its lead counts one level,
    and so do every 4 columns of indent before each. One pass over the line's lead."""
    depth = columns = 0
    index = 0
    while index < len(line):
        char = line[index]
        if char == " ":
            columns += 1
        elif char == "\t":
            columns += 4 - columns % 4
        elif char == ">":
            depth += max(columns, 0) // 4 + 1
            columns = -1  # one space after the mark belongs to it
        elif line.startswith(LIST_MARKERS, index):
            depth += max(columns, 0) // 4 + 1
            columns = -1
            index += 1
        else:
            break
        index += 1
    return depth + max(columns, 0) // 4


def line_problems(lines: list[str], first_line: int) -> list[tuple[int, str, str]]:
    """(line, message, hint) for every line over a limit."""
    problems = []
    for offset, line in enumerate(lines):
        number = first_line + offset
        if len(line) > MAX_LINE_CHARACTERS:
            problems.append((number, f"the line is {len(line):,} characters long; the limit is "
                             f"{MAX_LINE_CHARACTERS:,}", "break the text into paragraphs"))
            continue
        depth = nesting_depth(line)
        if depth > MAX_NESTING:
            problems.append((number, f"lists or quotes are nested {depth} levels deep here; the "
                             f"limit is {MAX_NESTING}", "nest fewer lists and quotes inside "
                             "each other, or split the content"))
    return problems
