"""What a writer installing elpack meets: `elpack doctor`, finding a browser, no warnings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO, run_cli
from elpack.browser import find_browser, install_hint, standard_places
from elpack.commands.doctor import check_python, check_writable, doctor_report


def _program(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


def test_doctor_prints_a_plain_report_on_this_machine():
    result = run_cli("doctor")
    lines = result.output.splitlines()
    assert lines[0].startswith("elpack ")
    assert any("Python: Python 3." in line for line in lines)
    assert any("Write access:" in line for line in lines)
    assert any("Browser for PDF:" in line for line in lines)
    assert result.exit_code == 0, result.output
    assert lines[-1] == "elpack is ready to use."


def test_doctor_says_what_to_do_about_each_problem(tmp_path: Path):
    old = check_python((3, 9, 2))
    assert not old.ok and "3.11 or newer" in old.detail and "python.org" in old.advice
    # A folder that is a file cannot be written to by anyone, root included.
    blocked = tmp_path / "report.docx"
    blocked.write_text("not a folder")
    unwritable = check_writable(blocked)
    assert not unwritable.ok
    assert "cannot write" in unwritable.detail and "Documents" in unwritable.advice
    report = doctor_report([old, unwritable])
    assert report[-1] == "elpack cannot work yet: fix the 2 PROBLEM lines above."
    assert sum("what to do: " in line for line in report) == 2


def test_elpack_browser_wins_and_a_wrong_one_is_named(tmp_path: Path):
    browser = _program(tmp_path / "my browser" / "chrome")
    assert find_browser({"ELPACK_BROWSER": str(browser), "PATH": ""}).found == str(browser)
    wrong = find_browser({"ELPACK_BROWSER": str(tmp_path / "nope"), "PATH": ""})
    assert wrong.found is None and "ELPACK_BROWSER is set to" in wrong.problem


def test_browsers_are_found_in_their_standard_places_on_each_system(tmp_path: Path):
    mac_chrome = _program(tmp_path / "Applications" / "Google Chrome.app" / "Contents" / "MacOS"
                          / "Google Chrome")
    found = find_browser({"HOME": str(tmp_path), "PATH": ""}, platform="darwin")
    assert found.found == str(mac_chrome)
    windows = standard_places("windows", {"PROGRAMFILES(X86)": r"C:\Program Files (x86)",
                                          "LOCALAPPDATA": r"C:\Users\sam\AppData\Local"})
    assert r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe" in windows
    assert r"C:\Users\sam\AppData\Local\Google\Chrome\Application\chrome.exe" in windows
    assert "/usr/bin/chromium" in standard_places("linux", {})


def test_the_hint_fits_the_system():
    assert "apt-get" in install_hint("linux")
    assert "apt-get" not in install_hint("win32") and "Edge" in install_hint("win32")
    assert "Applications" in install_hint("darwin") and "apt-get" not in install_hint("darwin")


def test_commands_give_no_deprecation_warnings(tmp_path: Path):
    for args in (["--help"], ["build", "--help"], ["doctor"],
                 ["check", str(REPO / "modules" / "frequent-attenders")]):
        result = subprocess.run([sys.executable, "-W", "error::DeprecationWarning", "-X", "dev",
                                 "-m", "elpack", *args], capture_output=True, text=True,
                                cwd=tmp_path, check=False)
        assert "Warning" not in result.stderr, result.stderr
        assert result.returncode == 0, result.stderr


def test_install_guide_exists_for_writers():
    guide = (REPO / "docs" / "install.md").read_text(encoding="utf-8")
    for needed in ("py -m pip", "pipx", "uv tool install", "macOS", "Linux", "administrator",
                   "elpack doctor", "ELPACK_BROWSER"):
        assert needed in guide, needed
    assert "docs/install.md" in (REPO / "README.md").read_text(encoding="utf-8")
