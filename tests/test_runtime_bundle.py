"""The learner runtime's committed bundles are exactly what its sources build to.

Packages carry src/elpack/runtime/dist/elpack-<target>.js (committed, so that installing elpack
needs no npm). These tests rebuild the bundles from src/elpack/runtime/src with the pinned esbuild
and compare bytes: a source change without `npm run build:runtime` fails here. They are skipped
only on a machine without the npm tools; CI installs them (scripts/test), so there they must run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from elpack.preview.watcher import affected_modules, runtime_dir, watch_roots
from elpack.render import runtime_sources
from elpack.suspend import FORMAT, KEYS, TEST_KEYS
from elpack.targets import get_target

REPO = Path(__file__).resolve().parent.parent
RUNTIME = REPO / "src" / "elpack" / "runtime"
ESBUILD = REPO / "node_modules" / "esbuild" / "package.json"


def _need_npm_tools() -> None:
    if ESBUILD.is_file() and shutil.which("node"):
        return
    if os.environ.get("CI"):
        pytest.fail("esbuild is not installed: scripts/test runs `npm ci` before the tests")
    pytest.skip("the npm tools are not installed here (run `npm ci`)")


def test_committed_bundles_are_rebuilt_byte_identical(tmp_path: Path):
    _need_npm_tools()
    result = subprocess.run(["node", str(REPO / "scripts" / "build-runtime.mjs"), str(tmp_path)],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    built = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    committed = {p.name: p.read_bytes() for p in (RUNTIME / "dist").iterdir()}
    assert sorted(built) == sorted(committed) == ["elpack-scorm12.js", "elpack-scorm2004.js"]
    for name, data in built.items():
        assert data == committed[name], f"dist/{name} is stale: run `npm run build:runtime` and commit it"


def test_every_runtime_source_is_type_checked():
    sources = sorted(RUNTIME.joinpath("src").rglob("*.js"))
    assert sources
    unchecked = [str(p.relative_to(RUNTIME)) for p in sources
                 if not p.read_text("utf-8").startswith("// @ts-check\n")]
    assert unchecked == []
    config = json.loads((REPO / "tsconfig.json").read_text("utf-8"))
    assert config["compilerOptions"]["checkJs"] is True
    assert config["compilerOptions"]["strict"] is True
    assert config["include"] == ["src/elpack/runtime/src/**/*.js"]


def test_packages_carry_the_bundle_as_it_is():
    bundle = (RUNTIME / "dist" / "elpack-scorm12.js").read_bytes()
    assert runtime_sources(get_target("scorm12").runtime_bundle) == {"assets/elpack.js": bundle}


def test_the_suspend_layout_is_the_runtimes():
    """suspend.py and the runtime read the same layout file; the runtime keeps its keys unique,
    and the format version stays 1 so that learners' saved progress keeps resuming."""
    assert FORMAT == 1
    assert len(set(KEYS.values())) == len(KEYS)
    assert len(set(TEST_KEYS.values())) == len(TEST_KEYS)
    state = (RUNTIME / "src" / "state.js").read_text("utf-8")
    assert 'from "../suspend-format.json"' in state


class _Previewed:
    """Stands in for a previewed module that uses none of the changed files."""

    def uses(self, path: Path) -> bool:
        return False


def test_the_preview_reloads_every_module_when_a_bundle_is_rebuilt():
    dist = (RUNTIME / "dist").resolve()
    assert runtime_dir() == RUNTIME / "dist"
    assert dist in watch_roots([])
    modules = [_Previewed(), _Previewed()]
    assert affected_modules(modules, {dist / "elpack-scorm12.js"}) == modules  # type: ignore[arg-type]
    # a source edit changes no package until the bundle is rebuilt
    assert affected_modules(modules, {RUNTIME / "src" / "state.js"}) == []  # type: ignore[arg-type]


def _runtime_imports() -> dict[str, set[str]]:
    """Each runtime module (path under runtime/src) and the runtime modules it imports."""
    sources = RUNTIME / "src"
    graph: dict[str, set[str]] = {}
    for path in sorted(sources.rglob("*.js")):
        name = path.relative_to(sources).as_posix()
        targets = re.findall(r'^import\s[^;]*?from\s+"([^"]+)";', path.read_text("utf-8"), re.M | re.S)
        graph[name] = {(path.parent / target).resolve().relative_to(sources.resolve()).as_posix()
                       for target in targets if target.endswith(".js")}
    return graph


def test_runtime_modules_keep_their_import_rules():
    graph = _runtime_imports()
    assert "lms/scorm12.js" in graph and "registry.js" in graph
    for name, imports in graph.items():
        if not name.startswith(("lms/", "main-")):
            assert not any(i.startswith("lms/") and i != "lms/adapter.js" for i in imports), name
        if name != "runtime.js":
            assert "registry.js" not in imports, name
        if not name.startswith("blocks/") and name != "registry.js":
            assert not any(i.startswith("blocks/") for i in imports), name
        if name.startswith("questions/") and name not in ("questions/question.js", "questions/options.js"):
            assert not imports & {"save.js", "session.js", "content.js", "navigation.js"}, name
    # no cycles: a depth-first walk never meets a module it is still inside
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, " -> ".join((*path, name))
        if name in done:
            return
        for target in sorted(graph[name]):
            visit(target, (*path, name))
        done.add(name)

    for name in graph:
        visit(name, ())
