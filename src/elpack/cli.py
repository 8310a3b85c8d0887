"""The command line: a thin layer over the commands package."""

from __future__ import annotations

import json
from pathlib import Path

import click

from . import __version__
from .commands.build import MODULES_DIR, build_module, find_modules
from .commands.inspect import inspect_module
from .commands.new import create_module
from .commands.validate import validate_packages
from .errors import ElpackError


def _size(size: int) -> str:
    return f"{size / 1024:.1f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.2f} MB"


def _module_dirs(given: tuple[Path, ...]) -> list[Path]:
    if given:
        return list(given)
    modules = find_modules(Path(MODULES_DIR))
    if not modules:
        raise ElpackError(f"no modules found: {MODULES_DIR}/<name>/module.yml does not exist here. "
                          "Run elpack from your project folder, or name the module folders.")
    return modules


@click.group()
@click.version_option(__version__, prog_name="elpack")
def cli() -> None:
    """Turn Markdown e-learning modules into validated SCORM 1.2 packages."""


@cli.command()
@click.argument("module_dirs", nargs=-1, type=click.Path(file_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path),
              default=Path("build"), show_default=True, help="Folder for the zip files.")
def build(module_dirs: tuple[Path, ...], output: Path) -> None:
    """Build modules into SCORM 1.2 zips (default: every module under modules/)."""
    failed = []
    for root in _module_dirs(module_dirs):
        if not root.is_dir():
            click.echo(f"{root}: error: no such module folder", err=True)
            failed.append(root)
            continue
        try:
            target, built = build_module(root, output)
        except ElpackError as error:
            click.echo(click.style(f"{root}: build failed", fg="red", bold=True), err=True)
            click.echo(error.format_message(), err=True)
            failed.append(root)
            continue
        for warning in built.warnings:
            click.echo(str(warning), err=True)
        click.echo(f"{target}  {_size(target.stat().st_size)}")
    if failed:
        raise ElpackError(f"{len(failed)} module{'s' if len(failed) > 1 else ''} failed: "
                          + ", ".join(str(f) for f in failed))


@cli.command()
@click.argument("packages", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
def validate(packages: tuple[Path, ...]) -> None:
    """Check SCORM 1.2 packages: official XSDs plus packaging rules. Exit 1 if any is invalid."""
    results = validate_packages(list(packages))
    for path, problems in results.items():
        if problems:
            click.echo(click.style(f"{path}: invalid ({len(problems)} problems)", fg="red"))
            for problem in problems:
                click.echo(f"  {problem}")
        else:
            click.echo(f"{path}: valid")
    if any(results.values()):
        raise SystemExit(1)


@cli.command()
@click.argument("module_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the content model as JSON.")
def inspect(module_dir: Path, as_json: bool) -> None:
    """Show a module's pages, blocks and questions (see docs/inspect.md)."""
    model = inspect_module(module_dir)
    if as_json:
        click.echo(json.dumps(model, indent=2, ensure_ascii=False))
        return
    click.echo(f"{model['module']['title']} ({model['module']['id']})")
    for page in model["pages"]:
        kinds = ", ".join(b["kind"] for b in page["blocks"] if b["kind"] != "prose")
        click.echo(f"  {page['id']}: {page['title']}" + (f"  [{kinds}]" if kinds else ""))
    click.echo(f"  {len(model['questions'])} questions")


@cli.command()
@click.argument("name")
@click.option("--dir", "parent", type=click.Path(file_okay=False, path_type=Path),
              default=Path(MODULES_DIR), show_default=True, help="Folder to create it in.")
def new(name: str, parent: Path) -> None:
    """Create a new module that builds and validates as it is."""
    target = create_module(name, parent)
    click.echo(f"Created {target}. Build it with: elpack build {target}")

