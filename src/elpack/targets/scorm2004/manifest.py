"""The SCORM 2004 imsmanifest.xml (3rd or 4th edition), built with lxml from the files actually
produced.

What a single-SCO module needs and nothing more: one organization, one item, one SCO resource
listing every content file. A scored module's pass mark is the item's primary objective,
satisfied by measure, so the LMS judges success against the same mark as the runtime and hands
it to the SCO as cmi.scaled_passing_score. There is no ``<lom>`` metadata: the LOM schemas are
not among the official control files, and a manifest that used them would have to carry them;
the title is in the organization and the item, where LMSs read it. There is no
``adlcp:completionThreshold`` either: the runtime reports completion itself (every page of the
main line seen), so a threshold on cmi.progress_measure would only be a second, competing rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ..base import IMS_MANIFEST, PackageLayout

IMSCP = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP = "http://www.adlnet.org/xsd/adlcp_v1p3"
ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"
ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
NAMESPACES = {None: IMSCP, "adlcp": ADLCP, "adlseq": ADLSEQ, "adlnav": ADLNAV, "imsss": IMSSS,
              "xsi": XSI}
# The schema of each namespace, as schemaLocation names it (a file at the package root).
SCHEMA_LOCATIONS = {
    IMSCP: "imscp_v1p1.xsd",
    ADLCP: "adlcp_v1p3.xsd",
    ADLSEQ: "adlseq_v1p3.xsd",
    ADLNAV: "adlnav_v1p3.xsd",
    IMSSS: "imsss_v1p0.xsd",
}
MANIFEST_FILE = IMS_MANIFEST
PRIMARY_OBJECTIVE = "PRIMARYOBJ"


@dataclass(frozen=True)
class Edition:
    """One edition of SCORM 2004: what its manifests declare and where its schemas are."""

    name: str  # "3rd" or "4th": the target is scorm2004-<name>
    schema_version: str  # <schemaversion>, e.g. "2004 4th Edition"
    schema_folder: str  # in schemas/, as in ../shared/scorm2004-schemas/


EDITIONS = {
    "3rd": Edition("3rd", "2004 3rd Edition", "3rd-edition"),
    "4th": Edition("4th", "2004 4th Edition", "4th-edition"),
}


def _cp(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{IMSCP}}}{tag}")
    if text is not None:
        element.text = text
    return element


def minimum_measure(pass_mark: int) -> str:
    """The pass mark (0-100) as imsss:minNormalizedMeasure (0-1): 80 -> "0.8", 100 -> "1"."""
    return f"{pass_mark / 100:.2f}".rstrip("0").rstrip(".")


def build_manifest(layout: PackageLayout, edition: Edition) -> bytes:
    """The manifest for a package of one SCO whose content (non-control) files are listed in
    ``layout``."""
    if len(layout.scos) != 1 or layout.shared_files:
        raise NotImplementedError("SCORM 2004 packages of several SCOs are not built yet")
    sco = layout.scos[0]
    module = sco.module
    config = module.config
    ids = {part: f"{part.upper()}-{layout.identifier}"
           for part in ("manifest", "org", "item", "res")}
    # lxml takes None as the key of the default namespace; lxml-stubs does not say so.
    manifest = etree.Element(f"{{{IMSCP}}}manifest", nsmap=NAMESPACES)  # type: ignore[arg-type]
    manifest.set("identifier", ids["manifest"])
    manifest.set("version", config.version)
    manifest.set(f"{{{XSI}}}schemaLocation",
                 " ".join(f"{ns} {name}" for ns, name in SCHEMA_LOCATIONS.items()))

    metadata = _cp(manifest, "metadata")
    _cp(metadata, "schema", "ADL SCORM")
    _cp(metadata, "schemaversion", edition.schema_version)

    organizations = _cp(manifest, "organizations")
    organizations.set("default", ids["org"])
    organization = _cp(organizations, "organization")
    organization.set("identifier", ids["org"])
    _cp(organization, "title", layout.title)
    item = _cp(organization, "item")
    item.set("identifier", ids["item"])
    item.set("identifierref", ids["res"])
    _cp(item, "title", config.title)
    if module.is_scored:
        sequencing = etree.SubElement(item, f"{{{IMSSS}}}sequencing")
        objectives = etree.SubElement(sequencing, f"{{{IMSSS}}}objectives")
        primary = etree.SubElement(objectives, f"{{{IMSSS}}}primaryObjective")
        primary.set("objectiveID", PRIMARY_OBJECTIVE)
        primary.set("satisfiedByMeasure", "true")
        etree.SubElement(primary, f"{{{IMSSS}}}minNormalizedMeasure").text = \
            minimum_measure(config.pass_mark)

    resources = _cp(manifest, "resources")
    resource = _cp(resources, "resource")
    resource.set("identifier", ids["res"])
    resource.set("type", "webcontent")
    resource.set(f"{{{ADLCP}}}scormType", "sco")
    resource.set("href", sco.launch)
    for name in sorted(sco.files):
        _cp(resource, "file").set("href", name)

    return etree.tostring(manifest, xml_declaration=True, encoding="UTF-8", pretty_print=True)
