"""Property-based fuzzing of everything a writer (or a hostile file) can hand to elpack.

Random and mutated pages, block syntax (``:::`` fences and attributes), front matter, module.yml,
media file names and SCORM zips. Whatever the input, only these outcomes are allowed:

- ``pipeline.build`` returns a package that passes :func:`elpack.validate.check_package` (the
  checks of ``elpack validate``) and whose page HTML carries no active content;
- or it raises :class:`BuildError` whose problems each name a file of the module and a line
  inside that file (line 0 only for problems about a whole file, listed in WHOLE_FILE_PROBLEMS).

Never another exception, never an invalid package, never a hang: each test has a pytest-timeout
(no per-example wall-clock deadline, which fails on a loaded machine rather than on a real hang).
``elpack validate`` of a mutated zip only ever returns messages.

CI runs a small budget (about 200 examples in all) with ``derandomize=True``, so every run tests
the same examples and a failure reproduces exactly. For a long search with fresh random inputs:

    ELPACK_FUZZ_EXAMPLES=5000 python -m pytest tests/test_fuzz.py -p no:cacheprovider

runs that many examples per test. A failure prints the shrunk input and a ``@reproduce_failure``
blob; fix the bug and add the input as an ``@example`` (or a tests/broken/ case).
"""

from __future__ import annotations

import dataclasses
import functools
import io
import os
import re
import tempfile
import textwrap
import unicodedata
import zipfile
from collections.abc import Iterator
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from hypothesis import HealthCheck, assume, event, example, given, settings
from hypothesis import strategies as st

from conftest import MINIMAL_CONFIG
from elpack.config import ASSESSMENT_SCHEMA, CHARACTER_SCHEMA, MODULE_SCHEMA
from elpack.containers import Container, TextRun, parse_attributes, scan
from elpack.errors import BuildError, Problem
from elpack.pipeline import build
from elpack.validate import check_package, read_zip, validate_zip
from elpack.yamlfile import YamlProblem, load_yaml, read_yaml

TESTS = Path(__file__).parent
FIXTURES = TESTS / "fixtures" / "blocks"
GOLDEN = TESTS / "golden" / "sample-module"

LONG_RUN = int(os.environ.get("ELPACK_FUZZ_EXAMPLES") or 0)


def fuzz(ci_examples: int) -> settings:
    """Hypothesis settings: a fixed, reproducible CI budget, or ELPACK_FUZZ_EXAMPLES random ones.

    No per-example deadline: a wall-clock limit fails on a shared, loaded machine rather than on a
    real hang, and the whole-test pytest-timeout (:func:`time_limit`) already catches runaways.
    """
    return settings(
        max_examples=LONG_RUN or ci_examples,
        derandomize=not LONG_RUN,
        database=None,  # nothing written into the repository; CI examples are fixed anyway
        deadline=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                               HealthCheck.filter_too_much],
    )


def time_limit(ci_seconds: int) -> pytest.MarkDecorator:
    """A whole-test bound (pytest-timeout): a hang fails the test instead of stalling CI."""
    return pytest.mark.timeout(ci_seconds + LONG_RUN // 2)


# -- what a module is made of ------------------------------------------------------------------

MEDIA = {
    "media/picture.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
    "media/clip.mp4": "not really a video",
    "media/clip.vtt": "WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n",
    "media/clip.mp3": "not really audio",
    "media/leaflet.pdf": "%PDF-1.4 not really a PDF",
}
SEED_PAGES = {p.name: p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("*.md"))}
GOLDEN_FILES = {p.relative_to(GOLDEN).as_posix(): p.read_bytes()
                for p in sorted(GOLDEN.rglob("*")) if p.is_file()}
GOLDEN_PAGES = sorted(name for name in GOLDEN_FILES if name.startswith("pages/"))
SEED_CONFIGS = [textwrap.dedent(MINIMAL_CONFIG).lstrip("\n"),
                GOLDEN_FILES["module.yml"].decode("utf-8")]

# Whole lines of real syntax, right and wrong, that mutations insert into pages.
PAGE_LINES = [
    ":::", "::::", ":::::", "::: question", "::: question {#q-fuzz}", "::: question {type=single}",
    "::: question {#q-x type=matching}", "::: question {type=ordering shuffle=false}",
    "::: question {type=text}", "::: question {type=likert}", "::: question {type=true-false}",
    "::: question {type=nonsense}", "::: choice {#c-fuzz}", "::: dialogue", "::: dialogue {#d-x}",
    '::: scene {title="At night" image="media/picture.svg" alt="A house"}',
    '::: scene {image="media/missing.svg"}', "::: expert {who=dr-hale}", "::: expert {who=bob}",
    "::: expert", "::: reflect {#r-fuzz}", "::: reflect", "::: key-point", "::: warning",
    '::: tip {title="In practice"}', "::: signpost", "::: summary", "::: references",
    '::: video {src="media/clip.mp4" captions="media/clip.vtt"}', "::: video {src=media/clip.mp4}",
    '::: audio {src="media/clip.mp3"}', '::: audio {src="https://example.org/a.mp3"}',
    ":::: assessment {#final}", "::: assessment", "::: questoin", "::: {#x}", "::: question {",
    "::: question {#Bad Id}", "::: question {key='unclosed}", "::: 123",
    "- [x] Right", "- [ ] Wrong", "- [X] Also right", "* [ ] Starred", "- [x] True",
    "- [ ] False", "  > Feedback for the option.", "> Not indented feedback", "  continued text",
    "- Leave quickly -> quick-exit", "- Stay -> nowhere", "- An option without a target",
    "- Item => Partner", "- Item =>", "1. First step", "2) Second step", "Correct: Well done.",
    "Incorrect: Not quite.", "Feedback: Either way.", "sam: Hello there.", "dr-hale: Go on.",
    "bob: Who am I?", "Sam: Capitalised.", "(A stage direction.)", "# A title", "## A heading",
    "#", "---", "...", "id: welcome", "branch: true", "next: check", "next: nowhere", "```",
    "~~~", "````", "    indented code", "![A picture](media/picture.svg)",
    '![A picture](media/picture.svg "A caption")', "![](media/picture.svg)",
    "![A picture](media/missing.png)", "![A picture](https://example.org/x.png)",
    "![A picture](../module.yml)", "![A picture](/etc/passwd)", "![A picture](media\\x.png)",
    "[a link](https://www.nhs.uk/)", "[mail](mailto:a@example.org)", "[bad](javascript:alert(1))",
    "[file](file:///etc/passwd)", "[data](data:text/html,hi)", "[leaflet](media/leaflet.pdf)",
    "[a page](01-welcome.md)", "[a page](02-story.md)", "[nowhere](99-none.md)", "[proto](//x.org)",
    "[[reflective practice]]", "[[Reflective Practice|reflective practice]]", "[[no such term]]",
    "text[^1]", "[^1]: A footnote.", "*[HIU]: High intensity use", "{: .lead }",
    '{: onclick="alert(1)" }', "| a | b |", "|---|---|", "Term", ":   Definition",
    "<br>", "<abbr title=\"x\">x</abbr>", "<sup>2</sup>", "<script>alert(1)</script>",
    "<iframe src=\"https://example.org\"></iframe>", "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>", "<div>", "</div>", "<!-- a comment -->",
    "<style>body{}</style>", "<span onmouseover=\"x\">y</span>", '```{ .py onclick="x" }',
    "", "", "",
]
# Pieces that mutations splice into lines.
TOKENS = [
    ":::", "{", "}", "#", "=", '"', "'", "[x]", "[ ]", "- ", "> ", "->", "=>", "`", "*", "_",
    "[[", "]]", "](", ")", "!", "<", ">", "&", "&amp;", "\\", "\t", " ", "\u00a0", "\u2028",
    "\x85", "\ufeff", "\x00", "\x1b", "\u202e", "é", "e\u0301", "../", "/etc/passwd",
    "javascript:", "file://", "//", "%00", "%2e%2e/", "media/", "type=", "shuffle=false", "#id",
    "who=", "src=", "captions=", "image=", "alt=", "title=", "<script>", "<br>", " onclick=x",
    "sam: ", "[^1]", "|", "\r", "\r\n", "1. ",
]
# module.yml lines, right and wrong.
CONFIG_LINES = [
    "id: sample", "id: Bad Id", "id: [a, b]", "title:", "title: [a, b]", "title: Yes",
    "title: 'unclosed", 'title: "unclosed', "description: >", "  folded text", "version: 1.10",
    "version: 2024-01-01", "language: xx-!!", "language: cy", "duration_minutes: 0",
    "duration_minutes: 601", "duration_minutes: ten", "duration_minutes: 1e400", "pass_mark: 101",
    "pass_mark: -1", "pass_mark: true", "pass_mark: 80", "audience: Paramedics",
    "keywords: [a, b", "keywords: {a: b}", "objectives:", "  - Learn", "  - [nested, list]",
    "characters:", "characters: sam", "  - id: sam", "  - id: Sam", "  - just text",
    "    name: Sam", "    role: Paramedic", "    avatar: media/picture.svg",
    "    avatar: ../outside.svg", "    avatar: /etc/passwd", "    avatar: https://x.org/a.png",
    "    avatar: media/missing.svg", "    mood: happy", "assessment:", "assessment: 3",
    "  attempts: unlimited", "  attempts: 0", "  attempts: many", "  draw: 5", "  draw: 0",
    "  shuffle_options: maybe", "glossary:", "glossary: [a]", "  term: A definition.",
    "  other: [a, b]", "pages:", "  - 01-fixture.md", "  - missing.md", "  - ../module.yml",
    "theme: nope", "theme: plain", "theme: Bad Theme", "theme_options:",
    "  organisation: Anytown", "  logo: assets/logo.svg", "  1: 2", "  2: 3",
    "max_media_mb: 0", "max_media_mb: 1", "allow_raw_html: yes", "allow_raw_html: maybe",
    "passmark: 80", "&anchor x", "key: *anchor", "a: &x [1]", "b: *x",
    "x: !!python/object/apply:os.system ['true']", "x: !!int abc", "x: !!binary xx",
    "x: !!timestamp nope", "x: !!set {a}", "x: !custom y", "? [a, b]", ": c", "- item",
    "{", "[", "key: value: more", "\tid: tabbed", "%YAML 1.1", "---", "...",
    "x: " + "[" * 60 + "]" * 60, "",
]
FRONT_MATTER_LINES = [
    "id: welcome", "id: story", "id: Bad Id", "id: [x]", "title: Hello", "title:",
    "title: " + "x" * 201, "branch: true", "branch: maybe", "next: check", "next: welcome",
    "next: nowhere", "next: Bad Id", "unknown: 1", "&a x", "b: *a",
    "x: !!python/object/apply:os.system ['true']", "x: !!float nope", "- list item", "{", ": :",
    "\ttabbed: x", "",
]

printable = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)


@st.composite
def mutated(draw: st.DrawFn, lines: list[str], vocabulary: list[str], most: int = 5) -> list[str]:
    """``lines`` after up to ``most`` random edits: the slips and damage real files show."""
    lines = list(lines) or [""]
    for _ in range(draw(st.integers(0, most))):
        at = draw(st.integers(0, len(lines) - 1))  # never empty: 'delete' keeps one line
        operation = draw(st.sampled_from(
            ["insert", "replace", "delete", "duplicate", "swap", "splice", "cut", "indent"]))
        if operation == "insert":
            lines.insert(at, draw(st.sampled_from(vocabulary)))
        elif operation == "replace":
            lines[at] = draw(st.sampled_from(vocabulary))
        elif operation == "delete" and len(lines) > 1:
            del lines[at]
        elif operation == "duplicate":
            lines.insert(at, lines[at])
        elif operation == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif operation == "splice":
            cut = draw(st.integers(0, len(lines[at])))
            piece = draw(st.sampled_from(TOKENS) | printable)
            lines[at] = lines[at][:cut] + piece + lines[at][cut:]
        elif operation == "cut":
            start = draw(st.integers(0, len(lines[at])))
            lines[at] = lines[at][:start] + lines[at][start + draw(st.integers(1, 6)):]
        elif operation == "indent":
            lines[at] = draw(st.sampled_from(["  ", "    ", "\t", " "])) + lines[at].lstrip()
    return lines


def write_module(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
    return root


def fixture_module(page: str | bytes, config: str | None = None,
                   page_name: str = "01-fixture.md") -> dict[str, str | bytes]:
    """The module of the block fixtures (tests/test_blocks.py): one page, the test config."""
    return {"module.yml": config if config is not None else SEED_CONFIGS[0], **MEDIA,
            f"pages/{page_name}": page}


# -- what counts as a good outcome -------------------------------------------------------------

# Problems about a whole file, reported at line 0 (every other problem has a real line).
WHOLE_FILE_PROBLEMS = (
    "the module has no ",  # no module.yml, no pages
    "the file cannot be read",
    "this page is not listed under 'pages:'",
    "the page file is a link",
)
ACTIVE_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "style",
               "link", "meta", "base", "form", "svg", "math"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "data", "background",
                  "xlink:href", "cite", "srcset"}
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def line_count(path: Path) -> int:
    text = path.read_bytes().decode("utf-8", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1


def assert_located(problem: Problem, base: Path) -> None:
    """A problem names an existing file of the module, and a line that exists in it."""
    path = base / problem.file
    assert problem.file and path.is_file(), f"no such file: {problem}"
    assert problem.message.strip(), problem
    if problem.line == 0:
        assert problem.message.startswith(WHOLE_FILE_PROBLEMS), f"line 0 for a line problem: {problem}"
        return
    lines = line_count(path)
    assert 1 <= problem.line <= lines, f"{problem}\n(the file has {lines} lines)"


class _ActiveContent(HTMLParser):
    """Finds what could run code in a browser: script-like tags, on* handlers, script URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ACTIVE_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{name}= on <{tag}>")
            if name in URL_ATTRIBUTES and value:
                # Browsers drop tabs and newlines anywhere in a URL, and spaces around it.
                url = re.sub(r"[\t\n\r]", "", unescape(value)).strip("\x00 \x0c\x0b")
                scheme = SCHEME.match(url)
                if scheme and scheme.group(1).lower() not in SAFE_SCHEMES:
                    self.found.append(f"{name}={value!r} on <{tag}>")


def html_fragments(value: object) -> Iterator[str]:
    """Every rendered HTML string in a piece of the content model."""
    if isinstance(value, list):
        for item in value:
            yield from html_fragments(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            item = getattr(value, field.name)
            if isinstance(item, str) and (field.name == "html" or field.name.endswith("_html")):
                yield item
            elif isinstance(item, list):
                yield from html_fragments(item)


def assert_clean_outcome(files: dict[str, str | bytes]) -> None:
    """Build a module made of ``files`` and check that the outcome is one of the allowed ones."""
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder) / "modules"
        try:
            root = write_module(base / "fuzz", files)
        except (OSError, ValueError):
            assume(False)  # a name the file system cannot hold: not elpack's input
        try:
            built = build(root)
        except BuildError as error:
            assert error.problems, "a BuildError lists its problems"
            assert any(p.severity == "error" for p in error.problems), error.problems
            for problem in error.problems:
                assert_located(problem, base)
            event("refused")
            return
        # Any other exception, PackageInvalid included, fails the test: elpack either builds a
        # valid package or explains the authoring problem.
        for warning in built.warnings:
            assert_located(warning, base)
        assert check_package(built.files) == []
        for page in built.module.pages:
            for html in html_fragments(page.blocks):
                scanner = _ActiveContent()
                scanner.feed(html)
                scanner.close()
                assert not scanner.found, f"active content in {page.file.name}: {scanner.found}"
        event("built")


# -- the fence scanner and attributes ----------------------------------------------------------

fence_lines = st.sampled_from(PAGE_LINES) | st.builds(
    lambda colons, rest: ":" * colons + rest, st.integers(0, 5),
    st.sampled_from(TOKENS) | printable)


@time_limit(60)
@fuzz(20)
@given(lines=st.lists(fence_lines | printable, max_size=30), first_line=st.integers(1, 40))
def test_scan_places_every_block_and_problem_on_a_real_line(lines: list[str], first_line: int):
    root, problems = scan(lines, first_line)
    last = first_line + max(len(lines), 1) - 1
    for problem in problems:
        assert first_line <= problem.line <= last, problem
        assert problem.message and problem.hint
    todo: list[Container] = [root]
    while todo:
        container = todo.pop()
        for child in container.children:
            if isinstance(child, TextRun):
                assert first_line <= child.first_line <= last
                assert child.first_line + len(child.lines) - 1 <= last
            else:
                assert first_line <= child.line <= last
                assert all(isinstance(k, str) and isinstance(v, str)
                           for k, v in child.attributes.items())
                todo.append(child)


@time_limit(30)
@fuzz(10)
@given(text=st.lists(st.sampled_from(TOKENS) | printable, max_size=12).map("".join))
def test_attributes_are_read_or_refused_with_a_message(text: str):
    attributes, error = parse_attributes(text)
    assert error is None or error.startswith("cannot read the attributes")
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in attributes.items())


# -- YAML ---------------------------------------------------------------------------------------

yaml_texts = (st.lists(st.sampled_from(CONFIG_LINES + FRONT_MATTER_LINES) | printable,
                       max_size=12).map("\n".join)
              | st.sampled_from(SEED_CONFIGS).flatmap(
                  lambda seed: mutated(seed.split("\n"), CONFIG_LINES).map("\n".join)))


@time_limit(60)
@fuzz(30)
@given(text=yaml_texts, first_line=st.integers(1, 20))
@example(text="x: !!int abc", first_line=1)
@example(text="x: !!bool maybe", first_line=1)
@example(text="x: !!timestamp nope", first_line=1)
@example(text="x: " + "[" * 3000, first_line=1)
@example(text="a: \x01", first_line=1)
@example(text="a: b\u2028c: [", first_line=1)
def test_yaml_loads_or_reports_a_located_problem(text: str, first_line: int):
    try:
        document = load_yaml(text, first_line)
    except YamlProblem as problem:
        last = first_line + text.count("\n")
        assert first_line <= problem.line <= last, (problem.line, problem.message)
        assert problem.message and problem.hint
        return
    assert document.data is None or isinstance(document.data, dict | list | str | int | float | bool)
    for line in document.lines.values():
        assert first_line <= line <= first_line + text.count("\n")



@time_limit(60)
@fuzz(30)
@given(text=yaml_texts, first_line=st.integers(1, 20))
@example(text="a: 1\n\tb: 2\nc 3\nd: 'x\n", first_line=1)
def test_read_yaml_reports_each_mistake_at_a_line_of_the_text(text: str, first_line: int):
    read = read_yaml(text, first_line)
    last = first_line + text.count("\n")
    for problem in read.problems:
        assert first_line <= problem.line <= last, (problem.line, problem.message)
        assert problem.message and problem.hint
    assert read.document is not None or read.problems
    assert len({p.line for p in read.problems}) == len(read.problems), "one report per line"

# -- whole builds ------------------------------------------------------------------------------


@st.composite
def mutated_modules(draw: st.DrawFn) -> dict[str, str | bytes]:
    """A block fixture or the golden sample module, with one page damaged."""
    if draw(st.booleans()):
        seed = draw(st.sampled_from(sorted(SEED_PAGES)))
        page = "\n".join(draw(mutated(SEED_PAGES[seed].split("\n"), PAGE_LINES)))
        return fixture_module(page)
    files: dict[str, str | bytes] = dict(GOLDEN_FILES)
    target = draw(st.sampled_from(GOLDEN_PAGES))
    source = GOLDEN_FILES[target].decode("utf-8")
    files[target] = "\n".join(draw(mutated(source.split("\n"), PAGE_LINES)))
    return files


@time_limit(150)
@fuzz(40)
@given(files=mutated_modules())
@example(files=fixture_module("# T\n\n![A picture](media/" + "x" * 5000 + ".png)\n"))
@example(files=fixture_module("# T\n\n[[" * 3000 + "\n"))
@example(files=fixture_module("# T\n\nText\u2028more text\n\n[[no such term]]\n"))
@example(files=fixture_module("# T\n\n<script>alert(1)</script>\n"))
@example(files=fixture_module('# T\n\nText\n{: onclick="alert(1)" }\n'))
def test_mutated_pages_build_or_fail_cleanly(files: dict[str, str | bytes]):
    assert_clean_outcome(files)


@time_limit(90)
@fuzz(20)
@given(config=st.sampled_from([0, 1]).flatmap(
    lambda index: mutated(SEED_CONFIGS[index].split("\n"), CONFIG_LINES, most=3).map(
        lambda lines: (index, "\n".join(lines)))))
@example(config=(0, SEED_CONFIGS[0] + "x: " + "[" * 500 + "]" * 500 + "\n"))
@example(config=(0, SEED_CONFIGS[0].replace('"1.0.0"', "2024-01-01")))
def test_mutated_module_yml_builds_or_fails_cleanly(config: tuple[int, str]):
    index, text = config
    if index == 0:
        assert_clean_outcome({**fixture_module(SEED_PAGES["prose.md"], config=text),
                              "pages/02-choice.md": SEED_PAGES["choice.md"]})
    else:
        assert_clean_outcome({**GOLDEN_FILES, "module.yml": text})


SCHEMA_KEYS = [*MODULE_SCHEMA, *CHARACTER_SCHEMA, *ASSESSMENT_SCHEMA, "unknown"]
yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 10**6) | st.floats(allow_nan=False)
    | printable | st.sampled_from(["media/picture.svg", "../x", "plain", "unlimited", "sam", "en"]),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(SCHEMA_KEYS) | printable, inner, max_size=3),
    max_leaves=8)


@time_limit(60)
@fuzz(20)
@given(changes=st.dictionaries(st.sampled_from(SCHEMA_KEYS), yaml_values, min_size=1, max_size=3))
@example(changes={"glossary": ["a"]})
@example(changes={"characters": "sam"})
@example(changes={"assessment": 3})
@example(changes={"theme_options": {1: "a", 2: "b"}})
@example(changes={"pages": []})
def test_module_yml_values_of_every_type_build_or_fail_cleanly(changes: dict):
    """Well-formed YAML, but any key may hold any type of value."""
    config = {**yaml.safe_load(SEED_CONFIGS[0]), **changes}
    text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
    assert_clean_outcome({**fixture_module(SEED_PAGES["prose.md"], config=text),
                          "pages/02-choice.md": SEED_PAGES["choice.md"]})


front_matter_pages = st.builds(
    lambda lines, closing, body: "\n".join(["---", *lines, closing, body]),
    st.lists(st.sampled_from(FRONT_MATTER_LINES) | printable, max_size=6),
    st.sampled_from(["---", "...", "--- ", "", "----"]),
    st.sampled_from(["# Title\n\nText.\n", "Text without a title.\n", "", "# T\n---\n"]))


@time_limit(60)
@fuzz(12)
@given(page=front_matter_pages)
def test_front_matter_builds_or_fails_cleanly(page: str):
    assert_clean_outcome(fixture_module(page))


raw_pages = (st.text(max_size=300)
             | st.binary(max_size=120)
             | st.lists(st.sampled_from(PAGE_LINES) | printable, max_size=20).map("\n".join))
page_names = st.sampled_from(["01-welcome.md", "02 Story time.md", "03-CAPS.md", "04-café.md",
                              "05-cafe\u0301.md", "06-\u202eevil.md", "07-a:b.md", ".md",
                              "08-\x01.md"]) | printable.map(lambda name: name + ".md")


@time_limit(60)
@fuzz(12)
@given(page=raw_pages, name=page_names)
@example(page=b"# Caf\xe9\n", name="01-welcome.md")
@example(page="\ufeff---\nid: bom\n---\n# Title\n", name="01-welcome.md")
def test_random_pages_and_page_names_build_or_fail_cleanly(page: str | bytes, name: str):
    assume("/" not in name and "\x00" not in name)
    assert_clean_outcome(fixture_module(page, page_name=name))


media_names = st.sampled_from(["picture.png", "night call.png", "Picture.png", "café.png",
                               "cafe\u0301.png", "a:b.png", "a#b.png", "a?b.png", "50%.png",
                               "\u202egnp.exe", "tab\there.png", "shell.php", ".htaccess",
                               "x" * 200 + ".png"]) | printable


@time_limit(60)
@fuzz(12)
@given(stored=media_names, written=st.sampled_from(["same", "nfc", "nfd", "upper", "quoted",
                                                    "parent", "absolute", "scene", "video"]))
def test_media_file_names_build_or_fail_cleanly(stored: str, written: str):
    assume(stored and "/" not in stored and "\x00" not in stored and stored not in (".", ".."))
    reference = {
        "same": "media/" + stored, "nfc": "media/" + unicodedata.normalize("NFC", stored),
        "nfd": "media/" + unicodedata.normalize("NFD", stored), "upper": "media/" + stored.upper(),
        "quoted": "media/" + quote(stored), "parent": "../media/" + stored,
        "absolute": "/media/" + stored, "scene": "media/" + stored, "video": "media/" + stored,
    }[written]
    if written == "scene":
        body = f'::: scene {{image="{reference}" alt="A picture"}}\nText.\n:::\n'
    elif written == "video":
        body = f'::: video {{src="{reference}"}}\nA transcript.\n:::\n'
    else:
        body = f"![A picture](<{reference}>)\n\n[the file](<{reference}>)\n"
    assert_clean_outcome({**fixture_module("# Media\n\n" + body), f"media/{stored}": b"data"})


# -- validate: hostile zips and manifests ------------------------------------------------------


@functools.cache
def golden_package() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        root = write_module(Path(folder) / "modules" / "golden", dict(GOLDEN_FILES))
        return build(root).package


# An edit of a zip's bytes: (where, how, argument). Edits, not bytes, are what hypothesis shows
# for a failing example, so the report stays readable.
ZipEdit = tuple[int, str, bytes]
zip_edits = st.lists(st.tuples(
    # Negative positions count from the end, where the central directory and its counts live.
    st.integers(-400, -1) | st.integers(0, 30_000),
    st.sampled_from(["set", "truncate", "insert"]),
    st.sampled_from([b"\xff\xff\xff\xff", b"\x00\x00\x00\x00", b"\xff\xff", b"PK\x05\x06"])
    | st.binary(min_size=1, max_size=4)), min_size=1, max_size=6)


def damaged(data: bytes, edits: list[ZipEdit]) -> bytes:
    damaged = bytearray(data)
    for position, how, argument in edits:
        if not damaged:
            break
        at = position % len(damaged)
        if how == "set":
            damaged[at:at + len(argument)] = argument
        elif how == "truncate":
            del damaged[at:]
        else:
            damaged[at:at] = argument
    return bytes(damaged)


@time_limit(90)
@fuzz(12)
@given(edits=zip_edits)
def test_validate_reports_damaged_zips_without_crashing(edits: list[ZipEdit]):
    data = damaged(golden_package(), edits)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "damaged.zip"
        path.write_bytes(data)
        problems = validate_zip(path)
        assert all(isinstance(problem, str) and problem for problem in problems)
        assert sorted(p.name for p in Path(folder).iterdir()) == ["damaged.zip"], "never extracts"
    if data == golden_package():
        assert problems == []


MANIFEST_LINES = [
    "<manifest>", "</manifest>", "<resources>", "</resources>", '<resource identifier="R"/>',
    '<file href="../evil.html"/>', '<file href="/etc/passwd"/>', '<item identifierref="nope"/>',
    "<!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>]>",
    "&b;", '<xi:include href="/etc/passwd" xmlns:xi="http://www.w3.org/2001/XInclude"/>',
    "<?xml version='1.0' encoding='latin-1'?>", "<title>" + "x" * 300 + "</title>",
    "<adlcp:masteryscore>abc</adlcp:masteryscore>", "\x00", "]]>", "<![CDATA[", "",
]


@time_limit(60)
@fuzz(8)
@given(lines=st.deferred(lambda: mutated(golden_manifest().split("\n"), MANIFEST_LINES)))
def test_validate_reports_damaged_manifests_without_crashing(lines: list[str]):
    with zipfile.ZipFile(io.BytesIO(golden_package())) as archive:
        files: dict[str, bytes | None] = {name: archive.read(name) for name in archive.namelist()}
    files["imsmanifest.xml"] = "\n".join(lines).encode("utf-8", errors="surrogatepass")
    problems = check_package(files)
    assert all(isinstance(problem, str) and problem for problem in problems)


@functools.cache
def golden_manifest() -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "good.zip"
        path.write_bytes(golden_package())
        files, problems = read_zip(path)
    assert problems == []
    return (files["imsmanifest.xml"] or b"").decode("utf-8")
