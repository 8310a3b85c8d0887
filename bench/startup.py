"""Benchmark: what starting elpack costs, and how often a command reads programme.yml.

    PYTHONPATH=src python bench/startup.py [PROGRAMME_DIR] [--runs 9]

Prints:
- the cumulative import time of ``elpack.cli`` (``python -X importtime``) and the wall time of
  ``python -m elpack --help``, each the minimum and median of the runs (fresh processes);
- for build (separate and multi-SCO), check, inspect and storyboard on a programme (default: the
  example in programmes/), how many times programme.yml and module.yml were read (counted in
  this process, in the function every settings file is read through).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROGRAMME = REPO / "programmes" / "mental-health-awareness"


def start_up(runs: int) -> tuple[list[float], list[float]]:
    """Milliseconds of importing elpack.cli, and of `python -m elpack --help`, per run."""
    imports, helps = [], []
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [
        str(REPO / "src"), os.environ.get("PYTHONPATH")]))}
    for _ in range(runs):
        shown = subprocess.run([sys.executable, "-X", "importtime", "-c", "import elpack.cli"],
                               env=env, capture_output=True, text=True, check=True).stderr
        line = next(line for line in shown.splitlines() if line.rstrip().endswith("| elpack.cli"))
        imports.append(int(line.split("|")[1]) / 1000)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "elpack", "--help"], env=env, capture_output=True,
                       check=True)
        helps.append((time.perf_counter() - start) * 1000)
    return imports, helps


def settings_read(programme: Path) -> list[tuple[str, Counter[str]]]:
    """Per command: how many times each settings file was read."""
    import elpack.schema
    from elpack.cli import cli

    read = elpack.schema.read_utf8
    counts: Counter[str] = Counter()

    def counting(path: Path) -> str:
        counts[Path(path).name] += 1
        return read(path)

    elpack.schema.read_utf8 = counting
    found = []
    with tempfile.TemporaryDirectory() as out, open(os.devnull, "w") as quiet:
        commands = {"build": ["build", "-j", "1", "-o", out],
                    "build --multi-sco": ["build", "-j", "1", "--multi-sco", "-o", out],
                    "check": ["check"], "inspect": ["inspect"],
                    "storyboard": ["storyboard", "-o", f"{out}/storyboard.html"]}
        for label, command in commands.items():
            counts.clear()
            with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
                cli.main([*command, str(programme)], standalone_mode=False)
            found.append((label, Counter(counts)))
    elpack.schema.read_utf8 = read
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("programme", nargs="?", type=Path, default=PROGRAMME)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    imports, helps = start_up(args.runs)
    print(f"import elpack.cli: min {min(imports):.0f} ms, median {statistics.median(imports):.0f} ms"
          f" ({args.runs} runs)")
    print(f"python -m elpack --help: min {min(helps):.0f} ms, median "
          f"{statistics.median(helps):.0f} ms")
    print(f"settings files read per command on {args.programme.name}:")
    for command, counts in settings_read(args.programme):
        print(f"  elpack {command}: programme.yml {counts['programme.yml']}, "
              f"module.yml {counts['module.yml']}")


if __name__ == "__main__":
    main()
