"""The one error family of elpack, and the problem list that authoring checks fill in.

Every authoring mistake becomes a :class:`Problem` with a file, a line, what is wrong and how to
fix it. Checks append to a :class:`Problems` list instead of raising, so that one run reports
everything; the command then raises :class:`BuildError` once, which click prints without a
traceback and turns into exit code 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import click


def counted(count: int, noun: str) -> str:
    """'1 page', '3 pages': a count in a message."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


class ElpackError(click.ClickException):
    """Base of every error elpack reports to a user: printed without a traceback, exit 1."""

    exit_code = 1

    def show(self, file=None) -> None:  # type: ignore[no-untyped-def]
        click.echo(click.style("Error: ", fg="red", bold=True) + self.format_message(), err=True)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a module, located as precisely as we can."""

    file: str
    line: int
    message: str
    hint: str = ""
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {self.severity}: {self.message}"
        if self.hint:
            text += f"\n    fix: {self.hint}"
        return text


@dataclass
class Problems:
    """Collects problems for one module so that every one is reported in the same run."""

    root: Path
    items: list[Problem] = field(default_factory=list)
    base: Path = field(init=False)  # where the paths in messages start

    def __post_init__(self) -> None:
        parent = self.root.parent
        in_programme = parent.name == "modules" and (parent.parent / "programme.yml").is_file()
        self.base = parent.parent.parent if in_programme else parent

    _where: dict[Path | str, str] = field(default_factory=dict, repr=False, compare=False)

    def where(self, path: Path | str) -> str:
        """A path as the writer knows it: relative to the modules folder when possible (for a
        module of a programme, and programme.yml, relative to the programmes folder)."""
        # Remembered: a hostile page can have thousands of problems in one file.
        known = self._where.get(path)
        if known is None:
            known = self._where[path] = self._relative(Path(path))
        return known

    def _relative(self, path: Path) -> str:
        if path.is_relative_to(self.base):
            return str(path.relative_to(self.base))
        if path.name == "programme.yml":
            return str(path.relative_to(path.parent.parent))
        return str(path)

    def error(self, path: Path | str, line: int, message: str, hint: str = "") -> None:
        self.items.append(Problem(self.where(path), line, message, hint))

    def warning(self, path: Path | str, line: int, message: str, hint: str = "") -> None:
        self.items.append(Problem(self.where(path), line, message, hint, "warning"))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]


def in_report_order(problems: list[Problem]) -> list[Problem]:
    """Errors first, then warnings; each in file and line order."""
    return sorted(problems, key=lambda p: (p.severity != "error", p.file, p.line, p.message))


def counts(problems: list[Problem]) -> str:
    """'2 errors, 3 warnings': what a list of problems holds, errors first."""
    errors = sum(p.severity == "error" for p in problems)
    return f"{counted(errors, 'error')}, {counted(len(problems) - errors, 'warning')}"


class BuildError(ElpackError):
    """A module has authoring errors; carries all of them (and the warnings found with them)."""

    def __init__(self, problems: list[Problem], outcome: str = "the package was not built") -> None:
        self.problems = in_report_order(problems)
        self.summary = f"{counts(self.problems)}: {outcome}"
        super().__init__("\n".join([self.summary, *map(str, self.problems)]))


class PackageInvalid(ElpackError):
    """A SCORM package fails validation."""
