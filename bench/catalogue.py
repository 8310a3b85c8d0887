"""Benchmark: build a catalogue of generated modules serially, in parallel, and incrementally.

    python bench/catalogue.py [--modules 50] [--pages 20] [--questions 15] [--runs 5] [--jobs N]

Every measurement is a fresh `elpack build` process run in the catalogue's project folder
(start-up and imports included):

- serial:      elpack build -j1 into an empty build/ (one module after the other, one process)
- parallel:    elpack build -jN into an empty build/ (N: --jobs, default one per CPU)
- incremental: elpack build --incremental: the first run (builds all), a run when nothing
               changed, and a run after one page of one module changed

Serial and parallel runs alternate, so that a change in the machine's load hits both alike.
Wall time is the best of --runs (the least disturbed by other work on a shared machine); CPU time
(user + system, workers included) is the median, and shows the work done whatever the load.
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
from dataclasses import dataclass
from pathlib import Path

from elpack.catalogue import default_jobs
from modulegen import make_module


@dataclass
class Timing:
    wall: float  # seconds on the clock: what the user waits
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
    return Timing(wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)


def summary(timings: list[Timing]) -> Timing:
    return Timing(min(t.wall for t in timings), statistics.median(t.cpu for t in timings))


def packages(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.glob("*.zip")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", type=int, default=50)
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--questions", type=int, default=15)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=default_jobs())
    args = parser.parse_args()
    loads = [os.getloadavg()[0]]  # the machine may be shared: say how busy it was
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        for number in range(1, args.modules + 1):
            make_module(project / "modules" / f"module-{number:02d}", args.pages, args.questions,
                        assessment=min(10, args.questions), module_id=f"module-{number:02d}",
                        title=f"Generated module {number}")
        build = project / "build"
        serial, parallel = [], []
        differ = 0
        for _ in range(args.runs):
            shutil.rmtree(build, ignore_errors=True)
            serial.append(elpack_build(project, "-j1"))
            serial_packages = packages(build)
            shutil.rmtree(build, ignore_errors=True)
            parallel.append(elpack_build(project, f"-j{args.jobs}"))
            differ += packages(build) != serial_packages
        shutil.rmtree(build)
        first = elpack_build(project, "--incremental")
        no_op = [elpack_build(project, "--incremental") for _ in range(args.runs)]
        page = project / "modules" / "module-01" / "pages" / "001-page-1.md"
        original = page.read_text()
        one_changed = []
        for run in range(args.runs):
            page.write_text(original + f"\nEdit number {run}.\n")
            one_changed.append(elpack_build(project, "--incremental"))
        loads.append(os.getloadavg()[0])

    print(f"catalogue: {args.modules} modules of {args.pages} pages and {args.questions} questions; "
          f"{default_jobs()} CPUs; wall: best of {args.runs}, CPU: median; "
          f"load average {loads[0]:.1f} before, {loads[1]:.1f} after")
    print(f"serial       elpack build -j1                    {summary(serial)}")
    print(f"parallel     elpack build -j{args.jobs:<2}                   {summary(parallel)}   "
          f"{summary(serial).wall / summary(parallel).wall:.2f}x faster")
    print(f"incremental  elpack build --incremental, first   {first}")
    print(f"incremental  elpack build --incremental, no-op   {summary(no_op)}")
    print(f"incremental  ..., one module changed             {summary(one_changed)}")
    if differ:  # builds are deterministic: only an edit of elpack or a theme meanwhile explains it
        print(f"warning: in {differ} of {args.runs} runs the serial and parallel packages differed; "
              "were elpack or its themes edited during the benchmark?")


if __name__ == "__main__":
    main()
