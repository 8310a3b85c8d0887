"""Issue 18 in a real browser: messages next to what caused them and gone after a page change,
the assessment's NHS.UK error summary, review and browse modes, private reflections, and the
nhs theme loading nothing from other servers."""

from __future__ import annotations

import json

from click.testing import CliRunner

from elpack.cli import cli

from .conftest import HERE, TIMEOUT_MS
from .learner import Learner

LIVE_TEXT = ("() => [...document.querySelectorAll('#elpack-status, .block-status')]"
             ".map((r) => r.textContent).join(' ')")
MODULE = "frequent-attenders"
REFLECTION_TEXT = "I noticed I was rushing, and next time I will sit with him first."


def goto(frame, page_id: str) -> None:
    frame.evaluate("(id) => { location.hash = '#page-' + id; }", page_id)
    frame.wait_for_function("(id) => document.querySelector('section.page.current').dataset.page === id",
                            arg=page_id)


def page_of(frame, element_id: str) -> str:
    return frame.evaluate("(id) => document.getElementById(id).closest('.page').dataset.page", element_id)


def runtime_data(frame) -> dict:
    return json.loads(frame.locator("#elpack-data").text_content())


def test_a_message_shows_in_its_block_and_is_gone_after_a_page_change(built_packages, lms_session):
    session = lms_session(built_packages[MODULE])
    _, frame = session.launch()
    choice = runtime_data(frame)["choices"][0]["id"]
    goto(frame, page_of(frame, choice))
    # pointer: Choose with nothing chosen
    frame.locator(f"#{choice} button[data-action='choose']").click()
    region = frame.locator(f"#{choice} > .block-status")
    frame.wait_for_function("(id) => document.querySelector('#' + id + ' > .block-status').textContent"
                            " !== ''",
                            arg=choice)
    assert region.get_attribute("role") == "status"
    assert region.inner_text() == "Choose one of the options first."
    assert region.is_visible()
    assert frame.locator("#elpack-status").text_content() == ""  # not the far-away page region
    # keyboard: choose an option and press Choose with Enter
    frame.locator(f"#{choice} input[type=radio]").first.focus()
    frame.page.keyboard.press("Space")
    frame.locator(f"#{choice} button[data-action='choose']").focus()
    frame.page.keyboard.press("Enter")
    frame.wait_for_function("(id) => document.querySelector('#' + id + ' > .block-status').textContent"
                            ".startsWith('You chose')", arg=choice)
    # another page: no message from the earlier one is left anywhere
    goto(frame, "welcome")
    frame.wait_for_timeout(100)  # past the 50 ms the regions wait before writing
    assert frame.evaluate(LIVE_TEXT).strip() == ""
    assert not session.errors


def test_the_assessment_error_summary_links_to_every_unanswered_question(built_packages, lms_session):
    session = lms_session(built_packages[MODULE])
    _, frame = session.launch()
    data = runtime_data(frame)
    assessment = data["assessment"]["id"]
    goto(frame, page_of(frame, assessment))
    drawn = frame.eval_on_selector_all(f"#{assessment} fieldset[data-question]:not([hidden])",
                                       "(s) => s.map((f) => f.id)")
    # answer one question only, by keyboard: the first drawn one that one key press answers
    # (the draw is random, so a matching question with several menus can come first)
    answered = next(q for q in drawn
                    if frame.locator(f"#{q} input[type=radio], #{q} input[type=checkbox]").count())
    frame.locator(f"#{answered} input").first.focus()
    frame.page.keyboard.press("Space")
    frame.locator(f"#{assessment} button[data-action='submit-assessment']").focus()
    frame.page.keyboard.press("Enter")
    summary = frame.locator(f"#{assessment}-errors")
    summary.wait_for()
    assert frame.evaluate("(id) => document.activeElement.id === id + '-errors'", assessment)
    assert summary.locator("h2").inner_text() == "There is a problem"
    links = summary.locator("a")
    # an ordering question always has an answer (its current order); the others start empty
    numbers = {question_id: number for number, question_id in enumerate(drawn, start=1)}
    unanswered = [q for q in drawn if q != answered and data["questions"][q]["type"] != "ordering"]
    assert links.count() == len(unanswered) > 0
    for index, question_id in enumerate(unanswered):
        number = numbers[question_id]
        fieldset = frame.locator(f"#{question_id}")
        assert fieldset.get_attribute("aria-invalid") == "true"
        assert f"{question_id}-error" in fieldset.get_attribute("aria-describedby").split()
        error = frame.locator(f"#{question_id}-error")
        assert error.is_visible() and error.text_content() == f"Error: Answer question {number}"
        assert links.nth(index).inner_text() == f"Answer question {number}"
    assert frame.locator(f"#{answered}").get_attribute("aria-invalid") is None
    # pointer: a link takes the learner to its question
    links.first.click()
    frame.wait_for_function("(id) => document.getElementById(id).contains(document.activeElement)",
                            arg=unanswered[0])
    assert not session.errors


def test_review_mode_says_so_offers_no_try_again_and_records_nothing(built_packages, lms_session):
    session = lms_session(built_packages[MODULE])
    _, frame = session.launch({"core": {"lesson_mode": "review", "lesson_status": "failed",
                                        "score": {"raw": "50"}}})
    notice = frame.locator(".mode-notice")
    assert notice.inner_text().startswith(
        "You are reviewing a finished attempt; nothing you do now is recorded. "
        "To try again, start a new attempt in your learning system.")
    assert "Your recorded result: failed, 50%." in notice.inner_text()
    assessment = runtime_data(frame)["assessment"]["id"]
    goto(frame, page_of(frame, assessment))
    assert frame.get_by_role("button", name="Try again").count() == 0
    assert frame.locator(f"#{assessment} button[data-action='submit-assessment']").is_hidden()
    assert "cannot be taken here" in frame.locator(f"#{assessment} .results").inner_text()
    frame.locator("#elpack-exit").click()
    frame.wait_for_timeout(200)
    assert session.calls("LMSSetValue") == []
    assert not session.errors


def test_browse_mode_says_nothing_is_recorded(built_packages, lms_session):
    session = lms_session(built_packages[MODULE])
    _, frame = session.launch({"core": {"lesson_mode": "browse"}})
    assert frame.locator(".mode-notice").inner_text().startswith(
        "You are previewing this module; nothing you do now is recorded.")
    frame.locator("#elpack-exit").click()
    frame.wait_for_timeout(200)
    assert session.calls("LMSSetValue") == []


def write_reflection(frame, reflection_id: str) -> None:
    goto(frame, page_of(frame, reflection_id))
    frame.fill(f"#{reflection_id}-answer", REFLECTION_TEXT)
    frame.locator(f"#{reflection_id} button[data-action='save-reflection']").click()
    frame.wait_for_function("(id) => document.querySelector('#' + id + ' > .block-status').textContent"
                            " === 'Reflection saved.'", arg=reflection_id)


def test_private_reflections_never_reach_the_lms_and_survive_a_relaunch(built_packages, lms_session):
    session = lms_session(built_packages[MODULE])
    page, frame = session.launch()
    data = runtime_data(frame)
    assert data["reflectionsPrivate"]
    reflection = data["reflections"][0]
    notice = frame.locator(f"#{reflection}-hint")
    assert notice.inner_text().startswith("Only you can see what you write here. It is kept in this browser; "
                                          "download your log to keep a copy.")
    write_reflection(frame, reflection)
    frame.locator("#elpack-exit").click()
    frame.wait_for_function("() => document.body.classList.contains('exited')")
    log = session.log()
    assert log and not [call for call in log if any("sit with him" in str(arg) for arg in call["args"])]
    suspend = [call["args"][1] for call in session.calls("LMSSetValue")
               if call["args"][0] == "cmi.suspend_data"]
    assert suspend and all("sit with him" not in value for value in suspend)

    # The same browser, a later session: the LMS hands back its suspend_data, the browser the text.
    saved = session.cmi_json()
    config = {"cmi": session.initial_cmi({"core": {"entry": "resume",
                                                   "lesson_location": saved["core"]["lesson_location"]},
                                          "suspend_data": saved["suspend_data"]}),
              "settings": {}, "commitFails": False, "sco": "../package/index.html"}
    page.add_init_script(f"if (window === window.top) window.lmsConfig = {json.dumps(config)};")
    page.reload(wait_until="load")
    frame = page.frame(name="sco")
    frame.wait_for_load_state("load")
    frame.wait_for_function("() => window.elpack !== undefined", timeout=TIMEOUT_MS)
    assert frame.locator(f"#{reflection}-answer").input_value() == REFLECTION_TEXT
    goto(frame, data["pages"][-1]["id"])
    assert REFLECTION_TEXT in frame.locator("#elpack-log .log-entries").inner_text()
    assert frame.locator("#elpack-log a.log-link").first.inner_text() == "Go to reflection 1"


def test_recorded_reflections_reach_the_lms_and_say_so(lms_session, tmp_path):
    """The every-block module has reflections: recorded."""
    result = CliRunner().invoke(cli, ["build", str(HERE / "modules" / "every-block"), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    session = lms_session(tmp_path / "every-block-scorm12.zip")
    _, frame = session.launch()
    data = runtime_data(frame)
    assert not data["reflectionsPrivate"]
    reflection = data["reflections"][0]
    assert frame.locator(f"#{reflection}-hint").inner_text().startswith(
        "What you write here is sent to your learning system, where your organisation can see it.")
    write_reflection(frame, reflection)
    frame.locator("#elpack-exit").click()
    frame.wait_for_function("() => document.body.classList.contains('exited')")
    assert [call for call in session.calls("LMSSetValue") if "sit with him" in call["args"][1]]


def test_the_nhs_theme_loads_nothing_from_other_servers(built_packages, lms_session):
    session = lms_session(built_packages[MODULE])
    remote: list[str] = []

    def only_local(route) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "data:", "blob:", "about:")):
            route.continue_()
        else:
            remote.append(url)
            route.abort()

    _, frame = session.launch(route=only_local)
    for page_id in [p["id"] for p in runtime_data(frame)["pages"]]:
        goto(frame, page_id)
    assert remote == []
    assert not [error for error in session.errors if "request failed" in error or "HTTP" in error]
    assert frame.locator("link[href='assets/components.css']").count() == 1


# The WCAG contrast of an element's text on what is behind it (its own background, else the
# nearest ancestor's that is not transparent).
CONTRAST_JS = """(selector) => {
  const channels = (colour) => colour.match(/[\\d.]+/g).map(Number);
  const luminance = (colour) => {
    const [r, g, b] = channels(colour).slice(0, 3).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const element = document.querySelector(selector);
  let behind = element;
  while (behind && (channels(getComputedStyle(behind).backgroundColor)[3] ?? 1) === 0) {
    behind = behind.parentElement;
  }
  const text = luminance(getComputedStyle(element).color);
  const background = luminance(behind ? getComputedStyle(behind).backgroundColor : 'rgb(255, 255, 255)');
  return (Math.max(text, background) + 0.05) / (Math.min(text, background) + 0.05);
}"""


def test_the_exit_button_stands_out_on_the_header(built_packages, lms_session):
    """The nhs header is NHS blue: its Exit button is the design system's reverse button, not a
    secondary one (blue text on no background, which vanished into the header)."""
    session = lms_session(built_packages[MODULE])
    _, frame = session.launch()
    exit_button = frame.locator("#elpack-exit")
    assert exit_button.is_visible()
    assert "nhsuk-button--reverse" in exit_button.get_attribute("class").split()
    assert frame.evaluate(CONTRAST_JS, "#elpack-exit") >= 4.5


def test_the_results_review_is_at_full_contrast(built_packages, lms_session):
    """After submitting, the learner's own answers stay readable (not pale disabled controls) and
    each question says right or wrong in words, with an icon."""
    session = lms_session(built_packages[MODULE])
    _, frame = session.launch()
    learner = Learner(frame)
    assessment = learner.data["assessment"]["id"]
    goto(frame, page_of(frame, assessment))
    drawn = learner.take_assessment(right=2)
    checked = frame.locator(f"#{assessment} input:checked + label")
    assert checked.count() > 0
    for index in range(checked.count()):
        label = checked.nth(index)
        assert label.evaluate("(element) => getComputedStyle(element).opacity") == "1"
        assert frame.evaluate(CONTRAST_JS, f"label[for='{label.get_attribute('for')}']") >= 4.5
    results = [frame.locator(f"#{question_id} .feedback-result").inner_text() for question_id in drawn]
    assert all(text for text in results)
    icons = [frame.locator(f"#{question_id} .feedback-result").evaluate(
        "(element) => getComputedStyle(element, '::before').content") for question_id in drawn]
    assert all(icon not in ("none", "normal", "") for icon in icons), icons
