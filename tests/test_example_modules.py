"""The example modules keep the size and variety the product promises, read through `elpack inspect --json`
so that the counts cannot silently erode."""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache

import pytest
from lxml import html as lxml_html

from conftest import EXAMPLE_MODULES, MODULES, run_cli


@cache
def inspected(name: str) -> dict:
    result = run_cli("inspect", MODULES / name, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def html_fields(value, found: list[str]) -> list[str]:
    """Every rendered piece of learner-facing HTML in the model (keys "html" and "*_html")."""
    if isinstance(value, dict):
        for key, item in value.items():
            if (key == "html" or key.endswith("_html")) and isinstance(item, str):
                found.append(item)
            else:
                html_fields(item, found)
    elif isinstance(value, list):
        for item in value:
            html_fields(item, found)
    return found


def words(fragment: str) -> int:
    if not fragment.strip():
        return 0
    text = lxml_html.fragment_fromstring(fragment, create_parent="div").text_content()
    return len(re.findall(r"[A-Za-z0-9][\w'’-]*", text))


def blocks(model: dict) -> list[dict]:
    return [block for page in model["pages"] for block in page["blocks"]]


@pytest.mark.parametrize("name", EXAMPLE_MODULES)
def test_each_module_has_the_promised_size_and_variety(name):
    model = inspected(name)
    kinds = Counter(block["kind"] for block in blocks(model))
    assert len(model["pages"]) >= 10
    learner_words = sum(words(fragment) for fragment in html_fields(model["pages"], []))
    assert learner_words >= 3000, learner_words
    assert kinds["dialogue"] >= 3
    assert kinds["expert"] >= 2
    assert kinds["reflection"] >= 3
    assert kinds["choice"] >= 1
    assert kinds["question"] >= 2, "knowledge checks through the module"
    assessment = model["assessment"]
    assert len(assessment["pool"]) >= 15
    assert assessment["draw"] >= 10
    assert assessment["pass_mark"] == 80
    questions = {question["id"]: question for question in model["questions"]}
    pool = [questions[question_id] for question_id in assessment["pool"]]
    assert len({question["type"] for question in pool}) >= 4
    for question in pool:
        feedback = question["correct_html"] + question["incorrect_html"] + question["feedback_html"]
        feedback += "".join(option.get("feedback_html", "") for option in question["options"])
        assert words(feedback) >= 8, f"{question['id']} needs feedback that teaches"


def test_the_examples_use_every_block_and_question_type_between_them():
    kinds: set[str] = set()
    styles: set[str] = set()
    question_types: set[str] = set()
    for name in EXAMPLE_MODULES:
        model = inspected(name)
        for block in blocks(model):
            kinds.add(block["kind"])
            if block["kind"] == "callout":
                styles.add(block["style"])
        question_types.update(question["type"] for question in model["questions"])
    assert kinds >= {"prose", "callout", "scene", "dialogue", "expert", "reflection", "choice",
                     "question", "assessment"}
    assert styles >= {"key-point", "warning", "tip", "signpost", "summary", "references"}
    assert question_types >= {"single", "multiple", "true-false", "matching", "ordering", "text", "likert"}


def test_support_services_are_the_real_numbers():
    text = " ".join(html_fields(inspected("mental-health-awareness")["pages"], []))
    assert "116 123" in text  # Samaritans
    assert "85258" in text  # Shout
    assert "111" in text and "999" in text


NEW_PROGRAMME_MODULES = ["perinatal-mental-health"]


@pytest.mark.parametrize("name", NEW_PROGRAMME_MODULES)
def test_new_modules_support_all_four_nations_and_state_their_review_status(name):
    model = inspected(name)
    text = " ".join(html_fields(model["pages"], []))
    assert "116 123" in text  # Samaritans, UK-wide
    assert "NHS 111" in text and "press 2" in text  # England; Wales
    assert "NHS 24" in text  # Scotland
    assert "0808 808 8000" in text and "no NHS 111" in text  # Northern Ireland: Lifeline
    assert "Practitioner Health" in text and "occupational health" in text  # staff support
    assert "not yet reviewed by a named clinician" in text
    assert "is fictional" in text  # the expert is honestly labelled
    assert any(block.get("style") == "references" for block in blocks(model))
    assert (MODULES / name / "CHANGELOG.md").is_file()
