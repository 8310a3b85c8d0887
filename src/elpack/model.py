"""The content model: what a module says, independent of how a theme shows it.

The parser turns page files into these objects; templates render them; ``elpack inspect``
serialises them to JSON; the runtime receives the scoring parts as JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from .characters import Character
from .config import ModuleConfig


@dataclass
class Block:
    """A piece of a page. ``kind`` names the template that renders it."""

    kind: ClassVar[str] = "block"
    line: int

    @property
    def template(self) -> str:
        return f"blocks/{self.kind}.html"


@dataclass
class Prose(Block):
    """Plain Markdown between blocks."""

    kind: ClassVar[str] = "prose"
    source: str = ""
    html: str = ""


@dataclass
class Callout(Block):
    """A boxed passage: key-point, warning, tip, signpost, summary or references."""

    kind: ClassVar[str] = "callout"
    style: str = "key-point"
    title: str = ""
    html: str = ""


@dataclass
class Scene(Block):
    """Narration that sets a scene, with an optional picture."""

    kind: ClassVar[str] = "scene"
    title: str = ""
    image: str | None = None
    alt: str = ""
    html: str = ""


@dataclass
class Speech:
    """One line of a dialogue; ``speaker`` is None for a stage direction."""

    line: int
    speaker: Character | None
    html: str


@dataclass
class Dialogue(Block):
    kind: ClassVar[str] = "dialogue"
    id: str = ""
    speeches: list[Speech] = field(default_factory=list)


@dataclass
class Expert(Block):
    """Commentary from a named expert."""

    kind: ClassVar[str] = "expert"
    expert: Character | None = None
    title: str = ""
    html: str = ""


@dataclass
class Reflection(Block):
    """A pause to reflect, with a free-text answer the learner can save."""

    kind: ClassVar[str] = "reflection"
    id: str = ""
    prompt_html: str = ""


@dataclass
class BranchOption:
    id: str
    line: int
    label_html: str
    target: str | None = None
    feedback_html: str = ""


@dataclass
class BranchChoice(Block):
    """A "what would you do?" choice whose options lead to consequence pages or passages."""

    kind: ClassVar[str] = "choice"
    id: str = ""
    prompt_html: str = ""
    options: list[BranchOption] = field(default_factory=list)


@dataclass
class MediaClip(Block):
    """A video or audio file with captions and/or a transcript."""

    kind: ClassVar[str] = "media"
    media_type: str = "video"
    src: str = ""
    captions: str | None = None
    title: str = ""
    transcript_html: str = ""


@dataclass
class Option:
    """An answer option. ``partner`` is the matching target; ``correct`` marks right answers."""

    id: str
    line: int
    text: str
    html: str
    correct: bool = False
    feedback_html: str = ""
    partner: str | None = None


@dataclass
class Question(Block):
    """A question; ``type`` names its registered :class:`questions.QuestionType`."""

    kind: ClassVar[str] = "question"
    id: str = ""
    type: str = "single"
    prompt_html: str = ""
    options: list[Option] = field(default_factory=list)
    correct_html: str = ""
    incorrect_html: str = ""
    feedback_html: str = ""
    shuffle: bool = True
    scored: bool = False
    objective: str | None = None  # the learning objective it tests, as written: number or id
    # Short-text answers accepted in the module's other languages, added from its translations
    # (translation.apply.add_translated_answers), the same in every language's package.
    translated_answers: list[str] = field(default_factory=list)

    @property
    def partners(self) -> list[str]:
        """Distinct matching targets in first-use order; target n has the id str(n)."""
        return list(dict.fromkeys(o.partner for o in self.options if o.partner is not None))


@dataclass
class Assessment(Block):
    """The scored final assessment: a pool of questions."""

    kind: ClassVar[str] = "assessment"
    id: str = "assessment"
    questions: list[Question] = field(default_factory=list)


@dataclass
class Page:
    id: str
    title: str
    file: Path
    blocks: list[Block] = field(default_factory=list)
    branch: bool = False
    next: str | None = None
    next_line: int = 1  # where 'next:' is written in the front matter, for error messages
    lines: list[str] = field(default_factory=list)  # the body as written, after the front matter
    first_line: int = 1  # file line of lines[0]

    def walk(self) -> list[Block]:
        """Every block on the page, with assessment questions after their assessment."""
        found: list[Block] = []
        for block in self.blocks:
            found.append(block)
            if isinstance(block, Assessment):
                found.extend(block.questions)
        return found


@dataclass
class Module:
    """A parsed module: its settings, pages and the media files the pages use."""

    config: ModuleConfig
    pages: list[Page]
    media: set[str] = field(default_factory=set)
    # A translated glossary term -> the anchor of its English term, which the text links to.
    term_anchors: dict[str, str] = field(default_factory=dict)
    # Media files made by the build instead of read from the module (translated captions), by
    # their path in the module.
    made_files: dict[str, bytes] = field(default_factory=dict)

    @property
    def questions(self) -> list[Question]:
        return [b for p in self.pages for b in p.walk() if isinstance(b, Question)]

    @property
    def knowledge_checks(self) -> list[Question]:
        """Questions outside the final assessment: unscored, and the learner may retry them."""
        assessment = self.assessment
        pool = {id(q) for q in assessment.questions} if assessment else set()
        return [q for q in self.questions if id(q) not in pool]

    @property
    def assessment(self) -> Assessment | None:
        return next((b for p in self.pages for b in p.blocks if isinstance(b, Assessment)), None)

    @property
    def draw(self) -> int:
        """How many questions each assessment attempt draws: 'draw:', or the whole pool."""
        assessment = self.assessment
        pool = len(assessment.questions) if assessment else 0
        return self.config.assessment.draw or pool

    @property
    def reflections(self) -> list[Reflection]:
        return [b for p in self.pages for b in p.blocks if isinstance(b, Reflection)]

    @property
    def choices(self) -> list[BranchChoice]:
        return [b for p in self.pages for b in p.blocks if isinstance(b, BranchChoice)]

    @property
    def is_scored(self) -> bool:
        assessment = self.assessment
        return bool(assessment and any(q.scored for q in assessment.questions))
