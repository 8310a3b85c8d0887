"""Browser-test harness: built packages served over http inside a small SCORM 1.2 test LMS.

Fixtures (see each docstring):
    browser          Playwright Chromium for the session (skipped locally without Chromium; fails in CI).
    built_packages   {module name: zip path} for the example modules, built once per session.
    built_2004_packages  {(module name, target): zip path} for SCORM 2004 (two modules, both editions).
    themed_packages  {(module name, theme): zip path}: the example modules in both built-in themes.
    served_package   factory: served_package(zip_path) -> Site, a site on http://127.0.0.1:<port>/.
    lms_session      factory: lms_session(zip_path) -> LmsSession, the test LMS with the package.

The site layout is site/package/ (the unzipped package) and site/lms/ (tests/browser/lms/ plus
scorm-again's scorm12.js and scorm2004.js). The LMS page at /lms/index.html creates window.API with
scorm-again (for a SCORM 2004 package /lms/index-2004.html creates window.API_1484_11), loads the
test's initial CMI data and then loads ../package/index.html in an iframe.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from click.testing import CliRunner
from lxml import etree

# The example modules and the repository, as the non-browser tests know them (tests/conftest.py).
from conftest import EXAMPLE_MODULES, EXAMPLES, REPO, copy_example, example_package
from elpack.cli import cli
from elpack.incremental import read_config_or_none

from .serving import CHROMIUM, launch_chromium, serve_directory

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Frame, Page, Request, Response

HERE = Path(__file__).resolve().parent

LMS_DIR = HERE / "lms"
SCORM_AGAIN_JS = REPO / "node_modules" / "scorm-again" / "dist" / "scorm12.js"
SCORM_AGAIN_2004_JS = REPO / "node_modules" / "scorm-again" / "dist" / "scorm2004.min.js"
# The example modules the SCORM 2004 journeys run, and the targets they are built for.
EXAMPLES_2004 = ["frequent-attenders", "mental-health-awareness"]
TARGETS_2004 = ["scorm2004-3rd", "scorm2004-4th"]
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")

TIMEOUT_MS = 10_000

# What a real LMS hands a learner starting a fresh attempt. launch() merges the test's CMI over it,
# and adds cmi.student_data.mastery_score from the manifest's adlcp:masteryscore.
FRESH_ATTEMPT: dict[str, Any] = {
    "core": {
        "student_id": "test-learner-1",
        "student_name": "Learner, Test",
        "credit": "credit",
        "entry": "ab-initio",
        "lesson_mode": "normal",
    },
}

# The same for SCORM 2004; launch() adds cmi.scaled_passing_score from the manifest's
# imsss:minNormalizedMeasure, as an LMS does for a primary objective satisfied by measure.
FRESH_ATTEMPT_2004: dict[str, Any] = {
    "learner_id": "test-learner-1",
    "learner_name": "Learner, Test",
    "credit": "credit",
    "entry": "ab-initio",
    "mode": "normal",
}

ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
IMSCP_2004 = "http://www.imsglobal.org/xsd/imscp_v1p1"
IMSSS = "http://www.imsglobal.org/xsd/imsss"


def _unavailable(reason: str) -> None:
    """Skip on a developer machine; in CI (CI is set) a missing browser tool is a failure."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so the browser tests must run)", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


# ---------------------------------------------------------------------------------------------
# Browser and packages


@pytest.fixture(scope="session")
def browser():
    """Chromium through Playwright's sync API, shared by the whole session.

    Usage: ``page = browser.new_page()``; most tests want ``lms_session`` instead.
    """
    if not CHROMIUM.is_file():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium, or run ./scripts/test)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Python Playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def built_packages(tmp_path_factory) -> dict[str, Path]:
    """Build the example modules once with ``elpack build``; {module name: zip path}.

    Usage: ``zip_path = built_packages["frequent-attenders"]``.
    """
    out = tmp_path_factory.mktemp("browser-build")
    args = ["build", *(str(EXAMPLES[name]) for name in EXAMPLE_MODULES), "-o", str(out)]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    # A module of a programme names its package '<programme id>--<module id>-scorm12.zip'.
    packages = {name: out / f"{read_config_or_none(EXAMPLES[name]).package_id}-scorm12.zip"
                for name in EXAMPLE_MODULES}
    for path in packages.values():
        assert path.is_file(), f"elpack build did not write {path}:\n{result.output}"
    return packages


@pytest.fixture(scope="session")
def built_2004_packages(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """The SCORM 2004 journeys' modules built for both editions in one ``elpack build``;
    {(module name, target): zip path}."""
    out = tmp_path_factory.mktemp("browser-build-2004")
    args = ["build", *(str(EXAMPLES[name]) for name in EXAMPLES_2004), "-o", str(out), "-j", "1"]
    for target in TARGETS_2004:
        args += ["--target", target]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    packages = {(name, target): out / example_package(name).replace("-scorm12.zip", f"-{target}.zip")
                for name in EXAMPLES_2004 for target in TARGETS_2004}
    for path in packages.values():
        assert path.is_file(), f"elpack build did not write {path}:\n{result.output}"
    return packages


THEMES = ["nhs", "plain"]


def with_theme(config: str, theme: str) -> str:
    """module.yml text with its ``theme:`` set to ``theme``."""
    if re.search(r"^theme:", config, flags=re.M):
        return re.sub(r"^theme:.*$", f"theme: {theme}", config, flags=re.M)
    return config.rstrip("\n") + f"\ntheme: {theme}\n"


@pytest.fixture(scope="session")
def themed_packages(built_packages, tmp_path_factory) -> dict[tuple[str, str], Path]:
    """The example modules in both built-in themes: as they are (nhs, their own setting) and
    copied with ``theme: plain``, built in one ``elpack build``; {(module name, theme): zip path}."""
    found = {(module, "nhs"): built_packages[module] for module in EXAMPLE_MODULES}
    work = tmp_path_factory.mktemp("themed")
    for theme in THEMES:
        if theme == "nhs":
            continue
        copies = [copy_example(module, work / theme / "src") for module in EXAMPLE_MODULES]
        for copy in copies:
            config = copy / "module.yml"
            config.write_text(with_theme(config.read_text(encoding="utf-8"), theme), encoding="utf-8")
        out = work / theme / "out"
        result = CliRunner().invoke(cli, ["build", *map(str, copies), "-o", str(out)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        found.update({(module, theme): out / example_package(module) for module in EXAMPLE_MODULES})
    return found


# ---------------------------------------------------------------------------------------------
# Serving a site


@dataclass(frozen=True)
class Site:
    """A folder served over http: root/package is the unzipped package, root/lms the test LMS."""

    root: Path
    base_url: str  # ends with "/"

    @property
    def package_dir(self) -> Path:
        return self.root / "package"

    def url(self, path: str = "") -> str:
        return self.base_url + path.lstrip("/")


def make_site(root: Path, zip_path: Path | None) -> Path:
    """Lay out a site folder: package/ (from the zip, if any) and lms/ (test LMS + scorm-again)."""
    for script in (SCORM_AGAIN_JS, SCORM_AGAIN_2004_JS):
        if not script.is_file():
            _unavailable(f"{script.relative_to(REPO)} is missing (run npm ci)")
    (root / "package").mkdir(parents=True)
    if zip_path is not None:
        with zipfile.ZipFile(zip_path) as archive:
            archive.extractall(root / "package")
    shutil.copytree(LMS_DIR, root / "lms")
    shutil.copyfile(SCORM_AGAIN_JS, root / "lms" / "scorm12.js")
    shutil.copyfile(SCORM_AGAIN_2004_JS, root / "lms" / "scorm2004.js")
    return root


@pytest.fixture
def served_package(tmp_path_factory) -> Iterator[Callable[[Path | None], Site]]:
    """Factory: unzip a package into a fresh site folder and serve it until the test ends.

    Usage: ``site = served_package(zip_path); page.goto(site.url("package/index.html"))``.
    ``served_package(None)`` serves the test LMS with an empty package folder.
    """
    with contextlib.ExitStack() as stack:
        def serve(zip_path: Path | None) -> Site:
            root = make_site(tmp_path_factory.mktemp("site"), zip_path)
            return Site(root=root, base_url=stack.enter_context(serve_directory(root)))

        yield serve


# ---------------------------------------------------------------------------------------------
# The test LMS


def deep_merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``base`` with ``extra`` merged in, nested dicts merged key by key."""
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def manifest_value(package_dir: Path, element: str) -> str | None:
    """The stripped text of the first ``element`` (a Clark name, {namespace}tag) in
    package_dir/imsmanifest.xml, if there is a manifest and that element has text."""
    manifest = package_dir / "imsmanifest.xml"
    if not manifest.is_file():
        return None
    found = etree.parse(str(manifest)).find(f".//{element}")
    return found.text.strip() if found is not None and found.text else None


def manifest_mastery_score(package_dir: Path) -> str | None:
    """The first item's adlcp:masteryscore in package_dir/imsmanifest.xml, if there is one."""
    return manifest_value(package_dir, f"{{{ADLCP}}}masteryscore")


def package_standard(package_dir: Path) -> str:
    """"scorm2004" when package_dir/imsmanifest.xml is a SCORM 2004 manifest, else "scorm12"."""
    manifest = package_dir / "imsmanifest.xml"
    if manifest.is_file() and etree.parse(str(manifest)).getroot().tag == f"{{{IMSCP_2004}}}manifest":
        return "scorm2004"
    return "scorm12"


def manifest_passing_score(package_dir: Path) -> str | None:
    """The imsss:minNormalizedMeasure of a SCORM 2004 manifest, if there is one."""
    return manifest_value(package_dir, f"{{{IMSSS}}}minNormalizedMeasure")


def format_violations(violations: list[dict[str, Any]]) -> str:
    """axe violations as readable lines, for assertion messages."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation.get('impact')}): {violation['help']}")
        lines.extend(f"    {node['target']}: {node.get('failureSummary', '')}".replace("\n", " ")
                     for node in violation["nodes"])
    return "\n".join(lines)


class LmsSession:
    """One learner session in the test LMS, in its own browser context.

    After ``launch()``: ``page`` is the LMS page (window.API lives there), ``frame`` the SCO's
    frame (or None), and ``errors`` collects uncaught page errors, console errors and failed or
    4xx/5xx requests from the LMS page and the SCO, as strings. ``standard`` is "scorm12" or
    "scorm2004", told from the package's manifest: it picks the LMS page and the API.
    """

    def __init__(self, browser: Browser, site: Site) -> None:
        self.browser = browser
        self.site = site
        self.context: BrowserContext | None = None
        self.page: Page | None = None
        self.frame: Frame | None = None
        self.errors: list[str] = []
        self.last_axe_results: dict[str, Any] | None = None
        self.standard = package_standard(site.package_dir)

    # -- launching ------------------------------------------------------------------------

    def initial_cmi(self, cmi: dict[str, Any] | None) -> dict[str, Any]:
        """FRESH_ATTEMPT plus the manifest's mastery score, with ``cmi`` merged over them.

        A flattened ``cmi`` ({"cmi.core.entry": ...}) is passed to scorm-again unchanged.
        """
        if cmi and any(key.startswith("cmi.") for key in cmi):
            return dict(cmi)
        if self.standard == "scorm2004":
            defaults = dict(FRESH_ATTEMPT_2004)
            passing = manifest_passing_score(self.site.package_dir)
            if passing is not None:
                defaults["scaled_passing_score"] = passing
            return deep_merge(defaults, cmi or {})
        defaults = dict(FRESH_ATTEMPT)
        mastery = manifest_mastery_score(self.site.package_dir)
        if mastery is not None:
            defaults["student_data"] = {"mastery_score": mastery}
        return deep_merge(defaults, cmi or {})

    def launch(self, cmi: dict[str, Any] | None = None, *, sco: str | None = "../package/index.html",
               settings: dict[str, Any] | None = None,
               commit_fails: bool = False,
               viewport: dict[str, int] | None = None,
               route: Callable[[Any], None] | None = None) -> tuple[Page, Frame | None]:
        """Open the LMS page with this initial CMI, then (unless sco is None) load the SCO.

        Returns (page, frame). cmi is scorm-again's nested CMI JSON without the "cmi" level,
        e.g. {"core": {"entry": "resume", "lesson_location": "p3"}, "suspend_data": "..."},
        merged over FRESH_ATTEMPT. settings are extra scorm-again settings; viewport is the
        browser window's size, e.g. {"width": 375, "height": 800}; route, if given, handles
        every request of the session (Playwright's context.route), e.g. to block the network.
        """
        if self.context is not None:
            raise RuntimeError("launch() once per LmsSession; make a new session to relaunch")
        config = {
            "cmi": self.initial_cmi(cmi),
            "settings": settings or {},
            "commitFails": commit_fails,
            "sco": sco,
            "standard": self.standard,
        }
        self.context = self.browser.new_context(**({"viewport": viewport} if viewport else {}))
        self.context.set_default_timeout(TIMEOUT_MS)
        if route is not None:
            self.context.route("**/*", route)
        page = self.page = self.context.new_page()
        page.on("pageerror", lambda error: self.errors.append(f"uncaught error: {error}"))
        page.on("console", self._on_console)
        page.on("requestfailed", self._on_request_failed)
        page.on("response", self._on_response)
        page.add_init_script(f"if (window === window.top) window.lmsConfig = {json.dumps(config)};")
        lms_page = "lms/index-2004.html" if self.standard == "scorm2004" else "lms/index.html"
        page.goto(self.site.url(lms_page), wait_until="load")
        # lms.js runs during page load, so by now it has either finished or thrown.
        if not page.evaluate("window.lmsReady === true"):
            raise AssertionError(f"the test LMS page did not start: {self.errors}")
        load_error = page.evaluate("window.lmsLoadError")
        if load_error:
            raise AssertionError(f"scorm-again rejected the initial CMI {config['cmi']}: {load_error}")
        if sco is not None:
            self.frame = page.frame(name="sco")
            assert self.frame is not None, "the LMS page did not create the SCO iframe"
            self.frame.wait_for_load_state("load")
        return page, self.frame

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location.get("url", "")
            self.errors.append(f"console error: {message.text} ({where})")

    def _on_request_failed(self, request: Request) -> None:
        # Browsers abort audio and video downloads by design (enough buffered for preload, or the
        # frame closed mid-download); a missing clip still shows up as an HTTP 404 below.
        if request.resource_type == "media" and "ERR_ABORTED" in (request.failure or ""):
            return
        self.errors.append(f"request failed: {request.url} ({request.failure})")

    def _on_response(self, response: Response) -> None:
        if response.status >= 400:
            self.errors.append(f"HTTP {response.status}: {response.url}")

    def close(self) -> None:
        if self.context is not None:
            self.context.close()

    # -- the LMS side -----------------------------------------------------------------------

    def call(self, method: str, *args: str) -> str:
        """Call the API's <method>(*args) in the LMS page, as a SCO would; returns the result."""
        return self.page.evaluate("([method, args]) => window.lmsApi[method](...args)", [method, list(args)])

    def log(self) -> list[dict[str, Any]]:
        """window.lmsLog: [{seq, t, method, args, result, error}] for every API call so far."""
        return self.page.evaluate("window.lmsLog")

    def calls(self, method: str) -> list[dict[str, Any]]:
        """The log entries for one method, e.g. calls("LMSSetValue")."""
        return [entry for entry in self.log() if entry["method"] == method]

    def cmi_json(self) -> dict[str, Any]:
        """The API's current CMI as plain JSON (scorm-again's renderCMIToJSONObject()["cmi"])."""
        return self.page.evaluate("window.lmsCmi()")

    def commits(self) -> list[dict[str, Any]]:
        """What scorm-again committed: [{ok, terminate, data}], data being {"cmi": {...}}."""
        return self.page.evaluate("window.lmsCommits")

    def messages(self) -> list[dict[str, Any]]:
        """scorm-again's own log messages [{level, message}] (kept out of the console)."""
        return self.page.evaluate("window.lmsMessages")

    def set_commit_fails(self, fails: bool = True) -> None:
        """Make later commits (LMSCommit and LMSFinish's) fail: "false" and error 101."""
        self.page.evaluate("(fails) => window.lmsSetCommitFails(fails)", fails)

    # -- accessibility ----------------------------------------------------------------------

    def axe_results(self, frame: Frame | None = None, tags: tuple[str, ...] = AXE_TAGS,
                    context: Any = None) -> dict[str, Any]:
        """Run axe-core (WCAG 2.2 A/AA tags by default) in the SCO frame; the full results.

        resultTypes is ["violations"], so passes and incomplete list one node per rule only.
        ``context`` is axe's context (default: the whole document), e.g.
        ``{"exclude": [["section.page:not(.current)"]]}`` to skip the hidden pages, which is
        about three times quicker on a long module.
        """
        frame = frame or self.frame
        if frame is None:
            raise RuntimeError("no frame to check: launch() with a SCO first")
        if not AXE_JS.is_file():
            _unavailable(f"{AXE_JS.relative_to(REPO)} is missing (run npm ci)")
        if not frame.evaluate("typeof window.axe === 'object'"):
            # Evaluated through DevTools, not added as a <script>: the package's Content Security
            # Policy (rightly) refuses inline scripts it does not know.
            frame.evaluate("source => { (0, eval)(source); }", AXE_JS.read_text(encoding="utf-8"))
        self.last_axe_results = frame.evaluate(
            "([tags, context]) => window.axe.run(context || document, {runOnly: {type: 'tag', values: tags},"
            " resultTypes: ['violations']})"
            ".then((results) => JSON.parse(JSON.stringify(results)))",
            [list(tags), context])
        return self.last_axe_results

    def run_axe(self, frame: Frame | None = None, tags: tuple[str, ...] = AXE_TAGS,
                context: Any = None) -> list[dict[str, Any]]:
        """axe violations in the SCO frame for the WCAG 2.2 A/AA tags (format_violations() them).

        The full results (passes, incomplete, inapplicable) are kept in last_axe_results.
        """
        return self.axe_results(frame, tags, context)["violations"]


@pytest.fixture
def lms_session(browser: Browser, served_package) -> Iterator[Callable[[Path | None], LmsSession]]:
    """Factory: a new LmsSession for a package zip (None: the test LMS with no package).

    Usage: ``session = lms_session(built_packages["frequent-attenders"]); page, frame =
    session.launch({"core": {"entry": "resume"}})``.
    """
    sessions: list[LmsSession] = []

    def make(zip_path: Path | None) -> LmsSession:
        session = LmsSession(browser, served_package(zip_path))
        sessions.append(session)
        return session

    yield make
    for session in sessions:
        session.close()
