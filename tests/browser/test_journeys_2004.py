"""The learner journeys of test_journeys.py for SCORM 2004 packages, in headless Chromium with
scorm-again's Scorm2004API as the LMS.

Every journey checks every API call: no GetValue or SetValue returns an error, Initialize once,
Terminate at most once and nothing after it, completion and success never lowered, and the
strict 2004 format of every value set (strict2004.py). Both editions carry the same runtime
bundle; the 3rd edition's packages take the passing journey, the 4th edition's every journey.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from elpack.cli import cli

from .conftest import EXAMPLES_2004
from .journey import assert_strict, exit_module
from .learner import Learner, click_next, current_page, goto, interactions, last_set
from .reflective import REFLECTIONS, write_reflective_module

FOURTH = "scorm2004-4th"
PAGE_OF = "(id) => document.getElementById(id).closest('.page').dataset.page"


def assessment_page(frame) -> str:
    return frame.evaluate("document.querySelector('[data-assessment]').closest('.page').dataset.page")


@pytest.mark.parametrize("target", ["scorm2004-3rd", FOURTH])
@pytest.mark.parametrize("module", EXAMPLES_2004)
def test_a_all_right_passes_and_completes(module, target, built_2004_packages, lms_session):
    session = lms_session(built_2004_packages[module, target])
    _, frame = session.launch()
    assert session.standard == "scorm2004"
    learner = Learner(frame)
    learner.walk()
    drawn = learner.done.drawn
    exit_module(session, frame)

    log = session.log()
    assert last_set(log, "cmi.completion_status") == "completed"
    assert last_set(log, "cmi.success_status") == "passed"
    assert last_set(log, "cmi.score.scaled") == "1"
    assert last_set(log, "cmi.score.raw") == "100"
    assert last_set(log, "cmi.exit") == "normal"
    assert last_set(log, "cmi.session_time").startswith("PT")
    saved = session.cmi_json()
    assert saved["completion_status"] == "completed" and saved["success_status"] == "passed"
    records = interactions(log)
    # The example modules keep reflections private: never an interaction, never in any call.
    assert learner.data["reflectionsPrivate"]
    for text in learner.done.reflections.values():
        assert not [call for call in log if any(text in str(arg) for arg in call["args"])], text
    expected = learner.done.checks + list(learner.done.choices) + drawn
    assert sorted(r["id"] for r in records) == sorted(expected)
    scored = [r for r in records if r["id"] in drawn]
    assert len(scored) == learner.data["assessment"]["draw"]
    assert all(r["result"] == "correct" and r["weighting"] == "1" for r in scored)
    assert all(r["description"] and r["timestamp"] for r in records)
    choices = [r for r in records if r["id"] in learner.done.choices]
    assert choices and all(r["result"] == "neutral" and r["learner_response"] for r in choices)
    assert len(session.calls("Terminate")) == 1
    assert_strict(session)


@pytest.mark.parametrize("module", EXAMPLES_2004)
def test_b_below_the_pass_mark_fails_then_a_retry_passes(module, built_2004_packages, lms_session):
    session = lms_session(built_2004_packages[module, FOURTH])
    _, frame = session.launch()
    learner = Learner(frame)
    draw = learner.data["assessment"]["draw"]
    right = draw // 2
    learner.walk(reflect=False, assessment_right=right)
    log = session.log()
    score = 100 * right // draw
    assert last_set(log, "cmi.success_status") == "failed"
    assert last_set(log, "cmi.score.raw") == str(score)
    assert float(last_set(log, "cmi.score.scaled")) == score / 100
    assert last_set(log, "cmi.exit") == "suspend"  # attempts remain
    wrong = [r for r in interactions(log) if r["result"] == "incorrect"]
    assert len(wrong) == draw - right
    # The LMS judges the same score against the pass mark it gave (cmi.scaled_passing_score).
    assert session.cmi_json()["success_status"] == "failed"

    goto(frame, assessment_page(frame))
    frame.locator("button[data-action='retry-assessment']").click()
    learner.take_assessment()
    log = session.log()
    assert last_set(log, "cmi.success_status") == "passed"
    assert last_set(log, "cmi.score.scaled") == "1"
    assert session.cmi_json()["success_status"] == "passed"
    assert_strict(session)


@pytest.mark.parametrize("module", EXAMPLES_2004)
def test_c_leaving_halfway_resumes_where_the_learner_was(module, built_2004_packages, lms_session):
    package = built_2004_packages[module, FOURTH]
    session = lms_session(package)
    _, frame = session.launch()
    learner = Learner(frame)
    data = learner.data
    reflection_pages = [p["id"] for p in data["pages"]
                        if frame.locator(f"#page-{p['id']} [data-reflection]").count()]
    main_line = [p["id"] for p in data["pages"] if not p["branch"]]
    stop = main_line[main_line.index(reflection_pages[0]) + 1]
    learner.walk(stop_at=stop)
    exit_module(session, frame)
    saved = session.cmi_json()
    assert saved["location"] == stop and saved["exit"] == "suspend"
    assert saved["completion_status"] == "incomplete" and saved["success_status"] == "unknown"
    assert_strict(session)

    again = lms_session(package)
    _, frame = again.launch({"entry": "resume", "location": saved["location"],
                             "completion_status": saved["completion_status"],
                             "suspend_data": saved["suspend_data"]})
    assert current_page(frame) == stop
    assert "Welcome back" in frame.locator("section.page.current .welcome-back").inner_text()
    # Private reflections stay in the browser they were written in: another browser has none.
    for reflection_id in learner.done.reflections:
        assert frame.locator(f"#{reflection_id}-answer").input_value() == ""
    for choice_id, option in learner.done.choices.items():
        assert frame.locator(f"fieldset#{choice_id} input[value='{option}']").is_checked()
    seen = frame.eval_on_selector_all(".contents a.seen", "links => links.map(a => a.dataset.page)")
    assert set(seen) >= {p for p in learner.done.pages if p in main_line and p != stop}
    assert_strict(again)


@pytest.mark.parametrize("module", EXAMPLES_2004)
def test_d_closing_the_tab_without_exit_still_saves(module, built_2004_packages, lms_session):
    session = lms_session(built_2004_packages[module, FOURTH])
    page, frame = session.launch()
    learner = Learner(frame)
    stop = learner.data["pages"][3]["id"]
    learner.walk(stop_at=stop)
    page.evaluate("document.querySelector('iframe').remove()")
    page.wait_for_function("() => window.lmsLog.some(e => e.method === 'Terminate')")
    log = session.log()
    methods = [e["method"] for e in log]
    assert max(i for i, m in enumerate(methods) if m == "Commit") < methods.index("Terminate")
    assert last_set(log, "cmi.location") == stop
    assert last_set(log, "cmi.exit") == "suspend"
    assert last_set(log, "cmi.session_time") is not None
    assert session.cmi_json()["location"] == stop
    assert_strict(session)


@pytest.mark.parametrize("module", EXAMPLES_2004)
def test_e_without_an_lms_it_works_standalone(module, built_2004_packages, lms_session, browser):
    session = lms_session(built_2004_packages[module, FOURTH])
    context = browser.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(session.site.url("package/index.html"))
        assert "outside a learning system" in page.locator(".standalone-banner").inner_text()
        learner = Learner(page.main_frame)
        stop = learner.data["pages"][4]["id"]
        learner.walk(stop_at=stop)
        page.reload()
        assert current_page(page.main_frame) == stop
        assert page.locator("#elpack-exit").is_hidden()
        assert not errors, errors
    finally:
        context.close()


@pytest.mark.parametrize("module", EXAMPLES_2004)
def test_f_a_failing_commit_warns_the_learner(module, built_2004_packages, lms_session):
    session = lms_session(built_2004_packages[module, FOURTH])
    _, frame = session.launch(commit_fails=True)
    click_next(frame)
    click_next(frame)
    alert = frame.locator("#elpack-alert")
    alert.wait_for(state="visible", timeout=8000)
    assert "could not be saved" in alert.inner_text()
    commits = session.calls("Commit")
    assert 2 <= len(commits) <= 6, [c["t"] for c in commits]
    assert all(c["result"] == "false" and c["error"] == "391" for c in commits)
    session.set_commit_fails(False)
    click_next(frame)
    # Under load more retries fail first, and the next one may be 15 or 30 seconds away.
    alert.wait_for(state="hidden", timeout=45_000)
    assert session.calls("Commit")[-1]["result"] == "true"
    assert not session.errors, session.errors
    # A refused Commit is the LMS's answer, not a value the SCO got wrong: the rest is strict.
    assert_strict(session)


@pytest.mark.parametrize("mode", ["review", "browse"])
@pytest.mark.parametrize("module", EXAMPLES_2004)
def test_g_review_and_browse_record_nothing(module, mode, built_2004_packages, lms_session):
    package = built_2004_packages[module, FOURTH]
    first = lms_session(package)
    _, frame = first.launch()
    learner = Learner(frame)
    stop = learner.data["pages"][3]["id"]
    learner.walk(stop_at=stop)
    exit_module(first, frame)
    saved = first.cmi_json()

    # The same attempt opened again for review (or browsing): what it holds is there to read.
    session = lms_session(package)
    _, frame = session.launch({"mode": mode, "entry": "", "credit": "no-credit",
                               "completion_status": saved["completion_status"],
                               "location": saved["location"], "suspend_data": saved["suspend_data"]})
    assert current_page(frame) == stop
    for choice_id, option in learner.done.choices.items():
        assert frame.locator(f"fieldset#{choice_id} input[value='{option}']").is_checked()
    goto(frame, learner.data["pages"][1]["id"])  # (Next may wait for a choice on this page)
    exit_module(session, frame)
    assert not session.calls("SetValue"), session.calls("SetValue")
    assert [e["method"] for e in session.log() if e["method"] in ("Initialize", "Terminate")] == \
        ["Initialize", "Terminate"]
    assert_strict(session)


# -- reflections that need more than SCORM 1.2's 4096 characters ------------------------------------


@pytest.fixture(scope="module")
def reflective_package(tmp_path_factory) -> Path:
    parent = tmp_path_factory.mktemp("reflective")
    root = write_reflective_module(parent)
    result = CliRunner().invoke(cli, ["build", str(root), "-o", str(parent / "out"), "--target", FOURTH],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return parent / "out" / f"reflective-{FOURTH}.zip"


def test_reflections_longer_than_1_2_could_keep_are_saved_and_resumed(reflective_package, lms_session):
    session = lms_session(reflective_package)
    _, frame = session.launch()
    learner = Learner(frame)
    limit = learner.data["reflectionLimit"]
    assert limit * REFLECTIONS > 4096
    texts = {}
    for number, reflection_id in enumerate(learner.data["reflections"]):
        goto(frame, frame.evaluate(PAGE_OF, reflection_id))
        # Two lines, and more than a fill-in's 250 characters: recorded as a long-fill-in.
        text = (f"Shift {number}: I listened first.\n" + "I would do the same again. " * 200)[:limit]
        learner.reflect(reflection_id, text)
        texts[reflection_id] = frame.locator(f"#{reflection_id}-answer").input_value()
        assert limit - 2 <= len(texts[reflection_id]) <= limit  # the line break counts twice
    exit_module(session, frame)
    saved = session.cmi_json()
    assert len(saved["suspend_data"]) > 4096
    assert json.loads(saved["suspend_data"])["r"] == list(texts.values())
    records = interactions(session.log())
    assert [r["type"] for r in records] == ["long-fill-in"] * REFLECTIONS
    assert all(len(r["learner_response"]) <= 4000 for r in records)
    assert_strict(session)

    again = lms_session(reflective_package)
    _, frame = again.launch({"entry": "resume", "location": saved["location"],
                             "completion_status": saved["completion_status"],
                             "suspend_data": saved["suspend_data"]})
    for reflection_id, text in texts.items():
        assert frame.locator(f"#{reflection_id}-answer").input_value() == text
    assert_strict(again)


def test_the_packaged_manifest_is_the_4th_edition(reflective_package):
    with zipfile.ZipFile(reflective_package) as archive:
        assert b"<schemaversion>2004 4th Edition</schemaversion>" in archive.read("imsmanifest.xml")
