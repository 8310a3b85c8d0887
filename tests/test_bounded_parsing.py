"""Bounded parsing (issue 16, item 3): every line pattern elpack runs is linear, and pages over
the limits are refused at their line, never with a traceback.

Growth is measured as a ratio: the same hostile line at n and 4n characters. Linear work takes
about 4 times as long; the patterns this replaced took 16 times (quadratic) or 64 (cubic).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from elpack import checks, containers, parser
from elpack.blocks.choice import branch_item
from elpack.captions import TAG, VOICE
from elpack.errors import BuildError
from elpack.pagelimits import MAX_LINE_CHARACTERS, MAX_NESTING, MAX_PAGE_BYTES
from elpack.pipeline import build
from elpack.questions.matching import match_item

SMALL = 4_000
GROWTH = 4
# Linear is 4; allow for noise on a shared machine, well below quadratic's 16.
MAX_RATIO = 9

HOSTILE: dict[str, tuple[Callable[[str], object], Callable[[int], str]]] = {
    "page title, spaces": (parser.TITLE.match, lambda n: "# x" + " " * n + "y"),
    "page title, tabs and hashes": (lambda s: parser.title_text(s[2:]), lambda n: "# " + "# \t" * n),
    "heading": (checks.ATX_HEADING.match, lambda n: "#" + " " * n + "x"),
    "table separator": (checks._is_table_separator, lambda n: "|" + " -" * n + "x"),
    "table separator, cells": (checks._is_table_separator, lambda n: "-" + "| - " * n + " x"),
    "code spans, one run": (checks._blank_code_spans, lambda n: "`" * n),
    "code spans, many lengths": (checks._blank_code_spans,
                                 lambda n: "".join("`" * (i % 50 + 1) + "a" for i in range(n // 25))),
    "matching item": (match_item, lambda n: "- a" + " " * n + "x"),
    "matching item, arrows": (match_item, lambda n: "- " + "= >" * n),
    "choice option": (branch_item, lambda n: "- a" + " " * n + "-> x y"),
    "caption voice, spaces": (VOICE.search, lambda n: "<v" + " " * n),
    "caption voice, repeated": (lambda s: VOICE.sub("", s), lambda n: "<v " * n),
    "caption tags": (lambda s: TAG.sub("", s), lambda n: "<" * n),
    "block fence": (containers.FENCE.match, lambda n: ":::" + " " * n + "x" + " " * n + "y"),
    "plain-text links": (lambda s: [p.sub("", s) for p, _ in checks.INLINE_CLEANUP],
                         lambda n: "![a](" * (n // 5) + "{" * n + "<" * n + "[^" * n + "[[a" * n),
}


def fastest(function: Callable[[str], object], text: str, runs: int = 5) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        function(text)
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize("case", list(HOSTILE))
def test_every_line_pattern_grows_linearly(case: str):
    function, hostile = HOSTILE[case]
    small_text, large_text = hostile(SMALL), hostile(SMALL * GROWTH)
    measured = []
    # On a shared machine one measurement can be disturbed; superlinear growth shows in every
    # one of three, linear growth in at least one.
    for _ in range(3):
        small, large = fastest(function, small_text), fastest(function, large_text)
        measured.append(f"{small * 1000:.2f} ms -> {large * 1000:.2f} ms")
        # Below a millisecond the clock's noise is larger than the work; the work is then tiny.
        if large < 0.001 or large / max(small, 1e-6) < MAX_RATIO:
            return
    pytest.fail(f"{case}: {'; '.join(measured)}")


def test_the_rewritten_patterns_read_what_the_old_ones_read():
    assert parser.title_text("Welcome ##  ") == "Welcome"
    assert parser.title_text("C# ") == "C"  # as Python-Markdown: closing hashes go
    assert match_item("- Aspirin  =>  pain relief ") == ("Aspirin", "pain relief ")
    assert match_item("- no partner") is None
    assert branch_item("- Call the GP -> gp-call ") == ("Call the GP", "gp-call")
    assert branch_item("- Wait and see") == ("Wait and see", None)
    assert branch_item("- a -> b -> c") == ("a -> b", "c")
    assert checks._is_table_separator("| --- | :-: |")
    assert not checks._is_table_separator("| --- |")
    assert checks._blank_code_spans("a `b` c ``d`e`` f") == "a " + " " * 3 + " c " + " " * 7 + " f"
    assert checks._blank_code_spans("a `b") == "a `b"


def problems_of(root) -> list[tuple[int, str]]:
    with pytest.raises(BuildError) as raised:
        build(root)
    return [(p.line, p.message) for p in raised.value.problems]


def test_a_page_over_the_size_limit_is_refused_before_reading(module_factory):
    root = module_factory({"01-welcome.md": "# Welcome\n\n" + "Text. " * (MAX_PAGE_BYTES // 6 + 10)})
    size = (root / "pages" / "01-welcome.md").stat().st_size
    assert problems_of(root) == [
        (0, f"the page is {size:,} bytes; the limit is {MAX_PAGE_BYTES:,}")]


def test_a_line_over_the_length_limit_is_located(module_factory):
    root = module_factory({"01-welcome.md": "# Welcome\n\nShort.\n\n" + "x" * (MAX_LINE_CHARACTERS + 1)})
    assert problems_of(root) == [
        (5, f"the line is {MAX_LINE_CHARACTERS + 1:,} characters long; the limit is "
            f"{MAX_LINE_CHARACTERS:,}")]


def test_400_nested_lists_are_a_located_error_not_a_traceback(module_factory):
    nested = "".join("    " * depth + "- item\n" for depth in range(400))
    root = module_factory({"01-welcome.md": "# Welcome\n\n" + nested})
    problems = problems_of(root)
    assert problems[0] == (3 + MAX_NESTING, f"lists or quotes are nested {MAX_NESTING + 1} levels "
                                            f"deep here; the limit is {MAX_NESTING}")
    assert len(problems) == 400 - MAX_NESTING


def test_deep_block_quotes_are_a_located_error(module_factory):
    root = module_factory({"01-welcome.md": "# Welcome\n\n" + "> " * 100 + "deep\n"})
    assert problems_of(root) == [(3, "lists or quotes are nested 100 levels deep here; the limit "
                                     f"is {MAX_NESTING}")]


def test_a_recursion_error_in_markdown_becomes_a_located_error(module_factory, monkeypatch):
    import markdown

    def overflow(self, source: str) -> str:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(markdown.Markdown, "convert", overflow)
    root = module_factory({"01-welcome.md": "# Welcome\n\nText.\n"})
    assert (3, "this text is nested too deeply, or is too large, to be read") in problems_of(root)
