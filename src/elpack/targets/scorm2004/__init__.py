"""SCORM 2004, 3rd and 4th edition: what ESR (Oracle Learning Management) and many other LMSs
take next to SCORM 1.2. The editions share the run-time API and data model the runtime uses, so
they share one runtime bundle; they differ in the schemas a package carries and the version its
manifest declares."""

from __future__ import annotations

from lxml import etree

from ..base import PackageLayout, Target
from . import manifest, rules
from .manifest import EDITIONS, Edition

# cmi.suspend_data: SCORM 2004 3rd and 4th edition guarantee a SCO 64,000 characters of it (the
# 2nd edition's 4,000 was raised in the 3rd).
SUSPEND_DATA_LIMIT = 64_000


class Scorm2004(Target):
    manifest_file = manifest.MANIFEST_FILE
    saved_state_limit = SUSPEND_DATA_LIMIT
    saved_state_element = "cmi.suspend_data"
    runtime_bundle = "elpack-scorm2004.js"
    builds_programmes = True
    lms_api = "scorm2004"

    def __init__(self, edition: Edition) -> None:
        self.edition = edition
        self.name = f"scorm2004-{edition.name}"
        self.title = f"SCORM 2004 {edition.name} Edition"
        self.file_suffix = self.name

    def control_files(self) -> dict[str, bytes]:
        return rules.control_files(self.edition)

    def build_manifest(self, layout: PackageLayout) -> bytes:
        return manifest.build_manifest(layout, self.edition)

    def recognises(self, root: etree._Element) -> bool:
        return rules.is_edition(root, self.edition)

    def check_manifest(self, root: etree._Element, names: set[str],
                       warnings: list[str] | None = None) -> list[str]:
        return rules.check_manifest(root, names, self.edition, warnings)


def editions() -> list[Scorm2004]:
    """One target per edition, for the registry."""
    return [Scorm2004(edition) for edition in EDITIONS.values()]
