"""`elpack doctor`: is this computer ready for elpack? A plain report for writers."""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..browser import find_browser, install_hint

MINIMUM_PYTHON = (3, 11)


@dataclass(frozen=True)
class Finding:
    """One thing checked: what it is, whether it is fine, and what to do if not."""

    topic: str
    ok: bool
    detail: str
    advice: str = ""
    needed: bool = True  # False: elpack works without it (only one feature needs it)


def check_python(version: tuple[int, ...] = tuple(sys.version_info[:3])) -> Finding:
    shown = ".".join(map(str, version))
    if tuple(version[:2]) >= MINIMUM_PYTHON:
        return Finding("Python", True, f"Python {shown} (elpack needs 3.11 or newer)")
    return Finding("Python", False, f"Python {shown} is too old: elpack needs 3.11 or newer",
                   "install a newer Python from python.org (no administrator rights needed: "
                   "choose 'Install for me only'), then install elpack again; see docs/install.md")


def check_writable(folder: Path) -> Finding:
    """Can packages be written here? (build/ is made in the folder elpack runs in.)"""
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".elpack-doctor-"):
            pass
    except OSError as error:
        return Finding("Write access", False, f"cannot write to {folder} "
                       f"({error.strerror or error})",
                       "run elpack from a folder of your own, such as one in Documents, or give "
                       "another output folder with -o")
    return Finding("Write access", True, f"can write to {folder}")


def check_browser() -> Finding:
    search = find_browser()
    if search.found:
        return Finding("Browser for PDF", True, f"{search.found} (used by 'elpack storyboard "
                       "--pdf')", needed=False)
    return Finding("Browser for PDF", False, search.problem or "no Chrome, Edge or Chromium "
                   "found; 'elpack storyboard --pdf' will not work, everything else will",
                   install_hint(), needed=False)


def diagnose(folder: Path) -> list[Finding]:
    return [check_python(), check_writable(folder), check_browser()]


def doctor_report(findings: list[Finding]) -> list[str]:
    """The lines `elpack doctor` prints."""
    lines = [f"elpack {__version__}"]
    for finding in findings:
        mark = "ok" if finding.ok else ("PROBLEM" if finding.needed else "missing")
        lines.append(f"{mark:>7}  {finding.topic}: {finding.detail}")
        if finding.advice:
            lines.append(f"         what to do: {finding.advice}")
    blocking = [f for f in findings if not f.ok and f.needed]
    if blocking:
        lines.append(f"elpack cannot work yet: fix the {len(blocking)} PROBLEM line"
                     f"{'' if len(blocking) == 1 else 's'} above.")
    else:
        lines.append("elpack is ready to use.")
    return lines
