"""Themes: a stack of template and static folders (module overrides, theme, parent themes)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from .captions import read_cues
from .config import ModuleConfig
from .errors import Problems
from .i18n import SOURCE_LANGUAGE, Messages, language_of, messages_for
from .paths import ModulePaths, PathRefused
from .schema import SLUG, SLUG_HINT, AnyMapping, Context, Text, validate
from .textfile import NotUtf8, read_utf8
from .yamlfile import YamlProblem, load_yaml

THEME_FILE = "theme.yml"
MODULE_OVERRIDES = "theme"  # a module's own folder of template and static overrides
THEME_SCHEMA = {
    "name": Text("Human-readable name of the theme.", required=True, max_length=100),
    "extends": Text("Optional parent theme whose templates and static files this one builds on.",
                    pattern=SLUG, pattern_hint=SLUG_HINT),
    "options": AnyMapping("Options with their default values, e.g. colours or a logo.",
                          default=dict),
}


def builtin_themes_dir() -> Path:
    """The themes shipped with elpack: package data, in a checkout, an editable install and a
    wheel alike."""
    return Path(str(resources.files("elpack") / "themes"))


def theme_search_path(module_root: Path) -> list[Path]:
    """Where themes are looked up: the project's themes/ beside modules/ (for a module of a
    programme, the programme's themes/, then the project's beside programmes/), then built-in
    ones."""
    project = module_root.resolve().parent.parent / "themes"
    paths = [project, builtin_themes_dir()]
    if (project.parent / "programme.yml").is_file():
        paths.insert(1, project.parent.parent.parent / "themes")
    return list(dict.fromkeys(p for p in paths if p.is_dir()))


@dataclass
class Theme:
    """A resolved theme: its folders from highest to lowest priority, and merged options."""

    name: str
    layers: list[Path]
    options: dict[str, Any] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)  # package path -> file, e.g. the logo

    def environment(self, messages: Messages | None = None) -> jinja2.Environment:
        """The theme's Jinja environment; its ``_()`` and ``ngettext()`` read ``messages``
        (default: the English interface strings)."""
        environment = template_environment(jinja2.FileSystemLoader(
            [layer / "templates" for layer in self.layers if (layer / "templates").is_dir()]))
        install_messages(environment, messages or messages_for(SOURCE_LANGUAGE))
        words = messages or messages_for(SOURCE_LANGUAGE)
        environment.filters["scroll_tables"] = lambda text, table_class="": scroll_tables(
            text, table_class, words)
        environment.filters["captions_text"] = captions_text
        environment.globals["classes"] = classes
        environment.globals["class_attr"] = class_attr
        environment.filters["lang_attr"] = lang_attr
        environment.filters["lang_span"] = lang_span
        return environment

    def static_files(self) -> dict[str, Path]:
        """Package path (under assets/) to source file; higher layers win."""
        files: dict[str, Path] = {}
        for layer in reversed(self.layers):
            static = layer / "static"
            if static.is_dir():
                for path in sorted(static.rglob("*")):
                    if path.is_file():
                        files["assets/" + path.relative_to(static).as_posix()] = path
        files.update(self.files)
        return dict(sorted(files.items()))

    def stylesheets(self) -> list[str]:
        """Package paths of the style sheets in loading order, so that later ones win: the parent
        theme's, then the theme's, then the module's theme/static/ (by name within a folder). A
        file that replaces a lower layer's file of the same name loads in its own layer's place."""
        rank: dict[str, int] = {}
        for number, layer in enumerate(reversed(self.layers)):
            static = layer / "static"
            if static.is_dir():
                for path in static.rglob("*.css"):
                    if path.is_file():
                        rank["assets/" + path.relative_to(static).as_posix()] = number
        return sorted(rank, key=lambda name: (rank[name], name))


# A table, and the paragraph "Table: its caption" a writer may put just before it.
TABLE = (r"(?:<p>(?:{prefixes})\s*(?P<caption>(?:(?!</p>).)*?)</p>\s*)?"
         r"<table\b(?P<attributes>[^>]*)>(?P<body>.*?)</table>")
TABLE_HEADING = re.compile(r"<th\b[^>]*>(.*?)</th>", re.S)


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def scroll_tables(text: str, table_class: str = "", messages: Messages | None = None) -> Markup:
    """Template filter: give each table of rendered Markdown a caption and put it in a region
    that scrolls sideways on a narrow screen (WCAG reflow), which keyboard users can focus to
    scroll and screen readers name by the caption. The caption is the paragraph "Table: ..."
    just before the table; without one, a visually hidden caption names the column headings.
    ``table_class`` is the theme's class for tables (nhsuk-table in the nhs theme); ``messages``
    the module's interface strings ("Table:" in its language, as well as in English)."""
    words = messages or messages_for(SOURCE_LANGUAGE)
    prefixes = "|".join(re.escape(p) for p in dict.fromkeys(["Table:", words.gettext("Table:")]))
    table = re.compile(TABLE.format(prefixes=prefixes), re.S)
    def wrap(match: re.Match[str]) -> str:
        body = match.group("body")
        head = body.split("</thead>")[0] if "</thead>" in body else ""
        if match.group("caption") is not None:
            caption_html = match.group("caption")
            caption = f'<caption class="table-caption">{caption_html}</caption>'
            label = _text(caption_html)
        else:
            names = [_text(name) for name in TABLE_HEADING.findall(head)]
            label = (words.gettext("Table: %(headings)s") % {"headings": ", ".join(filter(None, names))}
                     if any(names) else words.gettext("Table"))
            caption = f'<caption class="visually-hidden">{escape(label)}</caption>'
        attributes = match.group("attributes")
        if table_class:
            attributes += f' class="{escape(table_class)}"'
        return (f'<div class="table-scroll" role="region" tabindex="0" aria-label="{escape(label)}">'
                f"<table{attributes}>{caption}{body}</table></div>")
    return Markup(table.sub(wrap, str(text)))


def classes(*names: str) -> str:
    """Template global: class names joined, the empty ones left out ("button nhsuk-button")."""
    return " ".join(name for name in names if name)


def class_attr(*names: str) -> Markup:
    """Template global: ' class="..."' for the non-empty names, or nothing at all."""
    joined = classes(*names)
    return Markup(f' class="{escape(joined)}"') if joined else Markup("")


def lang_attr(value: object) -> Markup:
    """Template filter: ' lang="en-GB"' for a value left in the source language of a translated
    module (see :class:`elpack.i18n.Untranslated`), nothing for any other value; used on the
    element that shows a plain translatable value: ``<h1{{ page.title | lang_attr }}>``."""
    language = language_of(value)
    return Markup(f' lang="{escape(language)}"') if language else Markup("")


def lang_span(value: object) -> Markup:
    """Template filter: a value left in the source language in a ``<span lang="...">``, any
    other value as it is (escaped); for a value that shares its element with other words."""
    language = language_of(value)
    if language:
        return Markup(f'<span lang="{escape(language)}">{escape(value)}</span>')
    return escape(value)


def template_environment(loader: jinja2.BaseLoader) -> jinja2.Environment:
    """The Jinja settings of every template elpack renders (themes, storyboard, preview pages):
    autoescaping on, an unknown name is an error rather than an empty string, and interface
    strings are written ``{{ _("Next") }}`` (Jinja's i18n extension, see :mod:`elpack.i18n`)."""
    return jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                              extensions=["jinja2.ext.i18n"])


def install_messages(environment: jinja2.Environment, messages: Messages) -> None:
    """Make ``_()``, ``gettext()`` and ``ngettext()`` in templates read ``messages``; newstyle:
    the result is escaped, and values are given by name, ``_("%(mark)s%%", mark=80)``."""
    environment.install_gettext_translations(messages.translations, newstyle=True)  # type: ignore[attr-defined]


def captions_text(path: str, root: Path, made: dict[str, bytes] | None = None) -> list[str]:
    """Template filter: the words of a WebVTT captions file (``path`` in the module ``root``), one
    paragraph per speaker turn, named where the cues name a voice (<v Name>). Browsers show
    captions only with video, so an audio clip's captions are shown as its transcript."""
    turns: list[tuple[str, str]] = []
    for cue in read_cues(Path(root) / path, made):
        speaker, words = cue.speaker, cue.words
        if not words:
            continue
        if turns and turns[-1][0] == speaker:
            turns[-1] = (speaker, f"{turns[-1][1]} {words}")
        else:
            turns.append((speaker, words))
    return [f"{speaker}: {words}" if speaker else words for speaker, words in turns]


def load_theme(config: ModuleConfig, problems: Problems) -> Theme | None:
    """Resolve the module's theme and its parents; report unknown themes and bad theme.yml."""
    search = theme_search_path(config.root)
    layers: list[Path] = []
    option_layers: list[dict[str, Any]] = []
    name: str | None = config.theme
    where, line = config.path, config.line_of("theme")  # what named the theme: module.yml, then theme.yml
    while name is not None:
        folder = next((base / name for base in search if (base / name / THEME_FILE).is_file()),
                      None)
        if folder is None:
            known = sorted({p.name for base in search for p in base.iterdir()
                            if (p / THEME_FILE).is_file()})
            problems.error(where, line, f"there is no theme '{name}'",
                           f"themes available: {', '.join(known) or 'none'}")
            return None
        if folder in layers:
            problems.error(folder / THEME_FILE, 1, f"theme '{name}' extends itself in a circle",
                           "fix the 'extends:' values")
            return None
        settings = _read_theme_file(folder / THEME_FILE, problems)
        if settings is None:
            return None
        layers.append(folder)
        option_layers.append(settings["options"] or {})
        name = settings["extends"]
        where, line = folder / THEME_FILE, _line_of(folder / THEME_FILE, "extends")
    # The theme.yml whose logo option wins, for problems with it: the highest that sets one.
    logo_file = next((folder / THEME_FILE for folder, layer_options in zip(layers, option_layers, strict=True)
                      if layer_options.get("logo")), None)
    overrides = config.root / MODULE_OVERRIDES
    if overrides.is_dir():
        _check_links_out(overrides, config.root, problems)
        layers.insert(0, overrides)
    options: dict[str, Any] = {}
    for layer_options in reversed(option_layers):
        options.update(layer_options)
    for key, value in config.theme_options.items():
        if key not in options:
            problems.warning(config.path, config.line_of("theme_options", key),
                             f"the theme '{config.theme}' has no option '{key}'; it is ignored",
                             f"theme options: {', '.join(sorted(map(str, options))) or 'none'}")
        options[key] = value
    theme = Theme(config.theme, layers, options)
    _package_logo(theme, config, logo_file, problems)
    return theme


def _package_logo(theme: Theme, config: ModuleConfig, logo_file: Path | None, problems: Problems) -> None:
    """A ``logo`` option names a picture in the module (media/trust-logo.svg): check it, package
    it and point the option at it. A logo among the theme's static files (assets/logo.svg, from
    the theme's or the module's theme/static/ folder) is used as it is."""
    logo = theme.options.get("logo")
    if not logo or not isinstance(logo, str) or logo in theme.static_files():
        return
    if "logo" not in config.theme_options:
        problems.error(logo_file or config.path, _line_of(logo_file, "logo") if logo_file else 0,
                       f"the theme's logo '{logo}' is not one "
                       "of its static files", "put the picture in the theme's static/ folder and "
                       "write its name after 'assets/', e.g. 'logo: assets/logo.svg'")
        return
    try:
        name = ModulePaths(config.root, config.max_media_mb).resolve(logo)
    except PathRefused as refused:
        problems.error(config.path, config.line_of("theme_options", "logo"),
                       f"the logo '{logo}' {refused}", refused.hint)
        return
    theme.files[name] = config.root / name
    theme.options["logo"] = name


def _check_links_out(folder: Path, root: Path, problems: Problems) -> None:
    """Refuse links in a module's theme/ folder to files or folders outside the module: their
    content would be packaged (static/) or rendered into the pages (templates/)."""
    real_root = root.resolve()
    for path in sorted(folder.rglob("*")):
        if not path.resolve().is_relative_to(real_root):
            problems.error(path, 0, "this theme file is a link to a file outside the module folder",
                           "copy the file itself into the module's theme/ folder")


def _line_of(path: Path, key: str) -> int:
    """The line of ``key:`` in a theme.yml that has been read without problems (else 1)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    return next((number for number, text in enumerate(lines, 1) if text.strip().startswith(key + ":")), 1)


def _read_theme_file(path: Path, problems: Problems) -> dict[str, Any] | None:
    try:
        document = load_yaml(read_utf8(path))
    except (YamlProblem, NotUtf8) as error:
        problems.error(path, error.line, error.message, error.hint)
        return None
    if not isinstance(document.data, dict):
        problems.error(path, 1, "theme.yml must be 'key: value' lines", "add 'name: My theme'")
        return None
    values = validate(document.data, THEME_SCHEMA, Context(document, (), path, problems))
    return None if values["name"] is None else values
