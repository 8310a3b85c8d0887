"""Hostile saved state (issue 16, item 5): cmi.suspend_data comes back from the LMS and may have
been edited. The runtime must start, keep only what this module could have saved, tell the
learner what it left out, and never write back more than the standard's limit."""

from __future__ import annotations

import json
import re
import textwrap
from typing import Any

from click.testing import CliRunner

from elpack.cli import cli
from elpack.targets import get_target

from .learner import Learner, click_next, goto, last_set

MODULE = "frequent-attenders"
PAGE_OF = "(id) => document.getElementById(id).closest('.page').dataset.page"
SUSPEND_LIMIT = get_target("scorm12").saved_state_limit
MARKUP = '<img src=x onerror="window.hacked=1"><script>window.hacked=2</script>'
# What the learner is told when saved progress cannot be used: it could not be read, or it was
# saved by another version of the module. Each must be said only when it is true.
UNREADABLE_NOTE = "Your saved progress could not be read, so this module starts again from the beginning."
CHANGED_NOTE = "This module has changed since your last visit, so it starts again from the beginning."


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
    assert note == UNREADABLE_NOTE
    written = last_set(session.log(), "cmi.suspend_data")
    assert written is not None and len(written) <= SUSPEND_LIMIT
    assert "yyyy" not in written
    assert not session.errors, session.errors


def start_again_note(frame) -> str:
    frame.wait_for_function(
        "() => document.getElementById('elpack-status').textContent.includes('starts again')")
    return frame.locator("section.page.current .welcome-back").inner_text()


def test_damaged_saved_state_is_said_to_be_unreadable_not_a_changed_module(built_packages, lms_session):
    package = built_packages[MODULE]
    state, data = fresh_state(lms_session, package)
    broken_shape = dict(state, a="not a list")  # this module's own format and hash, damaged inside
    for damaged in ('{"v": 1, "h": "', "[1, 2, 3]", json.dumps({"x": 1}), json.dumps(broken_shape)):
        session, frame = resume(lms_session, package, damaged)
        assert start_again_note(frame) == UNREADABLE_NOTE, damaged
        first_page = frame.evaluate("document.querySelector('section.page.current').dataset.page")
        assert first_page == data["pages"][0]["id"]
        assert not session.errors, session.errors


def test_a_changed_module_is_said_to_have_changed(built_packages, lms_session):
    """Saved by another version of the module (its content hash differs) or of elpack (its
    format number differs): the module has changed, and the note says so."""
    package = built_packages[MODULE]
    state, _ = fresh_state(lms_session, package)
    for changed in (dict(state, h="0" * 12), dict(state, v=state["v"] + 1)):
        session, frame = resume(lms_session, package, changed)
        assert start_again_note(frame) == CHANGED_NOTE
        assert not session.errors, session.errors


RECORDED_MODULE = {
    "module.yml": """
        id: cut-down
        title: Cut down
        description: Saved state trimmed to fit.
        version: "1"
        language: en-GB
        duration_minutes: 5
        reflections: recorded
    """,
    "pages/01-think.md": """
        # Think

        ::: question {#q-number type=text}
        Which free number reaches Samaritans?

        - [x] 116 123
        :::

        ::: reflect {#r-think}
        What did you notice?
        :::
    """,
    "pages/02-next.md": """
        # Next

        Some text.
    """,
}


def test_progress_over_the_limit_is_cut_down_to_fit(tmp_path, lms_session):
    """The build gives each reflection a share of the saved state that always fits, so only a
    wrong share can overfill it. Here the package's data is edited to give a reflection 100,000
    characters: the runtime still writes at most the limit, leaving the reflection's text out
    (it has gone to the LMS as an interaction) and keeping the learner's answer and place."""
    root = tmp_path / "cut-down"
    for name, text in RECORDED_MODULE.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(root), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    session = lms_session(out / "cut-down-scorm12.zip")
    index = session.site.package_dir / "index.html"
    html, count = re.subn(r'"reflectionLimit": *\d+', '"reflectionLimit": 100000',
                          index.read_text(encoding="utf-8"))
    assert count == 1
    index.write_text(html, encoding="utf-8")
    _, frame = session.launch()
    learner = Learner(frame)
    learner.check("q-number")
    learner.reflect("r-think", "z" * (SUSPEND_LIMIT + 500))
    assert frame.evaluate("window.elpack.suspendData().length") > SUSPEND_LIMIT
    assert click_next(frame)
    frame.locator("#elpack-exit").click()  # saves now and ends the session
    frame.locator(".exit-note").wait_for()
    written = last_set(session.log(), "cmi.suspend_data")
    assert written is not None and len(written) <= SUSPEND_LIMIT
    saved = json.loads(written)
    assert saved["r"] == [""], "the reflection's text is what is left out"
    assert saved["a"] == ["116 123"], "the answer is kept"
    assert last_set(session.log(), "cmi.core.lesson_location") == "next"
    # and the trimmed state is one the runtime reads back
    again = lms_session(out / "cut-down-scorm12.zip")
    _, frame = again.launch({"core": {"entry": "resume", "lesson_location": "next"}, "suspend_data": written})
    assert frame.locator("section.page.current .welcome-back").inner_text().startswith("Welcome back")
    assert not session.errors + again.errors
