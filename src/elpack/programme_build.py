"""Programme builds: every module of a programme, as separate packages with a catalogue for the
LMS administrator, or as one multi-SCO package per target.

    programme.yml ──read_programme──▶ ProgrammeConfig (checked: modules listed once, present,
                                      no programme inside, ids unique, no circle in 'requires:')
      separate:   build_catalogue(module folders) ──▶ <programme>--<module>-<target>.zip each,
                  then catalogue_rows ──▶ <programme>-catalogue.html and .csv
      multi-sco:  load_checked_module each ──render (shared assets linked as ../)──▶
                  PackageLayout with one Sco per module ──target.build_manifest──▶ validated
                  ──▶ <programme>-<target>.zip

Like a module build, nothing is written before everything is read, rendered and validated.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path

import jinja2

from .catalogue import ModuleResult, build_catalogue
from .config import load_config
from .errors import BuildError, ElpackError, PackageInvalid, Problem, Problems
from .i18n import N_, SOURCE_LANGUAGE, messages_for
from .incremental import ModuleSummary
from .package import write_atomic, zip_bytes
from .pipeline import CheckedModule, load_checked_module, render
from .programme import MODULES_DIR, PROGRAMME_FILE, ProgrammeConfig, is_programme, load_programme
from .render import LAUNCH_FILE, runtime_sources
from .targets import (
    DEFAULT_TARGET,
    PackageLayout,
    ProgrammeInfo,
    Sco,
    Target,
    UnknownTarget,
    get_target,
    known_targets,
)
from .theme import install_messages, template_environment
from .validate import check_package

PROGRAMMES_DIR = "programmes"
# The CSV's header row, in the programme's language (the English names are the msgids).
CATALOGUE_COLUMNS = (N_("programme"), N_("module"), N_("title"), N_("duration_minutes"),
                     N_("objectives"), N_("audience"), N_("pass_mark"), N_("target"), N_("file"),
                     N_("size_bytes"), N_("sha256"))


def find_programmes(base: Path) -> list[Path]:
    """Programme folders (those with a programme.yml) under ``base``, in name order."""
    return sorted(p.parent for p in base.glob(f"*/{PROGRAMME_FILE}"))


def read_programme(root: Path) -> tuple[ProgrammeConfig, list[Problem]]:
    """programme.yml, checked with its list of modules; also that no two modules have the same
    id. Returns the settings and the warnings; raises BuildError listing every problem."""
    if not is_programme(root):
        raise ElpackError(f"{root} is not a programme: it has no {PROGRAMME_FILE}")
    problems = Problems(root)
    config = load_programme(root, problems)
    if config is None:
        raise BuildError(problems.items, "the programme was not built")
    first: dict[str, Path] = {}
    for module_root in dict.fromkeys(config.module_roots()):
        module_problems = Problems(module_root)  # the module's own build reports these
        module = load_config(module_root, module_problems, config) \
            if module_root.is_dir() else None
        if module is None or not module.document.lines.get(("id",)):
            continue
        if module.id in first:
            problems.error(module.path, module.line_of("id"),
                           f"the module id '{module.id}' is also the id of "
                           f"{MODULES_DIR}/{first[module.id].name}, so their packages would "
                           "overwrite each other", "give each module of the programme its own 'id:'")
        else:
            first[module.id] = module_root
    if problems.errors:
        raise BuildError(problems.items, "the programme was not built")
    return config, problems.warnings


# Separate packages and the catalogue --------------------------------------------------------------


@dataclass
class CatalogueRow:
    """One package of a programme, as the catalogue lists it."""

    programme: str
    module: ModuleSummary
    target: Target
    file: str
    size: int
    sha256: str

    def cells(self) -> list[str]:
        return [self.programme, self.module.id, self.module.title,
                str(self.module.duration_minutes), "; ".join(self.module.objectives),
                "; ".join(self.module.audience),
                "" if self.module.pass_mark is None else str(self.module.pass_mark),
                self.target.title, self.file, str(self.size), self.sha256]


@dataclass
class ProgrammeBuild:
    """What a programme build did: its settings, their warnings, each module's result (separate
    packages) or each target's package (multi-SCO), and the catalogue files written."""

    config: ProgrammeConfig
    warnings: list[Problem]
    modules: list[ModuleResult] = field(default_factory=list)
    packages: list[Path] = field(default_factory=list)
    catalogue: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(result.ok for result in self.modules)


def build_separate(config: ProgrammeConfig, output: Path, *, jobs: int | None = None,
                   incremental: bool = False, targets: Sequence[str] | None = None,
                   on_progress: Callable[[ModuleResult], None] | None = None,
                   languages: Sequence[str] = (), allow_untranslated: bool = False,
                   ) -> Iterator[ModuleResult]:
    """Each module of the programme built into its own packages (as `elpack build` builds
    modules), yielded in the programme's order. They inherit from ``config`` as it was read:
    programme.yml's own problems are the programme's (read_programme), not each module's."""
    return build_catalogue(config.module_roots(), output, jobs=jobs, incremental=incremental,
                           targets=targets, on_progress=on_progress,
                           languages=list(languages) or None,
                           allow_untranslated=allow_untranslated, programme=config)


def catalogue_rows(config: ProgrammeConfig, results: list[ModuleResult]) -> list[CatalogueRow]:
    """A row per package of the modules built (or unchanged: the build cache remembers their
    summaries), in the programme's order."""
    rows = []
    for result in results:
        summary = result.summary
        if summary is None:  # the module failed, so it has no package to list
            continue
        for package in result.packages:
            target = _target_of(package.path.name)
            rows.append(CatalogueRow(config.id, summary, target, package.path.name, package.size,
                                     package.sha256))
    return rows


def _target_of(file_name: str) -> Target:
    """The target a package file name ends with (the longest suffix that fits, so that a
    suffix that ends another is not taken for it)."""
    targets = sorted((get_target(name) for name in known_targets()),
                     key=lambda target: -len(target.file_suffix))
    return next(t for t in targets if file_name.endswith(f"-{t.file_suffix}.zip"))


def catalogue_csv(rows: list[CatalogueRow], language: str = SOURCE_LANGUAGE) -> bytes:
    """The catalogue as CSV (RFC 4180), with a byte-order mark so that Excel reads it as UTF-8;
    its header row in ``language``."""
    messages = messages_for(language)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([messages.gettext(column) for column in CATALOGUE_COLUMNS])
    writer.writerows(row.cells() for row in rows)
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def catalogue_html(config: ProgrammeConfig, rows: list[CatalogueRow]) -> bytes:
    """The catalogue as one HTML page with no scripts or outside resources, in the programme's
    language."""
    folder = resources.files("elpack") / "templates"
    environment = template_environment(jinja2.DictLoader(
        {"catalogue.html": (folder / "programme-catalogue.html").read_text(encoding="utf-8")}))
    messages = messages_for(config.language)
    install_messages(environment, messages)
    return environment.get_template("catalogue.html").render(
        programme=config, rows=rows, total_minutes=_total_minutes(rows),
        language_name=messages.name).encode("utf-8")


def _total_minutes(rows: list[CatalogueRow]) -> int:
    return sum({row.module.id: row.module.duration_minutes for row in rows}.values())


def write_catalogue(config: ProgrammeConfig, rows: list[CatalogueRow], output: Path) -> list[Path]:
    """``<programme>-catalogue.html`` and ``.csv`` in ``output``, each written atomically."""
    written = []
    for suffix, content in (("html", catalogue_html(config, rows)),
                            ("csv", catalogue_csv(rows, config.language))):
        path = output / f"{config.id}-catalogue.{suffix}"
        try:
            write_atomic(path, content)
        except OSError as error:
            raise ElpackError(f"cannot write {path}: {error.strerror or error}") from error
        written.append(path)
    return written


# One multi-SCO package ---------------------------------------------------------------------------


@dataclass
class ProgrammePackage:
    """A programme as one package for one target: each module a SCO in its own folder, the
    shared style sheets and scripts stored once at the root."""

    config: ProgrammeConfig
    target: Target
    modules: list[CheckedModule]
    layout: PackageLayout
    manifest: bytes
    files: dict[str, bytes]
    warnings: list[Problem]

    @property
    def file_name(self) -> str:
        return self.target.package_name(self.config.id)

    @cached_property
    def package(self) -> bytes:
        return zip_bytes(self.files)


def programme_targets(config: ProgrammeConfig, requested: Sequence[str] | None) -> list[Target]:
    """The targets of a multi-SCO build: those asked for, else programme.yml's, else the
    default (a module's own 'targets:' cannot split one package). Unknown names are errors."""
    problems = Problems(config.root)
    chosen: dict[str, Target] = {}
    for index, name in enumerate(requested or config.targets or [DEFAULT_TARGET]):
        try:
            chosen.setdefault(name, get_target(name))
        except UnknownTarget as unknown:
            if requested:
                raise ElpackError(f"{unknown}.") from None
            problems.error(config.path, config.line_of("targets", index),
                           f"'targets' names {name!r}, which is no target elpack knows",
                           f"use one of: {', '.join(unknown.known)}")
    if problems.errors:
        raise BuildError(problems.items, "the programme was not built")
    unable = [target.title for target in chosen.values() if not target.builds_programmes]
    if unable:
        raise ElpackError(f"elpack cannot build a multi-SCO package for {', '.join(unable)} yet. "
                          "Build the programme as separate packages (leave out --multi-sco, or "
                          "write 'package: separate'), or choose a target that can "
                          f"({', '.join(t for t in known_targets() if get_target(t).builds_programmes)})")
    return list(chosen.values())


def load_programme_modules(config: ProgrammeConfig, targets: list[Target],
                           ) -> tuple[list[CheckedModule], list[Problem]]:
    """Every module of the programme read and checked for ``targets``; raises BuildError with
    every problem of every module."""
    checked: list[CheckedModule] = []
    problems: list[Problem] = []
    for root in config.module_roots():
        try:
            module = load_checked_module(root, targets, programme=config)
        except BuildError as error:
            problems += error.problems
            continue
        checked.append(module)
        problems += module.warnings
        module_config = module.module.config
        if module_config.bilingual:
            found = Problems(root)
            found.error(module_config.path, module_config.line_of("bilingual"),
                        "a module of a multi-SCO programme package cannot be bilingual yet",
                        "build the programme as separate packages (without --multi-sco or "
                        "'package: multi-sco'): each module's package is then bilingual; or "
                        "remove 'bilingual' from this module")
            problems += found.items
    problems = list(dict.fromkeys(problems))
    if any(p.severity == "error" for p in problems):
        raise BuildError(problems, "the programme package was not built")
    return checked, problems


def shared_assets(modules: list[CheckedModule], target: Target) -> dict[str, bytes]:
    """The style sheets and scripts that every module carries with the same bytes: a programme
    package stores them once. A style sheet that loads other files (url(...)) stays with each
    module, since those files are not shared."""
    common: dict[str, bytes] | None = None
    for checked in modules:
        files = {name: path.read_bytes() for name, path in checked.theme.static_files().items()}
        files.update(runtime_sources(target.runtime_bundle))
        candidates = {name: content for name, content in files.items()
                      if name.endswith(".js") or (name.endswith(".css") and b"url(" not in content)}
        common = candidates if common is None else {
            name: content for name, content in common.items() if candidates.get(name) == content}
    return dict(sorted((common or {}).items()))


def build_multi_sco(config: ProgrammeConfig, target: Target, modules: list[CheckedModule],
                    warnings: list[Problem]) -> ProgrammePackage:
    """One package for ``target`` holding every module as its own SCO, validated."""
    shared = shared_assets(modules, target)
    files: dict[str, bytes] = dict(shared)
    scos = []
    ids = {checked.module.config.root.name: checked.module.config.id for checked in modules}
    for checked, entry in zip(modules, config.modules, strict=True):
        module_id = checked.module.config.id
        problems = Problems(checked.module.config.root, list(checked.warnings))
        rendered = render(checked, target, problems, shared)
        if problems.errors:
            raise BuildError(problems.items, "the programme package was not built")
        prefixed = {f"{module_id}/{name}": content for name, content in rendered.files.items()}
        files.update(prefixed)
        scos.append(Sco(checked.module, f"{module_id}/{LAUNCH_FILE}", tuple(sorted(prefixed)),
                        tuple(ids[folder] for folder in entry.requires)))
    info = ProgrammeInfo(config.id, config.title, config.description, config.version,
                         config.language, tuple(config.audience),
                         sum(m.module.config.duration_minutes for m in modules))
    layout = PackageLayout(config.id, config.title, config.language, tuple(scos),
                           tuple(shared), info, config.order == "sequential")
    manifest = target.build_manifest(layout)
    files = dict(sorted({**files, **target.control_files(),
                         target.manifest_file: manifest}.items()))
    invalid = check_package(dict(files), target)
    if invalid:
        raise PackageInvalid(f"the {target.title} package of the programme {config.id} would not "
                             "be valid:\n" + "\n".join(invalid))
    return ProgrammePackage(config, target, modules, layout, manifest, files, warnings)


def build_programme_packages(root: Path, targets: Sequence[str] | None = None,
                             ) -> list[ProgrammePackage]:
    """The programme in ``root`` as one multi-SCO package per target; nothing is written."""
    config, warnings = read_programme(root)
    return multi_sco_packages(config, warnings, targets)


def multi_sco_packages(config: ProgrammeConfig, warnings: list[Problem],
                       targets: Sequence[str] | None = None) -> list[ProgrammePackage]:
    """The programme whose programme.yml gave ``config`` and ``warnings`` (see read_programme)
    as one multi-SCO package per target; nothing is written."""
    chosen = programme_targets(config, targets)
    modules, module_warnings = load_programme_modules(config, chosen)
    return [build_multi_sco(config, target, modules, [*warnings, *module_warnings])
            for target in chosen]


def write_programme_package(package: ProgrammePackage, output: Path) -> tuple[Path, int, str]:
    """Write the package atomically; returns its path, size and sha256."""
    path = output / package.file_name
    content = package.package
    try:
        write_atomic(path, content)
    except OSError as error:
        raise ElpackError(f"cannot write {path}: {error.strerror or error}") from error
    return path, len(content), hashlib.sha256(content).hexdigest()
