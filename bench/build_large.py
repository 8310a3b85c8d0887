"""Benchmark: build a generated large module (200 pages, 150 questions) and print the numbers.

    python bench/build_large.py [--pages 200] [--questions 150] [--runs 5]

Prints the cold build time (a fresh `elpack build` process, imports included), the in-process
build time split by stage, the time per page, and the package size.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from elpack.commands.build import build_package
from elpack.errors import Problems
from elpack.manifest import build_manifest
from elpack.module import load_module
from elpack.package import zip_bytes
from elpack.render import render_package_files
from elpack.theme import load_theme
from elpack.validate import check_package, control_files

CONFIG = """id: large-module
title: A large generated module
description: Generated for benchmarking elpack.
version: "1.0.0"
language: en-GB
duration_minutes: 300
pass_mark: 80
characters:
  - id: sam
    name: Sam Okoro
    role: Paramedic
  - id: dr-hale
    name: Dr Ruth Hale
    role: Clinical psychologist
assessment:
  draw: 20
"""

PARAGRAPH = (
    "Reflective practice asks you to look again at what happened, how you felt, and what you "
    "might do differently. **Frequent attendance** is rarely about one thing; loneliness, "
    "health anxiety and unmet social needs often sit behind it. *Take a moment* to think about "
    "a person you have met recently, and what else might have been going on for them.\n"
)


def question(number: int) -> str:
    return f"""::: question {{#q-{number}}}
Which of these is most likely to help in situation {number}?

- [ ] Telling the person not to call again
  > This tends to increase anxiety and repeat calls.
- [x] Asking an open question about what has changed
  > Yes: open questions help you find the need behind the call.
- [ ] Ending the conversation quickly
  > Speed can feel efficient but often leads to another call.

Correct: Well done.
Incorrect: Think about what might lie behind the call.
:::
"""


def make_module(root: Path, pages: int, questions: int) -> Path:
    (root / "pages").mkdir(parents=True)
    (root / "module.yml").write_text(CONFIG)
    per_page = -(-questions // pages)
    made = 0
    for index in range(1, pages + 1):
        body = [f"# Page {index}\n", PARAGRAPH, "## A closer look\n", PARAGRAPH,
                "- first point\n- second point\n- third point\n",
                "::: dialogue\nsam: How are things at home at the moment?\n"
                "dr-hale: Notice the pause before the answer.\n:::\n",
                "::: key-point\nFrustration is a normal reaction.\n:::\n"]
        in_assessment = index == pages
        if not in_assessment:
            for _ in range(per_page):
                if made < questions - 25:
                    made += 1
                    body.append(question(made))
        else:
            body.append(":::: assessment\n")
            while made < questions:
                made += 1
                body.append(question(made))
            body.append("::::\n")
        (root / "pages" / f"{index:03d}-page-{index}.md").write_text("\n".join(body))
    return root


def stages(root: Path) -> dict[str, float]:
    timings: dict[str, float] = {}
    start = time.perf_counter()
    problems = Problems(root)
    module = load_module(root, problems)
    theme = load_theme(module.config, problems)
    timings["parse + Markdown"] = time.perf_counter() - start
    start = time.perf_counter()
    files = render_package_files(module, theme, problems)
    timings["render"] = time.perf_counter() - start
    start = time.perf_counter()
    files = {**files, **control_files(), "imsmanifest.xml": build_manifest(module, list(files))}
    timings["manifest"] = time.perf_counter() - start
    start = time.perf_counter()
    assert not check_package(files)
    timings["validate"] = time.perf_counter() - start
    start = time.perf_counter()
    zip_bytes(files)
    timings["zip"] = time.perf_counter() - start
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--questions", type=int, default=150)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = make_module(Path(folder) / "modules" / "large-module", args.pages, args.questions)
        out = Path(folder) / "build"
        cold = []
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "elpack", "build", str(root), "-o", str(out)],
                           check=True, capture_output=True)
            cold.append(time.perf_counter() - start)
        warm = []
        for _ in range(args.runs):
            start = time.perf_counter()
            built = build_package(root)
            warm.append(time.perf_counter() - start)
        split = stages(root)
        size = (out / "large-module-scorm12.zip").stat().st_size
        print(f"module: {args.pages} pages, {len(built.module.questions)} questions")
        print(f"cold build (fresh process, median of {args.runs}): {statistics.median(cold):.3f} s")
        print(f"in-process build (median of {args.runs}): {statistics.median(warm):.3f} s")
        print(f"per page (in-process): {statistics.median(warm) / args.pages * 1000:.2f} ms")
        for stage, seconds in split.items():
            print(f"  {stage:<18} {seconds:.3f} s")
        print(f"package size: {size / 1024:.1f} KB")


if __name__ == "__main__":
    main()
