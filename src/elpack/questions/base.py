"""What every question type owns, and the defaults most of them share.

A question type is one class in one file of this package, registered in ``questions/__init__.py``.
Everything that differs between question types is asked of its object: the parser reads option
lines with :meth:`QuestionType.item`, the build asks for the correct-response pattern, the suspend
budget for the longest stored answer, ``elpack inspect`` for extra JSON, the theme for the
template that shows the options, and the runtime bundle for the behaviour module.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from ..model import Question

CHECK_ITEM = re.compile(r"^[-*+]\s+\[([ xX])\]\s+(.*)$")

# report(line, message, hint): an authoring error at a line of the page being parsed.
Report = Callable[[int, str, str], None]


@dataclass
class OptionItem:
    """An option line as written: its text, whether it is marked right, its matching partner."""

    text: str
    correct: bool
    partner: str | None = None


class QuestionType:
    """A question type. Subclasses set ``name`` and override what differs."""

    name: ClassVar[str]
    interaction: ClassVar[str]  # the interaction type recorded in the LMS
    label: ClassVar[str]  # what reviewers read in the storyboard
    scored: ClassVar[bool] = True  # False: an opinion, never marked, even in the assessment
    keeps_order: ClassVar[bool] = False  # True: the written order carries meaning, never shuffled
    min_options: ClassVar[int] = 2
    needs_correct: ClassVar[bool] = True  # at least one option must be marked [x]
    # Tried on questions without type=..., highest first; None: only chosen by type=name.
    inferred_rank: ClassVar[int | None] = None
    # The fix offered for a line in the body that is not an option or feedback.
    option_hint: ClassVar[str] = "write options as '- [x] right' or '- [ ] wrong'"
    answer_hint: ClassVar[str] = ""  # how learners answer, for the storyboard; "" for the options' order

    @property
    def template(self) -> str:
        """The theme template that shows the question's options (inside blocks/question.html)."""
        return f"questions/{self.name}.html"

    @property
    def runtime_module(self) -> str:
        """The learner runtime's behaviour module for this type (under runtime/src/)."""
        return f"questions/{self.name}.js"

    # -- parsing -------------------------------------------------------------------------------

    def infers(self, lines: list[str]) -> bool:
        """Whether a question written without type=... is of this type, from its body lines."""
        return False

    def item(self, text: str) -> OptionItem | None:
        """The option written on this body line, or None when it is no option line."""
        match = CHECK_ITEM.match(text)
        if match:
            return OptionItem(match.group(2), match.group(1) != " ")
        return None

    def check_item(self, item: OptionItem, line: int, report: Report) -> None:
        """Authoring checks of one option line, made as the options are read."""

    def check(self, question: Question, report: Report) -> None:
        """Authoring checks of the whole question that only this type makes."""

    # -- what the package needs ----------------------------------------------------------------

    def shuffled(self, question: Question, shuffle_options: bool) -> bool:
        """Whether learners see the options shuffled, given the module's 'shuffle_options'."""
        return shuffle_options and question.shuffle and not self.keeps_order

    def correct_pattern(self, question: Question) -> str:
        """The LMS correct-responses pattern ("" when nothing is right or wrong)."""
        return ""

    def longest_answer(self, question: Question) -> int:
        """The longest stored form of an answer, in characters (see the runtime's readAnswer)."""
        return 1

    def runtime_data(self, question: Question) -> dict[str, object]:
        """Type-specific entries of the question's runtime data."""
        return {"accepted": [], "truth": {}}

    def inspect(self, question: Question) -> dict[str, object]:
        """Type-specific entries of the question in ``elpack inspect`` JSON."""
        return {}
