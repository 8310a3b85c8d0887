"""SCORM 2004 validation: the official XSDs of the package's edition, plus the rules they cannot
express."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from lxml import etree

from ..packaging import (
    Vocabulary,
    check_packaging,
    check_schema,
    declared_version,
    wrapper_schema,
)
from .manifest import ADLCP, IMSCP, MANIFEST_FILE, SCHEMA_LOCATIONS, Edition

# The CAM's smallest permitted maximum for a title (characterstring, SPM 200).
MAX_TITLE = 200


def schemas_dir(edition: Edition) -> Path:
    return Path(str(resources.files(__package__) / "schemas" / edition.schema_folder))


def control_files(edition: Edition) -> dict[str, bytes]:
    """The edition's official control files, byte for byte, by package path."""
    folder = schemas_dir(edition)
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


@cache
def _words(edition: Edition) -> Vocabulary:
    # Once per edition: the control files' names are all it needs of them.
    return Vocabulary(f"SCORM 2004 {edition.name} Edition", IMSCP, f"{{{ADLCP}}}scormType",
                      MAX_TITLE, frozenset(control_files(edition)))


@cache
def manifest_schema(edition: Edition) -> etree.XMLSchema:
    return wrapper_schema(schemas_dir(edition), SCHEMA_LOCATIONS)


def is_edition(root: etree._Element, edition: Edition) -> bool:
    """Whether a manifest is a SCORM 2004 manifest of ``edition``."""
    return (root.tag == f"{{{IMSCP}}}manifest"
            and declared_version(root) == edition.schema_version)


def check_manifest(root: etree._Element, names: set[str], edition: Edition,
                   warnings: list[str] | None = None) -> list[str]:
    """Every problem with a parsed SCORM 2004 manifest of ``edition`` in a package holding
    ``names``; what a foreign package may do goes to ``warnings`` when given."""
    problems, finished = check_schema(root, manifest_schema(edition))
    if not finished:
        return problems
    problems.extend(check_packaging(root, names, _words(edition), warnings))
    problems.extend(_aggregation_rules(root))
    return problems


def _aggregation_rules(root: etree._Element) -> list[str]:
    """What the XSDs allow but the SCORM 2004 content aggregation model does not."""
    problems: list[str] = []
    for resource in root.iter(f"{{{IMSCP}}}resource"):
        if resource.get(f"{{{ADLCP}}}scormType") is None:
            problems.append(f"{MANIFEST_FILE}:{resource.sourceline}: resource "
                            f"'{resource.get('identifier')}' has no adlcp:scormType (sco or "
                            "asset), which SCORM 2004 requires")
    for item in root.iter(f"{{{IMSCP}}}item"):
        if item.get("identifierref") is not None and item.find(f"{{{IMSCP}}}item") is not None:
            problems.append(f"{MANIFEST_FILE}:{item.sourceline}: item '{item.get('identifier')}' "
                            "launches a resource and also holds items; in SCORM 2004 only a "
                            "leaf item may launch one")
    return problems
