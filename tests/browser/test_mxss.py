"""Mutation-XSS payloads, built into packages and loaded in Chromium: no script runs, no request
leaves the package, and the runtime works under the package's Content Security Policy.

Each payload is built twice, with the default settings and with 'allow_raw_html: true' (where only
the sanitiser stands between the author's HTML and the page). A build either refuses the payload
with located errors, or makes a package whose page is loaded twice: as built, and with its CSP
removed, so that the sanitiser is tested on its own. Hypothesis grows the corpus from parts.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from elpack.errors import BuildError
from elpack.pipeline import build

from .serving import serve_directory

pytestmark = pytest.mark.usefixtures("browser")

CONFIG = textwrap.dedent("""\
    id: sample
    title: Sample module
    description: Payloads.
    version: "1.0.0"
    language: en-GB
    duration_minutes: 5
    """)
RAW_CONFIG = CONFIG + "allow_raw_html: true\n"
HOOK = "function(){ (window.top.__ran = window.top.__ran || []).push(String(arguments[0])); }"
# Every way a payload may try to run script ends in one of these; each records the call.
INIT_SCRIPT = f"window.alert = window.confirm = window.prompt = window.print = {HOOK};"

CORPUS = [
    # comment tricks: Python and the browser end the comment in different places
    "Text <!--><img src=x onerror=alert(1)>--> more.",
    "Text <!---><img src=x onerror=alert(1)>--> more.",
    "Text <!-- a --!><img src=x onerror=alert(1)> --> more.",
    "<!--><svg onload=alert(1)>-->",
    "<!--<!--><img src=x onerror=alert(1)>-->",
    "<? x ><img src=x onerror=alert(1)> ?>",
    "<!x><img src=x onerror=alert(1)>",
    "</x <img src=x onerror=alert(1)>>",
    # raw text elements and attributes that hold markup
    '<p title="</p><img src=x onerror=alert(1)>">x</p>',
    '<a title="</script><script>alert(1)</script>">x</a>',
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<textarea></textarea><img src=x onerror=alert(1)></textarea>",
    "<title><img src=x onerror=alert(1)></title>",
    "<style><img src=x onerror=alert(1)></style>",
    "<xmp><img src=x onerror=alert(1)></xmp>",
    "<template><img src=x onerror=alert(1)></template>",
    # foreign content: svg and math namespace confusion
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "<svg></p><style><a id=\"</style><img src=1 onerror=alert(1)>\">",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<math><mi><mglyph><svg><mtext><textarea><path id=\"</textarea><img onerror=alert(1) src=1>\">",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text y=20>x</text></a></svg>",
    "<svg><animate attributeName=href values=javascript:alert(1) /><a><text>x</text></a></svg>",
    "<svg><script>alert(1)</script></svg>",
    "<math href=\"javascript:alert(1)\">x</math>",
    # URLs: schemes, encodings, srcset, formaction, remote origins
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<img src="media/a.png" srcset="https://evil.example/a.png 1x" alt="x">',
    '<img src="//evil.example/a.png" alt="x">',
    '<img src="\\\\evil.example/a.png" alt="x">',
    '<form action="https://evil.example/"><button formaction="javascript:alert(1)">go</button></form>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="https://evil.example/">',
    '<video poster="https://evil.example/p.png"><source src="x" onerror="alert(1)"></video>',
    '<audio src="x" onerror="alert(1)"></audio>',
    # handlers and styles
    "<details open ontoggle=alert(1)>x</details>",
    '<input autofocus onfocus="alert(1)">',
    "<body onload=alert(1)>",
    '<span style="background:url(https://evil.example/t.gif)">x</span>',
    '<div style="width: expression(alert(1))">x</div>',
    # Markdown routes into attributes
    "Text\n{: onclick=\"alert(1)\" }",
    "Text\n{: style=\"background:url(https://evil.example/t.gif)\" }",
    "Text\n{: #elpack-data }",
    "[x](javascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "![x](https://evil.example/a.png)",
    "<https://evil.example/>",
    "[x][r]\n\n[r]: javascript:alert(1)",
]


@dataclass
class Corpus:
    """Packages built from payloads, written under one served folder."""

    root: Path
    loaded: list[str] = field(default_factory=list)  # folder names of packages to load
    refused: int = 0
    counter: itertools.count = field(default_factory=itertools.count)

    def add(self, payload: str, config: str) -> None:
        name = f"p{next(self.counter)}"
        module = self.root / "modules" / name
        (module / "pages").mkdir(parents=True)
        (module / "media").mkdir()
        (module / "media" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n")
        (module / "module.yml").write_text(config.replace("id: sample", f"id: {name}"))
        (module / "pages" / "01-page.md").write_text(f"# Page\n\nBefore.\n\n{payload}\n\nAfter.\n")
        try:
            built = build(module)
        except BuildError as error:
            errors = [p for p in error.problems if p.severity == "error"]
            assert errors and all(p.line for p in errors), (payload, [str(p) for p in errors])
            self.refused += 1
            return
        folder = self.root / "site" / name
        for file, content in built.files.items():
            (folder / file).parent.mkdir(parents=True, exist_ok=True)
            (folder / file).write_bytes(content)
        index = content_of(folder / "index.html")
        (folder / "nocsp.html").write_text(
            re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", index), encoding="utf-8")
        self.loaded.append(name)


def content_of(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@contextlib.contextmanager
def audited_page(browser, root: Path) -> Iterator[tuple[object, str, list[str]]]:
    """A page in a fresh context on the served corpus; yields (page, base URL, requests that
    left the package being loaded, as 'package: url')."""
    with serve_directory(root) as base:
        context = browser.new_context()
        context.add_init_script(INIT_SCRIPT)
        left: list[str] = []
        current: dict[str, str] = {}

        def audit(route) -> None:
            url = route.request.url
            if not url.startswith(current.get("package", base)):
                left.append(f"{current.get('package')}: {url}")
                route.abort()
            else:
                route.continue_()

        context.route("**/*", audit)
        page = context.new_page()
        page.current = current  # type: ignore[attr-defined]
        try:
            yield page, base, left
        finally:
            context.close()


CHECK_DOM = """() => {
  const found = [];
  const urls = ["href", "src", "srcset", "action", "formaction", "xlink:href", "data", "poster",
                "background", "srcdoc"];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith("on")) found.push(`${element.tagName} ${name}`);
      if (name === "style" && !/^text-align: (left|center|right);$/.test(attribute.value))
        found.push(`${element.tagName} style=${attribute.value}`);
      if (urls.includes(name) || name.endsWith(":href")) {
        const value = attribute.value.trim();
        if (value.startsWith("#") || (element.tagName === "LINK" && value === "data:,")) continue;
        let url;
        try { url = new URL(value, document.baseURI); } catch (e) { continue; }
        const inside = url.href.startsWith(location.href.replace(/[^/]*$/, ""));
        const external = element.tagName === "A" && /^(https?|mailto|tel):$/.test(url.protocol)
          && !inside;
        if (!inside && !external) found.push(`${element.tagName} ${name}=${value}`);
      }
    }
  }
  const scripts = [...document.querySelectorAll("script")].filter(
    s => !s.src && s.type !== "application/json");
  if (scripts.length > 1) found.push(`${scripts.length} inline scripts`);
  // An <iframe> is trusted HTML's (allow_raw_html); its src is checked above.
  for (const tag of ["object", "embed", "form", "base", "meta[http-equiv=refresh]",
                     "svg", "math", "link:not([rel=stylesheet]):not([rel=icon])"]) {
    if (document.querySelector(tag)) found.push(`<${tag}> in the page`);
  }
  return found;
}"""


def check_corpus(browser, corpus: Corpus) -> None:
    with audited_page(browser, corpus.root / "site") as (page, base, left):
        for name, file in itertools.product(corpus.loaded, ["nocsp.html", "index.html"]):
            page.current["package"] = f"{base}{name}/"  # type: ignore[attr-defined]
            page.goto(f"{base}{name}/{file}", wait_until="load")
            # Handlers that fire on a later task (ontoggle, onfocus) get two frames and a task.
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => "
                          "requestAnimationFrame(() => setTimeout(r, 0))))")
            ran = page.evaluate("window.__ran || []")
            assert ran == [], (name, file, content_of(corpus.root / "modules" / name / "pages" /
                                                      "01-page.md"), ran)
            assert page.evaluate(CHECK_DOM) == [], (name, file)
        assert left == []


def test_the_corpus_never_runs_script_nor_leaves_the_package(browser, tmp_path: Path):
    corpus = Corpus(tmp_path)
    for payload, config in itertools.product(CORPUS, [CONFIG, RAW_CONFIG]):
        corpus.add(payload, config)
    # Most are refused by default; with trusted HTML, the sanitiser cleans most of them.
    assert corpus.refused and len(corpus.loaded) > len(CORPUS) // 2
    check_corpus(browser, corpus)


PREFIXES = ["", "Text ", "<!-->", "<!--->", "<!-- a --!>", "<svg>", "<math><mtext>", "<table>",
            "<noscript>", "<p title=\"", "<select><template>", "<a href=\"", "<!x>", "<?x>"]
TAGS = ["img src=x", "svg", "details open", "video src=x", "iframe src=x", "body", "input autofocus",
        "a href=x", "form", "style", "script", "image href=x", "animate", "object data=x"]
HANDLERS = ["onerror", "onload", "ontoggle", "onfocus", "ONERROR", "onbegin", "onanimationstart"]
SCHEMES = ["javascript:", "JAVASCRIPT:", "java&#x09;script:", "&#106;avascript:", " javascript:",
           "vbscript:", "data:text/html,"]
SUFFIXES = ["", "-->", "\">", "</style>", "</noscript>", "</textarea>", "</template>", "</svg>"]


@st.composite
def payloads(draw: st.DrawFn) -> str:
    prefix = draw(st.sampled_from(PREFIXES))
    tag = draw(st.sampled_from(TAGS))
    handler = draw(st.sampled_from(HANDLERS))
    scheme = draw(st.sampled_from(SCHEMES))
    quote = draw(st.sampled_from(["", "\"", "'", "`"]))
    inner = draw(st.sampled_from([f"{handler}={quote}alert(1){quote}",
                                  f"href={quote}{scheme}alert(1){quote}",
                                  f"xlink:href={quote}{scheme}alert(1){quote}",
                                  f"formaction={quote}{scheme}alert(1){quote}",
                                  f"srcset={quote}https://evil.example/a.png 1x{quote}",
                                  f"style={quote}background:url(//evil.example/t){quote}"]))
    suffix = draw(st.sampled_from(SUFFIXES))
    return f"{prefix}<{tag} {inner}>{suffix}"


@settings(max_examples=10, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(batch=st.lists(payloads(), min_size=3, max_size=3))
def test_grown_payloads_never_run_script(browser, tmp_path_factory, batch: list[str]):
    corpus = Corpus(tmp_path_factory.mktemp("grown"))
    for payload in batch:
        corpus.add(payload, RAW_CONFIG)
        corpus.add(payload, CONFIG)
    check_corpus(browser, corpus)
