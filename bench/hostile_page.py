"""How long a build takes on a hostile page just under the 1 MB page limit (issue 16, item 3).

Each page is lines just under the 20,000-character limit of one kind of text that slowed parsers
down: spaces in a title, emphasis and bracket runs, backticks, raw '<', nested-looking lists.
Prints the build time (or the refusal) for each, and for a normal page of the same size.

    PYTHONPATH=src python bench/hostile_page.py
"""

from __future__ import annotations

import tempfile
import textwrap
import time
from pathlib import Path

from elpack.errors import BuildError
from elpack.pagelimits import MAX_LINE_CHARACTERS, MAX_PAGE_BYTES
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
    "emphasis runs": "*a " * (WIDTH // 3),
    "brackets": "[a](" * (WIDTH // 4),
    "backticks": "`a``" * (WIDTH // 4),
    "raw '<'": "<a " * (WIDTH // 3),
    "underscores": "_" * WIDTH,
    "list-like": "- - - " * (WIDTH // 6),
}


def main() -> None:
    for name, line in LINES.items():
        count = (MAX_PAGE_BYTES - 100) // (len(line.encode()) + 2)
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder) / "hostile"
            (root / "pages").mkdir(parents=True)
            (root / "module.yml").write_text(CONFIG)
            body = "\n\n".join([line] * count)
            (root / "pages" / "01-page.md").write_text(f"# Page\n\n{body}\n")
            size = (root / "pages" / "01-page.md").stat().st_size
            started = time.perf_counter()
            try:
                build(root)
                outcome = "built"
            except BuildError as error:
                outcome = f"refused ({len(error.problems)} problems)"
            seconds = time.perf_counter() - started
        print(f"{name:15} {size / 1024:7.0f} KB  {seconds:6.2f} s  {outcome}")


if __name__ == "__main__":
    main()
