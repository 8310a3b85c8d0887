"""Block types, one class per file, registered by name (as Python-Markdown's extensions).

A block type is registered once under each word authors write after ``:::`` for it (a callout
under 'key-point', 'warning', ...). See docs/architecture.md for what a new block type touches.
"""

from __future__ import annotations

from ..registry import Registry
from .assessment import AssessmentType
from .base import BlockType, ParseContext
from .callout import CALLOUT_TITLES, CalloutType
from .choice import ChoiceType
from .dialogue import DialogueType
from .expert import ExpertType
from .media import MediaType
from .question import QuestionBlockType
from .reflect import ReflectType
from .scene import SceneType

__all__ = ["CALLOUT_TITLES", "BlockType", "ParseContext", "block_types"]


def _builtin() -> Registry[BlockType]:
    registry: Registry[BlockType] = Registry()
    kinds: list[BlockType] = [QuestionBlockType(), AssessmentType(), DialogueType(), SceneType(),
                              ExpertType(), ReflectType(), ChoiceType(), MediaType(), CalloutType()]
    for priority, kind in enumerate(reversed(kinds)):
        for name in kind.names:
            registry.register(kind, name, (priority + 1) * 10)
    return registry


block_types = _builtin()
