"""Feedback written under matching items, ordering items and short-text answers reaches the learner."""

from __future__ import annotations

import textwrap

from click.testing import CliRunner

from elpack.cli import cli

from .learner import Learner, wait_for_message

MODULE = {
    "module.yml": """
        id: item-feedback
        title: Item feedback
        description: Feedback on items.
        version: "1"
        language: en-GB
        duration_minutes: 5
    """,
    "pages/01-checks.md": """
        # Checks

        ::: question {#kc-match}
        Match each note to its stage of Gibbs' cycle.

        - "I felt irritated, then guilty." => Feelings
          > Naming emotions is the feelings stage.
        - "The calls started after his bereavement." => Analysis
          > Making sense of why is analysis.
        :::

        ::: question {#kc-order type=ordering}
        Put these stages in order.

        1. Description
           > Start with what happened:
           >
           > - who was there
           > - what was said
        2. Feelings
        3. Evaluation
        :::

        ::: question {#kc-text type=text}
        Which free number reaches Samaritans?

        - [x] 116 123
          > Yes: free, at any time, from any phone.
        - [x] 116123
          > Yes. It is usually written 116 123.
        :::
    """,
}


def test_item_and_answer_feedback_is_shown(tmp_path, lms_session):
    root = tmp_path / "item-feedback"
    for name, text in MODULE.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(root), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    session = lms_session(tmp_path / "out" / "item-feedback-scorm12.zip")
    _, frame = session.launch()
    learner = Learner(frame)

    notes = frame.locator("#kc-match .option-feedback")
    assert notes.count() == 2 and not notes.first.is_visible()
    learner.check("kc-match", correct=False)
    assert notes.nth(0).is_visible() and notes.nth(1).is_visible()
    wait_for_message(frame, "feelings stage")

    # A list inside an item's feedback is not an item to order.
    items = "items => items.map(i => i.dataset.item)"
    assert sorted(frame.eval_on_selector_all("#kc-order ol.ordering > li", items)) == ["a", "b", "c"]
    learner.check("kc-order")
    assert frame.eval_on_selector_all("#kc-order ol.ordering > li", items) == ["a", "b", "c"]
    assert frame.locator("#kc-order li[data-item='a'] .option-feedback li").count() == 2
    assert frame.locator("#kc-order li[data-item='a'] .option-feedback").is_visible()

    frame.fill("#kc-text-answer", "  116123 ")
    frame.locator("#kc-text button[data-action='check']").click()
    wait_for_message(frame, "usually")
    assert frame.locator("#kc-text .option-feedback[data-for='b']").is_visible()
    assert not frame.locator("#kc-text .option-feedback[data-for='a']").is_visible()
    assert not session.errors
