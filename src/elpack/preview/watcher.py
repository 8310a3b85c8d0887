"""Live reload: watch module folders and theme folders, rebuild only what a change affects."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import watchfiles

from ..programme import programme_of
from ..theme import builtin_themes_dir

if TYPE_CHECKING:
    from .builds import PreviewModule

# watchfiles yields a batch once no new change has arrived for STEP_MS (capped at DEBOUNCE_MS).
# Editors save in a burst of events (temporary file, rename, metadata) within a few ms, so a short
# quiet time still gives one rebuild per save, and keeps save-to-reload well under 300 ms.
STEP_MS = 30
DEBOUNCE_MS = 400


def runtime_dir() -> Path | None:
    """The folder the learner runtime's bundles are read from at each build, if on disk. The
    bundles, not their sources: a package changes when `npm run build:runtime` rewrites one."""
    folder = resources.files("elpack") / "runtime" / "dist"
    return folder if isinstance(folder, Path) and folder.is_dir() else None


def watch_roots(modules: list[PreviewModule]) -> list[Path]:
    """Existing folders to watch: each module, its theme layers and theme search folders, the
    built-in themes and the runtime (the last two matter to people working on elpack itself).
    Folders inside another watched folder are left out: the outer one already reports them."""
    candidates: list[Path] = []
    for module in modules:
        candidates += [module.root, *module.theme_layers, *module.theme_search]
        programme = programme_of(module.root)
        if programme is not None:  # its programme.yml is the module's too
            candidates.append(programme)
    candidates += [builtin_themes_dir()]
    runtime = runtime_dir()
    if runtime is not None:
        candidates.append(runtime)
    folders = sorted({p.resolve() for p in candidates if p.is_dir()}, key=lambda p: len(p.parts))
    roots: list[Path] = []
    for folder in folders:
        if not any(root == folder or root in folder.parents for root in roots):
            roots.append(folder)
    return roots


def affected_modules(modules: list[PreviewModule], changed: set[Path]) -> list[PreviewModule]:
    """The modules whose package a change to any of ``changed`` can alter, in preview order."""
    runtime = runtime_dir()
    runtime = runtime.resolve() if runtime is not None else None
    if runtime is not None and any(p == runtime or runtime in p.parents for p in changed):
        return list(modules)
    return [m for m in modules if any(m.uses(path) for path in changed)]


class ModuleWatcher:
    """A background thread running watchfiles over watch_roots() of ``modules``; each module a
    change affects is passed to ``rebuild``. stop() ends it promptly."""

    def __init__(self, modules: list[PreviewModule],
                 rebuild: Callable[[PreviewModule], object]) -> None:
        self.modules = modules
        self.rebuild = rebuild
        self.roots = watch_roots(modules)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="elpack preview watcher", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        try:
            for changes in watchfiles.watch(*self.roots, stop_event=self._stop, debounce=DEBOUNCE_MS,
                                            step=STEP_MS, raise_interrupt=False,
                                            watch_filter=watchfiles.DefaultFilter()):
                changed = {Path(path).resolve() for _, path in changes}
                for module in affected_modules(self.modules, changed):
                    if self._stop.is_set():
                        return
                    self.rebuild(module)
        except Exception as error:  # the server keeps serving the last builds without live reload
            print(f"elpack preview: live reload stopped: {error}", file=sys.stderr)
