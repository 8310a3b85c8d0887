"""SCORM 1.2: the standard the NHS Learning Hub takes, and elpack's default target."""

from __future__ import annotations

from lxml import etree

from ..base import PackageLayout, Target
from . import manifest, rules

# cmi.suspend_data: SCORM 1.2 guarantees a SCO 4096 characters of it.
SUSPEND_DATA_LIMIT = 4096


class Scorm12(Target):
    name = "scorm12"
    title = "SCORM 1.2"
    file_suffix = "scorm12"
    manifest_file = manifest.MANIFEST_FILE
    saved_state_limit = SUSPEND_DATA_LIMIT
    saved_state_element = "cmi.suspend_data"
    runtime_bundle = "elpack-scorm12.js"
    lms_api = "scorm12"
    builds_programmes = True

    def control_files(self) -> dict[str, bytes]:
        return rules.control_files()

    def build_manifest(self, layout: PackageLayout) -> bytes:
        return manifest.build_manifest(layout)

    def recognises(self, root: etree._Element) -> bool:
        return rules.is_scorm12(root)

    def check_manifest(self, root: etree._Element, names: set[str],
                       warnings: list[str] | None = None) -> list[str]:
        return rules.check_manifest(root, names, warnings)
