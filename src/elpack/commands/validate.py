"""`elpack validate`: check built packages against SCORM 1.2."""

from __future__ import annotations

from pathlib import Path

from ..validate import validate_zip


def validate_packages(paths: list[Path], warnings: dict[Path, list[str]] | None = None
                      ) -> dict[Path, list[str]]:
    """Problems per package; an empty list means valid. Warnings per package go to warnings."""
    results = {}
    for path in paths:
        found: list[str] = []
        results[path] = validate_zip(path, found)
        if warnings is not None:
            warnings[path] = found
    return results
