"""The type registries are the one place a question or block type lives.

A question type defined here, in the test, with its template in the module's own theme folder,
parses, renders, is scored by the runtime data, appears in `elpack inspect` and in the storyboard,
and counts in the suspend_data budget, without any other file of elpack knowing its name.
"""

from __future__ import annotations

import html
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pytest

from conftest import module_factory, run_cli  # noqa: F401  (fixture)
from elpack.blocks import BlockType, ParseContext, block_types
from elpack.commands.storyboard import render_storyboard
from elpack.containers import Container
from elpack.model import Block, Question
from elpack.pipeline import load_checked_module
from elpack.questions import QuestionType, Report, question_types
from elpack.registry import Registry
from elpack.suspend import worst_case_state


class YesNo(QuestionType):
    """Two options, Yes and No; the answer is stored as 'yes' or 'no'."""

    name: ClassVar[str] = "yes-no"
    interaction: ClassVar[str] = "choice"
    label: ClassVar[str] = "Yes or no"
    keeps_order: ClassVar[bool] = True

    def check(self, question: Question, report: Report) -> None:
        if sorted(o.text.lower() for o in question.options) != ["no", "yes"]:
            report(question.line, "a yes-no question needs the options Yes and No",
                   "write '- [x] Yes' and '- [ ] No'")

    def correct_pattern(self, question: Question) -> str:
        return next(o.text.lower() for o in question.options if o.correct)

    def longest_answer(self, question: Question) -> int:
        return len("yes")

    def inspect(self, question: Question) -> dict[str, object]:
        return {"answer": self.correct_pattern(question)}


TEMPLATE = """\
{% for option in block.options %}
<label class="yes-no"><input type="radio" name="{{ block.id }}" value="{{ option.id }}">
{{- option.html | safe }}</label>
{% endfor %}
"""
PAGE = """\
# Sleep

::: question {#q-rest type=yes-no}
Is a short nap a good idea after a night shift?

- [x] Yes
- [ ] No
:::
"""


@pytest.fixture
def yes_no() -> Iterator[None]:
    question_types.register(YesNo(), "yes-no", 5)
    yield
    question_types.deregister("yes-no")


def _module(factory, page: str = PAGE) -> Path:
    return factory({"01-sleep.md": page},
                   extra={"theme/templates/questions/yes-no.html": TEMPLATE})


def test_a_registered_question_type_parses_renders_and_is_scored(yes_no, module_factory, tmp_path):  # noqa: F811
    root = _module(module_factory)
    result = run_cli("build", root, "-o", tmp_path / "out", "-j", "1")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "out" / "sample-scorm12.zip") as package:
        page = package.read("index.html").decode("utf-8")
    assert 'data-type="yes-no"' in page
    assert page.count('<label class="yes-no">') == 2  # the type's own template shows the options
    data_text = re.search(r'<script type="application/json" id="elpack-data">(.*?)</script>',
                          page, re.S)
    assert data_text is not None
    question = json.loads(data_text.group(1))["questions"]["q-rest"]
    assert question["type"] == "yes-no"
    assert question["pattern"] == "yes"
    assert question["shuffle"] is False  # keeps_order


def test_a_registered_question_type_appears_in_inspect_storyboard_and_budget(yes_no, module_factory):  # noqa: F811
    root = _module(module_factory)
    result = run_cli("inspect", root, "--json")
    assert result.exit_code == 0, result.output
    question = json.loads(result.stdout)["questions"][0]
    assert (question["type"], question["correct_pattern"], question["answer"]) == ("yes-no", "yes", "yes")

    module = load_checked_module(root).module
    assert worst_case_state(module)["a"] == ["aaa"]  # its longest answer, from the type

    storyboard = html.unescape(render_storyboard(module))
    assert "Yes or no ·" in storyboard  # the type's label, then the generic answer key
    assert "✔ Correct" in storyboard


def test_a_registered_question_type_makes_its_own_checks(yes_no, module_factory):  # noqa: F811
    root = _module(module_factory, PAGE.replace("- [ ] No", "- [ ] Maybe"))
    result = run_cli("check", root)
    assert result.exit_code == 1
    assert "01-sleep.md:3: error: a yes-no question needs the options Yes and No" in result.output


def test_an_unregistered_question_type_is_an_authoring_error(module_factory):  # noqa: F811
    root = _module(module_factory)
    result = run_cli("check", root)
    assert result.exit_code == 1
    assert "there is no question type 'yes-no'" in result.output


def test_every_builtin_question_type_has_its_theme_template():
    templates = Path(__file__).resolve().parent.parent / "src" / "elpack" / "themes" / "plain" / "templates"
    assert len(question_types) == 7
    for kind in question_types:
        assert (templates / kind.template).is_file(), kind.name


def test_every_runtime_module_a_type_names_exists_and_every_question_module_has_a_type():
    runtime = Path(__file__).resolve().parent.parent / "src" / "elpack" / "runtime" / "src"
    named = {kind.runtime_module for kind in question_types}
    named |= {module for name in block_types.names()
              if (module := block_types[name].runtime_module) is not None}
    for module in sorted(named):
        assert (runtime / module).is_file(), module
    shared = {"questions/question.js", "questions/options.js"}  # what every question type uses
    written = {f"questions/{path.name}" for path in (runtime / "questions").glob("*.js")}
    assert written - shared == {kind.runtime_module for kind in question_types}


def test_block_types_are_registered_under_every_name_authors_write():
    assert set(block_types.names()) == {
        "question", "assessment", "dialogue", "scene", "expert", "reflect", "choice", "video",
        "audio", "key-point", "warning", "tip", "signpost", "summary", "references"}
    assert block_types["video"] is block_types["audio"]


def test_the_registry_orders_by_priority_then_registration():
    registry: Registry[str] = Registry()
    registry.register("b", "b", 10)
    registry.register("a", "a", 20)
    registry.register("c", "c", 10)
    assert registry.names() == ["a", "b", "c"]
    registry.register("c2", "c", 30)  # the same name replaces the entry
    assert list(registry) == ["c2", "a", "b"]
    registry.deregister("a")
    assert "a" not in registry and len(registry) == 2


@dataclass
class Note(Block):
    """A boxed note with a heading, for the block registry test."""

    kind: ClassVar[str] = "note"
    html: str = ""


class NoteType(BlockType):
    names: ClassVar[tuple[str, ...]] = ("note",)

    def parse(self, container: Container, context: ParseContext) -> Block | None:
        context.attributes(container, set())
        html = context.body(container)
        if not html:
            context.error(container.line, "the note is empty", "write the note inside the block")
        return Note(container.line, html)

    def heading_level(self, name: str, attributes: dict[str, str]) -> int:
        return 2


@pytest.fixture
def note() -> Iterator[None]:
    block_types.register(NoteType(), "note", 5)
    yield
    block_types.deregister("note")


NOTE_PAGE = """\
# Rest

::: note
#### Sleep hygiene

Keep the bedroom dark after a night shift.
:::

::: note
:::
"""


def test_a_registered_block_type_parses_renders_and_is_checked(note, module_factory, tmp_path):  # noqa: F811
    root = module_factory({"01-rest.md": NOTE_PAGE}, extra={
        "theme/templates/blocks/note.html": '<aside class="note">{{ block.html | safe }}</aside>\n'})
    result = run_cli("check", root)
    assert result.exit_code == 1
    # its own located error, and elpack check asks the type for the heading its template shows
    assert "01-rest.md:9: error: the note is empty" in result.output
    assert ("01-rest.md:4: warning: the heading skips a level: it is level 4 but comes after the "
            "title of the 'note' block on line 3 (level 2)") in result.output

    root = module_factory({"01-rest.md": NOTE_PAGE.split("::: note\n:::")[0]}, name="fixed", extra={
        "theme/templates/blocks/note.html": '<aside class="note">{{ block.html | safe }}</aside>\n'})
    result = run_cli("build", root, "-o", tmp_path / "out", "-j", "1")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "out" / "sample-scorm12.zip") as package:
        assert '<aside class="note"><h4' in package.read("index.html").decode("utf-8")
