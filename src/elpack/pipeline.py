"""The build pipeline: one module folder and one target to a validated package, in named steps.

    Path ──read_config──▶ ModuleConfig ──read_pages──▶ Module (the content model)
         ──check──▶ CheckedModule (+ theme, readability, saved-state budget for each target)
         ──render──▶ Rendered (runtime data + every content file, by package path)
         ──package──▶ BuildResult (+ target's control files and manifest, validated; zip bytes)

Everything is read and rendered in memory before anything is written; :func:`write_package`
writes a result atomically. Commands, the preview, the storyboard and the benchmarks all use
:func:`build` (or its first steps, :func:`load_checked_module`) and read what they need from the
result: nobody reads a package back to learn what went into it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .checks import PageReadability, check_module
from .config import CONFIG_FILE, TITLE_LIMIT, ModuleConfig, load_config
from .design import check_design
from .errors import BuildError, ElpackError, PackageInvalid, Problem, Problems, counted
from .i18n import UnknownLanguage, catalogue_language
from .model import Module
from .module import read_pages
from .package import write_atomic, zip_bytes
from .programme import ProgrammeConfig
from .render import (
    LAUNCH_FILE,
    LanguageVersion,
    navigation,
    render_package_files,
    runtime_data,
)
from .suspend import MIN_REFLECTION, TEXT_ANSWER_LIMIT, SuspendBudget, suspend_budget
from .targets import DEFAULT_TARGET, PackageLayout, Target, UnknownTarget, get_target, known_targets
from .theme import Theme, load_theme
from .translation.apply import add_translated_answers, translate_module
from .validate import check_package


@dataclass
class CheckedModule:
    """A module that passed every check made before rendering, with what the checks found: the
    content model, its theme, the readability of each page, and the saved-state budget of each
    target it is built for."""

    module: Module
    theme: Theme
    readability: list[PageReadability]
    warnings: list[Problem]
    targets: list[Target]
    budgets: dict[str, SuspendBudget] = field(default_factory=dict)  # by target name
    source: Module | None = None  # a translated module's English, else None

    @property
    def language(self) -> str:
        return self.module.config.language


@dataclass
class Rendered:
    """A module rendered for one target: the data the learner runtime reads, and every file of
    the package except the manifest and control files, by package path."""

    runtime_data: dict[str, Any]
    files: dict[str, bytes]


@dataclass
class BuildResult:
    """Everything one build made, in memory: the checked content model, the runtime data, the
    rendered files, the manifest, every file of the package, the problems found (warnings: a build
    with errors raises instead) and, on first use, the package's bytes."""

    source: Path
    target: Target
    checked: CheckedModule
    rendered: Rendered
    manifest: bytes
    files: dict[str, bytes]  # the whole package: rendered files, control files and manifest
    problems: list[Problem] = field(default_factory=list)
    # A bilingual package: the module in each of its languages, in the order of 'languages:'
    # (``checked`` is the first); empty for a package in one language.
    versions: tuple[CheckedModule, ...] = ()

    @property
    def module(self) -> Module:
        return self.checked.module

    @property
    def runtime_data(self) -> dict[str, Any]:
        return self.rendered.runtime_data

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def budget(self) -> SuspendBudget:
        """How the target's saved state is shared in this module."""
        return self.checked.budgets[self.target.name]

    @property
    def file_name(self) -> str:
        """'<id>-<target>.zip'; a translation is '<id>-<language>-<target>.zip', a bilingual
        package '<id>-<language>-<language>-<target>.zip' (in the order of 'languages:'); a
        module of a programme starts with the programme's id ('<programme>--<id>-<target>.zip')."""
        config = self.module.config
        if self.versions:
            languages = "-".join(version.language for version in self.versions)
            return self.target.package_name(f"{config.package_id}-{languages}")
        if self.checked.source is not None:
            return self.target.package_name(f"{config.package_id}-{config.language}")
        return self.target.package_name(config.package_id)

    @cached_property
    def package(self) -> bytes:
        """The zip: the same files always give the same bytes."""
        return zip_bytes(self.files)


# The steps ---------------------------------------------------------------------------------------


def read_config(root: Path, problems: Problems, programme: ProgrammeConfig | None = None,
                ) -> ModuleConfig | None:
    """Step 1: module.yml, typed and checked, with what it inherits from ``programme`` (default:
    read from the programme folder it is in, if any); None when it cannot be used at all."""
    return load_config(root, problems, programme)


def resolve_targets(config: ModuleConfig, requested: Sequence[str | Target] | None,
                    problems: Problems) -> list[Target]:
    """The targets to build for: those asked for on the command line, else module.yml's
    ``targets:``, else the default. An unknown name in module.yml is a located error."""
    if requested:
        chosen = [t if isinstance(t, Target) else _target(t) for t in requested]
        return list({target.name: target for target in chosen}.values())
    targets: list[Target] = []
    # Targets a module inherits are written in its programme's programme.yml.
    written = config.programme if config.programme is not None and \
        config.document.line(("targets",), 0) == 0 else config
    for index, name in enumerate(dict.fromkeys(config.targets or [DEFAULT_TARGET])):
        try:
            targets.append(get_target(name))
        except UnknownTarget as unknown:
            problems.error(written.path, written.line_of("targets", index),
                           f"'targets' names {unknown.name!r}, which is no target elpack knows",
                           f"use one of: {', '.join(unknown.known)}")
    return targets


def _target(name: str) -> Target:
    try:
        return get_target(name)
    except UnknownTarget as unknown:
        raise ElpackError(f"{unknown}.") from None


def check(module: Module, targets: list[Target], problems: Problems) -> CheckedModule | None:
    """Step 3: the theme, the authoring checks of `elpack check` and, for each target, whether
    the learner's saved progress always fits the target's limit. None if the theme is unusable."""
    theme = load_theme(module.config, problems)
    readability = check_module(module, problems)  # warnings: link text, headings, sentences
    check_design(module, problems)  # warnings: objectives, draw coverage, answer cues, duration
    budgets = {target.name: check_saved_state(module, target, problems) for target in targets}
    check_language(module.config, module.config.language, problems)
    add_translated_answers(module, problems)  # short-text answers: every language's, everywhere
    check_bilingual(module.config, problems)
    if theme is None:
        return None
    return CheckedModule(module, theme, readability, problems.warnings, targets, budgets)


def check_saved_state(module: Module, target: Target, problems: Problems) -> SuspendBudget:
    """Fail the build if the learner's saved progress could outgrow what ``target`` keeps."""
    limit = target.saved_state_limit
    budget = suspend_budget(module, limit)
    if not budget.fits:
        need = budget.fixed + budget.reflections * MIN_REFLECTION
        parts = [counted(len(module.pages), "page"),
                 counted(len(module.knowledge_checks), "knowledge check")]
        if module.assessment is not None:
            parts.append(f"an assessment drawing {module.draw} questions")
        if budget.reflections:
            reflections = counted(budget.reflections, "reflection")
            parts.append(f"{reflections} of at least {MIN_REFLECTION} characters")
        roomier = [other for other in map(get_target, known_targets())
                   if suspend_budget(module, other.saved_state_limit).fits]
        way_out = (f"build it for {' or '.join(t.name for t in roomier)} instead (room for "
                   f"{max(t.saved_state_limit for t in roomier)} characters; choose with --target "
                   "or 'targets:' in module.yml) if the LMS takes it, or " if roomier else "")
        config = module.config
        listed = config.targets or []
        line = config.line_of("targets", listed.index(target.name)) if target.name in listed else 0
        problems.error(config.root / CONFIG_FILE, line,
                       f"the learner's saved progress could need {need} characters, more than the "
                       f"{limit} {target.title} allows in {target.saved_state_element} "
                       f"({', '.join(parts)}; short-text answers count {TEXT_ANSWER_LIMIT} "
                       "characters each)",
                       f"{way_out}split the module into two, or use fewer reflections, short-text "
                       "questions or questions with many options")
    return budget


def check_language(config: ModuleConfig, language: str, problems: Problems) -> None:
    """A module can be built only in a language whose interface strings elpack has."""
    if catalogue_language(language) is None:
        unknown = UnknownLanguage(language)
        where = "language" if language == config.language else "languages"
        problems.error(config.path, config.line_of(where),
                       f"elpack has no interface strings in the language '{language}'",
                       f"languages available: {', '.join(unknown.available)}")


def check_bilingual(config: ModuleConfig, problems: Problems) -> None:
    """'bilingual: true' needs exactly two languages in 'languages:', one of them the module's
    own (the other comes from its translation)."""
    if not config.bilingual:
        return
    languages = list(dict.fromkeys(config.languages or []))
    if len(languages) < 2:
        named = (f"'languages' names only {languages[0]!r}" if languages else
                 "there is no 'languages' setting")
        problems.error(config.path, config.line_of("bilingual"),
                       f"'bilingual: true' needs a second language, but {named}",
                       f"add 'languages: [{config.language}, cy]' (the module's own language and "
                       "the language of its translation in translations/), or remove 'bilingual'")
    elif len(languages) > 2:
        problems.error(config.path, config.line_of("languages"),
                       f"a bilingual package holds two languages, but 'languages' names "
                       f"{len(languages)}: {', '.join(languages)}",
                       "keep two in 'languages' and build the others on their own with "
                       "'elpack build --lang'")
    elif config.language not in languages:
        problems.error(config.path, config.line_of("languages"),
                       f"a bilingual package holds the module's own language "
                       f"'{config.language}' and one translation, but 'languages' names "
                       f"{' and '.join(languages)}",
                       f"write 'languages: [{config.language}, {languages[-1]}]'")


def check_bilingual_title(config: ModuleConfig, versions: Sequence[ModuleConfig],
                          problems: Problems) -> None:
    """A bilingual package's title is every language's title; it must fit where one title does
    (LMSs and SCORM 2004 take 200 characters)."""
    title = " / ".join(dict.fromkeys(version.title for version in versions))
    if len(title) > TITLE_LIMIT:
        problems.error(config.path, config.line_of("title"),
                       f"the bilingual package's title, '{title}', is {len(title)} characters; a "
                       f"title may have {TITLE_LIMIT}",
                       "shorten the title here or its translation (the unit 'module.title' in "
                       "translations/), so that both together fit")


def translate(checked: CheckedModule, language: str, problems: Problems,
              allow_untranslated: bool = False) -> CheckedModule | None:
    """Step 3b (``--lang``): the checked module in another language, from its translations/
    file; the English was checked, the translation is checked unit by unit."""
    config = checked.module.config
    if catalogue_language(language) == catalogue_language(config.language):
        return checked
    if catalogue_language(language) is None:
        raise UnknownLanguage(language)
    module = translate_module(checked.module, language, problems, allow_untranslated)
    if module is None:
        return None
    warnings = [*checked.warnings, *(p for p in problems.warnings if p not in checked.warnings)]
    return CheckedModule(module, checked.theme, checked.readability, warnings,
                         checked.targets, checked.budgets, source=checked.module)


def load_checked_module(root: Path, targets: Sequence[str | Target] | None = None,
                        language: str | None = None, allow_untranslated: bool = False,
                        programme: ProgrammeConfig | None = None) -> CheckedModule:
    """Steps 1 to 3: read a module and make every check `elpack build` makes before rendering,
    for the ``targets`` named (default: module.yml's) and, with ``language``, in that language
    (from the module's translation). `elpack check`, `inspect` and `storyboard` use this too, so
    they refuse exactly what the build refuses. A command that has loaded the module's
    ``programme`` passes it (and reports programme.yml's problems once, itself).

    Raises BuildError listing every problem if any of them is an error.
    """
    problems = Problems(root)
    config = read_config(root, problems, programme)
    if config is None:
        raise BuildError(problems.items)
    chosen = resolve_targets(config, targets, problems)
    module = read_pages(config, problems)
    checked = check(module, chosen, problems)
    if checked is None or problems.errors:
        raise BuildError(problems.items)
    if language is not None:
        translated = translate(checked, language, problems, allow_untranslated)
        if translated is None or problems.errors:
            raise BuildError(problems.items)
        return translated
    return checked


def render(checked: CheckedModule, target: Target, problems: Problems,
           shared: Collection[str] = ()) -> Rendered:
    """Step 4: the runtime data and every content file, through the theme. ``shared`` names the
    style sheets and scripts a programme package stores once for all its modules."""
    data = _runtime_data(checked, target)
    files = render_package_files(checked.module, checked.theme, data, target.runtime_bundle,
                                 problems, shared)
    return Rendered(data, files)


def _runtime_data(checked: CheckedModule, target: Target) -> dict[str, Any]:
    module = checked.module
    budget = checked.budgets[target.name]
    data = runtime_data(module, navigation(module), budget.reflection_limit)
    if checked.source is not None:
        # Saved progress is the same in every language (partners' words are in the structure).
        data["hash"] = runtime_data(checked.source, navigation(checked.source),
                                    budget.reflection_limit)["hash"]
    return data


def render_bilingual(versions: Sequence[CheckedModule], target: Target,
                     problems: Problems) -> Rendered:
    """Step 4 of a bilingual package: each language's runtime data (the same hash, so that
    saved progress carries over) and one launch page holding every language's pages."""
    datas = [_runtime_data(version, target) for version in versions]
    for data in datas:
        data["languages"] = [version.language for version in versions]
    others = [LanguageVersion(version.module, data)
              for version, data in zip(versions[1:], datas[1:], strict=True)]
    first = versions[0]
    files = render_package_files(first.module, first.theme, datas[0], target.runtime_bundle,
                                 problems, others=others)
    return Rendered(datas[0], files)


def package(source: Path, checked: CheckedModule, rendered: Rendered, target: Target,
            problems: Problems, versions: Sequence[CheckedModule] = ()) -> BuildResult:
    """Step 5: the target's control files and manifest (built from the files actually written),
    validated with the same checks as `elpack validate`. A bilingual package's manifest
    describes it in each of its ``versions``' languages."""
    layout = PackageLayout.single(checked.module, LAUNCH_FILE, list(rendered.files),
                                  [version.module.config for version in versions[1:]])
    manifest = target.build_manifest(layout)
    files = dict(sorted({**rendered.files, **target.control_files(),
                         target.manifest_file: manifest}.items()))
    invalid = check_package(dict(files), target)
    if invalid:
        raise PackageInvalid(f"the package for {source.name} would not be valid:\n" +
                             "\n".join(invalid))
    return BuildResult(source, target, checked, rendered, manifest, files, list(problems.items),
                       tuple(versions))


def build(source: Path, target: Target | str = DEFAULT_TARGET, language: str | None = None,
          allow_untranslated: bool = False) -> BuildResult:
    """Read, check, render and package the module in ``source`` for ``target`` (in
    ``language``, default: its own); nothing is written.

    Raises BuildError listing every authoring problem, or PackageInvalid if the package would
    not pass validation.
    """
    chosen = target if isinstance(target, Target) else _target(target)
    checked = load_checked_module(source, [chosen], language, allow_untranslated)
    return build_checked(source, checked, chosen)


def build_checked(source: Path, checked: CheckedModule, target: Target) -> BuildResult:
    """Steps 4 and 5 for a module already checked for ``target``."""
    problems = Problems(source, list(checked.warnings))
    rendered = render(checked, target, problems)
    if problems.errors:
        raise BuildError(problems.items)
    return package(source, checked, rendered, target, problems)


def build_bilingual_checked(source: Path, versions: Sequence[CheckedModule],
                            target: Target) -> BuildResult:
    """Steps 4 and 5 of a bilingual package, for a module checked in each of its languages."""
    warnings = [warning for version in versions for warning in version.warnings]
    problems = Problems(source, list(dict.fromkeys(warnings)))
    rendered = render_bilingual(versions, target, problems)
    if problems.errors:
        raise BuildError(problems.items)
    return package(source, versions[0], rendered, target, problems, versions)


def build_all(source: Path, targets: Sequence[str | Target] | None = None,
              languages: Sequence[str] | None = None, allow_untranslated: bool = False,
              programme: ProgrammeConfig | None = None) -> list[BuildResult]:
    """The module in ``source`` built for each of ``targets`` (default: module.yml's) in each of
    ``languages`` (default: module.yml's ``languages``, else its own language), checked once;
    every problem with any target or language is reported before anything is built. A module
    of a programme inherits from ``programme`` when given (see :func:`load_checked_module`).

    A module with 'bilingual: true' built without ``languages`` gives one package per target
    holding both languages of its 'languages:'."""
    checked = load_checked_module(source, targets, programme=programme)
    config = checked.module.config
    bilingual = config.bilingual and not languages
    wanted = list(dict.fromkeys(languages or config.languages or [config.language]))
    problems = Problems(source, list(checked.warnings))
    versions = []
    for language in wanted:
        check_language(config, language, problems)
        if catalogue_language(language) is None:
            continue
        version = _translated(checked, language, problems, allow_untranslated)
        if version is not None:
            versions.append(version)
    if bilingual and not problems.errors:
        check_bilingual_title(config, [version.module.config for version in versions], problems)
    if problems.errors:
        raise BuildError(problems.items)
    if bilingual:
        return [build_bilingual_checked(source, versions, target) for target in checked.targets]
    return [build_checked(source, version, target) for version in versions
            for target in version.targets]


def _translated(checked: CheckedModule, language: str, problems: Problems,
                allow_untranslated: bool) -> CheckedModule | None:
    found = Problems(problems.root)
    version = translate(checked, language, found, allow_untranslated)
    problems.items += [p for p in found.items if p not in problems.items]
    return version


def write_package(result: BuildResult, output: Path) -> Path:
    """Write the package into ``output`` atomically: a failure leaves any earlier one intact."""
    path = output / result.file_name
    try:
        write_atomic(path, result.package)
    except OSError as error:
        raise ElpackError(f"cannot write {path}: {error.strerror or error}") from error
    return path
