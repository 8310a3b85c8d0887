"""WebVTT captions files, read for people: the theme shows an audio clip's captions as its
transcript, and the storyboard lists every cue for reviewers. A translation rewrites only the
text of each cue: the header, NOTE, STYLE and REGION blocks, cue identifiers, times and cue
settings, and the file's line endings stay exactly as written."""

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
    source: str  # the cue's text, its lines joined by spaces
    lines: tuple[str, ...] = ()  # the cue's text, line by line as written

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
    return CaptionsFile.parse(text).cues


_LINE = re.compile(r"([^\r\n]*)(\r\n|\r|\n|$)")
_BLANK = re.compile(r"[ \t]*")


@dataclass(frozen=True)
class CaptionsFile:
    """A WebVTT file as written, with where each cue's text is in it."""

    text: str
    cues: list[Cue]
    spans: list[tuple[int, int]]  # each cue's text: from its first line to the end of its last
    newline: str  # the file's line ending, used between the lines of a rewritten cue
    bom: bool = False

    @classmethod
    def read(cls, file: Path) -> CaptionsFile:
        """The file; an empty one if it cannot be read (the build reports that elsewhere)."""
        try:
            data = file.read_bytes()
        except OSError:
            data = b""
        return cls.parse(data.decode("utf-8-sig", errors="replace"),
                         bom=data.startswith(b"\xef\xbb\xbf"))

    @classmethod
    def parse(cls, text: str, bom: bool = False) -> CaptionsFile:
        blocks: list[list[tuple[str, int, int]]] = [[]]  # runs of lines that are not blank
        endings: list[str] = []
        for match in _LINE.finditer(text):
            if match.start() == len(text) and match.start() > 0:
                break
            line, ending = match.group(1), match.group(2)
            endings.append(ending)
            if _BLANK.fullmatch(line):
                if blocks[-1]:
                    blocks.append([])
            else:
                blocks[-1].append((line, match.start(1), match.end(1)))
            if not ending:
                break
        cues: list[Cue] = []
        spans: list[tuple[int, int]] = []
        for block in blocks:
            lines = [line for line, _, _ in block]
            timing = next((n for n, line in enumerate(lines) if TIMING.match(line)), None)
            if timing is None:  # the WEBVTT header, NOTE, STYLE and REGION blocks
                continue
            times = TIMING.match(lines[timing])
            assert times is not None
            payload = tuple(lines[timing + 1:])
            cues.append(Cue(times.group(1), times.group(2), " ".join(payload), payload))
            end = block[timing][2]  # a cue without text: its text goes after the timing line
            spans.append((block[timing + 1][1], block[-1][2]) if payload else (end, end))
        newline = next((ending for ending in endings if ending), "\n")
        return cls(text, cues, spans, newline, bom)

    def rewritten(self, texts: dict[int, str]) -> bytes:
        """The file with the text of cue ``index`` replaced by ``texts[index]`` (lines separated
        by "\\n"); everything else as written."""
        out: list[str] = []
        position = 0
        for index, (start, end) in enumerate(self.spans):
            if index not in texts:
                continue
            lines = [line for line in texts[index].split("\n") if line.strip()]
            written = self.newline.join(lines)
            if start == end and written:  # the cue had no text: it gets a line of its own
                written = self.newline + written
            out += [self.text[position:start], written]
            position = end
        out.append(self.text[position:])
        return ("\ufeff" if self.bom else "").encode("utf-8") + "".join(out).encode("utf-8")
