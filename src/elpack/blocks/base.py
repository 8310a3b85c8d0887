"""What every block type owns, and what the parser offers it while it parses.

A block type is one class in one file of this package, registered in ``blocks/__init__.py`` under
the words authors write after ``:::``. It parses its container into a model object (making its
authoring checks as it goes), and tells the theme, the runtime and ``elpack check`` what they need
to know about it, so none of them switches on block names.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import ClassVar, Protocol

from ..config import ModuleConfig
from ..containers import Container
from ..markdown_render import MarkdownRenderer
from ..model import Block

INDENTED = re.compile(r"^\s+\S")  # a line carried on from the one before
INDENTED_FEEDBACK = re.compile(r"^\s+>\s?(.*)$")  # '  > ...' under an option


class ParseContext(Protocol):
    """The page parser, as a block type sees it: where it is and the helpers every block uses."""

    config: ModuleConfig
    renderer: MarkdownRenderer
    file: Path

    def error(self, line: int, message: str, hint: str = "") -> None: ...

    def warning(self, line: int, message: str, hint: str = "") -> None:
        """For text that looks like elpack syntax but may be meant as it is."""
        ...

    def attributes(self, container: Container, allowed: set[str]) -> dict[str, str]:
        """The block's attributes; any not in ``allowed`` (or 'id') gets a warning."""
        ...

    def block_id(self, container: Container, prefix: str) -> str:
        """The block's '#id', or one numbered per page such as 'welcome-q2'."""
        ...

    def no_nesting(self, container: Container) -> None: ...

    def markdown(self, numbered: list[tuple[int, str]]) -> str:
        """Numbered Markdown lines to HTML ("" for none)."""
        ...

    def body(self, container: Container) -> str:
        """The block's text as HTML; nested blocks are reported."""
        ...

    def media_file(self, line: int, reference: str, what: str) -> str | None:
        """A media file of the module, recorded for the package; None when refused."""
        ...


class BlockType:
    """A block type. Subclasses set ``names`` and override :meth:`parse`."""

    names: ClassVar[tuple[str, ...]]  # what authors write after ':::'
    # The learner runtime's behaviour module (under runtime/src/), or None for a static block.
    runtime_module: ClassVar[str | None] = None

    def parse(self, container: Container, context: ParseContext) -> Block | None:
        raise NotImplementedError

    # -- for the checks of ``elpack check`` ----------------------------------------------------

    def heading_level(self, name: str, attributes: dict[str, str]) -> int:
        """The level of the heading the block's template shows before its text; 0 for none."""
        return 0

    def is_prose(self, name: str) -> bool:
        """Whether the block's text is running prose that readability measures apply to."""
        return True

    def learner_text(self, text: str) -> str | None:
        """The words learners read on a body line of this block, when they are not the line's
        Markdown (a speaker's name, a 'Correct:' label); None when the line reads as Markdown."""
        return None

    def item_text(self, item: str) -> str:
        """The words learners read in a list item of this block, its marker taken off."""
        return item
