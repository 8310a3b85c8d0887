"""`elpack preview` in Chromium: the module list, the LMS simulator and its panel, live reload,
the build error overlay and refused paths.

Each test previews its own copy of the example module (in tmp_path, so that it can edit it) with
a PreviewServer serving on a free port in a background thread, watching for changes.

test_lesson_status_follows_the_quiz drives the learner runtime (src/elpack/runtime/src/)
through the DOM contract of the templates: pages are section.page#page-<id> and the one shown has
class "current"; Next links are a.next; a "What would you do?" choice is fieldset[data-choice]
with a button[data-action=choose]; questions are fieldset#<question id> with inputs
value=<option id>; the final assessment has button[data-action=submit-assessment].
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from conftest import MODULES
from elpack.errors import BuildError
from elpack.pipeline import build
from elpack.preview import PreviewServer

from .conftest import TIMEOUT_MS

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Frame, Page

EXAMPLE = "frequent-attenders"
TITLE = "Frequent attenders: using reflective practice"
UNCLOSED_BLOCK = "\n::: key-point\nThis block is never closed.\n"


@dataclass
class Preview:
    """A running preview of one module copy, and the simulator page open on it."""

    server: PreviewServer
    root: Path
    page: Page
    errors: list[str] = field(default_factory=list)

    @property
    def module_url(self) -> str:
        return self.server.module_url(self.server.modules[0])

    def frame(self) -> Frame:
        """The module's frame (through its element: page.frame(name=...) can lag a relaunch)."""
        frame = self.page.locator("iframe[name=sco]").element_handle().content_frame()
        assert frame is not None, "the simulator has no module frame"
        return frame

    def open_simulator(self) -> None:
        self.page.goto(self.module_url)
        self.wait_for_session(1)

    def wait_for_session(self, number: int) -> Frame:
        """Wait until launch number ``number`` has loaded the module; its frame."""
        self.page.wait_for_function(
            "(n) => window.elpackSimulator && window.elpackSimulator.loadedSession === n", arg=number)
        return self.frame()

    def wait_for_module(self, check: str) -> Frame:
        """Wait until the latest launch has loaded and ``check`` (JavaScript about ``doc``, the
        module's document) holds; its frame. For reloads after an edit, which the file watcher
        may deliver as more than one rebuild (e.g. a file seen half written), so that counting
        launches would be fragile."""
        self.page.wait_for_function(
            """(check) => {
                const simulator = window.elpackSimulator;
                const frame = document.querySelector("iframe[name=sco]");
                if (!simulator || !frame || simulator.loadedSession !== simulator.session) return false;
                const doc = frame.contentDocument;
                return Boolean(doc && doc.body && new Function("doc", "return " + check)(doc));
            }""", arg=check)
        return self.frame()

    def cmi(self) -> dict[str, Any]:
        return self.page.evaluate("window.elpackSimulator.cmi()")

    def panel_value(self, element: str) -> str:
        return self.page.locator(f'[data-cmi="{element}"]').text_content() or ""

    def wait_for_panel(self, element: str, value: str) -> None:
        self.page.wait_for_function(
            "([element, value]) => document.querySelector(`[data-cmi=\"${element}\"]`).textContent === value",
            arg=[element, value])

    def log(self) -> list[dict[str, Any]]:
        return self.page.evaluate("window.elpackSimulator.log.slice()")

    def edit(self, name: str, change) -> None:  # type: ignore[no-untyped-def]
        path = self.root / "pages" / name
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


@pytest.fixture
def preview(browser: Browser, tmp_path: Path) -> Iterator[Preview]:
    root = tmp_path / "modules" / EXAMPLE
    shutil.copytree(MODULES / EXAMPLE, root)
    with previewed(browser, root, watch=True) as preview:
        yield preview


@contextmanager
def previewed(browser: Browser, root: Path, target: str | None = None,
              watch: bool = False) -> Iterator[Preview]:
    """The preview of ``root`` (for ``target`` when given) in a new browser context, with every
    uncaught error and console error collected in ``preview.errors``."""
    with PreviewServer([root], port=0, watch=watch, target=target) as server:
        context = browser.new_context()
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        preview = Preview(server, root, page)
        page.on("pageerror", lambda error: preview.errors.append(f"uncaught error: {error}"))
        page.on("console", lambda message: preview.errors.append(f"console error: {message.text}")
                if message.type == "error" else None)
        try:
            yield preview
        finally:
            context.close()


def runtime_data(frame: Frame) -> dict[str, Any]:
    return json.loads(frame.locator("#elpack-data").text_content())


# ---------------------------------------------------------------------------------------------
# (1) The index and a module


def test_preview_serves_the_index_and_a_module(preview):
    page = preview.page
    page.goto(preview.server.url)
    assert page.title() == "elpack preview"
    page.get_by_role("link", name=TITLE).click()
    frame = preview.wait_for_session(1)

    assert page.url == preview.module_url
    assert frame.url == preview.module_url + "package/index.html"
    assert frame.evaluate("typeof window.parent.API.LMSInitialize") == "function"
    data = runtime_data(frame)
    assert frame.locator("section.page").evaluate_all("(s) => s.map((e) => e.id)") == [
        f"page-{p['id']}" for p in data["pages"]]
    assert page.locator("#jump-page option").evaluate_all("(o) => o.map((e) => e.value)") == [
        p["id"] for p in data["pages"]]
    assert page.locator("#build-overlay").is_hidden()
    assert page.locator("#build-status").text_content().startswith("Build 1")
    assert preview.panel_value("cmi.core.credit") == "credit"
    assert preview.panel_value("cmi.student_data.mastery_score") == "80"
    assert preview.panel_value("cmi.core.entry") == "ab-initio"

    # Reviewer tools: page ids shown, answers only with "Show answers".
    badges = frame.locator("[data-elpack-reviewer=page-id]")
    assert badges.count() == len(data["pages"])
    assert frame.locator("section.page.current [data-elpack-reviewer=page-id]").text_content() == \
        "Page id: welcome"
    question_id, question = next((qid, q) for qid, q in data["questions"].items() if q["type"] == "single")
    correct = frame.locator(f'#{question_id} input[value="{question["correct"][0]}"] + label '
                            "+ [data-elpack-reviewer=answer]")
    assert correct.text_content() == "Correct answer"
    shown = "(e) => getComputedStyle(e).display !== 'none'"
    assert correct.evaluate(shown) is False
    page.get_by_label("Show answers").check()
    assert correct.evaluate(shown) is True
    page.get_by_label("Page ids").uncheck()
    assert frame.locator("section.page.current [data-elpack-reviewer=page-id]").evaluate(shown) is False
    assert preview.errors == []


# ---------------------------------------------------------------------------------------------
# (2) The panel follows the module's lesson_status (needs the learner runtime)


def _answer(frame: Frame, question_id: str, question: dict[str, Any]) -> None:
    fieldset = frame.locator(f"fieldset#{question_id}")
    kind = question["type"]
    if kind in ("single", "multiple", "true-false", "likert"):
        for option in question["correct"] or question["options"][:1]:
            fieldset.locator(f'input[value="{option}"]').check()
    elif kind == "text":
        fieldset.locator("input[type=text]").fill(question["accepted"][0])
    elif kind == "matching":
        for pair in question["pattern"].split(","):
            item, partner = pair.split(".")
            fieldset.locator(f'select[data-item="{item}"]').select_option(partner)
    elif kind == "ordering":
        wanted = question["pattern"].split(",")
        for position, item in enumerate(wanted):
            order = fieldset.locator("[data-item]").evaluate_all("(l) => l.map((e) => e.dataset.item)")
            for _ in range(order.index(item) - position):
                fieldset.locator(f'[data-item="{item}"] button[data-action=up]').click()
    else:
        raise AssertionError(f"no way to answer a {kind} question")


def test_lesson_status_follows_the_quiz(preview):
    preview.open_simulator()
    frame = preview.frame()
    preview.wait_for_panel("cmi.core.lesson_status", "incomplete")
    data = runtime_data(frame)

    # Through the module with its Next links, choosing the first option of any decision.
    for _ in range(len(data["pages"]) + 5):
        current = frame.locator("section.page.current")
        if current.locator("button[data-action=submit-assessment]").count():
            break
        choice = current.locator("fieldset[data-choice]")
        if choice.count() and not choice.locator("input:checked").count():
            choice.locator("input").first.check()
            choice.locator("button[data-action=choose]").click()
            current = frame.locator("section.page.current")
        page_id = current.get_attribute("id")
        current.locator("a.next").click()
        frame.wait_for_function("(id) => document.querySelector('section.page.current').id !== id",
                                arg=page_id)
    else:
        raise AssertionError("never reached the final assessment")

    assessment = frame.locator("section.page.current [data-assessment]")
    drawn = assessment.locator("fieldset[data-question]:not([hidden])").evaluate_all(
        "(l) => l.map((e) => e.id)")
    assert drawn, "no assessment questions are shown"
    for question_id in drawn:
        _answer(frame, question_id, data["questions"][question_id])
    assessment.locator("button[data-action=submit-assessment]").click()

    preview.wait_for_panel("cmi.core.lesson_status", "passed")
    preview.wait_for_panel("cmi.core.score.raw", "100")
    assert int(preview.page.locator("#interactions-count").text_content()) >= len(drawn)
    statuses = [entry["args"][1] for entry in preview.log()
                if entry.get("method") == "LMSSetValue" and entry["args"][0] == "cmi.core.lesson_status"]
    assert statuses[0] == "incomplete" and statuses[-1] == "passed"
    assert not [entry for entry in preview.log() if entry.get("bad")], "the runtime made calls Moodle refuses"


# ---------------------------------------------------------------------------------------------
# The simulator's own controls (they work with any module that uses the SCORM API)


def test_panel_flags_values_the_lms_or_moodle_refuses(preview):
    preview.open_simulator()
    frame = preview.frame()
    frame.evaluate("""() => {
        const api = window.parent.API;
        if (!api.isInitialized()) api.LMSInitialize("");
        const n = api.LMSGetValue("cmi.interactions._count");
        api.LMSSetValue("cmi.core.session_time", "0:3:7");
        api.LMSSetValue("cmi.core.lesson_status", "not attempted");
        api.LMSSetValue(`cmi.interactions.${n}.id`, "q-test");
        api.LMSSetValue(`cmi.interactions.${n}.result`, "incorrect");
        api.LMSSetValue("cmi.suspend_data", "x".repeat(5000));
        api.LMSSetValue("cmi.core.lesson_location", "welcome");
    }""")
    flagged = {entry["args"][0].split(".")[-1]: entry for entry in preview.log()
               if entry.get("method") == "LMSSetValue" and entry["bad"]}
    assert set(flagged) == {"session_time", "lesson_status", "result", "suspend_data"}
    assert flagged["session_time"]["error"] == "405"  # scorm-again refuses it
    assert flagged["result"]["error"] == "0" and "SCORM 2004" in flagged["result"]["problem"]  # accepted
    assert flagged["suspend_data"]["error"] == "0" and "5000" in flagged["suspend_data"]["problem"]
    assert "not attempted" in flagged["lesson_status"]["problem"]
    page = preview.page
    bad_rows = page.locator("#api-log li.bad")
    assert bad_rows.count() >= 4
    assert bad_rows.filter(has_text="cmi.core.session_time").locator(".error").text_content().startswith(
        "error 405")
    assert "not valid SCORM 1.2" in bad_rows.filter(has_text="\"incorrect\"").text_content()
    # Red is red: the computed colour of a flagged entry's message.
    assert bad_rows.filter(has_text="\"incorrect\"").locator(".problem").evaluate(
        "(e) => getComputedStyle(e).color") == "rgb(179, 38, 30)"
    page.wait_for_function(
        "() => document.querySelector('#suspend-used').textContent.startsWith('5000 / 4096')")
    assert "bad" in page.locator("#suspend-used").get_attribute("class")
    assert "bad" in page.locator("#suspend-meter").get_attribute("class")


def test_exit_and_resume_reset_and_jump(preview):
    preview.open_simulator()
    page = preview.page
    frame = preview.frame()
    frame.locator("section.page.current a.next").click()

    page.get_by_role("button", name="Exit and resume").click()
    frame = preview.wait_for_session(2)
    ended = page.evaluate("window.elpackSimulator.lastEnded.cmi")
    resumed = preview.cmi()
    assert resumed["core"]["entry"] == "resume"
    assert resumed["suspend_data"] == ended["suspend_data"]
    assert ended["core"]["lesson_location"] == "why-people-attend"
    assert preview.panel_value("cmi.core.entry") == "resume"
    frame.wait_for_selector("section.page.current#page-why-people-attend")
    assert page.locator("#api-log li.note-session").last.text_content().endswith(
        "Session 2: Exit and resume (entry 'resume', lesson_location 'why-people-attend').")

    page.get_by_label("Jump to page").select_option("story-ae")
    page.get_by_role("button", name="Go").click()
    frame = preview.wait_for_session(3)
    assert frame.url.endswith("package/index.html#page-story-ae")
    assert preview.cmi()["core"]["entry"] == "resume"
    frame.wait_for_selector("section.page.current#page-story-ae")

    page.get_by_role("button", name="Reset attempt").click()
    frame = preview.wait_for_session(4)
    assert preview.cmi()["core"]["entry"] == "ab-initio"
    assert preview.panel_value("cmi.core.entry") == "ab-initio"
    frame.locator("section.page.current a.next").click()
    frame.wait_for_selector("section.page.current#page-why-people-attend")

    # The attempt is kept in the tab: reloading the simulator page resumes it.
    page.reload()
    frame = preview.wait_for_session(1)
    assert preview.cmi()["core"]["entry"] == "resume"
    frame.wait_for_selector("section.page.current#page-why-people-attend")
    assert preview.errors == []


# ---------------------------------------------------------------------------------------------
# (3) Live reload


def test_editing_a_page_reloads_it(preview):
    preview.open_simulator()
    page = preview.page
    preview.edit("01-welcome.md", lambda text: text + "\nThis sentence was added by the test.\n")
    frame = preview.wait_for_module("doc.body.textContent.includes('This sentence was added by the test.')")
    # Only words changed: the attempt carries on.
    assert preview.cmi()["core"]["entry"] == "resume"
    assert page.evaluate("window.elpackSimulator.loaded.version") >= 2

    # A new page title is wording too: the attempt carries on, on the page the writer was on.
    frame.locator("section.page.current a.next").click()
    frame.wait_for_selector("section.page.current#page-why-people-attend")
    preview.edit("02-why-people-attend.md", lambda text: re.sub(r"^# .*", "# A renamed page", text, count=1))
    frame = preview.wait_for_module("doc.querySelector('section.page.current#page-why-people-attend h1')"
                                    "?.textContent === 'A renamed page'")
    assert preview.cmi()["core"]["entry"] == "resume"
    assert page.locator("#jump-page option[value=why-people-attend]").text_content().startswith(
        "A renamed page")

    # A new page changes the structure: a fresh attempt, still on the page the writer was on.
    (preview.root / "pages" / "02-extra.md").write_text("# An extra page\n\nMore to read.\n",
                                                          encoding="utf-8")
    preview.wait_for_module("doc.querySelector('#page-extra') !== null"
                            " && doc.querySelector('section.page.current#page-why-people-attend') !== null")
    assert preview.cmi()["core"]["entry"] == "ab-initio"
    assert preview.errors == []


# ---------------------------------------------------------------------------------------------
# (4) A build error: the overlay, a server that carries on, and recovery


def test_a_build_error_shows_the_overlay_until_it_is_fixed(preview):
    preview.open_simulator()
    page = preview.page
    good = (preview.root / "pages" / "01-welcome.md").read_text(encoding="utf-8")
    preview.edit("01-welcome.md", lambda text: text + UNCLOSED_BLOCK)
    overlay = page.locator("#build-overlay")
    overlay.wait_for(state="visible")

    with pytest.raises(BuildError) as raised:
        build(preview.root)
    expected = [str(problem) for problem in raised.value.problems]
    page.wait_for_function(  # polled: a save can reach the watcher as more than one change
        "(expected) => JSON.stringify([...document.querySelectorAll('#overlay-problems pre')]"
        ".map((e) => e.textContent)) === JSON.stringify(expected)", arg=expected)
    assert page.locator("#overlay-name").text_content() == f"{preview.root}: build failed"
    assert page.locator("#overlay-summary").text_content() == raised.value.summary
    assert raised.value.summary.startswith("1 error, ")
    # Errors come first and are marked; warnings follow them.
    severities = [p.severity for p in raised.value.problems]
    assert severities == sorted(severities)  # "error" < "warning"
    assert page.locator("#overlay-problems li.problem-error").count() == severities.count("error")
    assert page.locator("#overlay-problems li.problem-warning").count() == \
        severities.count("warning")
    assert page.locator("#overlay-problems li.problem-error .problem-label").first.text_content() \
        == "Error"
    assert page.locator("#build-status").text_content() == "Build failed"
    # The server carries on: the last good package is still there, under the overlay.
    assert page.request.get(preview.module_url + "package/index.html").status == 200
    assert page.request.get(preview.server.url).status == 200
    assert preview.frame().locator("section.page.current").count() == 1

    preview.edit("01-welcome.md", lambda text: good + "\nFixed.\n")
    overlay.wait_for(state="hidden")
    preview.wait_for_module("doc.body.textContent.includes('Fixed.')")
    assert re.fullmatch(r"Build \d+ · \d+ ms", page.locator("#build-status").text_content())


# ---------------------------------------------------------------------------------------------
# (5) Refused paths


def test_path_traversal_attempts_get_404(preview):
    preview.open_simulator()
    page = preview.page
    base = preview.module_url + "package/"
    for path in ["%2e%2e/module.yml", "..%2fmodule.yml", "%2e%2e%2f%2e%2e%2fpyproject.toml",
                 "..%5cmodule.yml", "%252e%252e/module.yml", "assets/", "media/", "",
                 "pages/01-welcome.md", "module.yml"]:
        assert page.request.get(base + path).status == 404, path
    # The browser resolves dot segments itself; whatever it asks for then is not served either.
    statuses = page.evaluate("""(urls) => Promise.all(urls.map((u) => fetch(u).then((r) => r.status)))""",
                             [base + "../module.yml", base + "../../../../etc/passwd",
                              preview.server.url + "_static/../../pyproject.toml"])
    assert statuses == [404, 404, 404]
