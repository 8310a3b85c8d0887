"""Benchmark: build a catalogue of generated modules serially, in parallel, and incrementally.

    python bench/catalogue.py [--modules 50] [--pages 20] [--questions 15] [--runs 3] [--jobs N]

Every measurement is the wall time of a fresh `elpack build` process run in the catalogue's
project folder (start-up and imports included), the median of --runs runs:

- serial:      elpack build -j1, into an empty build/ (one module after the other, one process)
- parallel:    elpack build -jN, into an empty build/ (N: --jobs, default one per CPU)
- incremental: elpack build --incremental when nothing changed (after one priming run), and when
               one module's page changed
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from elpack.commands.build import default_jobs
from modulegen import make_module


@dataclass
class Timing:
    wall: float  # seconds on the clock, what the user waits
    cpu: float  # user + system seconds of the build and its workers

    def __str__(self) -> str:
        return f"{self.wall:6.2f} s   (CPU {self.cpu:5.2f} s)"


def elpack_build(project: Path, *options: str) -> Timing:
    """Time one `elpack build` in ``project``; it must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "elpack", "build", *options], cwd=project, check=True,
                   capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # workers count once they are reaped
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return Timing(wall, cpu)


def median_time(runs: int, project: Path, *options: str,
                before: Callable[[], None] | None = None) -> Timing:
    timings = []
    for _ in range(runs):
        if before is not None:
            before()
        timings.append(elpack_build(project, *options))
    return Timing(statistics.median(t.wall for t in timings),
                  statistics.median(t.cpu for t in timings))


def packages(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.glob("*.zip")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", type=int, default=50)
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--questions", type=int, default=15)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=default_jobs())
    args = parser.parse_args()
    load = os.getloadavg()[0]  # the machine may be shared: say how busy it was
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        for number in range(1, args.modules + 1):
            make_module(project / "modules" / f"module-{number:02d}", args.pages, args.questions,
                        assessment=min(10, args.questions), module_id=f"module-{number:02d}",
                        title=f"Generated module {number}")
        build = project / "build"

        def clean() -> None:
            shutil.rmtree(build, ignore_errors=True)

        serial = median_time(args.runs, project, "-j1", before=clean)
        serial_packages = packages(build)
        parallel = median_time(args.runs, project, f"-j{args.jobs}", before=clean)
        assert packages(build) == serial_packages, "parallel and serial packages differ"
        clean()
        primed = elpack_build(project, "--incremental")
        no_op = median_time(args.runs, project, "--incremental")
        page = project / "modules" / "module-01" / "pages" / "001-page-1.md"
        original = page.read_text()
        edits = iter(range(args.runs))

        def edit_one() -> None:
            page.write_text(original + f"\nEdit number {next(edits)}.\n")

        one_changed = median_time(args.runs, project, "--incremental", before=edit_one)

    print(f"catalogue: {args.modules} modules of {args.pages} pages and {args.questions} questions; "
          f"{default_jobs()} CPUs; median of {args.runs} fresh processes; "
          f"load average before: {load:.2f}")
    print(f"serial       elpack build -j1                    {serial}")
    print(f"parallel     elpack build -j{args.jobs:<2}                   {parallel}   "
          f"{serial.wall / parallel.wall:.2f}x faster")
    print(f"incremental  elpack build --incremental, first   {primed}")
    print(f"incremental  elpack build --incremental, no-op   {no_op}")
    print(f"incremental  ..., one module changed             {one_changed}")


if __name__ == "__main__":
    main()
