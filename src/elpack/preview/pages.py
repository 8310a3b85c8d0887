"""What the preview serves besides the packages: its pages, static files and reviewer tools."""

from __future__ import annotations

import mimetypes
from functools import cache
from importlib import resources
from typing import Any

import jinja2

from ..programme import programme_of
from ..render import script_json
from ..targets import DEFAULT_TARGET, get_target, known_targets
from ..theme import template_environment
from .builds import PreviewModule

# The only static files the preview serves, read from the installed package once: nothing else
# on disk can ever be reached through /_static/.
STATIC_FILES = (
    "simulator.js",
    "simulator.css",
    "index.css",
    "reviewer.js",
    "reviewer.css",
    # scorm-again's API for each LMS the simulator plays (vendored, see its README)
    *sorted({f"scorm-again/{get_target(name).lms_api}.min.js" for name in known_targets()}),
)
STATIC_PREFIX = "/_static/"
# Injected into the served index.html only; the built package never contains them.
REVIEWER_HEAD = f'<link rel="stylesheet" href="{STATIC_PREFIX}reviewer.css" data-elpack-preview>\n'
REVIEWER_BODY = f'<script src="{STATIC_PREFIX}reviewer.js" data-elpack-preview></script>\n'

CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".xsd": "application/xml",
    ".svg": "image/svg+xml",
    ".vtt": "text/vtt; charset=utf-8",
    ".md": "text/plain; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}


def content_type(name: str) -> str:
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return CONTENT_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


@cache
def static_files() -> dict[str, bytes]:
    folder = resources.files("elpack.preview") / "static"
    return {name: folder.joinpath(*name.split("/")).read_bytes() for name in STATIC_FILES}


@cache
def _templates() -> jinja2.Environment:
    return template_environment(jinja2.PackageLoader("elpack.preview", "templates"))


def build_payload(module: PreviewModule) -> dict[str, Any]:
    """A module's latest build as the simulator and the index page read it (state.json and the
    'build' events)."""
    result = module.result
    if result is None:
        return {"module": module.slug, "name": module.display_name, "version": 0, "ok": False,
                "hasPackage": False, "title": module.root.name, "pages": [], "summary": "not built yet",
                "problems": [], "severities": [], "warnings": []}
    return {
        "module": module.slug,
        "name": module.display_name,
        "version": result.version,
        "ok": result.ok,
        "hasPackage": result.has_package,
        "title": result.title,
        "pages": [{"id": p.id, "title": p.title, "branch": p.branch} for p in result.pages],
        "structureHash": result.structure_hash,
        "contentHash": result.content_hash,
        "masteryScore": result.mastery_score,
        "lms": result.lms,
        "summary": result.summary,
        "problems": list(result.problems),
        "severities": list(result.severities),
        "warnings": list(result.warnings),
        "milliseconds": round(result.seconds * 1000),
    }


def index_page(modules: list[PreviewModule]) -> bytes:
    rows = [build_payload(module) for module in modules]
    return _templates().get_template("index.html").render(modules=rows).encode("utf-8")


def programme_neighbours(module: PreviewModule, modules: list[PreviewModule],
                         ) -> tuple[PreviewModule | None, PreviewModule | None, int, int]:
    """For a module of a programme: the modules before and after it in the preview (which
    lists a programme's modules in its order), its number and how many there are; the way an
    LMS's table of contents moves between the SCOs of a multi-SCO package."""
    programme = programme_of(module.root)
    if programme is None:
        return None, None, 0, 0
    group = [m for m in modules if programme_of(m.root) == programme]
    index = group.index(module)
    return (group[index - 1] if index else None,
            group[index + 1] if index + 1 < len(group) else None, index + 1, len(group))


def simulator_page(module: PreviewModule, modules: list[PreviewModule] | None = None) -> bytes:
    previous, following, number, count = programme_neighbours(module, modules or [module])
    config = {
        "slug": module.slug,
        "packageUrl": "package/index.html",
        "stateUrl": "state.json",
        "eventsUrl": "/events",
        "build": build_payload(module),
    }
    result = module.result
    lms = result.lms if result is not None and result.lms else get_target(DEFAULT_TARGET).lms_api
    return _templates().get_template("simulator.html").render(
        config_json=script_json(config), title=build_payload(module)["title"],
        previous=previous and build_payload(previous), following=following and
        build_payload(following), number=number, count=count, lms=lms).encode("utf-8")


def with_reviewer_tools(html: bytes) -> bytes:
    """The package's index.html with the preview's reviewer stylesheet and script added: the
    stylesheet at the end of <head>, the script at the end of <body> (after the runtime)."""
    text = html.decode("utf-8", errors="replace")
    lower = text.lower()
    head_end = lower.find("</head>")
    text = (text[:head_end] + REVIEWER_HEAD + text[head_end:]) if head_end >= 0 else REVIEWER_HEAD + text
    lower = text.lower()
    body_end = lower.rfind("</body>")
    text = (text[:body_end] + REVIEWER_BODY + text[body_end:]) if body_end >= 0 else text + REVIEWER_BODY
    return text.encode("utf-8")
