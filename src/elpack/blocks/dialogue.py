"""Dialogues: lines spoken by the module's characters, and stage directions."""

from __future__ import annotations

import difflib
import re
from typing import ClassVar

from ..containers import Container
from ..model import Block, Dialogue, Speech
from .base import INDENTED, BlockType, ParseContext

SPEECH = re.compile(r"^([a-z][a-z0-9-]*)\s*:\s+(.*)$")
# 'Tom: ...', 'Dr Hale: ...': a name and a colon that SPEECH does not take as a speaker.
TITLES = {"dr", "mr", "mrs", "ms", "miss", "prof", "nurse"}
NAMED_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9 .'-]{0,40}?)\s*:\s+(.*)$")


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
                    meant = _character_meant(match.group(1), context)
                    context.error(line, f"'{match.group(1)}' is not a character of this module",
                                  f"did you mean '{meant}'?" if meant else
                                  f"declare it under 'characters:' in module.yml (known: {known})")
                    continue
                html = context.renderer.inline(match.group(2), context.file, line)
                speeches.append(Speech(line, speaker, html))
            else:
                _check_stage_direction(text.strip(), line, context)
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


def _character_meant(name: str, context: ParseContext) -> str | None:
    """The id of the character ``name`` most likely means: the id in other letters, the name
    or first name, or a close spelling of either."""
    folded = name.strip().lower()
    by_name: dict[str, str] = {}
    for character in context.config.characters:
        by_name[character.id] = character.id
        by_name[character.name.lower()] = character.id
        words = [w for w in character.name.lower().split() if w.rstrip(".") not in TITLES]
        for word in words[:1]:
            by_name.setdefault(word, character.id)
        by_name.setdefault(character.id.replace("-", " "), character.id)
    if folded in by_name:
        return by_name[folded]
    guess = difflib.get_close_matches(folded, list(by_name), n=1, cutoff=0.75)
    return by_name[guess[0]] if guess else None


def _check_stage_direction(text: str, line: int, context: ParseContext) -> None:
    """A stage direction that starts like speech by a character: capitalised, or misspelt."""
    named = NAMED_LINE.match(text)
    if not named:
        return
    meant = _character_meant(named.group(1), context)
    if meant is None:
        return
    exact = named.group(1).strip().lower() in (meant, meant.replace("-", " "))
    message = (f"'{named.group(1)}:' is shown as a stage direction, not as speech by "
               f"'{meant}'")
    said = named.group(2)
    hint = ("start speech with the character's id in small letters: "
            f"'{meant}: {said if len(said) <= 30 else said[:30] + '...'}'")
    if exact or named.group(1).strip().lower() in _names(context):
        context.error(line, message, hint)
    else:  # a close spelling: perhaps meant as it is
        context.warning(line, message, hint + "; if it is meant as a stage direction, put it "
                        "in brackets: '(...)'")


def _names(context: ParseContext) -> set[str]:
    names = set()
    for character in context.config.characters:
        names.add(character.name.lower())
        words = [w for w in character.name.lower().split() if w.rstrip(".") not in TITLES]
        names.update(words[:1])
    return names
