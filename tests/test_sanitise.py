"""Author HTML is cleaned as a browser would read it (elpack.sanitise), and tricks are located.

The browser side of this (each payload loaded in Chromium) is tests/browser/test_mxss.py.
"""

from __future__ import annotations

import re
import textwrap

import pytest

from conftest import MINIMAL_CONFIG
from elpack.errors import BuildError
from elpack.pipeline import build
from elpack.sanitise import clean_fragment, is_whole_comment

RAW = textwrap.dedent(MINIMAL_CONFIG) + "allow_raw_html: true\n"
# Python's html.parser (and Python-Markdown) read each of these as one comment; a browser ends
# the comment early and runs the rest.
COMMENT_TRICKS = [
    "Text <!--><img src=x onerror=alert(1)>--> more.",
    "Text <!---><img src=x onerror=alert(1)>--> more.",
    "Text <!--><svg onload=alert(1)>--> more.",
    "Text <!--><a href=javascript:alert(1)>x</a>--> more.",
    "Text <!---><details open ontoggle=alert(1)>--> more.",
]
# Python-Markdown reads this as one comment too; Python's html.parser (3.13 and later) and a
# browser end it at '--!>', so elpack sees the <img> as a tag of its own.
ENDS_AT_BANG = "Text <!-- a --!><img src=x onerror=alert(1)> --> more."


def page_html(root) -> str:
    html = build(root).files["index.html"].decode()
    return html[html.index('<main'):html.index('</main>')]


@pytest.mark.parametrize("config", [MINIMAL_CONFIG, RAW], ids=["default", "allow_raw_html"])
@pytest.mark.parametrize("trick", COMMENT_TRICKS)
def test_comments_a_browser_ends_early_are_a_located_error(trick: str, config: str,
                                                           module_factory):
    root = module_factory({"01-welcome.md": f"# Welcome\n\nFirst.\n\n{trick}\n"}, config=config)
    with pytest.raises(BuildError) as raised:
        build(root)
    errors = [p for p in raised.value.problems if p.severity == "error"]
    assert errors, "refused"
    assert [(e.file, e.line) for e in errors] == [("sample/pages/01-welcome.md", 5)] * len(errors)
    assert any(e.message.startswith("this HTML comment ends early in a browser") for e in errors)


def test_a_comment_ending_at_bang_is_read_as_a_browser_reads_it(module_factory):
    root = module_factory({"01-welcome.md": f"# Welcome\n\nFirst.\n\n{ENDS_AT_BANG}\n"})
    with pytest.raises(BuildError) as raised:
        build(root)
    assert [(p.line, p.message) for p in raised.value.problems] == [
        (5, "the HTML tag <img> is not allowed"),
        (5, "the event handler 'onerror' in <img> is not allowed")]
    # Trusted HTML keeps the picture, and loses the handler with a located warning.
    root = module_factory({"01-welcome.md": f"# Welcome\n\nFirst.\n\n{ENDS_AT_BANG}\n"},
                          config=RAW, name="raw")
    result = build(root)
    assert [(w.line, w.message) for w in result.warnings] == [
        (5, "the event handler 'onerror' in <img> is removed")]
    assert "onerror" not in page_html(root)


def test_the_trick_is_found_in_blocks_too(module_factory):
    root = module_factory({"01-welcome.md": "# Welcome\n\n::: question {#q-1}\nPick one.\n\n"
                                            "- [x] Yes <!--><img src=x onerror=alert(1)>-->\n"
                                            "- [ ] No\n:::\n"})
    with pytest.raises(BuildError) as raised:
        build(root)
    assert [(p.line, p.message[:40]) for p in raised.value.problems if p.severity == "error"] == [
        (6, "this HTML comment ends early in a browse")]


def test_plain_comments_are_fine_and_never_reach_the_package(module_factory):
    root = module_factory({"01-welcome.md": "# Welcome\n\nText <!-- a note for reviewers --> more.\n"})
    html = page_html(root)
    assert "Text  more." in html and "a note for reviewers" not in html


def test_a_style_from_an_attribute_list_is_removed_with_a_warning(module_factory):
    # It made the learner's browser fetch a remote picture (tracking).
    root = module_factory({"01-welcome.md": "# Welcome\n\nText\n"
                                            "{: style=\"background:url(https://tracker.example/p.gif)\" }\n"})
    result = build(root)
    assert [(w.line, w.message) for w in result.warnings] == [
        (4, "the attribute 'style' on <p> is removed")]
    assert "tracker.example" not in result.files["index.html"].decode()


def test_table_alignment_keeps_its_style(module_factory):
    root = module_factory({"01-welcome.md": "# Welcome\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n"})
    result = build(root)
    assert result.warnings == []
    assert '<td style="text-align: right;">2</td>' in page_html(root)


def test_an_author_id_cannot_take_the_place_of_the_runtime_data(module_factory):
    root = module_factory({"01-welcome.md": "# Welcome\n\nText\n{: #elpack-data }\n"})
    result = build(root)
    html = result.files["index.html"].decode()
    assert html.count('id="elpack-data"') == 1 and '<script type="application/json" id="elpack-data">' in html
    assert [(w.line, w.message) for w in result.warnings] == [
        (4, "the attribute 'id' on <p> is removed")]


@pytest.mark.parametrize(("dirty", "clean"), [
    ('<a href="JaVaScRiPt:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="java&#x09;script:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="&#106;avascript:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="data:text/html,<script>alert(1)</script>">x</a>', "<a>x</a>"),
    ('<a href="//evil.example/x">x</a>', "<a>x</a>"),
    ('<a href="/\\evil.example/x">x</a>', "<a>x</a>"),
    ('<a href="media/notes.pdf" target="_top">x</a>', '<a href="media/notes.pdf">x</a>'),
    ('<img src="media/a.png" srcset="https://evil.example/a.png 2x" alt="a">',
     '<img src="media/a.png" alt="a">'),
    ('<form><button formaction="javascript:alert(1)">go</button></form>', "go"),
    ('<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', ""),
    ("<svg><style><img src=x onerror=alert(1)></style></svg>", '<img src="x">'),
    ("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", ""),
    ('<noscript><p title="</noscript><img src=x onerror=alert(1)>">', '<img src="x">"&gt;'),
    ('<p title="</script><script>alert(1)</script>">x</p>',
     '<p title="&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;">x</p>'),
    ("<p>a<!-- c --></p><?php x ?><!DOCTYPE html>", "<p>a</p>"),
    ('<span style="position:fixed" onclick="x">s</span>', "<span>s</span>"),
])
def test_the_sanitiser_keeps_only_the_allowlist(dirty: str, clean: str):
    assert clean_fragment(dirty, allow_raw_html=True) == clean
    assert clean_fragment(dirty) == clean


def test_the_sanitiser_output_is_stable():
    """Cleaning twice changes nothing: what a browser re-reads is what was checked."""
    for dirty in COMMENT_TRICKS:
        once = clean_fragment(dirty, allow_raw_html=True)
        assert clean_fragment(once, allow_raw_html=True) == once
        assert not re.search(r"\bon\w+=", once)


def test_is_whole_comment_follows_the_browser():
    assert is_whole_comment("<!-- a note -->")
    assert is_whole_comment("<!-- a -- b -->")
    assert not is_whole_comment("<!--><b>x</b>-->")
    assert not is_whole_comment("<!-- a --!> b -->")
