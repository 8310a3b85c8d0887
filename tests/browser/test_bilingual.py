"""The bilingual package (issue 15, 'bilingual: true'), in the browser with scorm-again: the
learner chooses Cymraeg or English first, switches mid-module without losing their place, answers,
choice, reflection or assessment state, and the LMS sees one SCO with one session and one result,
recording the same interactions as the single-language packages; a resumed attempt opens in the
language chosen last; axe finds nothing on the choice or on any page in either language; and no
English is left in Welsh mode (except what is marked as English: the other language's name).

The module is examples/first-module with its Welsh translation, plus a page with a branching
choice (its units translated by a stand-in CAT tool), built in a temporary folder.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from elpack.i18n import messages_for
from elpack.pipeline import build, build_all, write_package
from translating import translate_like_a_cat_tool

from .conftest import REPO, format_violations
from .journey import FINISH, assert_strict, exit_module
from .learner import Learner, click_next, current_page, interactions, wait_for_message
from .test_languages import SHOWN_TEXT, english_left

EXAMPLE = REPO / "examples" / "first-module"
INITIALIZE = {"scorm12": "LMSInitialize", "scorm2004": "Initialize"}
SCORE = {"scorm12": "cmi.core.score.raw", "scorm2004": "cmi.score.raw"}
DECISION = """# What would you do next?

::: choice {#c-reply}
Jo says that the last few weeks have been hard. What would you do?

- Ask Jo to tell you more about those weeks
  > Jo talks about sleeping badly since a change at work.
- Move straight on to the blood pressure check
  > Jo goes quiet and does not mention it again.
:::
"""
# Text shown in Welsh mode; only what is not marked as another language (the switch control
# names English in English, with lang="en-GB", as it should).
WELSH_TEXT = SHOWN_TEXT.replace(
    "if (node.parentElement.closest('script, style')) continue;",
    "if (node.parentElement.closest('script, style')) continue;\n"
    "    if (node.parentElement.closest('[lang]').lang !== 'cy') continue;").replace(
    "for (const name of", "if (element.closest('[lang]').lang !== 'cy') continue;\n    for (const name of")
assert WELSH_TEXT.count("closest('[lang]')") == 2, "SHOWN_TEXT changed: update WELSH_TEXT"


def bilingual_module(folder: Path) -> Path:
    root = folder / "first-module"
    shutil.copytree(EXAMPLE, root)
    (root / "pages" / "025-decide.md").write_text(DECISION, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "elpack", "translate", "extract", str(root), "--lang",
                    "cy"], check=True, capture_output=True)
    translate_like_a_cat_tool(root / "translations" / "cy.xlf", keep=True)
    config = root / "module.yml"
    config.write_text(config.read_text(encoding="utf-8") + "bilingual: true\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bilingual")
    root = bilingual_module(folder)
    output = folder / "build"
    built = {result.target.name: write_package(result, output)
             for result in build_all(root, ["scorm12", "scorm2004-4th"])}
    for language in ("en-GB", "cy"):
        built[language] = write_package(build(root, "scorm12", language=language), output)
    return built


def choose(frame, language: str) -> None:
    frame.locator(f"#elpack-language-choice button[data-language='{language}']").click()
    frame.wait_for_function("(tag) => document.documentElement.lang === tag", arg=language)


def switch(frame, language: str) -> None:
    """Select the header's language control and wait for the other language's pages."""
    frame.locator("#elpack-switch-language").click()
    frame.wait_for_function("(tag) => document.documentElement.lang === tag"
                            " && document.querySelector('#elpack-version').lang === tag", arg=language)


def focused_heading(frame) -> str:
    return frame.evaluate("document.activeElement.closest('section.page.current') &&"
                          " document.activeElement.tagName")


def recorded(session) -> list[dict[str, str]]:
    keys = ("id", "type", "correct_responses.0.pattern", "student_response", "learner_response",
            "result")
    return [{key: value for key, value in record.items() if key in keys}
            for record in interactions(session.log())]


def test_the_choice_comes_first_and_offers_both_languages_alike(packages, lms_session):
    session = lms_session(packages["scorm12"])
    _, frame = session.launch()
    assert frame.locator("#elpack-language-choice").is_visible()
    assert not frame.locator("#elpack-version").is_visible(), "no content before the choice"
    buttons = frame.locator("#elpack-language-choice button")
    assert buttons.all_inner_texts() == ["English", "Cymraeg"]  # the order of 'languages:'
    langs = frame.eval_on_selector_all("#elpack-language-choice li", "items => items.map(i => i.lang)")
    assert langs == ["en-GB", "cy"]
    boxes = [buttons.nth(i).bounding_box() for i in range(2)]
    assert boxes[0]["width"] == boxes[1]["width"] and boxes[0]["height"] == boxes[1]["height"]
    assert boxes[0]["y"] == boxes[1]["y"], "side by side: neither above the other"
    assert frame.evaluate("getComputedStyle(document.querySelectorAll('.language-option')[0]).cssText"
                          " === getComputedStyle(document.querySelectorAll('.language-option')[1]).cssText")
    violations = session.run_axe()
    assert violations == [], format_violations(violations)
    assert session.calls(INITIALIZE[session.standard]), "the session starts before the choice"
    assert session.errors == []

    # At 320 CSS pixels (400% zoom) neither the choice nor the header with its language control
    # scrolls sideways (WCAG 1.4.10).
    narrow = lms_session(packages["scorm12"])
    _, frame = narrow.launch(viewport={"width": 320, "height": 640})
    fits = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    assert frame.evaluate("document.documentElement.clientWidth") <= 320
    assert frame.evaluate(fits), "the choice is wider than the window"
    choose(frame, "cy")
    assert frame.locator("#elpack-switch-language").is_visible()
    assert frame.evaluate(fits), "the Welsh page is wider than the window"
    assert narrow.errors == []


@pytest.mark.parametrize("target", ["scorm12", "scorm2004-4th"])
def test_switching_mid_module_keeps_place_and_answers(target, packages, lms_session):
    session = lms_session(packages[target])
    _, frame = session.launch()
    choose(frame, "cy")
    assert focused_heading(frame) == "H1"
    learner = Learner(frame)
    learner.data = json.loads(frame.locator("#elpack-data").text_content())
    assert learner.data["language"] == "cy"
    click_next(frame)
    assert current_page(frame) == "story"
    # Typed, never saved: the switch keeps it (private: in this browser, never in suspend_data).
    typed = "Byddwn i'n gwrando'n gyntaf, then ask how Jo is sleeping."
    frame.fill("#r-first-thoughts-answer", typed)
    switch(frame, "en-GB")
    assert current_page(frame) == "story" and focused_heading(frame) == "H1"
    assert frame.input_value("#r-first-thoughts-answer") == typed
    wait_for_message(frame, "now reading this module in English")
    assert frame.locator("#elpack-switch-language").inner_text() == "Cymraeg"
    assert frame.get_attribute("#elpack-switch-language", "lang") == "cy"

    click_next(frame)
    assert current_page(frame) == "decide"
    learner.choose("c-reply", "a")
    click_next(frame)
    assert current_page(frame) == "check"
    learner.check("kc-example", True)
    drawn = learner.drawn()
    learner.answer(drawn[0], True)  # chosen, not yet submitted
    switch(frame, "cy")
    assert current_page(frame) == "check" and focused_heading(frame) == "H1"
    assert frame.locator("fieldset#kc-example input[value='a']").is_checked()
    assert frame.locator("fieldset#kc-example .feedback-result:not([hidden])").count() == 1
    assert learner.drawn() == drawn
    right = learner.data["questions"][drawn[0]]["correct"][0]
    assert frame.locator(f"fieldset#{drawn[0]} input[value='{right}']").is_checked()
    frame.evaluate("location.hash = 'page-decide'")
    frame.wait_for_function("() => document.querySelector('section.page.current').dataset.page"
                            " === 'decide'")
    assert frame.locator("fieldset#c-reply input[value='a']").is_checked()
    assert frame.locator("fieldset#c-reply .consequence[data-for='a']").is_visible()
    frame.evaluate("location.hash = 'page-story'")
    frame.wait_for_function("() => document.querySelector('section.page.current').dataset.page"
                            " === 'story'")
    assert frame.input_value("#r-first-thoughts-answer") == typed
    frame.evaluate("location.hash = 'page-check'")
    frame.wait_for_function("() => document.querySelector('section.page.current').dataset.page"
                            " === 'check'")
    frame.locator("button[data-action='submit-assessment']").click()
    frame.locator(".results").wait_for(state="visible")
    suspend = json.loads(frame.evaluate("window.elpack.suspendData()"))
    assert suspend["l"] == "cy" and suspend["r"] == [""], "a language tag, and no learner text"
    exit_module(session, frame)

    log = session.log()
    standard = session.standard
    assert [e["method"] for e in log].count(INITIALIZE[standard]) == 1
    assert [e["method"] for e in log].count(FINISH[standard]) == 1
    scores = [e for e in log if e["method"].endswith("SetValue") and e["args"][0] == SCORE[standard]]
    assert [e["args"][1] for e in scores] == ["100"], "the result is recorded once"
    ids = [record["id"] for record in recorded(session)]
    assert ids == ["c-reply", "kc-example", drawn[0]], "each answer recorded once"
    assert_strict(session)

    # The same answers in the single-language packages record the same interactions.
    if standard == "scorm12":
        for language in ("en-GB", "cy"):
            single = lms_session(packages[language])
            _, single_frame = single.launch()
            Learner(single_frame).walk(checks_right=True, reflect=False, assessment_right=None)
            assert recorded(single) == recorded(session), language
            assert single.errors == []

    # A resumed attempt opens in the language chosen last, without the choice.
    saved = session.cmi_json()
    resume = ({"core": {"entry": "resume", "lesson_location": saved["core"]["lesson_location"],
                        "lesson_status": saved["core"]["lesson_status"]},
               "suspend_data": saved["suspend_data"]} if standard == "scorm12" else
              {"entry": "resume", "location": saved["location"],
               "completion_status": saved["completion_status"],
               "suspend_data": saved["suspend_data"]})
    again = lms_session(packages[target])
    _, frame = again.launch(resume)
    frame.wait_for_function("() => document.body.classList.contains('language-chosen')")
    assert frame.evaluate("document.documentElement.lang") == "cy"
    assert not frame.locator("#elpack-language-choice").is_visible()
    assert current_page(frame) == "check"
    assert frame.locator(".results").is_visible()
    assert again.errors == []


def test_both_languages_pass_axe_and_welsh_mode_shows_no_english(packages, lms_session):
    session = lms_session(packages["scorm12"])
    _, frame = session.launch()
    choose(frame, "cy")
    learner = Learner(frame)
    learner.data = json.loads(frame.locator("#elpack-data").text_content())
    problems: list[str] = []
    seen: list[str] = []
    for language in ("cy", "en-GB"):
        if language != "cy":
            switch(frame, language)
        for page in learner.data["pages"]:
            frame.evaluate("(id) => { location.hash = 'page-' + id }", page["id"])
            frame.wait_for_function("(id) => document.querySelector('section.page.current')"
                                    ".dataset.page === id", arg=page["id"])
            if language == "cy":
                learner.do_page(checks_right=False)
                if frame.locator("section.page.current [data-assessment]").count():
                    learner.take_assessment(right=0)
                seen += frame.evaluate(WELSH_TEXT)
            violations = session.run_axe(context={"exclude": [["section.page:not(.current)"]]})
            if violations:
                problems.append(f"{language} {page['id']}:\n{format_violations(violations)}")
    assert problems == [], "\n".join(problems)
    assert len(seen) > 100, "the walk read the Welsh pages"
    assert english_left(seen) == [], "\n".join(dict.fromkeys(english_left(seen)))
    assert session.errors == []


def test_a_save_failure_alert_survives_a_switch(packages, lms_session):
    session = lms_session(packages["scorm12"])
    _, frame = session.launch()
    choose(frame, "en-GB")
    session.set_commit_fails()
    click_next(frame)  # a save that fails, then its quick retry: the learner is told
    frame.wait_for_function("() => document.getElementById('elpack-alert').textContent !== ''")
    switch(frame, "cy")
    welsh = messages_for("cy").runtime()["saveFailed"]
    frame.wait_for_function("(text) => document.getElementById('elpack-alert').textContent === text",
                            arg=welsh)
