"""A module's translation: found in its translations/ folder, checked unit by unit, put into a
copy of the content model, and summed up for `elpack translate status`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problems
from ..i18n import SOURCE_LANGUAGE, catalogue_language
from ..model import Module
from ..suspend_format import TEXT_ANSWER_LIMIT
from .formats import FileUnit, TranslationFile, Unreadable, read_translation, target_pieces
from .fragments import Piece, plain
from .units import Unit, extract, fields, translated_copy

TRANSLATIONS_DIR = "translations"
SUFFIXES = (".xlf", ".xliff", ".po")
LISTED = 10  # unit ids named in one message before "and N more"


def translation_file(root: Path, language: str) -> Path | None:
    """The module's translation into ``language``: translations/<language>.xlf, .xliff or .po."""
    for suffix in SUFFIXES:
        path = root / TRANSLATIONS_DIR / f"{language}{suffix}"
        if path.is_file():
            return path
    return None


def translations_of(root: Path) -> dict[str, Path]:
    """Every translation file of the module, by language."""
    folder = root / TRANSLATIONS_DIR
    found: dict[str, Path] = {}
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.suffix in SUFFIXES and path.is_file():
                found.setdefault(path.stem, path)
    return found


def _listed(ids: list[str]) -> str:
    shown = ", ".join(ids[:LISTED])
    return shown + (f" and {len(ids) - LISTED} more" if len(ids) > LISTED else "")


@dataclass
class UnitState:
    """Where one unit stands in a translation."""

    unit: Unit
    state: str  # 'untranslated', 'translated', 'stale' or 'broken'
    file_unit: FileUnit | None = None
    pieces: list[Piece] = field(default_factory=list)  # the translation, when usable
    problems: list[str] = field(default_factory=list)


@dataclass
class Checked:
    """A translation file checked against the module's units."""

    path: Path
    file: TranslationFile
    states: dict[str, UnitState]
    gone: list[FileUnit]  # units in the file that the module no longer has

    def ids(self, state: str) -> list[str]:
        return [uid for uid, s in self.states.items() if s.state == state]


def check_translation(module: Module, path: Path, language: str, problems: Problems,
                      ) -> Checked | None:
    """Read ``path`` and check it against ``module``; every problem with the file as a whole is
    reported here (None if it cannot be used at all), those of single units are in the result."""
    try:
        read = read_translation(path)
    except Unreadable as error:
        problems.error(path, error.line, error.message, error.hint)
        return None
    usable = True
    config = module.config
    if read.module_id and read.module_id != config.id:
        problems.error(path, 1, f"this translation is for the module '{read.module_id}', not for "
                       f"'{config.id}'", f"put the translation of '{config.id}' here, or extract "
                       "one with 'elpack translate extract'")
        usable = False
    if read.language and catalogue_language(read.language) != catalogue_language(language):
        problems.error(path, 1, f"this file translates into '{read.language}', but its name says "
                       f"'{language}'", f"rename it to {read.language}{path.suffix}, or fix its "
                       "target language")
        usable = False
    for line, message, hint in read.problems:
        problems.error(path, line, message, hint)
    if not usable:
        return None
    states: dict[str, UnitState] = {}
    for unit in extract(module):
        found = read.units.get(unit.id)
        if found is None or found.target is None:
            states[unit.id] = UnitState(unit, "untranslated", found)
            continue
        pieces, wrong = target_pieces(unit.source, found.target)
        wrong = found.problems + wrong
        if wrong:
            states[unit.id] = UnitState(unit, "broken", found, problems=wrong)
        elif (found.hash != unit.hash) if found.hash else (found.source != unit.text):
            states[unit.id] = UnitState(unit, "stale", found, pieces)
        else:
            states[unit.id] = UnitState(unit, "translated", found, pieces)
    gone = [u for uid, u in read.units.items() if uid not in states]
    return Checked(path, read, states, gone)


def report(checked: Checked, problems: Problems, allow_untranslated: bool) -> None:
    """The translation's problems, as a build reports them: broken units and (unless allowed)
    untranslated ones are errors; stale units and units that no longer exist, warnings."""
    path = checked.path
    for uid in checked.ids("broken"):
        state = checked.states[uid]
        line = state.file_unit.line if state.file_unit else 0
        for message in state.problems:
            problems.error(path, line, f"unit '{uid}': {message}",
                           f"keep every code of the English, once each; the English is: "
                           f"{state.unit.text}")
    untranslated = checked.ids("untranslated")
    if untranslated and not allow_untranslated:
        problems.error(path, 0, f"{len(untranslated)} units are not translated: "
                       f"{_listed(untranslated)}",
                       "translate them (see 'elpack translate status'), or build with "
                       "--allow-untranslated to show their English in their place")
    for uid in checked.ids("stale"):
        state = checked.states[uid]
        line = state.file_unit.line if state.file_unit else 0
        problems.warning(path, line, f"unit '{uid}' is out of date: its English is now "
                         f"\"{state.unit.text}\"",
                         "update its translation: run 'elpack translate extract' again and have "
                         "the unit translated")
    if checked.gone:
        problems.warning(path, checked.gone[0].line, f"{len(checked.gone)} units of this file "
                         f"are no longer in the module: {_listed([u.id for u in checked.gone])}",
                         "they are ignored; extract the file again to drop them")


def translate_module(module: Module, language: str, problems: Problems,
                     allow_untranslated: bool = False) -> Module | None:
    """A copy of ``module`` in ``language``, from its translations/ file. Problems are
    reported; None when the translation cannot be used."""
    root = module.config.root
    path = translation_file(root, language)
    if path is None:
        problems.error(root / TRANSLATIONS_DIR / f"{language}.xlf", 0,
                       f"there is no translation of the module into '{language}'",
                       f"run 'elpack translate extract {root} --lang {language}', have the file "
                       f"translated, and put it in {root.name}/{TRANSLATIONS_DIR}/")
        return None
    checked = check_translation(module, path, language, problems)
    if checked is None:
        return None
    report(checked, problems, allow_untranslated)
    if problems.errors:
        return None
    translated, fields = translated_copy(module)
    marked = module.config.language or SOURCE_LANGUAGE
    for item in fields:
        chosen = {index: checked.states[uid].pieces for index, uid in enumerate(item.ids)
                  if checked.states[uid].state in ("translated", "stale")}
        english = {index for index, uid in enumerate(item.ids) if index not in chosen}
        item.apply(chosen, english, marked)
    translated.config.language = language
    return translated


def add_translated_answers(module: Module, problems: Problems) -> None:
    """Accept, in ``module``, the short-text answers of every translation in translations/: a
    translated accepted answer adds an answer. Every language's package is built from a module
    with the same answers, so the interactions' patterns and scores are the same in each."""
    answers = [item for item in fields(module) if item.adds_answer]
    found = translations_of(module.config.root) if answers else {}
    for language, path in found.items():
        checked = check_translation(module, path, language, Problems(module.config.root))
        if checked is None:
            problems.warning(path, 0, "this translation cannot be read, so the short-text answers "
                             "in it are not accepted", f"run 'elpack build --lang {language}' "
                             "to see what is wrong with it")
            continue
        for item in answers:
            state = checked.states[item.ids[0]]
            if state.state not in ("translated", "stale"):
                continue
            answer = plain(state.pieces).strip()
            if len(answer) > TEXT_ANSWER_LIMIT:
                line = state.file_unit.line if state.file_unit else 0
                problems.warning(path, line, f"unit '{item.ids[0]}': the answer is "
                                 f"{len(answer)} characters long, so no learner can type it "
                                 f"(at most {TEXT_ANSWER_LIMIT})", "shorten the translation")
                continue
            item.store(answer)


@dataclass
class LanguageStatus:
    language: str
    path: Path
    checked: Checked | None

    def count(self, state: str) -> int:
        return len(self.checked.ids(state)) if self.checked else 0


def translation_status(module: Module, problems: Problems) -> list[LanguageStatus]:
    """Each translation of the module, checked unit by unit."""
    return [LanguageStatus(language, path, check_translation(module, path, language, problems))
            for language, path in translations_of(module.config.root).items()]
