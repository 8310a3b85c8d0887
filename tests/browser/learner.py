"""A simulated learner for the browser tests: reads the package's runtime data and drives the SCO
like a person would (clicks, selects, typing), plus strict checks of what the SCO sent the LMS.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Frame

SUSPEND_LIMIT = 4096

TIMESPAN = re.compile(r"^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$")  # CMITimespan, as Moodle checks it
CLOCK = re.compile(r"^\d{2}:\d{2}:\d{2}(\.\d{1,2})?$")  # CMITime
IDENTIFIER = re.compile(r"^[\x21-\x7e]{1,255}$")  # CMIIdentifier: printable ASCII, no spaces
DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")
LETTERS = re.compile(r"^[a-z](,[a-z])*$")
RESPONSES = {
    "choice": LETTERS,
    "sequencing": LETTERS,
    "true-false": re.compile(r"^[tf]$"),
    "likert": re.compile(r"^[a-z]$"),
    "matching": re.compile(r"^[a-z]\.[0-9a-z](,[a-z]\.[0-9a-z])*$"),  # single-character targets
    "fill-in": re.compile(r"^.{0,255}$", re.S),
}
INTERACTION = re.compile(r"^cmi\.interactions\.(\d+)\.(.+)$")


def utf16_length(text: str) -> int:
    """A string's length as JavaScript and LMSs count it (UTF-16 units, not code points)."""
    return len(text.encode("utf-16-le")) // 2


def runtime_data(frame: Frame) -> dict[str, Any]:
    return json.loads(frame.locator("#elpack-data").text_content())


def current_page(frame: Frame) -> str:
    return frame.evaluate("document.querySelector('section.page.current').dataset.page")


def goto(frame: Frame, page_id: str) -> None:
    frame.evaluate("(id) => { location.hash = 'page-' + id }", page_id)
    frame.wait_for_function("(id) => document.querySelector('section.page.current').dataset.page === id",
                            arg=page_id)


def wait_for_message(frame: Frame, words: str) -> None:
    """Wait until a live region (the page's status or a block's own) announces ``words``."""
    frame.wait_for_function(
        """words => [...document.querySelectorAll('#elpack-status, .block-status')]
            .some((region) => region.textContent.includes(words))""", arg=words)


def click_next(frame: Frame) -> bool:
    """Select Next on the current page; False on the last page."""
    before = current_page(frame)
    link = frame.locator("section.page.current .pagination a.next")
    if link.count() == 0:
        return False
    link.click()
    frame.wait_for_function("(id) => document.querySelector('section.page.current').dataset.page !== id",
                            arg=before)
    return True


@dataclass
class Answers:
    """What the learner did, to compare with what the LMS recorded."""

    checks: list[str] = field(default_factory=list)
    reflections: dict[str, str] = field(default_factory=dict)
    choices: dict[str, str] = field(default_factory=dict)
    pages: list[str] = field(default_factory=list)
    drawn: list[str] = field(default_factory=list)


class Learner:
    def __init__(self, frame: Frame) -> None:
        self.frame = frame
        self.data = runtime_data(frame)
        self.done = Answers()

    # -- answering -------------------------------------------------------------------------

    def answer(self, question_id: str, correct: bool = True) -> None:
        """Answer a question right or wrong, through its controls."""
        question = self.data["questions"][question_id]
        frame = self.frame
        scope = f"fieldset#{question_id}"
        kind = question["type"]
        options = question["options"]
        if kind in ("single", "true-false", "likert"):
            right = question["correct"][0] if question["correct"] else options[0]
            choice = right if correct else next(o for o in options if o != right)
            frame.locator(f"{scope} input[value='{choice}']").check()
        elif kind == "multiple":
            right = set(question["correct"])
            wanted = right if correct else set(options) - right
            if not wanted:
                wanted = set(options)
            for option in options:
                box = frame.locator(f"{scope} input[value='{option}']")
                box.set_checked(option in wanted)
        elif kind == "matching":
            pairs = [pair.split(".") for pair in question["pattern"].split(",")]
            partners = [number for _, number in pairs]
            if not correct:
                partners = partners[1:] + partners[:1] if len(set(partners)) > 1 else partners
            for (item, _), number in zip(pairs, partners, strict=True):
                frame.select_option(f"{scope} select[data-item='{item}']", value=str(int(number, 36)))
            if not correct and len(set(partners)) == 1:
                raise AssertionError(f"cannot answer {question_id} wrongly")
        elif kind == "ordering":
            target = options if correct else list(reversed(options))
            self.order(question_id, target)
        elif kind == "text":
            text = question["accepted"][0] if correct else "not the answer"
            frame.fill(f"{scope} input[type=text]", text)
        else:
            raise AssertionError(f"unknown question type {kind}")

    def order(self, question_id: str, target: list[str]) -> None:
        """Put ordering items in ``target`` order with the Move up buttons."""
        scope = f"fieldset#{question_id} ol.ordering"
        for position, item in enumerate(target):
            while True:
                now = self.frame.eval_on_selector_all(f"{scope} > li", "lis => lis.map(i => i.dataset.item)")
                if now.index(item) <= position:
                    break
                self.frame.locator(f"{scope} > li[data-item='{item}'] > button[data-action='up']").click()

    def check(self, question_id: str, correct: bool = True) -> str:
        """Answer a knowledge check and select its Check button; returns the feedback shown."""
        self.answer(question_id, correct)
        self.frame.locator(f"fieldset#{question_id} button[data-action='check']").click()
        scope = f"fieldset#{question_id}"
        # An opinion question may have only per-option feedback, and no result line.
        self.frame.locator(f"{scope} .feedback-result:not([hidden]), "
                           f"{scope} .option-feedback:not([hidden])").first.wait_for(state="visible")
        feedback = self.frame.locator(f"{scope} .feedback")
        if question_id not in self.done.checks:
            self.done.checks.append(question_id)
        return feedback.inner_text()

    def reflect(self, reflection_id: str, text: str) -> None:
        self.frame.fill(f"#{reflection_id}-answer", text)
        self.frame.locator(f"#{reflection_id} button[data-action='save-reflection']").click()
        self.done.reflections[reflection_id] = text

    def choose(self, choice_id: str, option: str | None = None) -> str:
        """Make a branching choice (default: the first option that leads to a page)."""
        targets = next(c["targets"] for c in self.data["choices"] if c["id"] == choice_id)
        option = option or next((o for o, t in targets.items() if t), next(iter(targets)))
        self.frame.locator(f"fieldset#{choice_id} input[value='{option}']").check()
        self.frame.locator(f"fieldset#{choice_id} button[data-action='choose']").click()
        self.done.choices[choice_id] = option
        return option

    # -- the assessment -----------------------------------------------------------------------

    def drawn(self) -> list[str]:
        """Ids of the assessment questions shown in this attempt, in order."""
        assessment = self.data["assessment"]["id"]
        return self.frame.eval_on_selector_all(
            f"#{assessment} fieldset[data-question]:not([hidden])", "sets => sets.map(s => s.id)")

    def take_assessment(self, right: int | None = None) -> list[str]:
        """Answer the drawn questions (the first ``right`` of them correctly; all if None) and submit."""
        drawn = self.drawn()
        for index, question_id in enumerate(drawn):
            self.answer(question_id, correct=right is None or index < right)
        self.frame.locator("button[data-action='submit-assessment']").click()
        self.frame.locator(".results").wait_for(state="visible")
        return drawn

    # -- walking the module -------------------------------------------------------------------

    def walk(self, *, checks_right: bool = True, reflect: bool = True, choose: bool = True,
             assessment_right: int | None = None, stop_at: str | None = None) -> None:
        """Go through the module from the current page with Next, doing each page's activities
        (the assessment with ``assessment_right`` right answers, all if None), until the last page
        or ``stop_at``. The drawn questions are kept in ``self.done.drawn``."""
        while True:
            page = current_page(self.frame)
            self.done.pages.append(page)
            if page == stop_at:
                return
            self.do_page(checks_right=checks_right, reflect=reflect, choose=choose)
            if self.frame.locator("section.page.current [data-assessment]").count():
                self.done.drawn = self.take_assessment(assessment_right)
            if not click_next(self.frame):
                return

    def do_page(self, *, checks_right: bool = True, reflect: bool = True, choose: bool = True) -> None:
        scope = "section.page.current"
        for question_id in self.frame.eval_on_selector_all(
                f"{scope} fieldset[data-question]:not(.assessment fieldset)", "s => s.map(f => f.id)"):
            self.check(question_id, checks_right)
        if reflect:
            for reflection_id in self.frame.eval_on_selector_all(
                    f"{scope} [data-reflection]", "s => s.map(r => r.dataset.reflection)"):
                self.reflect(reflection_id, f"My reflection for {reflection_id}: I would listen first.")
        if choose:
            for choice_id in self.frame.eval_on_selector_all(f"{scope} fieldset[data-choice]",
                                                             "s => s.map(f => f.id)"):
                self.choose(choice_id)


# -- strict checks of what the SCO sent ---------------------------------------------------------


def strict_problems(log: list[dict[str, Any]]) -> list[str]:
    """Every way the SCO's calls break SCORM 1.2 as strict LMSs (Moodle) enforce it."""
    problems: list[str] = []
    types: dict[str, str] = {}
    seen_indexes: list[int] = []
    initialised = finished = 0
    for entry in log:
        method, args, error = entry["method"], entry["args"], entry["error"]
        if finished and method not in ("LMSGetLastError", "LMSGetErrorString", "LMSGetDiagnostic"):
            problems.append(f"{method}{args} after LMSFinish")
        if method == "LMSInitialize":
            initialised += 1
        elif method == "LMSFinish":
            finished += 1
        if method == "LMSSetValue":
            if error != "0":
                problems.append(f"SetValue {args} failed with error {error}")
            problems.extend(_value_problems(args[0], args[1], types, seen_indexes))
    if initialised != 1:
        problems.append(f"LMSInitialize called {initialised} times")
    if finished > 1:
        problems.append(f"LMSFinish called {finished} times")
    if seen_indexes != list(range(len(seen_indexes))):
        problems.append(f"interaction indexes are not sequential: {seen_indexes}")
    return problems


def _value_problems(name: str, value: str, types: dict[str, str], seen_indexes: list[int]) -> list[str]:
    def bad(why: str) -> list[str]:
        return [f"{name} = {value!r}: {why}"]

    if name == "cmi.core.lesson_status":
        return [] if value in ("incomplete", "completed", "passed", "failed") else bad("not a status we set")
    if name in ("cmi.core.score.raw", "cmi.core.score.min", "cmi.core.score.max"):
        return [] if DECIMAL.match(value) and 0 <= float(value) <= 100 else bad("not a percentage")
    if name == "cmi.core.lesson_location":
        return [] if len(value) <= 255 else bad("longer than 255")
    if name == "cmi.suspend_data":
        size = utf16_length(value)
        return [] if size <= SUSPEND_LIMIT else bad(f"{size} characters, over 4096")
    if name == "cmi.core.session_time":
        return [] if TIMESPAN.match(value) else bad("not HHHH:MM:SS.SS")
    if name == "cmi.core.exit":
        return [] if value in ("suspend", "") else bad("not suspend or empty")
    match = INTERACTION.match(name)
    if not match:
        return bad("an element the runtime should not set")
    index, field_name = int(match.group(1)), match.group(2)
    if index not in seen_indexes:
        seen_indexes.append(index)
    if field_name == "id":
        return [] if IDENTIFIER.match(value) else bad("not a CMIIdentifier")
    if field_name == "type":
        types[str(index)] = value
        return [] if value in RESPONSES else bad("not an interaction type")
    if field_name in ("student_response", "correct_responses.0.pattern"):
        kind = types.get(str(index))
        if kind is None:
            return bad("set before the interaction's type")
        return [] if RESPONSES[kind].match(value) else bad(f"not a {kind} response")
    if field_name == "result":
        return [] if value in ("correct", "wrong", "neutral") else bad("not correct/wrong/neutral")
    if field_name == "weighting":
        return [] if DECIMAL.match(value) else bad("not a decimal")
    if field_name == "latency":
        return [] if TIMESPAN.match(value) else bad("not a CMITimespan")
    if field_name == "time":
        return [] if CLOCK.match(value) else bad("not a CMITime")
    return bad("an interaction field the runtime should not set")


# SetValue as SCORM 1.2 and SCORM 2004 name it: interactions() and last_set() read either log.
SET_VALUE = ("LMSSetValue", "SetValue")


def interactions(log: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The interaction records the SCO set, in index order: [{id, type, result, ...}]."""
    records: dict[int, dict[str, str]] = {}
    for entry in log:
        if entry["method"] not in SET_VALUE:
            continue
        match = INTERACTION.match(entry["args"][0])
        if match:
            records.setdefault(int(match.group(1)), {})[match.group(2)] = entry["args"][1]
    return [records[index] for index in sorted(records)]


def last_set(log: list[dict[str, Any]], name: str) -> str | None:
    values = [e["args"][1] for e in log if e["method"] in SET_VALUE and e["args"][0] == name]
    return values[-1] if values else None
