"""Typed option schemas for YAML files (module.yml, page front matter, theme.yml).

Each option converts and checks one value and carries the docstring that documents it. A schema
is a mapping from key to option; :func:`validate` applies it, reports every problem (not just the
first) and warns about unknown keys, suggesting the key the writer probably meant.

Settings are declared once: each field of a settings dataclass is made with :func:`setting`,
which holds its option and its default, and :func:`schema_of` derives the schema from the fields.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import MISSING, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import Problems
from .textfile import NotUtf8, read_utf8
from .yamlfile import KeyPath, YamlDocument, read_yaml

OPTION = "elpack.option"  # where a settings field keeps its option, in the field's metadata
SLUG = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
LANGUAGE = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")
SLUG_HINT = "use lowercase letters, digits and single hyphens, starting with a letter (e.g. 'my-id')"


class Invalid(Exception):
    """A value that does not fit its option."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class Option:
    """One key of a YAML schema. ``doc`` is the user documentation of the key."""

    doc: str
    required: bool = False
    default: Any = None

    def convert(self, value: Any, context: Context) -> Any:
        return value


@dataclass
class Context:
    """Where a value sits, so nested options can report problems at their own line."""

    document: YamlDocument
    path: KeyPath
    file: Path
    problems: Problems

    def at(self, *keys: str | int) -> Context:
        return Context(self.document, (*self.path, *keys), self.file, self.problems)

    @property
    def line(self) -> int:
        return self.document.line(self.path)

    def error(self, message: str, hint: str = "") -> None:
        self.problems.error(self.file, self.line, message, hint)


def type_name(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false", int: "a number",
            float: "a number", type(None): "empty"}.get(type(value), type(value).__name__)


@dataclass(frozen=True)
class Text(Option):
    max_length: int | None = None
    pattern: re.Pattern[str] | None = None
    pattern_hint: str = ""

    def convert(self, value: Any, context: Context) -> str:
        if isinstance(value, int | float | bool):
            # YAML reads "version: 1.10" as the number 1.1 and "title: Yes" as true; take the
            # text as the writer typed it.
            value = context.document.written.get(context.path, str(value))
        if not isinstance(value, str):
            raise Invalid(f"must be text, not {type_name(value)}", "write it as plain text")
        text: str = value.strip()
        if not text:
            raise Invalid("must not be empty", "write a value or remove the key")
        if self.max_length and len(text) > self.max_length:
            raise Invalid(
                f"is {len(text)} characters long; the limit is {self.max_length}",
                "shorten it",
            )
        if self.pattern and not self.pattern.match(text):
            raise Invalid(f"cannot be '{text}'", self.pattern_hint)
        return text


@dataclass(frozen=True)
class Integer(Option):
    minimum: int | None = None
    maximum: int | None = None

    def convert(self, value: Any, context: Context) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(f"must be a whole number, not {type_name(value)}", "e.g. 80")
        allowed = (f"use a whole number from {self.minimum} to {self.maximum}"
                   if self.minimum is not None and self.maximum is not None else "")
        if self.minimum is not None and value < self.minimum:
            raise Invalid(f"must be at least {self.minimum}, not {value}",
                          allowed or f"use {self.minimum} or more")
        if self.maximum is not None and value > self.maximum:
            raise Invalid(f"must be at most {self.maximum}, not {value}",
                          allowed or f"use {self.maximum} or less")
        return value


@dataclass(frozen=True)
class Boolean(Option):
    def convert(self, value: Any, context: Context) -> bool:
        if not isinstance(value, bool):
            raise Invalid(f"must be true or false, not {type_name(value)}")
        return value


@dataclass(frozen=True)
class Count(Option):
    """A positive whole number, or the word ``unlimited`` (stored as ``None``)."""

    def convert(self, value: Any, context: Context) -> int | None:
        if value == "unlimited":
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise Invalid("must be a whole number of 1 or more, or 'unlimited'")
        return value


@dataclass(frozen=True)
class TextList(Option):
    def convert(self, value: Any, context: Context) -> list[str]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise Invalid(f"must be a list, not {type_name(value)}", "write one '- item' a line")
        items = []
        for index, item in enumerate(value):
            try:
                items.append(Text("").convert(item, context))
            except Invalid as error:
                context.at(index).error(f"item {index + 1} {error.message}", error.hint)
        return items


@dataclass(frozen=True)
class TextMapping(Option):
    """A mapping of text keys to text values, such as a glossary."""

    def convert(self, value: Any, context: Context) -> dict[str, str]:
        if not isinstance(value, dict):
            raise Invalid(f"must be a mapping, not {type_name(value)}", "write 'term: text' lines")
        result = {}
        for key, item in value.items():
            try:
                result[str(key)] = Text("").convert(item, context)
            except Invalid as error:
                context.at(str(key)).error(f"'{key}' {error.message}", error.hint)
        return result


@dataclass(frozen=True)
class AnyMapping(Option):
    def convert(self, value: Any, context: Context) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise Invalid(f"must be a mapping, not {type_name(value)}")
        return value


@dataclass(frozen=True)
class SubSchema(Option):
    """A nested mapping with its own schema."""

    schema: Mapping[str, Option] | None = None
    build: Callable[..., Any] | None = None

    def convert(self, value: Any, context: Context) -> Any:
        if value is None:
            value = {}
        if not isinstance(value, dict):
            raise Invalid(f"must be a mapping, not {type_name(value)}")
        assert self.schema is not None and self.build is not None
        return self.build(**validate(value, self.schema, context))


@dataclass(frozen=True)
class ListOf(Option):
    """A list whose items are mappings with their own schema."""

    schema: Mapping[str, Option] | None = None
    build: Callable[..., Any] | None = None

    def convert(self, value: Any, context: Context) -> list[Any]:
        if not isinstance(value, list):
            raise Invalid(f"must be a list, not {type_name(value)}", "start each item with '- '")
        assert self.schema is not None and self.build is not None
        items = []
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                context.at(index).error(f"item {index + 1} must be a mapping of keys and values")
                continue
            fields = validate(item, self.schema, context.at(index))
            if all(fields.get(k) is not None for k, o in self.schema.items() if o.required):
                items.append(self.build(**fields, line=context.at(index).line))
        return items


def validate(data: Mapping[str, Any], schema: Mapping[str, Option], context: Context,
             ) -> dict[str, Any]:
    """Convert ``data`` with ``schema``; every problem goes to ``context.problems``.

    Returns a value for every schema key: the converted value, the default, or ``None`` where the
    value was missing or wrong (the caller never builds output in that case, as errors abort).
    """
    result: dict[str, Any] = {}
    for key, option in schema.items():
        here = context.at(key)
        if key not in data or data[key] is None:
            if option.required:
                context.error(
                    f"'{key}' is missing",
                    f"add a line '{key}: ...'. {option.doc}",
                )
            result[key] = option.default() if callable(option.default) else option.default
            continue
        try:
            result[key] = option.convert(data[key], here)
        except Invalid as error:
            here.error(f"'{key}' {error.message}", error.hint)
            result[key] = None
    for key in data:
        if key not in schema:
            guess = difflib.get_close_matches(str(key), list(schema), n=1)
            hint = f"did you mean '{guess[0]}'?" if guess else f"known keys: {', '.join(schema)}"
            context.problems.warning(
                context.file, context.at(str(key)).line, f"unknown key '{key}' is ignored", hint
            )
    return result


def setting(option: Option, default: Any = MISSING, *,
            factory: Callable[[], Any] | None = None) -> Any:
    """A field of a settings dataclass that is also a key of its schema. ``default`` (or a
    ``factory`` for lists, mappings and nested settings) is the value when the key is left out;
    a required option has neither."""
    if factory is not None:
        return field(default_factory=factory, metadata={OPTION: replace(option, default=factory)})
    if default is MISSING:
        return field(metadata={OPTION: option})
    return field(default=default, metadata={OPTION: replace(option, default=default)})


def schema_of(settings: type) -> dict[str, Option]:
    """The schema of a settings dataclass: each :func:`setting` field's option, in field order."""
    return {f.name: f.metadata[OPTION] for f in fields(settings) if OPTION in f.metadata}


def read_settings(path: Path, schema: Mapping[str, Option], problems: Problems, start_hint: str,
                  ) -> tuple[YamlDocument, dict[str, Any], Context] | None:
    """Read a settings file (module.yml, programme.yml) and check it against ``schema``: the
    document, the values (see :func:`validate`) and the context later checks report through.
    None when the file is not a readable mapping; every problem goes to ``problems``."""
    try:
        text = read_utf8(path)
    except NotUtf8 as error:
        problems.error(path, error.line, error.message, error.hint)
        return None
    read = read_yaml(text)
    for problem in read.problems:
        problems.error(path, problem.line, problem.message, problem.hint)
    document = read.document
    if document is None:
        return None
    if not isinstance(document.data, dict):
        problems.error(path, 1, f"{path.name} must be a mapping of keys and values", start_hint)
        return None
    # A setting on a line that could not be read is already reported; "missing" would repeat it.
    checked = Problems(problems.root)
    context = Context(document, (), path, checked)
    values = validate(document.data, schema, context)
    problems.items += [p for p in checked.items
                       if not any(p.message == f"'{key}' is missing" for key in read.lost_keys)]
    return document, values, Context(document, (), path, problems)


def fill_defaults(values: dict[str, Any], schema: Mapping[str, Option],
                  stand_ins: Mapping[str, Any]) -> None:
    """Complete checked ``values`` so that later checks can run. A missing or wrong required
    value (already reported) gets its stand-in, so the writer sees every problem in one run (the
    build stops before any output); a wrong optional value falls back to its default, so that
    later steps never meet a None where a list, mapping or settings object belongs."""
    for key, value in stand_ins.items():
        if values.get(key) is None:
            values[key] = value
    for key, option in schema.items():
        if values[key] is None and option.default is not None:
            values[key] = option.default() if callable(option.default) else option.default
