"""Single choice: one right option among two or more ('- [x]' once, '- [ ]' for the rest)."""

from __future__ import annotations

from typing import ClassVar

from ..model import Question
from .base import CHECK_ITEM, QuestionType, Report


class Single(QuestionType):
    name: ClassVar[str] = "single"
    interaction: ClassVar[str] = "choice"
    label: ClassVar[str] = "Single choice"
    inferred_rank: ClassVar[int | None] = 30

    def infers(self, lines: list[str]) -> bool:
        # Any [ ]/[x] option list that is no other choice type (true-false and multiple rank higher).
        return any(CHECK_ITEM.match(text) for text in lines)

    def check(self, question: Question, report: Report) -> None:
        correct = [o for o in question.options if o.correct]
        if len(correct) > 1:
            report(question.line, f"a single-choice question has {len(correct)} correct options",
                   "mark one option '- [x]', or use type=multiple")

    def correct_pattern(self, question: Question) -> str:
        return ",".join(o.id for o in question.options if o.correct)
