"""The allowlist every author fragment passes through on its way into a package.

Markdown and the raw HTML in it are the author's; the theme's templates and the markup elpack's
renderer adds (figures, new-tab notes, glossary links) are trusted. What the renderer makes of an
author's text is cleaned with nh3 (ammonia, which parses as an HTML5 browser does), so what the
page shows is what the allowlist allows, however the source was written: comments, processing
instructions and declarations go, and so do event handlers, `style`, scripts and any URL whose
scheme is not https, http, mailto or tel, or which leaves the package (`//host/...`).

The raw HTML checks in markdown_render tell the author, at the line, what is not allowed; this is
the guarantee behind them, for what they cannot see: text Python's html.parser reads one way and
a browser another (`<!--><img onerror=...>-->`).
"""

from __future__ import annotations

import re
from functools import cache

import nh3

URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# What Python-Markdown (with elpack's extensions) and elpack's renderer write, plus the inline
# tags an author may write as HTML in any module.
TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "dd", "del", "dfn", "div", "dl", "dt",
    "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
    "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
})
# Tags a module with 'allow_raw_html: true' may add: structure and media, never script.
RAW_HTML_TAGS = TAGS | frozenset({
    "article", "aside", "audio", "caption", "col", "colgroup", "details", "iframe", "picture",
    "section", "source", "summary", "track", "video",
})
# Removed with everything inside them, so that no script text shows up as page text.
CONTENT_REMOVED = frozenset({"script", "style", "template", "noscript", "xmp", "noembed",
                             "noframes", "plaintext"})
GLOBAL_ATTRIBUTES = frozenset({"class", "dir", "id", "lang", "title"})
ATTRIBUTES = {
    "*": set(GLOBAL_ATTRIBUTES),
    "a": {"href", "rel", "target"},
    "img": {"src", "alt"},
    "ol": {"start"},
    "time": {"datetime"},
    "del": {"datetime"},
    "ins": {"datetime"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
RAW_HTML_ATTRIBUTES = {
    **ATTRIBUTES,
    "img": {"src", "alt", "width", "height", "loading"},
    "iframe": {"src", "width", "height", "allow", "allowfullscreen", "loading",
               "referrerpolicy"},
    "audio": {"src", "controls", "preload"},
    "video": {"src", "controls", "preload", "poster", "width", "height"},
    "source": {"src", "type"},
    "track": {"src", "kind", "srclang", "label", "default"},
    "details": {"open"},
    "col": {"span"},
    "colgroup": {"span"},
}
# Python-Markdown's tables write column alignment as these styles; no other style is kept.
ALIGNMENTS = {"text-align: left;", "text-align: center;", "text-align: right;"}
STYLE_VALUES = {"th": {"style": ALIGNMENTS}, "td": {"style": ALIGNMENTS}}
# Attributes the browser fetches as the page loads: pictures, media and posters come from the
# package (links may point anywhere allowed; a trusted iframe is the module's choice).
PACKAGE_ONLY = frozenset({"src", "poster"})
# The theme's own element ids: an author id that equals one would take its place in
# getElementById (the runtime's data is read by id).
RESERVED_ID_PREFIX = "elpack"


def attribute_kept(tag: str, name: str, value: str, allow_raw_html: bool) -> bool:
    """Whether the sanitiser keeps this attribute (URLs aside), to warn at the author's line."""
    allowed = RAW_HTML_ATTRIBUTES if allow_raw_html else ATTRIBUTES
    if name in allowed["*"] or name in allowed.get(tag, set()):
        # Addresses are the link and image checks' to report, at their line.
        return name in PACKAGE_ONLY or _attribute(tag, name, value) is not None
    return value in STYLE_VALUES.get(tag, {}).get(name, set())


def _leaves_package(url: str) -> bool:
    """A scheme (https:, data:, ...) or a host: the browser would fetch it from elsewhere."""
    url = url.strip()
    head = re.split(r"[/?#]", url, maxsplit=1)[0]
    return ":" in head or url.startswith("//")


def _relative_url(url: str) -> str | None:
    """A relative URL stays only if it stays inside the package: no '//host', no backslashes
    (browsers read '\\' as '/'), no control characters."""
    if url.startswith(("//", "/\\", "\\")) or "\\" in url or any(ord(c) < 0x20 for c in url):
        return None
    return url


def _attribute(tag: str, name: str, value: str) -> str | None:
    if name in PACKAGE_ONLY and tag != "iframe" and _leaves_package(value):
        return None
    if name == "id" and value.lower().startswith(RESERVED_ID_PREFIX):
        return None
    if name == "target" and value != "_blank":
        return None
    return value


@cache
def _cleaner(allow_raw_html: bool) -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(RAW_HTML_TAGS if allow_raw_html else TAGS),
        clean_content_tags=set(CONTENT_REMOVED),
        attributes=RAW_HTML_ATTRIBUTES if allow_raw_html else ATTRIBUTES,
        attribute_filter=_attribute,
        strip_comments=True,
        link_rel=None,  # the renderer sets rel="noopener" on the links that open a new tab
        tag_attribute_values=STYLE_VALUES,
        url_schemes=set(URL_SCHEMES),
        url_relative=_relative_url,
    )


def clean_fragment(html: str, allow_raw_html: bool = False) -> str:
    """An author's rendered HTML, reduced to the allowlist."""
    return _cleaner(allow_raw_html).clean(html)


def is_whole_comment(comment: str) -> bool:
    """True if a browser reads this text, which Python reads as one comment, as one comment
    too. '<!-->' and '<!--->' end a comment at once in HTML5, and '--!>' ends it as well, so the
    rest of the 'comment' becomes markup."""
    return nh3.clean(comment, tags=set(), clean_content_tags=set()) == ""
