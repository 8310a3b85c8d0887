"""Learner journeys through the example modules in headless Chromium, with scorm-again as the LMS.

Every journey also checks the strict SCORM 1.2 format of every value the SCO set, that every
SetValue succeeded, and the API lifecycle (one LMSInitialize, at most one LMSFinish, nothing after).
"""

from __future__ import annotations

import json

import pytest

from .conftest import EXAMPLE_MODULES
from .journey import assert_strict, exit_module
from .learner import (
    Learner,
    click_next,
    current_page,
    goto,
    interactions,
    last_set,
    wait_for_message,
)

pytestmark = pytest.mark.parametrize("module", EXAMPLE_MODULES)


def test_all_right_passes_with_full_score(module, built_packages, lms_session):
    session = lms_session(built_packages[module])
    _, frame = session.launch()
    learner = Learner(frame)
    learner.walk()
    drawn = learner.done.drawn
    assert "You scored 100%" in frame.locator(".results").inner_text()
    exit_module(session, frame)

    log = session.log()
    assert last_set(log, "cmi.core.lesson_status") == "passed"
    assert last_set(log, "cmi.core.score.raw") == "100"
    assert last_set(log, "cmi.core.score.min") == "0"
    assert last_set(log, "cmi.core.score.max") == "100"
    assert last_set(log, "cmi.core.exit") == ""
    assert session.cmi_json()["core"]["lesson_status"] == "passed"
    records = interactions(log)
    # The example modules keep reflections private: never an interaction, never in any call.
    assert learner.data["reflectionsPrivate"]
    expected = learner.done.checks + list(learner.done.choices) + drawn
    for text in learner.done.reflections.values():
        assert not [call for call in log if any(text in str(arg) for arg in call["args"])], text
    assert sorted(r["id"] for r in records) == sorted(expected)
    for record in records:
        assert record["result"] in ("correct", "neutral"), record
    scored = [r for r in records if r["id"] in drawn]
    assert len(scored) == len(drawn) == learner.data["assessment"]["draw"]
    assert all(r["result"] == "correct" and r["weighting"] == "1" for r in scored)
    assert learner.done.reflections and not [r for r in records if r["id"] in learner.done.reflections]
    choices = [r for r in records if r["id"] in learner.done.choices]
    assert choices and all(r["type"] == "choice" and r["result"] == "neutral" for r in choices)
    assert len(session.calls("LMSFinish")) == 1
    assert_strict(session)


def test_below_the_pass_mark_fails(module, built_packages, lms_session):
    session = lms_session(built_packages[module])
    _, frame = session.launch()
    learner = Learner(frame)
    right = learner.data["assessment"]["draw"] // 2
    learner.walk(reflect=False, assessment_right=right)
    goto(frame, frame.evaluate("document.querySelector('[data-assessment]').closest('.page').dataset.page"))
    results = frame.locator(".results").inner_text()
    score = 100 * right // learner.data["assessment"]["draw"]
    assert f"You scored {score}%" in results and "You need 80% to pass" in results
    assert "2 attempts left" in results
    log = session.log()
    assert last_set(log, "cmi.core.lesson_status") == "failed"
    assert last_set(log, "cmi.core.score.raw") == str(score)
    assert last_set(log, "cmi.core.exit") == "suspend"  # attempts remain, so the learner may return
    wrong = [r for r in interactions(log) if r["result"] == "wrong"]
    assert len(wrong) == learner.data["assessment"]["draw"] - right

    # A retry draws again; passing it turns the status to passed.
    frame.locator("button[data-action='retry-assessment']").click()
    learner.take_assessment()
    log = session.log()
    assert last_set(log, "cmi.core.lesson_status") == "passed"
    assert last_set(log, "cmi.core.score.raw") == "100"
    assert_strict(session)


def test_leaving_halfway_resumes_where_the_learner_was(module, built_packages, lms_session):
    session = lms_session(built_packages[module])
    _, frame = session.launch()
    learner = Learner(frame)
    data = learner.data
    # Stop on the page after the first reflection, having done everything before it.
    reflection_pages = [p["id"] for p in data["pages"]
                        if frame.locator(f"#page-{p['id']} [data-reflection]").count()]
    main_line = [p["id"] for p in data["pages"] if not p["branch"]]
    stop = main_line[main_line.index(reflection_pages[0]) + 1]
    learner.walk(stop_at=stop)
    assert learner.done.checks and learner.done.reflections
    exit_module(session, frame)
    saved = session.cmi_json()
    assert saved["core"]["lesson_location"] == stop
    assert saved["core"]["exit"] == "suspend"
    assert saved["core"]["lesson_status"] == "incomplete"
    assert_strict(session)

    again = lms_session(built_packages[module])
    _, frame = again.launch({
        "core": {"entry": "resume", "lesson_location": saved["core"]["lesson_location"],
                 "lesson_status": saved["core"]["lesson_status"]},
        "suspend_data": saved["suspend_data"],
    })
    assert current_page(frame) == stop
    assert "Welcome back" in frame.locator("section.page.current .welcome-back").inner_text()
    # Private reflections stay in the browser they were written in: another browser has none.
    for reflection_id in learner.done.reflections:
        assert frame.locator(f"#{reflection_id}-answer").input_value() == ""
    for question_id in learner.done.checks:
        assert frame.evaluate("(id) => document.getElementById(id).classList.contains('is-correct')"
                              " || document.getElementById(id).classList.contains('is-incorrect')"
                              " || document.getElementById(id).dataset.type === 'likert'", question_id)
        goto(frame, frame.evaluate("(id) => document.getElementById(id).closest('section.page').dataset.page",
                                   question_id))
        assert frame.locator(f"fieldset#{question_id} .feedback-result:not([hidden]), "
                             f"fieldset#{question_id} .option-feedback:not([hidden])").first.is_visible()
    for choice_id, option in learner.done.choices.items():
        assert frame.locator(f"fieldset#{choice_id} input[value='{option}']").is_checked()
    seen = frame.eval_on_selector_all(".contents a.seen", "links => links.map(a => a.dataset.page)")
    assert set(seen) >= {p for p in learner.done.pages if p in main_line and p != stop}
    assert again.calls("LMSInitialize") and not again.errors
    assert_strict(again)


def test_closing_the_tab_without_exit_still_saves(module, built_packages, lms_session):
    session = lms_session(built_packages[module])
    page, frame = session.launch()
    learner = Learner(frame)
    learner.walk(stop_at=learner.data["pages"][3]["id"])
    # The SCO's frame goes away as when the learner closes the tab: only pagehide can save now.
    page.evaluate("document.querySelector('iframe').remove()")
    page.wait_for_function("() => window.lmsLog.some(e => e.method === 'LMSFinish')")
    log = session.log()
    methods = [e["method"] for e in log]
    last_commit = max(i for i, m in enumerate(methods) if m == "LMSCommit")
    assert last_commit < methods.index("LMSFinish")
    assert last_set(log, "cmi.core.lesson_location") == learner.data["pages"][3]["id"]
    assert last_set(log, "cmi.core.exit") == "suspend"
    assert last_set(log, "cmi.core.session_time") is not None
    assert session.cmi_json()["core"]["lesson_location"] == learner.data["pages"][3]["id"]
    assert_strict(session)


def test_without_an_lms_it_works_standalone(module, built_packages, lms_session, browser):
    session = lms_session(built_packages[module])
    context = browser.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("dialog", lambda dialog: errors.append(f"dialog: {dialog.message}"))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(session.site.url("package/index.html"))
        banner = page.locator(".standalone-banner")
        assert "outside a learning system" in banner.inner_text()
        learner = Learner(page.main_frame)
        learner.walk(stop_at=learner.data["pages"][4]["id"])
        page.reload()
        assert current_page(page.main_frame) == learner.data["pages"][4]["id"]
        for question_id in learner.done.checks:
            goto(page.main_frame, page.evaluate(
                "(id) => document.getElementById(id).closest('section.page').dataset.page", question_id))
            assert page.locator(f"fieldset#{question_id} .feedback-result:not([hidden]), "
                                f"fieldset#{question_id} .option-feedback:not([hidden])").first.is_visible()
        assert page.locator("#elpack-exit").is_hidden()
        assert not errors, errors
    finally:
        context.close()


def test_a_failing_commit_warns_the_learner(module, built_packages, lms_session):
    session = lms_session(built_packages[module])
    _, frame = session.launch(commit_fails=True)
    click_next(frame)
    click_next(frame)
    alert = frame.locator("#elpack-alert")
    alert.wait_for(state="visible", timeout=8000)
    assert "could not be saved" in alert.inner_text()
    # Commits are retried with pauses, not in a tight loop.
    commits = session.calls("LMSCommit")
    assert 2 <= len(commits) <= 6, [c["t"] for c in commits]
    # When the LMS recovers, the warning goes away.
    session.set_commit_fails(False)
    click_next(frame)
    alert.wait_for(state="hidden", timeout=8000)
    assert not session.errors, session.errors
    assert_strict(session)


def test_republished_content_resets_cleanly(module, built_packages, lms_session):
    session = lms_session(built_packages[module])
    _, frame = session.launch()
    learner = Learner(frame)
    data = learner.data
    stale = json.dumps({"v": 1, "h": "0" * 12, "s": "vvv", "a": [], "r": [], "c": []})
    again = lms_session(built_packages[module])
    _, frame = again.launch({"core": {"entry": "resume", "lesson_location": data["pages"][5]["id"]},
                             "suspend_data": stale})
    assert current_page(frame) == data["pages"][0]["id"]
    wait_for_message(frame, "changed")
    # said on the first page too, after the page change that clears earlier messages
    assert "has changed" in frame.locator("section.page.current .welcome-back").inner_text()
    assert last_set(again.log(), "cmi.suspend_data") != stale
    assert_strict(again)


def test_standalone_without_storage_says_progress_is_not_kept(module, built_packages, lms_session, browser):
    session = lms_session(built_packages[module])
    context = browser.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        # As in browsers that refuse storage to pages opened from disk.
        page.add_init_script("Storage.prototype.setItem = () => { throw new DOMException('denied'); };")
        page.goto(session.site.url("package/index.html"))
        assert "will not be kept" in page.locator(".standalone-banner").inner_text()
        click_next(page.main_frame)
        assert not errors, errors
    finally:
        context.close()
