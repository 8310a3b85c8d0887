"""Video and audio: a media file with captions and/or a transcript."""

from __future__ import annotations

from typing import ClassVar

from ..containers import Container
from ..model import Block, MediaClip
from .base import BlockType, ParseContext


class MediaType(BlockType):
    names: ClassVar[tuple[str, ...]] = ("video", "audio")

    def parse(self, container: Container, context: ParseContext) -> Block | None:
        attributes = context.attributes(container, {"src", "captions", "title"})
        src = attributes.get("src")
        if not src:
            context.error(container.line, f"the {container.type} block has no src",
                          'add src="media/file" to the block line')
        else:
            src = context.media_file(container.line, src, container.type)
        captions = attributes.get("captions")
        if captions:
            if not captions.lower().endswith(".vtt"):
                context.error(container.line, "captions must be a WebVTT (.vtt) file",
                              "convert the captions to WebVTT")
            captions = context.media_file(container.line, captions, "captions file")
        transcript = context.body(container)
        if not attributes.get("captions") and not transcript:
            context.error(container.line, f"the {container.type} has no captions or transcript",
                          'add captions="media/file.vtt", or write a transcript inside the block')
        return MediaClip(container.line, container.type, src or "", captions,
                         attributes.get("title", ""), transcript)
