"""Interface strings: what elpack itself puts in front of a learner or reviewer, per language.

Each language elpack speaks has a gettext catalogue shipped as package data
(``locale/<tag>.po``, msgid = the English text). A module's ``language`` picks the catalogue:
the templates call ``_()``/``ngettext()`` through Jinja's i18n extension, and the learner
runtime receives, in its data, only the strings named in ``runtime/messages.json``, already
translated. Plural rules are CLDR's, through Babel: the catalogue's ``Plural-Forms`` header is
Babel's for the language (Welsh has six forms), and the runtime gets one string per CLDR plural
category, which it picks with the browser's ``Intl.PluralRules`` (also CLDR).
"""

from __future__ import annotations

import gettext
import io
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from .errors import ElpackError

SOURCE_LANGUAGE = "en-GB"  # the language of every msgid, and of modules unless they say otherwise
RUNTIME_MESSAGES_FILE = "messages.json"  # in runtime/: the strings the learner runtime uses
# The largest number looked at to find an example of each plural category (CLDR's categories
# for every language elpack ships are all met well below it).
_PLURAL_PROBE = 1000


class Untranslated(str):
    """A plain value (a title, a name, alt text) still in the module's source language in a
    translated module (built with --allow-untranslated): templates mark the element that shows
    it with ``lang`` (the ``lang_attr`` filter), so that screen readers speak it as that
    language. Any string operation gives a plain ``str`` back, so only the value as stored in
    the model carries the mark."""

    language: str

    def __new__(cls, value: str, language: str) -> Untranslated:
        made = super().__new__(cls, value)
        made.language = language
        return made

    def __reduce__(self) -> tuple[type[Untranslated], tuple[str, str]]:
        return (Untranslated, (str(self), self.language))


def language_of(value: object) -> str | None:
    """The language ``value`` is marked as being in, if it is an :class:`Untranslated` value."""
    return value.language if isinstance(value, Untranslated) else None


class UnknownLanguage(ElpackError):
    """A language tag for which elpack has no catalogue."""

    def __init__(self, tag: str) -> None:
        self.tag = tag
        self.available = available_languages()
        super().__init__(f"elpack has no interface strings in the language '{tag}'; "
                         f"languages available: {', '.join(self.available)}")


def _locale_folder() -> Any:
    return resources.files("elpack") / "locale"


@cache
def available_languages() -> tuple[str, ...]:
    """The language tags of the catalogues shipped with elpack, e.g. ('cy', 'en-GB')."""
    return tuple(sorted(entry.name.removesuffix(".po") for entry in _locale_folder().iterdir()
                        if entry.name.endswith(".po")))


def catalogue_language(tag: str) -> str | None:
    """The catalogue for the language tag ``tag``: the same tag (in any case), else the one of
    the same language ('en' and 'en-US' read 'en-GB', 'cy-GB' reads 'cy'); None if none."""
    available = available_languages()
    exact = {name.lower(): name for name in available}
    if tag.lower() in exact:
        return exact[tag.lower()]
    primary = tag.split("-")[0].lower()
    same = [name for name in available if name.split("-")[0].lower() == primary]
    return same[0] if same else None


def babel_locale(tag: str) -> Locale:
    """Babel's locale for a language tag such as 'en-GB' or 'cy'."""
    try:
        return Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError):
        return Locale.parse(tag.split("-")[0])


@cache
def read_catalogue(name: str) -> Catalog:
    """The catalogue ``locale/<name>.po``, as Babel reads it."""
    data = (_locale_folder() / f"{name}.po").read_bytes()
    return read_po(io.BytesIO(data), locale=babel_locale(name).language, abort_invalid=True)


@dataclass(frozen=True)
class Messages:
    """The interface strings of one language."""

    language: str  # the catalogue's tag, e.g. 'cy'
    catalogue: Catalog
    translations: gettext.GNUTranslations

    @property
    def locale(self) -> Locale:
        return babel_locale(self.language)

    @property
    def name(self) -> str:
        """The language's name in itself, e.g. 'Cymraeg'."""
        return str(self.locale.get_display_name(self.locale)).split(" (")[0]

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self.translations.ngettext(singular, plural, count)

    def plural_examples(self) -> dict[str, int]:
        """One number of each CLDR plural category of the language, e.g. {'one': 1, ...}."""
        return dict(_plural_examples(self.language))

    def runtime(self) -> dict[str, str | dict[str, str]]:
        """The strings the learner runtime uses, by key: a text, or for a plural one text per
        CLDR category (the runtime picks one with Intl.PluralRules)."""
        strings: dict[str, str | dict[str, str]] = {}
        examples = sorted(self.plural_examples().items())
        for key, english in runtime_messages().items():
            if isinstance(english, str):
                strings[key] = self.gettext(english)
            else:
                singular, plural = english
                strings[key] = {category: self.ngettext(singular, plural, number)
                                for category, number in examples}
        return strings


def N_(message: str) -> str:
    """Mark an English string in Python code for the catalogues (:func:`interface_messages`
    finds it); it is translated where it is shown, with :meth:`Messages.gettext`."""
    return message


@cache
def _plural_examples(language: str) -> tuple[tuple[str, int], ...]:
    # Once per language: finding them runs the plural rule on every number up to the probe.
    examples: dict[str, int] = {}
    rule = babel_locale(language).plural_form
    for number in range(_PLURAL_PROBE):
        examples.setdefault(rule(number), number)
    return tuple(examples.items())


@cache
def runtime_messages() -> dict[str, str | tuple[str, str]]:
    """The runtime's strings by key: the English msgid, or (singular, plural)."""
    path = resources.files("elpack") / "runtime" / RUNTIME_MESSAGES_FILE
    raw: dict[str, str | list[str]] = json.loads(path.read_text(encoding="utf-8"))
    return {key: value if isinstance(value, str) else (value[0], value[1])
            for key, value in raw.items()}


@cache
def messages_for(tag: str) -> Messages:
    """The interface strings for the language tag ``tag``; UnknownLanguage if elpack has none."""
    name = catalogue_language(tag)
    if name is None:
        raise UnknownLanguage(tag)
    catalogue = read_catalogue(name)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return Messages(name, catalogue, gettext.GNUTranslations(compiled))


# Keeping the catalogues complete ---------------------------------------------------------

TEMPLATE_KEYWORDS = ("_", "gettext", "ngettext")
CATALOGUE_HEADERS = {
    "en-GB": "# elpack's interface strings in English (United Kingdom): the source of every "
             "other catalogue.\n",
    "cy": "# elpack's interface strings in Welsh (Cymraeg).\n"
          "# NEEDS REVIEW BY A WELSH SPEAKER: these strings were written by elpack's developers, "
          "not by a\n# Welsh-speaking translator. Have them checked before relying on them.\n",
}


def template_files() -> list[Any]:
    """The templates of the built-in themes and elpack's own pages (the programme catalogue)."""
    themes = resources.files("elpack") / "themes"
    found = _files_under(resources.files("elpack") / "templates")
    for theme in sorted(themes.iterdir(), key=lambda entry: entry.name):
        templates = theme / "templates"
        if templates.is_dir():
            found += _files_under(templates)
    return found


def _files_under(folder: Any) -> list[Any]:
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.is_dir():
            found += _files_under(entry)
        elif entry.name.endswith(".html"):
            found.append(entry)
    return found


def _python_files(folder: Any) -> list[Any]:
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.is_dir() and entry.name not in ("node_modules", "__pycache__"):
            found += _python_files(entry)
        elif entry.name.endswith(".py"):
            found.append(entry)
    return found


def interface_messages() -> dict[str, str | None]:
    """Every msgid elpack uses, with its plural msgid (None for none): the built-in templates'
    ``_()``/``ngettext()`` calls, strings marked ``N_()`` in elpack's Python code, and the
    runtime's strings."""
    from babel.messages.extract import extract_python
    from jinja2.ext import babel_extract

    found: dict[str, str | None] = {}
    for template in template_files():
        with template.open("rb") as stream:
            for _, _, message, _ in babel_extract(stream, TEMPLATE_KEYWORDS, [],
                                                  {"trimmed": "false"}):
                if isinstance(message, str):
                    found.setdefault(message, None)
                elif message and message[0]:
                    found[str(message[0])] = message[1] if len(message) > 1 else None
    for source in _python_files(resources.files("elpack")):
        with source.open("rb") as stream:
            for _, _, marked, _ in extract_python(stream, {"N_": None}, [], {}):
                if isinstance(marked, str):
                    found.setdefault(marked, None)
    from .blocks.callout import CALLOUT_TITLES
    from .markdown_render import NEW_TAB_NOTE

    # Interface words the model and theme.py's filters put in pages.
    for word in (NEW_TAB_NOTE, *CALLOUT_TITLES.values(), "Table", "Table:", "Table: %(headings)s"):
        found.setdefault(word, None)
    for english in runtime_messages().values():
        if isinstance(english, str):
            found.setdefault(english, None)
        else:
            found[english[0]] = english[1]
    return dict(sorted(found.items()))
