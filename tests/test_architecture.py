"""The import rules of docs/architecture.md, checked on the source: no import cycles, commands
import no other command, and only a target's own package names its standard.

Every import in every module of src/elpack is read with ast (those inside functions and under
TYPE_CHECKING too: a cycle there is still a cycle in the design)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import REPO

PACKAGE = REPO / "src" / "elpack"


def module_name(path: Path) -> str:
    parts = ["elpack", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str) -> dict[str, int]:
    """The elpack modules that module ``name`` imports, with the line of the first import."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: dict[str, int] = {}

    def add(target: str, line: int) -> None:
        # "from . import x" may name a module or a name in the package: keep what exists.
        while target and target not in MODULES:
            target = target.rpartition(".")[0]
        if target and target != name:
            found.setdefault(target, line)

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("elpack"):
                    add(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            if not source.startswith("elpack"):
                continue
            for alias in node.names:
                add(f"{source}.{alias.name}", node.lineno)
    return found


GRAPH = {name: imports_of(name) for name in MODULES}


def test_the_graph_is_read():
    """The checks below would pass on an empty graph: make sure it holds what we know is there."""
    assert "elpack.pipeline" in GRAPH["elpack.catalogue"]
    assert "elpack.targets.scorm12.manifest" in GRAPH["elpack.targets.scorm12"]
    assert "elpack.targets.base" in GRAPH["elpack.validate"]


def _cycle() -> list[str] | None:
    """One import cycle among elpack's modules (a package imports its __init__ first, so a
    package's own __init__ importing its submodules is no cycle), or None."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def edges(name: str) -> list[str]:
        # A submodule importing its own package's __init__ is how Python loads it anyway.
        return [t for t in GRAPH[name] if not name.startswith(t + ".")]

    def visit(name: str) -> list[str] | None:
        state[name] = "open"
        stack.append(name)
        for target in edges(name):
            if state.get(target) == "open":
                return [*stack[stack.index(target):], target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        stack.pop()
        state[name] = "done"
        return None

    for name in GRAPH:
        if name not in state:
            found = visit(name)
            if found:
                return found
    return None


def test_no_import_cycle():
    cycle = _cycle()
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_a_cycle_would_be_found():
    GRAPH["elpack.targets.base"]["elpack.pipeline"] = 0
    try:
        assert _cycle() is not None
    finally:
        del GRAPH["elpack.targets.base"]["elpack.pipeline"]


def test_no_module_imports_the_build_command():
    """commands/ only wires the CLI to the pipeline: nothing builds through commands/build.py."""
    users = [name for name, targets in GRAPH.items() if "elpack.commands.build" in targets]
    assert users == ["elpack.cli"]


def test_starting_the_cli_imports_no_command_or_pipeline():
    """`import elpack.cli` (every `elpack` run, `elpack --help` too) loads only the click layer:
    each command imports what it runs when it runs."""
    import subprocess
    import sys

    shown = subprocess.run(
        [sys.executable, "-c", "import sys, elpack.cli; "
         "print(' '.join(sorted(m for m in sys.modules if m.startswith('elpack'))))"],
        capture_output=True, text=True, check=True)
    assert shown.stdout.split() == ["elpack", "elpack.cli", "elpack.errors"]


def test_no_command_imports_another_command():
    for name, targets in GRAPH.items():
        if name.startswith("elpack.commands."):
            others = [t for t in targets if t.startswith("elpack.commands.")]
            assert not others, f"{name} imports {others}"


SCORM12 = "elpack.targets.scorm12"
# What only the SCORM 1.2 package may say: its namespaces and its schema files' names.
SCORM12_NAMES = ["http://www.imsproject.org/xsd/imscp_rootv1p1p2",
                 "http://www.adlnet.org/xsd/adlcp_rootv1p2",
                 "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1", "adlcp_rootv1p2.xsd"]


def test_only_the_registry_imports_the_scorm12_target():
    users = sorted(name for name, targets in GRAPH.items() if not name.startswith(SCORM12)
                   and any(t == SCORM12 or t.startswith(SCORM12 + ".") for t in targets))
    assert users == ["elpack.targets"]


@pytest.mark.parametrize("name", [n for n in MODULES if not n.startswith(SCORM12)])
def test_scorm12_names_stay_in_its_package(name: str):
    text = MODULES[name].read_text(encoding="utf-8")
    assert not [n for n in SCORM12_NAMES if n in text]


SCORM2004 = "elpack.targets.scorm2004"
# What only the SCORM 2004 package may say: its namespaces, schema files and edition names.
SCORM2004_NAMES = ["http://www.imsglobal.org/xsd/imscp_v1p1", "http://www.adlnet.org/xsd/adlcp_v1p3",
                   "http://www.imsglobal.org/xsd/imsss", "imsss_v1p0.xsd", "2004 4th Edition",
                   "2004 3rd Edition", "scorm2004"]


def test_only_the_registry_imports_the_scorm2004_target():
    users = sorted(name for name, targets in GRAPH.items() if not name.startswith(SCORM2004)
                   and any(t == SCORM2004 or t.startswith(SCORM2004 + ".") for t in targets))
    assert users == ["elpack.targets"]


@pytest.mark.parametrize("name", [n for n in MODULES if not n.startswith(SCORM2004)
                                  and n != "elpack.targets"])
def test_scorm2004_names_stay_in_its_package(name: str):
    text = MODULES[name].read_text(encoding="utf-8")
    assert not [n for n in SCORM2004_NAMES if n in text]


def test_themes_and_schemas_are_package_data():
    """Found through the package (importlib.resources), as in a wheel: no source-checkout path."""
    from importlib import resources

    assert (resources.files("elpack") / "themes" / "nhs" / "theme.yml").is_file()
    assert (resources.files("elpack.targets.scorm12") / "schemas" / "ims_xml.xsd").is_file()
    assert (resources.files("elpack.targets.scorm2004") / "schemas" / "4th-edition" /
            "imsss_v1p0.xsd").is_file()
