"""`elpack check`: authoring problems plus accessibility and readability warnings, no package."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..checks import PageReadability, ease_label, flesch_reading_ease
from ..errors import BuildError, Problem, counted
from ..pipeline import load_checked_module
from ..programme import ProgrammeConfig, is_programme
from ..programme_build import read_programme


@dataclass
class ModuleCheck:
    """What checking one module found."""

    root: Path
    problems: list[Problem] = field(default_factory=list)
    pages: list[PageReadability] = field(default_factory=list)
    missing: bool = False  # the folder does not exist

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def reading_ease(self) -> float | None:
        """Flesch reading ease of the whole module's text (not an average of its pages)."""
        words = sum(p.words for p in self.pages)
        sentences = sum(p.sentences for p in self.pages)
        if not words or not sentences:
            return None
        return flesch_reading_ease(words, sentences, sum(p.syllables for p in self.pages))


def check_modules(roots: list[Path]) -> list[ModuleCheck]:
    """Load each module as `elpack build` does, then run the checks of checks.py on it. A
    programme folder is checked as its programme.yml (a result of its own, if it has problems),
    then each of its modules."""
    results: list[ModuleCheck] = []
    for root in roots:
        results += check_programme(root) if is_programme(root) else [check_one(root)]
    return results


def check_programme(root: Path) -> list[ModuleCheck]:
    """programme.yml's problems, reported once, then each module's (which inherit from it)."""
    try:
        config, warnings = read_programme(root)
    except BuildError as error:
        return [ModuleCheck(root, error.problems)]
    own = [ModuleCheck(root, warnings)] if warnings else []
    return own + [check_one(module, config) for module in config.module_roots()]


def check_one(root: Path, programme: ProgrammeConfig | None = None) -> ModuleCheck:
    if not root.is_dir():
        return ModuleCheck(root, missing=True)
    try:
        checked = load_checked_module(root, programme=programme)
    except BuildError as error:
        return ModuleCheck(root, error.problems, [])
    return ModuleCheck(root, sorted(checked.warnings), checked.readability)


def check_report(result: ModuleCheck) -> list[str]:
    """The lines `elpack check` prints for one module: problems, a page table, a summary."""
    if result.missing:
        return [f"{result.root}: error: no such module folder"]
    lines = [str(problem) for problem in result.problems]
    if result.pages:
        width = max(len("page"), *(len(p.page_id) for p in result.pages))
        if lines:
            lines.append("")
        lines.append(f"{'page':<{width}}  {'words':>5}  {'sentences':>9}  reading ease")
        for page in result.pages:
            score = page.reading_ease
            shown = f"{score:5.0f}  {page.label}" if score is not None else "    -  no text"
            lines.append(f"{page.page_id:<{width}}  {page.words:>5}  {page.sentences:>9}  {shown}")
    lines.append(_summary(result))
    return lines


def _summary(result: ModuleCheck) -> str:
    errors, warnings = len(result.errors), len(result.warnings)
    counts = f"{counted(errors, 'error')}, {counted(warnings, 'warning')}"
    score = result.reading_ease
    words = sum(p.words for p in result.pages)
    ease = (f"; reading ease {score:.0f} ({ease_label(score)}) over {words:,} words"
            if score is not None else "")
    return f"{result.root}: {counts}{ease}"


