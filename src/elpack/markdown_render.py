"""Markdown to HTML for page text, with the checks a writer needs on links and images.

One Python-Markdown instance is reused for the whole build (building it is the slow part) and
reset between conversions. A tree processor sees every link and image: it checks that local files
exist inside the module, rewrites them to their path in the package, turns captioned images into
figures, and records the media the package must carry.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from .errors import Problems
from .paths import ModulePaths, PathRefused

EXTENSIONS = ["tables", "footnotes", "attr_list", "def_list", "abbr", "sane_lists", "fenced_code"]
# Every page lives in one index.html, so footnote ids must differ between conversions.
EXTENSION_CONFIGS = {"footnotes": {"UNIQUE_IDS": True}}
GLOSSARY_TERM = re.compile(r"\[\[([^\]|\n]+?)(?:\|([^\]\n]+?))?\]\]")
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}


def term_anchor(term: str) -> str:
    return "term-" + re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-")


@dataclass
class Chunk:
    """Where the text being converted came from, for error lines."""

    file: Path
    first_line: int
    source: str

    def line_of(self, needle: str) -> int:
        for offset, text in enumerate(self.source.splitlines()):
            if needle in text:
                return self.first_line + offset
        return self.first_line


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


class _GlossaryTerm(InlineProcessor):
    def __init__(self, renderer: MarkdownRenderer) -> None:
        super().__init__(GLOSSARY_TERM.pattern)
        self.renderer = renderer

    def handleMatch(self, m: re.Match[str], data: str):  # type: ignore[no-untyped-def]
        shown, term = m.group(1).strip(), (m.group(2) or m.group(1)).strip()
        element = etree.Element("a", {"class": "term", "href": "#" + term_anchor(term)})
        element.text = shown
        return element, m.start(0), m.end(0)


class MarkdownRenderer:
    """Converts the Markdown of one module; problems go to the module's problem list."""

    def __init__(self, paths: ModulePaths, problems: Problems, glossary: dict[str, str],
                 page_files: dict[str, str]) -> None:
        self.paths = paths
        self.problems = problems
        self.glossary = {term.lower(): term for term in glossary}
        self.page_files = page_files  # file name -> page id, so [x](03-foo.md) links work
        self.media: set[str] = set()
        self.chunk: Chunk | None = None
        self.md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS,
                                    output_format="html")
        self.md.treeprocessors.register(_Collect(self.md, self), "elpack-collect", 0)
        self.md.inlinePatterns.register(_GlossaryTerm(self), "elpack-glossary", 200)

    def convert(self, source: str, file: Path, first_line: int) -> str:
        """Block-level Markdown to HTML."""
        if not source.strip():
            return ""
        self.chunk = Chunk(file, first_line, source)
        self._check_terms(self.chunk)
        self.md.reset()
        return self.md.convert(source)

    def inline(self, source: str, file: Path, line: int) -> str:
        """One line of Markdown, without the wrapping paragraph."""
        html = self.convert(source, file, line)
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            html = html[3:-4]
        return html

    def _check_terms(self, chunk: Chunk) -> None:
        for offset, text in enumerate(chunk.source.splitlines()):
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
        if urlsplit(src).scheme or src.startswith("//"):
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
        parts = urlsplit(href)
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
                warning.text = " (opens in a new tab)"
            return
        if href.startswith("#") or not href:
            return
        name = PurePosixPath(unquote(parts.path)).name
        if name in self.page_files and parts.path.endswith(".md"):
            link.set("href", "#page-" + self.page_files[name])
            return
        packaged = self._local_file(href, chunk, "link")
        if packaged:
            link.set("href", packaged)

    def _local_file(self, url: str, chunk: Chunk, what: str) -> str | None:
        """Check a module-relative file reference; returns its path in the package."""
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            return None
        try:
            packaged = self.paths.resolve(unquote(parts.path), relative_to=chunk.file.parent)
        except PathRefused as refused:
            self.problems.error(chunk.file, chunk.line_of(url), f"the {what} '{url}' {refused}",
                                refused.hint)
            return None
        self.media.add(packaged)
        return packaged
