"""`elpack build`: modules and programmes to validated, deterministic packages, one per module and
target (a programme: also its catalogue, or one multi-SCO package per target)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from ..catalogue import ModuleResult, build_catalogue, unique_modules
from ..errors import ElpackError
from ..incremental import ModuleSummary
from ..programme import MULTI_SCO
from ..programme_build import (
    CatalogueRow,
    ProgrammeBuild,
    build_separate,
    catalogue_rows,
    multi_sco_packages,
    read_programme,
    write_catalogue,
    write_programme_package,
)


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


def build_programme(root: Path, output: Path, *, jobs: int | None, incremental: bool,
                    targets: Sequence[str], multi_sco: bool,
                    on_module: Callable[[ModuleResult], None] | None = None,
                    languages: Sequence[str] = (), allow_untranslated: bool = False,
                    ) -> ProgrammeBuild:
    """Build the programme in ``root``: separate packages (each module's result is passed to
    ``on_module`` as it is done) or, with ``multi_sco`` or 'package: multi-sco', one package per
    target; then the catalogue. The catalogue is written only when every package was built.
    Raises ElpackError when programme.yml, or a module of a multi-SCO package, has errors."""
    config, warnings = read_programme(root)
    result = ProgrammeBuild(config, warnings)
    if multi_sco or config.package == MULTI_SCO:
        if languages:
            raise ElpackError("--lang cannot be used with a multi-SCO programme package yet: build "
                              "the programme as separate packages for each language")
        rows = []
        for package in multi_sco_packages(config, warnings, list(targets) or None):
            path, size, sha256 = write_programme_package(package, output)
            result.packages.append(path)
            result.warnings += [w for w in package.warnings if w not in result.warnings]
            rows += [CatalogueRow(config.id, ModuleSummary.of(checked.module), package.target,
                                  path.name, size, sha256) for checked in package.modules]
    else:
        for module in build_separate(config, output, jobs=jobs, incremental=incremental,
                                     targets=list(targets) or None, languages=languages,
                                     allow_untranslated=allow_untranslated):
            result.modules.append(module)
            if on_module is not None:
                on_module(module)
        if not result.ok:
            return result
        rows = catalogue_rows(config, result.modules)
    result.catalogue = write_catalogue(config, rows, output)
    return result
