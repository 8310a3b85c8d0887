"""SCORM 2004 validation: the official XSDs of the package's edition, plus the rules they cannot
express."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from lxml import etree

from ..packaging import Vocabulary, check_packaging
from .manifest import ADLCP, IMSCP, MANIFEST_FILE, SCHEMA_LOCATIONS, Edition

# The CAM's smallest permitted maximum for a title (characterstring, SPM 200).
MAX_TITLE = 200
# libxml2 keeps the first schema it is given for a namespace, and imscp alone would not pull in
# the extensions, so one wrapper imports them all (by file name, from the edition's folder).
WRAPPER_SCHEMA = """<?xml version="1.0"?>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:elpack:wrapper">
""" + "".join(f'  <xsd:import namespace="{ns}" schemaLocation="{name}"/>\n'
              for ns, name in SCHEMA_LOCATIONS.items()) + "</xsd:schema>\n"


def schemas_dir(edition: Edition) -> Path:
    return Path(str(resources.files(__package__) / "schemas" / edition.schema_folder))


def control_files(edition: Edition) -> dict[str, bytes]:
    """The edition's official control files, byte for byte, by package path."""
    folder = schemas_dir(edition)
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


def _words(edition: Edition) -> Vocabulary:
    return Vocabulary(f"SCORM 2004 {edition.name} Edition", IMSCP, f"{{{ADLCP}}}scormType",
                      MAX_TITLE, frozenset(control_files(edition)))


@cache
def manifest_schema(edition: Edition) -> etree.XMLSchema:
    wrapper = etree.fromstring(WRAPPER_SCHEMA.encode(),
                               base_url=(schemas_dir(edition) / "wrapper.xsd").as_uri())
    return etree.XMLSchema(wrapper)


def schema_version(root: etree._Element) -> str | None:
    """What the manifest's <metadata><schemaversion> says, if it is a SCORM 2004 manifest."""
    if root.tag != f"{{{IMSCP}}}manifest":
        return None
    version = root.findtext(f"{{{IMSCP}}}metadata/{{{IMSCP}}}schemaversion")
    return None if version is None else " ".join(version.split())


def check_manifest(root: etree._Element, names: set[str], edition: Edition,
                   warnings: list[str] | None = None) -> list[str]:
    """Every problem with a parsed SCORM 2004 manifest of ``edition`` in a package holding
    ``names``; what a foreign package may do goes to ``warnings`` when given."""
    problems: list[str] = []
    schema = manifest_schema(edition)
    try:
        valid = schema.validate(root)
    except etree.LxmlError as failure:
        problems.append(f"{MANIFEST_FILE}: schema validation stopped ({failure})")
        return problems
    if not valid:
        for error in schema.error_log:  # type: ignore[attr-defined]  # lxml-stubs lacks __iter__
            problems.append(f"{MANIFEST_FILE}:{error.line}: schema: {error.message}")
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
