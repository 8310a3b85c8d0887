"""Opinion scale (likert): options in the written order, none right, never marked."""

from __future__ import annotations

from typing import ClassVar

from ..model import Question
from .base import QuestionType, Report


class Likert(QuestionType):
    name: ClassVar[str] = "likert"
    interaction: ClassVar[str] = "likert"
    label: ClassVar[str] = "Opinion scale"
    scored: ClassVar[bool] = False
    keeps_order: ClassVar[bool] = True
    needs_correct: ClassVar[bool] = False

    def check(self, question: Question, report: Report) -> None:
        correct = [o for o in question.options if o.correct]
        if correct:
            report(correct[0].line, "an opinion-scale (likert) question has no right answer",
                   "write every option as '- [ ] ...'")
