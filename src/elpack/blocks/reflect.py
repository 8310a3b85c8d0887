"""Reflections: a pause to reflect, with a free-text answer the learner can save."""

from __future__ import annotations

from typing import ClassVar

from ..containers import Container
from ..model import Block, Reflection
from .base import BlockType, ParseContext


class ReflectType(BlockType):
    names: ClassVar[tuple[str, ...]] = ("reflect",)
    runtime_module: ClassVar[str | None] = "blocks/reflection.js"

    def parse(self, container: Container, context: ParseContext) -> Block | None:
        context.attributes(container, set())
        block_id = context.block_id(container, "reflect")
        html = context.body(container)
        if not html:
            context.error(container.line, "the reflection has no prompt",
                          "write the question the learner should reflect on inside the block")
        return Reflection(container.line, block_id, html)

    def heading_level(self, name: str, attributes: dict[str, str]) -> int:
        return 2
