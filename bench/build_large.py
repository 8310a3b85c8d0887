"""Benchmark: build a generated large module (200 pages, 150 questions) and print the numbers.

    python bench/build_large.py [--pages 200] [--questions 150] [--runs 5]

Prints the cold build time (a fresh `elpack build` process, imports included), the in-process
build time split by stage, the time per page, and the package size.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from elpack import pipeline
from elpack.errors import Problems
from elpack.package import zip_bytes
from elpack.pipeline import build
from elpack.targets import DEFAULT_TARGET, PackageLayout, get_target
from elpack.theme import load_theme
from elpack.validate import check_package
from modulegen import make_module


def stages(root: Path) -> dict[str, float]:
    """The time of each step of the pipeline, for one build."""
    timings: dict[str, float] = {}
    target = get_target(DEFAULT_TARGET)
    start = time.perf_counter()
    problems = Problems(root)
    config = pipeline.read_config(root, problems)
    assert config is not None
    module = pipeline.read_pages(config, problems)
    theme = load_theme(module.config, problems)
    assert theme is not None
    timings["parse + Markdown"] = time.perf_counter() - start
    start = time.perf_counter()
    checked = pipeline.check(module, [target], problems)
    assert checked is not None
    timings["checks"] = time.perf_counter() - start
    start = time.perf_counter()
    rendered = pipeline.render(checked, target, problems)
    timings["render"] = time.perf_counter() - start
    start = time.perf_counter()
    layout = PackageLayout.single(module, "index.html", list(rendered.files))
    files = {**rendered.files, **target.control_files(),
             target.manifest_file: target.build_manifest(layout)}
    timings["manifest"] = time.perf_counter() - start
    start = time.perf_counter()
    assert not check_package(dict(files), target)
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
            built = build(root)
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
        # ru_maxrss of finished children is in KiB on Linux: the largest of the cold build processes
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"peak memory of a cold build process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
