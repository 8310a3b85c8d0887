"""SCORM 1.2 validation: the official XSDs, plus the rules the XSDs cannot express."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path

from lxml import etree

from .manifest import ADLCP, IMSCP, IMSMD, MANIFEST_FILE, SCHEMA_FILES, XSI

MAX_TITLE = 200
# The item identifiers in an AICC script (adlcp:prerequisites): what lies between its operators
# & | ~ = <> , ( ) { } and spaces.
AICC_NAME = re.compile(r"[^&|~=<>,(){}*\s]+")
# Statuses a script may compare an item with ("item=passed"); no item's identifier.
AICC_STATUSES = {"passed", "completed", "failed", "incomplete", "browsed", "not attempted",
                 "attempted", "p", "c", "f", "i", "b", "n"}
# Imports every schema a SCORM 1.2 manifest uses, so one validation checks them all (libxml2
# loads only the first schema given per namespace, and imscp alone would not pull in imsmd).
WRAPPER_SCHEMA = f"""<?xml version="1.0"?>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:elpack:wrapper">
  <xsd:import namespace="{IMSCP}" schemaLocation="imscp_rootv1p1p2.xsd"/>
  <xsd:import namespace="{ADLCP}" schemaLocation="adlcp_rootv1p2.xsd"/>
  <xsd:import namespace="{IMSMD}" schemaLocation="imsmd_rootv1p2p1.xsd"/>
</xsd:schema>
"""


def schemas_dir() -> Path:
    return Path(str(resources.files(__package__) / "schemas"))


def control_files() -> dict[str, bytes]:
    """The four official control files, byte for byte, by package path."""
    folder = schemas_dir()
    return {name: (folder / name).read_bytes() for name in sorted(SCHEMA_FILES)}


@cache
def manifest_schema() -> etree.XMLSchema:
    wrapper = etree.fromstring(WRAPPER_SCHEMA.encode(),
                               base_url=(schemas_dir() / "wrapper.xsd").as_uri())
    return etree.XMLSchema(wrapper)


def check_manifest(root: etree._Element, names: set[str]) -> list[str]:
    """Every problem with a parsed SCORM 1.2 manifest in a package holding ``names``."""
    problems: list[str] = []
    schema = manifest_schema()
    try:
        valid = schema.validate(root)
    except etree.LxmlError as failure:
        problems.append(f"{MANIFEST_FILE}: schema validation stopped ({failure})")
        return problems
    if not valid:
        for error in schema.error_log:  # type: ignore[attr-defined]  # lxml-stubs lacks __iter__
            problems.append(f"{MANIFEST_FILE}:{error.line}: schema: {error.message}")
    problems.extend(_rules(root, names))
    return problems


def is_scorm12(root: etree._Element) -> bool:
    """Whether a manifest says it is SCORM 1.2: the 1.2 content-packaging namespace, or a
    schemaversion of 1.2."""
    version = root.findtext(f"{{{IMSCP}}}metadata/{{{IMSCP}}}schemaversion")
    return root.tag == f"{{{IMSCP}}}manifest" or (version or "").strip() == "1.2"


def _rules(root: etree._Element, names: set[str]) -> list[str]:
    problems: list[str] = []
    cp = {"cp": IMSCP, "adlcp": ADLCP}

    def where(element: etree._Element) -> str:
        return f"{MANIFEST_FILE}:{element.sourceline}"

    control = {MANIFEST_FILE}
    location = root.get(f"{{{XSI}}}schemaLocation", "").split()
    for schema_file in location[1::2]:
        control.add(schema_file)
        if schema_file not in names:
            problems.append(f"{where(root)}: the control file {schema_file} named in "
                            "schemaLocation is not in the package")
    if "imscp_rootv1p1p2.xsd" in control:
        control.add("ims_xml.xsd")  # imported by the imscp and imsmd schemas

    seen: dict[str, etree._Element] = {}
    for element in root.iter():
        identifier = element.get("identifier")
        if identifier is None:
            continue
        if identifier in seen:
            problems.append(f"{where(element)}: identifier '{identifier}' is not unique "
                            f"(also on line {seen[identifier].sourceline})")
        seen[identifier] = element

    resources = {r.get("identifier"): r for r in root.iterfind("cp:resources/cp:resource", cp)}
    organizations = root.find("cp:organizations", cp)
    if organizations is not None:
        default = organizations.get("default")
        orgs = {o.get("identifier") for o in organizations.iterfind("cp:organization", cp)}
        if default is not None and default not in orgs:
            problems.append(f"{where(organizations)}: organizations default '{default}' is not "
                            "an organization")
        if default is None and not orgs:
            problems.append(f"{where(organizations)}: the package has no organization")
    for element in root.iter(f"{{{IMSCP}}}item", f"{{{IMSCP}}}dependency"):
        ref = element.get("identifierref")
        if ref is not None and ref not in resources:
            problems.append(f"{where(element)}: identifierref '{ref}' is not a resource")
    for title in root.iter(f"{{{IMSCP}}}title"):
        if len(title.text or "") > MAX_TITLE:
            problems.append(f"{where(title)}: the title is {len(title.text or '')} characters; "
                            f"SCORM 1.2 allows {MAX_TITLE}")
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

    listed: set[str] = set()
    listed_by: dict[str, str | None] = {}
    for resource in resources.values():
        href = resource.get("href")
        base = resource.get("{http://www.w3.org/XML/1998/namespace}base", "")
        if resource.get(f"{{{ADLCP}}}scormtype") == "sco" and href:
            launch = base + href.split("?")[0].split("#")[0]
            if launch not in names:
                problems.append(f"{where(resource)}: the SCO launch file '{launch}' is not in "
                                "the package")
        for file in resource.iterfind("cp:file", cp):
            name = base + (file.get("href") or "")
            listed.add(name)
            owner = listed_by.setdefault(name, resource.get("identifier"))
            if owner != resource.get("identifier"):
                problems.append(f"{where(file)}: the file '{name}' is listed by the resources "
                                f"'{owner}' and '{resource.get('identifier')}'; list a shared file "
                                "once, in an asset resource the SCOs depend on")
            if name not in names:
                problems.append(f"{where(file)}: the listed file '{name}' is not in the package")
    for name in sorted(names - listed - control):
        if not name.endswith("/"):
            problems.append(f"{name}: the file is in the package but not listed in the manifest")
    return problems
