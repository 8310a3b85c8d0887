"""Dialogues: lines spoken by the module's characters, and stage directions."""

from __future__ import annotations

import re
from typing import ClassVar

from ..containers import Container
from ..model import Block, Dialogue, Speech
from .base import INDENTED, BlockType, ParseContext

SPEECH = re.compile(r"^([a-z][a-z0-9-]*)\s*:\s+(.*)$")


class DialogueType(BlockType):
    names: ClassVar[tuple[str, ...]] = ("dialogue",)

    def parse(self, container: Container, context: ParseContext) -> Block | None:
        context.attributes(container, set())
        context.no_nesting(container)
        characters = context.config.characters_by_id
        speeches: list[Speech] = []
        spoken = False
        for line, text in container.text_lines():
            if not text.strip():
                continue
            if INDENTED.match(text) and speeches:
                extra = context.renderer.inline(text.strip(), context.file, line)
                speeches[-1].html += " " + extra
                continue
            match = SPEECH.match(text.strip())
            if match:
                spoken = True
                speaker = characters.get(match.group(1))
                if speaker is None:
                    known = ", ".join(characters) or "none declared yet"
                    context.error(line, f"'{match.group(1)}' is not a character of this module",
                                  f"declare it under 'characters:' in module.yml (known: {known})")
                    continue
                html = context.renderer.inline(match.group(2), context.file, line)
                speeches.append(Speech(line, speaker, html))
            else:
                stage = text.strip()
                if stage.startswith("(") and stage.endswith(")"):
                    stage = stage[1:-1]
                speeches.append(Speech(line, None, context.renderer.inline(stage, context.file,
                                                                           line)))
        if not spoken:
            context.error(container.line, "the dialogue has no speech",
                          "write lines such as 'sam: Hello, what has happened today?'")
        return Dialogue(container.line, container.attributes.get("id", ""), speeches)

    def learner_text(self, text: str) -> str | None:
        if text[0].isspace():
            return None  # a speech carried on to the next line
        speech = SPEECH.match(text.strip())
        return (speech.group(2) if speech else text.strip()).strip("()")
