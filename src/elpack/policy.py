"""The Content Security Policy every package's index.html carries, and the rule on active media.

A package runs in the LMS's origin, so what it may load is pinned in a <meta> policy placed first
in <head>: scripts, styles, pictures, media and fonts from the package only ('self'), no
connections, frames, objects or forms, and no inline script except the theme's own, each allowed
by its hash. Inline event handlers never run under it. The author's HTML has already been cleaned
(elpack.sanitise); the policy is what still holds if something slips through.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import PurePosixPath

# Files a browser opens as a document that can run script in the LMS's origin. A link to one is
# refused unless the module trusts its HTML; an <img> of an SVG runs no script, so images stay.
ACTIVE_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".svg", ".xml", ".js"})
HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
# Inline scripts the theme wrote; JSON data blocks are not run, so they need no hash.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>",
                           re.IGNORECASE | re.DOTALL)
PREVIEW_MEDIA_POLICY = "sandbox"


def is_active_file(path: str) -> bool:
    return PurePosixPath(path.lower()).suffix in ACTIVE_SUFFIXES


def content_security_policy(html: str) -> str:
    hashes = sorted({"'sha256-" + base64.b64encode(hashlib.sha256(m.group(1).encode()).digest())
                     .decode() + "'" for m in INLINE_SCRIPT.finditer(html)})
    return "; ".join([
        "default-src 'none'",
        " ".join(["script-src 'self'", *hashes]),
        "style-src 'self'",
        "img-src 'self' data:",
        "media-src 'self'",
        "font-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
    ])


def with_content_security_policy(html: str) -> str:
    """The launch page with its policy as the first element of <head>."""
    meta = (f'\n<meta http-equiv="Content-Security-Policy" '
            f'content="{content_security_policy(html)}">')
    head = HEAD.search(html)
    if head is None:
        return meta.lstrip("\n") + html
    return html[:head.end()] + meta + html[head.end():]
