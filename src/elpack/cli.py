"""The command line: a thin layer over the commands package.

Each command imports what it runs when it runs, so that starting elpack (``elpack --help``, or
a mistyped option) does not load the whole pipeline. What a help text names from elsewhere (the
registered targets, the translation formats) is looked up when that help is shown.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import __version__
from .errors import ElpackError, counted

if TYPE_CHECKING:
    from typing import TypeAlias

    from .catalogue import ModuleResult

    _ParamType: TypeAlias = click.ParamType[Any]  # generic in newer click (8.4), not 8.2
else:
    _ParamType = click.ParamType


class _LateHelp(click.Option):
    """An option whose help text is made when it is shown: it names what the heavier parts of
    elpack define (targets, file names), which ``elpack`` does not import to start."""

    def __init__(self, *args: Any, late_help: Callable[[], str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.late_help = late_help

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        self.help = self.late_help()
        return super().get_help_record(ctx)


class _ChoiceOf(_ParamType):
    """click.Choice of names looked up when first needed (in a help text or a command line)."""

    name = "choice"

    def __init__(self, names: Callable[[], Iterable[str]]) -> None:
        self.names = names

    def _choice(self) -> click.Choice[str]:
        return click.Choice(sorted(self.names()))

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str | None:
        return self._choice().get_metavar(param, ctx)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None,
                ) -> Any:
        return self._choice().convert(value, param, ctx)


def _size(size: int) -> str:
    return f"{size / 1024:.1f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.2f} MB"


def _module_or_programme_dirs(given: tuple[Path, ...]) -> list[Path]:
    """The folders named, else every module under modules/ and every programme under
    programmes/."""
    from .catalogue import MODULES_DIR, find_modules
    from .programme_build import PROGRAMMES_DIR, find_programmes

    if not given:
        given = (*find_modules(Path(MODULES_DIR)), *find_programmes(Path(PROGRAMMES_DIR)))
    if not given:
        raise ElpackError(f"no modules found: {MODULES_DIR}/<name>/module.yml does not exist here. "
                          "Run elpack from your project folder, or name the module folders.")
    return list(given)


def _module_dirs(given: tuple[Path, ...]) -> list[Path]:
    """The module folders named (a programme folder names its modules, in its order), else
    every module under modules/ and of every programme under programmes/."""
    from .programme import is_programme
    from .programme_build import read_programme

    modules: list[Path] = []
    for folder in _module_or_programme_dirs(given):
        modules += read_programme(folder)[0].module_roots() if is_programme(folder) else [folder]
    return modules


def _build_dirs(given: tuple[Path, ...]) -> list[Path]:
    """What `elpack build` builds: the folders named, else every module under modules/ and
    every programme under programmes/."""
    from .catalogue import MODULES_DIR, find_modules
    from .programme import PROGRAMME_FILE
    from .programme_build import PROGRAMMES_DIR, find_programmes

    if given:
        return list(given)
    found = find_modules(Path(MODULES_DIR)) + find_programmes(Path(PROGRAMMES_DIR))
    if not found:
        raise ElpackError(f"nothing to build: neither {MODULES_DIR}/<name>/module.yml nor "
                          f"{PROGRAMMES_DIR}/<name>/{PROGRAMME_FILE} exists here. Run elpack from "
                          "your project folder, or name the module or programme folders.")
    return found


def _known_targets(context: click.Context, parameter: click.Parameter,
                   names: tuple[str, ...]) -> tuple[str, ...]:
    from .targets import UnknownTarget, get_target

    for name in names:
        try:
            get_target(name)
        except UnknownTarget as unknown:
            raise click.BadParameter(f"{unknown}.") from None
    return names


def _known_target(context: click.Context, parameter: click.Parameter,
                  name: str | None) -> str | None:
    return name if name is None else _known_targets(context, parameter, (name,))[0]


# Help texts that name what the heavier parts of elpack define, made when they are shown ----------


def _incremental_help() -> str:
    from .incremental import CACHE_FILE

    return ("Skip modules whose files, theme, elpack and options are unchanged since their "
            f"package was built (recorded in OUTPUT/{CACHE_FILE}).")


def _build_targets_help() -> str:
    from .targets import DEFAULT_TARGET, known_targets

    return (f"Package for this standard ({', '.join(known_targets())}); repeat it for several.  "
            f"[default: the module.yml's 'targets:', else {DEFAULT_TARGET}]")


def _preview_target_help() -> str:
    from .targets import DEFAULT_TARGET, known_targets

    return (f"Preview each module's package for this standard ({', '.join(known_targets())}), "
            "in a simulated LMS of that standard.  [default: the first of the module.yml's "
            f"'targets:', else {DEFAULT_TARGET}]")


def _new_dir_help() -> str:
    from .catalogue import MODULES_DIR

    return f"Folder to create it in.  [default: {MODULES_DIR}]"


def _translation_formats() -> Iterable[str]:
    from .commands.translate import FORMATS

    return FORMATS


@click.group()
@click.version_option(__version__, prog_name="elpack")
def cli() -> None:
    """Turn Markdown e-learning modules into validated SCORM packages (1.2 and 2004)."""


def _is_terminal() -> bool:
    return click.get_text_stream("stdout").isatty()


def _module_name(result: ModuleResult | None) -> str | None:
    return result.root.name if result else None


def _report_build(result: ModuleResult) -> None:
    if not result.ok:
        click.echo(click.style(f"{result.root}: build failed", fg="red", bold=True), err=True)
        click.echo(result.failure, err=True)
        return
    for warning in result.warnings:
        click.echo(str(warning), err=True)
    for package in result.packages:
        click.echo(f"{package.path}  {_size(package.size)}"
                   + ("  unchanged" if result.unchanged else ""))


@cli.command()
@click.argument("module_dirs", nargs=-1, type=click.Path(file_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path),
              default=Path("build"), show_default=True, help="Folder for the zip files.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help="How many modules to build at once; 1 builds them one by one in this "
                   "process.  [default: one per CPU]")
@click.option("--incremental", is_flag=True, cls=_LateHelp, late_help=_incremental_help)
@click.option("-t", "--target", "targets", multiple=True, metavar="NAME", callback=_known_targets,
              cls=_LateHelp, late_help=_build_targets_help)
@click.option("--lang", "languages", multiple=True, metavar="LANG",
              help="Build in this language (e.g. cy), from the module's translations/ file; "
                   "repeat it for several.  [default: module.yml's 'languages:', else its "
                   "'language']")
@click.option("--allow-untranslated", is_flag=True,
              help="Show the English of units not yet translated, marked as English, instead of "
                   "failing the build.")
@click.option("--multi-sco", is_flag=True,
              help="Build each programme as one package per standard, every module a SCO in it "
                   "(as 'package: multi-sco' in programme.yml).  [default: programme.yml's "
                   "'package:', else one package per module]")
def build(module_dirs: tuple[Path, ...], output: Path, jobs: int | None, incremental: bool,
          targets: tuple[str, ...], languages: tuple[str, ...], allow_untranslated: bool,
          multi_sco: bool) -> None:
    """Build modules and programmes into SCORM packages (default: every module under modules/
    and every programme under programmes/).

    Modules are built in parallel, one process per CPU. Each package is printed with its size,
    in the order the modules were given; a module that fails does not stop the others, and
    the exit code is 1 if any failed.

    A programme folder (one with a programme.yml) builds into one package per module plus a
    catalogue for the LMS administrator (<programme>-catalogue.html and .csv), or, with
    --multi-sco, into one package per standard holding every module (see docs/programmes.md).

    Every build is a full build unless --incremental is given: then a module is skipped when
    its files, theme, elpack itself and the build options (such as SOURCE_DATE_EPOCH) are
    byte for byte the same as when its package was built, and that package is still there
    unchanged. File times are not used: touching a file or checking it out again does not make
    a module look changed.
    """
    from .catalogue import unique_modules
    from .commands.build import build_modules
    from .programme import is_programme

    given = _build_dirs(module_dirs)
    programmes = [root for root in given if is_programme(root)]
    roots = unique_modules([root for root in given if not is_programme(root)])
    start = time.perf_counter()
    results: list[ModuleResult] = []
    if len(roots) > 1 and _is_terminal():
        # Lines printed under a progress bar would break it: the results follow it, in order.
        with click.progressbar(length=len(roots), label="Building",
                               item_show_func=_module_name) as bar:
            results = list(build_modules(roots, output, jobs=jobs, incremental=incremental,
                                         targets=targets,
                                         on_progress=lambda result: bar.update(1, result),
                                         languages=languages,
                                         allow_untranslated=allow_untranslated))
        for result in results:
            _report_build(result)
    elif roots:  # plain lines, as each module is done (in order), for logs and CI
        for result in build_modules(roots, output, jobs=jobs, incremental=incremental,
                                    targets=targets, languages=languages,
                                    allow_untranslated=allow_untranslated):
            _report_build(result)
            results.append(result)
    failed: list[Path] = [r.root for r in results if not r.ok]
    for programme in programmes:
        built = _build_programme(programme, output, jobs, incremental, targets, multi_sco,
                                 languages, allow_untranslated)
        results += built.modules
        failed += [r.root for r in built.modules if not r.ok]
        if built.failed and not any(not r.ok for r in built.modules):
            failed.append(programme)
    if len(results) > 1:
        unchanged = sum(r.unchanged for r in results)
        click.echo(f"{len(results)} modules: {len(results) - len(failed) - unchanged} built, "
                   f"{unchanged} unchanged, {len(failed)} failed "
                   f"({time.perf_counter() - start:.1f} s)")
    if failed:
        failed_programmes = sum(root in programmes for root in failed)
        what = [counted(len(failed) - failed_programmes, "module")] if len(failed) > \
            failed_programmes else []
        what += [counted(failed_programmes, "programme")] if failed_programmes else []
        raise ElpackError(f"{' and '.join(what)} failed: " + ", ".join(str(f) for f in failed))


@dataclass
class _ProgrammeOutcome:
    modules: list[ModuleResult]
    failed: bool


def _build_programme(root: Path, output: Path, jobs: int | None, incremental: bool,
                     targets: tuple[str, ...], multi_sco: bool, languages: tuple[str, ...],
                     allow_untranslated: bool) -> _ProgrammeOutcome:
    """Build one programme, printing as it goes; a programme that fails does not stop the
    other folders of the build."""
    from .commands.build import build_programme

    click.echo(f"{root}: programme")
    try:
        built = build_programme(root, output, jobs=jobs, incremental=incremental, targets=targets,
                                multi_sco=multi_sco, on_module=_report_build,
                                languages=languages, allow_untranslated=allow_untranslated)
    except ElpackError as error:
        click.echo(click.style(f"{root}: build failed", fg="red", bold=True), err=True)
        click.echo(error.format_message(), err=True)
        return _ProgrammeOutcome([], True)
    for warning in built.warnings:
        click.echo(str(warning), err=True)
    for path in [*built.packages, *built.catalogue]:
        click.echo(f"{path}  {_size(path.stat().st_size)}")
    if not built.ok:
        click.echo(click.style(f"{root}: the catalogue was not written, since a module failed",
                               fg="red"), err=True)
    return _ProgrammeOutcome(built.modules, not built.ok)


@cli.command()
@click.argument("module_dirs", nargs=-1, type=click.Path(file_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Exit with code 1 on warnings too, not only errors.")
def check(module_dirs: tuple[Path, ...], strict: bool) -> None:
    """Check modules for errors, accessibility and readability, without building (see docs/checks.md)."""
    from .commands.check import check_modules, check_report

    results = check_modules(_module_or_programme_dirs(module_dirs))
    for result in results:
        click.echo("\n".join(check_report(result)))
    failed = [r.root for r in results if r.missing or r.errors or (strict and r.warnings)]
    if failed:
        raise ElpackError(f"{counted(len(failed), 'module')} failed the check"
                          f"{' (--strict)' if strict else ''}: " + ", ".join(str(f) for f in failed))


@cli.command()
@click.argument("packages", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
def validate(packages: tuple[Path, ...]) -> None:
    """Check SCORM packages (1.2, 2004 3rd or 4th edition, told from the manifest): official
    XSDs plus packaging rules. Exit 1 if any is invalid or cannot be checked."""
    from .commands.validate import validate_packages, validation_report

    results = validate_packages(list(packages))
    for path, found in results.items():
        first, *rest = validation_report(path, found)
        click.echo(click.style(first, fg="red") if found.problems else first)
        for line in rest:
            click.echo(line)
    if any(found.problems for found in results.values()):
        raise SystemExit(1)


@cli.command()
@click.argument("module_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the content model as JSON.")
@click.option("-t", "--target", "targets", multiple=True, metavar="NAME", callback=_known_targets,
              help="Check and share the saved state for this standard; repeat it for several. "
                   "[default: the module.yml's 'targets:', else scorm12]")
def inspect(module_dir: Path, as_json: bool, targets: tuple[str, ...]) -> None:
    """Show a module's pages, blocks and questions, or a programme's modules (see docs/inspect.md)."""
    from .commands.inspect import inspect_module

    model = inspect_module(module_dir, targets)
    if as_json:
        click.echo(json.dumps(model, indent=2, ensure_ascii=False))
        return
    if "programme" in model:
        click.echo(f"{model['programme']['title']} ({model['programme']['id']}): programme")
    for module in model.get("modules", [model]):
        click.echo(f"{module['module']['title']} ({module['module']['id']})")
        for page in module["pages"]:
            kinds = ", ".join(b["kind"] for b in page["blocks"] if b["kind"] != "prose")
            click.echo(f"  {page['id']}: {page['title']}" + (f"  [{kinds}]" if kinds else ""))
        click.echo(f"  {len(module['questions'])} questions")
        for name, state in module["saved_state"].items():
            if state["reflections"]:
                click.echo(f"  {name}: each reflection keeps up to {state['reflection_limit']} "
                           f"characters ({state['limit']} in {state['element']} in all)")


@cli.command()
@click.argument("name")
@click.option("--dir", "parent", type=click.Path(file_okay=False, path_type=Path),
              default=None, cls=_LateHelp, late_help=_new_dir_help)
def new(name: str, parent: Path | None) -> None:
    """Create a new module that builds and validates as it is."""
    from .catalogue import MODULES_DIR
    from .commands.new import create_module

    target = create_module(name, Path(MODULES_DIR) if parent is None else parent)
    click.echo(f"Created {target}. Build it with: elpack build {target}")


@cli.command()
@click.argument("module_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="HTML file to write.  [default: build/<module-id>-storyboard.html]")
@click.option("--pdf", is_flag=True, help="Also print it to a PDF beside it (needs Chromium).")
@click.option("--lang", "language", default=None, metavar="LANG",
              help="The storyboard of the module's translation into LANG (e.g. cy); units not "
                   "yet translated are shown in English.")
@click.option("--side-by-side", is_flag=True,
              help="With --lang: every text of the module, English and translation next to each "
                   "other, for the translation's sign-off.")
def storyboard(module_dir: Path, output: Path | None, pdf: bool, language: str | None,
               side_by_side: bool) -> None:
    """Write a module's storyboard for review and sign-off (see docs/storyboard.md)."""
    from .commands.storyboard import write_storyboard

    written = write_storyboard(module_dir, output, pdf, language, side_by_side)
    for warning in written.warnings:
        click.echo(str(warning), err=True)
    for path in (written.html, written.pdf):
        if path is not None:
            click.echo(f"{path}  {_size(path.stat().st_size)}")


@cli.command()
@click.argument("module_dirs", nargs=-1, type=click.Path(file_okay=False, path_type=Path))
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to serve on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to serve on. Anything but 127.0.0.1 lets other computers see the preview.")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in your web browser.")
@click.option("-t", "--target", metavar="NAME", default=None, callback=_known_target,
              cls=_LateHelp, late_help=_preview_target_help)
def preview(module_dirs: tuple[Path, ...], port: int, host: str, open_browser: bool,
            target: str | None) -> None:
    """Try modules in a local test LMS that rebuilds as you edit (see docs/preview.md)."""
    # Imported here, not at the top, so that the other commands do not load the web server and
    # the file watcher every time elpack starts.
    from .commands.preview import preview_modules

    preview_modules(_module_dirs(module_dirs), host, port, open_browser, target)



@cli.group()
def translate() -> None:
    """Send a module's text to translators and bring it back (see docs/translation.md)."""


@translate.command("extract")
@click.argument("module_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--lang", "language", required=True, metavar="LANG",
              help="The language to translate into, e.g. cy (Welsh).")
@click.option("--format", "file_format", type=_ChoiceOf(_translation_formats), default="xliff",
              show_default=True, help="XLIFF 2.0 for translation tools (Trados, memoQ), or "
                                      "gettext PO.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write.  [default: MODULE/translations/LANG.xlf or .po]")
def translate_extract(module_dir: Path, language: str, file_format: str,
                      output: Path | None) -> None:
    """Write every text of a module to translate, keeping the translations already made."""
    from .commands.translate import extract_translation

    extracted = extract_translation(module_dir, language, file_format, output)
    for warning in extracted.warnings:
        click.echo(str(warning), err=True)
    click.echo(f"{extracted.path}: {extracted.units} units, {extracted.kept} already translated")


@translate.command("status")
@click.argument("module_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--all", "verbose", is_flag=True, help="List every untranslated unit.")
def translate_status(module_dir: Path, verbose: bool) -> None:
    """List, per language, the units untranslated, translated and stale (the English changed)."""
    from .commands.translate import status, status_report

    statuses, problems = status(module_dir)
    for problem in sorted(problems, key=lambda p: p.severity != "error"):
        click.echo(str(problem), err=True)
    click.echo("\n".join(status_report(statuses, verbose)))
    if any(p.severity == "error" for p in problems):
        raise SystemExit(1)


@cli.command()
def doctor() -> None:
    """Check that this computer is ready for elpack: Python, write access, a browser for PDFs."""
    from .commands.doctor import diagnose, doctor_report

    findings = diagnose(Path.cwd())
    click.echo("\n".join(doctor_report(findings)))
    if any(not f.ok and f.needed for f in findings):
        raise SystemExit(1)
