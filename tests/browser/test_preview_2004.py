"""`elpack preview` of a module whose first target is SCORM 2004: the simulator runs scorm-again's
Scorm2004API, its panel shows the 2004 elements, and resuming hands over the 2004 data."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import MODULES

from .strict2004 import strict_problems_2004
from .test_preview import EXAMPLE, Preview, previewed

if TYPE_CHECKING:
    from playwright.sync_api import Browser


@pytest.fixture
def preview_2004(browser: Browser, tmp_path: Path) -> Iterator[Preview]:
    root = tmp_path / "modules" / EXAMPLE
    shutil.copytree(MODULES / EXAMPLE, root)
    config = root / "module.yml"
    config.write_text(config.read_text(encoding="utf-8") + "targets: [scorm2004-4th, scorm12]\n",
                      encoding="utf-8")
    with previewed(browser, root) as preview:
        yield preview


def test_the_simulator_runs_a_scorm_2004_lms_for_a_2004_module(preview_2004):
    preview = preview_2004
    preview.open_simulator()
    page = preview.page
    frame = preview.frame()
    assert page.evaluate("typeof window.API_1484_11.Initialize") == "function"
    assert page.evaluate("window.API === undefined")
    assert "Simulated SCORM 2004 LMS" in page.locator(".panel h2").first.text_content()
    preview.wait_for_panel("cmi.completion_status", "incomplete")
    assert preview.panel_value("cmi.scaled_passing_score") == "0.8"
    assert preview.panel_value("cmi.entry") == "ab-initio"
    # The reflection boxes say what this package keeps: SCORM 2004's larger share.
    assert "You can write up to 2000 characters" in frame.locator("[data-reflection]").first.text_content()

    frame.locator("section.page.current a.next").click()
    page.get_by_role("button", name="Exit and resume").click()
    frame = preview.wait_for_session(2)
    ended = page.evaluate("window.elpackSimulator.lastEnded.cmi")
    resumed = preview.cmi()
    assert ended["location"] == "why-people-attend" and ended["exit"] == "suspend"
    assert resumed["entry"] == "resume" and resumed["suspend_data"] == ended["suspend_data"]
    assert ended["session_time"].startswith("PT")
    assert preview.panel_value("cmi.entry") == "resume"
    frame.wait_for_selector("section.page.current#page-why-people-attend")
    assert page.locator("#api-log li.note-session").last.text_content().endswith(
        "Session 2: Exit and resume (entry 'resume', location 'why-people-attend').")

    log = preview.log()
    calls = [entry for entry in log if "method" in entry]
    assert not [entry for entry in calls if entry["bad"]], "the runtime made calls SCORM 2004 refuses"
    for session in (1, 2):  # every call's error code and every value's 2004 format
        assert strict_problems_2004([e for e in calls if e["session"] == session]) == []
    assert preview.errors == []


def test_target_previews_a_module_whose_first_target_is_1_2_in_a_scorm_2004_lms(browser, tmp_path):
    """`elpack preview --target scorm2004-3rd` on a module published first for SCORM 1.2: the
    simulator is a SCORM 2004 LMS, and the package's 2004 runtime talks to it by 2004's rules."""
    root = tmp_path / "modules" / EXAMPLE
    shutil.copytree(MODULES / EXAMPLE, root)
    assert "targets:" not in (root / "module.yml").read_text(encoding="utf-8")
    with previewed(browser, root, "scorm2004-3rd") as preview:
        preview.open_simulator()
        page = preview.page
        assert page.evaluate("typeof window.API_1484_11.Initialize") == "function"
        assert page.evaluate("window.API === undefined")
        assert "Simulated SCORM 2004 LMS" in page.locator(".panel h2").first.text_content()
        preview.wait_for_panel("cmi.completion_status", "incomplete")
        assert preview.panel_value("cmi.scaled_passing_score") == "0.8"
        calls = [entry for entry in preview.log() if "method" in entry]
        assert calls and not [entry for entry in calls if entry["bad"]]
        assert strict_problems_2004(calls) == []
        assert preview.errors == []
