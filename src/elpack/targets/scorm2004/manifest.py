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
from typing import TYPE_CHECKING

from lxml import etree

from ..base import IMS_MANIFEST, PackageLayout, Sco

if TYPE_CHECKING:
    from ...model import Module

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
    if layout.programme is not None:
        return _programme_manifest(layout, edition)
    if len(layout.scos) != 1 or layout.shared_files:
        raise ValueError("a package of several SCOs is a programme's: give its layout the programme")
    sco = layout.scos[0]
    module = sco.module
    config = module.config
    ids = {part: f"{part.upper()}-{layout.identifier}"
           for part in ("manifest", "org", "item", "res")}
    manifest, organizations = _manifest(ids["manifest"], config.version, edition, ids["org"])
    organization = _cp(organizations, "organization")
    organization.set("identifier", ids["org"])
    _cp(organization, "title", layout.title)
    item = _cp(organization, "item")
    item.set("identifier", ids["item"])
    item.set("identifierref", ids["res"])
    _cp(item, "title", layout.title)  # a bilingual package's: both titles
    if module.is_scored:
        sequencing = etree.SubElement(item, f"{{{IMSSS}}}sequencing")
        _primary_objective(etree.SubElement(sequencing, f"{{{IMSSS}}}objectives"), module)

    _sco_resource(_cp(manifest, "resources"), ids["res"], sco)
    return _serialised(manifest)


def _manifest(identifier: str, version: str, edition: Edition, default_organization: str,
              ) -> tuple[etree._Element, etree._Element]:
    """A manifest with its metadata and its (still empty) organizations element."""
    # lxml takes None as the key of the default namespace; lxml-stubs does not say so.
    manifest = etree.Element(f"{{{IMSCP}}}manifest", nsmap=NAMESPACES)  # type: ignore[arg-type]
    manifest.set("identifier", identifier)
    manifest.set("version", version)
    manifest.set(f"{{{XSI}}}schemaLocation",
                 " ".join(f"{ns} {name}" for ns, name in SCHEMA_LOCATIONS.items()))
    metadata = _cp(manifest, "metadata")
    _cp(metadata, "schema", "ADL SCORM")
    _cp(metadata, "schemaversion", edition.schema_version)
    organizations = _cp(manifest, "organizations")
    organizations.set("default", default_organization)
    return manifest, organizations


def _primary_objective(objectives: etree._Element, module: Module) -> etree._Element:
    """The item's primary objective; a scored module's is satisfied by its score against its
    pass mark."""
    primary = etree.SubElement(objectives, f"{{{IMSSS}}}primaryObjective")
    primary.set("objectiveID", PRIMARY_OBJECTIVE)
    if module.is_scored:
        primary.set("satisfiedByMeasure", "true")
        etree.SubElement(primary, f"{{{IMSSS}}}minNormalizedMeasure").text = \
            minimum_measure(module.config.pass_mark)
    return primary


def _sco_resource(resources: etree._Element, identifier: str, sco: Sco) -> etree._Element:
    resource = _cp(resources, "resource")
    resource.set("identifier", identifier)
    resource.set("type", "webcontent")
    resource.set(f"{{{ADLCP}}}scormType", "sco")
    resource.set("href", sco.launch)
    for name in sorted(sco.files):
        _cp(resource, "file").set("href", name)
    return resource


def _serialised(manifest: etree._Element) -> bytes:
    return etree.tostring(manifest, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _programme_manifest(layout: PackageLayout, edition: Edition) -> bytes:
    """A programme's package: one organization whose root item (a cluster that launches
    nothing) holds one item per module, each its own SCO. Flow and choice navigation between
    them; rollup from every module (the default rules: the programme is satisfied and completed
    when every module is). With an order, a precondition disables a module until each module it
    requires is satisfied, read through one global objective per module, which that module's
    primary objective writes. A scored module is satisfied by its score against its pass mark;
    an unscored one by the LMS when its attempt ends unsuspended (objectiveSetByContent false,
    the default), that is once the learner has finished it."""
    programme = layout.programme
    assert programme is not None
    ids = {"manifest": f"MANIFEST-{programme.id}", "org": f"ORG-{programme.id}",
           "root": f"ROOT-{programme.id}", "shared": f"SHARED-{programme.id}"}
    manifest, organizations = _manifest(ids["manifest"], programme.version, edition, ids["org"])
    organization = _cp(organizations, "organization")
    organization.set("identifier", ids["org"])
    # The modules' global objectives belong to this course, not to every course of the LMS.
    organization.set(f"{{{ADLSEQ}}}objectivesGlobalToSystem", "false")
    _cp(organization, "title", programme.title)
    root = _cp(organization, "item")
    root.set("identifier", ids["root"])
    _cp(root, "title", programme.title)
    for sco in layout.scos:
        _programme_item(root, sco, layout.prerequisites(sco), programme.id)
    # Flow (Continue and Previous) and choice (the table of contents), from the organization
    # down to the modules: the organization's own default would allow no flow into the course.
    for cluster in (root, organization):
        sequencing = etree.SubElement(cluster, f"{{{IMSSS}}}sequencing")
        control = etree.SubElement(sequencing, f"{{{IMSSS}}}controlMode")
        control.set("choice", "true")
        control.set("flow", "true")

    resources = _cp(manifest, "resources")
    for sco in layout.scos:
        resource = _sco_resource(resources, f"RES-{sco.id}", sco)
        if layout.shared_files:
            _cp(resource, "dependency").set("identifierref", ids["shared"])
    if layout.shared_files:
        shared = _cp(resources, "resource")
        shared.set("identifier", ids["shared"])
        shared.set("type", "webcontent")
        shared.set(f"{{{ADLCP}}}scormType", "asset")
        for name in sorted(layout.shared_files):
            _cp(shared, "file").set("href", name)
    return _serialised(manifest)


def _global_objective(programme_id: str, module_id: str) -> str:
    return f"urn:elpack:{programme_id}:{module_id}"


def _programme_item(parent: etree._Element, sco: Sco, required: tuple[str, ...],
                    programme_id: str) -> None:
    module = sco.module
    item = _cp(parent, "item")
    item.set("identifier", f"ITEM-{sco.id}")
    item.set("identifierref", f"RES-{sco.id}")
    _cp(item, "title", module.config.title)
    sequencing = etree.SubElement(item, f"{{{IMSSS}}}sequencing")
    if required:
        rules = etree.SubElement(sequencing, f"{{{IMSSS}}}sequencingRules")
        rule = etree.SubElement(rules, f"{{{IMSSS}}}preConditionRule")
        conditions = etree.SubElement(rule, f"{{{IMSSS}}}ruleConditions")
        conditions.set("conditionCombination", "any")
        for module_id in required:
            condition = etree.SubElement(conditions, f"{{{IMSSS}}}ruleCondition")
            condition.set("referencedObjective", f"REQUIRED-{module_id}")
            condition.set("operator", "not")
            condition.set("condition", "satisfied")
        etree.SubElement(rule, f"{{{IMSSS}}}ruleAction").set("action", "disabled")
    objectives = etree.SubElement(sequencing, f"{{{IMSSS}}}objectives")
    primary = _primary_objective(objectives, module)
    written = etree.SubElement(primary, f"{{{IMSSS}}}mapInfo")
    written.set("targetObjectiveID", _global_objective(programme_id, sco.id))
    written.set("readSatisfiedStatus", "false")
    written.set("writeSatisfiedStatus", "true")
    for module_id in required:
        objective = etree.SubElement(objectives, f"{{{IMSSS}}}objective")
        objective.set("objectiveID", f"REQUIRED-{module_id}")
        read = etree.SubElement(objective, f"{{{IMSSS}}}mapInfo")
        read.set("targetObjectiveID", _global_objective(programme_id, module_id))
        read.set("readSatisfiedStatus", "true")
        read.set("writeSatisfiedStatus", "false")
