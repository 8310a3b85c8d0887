"""`elpack build`: modules to validated, deterministic SCORM 1.2 zips.

One module is built by :func:`build_package` (in memory) and :func:`build_module` (written to
disk). A catalogue of modules goes through :func:`build_catalogue`, which builds them in parallel
processes, keeps going when one fails, and in incremental mode skips every module whose inputs
are unchanged since its package was written.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sys
import threading
import time
import traceback
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from .. import __version__
from ..checks import PageReadability, check_module
from ..config import ModuleConfig, load_config
from ..design import check_design
from ..errors import BuildError, ElpackError, PackageInvalid, Problem, Problems
from ..manifest import MANIFEST_FILE, build_manifest
from ..model import Module
from ..module import load_module
from ..package import (
    process_exists,
    remove_stale_temporaries,
    write_atomic,
    zip_bytes,
    zip_timestamp,
)
from ..render import check_suspend_budget, render_package_files
from ..theme import MODULE_OVERRIDES, Theme, load_theme, theme_search_path
from ..validate import check_package, control_files

MODULES_DIR = "modules"
CACHE_FILE = ".elpack-cache.json"
CACHE_FORMAT = 1
# Libraries whose version can change the bytes of a package.
OUTPUT_LIBRARIES = ("Jinja2", "lxml", "Markdown", "MarkupSafe", "nh3", "PyYAML")
# elpack's own files: code, runtime, schemas (and the built-in themes, once installed).
ELPACK_DIR = Path(__file__).resolve().parent.parent


@dataclass
class Built:
    """A package built in memory, not yet written."""

    module: Module
    files: dict[str, bytes]
    warnings: list[Problem] = field(default_factory=list)

    @property
    def file_name(self) -> str:
        return f"{self.module.config.id}-scorm12.zip"

    def zip(self) -> bytes:
        return zip_bytes(self.files)


def find_modules(base: Path) -> list[Path]:
    """Module folders (those with a module.yml) under ``base``, in name order."""
    return sorted(p.parent for p in base.glob("*/module.yml"))


@dataclass
class CheckedModule:
    """A module that passed every check made before rendering, with what the checks found."""

    module: Module
    theme: Theme
    readability: list[PageReadability]
    warnings: list[Problem]


def load_checked_module(root: Path) -> CheckedModule:
    """Read a module and make every check `elpack build` makes before rendering: the module and
    its pages, the theme, the authoring checks of `elpack check` and the suspend_data budget.
    `elpack check`, `inspect` and `storyboard` use this too, so they agree with the build.

    Raises BuildError listing every problem if any of them is an error.
    """
    problems = Problems(root)
    module = load_module(root, problems)
    if module is None:
        raise BuildError(problems.items)
    theme = load_theme(module.config, problems)
    readability = check_module(module, problems)  # warnings: link text, headings, sentences
    check_design(module, problems)  # warnings: objectives, draw coverage, answer cues, duration
    check_suspend_budget(module, problems)
    if theme is None or problems.errors:
        raise BuildError(problems.items)
    return CheckedModule(module, theme, readability, problems.warnings)


def build_package(root: Path) -> Built:
    """Read, check and render one module and validate the result; nothing is written.

    Raises BuildError listing every authoring problem, or PackageInvalid if the package would
    not pass validation.
    """
    checked = load_checked_module(root)
    module, theme = checked.module, checked.theme
    problems = Problems(root, list(checked.warnings))
    files = render_package_files(module, theme, problems)
    if problems.errors:
        raise BuildError(problems.items)
    schemas = control_files()
    manifest = build_manifest(module, list(files))
    files = dict(sorted({**files, **schemas, MANIFEST_FILE: manifest}.items()))
    invalid = check_package(files)  # the same checks as `elpack validate`
    if invalid:
        raise PackageInvalid(f"the package for {root.name} would not be valid:\n" +
                             "\n".join(invalid))
    return Built(module, files, problems.warnings)


def build_module(root: Path, output: Path) -> tuple[Path, Built]:
    """Build one module and write its zip atomically into ``output``."""
    remove_stale_temporaries(output)
    built = build_package(root)
    target, _ = _write_package(built, output)
    return target, built


def _write_package(built: Built, output: Path) -> tuple[Path, bytes]:
    target = output / built.file_name
    content = built.zip()
    try:
        write_atomic(target, content)
    except OSError as error:
        raise ElpackError(f"cannot write {target}: {error.strerror or error}") from error
    return target, content


# Catalogue builds -------------------------------------------------------------------------------


@dataclass
class ModuleResult:
    """What happened to one module of a catalogue build."""

    root: Path
    target: Path | None = None
    size: int = 0
    sha256: str = ""
    warnings: list[Problem] = field(default_factory=list)
    failure: str | None = None  # everything wrong with the module, as printed to the writer
    unchanged: bool = False  # incremental build: the package was already up to date

    @property
    def ok(self) -> bool:
        return self.failure is None


def unique_modules(roots: list[Path]) -> list[Path]:
    """The module folders in their given order, each once (``modules/a ./modules/a`` is one)."""
    seen: dict[Path, Path] = {}
    for root in roots:
        seen.setdefault(root.resolve(), root)
    return list(seen.values())


def default_jobs() -> int:
    """How many processes a catalogue build uses: the CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))  # honours taskset and container CPU sets
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def build_catalogue(roots: list[Path], output: Path, *, jobs: int | None = None,
                    incremental: bool = False,
                    on_progress: Callable[[ModuleResult], None] | None = None,
                    ) -> Iterator[ModuleResult]:
    """Build many modules into ``output``; yield one result per module, in the order of ``roots``.

    Modules are built by ``jobs`` worker processes (default: one per CPU); with one job, or one
    module to build, everything runs in this process. A module that fails does not stop the
    others: its result carries the failure. Each result is yielded as soon as it and every
    earlier one are done; ``on_progress`` is called as each module finishes, in any order.

    With ``incremental``, a module is skipped (``unchanged``) when the key of its inputs (see
    :func:`build_key`) is the one recorded for the package in ``output``, and that package is
    still there with the recorded sha256.
    """
    remove_stale_temporaries(output)
    in_order = _InOrder(on_progress)
    cache_record = BuildCache.load(output) if incremental else None
    keys: dict[int, str | None] = {}
    to_build: list[int] = []
    configs = [_read_config(root) for root in roots]
    clashes = _id_clashes(roots, configs)
    key_maker = _BuildKeys(output)
    try:
        for index, root in enumerate(roots):
            if not root.is_dir():
                yield from in_order.add(index, ModuleResult(root, failure="no such module folder"))
            elif index in clashes:
                yield from in_order.add(index, ModuleResult(root, failure=clashes[index]))
            else:
                if cache_record is not None:
                    keys[index] = key_maker.key(root, configs[index])
                    unchanged = cache_record.unchanged(root, keys[index], output)
                    if unchanged is not None:
                        yield from in_order.add(index, unchanged)
                        continue
                to_build.append(index)
        for position, result in _build_all([roots[i] for i in to_build], output,
                                           jobs or default_jobs()):
            index = to_build[position]
            if cache_record is not None and result.ok:
                cache_record.record(roots[index], keys[index], result)
            yield from in_order.add(index, result)
    finally:
        # Also on Ctrl-C: the modules built so far need not be built again.
        if cache_record is not None:
            cache_record.save()


def _build_all(roots: list[Path], output: Path, jobs: int) -> Iterator[tuple[int, ModuleResult]]:
    """(index in ``roots``, result) as each module finishes."""
    workers = min(jobs, len(roots))
    if workers <= 1:  # a pool would only add its start-up time
        for index, root in enumerate(roots):
            yield index, build_one(root, output)
        return
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_start_worker,
                               initargs=(os.getpid(),))
    try:
        # Longest first, so that a big module does not start last and leave the other CPUs idle.
        order = sorted(range(len(roots)), key=lambda i: -_markdown_size(roots[i]))
        futures: dict[Future[ModuleResult], int] = {
            pool.submit(build_one, roots[i], output): i for i in order}
        for future in as_completed(futures):
            index = futures[future]
            try:
                result = future.result()
            except Exception as error:  # the worker process died (killed, out of memory)
                result = ModuleResult(roots[index], failure="the build process of this module "
                                      f"stopped unexpectedly ({type(error).__name__}: {error})")
            yield index, result
    finally:
        # On Ctrl-C or an abandoned build, drop the modules not started; those running finish
        # their (atomic) writes.
        pool.shutdown(wait=True, cancel_futures=True)


def build_one(root: Path, output: Path) -> ModuleResult:
    """Build and write one module; every failure is returned, so that the others go on."""
    try:
        built = build_package(root)
        target, content = _write_package(built, output)
    except ElpackError as error:
        return ModuleResult(root, failure=error.format_message())
    except Exception:  # a bug in elpack: report it with this module, build the others
        return ModuleResult(root, failure="elpack stopped with an internal error; please report "
                            "it with this text:\n" + traceback.format_exc().rstrip())
    return ModuleResult(root, target, len(content), hashlib.sha256(content).hexdigest(),
                        built.warnings)


def _start_worker(build: int) -> None:
    # Ctrl-C reaches every process of the terminal's group: the parent alone decides what stops,
    # instead of each worker printing its own traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A worker whose build was killed (SIGKILL runs no clean-up) would wait for work for ever.
    threading.Thread(target=_exit_with_build, args=(build, os.getppid()), daemon=True).start()


def _exit_with_build(build: int, parent: int) -> None:
    # The parent is the build process, or a fork server; it changes when the parent dies. The
    # build may also have died before this worker started, so its pid is watched too.
    while os.getppid() == parent and process_exists(build):
        time.sleep(0.25)
    os._exit(1)


def _markdown_size(root: Path) -> int:
    return sum(path.stat().st_size for path in root.rglob("*.md") if path.is_file())


class _InOrder:
    """Releases results in the order of the module list, each as soon as all before it are in."""

    def __init__(self, on_progress: Callable[[ModuleResult], None] | None) -> None:
        self.on_progress = on_progress
        self.waiting: dict[int, ModuleResult] = {}
        self.next = 0

    def add(self, index: int, result: ModuleResult) -> list[ModuleResult]:
        if self.on_progress is not None:
            self.on_progress(result)
        self.waiting[index] = result
        released = []
        while self.next in self.waiting:
            released.append(self.waiting.pop(self.next))
            self.next += 1
        return released


def _read_config(root: Path) -> ModuleConfig | None:
    """The module's settings, or None if they have errors (its build reports them)."""
    problems = Problems(root)
    config = load_config(root, problems) if root.is_dir() else None
    return None if problems.errors else config


def _id_clashes(roots: list[Path], configs: list[ModuleConfig | None]) -> dict[int, str]:
    """Modules that share an id would write the same package file: each gets a failure."""
    by_id: dict[str, list[int]] = {}
    for index, config in enumerate(configs):
        if config is not None:
            by_id.setdefault(config.id, []).append(index)
    clashes = {}
    for module_id, indexes in by_id.items():
        if len(indexes) > 1:
            names = " and ".join(str(roots[i]) for i in indexes)
            for index in indexes:
                clashes[index] = (f"{names} have the same id '{module_id}' in module.yml, so "
                                  f"their packages would overwrite each other\n"
                                  f"    fix: give each module its own 'id:'")
    return clashes


# Incremental builds -----------------------------------------------------------------------------


def build_key(root: Path, output: Path | None = None) -> str | None:
    """sha256 over everything a module's package is made from, or None if that is unknown.

    The key covers the module folder's files (relative paths and bytes; not times, which change
    on checkout and copy), the files of every layer of its theme, elpack's own files (its code,
    runtime, schemas and built-in themes: its version number alone does not change while it is
    developed), the versions of Python and the libraries that shape the output, and the build
    options (the zip entry time from SOURCE_DATE_EPOCH). A module whose module.yml or theme
    cannot be read has no key and is always built, so that its problems are shown.
    """
    return _BuildKeys(output).key(root, _read_config(root))


class _BuildKeys:
    """Keys of many modules; each theme is resolved and hashed once, not once per module."""

    def __init__(self, output: Path | None) -> None:
        self.skip = output.resolve() if output is not None else None  # -o inside a module
        self.themes: dict[tuple[str, tuple[Path, ...]], list[str] | None] = {}

    def key(self, root: Path, config: ModuleConfig | None) -> str | None:
        if config is None:
            return None
        theme = self._theme_digests(config)
        if theme is None:
            return None
        digest = hashlib.sha256(_environment_key().encode())
        digest.update(json.dumps({"zip_time": zip_timestamp(), "theme": theme}).encode())
        _hash_folder(digest, "module", root, self.skip)  # with its own theme/ overrides
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


@dataclass
class BuildCache:
    """What incremental builds remember in ``output/.elpack-cache.json``: for each module
    folder, the key of the inputs its package was built from, and that package's sha256."""

    path: Path
    entries: dict[str, dict] = field(default_factory=dict)
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

    def unchanged(self, root: Path, key: str | None, output: Path) -> ModuleResult | None:
        """The result of skipping ``root``, or None if it must be built."""
        entry = self.entries.get(str(root.resolve()))
        if key is None or not isinstance(entry, dict) or entry.get("key") != key:
            return None
        try:
            target = output / Path(entry["package"]).name
            content = target.read_bytes()
            warnings = [Problem(**warning) for warning in entry["warnings"]]
        except (OSError, LookupError, TypeError):
            return None
        digest = hashlib.sha256(content).hexdigest()
        if digest != entry.get("sha256"):  # replaced or damaged since: build it again
            return None
        return ModuleResult(root, target, len(content), digest, warnings, unchanged=True)

    def record(self, root: Path, key: str | None, result: ModuleResult) -> None:
        if key is None or result.target is None:
            return
        self.entries[str(root.resolve())] = {
            "key": key, "package": result.target.name, "sha256": result.sha256,
            "warnings": [asdict(warning) for warning in result.warnings]}
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
