"""The results review shows the right answer to each question the learner got wrong exactly when
'assessment: show_correct_answers' allows it (never, after_pass, always), in words for every
scored question type, and axe finds nothing on the review in either built-in theme."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from elpack.cli import cli

from .conftest import THEMES, format_violations, with_theme
from .learner import Learner

MODULE_YML = """
    id: results-review
    title: Results review
    description: An assessment with every question type.
    version: "1"
    language: en-GB
    duration_minutes: 5
    pass_mark: 50
    assessment:
      shuffle_options: false
"""

# Every question type (each attempt draws all of them, in its own order).
ASSESSMENT_PAGE = """
    # Final assessment

    ::::: assessment

    ::: question {#q-single}
    Which is a common reason for frequent attendance?

    - [ ] Wanting to waste staff time
    - [x] Loneliness and social isolation
    :::

    ::: question {#q-multi}
    Which are stages of Gibbs' reflective cycle?

    - [x] Description
    - [x] Feelings
    - [ ] Diagnosis
    :::

    ::: question {#q-tf}
    Reflection-in-action happens during the event.

    - [x] True
    - [ ] False
    :::

    ::: question {#q-order type=ordering}
    Put the stages of Gibbs' cycle in order.

    1. Description
    2. Feelings
    3. Evaluation
    :::

    ::: question {#q-match type=matching}
    Match each stage to what it asks.

    - Description => What happened?
    - Feelings => What were you thinking and feeling?
    - Action plan => What would you do next time?
    :::

    ::: question {#q-text type=text}
    Which free number reaches Samaritans?

    - [x] 116 123
    - [x] 116123
    :::

    ::: question {#q-likert type=likert}
    I feel confident talking to someone in distress.

    - [ ] Disagree
    - [ ] Agree
    :::

    :::::
"""

# What the review says for each scored question answered wrongly: its title and its items.
RIGHT_ANSWERS = {
    "q-single": ("The correct answer:", ["Loneliness and social isolation"]),
    "q-multi": ("The correct answers:", ["Description", "Feelings"]),
    "q-tf": ("The correct answer:", ["True"]),
    "q-order": ("The correct order:", ["Description", "Feelings", "Evaluation"]),
    "q-match": ("The correct matches:", ["Description: What happened?",
                                         "Feelings: What were you thinking and feeling?",
                                         "Action plan: What would you do next time?"]),
    "q-text": ("Any of these answers is correct:", ["116 123", "116123"]),
}
SCORED = list(RIGHT_ANSWERS)


def build(root: Path, setting: str, theme: str) -> Path:
    """The module with ``show_correct_answers: setting`` in ``theme``, built; its zip."""
    source = root / "src" / f"{setting}-{theme}"
    (source / "pages").mkdir(parents=True)
    config = textwrap.dedent(MODULE_YML).lstrip() + f"  show_correct_answers: {setting}\n"
    (source / "module.yml").write_text(with_theme(config, theme), encoding="utf-8")
    (source / "pages" / "01-test.md").write_text(textwrap.dedent(ASSESSMENT_PAGE).lstrip(), encoding="utf-8")
    out = root / "out" / f"{setting}-{theme}"
    result = CliRunner().invoke(cli, ["build", str(source), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out / "results-review-scorm12.zip"


def right_answers(frame) -> dict[str, tuple[str, list[str], str]]:
    """{question id: (title, items, list tag)} of every right answer the review shows."""
    entries = frame.eval_on_selector_all(
        "fieldset[data-question] .right-answer",
        """parts => parts.filter(p => p.getClientRects().length).map(p => ({
             id: p.closest('fieldset').id,
             title: p.querySelector('.right-answer-title').textContent,
             items: [...p.querySelectorAll('li')].map(li => li.textContent),
             tag: p.querySelector('ol, ul').tagName}))""")
    return {entry["id"]: (entry["title"], entry["items"], entry["tag"]) for entry in entries}


def answer_wrongly(learner: Learner, questions: list[str]) -> None:
    """Answer ``questions`` wrongly and the rest rightly, then submit."""
    for question_id in learner.drawn():
        learner.answer(question_id, correct=question_id not in questions)
    learner.frame.locator("button[data-action='submit-assessment']").click()
    learner.frame.locator(".results").wait_for(state="visible")


@pytest.mark.parametrize("theme", THEMES)
def test_always_shows_every_types_right_answer_in_words(theme, tmp_path, lms_session):
    session = lms_session(build(tmp_path, "always", theme))
    _, frame = session.launch()
    learner = Learner(frame)
    assert sorted(learner.drawn()) == sorted([*SCORED, "q-likert"])
    answer_wrongly(learner, SCORED)
    assert "You need 50% to pass" in frame.locator(".results").inner_text()
    shown = right_answers(frame)
    assert {q: (title, items) for q, (title, items, _) in shown.items()} == RIGHT_ANSWERS
    assert shown["q-order"][2] == "OL" and shown["q-single"][2] == "UL"
    # the words are at full contrast: the text colour of the page, not a pale or coloured one
    colours = frame.eval_on_selector_all(
        ".right-answer li, .right-answer-title",
        "nodes => nodes.map(n => getComputedStyle(n).color)")
    text_colour = frame.evaluate(
        "getComputedStyle(document.querySelector('.question-prompt, legend')).color")
    assert set(colours) == {text_colour}, (colours, text_colour)
    violations = session.run_axe(frame, context={"exclude": [["section.page:not(.current)"]]})
    assert not violations, format_violations(violations)
    # a new attempt starts without them
    frame.locator("button[data-action='retry-assessment']").click()
    assert right_answers(frame) == {}
    assert not session.errors, session.errors


def test_never_shows_only_right_or_wrong(tmp_path, lms_session):
    session = lms_session(build(tmp_path, "never", "nhs"))
    _, frame = session.launch()
    learner = Learner(frame)
    answer_wrongly(learner, SCORED)
    assert frame.locator("fieldset.is-incorrect").count() == len(SCORED)
    assert right_answers(frame) == {}
    frame.locator("button[data-action='retry-assessment']").click()
    answer_wrongly(learner, ["q-single", "q-match"])  # 4 of 6: passed
    assert "You passed" in frame.locator(".results").inner_text()
    assert right_answers(frame) == {}
    assert "shown once you have passed" not in frame.locator(".results").inner_text()


def test_after_pass_shows_them_only_once_the_learner_has_passed(tmp_path, lms_session):
    zip_path = build(tmp_path, "after_pass", "nhs")
    session = lms_session(zip_path)
    _, frame = session.launch()
    learner = Learner(frame)
    answer_wrongly(learner, SCORED)
    assert right_answers(frame) == {}
    assert "The correct answers are shown once you have passed." in frame.locator(".results").inner_text()
    frame.locator("button[data-action='retry-assessment']").click()
    answer_wrongly(learner, ["q-single", "q-match"])
    results = frame.locator(".results").inner_text()
    assert "You passed" in results and "shown once you have passed" not in results
    shown = right_answers(frame)
    assert {q: (title, items) for q, (title, items, _) in shown.items()} == {
        q: RIGHT_ANSWERS[q] for q in ("q-single", "q-match")}
    # The learner comes back later (or the LMS opens the attempt for review): the same review.
    saved = frame.evaluate("window.elpack.suspendData()")
    again = lms_session(zip_path)
    _, frame = again.launch({"core": {"entry": "resume", "lesson_location": "final-assessment"},
                             "suspend_data": saved})
    assert set(right_answers(frame)) == {"q-single", "q-match"}
    assert not session.errors + again.errors
