"""Multiple response: every right option must be chosen ('- [x]' on each)."""

from __future__ import annotations

from typing import ClassVar

from ..model import Question
from .base import CHECK_ITEM, QuestionType


class Multiple(QuestionType):
    name: ClassVar[str] = "multiple"
    interaction: ClassVar[str] = "choice"
    label: ClassVar[str] = "Multiple response (select all that apply)"
    inferred_rank: ClassVar[int | None] = 40

    def infers(self, lines: list[str]) -> bool:
        checks = [m for text in lines if (m := CHECK_ITEM.match(text))]
        return sum(1 for m in checks if m.group(1) != " ") > 1

    def correct_pattern(self, question: Question) -> str:
        return ",".join(o.id for o in question.options if o.correct)

    def longest_answer(self, question: Question) -> int:
        return len(question.options)
