"""A SCORM 2004 multi-SCO programme package in a test LMS that moves between its SCOs as an
LMS's table of contents does: scorm-again's Scorm2004API as the LMS, one API (one session) per
SCO, in real Chromium. Each SCO records its own completion, success and score with no API error,
terminates its own session when the learner moves on (pagehide), and resumes where it was left.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree

from elpack.cli import cli

from .conftest import FRESH_ATTEMPT_2004, TIMEOUT_MS, deep_merge
from .learner import Learner, current_page
from .strict2004 import strict_problems_2004

PROGRAMME = Path(__file__).resolve().parent.parent / "fixtures" / "programme"
IMSCP = "{http://www.imsglobal.org/xsd/imscp_v1p1}"
IMSSS = "{http://www.imsglobal.org/xsd/imsss}"
MODULES = ["first-steps", "second-steps", "third-steps"]


@pytest.fixture(scope="module", params=["scorm2004-3rd", "scorm2004-4th"])
def package_2004(request, tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("multi-sco-2004")
    result = CliRunner().invoke(cli, ["build", str(PROGRAMME), "--multi-sco", "-t", request.param,
                                      "-o", str(output)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return output / f"test-programme-{request.param}.zip"


def passing_scores(package_dir: Path) -> dict[str, str | None]:
    """Each SCO's launch href and the scaled passing score an LMS gives it (its primary
    objective's minNormalizedMeasure)."""
    manifest = etree.parse(str(package_dir / "imsmanifest.xml"))
    resources = {r.get("identifier"): r for r in manifest.iter(f"{IMSCP}resource")}
    return {resources[item.get("identifierref")].get("href"):
            item.findtext(f"{IMSSS}sequencing/{IMSSS}objectives/{IMSSS}primaryObjective/"
                          f"{IMSSS}minNormalizedMeasure")
            for item in manifest.iter(f"{IMSCP}item") if item.get("identifierref")}


def test_each_sco_tracks_itself_and_resumes_2004(browser, served_package, package_2004):
    site = served_package(package_2004)
    scores = passing_scores(site.package_dir)
    assert list(scores) == [f"{m}/index.html" for m in MODULES]
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(f"uncaught error: {error}"))
        page.on("response", lambda response: errors.append(f"HTTP {response.status}: {response.url}")
                if response.status >= 400 else None)
        page.goto(site.url("lms/multi-2004.html"), wait_until="load")

        def open_sco(href: str, cmi: dict[str, Any] | None = None) -> Any:
            initial = dict(FRESH_ATTEMPT_2004)
            if scores[href] is not None:
                initial["scaled_passing_score"] = scores[href]
            page.evaluate("([href, cmi]) => window.lmsOpen(href, cmi, 'scorm2004')",
                          ["../package/" + href, deep_merge(initial, cmi or {})])
            frame = page.frame(name="sco")
            frame.wait_for_function("() => document.querySelector('section.page.current') !== null")
            return frame

        def cmi(index: int) -> dict[str, Any]:
            return page.evaluate("(i) => window.lmsCmiOf(i)", index)

        Learner(open_sco("first-steps/index.html")).walk()
        second = open_sco("second-steps/index.html")
        first_cmi = cmi(0)
        assert (first_cmi["completion_status"], first_cmi["success_status"]) == ("completed", "passed")
        assert first_cmi["score"]["scaled"] == "1"
        Learner(second).walk(stop_at="check")
        Learner(open_sco("third-steps/index.html")).walk()
        second_cmi = cmi(1)
        # Every page of its main line was seen (the last is the assessment's): completed, and
        # not yet judged, since the assessment was not taken.
        assert (second_cmi["completion_status"], second_cmi["success_status"]) == \
            ("completed", "unknown")
        assert second_cmi["location"] == "check"
        assert second_cmi["exit"] == "suspend"
        assert second_cmi["suspend_data"]
        resumed = open_sco("second-steps/index.html", {
            "entry": "resume", "location": second_cmi["location"],
            "completion_status": "completed", "suspend_data": second_cmi["suspend_data"]})
        assert current_page(resumed) == "check"
        Learner(resumed).walk()
        open_sco("first-steps/index.html", {"entry": "resume", "completion_status": "completed",
                                            "success_status": "passed", "location": "check",
                                            "suspend_data": first_cmi["suspend_data"]})
        third_cmi, resumed_cmi = cmi(2), cmi(3)
        assert third_cmi["completion_status"] == "completed"
        assert third_cmi["success_status"] == "unknown"  # no assessment
        assert (resumed_cmi["completion_status"], resumed_cmi["success_status"]) == \
            ("completed", "passed")
        for index in range(4):
            session = page.evaluate("(i) => window.lmsSessions[i]", index)
            methods = [call["method"] for call in session["log"]]
            assert methods.count("Initialize") == 1 and methods.count("Terminate") == 1, index
            assert strict_problems_2004(session["log"]) == [], session["href"]
        assert errors == []
    finally:
        context.close()
