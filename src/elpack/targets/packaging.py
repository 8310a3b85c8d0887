"""The IMS content-packaging rules that SCORM 1.2 and SCORM 2004 manifests share and their XSDs
cannot express: unique identifiers, references that resolve, the launch file and listed files
present, every file listed, short titles. Each SCORM target calls :func:`check_packaging` with
its own namespaces and names, so this module names no standard.

A package elpack did not build is judged as its authors' tool made it: both SCORM specifications
recommend listing every file and launching at least one SCO, but neither requires it, so those
are warnings for a foreign package and errors only in elpack's own builds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .base import IMS_MANIFEST

XSI_LOCATION = "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
# More unlisted files than this are reported on one line, with the first few named: a package
# from another tool may list none of its hundreds of files.
UNLISTED_NAMED = 3


@dataclass(frozen=True)
class Vocabulary:
    """What a standard calls the parts these rules check."""

    standard: str  # for messages, e.g. "SCORM 1.2"
    content_packaging: str  # the imscp namespace of the manifest
    scorm_type: str  # the attribute that says a resource is a "sco" or an "asset"
    max_title: int  # characters a title may have
    always_present: frozenset[str] = frozenset()  # schema files other schemas import


def declared_version(root: etree._Element) -> str:
    """What a manifest's <metadata><schemaversion> says ("" if nothing), whatever its standard."""
    namespace = etree.QName(root).namespace
    prefix = f"{{{namespace}}}" if namespace else ""
    version = root.findtext(f"{prefix}metadata/{prefix}schemaversion")
    return " ".join((version or "").split())


def wrapper_schema(folder: Path, imports: Mapping[str, str]) -> etree.XMLSchema:
    """One schema importing, for each namespace, its schema file in ``folder``: libxml2 keeps the
    first schema it is given for a namespace, and the content-packaging schema alone would not
    pull in the others, so one validation against this checks them all."""
    text = ('<?xml version="1.0"?>\n<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
            'targetNamespace="urn:elpack:wrapper">\n'
            + "".join(f'  <xsd:import namespace="{namespace}" schemaLocation="{name}"/>\n'
                      for namespace, name in imports.items())
            + "</xsd:schema>\n")
    wrapper = etree.fromstring(text.encode(), base_url=(folder / "wrapper.xsd").as_uri())
    return etree.XMLSchema(wrapper)


def check_schema(root: etree._Element, schema: etree.XMLSchema) -> tuple[list[str], bool]:
    """What ``schema`` finds wrong with a manifest, and whether validation ran to its end (when
    it stopped, the manifest is not worth checking further)."""
    try:
        valid = schema.validate(root)
    except etree.LxmlError as failure:
        return [f"{IMS_MANIFEST}: schema validation stopped ({failure})"], False
    if valid:
        return [], True
    return [f"{IMS_MANIFEST}:{error.line}: schema: {error.message}"
            for error in schema.error_log], True  # type: ignore[attr-defined]  # lxml-stubs lacks __iter__


def check_packaging(root: etree._Element, names: set[str], words: Vocabulary,
                    warnings: list[str] | None = None) -> list[str]:
    """Every packaging problem of a manifest in a package holding ``names``. Unlisted files and a
    package without a SCO go to ``warnings`` when it is given (a package from another tool), and
    are errors when it is None (elpack's own build)."""
    problems: list[str] = []
    cp = {"cp": words.content_packaging}

    def where(element: etree._Element) -> str:
        return f"{IMS_MANIFEST}:{element.sourceline}"

    control = {IMS_MANIFEST}
    location = root.get(XSI_LOCATION, "").split()
    for schema_file in location[1::2]:
        control.add(schema_file)
        if schema_file not in names:
            problems.append(f"{where(root)}: the control file {schema_file} named in "
                            "schemaLocation is not in the package")
    if location:
        control |= words.always_present

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
    for element in root.iter(f"{{{words.content_packaging}}}item",
                             f"{{{words.content_packaging}}}dependency"):
        ref = element.get("identifierref")
        if ref is not None and ref not in resources:
            problems.append(f"{where(element)}: identifierref '{ref}' is not a resource")
    for title in root.iter(f"{{{words.content_packaging}}}title"):
        if len(title.text or "") > words.max_title:
            problems.append(f"{where(title)}: the title is {len(title.text or '')} characters; "
                            f"{words.standard} allows {words.max_title}")

    listed: set[str] = set()
    listed_by: dict[str, str | None] = {}
    scos = 0
    for resource in resources.values():
        href = resource.get("href")
        base = resource.get(XML_BASE, "")
        if (resource.get(words.scorm_type) or "").lower() == "sco":
            scos += 1
            launch = base + (href or "").split("?")[0].split("#")[0]
            if href and launch not in names:
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

    lenient = warnings if warnings is not None else problems
    if resources and not scos:
        lenient.append(f"{IMS_MANIFEST}: no resource is a SCO (every one is an asset), so the "
                       "LMS will show the content but track nothing: no completion, no score")
    unlisted = [n for n in sorted(names - listed - control) if not n.endswith("/")]
    if len(unlisted) > UNLISTED_NAMED:
        lenient.append(f"{len(unlisted)} files are in the package but not listed in the manifest "
                       f"(the first: {', '.join(unlisted[:UNLISTED_NAMED])}); an LMS that copies "
                       "only listed files would leave them out")
    else:
        lenient.extend(f"{name}: the file is in the package but not listed in the manifest"
                       for name in unlisted)
    return problems
