"""Active media (issue 16, item 2): links and embeds of pages, SVG, XML and scripts are refused
unless the module trusts its HTML, every package carries a strict Content Security Policy, and
the preview serves the author's media sandboxed."""

from __future__ import annotations

import http.client
import re
import textwrap

import pytest

from conftest import MINIMAL_CONFIG
from elpack.errors import BuildError
from elpack.pipeline import build
from elpack.policy import content_security_policy
from elpack.preview import PreviewServer

SCRIPTED = {"media/page.html": "<script>alert(document.domain)</script>",
            "media/picture.svg": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "media/data.xml": "<x/>", "media/code.js": "alert(1)", "media/old.htm": "<p>x</p>",
            "media/page.xhtml": "<p/>", "media/clip.mp4": "not really a video"}
RAW = textwrap.dedent(MINIMAL_CONFIG) + "allow_raw_html: true\n"


@pytest.mark.parametrize("target", ["media/page.html", "media/picture.svg", "media/data.xml",
                                    "media/code.js", "media/old.htm", "media/page.xhtml",
                                    "media/PICTURE.SVG#x"])
def test_links_to_active_files_are_refused(target: str, module_factory):
    extra = {**SCRIPTED, "media/PICTURE.SVG": SCRIPTED["media/picture.svg"]}
    root = module_factory({"01-welcome.md": f"# Welcome\n\nSee [the page]({target}).\n"}, extra=extra)
    with pytest.raises(BuildError) as raised:
        build(root)
    [problem] = raised.value.problems
    assert (problem.line, problem.message) == (
        3, f"the link '{target}' opens a web page, picture or script that could run code inside "
           "the LMS")
    assert "allow_raw_html" in problem.hint


def test_a_video_block_cannot_embed_a_page(module_factory):
    root = module_factory({"01-welcome.md": '# Welcome\n\n::: video {src="media/page.html"}\n'
                                            "Transcript.\n:::\n"}, extra=SCRIPTED)
    with pytest.raises(BuildError) as raised:
        build(root)
    assert [(p.line, p.message) for p in raised.value.problems] == [
        (3, "the video 'media/page.html' is a web page, picture or script that could run code "
            "inside the LMS")]


def test_images_of_svg_stay_allowed_and_trusted_modules_may_link(module_factory):
    root = module_factory({"01-welcome.md": "# Welcome\n\n![A chart](media/picture.svg)\n\n"
                                            "[A document](media/clip.mp4)\n"}, extra=SCRIPTED)
    html = build(root).files["index.html"].decode()
    assert '<img alt="A chart" src="media/picture.svg">' in html
    root = module_factory({"01-welcome.md": "# Welcome\n\n[The page](media/page.html)\n"},
                          config=RAW, extra=SCRIPTED, name="trusted")
    assert 'href="media/page.html"' in build(root).files["index.html"].decode()


def test_every_package_carries_a_strict_policy_first_in_head(module_factory):
    root = module_factory({"01-welcome.md": "# Welcome\n\nText.\n"})
    html = build(root).files["index.html"].decode()
    head = html[html.index("<head>") + len("<head>"):].lstrip()
    meta = re.match(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', head)
    assert meta, head[:200]
    policy = dict(part.split(" ", 1) for part in meta.group(1).split("; "))
    assert policy["default-src"] == "'none'"
    assert policy["style-src"] == "'self'", "no inline styles, no style attributes"
    sources = policy["script-src"].split()
    assert sources[0] == "'self'" and all(s.startswith("'sha256-") for s in sources[1:])
    assert "'unsafe-inline'" not in meta.group(1) and "http" not in meta.group(1)
    assert "connect-src" not in policy and "frame-src" not in policy  # so: 'none'


def test_the_policy_hashes_only_the_theme_inline_scripts():
    page = ('<head><script>one()</script><script src="a.js"></script>'
            '<script type="application/json" id="elpack-data">{}</script></head>')
    policy = content_security_policy(page)
    assert policy.count("'sha256-") == 1
    assert "'sha256-HR7iaask9daLMRRskMI++QeJtjWDOjyPA6lGzYGzKW4='" in policy  # sha256 of one()


def test_the_preview_serves_module_media_sandboxed(module_factory):
    root = module_factory({"01-welcome.md": "# Welcome\n\n[The page](media/page.html)\n"},
                          config=RAW, extra=SCRIPTED)
    with PreviewServer([root], port=0, watch=False) as server:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        try:
            connection.request("GET", "/m/sample/package/media/page.html")
            response = connection.getresponse()
            response.read()
            assert response.status == 200
            assert response.getheader("Content-Security-Policy") == "sandbox"
            connection.request("GET", "/m/sample/package/index.html")
            response = connection.getresponse()
            response.read()
            assert response.getheader("Content-Security-Policy") is None  # its own meta policy
        finally:
            connection.close()
