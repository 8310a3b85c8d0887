"""The first page does not jump about as it loads (Cumulative Layout Shift), the nhs theme loads
nothing from other servers, and narrow screens get a link to the contents."""

from __future__ import annotations

import pytest

from .conftest import EXAMPLE_MODULES, THEMES
from .serving import LAYOUT_SHIFT


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("module", EXAMPLE_MODULES)
def test_the_first_page_does_not_shift_as_it_loads(module, width, built_packages, lms_session):
    session = lms_session(built_packages[module])
    _page, frame = session.launch(viewport={"width": width, "height": 800})
    shift = frame.evaluate(LAYOUT_SHIFT)
    assert shift < 0.02, f"CLS {shift:.3f} at {width} px"


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("module", EXAMPLE_MODULES)
def test_opened_without_an_lms_the_banner_moves_nothing(module, theme, themed_packages, served_package,
                                                       browser):
    """A reviewer opens the unzipped index.html: the "outside a learning system" banner is there
    from the first paint (the page's head marks it standalone), instead of pushing the page
    down once the runtime has looked for an LMS."""
    site = served_package(themed_packages[(module, theme)])
    for width in (375, 1280):
        context = browser.new_context(viewport={"width": width, "height": 800})
        try:
            page = context.new_page()
            page.goto(site.url("package/index.html"))
            shift = page.evaluate(LAYOUT_SHIFT)
            assert page.locator(".standalone-banner").is_visible(), "the banner is not shown"
            assert "outside a learning system" in page.locator(".standalone-banner").inner_text()
            assert shift < 0.02, f"CLS {shift:.3f} at {width} px, {theme} theme, no LMS"
        finally:
            context.close()


def test_a_returning_learner_sees_no_shift_either(built_packages, lms_session):
    """Resuming adds a welcome-back note and the progress bar: they must not push the page."""
    session = lms_session(built_packages["frequent-attenders"])
    _page, frame = session.launch({"core": {"entry": "resume", "lesson_location": "welcome"}})
    assert frame.evaluate(LAYOUT_SHIFT) < 0.02
