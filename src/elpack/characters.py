"""Characters: the people who speak in a module's stories. A module declares them in module.yml,
and a programme in programme.yml for all of its modules."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .schema import SLUG, SLUG_HINT, Context, Text, schema_of, setting


@dataclass(frozen=True, kw_only=True)
class Character:
    """Someone who speaks in a dialogue or gives expert commentary."""

    id: str = setting(Text("Short id used in dialogue lines, e.g. 'sam'.", required=True,
                           max_length=40, pattern=SLUG, pattern_hint=SLUG_HINT))
    name: str = setting(Text("Full name shown to learners.", required=True, max_length=100))
    role: str = setting(Text("Role shown beside the name, e.g. 'Paramedic'.", required=True,
                             max_length=100))
    avatar: str | None = setting(Text("Optional picture in media/; otherwise initials on a "
                                      "colour."), None)
    line: int = 0

    @property
    def initials(self) -> str:
        words = [w for w in re.split(r"[\s-]+", self.name) if w[:1].isalpha()]
        if len(words) > 1 and words[0].rstrip(".").lower() in {"dr", "mr", "mrs", "ms", "miss"}:
            words = words[1:]
        return "".join(w[0].upper() for w in words[:2]) or "?"

    def same_person(self, other: Character) -> bool:
        """Whether two declarations of one id describe the same person (a module may add an
        avatar to a programme's character)."""
        return (self.name, self.role) == (other.name, other.role)


CHARACTER_SCHEMA = schema_of(Character)


def check_character_ids(characters: list[Character], context: Context) -> None:
    """Each id once in one file."""
    seen: dict[str, Character] = {}
    for character in characters:
        if character.id in seen:
            context.problems.error(
                context.file, character.line,
                f"character id '{character.id}' is used twice "
                f"(first at line {seen[character.id].line})",
                "give each character a different id")
        seen[character.id] = character
