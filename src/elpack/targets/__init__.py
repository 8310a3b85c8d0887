"""Output targets, registered by name: the standards a module can be packaged for.

A new target is a package under ``targets/`` with a :class:`~elpack.targets.base.Target`
subclass, registered here with :func:`register`. `elpack build --target NAME`, ``targets:`` in
module.yml and `elpack validate` find it through this registry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import PackageLayout, ProgrammeInfo, Sco, Target
from .packaging import declared_version
from .scorm12 import Scorm12
from .scorm2004 import editions as scorm2004_editions

if TYPE_CHECKING:
    from lxml import etree

__all__ = ["DEFAULT_TARGET", "PackageLayout", "ProgrammeInfo", "Sco", "Target", "UnknownTarget",
           "declared_version", "get_target", "known_targets", "register", "target_for_manifest"]

DEFAULT_TARGET = "scorm12"
_TARGETS: dict[str, Target] = {}


class UnknownTarget(LookupError):
    """A target name that no registered target has."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name
        self.known = known_targets()

    def __str__(self) -> str:
        return f"there is no target '{self.name}'; the known targets are {', '.join(self.known)}"


def register(target: Target) -> None:
    """Make ``target`` available by its name (a later registration of the same name wins)."""
    _TARGETS[target.name] = target


def known_targets() -> list[str]:
    return sorted(_TARGETS)


def get_target(name: str) -> Target:
    try:
        return _TARGETS[name]
    except KeyError:
        raise UnknownTarget(name) from None


def target_for_manifest(root: etree._Element) -> Target | None:
    """The target whose rules check a package with this manifest: the first that recognises it;
    None if the manifest declares a version no target knows; else the default (whose schemas
    then say what is wrong)."""
    for name in known_targets():
        if _TARGETS[name].recognises(root):
            return _TARGETS[name]
    if declared_version(root):
        return None
    return _TARGETS[DEFAULT_TARGET]


register(Scorm12())
for _edition in scorm2004_editions():
    register(_edition)
