"""The SCORM 1.2 imsmanifest.xml, built with lxml from the list of files actually produced."""

from __future__ import annotations

from lxml import etree

from ..base import IMS_MANIFEST, PackageLayout

IMSCP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
IMSMD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NAMESPACES = {None: IMSCP, "adlcp": ADLCP, "imsmd": IMSMD, "xsi": XSI}
# The control files every SCORM 1.2 package carries at its root, by namespace.
CONTROL_FILES = {
    IMSCP: "imscp_rootv1p1p2.xsd",
    IMSMD: "imsmd_rootv1p2p1.xsd",
    ADLCP: "adlcp_rootv1p2.xsd",
}
SCHEMA_FILES = (*CONTROL_FILES.values(), "ims_xml.xsd")
MANIFEST_FILE = IMS_MANIFEST


def _cp(tag: str) -> str:
    return f"{{{IMSCP}}}{tag}"


def _md(parent: etree._Element, tag: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{IMSMD}}}{tag}")


def _langstring(parent: etree._Element, tag: str, text: str, language: str) -> None:
    element = _md(parent, tag)
    langstring = _md(element, "langstring")
    langstring.set(XML_LANG, language)
    langstring.text = text


def iso_duration(minutes: int) -> str:
    hours, minutes = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes or not hours else "")


def identifiers(module_id: str) -> dict[str, str]:
    """Manifest identifiers derived from the module id only, so rebuilds keep them."""
    return {
        "manifest": f"MANIFEST-{module_id}",
        "organization": f"ORG-{module_id}",
        "item": f"ITEM-{module_id}",
        "resource": f"RES-{module_id}",
    }


def build_manifest(layout: PackageLayout) -> bytes:
    """The manifest for a package of one SCO whose content (non-control) files are listed in
    ``layout``."""
    if len(layout.scos) != 1 or layout.shared_files:
        raise NotImplementedError("SCORM 1.2 packages of several SCOs are not built yet")
    sco = layout.scos[0]
    module = sco.module
    config = module.config
    ids = identifiers(config.id)
    language = config.language
    # lxml takes None as the key of the default namespace; lxml-stubs does not say so.
    manifest = etree.Element(_cp("manifest"), nsmap=NAMESPACES)  # type: ignore[arg-type]
    manifest.set("identifier", ids["manifest"])
    manifest.set("version", config.version)
    manifest.set(f"{{{XSI}}}schemaLocation",
                 " ".join(f"{ns} {name}" for ns, name in CONTROL_FILES.items()))

    metadata = etree.SubElement(manifest, _cp("metadata"))
    etree.SubElement(metadata, _cp("schema")).text = "ADL SCORM"
    etree.SubElement(metadata, _cp("schemaversion")).text = "1.2"
    lom = _md(metadata, "lom")
    general = _md(lom, "general")
    _langstring(general, "title", config.title, language)
    _md(general, "language").text = language
    _langstring(general, "description", config.description, language)
    for keyword in config.keywords:
        _langstring(general, "keyword", keyword, language)
    lifecycle = _md(lom, "lifecycle")
    _langstring(lifecycle, "version", config.version, language)
    technical = _md(lom, "technical")
    _md(technical, "format").text = "text/html"
    educational = _md(lom, "educational")
    learning_time = _md(educational, "typicallearningtime")
    _md(learning_time, "datetime").text = iso_duration(config.duration_minutes)
    if config.audience:
        _langstring(educational, "description", "Audience: " + ", ".join(config.audience),
                    language)
    _md(educational, "language").text = language

    organizations = etree.SubElement(manifest, _cp("organizations"))
    organizations.set("default", ids["organization"])
    organization = etree.SubElement(organizations, _cp("organization"))
    organization.set("identifier", ids["organization"])
    organization.set("structure", "hierarchical")
    etree.SubElement(organization, _cp("title")).text = config.title
    item = etree.SubElement(organization, _cp("item"))
    item.set("identifier", ids["item"])
    item.set("identifierref", ids["resource"])
    item.set("isvisible", "true")
    etree.SubElement(item, _cp("title")).text = config.title
    if module.is_scored:
        # Moodle and others override lesson_status from this, so it must equal the pass mark.
        etree.SubElement(item, f"{{{ADLCP}}}masteryscore").text = str(config.pass_mark)

    resources = etree.SubElement(manifest, _cp("resources"))
    resource = etree.SubElement(resources, _cp("resource"))
    resource.set("identifier", ids["resource"])
    resource.set("type", "webcontent")
    resource.set(f"{{{ADLCP}}}scormtype", "sco")
    resource.set("href", sco.launch)
    for name in sorted(sco.files):
        etree.SubElement(resource, _cp("file")).set("href", name)

    return etree.tostring(manifest, xml_declaration=True, encoding="UTF-8", pretty_print=True)
