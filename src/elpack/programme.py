"""programme.yml: several modules published together, and what they share.

A programme is a folder::

    programmes/<id>/
      programme.yml      title, description, version, language, audience, organisation, theme,
                         the ordered list of its modules, shared characters, glossary, references
      modules/<module>/  each an ordinary module folder (it also builds on its own)

A module inside ``modules/`` of a programme folder inherits the programme's shared settings
(see :func:`elpack.config.load_config`); its own module.yml overrides and adds to them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .characters import CHARACTER_SCHEMA, Character, check_character_ids
from .errors import Problems
from .schema import (
    LANGUAGE,
    SLUG,
    SLUG_HINT,
    AnyMapping,
    Context,
    Invalid,
    ListOf,
    Option,
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

PROGRAMME_FILE = "programme.yml"
MODULE_FILE = "module.yml"
MODULES_DIR = "modules"  # a programme's modules, inside its folder
SEPARATE = "separate"
MULTI_SCO = "multi-sco"
SEQUENTIAL = "sequential"


@dataclass(frozen=True)
class ProgrammeModule:
    """One entry of 'modules:': a folder under the programme's modules/, the modules a learner
    finishes first (by folder), and the line it is written on."""

    folder: str
    requires: tuple[str, ...] = ()
    line: int = 0


MODULE_ENTRY_SCHEMA: dict[str, Option] = {
    "folder": Text("The module's folder name under modules/.", required=True, pattern=SLUG,
                   pattern_hint=SLUG_HINT),
    "requires": TextList("Folders of the modules a learner must finish before this one (in a "
                         "multi-SCO package)."),
}


@dataclass(frozen=True)
class ModuleList(Option):
    """The ordered modules: each a folder name, or 'folder:' with 'requires:'."""

    def convert(self, value: Any, context: Context) -> list[ProgrammeModule]:
        if not isinstance(value, list) or not value:
            raise Invalid(f"must be a list of module folders, not {type_name(value)}",
                          "write one '- folder-name' a line, in the order learners take them")
        entries = []
        for index, item in enumerate(value):
            here = context.at(index)
            if isinstance(item, dict):
                fields = validate(item, MODULE_ENTRY_SCHEMA, here)
                if fields["folder"] is not None:
                    entries.append(ProgrammeModule(fields["folder"], tuple(fields["requires"] or ()),
                                                   here.line))
                continue
            try:
                folder = Text("", pattern=SLUG, pattern_hint=SLUG_HINT).convert(item, here)
            except Invalid as error:
                here.error(f"module {index + 1} {error.message}", error.hint)
                continue
            entries.append(ProgrammeModule(folder, (), here.line))
        return entries


@dataclass(kw_only=True)
class ProgrammeConfig:
    """The validated contents of programme.yml. Each key is declared once, as a field with its
    documentation, checks and default; ``PROGRAMME_SCHEMA`` is derived from the fields. The
    settings marked "shared" are every module's unless its module.yml says otherwise."""

    root: Path
    id: str = setting(Text("Identifier of the programme: lowercase letters, digits and hyphens. "
                           "It starts every package's file name and the multi-SCO package's "
                           "manifest identifiers, so keep it stable across versions.",
                           required=True, max_length=64, pattern=SLUG, pattern_hint=SLUG_HINT))
    title: str = setting(Text("Title of the programme, shown in the LMS and the catalogue.",
                              required=True, max_length=200))
    description: str = setting(Text("One or two sentences for the LMS catalogue.", required=True,
                                    max_length=2000))
    version: str = setting(Text("Version of the programme, e.g. '1.0.0'.", required=True,
                                max_length=50))
    language: str = setting(Text("Shared: language tag of the content, e.g. 'en-GB'.",
                                 required=True, pattern=LANGUAGE,
                                 pattern_hint="use a language tag such as 'en-GB'"))
    audience: list[str] = setting(TextList("Shared: who the programme is for."), factory=list)
    organisation: str | None = setting(Text("Shared: the organisation named in every module's "
                                            "header (the theme's 'organisation' option).",
                                            max_length=200), None)
    theme: str | None = setting(Text("Shared: the theme every module is rendered with.",
                                     pattern=SLUG, pattern_hint=SLUG_HINT), None)
    theme_options: dict[str, Any] = setting(AnyMapping("Shared: options passed to the theme; a "
                                                       "module's own options add to them."),
                                            factory=dict)
    modules: list[ProgrammeModule] = setting(ModuleList(
        "The programme's modules in the order learners take them: folder names under modules/. "
        "An entry can be 'folder:' with 'requires:' (folders finished first).", required=True))
    characters: list[Character] = setting(ListOf(
        "Shared: people in the stories of several modules (id, name, role). A module may use "
        "them without declaring them.", schema=CHARACTER_SCHEMA, build=Character), factory=list)
    glossary: dict[str, str] = setting(TextMapping("Shared: terms and their definitions. A "
                                                   "module's own definition of a term wins."),
                                       factory=dict)
    references: list[str] = setting(TextList("Shared: sources and further reading, listed at the "
                                             "end of every module before its own."), factory=list)
    package: str = setting(Text(
        "How the programme is delivered: 'separate' (one package per module, plus a catalogue) "
        "or 'multi-sco' (one package holding every module as its own SCO). `elpack build "
        "--multi-sco` overrides it.", pattern=re.compile(r"^(separate|multi-sco)$"),
        pattern_hint="write 'package: separate' or 'package: multi-sco'"), SEPARATE)
    order: str = setting(Text(
        "'free': learners take the modules of a multi-SCO package in any order; 'sequential': "
        "each module opens once the one before it is finished.",
        pattern=re.compile(r"^(free|sequential)$"),
        pattern_hint="write 'order: free' or 'order: sequential'"), "free")
    targets: list[str] | None = setting(TextList(
        "Shared: the standards to package for, e.g. [scorm12]. Default: scorm12."), None)
    document: YamlDocument = field(default_factory=lambda: YamlDocument({}))

    @property
    def path(self) -> Path:
        return self.root / PROGRAMME_FILE

    def line_of(self, *keys: str | int) -> int:
        return self.document.line(keys)

    def module_roots(self) -> list[Path]:
        return [self.root / MODULES_DIR / entry.folder for entry in self.modules]


PROGRAMME_SCHEMA = schema_of(ProgrammeConfig)
# What a module inherits unless its module.yml sets it (characters, glossary, references and
# theme options are merged instead).
INHERITED = ("language", "audience", "theme", "targets")


def is_programme(folder: Path) -> bool:
    return (folder / PROGRAMME_FILE).is_file()


def programme_of(module_root: Path) -> Path | None:
    """The programme folder a module belongs to: the folder holding ``modules/<module>`` and a
    programme.yml; None for a module on its own."""
    parent = module_root.absolute().parent
    if parent.name != MODULES_DIR:
        return None
    programme = module_root.parent.parent
    return programme if is_programme(programme) else None


def load_programme(root: Path, problems: Problems) -> ProgrammeConfig | None:
    """Read and check ``root/programme.yml`` and the list of its modules (each listed once,
    each folder there and a module, no programme inside it, no cycle in 'requires:'). Returns
    None when the file cannot be used at all."""
    path = root / PROGRAMME_FILE
    read = read_settings(path, PROGRAMME_SCHEMA, problems,
                         "start with lines such as 'id: my-programme' and 'title: My programme'")
    if read is None:
        return None
    document, values, context = read
    check_character_ids(values.get("characters") or [], context)
    for character in values.get("characters") or []:
        if character.avatar is not None:
            # A picture is a file of the module that shows it; programmes have no media yet.
            problems.error(path, character.line, f"the shared character '{character.id}' has an "
                           "avatar, which a programme cannot give yet",
                           "remove 'avatar:' here, and declare the character with the same name, "
                           "role and its avatar in the module.yml of each module that shows it")
    # Reported once, here: the modules inherit the character without it.
    values["characters"] = [replace(c, avatar=None) for c in values.get("characters") or []]
    fill_defaults(values, PROGRAMME_SCHEMA, {"id": "programme", "title": root.name,
                                             "description": "", "version": "0", "language": "en",
                                             "modules": []})
    programme = ProgrammeConfig(root=root, document=document, **values)
    _check_modules(programme, problems)
    return programme


def _check_modules(programme: ProgrammeConfig, problems: Problems) -> None:
    path = programme.path
    seen: dict[str, ProgrammeModule] = {}
    for entry in programme.modules:
        if entry.folder in seen:
            problems.error(path, entry.line, f"the module '{entry.folder}' is listed twice (first "
                           f"at line {seen[entry.folder].line})", "list each module once")
            continue
        seen[entry.folder] = entry
        folder = programme.root / MODULES_DIR / entry.folder
        if is_programme(folder):
            problems.error(path, entry.line, f"'{entry.folder}' is a programme (it has a "
                           f"{PROGRAMME_FILE}); a programme cannot hold another programme",
                           "list its modules in this programme instead, or build it on its own")
        elif not (folder / MODULE_FILE).is_file():
            state = "has no module.yml" if folder.is_dir() else "does not exist"
            problems.error(path, entry.line, f"the module folder {MODULES_DIR}/{entry.folder} "
                           f"{state}", f"create it (elpack new {entry.folder} --dir "
                           f"{programme.root / MODULES_DIR}), or correct the name")
    listed = {entry.folder for entry in programme.modules}
    for entry in seen.values():
        for required in entry.requires:
            if required not in listed:
                problems.error(path, entry.line, f"'{entry.folder}' requires '{required}', which "
                               "is not a module of this programme",
                               f"name one of: {', '.join(sorted(listed))}")
    cycle = _cycle({entry.folder: entry.requires for entry in seen.values()})
    if cycle:
        chain = " → ".join([*cycle, cycle[0]])
        problems.error(path, seen[cycle[0]].line, f"the modules require each other in a circle "
                       f"({chain}), so no learner could start any of them",
                       "remove one of these 'requires:'")
    for folder in sorted((programme.root / MODULES_DIR).glob(f"*/{MODULE_FILE}")):
        if folder.parent.name not in listed:
            problems.warning(path, programme.line_of("modules"),
                             f"the module folder {MODULES_DIR}/{folder.parent.name} is not listed "
                             "in 'modules:', so it is not part of the programme",
                             "add it to 'modules:', or move it out of the programme")


def _cycle(requires: dict[str, tuple[str, ...]]) -> list[str] | None:
    """The first circle of modules that require each other, in listing order, if any."""
    done: set[str] = set()

    def visit(folder: str, trail: list[str]) -> list[str] | None:
        if folder in trail:
            return trail[trail.index(folder):]
        if folder in done or folder not in requires:
            return None
        for required in requires[folder]:
            found = visit(required, [*trail, folder])
            if found:
                return found
        done.add(folder)
        return None

    for folder in requires:
        found = visit(folder, [])
        if found:
            return found
    return None


def inherit(values: dict[str, Any], written: dict[str, Any], programme: ProgrammeConfig,
            context: Context) -> None:
    """Give a module's checked ``values`` what it inherits from ``programme``: settings its
    module.yml leaves out (``written`` is the module.yml as written), merged glossary, theme
    options, references and characters. A character id the programme has with a different
    person is an error at the module's line."""
    for key in INHERITED:
        inherited = getattr(programme, key)
        if written.get(key) is None and inherited not in (None, []):
            values[key] = inherited
    options = dict(programme.theme_options)
    if programme.organisation is not None:
        options["organisation"] = programme.organisation
    values["theme_options"] = {**options, **(values.get("theme_options") or {})}
    values["glossary"] = {**programme.glossary, **(values.get("glossary") or {})}
    own_references = values.get("references") or []
    values["references"] = [*programme.references,
                             *(r for r in own_references if r not in programme.references)]
    own = values.get("characters") or []
    shared = {character.id: character for character in programme.characters}
    for character in own:
        other = shared.get(character.id)
        if other is not None and not character.same_person(other):
            context.problems.error(
                context.file, character.line,
                f"character id '{character.id}' is {character.name} ({character.role}) here but "
                f"{other.name} ({other.role}) in {PROGRAMME_FILE} (line {other.line})",
                "remove it here to use the programme's character, or give this one another id")
    own_ids = {character.id for character in own}
    values["characters"] = [*own, *(c for c in programme.characters if c.id not in own_ids)]
