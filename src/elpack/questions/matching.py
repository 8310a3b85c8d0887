"""Matching: each item '- Item => Partner' is matched to its partner from a list."""

from __future__ import annotations

import re
from typing import ClassVar

from ..model import Question
from .base import OptionItem, QuestionType, Report

PLAIN_ITEM = re.compile(r"^[-*+]\s+(.*)$")
BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"



def match_item(text: str) -> tuple[str, str] | None:
    """'- Item => Partner' as (item, partner): split at the first '=>' after the item's first
    character, with str methods, so the cost is linear however many spaces the line holds."""
    plain = PLAIN_ITEM.match(text)
    if not plain:
        return None
    body = plain.group(1)
    at = body.find("=>", 1)
    item = body[:at].rstrip() if at > 0 else ""
    if not item:
        return None
    return item, body[at + 2:].lstrip()

class Matching(QuestionType):
    name: ClassVar[str] = "matching"
    interaction: ClassVar[str] = "matching"
    label: ClassVar[str] = "Matching"
    needs_correct: ClassVar[bool] = False  # every item is "right"; its partner is the answer
    inferred_rank: ClassVar[int | None] = 20
    option_hint: ClassVar[str] = "write matching pairs as '- Item => Partner'"

    def infers(self, lines: list[str]) -> bool:
        return any(match_item(text) for text in lines)

    def item(self, text: str) -> OptionItem | None:
        pair = match_item(text)
        if pair:
            return OptionItem(pair[0], True, pair[1].strip() or None)
        plain = PLAIN_ITEM.match(text)
        return OptionItem(plain.group(1), True) if plain else None

    def check_item(self, item: OptionItem, line: int, report: Report) -> None:
        if not item.partner:
            report(line, "this matching item has no partner", "write it as '- Item => Partner'")

    def correct_pattern(self, question: Question) -> str:
        targets = question.partners
        # targets are single characters in SCORM 1.2 (0-9, a-z): the 10th partner is "a"
        return ",".join(f"{o.id}.{BASE36[targets.index(o.partner) + 1]}" for o in question.options
                        if o.partner is not None)

    def longest_answer(self, question: Question) -> int:
        return len(question.options)

    def inspect(self, question: Question) -> dict[str, object]:
        return {"partners": [{"id": str(i), "text": t} for i, t in enumerate(question.partners, 1)]}
