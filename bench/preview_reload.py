"""Benchmark: `elpack preview` live reload, from saving a page to the reload reaching the browser.

    python bench/preview_reload.py [--pages 30] [--runs 20] [--browser]

Generates a module of 30 pages (a question on every page, a final assessment of 10 questions),
starts a preview server on a free port with the file watcher, then, once per run, appends a
sentence to a page in the middle of the module and times:

- save → SSE: from just before the file is written until the 'build' event for the rebuilt module
  arrives on /events (what the simulator page reacts to). This is the target: under 300 ms.
- the rebuild alone, as the server measured it (the pipeline's build() in memory).
- with --browser (needs Playwright and /usr/bin/chromium): save → the new sentence is in the
  simulator's module frame, relaunch included, and the part of it spent in the browser (from the
  build event to the frame's load event: ending the session, a new API, loading the module).
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

from elpack.preview import PreviewServer
from modulegen import make_module

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the browser tests' Chromium launcher
from tests.browser.serving import launch_chromium


class EventStream:
    """A minimal Server-Sent Events client for /events."""

    def __init__(self, port: int) -> None:
        self.socket = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.socket.sendall(b"GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        self.file = self.socket.makefile("rb")
        while self.file.readline() not in (b"\r\n", b""):
            pass

    def next_build(self) -> dict:
        event, data = "", ""
        while True:
            line = self.file.readline().decode().rstrip("\n")
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: "):
                data = line[6:]
            elif line == "" and data:
                if event == "build":
                    return json.loads(data)
                event, data = "", ""

    def close(self) -> None:
        self.file.close()
        self.socket.close()


def summary(label: str, values: list[float]) -> str:
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return (f"{label}: median {statistics.median(values):.0f} ms, p90 {p90:.0f} ms, "
            f"min {ordered[0]:.0f} ms, max {ordered[-1]:.0f} ms")


def measure_sse(server: PreviewServer, page: Path, runs: int) -> tuple[list[float], list[float]]:
    stream = EventStream(server.port)
    totals, builds = [], []
    try:
        time.sleep(0.3)  # let the watcher start
        for run in range(runs):
            text = page.read_text(encoding="utf-8")
            start = time.perf_counter()
            page.write_text(text + f"\nEdit number {run}.\n", encoding="utf-8")
            event = stream.next_build()
            totals.append((time.perf_counter() - start) * 1000)
            builds.append(event["milliseconds"])
            assert event["ok"], event["problems"]
            time.sleep(0.2)  # separate saves, as a writer's are
    finally:
        stream.close()
    return totals, builds


def measure_browser(server: PreviewServer, page_file: Path, runs: int) -> tuple[list[float], list[float]]:
    from playwright.sync_api import sync_playwright

    times: list[float] = []
    in_browser: list[float] = []
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page()
        page.goto(server.module_url(server.modules[0]))
        page.wait_for_function("window.elpackSimulator && window.elpackSimulator.loadedSession === 1")
        for run in range(runs):
            marker = f"Browser edit number {run}."
            text = page_file.read_text(encoding="utf-8")
            start = time.perf_counter()
            page_file.write_text(text + f"\n{marker}\n", encoding="utf-8")
            page.wait_for_function(
                "(marker) => { const f = document.querySelector('iframe[name=sco]');"
                " return Boolean(f && f.contentDocument && f.contentDocument.readyState === 'complete'"
                " && f.contentDocument.body.textContent.includes(marker)); }",
                arg=marker, polling=5)
            times.append((time.perf_counter() - start) * 1000)
            timings = page.evaluate("window.elpackSimulator.timings")
            in_browser.append(timings["loaded"] - timings["buildEvent"])
            time.sleep(0.2)
        browser.close()
    return times, in_browser


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=30)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--browser", action="store_true", help="also time the reload in Chromium")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        # a knowledge check on every page but the last, which holds an assessment of 10
        root = make_module(Path(folder) / "modules" / "reload-bench", args.pages, args.pages - 1 + 10,
                           assessment=10, module_id="reload-bench", title="Preview reload benchmark")
        page = root / "pages" / f"{args.pages // 2:03d}-page-{args.pages // 2}.md"
        with PreviewServer([root], port=0, watch=True) as server:
            first = server.modules[0].result
            print(f"module: {len(first.pages)} pages, first build {first.seconds * 1000:.0f} ms")
            totals, builds = measure_sse(server, page, args.runs)
            print(summary(f"save -> SSE build event ({args.runs} saves)", totals))
            print(summary("  of which the rebuild", builds))
            if args.browser:
                times, in_browser = measure_browser(server, page, args.runs)
                print(summary("save -> new text in the simulator frame (Chromium)", times))
                print(summary("  of which build event -> module loaded in the frame", in_browser))


if __name__ == "__main__":
    main()
