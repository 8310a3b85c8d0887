"""A module in Welsh, in the browser (issue 15): the example's Welsh package shows no English of
elpack's or of the module's, on any page or after any answer; it records the same interactions
as the English package for the same answers; and axe finds nothing on it.

The example module is examples/first-module with its translations/cy.xlf. Each test builds its
own packages in its own temporary folder, so the tests run in any xdist worker.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from elpack.commands.new import create_module
from elpack.commands.translate import extract_translation
from elpack.i18n import interface_messages, messages_for
from elpack.pipeline import build, load_checked_module, write_package
from elpack.translation.fragments import Text
from elpack.translation.units import extract
from translating import translate_like_a_cat_tool

from .conftest import REPO, format_violations
from .learner import Learner, click_next, current_page, interactions

EXAMPLE = REPO / "examples" / "first-module"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}|%%")


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    output = tmp_path_factory.mktemp("languages")
    return {language: write_package(build(EXAMPLE, language=language), output)
            for language in ("en-GB", "cy")}


def english_left(texts: list[str]) -> list[str]:
    """Texts that hold English the Welsh package must not show: an interface string of the
    English catalogue whose Welsh differs, or a passage of the module's English source."""
    welsh = messages_for("cy")
    english_strings = []
    for msgid, plural in interface_messages().items():
        for english in (msgid, plural):
            if english and welsh.gettext(english) != english:
                # The words of a string with values are the parts between its placeholders.
                english_strings += [part.strip() for part in PLACEHOLDER.split(english)
                                    if len(part.strip()) >= 4]
    module = load_checked_module(EXAMPLE).module
    sources = [piece.text.strip() for unit in extract(module) for piece in unit.source
               if isinstance(piece, Text) and len(piece.text.strip()) >= 12
               and not unit.id.startswith("character.")]
    found = []
    for text in texts:
        words = " ".join(text.split())
        if not words:
            continue
        for english in english_strings:
            # Single words must be the whole text; longer strings may sit inside one.
            if words == english or (" " in english and english in words):
                found.append(f"{words!r} holds elpack's English {english!r}")
        found += [f"{words!r} holds the module's English {source!r}" for source in sources
                  if source in words]
    return found


SHOWN_TEXT = """() => {
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest('script, style')) continue;
    texts.push(node.textContent);
  }
  for (const element of document.querySelectorAll('[aria-label], [alt], [title], [placeholder]')) {
    for (const name of ['aria-label', 'alt', 'title', 'placeholder']) {
      if (element.hasAttribute(name)) texts.push(element.getAttribute(name));
    }
  }
  texts.push(document.title);
  return texts;
}"""


def test_the_welsh_package_shows_no_english(packages, lms_session):
    session = lms_session(packages["cy"])
    _, frame = session.launch()
    assert frame.evaluate("document.documentElement.lang") == "cy"
    learner = Learner(frame)
    seen: list[str] = []
    learner_pages = []
    # Every page, every answer, every message: wrong answers first, then right ones.
    while True:
        learner_pages.append(current_page(frame))
        seen += frame.evaluate(SHOWN_TEXT)
        learner.do_page(checks_right=False)
        seen += frame.evaluate(SHOWN_TEXT)
        learner.do_page(checks_right=True)
        if frame.locator("section.page.current [data-assessment]").count():
            learner.take_assessment(right=0)
            seen += frame.evaluate(SHOWN_TEXT)
        seen += frame.evaluate(SHOWN_TEXT)
        if not click_next(frame):
            break
    assert learner_pages == [p["id"] for p in learner.data["pages"]]
    problems = english_left(seen)
    assert problems == [], "\n".join(dict.fromkeys(problems))
    assert session.errors == []


def recorded_interactions(session) -> list[dict[str, str]]:
    """What the LMS recorded of each interaction that must not depend on the language."""
    return [{key: value for key, value in record.items()
             if key in ("id", "type", "correct_responses.0.pattern", "student_response", "result")}
            for record in interactions(session.log())]


def test_welsh_and_english_record_the_same_interactions(packages, lms_session):
    recorded = {}
    for language, package in packages.items():
        session = lms_session(package)
        _, frame = session.launch()
        Learner(frame).walk(checks_right=False, assessment_right=0)
        recorded[language] = recorded_interactions(session)
        assert session.errors == []
    assert recorded["cy"] == recorded["en-GB"]
    assert recorded["cy"], "the walk answered questions, so interactions were recorded"


def test_every_page_of_the_welsh_package_passes_axe(packages, lms_session):
    session = lms_session(packages["cy"])
    _, frame = session.launch()
    learner = Learner(frame)
    problems = []
    for page in learner.data["pages"]:
        frame.evaluate("(id) => { location.hash = 'page-' + id }", page["id"])
        frame.wait_for_function("(id) => document.querySelector('section.page.current')"
                                ".dataset.page === id", arg=page["id"])
        learner.do_page(checks_right=False)
        violations = session.run_axe(frame, context={"exclude": [["section.page:not(.current)"]]})
        if violations:
            problems.append(f"{page['id']}:\n{format_violations(violations)}")
    assert problems == [], "\n".join(problems)


TYPED_QUESTION = """
::: question {#kc-typed type=text}
What does the abbreviation NEWS2 stand for?

- [x] National Early Warning Score 2
:::
"""
WELSH_ANSWER = "Sgôr Rhybudd Cynnar Cenedlaethol 2"


def test_a_welsh_short_text_answer_is_right_in_both_packages(tmp_path: Path, lms_session):
    """A translated accepted answer is accepted in the English package too, so a learner's
    Welsh answer is recorded the same way (id, pattern, response, result) in both."""
    root = create_module("typed-answer", tmp_path / "modules")
    page = root / "pages" / "01-welcome.md"
    page.write_text(page.read_text() + TYPED_QUESTION)
    extract_translation(root, "cy")
    translate_like_a_cat_tool(root / "translations" / "cy.xlf",
                              lambda text: WELSH_ANSWER if text.startswith("National") else
                              text.upper())
    recorded = {}
    for language in ("en-GB", "cy"):
        package = write_package(build(root, language=language), tmp_path / language)
        session = lms_session(package)
        _, frame = session.launch()
        scope = "fieldset#kc-typed"
        frame.fill(f"{scope} input[type=text]", WELSH_ANSWER)
        frame.locator(f"{scope} button[data-action='check']").click()
        frame.locator(f"{scope} .feedback-result:not([hidden])").wait_for(state="visible")
        recorded[language] = recorded_interactions(session)
        assert session.errors == []
    assert recorded["cy"] == recorded["en-GB"]
    (typed,) = [record for record in recorded["cy"] if record["student_response"] == WELSH_ANSWER]
    assert typed["result"] == "correct"
    assert typed["correct_responses.0.pattern"] == "National Early Warning Score 2"
