"""Benchmark: what each output target adds to a package.

Prints the runtime bundle of each target (bytes, and gzipped as a web server would send it), what
the SCORM 2004 adapter adds to the runtime compared with the SCORM 1.2 one, the adapter bundled
on its own, and, for each example module, the package size for every target with its control
files (schemas) and manifest.

    python bench/targets.py

The adapter-alone line needs node and the npm tools (`npm ci`); the rest needs only elpack.
"""

from __future__ import annotations

import gzip
import shutil
import subprocess
from pathlib import Path

from elpack.pipeline import build
from elpack.targets import get_target, known_targets

REPO = Path(__file__).resolve().parent.parent
RUNTIME = REPO / "src" / "elpack" / "runtime"
MODULES = {"frequent-attenders": REPO / "modules" / "frequent-attenders",
           "mental-health-awareness": REPO / "programmes" / "mental-health-awareness" / "modules" /
           "mental-health-awareness"}
ESBUILD = REPO / "node_modules" / ".bin" / "esbuild"


def kb(size: int) -> str:
    return f"{size / 1024:.1f} KB ({size:,} bytes)"


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def adapter_alone(source: Path) -> int | None:
    """The adapter module with what it imports, bundled and minified like the runtime."""
    if not ESBUILD.is_file() or not shutil.which("node"):
        return None
    result = subprocess.run([str(ESBUILD), str(source), "--bundle", "--minify", "--format=esm",
                             "--target=es2019", "--charset=ascii", "--legal-comments=none"],
                            capture_output=True, check=True, timeout=120)
    return len(result.stdout)


def main() -> None:
    bundles = {}
    print("runtime bundles (assets/elpack.js):")
    for name in known_targets():
        bundle = get_target(name).runtime_bundle
        if bundle in bundles:
            continue
        data = (RUNTIME / "dist" / bundle).read_bytes()
        bundles[bundle] = data
        print(f"  {bundle:22} {kb(len(data))}, gzipped {kb(gzipped(data))}")
    scorm12 = bundles[get_target("scorm12").runtime_bundle]
    scorm2004 = bundles[get_target("scorm2004-4th").runtime_bundle]
    print(f"the SCORM 2004 runtime minus the SCORM 1.2 runtime: {len(scorm2004) - len(scorm12):+,} bytes, "
          f"gzipped {gzipped(scorm2004) - gzipped(scorm12):+,} bytes (budget: 8 KB)")
    for adapter in ("scorm12", "scorm2004"):
        size = adapter_alone(RUNTIME / "src" / "lms" / f"{adapter}.js")
        if size is not None:
            print(f"  lms/{adapter}.js bundled alone: {kb(size)}")

    print("\npackages:")
    for folder in MODULES.values():
        for name in known_targets():
            result = build(folder, name)
            target = result.target
            control = sum(len(data) for data in target.control_files().values())
            print(f"  {result.file_name:42} {kb(len(result.package))}; control files {kb(control)}, "
                  f"manifest {len(result.manifest):,} bytes, reflections "
                  f"{result.budget.reflection_limit} characters each")


if __name__ == "__main__":
    main()
