"""Translation units: every piece of a module's own text a translator translates, with a stable id.

One walk over the content model finds every translatable field (titles, text, dialogue, options,
feedback, glossary, alt text, ...). Extraction turns the fields into units; a build in another
language puts the translations back into the same fields, so the two can never disagree about
what a unit is.

A unit's id comes from the page, block, question and option ids: ``welcome.title``,
``kc-example.prompt``, ``kc-example.a.feedback``. Text that has no id of its own (paragraphs,
callouts) is named after its page and the heading above it (``welcome.why-it-matters.2``: the
second paragraph under that heading), so an edit in one section never renames the units of
another. A heading keeps its units' ids when it is reworded if it has an id of its own
(``## Why it matters {#why}``).
"""

from __future__ import annotations

import copy
import hashlib
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..blocks.callout import CALLOUT_TITLES
from ..captions import TAG as CUE_TAG
from ..captions import CaptionsFile
from ..i18n import Untranslated, language_of
from ..markdown_render import term_anchor
from ..model import (
    Assessment,
    BranchChoice,
    Callout,
    Dialogue,
    Expert,
    MediaClip,
    Module,
    Option,
    Page,
    Prose,
    Question,
    Reflection,
    Scene,
)
from ..suspend_format import TEXT_ANSWER_LIMIT
from .fragments import (
    HEADINGS,
    Close,
    Fragment,
    Open,
    Piece,
    Segment,
    Standalone,
    Text,
    plain,
    split,
    split_text,
)

UNTRANSLATED_LANGUAGE = "en-GB"  # what an untranslated passage is marked as, by default


def piece_text(pieces: list[Piece]) -> str:
    """A segment with its codes as placeholders: ``<1>link</1>``, ``<2/>`` (PO files, messages)."""
    out = []
    for piece in pieces:
        if isinstance(piece, Text):
            out.append(piece.text)
        elif isinstance(piece, Open):
            out.append(f"<{piece.id}>")
        elif isinstance(piece, Close):
            out.append(f"</{piece.id}>")
        else:
            out.append(f"<{piece.id}/>")
    return "".join(out)


def source_hash(pieces: list[Piece]) -> str:
    """A short hash of a unit's source, words and markup: it changes when the English does."""
    canonical = "".join(p.text if isinstance(p, Text) else f"\x00{type(p).__name__}{p.markup}"
                        for p in pieces)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Unit:
    """One translatable text: its id, source (words and inline codes), and a note that tells the
    translator what it is and where it appears."""

    id: str
    source: list[Piece]
    note: str
    page: str = ""  # the title of the page it is on ("" for the module's details)

    @property
    def hash(self) -> str:
        return source_hash(self.source)

    @property
    def text(self) -> str:
        return piece_text(self.source)


@dataclass
class Field:
    """A translatable value of the model: its fragment, the unit id of each segment, and how to
    store the value rebuilt from translations."""

    fragment: Fragment
    ids: list[str]
    notes: list[str]
    store: Callable[[str], None]
    is_html: bool = True
    page: str = ""
    mark_untranslated: bool = True  # put lang="en-GB" on English left in
    adds_answer: bool = False  # a short-text answer: its translation is accepted as well

    def units(self) -> list[Unit]:
        return [Unit(uid, segment.pieces, note, self.page) for uid, segment, note
                in zip(self.ids, self.fragment.segments, self.notes, strict=True)]

    def apply(self, translated: dict[int, list[Piece]], untranslated: set[int],
              marked_language: str) -> None:
        """Store the value rebuilt from ``translated`` segments; the segments in ``untranslated``
        keep their English, marked with ``lang`` in HTML values."""
        if not self.is_html:
            if 0 in translated:
                self.store(plain(translated[0]))
            elif 0 in untranslated and self.mark_untranslated and not self.adds_answer:
                # the template marks the element that shows it (the lang_attr filter)
                self.store(Untranslated(plain(self.fragment.segments[0].pieces), marked_language))
            return
        pieces = dict(translated)
        for index in untranslated if self.mark_untranslated else ():
            segment = self.fragment.segments[index]
            if segment.attribute:
                self.fragment.languages[index] = marked_language  # on its element, if a picture
                continue
            pieces[index] = [Open("lang", f'<span lang="{marked_language}">'), *segment.pieces,
                             Close("lang", "</span>")]
        rebuilt = self.fragment.rebuild(pieces)
        words = [index for index, s in enumerate(self.fragment.segments) if not s.attribute]
        if self.mark_untranslated and words and untranslated.issuperset(words):
            # wholly English: a plain text taken from it (an option's words) is marked too
            rebuilt = Untranslated(rebuilt, marked_language)
        self.store(rebuilt)


def slug(text: str) -> str:
    words = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return words[:40].rstrip("-") or "section"


@dataclass
class _Walk:
    """The fields of one module, in reading order, with unique ids."""

    fields: list[Field] = field(default_factory=list)
    used: set[str] = field(default_factory=set)
    page: str = ""  # the title of the page being walked

    def unique(self, wanted: str) -> str:
        name, number = wanted, 1
        while name in self.used:
            number += 1
            name = f"{wanted}-{number}"
        self.used.add(name)
        return name

    def text(self, uid: str, value: str, note: str, store: Callable[[str], None]) -> None:
        fragment = split_text(value)
        if fragment.segments:
            self.fields.append(Field(fragment, [self.unique(uid)], [note], store, is_html=False,
                                     page=self.page))

    def html(self, base: str, value: str, note: str, store: Callable[[str], None]) -> None:
        fragment = split(value)
        texts = [s for s in fragment.segments if not s.attribute]
        ids: list[str] = []
        counts: dict[str, int] = {}
        number = 0
        for segment in fragment.segments:
            if segment.attribute:
                counts[segment.attribute] = counts.get(segment.attribute, 0) + 1
                ids.append(self.unique(f"{base}.{segment.attribute}{counts[segment.attribute]}"))
            else:
                number += 1
                ids.append(self.unique(base if len(texts) == 1 else f"{base}.{number}"))
        notes = [_segment_note(note, segment) for segment in fragment.segments]
        if ids:
            self.fields.append(Field(fragment, ids, notes, store, page=self.page))


def _segment_note(note: str, segment: object) -> str:
    attribute = getattr(segment, "attribute", "")
    if attribute == "alt":
        return f"{note}: the text alternative of a picture, read out instead of it"
    if attribute == "title":
        return f"{note}: a tooltip (title) of a word"
    return note


def _setter(target: object, name: str) -> Callable[[str], None]:
    def store(value: str) -> None:
        # Characters, objectives and the like are frozen dataclasses shared by reference (a
        # speech points at its speaker), so the translated copy is changed in place.
        object.__setattr__(target, name, value)
    return store


def fields(module: Module) -> list[Field]:
    """Every translatable field of ``module``, in reading order, each unit id unique."""
    walk = _Walk()
    config = module.config
    walk.text("module.title", config.title, "The module's title, shown to learners and in the "
              "LMS catalogue", _setter(config, "title"))
    walk.text("module.description", config.description, "The module's description for the LMS "
              "catalogue", _setter(config, "description"))
    for objective in config.objectives:
        walk.text(f"module.objective.{objective.id or objective.number}", objective.text,
                  f"Learning objective {objective.number}, after 'By the end of this module you "
                  "will be able to:'", _setter(objective, "text"))
    for index, keyword in enumerate(config.keywords):
        walk.text(f"module.keyword.{index + 1}", keyword, "A search keyword for the LMS catalogue",
                  _list_setter(config.keywords, index))
    for index, reference in enumerate(config.references):
        walk.text(f"module.reference.{index + 1}", reference, "A reference or source, listed under "
                  "'References' at the end of the module (translate its title and words; keep names, "
                  "dates and addresses)", _list_setter(config.references, index))
    for character in config.characters:
        walk.text(f"character.{character.id}.name", character.name, "A person's name in the "
                  "module's stories (fictional; keep or adapt it)", _setter(character, "name"))
        walk.text(f"character.{character.id}.role", character.role,
                  f"The role of {character.name}, shown beside the name", _setter(character, "role"))
    for term in list(config.glossary):
        anchor = term_anchor(term).removeprefix("term-")
        walk.text(f"glossary.{anchor}", term, "A glossary term; the text links to it where "
                  "it is marked as a term", _glossary_term(module, term))
        walk.text(f"glossary.{anchor}.definition", config.glossary[term],
                  f"The glossary's definition of '{term}'", _glossary_definition(module, term))
    for page in module.pages:
        _page(walk, page, module)
    return walk.fields


def _list_setter(values: list[str], index: int) -> Callable[[str], None]:
    def store(value: str) -> None:
        values[index] = value
    return store


def _glossary_term(module: Module, term: str) -> Callable[[str], None]:
    """The glossary is keyed by term; a translated term keeps the English term's anchor, which
    the text's links point to (see :data:`Module.term_anchors`)."""
    def store(value: str) -> None:
        glossary = module.config.glossary
        anchors = module.term_anchors
        current = next(t for t in glossary if anchors.get(t, term_anchor(t)) == term_anchor(term))
        module.config.glossary = {value if t == current else t: d for t, d in glossary.items()}
        module.term_anchors[value] = term_anchor(term)
    return store


def _glossary_definition(module: Module, term: str) -> Callable[[str], None]:
    def store(value: str) -> None:
        anchors = module.term_anchors
        for current in module.config.glossary:
            if anchors.get(current, term_anchor(current)) == term_anchor(term):
                module.config.glossary[current] = value
    return store


def _captions(walk: _Walk, module: Module, path: str, base: str, where: str) -> None:
    """Each cue of a captions file is a unit, named by its start time; a translated build
    packages the file at the same path with only the text of its cues translated."""
    captions = CaptionsFile.read(module.config.root / path)
    texts: dict[int, str] = {}

    def cue_store(index: int) -> Callable[[str], None]:
        def store(value: str) -> None:
            texts[index] = value
            module.made_files[path] = captions.rewritten(texts)
        return store

    for index, cue in enumerate(captions.cues):
        fragment = _cue_fragment(cue.lines)
        if not fragment.segments:
            continue
        note = (f"A caption of the {where}, shown from {cue.start} to {cue.end}"
                + (f", said by {cue.speaker}" if cue.speaker else ""))
        walk.fields.append(Field(fragment, [walk.unique(f"{base}.captions.{cue.start}")], [note],
                                 cue_store(index), page=walk.page, mark_untranslated=False))


LINE_BREAK = "\n"  # the markup of the code that stands for a line break inside a caption


class _CueFragment(Fragment):
    """A cue's text: a translator's words cannot break a line, so its line breaks are exactly
    the codes of the English ones (a blank line would end the cue)."""

    def _piece(self, piece: Piece, translated: dict[int, list[Piece]]) -> str:
        if isinstance(piece, Text):
            return html.escape(" ".join(piece.text.splitlines()), quote=False)
        return super()._piece(piece, translated)


def _cue_fragment(lines: tuple[str, ...]) -> Fragment:
    """A cue's words, its tags (<v Sam>, <i>) and line breaks as codes the translator keeps."""
    pieces: list[Piece] = []

    def code(markup: str) -> None:
        pieces.append(Standalone(str(len([p for p in pieces if not isinstance(p, Text)]) + 1),
                                 markup))

    for number, line in enumerate(lines):
        if number:
            code(LINE_BREAK)
        position = 0
        for match in CUE_TAG.finditer(line):
            if match.start() > position:
                pieces.append(Text(html.unescape(line[position:match.start()])))
            code(match.group(0))
            position = match.end()
        if position < len(line):
            pieces.append(Text(html.unescape(line[position:])))
    if not plain(pieces).strip():
        return Fragment([LINE_BREAK.join(lines)], [])
    return _CueFragment([0], [Segment(pieces)])


def _page(walk: _Walk, page: Page, module: Module) -> None:
    where = f"page '{page.title}'"
    walk.page = page.title
    walk.text(f"{page.id}.title", page.title, f"The title of the {where}", _setter(page, "title"))
    section = _Section(walk, page.id)
    for block in page.blocks:
        if isinstance(block, Prose):
            section.prose(block, where)
        elif isinstance(block, Callout):
            base = section.block(block.style)
            if block.title != CALLOUT_TITLES.get(block.style):  # else elpack's, from its catalogue
                walk.text(f"{base}.title", block.title, f"The title of a '{block.style}' box on "
                          f"the {where}", _setter(block, "title"))
            walk.html(base, block.html, f"A '{block.style}' box on the {where}",
                      _setter(block, "html"))
        elif isinstance(block, Scene):
            base = section.block("scene")
            walk.text(f"{base}.title", block.title, f"The title of a scene on the {where}",
                      _setter(block, "title"))
            walk.text(f"{base}.alt", block.alt, f"The text alternative of the scene's picture on "
                      f"the {where}, read out instead of the picture", _setter(block, "alt"))
            walk.html(base, block.html, f"A scene on the {where}", _setter(block, "html"))
        elif isinstance(block, Expert):
            base = section.block("expert")
            walk.text(f"{base}.title", block.title, f"The title of an expert's view on the {where}",
                      _setter(block, "title"))
            name = block.expert.name if block.expert else "an expert"
            walk.html(base, block.html, f"What {name} says, on the {where}",
                      _setter(block, "html"))
        elif isinstance(block, MediaClip):
            base = section.block(block.media_type)
            walk.text(f"{base}.title", block.title, f"The title of a {block.media_type} on the "
                      f"{where}", _setter(block, "title"))
            walk.html(f"{base}.transcript", block.transcript_html, f"The transcript of a "
                      f"{block.media_type} on the {where}", _setter(block, "transcript_html"))
            if block.captions:
                _captions(walk, module, block.captions, base, where)
        elif isinstance(block, Dialogue):
            base = block.id or section.block("dialogue")
            for number, speech in enumerate(block.speeches, 1):
                who = (f"{speech.speaker.name} ({speech.speaker.role}) says"
                       if speech.speaker else "A stage direction")
                walk.html(f"{base}.{number}", speech.html, f"{who}, in a dialogue on the "
                          f"{where}", _setter(speech, "html"))
        elif isinstance(block, Reflection):
            walk.html(f"{block.id}.prompt", block.prompt_html, f"A question the learner reflects "
                      f"on and answers in their own words, on the {where}",
                      _setter(block, "prompt_html"))
        elif isinstance(block, BranchChoice):
            walk.html(f"{block.id}.prompt", block.prompt_html, f"A 'what would you do?' choice on "
                      f"the {where}", _setter(block, "prompt_html"))
            for option in block.options:
                walk.html(f"{block.id}.{option.id}", option.label_html, f"One of the choices a "
                          f"learner can make, on the {where}", _setter(option, "label_html"))
                walk.html(f"{block.id}.{option.id}.feedback", option.feedback_html, "What "
                          f"follows that choice, on the {where}", _setter(option, "feedback_html"))
        elif isinstance(block, Assessment):
            for question in block.questions:
                _question(walk, question, f"the final assessment on the {where}")
        elif isinstance(block, Question):
            _question(walk, block, f"a knowledge check on the {where}")


class _Section:
    """Names text without ids of its own after its page and the heading above it."""

    def __init__(self, walk: _Walk, page_id: str) -> None:
        self.walk = walk
        self.page_id = page_id
        self.name = "top"
        self.count = 0
        self.kinds: dict[str, int] = {}

    def prose(self, block: Prose, where: str) -> None:
        fragment = split(block.html)
        ids, notes = [], []
        attributes: dict[str, int] = {}
        for segment in fragment.segments:
            if segment.attribute:
                attributes[segment.attribute] = attributes.get(segment.attribute, 0) + 1
                wanted = f"{self.page_id}.{self.name}.{segment.attribute}{attributes[segment.attribute]}"
                notes.append(_segment_note(f"Text on the {where}", segment))
            elif segment.block in HEADINGS:
                self.name = slug(segment.block_id or segment.text)
                self.count, self.kinds, attributes = 0, {}, {}
                wanted = f"{self.page_id}.{self.name}"
                notes.append(f"A heading on the {where}")
            else:
                self.count += 1
                wanted = f"{self.page_id}.{self.name}.{self.count}"
                kind = {"li": "A list item", "td": "A table cell", "th": "A table heading",
                        "figcaption": "A picture's caption"}.get(segment.block, "Text")
                notes.append(f"{kind} on the {where}")
            ids.append(self.walk.unique(wanted))
        if ids:
            self.walk.fields.append(Field(fragment, ids, notes, _setter(block, "html"),
                                          page=self.walk.page))

    def block(self, kind: str) -> str:
        self.kinds[kind] = self.kinds.get(kind, 0) + 1
        return f"{self.page_id}.{self.name}.{kind}{self.kinds[kind]}"


def _question(walk: _Walk, question: Question, where: str) -> None:
    walk.html(f"{question.id}.prompt", question.prompt_html, f"A question in {where}",
              _setter(question, "prompt_html"))
    typed = question.type == "text"  # answers are compared with what learners type
    for option in question.options:
        if typed and option.correct:
            _accepted_answer(walk, question, option, where)
        elif not typed:
            kind = "A correct answer" if option.correct else "A wrong answer"
            if question.type == "matching":
                kind = "An item the learner matches"
            walk.html(f"{question.id}.{option.id}", option.html, f"{kind} to the question, in "
                      f"{where}", _option_html(option, keep_text=question.type == "true-false"))
        walk.html(f"{question.id}.{option.id}.feedback", option.feedback_html, "The feedback "
                  f"shown for that answer, in {where}", _setter(option, "feedback_html"))
    for number, partner in enumerate(question.partners, 1):
        walk.text(f"{question.id}.match{number}", partner, f"What the items are matched to, in "
                  f"{where}", _partner(question, partner))
    for name, text in (("correct", question.correct_html), ("incorrect", question.incorrect_html),
                       ("feedback", question.feedback_html)):
        kind = {"correct": "shown when the answer is right",
                "incorrect": "shown when the answer is wrong",
                "feedback": "shown after any answer"}[name]
        walk.html(f"{question.id}.{name}", text, f"Feedback {kind}, in {where}",
                  _setter(question, f"{name}_html"))


def _accepted_answer(walk: _Walk, question: Question, option: Option, where: str) -> None:
    """A short-text answer is a unit whose translation is accepted as well as the English, in
    every language's package (translation.apply.add_translated_answers): a learner may answer
    in any of the module's languages, and each package scores the same answers the same way."""
    fragment = split_text(option.text)
    if not fragment.segments:
        return

    def add(value: str) -> None:
        answer = value.strip()
        english = [o.text for o in question.options if o.correct]
        if answer and answer not in english and answer not in question.translated_answers:
            question.translated_answers.append(answer)

    note = (f"An answer a learner may type to the question, in {where}. Your translation is "
            "accepted as well as the English one: write what a learner would type in your "
            f"language (at most {TEXT_ANSWER_LIMIT} characters)")
    walk.fields.append(Field(fragment, [walk.unique(f"{question.id}.{option.id}")], [note], add,
                             is_html=False, page=walk.page, adds_answer=True))


def _option_html(option: object, keep_text: bool) -> Callable[[str], None]:
    def store(value: str) -> None:
        object.__setattr__(option, "html", value)
        if not keep_text:  # true-false options are scored by their English words
            segments = split(value).segments
            text = " ".join(s.text for s in segments if not s.attribute)
            language = language_of(value)
            object.__setattr__(option, "text", Untranslated(text, language) if language else text)
    return store


def _partner(question: Question, english: str) -> Callable[[str], None]:
    def store(value: str) -> None:
        for option in question.options:
            if option.partner == english:
                option.partner = value
    return store


def extract(module: Module) -> list[Unit]:
    """Every translation unit of ``module``, in reading order."""
    return [unit for item in fields(module) for unit in item.units()]


def translated_copy(module: Module) -> tuple[Module, list[Field]]:
    """A copy of ``module`` to put translations into, with its fields."""
    duplicate = copy.deepcopy(module)
    return duplicate, fields(duplicate)

