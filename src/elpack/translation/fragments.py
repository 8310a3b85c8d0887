"""Rendered HTML fragments as translatable segments and the markup around them.

A translator sees only words. Every piece of markup inside a sentence (a link, emphasis, a
glossary term, a line break) becomes an inline code that carries the original tag: the
translator may move it, but cannot change or lose what it points to, and a translation that
drops or adds one is refused. Markup between sentences (paragraphs, lists, tables, figures) is
the fragment's skeleton and is never shown. Text attributes that learners read or hear (an
image's alt text, an abbreviation's title) are segments of their own.

The fragments come from elpack's own Markdown rendering, already sanitised; a translated
fragment is rebuilt from that markup and the translated words, escaped, so a translation can
add no markup at all.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Elements that sit inside a sentence: they become inline codes, not segment boundaries.
INLINE_TAGS = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "del", "dfn", "em", "i", "img",
    "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u",
    "var", "wbr",
})
VOID_TAGS = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "source", "track",
                       "wbr"})
TRANSLATED_ATTRIBUTES = ("alt", "title")  # attributes whose value people read or hear
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Markup whose text is not language: code listings stay as written.
UNTRANSLATED_BLOCKS = frozenset({"pre", "script", "style"})


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Open:
    """The start of a paired inline code (XLIFF <pc>), e.g. a link's <a href=...>. ``tag`` is
    the index of its rebuilt tag in :attr:`Fragment.tags` when it has translated attributes."""

    id: str
    markup: str
    tag: int | None = None


@dataclass(frozen=True)
class Close:
    id: str
    markup: str
    tag: int | None = None


@dataclass(frozen=True)
class Standalone:
    """An inline code that encloses nothing (XLIFF <ph>), e.g. <br> or a picture."""

    id: str
    markup: str
    tag: int | None = None


Code = Open | Close | Standalone
Piece = Text | Code


def plain(pieces: list[Piece]) -> str:
    """The words of a segment, without its codes."""
    return "".join(p.text for p in pieces if isinstance(p, Text))


def codes(pieces: list[Piece]) -> list[Code]:
    return [p for p in pieces if not isinstance(p, Text)]


@dataclass
class Segment:
    """A run of words with its inline codes; ``block`` is the element it sits in (p, li, h2, ...)
    and ``block_id`` that element's id attribute, if any. An attribute segment has ``attribute``
    set to the attribute's name and ``tag`` to its element."""

    pieces: list[Piece]
    block: str = ""
    block_id: str = ""
    attribute: str = ""
    tag: str = ""

    @property
    def text(self) -> str:
        return plain(self.pieces)


@dataclass
class Tag:
    """A tag whose translated attributes are segments: rebuilt with their translations."""

    name: str
    attributes: list[tuple[str, str | None]]
    closed: bool  # written as <x ... />
    segments: dict[str, int] = field(default_factory=dict)  # attribute -> segment index

    def markup(self, values: dict[str, str], language: str = "") -> str:
        written = []
        for name, value in self.attributes:
            value = values.get(name, value)
            written.append(name if value is None else f'{name}="{html.escape(value, quote=True)}"')
        if language and all(name != "lang" for name, _ in self.attributes):
            written.append(f'lang="{html.escape(language, quote=True)}"')
        inside = " ".join([self.name, *written])
        return f"<{inside} />" if self.closed else f"<{inside}>"


SkeletonPart = str | int | Tag  # markup as written, a segment's index, a tag to rebuild


@dataclass
class Fragment:
    """An HTML fragment split into its skeleton and its segments."""

    skeleton: list[SkeletonPart]
    segments: list[Segment]
    tags: list[Tag] = field(default_factory=list)
    # Attribute segments left in the source language, by index, with that language: a picture
    # whose alt text is one is marked with it (its element holds no other text).
    languages: dict[int, str] = field(default_factory=dict)

    def rebuild(self, translated: dict[int, list[Piece]]) -> str:
        """The fragment with each segment replaced by ``translated[index]`` (missing: as it
        was). Codes are written back as the original markup; words are escaped."""
        out: list[str] = []
        for part in self.skeleton:
            if isinstance(part, str):
                out.append(part)
            elif isinstance(part, int):
                out.extend(self._piece(piece, translated)
                           for piece in translated.get(part, self.segments[part].pieces))
            else:
                out.append(self._tag(part, translated))
        return "".join(out)

    def _piece(self, piece: Piece, translated: dict[int, list[Piece]]) -> str:
        if isinstance(piece, Text):
            return html.escape(piece.text, quote=False)
        if piece.tag is not None and not isinstance(piece, Close):
            return self._tag(self.tags[piece.tag], translated)
        return piece.markup

    def _tag(self, tag: Tag, translated: dict[int, list[Piece]]) -> str:
        alt = tag.segments.get("alt")
        language = self.languages.get(alt, "") if tag.name == "img" and alt is not None else ""
        return tag.markup({name: plain(translated.get(index, self.segments[index].pieces))
                           for name, index in tag.segments.items()}, language)


_Item = tuple[str, str, str, int | None]  # (kind, tag name or words, markup, Tag index)


class _Splitter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skeleton: list[SkeletonPart] = []
        self.segments: list[Segment] = []
        self.tags: list[Tag] = []
        self.run: list[_Item] = []  # what is inside the sentence being read
        self.blocks: list[tuple[str, str]] = []  # open non-inline elements: (tag, id)
        self.untranslated = 0  # depth inside <pre> and the like
        self.hidden: list[str] | None = None  # markup of a visually hidden span, being read
        self.hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        markup = self.get_starttag_text() or f"<{tag}>"
        if self.hidden is not None:
            self.hidden.append(markup)
            self.hidden_depth += tag not in VOID_TAGS
            return
        if tag == "span" and "visually-hidden" in (dict(attrs).get("class") or "").split() \
                and not self.untranslated:
            # Words elpack adds for screen readers (a link's "opens in a new tab") are interface
            # text, translated from the catalogue: to the translator, the span is one code.
            self.hidden, self.hidden_depth = [markup], 1
            return
        self._tag(tag, attrs, markup, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, self.get_starttag_text() or f"<{tag} />", closed=True)

    def handle_endtag(self, tag: str) -> None:
        markup = f"</{tag}>"
        if self.hidden is not None:
            self.hidden.append(markup)
            self.hidden_depth -= 1
            if self.hidden_depth == 0:
                self.run.append(("void", "span", "".join(self.hidden), None))
                self.hidden = None
            return
        if tag in INLINE_TAGS and not self.untranslated:
            self.run.append(("end", tag, markup, None))
            return
        self._flush()
        if tag in UNTRANSLATED_BLOCKS:
            self.untranslated = max(0, self.untranslated - 1)
        for index in range(len(self.blocks) - 1, -1, -1):
            if self.blocks[index][0] == tag:
                del self.blocks[index:]
                break
        self.skeleton.append(markup)

    def handle_data(self, data: str) -> None:
        if self.hidden is not None:
            self.hidden.append(html.escape(data, quote=False))
        elif self.untranslated:
            self.skeleton.append(html.escape(data, quote=False))
        else:
            self.run.append(("text", data, html.escape(data, quote=False), None))

    def handle_comment(self, data: str) -> None:
        self._flush()
        self.skeleton.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self._flush()
        self.skeleton.append(f"<!{decl}>")

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], markup: str, closed: bool) -> None:
        rebuilt: int | None = None
        if not self.untranslated:
            named = [(name, value) for name, value in attrs
                     if name in TRANSLATED_ATTRIBUTES and value and value.strip()]
            if named:
                rebuilt = len(self.tags)
                self.tags.append(Tag(tag, attrs, closed))
                for name, value in named:
                    self.tags[rebuilt].segments[name] = len(self.segments)
                    self.segments.append(Segment([Text(value or "")], attribute=name, tag=tag))
        if tag in INLINE_TAGS and not self.untranslated:
            kind = "void" if tag in VOID_TAGS or closed else "start"
            self.run.append((kind, tag, markup, rebuilt))
            return
        self._flush()
        self.skeleton.append(markup if rebuilt is None else self.tags[rebuilt])
        if tag in UNTRANSLATED_BLOCKS:
            self.untranslated += 1
        if tag not in VOID_TAGS and not closed:
            self.blocks.append((tag, dict(attrs).get("id") or ""))

    def fragment(self, source: str) -> Fragment:
        self.feed(source)
        self.close()
        self._flush()
        return Fragment(self.skeleton, self.segments, self.tags)

    def _skeleton(self, items: list[_Item]) -> None:
        for kind, _, markup, tag in items:
            self.skeleton.append(markup if tag is None or kind == "end" else self.tags[tag])

    def _flush(self) -> None:
        """End the sentence being read: words with codes become a segment; a run without words
        (only whitespace or markup) goes to the skeleton as it is."""
        run, self.run = self.run, []
        if not any(kind == "text" and value.strip() for kind, value, _, _ in run):
            self._skeleton(run)
            return
        # Whitespace at either end stays outside the segment.
        start, end = 0, len(run)
        while run[start][0] == "text" and not run[start][1].strip():
            start += 1
        while run[end - 1][0] == "text" and not run[end - 1][1].strip():
            end -= 1
        self._skeleton(run[:start])
        block, block_id = self.blocks[-1] if self.blocks else ("", "")
        self.skeleton.append(len(self.segments))
        self.segments.append(Segment(_pieces(run[start:end]), block, block_id))
        self._skeleton(run[end:])


def _pieces(items: list[_Item]) -> list[Piece]:
    """Words and inline codes; a start tag and its end tag make a pair when they nest properly
    inside the sentence, anything else is a standalone code."""
    pairs: dict[int, int] = {}
    stack: list[tuple[str, int]] = []
    for index, (kind, value, _, _) in enumerate(items):
        if kind == "start":
            stack.append((value, index))
        elif kind == "end" and stack and stack[-1][0] == value:
            pairs[stack.pop()[1]] = index
    closing = {end: start for start, end in pairs.items()}
    pieces: list[Piece] = []
    ids: dict[int, str] = {}
    for index, (kind, value, markup, tag) in enumerate(items):
        if kind == "text":
            if pieces and isinstance(pieces[-1], Text):
                pieces[-1] = Text(pieces[-1].text + value)
            else:
                pieces.append(Text(value))
        elif index in pairs:
            ids[index] = str(len(ids) + 1)
            pieces.append(Open(ids[index], markup, tag))
        elif index in closing:
            pieces.append(Close(ids[closing[index]], markup))
        else:
            ids[index] = str(len(ids) + 1)
            pieces.append(Standalone(ids[index], markup, tag))
    return pieces


def split(source: str) -> Fragment:
    """Split an HTML fragment into its skeleton and its segments."""
    return _Splitter().fragment(source)


def split_text(text: str) -> Fragment:
    """A plain-text value (a title, a name) as a fragment with one segment and no markup."""
    if not text.strip():
        return Fragment([text], [])
    return Fragment([0], [Segment([Text(text)])])
