"""Incremental builds: a key over everything a module's packages are made from, and the record
of the keys each output folder's packages were built from (``.elpack-cache.json``)."""

from __future__ import annotations

import hashlib
import json
import os
import sys
import zlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from . import __version__
from .config import ModuleConfig, load_config
from .errors import Problem, Problems
from .model import Module
from .package import write_atomic, zip_timestamp
from .programme import ProgrammeConfig
from .theme import MODULE_OVERRIDES, load_theme, theme_search_path

CACHE_FILE = ".elpack-cache.json"
CACHE_FORMAT = 2
# Libraries whose version can change the bytes of a package.
OUTPUT_LIBRARIES = ("Jinja2", "lxml", "Markdown", "MarkupSafe", "nh3", "PyYAML")
# elpack's own files: code, runtime, schemas (and the built-in themes, once installed).
ELPACK_DIR = Path(__file__).resolve().parent


def read_config_or_none(root: Path, programme: ProgrammeConfig | None = None,
                        ) -> ModuleConfig | None:
    """The module's settings (inheriting from ``programme`` if given, else from the programme
    it is in), or None if they have errors (its build reports them)."""
    problems = Problems(root)
    config = load_config(root, problems, programme) if root.is_dir() else None
    return None if problems.errors else config



def build_key(root: Path, output: Path | None = None,
              targets: Sequence[str] | None = None) -> str | None:
    """sha256 over everything a module's package is made from, or None if that is unknown.

    The key covers the module folder's files (relative paths and bytes; not times, which change
    on checkout and copy), the files of every layer of its theme, elpack's own files (its code,
    runtime, schemas and built-in themes: its version number alone does not change while it is
    developed), the versions of Python and the libraries that shape the output, and the build
    options (the targets asked for, the zip entry time from SOURCE_DATE_EPOCH). A module whose
    module.yml or theme cannot be read has no key and is always built, so that its problems are
    shown.
    """
    return BuildKeys(output, targets).key(root, read_config_or_none(root))


class BuildKeys:
    """Keys of many modules; each theme is resolved and hashed once, not once per module."""

    def __init__(self, output: Path | None, targets: Sequence[str] | None = None,
                 languages: Sequence[str] | None = None, allow_untranslated: bool = False) -> None:
        self.skip = output.resolve() if output is not None else None  # -o inside a module
        self.targets = list(targets) if targets else None  # None: module.yml says (hashed there)
        self.languages = list(languages) if languages else None
        self.allow_untranslated = allow_untranslated
        self.themes: dict[tuple[str, tuple[Path, ...]], list[str] | None] = {}

    def key(self, root: Path, config: ModuleConfig | None) -> str | None:
        if config is None:
            return None
        theme = self._theme_digests(config)
        if theme is None:
            return None
        digest = hashlib.sha256(_environment_key().encode())
        digest.update(json.dumps({"zip_time": zip_timestamp(), "theme": theme,
                                  "targets": self.targets, "languages": self.languages,
                                  "allow_untranslated": self.allow_untranslated}).encode())
        _hash_folder(digest, "module", root, self.skip)  # with its own theme/ overrides
        if config.programme is not None:  # what the module inherits
            digest.update(b"programme\0" + config.programme.path.read_bytes())
        return digest.hexdigest()

    def _theme_digests(self, config: ModuleConfig) -> list[str] | None:
        """A digest of each layer of the module's theme, from the theme to its last parent."""
        search = (config.theme, tuple(theme_search_path(config.root)))
        if search not in self.themes:
            problems = Problems(config.root)
            theme = load_theme(config, problems)
            overrides = config.root / MODULE_OVERRIDES
            self.themes[search] = None if theme is None or problems.errors else [
                _folder_digest(layer, self.skip) for layer in theme.layers if layer != overrides]
        return self.themes[search]


def _folder_digest(folder: Path, skip: Path | None) -> str:
    digest = hashlib.sha256()
    _hash_folder(digest, "folder", folder, skip)
    return digest.hexdigest()


@cache
def _environment_key(package_dir: Path = ELPACK_DIR) -> str:
    """What every package of this elpack installation depends on, hashed once per process."""
    digest = hashlib.sha256()
    _hash_folder(digest, "elpack", package_dir, None)
    libraries = {}
    for name in OUTPUT_LIBRARIES:
        try:
            libraries[name] = version(name)
        except PackageNotFoundError:
            libraries[name] = "unknown"
    facts = {"format": CACHE_FORMAT, "elpack": __version__, "python": sys.version,
             "zlib": zlib.ZLIB_RUNTIME_VERSION, "libraries": libraries}
    digest.update(json.dumps(facts, sort_keys=True).encode())
    return digest.hexdigest()


def _hash_folder(digest: hashlib._Hash, label: str, folder: Path, skip: Path | None) -> None:
    """Add every file under ``folder`` to ``digest``: its relative path, then its bytes."""
    entries: list[tuple[str, Path]] = []
    walked: set[str] = set()  # real paths, so that a link back up the tree is not walked for ever
    # Into linked folders too: Jinja reads templates through them, so their files are inputs.
    for parent, folders, files in os.walk(folder, followlinks=True):
        here = Path(parent)
        real = os.path.realpath(here)
        if real in walked:
            folders[:] = []  # a cycle, or a second way to the same files: they already count
            continue
        walked.add(real)
        # Sorted: which of two ways to the same folder is walked must not depend on disk order.
        folders[:] = sorted(f for f in folders
                            if f != "__pycache__" and (here / f).resolve() != skip)
        # Where a linked folder points counts too, as its "not a file" entry below.
        linked = [f for f in folders if (here / f).is_symlink()]
        entries.extend(((here / f).relative_to(folder).as_posix(), here / f)
                       for f in [*files, *linked])
    for name, path in sorted(entries):
        try:
            content = path.read_bytes()
        except OSError:  # a linked folder or a dangling link: where it points is what counts
            content = b"not a file: " + os.fsencode(os.readlink(path) if path.is_symlink() else "")
        # Lengths first, so that no two different trees can give the same stream of bytes.
        header = f"{label}\0{name}\0{len(content)}\0"
        digest.update(header.encode("utf-8", "surrogateescape"))
        digest.update(content)


@dataclass(frozen=True)
class WrittenPackage:
    """One package file a build wrote (or found unchanged), with its size and sha256."""

    path: Path
    size: int
    sha256: str


@dataclass(frozen=True)
class ModuleSummary:
    """What an LMS administrator reads about a module in a programme's catalogue."""

    id: str
    title: str
    duration_minutes: int
    objectives: tuple[str, ...]
    audience: tuple[str, ...]
    pass_mark: int | None  # None: the module has no assessment

    @classmethod
    def of(cls, module: Module) -> ModuleSummary:
        config = module.config
        return cls(config.id, config.title, config.duration_minutes,
                   tuple(o.text for o in config.objectives), tuple(config.audience),
                   config.pass_mark if module.is_scored else None)

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> ModuleSummary:
        """A summary as :meth:`BuildCache.record` wrote it (TypeError or KeyError if damaged)."""
        lists = (data["objectives"], data["audience"])
        fields = (data["id"], data["title"], data["duration_minutes"], data["pass_mark"])
        if not all(isinstance(value, str | int | None) for value in fields) or not all(
                isinstance(items, list) and all(isinstance(i, str) for i in items)
                for items in lists):
            raise TypeError("not a module summary")
        return cls(data["id"], data["title"], data["duration_minutes"],
                   tuple(data["objectives"]), tuple(data["audience"]), data["pass_mark"])


@dataclass(frozen=True)
class CachedBuild:
    """What the cache remembers of a module's last build: its packages, its warnings and what
    the catalogue lists about it."""

    packages: list[WrittenPackage]
    warnings: list[Problem]
    summary: ModuleSummary


@dataclass
class BuildCache:
    """What incremental builds remember in ``output/.elpack-cache.json``: for each module
    folder, the key of the inputs its packages were built from, and each package's sha256."""

    path: Path
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    changed: bool = False

    @classmethod
    def load(cls, output: Path) -> BuildCache:
        path = output / CACHE_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            entries = data["modules"] if data["format"] == CACHE_FORMAT else {}
        except (OSError, ValueError, LookupError, TypeError):
            entries = {}  # missing or damaged: everything is built, and the file written afresh
        return cls(path, entries if isinstance(entries, dict) else {})

    def unchanged(self, root: Path, key: str | None, output: Path) -> CachedBuild | None:
        """What ``root``'s last build made, if it need not be built again."""
        entry = self.entries.get(str(root.resolve()))
        if key is None or not isinstance(entry, dict) or entry.get("key") != key:
            return None
        packages = []
        try:
            for package in entry["packages"]:
                path = output / Path(package["name"]).name
                content = path.read_bytes()
                digest = hashlib.sha256(content).hexdigest()
                if digest != package["sha256"]:  # replaced or damaged since: build it again
                    return None
                packages.append(WrittenPackage(path, len(content), digest))
            warnings = [Problem(**warning) for warning in entry["warnings"]]
            summary = ModuleSummary.from_record(entry["summary"])
        except (OSError, LookupError, TypeError):
            return None
        return CachedBuild(packages, warnings, summary) if packages else None

    def record(self, root: Path, key: str | None, packages: Sequence[WrittenPackage],
               warnings: Sequence[Problem], summary: ModuleSummary) -> None:
        if key is None or not packages:
            return
        self.entries[str(root.resolve())] = {
            "key": key,
            "packages": [{"name": p.path.name, "sha256": p.sha256} for p in packages],
            "warnings": [asdict(warning) for warning in warnings],
            "summary": asdict(summary)}
        self.changed = True

    def save(self) -> None:
        if not self.changed:
            return
        text = json.dumps({"format": CACHE_FORMAT, "modules": self.entries}, indent=1,
                          sort_keys=True)
        try:
            write_atomic(self.path, text.encode() + b"\n")
        except OSError:  # only speed is lost: the next build finds no record and builds all
            return
        self.changed = False
