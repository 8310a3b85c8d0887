"""Short text: the learner types an answer; each '- [x]' line is an accepted answer."""

from __future__ import annotations

from typing import ClassVar

from ..model import Question
from ..suspend_format import TEXT_ANSWER_LIMIT
from .base import QuestionType


class Text(QuestionType):
    name: ClassVar[str] = "text"
    interaction: ClassVar[str] = "fill-in"
    label: ClassVar[str] = "Short text answer"
    min_options: ClassVar[int] = 1
    answer_hint: ClassVar[str] = "the learner types the answer"

    def correct_pattern(self, question: Question) -> str:
        return next((o.text for o in question.options if o.correct), "")[:255]

    def longest_answer(self, question: Question) -> int:
        return TEXT_ANSWER_LIMIT

    def runtime_data(self, question: Question) -> dict[str, object]:
        # The English answers, then those the translations add: the same list in every language.
        english = [o.text for o in question.options if o.correct]
        return {"accepted": list(dict.fromkeys(english + question.translated_answers)),
                "truth": {}}
