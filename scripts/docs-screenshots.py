"""Screenshots of the nhs theme for docs/images/, from a real build of an example module.

The package runs in the browser tests' LMS page (tests/browser/lms, with the npm package
scorm-again as the LMS's API), in headless Chromium at 375 and 1280 px, so the pictures show what
a learner sees in a learning system. Each picture is saved with a palette of 64 colours (Pillow's
median cut, no dithering), which the flat colours and text of a page keep legibly at about a third
of the size of Chromium's full-colour PNG. Usage, after `npm ci` and `pip install -e '.[docs]'`:

    PYTHONPATH=src python scripts/docs-screenshots.py [module folder] [output folder]
"""

from __future__ import annotations

import io
import json
import shutil
import sys
import tempfile
from pathlib import Path

from PIL import Image
from playwright.sync_api import Frame, Page, sync_playwright

from elpack.pipeline import build

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # the browser tests' server and Chromium launcher
from tests.browser.serving import launch_chromium, serve_directory  # noqa: E402

LMS = REPO / "tests" / "browser" / "lms"
SCORM_AGAIN = REPO / "node_modules" / "scorm-again" / "dist" / "scorm12.js"
FRESH_ATTEMPT = {"core": {"student_id": "learner-1", "student_name": "Learner, Example",
                          "credit": "credit", "entry": "ab-initio", "lesson_mode": "normal"}}
HEIGHTS = {375: 740, 1280: 800}
PALETTE_COLOURS = 64


def save_screenshot(page: Page, path: Path) -> None:
    """The page as a palette PNG: the same pixels in at most PALETTE_COLOURS colours."""
    page.mouse.move(0, 0)  # no hover style left on whatever the last click was over
    picture = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    reduced = picture.quantize(colors=PALETTE_COLOURS, method=Image.Quantize.MEDIANCUT,
                               dither=Image.Dither.NONE)
    reduced.save(path, format="PNG", optimize=True)


def show(frame: Frame, page_id: str) -> None:
    frame.evaluate("(id) => { location.hash = '#page-' + id; }", page_id)
    frame.wait_for_function("(id) => document.querySelector('section.page.current').dataset.page === id",
                            arg=page_id)
    frame.evaluate("() => window.scrollTo(0, 0)")


def page_of(frame: Frame, element_id: str) -> str:
    return str(frame.evaluate("(id) => document.getElementById(id).closest('.page').dataset.page",
                              element_id))


def main(module: Path, output: Path) -> None:
    result = build(module)
    output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temporary:
        site = Path(temporary)
        for name, data in result.files.items():
            (site / "package" / name).parent.mkdir(parents=True, exist_ok=True)
            (site / "package" / name).write_bytes(data)
        shutil.copytree(LMS, site / "lms")
        shutil.copyfile(SCORM_AGAIN, site / "lms" / "scorm12.js")
        config = {"cmi": FRESH_ATTEMPT, "settings": {}, "commitFails": False,
                  "sco": "../package/index.html"}
        with serve_directory(site) as base, sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            for width, height in HEIGHTS.items():
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                page.add_init_script(f"if (window === window.top) window.lmsConfig = {json.dumps(config)};")
                page.goto(base + "lms/index.html")
                frame = page.frame(name="sco")
                assert frame is not None
                frame.wait_for_function("() => window.elpack !== undefined")  # the runtime has started
                data = json.loads(frame.locator("#elpack-data").text_content() or "{}")
                # the first page: the header with the organisation's name, the Contents link (narrow)
                save_screenshot(page, output / f"nhs-welcome-{width}.png")
                # a story page with its "What would you do?" choice made: the message is in the block
                choice = data["choices"][0]["id"]
                show(frame, page_of(frame, choice))
                frame.locator(f"#{choice} input[type=radio]").first.check()
                frame.locator(f"#{choice} button[data-action='choose']").click()
                frame.wait_for_function(
                    "(id) => document.querySelector('#' + id + ' > .block-status').textContent !== ''",
                    arg=choice)
                frame.locator(f"#{choice}").scroll_into_view_if_needed()
                save_screenshot(page, output / f"nhs-choice-{width}.png")
                # the final assessment submitted too early: the NHS.UK error summary
                assessment = data["assessment"]["id"]
                show(frame, page_of(frame, assessment))
                frame.locator(f"#{assessment} button[data-action='submit-assessment']").click()
                frame.locator(f"#{assessment}-errors").wait_for()
                frame.locator(f"#{assessment}-errors").scroll_into_view_if_needed()
                save_screenshot(page, output / f"nhs-error-summary-{width}.png")
                context.close()
            browser.close()
    for picture in sorted(output.glob("nhs-*.png")):
        print(f"{picture.relative_to(REPO) if picture.is_relative_to(REPO) else picture}: "
              f"{picture.stat().st_size} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "modules" / "frequent-attenders",
         Path(sys.argv[2]) if len(sys.argv) > 2 else REPO / "docs" / "images")
