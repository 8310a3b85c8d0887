"""In-memory builds of the modules being previewed: the real build_package(), never a zip."""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from lxml import etree

from ..commands.build import Built, build_package
from ..config import load_config
from ..errors import BuildError, ElpackError, Problems
from ..manifest import ADLCP, MANIFEST_FILE
from ..render import LAUNCH_FILE
from ..theme import load_theme, theme_search_path

_RUNTIME_DATA = re.compile(rb'<script type="application/json" id="elpack-data">(.*?)</script>', re.DOTALL)


@dataclass(frozen=True)
class PageEntry:
    """A page of the module as the "Jump to page" list shows it."""

    id: str
    title: str
    branch: bool


@dataclass(frozen=True)
class BuildResult:
    """The outcome of one build of one module, as the preview serves it.

    A failed build keeps the files, title and pages of the last good build, so the page in the
    simulator (and the media it still loads) keeps working under the error overlay.
    """

    version: int  # counts builds of this module, starting at 1
    ok: bool
    files: dict[str, bytes]
    title: str
    pages: tuple[PageEntry, ...] = ()
    structure_hash: str = ""  # the runtime data's "hash": pages, questions and answers
    content_hash: str = ""  # every byte of the package
    mastery_score: str | None = None
    summary: str = ""  # "2 errors, 1 warning: the package was not built", as the CLI prints it
    problems: tuple[str, ...] = ()  # str(problem) for each problem, as the CLI prints them
    severities: tuple[str, ...] = ()  # "error" or "warning", for each of the problems
    warnings: tuple[str, ...] = ()
    seconds: float = 0.0

    @property
    def has_package(self) -> bool:
        return bool(self.files)


@dataclass
class PreviewModule:
    """One module folder being previewed, with its latest build."""

    root: Path
    slug: str  # the module's part of the preview's URLs: /m/<slug>/
    result: BuildResult | None = None
    theme_layers: list[Path] = field(default_factory=list)
    theme_search: list[Path] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def display_name(self) -> str:
        """The folder as the writer named it, as `elpack build` shows it."""
        return str(self.root)

    def rebuild(self) -> BuildResult:
        """Build the module in memory and keep the result; never raises for a broken module."""
        with self._lock:  # the watcher and a programmatic caller may ask at the same time
            previous = self.result
            start = time.perf_counter()
            try:
                built = build_package(self.root)
            except BuildError as error:
                result = self._failed(previous, start, error.summary, [str(p) for p in error.problems],
                                      [p.severity for p in error.problems])
            except ElpackError as error:  # PackageInvalid: a summary line, then one line per problem
                summary, *lines = error.format_message().splitlines() or ["the build failed"]
                result = self._failed(previous, start, summary, lines)
            except Exception as error:  # a bug in elpack or a theme: keep serving, say what happened
                result = self._failed(previous, start, "elpack failed unexpectedly while building "
                                      "this module", [f"{type(error).__name__}: {error}"])
            else:
                result = self._succeeded(previous, start, built)
            self.result = result
            return result

    def _version(self, previous: BuildResult | None) -> int:
        return previous.version + 1 if previous else 1

    def _succeeded(self, previous: BuildResult | None, start: float, built: Built) -> BuildResult:
        module = built.module
        return BuildResult(
            version=self._version(previous),
            ok=True,
            files=built.files,
            title=module.config.title,
            pages=tuple(PageEntry(p.id, p.title, p.branch) for p in module.pages),
            structure_hash=structure_hash(built.files.get(LAUNCH_FILE, b"")),
            content_hash=content_hash(built.files),
            mastery_score=mastery_score(built.files.get(MANIFEST_FILE)),
            warnings=tuple(map(str, built.warnings)),
            seconds=time.perf_counter() - start,
        )

    def _failed(self, previous: BuildResult | None, start: float, summary: str,
                problems: list[str], severities: list[str] | None = None) -> BuildResult:
        last_good = previous or BuildResult(version=0, ok=False, files={}, title=self.root.name)
        return replace(last_good, version=self._version(previous), ok=False, summary=summary,
                       problems=tuple(problems),
                       severities=tuple(severities or ["error"] * len(problems)), warnings=(),
                       seconds=time.perf_counter() - start)

    def find_theme_folders(self) -> None:
        """Remember which theme folders this module uses, so that the watcher can tell which
        modules a change to a theme file affects. A module whose module.yml cannot be read keeps
        the folders it had. (Separate from rebuild(): the page need not wait for it.)"""
        try:
            self.theme_search = theme_search_path(self.root)
            problems = Problems(self.root)
            config = load_config(self.root, problems)
            theme = load_theme(config, problems) if config else None
        except Exception:  # whatever broke is in the build's problems already; keep what we had
            return
        if theme is not None:
            self.theme_layers = list(theme.layers)

    def uses(self, path: Path) -> bool:
        """Whether a change to ``path`` can change this module's package."""
        if _inside(path, self.root.resolve()) or any(_inside(path, layer.resolve())
                                                     for layer in self.theme_layers):
            return True
        # A new or fixed theme folder can mend a module that failed ("there is no theme 'x'").
        failed = self.result is None or not self.result.ok
        return failed and any(_inside(path, folder.resolve()) for folder in self.theme_search)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def content_hash(files: dict[str, bytes]) -> str:
    """A short hash of every file name and byte of a package."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return digest.hexdigest()[:16]


def structure_hash(index_html: bytes) -> str:
    """The "hash" of the runtime data in a package's index.html: it changes when pages,
    questions or answers do, not when only wording does. Read from the page, as the runtime reads
    it; without runtime data, the hash of the whole page (every change then counts)."""
    found = _RUNTIME_DATA.search(index_html)
    if found:
        try:
            value = json.loads(found.group(1)).get("hash")
        except (ValueError, AttributeError):
            value = None
        if isinstance(value, str) and value:
            return value
    return hashlib.sha256(index_html).hexdigest()[:12]


def mastery_score(manifest: bytes | None) -> str | None:
    """The first adlcp:masteryscore of a manifest, as an LMS would read it at launch."""
    if not manifest:
        return None
    score = etree.fromstring(manifest).find(f".//{{{ADLCP}}}masteryscore")
    return score.text.strip() if score is not None and score.text else None


def module_slugs(roots: list[Path]) -> list[str]:
    """URL-safe, unique names for module folders: the folder name, numbered if repeated."""
    slugs: list[str] = []
    for root in roots:
        base = re.sub(r"[^A-Za-z0-9_-]+", "-", root.resolve().name).strip("-") or "module"
        slug, number = base, 2
        while slug in slugs:
            slug, number = f"{base}-{number}", number + 1
        slugs.append(slug)
    return slugs
