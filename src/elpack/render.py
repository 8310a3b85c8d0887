"""Rendering: the content model through the theme into the files of a package (in memory)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from .blocks.callout import CALLOUT_TITLES
from .errors import Problems
from .i18n import N_, Messages, babel_locale, messages_for
from .markdown_render import NEW_TAB_NOTE, term_anchor
from .model import BranchChoice, Module, Question
from .module import objectives_tested
from .policy import with_content_security_policy
from .questions import question_type, question_types
from .theme import Theme, captions_text

LAUNCH_FILE = "index.html"
RUNTIME_FILE = "assets/elpack.js"  # where a package carries its target's runtime bundle


def navigation(module: Module) -> dict[str, tuple[str | None, str | None]]:
    """(previous, next) page id of every page. Branch pages go back to the page whose choice
    led to them and on to their 'next:'; main-line pages follow the file order."""
    main_line = [p.id for p in module.pages if not p.branch]
    links: dict[str, tuple[str | None, str | None]] = {}
    for index, page_id in enumerate(main_line):
        links[page_id] = (main_line[index - 1] if index else None,
                          main_line[index + 1] if index + 1 < len(main_line) else None)
    chooser = {o.target: p.id for p in module.pages for b in p.blocks
               if isinstance(b, BranchChoice) for o in b.options if o.target}
    for page in module.pages:
        previous, following = links.get(page.id, (chooser.get(page.id), None))
        links[page.id] = (previous, page.next or following)
    return links


def runtime_data(module: Module, links: dict[str, tuple[str | None, str | None]],
                 reflection_limit: int) -> dict[str, Any]:
    """What the learner runtime needs to navigate, score and resume, as plain JSON data.
    ``links`` is :func:`navigation` of the module, shared with the templates;
    ``reflection_limit`` is each reflection's share of suspend_data (see suspend.py)."""
    config = module.config
    assessment = module.assessment
    data: dict[str, Any] = {
        "id": config.id,
        "title": config.title,
        "version": config.version,
        "passMark": config.pass_mark,
        "scored": module.is_scored,
        "pages": [{"id": p.id, "title": p.title, "branch": p.branch,
                   "previous": links[p.id][0], "next": links[p.id][1]} for p in module.pages],
        "questions": {q.id: _question_data(q, config.assessment.shuffle_options)
                      for q in module.questions},
        "checks": [q.id for q in module.knowledge_checks],
        "reflections": [r.id for r in module.reflections],
        "reflectionLimit": reflection_limit,
        # private: reflection text never reaches the LMS (see blocks/reflection.js)
        "reflectionsPrivate": config.reflections == "private",
        "choices": [{"id": c.id, "targets": {o.id: o.target for o in c.options}}
                    for c in module.choices],
        "assessment": None if assessment is None else {
            "id": assessment.id,
            "questions": [q.id for q in assessment.questions],
            "attempts": config.assessment.attempts,
            "draw": module.draw,
            "showCorrectAnswers": config.assessment.show_correct_answers,
            **_strata(module),
        },
    }
    # Saved progress stays valid while what it refers to (pages, questions, their answers) is
    # unchanged: a new version number, title or pass mark must not reset every learner.
    structure = {key: value for key, value in data.items()
                 if key not in ("title", "version", "passMark", "reflectionsPrivate")}
    structure["pages"] = [{key: value for key, value in page.items() if key != "title"}
                          for page in data["pages"]]
    if data["assessment"] is not None:
        structure["assessment"] = {key: value for key, value in data["assessment"].items()
                                   if key != "showCorrectAnswers"}
    encoded = json.dumps(structure, sort_keys=True, separators=(",", ":")).encode()
    data["hash"] = hashlib.sha256(encoded).hexdigest()[:12]
    messages = messages_for(config.language)
    data["language"] = config.language
    data["messages"] = messages.runtime()
    return data


def _strata(module: Module) -> dict[str, list[list[str]]]:
    """With 'draw_by: objective', the questions of each objective: every draw takes one of
    each (the runtime's drawQuestions), then fills up from the whole pool."""
    if module.config.assessment.draw_by != "objective":
        return {}
    tested = objectives_tested(module)
    return {"strata": [[q.id for q in tested[number]] for number in sorted(tested)]}


def _question_data(question: Question, shuffle_options: bool) -> dict[str, object]:
    kind = question_type(question)
    return {
        "type": question.type,
        "interaction": kind.interaction,
        "scored": question.scored,
        "shuffle": kind.shuffled(question, shuffle_options),
        "pattern": kind.correct_pattern(question),
        "options": [o.id for o in question.options],
        "correct": [o.id for o in question.options if o.correct],
        **kind.runtime_data(question),
    }


# Inside <script>, "</script" ends the element and "<!--" changes how the browser finds that end,
# so no "<", ">" or "&" may appear as such; JSON's \\u escapes keep the data the same.
_SCRIPT_UNSAFE = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def script_json(value: object) -> str:
    """JSON to embed in a <script> element, whatever text the module's strings hold."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True).translate(_SCRIPT_UNSAFE)


def localise_content(page: str, messages: Messages) -> str:
    """The interface words the Markdown renderer put into the module's text (in English, when
    the text was read), in the module's language."""
    note = f'<span class="visually-hidden"> {NEW_TAB_NOTE}</span>'
    translated = f'<span class="visually-hidden"> {escape(messages.gettext(NEW_TAB_NOTE))}</span>'
    return page.replace(note, translated)


def runtime_sources(bundle: str) -> dict[str, bytes]:
    """The learner runtime ``bundle`` (a target's runtime_bundle, in runtime/dist/): minified
    when it was built (npm run build:runtime), since every learner downloads it."""
    return {RUNTIME_FILE: (resources.files("elpack") / "runtime" / "dist" / bundle).read_bytes()}


# The words above a bilingual package's language choice, shown in each of its languages.
LANGUAGE_PROMPT = N_("Choose your language")


def language_name(tag: str) -> str:
    """The language's own name for itself (an autonym): 'Cymraeg', 'English'."""
    name = babel_locale(tag).get_language_name() or tag
    return name[:1].upper() + name[1:]


@dataclass(frozen=True)
class LanguageVersion:
    """One language of a bilingual package: the module in that language and its runtime data."""

    module: Module
    data: dict[str, Any]

    @property
    def language(self) -> str:
        return self.module.config.language


def render_package_files(module: Module, theme: Theme, data: dict[str, Any], runtime_bundle: str,
                         problems: Problems, shared: Collection[str] = (),
                         others: Sequence[LanguageVersion] = ()) -> dict[str, bytes]:
    """Every file of the package except the manifest and control files, by package path.
    ``data`` is the module's :func:`runtime_data`; ``runtime_bundle`` the target's runtime.

    ``shared`` names style sheets and scripts that a programme package stores once, in the
    folder above the module's: they are linked as ``../<name>`` and left out of the files.

    ``others`` makes a bilingual package: the module in its other language, whose pages are
    rendered through the same theme (body.html) with the same element ids, and carried in a
    ``<template>`` for the runtime to swap in when the learner switches language."""
    config = module.config
    files: dict[str, bytes] = {}
    for name, source in theme.static_files().items():
        files[name] = source.read_bytes()
    files.update(runtime_sources(runtime_bundle))

    def link(name: str) -> str:
        return "../" + name if name in shared else name
    stylesheets = [link(name) for name in theme.stylesheets()]
    scripts = [link(name) for name in files if name.endswith(".js")]
    versions = [LanguageVersion(module, data), *others]
    try:
        if others:
            html = _bilingual_page(theme, versions, stylesheets, scripts)
        else:
            context = _page_context(module, theme, data, stylesheets, scripts)
            html = _render(theme, module, LAUNCH_FILE, context)
    except jinja2.TemplateNotFound as missing:
        problems.error(theme.layers[0], 0, f"the theme '{theme.name}' has no template "
                       f"'{missing.name}'", "add it to the theme's templates/ folder, or extend a "
                       "theme that has it")
        return {}
    except (jinja2.TemplateError, TypeError) as error:
        where = getattr(error, "filename", None) or theme.name
        problems.error(Path(where), getattr(error, "lineno", 0) or 0,
                       f"the theme template failed: {error}", "fix the template")
        return {}
    files[LAUNCH_FILE] = with_content_security_policy(html).encode("utf-8")
    for name in sorted(module.media):
        try:
            files[name] = module.made_files.get(name) or (config.root / name).read_bytes()
        except OSError as error:
            # It was there when the pages were read: moved, deleted or locked since.
            problems.error(config.root / name, 0, "the file could not be read while the package "
                           f"was built ({error.strerror or error})", "check that it is still in "
                           "the module folder and not open in another program, then build again")
    return {name: files[name] for name in sorted(files) if name not in shared}


def _page_context(module: Module, theme: Theme, data: dict[str, Any], stylesheets: list[str],
                  scripts: list[str]) -> dict[str, Any]:
    config = module.config
    return {
        "module": module,
        "config": config,
        "pages": module.pages,
        "navigation": navigation(module),
        "page_titles": {page.id: page.title for page in module.pages},
        "theme": theme.options,
        "data_json": script_json(data),
        "stylesheets": stylesheets,
        "scripts": scripts,
        "glossary": sorted(config.glossary.items(), key=lambda item: item[0].lower()),
        # A translated term links to its English term's anchor, as the text's links do.
        "term_anchor": lambda term: module.term_anchors.get(term) or term_anchor(term),
        "question_types": question_types,
        "callout_titles": CALLOUT_TITLES,
        "bilingual": None,
        "switch_to": None,
    }


def _render(theme: Theme, module: Module, template: str, context: dict[str, Any]) -> str:
    """``template`` rendered in the module's language, with the interface words the Markdown
    renderer put into its text in that language too."""
    messages = messages_for(module.config.language)
    environment = theme.environment(messages)
    made = {(module.config.root / name).as_posix(): data
            for name, data in module.made_files.items()}
    environment.filters["captions_text"] = lambda path, root: captions_text(path, root, made)
    return localise_content(environment.get_template(template).render(context), messages)


def _bilingual_page(theme: Theme, versions: list[LanguageVersion], stylesheets: list[str],
                    scripts: list[str]) -> str:
    """The launch page of a bilingual package: the language choice, the first language's pages
    in the document and each other language's in a <template> (see runtime/src/language.js)."""
    choices = [{"language": v.language, "name": language_name(v.language),
                "title": v.module.config.title,
                "prompt": messages_for(v.language).gettext(LANGUAGE_PROMPT)} for v in versions]

    def context(index: int) -> dict[str, Any]:
        version = versions[index]
        other = versions[1] if index == 0 else versions[0]
        found = _page_context(version.module, theme, version.data, stylesheets, scripts)
        found["switch_to"] = {"language": other.language, "name": language_name(other.language)}
        return found
    # Each language is localised on its own, then put in its place: a placeholder keeps the
    # first language's localisation off the others' text.
    others = []
    for index, version in enumerate(versions[1:], 1):
        body = _render(theme, version.module, "body.html", context(index))
        others.append((f"<!--elpack-version-{index}-->", version.language, body))
    first = context(0)
    first["bilingual"] = {"choices": choices,
                          "others": [{"language": language, "body": Markup(placeholder)}
                                     for placeholder, language, _ in others]}
    html = _render(theme, versions[0].module, LAUNCH_FILE, first)
    for placeholder, _, body in others:
        html = html.replace(placeholder, body)
    return html
