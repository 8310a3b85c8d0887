"""Ordering: steps written as a numbered list in the right order; learners put them in order."""

from __future__ import annotations

import re
from typing import ClassVar

from ..model import Question
from .base import OptionItem, QuestionType

ORDER_ITEM = re.compile(r"^\d+[.)]\s+(.*)$")


class Ordering(QuestionType):
    name: ClassVar[str] = "ordering"
    interaction: ClassVar[str] = "sequencing"
    label: ClassVar[str] = "Ordering"
    needs_correct: ClassVar[bool] = False  # the written order is the answer
    inferred_rank: ClassVar[int | None] = 10
    option_hint: ClassVar[str] = "write the steps as a numbered list '1. ...' in the right order"
    answer_hint: ClassVar[str] = "steps shown to the learner shuffled"

    def infers(self, lines: list[str]) -> bool:
        return any(ORDER_ITEM.match(text) for text in lines)

    def item(self, text: str) -> OptionItem | None:
        match = ORDER_ITEM.match(text)
        return OptionItem(match.group(1), True) if match else None

    def correct_pattern(self, question: Question) -> str:
        return ",".join(o.id for o in question.options)

    def longest_answer(self, question: Question) -> int:
        return len(question.options)
