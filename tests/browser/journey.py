"""How a learner journey in the test LMS is checked and ended, for SCORM 1.2 and 2004 alike: the
session's ``standard`` (told from the package's manifest) picks the strict rules and the call that
ends the attempt."""

from __future__ import annotations

from typing import Any

from .learner import strict_problems
from .strict2004 import strict_problems_2004

# The API call with which the SCO ends its attempt, by standard.
FINISH = {"scorm12": "LMSFinish", "scorm2004": "Terminate"}


def assert_strict(session: Any) -> None:
    """The session's API log breaks no rule of its standard, and nothing failed in the page."""
    check = strict_problems_2004 if session.standard == "scorm2004" else strict_problems
    problems = check(session.log())
    assert not problems, "\n".join(problems)
    assert not session.errors, "\n".join(session.errors)


def exit_module(session: Any, frame: Any) -> None:
    """Press the module's Exit button and wait until the SCO has ended its attempt."""
    frame.locator("#elpack-exit").click()
    session.page.wait_for_function(
        f"() => window.lmsLog.some(e => e.method === '{FINISH[session.standard]}')")
