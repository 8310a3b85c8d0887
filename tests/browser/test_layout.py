"""The first page does not jump about as it loads (Cumulative Layout Shift), the nhs theme loads
nothing from other servers, and narrow screens get a link to the contents."""

from __future__ import annotations

import pytest

from .conftest import EXAMPLE_MODULES
from .serving import LAYOUT_SHIFT


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("module", EXAMPLE_MODULES)
def test_the_first_page_does_not_shift_as_it_loads(module, width, built_packages, lms_session):
    session = lms_session(built_packages[module])
    _page, frame = session.launch(viewport={"width": width, "height": 800})
    shift = frame.evaluate(LAYOUT_SHIFT)
    assert shift < 0.02, f"CLS {shift:.3f} at {width} px"


def test_a_returning_learner_sees_no_shift_either(built_packages, lms_session):
    """Resuming adds a welcome-back note and the progress bar: they must not push the page."""
    session = lms_session(built_packages["frequent-attenders"])
    _page, frame = session.launch({"core": {"entry": "resume", "lesson_location": "welcome"}})
    assert frame.evaluate(LAYOUT_SHIFT) < 0.02
