"""Shared helpers: build modules through the real CLI and read what it wrote."""

from __future__ import annotations

import os
import shutil
import textwrap
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from elpack.cli import cli

REPO = Path(__file__).resolve().parent.parent
MODULES = REPO / "modules"
PROGRAMMES = REPO / "programmes"
# The example modules and their folders: frequent-attenders on its own, and the three modules of the
# Mental Health Awareness programme, which inherit its programme.yml (shared glossary, references, theme).
EXAMPLES = {
    "frequent-attenders": MODULES / "frequent-attenders",
    **{name: PROGRAMMES / "mental-health-awareness" / "modules" / name
       for name in ("mental-health-awareness", "perinatal-mental-health", "mental-health-emergency-care")},
}
EXAMPLE_MODULES = list(EXAMPLES)


def programme_of_example(name: str) -> Path | None:
    """The programme folder an example module belongs to, if any."""
    folder = EXAMPLES[name].parent.parent
    return folder if (folder / "programme.yml").is_file() else None


def example_package(name: str) -> str:
    """The file name `elpack build` gives an example module's SCORM 1.2 package: in a programme,
    '<programme id>--<module id>-scorm12.zip'."""
    programme = programme_of_example(name)
    return f"{programme.name}--{name}-scorm12.zip" if programme else f"{name}-scorm12.zip"


def copy_example(name: str, into: Path) -> Path:
    """Copy an example module under ``into`` so that the copy still builds: a module of a programme
    is copied with its whole programme folder. Returns the copied module's folder."""
    programme = programme_of_example(name)
    if programme is None:
        return Path(shutil.copytree(EXAMPLES[name], into / name))
    copied = into / programme.name
    if not copied.exists():
        shutil.copytree(programme, copied)
    return copied / "modules" / name
SHARED_SCHEMAS = REPO.parent / "shared" / "scorm12-schemas"


def run_cli(*args: str | os.PathLike[str]) -> Result:
    """Run elpack in-process; exceptions other than clean exits fail the test."""
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return result


def write_module(root: Path, files: dict[str, str]) -> Path:
    """Write a module from {relative path: text}; texts are dedented."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


MINIMAL_CONFIG = """
    id: sample
    title: Sample module
    description: A module used by the tests.
    version: "1.0.0"
    language: en-GB
    duration_minutes: 5
    characters:
      - id: sam
        name: Sam Okoro
        role: Paramedic
      - id: dr-hale
        name: Dr Ruth Hale
        role: Clinical psychologist
    glossary:
      reflective practice: Thinking about what happened in order to learn from it.
"""


@pytest.fixture
def module_factory(tmp_path: Path):
    """Make a module folder from page texts (and optional extra files)."""

    def make(pages: dict[str, str], config: str = MINIMAL_CONFIG,
             extra: dict[str, str] | None = None, name: str = "sample") -> Path:
        files = {"module.yml": config, **{f"pages/{k}": v for k, v in pages.items()}}
        files.update(extra or {})
        return write_module(tmp_path / "modules" / name, files)

    return make


@pytest.fixture(scope="session")
def good_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Every file of a valid package built from the `elpack new` starter module."""
    from elpack.commands.new import create_module

    base = tmp_path_factory.mktemp("good")
    root = create_module("Good", base)
    assert run_cli("build", root, "-o", base / "out").exit_code == 0
    with zipfile.ZipFile(base / "out" / "good-scorm12.zip") as archive:
        return {name: archive.read(name) for name in archive.namelist()}
