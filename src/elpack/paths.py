"""Safe file names: what a module may reference and what a package may contain."""

from __future__ import annotations

import os.path
import re
import unicodedata
from pathlib import Path, PurePosixPath

# LMSs refuse packages carrying server-side scripts or server configuration.
REFUSED_SUFFIXES = frozenset({
    ".php", ".php3", ".php4", ".php5", ".phtml", ".phar", ".py", ".pyc", ".sh", ".bash", ".cgi",
    ".pl", ".rb", ".asp", ".aspx", ".ascx", ".jsp", ".jspx", ".cfm", ".exe", ".bat", ".cmd",
    ".com", ".dll", ".so", ".ps1", ".vbs", ".jar", ".war",
})
REFUSED_NAMES = frozenset({".htaccess", ".htpasswd", "web.config", ".user.ini", "php.ini"})
# Windows cannot hold these in a file name, so an LMS on Windows cannot unpack them; a ':' also
# makes a browser read "name:rest" as a link type (like "javascript:").
WINDOWS_RESERVED = frozenset('<>:"|?*')
# Fine in a zip, but they break the plain links elpack writes into pages and the manifest:
# '#' and '?' end the path of a URL, '%' starts an escape, and the manifest's schema (anyURI)
# refuses '%', '[' and ']'.
URL_BREAKERS = frozenset("#?%[]")
# Control characters, invisible formatting (such as the right-to-left override that makes
# "gnp.exe" display as "exe.png"), line separators, and undecodable bytes.
INVISIBLE_CATEGORIES = {"Cc": "a control character", "Cf": "an invisible formatting character",
                        "Zl": "a line separator", "Zp": "a paragraph separator",
                        "Cs": "a byte that is not valid UTF-8"}
URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")
MEGABYTE = 1024 * 1024


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
    for char in name:
        kind = INVISIBLE_CATEGORIES.get(unicodedata.category(char))
        if kind:
            return f"contains {kind} (U+{ord(char):04X})"
    reserved = sorted(WINDOWS_RESERVED.intersection(name))
    if reserved:
        return f"contains {' '.join(reserved)}, which Windows does not allow in file names"
    base = parts[-1].lower()
    if base in REFUSED_NAMES or PurePosixPath(base).suffix in REFUSED_SUFFIXES:
        return "is a server-side script or server configuration file, which LMSs reject"
    return None


def _name_key(name: str) -> str:
    """Names that look the same to a person: same letters, any case, any Unicode form."""
    return unicodedata.normalize("NFC", name).casefold()


def case_clashes(names: list[str]) -> list[tuple[str, str]]:
    """Pairs of names that differ only by case or Unicode form (NFC/NFD): they collide on
    Windows and macOS, and look the same to a person."""
    seen: dict[str, str] = {}
    clashes = []
    for name in sorted(names):
        key = _name_key(name)
        if key in seen:
            clashes.append((seen[key], name))
        else:
            seen[key] = name
    return clashes


def megabytes(size: int) -> str:
    return f"{size / MEGABYTE:.1f} MB"


class ModulePaths:
    """Resolves file references written in a module, refusing any that leave its folder.

    ``max_file_mb`` is the module's ``max_media_mb``: a referenced file above it is refused.
    """

    def __init__(self, root: Path, max_file_mb: int | None = None) -> None:
        self.root = root
        self.real_root = root.resolve()
        self.abs_root = Path(os.path.normpath(root.absolute()))
        self.max_file_mb = max_file_mb

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
        if URL_SCHEME.match(reference):
            raise PathRefused("is a web address, not a file in the module",
                              "save the file in the module's media/ folder and write its path, "
                              "e.g. media/picture.png")
        candidates = [self.root / reference]
        if relative_to is not None and relative_to != self.root:
            candidates.insert(0, relative_to / reference)
        try:
            return self._find(reference, candidates)
        except OSError as error:  # e.g. a name too long for the file system
            raise PathRefused(f"cannot be read ({error.strerror or error})",
                              "check the path; it should name a file in media/") from None

    def _find(self, reference: str, candidates: list[Path]) -> str:
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
                if problem and "server" in problem:
                    raise PathRefused(problem, "use a plain file such as an image, a PDF or a video")
                if problem:
                    raise PathRefused(problem, "rename the file, using letters, digits and hyphens")
                breakers = sorted(URL_BREAKERS.intersection(name))
                if breakers:
                    raise PathRefused(f"is a file name with {' '.join(breakers)}, which breaks "
                                      "web links", "rename the file without # ? % [ or ], e.g. "
                                      "with hyphens instead")
                self._check_size(candidate)
                return name
        if outside == len(candidates):
            raise PathRefused("points outside the module folder",
                              "copy the file into the module's media/ folder and use that")
        lookalike = _lookalike(candidates[-1])
        if lookalike:
            raise PathRefused("does not exist", f"the folder has '{lookalike}': write the name "
                              "exactly as the file is named, with the same capitals and accents")
        raise PathRefused("does not exist", "check the spelling, or add the file to media/")

    def _check_size(self, file: Path) -> None:
        if self.max_file_mb is None:
            return
        size = file.stat().st_size
        if size > self.max_file_mb * MEGABYTE:
            raise PathRefused(
                f"is {megabytes(size)}, over the limit of {self.max_file_mb} MB",
                "make the file smaller (for a video, a lower resolution or bit rate), or raise "
                "'max_media_mb' in module.yml")


def _lookalike(path: Path) -> str | None:
    """A file beside ``path`` whose name differs only by case or Unicode form, if any."""
    key = _name_key(path.name)
    try:
        return min((entry.name for entry in path.parent.iterdir()
                    if _name_key(entry.name) == key and entry.name != path.name), default=None)
    except OSError:
        return None
