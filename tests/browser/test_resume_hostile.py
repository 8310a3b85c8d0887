"""Hostile saved state (issue 16, item 5): cmi.suspend_data comes back from the LMS and may have
been edited. The runtime must start, keep only what this module could have saved, tell the
learner what it left out, and never write back more than the standard's limit."""

from __future__ import annotations

import json
from typing import Any

from elpack.targets import get_target

from .learner import Learner, goto, last_set

MODULE = "frequent-attenders"
PAGE_OF = "(id) => document.getElementById(id).closest('.page').dataset.page"
SUSPEND_LIMIT = get_target("scorm12").saved_state_limit
MARKUP = '<img src=x onerror="window.hacked=1"><script>window.hacked=2</script>'


def fresh_state(lms_session, package) -> tuple[dict[str, Any], dict[str, Any]]:
    """A genuine saved state of a new learner, and the module's runtime data."""
    session = lms_session(package)
    _, frame = session.launch()
    data = Learner(frame).data
    return json.loads(frame.evaluate("window.elpack.suspendData()")), data


def resume(lms_session, package, state: dict[str, Any] | str):
    session = lms_session(package)
    text = state if isinstance(state, str) else json.dumps(state)
    _, frame = session.launch({"core": {"entry": "resume"}, "suspend_data": text})
    frame.wait_for_function("() => window.elpack !== undefined")
    return session, frame


def check_of_type(data: dict[str, Any], kind: str) -> tuple[int, str]:
    index, question_id = next((i, q) for i, q in enumerate(data["checks"])
                              if data["questions"][q]["type"] == kind)
    return index, question_id


def test_hostile_answers_are_dropped_and_the_learner_told(built_packages, lms_session):
    package = built_packages[MODULE]
    state, data = fresh_state(lms_session, package)
    order_index, order_id = check_of_type(data, "ordering")
    single_index, _ = check_of_type(data, "single")
    options = data["questions"][order_id]["options"]
    # A quote and markup inside an otherwise plausible ordering answer; an option the single
    # choice question does not have; a reflection far over its share; markup in a reflection
    # (the module's reflections are private, so suspend_data never holds their text); an
    # unknown choice option.
    assert data["reflectionsPrivate"]
    state["a"][order_index] = options[0] + '"]' + MARKUP
    state["a"][single_index] = "z"
    state["r"][0] = "x" * (data["reflectionLimit"] + 50)
    state["r"][1] = 'I wrote "<b>this</b>" & <img src=x onerror=alert(1)>'
    state["c"][0] = '"><img src=x onerror=alert(1)>'
    session, frame = resume(lms_session, package, state)

    note = frame.locator("section.page.current .welcome-back")
    note.wait_for()
    assert "Some of your saved answers could not be read, so they have been cleared" in \
        note.inner_text()
    assert frame.evaluate("() => window.hacked") is None
    saved = json.loads(frame.evaluate("window.elpack.suspendData()"))
    assert saved["a"][order_index] == "" and saved["a"][single_index] == ""
    assert saved["r"] == [""] * len(data["reflections"]) and saved["c"][0] == ""
    goto(frame, frame.evaluate(PAGE_OF, data["reflections"][1]))
    assert frame.locator(f"#{data['reflections'][1]}-answer").input_value() == ""
    assert frame.locator("img[src=x]").count() == 0
    goto(frame, frame.evaluate(PAGE_OF, order_id))
    shown = frame.locator(f"fieldset#{order_id} li[data-item]")
    assert shown.count() == len(options)
    assert not session.errors, session.errors


def test_a_quote_in_an_ordering_answer_alone_never_stops_start_up(built_packages, lms_session):
    package = built_packages[MODULE]
    state, data = fresh_state(lms_session, package)
    order_index, order_id = check_of_type(data, "ordering")
    state["a"][order_index] = '"'
    session, frame = resume(lms_session, package, state)
    frame.locator("section.page.current .welcome-back").wait_for()
    goto(frame, frame.evaluate(PAGE_OF, order_id))
    assert frame.locator(f"fieldset#{order_id} li[data-item]").count() == \
        len(data["questions"][order_id]["options"])
    assert not session.errors, session.errors


def test_saved_state_over_the_limit_is_not_used_and_never_written_back(built_packages,
                                                                        lms_session):
    package = built_packages[MODULE]
    state, _ = fresh_state(lms_session, package)
    state["r"][0] = "y" * SUSPEND_LIMIT  # the whole state is now over what the LMS keeps
    session, frame = resume(lms_session, package, state)
    frame.wait_for_function(
        "() => document.getElementById('elpack-status').textContent.includes('starts again')")
    note = frame.locator("section.page.current .welcome-back").inner_text()
    assert "starts again from the beginning" in note
    written = last_set(session.log(), "cmi.suspend_data")
    assert written is not None and len(written) <= SUSPEND_LIMIT
    assert "yyyy" not in written
    assert not session.errors, session.errors
