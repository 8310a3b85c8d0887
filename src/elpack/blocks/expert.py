"""Expert views: commentary from a named expert, one of the module's characters."""

from __future__ import annotations

from typing import ClassVar

from ..containers import Container
from ..model import Block, Expert
from .base import BlockType, ParseContext


class ExpertType(BlockType):
    names: ClassVar[tuple[str, ...]] = ("expert",)

    def parse(self, container: Container, context: ParseContext) -> Block | None:
        attributes = context.attributes(container, {"who", "title"})
        who = attributes.get("who")
        expert = context.config.characters_by_id.get(who or "")
        if who is None:
            context.error(container.line, "the expert block does not say who is speaking",
                          "add who=character-id, e.g. '::: expert {who=dr-hale}'")
        elif expert is None:
            context.error(container.line, f"'{who}' is not a character of this module",
                          "declare the expert under 'characters:' in module.yml")
        html = context.body(container)
        title = attributes.get("title") or "Expert view"
        return Expert(container.line, expert, title, html)

    def heading_level(self, name: str, attributes: dict[str, str]) -> int:
        return 2
