"""In-memory builds of the modules being previewed: the real pipeline's build(), never a zip."""

from __future__ import annotations

import hashlib
import re
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..config import load_config
from ..errors import BuildError, ElpackError, Problems
from ..pipeline import BuildResult, build_all, build_checked, load_checked_module
from ..programme import PROGRAMME_FILE, programme_of
from ..targets import Target
from ..theme import load_theme, theme_search_path


@dataclass(frozen=True)
class PageEntry:
    """A page of the module as the "Jump to page" list shows it."""

    id: str
    title: str
    branch: bool


@dataclass(frozen=True)
class PreviewBuild:
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
    mastery_score: str | None = None  # the pass mark (0-100) the simulated LMS hands over
    lms: str = ""  # the standard the simulator plays (the target's lms_api)
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
    result: PreviewBuild | None = None
    theme_layers: list[Path] = field(default_factory=list)
    theme_search: list[Path] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    language: str | None = None  # a translation (translations/<language>.xlf); None: its own
    target: Target | None = None  # the package previewed (elpack preview --target); None: the first

    @property
    def display_name(self) -> str:
        """The folder as the writer named it, as `elpack build` shows it (and the language of a
        translation)."""
        return f"{self.root} ({self.language})" if self.language else str(self.root)

    def rebuild(self) -> PreviewBuild:
        """Build the module in memory and keep the result; never raises for a broken module."""
        with self._lock:  # the watcher and a programmatic caller may ask at the same time
            previous = self.result
            start = time.perf_counter()
            try:
                # The target asked for, else the first target module.yml names (else the
                # default): what the writer publishes first is what they try. A translation in
                # the making is previewed with its English where it has none.
                checked = load_checked_module(self.root, None if self.target is None else
                                              [self.target], language=self.language,
                                              allow_untranslated=self.language is not None)
                if self.language is None and checked.module.config.bilingual:
                    # The package learners get: both languages, the choice and the switch.
                    built = build_all(self.root, [checked.targets[0]],
                                      allow_untranslated=True)[0]
                else:
                    built = build_checked(self.root, checked, checked.targets[0])
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
                self.theme_layers = list(checked.theme.layers)
            self.result = result
            return result

    def _version(self, previous: PreviewBuild | None) -> int:
        return previous.version + 1 if previous else 1

    def _succeeded(self, previous: PreviewBuild | None, start: float, built: BuildResult,
                   ) -> PreviewBuild:
        module = built.module
        return PreviewBuild(
            version=self._version(previous),
            ok=True,
            files=built.files,
            title=module.config.title,
            pages=tuple(PageEntry(p.id, p.title, p.branch) for p in module.pages),
            structure_hash=built.runtime_data["hash"],
            content_hash=content_hash(built.files),
            # What the LMS gives the runtime at launch: the manifest's mastery score.
            mastery_score=str(module.config.pass_mark) if module.is_scored else None,
            lms=built.target.lms_api,
            warnings=tuple(map(str, built.warnings)),
            seconds=time.perf_counter() - start,
        )

    def _failed(self, previous: PreviewBuild | None, start: float, summary: str,
                problems: list[str], severities: list[str] | None = None) -> PreviewBuild:
        last_good = previous or PreviewBuild(version=0, ok=False, files={}, title=self.root.name)
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
            if self.result is not None and self.result.ok:
                return  # rebuild() kept the folders of the theme the build loaded
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
        programme = programme_of(self.root)
        if programme is not None and path == (programme / PROGRAMME_FILE).resolve():
            return True  # what the module inherits
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
