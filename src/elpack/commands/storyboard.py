"""`elpack storyboard`: one self-contained HTML document that reviewers read, comment on and sign.

The storyboard shows everything a module says, in page order, with every answer and every piece
of feedback visible: the things a learner only sees after clicking. It is built from the same
content model as the package (the module is loaded and checked exactly as `elpack build` does),
so what reviewers sign off is what learners get.

The file must open anywhere, print cleanly and never reach the network: reviewers open it from
email attachments and shared drives, often on locked-down NHS machines. So the CSS is inline,
pictures are embedded as data: URIs, and nothing in it runs scripts.
"""

from __future__ import annotations

import base64
import hashlib
import html
import os
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import jinja2
import lxml.html
from lxml import etree
from markupsafe import Markup

from .. import __version__
from ..browser import find_browser, install_hint
from ..captions import Cue, read_cues
from ..errors import BuildError, ElpackError, Problem, Problems, counted
from ..markdown_render import SAFE_SCHEMES, term_anchor
from ..model import BranchChoice, Module, Page, Question
from ..package import remove_stale_temporaries, write_atomic
from ..pipeline import load_checked_module
from ..programme import ProgrammeConfig, is_programme
from ..programme_build import read_programme
from ..questions import question_type, question_types
from ..render import navigation
from ..theme import template_environment
from ..translation.apply import check_translation, report, translate_module, translation_file
from ..translation.fragments import Piece, Text

DEFAULT_OUTPUT_DIR = Path("build")
TEMPLATE = "storyboard.html"
SIDE_BY_SIDE = "side-by-side.html"
STYLESHEET = "storyboard.css"

PDF_TIMEOUT_SECONDS = 120

SIGN_OFF_ROLES = ("Clinical reviewer", "Content writer", "Accessibility reviewer", "")

# A fixed table rather than the mimetypes module, whose answers depend on the machine's
# /etc/mime.types: the same module must give the same bytes everywhere.
IMAGE_TYPES = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}
# Larger pictures would make the file slow to email and open; they are shown by alt text only.
MAX_EMBEDDED_IMAGE_BYTES = 5 * 1024 * 1024

# Elements that could run code, load something or submit something. The rendered Markdown has none
# of them, but raw HTML written in a page passes through Markdown unchecked.
DROPPED_ELEMENTS = frozenset({
    "script", "noscript", "style", "link", "meta", "base", "iframe", "frame", "frameset",
    "object", "embed", "applet", "form", "video", "audio", "source", "track", "picture",
    # SVG animation can set an attribute after the filter has run: <animate attributeName="href"
    # values="javascript:..."> turns a harmless <a> into a script link.
    "animate", "set",
})
DEMOTED_HEADINGS = {f"h{level}": f"h{level + 1}" for level in range(1, 6)}
LOADING_ATTRIBUTES = ("src", "srcset", "poster", "background", "data", "style", "formaction",
                      "action")

CALLOUT_LABELS = {
    "key-point": "Key point",
    "warning": "Warning",
    "tip": "Tip (in practice)",
    "signpost": "Signpost",
    "summary": "Summary",
    "references": "References",
}
@dataclass(frozen=True)
class ChoiceRoute:
    """One option of a branching choice, for the branch map."""

    page: Page
    choice: BranchChoice
    option_id: str
    label_html: str
    target: str | None
    consequence_html: str


@dataclass
class Storyboard:
    """A storyboard rendered in memory, not yet written."""

    module: Module  # a programme's: its first module
    html: str
    warnings: list[Problem] = field(default_factory=list)
    suffix: str = ""  # '-cy' for a translation, '-cy-side-by-side' for its review
    programme: ProgrammeConfig | None = None

    @property
    def file_name(self) -> str:
        name = self.programme.id if self.programme else self.module.config.id
        return f"{name}{self.suffix}-storyboard.html"


@dataclass
class Written:
    """What `elpack storyboard` wrote."""

    html: Path
    pdf: Path | None
    warnings: list[Problem]


class _Embedder:
    """Makes the module's rendered HTML self-contained: pictures become data: URIs, and anything
    that would load, run or link to a file outside the storyboard is replaced by a visible note."""

    def __init__(self, module: Module) -> None:
        self.root = module.config.root
        self.media = module.media
        self._uris: dict[str, str | None] = {}

    def picture(self, path: str | None) -> str | None:
        """The data: URI of a module picture, or None when it is not embedded."""
        if not path:
            return None
        if path not in self._uris:
            self._uris[path] = self._data_uri(path)
        return self._uris[path]

    def _data_uri(self, path: str) -> str | None:
        mime = IMAGE_TYPES.get(PurePosixPath(path).suffix.lower())
        # Only files the pipeline has checked and resolved inside the module are read.
        if mime is None or path not in self.media:
            return None
        file = self.root / path
        if not file.is_file() or file.stat().st_size > MAX_EMBEDDED_IMAGE_BYTES:
            return None
        return f"data:{mime};base64,{base64.b64encode(file.read_bytes()).decode('ascii')}"

    def fragment(self, source: str) -> Markup:
        """Rendered module HTML, made self-contained, ready to insert with no further escaping."""
        if "<" not in source:
            return Markup(source)
        container = lxml.html.fragment_fromstring(source, create_parent="div")
        for element in list(container.iter()):
            if not isinstance(element.tag, str):
                continue  # comments and processing instructions
            if element.tag in DROPPED_ELEMENTS:
                self._replace(element, f"[{element.tag} element left out of the storyboard]")
                continue
            for name in list(element.attrib):
                if name.lower().startswith("on"):
                    del element.attrib[name]
            if element.tag in DEMOTED_HEADINGS:
                # The writer's '## Heading' sits under the page title, which is an <h2> here.
                element.tag = DEMOTED_HEADINGS[element.tag]
            if element.tag == "img":
                self._image(element)
            elif element.tag == "a":
                self._link(element)
            else:
                # href loads something on elements such as SVG's <image> and <use>.
                for name in _link_attributes(element):
                    del element.attrib[name]
            for name in LOADING_ATTRIBUTES:
                value = element.get(name)
                if value is not None and not (element.tag == "img" and name == "src"
                                              and value.startswith("data:")):
                    del element.attrib[name]
        text = html.escape(container.text or "", quote=False)
        return Markup(text + "".join(lxml.html.tostring(child, encoding="unicode")
                                     for child in container))

    def _image(self, image: lxml.html.HtmlElement) -> None:
        alt = image.get("alt", "").strip()
        uri = self.picture(image.get("src"))
        if uri is None:
            self._replace(image, f"[Picture not shown in the storyboard: {image.get('src', '')}. "
                          f"Alt text: {alt or '(none)'}]")
            return
        image.set("src", uri)
        self._add_note_after(image, f"Alt text: {alt}" if alt else "Alt text: (none)")

    def _link(self, link: lxml.html.HtmlElement) -> None:
        # Every href-like attribute, not only href: SVG's <a> links through xlink:href.
        for name in _link_attributes(link):
            self._link_target(link, name)

    def _link_target(self, link: lxml.html.HtmlElement, name: str) -> None:
        href = link.attrib[name]
        if href.startswith("#"):
            return
        try:
            parts = urlsplit(href)
            scheme, elsewhere = parts.scheme.lower(), bool(parts.scheme or parts.netloc)
        except ValueError:  # such as 'http://[x' in raw HTML: not a link anyone can follow
            scheme, elsewhere = "", True
        if scheme in SAFE_SCHEMES:
            return  # web, email and phone links: reviewers may follow them; nothing is loaded
        del link.attrib[name]
        link.attrib.pop("target", None)
        if elsewhere:
            # Only possible in raw HTML, which the pipeline does not check (javascript: etc.).
            self._add_note_after(link, f"[link left out of the storyboard: {href}]")
        else:
            # A module file: the storyboard sits elsewhere, so the link would be broken. Name it.
            self._add_note_after(link, f"[file: {href}]")

    @staticmethod
    def _note(text: str) -> lxml.html.HtmlElement:
        # One class for everything the storyboard adds to the writer's text, so it can be styled
        # (and told apart from the writer's words).
        note = lxml.html.Element("span", {"class": "added-note"})
        note.text = text
        return note

    def _add_note_after(self, element: lxml.html.HtmlElement, text: str) -> None:
        note = self._note(" " + text)
        note.tail, element.tail = element.tail, None
        element.addnext(note)

    def _replace(self, element: lxml.html.HtmlElement, text: str) -> None:
        note = self._note(text)
        note.tail = element.tail
        element.getparent().replace(element, note)


def _link_attributes(element: lxml.html.HtmlElement) -> list[str]:
    """The names of the attributes that link or load by URL: href, and xlink:href (or any other
    prefix, which the HTML parser keeps as part of the name)."""
    return [name for name in element.attrib if name.lower() == "href" or name.lower().endswith(":href")]


def read_captions(module: Module, path: str | None) -> list[Cue]:
    """The cues of a WebVTT captions file, so reviewers can read what the captions say."""
    if not path or path not in module.media:
        return []
    made = {(module.config.root / name).as_posix(): data for name, data in module.made_files.items()}
    return read_cues(module.config.root / path, made)


def content_fingerprint(module: Module) -> str:
    """A short hash of every module file the package uses, so a sign-off names exact content."""
    config = module.config
    files = {config.path, *(page.file for page in module.pages),
             *(config.root / name for name in module.media)}
    digest = hashlib.sha256()
    for file in sorted(files, key=lambda f: f.relative_to(config.root).as_posix()):
        digest.update(file.relative_to(config.root).as_posix().encode("utf-8") + b"\0")
        content = file.read_bytes() if file.is_file() else b""
        digest.update(str(len(content)).encode("ascii") + b"\0" + content)
    return digest.hexdigest()[:16]


def css_string(value: str) -> Markup:
    """A CSS string literal (for @page margin boxes), safe inside a <style> element."""
    escaped = "".join(c if c.isalnum() or c in " .,:;-_()/'" else f"\\{ord(c):x} " for c in value)
    return Markup(f'"{escaped}"')




def choice_routes(module: Module) -> list[ChoiceRoute]:
    return [ChoiceRoute(page, block, option.id, option.label_html, option.target,
                        option.feedback_html)
            for page in module.pages for block in page.blocks if isinstance(block, BranchChoice)
            for option in block.options]


def _environment() -> jinja2.Environment:
    environment = template_environment(jinja2.PackageLoader("elpack", "storyboard"))
    environment.filters["css_string"] = css_string
    return environment


@dataclass
class Coverage:
    """One row of the storyboard's coverage table: an objective and the questions on it."""

    number: int
    text: str
    knowledge_checks: list[Question]
    assessment: list[Question]


def objective_coverage(module: Module) -> list[Coverage]:
    """Which questions test each learning objective (objective=... on the question)."""
    config = module.config
    assessment = module.assessment
    pool = {id(q) for q in assessment.questions} if assessment else set()
    rows = {o.number: Coverage(o.number, o.text, [], []) for o in config.objectives}
    for question in module.questions:
        objective = config.objective_named(question.objective or "")
        if objective is not None:
            row = rows[objective.number]
            (row.assessment if id(question) in pool else row.knowledge_checks).append(question)
    return list(rows.values())


def render_storyboard(module: Module, packages: Sequence[tuple[str, str, int]] = ()) -> str:
    """The storyboard of a checked module as one HTML document (deterministic: no dates).
    ``packages``: (standard, zip name, characters each reflection keeps) of each target."""
    config = module.config
    links = navigation(module)
    embedder = _Embedder(module)
    assessment = module.assessment
    pool = {id(q) for q in assessment.questions} if assessment else set()
    routes = choice_routes(module)
    reached_from: dict[str, list[ChoiceRoute]] = {}
    for route in routes:
        if route.target:
            reached_from.setdefault(route.target, []).append(route)
    stylesheet = (resources.files("elpack") / "storyboard" / STYLESHEET).read_text(encoding="utf-8")
    context = {
        "module": module,
        "config": config,
        "pages": module.pages,
        "page_titles": {p.id: p.title for p in module.pages},
        "navigation": links,
        "questions": module.questions,
        "knowledge_checks": [q for q in module.questions if id(q) not in pool],
        "assessment": assessment,
        "draw": (config.assessment.draw or len(assessment.questions)) if assessment else 0,
        "shuffled": {q.id: question_type(q).shuffled(q, config.assessment.shuffle_options)
                     for q in module.questions},
        "coverage": objective_coverage(module),
        "routes": routes,
        "reached_from": reached_from,
        "choosing_pages": {route.page.id for route in routes if route.target},
        "return_pages": [p for p in module.pages if p.branch or p.next is not None],
        "glossary": sorted(config.glossary.items(), key=lambda item: item[0].lower()),
        "fingerprint": content_fingerprint(module),
        "elpack_version": __version__,
        "sign_off_roles": SIGN_OFF_ROLES,
        "question_types": question_types,
        "callout_labels": CALLOUT_LABELS,
        "stylesheet": Markup(stylesheet),
        "fragment": embedder.fragment,
        "picture": embedder.picture,
        "captions": lambda path: read_captions(module, path),
        "term_anchor": term_anchor,
        "counted": counted,
        "file_of": lambda page: page.file.relative_to(config.root).as_posix(),
        "packages": packages,
    }
    return _environment().get_template(TEMPLATE).render(context)


def build_storyboard(root: Path, language: str | None = None, side_by_side: bool = False,
                     ) -> Storyboard:
    """Load and check a module exactly as `elpack build` does (in ``language``, from its
    translation, units not yet translated shown in English), then render its storyboard, or
    with ``side_by_side`` its translation next to the English. For a programme folder, every
    module of the programme in one document."""
    if is_programme(root):
        if language is not None or side_by_side:
            raise ElpackError("--lang and --side-by-side work on one module: name a module folder "
                              "of the programme")
        return build_programme_storyboard(root)
    try:
        if side_by_side:
            if language is None:
                raise ElpackError("--side-by-side needs --lang: the language of the translation "
                                  "to review, e.g. --lang cy")
            checked = load_checked_module(root)
            return _side_by_side(checked.module, language, checked.warnings)
        checked = load_checked_module(root, language=language, allow_untranslated=True)
    except BuildError as error:
        raise BuildError(error.problems, "the storyboard was not written") from None
    config = checked.module.config
    package_id = config.id if checked.source is None else f"{config.id}-{config.language}"
    packages = [(target.title, target.package_name(package_id),
                 checked.budgets[target.name].reflection_limit) for target in checked.targets]
    storyboard = Storyboard(checked.module, render_storyboard(checked.module, packages),
                            checked.warnings)
    if checked.source is not None:
        storyboard.suffix = f"-{checked.module.config.language}"
    return storyboard


def _side_by_side(module: Module, language: str, warnings: list[Problem]) -> Storyboard:
    """The translation review: each unit's English and translation, page by page."""
    problems = Problems(module.config.root, list(warnings))
    path = translation_file(module.config.root, language)
    if path is None:
        translate_module(module, language, problems)  # reports the missing file
        raise BuildError(problems.items, "the storyboard was not written")
    checked = check_translation(module, path, language, problems)
    if checked is None or problems.errors:
        raise BuildError(problems.items, "the storyboard was not written")
    report(checked, problems, allow_untranslated=True)
    embedder = _Embedder(module)
    sections: dict[str, list[dict[str, object]]] = {}
    for uid, state in checked.states.items():
        translation = state.pieces if state.state in ("translated", "stale") else None
        sections.setdefault(state.unit.page, []).append({
            "id": uid, "note": state.unit.note, "state": state.state,
            "english": embedder.fragment(_pieces_html(state.unit.source)),
            "translation": None if translation is None else embedder.fragment(
                _pieces_html(translation)),
        })
    counts = ", ".join(f"{len(checked.ids(s))} {s}" for s in
                       ("translated", "untranslated", "stale", "broken"))
    stylesheet = (resources.files("elpack") / "storyboard" / STYLESHEET).read_text(encoding="utf-8")
    html_text = _environment().get_template(SIDE_BY_SIDE).render({
        "config": module.config, "language": language, "sections": list(sections.items()),
        "file": path.relative_to(module.config.root).as_posix(), "counts": counts,
        "stylesheet": Markup(stylesheet), "elpack_version": __version__})
    storyboard = Storyboard(module, html_text, problems.warnings)
    storyboard.suffix = f"-{language}-side-by-side"
    return storyboard


def _pieces_html(pieces: list[Piece]) -> str:
    return "".join(html.escape(p.text, quote=False) if isinstance(p, Text) else p.markup
                   for p in pieces)


def build_programme_storyboard(root: Path) -> Storyboard:
    """One document for a whole programme: a list of its modules, then each module's
    storyboard with its own contents list (its ids prefixed with the module id, so that the
    links of one module never lead into another, and its headings one level down)."""
    try:
        config, warnings = read_programme(root)
        modules = []
        problems: list[Problem] = []
        for module_root in config.module_roots():
            try:
                checked = load_checked_module(module_root, programme=config)
            except BuildError as error:
                problems += error.problems
                continue
            modules.append(checked.module)
            warnings += [w for w in checked.warnings if w not in warnings]
        if any(p.severity == "error" for p in problems):
            raise BuildError(problems + warnings)
    except BuildError as error:
        raise BuildError(error.problems, "the storyboard was not written") from None
    return Storyboard(modules[0], render_programme_storyboard(config, modules), warnings,
                      programme=config)


def render_programme_storyboard(config: ProgrammeConfig, modules: list[Module]) -> str:
    """The storyboards of ``modules`` in one HTML document, after a list of the modules."""
    documents = [lxml.html.document_fromstring(render_storyboard(m)) for m in modules]
    head = documents[0].find("head")
    assert head is not None  # the storyboard template has one
    title = head.find("title")
    if title is not None:
        title.text = f"Storyboard: {config.title} (version {config.version})"
    page = etree.Element("html", lang=config.language)
    page.append(head)
    body = etree.SubElement(page, "body")
    header = etree.SubElement(body, "header", {"class": "document-header"})
    etree.SubElement(header, "p", {"class": "document-kind"}).text = \
        "Storyboard for review and sign-off"
    etree.SubElement(header, "h1").text = config.title
    etree.SubElement(header, "p").text = (f"Programme {config.id}, version {config.version}: "
                                          f"{counted(len(modules), 'module')}.")
    contents = etree.SubElement(body, "nav", {"class": "contents", "aria-label": "Modules"})
    etree.SubElement(contents, "h2").text = "Modules"
    listed = etree.SubElement(contents, "ol")
    for module in modules:
        link = etree.SubElement(etree.SubElement(listed, "li"), "a",
                                {"href": f"#{module.config.id}"})
        link.text = module.config.title
    for module, document in zip(modules, documents, strict=True):
        section = etree.SubElement(body, "section", {"id": module.config.id,
                                                     "class": "programme-module"})
        module_body = document.find("body")
        for element in [] if module_body is None else list(module_body):
            section.append(_scoped(element, module.config.id))
    return "<!DOCTYPE html>\n" + str(lxml.html.tostring(page, encoding="unicode"))


def _scoped(element: etree._Element, prefix: str) -> etree._Element:
    """``element`` with its ids and the links to them prefixed, and its headings demoted."""
    for node in element.iter():
        if not isinstance(node.tag, str):
            continue
        if node.tag in DEMOTED_HEADINGS:
            node.tag = DEMOTED_HEADINGS[node.tag]
        if node.get("id"):
            node.set("id", f"{prefix}--{node.get('id')}")
        href = node.get("href") or ""
        if href.startswith("#") and len(href) > 1:
            node.set("href", f"#{prefix}--{href[1:]}")
        for name in ("aria-labelledby", "aria-describedby", "aria-controls", "for"):
            if node.get(name):
                node.set(name, " ".join(f"{prefix}--{i}" for i in (node.get(name) or "").split()))
    return element


def print_to_pdf(browser: str, html_file: Path, pdf_file: Path) -> None:
    """Print ``html_file`` to ``pdf_file`` with headless Chromium, atomically."""
    # Chromium prints into a folder of its own, with a profile of its own (so a Chromium the user
    # already has open, or another run, does not take the job over or lock the profile). The PDF
    # is then put in place by write_atomic, like every file elpack writes: a run killed midway
    # leaves only a temporary file that the next run sweeps.
    with tempfile.TemporaryDirectory(prefix="elpack-chromium-") as work:
        printed_file = Path(work) / "printed.pdf"
        command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                   f"--user-data-dir={Path(work) / 'profile'}", f"--print-to-pdf={printed_file}",
                   html_file.resolve().as_uri()]
        try:
            result = subprocess.run(command, capture_output=True, text=True,
                                    timeout=PDF_TIMEOUT_SECONDS, check=False)
            printed = printed_file.read_bytes() if printed_file.is_file() else b""
        except subprocess.TimeoutExpired as timeout:
            raise ElpackError(f"{browser} did not finish printing {html_file} to PDF within "
                              f"{PDF_TIMEOUT_SECONDS} seconds") from timeout
        except OSError as error:
            raise ElpackError(f"could not run {browser} to print the PDF: {error}") from error
    if result.returncode != 0 or not printed.startswith(b"%PDF-"):
        detail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        raise ElpackError(f"{browser} could not print {html_file} to PDF (exit code "
                          f"{result.returncode})" + ("".join("\n  " + d for d in detail)))
    _write(pdf_file, printed)


def _write(target: Path, content: bytes) -> None:
    """write_atomic, with what stopped it as an ElpackError (as `elpack build` reports it)."""
    try:
        write_atomic(target, content)
    except OSError as error:
        reason = error.strerror or str(error)
        if isinstance(error, (FileExistsError, NotADirectoryError)):
            # mkdir's 'File exists' or 'Not a directory' would not say which part is the file.
            blocking = next((folder for folder in reversed(target.parents)
                             if os.path.exists(folder) and not os.path.isdir(folder)), None)
            if blocking is not None:
                reason = f"{blocking} is a file, not a folder"
        raise ElpackError(f"cannot write {target}: {reason}. Name another file with -o, or "
                          "make sure its folder can be written to") from error


def write_storyboard(root: Path, output: Path | None = None, pdf: bool = False,
                     language: str | None = None, side_by_side: bool = False) -> Written:
    """Write the storyboard of ``root`` (default build/<id>-storyboard.html), and a PDF beside it.

    Nothing is written when the module has errors, or when a PDF is asked for and no browser
    can print it.
    """
    if output is not None and output.suffix.lower() == ".pdf":
        raise ElpackError(f"-o names the HTML file, not a PDF. Use -o {output.with_suffix('.html')} "
                          "and add --pdf: the PDF is written beside the HTML file")
    search = find_browser() if pdf else None
    browser = search.found if search is not None else None
    if search is not None and browser is None:
        raise ElpackError(
            "--pdf needs Google Chrome, Microsoft Edge or Chromium to print the storyboard, and "
            f"{search.problem or 'none was found in the usual places'}. To fix it: "
            + install_hint())
    storyboard = build_storyboard(root, language, side_by_side)
    target = output or DEFAULT_OUTPUT_DIR / storyboard.file_name
    remove_stale_temporaries(target.parent)  # left by runs that were killed while writing
    _write(target, storyboard.html.encode("utf-8"))
    pdf_file = None
    if browser is not None:
        pdf_file = target.with_suffix(".pdf")
        print_to_pdf(browser, target, pdf_file)
    return Written(target, pdf_file, storyboard.warnings)
