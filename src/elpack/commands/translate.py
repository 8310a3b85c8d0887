"""`elpack translate extract` and `elpack translate status`: a module's text out to translators
and back (see docs/translation.md)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import BuildError, ElpackError, Problem, Problems
from ..i18n import SOURCE_LANGUAGE, UnknownLanguage, catalogue_language
from ..package import write_atomic
from ..pipeline import load_checked_module
from ..translation.apply import TRANSLATIONS_DIR, LanguageStatus, translation_status
from ..translation.formats import (
    FileUnit,
    TranslationFile,
    Unreadable,
    read_translation,
    write_po,
    write_xliff,
)
from ..translation.units import extract

FORMATS = {"xliff": ".xlf", "po": ".po"}


@dataclass
class Extracted:
    path: Path
    units: int
    kept: int  # translations carried over from the file that was there
    warnings: list[Problem]


def extract_translation(root: Path, language: str, file_format: str = "xliff",
                        output: Path | None = None) -> Extracted:
    """Write the module's translation units for ``language`` (default file:
    translations/<language>.xlf or .po). Translations already in that file are kept for units
    whose English has not changed."""
    if catalogue_language(language) is None:
        raise UnknownLanguage(language)
    checked = load_checked_module(root)
    module = checked.module
    config = module.config
    if catalogue_language(language) == catalogue_language(config.language):
        raise ElpackError(f"the module is written in '{config.language}' already: name the "
                          "language to translate it into, e.g. --lang cy")
    path = output or root / TRANSLATIONS_DIR / f"{language}{FORMATS[file_format]}"
    previous: TranslationFile | None = None
    if path.is_file():
        try:
            previous = read_translation(path)
        except Unreadable as error:
            problems = Problems(root)
            problems.error(path, error.line, f"{error.message}; elpack will not overwrite it",
                           error.hint)
            raise BuildError(problems.items) from None
    units = extract(module)
    source_language = config.language or SOURCE_LANGUAGE
    if file_format == "po":
        data = write_po(units, config.id, language, previous)
    else:
        data = write_xliff(units, config.id, source_language, language, previous)
    try:
        write_atomic(path, data)
    except OSError as error:
        raise ElpackError(f"cannot write {path}: {error.strerror or error}") from error
    kept = 0
    if previous is not None:
        def same(before: FileUnit, unit_hash: str, text: str) -> bool:
            return before.hash == unit_hash if before.hash else before.source == text

        kept = sum(1 for u in units if u.id in previous.units
                   and previous.units[u.id].target is not None
                   and same(previous.units[u.id], u.hash, u.text))
    return Extracted(path, len(units), kept, checked.warnings)


def status(root: Path) -> tuple[list[LanguageStatus], list[Problem]]:
    """Each translation of the module, unit by unit, and the problems of the files."""
    checked = load_checked_module(root)
    problems = Problems(root)
    return translation_status(checked.module, problems), problems.items


def status_report(statuses: list[LanguageStatus], verbose: bool) -> list[str]:
    lines = []
    for item in statuses:
        where = item.path
        if item.checked is None:
            lines.append(f"{item.language}: {where}: cannot be used (see the errors above)")
            continue
        counts = {state: item.count(state) for state in
                  ("translated", "untranslated", "stale", "broken")}
        lines.append(f"{item.language}: {where}: {counts['translated']} translated, "
                     f"{counts['untranslated']} untranslated, {counts['stale']} stale"
                     + (f", {counts['broken']} broken" if counts["broken"] else "")
                     + (f", {len(item.checked.gone)} no longer in the module"
                        if item.checked.gone else ""))
        for state in ("broken", "stale", "untranslated"):
            ids = item.checked.ids(state)
            if not ids:
                continue
            shown = ids if verbose or state != "untranslated" else ids[:20]
            lines.append(f"  {state}:")
            for uid in shown:
                unit = item.checked.states[uid]
                detail = ""
                if state == "stale":
                    detail = f"  (the English is now: {unit.unit.text})"
                elif state == "broken":
                    detail = "  (" + "; ".join(unit.problems) + ")"
                lines.append(f"    {uid}{detail}")
            if len(shown) < len(ids):
                lines.append(f"    ... and {len(ids) - len(shown)} more (--all lists them)")
    return lines or ["no translations: translations/ holds no .xlf or .po file "
                     "(make one with 'elpack translate extract MODULE --lang cy')"]
