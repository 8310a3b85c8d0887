"""What every output target provides: the interface the pipeline and `elpack validate` call.

A target is one packaging standard (SCORM 1.2 today; SCORM 2004, cmi5 and a plain web export
next). Everything that standard names lives in its own package under ``targets/``: the manifest
and its namespaces, the control files, the validation rules, the limit on saved learner state
and the runtime bundle the package carries. Nothing outside that package knows those names.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml import etree

    from ..config import ModuleConfig
    from ..model import Module

# The IMS content-packaging manifest that SCORM 1.2 and 2004 packages carry at their root.
IMS_MANIFEST = "imsmanifest.xml"


@dataclass(frozen=True)
class Sco:
    """One launchable unit of a package: a module, the page the LMS launches, and the files it
    uses (package paths). A single-module package has one; a programme package has one per
    module, and the files they share go in ``PackageLayout.shared_files``. ``prerequisites``
    are the ids of the modules (SCOs) a learner must finish before this one."""

    module: Module
    launch: str
    files: tuple[str, ...]
    prerequisites: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return self.module.config.id


@dataclass(frozen=True)
class PackageLayout:
    """What a manifest describes: the package's identifier and title, its SCOs in the order the
    LMS shows them, and the files every SCO shares (stored once, listed in one asset resource
    that each SCO's resource depends on). ``title`` and ``language`` describe the whole
    package: the module's for a single module, the programme's for a programme package.

    A programme package (``programme`` is set) puts every SCO under one item that launches
    nothing, so that LMSs show one course with one entry per module and move between them
    (Moodle's Previous/Next need it). Each SCO tracks itself: its own status, score and saved
    state. With ``sequential``, each SCO opens only once the one before it is finished;
    ``Sco.prerequisites`` also names those a module requires by name."""

    identifier: str
    title: str
    language: str
    scos: tuple[Sco, ...]
    shared_files: tuple[str, ...] = ()
    programme: ProgrammeInfo | None = None
    sequential: bool = False
    # A bilingual package: the module's settings in its other language, whose title,
    # description and keywords the manifest gives too. Its title is then both titles.
    translations: tuple[ModuleConfig, ...] = ()

    @classmethod
    def single(cls, module: Module, launch: str, files: list[str],
               translations: Sequence[ModuleConfig] = ()) -> PackageLayout:
        """The layout of a package that delivers one module as one SCO (in one language, or
        bilingual with the module's ``translations``)."""
        config = module.config
        title = " / ".join(dict.fromkeys([config.title, *(t.title for t in translations)]))
        return cls(config.id, title, config.language,
                   (Sco(module, launch, tuple(sorted(files))),), translations=tuple(translations))

    def prerequisites(self, sco: Sco) -> tuple[str, ...]:
        """The ids of the SCOs a learner finishes before ``sco``: the one before it when the
        order is sequential, and those it requires by name."""
        index = self.scos.index(sco)
        earlier = (self.scos[index - 1].id,) if self.sequential and index else ()
        return tuple(dict.fromkeys((*earlier, *sco.prerequisites)))


@dataclass(frozen=True)
class ProgrammeInfo:
    """What a programme package's manifest says about the programme as a whole."""

    id: str
    title: str
    description: str
    version: str
    language: str
    audience: tuple[str, ...] = ()
    duration_minutes: int = 0  # of all its modules


class Target(ABC):
    """One output standard. Subclasses set the class attributes and implement the methods; an
    instance is registered by name in :mod:`elpack.targets`."""

    name: str  # what `--target` and `targets:` in module.yml say, e.g. "scorm12"
    title: str  # what messages call it, e.g. "SCORM 1.2"
    file_suffix: str  # the zip is "<id>-<file_suffix>.zip"
    manifest_file: str  # the package's manifest, at its root
    saved_state_limit: int  # characters of saved learner state the standard guarantees
    saved_state_element: str  # where the runtime keeps that state, for messages
    runtime_bundle: str  # the runtime file (in elpack/runtime/) this target ships
    lms_api: str  # the LMS the preview simulates for it: a standard simulator.js knows
    # Whether build_manifest() takes a programme's layout (several SCOs, shared files); a target
    # that does not is refused for `--multi-sco` with a clear message.
    builds_programmes: bool = False

    def package_name(self, package_id: str) -> str:
        return f"{package_id}-{self.file_suffix}.zip"

    @abstractmethod
    def control_files(self) -> dict[str, bytes]:
        """Files every package of this target carries as they are (schemas), by package path."""

    @abstractmethod
    def build_manifest(self, layout: PackageLayout) -> bytes:
        """The manifest for ``layout``, whose file lists are the files actually written."""

    @abstractmethod
    def recognises(self, manifest: etree._Element) -> bool:
        """Whether a parsed manifest says it is a package of this target (for `elpack validate`)."""

    @abstractmethod
    def check_manifest(self, manifest: etree._Element, names: set[str],
                       warnings: list[str] | None = None) -> list[str]:
        """Every problem with a parsed manifest (official schemas, then the rules they cannot
        express) in a package holding the entries ``names``. Given a ``warnings`` list (a package
        another tool made), what the standard recommends but does not require goes there
        instead of being an error."""
