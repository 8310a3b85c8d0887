"""Pages: page files to the content model, with every authoring problem located by line."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from .blocks import block_types
from .config import ModuleConfig
from .containers import Container, TextRun, scan
from .errors import Problems
from .markdown_render import MarkdownRenderer
from .model import Block, Page, Prose
from .pagelimits import MAX_PAGE_BYTES, line_problems
from .paths import ModulePaths, PathRefused
from .policy import is_active_file
from .schema import SLUG, SLUG_HINT, Boolean, Context, Text, validate
from .textfile import NotUtf8, read_utf8
from .yamlfile import read_yaml

PAGES_DIR = "pages"
NUMBER_PREFIX = re.compile(r"^\d+[-_. ]*")
# Linear: the closing #s and spaces are trimmed in title_text(), not by backtracking.
TITLE = re.compile(r"^#\s+(\S.*)$")
FRONT_MATTER_SCHEMA = {
    "id": Text("Page id; default: the file name without its number prefix.", pattern=SLUG,
               pattern_hint=SLUG_HINT),
    "title": Text("Page title; default: the page's first '# Heading'.", max_length=200),
    "branch": Boolean("A consequence page, reached only from a branching choice.",
                      default=False),
    # Checked against the module's page ids once every page is read (module.py), which can
    # tell a file name from a page id.
    "next": Text("Page id that Next goes to from this page."),
}


def title_text(text: str) -> str:
    """A '# Title' line's text without the closing '#'s (as Python-Markdown reads it)."""
    text = text.rstrip()
    return text.rstrip("#").rstrip() or text


@dataclass
class PageText:
    """A page file read once: its body lines and its checked front matter."""

    file: Path
    id: str
    lines: list[str]
    first_line: int  # file line of lines[0], after the front matter
    title: str | None = None
    branch: bool = False
    next: str | None = None
    next_line: int = 1  # where 'next:' is written, for error messages


def front_matter_end(lines: list[str]) -> int | None:
    """Index of the line that closes the page's front matter ('---' or '...'); None when the page
    has no front matter or it is never closed."""
    if not lines or lines[0].strip() != "---":
        return None
    return next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)


def page_id_from_file(file: Path) -> str:
    return NUMBER_PREFIX.sub("", file.stem).lower()


def find_pages(config: ModuleConfig, problems: Problems) -> list[Path]:
    """The module's page files in order: module.yml 'pages:' if given, else file-name order."""
    folder = config.root / PAGES_DIR
    if config.pages is not None:
        sources = []
        for index, name in enumerate(config.pages):
            file = folder / name
            line = config.line_of("pages", index)
            problem = _page_file_problem(file, config.root)
            if problem == "does not exist":
                names = sorted(p.name for p in folder.glob("*.md"))
                guess = difflib.get_close_matches(name, names, n=1)
                problems.error(config.path, line, f"the page '{name}' is listed but pages/{name} "
                               "does not exist",
                               f"did you mean '{guess[0]}'?" if guess else
                               "create the file or remove it from 'pages:'")
            elif problem == "is outside the module folder":
                problems.error(config.path, line, f"the page '{name}' is outside the module folder",
                               "keep page files in the module's pages/ folder")
            elif problem:
                problems.error(config.path, line, f"the page '{name}' {problem}",
                               "keep page files in the module's pages/ folder")
            else:
                sources.append(file)
        if not config.pages:
            problems.error(config.path, config.line_of("pages"), "'pages:' lists no pages",
                           "list the page files in order, or remove 'pages:' to use every page "
                           "in file-name order")
        listed = {file.name for file in sources} | set(config.pages)
        for file in sorted(folder.glob("*.md")):
            if file.name not in listed and not file.is_dir():
                problems.warning(file, 0, "this page is not listed under 'pages:' in module.yml, "
                                 "so it is left out", f"add '- {file.name}' to 'pages:' to use it")
        return sources
    files = []
    for file in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        problem = _page_file_problem(file, config.root)
        if problem is None:
            files.append(file)
        elif not file.is_dir():  # a folder named like a page is no page, and no mistake either
            problems.error(file, 0, f"the page file {problem}",
                           "put the page file itself in pages/, not a link to it")
    if not files:
        problems.error(config.path, 0, "the module has no pages",
                       f"add Markdown files to {config.root.name}/{PAGES_DIR}/, e.g. 01-welcome.md")
    return files


def _page_file_problem(file: Path, root: Path) -> str | None:
    """Why ``file`` cannot be a page of the module at ``root``, or None.

    A page that is a link to a file outside the module would copy that file's text into the
    package, so it is refused like any other reference out of the module.
    """
    try:
        if file.is_symlink() and not file.exists():
            return "is a link to a file that does not exist"
        if not file.is_file():
            return "does not exist"
        if not file.resolve().is_relative_to(root.resolve()):
            return "is a link to a file outside the module folder" if file.is_symlink() \
                else "is outside the module folder"
    except OSError as error:  # e.g. a name too long for the file system
        return f"cannot be read ({error.strerror or error})"
    return None


class PageParser:
    """Parses page files of one module into :class:`Page` objects."""

    def __init__(self, config: ModuleConfig, problems: Problems, renderer: MarkdownRenderer,
                 paths: ModulePaths) -> None:
        self.config = config
        self.problems = problems
        self.renderer = renderer
        self.paths = paths
        self.file = config.path
        self.page_id = ""
        self.counters: dict[str, int] = {}

    # -- pages ---------------------------------------------------------------------------------

    def read(self, file: Path) -> PageText | None:
        """Read a page file and its front matter; the body is parsed later by :meth:`parse`,
        once every page's id is known, so links between pages resolve in either direction."""
        self.file = file
        try:
            size = file.stat().st_size
            if size > MAX_PAGE_BYTES:
                self.problems.error(file, 0, f"the page is {size:,} bytes; the limit is "
                                    f"{MAX_PAGE_BYTES:,}", "split it into several pages")
                return None
            # The byte order mark of Notepad's "UTF-8 with BOM" must not hide the front matter.
            text = read_utf8(file)
        except NotUtf8 as error:
            self.problems.error(file, error.line, error.message, error.hint)
            return None
        except OSError as error:
            self.problems.error(file, 0, f"the file cannot be read ({error.strerror or error})",
                                "check that the file exists and that you may read it")
            return None
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        over = line_problems(lines, 1)
        for line, message, hint in over:
            self.problems.error(file, line, message, hint)
        if over:
            return None
        page = self._front_matter(file, lines)
        if not SLUG.match(page.id):
            self.problems.error(file, 1, f"the page id '{page.id}' (from the file name) is not "
                                "usable", f"rename the file, or set 'id:' in front matter: "
                                f"{SLUG_HINT}")
        return page

    def parse(self, text: PageText) -> Page:
        self.file = text.file
        self.page_id = text.id
        self.counters = {}
        root, fence_problems = scan(text.lines, text.first_line)
        for problem in fence_problems:
            self.problems.error(text.file, problem.line, problem.message, problem.hint)
        heading = self._take_title(root)
        title = text.title or heading
        if not title:
            self.problems.error(text.file, text.first_line, "the page has no title",
                                "start the page with a heading line such as '# Welcome'")
        blocks = self._blocks(root)
        return Page(text.id, title or text.id, text.file, blocks, branch=text.branch,
                    next=text.next, next_line=text.next_line, lines=text.lines,
                    first_line=text.first_line)

    def _front_matter(self, file: Path, lines: list[str]) -> PageText:
        page = PageText(file, page_id_from_file(file), lines, 1)
        if not lines or lines[0].strip() != "---":
            return page
        closing = front_matter_end(lines)
        if closing is None:
            self.problems.error(file, 1, "the front matter starting here is never closed",
                                "add a line '---' after the last front matter line")
            return page
        page.lines, page.first_line = lines[closing + 1:], closing + 2
        read = read_yaml("\n".join(lines[1:closing]), first_line=2)
        for problem in read.problems:
            self.problems.error(file, problem.line, problem.message, problem.hint)
        document = read.document
        if document is None:
            return page
        if not isinstance(document.data or {}, dict):
            self.problems.error(file, 2, "front matter must be 'key: value' lines",
                                "e.g. 'branch: true'")
            return page
        values = validate(document.data or {}, FRONT_MATTER_SCHEMA,
                          Context(document, (), file, self.problems))
        page.id = values["id"] or page.id
        page.title = values["title"]
        page.branch = bool(values["branch"])
        page.next = values["next"]
        page.next_line = document.line(("next",), default=1)
        return page

    def _take_title(self, root: Container) -> str:
        """Remove the page's first '# Title' line from its text and return the title."""
        for child in root.children:
            if not isinstance(child, TextRun):
                return ""
            for index, line in enumerate(child.lines):
                match = TITLE.match(line)
                if match:
                    child.lines[index] = ""
                    return title_text(match.group(1))
                if line.strip():
                    return ""
        return ""

    def _blocks(self, parent: Container) -> list[Block]:
        blocks: list[Block] = []
        for child in parent.children:
            if isinstance(child, TextRun):
                if child.text.strip():
                    blank = next(i for i, line in enumerate(child.lines) if line.strip())
                    text = "\n".join(child.lines[blank:]).rstrip() + "\n"
                    first = child.first_line + blank
                    blocks.append(Prose(first, text, self.renderer.convert(text, self.file, first)))
                continue
            kind = block_types.get(child.type)
            if kind is None:
                if child.type != "unknown":
                    names = block_types.names()
                    guess = difflib.get_close_matches(child.type, names, n=1)
                    self.problems.error(
                        self.file, child.line, f"there is no block type '{child.type}'",
                        f"did you mean '{guess[0]}'?" if guess else
                        f"block types: {', '.join(sorted(names))}")
                continue
            block = kind.parse(child, self)
            if block is not None:
                blocks.append(block)
        return blocks

    # -- helpers -------------------------------------------------------------------------------

    def error(self, line: int, message: str, hint: str = "") -> None:
        self.problems.error(self.file, line, message, hint)

    def warning(self, line: int, message: str, hint: str = "") -> None:
        self.problems.warning(self.file, line, message, hint)

    def block_id(self, container: Container, prefix: str) -> str:
        given = container.attributes.get("id")
        if given is not None:
            if not SLUG.match(given):
                self.error(container.line, f"the id '{given}' is not usable", SLUG_HINT)
            return given
        self.counters[prefix] = self.counters.get(prefix, 0) + 1
        return f"{self.page_id}-{prefix}{self.counters[prefix]}"

    def attributes(self, container: Container, allowed: set[str]) -> dict[str, str]:
        for key in container.attributes:
            if key not in allowed | {"id"}:
                allowed_text = ", ".join(sorted(allowed | {"#id"}))
                self.problems.warning(self.file, container.line,
                                      f"'{key}' is not an attribute of '{container.type}' blocks "
                                      "and is ignored", f"known attributes: {allowed_text}")
        return container.attributes

    def no_nesting(self, container: Container) -> None:
        for child in container.children:
            if isinstance(child, Container):
                self.error(child.line, f"a '{child.type}' block cannot be inside a "
                           f"'{container.type}' block",
                           f"close the '{container.type}' block with ':::' first")

    def markdown(self, numbered: list[tuple[int, str]]) -> str:
        if not numbered:
            return ""
        return self.renderer.convert("\n".join(t for _, t in numbered), self.file, numbered[0][0])

    def body(self, container: Container) -> str:
        self.no_nesting(container)
        return self.markdown(container.text_lines())

    def media_file(self, line: int, reference: str, what: str) -> str | None:
        try:
            name = self.paths.resolve(reference, relative_to=self.file.parent)
        except PathRefused as refused:
            self.error(line, f"the {what} '{reference}' {refused}", refused.hint)
            return None
        if what != "image" and is_active_file(name) and not self.renderer.allow_raw_html:
            self.error(line, f"the {what} '{reference}' is a web page, picture or script that "
                        "could run code inside the LMS", "use a media file (for example .mp4, "
                        ".mp3 or .vtt)")
            return None
        self.renderer.media.add(name)
        return name
