"""The SCORM 1.2 imsmanifest.xml, built with lxml from the list of files actually produced."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from lxml import etree

from ..base import IMS_MANIFEST, PackageLayout, Sco

if TYPE_CHECKING:
    from ...config import ModuleConfig

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


def _langstring(parent: etree._Element, tag: str, text: str, language: str,
                translations: Sequence[tuple[str, str]] = ()) -> None:
    """``<tag>`` holding ``text`` in ``language``, and each (text, language) of ``translations``
    as a langstring of its own (a bilingual package's)."""
    element = _md(parent, tag)
    for words, lang in [(text, language), *translations]:
        langstring = _md(element, "langstring")
        langstring.set(XML_LANG, lang)
        langstring.text = words


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
    """The manifest for ``layout``: one module as one SCO, or a programme whose modules are
    each a SCO under one root item that launches nothing (see :class:`PackageLayout`)."""
    if layout.programme is not None:
        return _programme_manifest(layout)
    if len(layout.scos) != 1 or layout.shared_files:
        raise ValueError("a package of several SCOs is a programme's: give its layout the programme")
    sco = layout.scos[0]
    module = sco.module
    config = module.config
    ids = identifiers(config.id)
    manifest = _manifest(ids["manifest"], config.version)
    _metadata(manifest, config.title, config.description, config.version, config.language,
              config.keywords, config.duration_minutes, config.audience, layout.translations)
    organization = _organization(manifest, ids["organization"], layout.title)
    _sco_item(organization, sco, (), layout.title)
    resources = etree.SubElement(manifest, _cp("resources"))
    _sco_resource(resources, sco, None)
    return _serialise(manifest)


def _programme_manifest(layout: PackageLayout) -> bytes:
    programme = layout.programme
    assert programme is not None
    ids = programme_identifiers(programme.id)
    manifest = _manifest(ids["manifest"], programme.version)
    _metadata(manifest, programme.title, programme.description, programme.version,
              programme.language, [], programme.duration_minutes, list(programme.audience))
    organization = _organization(manifest, ids["organization"], programme.title)
    # One item that launches nothing holds every SCO: LMSs then show one course with one entry
    # per module, and Moodle's Previous/Next move between them.
    root = etree.SubElement(organization, _cp("item"))
    root.set("identifier", ids["root"])
    root.set("isvisible", "true")
    etree.SubElement(root, _cp("title")).text = programme.title
    for sco in layout.scos:
        _sco_item(root, sco, layout.prerequisites(sco))
    resources = etree.SubElement(manifest, _cp("resources"))
    shared = ids["shared"] if layout.shared_files else None
    for sco in layout.scos:
        _sco_resource(resources, sco, shared)
    if shared is not None:
        resource = etree.SubElement(resources, _cp("resource"))
        resource.set("identifier", shared)
        resource.set("type", "webcontent")
        resource.set(f"{{{ADLCP}}}scormtype", "asset")
        for name in sorted(layout.shared_files):
            etree.SubElement(resource, _cp("file")).set("href", name)
    return _serialise(manifest)


def programme_identifiers(programme_id: str) -> dict[str, str]:
    """Identifiers of a programme package's own elements; its modules keep theirs
    (:func:`identifiers`), and no prefix here is one a module's identifiers use."""
    return {
        "manifest": f"MANIFEST-{programme_id}",
        "organization": f"ORG-{programme_id}",
        "root": f"ROOT-{programme_id}",
        "shared": f"SHARED-{programme_id}",
    }


def _manifest(identifier: str, version: str) -> etree._Element:
    # lxml takes None as the key of the default namespace; lxml-stubs does not say so.
    manifest = etree.Element(_cp("manifest"), nsmap=NAMESPACES)  # type: ignore[arg-type]
    manifest.set("identifier", identifier)
    manifest.set("version", version)
    manifest.set(f"{{{XSI}}}schemaLocation",
                 " ".join(f"{ns} {name}" for ns, name in CONTROL_FILES.items()))
    return manifest


def _metadata(manifest: etree._Element, title: str, description: str, version: str,
              language: str, keywords: list[str], duration_minutes: int,
              audience: list[str], translations: Sequence[ModuleConfig] = ()) -> None:
    metadata = etree.SubElement(manifest, _cp("metadata"))
    etree.SubElement(metadata, _cp("schema")).text = "ADL SCORM"
    etree.SubElement(metadata, _cp("schemaversion")).text = "1.2"
    lom = _md(metadata, "lom")
    general = _md(lom, "general")
    _langstring(general, "title", title, language,
                [(other.title, other.language) for other in translations])
    for tag in [language, *(other.language for other in translations)]:
        _md(general, "language").text = tag
    _langstring(general, "description", description, language,
                [(other.description, other.language) for other in translations])
    for index, keyword in enumerate(keywords):
        _langstring(general, "keyword", keyword, language,
                    [(other.keywords[index], other.language) for other in translations
                     if index < len(other.keywords)])
    lifecycle = _md(lom, "lifecycle")
    _langstring(lifecycle, "version", version, language)
    technical = _md(lom, "technical")
    _md(technical, "format").text = "text/html"
    educational = _md(lom, "educational")
    learning_time = _md(educational, "typicallearningtime")
    _md(learning_time, "datetime").text = iso_duration(duration_minutes)
    if audience:
        _langstring(educational, "description", "Audience: " + ", ".join(audience), language)
    for tag in [language, *(other.language for other in translations)]:
        _md(educational, "language").text = tag


def _organization(manifest: etree._Element, identifier: str, title: str) -> etree._Element:
    organizations = etree.SubElement(manifest, _cp("organizations"))
    organizations.set("default", identifier)
    organization = etree.SubElement(organizations, _cp("organization"))
    organization.set("identifier", identifier)
    organization.set("structure", "hierarchical")
    etree.SubElement(organization, _cp("title")).text = title
    return organization


def _sco_item(parent: etree._Element, sco: Sco, prerequisites: tuple[str, ...],
              title: str | None = None) -> None:
    module = sco.module
    config = module.config
    ids = identifiers(config.id)
    item = etree.SubElement(parent, _cp("item"))
    item.set("identifier", ids["item"])
    item.set("identifierref", ids["resource"])
    item.set("isvisible", "true")
    etree.SubElement(item, _cp("title")).text = title or config.title
    if prerequisites:
        # AICC script: the items that must be completed or passed first, joined by '&' (and).
        required = etree.SubElement(item, f"{{{ADLCP}}}prerequisites")
        required.set("type", "aicc_script")
        required.text = "&".join(identifiers(sco_id)["item"] for sco_id in prerequisites)
    if module.is_scored:
        # Moodle and others override lesson_status from this, so it must equal the pass mark.
        etree.SubElement(item, f"{{{ADLCP}}}masteryscore").text = str(config.pass_mark)


def _sco_resource(resources: etree._Element, sco: Sco, shared: str | None) -> None:
    ids = identifiers(sco.id)
    resource = etree.SubElement(resources, _cp("resource"))
    resource.set("identifier", ids["resource"])
    resource.set("type", "webcontent")
    resource.set(f"{{{ADLCP}}}scormtype", "sco")
    resource.set("href", sco.launch)
    for name in sorted(sco.files):
        etree.SubElement(resource, _cp("file")).set("href", name)
    if shared is not None:
        etree.SubElement(resource, _cp("dependency")).set("identifierref", shared)


def _serialise(manifest: etree._Element) -> bytes:
    return etree.tostring(manifest, xml_declaration=True, encoding="UTF-8", pretty_print=True)
