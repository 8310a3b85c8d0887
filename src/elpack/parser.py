"""Pages: page files to the content model, with every authoring problem located by line."""

from __future__ import annotations

import difflib
import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .config import ModuleConfig
from .containers import Container, TextRun, scan
from .errors import Problems
from .markdown_render import MarkdownRenderer
from .model import (
    QUESTION_TYPES,
    Assessment,
    Block,
    BranchChoice,
    BranchOption,
    Callout,
    Dialogue,
    Expert,
    MediaClip,
    Option,
    Page,
    Prose,
    Question,
    Reflection,
    Scene,
    Speech,
)
from .paths import ModulePaths, PathRefused
from .schema import SLUG, SLUG_HINT, Boolean, Context, Text, validate
from .textfile import NotUtf8, read_utf8
from .yamlfile import read_yaml

PAGES_DIR = "pages"
NUMBER_PREFIX = re.compile(r"^\d+[-_. ]*")
TITLE = re.compile(r"^#\s+(.+?)\s*#*\s*$")
SPEECH = re.compile(r"^([a-z][a-z0-9-]*)\s*:\s+(.*)$")
CHECK_ITEM = re.compile(r"^[-*+]\s+\[([ xX])\]\s+(.*)$")
MATCH_ITEM = re.compile(r"^[-*+]\s+(.+?)\s*=>\s*(.*)$")
PLAIN_ITEM = re.compile(r"^[-*+]\s+(.*)$")
ORDER_ITEM = re.compile(r"^\d+[.)]\s+(.*)$")
BRANCH_ITEM = re.compile(r"^[-*+]\s+(.+?)(?:\s+->\s*([^\s]+))?\s*$")
INDENTED_FEEDBACK = re.compile(r"^\s+>\s?(.*)$")
INDENTED = re.compile(r"^\s+\S")
GENERAL_FEEDBACK = re.compile(r"^(correct|incorrect|feedback)\s*:\s*(.*)$", re.IGNORECASE)
OPTION_IDS = string.ascii_lowercase  # SCORM 1.2 choice responses are single characters a-z
CALLOUT_TITLES = {
    "key-point": "Key point",
    "warning": "Warning",
    "tip": "In practice",
    "signpost": "Support is available",
    "summary": "Summary",
    "references": "References and further reading",
}
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
        self.builders: dict[str, Callable[[Container], Block | None]] = {
            "question": self.question,
            "assessment": self.assessment,
            "dialogue": self.dialogue,
            "scene": self.scene,
            "expert": self.expert,
            "reflect": self.reflect,
            "choice": self.choice,
            "video": self.media,
            "audio": self.media,
            **{style: self.callout for style in CALLOUT_TITLES},
        }

    # -- pages ---------------------------------------------------------------------------------

    def read(self, file: Path) -> PageText | None:
        """Read a page file and its front matter; the body is parsed later by :meth:`parse`,
        once every page's id is known, so links between pages resolve in either direction."""
        self.file = file
        try:
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
        blocks = self._blocks(root, allow_assessment=True)
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
                    return match.group(1)
                if line.strip():
                    return ""
        return ""

    def _blocks(self, parent: Container, allow_assessment: bool) -> list[Block]:
        blocks: list[Block] = []
        for child in parent.children:
            if isinstance(child, TextRun):
                if child.text.strip():
                    blank = next(i for i, line in enumerate(child.lines) if line.strip())
                    text = "\n".join(child.lines[blank:]).rstrip() + "\n"
                    first = child.first_line + blank
                    blocks.append(Prose(first, text, self.renderer.convert(text, self.file, first)))
                continue
            if child.type == "assessment" and not allow_assessment:
                self.problems.error(self.file, child.line, "an assessment cannot be inside "
                                    "another block", "move it to the top level of the page")
                continue
            builder = self.builders.get(child.type)
            if builder is None:
                if child.type != "unknown":
                    guess = difflib.get_close_matches(child.type, list(self.builders), n=1)
                    self.problems.error(
                        self.file, child.line, f"there is no block type '{child.type}'",
                        f"did you mean '{guess[0]}'?" if guess else
                        f"block types: {', '.join(sorted(self.builders))}")
                continue
            block = builder(child)
            if block is not None:
                blocks.append(block)
        return blocks

    # -- helpers -------------------------------------------------------------------------------

    def _error(self, line: int, message: str, hint: str = "") -> None:
        self.problems.error(self.file, line, message, hint)

    def _block_id(self, container: Container, prefix: str) -> str:
        given = container.attributes.get("id")
        if given is not None:
            if not SLUG.match(given):
                self._error(container.line, f"the id '{given}' is not usable", SLUG_HINT)
            return given
        self.counters[prefix] = self.counters.get(prefix, 0) + 1
        return f"{self.page_id}-{prefix}{self.counters[prefix]}"

    def _attributes(self, container: Container, allowed: set[str]) -> dict[str, str]:
        for key in container.attributes:
            if key not in allowed | {"id"}:
                allowed_text = ", ".join(sorted(allowed | {"#id"}))
                self.problems.warning(self.file, container.line,
                                      f"'{key}' is not an attribute of '{container.type}' blocks "
                                      "and is ignored", f"known attributes: {allowed_text}")
        return container.attributes

    def _no_nesting(self, container: Container) -> None:
        for child in container.children:
            if isinstance(child, Container):
                self._error(child.line, f"a '{child.type}' block cannot be inside a "
                            f"'{container.type}' block",
                            f"close the '{container.type}' block with ':::' first")

    def _markdown(self, numbered: list[tuple[int, str]]) -> str:
        if not numbered:
            return ""
        return self.renderer.convert("\n".join(t for _, t in numbered), self.file, numbered[0][0])

    def _body(self, container: Container) -> str:
        self._no_nesting(container)
        return self._markdown(container.text_lines())

    def _media_file(self, line: int, reference: str, what: str) -> str | None:
        try:
            name = self.paths.resolve(reference, relative_to=self.file.parent)
        except PathRefused as refused:
            self._error(line, f"the {what} '{reference}' {refused}", refused.hint)
            return None
        self.renderer.media.add(name)
        return name

    # -- story blocks --------------------------------------------------------------------------

    def callout(self, container: Container) -> Block:
        attributes = self._attributes(container, {"title"})
        html = self._body(container)
        if not html:
            self._error(container.line, f"the '{container.type}' block is empty",
                        "write its text between the '::: " + container.type + "' and ':::' lines")
        title = attributes.get("title") or CALLOUT_TITLES[container.type]
        return Callout(container.line, container.type, title, html)

    def scene(self, container: Container) -> Block:
        attributes = self._attributes(container, {"title", "image", "alt"})
        image = attributes.get("image")
        alt = attributes.get("alt", "").strip()
        if image:
            image = self._media_file(container.line, image, "image")
            if not alt:
                self._error(container.line, "the scene's image has no alt text",
                            'add alt="what the picture shows" to the block line')
        return Scene(container.line, attributes.get("title", ""), image, alt,
                     self._body(container))

    def dialogue(self, container: Container) -> Block:
        self._attributes(container, set())
        self._no_nesting(container)
        characters = self.config.characters_by_id
        speeches: list[Speech] = []
        spoken = False
        for line, text in container.text_lines():
            if not text.strip():
                continue
            if INDENTED.match(text) and speeches:
                extra = self.renderer.inline(text.strip(), self.file, line)
                speeches[-1].html += " " + extra
                continue
            match = SPEECH.match(text.strip())
            if match:
                spoken = True
                speaker = characters.get(match.group(1))
                if speaker is None:
                    known = ", ".join(characters) or "none declared yet"
                    self._error(line, f"'{match.group(1)}' is not a character of this module",
                                f"declare it under 'characters:' in module.yml (known: {known})")
                    continue
                html = self.renderer.inline(match.group(2), self.file, line)
                speeches.append(Speech(line, speaker, html))
            else:
                stage = text.strip()
                if stage.startswith("(") and stage.endswith(")"):
                    stage = stage[1:-1]
                speeches.append(Speech(line, None, self.renderer.inline(stage, self.file, line)))
        if not spoken:
            self._error(container.line, "the dialogue has no speech",
                        "write lines such as 'sam: Hello, what has happened today?'")
        return Dialogue(container.line, container.attributes.get("id", ""), speeches)

    def expert(self, container: Container) -> Block | None:
        attributes = self._attributes(container, {"who", "title"})
        who = attributes.get("who")
        expert = self.config.characters_by_id.get(who or "")
        if who is None:
            self._error(container.line, "the expert block does not say who is speaking",
                        "add who=character-id, e.g. '::: expert {who=dr-hale}'")
        elif expert is None:
            self._error(container.line, f"'{who}' is not a character of this module",
                        "declare the expert under 'characters:' in module.yml")
        html = self._body(container)
        title = attributes.get("title") or "Expert view"
        return Expert(container.line, expert, title, html)

    def reflect(self, container: Container) -> Block:
        self._attributes(container, set())
        block_id = self._block_id(container, "reflect")
        html = self._body(container)
        if not html:
            self._error(container.line, "the reflection has no prompt",
                        "write the question the learner should reflect on inside the block")
        return Reflection(container.line, block_id, html)

    def choice(self, container: Container) -> Block:
        self._attributes(container, set())
        self._no_nesting(container)
        block_id = self._block_id(container, "choice")
        prompt: list[tuple[int, str]] = []
        options: list[BranchOption] = []
        feedback: dict[int, list[str]] = {}
        for line, text in container.text_lines():
            item = BRANCH_ITEM.match(text) if not INDENTED.match(text) else None
            if item:
                label = self.renderer.inline(item.group(1), self.file, line)
                options.append(BranchOption(OPTION_IDS[min(len(options), 25)], line, label,
                                            item.group(2)))
            elif options and INDENTED_FEEDBACK.match(text):
                feedback.setdefault(len(options) - 1, []).append(
                    INDENTED_FEEDBACK.match(text).group(1))  # type: ignore[union-attr]
            elif options and text.strip():
                self._error(line, "unexpected text after the choice's options",
                            "put the question before the options; indent '> ...' lines for an "
                            "option's consequence")
            elif not options:
                prompt.append((line, text))
        for index, lines in feedback.items():
            options[index].feedback_html = self.renderer.convert(
                "\n".join(lines), self.file, options[index].line + 1)
        if not 2 <= len(options) <= 4:
            self._error(container.line, f"a choice needs 2 to 4 options; this one has "
                        f"{len(options)}", "write each option as '- What you would do -> page-id'")
        for option in options:
            if option.target is None and not option.feedback_html:
                self._error(option.line, "this option leads nowhere",
                            "add '-> page-id' to go to a consequence page, or an indented "
                            "'> ...' line with the consequence")
        return BranchChoice(container.line, block_id, self._markdown(prompt), options)

    def media(self, container: Container) -> Block:
        attributes = self._attributes(container, {"src", "captions", "title"})
        src = attributes.get("src")
        if not src:
            self._error(container.line, f"the {container.type} block has no src",
                        'add src="media/file" to the block line')
        else:
            src = self._media_file(container.line, src, container.type)
        captions = attributes.get("captions")
        if captions:
            if not captions.lower().endswith(".vtt"):
                self._error(container.line, "captions must be a WebVTT (.vtt) file",
                            "convert the captions to WebVTT")
            captions = self._media_file(container.line, captions, "captions file")
        transcript = self._body(container)
        if not attributes.get("captions") and not transcript:
            self._error(container.line, f"the {container.type} has no captions or transcript",
                        'add captions="media/file.vtt", or write a transcript inside the block')
        return MediaClip(container.line, container.type, src or "", captions,
                         attributes.get("title", ""), transcript)

    # -- assessment ----------------------------------------------------------------------------

    def assessment(self, container: Container) -> Block:
        self._attributes(container, set())
        questions: list[Question] = []
        for child in container.children:
            if isinstance(child, TextRun):
                if child.text.strip():
                    self._error(child.first_line, "only questions can be inside an assessment",
                                "move this text before the '::: assessment' line")
            elif child.type != "question":
                self._error(child.line, f"a '{child.type}' block cannot be inside an assessment",
                            "an assessment holds '::: question' blocks only")
            else:
                question = self.question(child, scored=True)
                if question is not None:
                    questions.append(question)
        if not questions:
            self._error(container.line, "the assessment has no questions",
                        "add '::: question' blocks inside it")
        return Assessment(container.line, container.attributes.get("id", "assessment"), questions)

    def question(self, container: Container, scored: bool = False) -> Question | None:
        attributes = self._attributes(container, {"type", "shuffle"})
        self._no_nesting(container)
        question_id = self._block_id(container, "q")
        declared = attributes.get("type")
        if declared is not None and declared not in QUESTION_TYPES:
            guess = difflib.get_close_matches(declared, QUESTION_TYPES, n=1)
            self._error(container.line, f"there is no question type '{declared}'",
                        f"did you mean '{guess[0]}'?" if guess else
                        f"question types: {', '.join(QUESTION_TYPES)}")
            return None
        shuffle = attributes.get("shuffle", "true").lower() not in ("false", "no", "0")
        parsed = _QuestionText(self, container, declared)
        question = Question(
            container.line, question_id, parsed.type, self._markdown(parsed.prompt),
            parsed.options, parsed.general["correct"], parsed.general["incorrect"],
            parsed.general["feedback"], shuffle, scored and parsed.type != "likert")
        self._check_question(question, container.line)
        return question

    def _check_question(self, question: Question, line: int) -> None:
        options = question.options
        correct = [o for o in options if o.correct]
        kind = question.type
        if not question.prompt_html:
            self._error(line, "the question has no question text",
                        "write the question on the lines before its options")
        minimum = 1 if kind == "text" else 2
        if len(options) < minimum:
            self._error(line, f"the question needs at least {minimum} options; it has "
                        f"{len(options)}", "write options as '- [x] right' and '- [ ] wrong'")
            return
        if kind in ("single", "multiple", "true-false", "text") and not correct:
            self._error(line, "the question has no correct option",
                        "mark the right answer with '- [x]' instead of '- [ ]'")
        if kind == "single" and len(correct) > 1:
            self._error(line, f"a single-choice question has {len(correct)} correct options",
                        "mark one option '- [x]', or use type=multiple")
        if kind == "true-false":
            labels = sorted(o.text.lower() for o in options)
            if labels != ["false", "true"] or len(correct) != 1:
                self._error(line, "a true-false question needs exactly the options True and "
                            "False, one marked [x]", "write '- [x] True' and '- [ ] False'")
        if kind == "likert" and correct:
            self._error(correct[0].line, "an opinion-scale (likert) question has no right answer",
                        "write every option as '- [ ] ...'")
        if len(options) > len(OPTION_IDS):
            self._error(line, f"the question has {len(options)} options; the most is "
                        f"{len(OPTION_IDS)}", "split it into two questions")


class _QuestionText:
    """Reads a question body: prompt lines, options with feedback, and general feedback."""

    def __init__(self, parser: PageParser, container: Container, declared: str | None) -> None:
        self.parser = parser
        self.prompt: list[tuple[int, str]] = []
        self.raw: list[dict] = []
        self.general = {"correct": "", "incorrect": "", "feedback": ""}
        lines = container.text_lines()
        self.type = declared or self._infer(lines)
        general_lines: dict[str, list[tuple[int, str]]] = {}
        current_general: str | None = None
        for line, text in lines:
            item = self._item(text)
            feedback = INDENTED_FEEDBACK.match(text)
            general = GENERAL_FEEDBACK.match(text) if self.raw else None
            if item is not None:
                current_general = None
                self.raw.append({"line": line, **item, "feedback": []})
            elif not self.raw:
                self.prompt.append((line, text))
            elif general:
                current_general = general.group(1).lower()
                general_lines.setdefault(current_general, []).append((line, general.group(2)))
            elif not text.strip():
                current_general = None
            elif current_general:
                general_lines[current_general].append((line, text))
            elif feedback:
                self.raw[-1]["feedback"].append((line, feedback.group(1)))
            elif INDENTED.match(text):
                self.raw[-1]["text"] += " " + text.strip()
            else:
                hint = {"matching": "write matching pairs as '- Item => Partner'",
                        "ordering": "write the steps as a numbered list '1. ...' in the right "
                                    "order"}.get(self.type, "write options as '- [x] right' or "
                                                 "'- [ ] wrong'")
                parser._error(line, "this line is not an option, option feedback ('  > ...') "
                              "or 'Correct:'/'Incorrect:' feedback", hint)
        for key, numbered in general_lines.items():
            self.general[key] = parser._markdown(numbered)
        self.options = self._options()

    def _infer(self, lines: list[tuple[int, str]]) -> str:
        texts = [t for _, t in lines]
        checks = [m for t in texts if (m := CHECK_ITEM.match(t))]
        if checks:
            labels = sorted(m.group(2).strip().lower() for m in checks)
            if labels == ["false", "true"]:
                return "true-false"
            return "single" if sum(m.group(1) != " " for m in checks) <= 1 else "multiple"
        if any(MATCH_ITEM.match(t) for t in texts):
            return "matching"
        if any(ORDER_ITEM.match(t) for t in texts):
            return "ordering"
        return "single"

    def _item(self, text: str) -> dict | None:
        if self.type == "matching":
            match = MATCH_ITEM.match(text)
            if match:
                return {"text": match.group(1), "partner": match.group(2).strip() or None,
                        "correct": True}
            plain = PLAIN_ITEM.match(text)
            return {"text": plain.group(1), "partner": None, "correct": True} if plain else None
        if self.type == "ordering":
            match = ORDER_ITEM.match(text)
            return {"text": match.group(1), "correct": True} if match else None
        match = CHECK_ITEM.match(text)
        if match:
            return {"text": match.group(2), "correct": match.group(1) != " "}
        return None

    def _options(self) -> list[Option]:
        parser = self.parser
        options = []
        for index, raw in enumerate(self.raw):
            option_id = OPTION_IDS[index % len(OPTION_IDS)]  # over 26 is reported as an error
            if self.type == "matching" and not raw.get("partner"):
                parser._error(raw["line"], "this matching item has no partner",
                              "write it as '- Item => Partner'")
            feedback = parser._markdown(raw["feedback"])
            html = parser.renderer.inline(raw["text"], parser.file, raw["line"])
            options.append(Option(option_id, raw["line"], raw["text"].strip(), html,
                                  raw["correct"], feedback, raw.get("partner")))
        return options
