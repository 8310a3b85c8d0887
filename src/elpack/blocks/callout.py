"""Callouts: a boxed passage with a heading (key point, warning, tip, signpost, summary, references)."""

from __future__ import annotations

from typing import ClassVar

from ..containers import Container
from ..model import Block, Callout
from .base import BlockType, ParseContext

CALLOUT_TITLES = {
    "key-point": "Key point",
    "warning": "Warning",
    "tip": "In practice",
    "signpost": "Support is available",
    "summary": "Summary",
    "references": "References and further reading",
}


class CalloutType(BlockType):
    names: ClassVar[tuple[str, ...]] = tuple(CALLOUT_TITLES)

    def parse(self, container: Container, context: ParseContext) -> Block | None:
        attributes = context.attributes(container, {"title"})
        html = context.body(container)
        if not html:
            context.error(container.line, f"the '{container.type}' block is empty",
                          "write its text between the '::: " + container.type + "' and ':::' lines")
        title = attributes.get("title") or CALLOUT_TITLES[container.type]
        return Callout(container.line, container.type, title, html)

    def heading_level(self, name: str, attributes: dict[str, str]) -> int:
        return 2

    def is_prose(self, name: str) -> bool:
        # Citations are not prose: they would fail every readability measure without saying anything.
        return name != "references"
