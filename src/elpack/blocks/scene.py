"""Scenes: narration that sets a scene, with an optional picture."""

from __future__ import annotations

from typing import ClassVar

from ..containers import Container
from ..model import Block, Scene
from .base import BlockType, ParseContext


class SceneType(BlockType):
    names: ClassVar[tuple[str, ...]] = ("scene",)

    def parse(self, container: Container, context: ParseContext) -> Block | None:
        attributes = context.attributes(container, {"title", "image", "alt"})
        image = attributes.get("image")
        alt = attributes.get("alt", "").strip()
        if image:
            image = context.media_file(container.line, image, "image")
            if not alt:
                context.error(container.line, "the scene's image has no alt text",
                              'add alt="what the picture shows" to the block line')
        return Scene(container.line, attributes.get("title", ""), image, alt,
                     context.body(container))

    def heading_level(self, name: str, attributes: dict[str, str]) -> int:
        return 2 if attributes.get("title") else 0
