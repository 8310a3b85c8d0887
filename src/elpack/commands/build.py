"""`elpack build`: modules to validated, deterministic packages, one per module and target."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from ..catalogue import ModuleResult, build_catalogue, unique_modules


def build_modules(roots: Sequence[Path], output: Path, *, jobs: int | None, incremental: bool,
                  targets: Sequence[str],
                  on_progress: Callable[[ModuleResult], None] | None = None,
                  languages: Sequence[str] = (), allow_untranslated: bool = False,
                  ) -> Iterator[ModuleResult]:
    """Build each module folder once (however it is written) for ``targets`` (none given: those
    its module.yml names), yielding the results in the order the folders were given."""
    return build_catalogue(unique_modules(list(roots)), output, jobs=jobs, incremental=incremental,
                           targets=list(targets) or None, on_progress=on_progress,
                           languages=list(languages) or None,
                           allow_untranslated=allow_untranslated)
