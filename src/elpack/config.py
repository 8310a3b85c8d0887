"""module.yml: the typed schema of a module's settings, and its loader."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .characters import CHARACTER_SCHEMA, Character, check_character_ids
from .errors import Problems
from .programme import INHERITED, ProgrammeConfig, inherit, load_programme, programme_of
from .schema import (
    LANGUAGE,
    SLUG,
    SLUG_HINT,
    AnyMapping,
    Boolean,
    Context,
    Count,
    Integer,
    Invalid,
    ListOf,
    Option,
    SubSchema,
    Text,
    TextList,
    TextMapping,
    fill_defaults,
    read_settings,
    schema_of,
    setting,
    type_name,
    validate,
)
from .yamlfile import YamlDocument

CONFIG_FILE = "module.yml"
DEFAULT_MAX_MEDIA_MB = 50
TITLE_LIMIT = 200  # characters: what SCORM 2004's manifest titles and LMS catalogues take


@dataclass(frozen=True, kw_only=True)
class AssessmentSettings:
    """How the final assessment is run."""

    attempts: int | None = setting(Count("How many attempts a learner has: a number, or "
                                         "'unlimited'."), None)
    draw: int | None = setting(Integer("How many questions are drawn at random from the pool "
                                       "for each attempt. Default: all of them.", minimum=1), None)
    shuffle_options: bool = setting(Boolean("Shuffle the options of each question (a question "
                                            "can opt out with shuffle=false)."), True)
    draw_by: str | None = setting(Text(
        "'objective': each attempt's draw holds at least one question for every learning "
        "objective (questions name theirs with objective=...).", pattern=re.compile(r"^objective$"),
        pattern_hint="the only choice is 'draw_by: objective'"), None)
    show_correct_answers: str = setting(Text(
        "When the results review shows the right answer to each question the learner got wrong. "
        "'after_pass' (the default): once the learner has passed, so that nobody can pass a "
        "retake by copying the answers the review gave them. 'always': after every attempt, "
        "for practice tests. 'never': only whether each answer was right or wrong.",
        pattern=re.compile(r"^(never|after_pass|always)$"),
        pattern_hint="write 'never', 'after_pass' or 'always'"), "after_pass")


@dataclass(frozen=True)
class Objective:
    """A learning objective: its number (from 1), optional id, and text."""

    number: int
    text: str
    id: str | None = None
    line: int = 0

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Objectives(Option):
    """A list of objectives, each text, or a mapping with 'id' and 'text'."""

    def convert(self, value: Any, context: Context) -> list[Objective]:
        if not isinstance(value, list):
            raise Invalid(f"must be a list, not {type_name(value)}",
                          "start each objective with '- '")
        objectives = []
        for index, item in enumerate(value, 1):
            here = context.at(index - 1)
            if isinstance(item, dict):
                fields = validate(item, OBJECTIVE_SCHEMA, here)
                if fields["text"] is not None:
                    objectives.append(Objective(index, fields["text"], fields["id"], here.line))
                continue
            try:
                objectives.append(Objective(index, Text("").convert(item, here), None, here.line))
            except Invalid as error:
                here.error(f"objective {index} {error.message}", error.hint)
        return objectives


OBJECTIVE_SCHEMA: dict[str, Option] = {
    "id": Text("Short id that questions name with objective=..., e.g. 'own-feelings'.",
               pattern=SLUG, pattern_hint=SLUG_HINT, max_length=40),
    "text": Text("What the learner will be able to do.", required=True),
}


ASSESSMENT_SCHEMA = schema_of(AssessmentSettings)


@dataclass(kw_only=True)
class ModuleConfig:
    """The validated contents of a module's module.yml. Each key is declared once, as a field
    with its documentation, checks and default (see :func:`elpack.schema.setting`);
    ``MODULE_SCHEMA`` is derived from the fields."""

    root: Path
    id: str = setting(Text("Identifier of the module: lowercase letters, digits and hyphens. It "
                           "names the package file and the manifest identifiers, so keep it "
                           "stable across versions.", required=True, max_length=64,
                           pattern=SLUG, pattern_hint=SLUG_HINT))
    title: str = setting(Text("Title shown to learners and in the LMS catalogue.", required=True,
                              max_length=TITLE_LIMIT))
    description: str = setting(Text("One or two sentences for the LMS catalogue.", required=True,
                                    max_length=2000))
    version: str = setting(Text("Version of the content, e.g. '1.2.0'.", required=True,
                                max_length=50))
    language: str = setting(Text("Language tag of the content, e.g. 'en-GB'.", required=True,
                                 pattern=LANGUAGE,
                                 pattern_hint="use a language tag such as 'en-GB'"))
    languages: list[str] | None = setting(TextList(
        "The languages to build the module in, e.g. [en-GB, cy]: its own 'language' and those "
        "it has a translation of in translations/ (see docs/translation.md). `elpack build "
        "--lang` overrides it. Default: only its own language."), None)
    bilingual: bool = setting(Boolean(
        "Build one package holding both languages of 'languages' (its own and one translation), "
        "as NHS Wales asks: learners choose Cymraeg or English at the start and can switch at "
        "any point, keeping their place and answers. It is one SCO with one completion record. "
        "`elpack build --lang` still builds one language on its own."), False)
    audience: list[str] = setting(TextList("Who the module is for, e.g. Paramedics, GPs."),
                                  factory=list)
    duration_minutes: int = setting(Integer("Estimated learning time in minutes.", required=True,
                                            minimum=1, maximum=600))
    keywords: list[str] = setting(TextList("Search keywords for the LMS catalogue."), factory=list)
    objectives: list[Objective] = setting(Objectives(
        "Learning objectives, shown on the first page. Each is text, or 'id:' and 'text:' so "
        "that questions can name it by id; questions name an objective with objective=N (its "
        "number) or its id."), factory=list)
    pass_mark: int = setting(Integer("Percentage needed to pass the final assessment.",
                                     minimum=0, maximum=100), 80)
    theme: str = setting(Text("Theme used to render the module.", pattern=SLUG,
                              pattern_hint=SLUG_HINT), "nhs")
    theme_options: dict[str, Any] = setting(AnyMapping("Options passed to the theme, such as "
                                                       "colours or a logo."), factory=dict)
    characters: list[Character] = setting(ListOf(
        "People in the stories: id, name, role and optional avatar.", schema=CHARACTER_SCHEMA,
        build=Character), factory=list)
    pages: list[str] | None = setting(TextList("Optional page order: file names in pages/. "
                                               "Default: file-name order."), None)
    assessment: AssessmentSettings = setting(SubSchema(
        "Settings of the final assessment: attempts, draw, shuffle_options, draw_by, "
        "show_correct_answers.",
        schema=ASSESSMENT_SCHEMA, build=AssessmentSettings), factory=AssessmentSettings)
    glossary: dict[str, str] = setting(TextMapping("Terms and their definitions, used in text as "
                                                   "[[term]]."), factory=dict)
    max_media_mb: int = setting(Integer(
        "Largest size, in megabytes, of any one file the module uses (pictures, video, audio, "
        "documents). LMSs and learners' connections struggle with bigger files, and a huge file "
        "is more often a mistake than intended. Default: 50.", minimum=1, maximum=10_000),
        DEFAULT_MAX_MEDIA_MB)
    reflections: str = setting(Text(
        "Where learners' reflections go. 'private' (the default): they stay in the learner's "
        "browser and their downloadable log, and never reach the LMS. 'recorded': they are sent "
        "to the LMS, where the organisation can see them; each reflection box says so.",
        pattern=re.compile(r"^(private|recorded)$"),
        pattern_hint="write 'private' or 'recorded'"), "private")
    allow_raw_html: bool = setting(Boolean(
        "Allow any HTML written in pages. By default only harmless inline tags (such as <br>, "
        "<abbr>, <sup>, <sub>) are allowed, and scripts, frames, embedded objects, styles and "
        "on...= event handlers are refused. Turn this on only for HTML you trust: elpack then "
        "checks none of it."), False)
    targets: list[str] | None = setting(TextList(
        "The standards to package the module for, e.g. [scorm12]; `elpack build --target` "
        "overrides it. Default: scorm12."), None)
    references: list[str] = setting(TextList(
        "Sources and further reading, listed at the end of the module (after the programme's "
        "shared references, in a programme)."), factory=list)
    document: YamlDocument = field(default_factory=lambda: YamlDocument({}))
    programme: ProgrammeConfig | None = None  # the programme the module belongs to, if any

    @property
    def path(self) -> Path:
        return self.root / CONFIG_FILE

    @property
    def package_id(self) -> str:
        """What names the module's packages: '<programme id>--<module id>' in a programme."""
        return f"{self.programme.id}--{self.id}" if self.programme else self.id

    def line_of(self, *keys: str | int) -> int:
        return self.document.line(keys)

    def objective_named(self, name: str) -> Objective | None:
        """The objective that ``objective=name`` means: its number or its id."""
        for objective in self.objectives:
            if name == str(objective.number) or name == objective.id:
                return objective
        return None

    @property
    def characters_by_id(self) -> dict[str, Character]:
        return {c.id: c for c in self.characters}


MODULE_SCHEMA = schema_of(ModuleConfig)


def load_config(root: Path, problems: Problems, programme: ProgrammeConfig | None = None,
                ) -> ModuleConfig | None:
    """Read and check ``root/module.yml``, with what it inherits when the module is part of a
    programme (see :mod:`elpack.programme`). Returns None when it cannot be used at all.

    ``programme``: the module's programme, when the caller has loaded it already (and reports
    its problems itself); else programme.yml is read here, its problems going to ``problems``."""
    path = root / CONFIG_FILE
    if not path.is_file():
        problems.error(path, 0, f"the module has no {CONFIG_FILE}",
                       f"create {CONFIG_FILE}, or run 'elpack new NAME' to start a module")
        return None
    if programme is None:
        programme_root = programme_of(root)
        programme = None if programme_root is None else load_programme(programme_root, problems)
    schema = MODULE_SCHEMA
    if programme is not None:  # the programme may give what a module must otherwise say
        schema = {key: replace(option, required=False) if key in INHERITED else option
                  for key, option in MODULE_SCHEMA.items()}
    read = read_settings(path, schema, problems,
                         "start with lines such as 'id: my-module' and 'title: My module'")
    if read is None:
        return None
    document, values, context = read
    check_character_ids(values.get("characters") or [], context)
    if programme is not None:
        inherit(values, document.data, programme, context)
    fill_defaults(values, MODULE_SCHEMA, {"id": "module", "title": root.name, "description": "",
                                          "version": "0", "language": "en",
                                          "duration_minutes": 1})
    return ModuleConfig(root=root, document=document, programme=programme, **values)
