"""Benchmark: a programme built as separate packages and as one multi-SCO package.

    python bench/programme.py [PROGRAMME_DIR] [--runs 3]

Default: the test programme in tests/fixtures/programme. Prints, for each delivery mode, the
in-process build time (median of the runs; nothing written) and the bytes the LMS administrator
uploads, so the saving of storing the runtime and theme once is measured, not assumed.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from elpack.pipeline import build_all
from elpack.programme_build import build_programme_packages, read_programme

FIXTURE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "programme"


def separate(root: Path) -> tuple[float, int, int]:
    """(seconds, bytes of all packages, files in all packages) of separate packages."""
    config, _ = read_programme(root)
    start = time.perf_counter()
    results = [result for module in config.module_roots() for result in build_all(module)]
    sizes = sum(len(result.package) for result in results)
    return time.perf_counter() - start, sizes, sum(len(r.files) for r in results)


def multi_sco(root: Path) -> tuple[float, int, int]:
    start = time.perf_counter()
    packages = build_programme_packages(root)
    sizes = sum(len(package.package) for package in packages)
    return time.perf_counter() - start, sizes, sum(len(p.files) for p in packages)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("programme", nargs="?", type=Path, default=FIXTURE)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    for name, measure in (("separate", separate), ("multi-sco", multi_sco)):
        runs = [measure(options.programme) for _ in range(options.runs)]
        seconds = statistics.median(run[0] for run in runs)
        print(f"{name:10} {seconds * 1000:8.0f} ms  {runs[0][1] / 1024:8.1f} KB  "
              f"{runs[0][2]:4d} files")


if __name__ == "__main__":
    main()
