"""Every block and question type in headless Chromium, with scorm-again as the LMS.

The fixture module tests/browser/modules/every-block uses every block type and every question
type once (and the final assessment's pool covers the scored types). For each of them a test
checks how it renders (elements, roles, accessible names), that it works with the keyboard alone
(Tab, Shift+Tab, arrows, Space, Enter and typing: no mouse clicks), and what it records in the
LMS, in strict SCORM 1.2 format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from elpack.cli import cli

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # the browser fixture skips (or fails in CI) without Playwright
    PlaywrightTimeout = TimeoutError

from .learner import CLOCK, TIMESPAN, interactions, last_set, runtime_data, strict_problems

MODULE = Path(__file__).resolve().parent / "modules" / "every-block"
TAB_LIMIT = 80  # more Tab presses than any page of the fixture has stops


@pytest.fixture(scope="module")
def every_block(tmp_path_factory) -> Path:
    """The fixture module built once with ``elpack build <dir> -o <tmp>``; the zip's path."""
    out = tmp_path_factory.mktemp("every-block-build")
    result = CliRunner().invoke(cli, ["build", str(MODULE), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    zip_path = out / "every-block-scorm12.zip"
    assert zip_path.is_file(), result.output
    return zip_path


# ---------------------------------------------------------------------------------------------
# Keyboard-only driving


class Keys:
    """Drives the SCO with the keyboard only: page.keyboard presses, never a mouse click."""

    def __init__(self, session) -> None:
        self.session = session
        self.page = session.page
        self.frame = session.frame

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)

    def focused(self) -> dict[str, Any] | None:
        """What has the keyboard focus in the SCO (None if the SCO's document has no focus)."""
        return self.frame.evaluate("""() => {
            const e = document.activeElement;
            if (!document.hasFocus() || !e || e === document.body) return null;
            const item = e.closest('li[data-item]');
            return {tag: e.tagName.toLowerCase(), id: e.id, type: e.type || '', value: e.value,
                    checked: Boolean(e.checked), action: e.dataset.action || '',
                    item: item ? item.dataset.item : '', text: e.textContent.trim()};
        }""")

    def has_focus(self, selector: str) -> bool:
        return self.frame.evaluate(
            "(s) => document.hasFocus() && !!document.activeElement && document.activeElement.matches(s)",
            selector)

    def tab_to(self, selector: str) -> None:
        """Press Tab (or Shift+Tab, for a control above the focus) until ``selector`` has focus."""
        if self.has_focus(selector):
            return
        backwards = self.frame.evaluate("""(s) => {
            const target = document.querySelector(s);
            const active = document.activeElement;
            if (!target) throw new Error('no element matches ' + s);
            if (!document.hasFocus() || !active || active === document.body) return false;
            return Boolean(active.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_PRECEDING);
        }""", selector)
        key = "Shift+Tab" if backwards else "Tab"
        for _ in range(TAB_LIMIT):
            self.press(key)
            if self.has_focus(selector):
                return
        raise AssertionError(f"{key} never reached {selector}; focus is on {self.focused()}")

    def activate(self, selector: str, key: str = "Enter") -> None:
        """Tab to a button or link and press Enter (or Space)."""
        self.tab_to(selector)
        self.press(key)

    def open_page(self, page_id: str) -> None:
        """Go to a page through its link in the contents list."""
        self.activate(f'.contents a[data-page="{page_id}"]')
        self.frame.wait_for_function(
            "(id) => document.querySelector('section.page.current').dataset.page === id", arg=page_id)
        assert self.has_focus(f"#title-{page_id}"), "the page's heading should take the focus"

    def next_page(self) -> str:
        """Tab to the current page's Next link and press Enter; returns the new page's id."""
        before = current(self.frame)
        self.activate("section.page.current .pagination a.next")
        self.frame.wait_for_function(
            "(id) => document.querySelector('section.page.current').dataset.page !== id", arg=before)
        return current(self.frame)

    # -- answering -------------------------------------------------------------------------

    def radio(self, scope: str, value: str) -> None:
        """Tab into a radio group, then select ``value`` with Space and the arrow keys."""
        self.tab_to(f"{scope} input[type=radio]")
        count = self.frame.locator(f"{scope} input[type=radio]").count()
        if not self.focused()["checked"]:
            self.press("Space")
        for _ in range(count):
            now = self.focused()
            assert now["checked"], "the focused radio button should be selected"
            if now["value"] == value:
                return
            self.press("ArrowDown")
        raise AssertionError(f"the arrow keys never reached option {value} of {scope}")

    def checkboxes(self, scope: str, wanted: set[str]) -> None:
        """Tab through every checkbox, setting each with Space."""
        boxes = self.frame.eval_on_selector_all(f"{scope} input[type=checkbox]", "bs => bs.map(b => b.value)")
        for value in boxes:
            selector = f"{scope} input[type=checkbox][value='{value}']"
            self.tab_to(selector)
            if self.focused()["checked"] != (value in wanted):
                self.press("Space")
            assert self.focused()["checked"] == (value in wanted)

    def select(self, scope: str, item: str, partner: str) -> None:
        """Focus a matching item's list and press ArrowDown/ArrowUp until ``partner`` is selected."""
        selector = f"{scope} select[data-item='{item}']"
        self.tab_to(selector)
        texts = self.frame.eval_on_selector_all(f"{selector} option", "os => os.map(o => o.textContent)")
        for _ in range(len(texts) * 2):
            shown = self.frame.eval_on_selector(selector, "s => s.options[s.selectedIndex].textContent")
            if shown == partner:
                return
            position = texts.index(shown)
            self.press("ArrowDown" if texts.index(partner) > position else "ArrowUp")
        raise AssertionError(f"the arrow keys never selected {partner!r} in {selector}")

    def order(self, scope: str, target: list[str]) -> None:
        """Put ordering items in ``target`` order: the last one to the end with its Move down
        button and Space, then the others with their Move up buttons and Enter."""
        last = target[-1]
        button = f"{scope} li[data-item='{last}'] button[data-action='down']"
        moves = len(target)  # more presses than any item needs to reach its place
        if self.items(scope)[-1] != last:
            self.tab_to(button)
            for _ in range(moves):
                if self.items(scope)[-1] == last:
                    break
                self.press("Space")
                assert self.has_focus(button), "focus should stay on the moved item's Move down button"
        for position, item in enumerate(target[:-1]):
            if self.items(scope).index(item) == position:
                continue
            button = f"{scope} li[data-item='{item}'] button[data-action='up']"
            self.tab_to(button)
            for _ in range(moves):
                if self.items(scope).index(item) <= position:
                    break
                self.press("Enter")
                assert self.has_focus(button), "focus should stay on the moved item's Move up button"
        assert self.items(scope) == target, "Move up and Move down did not put the items in order"

    def items(self, scope: str) -> list[str]:
        return self.frame.eval_on_selector_all(f"{scope} ol.ordering li", "ls => ls.map(i => i.dataset.item)")

    def text(self, scope: str, text: str) -> None:
        self.tab_to(f"{scope} input[type=text]")
        self.press("Control+A")
        self.press("Delete")
        self.type(text)


def current(frame) -> str:
    return frame.evaluate("document.querySelector('section.page.current').dataset.page")


def status_shows(frame, *parts: str, absent: tuple[str, ...] = ()) -> None:
    """Wait until the live regions (the page's #elpack-status and the blocks' own .block-status)
    say every one of ``parts`` (and none of ``absent``, so that an earlier message does not count)."""
    try:
        frame.wait_for_function(
            "([parts, absent]) => { const t = [...document.querySelectorAll('#elpack-status, .block-status')]"
        ".map((r) => r.textContent).join(' ');"
            " return parts.every((p) => t.includes(p)) && !absent.some((p) => t.includes(p)); }",
            arg=[list(parts), list(absent)], timeout=5000)
    except PlaywrightTimeout:
        raise AssertionError(f"the status region says {status_text(frame)!r}, not {parts}"
                             + (f" without {absent}" if absent else "")) from None


def status_text(frame) -> str:
    return frame.evaluate("() => [...document.querySelectorAll('#elpack-status, .block-status')]"
        ".map((r) => r.textContent).join(' ')")


def records_for(session, item_id: str) -> list[dict[str, str]]:
    return [r for r in interactions(session.log()) if r.get("id") == item_id]


def assert_strict(session) -> None:
    problems = strict_problems(session.log())
    assert not problems, "\n".join(problems)
    assert not session.errors, "\n".join(session.errors)


def assert_interaction(record: dict[str, str], *, kind: str, response: str, result: str,
                       pattern: str | None, weighting: str) -> None:
    """One interaction record, field by field, in SCORM 1.2 form."""
    assert record["type"] == kind
    assert record["student_response"] == response
    assert record["result"] == result
    if pattern is None:
        assert "correct_responses.0.pattern" not in record, record
    else:
        assert record["correct_responses.0.pattern"] == pattern
    assert record["weighting"] == weighting
    assert TIMESPAN.match(record["latency"]), record
    assert CLOCK.match(record["time"]), record


def launch(lms_session, zip_path: Path, cmi: dict[str, Any] | None = None):
    session = lms_session(zip_path)
    session.launch(cmi)
    return session, Keys(session)


def exit_module(keys: Keys) -> dict[str, Any]:
    """Exit with the keyboard; the CMI the LMS kept."""
    keys.activate("#elpack-exit")
    keys.page.wait_for_function("() => window.lmsLog.some(e => e.method === 'LMSFinish')")
    return keys.session.cmi_json()


def resume(lms_session, zip_path: Path, saved: dict[str, Any]):
    """Relaunch as an LMS does after a suspended session: entry resume, with the saved CMI."""
    return launch(lms_session, zip_path, {
        "core": {"entry": "resume", "lesson_location": saved["core"]["lesson_location"],
                 "lesson_status": saved["core"]["lesson_status"]},
        "suspend_data": saved["suspend_data"],
    })


def enter_answer(keys: Keys, question_id: str, kind: str, answer: Any) -> None:
    """Answer a question with the keyboard, in the way its type needs."""
    scope = f"fieldset#{question_id}"
    if kind in ("single", "true-false", "likert"):
        keys.radio(scope, answer)
    elif kind == "multiple":
        keys.checkboxes(scope, set(answer))
    elif kind == "matching":
        for item, partner in answer.items():
            keys.select(scope, item, partner)
    elif kind == "ordering":
        keys.order(scope, list(answer))
    elif kind == "text":
        keys.text(scope, answer)
    else:
        raise AssertionError(f"unknown question type {kind}")


# ---------------------------------------------------------------------------------------------
# Knowledge checks: one of each question type, on the page "checks"


@dataclass(frozen=True)
class Check:
    """A knowledge check of the fixture, what to answer and what the LMS should be told."""

    id: str
    kind: str
    interaction: str
    prompt: str
    options: dict[str, str]  # option id: its text (matching: the items)
    right: Any
    right_response: str
    right_feedback: tuple[str, ...]
    wrong: Any
    wrong_response: str
    wrong_feedback: tuple[str, ...]
    pattern: str | None
    wrong_result: str = "wrong"
    right_result: str = "correct"
    partners: tuple[str, ...] = field(default=())


CHECKS = [
    Check("kc-single", "single", "choice",
          "Which is a common reason why a person may attend frequently?",
          {"a": "They enjoy waiting rooms", "b": "Loneliness and social isolation",
           "c": "They do not like their GP", "d": "They are bored"},
          "b", "b", ("Correct.", "Yes. Contact with services can be one of few human connections.",
                     "Well done. Frequent attendance usually reflects unmet needs."),
          "a", "a", ("Not quite right.", "This is a common assumption, not an explanation.",
                     "Loneliness and social isolation are common drivers."),
          "b"),
    Check("kc-multiple", "multiple", "choice",
          "Which of these are common motivations for frequent attendance? Select all that apply.",
          {"a": "Loneliness", "b": "Health anxiety", "c": "Enjoying the attention of staff",
           "d": "Not knowing where else to go", "e": "Wanting to waste time"},
          {"a", "b", "d"}, "a,b,d", ("Correct.", "Well done. Needs usually overlap."),
          {"a", "c"}, "a,c", ("Not quite right.", "This is an assumption, not an explanation.",
                              "Attention and wasting time are assumptions."),
          "a,b,d"),
    Check("kc-tf", "true-false", "true-false",
          "True or false: reassurance alone usually stops the cycle of health anxiety.",
          {"a": "True", "b": "False"},
          "b", "f", ("Correct.", "Right. People usually need a plan as well."),
          "a", "t", ("Not quite right.", "Not quite. The doubt usually returns."),
          "f"),
    Check("kc-match", "matching", "matching", "Match each statement to its Gibbs stage.",
          {"a": '"I felt irritated, then guilty."', "b": '"The calls started after his bereavement."',
           "c": '"Next time I will ask what has changed."'},
          {"a": "Feelings", "b": "Analysis", "c": "Action plan"}, "a.1,b.2,c.3",
          ("Correct.", "Well matched."),
          {"a": "Analysis", "b": "Feelings", "c": "Action plan"}, "a.2,b.1,c.3",
          ("Not quite right.", "Feelings name emotions, analysis explains why, the action plan looks ahead."),
          "a.1,b.2,c.3", partners=("Feelings", "Analysis", "Action plan")),
    Check("kc-order", "ordering", "sequencing",
          "Put the first four stages of Gibbs' reflective cycle in order.",
          {"a": "Description", "b": "Feelings", "c": "Evaluation", "d": "Analysis"},
          ["a", "b", "c", "d"], "a,b,c,d", ("Correct.", "That is the order."),
          ["b", "a", "d", "c"], "b,a,d,c",
          ("Not quite right.", "The order is description, feelings, evaluation, analysis."),
          "a,b,c,d"),
    Check("kc-text", "text", "fill-in",
          "Samaritans can be called free, at any time. What is the number?", {},
          "116123", "116123", ("Correct.", "Yes. The number is 116 123."),  # the second accepted answer
          "999", "999", ("Not quite right.", "The number is 116 123."),
          "116 123"),
    Check("kc-likert", "likert", "likert",
          'How far do you agree? "I feel confident when I see a familiar name."',
          {"a": "Strongly disagree", "b": "Disagree", "c": "Neither agree nor disagree", "d": "Agree",
           "e": "Strongly agree"},
          "d", "d", ("There is no right answer. Notice how you feel.",),
          "a", "a", ("That is an honest and common answer.",
                     "There is no right answer. Notice how you feel."),
          None, wrong_result="neutral", right_result="neutral"),
]
SCORED_CHECKS = [check for check in CHECKS if check.kind != "likert"]


def assert_question_renders(frame, check: Check) -> None:
    """The fieldset, its legend and its controls, by role and accessible name."""
    scope = frame.locator(f"fieldset#{check.id}")
    group = frame.get_by_role("group", name=check.prompt, exact=True)
    assert group.count() == 1 and group.evaluate("(e) => e.id") == check.id
    assert scope.evaluate("(e) => e.tagName") == "FIELDSET"
    assert scope.get_attribute("data-type") == check.kind
    assert scope.locator("legend").inner_text() == check.prompt
    assert scope.locator(".feedback").is_hidden()
    if check.kind in ("single", "true-false", "likert", "multiple"):
        role = "checkbox" if check.kind == "multiple" else "radio"
        values = scope.locator("input").evaluate_all("(inputs) => inputs.map((i) => i.value)")
        assert sorted(values) == sorted(check.options)
        for option_id, text in check.options.items():
            control = scope.get_by_role(role, name=text, exact=True)
            assert control.get_attribute("value") == option_id
            assert control.get_attribute("name") == check.id
            assert not control.is_checked()
        if check.kind == "multiple" and "select all" in check.prompt.lower():
            assert scope.locator(".hint").count() == 0  # the question says it: no second time
        elif check.kind == "multiple":
            assert scope.locator(".hint").inner_text() == "Select all that apply."
    elif check.kind == "matching":
        for item, text in check.options.items():
            menu = scope.get_by_role("combobox", name=text, exact=True)
            assert menu.get_attribute("data-item") == item
            choices = menu.locator("option").all_inner_texts()
            assert choices[0] == "Choose…" and sorted(choices[1:]) == sorted(check.partners)
            assert menu.input_value() == ""
    elif check.kind == "ordering":
        items = scope.locator("ol.ordering li").evaluate_all("(lis) => lis.map((li) => li.dataset.item)")
        assert sorted(items) == sorted(check.options)
        assert items != list(check.right), "ordering items must not start in the right order"
        for item, text in check.options.items():
            for action in ("Move up", "Move down"):
                # "Move up: Description" (Chromium puts a space before the hidden ": Description")
                name = re.compile(rf"^{action} ?: {re.escape(text)}$")
                button = scope.get_by_role("button", name=name)
                assert button.evaluate("(b) => b.closest('li').dataset.item") == item
    elif check.kind == "text":
        box = scope.get_by_role("textbox", name="Your answer", exact=True)
        assert box.get_attribute("maxlength") == "255" and box.input_value() == ""
    label = "Save answer" if check.kind == "likert" else "Check answer"
    assert scope.get_by_role("button", name=label, exact=True).count() == 1


def assert_feedback(frame, check: Check, parts: tuple[str, ...], result: str,
                    absent: tuple[str, ...] = ()) -> None:
    """Feedback shown in the question and announced through the status region."""
    status_shows(frame, *parts, absent=absent)
    scope = frame.locator(f"fieldset#{check.id}")
    assert sorted(visible_feedback(frame, check.id)) == sorted(parts)
    classes = scope.get_attribute("class").split()
    assert ("is-correct" in classes) == (result == "correct")
    assert ("is-incorrect" in classes) == (result == "wrong")
    if result == "neutral":
        text = status_text(frame)
        assert "Correct." not in text and "Not quite right." not in text


def visible_feedback(frame, question_id: str) -> list[str]:
    """The texts of the feedback parts shown in a question, one per part."""
    return frame.locator(
        f"fieldset#{question_id} :is(.feedback-result, .option-feedback, .feedback > div):visible"
    ).all_inner_texts()


@pytest.mark.parametrize("check", CHECKS, ids=[check.kind for check in CHECKS])
def test_knowledge_check_by_keyboard(check, every_block, lms_session):
    session, keys = launch(lms_session, every_block)
    frame = keys.frame
    keys.open_page("checks")
    assert_question_renders(frame, check)
    status = frame.locator("#elpack-status")
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"

    enter_answer(keys, check.id, check.kind, check.right)
    keys.activate(f"fieldset#{check.id} button[data-action=check]")
    assert_feedback(frame, check, check.right_feedback, check.right_result)

    [record] = records_for(session, check.id)
    assert_interaction(record, kind=check.interaction, response=check.right_response,
                       result=check.right_result, pattern=check.pattern, weighting="0")
    if check.kind == "ordering":  # the ends of the list say so
        keys.activate(f"fieldset#{check.id} li:first-child button[data-action='up']")
        status_shows(frame, "Description is already first.")
        keys.activate(f"fieldset#{check.id} li:last-child button[data-action='down']", key="Space")
        status_shows(frame, "Analysis is already last.")
        assert keys.items(f"fieldset#{check.id}") == check.right
    assert_strict(session)


@pytest.mark.parametrize("check", CHECKS, ids=[check.kind for check in CHECKS])
def test_knowledge_check_wrong_then_retried(check, every_block, lms_session):
    """A wrong answer is recorded as wrong; the learner may answer again and gets new feedback,
    but the check is recorded once per attempt."""
    session, keys = launch(lms_session, every_block)
    frame = keys.frame
    keys.open_page("checks")
    enter_answer(keys, check.id, check.kind, check.wrong)
    keys.activate(f"fieldset#{check.id} button[data-action=check]")
    assert_feedback(frame, check, check.wrong_feedback, check.wrong_result)
    [record] = records_for(session, check.id)
    assert_interaction(record, kind=check.interaction, response=check.wrong_response,
                       result=check.wrong_result, pattern=check.pattern, weighting="0")

    enter_answer(keys, check.id, check.kind, check.right)
    keys.activate(f"fieldset#{check.id} button[data-action=check]", key="Space")
    stale = tuple(part for part in check.wrong_feedback
                  if not any(part in new for new in check.right_feedback))
    assert_feedback(frame, check, check.right_feedback, check.right_result, absent=stale)
    assert sorted(visible_feedback(frame, check.id)) == sorted(check.right_feedback), \
        "only the new answer's feedback should show"
    assert len(records_for(session, check.id)) == 1, "a knowledge check is recorded once per attempt"
    assert_strict(session)


# ---------------------------------------------------------------------------------------------
# Story blocks, callouts and media: how they render and what the keyboard reaches


def tab_stops(keys: Keys, scope: str, end: str) -> list[str]:
    """Tab from the focus to ``end``; a description of each stop inside ``scope`` on the way."""
    stops = []
    for _ in range(TAB_LIMIT):
        keys.press("Tab")
        if keys.has_focus(end):
            return stops
        inside = keys.frame.evaluate("""(scope) => {
            const e = document.activeElement;
            if (!e || !e.closest(scope)) return null;
            return e.tagName.toLowerCase() + (e.getAttribute('href') ? ' ' + e.getAttribute('href') : '');
        }""", scope)
        if inside:
            stops.append(inside)
    raise AssertionError(f"Tab never reached {end}")


def no_interactions_but(session, *ids: str) -> None:
    assert [r["id"] for r in interactions(session.log())] == list(ids)
    assert_strict(session)


def no_interactions(session) -> None:
    assert interactions(session.log()) == [], "reading a page records no interactions"
    assert_strict(session)


def test_learning_objectives_and_skip_link(every_block, lms_session):
    session, keys = launch(lms_session, every_block)
    frame = keys.frame
    assert current(frame) == "welcome"
    objectives = frame.locator("#page-welcome .objectives")
    assert objectives.get_by_role("heading", name="Learning objectives", exact=True).is_visible()
    assert objectives.locator("li").all_inner_texts() == [
        "Recognise every kind of block", "Answer every kind of question"]
    assert frame.locator(".objectives").count() == 1, "the objectives are on the first page only"
    # The first Tab stop is the skip link, which moves the focus to the content.
    keys.press("Tab")
    assert keys.has_focus("a.skip-link") and keys.focused()["text"] == "Skip to content"
    keys.press("Enter")
    frame.wait_for_function("() => document.activeElement && document.activeElement.id === 'elpack-main'")
    no_interactions(session)


CALLOUTS = [
    ("welcome", "key-point", "Key point", "Curiosity is a clinical skill."),
    # A warning with its own title still says that it is a warning.
    ("welcome", "warning", "Warning: Familiarity is a clinical risk",
     "Assess every attendance on its own merits."),
    ("welcome", "tip", "In practice", "Ask one open question first."),
    ("welcome", "signpost", "Support is available", "Call NHS 111 for urgent help with your mental health."),
    ("close", "summary", "Summary", "Frequent attendance usually reflects overlapping needs."),
    ("close", "references", "References and further reading", "Gibbs, G. (1988). Learning by Doing."),
]


@pytest.mark.parametrize(("page_id", "style", "heading", "text"), CALLOUTS, ids=[c[1] for c in CALLOUTS])
def test_callout(page_id, style, heading, text, every_block, lms_session):
    session, keys = launch(lms_session, every_block)
    frame = keys.frame
    keys.open_page(page_id)
    # (the accessible name may lose the space after a visually hidden "Warning:")
    name = re.compile("^" + r":\s?".join(re.escape(part) for part in heading.split(": ")) + "$")
    box = frame.get_by_role("complementary", name=name)
    assert box.count() == 1 and box.is_visible()
    assert f"callout-{style}" in box.get_attribute("class").split()
    title = box.get_by_role("heading", name=name, level=2)
    assert title.is_visible() and title.text_content() == heading
    assert text in box.inner_text()
    # The keyboard stops on the links in the box and nowhere else in it.
    scope = f"section.page.current aside.callout-{style}"
    stops = tab_stops(keys, scope, "section.page.current .pagination a")
    if style == "references":
        name = re.compile(r"^High Intensity Use programme ?\(opens in a new tab\)$")
        link = box.get_by_role("link", name=name)
        href = "https://www.england.nhs.uk/high-intensity-use-programme/"
        assert link.get_attribute("href") == href and link.get_attribute("target") == "_blank"
        assert "noopener" in link.get_attribute("rel")
        assert stops == [f"a {href}"]
    else:
        assert stops == []
    no_interactions(session)


def test_prose(every_block, lms_session):
    """Plain Markdown between blocks: paragraphs on main-line and consequence pages."""
    session, keys = launch(lms_session, every_block)
    frame = keys.frame
    paragraph = frame.locator("#page-welcome > p")
    assert paragraph.count() == 1
    assert paragraph.inner_text() == "Structured reflective practice helps you learn from each encounter."
    keys.press("Tab")  # into the module: the skip link
    # The one keyboard stop in the paragraph is its glossary term.
    assert tab_stops(keys, "#page-welcome > p", "#page-welcome .pagination a") == ["button"]
    assert keys.next_page() == "story"
    keys.open_page("decision")
    keys.radio("fieldset#c-next-step", "c")
    keys.activate("#c-next-step button[data-action='choose']")
    assert keys.next_page() == "gp-call"
    assert frame.locator("#page-gp-call > p").inner_text() == (
        "The out-of-hours service promises a call back in the morning.")
    no_interactions_but(session, "c-next-step")


def test_glossary_term_opens_in_place(every_block, lms_session):
    session, keys = launch(lms_session, every_block)
    frame = keys.frame
    term = frame.get_by_role("button", name="reflective practice", exact=True)
    assert term.count() == 1
    assert term.get_attribute("aria-expanded") == "false"
    note = frame.locator(f"#{term.get_attribute('aria-controls')}")
    assert note.is_hidden()
    keys.tab_to("#page-welcome button.term")
    keys.press("Enter")
    assert term.get_attribute("aria-expanded") == "true"
    assert note.is_visible()
    assert note.inner_text() == "reflective practice: Thinking about what happened in order to learn from it."
    assert note.evaluate("(n) => n.closest('section.page').id") == "page-welcome", "shown in place"
    keys.press("Space")
    assert term.get_attribute("aria-expanded") == "false" and note.is_hidden()
    assert keys.has_focus("#page-welcome button.term")
    # The glossary at the end lists the term with its definition.
    glossary = frame.locator("#page-close .glossary")
    assert glossary.locator("dt").all_inner_texts() == ["reflective practice"]
    assert glossary.locator("dd").all_inner_texts() == [
        "Thinking about what happened in order to learn from it."]
    no_interactions(session)


def test_scene(every_block, lms_session):
    session, keys = launch(lms_session, every_block)
    frame = keys.frame
    keys.open_page("story")
    scene = frame.locator("#page-story .scene")
    assert scene.get_by_role("heading", name="Thursday, just after 2am", exact=True, level=2).is_visible()
    image = scene.get_by_role("img", name="A dark street with one lit upstairs window", exact=True)
    assert image.get_attribute("src") == "media/street.svg"
    image.evaluate("(img) => img.decode()")
    assert image.evaluate("(img) => img.naturalWidth") > 0
    assert "Sam Okoro arrives at a familiar address." in scene.inner_text()
    assert tab_stops(keys, "#page-story .scene", "#page-story video") == []
    no_interactions(session)


def test_dialogue_reads_as_a_transcript(every_block, lms_session):
    session, keys = launch(lms_session, every_block)
    frame = keys.frame
    keys.open_page("story")
    dialogue = frame.locator("#d-arrival")
    assert dialogue.is_visible()
    # What a screen reader reads: avatars are hidden, names and roles are text, in order.
    spoken = dialogue.evaluate("""(d) => {
        const copy = d.cloneNode(true);
        copy.querySelectorAll('[aria-hidden="true"]').forEach((e) => e.remove());
        return Array.from(copy.children).map((e) => e.textContent.replace(/\\s+/g, ' ').trim());
    }""")
    assert spoken == [
        "The front door is on the latch.",
        "Sam Okoro, Paramedic: Evening, Mr Price. Tell me what has happened tonight.",
        "Dr Ruth Hale, Clinical psychologist: Notice the pause before he answers. "
        "It often says more than the words.",
    ]
    assert dialogue.locator(".stage-direction em").inner_text() == "The front door is on the latch."
    sam = dialogue.locator(".speech[data-speaker='sam']")
    assert sam.locator(".speaker strong").inner_text() == "Sam Okoro"
    initials = sam.locator(".avatar")
    assert initials.get_attribute("aria-hidden") == "true" and initials.inner_text() == "SO"
    hale = dialogue.locator(".speech[data-speaker='dr-hale']")
    assert hale.locator(".speaker strong").inner_text() == "Dr Ruth Hale"
    avatar = hale.locator(".avatar img")
    assert avatar.get_attribute("src") == "media/dr-hale.svg" and avatar.get_attribute("alt") == ""
    avatar.evaluate("(img) => img.decode()")
    assert tab_stops(keys, "#d-arrival", "#page-story video") == []
    no_interactions(session)


def test_expert(every_block, lms_session):
    session, keys = launch(lms_session, every_block)
    frame = keys.frame
    keys.open_page("story")
    expert = frame.get_by_role("complementary", name="The psychologist's view", exact=True)
    assert expert.get_by_role("heading", name="The psychologist's view", exact=True, level=2).is_visible()
    name = expert.locator(".expert-name")
    assert name.evaluate("(p) => p.lastChild.textContent") == "Dr Ruth Hale, Clinical psychologist"
    avatar = name.locator(".avatar")
    assert avatar.get_attribute("aria-hidden") == "true"
    assert avatar.locator("img").get_attribute("src") == "media/dr-hale.svg"
    assert expert.locator("strong").inner_text() == "unmet need"
    assert tab_stops(keys, "#page-story aside.expert", "#page-story video") == []
    no_interactions(session)


def test_video_with_captions_and_transcript(every_block, lms_session):
    session, keys = launch(lms_session, every_block)
    frame = keys.frame
    keys.open_page("story")
    figure = frame.locator("#page-story figure.media").filter(has=frame.locator("video"))
    video = figure.locator("video")
    assert video.get_attribute("controls") is not None
    assert video.get_attribute("src") == "media/clip.webm"
    track = video.locator("track")
    assert track.get_attribute("kind") == "captions" and track.get_attribute("src") == "media/clip.vtt"
    assert track.get_attribute("srclang") == "en-GB" and track.get_attribute("label") == "Captions"
    assert track.get_attribute("default") is not None
    # The clip and its captions load: the captions track is showing, with its cue.
    frame.wait_for_function("""() => {
        const v = document.querySelector('#page-story video');
        const t = v.textTracks[0];
        return v.readyState >= 1 && t.mode === 'showing' && t.cues && t.cues.length === 1;
    }""")
    assert video.evaluate("(v) => v.textTracks[0].cues[0].text") == "Sam: Evening, Mr Price."
    assert figure.locator("figcaption").inner_text() == "Sam arrives"
    transcript = figure.locator("details.transcript")
    assert transcript.get_attribute("open") is None
    assert transcript.locator("summary").inner_text() == "Transcript"
    # The keyboard reaches the player's controls, then opens the transcript.
    keys.tab_to("#page-story video")
    keys.tab_to("#page-story figure:has(video) summary")
    keys.press("Enter")
    assert transcript.get_attribute("open") is not None
    assert transcript.locator("p").inner_text() == "Sam: Evening, Mr Price."
    assert transcript.locator("p").is_visible()
    no_interactions(session)


def test_audio_with_transcript(every_block, lms_session):
    session, keys = launch(lms_session, every_block)
    frame = keys.frame
    keys.open_page("story")
    figure = frame.locator("#page-story figure.media").filter(has=frame.locator("audio"))
    audio = figure.locator("audio")
    assert audio.get_attribute("controls") is not None
    assert audio.get_attribute("src") == "media/clip.wav"
    frame.wait_for_function("() => document.querySelector('#page-story audio').readyState >= 1")
    assert audio.evaluate("(a) => a.error") is None
    assert figure.locator("figcaption").inner_text() == "Dr Hale on night-time fear"
    # Audio has nothing to watch, so its transcript starts open; the keyboard can close it.
    transcript = figure.locator("details.transcript")
    assert transcript.get_attribute("open") is not None
    assert transcript.locator("summary").inner_text() == "Transcript"
    assert transcript.locator("p").inner_text() == "Dr Hale: Night-time is often the hardest time."
    assert transcript.locator("p").is_visible()
    keys.tab_to("#page-story audio")
    keys.tab_to("#page-story figure:has(audio) summary")
    keys.press("Space")
    assert transcript.get_attribute("open") is None and transcript.locator("p").is_hidden()
    keys.press("Enter")
    assert transcript.get_attribute("open") is not None and transcript.locator("p").is_visible()
    no_interactions(session)


# ---------------------------------------------------------------------------------------------
# Reflections and the reflective log

REFLECTION_PROMPT = "How do you feel when you see a name you recognise on the call list?"
QUICK_EXIT_PROMPT = "When have you chosen the quickest safe option because of pressure on time?"


def write_reflection(keys: Keys, reflection_id: str, lines: list[str]) -> None:
    """Tab to the reflection's box, type (Enter between lines), Tab to Save reflection, Enter."""
    keys.tab_to(f"#{reflection_id}-answer")
    keys.press("Control+A")
    keys.press("Delete")
    for index, line in enumerate(lines):
        if index:
            keys.press("Enter")
        keys.type(line)
    keys.press("Tab")
    assert keys.has_focus(f"#{reflection_id} button[data-action='save-reflection']")
    keys.press("Enter")


def test_reflection_by_keyboard(every_block, lms_session):
    session, keys = launch(lms_session, every_block)
    frame = keys.frame
    keys.open_page("story")
    block = frame.locator("#r-first-reaction")
    assert block.get_by_role("heading", name="Pause and reflect", exact=True, level=2).is_visible()
    box = frame.get_by_role("textbox", name=REFLECTION_PROMPT, exact=True)
    assert box.get_attribute("id") == "r-first-reaction-answer" and box.input_value() == ""
    hint = frame.locator(f"#{box.get_attribute('aria-describedby')}")
    limit = runtime_data(frame)["reflectionLimit"]
    assert f"up to {limit} characters" in hint.inner_text()
    # No maxlength: the browser would cut pasted text silently; the runtime cuts and says so.
    assert box.get_attribute("maxlength") is None

    # A long answer over two lines: the LMS gets it on one line, cut to 255 characters.
    first = "I notice a sinking feeling, then guilt. " * 6
    lines = [first.strip(), "Next time I will ask what has changed."]
    write_reflection(keys, "r-first-reaction", lines)
    status_shows(frame, "Reflection saved.")
    assert box.input_value() == "\n".join(lines)
    [record] = records_for(session, "r-first-reaction")
    assert_interaction(record, kind="fill-in", response=" ".join(lines)[:255], result="neutral",
                       pattern=None, weighting="0")
    assert len(record["student_response"]) == 255

    # Saving an edited reflection keeps the new text but records the reflection only once.
    write_reflection(keys, "r-first-reaction", ["Calmer now."])
    status_shows(frame, "Reflection saved.")
    assert len(records_for(session, "r-first-reaction")) == 1
    saved = exit_module(keys)
    assert "Calmer now." in saved["suspend_data"]
    assert_strict(session)


def test_reflective_log_lists_downloads_and_resumes(every_block, lms_session):
    session, keys = launch(lms_session, every_block)
    frame = keys.frame
    text = "I feel a flicker of irritation, then I remember he is lonely."
    keys.open_page("story")
    write_reflection(keys, "r-first-reaction", [text])
    status_shows(frame, "Reflection saved.")

    keys.open_page("close")
    log = frame.get_by_role("region", name="Your reflective log", exact=True)
    assert log.is_visible()
    entries = log.locator(".log-entry")
    assert entries.count() == 2
    assert entries.locator(".log-prompt").all_inner_texts() == [REFLECTION_PROMPT, QUICK_EXIT_PROMPT]
    assert entries.locator(".log-answer").all_inner_texts() == [
        text, "You have not written anything here yet."]

    with keys.page.expect_download() as download_info:
        keys.activate("#elpack-log button[data-action='download-log']")
    download = download_info.value
    assert download.suggested_filename == "every-block-reflective-log.txt"
    content = Path(download.path()).read_bytes().decode("utf-8")  # keeps its CRLF line ends
    assert content.startswith("Every block and question\r\nReflective log\r\n")
    assert f"{REFLECTION_PROMPT}\r\n{text}\r\n" in content
    assert f"{QUICK_EXIT_PROMPT}\r\n(not written)\r\n" in content
    assert re.search(r"\r\nDate: \d{4}-\d{2}-\d{2}\r\n", content)
    status_shows(frame, "Your reflective log has been downloaded as every-block-reflective-log.txt.")

    # "Go to reflection 1" takes the keyboard focus to the reflection on its page.
    keys.activate("#elpack-log .log-entry:first-child a.log-link")
    frame.wait_for_function("() => document.querySelector('section.page.current').dataset.page === 'story'")
    assert keys.has_focus("#r-first-reaction")

    saved = exit_module(keys)
    assert_strict(session)
    again, keys = resume(lms_session, every_block, saved)
    frame = keys.frame
    assert current(frame) == "story"
    assert frame.locator("#r-first-reaction-answer").input_value() == text
    keys.open_page("close")
    assert frame.locator("#elpack-log .log-answer").first.inner_text() == text
    assert_strict(again)


# ---------------------------------------------------------------------------------------------
# "What would you do?" choices, consequence passages and consequence pages

CHOICE_LABELS = {"a": "Leave promptly for the next call", "b": "Sit down and ask how he has been coping",
                 "c": "Phone his GP from the house"}
CONSEQUENCES = {"b": "Mr Price starts to talk about his wife.", "c": "The surgery is closed until eight."}


@pytest.mark.parametrize(("option", "target"), [("a", "quick-exit"), ("b", None), ("c", "gp-call")],
                         ids=["page", "passage", "passage-and-page"])
def test_choice_by_keyboard(option, target, every_block, lms_session):
    session, keys = launch(lms_session, every_block)
    frame = keys.frame
    keys.open_page("decision")
    # a one-paragraph prompt is the group's name: the question is asked once
    choice = frame.get_by_role("group", name="Mr Price's observations are normal. What would you do?",
                               exact=True)
    assert choice.get_attribute("id") == "c-next-step"
    for value, label in CHOICE_LABELS.items():
        radio = choice.get_by_role("radio", name=label, exact=True)
        assert radio.get_attribute("value") == value and not radio.is_checked()
    assert choice.locator(".consequence:visible").count() == 0

    # Next waits for the choice, and says so.
    keys.activate("#page-decision .pagination a.next")
    status_shows(frame, "Make your choice first, then select Choose.")
    assert current(frame) == "decision"
    assert keys.has_focus("#c-next-step input[type=radio]")

    keys.radio("fieldset#c-next-step", option)
    keys.activate("#c-next-step button[data-action='choose']")
    message = [f"You chose: {CHOICE_LABELS[option]}."]
    if option in CONSEQUENCES:
        message.append(CONSEQUENCES[option])
    if target:
        message.append("Select Next to see what happens.")
    status_shows(frame, *message)
    assert choice.locator(".consequence:visible").all_inner_texts() == (
        [CONSEQUENCES[option]] if option in CONSEQUENCES else [])
    [record] = records_for(session, "c-next-step")
    assert_interaction(record, kind="choice", response=option, result="neutral", pattern=None,
                       weighting="0")

    if target:
        assert keys.next_page() == target
        assert keys.has_focus(f"#title-{target}")
        assert frame.locator(f".contents a[data-page='{target}']").count() == 0
        assert frame.locator(".contents a[aria-current='page']").get_attribute("data-page") == "decision"
    # Every path comes back to the main line.
    assert keys.next_page() == "checks"
    assert keys.has_focus("#title-checks")
    assert len(records_for(session, "c-next-step")) == 1
    assert_strict(session)


# ---------------------------------------------------------------------------------------------
# The final assessment: 6 of a pool of 8 drawn, 2 attempts, pass mark 75%

DRAW = 6
PASS_MARK = 75


def drawn(frame) -> list[str]:
    return frame.eval_on_selector_all("#final fieldset[data-question]:not([hidden])",
                                      "fs => fs.map((f) => f.id)")


def plan_answer(frame, data: dict[str, Any], question_id: str, right: bool) -> tuple[str, Any, str]:
    """(type, what to enter, the student_response SCORM 1.2 should get) for a right or wrong answer."""
    question = data["questions"][question_id]
    kind, options, correct = question["type"], question["options"], question["correct"]
    if kind in ("single", "true-false"):
        value = correct[0] if right else next(o for o in options if o not in correct)
        return kind, value, question["truth"][value] if kind == "true-false" else value
    if kind == "likert":
        return kind, options[-1], options[-1]
    if kind == "multiple":
        chosen = set(correct) if right else set(options) - set(correct)
        return kind, chosen, ",".join(sorted(chosen))
    if kind == "matching":
        pairs = [pair.split(".") for pair in question["pattern"].split(",")]
        numbers = [number for _, number in pairs]
        if not right:
            numbers = numbers[1:] + numbers[:1]
        partners = {item: frame.eval_on_selector(
            f"#{question_id} select[data-item='{item}'] option[value='{number}']", "o => o.textContent")
            for (item, _), number in zip(pairs, numbers, strict=True)}
        response = ",".join(f"{item}.{number}" for (item, _), number in zip(pairs, numbers, strict=True))
        return kind, partners, response
    if kind == "ordering":
        order = list(options) if right else list(reversed(options))
        return kind, order, ",".join(order)
    if kind == "text":
        text = question["accepted"][0] if right else "not the answer"
        return kind, text, text
    raise AssertionError(f"unknown question type {kind}")


def answer_drawn(keys: Keys, data: dict[str, Any], right: int | None) -> dict[str, str]:
    """Answer the drawn questions with the keyboard, the first ``right`` scored ones right (all if
    None); {question id: expected student_response}."""
    responses = {}
    scored = 0
    for question_id in drawn(keys.frame):
        is_scored = data["questions"][question_id]["scored"]
        correct = right is None or (is_scored and scored < right)
        scored += is_scored
        kind, answer, response = plan_answer(keys.frame, data, question_id, correct)
        enter_answer(keys, question_id, kind, answer)
        responses[question_id] = response
    return responses


def assert_recorded(session, data: dict[str, Any], responses: dict[str, str], right: set[str]) -> None:
    """Each drawn question recorded once more in this attempt, scored and in SCORM 1.2 format."""
    for question_id, response in responses.items():
        question = data["questions"][question_id]
        record = records_for(session, question_id)[-1]
        result = "neutral" if not question["scored"] else "correct" if question_id in right else "wrong"
        assert_interaction(record, kind=question["interaction"], response=response, result=result,
                           pattern=question["pattern"] or None, weighting="1" if question["scored"] else "0")


def test_assessment_by_keyboard_scores_and_reviews(every_block, lms_session):
    session, keys = launch(lms_session, every_block)
    frame = keys.frame
    data = runtime_data(frame)
    keys.open_page("assessment")
    region = frame.get_by_role("region", name="Final assessment", exact=True)
    assert region.and_(frame.locator("section#final")).count() == 1
    pool = data["assessment"]["questions"]
    ids = drawn(frame)
    assert len(ids) == len(set(ids)) == DRAW and set(ids) <= set(pool)
    left_out = frame.eval_on_selector_all("#final fieldset[data-question][hidden]", "fs => fs.map(f => f.id)")
    assert sorted(ids + left_out) == sorted(pool)
    for number, question_id in enumerate(ids, start=1):
        legend = frame.locator(f"#{question_id} legend").text_content()
        assert legend.startswith(f"Question {number} of {DRAW}: "), legend
    assert frame.locator("#final button[data-action='check']").count() == 0, "no Check buttons in the test"

    responses = answer_drawn(keys, data, right=None)
    keys.activate("#final button[data-action='submit-assessment']")
    scored = [q for q in ids if data["questions"][q]["scored"]]
    summary = (f"You scored 100% ({len(scored)} of {len(scored)} correct). "
               f"You passed: the pass mark is {PASS_MARK}%.")
    status_shows(frame, summary)
    results = frame.locator("#final .results")
    assert summary in results.inner_text()
    assert "Review your answers and the feedback below." in results.inner_text()
    assert keys.has_focus("#final .results-title")
    assert results.get_by_role("button", name="Try again").count() == 0, "no retry after a pass"
    assert frame.locator("#final button[data-action='submit-assessment']").is_hidden()
    # The review: every drawn question shows its feedback, and can no longer be changed.
    for question_id in ids:
        fieldset = frame.locator(f"#{question_id}")
        if question_id in scored:
            assert fieldset.locator(".feedback-result").inner_text() == "Correct."
            assert "is-correct" in fieldset.get_attribute("class").split()
        assert fieldset.locator("input:enabled, select:enabled, button:enabled").count() == 0
    if "fa-single" in ids:
        assert "Yes. Samaritans can be called free, at any time." in visible_feedback(frame, "fa-single")

    assert_recorded(session, data, responses, right=set(scored))
    assert len(interactions(session.log())) == DRAW
    log = session.log()
    assert last_set(log, "cmi.core.score.raw") == "100"
    assert last_set(log, "cmi.core.score.min") == "0" and last_set(log, "cmi.core.score.max") == "100"
    assert last_set(log, "cmi.core.lesson_status") == "passed"
    assert_strict(session)


def test_assessment_wrong_answers_and_attempts(every_block, lms_session):
    session, keys = launch(lms_session, every_block)
    frame = keys.frame
    data = runtime_data(frame)
    keys.open_page("assessment")
    results = frame.locator("#final .results")

    # Attempt 1 of 2: everything wrong.
    first = drawn(frame)
    responses = answer_drawn(keys, data, right=0)
    keys.activate("#final button[data-action='submit-assessment']")
    scored = [q for q in first if data["questions"][q]["scored"]]
    summary = f"You scored 0% (0 of {len(scored)} correct). You need {PASS_MARK}% to pass."
    status_shows(frame, summary, "You have 1 attempt left.")
    assert summary in results.inner_text() and "You have 1 attempt left." in results.inner_text()
    for question_id in scored:
        fieldset = frame.locator(f"#{question_id}")
        assert fieldset.locator(".feedback-result").inner_text() == "Not quite right."
        assert "is-incorrect" in fieldset.get_attribute("class").split()
    if "fa-single" in first:  # the wrong option's own feedback is part of the review
        assert "111 is NHS 111." in visible_feedback(frame, "fa-single")
    if "fa-multiple" in first:
        assert ("Ignoring feelings, skipping breaks and extra shifts do not help."
                in visible_feedback(frame, "fa-multiple"))
    assert_recorded(session, data, responses, right=set())
    log = session.log()
    assert last_set(log, "cmi.core.lesson_status") == "failed"
    assert last_set(log, "cmi.core.score.raw") == "0"
    assert last_set(log, "cmi.core.exit") == "suspend", "an attempt is left, so the learner may come back"

    # Try again, by keyboard: a fresh, empty attempt.
    retry = results.get_by_role("button", name="Try again", exact=True)
    assert retry.is_visible()
    keys.activate("#final button[data-action='retry-assessment']")
    status_shows(frame, "A new attempt has started with a fresh set of questions.")
    # the page's h1 is the assessment's heading: "Final assessment" is not said twice
    assert frame.locator("#final h2", has_text="Final assessment").count() == 0
    assert frame.locator("#final").get_attribute("aria-labelledby") == "title-assessment"
    assert keys.has_focus("#title-assessment")
    assert results.is_hidden()
    assert frame.locator("#final button[data-action='submit-assessment']").is_visible()
    second = drawn(frame)
    assert len(second) == DRAW
    for question_id in second:
        fieldset = frame.locator(f"#{question_id}")
        assert fieldset.locator(".feedback").is_hidden()
        assert fieldset.locator("input:checked").count() == 0
        assert fieldset.locator("input:disabled, select:disabled, button:disabled").count() == 0
        assert all(v == "" for v in fieldset.locator("select, input[type=text]").evaluate_all(
            "(cs) => cs.map((c) => c.value)"))

    # Attempt 2 of 2: two right. The last attempt offers no retry.
    responses = answer_drawn(keys, data, right=2)
    keys.activate("#final button[data-action='submit-assessment']")
    scored = [q for q in second if data["questions"][q]["scored"]]
    score = 100 * 2 // len(scored)
    summary = f"You scored {score}% (2 of {len(scored)} correct). You need {PASS_MARK}% to pass."
    status_shows(frame, summary, "You have used all your attempts.")
    assert "You have used all your attempts." in results.inner_text()
    assert results.get_by_role("button", name="Try again").count() == 0
    assert_recorded(session, data, responses, right=set(scored[:2]))
    assert len(interactions(session.log())) == 2 * DRAW
    log = session.log()
    assert last_set(log, "cmi.core.lesson_status") == "failed"
    assert last_set(log, "cmi.core.score.raw") == str(score)
    assert last_set(log, "cmi.core.exit") == "", "no attempts left: the result is final"
    assert_strict(session)


def shown_order(frame, question_id: str) -> list[str]:
    """The option ids of a question in the order the learner sees them."""
    return frame.evaluate("""(id) => {
        const f = document.getElementById(id);
        const type = f.dataset.type;
        if (type === 'ordering') return [...f.querySelectorAll('ol.ordering li')].map((i) => i.dataset.item);
        if (type === 'matching') return [...f.querySelectorAll('select')].map((s) => s.dataset.item);
        return [...f.querySelectorAll('input[type=radio], input[type=checkbox]')].map((i) => i.value);
    }""", question_id)


def answer_state(frame, question_id: str) -> dict[str, Any]:
    """Everything the learner can see of a question's answer and layout."""
    return frame.evaluate("""(id) => {
        const f = document.getElementById(id);
        return {
            checked: [...f.querySelectorAll('input:checked')].map((i) => i.value),
            items: [...f.querySelectorAll('ol.ordering li')].map((li) => li.dataset.item),
            selects: [...f.querySelectorAll('select')].map((s) => [s.dataset.item, s.value,
                [...s.options].map((o) => o.textContent)]),
            text: [...f.querySelectorAll('input[type=text]')].map((i) => i.value),
            inputs: [...f.querySelectorAll('input')].map((i) => i.value),
        };
    }""", question_id)


def is_answered(state: dict[str, Any], question: dict[str, Any]) -> bool:
    """Whether an answer_state() shows the right answer that plan_answer() gives."""
    kind = question["type"]
    if kind in ("single", "true-false", "multiple"):
        return sorted(state["checked"]) == sorted(question["correct"])
    if kind == "likert":
        return state["checked"] == question["options"][-1:]
    if kind == "matching":
        pairs = ",".join(f"{item}.{value}" for item, value, _ in sorted(state["selects"]))
        return pairs == question["pattern"]
    if kind == "ordering":
        return state["items"] == question["options"]
    return state["text"] == question["accepted"][:1]


def test_assessment_draw_order_and_answers_survive_resume(every_block, lms_session):
    session, keys = launch(lms_session, every_block)
    frame = keys.frame
    data = runtime_data(frame)
    keys.open_page("assessment")
    ids = drawn(frame)
    for question_id in ids[:2]:
        kind, answer, _ = plan_answer(frame, data, question_id, True)
        enter_answer(keys, question_id, kind, answer)
    before = {question_id: answer_state(frame, question_id) for question_id in ids}
    saved = exit_module(keys)
    assert saved["core"]["lesson_location"] == "assessment"
    assert saved["core"]["exit"] == "suspend" and saved["core"]["lesson_status"] == "incomplete"
    assert interactions(session.log()) == [], "nothing is recorded before the assessment is submitted"
    assert_strict(session)

    again, keys = resume(lms_session, every_block, saved)
    frame = keys.frame
    assert current(frame) == "assessment"
    assert "Welcome back" in frame.locator("section.page.current .welcome-back").inner_text()
    assert drawn(frame) == ids, "the same questions, in the same order"
    after = {question_id: answer_state(frame, question_id) for question_id in ids}
    assert after == before, "the same option order, and the answers given so far"
    for question_id in ids[:2]:
        assert is_answered(after[question_id], data["questions"][question_id]), question_id
    for question_id in ids[2:]:
        state = after[question_id]
        assert not state["checked"] and not any(value for _, value, _ in state["selects"]) \
            and state["text"] in ([], [""]), f"{question_id} was not answered"
    # The resumed attempt can be finished: it is the same attempt, not a new one.
    answer_drawn(keys, data, right=None)
    keys.activate("#final button[data-action='submit-assessment']")
    status_shows(frame, "You scored 100%", "You passed")
    assert sorted(r["id"] for r in interactions(again.log())) == sorted(ids)
    assert_strict(again)


def test_options_are_shuffled_unless_shuffle_false(every_block, lms_session):
    """Each attempt shuffles the options of the drawn questions, except where the question says
    shuffle=false (and true/false and opinion scales, which keep their order); ordering items
    never start in the right order. The draw is random, so fresh attempts are started until one
    has drawn the shuffle=false question and one has shown a shuffled question."""
    fixed_seen = shuffled_seen = False
    for _ in range(12):
        session, keys = launch(lms_session, every_block)
        frame = keys.frame
        data = runtime_data(frame)
        assert data["questions"]["fa-fixed"]["shuffle"] is False
        for question_id in drawn(frame):
            question = data["questions"][question_id]
            if question["type"] == "text":
                continue  # its "options" are the accepted answers, never shown
            authored, shown = question["options"], shown_order(frame, question_id)
            assert sorted(shown) == sorted(authored)
            if question["type"] == "ordering":
                assert shown != authored, "ordering items must not start in the right order"
            elif question_id == "fa-fixed" or question["type"] in ("true-false", "likert"):
                assert shown == authored, f"{question_id} must keep the order it was written in"
            elif shown != authored:
                shuffled_seen = True
        if "fa-fixed" in drawn(frame):
            fixed_seen = True
            labels = frame.locator("#fa-fixed label").all_inner_texts()
            assert labels == ["About 5%", "About 10%", "About 29%", "About 60%"]
        session.close()
        if fixed_seen and shuffled_seen:
            break
    assert fixed_seen, "fa-fixed (shuffle=false) was never drawn in 12 attempts"
    assert shuffled_seen, "no drawn question had its options shuffled in 12 attempts"


def test_changing_a_choice_changes_where_next_goes(every_block, lms_session):
    """The learner may choose again before moving on: Next follows the latest choice, and the
    choice is recorded once, as first made."""
    session, keys = launch(lms_session, every_block)
    frame = keys.frame
    keys.open_page("decision")
    next_link = frame.locator("#page-decision .pagination a.next")
    for option, target in [("a", "quick-exit"), ("c", "gp-call"), ("b", "checks"), ("a", "quick-exit")]:
        keys.radio("fieldset#c-next-step", option)
        keys.activate("#c-next-step button[data-action='choose']")
        status_shows(frame, f"You chose: {CHOICE_LABELS[option]}.")
        assert next_link.get_attribute("href") == f"#page-{target}", f"after choosing {option}"
    keys.radio("fieldset#c-next-step", "b")
    keys.activate("#c-next-step button[data-action='choose']")
    status_shows(frame, f"You chose: {CHOICE_LABELS['b']}.")
    assert keys.next_page() == "checks"
    [record] = records_for(session, "c-next-step")
    assert record["student_response"] == "a"
    assert_strict(session)
