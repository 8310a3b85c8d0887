"""suspend_data at its largest, measured in a real browser, never exceeds the build's prediction."""

from __future__ import annotations

import pytest

from elpack.errors import Problems
from elpack.module import load_module
from elpack.suspend import suspend_budget
from elpack.targets import get_target

from .conftest import EXAMPLE_MODULES, EXAMPLES
from .learner import Learner, goto, last_set, strict_problems, utf16_length, wait_for_message

# The saved-state limit of the default target, SCORM 1.2 (cmi.suspend_data).
SUSPEND_LIMIT = get_target("scorm12").saved_state_limit

# Quotes, backslashes and line breaks each take two characters once JSON-escaped; the emoji
# takes two UTF-16 units. The runtime must count all of that.
AWKWARD = 'She said "I\'m fine" \\ twice.\n\U0001f642 '


def answer_longest(learner: Learner, question_id: str) -> None:
    """Answer in the form that takes the most room: every option, or the longest text."""
    question = learner.data["questions"][question_id]
    scope = f"fieldset#{question_id}"
    if question["type"] == "multiple":
        for option in question["options"]:
            learner.frame.locator(f"{scope} input[value='{option}']").check()
    elif question["type"] == "text":
        learner.frame.fill(f"{scope} input[type=text]", AWKWARD * 40)
    else:
        learner.answer(question_id, correct=False)


@pytest.mark.parametrize("module", EXAMPLE_MODULES)
def test_longest_possible_progress_fits_the_prediction(module, built_packages, lms_session):
    problems = Problems(EXAMPLES[module])
    budget = suspend_budget(load_module(EXAMPLES[module], problems), SUSPEND_LIMIT)
    session = lms_session(built_packages[module])
    _, frame = session.launch()
    learner = Learner(frame)
    data = learner.data
    page_of = "(id) => document.getElementById(id).closest('.page').dataset.page"
    for question_id in data["checks"]:
        goto(frame, frame.evaluate(page_of, question_id))
        answer_longest(learner, question_id)
        frame.locator(f"fieldset#{question_id} button[data-action='check']").click()
    for reflection_id in data["reflections"]:
        goto(frame, frame.evaluate(page_of, reflection_id))
        frame.fill(f"#{reflection_id}-answer", AWKWARD * 200)
        frame.locator(f"#{reflection_id} button[data-action='save-reflection']").click()
        wait_for_message(frame, "longer")
        kept = frame.locator(f"#{reflection_id}-answer").input_value()
        assert 0 < len(kept) < len(AWKWARD * 200)
    for choice in data["choices"]:
        goto(frame, frame.evaluate(page_of, choice["id"]))
        learner.choose(choice["id"])
    assessment = data["assessment"]
    goto(frame, frame.evaluate(page_of, assessment["id"]))
    for attempt in range(assessment["attempts"]):
        for question_id in learner.drawn():
            answer_longest(learner, question_id)
        frame.locator("button[data-action='submit-assessment']").click()
        if attempt + 1 < assessment["attempts"]:
            frame.locator("button[data-action='retry-assessment']").click()
    frame.locator("#elpack-exit").click()

    measured = frame.evaluate("window.elpack.suspendData().length")
    sent = last_set(session.log(), "cmi.suspend_data")
    assert sent is not None and utf16_length(sent) == measured
    assert measured <= budget.worst_case <= SUSPEND_LIMIT
    # Cutting keeps as much as the share allows: an escape or an emoji may not be split.
    for reflection_id in data["reflections"]:
        kept = frame.evaluate(
            "(id) => JSON.stringify(document.getElementById(id + '-answer').value).length - 2", reflection_id)
        assert budget.reflection_limit - 2 <= kept <= budget.reflection_limit
    assert not strict_problems(session.log())
