"""Edge cases of the learner runtime that real LMSs and learners produce."""

from __future__ import annotations

import json

from click.testing import CliRunner

from elpack.cli import cli

from .learner import Learner, click_next, goto, last_set, wait_for_message

MODULE = "frequent-attenders"
PAGE_OF = "(id) => document.getElementById(id).closest('.page').dataset.page"


def open_sco(page):
    """Load the package in a frame of a test LMS page launched with no SCO (after the test has
    prepared the API or the browser's storage), and wait until its runtime has started."""
    page.evaluate("""() => {
        const frame = document.createElement("iframe");
        frame.name = "sco";
        frame.src = "../package/index.html";
        document.body.appendChild(frame);
    }""")
    page.wait_for_function("() => window.frames.sco && window.frames.sco.elpack !== undefined")
    return page.frame(name="sco")


def test_a_refused_lmsinitialize_is_reported_not_hidden(built_packages, lms_session):
    session = lms_session(built_packages[MODULE])
    page, _ = session.launch(sco=None)
    # As when the LMS session has expired: the API is there but will not start.
    page.evaluate("""() => {
        window.API.LMSInitialize = () => "false";
        window.API.LMSGetLastError = () => "101";
    }""")
    frame = open_sco(page)
    alert = frame.locator("#elpack-alert")
    assert "could not connect to your learning system (error 101)" in alert.inner_text()
    assert frame.locator(".standalone-banner").is_hidden()
    click_next(frame)  # the module still works
    assert not session.errors, session.errors


def test_text_still_being_typed_is_saved_when_the_tab_closes(built_packages, lms_session):
    session = lms_session(built_packages[MODULE])
    page, frame = session.launch()
    learner = Learner(frame)
    reflection = learner.data["reflections"][0]
    goto(frame, frame.evaluate(PAGE_OF, reflection))
    box = frame.locator(f"#{reflection}-answer")
    box.click()
    box.type("Still typing when the tab closed")  # no blur, no Save
    page.evaluate("document.querySelector('iframe').remove()")
    page.wait_for_function("() => window.lmsLog.some(e => e.method === 'LMSFinish')")
    # reflections are private by default: kept in this browser (same origin as the LMS page
    # here), per module and learner, and never in suspend_data
    saved = json.loads(last_set(session.log(), "cmi.suspend_data"))
    assert "Still typing when the tab closed" not in json.dumps(saved)
    key = f"elpack:reflections:{learner.data['id']}:test-learner-1"
    kept = json.loads(page.evaluate("(key) => window.localStorage.getItem(key)", key))
    assert "Still typing when the tab closed" in kept


def test_a_long_plain_reflection_is_cut_and_the_learner_told(built_packages, lms_session):
    session = lms_session(built_packages[MODULE])
    _, frame = session.launch()
    learner = Learner(frame)
    reflection = learner.data["reflections"][0]
    limit = learner.data["reflectionLimit"]
    goto(frame, frame.evaluate(PAGE_OF, reflection))
    frame.fill(f"#{reflection}-answer", "word " * limit)  # plain text, no escapes, over the share
    frame.locator(f"#{reflection} button[data-action='save-reflection']").click()
    wait_for_message(frame, "first part")
    assert len(frame.locator(f"#{reflection}-answer").input_value()) == limit


def test_a_stray_percent_in_the_address_does_not_stop_the_runtime(built_packages, lms_session):
    session = lms_session(built_packages[MODULE])
    page, _ = session.launch(sco="../package/index.html#50%-rule")
    frame = page.frame(name="sco")
    frame.wait_for_function("() => window.elpack !== undefined")
    assert not session.errors, session.errors


def test_retried_ordering_questions_never_start_in_the_right_order(built_packages, lms_session):
    session = lms_session(built_packages[MODULE])
    _, frame = session.launch()
    learner = Learner(frame)
    data = learner.data
    goto(frame, frame.evaluate("document.querySelector('[data-assessment]').closest('.page').dataset.page"))
    for _ in range(data["assessment"]["attempts"] - 1):
        for question_id in learner.drawn():
            if data["questions"][question_id]["type"] == "ordering":
                learner.answer(question_id, correct=True)  # leaves the items in the right order
        learner.take_assessment(right=0)
        frame.locator("button[data-action='retry-assessment']").click()
        for question_id in learner.drawn():
            question = data["questions"][question_id]
            if question["type"] == "ordering":
                shown = frame.eval_on_selector_all(f"#{question_id} ol.ordering > li",
                                                   "items => items.map(i => i.dataset.item)")
                assert shown != question["options"]


def test_script_like_text_in_the_module_cannot_break_the_page(tmp_path, lms_session):
    root = tmp_path / "odd-title"
    (root / "pages").mkdir(parents=True)
    (root / "module.yml").write_text(
        'id: odd-title\ntitle: "Risk <!--<script> review </script>"\ndescription: x\nversion: "1"\n'
        "language: en-GB\nduration_minutes: 5\n", encoding="utf-8")
    (root / "pages" / "01-one.md").write_text("# One & <two>\n\nText.\n", encoding="utf-8")
    (root / "pages" / "02-two.md").write_text("# Two\n\nMore text.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(root), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    session = lms_session(tmp_path / "out" / "odd-title-scorm12.zip")
    _, frame = session.launch()
    frame.wait_for_function("() => window.elpack !== undefined")
    assert frame.evaluate("document.title") == "One & <two> – Risk <!--<script> review </script>"
    click_next(frame)
    assert not session.errors, session.errors


def test_coming_back_to_a_finished_page_from_the_cache_starts_again(built_packages, lms_session):
    session = lms_session(built_packages[MODULE])
    page, frame = session.launch()
    frame.locator("#elpack-exit").click()
    page.wait_for_function("() => window.lmsLog.some(e => e.method === 'LMSFinish')")
    # What the browser fires when it restores the page from its back-forward cache.
    frame.evaluate("window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")
    page.wait_for_function("() => window.lmsLog.filter(e => e.method === 'LMSInitialize').length === 2")
    frame = page.frame(name="sco")
    frame.wait_for_function("() => window.elpack !== undefined")
    # scorm-again will not start a second session, and the learner is told so in plain words.
    assert "could not connect to your learning system" in frame.locator("#elpack-alert").inner_text()


def test_private_reflections_read_back_from_the_browser_are_cleaned_and_cut(
        built_packages, lms_session):
    # Any script on the LMS's origin can write to localStorage, so what the runtime reads back
    # from there is treated like text typed into the box: control characters go, and each text
    # is cut to the reflection's limit.
    session = lms_session(built_packages[MODULE])
    page, _ = session.launch(sco=None)
    data = page.evaluate("""async () => {
        const html = await (await fetch("../package/index.html")).text();
        const doc = new DOMParser().parseFromString(html, "text/html");
        return JSON.parse(doc.getElementById("elpack-data").textContent);
    }""")
    limit = data["reflectionLimit"]
    planted = ["x" * (limit * 20)] + ["a\u0000b\u0007c"] * (len(data["reflections"]) - 1)
    page.evaluate("([key, value]) => window.localStorage.setItem(key, value)",
                  [f"elpack:reflections:{data['id']}:test-learner-1", json.dumps(planted)])
    frame = open_sco(page)
    first, second = data["reflections"][0], data["reflections"][1]
    assert len(frame.locator(f"#{first}-answer").input_value()) == limit
    assert frame.locator(f"#{second}-answer").input_value() == "a b c"
    assert not session.errors, session.errors
