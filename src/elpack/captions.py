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


def read_cues(file: Path, replaced: dict[str, bytes] | None = None) -> list[Cue]:
    """The cues of a WebVTT file, in order; none if it cannot be read. ``replaced`` holds files
    made in the build (a translation's captions) by their path, used instead of those on disk."""
    made = (replaced or {}).get(file.as_posix())
    if made is not None:
        return parse_cues(made.decode("utf-8-sig", errors="replace"))
    try:
        text = file.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return []
    return parse_cues(text)


def parse_cues(text: str) -> list[Cue]:
    """The cues of the text of a WebVTT file, in order."""
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


def write_cues(cues: list[Cue]) -> bytes:
    """A WebVTT file of ``cues`` (times and payloads; cue settings and notes are not kept)."""
    blocks = ["WEBVTT"] + [f"{cue.start} --> {cue.end}\n{cue.source}" for cue in cues]
    return ("\n\n".join(blocks) + "\n").encode("utf-8")
