"""Safe file names: what a module may reference and what a package may contain."""

from __future__ import annotations

import os.path
from pathlib import Path, PurePosixPath

# LMSs refuse packages carrying server-side scripts or server configuration.
REFUSED_SUFFIXES = frozenset({
    ".php", ".php3", ".php4", ".php5", ".phtml", ".phar", ".py", ".pyc", ".sh", ".bash", ".cgi",
    ".pl", ".rb", ".asp", ".aspx", ".ascx", ".jsp", ".jspx", ".cfm", ".exe", ".bat", ".cmd",
    ".com", ".dll", ".so", ".ps1", ".vbs", ".jar", ".war",
})
REFUSED_NAMES = frozenset({".htaccess", ".htpasswd", "web.config", ".user.ini", "php.ini"})


class PathRefused(Exception):
    """A file reference that cannot go into a package; the message says why."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


def package_name_problem(name: str) -> str | None:
    """Why ``name`` may not be a file name inside a package, or None if it is fine."""
    if not name:
        return "is empty"
    if "\\" in name:
        return "contains a backslash"
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "is an absolute path"
    parts = PurePosixPath(name).parts
    if ".." in parts or "." in parts:
        return "contains '..' or '.'"
    if any(ord(c) < 32 for c in name):
        return "contains a control character"
    base = parts[-1].lower()
    if base in REFUSED_NAMES or PurePosixPath(base).suffix in REFUSED_SUFFIXES:
        return "is a server-side script or server configuration file, which LMSs reject"
    return None


def case_clashes(names: list[str]) -> list[tuple[str, str]]:
    """Pairs of names that differ only by case (they collide on Windows and macOS)."""
    seen: dict[str, str] = {}
    clashes = []
    for name in sorted(names):
        key = name.casefold()
        if key in seen:
            clashes.append((seen[key], name))
        else:
            seen[key] = name
    return clashes


class ModulePaths:
    """Resolves file references written in a module, refusing any that leave its folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.real_root = root.resolve()
        self.abs_root = Path(os.path.normpath(root.absolute()))

    def resolve(self, reference: str, relative_to: Path | None = None) -> str:
        """The module-relative POSIX path of ``reference``, which must be a file in the module.

        References are written relative to the module folder (``media/x.png``); a reference
        relative to the page's own folder (``../media/x.png``) also works, because that is what
        Markdown editors preview.
        """
        if not reference:
            raise PathRefused("is empty", "write the path of a file in the module's media/ folder")
        if "\\" in reference:
            raise PathRefused("uses backslashes", "use forward slashes: media/picture.png")
        if reference.startswith("/") or (len(reference) > 1 and reference[1] == ":"):
            raise PathRefused("is an absolute path",
                              "write it relative to the module folder, e.g. media/picture.png")
        candidates = [self.root / reference]
        if relative_to is not None and relative_to != self.root:
            candidates.insert(0, relative_to / reference)
        outside = 0
        for candidate in candidates:
            lexical = Path(os.path.normpath(candidate.absolute()))
            if not lexical.is_relative_to(self.abs_root):
                outside += 1
                continue
            if candidate.exists() and not candidate.resolve().is_relative_to(self.real_root):
                raise PathRefused("is a link to a file outside the module folder",
                                  "copy the file itself into the module's media/ folder")
            if candidate.is_file():
                name = PurePosixPath(*lexical.relative_to(self.abs_root).parts).as_posix()
                problem = package_name_problem(name)
                if problem:
                    raise PathRefused(problem, "use a plain file such as an image, a PDF or a video")
                return name
        if outside == len(candidates):
            raise PathRefused("points outside the module folder",
                              "copy the file into the module's media/ folder and use that")
        raise PathRefused("does not exist", "check the spelling, or add the file to media/")
