"""Bounds on the parts of Python-Markdown whose cost grows faster than the text.

Python-Markdown reads well-formed text quickly, but a few of its readers scan ahead from every
possible start and give up at the end of the text, so text built of many unclosed starts costs
the square of its length (`bench/hostile_page.py` measured minutes for one page). Each is bounded
here without changing what it makes of text that closes:

- links and images: the text in `[...]` and the address in `(...)` are looked for at most
  `MAX_LINK_PART` characters ahead, not at all when no closing bracket is that near, and one
  conversion may scan at most `SCAN_PER_CHARACTER` times its length in all. Past that budget
  nothing more in the text becomes a link, and `exhausted` says where, for a located error;
- raw HTML blocks: a start tag is looked for at most `MAX_TAG` characters ahead;
- attribute lists at the end of a heading or table cell (`## Title {: #id }`): only looked for
  when the text ends with '}', and a run of spaces is tried once, not from each of its spaces.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import markdown
from markdown.extensions.attr_list import AttrListTreeprocessor
from markdown.htmlparser import HTMLExtractor
from markdown.inlinepatterns import LinkInlineProcessor
from markdown.preprocessors import HtmlBlockPreprocessor

# As long as a line may be (pagelimits), so a link is never too long to be read as one.
MAX_LINK_PART = 5_000
SCAN_PER_CHARACTER = 4
MIN_SCAN_BUDGET = 20_000
MAX_TAG = 2_000
# Python-Markdown's placeholders for stashed text (STX, ETX) are not text a writer wrote.
PLACEHOLDER = re.compile("[\x02\x03]")


class LinkScanBudget:
    """How far the link readers of one Markdown instance may still scan in this conversion."""

    def __init__(self) -> None:
        self.left = MIN_SCAN_BUDGET
        self.exhausted: str | None = None  # the text where scanning stopped

    def reset(self, source: str) -> None:
        self.left = max(MIN_SCAN_BUDGET, SCAN_PER_CHARACTER * len(source))
        self.exhausted = None

    def _spend(self, data: str, index: int, scanned: int) -> None:
        self.left -= scanned
        if self.left <= 0 and self.exhausted is None:
            self.exhausted = PLACEHOLDER.sub("", data[index:index + 60]).split("\n")[0]

    def bound(self, processor: LinkInlineProcessor) -> None:
        """Replace one link reader's scans with bounded ones (its own methods do the work)."""
        get_text: Callable[[str, int], tuple[str, int, bool]] = processor.getText
        get_link: Callable[[str, int], tuple[str, str | None, int, bool]] = processor.getLink

        def bounded_text(data: str, index: int) -> tuple[str, int, bool]:
            end = index + MAX_LINK_PART
            if self.left <= 0 or data.find("]", index, end) < 0:
                return "", index, False
            # The scan starts at the window's start, so copying it costs no more than the scan.
            text, stop, handled = get_text(data[index:end], 0)
            self._spend(data, index, stop)
            return text, index + stop, handled

        def bounded_link(data: str, index: int) -> tuple[str, str | None, int, bool]:
            end = index + MAX_LINK_PART
            if self.left <= 0 or data.find(")", index, end) < 0:
                return "", None, index, False
            window = data[index:end]
            href, title, stop, handled = get_link(window, 0)
            self._spend(data, index, stop if handled else len(window))
            return href, title, index + stop, handled

        processor.getText = bounded_text  # type: ignore[method-assign]
        processor.getLink = bounded_link  # type: ignore[method-assign]


class _BoundedExtractor(HTMLExtractor):
    def check_for_whole_start_tag(self, i: int) -> int:
        # The standard library's reader matches a tag that never closes to the end of the text,
        # backtracking, once from every '<'. A tag with no '>' in its first MAX_TAG characters
        # is read as text instead (-1: "not a whole tag"), and no tag is read past that.
        full = self.rawdata
        end = i + MAX_TAG
        if full.find(">", i, end) < 0:
            return -1
        if len(full) <= end:
            return int(super().check_for_whole_start_tag(i))
        self.rawdata = full[:end]
        try:
            return int(super().check_for_whole_start_tag(i))
        finally:
            self.rawdata = full


class BoundedHtmlBlocks(HtmlBlockPreprocessor):
    """Python-Markdown's raw HTML block reader with start tags bounded in length."""

    def run(self, lines: list[str]) -> list[str]:
        parser = _BoundedExtractor(self.md)
        parser.feed("\n".join(lines))
        parser.close()
        return "".join(parser.cleandoc).split("\n")


class _EndPattern:
    """A pattern for an attribute list that must end the text: searched only when it can."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern

    def search(self, text: str) -> re.Match[str] | None:
        body = text[:-1] if text.endswith("\n") else text
        if not body.rstrip(" ").endswith("}"):
            return None
        return self.pattern.search(text)


class BoundedAttrList(AttrListTreeprocessor):
    # The same pattern, tried only at the first space of a run ((?<![ ])), so a long run of
    # spaces before the end of a heading is crossed once.
    # (types-Markdown marks it Final; Python-Markdown reads it from the instance.)
    HEADER_RE: Any = _EndPattern(  # type: ignore[misc]
        re.compile(rf"(?<![ ])[ ]+{AttrListTreeprocessor.BASE_RE}[ ]*$"))


def bound_markdown(md: markdown.Markdown) -> LinkScanBudget:
    """Bound the readers of `md` listed above; returns the link budget to reset per conversion."""
    budget = LinkScanBudget()
    for processor in md.inlinePatterns:
        if isinstance(processor, LinkInlineProcessor):
            budget.bound(processor)
    md.treeprocessors.register(BoundedAttrList(md), "attr_list", 8)
    return budget
