"""`elpack validate`: check packages against the standard each declares (SCORM 1.2, 2004 3rd or
4th edition)."""

from __future__ import annotations

from pathlib import Path

from ..validate import Validation, validate_package


def validate_packages(paths: list[Path]) -> dict[Path, Validation]:
    """What validation found in each package: its standard, problems and warnings."""
    return {path: validate_package(path) for path in paths}


def validation_report(path: Path, found: Validation) -> list[str]:
    """The lines `elpack validate` prints for one package; the first names its standard."""
    standard = f" {found.standard.title} package" if found.standard else ""
    if not found.problems:
        lines = [f"{path}: valid{standard}"]
    elif found.standard is None and found.declared:
        lines = [f"{path}: not checked: SCORM version '{found.declared}' is unknown to elpack"]
    else:
        count = len(found.problems)
        lines = [f"{path}: invalid{standard} ({count} problem{'s' if count != 1 else ''})"]
    lines.extend(f"  {problem}" for problem in found.problems)
    lines.extend(f"  warning: {warning}" for warning in found.warnings)
    return lines
