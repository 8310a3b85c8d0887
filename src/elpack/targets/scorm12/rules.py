"""SCORM 1.2 validation: the official XSDs, plus the rules the XSDs cannot express."""

from __future__ import annotations

import re
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
from .manifest import ADLCP, IMSCP, IMSMD, MANIFEST_FILE, SCHEMA_FILES

MAX_TITLE = 200
WORDS = Vocabulary("SCORM 1.2", IMSCP, f"{{{ADLCP}}}scormtype", MAX_TITLE,
                   frozenset({"ims_xml.xsd"}))  # imported by the imscp and imsmd schemas
# The item identifiers in an AICC script (adlcp:prerequisites): what lies between its operators
# & | ~ = <> , ( ) { } and spaces.
AICC_NAME = re.compile(r"[^&|~=<>,(){}*\s]+")
# Statuses a script may compare an item with ("item=passed"); no item's identifier.
AICC_STATUSES = {"passed", "completed", "failed", "incomplete", "browsed", "not attempted",
                 "attempted", "p", "c", "f", "i", "b", "n"}
# The schema of each namespace a SCORM 1.2 manifest uses, for one validation that checks them all.
SCHEMA_IMPORTS = {IMSCP: "imscp_rootv1p1p2.xsd", ADLCP: "adlcp_rootv1p2.xsd",
                  IMSMD: "imsmd_rootv1p2p1.xsd"}


def schemas_dir() -> Path:
    return Path(str(resources.files(__package__) / "schemas"))


def control_files() -> dict[str, bytes]:
    """The four official control files, byte for byte, by package path."""
    folder = schemas_dir()
    return {name: (folder / name).read_bytes() for name in sorted(SCHEMA_FILES)}


@cache
def manifest_schema() -> etree.XMLSchema:
    return wrapper_schema(schemas_dir(), SCHEMA_IMPORTS)


def check_manifest(root: etree._Element, names: set[str],
                   warnings: list[str] | None = None) -> list[str]:
    """Every problem with a parsed SCORM 1.2 manifest in a package holding ``names``; what a
    foreign package may do goes to ``warnings`` when given (see targets/packaging.py)."""
    problems, finished = check_schema(root, manifest_schema())
    if not finished:
        return problems
    problems.extend(_rules(root, names, warnings))
    return problems


def is_scorm12(root: etree._Element) -> bool:
    """Whether a manifest says it is SCORM 1.2: the 1.2 content-packaging namespace, or a
    schemaversion of 1.2."""
    return root.tag == f"{{{IMSCP}}}manifest" or declared_version(root) == "1.2"


def _rules(root: etree._Element, names: set[str], warnings: list[str] | None) -> list[str]:
    problems = check_packaging(root, names, WORDS, warnings)

    def where(element: etree._Element) -> str:
        return f"{MANIFEST_FILE}:{element.sourceline}"

    for mastery in root.iter(f"{{{ADLCP}}}masteryscore"):
        try:
            value = float(mastery.text or "")
        except ValueError:
            value = -1
        if not 0 <= value <= 100:
            problems.append(f"{where(mastery)}: masteryscore '{mastery.text}' must be a number "
                            "from 0 to 100")

    items = {i.get("identifier") for i in root.iter(f"{{{IMSCP}}}item")}
    for required in root.iter(f"{{{ADLCP}}}prerequisites"):
        for name in AICC_NAME.findall(required.text or ""):
            if name not in items and not name.isdigit() and name.lower() not in AICC_STATUSES:
                problems.append(f"{where(required)}: the prerequisite '{name}' is not an item "
                                "of the package")
    return problems
