"""`elpack build`: modules to validated, deterministic SCORM 1.2 zips."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BuildError, PackageInvalid, Problem, Problems
from ..manifest import MANIFEST_FILE, build_manifest
from ..model import Module
from ..module import load_module
from ..package import write_atomic, zip_bytes
from ..render import render_package_files
from ..theme import load_theme
from ..validate import check_package, control_files

MODULES_DIR = "modules"


@dataclass
class Built:
    """A package built in memory, not yet written."""

    module: Module
    files: dict[str, bytes]
    warnings: list[Problem] = field(default_factory=list)

    @property
    def file_name(self) -> str:
        return f"{self.module.config.id}-scorm12.zip"

    def zip(self) -> bytes:
        return zip_bytes(self.files)


def find_modules(base: Path) -> list[Path]:
    """Module folders (those with a module.yml) under ``base``, in name order."""
    return sorted(p.parent for p in base.glob("*/module.yml"))


def build_package(root: Path) -> Built:
    """Read, check and render one module and validate the result; nothing is written.

    Raises BuildError listing every authoring problem, or PackageInvalid if the package would
    not pass validation.
    """
    problems = Problems(root)
    module = load_module(root, problems)
    theme = load_theme(module.config, problems) if module else None
    if module is None or theme is None or problems.errors:
        raise BuildError(problems.items)
    files = render_package_files(module, theme, problems)
    if problems.errors:
        raise BuildError(problems.items)
    schemas = control_files()
    manifest = build_manifest(module, list(files))
    files = dict(sorted({**files, **schemas, MANIFEST_FILE: manifest}.items()))
    invalid = check_package(files)  # the same checks as `elpack validate`
    if invalid:
        raise PackageInvalid(f"the package for {root.name} would not be valid:\n" +
                             "\n".join(invalid))
    return Built(module, files, problems.warnings)


def build_module(root: Path, output: Path) -> tuple[Path, Built]:
    """Build one module and write its zip atomically into ``output``."""
    built = build_package(root)
    target = output / built.file_name
    write_atomic(target, built.zip())
    return target, built
