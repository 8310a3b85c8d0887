"""No repeated text on a page: a heading, a legend and a hint never say the same words twice
(screen reader users hear each one), checked on every page of every example module."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest

from conftest import MODULES, REPO
from elpack.pipeline import build

EXAMPLES = sorted(path for path in MODULES.iterdir() if (path / "module.yml").is_file())
TEST_MODULES = [REPO / "tests" / "browser" / "modules" / "every-block",
                REPO / "tests" / "golden" / "sample-module"]


def words(element: lxml.html.HtmlElement) -> str:
    """What a screen reader says, compared loosely: case, spacing and end punctuation aside."""
    text = " ".join(element.text_content().split()).lower()
    return text.rstrip(".?!:")


def labelled_texts(page: lxml.html.HtmlElement) -> list[tuple[str, str]]:
    found = [(f"heading {h.tag}", words(h)) for h in page.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    found += [("legend", words(legend)) for legend in page.iter("legend")]
    found += [("hint", words(hint)) for hint in page.find_class("hint")]
    return [(kind, text) for kind, text in found if text]


@pytest.mark.parametrize("root", EXAMPLES + TEST_MODULES, ids=lambda path: path.name)
def test_no_page_repeats_a_heading_legend_or_hint(root: Path):
    document = lxml.html.fromstring(build(root).files["index.html"].decode("utf-8"))
    pages = document.find_class("page")
    assert pages
    problems = []
    for page in pages:
        texts = labelled_texts(page)
        seen: dict[str, str] = {}
        for kind, text in texts:
            if text in seen:
                problems.append(f"{page.get('id')}: the {kind} '{text}' repeats a {seen[text]}")
            seen.setdefault(text, kind)
        legends = [text for kind, text in texts if kind == "legend"]
        for kind, text in texts:
            if kind == "hint" and any(re.search(rf"\b{re.escape(text)}\b", legend) for legend in legends):
                problems.append(f"{page.get('id')}: the hint '{text}' repeats words of its legend")
    assert problems == []
