"""True or false: exactly the options True and False, one marked right."""

from __future__ import annotations

from typing import ClassVar

from ..model import Question
from .base import CHECK_ITEM, QuestionType, Report


class TrueFalse(QuestionType):
    name: ClassVar[str] = "true-false"
    interaction: ClassVar[str] = "true-false"
    label: ClassVar[str] = "True or false"
    keeps_order: ClassVar[bool] = True
    inferred_rank: ClassVar[int | None] = 50

    def infers(self, lines: list[str]) -> bool:
        labels = sorted(m.group(2).strip().lower() for text in lines
                        if (m := CHECK_ITEM.match(text)))
        return labels == ["false", "true"]

    def check(self, question: Question, report: Report) -> None:
        labels = sorted(o.text.lower() for o in question.options)
        if labels != ["false", "true"] or sum(o.correct for o in question.options) != 1:
            report(question.line, "a true-false question needs exactly the options True and "
                   "False, one marked [x]", "write '- [x] True' and '- [ ] False'")

    def correct_pattern(self, question: Question) -> str:
        return next(("t" if o.text.lower() == "true" else "f")
                    for o in question.options if o.correct)

    def runtime_data(self, question: Question) -> dict[str, object]:
        # The LMS records true-false responses as "t" and "f", whatever the options are called.
        return {"accepted": [],
                "truth": {o.id: "t" if o.text.lower() == "true" else "f" for o in question.options}}
