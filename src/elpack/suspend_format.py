"""The layout of cmi.suspend_data, read from runtime/suspend-format.json: the runtime bundles
that file and the build reads it here, so the layout is written down once (see suspend.py)."""

from __future__ import annotations

import json
from importlib import resources

_LAYOUT = json.loads((resources.files("elpack") / "runtime" / "suspend-format.json").read_text("utf-8"))
FORMAT: int = _LAYOUT["format"]
KEYS: dict[str, str] = _LAYOUT["keys"]  # what the runtime keeps -> its key in suspend_data
TEST_KEYS: dict[str, str] = _LAYOUT["testKeys"]  # the same inside the assessment attempt
TEXT_ANSWER_LIMIT: int = _LAYOUT["textAnswerLimit"]  # a short-text answer, as stored (JSON-escaped)
MAX_ATTEMPTS_STORED: int = _LAYOUT["maxAttempts"]
