"""Smoke tests: the built packages load in the test LMS, and the harness itself works.

Nothing here depends on the learner runtime (src/elpack/runtime/) doing anything: the
harness tests call window.API themselves and launch without a SCO, so they keep passing once the
runtime calls LMSInitialize on load.
"""

from __future__ import annotations

import pytest
import yaml

from elpack.commands.inspect import inspect_module

from .conftest import EXAMPLE_MODULES, EXAMPLES

RESUMED = {
    "core": {
        "student_id": "nhs-0042",
        "student_name": "Okoro, Sam",
        "entry": "resume",
        "lesson_location": "story-ae",
        "credit": "credit",
    },
    "suspend_data": '{"v":1,"visited":["welcome","why-people-attend"],"answers":{"q1":"b"}}',
    "student_data": {"mastery_score": "75"},
}


@pytest.mark.parametrize("module", EXAMPLE_MODULES)
def test_package_loads_in_the_lms_frame_without_errors(module, built_packages, lms_session):
    config = yaml.safe_load((EXAMPLES[module] / "module.yml").read_text(encoding="utf-8"))
    model = inspect_module(EXAMPLES[module])
    session = lms_session(built_packages[module])
    page, frame = session.launch()

    assert frame.url == session.site.url("package/index.html")
    assert frame.parent_frame == page.main_frame
    # SCORM 1.2 API discovery: the SCO finds window.API on its parent.
    assert frame.evaluate("typeof window.parent.API.LMSInitialize") == "function"
    assert frame.evaluate("document.documentElement.lang") == config["language"]
    assert frame.title().endswith(" – " + config["title"])
    assert frame.locator("section.page").evaluate_all("(s) => s.map((e) => e.dataset.page)") == [
        p["id"] for p in model["pages"]]
    assert session.errors == []


def test_harness_reports_errors_from_the_sco_frame(built_packages, lms_session):
    """The "no errors" check above means something only if errors in the frame are caught."""
    session = lms_session(built_packages["frequent-attenders"])
    page, frame = session.launch()
    with page.expect_event("pageerror"):
        frame.evaluate("setTimeout(() => { throw new Error('boom'); })")
    frame.evaluate("console.error('from the SCO')")
    # A picture, not fetch(): the package's CSP allows no connections, and pictures only from
    # the package.
    assert frame.evaluate("new Promise((done) => { const image = new Image(); "
                          "image.onerror = () => done('failed'); image.src = 'missing.png'; })") == "failed"
    assert any("from the SCO" in error for error in session.errors), session.errors
    assert any("boom" in error for error in session.errors), session.errors
    assert any(error.startswith("HTTP 404") for error in session.errors), session.errors


def test_lms_api_answers_and_logs_every_call(lms_session):
    session = lms_session(None)
    session.launch(sco=None)

    assert session.call("LMSInitialize", "") == "true"
    assert session.call("LMSGetValue", "cmi.core.credit") == "credit"
    assert session.call("LMSGetValue", "cmi.core.entry") == "ab-initio"
    assert session.call("LMSSetValue", "cmi.core.session_time", "00:03:07.25") == "true"
    assert session.call("LMSGetLastError") == "0"
    # scorm-again is strict about CMITimespan (HHHH:MM:SS.SS): a sloppy time is refused.
    assert session.call("LMSSetValue", "cmi.core.session_time", "0:3:7") == "false"
    assert session.call("LMSGetLastError") == "405"
    assert session.call("LMSGetErrorString", "405") != ""
    assert session.call("LMSGetDiagnostic", "405") != ""
    assert session.call("LMSSetValue", "cmi.core.lesson_status", "incomplete") == "true"
    assert session.call("LMSCommit", "") == "true"
    assert session.call("LMSFinish", "") == "true"

    log = session.log()
    assert [entry["method"] for entry in log] == [
        "LMSInitialize", "LMSGetValue", "LMSGetValue", "LMSSetValue", "LMSGetLastError",
        "LMSSetValue", "LMSGetLastError", "LMSGetErrorString", "LMSGetDiagnostic",
        "LMSSetValue", "LMSCommit", "LMSFinish"]
    assert log[3]["args"] == ["cmi.core.session_time", "00:03:07.25"]
    assert (log[3]["result"], log[3]["error"]) == ("true", "0")
    assert log[5]["args"] == ["cmi.core.session_time", "0:3:7"]
    assert log[5]["result"] == "false"
    assert log[5]["error"] not in ("", "0")
    assert [entry["seq"] for entry in log] == list(range(1, len(log) + 1))
    # LMSCommit and LMSFinish each committed, through the in-page commit service.
    commits = session.commits()
    assert [(c["ok"], c["terminate"]) for c in commits] == [(True, False), (True, True)]
    assert commits[-1]["data"]["cmi"]["core"]["lesson_status"] == "incomplete"
    assert session.errors == []


def test_initial_cmi_is_visible_to_the_sco_after_initialize(lms_session):
    session = lms_session(None)
    session.launch(RESUMED, sco=None)

    assert session.call("LMSInitialize", "") == "true"
    assert session.call("LMSGetValue", "cmi.core.entry") == "resume"
    assert session.call("LMSGetValue", "cmi.suspend_data") == RESUMED["suspend_data"]
    assert session.call("LMSGetValue", "cmi.core.lesson_location") == "story-ae"
    assert session.call("LMSGetValue", "cmi.core.student_id") == "nhs-0042"
    assert session.call("LMSGetValue", "cmi.core.student_name") == "Okoro, Sam"
    assert session.call("LMSGetValue", "cmi.core.credit") == "credit"
    assert session.call("LMSGetValue", "cmi.student_data.mastery_score") == "75"
    assert all(entry["error"] == "0" for entry in session.log())
    cmi = session.cmi_json()
    assert cmi["core"]["entry"] == "resume"
    assert cmi["suspend_data"] == RESUMED["suspend_data"]


def test_flattened_cmi_and_manifest_mastery_score(built_packages, lms_session):
    """Flattened CMI keys work too; without one, the mastery score comes from the manifest."""
    session = lms_session(built_packages["frequent-attenders"])
    session.launch(sco=None)
    assert session.call("LMSInitialize", "") == "true"
    assert session.call("LMSGetValue", "cmi.student_data.mastery_score") == "80"

    flat = lms_session(None)
    flat.launch({"cmi.core.entry": "resume", "cmi.suspend_data": "x=1"}, sco=None)
    assert flat.call("LMSInitialize", "") == "true"
    assert flat.call("LMSGetValue", "cmi.suspend_data") == "x=1"


def test_set_commit_fails_makes_lmscommit_return_false(lms_session):
    session = lms_session(None)
    session.launch(sco=None)
    assert session.call("LMSInitialize", "") == "true"
    assert session.call("LMSCommit", "") == "true"

    session.set_commit_fails(True)
    assert session.call("LMSCommit", "") == "false"
    assert session.call("LMSGetLastError") == "101"

    session.set_commit_fails(False)
    assert session.call("LMSCommit", "") == "true"
    assert [c["ok"] for c in session.commits()] == [True, False, True]


def test_run_axe_runs_wcag_rules_in_the_sco_frame(built_packages, lms_session):
    """No accessibility assertions yet: only that the checker runs and reports a list."""
    session = lms_session(built_packages["mental-health-awareness"])
    _, frame = session.launch()
    violations = session.run_axe(frame)
    assert isinstance(violations, list)
    results = session.last_axe_results
    assert results["passes"], "axe ran no rules"
    assert results["testEngine"]["version"] == "4.14.1"
    assert {"wcag2a", "wcag2aa"} & {tag for rule in results["passes"] for tag in rule["tags"]}
