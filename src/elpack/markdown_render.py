"""Markdown to HTML for page text, with the checks a writer needs on links and images.

One Python-Markdown instance is reused for the whole build (building it is the slow part) and
reset between conversions. A tree processor sees every link and image: it checks that local files
exist inside the module, rewrites them to their path in the package, turns captioned images into
figures, and records the media the package must carry.

Raw HTML never reaches that tree, so Python-Markdown's own raw HTML readers are swapped for ones
that note what they pass through; unless the module allows raw HTML, anything but harmless inline
tags, and any on...= event handler (also from attribute lists), is reported at its line.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import SplitResult, unquote, urlsplit

import markdown
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.inlinepatterns import HTML_RE, HtmlInlineProcessor, InlineProcessor
from markdown.treeprocessors import Treeprocessor

from .errors import Problems
from .markdown_bounds import BoundedHtmlBlocks, bound_markdown
from .paths import ModulePaths, PathRefused
from .policy import is_active_file
from .sanitise import (
    RAW_HTML_ATTRIBUTES,
    RAW_HTML_TAGS,
    attribute_kept,
    clean_fragment,
    is_whole_comment,
)

EXTENSIONS = ["tables", "footnotes", "attr_list", "def_list", "abbr", "sane_lists", "fenced_code"]
# Every page lives in one index.html, so footnote ids must differ between conversions.
EXTENSION_CONFIGS = {"footnotes": {"UNIQUE_IDS": True}}
# A term holds no brackets: besides being true, that keeps the search linear on "[[[[[[...".
GLOSSARY_TERM = re.compile(r"\[\[([^\[\]|\n]+?)(?:\|([^\[\]\n]+?))?\]\]")
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
# HTML a page may contain unless module.yml says 'allow_raw_html: true': inline tags that only
# format text. Anything else (scripts, frames, objects, styles, forms, links and pictures that
# elpack could not check) is refused, and so is every on...= event handler.
HARMLESS_TAGS = frozenset({
    "abbr", "b", "br", "cite", "code", "del", "dfn", "em", "i", "ins", "kbd", "mark", "q", "s",
    "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr",
})
HARMLESS_ATTRIBUTES = frozenset({"class", "datetime", "dir", "lang", "title"})
ACTIVE_TAGS = frozenset({
    "applet", "base", "embed", "form", "frame", "frameset", "iframe", "link", "meta", "object",
    "script", "style", "svg", "math", "template", "noscript",
})
RAW_HTML_HINT = ("write Markdown instead: only simple inline tags such as <br>, <abbr>, <sup> "
                 "and <sub> are allowed, and to show '<' as text you write '&lt;' (for HTML you "
                 "trust, set 'allow_raw_html: true' in module.yml)")
# Checking a file costs a few file-system calls; a page of thousands of bad references is
# reported in part (bench/hostile_page.py).
MAX_MISSING_FILES = 100
ACTIVE_HINT = ("remove it: pages may not run scripts or embed other pages, objects or styles "
               "(for HTML you trust, set 'allow_raw_html: true' in module.yml)")


# Interface text the renderer adds to an author's link: English here, translated on rendering.
NEW_TAB_NOTE = "(opens in a new tab)"


def term_anchor(term: str) -> str:
    return "term-" + re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-")


@dataclass
class Chunk:
    """Where the text being converted came from, for error lines."""

    file: Path
    first_line: int
    source: str
    _lowered: str = ""

    def line_of(self, needle: str, ignore_case: bool = False) -> int:
        # Only '\n' ends a line, as in the page reader (str.splitlines would also split at
        # U+2028 and friends, and the line numbers would drift). str.find and str.count keep
        # this fast when a hostile page has thousands of problems.
        source = self.source
        if ignore_case:
            needle = needle.lower()
            source = self._lowered or self._lower()
        if "\n" in needle:
            return self.first_line
        found = source.find(needle)
        if found < 0:
            return self.first_line
        return self.first_line + source.count("\n", 0, found)

    def _lower(self) -> str:
        self._lowered = self.source.lower()
        return self._lowered


class _Collect(Treeprocessor):
    def __init__(self, md: markdown.Markdown, renderer: MarkdownRenderer) -> None:
        super().__init__(md)
        self.renderer = renderer

    def run(self, root: etree.Element) -> None:
        chunk = self.renderer.chunk
        assert chunk is not None
        for parent in list(root.iter()):
            for element in list(parent):
                if element.tag == "img":
                    self.renderer.check_image(element, parent)
                elif element.tag == "a" and "href" in element.attrib:
                    self.renderer.check_link(element)
                # Attribute lists ({: key=value }) can put any attribute on any element.
                for name, value in element.attrib.items():
                    if _is_handler(name):
                        self.renderer.found.handlers.append((str(element.tag), name))
                    elif not attribute_kept(str(element.tag), name, value,
                                            self.renderer.allow_raw_html):
                        self.renderer.found.dropped.append((str(element.tag), name, value))


def _is_handler(attribute: str) -> bool:
    return attribute.lower().startswith("on")


@dataclass
class _Found:
    """HTML written in the page being converted, collected for checking after conversion."""

    raw: list[str] = field(default_factory=list)  # raw HTML fragments, as written
    handlers: list[tuple[str, str]] = field(default_factory=list)  # (tag, on... attribute)
    dropped: list[tuple[str, str, str]] = field(default_factory=list)  # (tag, name, value) not kept


class _RawHtmlBlocks(BoundedHtmlBlocks):
    """Python-Markdown's raw HTML block reader (bounded), noting each block it passes through."""

    def __init__(self, md: markdown.Markdown, found: _Found) -> None:
        super().__init__(md)
        self.found = found

    def run(self, lines: list[str]) -> list[str]:
        before = len(self.md.htmlStash.rawHtmlBlocks)
        result = super().run(lines)
        self.found.raw.extend(str(block) for block in self.md.htmlStash.rawHtmlBlocks[before:])
        return result


class _RawHtmlInline(HtmlInlineProcessor):
    """Python-Markdown's inline HTML pattern (tags and comments), noting each tag."""

    def __init__(self, md: markdown.Markdown, found: _Found) -> None:
        super().__init__(HTML_RE, md)
        self.found = found

    # types-Markdown gives InlineProcessor the older Pattern.handleMatch(m) signature.
    def handleMatch(self, m: re.Match[str], data: str,  # type: ignore[override]
                    ) -> tuple[str | etree.Element | None, int | None, int | None]:
        self.found.raw.append(m.group(1))
        return super().handleMatch(m, data)


class _FencedCode(FencedBlockPreprocessor):
    """Fenced code, noting on... handlers given as attributes (```{ .py onclick=... })."""

    def __init__(self, md: markdown.Markdown, config: dict[str, Any], found: _Found) -> None:
        super().__init__(md, config)
        self.found = found

    def handle_attrs(self, attrs: Iterable[tuple[str, str]]
                     ) -> tuple[str, list[str], dict[str, Any]]:
        block_id, classes, configs = super().handle_attrs(attrs)
        self.found.handlers.extend(("code", name) for name in configs if _is_handler(name))
        return block_id, classes, configs


@dataclass
class _RawHtmlProblem:
    text: str  # the tag as written, to find its line
    message: str
    hint: str
    # What 'allow_raw_html: true' makes of it: 'allowed', 'removed' (the sanitiser drops it; a
    # warning) or 'refused' (an error whatever the setting).
    trusted: str = "allowed"


class _RawHtmlChecker(HTMLParser):
    """Reads raw HTML fragments and lists what is not allowed in them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[_RawHtmlProblem] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        written = self.get_starttag_text() or f"<{tag}"
        trusted = "allowed" if tag in RAW_HTML_TAGS else "removed"
        if tag in ACTIVE_TAGS:
            self.problems.append(_RawHtmlProblem(written, f"the HTML tag <{tag}> is not allowed",
                                                 ACTIVE_HINT, trusted))
        elif tag not in HARMLESS_TAGS:
            self.problems.append(_RawHtmlProblem(written, f"the HTML tag <{tag}> is not allowed",
                                                 RAW_HTML_HINT, trusted))
        allowed = RAW_HTML_ATTRIBUTES["*"] | RAW_HTML_ATTRIBUTES.get(tag, set())
        for name, _ in attrs:
            if _is_handler(name):
                self.problems.append(_RawHtmlProblem(
                    written, f"the event handler '{name}' in <{tag}> is not allowed",
                    "remove it: pages may not run scripts", "removed"))
            elif tag in HARMLESS_TAGS and name not in HARMLESS_ATTRIBUTES:
                self.problems.append(_RawHtmlProblem(
                    written, f"the attribute '{name}' in <{tag}> is not allowed",
                    f"remove it; allowed attributes: {', '.join(sorted(HARMLESS_ATTRIBUTES))} "
                    "(for HTML you trust, set 'allow_raw_html: true' in module.yml)",
                    "allowed" if name in allowed else "removed"))
            elif tag in RAW_HTML_TAGS and name not in allowed:
                self.problems.append(_RawHtmlProblem(
                    written, f"the attribute '{name}' in <{tag}> is not allowed",
                    "remove it (styles come from the theme; see docs/security.md)", "removed"))

    def handle_comment(self, data: str) -> None:
        if not is_whole_comment(f"<!--{data}-->"):
            self.problems.append(_RawHtmlProblem(
                f"<!--{data}"[:40], "this HTML comment ends early in a browser, and the rest of "
                "it would become part of the page", "write comments as '<!-- note -->', with no "
                "'>' or '->' straight after '<!--' and no '--!>' inside, or remove it", "refused"))

    def handle_pi(self, data: str) -> None:
        self.problems.append(_RawHtmlProblem(f"<?{data}", "'<?...>' instructions are not allowed",
                                             "remove it: pages are plain HTML, run by no server",
                                             "removed"))

    def handle_decl(self, decl: str) -> None:
        self.problems.append(_RawHtmlProblem(f"<!{decl}", f"the declaration '<!{decl[:20]}>' is "
                                             "not allowed", "remove it", "removed"))

    def unknown_decl(self, data: str) -> None:
        self.handle_decl(data)


class _GlossaryTerm(InlineProcessor):
    def __init__(self, renderer: MarkdownRenderer) -> None:
        super().__init__(GLOSSARY_TERM.pattern)
        self.renderer = renderer

    def handleMatch(self, m: re.Match[str], data: str,  # type: ignore[override]
                    ) -> tuple[etree.Element, int, int]:
        shown, term = m.group(1).strip(), (m.group(2) or m.group(1)).strip()
        element = etree.Element("a", {"class": "term", "href": "#" + term_anchor(term)})
        element.text = shown
        return element, m.start(0), m.end(0)


class MarkdownRenderer:
    """Converts the Markdown of one module; problems go to the module's problem list."""

    def __init__(self, paths: ModulePaths, problems: Problems, glossary: dict[str, str],
                 page_files: dict[str, str], allow_raw_html: bool = False) -> None:
        self.paths = paths
        self.problems = problems
        self.glossary = {term.lower(): term for term in glossary}
        self.page_files = page_files  # file name -> page id, so [x](03-foo.md) links work
        self.allow_raw_html = allow_raw_html
        self.media: set[str] = set()
        self.chunk: Chunk | None = None
        self.missing_files = 0  # refused file references in the current page
        self.found = _Found()
        md = self.md = markdown.Markdown(extensions=EXTENSIONS,
                                         extension_configs=EXTENSION_CONFIGS, output_format="html")
        md.treeprocessors.register(_Collect(md, self), "elpack-collect", 0)
        md.inlinePatterns.register(_GlossaryTerm(self), "elpack-glossary", 200)
        # The same processors under the same names and priorities, noting the HTML they see.
        md.preprocessors.register(_RawHtmlBlocks(md, self.found), "html_block", 20)
        md.inlinePatterns.register(_RawHtmlInline(md, self.found), "html", 90)
        fenced_config = md.preprocessors["fenced_code_block"].config  # type: ignore[attr-defined]
        md.preprocessors.register(_FencedCode(md, fenced_config, self.found), "fenced_code_block", 25)
        self.link_budget = bound_markdown(md)

    def convert(self, source: str, file: Path, first_line: int) -> str:
        """Block-level Markdown to HTML."""
        if not source.strip():
            return ""
        if self.chunk is None or self.chunk.file != file:
            self.missing_files = 0
        self.chunk = Chunk(file, first_line, source)
        self._check_terms(self.chunk)
        self.md.reset()
        self.found.raw.clear()
        self.found.handlers.clear()
        self.found.dropped.clear()
        self.link_budget.reset(source)
        try:
            html = self.md.convert(source)
        except (RecursionError, MemoryError):
            self.md.reset()
            self.problems.error(file, first_line, "this text is nested too deeply, or is too "
                                "large, to be read", "nest fewer lists, quotes and blocks inside "
                                "each other, or split the text")
            return ""
        if self.link_budget.exhausted is not None:
            self.problems.error(file, self.chunk.line_of(self.link_budget.exhausted[:20]),
                                "this text has too many '[' or '(' that do not close for elpack "
                                "to read it", "close each link as [text](address), write '\\[' "
                                "for a bracket that is only text, or split the paragraph")
        self._check_html(self.chunk)
        return clean_fragment(html, self.allow_raw_html)

    def _check_html(self, chunk: Chunk) -> None:
        """Report raw HTML that is not allowed, and on... handlers from attribute lists; with
        'allow_raw_html: true', say what the sanitiser will remove."""
        for fragment in self.found.raw:
            checker = _RawHtmlChecker()
            checker.feed(fragment)
            checker.close()
            for problem in checker.problems:
                line = chunk.line_of(problem.text.split("\n")[0], ignore_case=True)
                if problem.trusted == "refused" or not self.allow_raw_html:
                    self.problems.error(chunk.file, line, problem.message, problem.hint)
                elif problem.trusted == "removed":
                    self._removed(chunk.file, line, problem.message)
        for tag, name in self.found.handlers:
            line = chunk.line_of(name, ignore_case=True)
            message = f"the event handler '{name}' on <{tag}> is not allowed"
            if self.allow_raw_html:
                self._removed(chunk.file, line, message)
            else:
                self.problems.error(chunk.file, line, message,
                                    "remove it from the attribute list: pages may not run scripts")
        for tag, name, value in self.found.dropped:
            self.problems.warning(chunk.file, chunk.line_of(value or name),
                                  f"the attribute '{name}' on <{tag}> is removed",
                                  "remove it from the attribute list: styles come from the theme, "
                                  "and only class, id, lang, dir and title are kept "
                                  "(see docs/security.md)")

    def _removed(self, file: Path, line: int, message: str) -> None:
        self.problems.warning(file, line, message.replace("is not allowed", "is removed"),
                              "remove it from the page: even with 'allow_raw_html: true', a "
                              "package never runs scripts or takes styles from a page "
                              "(see docs/security.md)")

    def inline(self, source: str, file: Path, line: int) -> str:
        """One line of Markdown, without the wrapping paragraph."""
        html = self.convert(source, file, line)
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            html = html[3:-4]
        return html

    def _check_terms(self, chunk: Chunk) -> None:
        for offset, text in enumerate(chunk.source.split("\n")):
            for match in GLOSSARY_TERM.finditer(text):
                term = (match.group(2) or match.group(1)).strip()
                if term.lower() not in self.glossary:
                    known = ", ".join(sorted(self.glossary.values())) or "none yet"
                    self.problems.error(
                        chunk.file, chunk.first_line + offset,
                        f"'{term}' is not in the glossary",
                        f"add it under 'glossary:' in module.yml (defined terms: {known})")

    def check_image(self, image: etree.Element, parent: etree.Element) -> None:
        chunk = self.chunk
        assert chunk is not None
        src = image.get("src", "")
        if not image.get("alt", "").strip():
            self.problems.error(chunk.file, chunk.line_of(src), f"the image '{src}' has no alt text",
                                "describe the picture between the brackets: ![what it shows](...)")
        parts = self._split(src, "image")
        if parts is None:
            return
        if parts.scheme or src.startswith("//"):
            self.problems.error(chunk.file, chunk.line_of(src), f"the image '{src}' is not a file "
                                "in the module", "save the picture in media/ and use media/name.png: "
                                "LMSs often run offline, and linked pictures can change")
            return
        packaged = self._local_file(src, chunk, "image")
        if packaged:
            image.set("src", packaged)
        caption = image.attrib.pop("title", None)
        if caption and parent.tag == "p" and len(parent) == 1 and not (parent.text or "").strip():
            # A captioned image alone in its paragraph becomes a figure with a caption.
            parent.tag = "figure"
            parent.text = None
            figcaption = etree.SubElement(parent, "figcaption")
            figcaption.text = caption
            image.tail = None

    def check_link(self, link: etree.Element) -> None:
        chunk = self.chunk
        assert chunk is not None
        href = link.get("href", "")
        parts = self._split(href, "link")
        if parts is None:
            return
        if parts.scheme:
            if parts.scheme.lower() not in SAFE_SCHEMES:
                self.problems.error(
                    chunk.file, chunk.line_of(href),
                    f"links with '{parts.scheme}:' are not allowed ({href})",
                    "link to a web page (https://...) or a file in the module's media/ folder")
            elif parts.scheme in ("http", "https"):
                # LMS players often sit in frames; a new tab keeps the learner's place.
                link.set("target", "_blank")
                link.set("rel", "noopener")
                warning = etree.SubElement(link, "span", {"class": "visually-hidden"})
                # In the module's language when it is rendered (render.localise_content).
                warning.text = " " + NEW_TAB_NOTE
            return
        if href.startswith("#") or not href:
            return
        if parts.netloc:
            self.problems.error(chunk.file, chunk.line_of(href), f"the link '{href}' has no "
                                "'https:' at the start", f"write the full address: https:{href}")
            return
        name = PurePosixPath(unquote(parts.path)).name
        if name in self.page_files and parts.path.endswith(".md"):
            link.set("href", "#page-" + self.page_files[name])
            return
        packaged = self._local_file(href, chunk, "link")
        if packaged and is_active_file(packaged) and not self.allow_raw_html:
            self.problems.error(
                chunk.file, chunk.line_of(href), f"the link '{href}' opens a web page, picture "
                "or script that could run code inside the LMS",
                "link to a PDF or other document instead, show a picture with ![description](...), "
                "or put the page on a web site and link to it with https:// (for files you "
                "trust, set 'allow_raw_html: true' in module.yml)")
        elif packaged:
            link.set("href", packaged)

    def _split(self, url: str, what: str) -> SplitResult | None:
        """The parts of an address, or None (with an error) if it cannot be one, e.g. 'http://[x'."""
        try:
            return urlsplit(url)
        except ValueError:
            chunk = self.chunk
            assert chunk is not None
            self.problems.error(chunk.file, chunk.line_of(url), f"the {what} '{url}' is not a valid "
                                "address", "check it for typing mistakes, such as a stray '[' or ']'")
            return None

    def _local_file(self, url: str, chunk: Chunk, what: str) -> str | None:
        """Check a module-relative file reference; returns its path in the package."""
        parts = urlsplit(url)  # already split once by _split, so it cannot fail here
        if parts.scheme or parts.netloc:
            return None
        if self.missing_files == MAX_MISSING_FILES:
            self.missing_files += 1
            self.problems.error(chunk.file, chunk.line_of(url), f"more than {MAX_MISSING_FILES} "
                                "links and pictures on this page are refused; elpack stopped "
                                "checking the rest", "fix the ones listed, then build again")
        if self.missing_files > MAX_MISSING_FILES:
            return None
        try:
            packaged = self.paths.resolve(unquote(parts.path), relative_to=chunk.file.parent)
        except PathRefused as refused:
            self.missing_files += 1
            self.problems.error(chunk.file, chunk.line_of(url), f"the {what} '{url}' {refused}",
                                refused.hint)
            return None
        self.media.add(packaged)
        return packaged
