"""The accessibility gate: both example modules, in both built-in themes, in headless Chromium.

- axe-core (WCAG 2.2 A and AA rules) finds nothing on any page or in any state the runtime
  creates: question feedback (right and wrong), branching consequences, assessment results
  (failed and passed), the filled-in reflective log, open glossary definitions, the standalone
  banner, the welcome-back note, the save-failure alert and the exit note;
- a keyboard-only learner (Tab, Shift+Tab, Enter, Space, arrow keys and typing; never the
  mouse) can get through a whole module, starting with the skip link, and every element that
  takes focus on the way shows a visible focus indicator;
- each page's visible headings start at h1 and skip no level, document.title names the page,
  and <html lang> is the module's language;
- pages reflow at 320 CSS pixels (400% zoom of a 1280 pixel window) without sideways scrolling.

It also saves screenshots (story page, question with feedback, results; 375 and 1280 pixels
wide) to build/screenshots/ for a person to look at. One LMS session per module and theme walks
through all the states, so the file stays quick.
"""

from __future__ import annotations

import itertools
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from elpack.cli import cli

from .conftest import EXAMPLE_MODULES, EXAMPLES, REPO, THEMES, format_violations, with_theme
from .learner import Learner, click_next, current_page, goto

SCREENSHOTS = REPO / "build" / "screenshots"
KITCHEN_SINK = "kitchen-sink"  # every block and Markdown feature the examples do not use

HIDDEN_PAGES = {"exclude": [["section.page:not(.current)"]]}
COMBINATIONS = [(module, theme) for module in [*EXAMPLE_MODULES, KITCHEN_SINK] for theme in THEMES]


def _id(value: Any) -> str:
    return "-".join(value) if isinstance(value, tuple) else str(value)


# ---------------------------------------------------------------------------------------------
# Packages: the example modules as they are (nhs) and copied with 'theme: plain'; a small module
# with everything else.

KITCHEN_SINK_FILES = {
    "module.yml": """
        id: kitchen-sink
        title: Every block in one module
        description: The blocks and Markdown that the example modules do not use.
        version: "1.0.0"
        language: en-GB
        duration_minutes: 5
        theme: nhs
        theme_options:
          organisation: Anytown NHS Trust
          logo: media/logo.svg
        characters:
          - id: sam
            name: Sam Okoro
            role: Paramedic
        glossary:
          triage: Sorting patients by how urgently they need care.
    """,
    "pages/01-text.md": """
        # Text and tables

        A lead paragraph with **bold**, *italics*, a [web link](https://www.nhs.uk/) and
        [[triage]].[^1]

        | Stage | What to ask | Example from practice | Who to tell |
        |---|---|---|---|
        | Description | What happened? What did I do? | A 999 call at 2am from a man alone | Team leader |
        | Feelings | What was I thinking and feeling? | Irritation, then guilt | Supervisor |

        Triage
        :   Sorting patients by urgency.

        The HIU service meets every week.

        *[HIU]: High intensity use

        [^1]: A footnote.

        ## Do and don't

        Do
        {: .do }

        - ask "what has changed?"
        - check the notes from earlier calls

        Don't
        {: .dont }

        - assume it is "the usual"

        ::: key-point
        A key point.
        :::

        ::: warning {title="Before you start"}
        Some content may be upsetting.
        :::

        ::: tip
        Ask one open question first.
        :::

        ::: signpost
        Call **NHS 111** or, in an emergency, **999**.
        :::

        ::: summary
        - Reflection is a skill.
        :::

        ::: references
        1. Schön, D. (1983) *The Reflective Practitioner*.
        :::
    """,
    "pages/02-media.md": """
        # Video and audio

        ::: video {src="media/clip.mp4" captions="media/clip.vtt" title="A short clip"}
        **Sam:** Evening. What has happened tonight?
        :::

        ::: audio {src="media/clip.wav" captions="media/clip.vtt" title="Sam on night calls"}
        :::

        ::: audio {src="media/clip.wav"}
        **Sam:** A second clip, with a transcript only.
        :::
    """,
    "pages/03-choice.md": """
        # Choices and questions

        ::: choice {#c-inline}
        What would you say first?

        - "You're fine, see your GP."
          > He nods, but calls again the next night.
        - "How have you been since Jean died?"
          > He starts to talk.
        :::

        ::: question {#kc-formatted}
        According to the report *Nowhere else to turn*, which is **most** likely?

        - [x] Loneliness
          > Yes.
        - [ ] Boredom
          > No.

        Correct: Well done.
        Incorrect: Not quite.
        :::

        ::: question {#kc-long-prompt}
        Read this first.

        - Sam sees Mr Price three times a week.
        - The calls are at night.

        What is most likely?

        - [x] Loneliness
        - [ ] Boredom
        :::
    """,
}
KITCHEN_SINK_MEDIA = {
    "media/clip.mp4": b"not really a video",
    "media/clip.vtt": (b"WEBVTT\n\n1\n00:00.000 --> 00:00.500\n<v Sam Okoro>Nights are\n\n"
                       b"00:00.500 --> 00:01.000\n<v Sam Okoro>the hardest.\n"),
    "media/logo.svg": (b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" '
                       b'viewBox="0 0 120 40"><rect width="120" height="40" fill="#fff"/>'
                       b'<text x="8" y="27" font-size="18" fill="#005eb8">Anytown</text></svg>'),
}


def _silent_wav() -> bytes:
    import io
    import wave

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(1)
        sound.setframerate(8000)
        sound.writeframes(b"\x80" * 8000)
    return buffer.getvalue()


def _write_kitchen_sink(root: Path, theme: str) -> Path:
    for name, text in KITCHEN_SINK_FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = textwrap.dedent(text).lstrip("\n")
        path.write_text(with_theme(text, theme) if name == "module.yml" else text, encoding="utf-8")
    (root / "media").mkdir()
    for name, content in {**KITCHEN_SINK_MEDIA, "media/clip.wav": _silent_wav()}.items():
        (root / name).write_bytes(content)
    return root


@pytest.fixture(scope="module")
def packages(themed_packages, tmp_path_factory) -> dict[tuple[str, str], Path]:
    """{(module, theme): zip}: the examples in both themes (``themed_packages``), and the
    kitchen-sink module in both, built with the CLI."""
    found = dict(themed_packages)
    work = tmp_path_factory.mktemp("a11y")
    for theme in THEMES:
        source = _write_kitchen_sink(work / theme / "src" / KITCHEN_SINK, theme)
        out = work / theme / "out"
        result = CliRunner().invoke(cli, ["build", str(source), "-o", str(out)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        found[(KITCHEN_SINK, theme)] = out / f"{KITCHEN_SINK}-scorm12.zip"
    return found


# ---------------------------------------------------------------------------------------------
# Helpers run in the SCO's frame

HEADINGS_JS = """
(page) => [...page.querySelectorAll('h1, h2, h3, h4, h5, h6')]
  .filter((h) => h.getClientRects().length > 0)
  .map((h) => [Number(h.tagName[1]), h.textContent.replace(/\\s+/g, ' ').trim().slice(0, 60)])
"""


def heading_problems(frame) -> list[str]:
    """Skipped levels among the current page's visible headings, which must start with its h1."""
    page = frame.locator("section.page.current")
    headings = page.evaluate(HEADINGS_JS)
    problems = []
    if not headings or headings[0][0] != 1:
        problems.append(f"the page does not start with an h1: {headings[:2]}")
    for (before, _), (level, text) in itertools.pairwise(headings):
        if level > before + 1:
            problems.append(f"h{level} '{text}' follows an h{before}")
    return problems


def module_language(module: str) -> str:
    if module == KITCHEN_SINK:
        return "en-GB"
    return yaml.safe_load((EXAMPLES[module] / "module.yml").read_text(encoding="utf-8"))["language"]


def real_errors(session) -> list[str]:
    """The session's errors, less Chromium aborting a media request once it has the metadata."""
    return [e for e in session.errors if not (e.startswith("request failed") and "ERR_ABORTED" in e
                                              and re.search(r"\.(mp3|mp4|m4a|wav|ogg|webm|vtt) ", e))]


def open_terms(frame) -> None:
    """Open every glossary definition on the current page (the runtime's disclosure buttons)."""
    buttons = frame.locator("section.page.current button.term[aria-expanded='false']")
    for _ in range(buttons.count()):
        buttons.nth(0).click()


class Checker:
    """Runs axe and the structural checks in one session, collecting problems by state."""

    def __init__(self, session, frame, label: str) -> None:
        self.session = session
        self.frame = frame
        self.label = label
        self.problems: list[str] = []
        self.runs = 0

    def axe(self, state: str) -> None:
        # The whole document once (ids, landmarks); then only what is shown, which is quicker:
        # the other pages are display: none, so axe has nothing to say about them.
        context = HIDDEN_PAGES if self.runs else None
        self.runs += 1
        violations = self.session.run_axe(self.frame, context=context)
        if violations:
            self.problems.append(f"[{self.label}] {state}:\n{format_violations(violations)}")

    def page(self, state: str, data: dict[str, Any]) -> None:
        page_id = current_page(self.frame)
        title = next(p["title"] for p in data["pages"] if p["id"] == page_id)
        if title not in self.frame.title():
            self.problems.append(f"[{self.label}] {state}: document.title {self.frame.title()!r} "
                                 f"does not name the page {title!r}")
        self.problems.extend(f"[{self.label}] {state}: {p}" for p in heading_problems(self.frame))

    def assert_clean(self) -> None:
        assert not self.problems, "\n".join(self.problems)


# ---------------------------------------------------------------------------------------------
# axe on every page and state


@pytest.mark.parametrize(("module", "theme"), COMBINATIONS, ids=_id)
def test_every_page_and_state_passes_axe(module, theme, packages, lms_session):
    session = lms_session(packages[(module, theme)])
    _, frame = session.launch()
    assert frame.evaluate("document.documentElement.lang") == module_language(module)
    learner = Learner(frame)
    data = learner.data
    check = Checker(session, frame, f"{module}/{theme}")
    visited: set[str] = set()
    branch_pages = [p["id"] for p in data["pages"] if p["branch"]]
    scope = "section.page.current"
    while True:
        page_id = current_page(frame)
        visited.add(page_id)
        open_terms(frame)
        checks = frame.eval_on_selector_all(f"{scope} fieldset[data-question]:not(.assessment fieldset)",
                                            "s => s.map(f => f.id)")
        wrongable = [q for q in checks if data["questions"][q]["type"] != "likert"]
        if wrongable:
            for question_id in wrongable:
                learner.check(question_id, correct=False)
            check.axe(f"{page_id}: questions answered wrongly")
        learner.do_page()
        check.page(page_id, data)
        check.axe(f"{page_id}: {'questions answered rightly, ' if checks else ''}terms open")
        if frame.locator(f"{scope} [data-assessment]").count():
            frame.locator(f"{scope} button[data-action='submit-assessment']").click()
            frame.locator(f"{scope} .error-summary").wait_for()
            check.axe(f"{page_id}: submitted unanswered (error summary)")
            learner.take_assessment(right=0)
            check.page(f"{page_id} failed", data)
            check.axe(f"{page_id}: assessment failed")
            frame.locator("button[data-action='retry-assessment']").click()
            learner.take_assessment()
            check.page(f"{page_id} passed", data)
            check.axe(f"{page_id}: assessment passed")
        link = frame.locator(f"{scope} .pagination a.next")
        if not link.count():
            break
        link.click()
        frame.wait_for_function("(id) => document.querySelector('section.page.current').dataset.page !== id",
                                arg=page_id)
    assert frame.locator("#elpack-log .log-entry").count() == len(data["reflections"])
    # Consequence pages the learner's choices did not lead to.
    for page_id in branch_pages:
        if page_id not in visited:
            goto(frame, page_id)
            open_terms(frame)
            check.page(page_id, data)
            check.axe(f"{page_id}: consequence page")
    check.assert_clean()


# ---------------------------------------------------------------------------------------------
# The notes the runtime adds: standalone banner, welcome back, save failure, exit


@pytest.mark.parametrize(("module", "theme"), [c for c in COMBINATIONS if c[0] != KITCHEN_SINK], ids=_id)
def test_runtime_notes_pass_axe(module, theme, packages, lms_session, browser):
    zip_path = packages[(module, theme)]
    problems: list[str] = []

    def axe(session, frame, state: str) -> None:
        violations = session.run_axe(frame, context=HIDDEN_PAGES)
        if violations:
            problems.append(f"[{module}/{theme}] {state}:\n{format_violations(violations)}")

    # Save failure: the alert.
    failing = lms_session(zip_path)
    _, frame = failing.launch(commit_fails=True)
    click_next(frame)
    click_next(frame)
    frame.locator("#elpack-alert").wait_for(state="visible", timeout=8000)
    axe(failing, frame, "save-failure alert")

    # A learner leaves on the third page and comes back: the welcome-back note; the exit note.
    first = lms_session(zip_path)
    _, frame = first.launch()
    click_next(frame)
    click_next(frame)
    stop = current_page(frame)
    saved = frame.evaluate("window.elpack.suspendData()")
    frame.locator("#elpack-exit").click()
    frame.locator(".exit-note").wait_for()
    axe(first, frame, "exit note")
    again = lms_session(zip_path)
    _, frame = again.launch({"core": {"entry": "resume", "lesson_location": stop}, "suspend_data": saved})
    frame.locator("section.page.current .welcome-back").wait_for()
    axe(again, frame, "welcome-back note")

    # The LMS opens a failed attempt for review, or a preview (browse): the notice at the top, and
    # the assessment that cannot be taken.
    for mode, status in (("review", "failed"), ("browse", "not attempted")):
        viewing = lms_session(zip_path)
        _, frame = viewing.launch({"core": {"lesson_mode": mode, "lesson_status": status}})
        frame.locator(".mode-notice").wait_for()
        axe(viewing, frame, f"{mode} mode notice")
        assessment = Learner(frame).data["assessment"]
        if assessment:
            goto(frame, frame.evaluate("(id) => document.getElementById(id).closest('.page').dataset.page",
                                       assessment["id"]))
            axe(viewing, frame, f"{mode} mode assessment")

    # No LMS: the standalone banner.
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(again.site.url("package/index.html"))
        page.locator(".standalone-banner").wait_for()
        axe(again, page.main_frame, "standalone banner")
    finally:
        context.close()
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------------------------
# Keyboard only, with a visible focus indicator on everything that takes focus

# Records every focus change: what got focus, whether its outline or box-shadow changed from
# how the same element looks unfocused (a shallow clone beside it, which cannot have focus) and
# its size. Script-only targets (headings and main, tabindex=-1) are left out.
WATCH_FOCUS_JS = """
() => {
  if (window.focusLog) return;
  window.focusLog = [];
  const NATIVE = /^(A|BUTTON|INPUT|SELECT|TEXTAREA|SUMMARY)$/;
  const look = (style) => ({
    outline: style.outlineStyle === 'none' || parseFloat(style.outlineWidth) === 0 ||
      /^(transparent|rgba\\(.*, 0\\))$/.test(style.outlineColor) ? '' :
      `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
    shadow: style.boxShadow === 'none' ? '' : style.boxShadow,
  });
  document.addEventListener('focusin', (event) => {
    const element = event.target;
    if (element.getAttribute('tabindex') === '-1' && !NATIVE.test(element.tagName)) return;
    const focused = look(getComputedStyle(element));
    const clone = element.cloneNode(false);
    clone.removeAttribute('id');
    clone.removeAttribute('name');
    element.after(clone);
    const plain = look(getComputedStyle(clone));
    clone.remove();
    // Design-system radios and checkboxes (NHS.UK) hide the native control and draw it, and its
    // focus ring, on the label's ::before: compare that with an unfocused copy too.
    const label = element.tagName === 'INPUT' && element.nextElementSibling &&
      element.nextElementSibling.tagName === 'LABEL' ? element.nextElementSibling : null;
    let drawn = false;
    if (label) {
      const mark = look(getComputedStyle(label, '::before'));
      const copy = element.cloneNode(false);
      const copyLabel = label.cloneNode(false);
      copy.removeAttribute('id');
      copy.removeAttribute('name');
      copyLabel.removeAttribute('for');
      label.after(copy, copyLabel);
      const plainMark = look(getComputedStyle(copyLabel, '::before'));
      copy.remove();
      copyLabel.remove();
      drawn = Boolean((mark.outline && mark.outline !== plainMark.outline) ||
                      (mark.shadow && mark.shadow !== plainMark.shadow));
    }
    const box = (label || element).getBoundingClientRect();
    const page = element.closest('section.page');
    window.focusLog.push({
      what: element.tagName.toLowerCase() +
        (element.className ? '.' + String(element.className).trim().replace(/\\s+/g, '.') : '') +
        (element.type && element.tagName === 'INPUT' ? `[type=${element.type}]` : '') +
        ` "${(element.textContent || element.value || '').replace(/\\s+/g, ' ').trim().slice(0, 50)}"`,
      page: page ? page.dataset.page : '(outside the pages)',
      visible: drawn || Boolean((focused.outline && focused.outline !== plain.outline) ||
                                (focused.shadow && focused.shadow !== plain.shadow)),
      size: [Math.round(box.width), Math.round(box.height)],
      focused, plain,
    });
  }, true);
}
"""

# 0 if the focused element matches the selector; else 1 if the first visible match comes later
# in the document (so Tab moves towards it), -1 if earlier; null if nothing matches.
WHERE_JS = """
(selector) => {
  const active = document.activeElement;
  if (active && active.matches(selector)) return 0;
  const target = [...document.querySelectorAll(selector)].find((e) => e.getClientRects().length);
  if (!target) return null;
  if (!active || active === document.body) return 1;
  return active.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING ? 1 : -1;
}
"""

ACTIVE_JS = """
() => { const a = document.activeElement;
  return a ? a.outerHTML.slice(0, 120) : null; }
"""


class KeyboardLearner:
    """A learner who uses only the keyboard: page.keyboard on the LMS page, whose focus is in
    the SCO's frame. The frame is only read (where focus is, what is shown), never clicked."""

    def __init__(self, session, frame) -> None:
        self.keys = session.page.keyboard
        self.frame = frame
        self.data = Learner(frame).data
        self.presses = 0

    def press(self, key: str) -> None:
        self.presses += 1
        self.keys.press(key)

    def active(self) -> str:
        return self.frame.evaluate(ACTIVE_JS)

    def is_active(self, selector: str) -> bool:
        return self.frame.evaluate("(s) => Boolean(document.activeElement?.matches(s))", selector)

    def focus(self, selector: str, limit: int = 300) -> None:
        """Tab, or Shift+Tab, until an element matching ``selector`` has focus."""
        for _ in range(limit):
            where = self.frame.evaluate(WHERE_JS, selector)
            if where == 0:
                return
            if where is None:
                raise AssertionError(f"nothing visible matches {selector}")
            self.press("Tab" if where > 0 else "Shift+Tab")
        raise AssertionError(f"Tab never reached {selector}; focus is on {self.active()}")

    # -- controls ------------------------------------------------------------------------------

    def radio(self, scope: str, value: str) -> None:
        """Tab into a radio group, then arrow keys (which select as they move) and Space."""
        self.focus(f"{scope} input[type=radio]")
        values = self.frame.eval_on_selector_all(f"{scope} input[type=radio]", "rs => rs.map(r => r.value)")
        for _ in range(2 * len(values) + 2):
            now, checked = self.frame.evaluate("() => [document.activeElement.value, "
                                               "document.activeElement.checked]")
            if now == value and checked:
                return
            if now == value:
                self.press("Space")
            else:
                self.press("ArrowDown" if values.index(value) > values.index(now) else "ArrowUp")
        raise AssertionError(f"could not select {value} in {scope} with the arrow keys")

    def checkboxes(self, scope: str, wanted: set[str]) -> None:
        values = self.frame.eval_on_selector_all(f"{scope} input[type=checkbox]", "s => s.map(b => b.value)")
        for value in values:
            self.focus(f"{scope} input[type=checkbox][value='{value}']")
            if self.frame.evaluate("() => document.activeElement.checked") != (value in wanted):
                self.press("Space")

    def select(self, selector: str, value: str) -> None:
        self.focus(selector)
        for _ in range(40):
            now, values = self.frame.evaluate(
                "() => [document.activeElement.value, [...document.activeElement.options].map(o => o.value)]")
            if now == value:
                return
            self.press("ArrowDown" if values.index(value) > values.index(now) else "ArrowUp")
        raise AssertionError(f"could not choose {value} in {selector} with the arrow keys")

    def type_into(self, selector: str, text: str) -> None:
        self.focus(selector)
        self.keys.type(text)

    def activate(self, selector: str, key: str = "Enter") -> None:
        self.focus(selector)
        self.press(key)

    def items(self, scope: str) -> list[str]:
        return self.frame.eval_on_selector_all(f"{scope} ol.ordering li", "s => s.map(i => i.dataset.item)")

    def status_says(self, words: str) -> None:
        self.frame.wait_for_function("(words) => [...document.querySelectorAll('#elpack-status, "
                                     ".block-status')].map((r) => r.textContent).join(' ')"
                                     ".includes(words)", arg=words)

    # -- activities ----------------------------------------------------------------------------

    def answer(self, question_id: str) -> None:
        question = self.data["questions"][question_id]
        scope = f"fieldset#{question_id}"
        kind = question["type"]
        if kind in ("single", "true-false", "likert"):
            self.radio(scope, question["correct"][0] if question["correct"] else question["options"][0])
        elif kind == "multiple":
            self.checkboxes(scope, set(question["correct"]))
        elif kind == "matching":
            for pair in question["pattern"].split(","):
                item, number = pair.split(".")
                self.select(f"{scope} select[data-item='{item}']", number)
        elif kind == "ordering":
            for position, item in enumerate(question["options"]):
                now = self.items(scope)
                moves = now.index(item) - position
                if moves > 0:
                    self.focus(f"{scope} li[data-item='{item}'] button[data-action='up']")
                    for _ in range(moves):
                        self.press("Enter")
            now = self.items(scope)
            assert now == question["options"], f"{question_id}: the keyboard left the items as {now}"
        elif kind == "text":
            self.type_into(f"{scope} input[type=text]", question["accepted"][0])
        else:
            raise AssertionError(f"unknown question type {kind}")

    def do_page(self, page_id: str) -> None:
        scope = "section.page.current"
        frame = self.frame
        if frame.locator(f"{scope} button.term").count():
            term = f"{scope} button.term"
            self.activate(term)
            assert frame.locator(term).first.get_attribute("aria-expanded") == "true"
            assert frame.locator(f"{scope} .term-definition:not([hidden])").count() == 1
            self.press("Enter")
            assert frame.locator(term).first.get_attribute("aria-expanded") == "false"
        for question_id in frame.eval_on_selector_all(
                f"{scope} fieldset[data-question]:not(.assessment fieldset)", "s => s.map(f => f.id)"):
            self.answer(question_id)
            self.activate(f"fieldset#{question_id} button[data-action='check']", key="Space")
            frame.locator(f"fieldset#{question_id} :is(.feedback-result, .option-feedback):not([hidden])"
                          ).first.wait_for()
            if self.data["questions"][question_id]["type"] != "likert":
                assert frame.locator(f"fieldset#{question_id}.is-correct").count(), question_id
        for reflection_id in frame.eval_on_selector_all(f"{scope} [data-reflection]",
                                                        "s => s.map(r => r.dataset.reflection)"):
            self.type_into(f"#{reflection_id}-answer", "I would sit down and listen first.")
            self.activate(f"#{reflection_id} button[data-action='save-reflection']")
            self.status_says("saved")
        for choice_id in frame.eval_on_selector_all(f"{scope} fieldset[data-choice]",
                                                    "s => s.map(f => f.id)"):
            targets = next(c["targets"] for c in self.data["choices"] if c["id"] == choice_id)
            option = next((o for o, t in targets.items() if t), next(iter(targets)))
            self.radio(f"fieldset#{choice_id}", option)
            self.activate(f"fieldset#{choice_id} button[data-action='choose']")
            self.status_says("You chose")
        if frame.locator(f"{scope} [data-assessment]").count():
            drawn = frame.eval_on_selector_all(
                f"{scope} [data-assessment] fieldset[data-question]:not([hidden])", "s => s.map(f => f.id)")
            for question_id in drawn:
                self.answer(question_id)
            self.activate(f"{scope} button[data-action='submit-assessment']")
            frame.locator(f"{scope} .results").wait_for()
            assert "You scored 100%" in frame.locator(f"{scope} .results").inner_text()
            assert self.is_active(".results-title"), f"focus is on {self.active()} after submitting"

    def next_page(self) -> bool:
        scope = "section.page.current"
        if not self.frame.locator(f"{scope} .pagination a.next").count():
            return False
        before = self.frame.evaluate("() => document.querySelector('section.page.current').dataset.page")
        self.activate(f"{scope} .pagination a.next")
        self.frame.wait_for_function(
            "(id) => document.querySelector('section.page.current').dataset.page !== id", arg=before)
        assert self.is_active("section.page.current h1"), f"focus is on {self.active()} on the new page"
        return True


# The focus styles are the same for every module, so plain is walked through one module only.
@pytest.mark.parametrize(("module", "theme"), [(module, "nhs") for module in EXAMPLE_MODULES] +
                         [("frequent-attenders", "plain")], ids=_id)
def test_keyboard_only_journey_with_visible_focus(module, theme, packages, lms_session):
    session = lms_session(packages[(module, theme)])
    _, frame = session.launch()
    frame.evaluate(WATCH_FOCUS_JS)
    keyboard = KeyboardLearner(session, frame)

    # The first Tab lands on the skip link; Tab goes on through the header and the contents.
    keyboard.press("Tab")
    assert keyboard.is_active("a.skip-link"), f"the first Tab went to {keyboard.active()}"
    assert frame.evaluate("document.activeElement.textContent.trim()") == "Skip to content"
    keyboard.focus("section.page.current .pagination a.next")
    # Back up with Shift+Tab, then Enter on the skip link moves focus to the main content.
    keyboard.focus("a.skip-link")
    keyboard.press("Enter")
    frame.wait_for_function("() => document.activeElement.id === 'elpack-main'")

    pages = []
    while True:
        page_id = frame.evaluate("() => document.querySelector('section.page.current').dataset.page")
        pages.append(page_id)
        keyboard.do_page(page_id)
        if not keyboard.next_page():
            break
    # The last page: Tab on to its last control (the reflective log's buttons).
    keyboard.focus("section.page.current [data-action='download-log']")

    main_line = [p["id"] for p in keyboard.data["pages"] if not p["branch"]]
    assert set(main_line) <= set(pages)
    assert any(p["branch"] for p in keyboard.data["pages"] if p["id"] in pages)
    status = frame.evaluate("window.elpack.status()")
    assert status == "passed", status
    log = frame.evaluate("window.focusLog")
    hidden = [entry for entry in log if not entry["visible"]]
    tiny = [entry for entry in log if min(entry["size"]) < 2]
    kinds = {entry["what"].split(" ")[0] for entry in log}
    assert {"a.skip-link", "a.next"} <= kinds, kinds
    # the nhs theme adds the design system's classes: button.button.nhsuk-button, input.nhsuk-radios__input
    assert any(kind.startswith("button.button") for kind in kinds), kinds
    assert any(kind.startswith("input") and kind.endswith("[type=radio]") for kind in kinds), kinds
    assert not hidden, "no visible focus indicator on:\n" + "\n".join(
        f"  {e['page']}: {e['what']} focused {e['focused']} unfocused {e['plain']}" for e in hidden)
    assert not tiny, "focus on an element too small to see:\n" + "\n".join(
        f"  {e['page']}: {e['what']} {e['size']}" for e in tiny)
    assert not real_errors(session), real_errors(session)


# ---------------------------------------------------------------------------------------------
# Reflow at 320 CSS pixels, and screenshots


WIDE_JS = """() => [...document.querySelectorAll('section.page.current *, header *')]
  .filter((e) => e.getBoundingClientRect().right > 321 && !e.closest('.table-scroll'))
  .slice(0, 3).map((e) => e.outerHTML.slice(0, 80))"""


def standalone_page(browser, site_url: str, width: int, height: int = 800):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(site_url)
    page.locator(".standalone-banner").wait_for()
    return context, page


@pytest.mark.parametrize(("module", "theme"), COMBINATIONS, ids=_id)
def test_pages_reflow_at_320_pixels(module, theme, packages, lms_session, browser):
    session = lms_session(packages[(module, theme)])
    context, page = standalone_page(browser, session.site.url("package/index.html"), 320, 640)
    try:
        frame = page.main_frame
        wide = []
        for entry in Learner(frame).data["pages"]:
            goto(frame, entry["id"])
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 320:
                culprits = page.evaluate(WIDE_JS)
                wide.append(f"{entry['id']}: {width}px wide: {culprits}")
        assert not wide, "\n".join(wide)
    finally:
        context.close()


@pytest.mark.parametrize("theme", THEMES)
def test_screenshots_for_review(theme, packages, lms_session, browser):
    """Saved to build/screenshots/ (not checked: for people to look at)."""
    session = lms_session(packages[("frequent-attenders", theme)])
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in (375, 1280):
        context, page = standalone_page(browser, session.site.url("package/index.html"), width)
        try:
            frame = page.main_frame
            learner = Learner(frame)
            goto(frame, "story-ambulance")
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=SCREENSHOTS / f"{theme}-story-{width}.png", full_page=True)
            goto(frame, "why-people-attend")
            learner.check("kc-motives", correct=False)
            question = page.locator("fieldset#kc-motives")
            question.scroll_into_view_if_needed()
            question.screenshot(path=SCREENSHOTS / f"{theme}-question-feedback-{width}.png")
            goto(frame, "final-assessment")
            learner.take_assessment(right=5)
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=SCREENSHOTS / f"{theme}-results-{width}.png", full_page=True)
        finally:
            context.close()
    assert len(list(SCREENSHOTS.glob(f"{theme}-*.png"))) >= 6
