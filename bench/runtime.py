"""Benchmark: what the learner's browser gets and how fast the first page appears.

Prints, for each example module, the size of everything in the package that is not the module's
own content or media (the runtime JavaScript and the theme CSS), and the time to the first page
in headless Chromium on localhost: first contentful paint, and the moment the runtime has
restored progress and shown the page (window.elpack exists). Median of --runs fresh loads.

    python bench/runtime.py [--runs 15]

Needs Debian's chromium at /usr/bin/chromium and Playwright for Python (the [test] extra).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import zipfile
from pathlib import Path

from elpack.pipeline import build

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # the browser tests' server and Chromium launcher
from tests.browser.serving import LAYOUT_SHIFT, launch_chromium, serve_directory  # noqa: E402

# The two original examples; mental-health-awareness is a module of the Mental Health Awareness programme.
MODULES = {"frequent-attenders": REPO / "modules" / "frequent-attenders",
           "mental-health-awareness": REPO / "programmes" / "mental-health-awareness" / "modules"
                                      / "mental-health-awareness"}
BUDGET = 90 * 1024  # runtime JS + theme CSS per package (issue 18)


def runtime_size(files: dict[str, bytes]) -> tuple[int, dict[str, int]]:
    parts = {name: len(data) for name, data in files.items()
             if name.startswith("assets/") and name.endswith((".js", ".css"))}
    return sum(parts.values()), parts


def first_page_times(browser, url: str, runs: int) -> tuple[float, float, float]:
    paints, ready, shifts = [], [], []
    for run in range(runs + 2):  # the first two loads warm Chromium up and are not counted
        context = browser.new_context()
        page = context.new_page()
        page.goto(url)
        # Polled through DevTools: the package's CSP refuses the in-page eval of wait_for_function.
        # The times come from the page's own performance entries, so polling does not change them.
        while not page.evaluate("() => window.elpack !== undefined"
                                " && performance.getEntriesByName('first-contentful-paint').length > 0"):
            page.wait_for_timeout(20)
        timing = page.evaluate("""() => {
            const paint = performance.getEntriesByName('first-contentful-paint')[0];
            const ready = performance.getEntriesByName('elpack-ready')[0];
            return [paint ? paint.startTime : null, ready ? ready.startTime : null];
        }""")
        shift = page.evaluate(LAYOUT_SHIFT)
        context.close()
        if run >= 2:
            paints.append(timing[0])
            ready.append(timing[1])
            shifts.append(shift)
    return statistics.median(paints), statistics.median(ready), max(shifts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as temp, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        root = Path(temp)
        for name, folder in MODULES.items():
            built = build(folder)
            with zipfile.ZipFile(io.BytesIO(built.package)) as archive:
                archive.extractall(root / name)
            total, parts = runtime_size(built.files)
            listing = ", ".join(f"{n.removeprefix('assets/')} {size / 1024:.1f} KB"
                                for n, size in parts.items())
            print(f"{name}: runtime JS + theme CSS {total / 1024:.1f} KB of {BUDGET // 1024} KB ({listing});"
                  f" whole package {len(built.package) / 1024:.1f} KB zipped")
        with serve_directory(root) as base:
            for name in MODULES:
                paint, ready, shift = first_page_times(browser, f"{base}{name}/index.html", args.runs)
                print(f"{name}: first contentful paint {paint:.0f} ms, page ready {ready:.0f} ms "
                      f"(median of {args.runs} loads, standalone, headless Chromium, localhost); "
                      f"layout shift (CLS) at most {shift:.3f}")
        browser.close()


if __name__ == "__main__":
    main()
