"""One fixture per block type: the parsed content model must match its golden JSON.

Set ELPACK_UPDATE_GOLDEN=1 to rewrite the golden files after an intended change, then review
the diff before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import module_factory  # noqa: F401  (fixture)
from elpack.commands.inspect import inspect_module

FIXTURES = Path(__file__).parent / "fixtures" / "blocks"
MEDIA = {
    "media/picture.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
    "media/clip.mp4": "not really a video",
    "media/clip.vtt": "WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n",
    "media/clip.mp3": "not really audio",
}


@pytest.mark.parametrize("fixture", sorted(p.stem for p in FIXTURES.glob("*.md")))
def test_block_fixture(fixture: str, module_factory):  # noqa: F811
    source = (FIXTURES / f"{fixture}.md").read_text(encoding="utf-8")
    root = module_factory({"01-fixture.md": source}, extra=MEDIA)
    model = inspect_module(root)
    actual = {"blocks": model["pages"][0]["blocks"], "questions": model["questions"],
              "media": model["media"]}
    golden = FIXTURES / f"{fixture}.json"
    if os.environ.get("ELPACK_UPDATE_GOLDEN"):
        golden.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n",
                          encoding="utf-8")
    assert actual == json.loads(golden.read_text(encoding="utf-8"))
