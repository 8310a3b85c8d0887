"""Accessibility and readability checks on what learners read: ``elpack check`` (and build).

The checks work on the Markdown source of each page, not on the rendered HTML, so that every
warning points at the line the writer has to change. They read the page lines the parser read,
split into the same tree of blocks by the same fence scanner (:func:`containers.scan`), so block
lines, fenced code and line numbers agree with the parser's. What a block's lines mean (which
words learners read on a dialogue or choice line, which blocks show a heading, which are not
prose) is asked of the block's registered type (``blocks/``), which also parses them: there is
no second reader of the block syntax here.

What is checked, all as warnings:

- link text that does not say where a link goes ("click here", "read more", a bare web address);
- headings that skip a level (the page title is the h1, block titles such as a callout's are h2);
- sentences longer than :data:`LONG_SENTENCE_WORDS` words;
- a page whose Flesch reading ease is below :data:`MIN_READING_EASE`.

Pictures without alt text are errors of the parser (``markdown_render.py`` and the scene block),
so they are not repeated here; ``elpack check`` reports them because it loads the module with
:func:`module.load_module` like ``elpack build`` does.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .blocks import block_types
from .containers import CODE_FENCE, Container, TextRun, scan
from .errors import Problems
from .model import Module, Page
from .parser import TITLE, front_matter_end

LONG_SENTENCE_WORDS = 30
# Flesch's own scale calls 0-29 "very difficult" (academic papers). Clinical vocabulary pulls
# scores down, so warning earlier than this would flag most pages of a clinical module.
MIN_READING_EASE = 30.0
# Below about 100 words a Flesch score swings wildly with one long word: report it, never warn.
MIN_WORDS_FOR_EASE_WARNING = 100


VAGUE_LINK_TEXTS = {
    "click", "click here", "click this", "click this link", "tap here", "press here", "here",
    "go", "go here", "see here", "this", "that", "link", "this link", "follow this link", "url",
    "page", "this page", "web page", "webpage", "website", "this website", "site", "this site",
    "more", "read more", "more info", "more information", "info", "information", "details",
    "find out more", "learn more", "see more", "continue", "visit", "download", "document",
}
URL_TEXT = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
# [text](href "title") or [text][ref], but not ![image](...), [[glossary term]] or [^footnote].
LINK = re.compile(r"(?<![!\[\\])\[(?![\[^])([^\[\]]+)\](?:\([^()]*\)|\[[^\[\]]*\])")
AUTOLINK = re.compile(r"<(https?://[^<>\s]+)>", re.IGNORECASE)  # as Python-Markdown: a scheme is needed

# As Python-Markdown: no indent, no space needed; closing #s are trimmed after the match.
ATX_HEADING = re.compile(r"^(#{1,6})(.*)$")
SETEXT_UNDERLINE = re.compile(r"^[=-]+ *$")
RULE = re.compile(r"^ {0,3}([-*_])(?: *\1){2,} *$")
TABLE_CELL_RULE = re.compile(r":?-+:?")
DEFINITION_LINE = re.compile(r"^ {0,3}(?:\[\^[^\]]+\]|\*\[[^\]]+\]|\[[^\]]+\]):\s")  # notes, abbr, refs
ATTRIBUTE_LINE = re.compile(r"^\s*\{:?[^}]*\}\s*$")
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?")
QUOTE = re.compile(r"^\s*>\s?")
DEFINITION = re.compile(r"^ {0,3}:\s+")

INLINE_CLEANUP = [
    (re.compile(r"!\[[^\[\]]*\]\([^()]*\)"), " "),  # pictures: alt text is not running text
    (re.compile(r"\[\[([^\[\]|]+?)(?:\|[^\[\]]+)?\]\]"), r"\1"),  # [[words shown|term]]
    (re.compile(r"\[\^[^\[\]]+\]"), ""),  # footnote marks
    (re.compile(r"\[([^\[\]]+)\](?:\([^()]*\)|\[[^\[\]]*\])"), r"\1"),  # links keep their text
    (re.compile(r"<(?:https?://|mailto:|www\.)[^<>]*>|\bhttps?://\S+", re.IGNORECASE), " "),
    (re.compile(r"<[^<>]+>"), " "),  # HTML tags
    (re.compile(r"\{:?[^{}]*\}"), " "),  # attribute lists
    (re.compile(r"\\(.)"), r"\1"),  # backslash escapes
    (re.compile(r"[*_~`]+"), ""),  # emphasis and code marks
]
TOKEN_EDGES = "\"'“”‘’()[]{}.,;:!?…—–-/&%+*=<>|"
SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
ABBREVIATIONS = {"e.g.", "i.e.", "eg.", "ie.", "cf.", "vs.", "approx.", "dr.", "mr.", "mrs.", "ms.",
                 "st.", "prof.", "no."}


# -- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageReadability:
    """Flesch reading ease of the learner-facing text of one page."""

    page_id: str
    file: Path
    words: int
    sentences: int
    syllables: int

    @property
    def reading_ease(self) -> float | None:
        """206.835 - 1.015 x words per sentence - 84.6 x syllables per word; None without text."""
        if not self.words or not self.sentences:
            return None
        return flesch_reading_ease(self.words, self.sentences, self.syllables)

    @property
    def label(self) -> str:
        return ease_label(self.reading_ease)


def flesch_reading_ease(words: int, sentences: int, syllables: int) -> float:
    return 206.835 - 1.015 * (words / sentences) - 84.6 * (syllables / words)


def ease_label(score: float | None) -> str:
    """Flesch's own names for the bands of his scale (1948), with "standard" as plain English."""
    if score is None:
        return "no text"
    for floor, label in ((90, "very easy"), (80, "easy"), (70, "fairly easy"),
                         (60, "plain English"), (50, "fairly difficult"), (30, "difficult")):
        if score >= floor:
            return label
    return "very difficult"


# -- syllables -------------------------------------------------------------------------------

VOWEL_GROUP = re.compile(r"[aeiouy]+")
# Vowel pairs that are usually two syllables (me-di-a, ac-tu-al, ra-di-o), except in the endings
# -cial, -tial, -tion, -sion, -cious, -tious, -gion, -gious, -qua-, -gua- where they are one
# (so-cial, ac-tion, qual-i-ty, lan-guage).
SPLIT_PAIR = re.compile(r"(?<![cstg])i[ao]|[^qg]ua|iu")
SILENT_E = re.compile(r"[^ey]e$")  # make, but not free or goodbye
SOUNDED_LE = re.compile(r"[^aeiouy]le$")  # ta-ble, peo-ple
SILENT_ES_ED = re.compile(r"[^aeiouy]e[sd]$")  # makes, jumped
SOUNDED_ES_ED = re.compile(r"(?:[sxz]|[cs]h|[cg])es$|[td]ed$")  # box-es, pla-ces, want-ed


@functools.lru_cache(maxsize=16384)  # the same words recur on every page; counting is pure
def count_syllables(word: str) -> int:
    """Syllables of an English word, by a rule of thumb that is right for most everyday words.

    1. Only letters count; a word of three letters or fewer has one syllable.
    2. Each group of vowels (a, e, i, o, u, y) is a syllable: "pa-tient" has the groups a, ie.
    3. A final silent "e" is not: "make" has one, but "-le" after a consonant is: "ta-ble".
    4. Nor are "-es" and "-ed" after a consonant ("makes", "jumped"), except where they are
       said ("box-es", "pla-ces", "want-ed").
    5. Some vowel pairs are two syllables: "ia", "io", "ua", "iu" ("me-di-a", "ra-di-o",
       "ac-tu-al", "me-di-um"), but not in "-cial", "-tion", "-sion", "-gion", "qua", "gua"
       ("so-cial", "ac-tion", "qual-i-ty", "lan-guage").
    6. Every word has at least one syllable. Hyphenated words count each part.

    It miscounts some words ("a-re-a" counts 2); over a page the errors mostly cancel out.
    """
    letters = re.sub(r"[^a-z-]", "", word.lower())
    parts = [part for part in letters.split("-") if part]
    if len(parts) > 1:
        return sum(count_syllables(part) for part in parts)
    word = parts[0] if parts else ""
    if len(word) <= 3:
        return 1
    count = len(VOWEL_GROUP.findall(word)) + len(SPLIT_PAIR.findall(word))
    silent_e = SILENT_E.search(word) and not SOUNDED_LE.search(word)
    silent_es_ed = SILENT_ES_ED.search(word) and not SOUNDED_ES_ED.search(word)
    if silent_e or silent_es_ed:
        count -= 1
    return max(count, 1)


# -- reading a page's source -----------------------------------------------------------------


@dataclass
class SourceLine:
    """A line of page text with where it is: its block, and what kind of Markdown line it is."""

    number: int
    text: str
    block: str  # type of the innermost block holding the line; "page" at the top level
    code: bool = False  # inside fenced code, or a fence line
    heading: int = 0  # heading level when the line is a heading (ATX, or setext text line)
    underline: bool = False  # the =====/----- line under a setext heading


@dataclass
class Opening:
    """A block's opening line ('::: type {...}')."""

    number: int
    type: str
    attributes: dict[str, str]

    @property
    def heading_level(self) -> int:
        """The level of the heading its template shows, 0 for none."""
        kind = block_types.get(self.type)
        return kind.heading_level(self.type, self.attributes) if kind else 0


@dataclass
class PageSource:
    file: Path
    events: list[SourceLine | Opening] = field(default_factory=list)
    title_line: int = 1

    @property
    def lines(self) -> list[SourceLine]:
        return [event for event in self.events if isinstance(event, SourceLine)]


def read_page_source(file: Path) -> PageSource:
    """The body of a page file on its own (the build uses the lines its parser read)."""
    # utf-8-sig, as the parser reads it: a byte-order mark must not hide the front matter.
    lines = file.read_text(encoding="utf-8-sig").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    closing = front_matter_end(lines)
    if closing is None:
        return page_source(file, lines, 1)
    return page_source(file, lines[closing + 1:], closing + 2)


def page_source(file: Path, lines: list[str], first_line: int) -> PageSource:
    """A page body (``lines``, from file line ``first_line``) as lines and block openings."""
    root, _ = scan(lines, first_line)  # fence problems are the parser's to report
    source = PageSource(file, list(_events(root)))
    _mark_code(source.lines)
    _mark_title(source)
    _mark_headings(source.lines)
    return source


def _events(container: Container) -> Iterator[SourceLine | Opening]:
    for child in container.children:
        if isinstance(child, TextRun):
            for offset, text in enumerate(child.lines):
                yield SourceLine(child.first_line + offset, text, container.type)
        else:
            yield Opening(child.line, child.type, child.attributes)
            yield from _events(child)


def _mark_code(lines: list[SourceLine]) -> None:
    fence: str | None = None
    for line in lines:
        match = CODE_FENCE.match(line.text)
        if fence is not None:
            line.code = True
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
        elif match:
            line.code = True
            fence = match.group(1)


def _mark_title(source: PageSource) -> None:
    """The page's first line is its title if it is a '# Title' line (as PageParser._take_title)."""
    for event in source.events:
        if isinstance(event, Opening):
            return
        if event.text.strip():
            if TITLE.match(event.text) and not event.code:
                source.title_line = event.number
                event.heading = 1
            return


def _mark_headings(lines: list[SourceLine]) -> None:
    for index, line in enumerate(lines):
        if line.code:
            continue
        atx = ATX_HEADING.match(line.text)
        if atx and atx.group(2).rstrip().rstrip("#").strip():
            line.heading = len(atx.group(1))
        elif SETEXT_UNDERLINE.match(line.text) and index and _starts_paragraph(lines, index - 1):
            lines[index - 1].heading = 1 if line.text.startswith("=") else 2
            line.underline = True


def _starts_paragraph(lines: list[SourceLine], index: int) -> bool:
    """Python-Markdown reads 'Text' over '----' as a heading only when Text begins a paragraph."""
    line = lines[index]
    if line.code or line.heading or not line.text.strip():
        return False
    if index == 0:
        return True
    before = lines[index - 1]
    return (before.number != line.number - 1 or before.block != line.block
            or not before.text.strip() or bool(before.heading) or before.underline)


# -- the checks ------------------------------------------------------------------------------


def check_module(module: Module, problems: Problems, *,
                 long_sentence_words: int = LONG_SENTENCE_WORDS,
                 min_reading_ease: float = MIN_READING_EASE) -> list[PageReadability]:
    """Add accessibility and readability warnings for every page; return each page's scores."""
    return [check_page(page, problems, long_sentence_words=long_sentence_words,
                       min_reading_ease=min_reading_ease) for page in module.pages]


def check_page(page: Page, problems: Problems, *, long_sentence_words: int = LONG_SENTENCE_WORDS,
               min_reading_ease: float = MIN_READING_EASE) -> PageReadability:
    source = page_source(page.file, page.lines, page.first_line)
    _check_links(source, problems)
    _check_headings(source, problems)
    sentences = [s for unit in text_units(source) for s in split_sentences(unit)]
    for sentence in sentences:
        if len(sentence.words) > long_sentence_words:
            problems.warning(page.file, sentence.line,
                             f"this sentence has {len(sentence.words)} words: '{sentence.opening()}'",
                             f"split it into shorter sentences: aim for 15 to 20 words, and at "
                             f"most {long_sentence_words}")
    readability = PageReadability(
        page.id, page.file, sum(len(s.words) for s in sentences), len(sentences),
        sum(count_syllables(word) for s in sentences for word in s.words))
    score = readability.reading_ease
    if (score is not None and score < min_reading_ease
            and readability.words >= MIN_WORDS_FOR_EASE_WARNING):
        problems.warning(page.file, source.title_line,
                         f"the page is hard to read: reading ease {score:.0f} ({readability.label}; "
                         f"{readability.words / readability.sentences:.0f} words a sentence, "
                         f"{readability.syllables / readability.words:.2f} syllables a word)",
                         "use shorter sentences and everyday words; explain the clinical terms "
                         "you need, or add them to the glossary")
    return readability


def _check_links(source: PageSource, problems: Problems) -> None:
    # Link text can wrap onto the next line, so search each stretch of text lines as a whole.
    stretch: list[SourceLine] = []
    for event in [*source.events, None]:
        if isinstance(event, SourceLine) and not event.code:
            stretch.append(event)
            continue
        if stretch:
            _check_link_stretch(stretch, source.file, problems)
        stretch = []


def _is_table_separator(text: str) -> bool:
    """'| --- | :-: |': two or more cells of dashes (a str split, not a backtracking pattern)."""
    text = text.strip()
    if "|" not in text:
        return False
    text = text.removeprefix("|").removesuffix("|")
    cells = text.split("|")
    return len(cells) >= 2 and all(TABLE_CELL_RULE.fullmatch(cell.strip()) for cell in cells)


def _blank_code_spans(text: str) -> str:
    """The line with each code span blanked to spaces, offsets kept: a run of n backticks opens
    a span that the next run of exactly n closes (CommonMark). Linear: each run is looked at
    once, and the next run of the same length is found from a table built right to left."""
    runs = [(m.start(), m.end()) for m in re.finditer(r"`+", text)]
    following: list[int | None] = [None] * len(runs)
    last: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        following[index] = last.get(length)
        last[length] = index
    spans = []
    index = 0
    while index < len(runs):
        closing = following[index]
        if closing is None:
            index += 1
            continue
        spans.append((runs[index][0], runs[closing][1]))
        index = closing + 1
    for start, end in reversed(spans):
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _check_link_stretch(lines: list[SourceLine], file: Path, problems: Problems) -> None:
    # Blank out code spans (keeping every offset) so `[here](x)` in code is not a link.
    text = "\n".join(_blank_code_spans(line.text) for line in lines)
    found = [(m.start(), m.group(1)) for m in LINK.finditer(text)]
    found += [(m.start(), m.group(1)) for m in AUTOLINK.finditer(text)]
    for start, link_text in sorted(found):
        line = lines[text.count("\n", 0, start)].number
        shown = " ".join(link_text.split())
        if URL_TEXT.match(shown):
            problems.warning(file, line, f"the link text is a web address ({shown})",
                             "screen readers read addresses out letter by letter: name the page "
                             "instead, e.g. [NHS website](https://www.nhs.uk/)")
        elif _plain_link_text(shown) in VAGUE_LINK_TEXTS:
            problems.warning(file, line, f"the link text '{shown}' does not say where the link goes",
                             "use words that make sense on their own, such as the page's name: "
                             "screen reader users often jump from link to link")


def _plain_link_text(text: str) -> str:
    text = re.sub(r"[*_`]+", "", text).lower()
    return " ".join(text.split()).strip(" .,:;!?()\"'“”‘’→>-")


def _check_headings(source: PageSource, problems: Problems) -> None:
    # The theme shows the page title as the h1, so the page starts at level 1 whatever it says.
    previous_level, previous_name = 1, "the page title"
    for event in source.events:
        if isinstance(event, Opening):
            if event.heading_level:
                previous_level = event.heading_level
                previous_name = f"the title of the '{event.type}' block on line {event.number}"
            continue
        if not event.heading or event.number == source.title_line:
            continue
        level = event.heading
        if level > previous_level + 1:
            wanted = "#" * (previous_level + 1)
            problems.warning(source.file, event.number,
                             f"the heading skips a level: it is level {level} but comes after "
                             f"{previous_name} (level {previous_level})",
                             f"make it '{wanted} ...': screen reader users move around a page by its "
                             "headings, and a missing level looks like missing content")
        previous_level, previous_name = level, f"the heading on line {event.number}"


# -- text and sentences ----------------------------------------------------------------------


@dataclass
class TextUnit:
    """A stretch of text that ends a sentence where it ends: a paragraph, list item, speech..."""

    pieces: list[tuple[int, str]] = field(default_factory=list)  # (line, plain text)


@dataclass
class Sentence:
    line: int  # where its first word is
    words: list[str]  # without punctuation, for counting
    tokens: list[str] = field(default_factory=list)  # as written, for quoting

    def opening(self, count: int = 8) -> str:
        text = " ".join(self.tokens[:count])
        return text + " ..." if len(self.tokens) > count else text


def text_units(source: PageSource) -> list[TextUnit]:
    """The learner-facing text of a page, as plain text with line numbers, split into units."""
    units: list[TextUnit] = []
    current: TextUnit | None = None
    current_quote = False
    skipping = False  # in a footnote or reference definition, until a blank line

    def start(number: int, text: str, quote: bool = False) -> None:
        nonlocal current, current_quote
        current, current_quote = TextUnit(), quote
        units.append(current)
        add(number, text)

    def add(number: int, text: str) -> None:
        assert current is not None
        # A matching item "Item => Partner" is two separate short texts.
        head, arrow, tail = text.partition("=>")
        current.pieces.append((number, _plain_text(head)))
        if arrow:
            start(number, tail)

    for event in source.events:
        if isinstance(event, Opening):
            current = None
            continue
        text = event.text
        if not text.strip():
            current, skipping = None, False
            continue
        kind = block_types.get(event.block)
        if (event.code or event.heading or event.underline or (kind and not kind.is_prose(event.block))
                or RULE.match(text) or _is_table_separator(text) or ATTRIBUTE_LINE.match(text)):
            current = None
            continue
        if skipping or DEFINITION_LINE.match(text):
            current, skipping = None, True
            continue
        if text.lstrip().startswith("|"):
            for cell in text.strip().strip("|").split("|"):
                start(event.number, cell)
            current = None
            continue
        quote = QUOTE.match(text)
        learner_text = kind.learner_text(text) if kind else None
        if learner_text is not None:
            start(event.number, learner_text)
        elif LIST_ITEM.match(text) and not quote:
            item = LIST_ITEM.sub("", text)
            start(event.number, kind.item_text(item) if kind else item)
        elif DEFINITION.match(text):
            start(event.number, DEFINITION.sub("", text))
        elif quote:
            if current is not None and current_quote:
                add(event.number, text[quote.end():])
            else:
                start(event.number, text[quote.end():], quote=True)
        elif current is not None:
            add(event.number, text)
        else:
            start(event.number, text)
    return [unit for unit in units if any(text.strip() for _, text in unit.pieces)]


def _plain_text(markdown: str) -> str:
    text = markdown
    for pattern, replacement in INLINE_CLEANUP:
        text = pattern.sub(replacement, text)
    return html.unescape(text)


HAS_WORD_CHARACTER = re.compile(r"[^\W_]")


def split_sentences(unit: TextUnit) -> list[Sentence]:
    """Sentences end at '.', '!', '?' or '…' before a capital letter or digit, and at the unit's
    end; a known abbreviation such as 'e.g.' does not end one."""
    tokens = [(line, token) for line, text in unit.pieces for token in text.split()]
    sentences: list[Sentence] = []
    current: Sentence | None = None
    for index, (line, token) in enumerate(tokens):
        word = token.strip(TOKEN_EDGES)
        if HAS_WORD_CHARACTER.search(word):
            if current is None:
                current = Sentence(line, [])
                sentences.append(current)
            current.words.append(word)
        if current is not None:
            current.tokens.append(token)
        following = tokens[index + 1][1].lstrip(TOKEN_EDGES) if index + 1 < len(tokens) else ""
        if (current is not None and SENTENCE_END.search(token)
                and token.lower().rstrip("\"'”’)]") not in ABBREVIATIONS
                and (not following or following[0].isupper() or following[0].isdigit())):
            current = None
    return sentences
