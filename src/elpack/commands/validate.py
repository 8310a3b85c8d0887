"""`elpack validate`: check built packages against SCORM 1.2."""

from __future__ import annotations

from pathlib import Path

from ..validate import validate_zip


def validate_packages(paths: list[Path]) -> dict[Path, list[str]]:
    """Problems per package; an empty list means valid."""
    return {path: validate_zip(path) for path in paths}
