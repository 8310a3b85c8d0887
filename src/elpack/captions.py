"""WebVTT captions files, read for people: the theme shows an audio clip's captions as its
transcript, and the storyboard lists every cue for reviewers."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

TIMING = re.compile(r"^\s*(\S+)\s+-->\s+(\S+)")
# No class here matches "<", so a search is linear however many "<v" a line holds.
VOICE = re.compile(r"<v(?:\.[^\s<>]*+)?\s++([^<>]+)>")
TAG = re.compile(r"<[^<>]*>")


@dataclass(frozen=True)
class Cue:
    """One caption: its times and its payload as written (with <v Name> and other tags)."""

    start: str
    end: str
    source: str

    @property
    def speaker(self) -> str:
        """The first voice the cue names, or ""."""
        voice = VOICE.search(self.source)
        return voice.group(1).strip() if voice else ""

    @property
    def words(self) -> str:
        """What is said, without tags or voice names."""
        return html.unescape(TAG.sub("", self.source)).strip()

    @property
    def text(self) -> str:
        """What is said, with each voice named where the cue names it: "Sam: Evening."."""
        return html.unescape(TAG.sub("", VOICE.sub(r"\1: ", self.source))).strip()


def read_cues(file: Path) -> list[Cue]:
    """The cues of a WebVTT file, in order; none if it cannot be read."""
    try:
        text = file.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return []
    cues = []
    for block in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = block.strip("\n").split("\n")
        timing = next((number for number, line in enumerate(lines) if TIMING.match(line)), None)
        if timing is None:  # the WEBVTT header, NOTE, STYLE and REGION blocks
            continue
        match = TIMING.match(lines[timing])
        assert match is not None
        cues.append(Cue(match.group(1), match.group(2), " ".join(lines[timing + 1:])))
    return cues
