"""Limits on a page's text, checked before any parser reads it, each with a located message.

Every pattern elpack runs over page lines is linear, and `markdown_bounds` bounds the parts of
Python-Markdown that were not. What is left grows with a paragraph's length times the number of
links, emphases and tags in it (Python-Markdown rebuilds the paragraph's text for each one), and
Markdown recurses once per level of nesting (400 nested lists overflowed the stack). These
limits keep any page, however written, to about a second's work (`bench/hostile_page.py`), and
far above what real pages need: the longest page in modules/ is 20 KB, its longest line 855
characters.
"""

from __future__ import annotations

MAX_PAGE_BYTES = 256 * 1024
MAX_LINE_CHARACTERS = 5_000
# A run of lines with no blank line between them: a paragraph, a list, a table.
MAX_BLOCK_CHARACTERS = 10_000
# Characters that may start a link, picture, emphasis, code, tag, entity or escape: each costs
# Python-Markdown far more than a letter does. The busiest page in modules/ has 125.
MARKUP_CHARACTERS = "*_[<`&\\"
MAX_MARKUP_CHARACTERS = 5_000
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
    """(line, message, hint) for every line over a limit; then, if there are none, for every
    block of lines without a blank line between them that is over its limit."""
    problems = []
    blocks = []
    block_start, block_size = first_line, 0
    for offset, line in enumerate(lines):
        number = first_line + offset
        if line.strip():
            if not block_size:
                block_start = number
            block_size += len(line) + 1
            if block_size > MAX_BLOCK_CHARACTERS >= block_size - len(line) - 1:
                blocks.append(block_start)
        else:
            block_size = 0
        if len(line) > MAX_LINE_CHARACTERS:
            problems.append((number, f"the line is {len(line):,} characters long; the limit is "
                             f"{MAX_LINE_CHARACTERS:,}", "break the text into paragraphs, with a "
                             "blank line between them"))
            continue
        depth = nesting_depth(line)
        if depth > MAX_NESTING:
            problems.append((number, f"lists or quotes are nested {depth} levels deep here; the "
                             f"limit is {MAX_NESTING}", "nest fewer lists and quotes inside "
                             "each other, or split the content"))
    if problems:
        return problems
    markup = 0
    for offset, line in enumerate(lines):
        markup += sum(map(line.count, MARKUP_CHARACTERS))
        if markup > MAX_MARKUP_CHARACTERS:
            problems.append((first_line + offset, "the page has over "
                             f"{MAX_MARKUP_CHARACTERS:,} formatting marks ({' '.join(MARKUP_CHARACTERS)}) "
                             "by this line", "split it into several pages"))
            break
    return problems + [(start, f"the text from this line to the next blank line is over "
             f"{MAX_BLOCK_CHARACTERS:,} characters long", "break it into shorter paragraphs, "
             "lists or tables, with a blank line between them") for start in blocks]
