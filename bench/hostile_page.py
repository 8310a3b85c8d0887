"""How long a build takes on a hostile page just under the page size limit (issue 16, item 3).

Each page is paragraphs just under the line length limit of one kind of text that slowed parsers
down (spaces in a title, attribute lists, emphasis, unclosed links and brackets, links to missing
files, backticks, raw '<' and tags, nested-looking lists, table-like lines), as many as the limit
on formatting marks lets through, then ordinary paragraphs up to the page size limit: the worst
page of that kind that elpack accepts. Prints the build time (or the refusal) for each, for a
normal page of the same size, and the CPU time as a multiple of the normal page's (the machine
may be shared). Then the same kinds of text without the filling (refused at once), and a 1 MB
page, refused before it is read.

    PYTHONPATH=src python bench/hostile_page.py
"""

from __future__ import annotations

import tempfile
import textwrap
import time
from pathlib import Path

from elpack.errors import BuildError
from elpack.pagelimits import (
    MARKUP_CHARACTERS,
    MAX_LINE_CHARACTERS,
    MAX_MARKUP_CHARACTERS,
    MAX_PAGE_BYTES,
)
from elpack.pipeline import build

CONFIG = textwrap.dedent("""\
    id: hostile
    title: Hostile
    description: A page built to be slow.
    version: "1.0.0"
    language: en-GB
    duration_minutes: 5
    """)
WIDTH = MAX_LINE_CHARACTERS - 10
LINES = {
    "normal text": "A sentence of ordinary words, as a writer would type it. " * (WIDTH // 58),
    "title spaces": "# x" + " " * (WIDTH - 4) + "y",
    "heading attrs": "## a" + " {a" * (WIDTH // 3),
    "emphasis runs": "*a " * (WIDTH // 3),
    "emphasis pairs": "*a* " * (WIDTH // 4),
    "open links": "[a](" * (WIDTH // 4),
    "open brackets": "[[a]" * (WIDTH // 4),
    "link titles": "[a](')" * (WIDTH // 6),
    "missing files": "[a](b) " * (WIDTH // 7),
    "backticks": "`a``" * (WIDTH // 4),
    "raw '<'": "<a " * (WIDTH // 3),
    "raw tags": "<a>" * (WIDTH // 3),
    "underscores": "_" * WIDTH,
    "list-like": "- - - " * (WIDTH // 6),
    "table-like": "|" + "-|" * (WIDTH // 2),
}


def hostile_page(line: str, fill: bool) -> str:
    """Paragraphs of `line` up to the markup limit (or the page limit), then ordinary text."""
    marks = sum(map(line.count, MARKUP_CHARACTERS))
    room = MAX_PAGE_BYTES - 100
    count = room // (len(line.encode()) + 2)
    if fill and marks:
        count = min(count, MAX_MARKUP_CHARACTERS // marks)
    paragraphs = [line] * count
    if fill:
        filler = LINES["normal text"]
        used = count * (len(line.encode()) + 2)
        paragraphs += [filler] * ((room - used) // (len(filler) + 2))
    return "# Page\n\n" + "\n\n".join(paragraphs) + "\n"


def timed_build(text: str) -> tuple[float, float, str, int]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "hostile"
        (root / "pages").mkdir(parents=True)
        (root / "module.yml").write_text(CONFIG)
        (root / "pages" / "01-page.md").write_text(text)
        started, cpu = time.perf_counter(), time.process_time()
        try:
            build(root)
            outcome = "built"
        except BuildError as error:
            outcome = f"refused ({len(error.problems)} problems: {error.problems[0].message[:40]})"
        return (time.perf_counter() - started, time.process_time() - cpu, outcome,
                len(text.encode()))


def main() -> None:
    for fill in (True, False):
        print("worst accepted pages:" if fill else "\nthe same text only:")
        normal = 0.0
        for name, line in LINES.items():
            seconds, cpu, outcome, size = timed_build(hostile_page(line, fill))
            normal = normal or cpu
            print(f"  {name:15} {size / 1024:5.0f} KB  {seconds:6.2f} s wall  {cpu:6.2f} s CPU  "
                  f"{cpu / normal:5.1f}x  {outcome}", flush=True)
    seconds, cpu, outcome, size = timed_build("# Page\n\n" + "<a " * (1024 * 1024 // 3))
    print(f"\n  {'1 MB page':15} {size / 1024:5.0f} KB  {seconds:6.2f} s wall  {cpu:6.2f} s CPU  "
          f"        {outcome}")


if __name__ == "__main__":
    main()
