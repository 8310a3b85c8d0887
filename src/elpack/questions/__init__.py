"""Question types, one class per file, registered by name (as Python-Markdown's extensions).

A new question type is a new file here with a :class:`QuestionType` subclass, registered below,
plus its theme template and its runtime behaviour module (see docs/architecture.md).
"""

from __future__ import annotations

from ..model import Question
from ..registry import Registry
from .base import OptionItem, QuestionType, Report
from .likert import Likert
from .matching import Matching
from .multiple import Multiple
from .ordering import Ordering
from .single import Single
from .text import Text
from .true_false import TrueFalse

__all__ = ["OptionItem", "QuestionType", "Report", "question_type", "question_types"]


def _builtin() -> Registry[QuestionType]:
    registry: Registry[QuestionType] = Registry()
    # Priority is the order authors meet the types in (messages, documentation).
    for priority, kind in enumerate(reversed([Single(), Multiple(), TrueFalse(), Matching(),
                                              Ordering(), Text(), Likert()])):
        registry.register(kind, kind.name, (priority + 1) * 10)
    return registry


question_types = _builtin()


def question_type(question: Question) -> QuestionType:
    """The registered type of a parsed question."""
    return question_types[question.type]
