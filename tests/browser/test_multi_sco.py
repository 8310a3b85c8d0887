"""A multi-SCO programme package in a test LMS that moves between its SCOs as an LMS's table of
contents does: scorm-again as the LMS, one API (one session) per SCO, in real Chromium.

Each SCO must record its own status and score with no API error, finish its own session when
the learner moves to another SCO (pagehide), and resume where it was left.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree

from elpack.cli import cli

from .conftest import FRESH_ATTEMPT, TIMEOUT_MS, deep_merge
from .learner import Learner, current_page, strict_problems

PROGRAMME = Path(__file__).resolve().parent.parent / "fixtures" / "programme"
IMSCP = "{http://www.imsproject.org/xsd/imscp_rootv1p1p2}"
ADLCP = "{http://www.adlnet.org/xsd/adlcp_rootv1p2}"


@pytest.fixture(scope="module")
def multi_sco_package(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("multi-sco")
    result = CliRunner().invoke(cli, ["build", str(PROGRAMME), "--multi-sco", "-o", str(output)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return output / "test-programme-scorm12.zip"


def scos(package_dir: Path) -> list[tuple[str, str | None]]:
    """(launch href, mastery score) of each SCO, in the order of the manifest's items: what an
    LMS reads to build its table of contents."""
    manifest = etree.parse(str(package_dir / "imsmanifest.xml"))
    resources = {r.get("identifier"): r for r in manifest.iter(f"{IMSCP}resource")}
    found = []
    for item in manifest.iter(f"{IMSCP}item"):
        ref = item.get("identifierref")
        if ref is not None:
            found.append((resources[ref].get("href"), item.findtext(f"{ADLCP}masteryscore")))
    return found


class MultiScoLms:
    def __init__(self, page: Any, package_url: str, items: list[tuple[str, str | None]]) -> None:
        self.page = page
        self.package_url = package_url
        self.items = dict(items)

    def open(self, href: str, cmi: dict[str, Any] | None = None) -> Any:
        """Launch the SCO at ``href`` as a learner's click in the table of contents does."""
        initial = dict(FRESH_ATTEMPT)
        if self.items[href] is not None:
            initial["student_data"] = {"mastery_score": self.items[href]}
        self.page.evaluate("([href, cmi]) => window.lmsOpen(href, cmi)",
                           [self.package_url + href, deep_merge(initial, cmi or {})])
        frame = self.page.frame(name="sco")
        frame.wait_for_function("() => document.querySelector('section.page.current') !== null")
        return frame

    def session(self, index: int) -> dict[str, Any]:
        return self.page.evaluate("(i) => window.lmsSessions[i]", index)

    def cmi(self, index: int) -> dict[str, Any]:
        return self.page.evaluate("(i) => window.lmsCmiOf(i)", index)


def test_each_sco_tracks_itself_and_resumes(browser, served_package, multi_sco_package):
    site = served_package(multi_sco_package)
    items = scos(site.package_dir)
    assert [href for href, _ in items] == ["first-steps/index.html", "second-steps/index.html",
                                           "third-steps/index.html"]
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(f"uncaught error: {error}"))
        page.on("console", lambda message: errors.append(f"console: {message.text}")
                if message.type == "error" else None)
        page.on("response", lambda response: errors.append(f"HTTP {response.status}: {response.url}")
                if response.status >= 400 else None)
        page.goto(site.url("lms/multi.html"), wait_until="load")
        assert page.evaluate("window.lmsReady === true")
        lms = MultiScoLms(page, "../package/", items)

        # 1. First module, all the way: the assessment passed.
        first = Learner(lms.open("first-steps/index.html"))
        first.walk()
        # 2. Second module, left on its second page: the first SCO's page goes, and with it
        # its session, finished by the SCO itself.
        second_frame = lms.open("second-steps/index.html")
        first_session = lms.session(0)
        assert [c["method"] for c in first_session["log"]].count("LMSFinish") == 1
        first_cmi = lms.cmi(0)
        assert first_cmi["core"]["lesson_status"] == "passed"
        assert first_cmi["core"]["score"]["raw"] == "100"
        Learner(second_frame).walk(stop_at="check")
        # 3. Third module (no assessment), to its end.
        Learner(lms.open("third-steps/index.html")).walk()
        second_cmi = lms.cmi(1)
        assert second_cmi["core"]["lesson_status"] == "incomplete"
        assert second_cmi["core"]["lesson_location"] == "check"
        assert second_cmi["core"]["exit"] == "suspend"
        assert second_cmi["suspend_data"]
        # 4. Back to the second module, as the LMS relaunches it: its own saved state only.
        resumed = lms.open("second-steps/index.html", {
            "core": {"entry": "resume", "lesson_location": second_cmi["core"]["lesson_location"],
                     "lesson_status": "incomplete"},
            "suspend_data": second_cmi["suspend_data"]})
        assert current_page(resumed) == "check"
        Learner(resumed).walk()
        # 5. Leave it, so that its session ends too.
        lms.open("first-steps/index.html", {"core": {"entry": "resume", "lesson_status": "passed",
                                                     "lesson_location": "check"},
                                            "suspend_data": first_cmi["suspend_data"]})
        third_cmi, resumed_cmi = lms.cmi(2), lms.cmi(3)
        assert third_cmi["core"]["lesson_status"] == "completed"
        assert third_cmi["core"]["score"]["raw"] == ""  # no assessment, no score
        assert resumed_cmi["core"]["lesson_status"] == "passed"
        assert resumed_cmi["core"]["score"]["raw"] == "100"

        sessions = [lms.session(index) for index in range(4)]
        hrefs = [s["href"].removeprefix("../package/") for s in sessions]
        assert hrefs == ["first-steps/index.html", "second-steps/index.html",
                         "third-steps/index.html", "second-steps/index.html"]
        for session in sessions:
            methods = [call["method"] for call in session["log"]]
            assert methods.count("LMSInitialize") == 1, session["href"]
            assert methods.count("LMSFinish") == 1, session["href"]
            # Every call of the session went to this SCO's own API, without an error.
            assert [c for c in session["log"] if c["error"] != "0" and
                    not c["method"].startswith("LMSGet")] == [], session["href"]
            assert strict_problems(session["log"]) == [], session["href"]
        # Each SCO saved only its own state: the second module's progress names its own pages.
        assert second_cmi["suspend_data"] != first_cmi["suspend_data"]
        assert errors == []
    finally:
        context.close()
