"""Catalogue builds: many modules at once, in parallel processes, each written as it is done.

A module that fails does not stop the others; in incremental mode (see :mod:`elpack.incremental`)
every module whose inputs are unchanged since its packages were written is skipped. Each module
is built by :func:`elpack.pipeline.build_all` for each of its targets.
"""

from __future__ import annotations

import hashlib
import os
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from .config import ModuleConfig
from .errors import ElpackError, Problem
from .incremental import BuildCache, BuildKeys, ModuleSummary, WrittenPackage, read_config_or_none
from .package import process_exists, remove_stale_temporaries
from .pipeline import build_all, write_package
from .programme import ProgrammeConfig

MODULES_DIR = "modules"


def find_modules(base: Path) -> list[Path]:
    """Module folders (those with a module.yml) under ``base``, in name order."""
    return sorted(p.parent for p in base.glob("*/module.yml"))


@dataclass
class ModuleResult:
    """What happened to one module of a catalogue build."""

    root: Path
    packages: list[WrittenPackage] = field(default_factory=list)  # one per target
    warnings: list[Problem] = field(default_factory=list)
    failure: str | None = None  # everything wrong with the module, as printed to the writer
    unchanged: bool = False  # incremental build: the packages were already up to date
    summary: ModuleSummary | None = None  # None: the module failed

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
                    incremental: bool = False, targets: Sequence[str] | None = None,
                    on_progress: Callable[[ModuleResult], None] | None = None,
                    languages: Sequence[str] | None = None, allow_untranslated: bool = False,
                    programme: ProgrammeConfig | None = None) -> Iterator[ModuleResult]:
    """Build many modules into ``output``; yield one result per module, in the order of ``roots``.

    Each module is built for ``targets`` (default: those its module.yml names, else scorm12),
    in ``languages`` (default: its module.yml's ``languages``, else its own language). The
    modules of a ``programme`` inherit from it as loaded (programme.yml is not read again).
    Modules are built by ``jobs`` worker processes (default: one per CPU); with one job, or one
    module to build, everything runs in this process. A module that fails does not stop the
    others: its result carries the failure. Each result is yielded as soon as it and every
    earlier one are done; ``on_progress`` is called as each module finishes, in any order.

    With ``incremental``, a module is skipped (``unchanged``) when the key of its inputs (see
    :func:`elpack.incremental.build_key`) is the one recorded for its packages in ``output``, and
    those packages are still there with the recorded sha256.
    """
    remove_stale_temporaries(output)
    in_order = _InOrder(on_progress)
    cache_record = BuildCache.load(output) if incremental else None
    keys: dict[int, str | None] = {}
    to_build: list[int] = []
    configs = [read_config_or_none(root, programme) for root in roots]
    clashes = _id_clashes(roots, configs)
    key_maker = BuildKeys(output, targets, languages, allow_untranslated)
    try:
        for index, root in enumerate(roots):
            if not root.is_dir():
                yield from in_order.add(index, ModuleResult(root, failure="no such module folder"))
            elif index in clashes:
                yield from in_order.add(index, ModuleResult(root, failure=clashes[index]))
            else:
                if cache_record is not None:
                    keys[index] = key_maker.key(root, configs[index])
                    cached = cache_record.unchanged(root, keys[index], output)
                    if cached is not None:
                        yield from in_order.add(index, ModuleResult(
                            root, cached.packages, cached.warnings, unchanged=True,
                            summary=cached.summary))
                        continue
                to_build.append(index)
        build = _Build(output, targets, languages, allow_untranslated, programme)
        for position, result in _build_all([roots[i] for i in to_build], jobs or default_jobs(),
                                           build):
            index = to_build[position]
            if cache_record is not None and result.ok and result.summary is not None:
                cache_record.record(roots[index], keys[index], result.packages, result.warnings,
                                    result.summary)
            yield from in_order.add(index, result)
    finally:
        # Also on Ctrl-C: the modules built so far need not be built again.
        if cache_record is not None:
            cache_record.save()


@dataclass(frozen=True)
class _Build:
    """What every module of a catalogue build is built for, and where it is written."""

    output: Path
    targets: Sequence[str] | None
    languages: Sequence[str] | None
    allow_untranslated: bool
    programme: ProgrammeConfig | None  # sent to each worker process with each module

    def __call__(self, root: Path) -> ModuleResult:
        return build_one(root, self.output, self.targets, self.languages, self.allow_untranslated,
                         self.programme)


def _build_all(roots: list[Path], jobs: int, build: _Build) -> Iterator[tuple[int, ModuleResult]]:
    """(index in ``roots``, result) as each module finishes."""
    workers = min(jobs, len(roots))
    if workers <= 1:  # a pool would only add its start-up time
        for index, root in enumerate(roots):
            yield index, build(root)
        return
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_start_worker,
                               initargs=(os.getpid(),))
    try:
        # Longest first, so that a big module does not start last and leave the other CPUs idle.
        order = sorted(range(len(roots)), key=lambda i: -_markdown_size(roots[i]))
        futures: dict[Future[ModuleResult], int] = {
            pool.submit(build, roots[i]): i for i in order}
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


def build_one(root: Path, output: Path, targets: Sequence[str] | None = None,
              languages: Sequence[str] | None = None, allow_untranslated: bool = False,
              programme: ProgrammeConfig | None = None) -> ModuleResult:
    """Build one module for each of its targets and write the packages; every failure is
    returned, so that the others go on. A module fails whole: no package is written unless every
    target's package was built."""
    try:
        results = build_all(root, targets, languages, allow_untranslated, programme)
        written = []
        for result in results:
            path = write_package(result, output)
            content = result.package
            written.append(WrittenPackage(path, len(content), hashlib.sha256(content).hexdigest()))
    except ElpackError as error:
        return ModuleResult(root, failure=error.format_message())
    except Exception:  # a bug in elpack: report it with this module, build the others
        return ModuleResult(root, failure="elpack stopped with an internal error; please report "
                            "it with this text:\n" + traceback.format_exc().rstrip())
    return ModuleResult(root, written, results[0].warnings if results else [],
                        summary=ModuleSummary.of(results[0].module) if results else None)


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
