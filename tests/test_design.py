"""Assessment design checks: objectives on questions, draw coverage, answer-length cues,
near-copies of knowledge checks and an honest duration (docs/checks.md)."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import lxml.html
import pytest

from conftest import MINIMAL_CONFIG, module_factory  # noqa: F401  (fixture)
from elpack.commands.storyboard import render_storyboard
from elpack.design import check_design, estimate_duration, untested_share
from elpack.errors import BuildError, Problems
from elpack.pipeline import build, load_checked_module

OBJECTIVES = """
objectives:
  - Explain why people attend frequently.
  - id: own-feelings
    text: Recognise your own feelings about repeat callers.
  - Use a reflective model.
"""


def config(*extra: str, duration: int = 60) -> str:
    base = textwrap.dedent(MINIMAL_CONFIG).strip("\n").replace("duration_minutes: 5",
                                                                f"duration_minutes: {duration}")
    return base + "\n" + textwrap.dedent(OBJECTIVES).strip("\n") + "\n" + "\n".join(extra) + "\n"


def question(number: int, objective: str | None, right: str = "Right answer here",
             wrong: str = "A wrong answer") -> str:
    tag = f" objective={objective}" if objective else ""
    return (f"::: question {{#q{number}{tag}}}\nQuestion number {number} about topic {number * 7}?\n\n"
            f"- [x] {right} {number}\n- [ ] {wrong} {number}\n:::\n\n")


def assessment(objectives: list[str | None]) -> str:
    return ("# Test\n\n::: assessment\n"
            + "".join(question(i, o) for i, o in enumerate(objectives, 1)) + ":::\n")


def warnings_of(root: Path) -> list[str]:
    """The assessment design warnings of a module that builds."""
    problems = Problems(root)
    check_design(load_checked_module(root).module, problems)
    return [str(p) for p in problems.items]


def test_questions_name_objectives_by_number_or_id_and_the_storyboard_shows_coverage(
        module_factory):  # noqa: F811
    root = module_factory({"01-test.md": assessment(["1", "own-feelings", "3", "3"])},
                          config=config())
    checked = load_checked_module(root)
    assert [q.objective for q in checked.module.questions] == ["1", "own-feelings", "3", "3"]
    assert not [w for w in warnings_of(root) if "objective" in w]
    html = render_storyboard(checked.module)
    table = html[html.index('<table class="coverage">'):html.index("</table>", html.index(
        '<table class="coverage">'))]
    rows = re.findall(r"<tr[^>]*><th scope=\"row\">(\d)\..*?</tr>", table, re.S)
    assert rows == ["1", "2", "3"]
    assert table.count("question-q3") == 1 and table.count("question-q4") == 1
    # Beside each question, the objective it tests.
    document = lxml.html.document_fromstring(html)
    shown = {section.get("id"): " ".join(section.find_class("question-objective")[0]
                                         .text_content().split())
             for section in document.find_class("question")}
    objectives = checked.module.config.objectives
    assert shown == {f"question-q{n}": f"Tests objective: {objectives[o - 1].number}. "
                                       f"{objectives[o - 1].text}"
                     for n, o in [(1, 1), (2, 2), (3, 3), (4, 3)]}


def test_the_storyboard_says_when_a_question_names_no_objective(module_factory):  # noqa: F811
    root = module_factory({"01-test.md": assessment(["1", None])}, config=config())
    html = render_storyboard(load_checked_module(root).module)
    section = lxml.html.document_fromstring(html).get_element_by_id("question-q2")
    assert " ".join(section.find_class("question-objective")[0].text_content().split()) == (
        "Tests objective: none named (write objective= on the question)")


def test_an_objective_name_that_is_no_objective_is_an_error(module_factory):  # noqa: F811
    root = module_factory({"01-test.md": assessment(["1", "4", "own-feeling"])}, config=config())
    with pytest.raises(BuildError) as raised:
        build(root)
    errors = [str(p) for p in raised.value.problems if p.severity == "error"]
    assert errors == [
        "sample/pages/01-test.md:11: error: objective=4 names no learning objective of this "
        "module (it has 3 objectives)\n    fix: use one of: 1, 2 or own-feelings, 3",
        "sample/pages/01-test.md:18: error: objective=own-feeling names no learning objective "
        "of this module (it has 3 objectives)\n    fix: use one of: 1, 2 or own-feelings, 3"]


def test_an_objective_without_assessment_question_is_named(module_factory):  # noqa: F811
    root = module_factory({"01-test.md": assessment(["1", "1", "3"])}, config=config())
    untested = [w for w in warnings_of(root) if "has no assessment question" in w]
    assert untested == [
        "sample/module.yml:18: warning: objective 2 ('Recognise your own feelings about repeat "
        "callers.') has no assessment question, so passing says nothing about it\n"
        "    fix: add an assessment question with objective=own-feelings"]


def test_a_draw_that_can_leave_an_objective_untested_is_named_with_its_share(
        module_factory):  # noqa: F811
    objectives = ["1", "1", "1", "own-feelings", "3", "3"]
    root = module_factory({"01-test.md": assessment(objectives)},
                          config=config("assessment:\n  draw: 3"))
    warnings = [w for w in warnings_of(root) if "untested in" in w]
    # Objective 2 has one question of six: C(5,3)/C(6,3) = 10/20 of draws miss it.
    assert any("leaves objective 2 ('Recognise your own feelings about repeat callers.') "
               "untested in 50% of attempts" in w for w in warnings)
    assert untested_share(6, 1, 3) == 0.5 and untested_share(16, 4, 10) == pytest.approx(
        66 / 8008)
    stratified = module_factory({"01-test.md": assessment(objectives)}, name="stratified",
                                config=config("assessment:\n  draw: 3\n  draw_by: objective"))
    assert not [w for w in warnings_of(stratified) if "untested in" in w]


def test_draw_by_objective_needs_a_draw_that_can_cover_them(module_factory):  # noqa: F811
    root = module_factory({"01-test.md": assessment(["1", "own-feelings", "3", "3"])},
                          config=config("assessment:\n  draw: 2\n  draw_by: objective"))
    with pytest.raises(BuildError) as raised:
        build(root)
    assert [p.message for p in raised.value.problems if p.severity == "error"] == [
        "the assessment draws 2 questions, too few to cover the 3 objectives its questions "
        "test ('draw_by: objective')"]


def test_the_runtime_data_lists_each_objectives_questions(module_factory):  # noqa: F811
    root = module_factory({"01-test.md": assessment(["1", "own-feelings", "3", "3", None])},
                          config=config("assessment:\n  draw: 3\n  draw_by: objective"))
    html = build(root).files["index.html"].decode()
    data = json.loads(re.search(r'<script type="application/json" id="elpack-data">(.*?)</script>',
                                html, re.S).group(1))
    assert data["assessment"]["strata"] == [["q1"], ["q2"], ["q3", "q4"]]


def test_the_correct_option_being_the_longest_is_a_cue(module_factory):  # noqa: F811
    cued = "".join(question(i, None, right="The full and careful right answer", wrong="No")
                   for i in range(1, 4))
    fair = question(4, None, right="Yes", wrong="Not this one at all")
    root = module_factory({"01-test.md": "# Test\n\n" + cued + fair}, config=config())
    warnings = [w for w in warnings_of(root) if "longest" in w]
    assert warnings == [
        "sample/pages/01-test.md:3: warning: the correct option is the longest in 3 of 4 "
        "single-choice questions (01-test.md line 3, 01-test.md line 10, 01-test.md line 17), so "
        "learners can pass by picking the longest option\n    fix: make some wrong options as "
        "long and specific as the right one, or the right one shorter"]


def test_a_near_copy_of_a_knowledge_check_names_both_places(module_factory):  # noqa: F811
    check = question(1, None)
    copy = question(1, None).replace("#q1", "#fa-1").replace("Right answer", "Right answers")
    other = question(2, None).replace("#q2", "#fa-2").replace("topic", "something else entirely:")
    root = module_factory({"01-check.md": "# Check\n\n" + check,
                           "02-test.md": "# Test\n\n::: assessment\n" + copy + other + ":::\n"},
                          config=config())
    warnings = [w for w in warnings_of(root) if "near-copy" in w]
    assert len(warnings) == 1
    assert warnings[0].startswith("sample/pages/02-test.md:4: warning: this assessment question "
                                  "is a near-copy of the knowledge check in 01-check.md line 3 (")


def test_a_duration_far_below_the_estimate_is_a_warning(module_factory):  # noqa: F811
    page = "# Reading\n\n" + ("Word " * 100 + "\n\n") * 20 + "::: reflect\nWhat did you notice?\n:::\n"
    root = module_factory({"01-reading.md": page}, config=config(duration=5))
    estimate = estimate_duration(load_checked_module(root).module)
    # 2,000 words and the title at 200 a minute, plus 2 minutes for the reflection.
    assert (estimate.words, estimate.reflections) == (2004, 1)
    assert estimate.minutes == pytest.approx(2004 / 200 + 2)
    warnings = [w for w in warnings_of(root) if "duration_minutes" in w]
    assert warnings == [
        "sample/module.yml:6: warning: 'duration_minutes: 5' is far below the 13 minutes the "
        "module needs (2,004 words at 200 a minute, 0 questions, 1 reflection, 0 choices; see "
        "docs/checks.md)\n    fix: set 'duration_minutes: 13', or cut the module down"]
    honest = module_factory({"01-reading.md": page}, config=config(duration=12), name="honest")
    assert not [w for w in warnings_of(honest) if "duration_minutes" in w]
