"""The worst case of cmi.suspend_data, worked out at build time.

Each target guarantees a SCO some characters of saved state (its ``saved_state_limit``: 4096 in
cmi.suspend_data for SCORM 1.2) for everything it needs to resume. The runtime
(runtime/src/state.js, ``serialise``) keeps pages seen, knowledge-check answers, the
assessment attempt, branch choices and reflections there as compact JSON, under the keys that
runtime/suspend-format.json names: the runtime bundles that file and suspend_format.py reads
it, so the layout is written down once. Every part except the
reflections has a size fixed by the module's structure, so the build can work out its largest
possible size exactly; what is left is shared equally between the reflections, and the runtime
cuts a reflection to its share (telling the learner) rather than ever overflowing.

The shape built here must stay the same as the runtime's ``serialise``: a test fills in every
answer at its longest in a real browser and checks that the measured size never exceeds the
prediction.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from .model import Module, Question
from .questions import question_type
from .suspend_format import FORMAT as FORMAT
from .suspend_format import KEYS as KEYS
from .suspend_format import MAX_ATTEMPTS_STORED as MAX_ATTEMPTS_STORED
from .suspend_format import TEST_KEYS as TEST_KEYS
from .suspend_format import TEXT_ANSWER_LIMIT as TEXT_ANSWER_LIMIT

MIN_REFLECTION = 300  # below this a reflection box is not worth offering
MAX_REFLECTION = 2000
HASH_LENGTH = 12
SEED = "z" * 6  # base 36 of the largest seed the runtime makes, 2**31 - 2


@dataclass(frozen=True)
class SuspendBudget:
    """How a target's characters of saved state are shared in one module."""

    limit: int  # the target's saved_state_limit
    fixed: int  # the largest size of everything except the reflections' text
    reflections: int  # how many reflections share the rest
    reflection_limit: int  # characters each reflection may keep (0 when there are none)

    @property
    def fits(self) -> bool:
        if self.reflections == 0:
            return self.fixed <= self.limit
        return self.reflection_limit >= MIN_REFLECTION

    @property
    def worst_case(self) -> int:
        return self.fixed + self.reflections * self.reflection_limit


def longest_answer(question: Question) -> int:
    """The longest stored form of an answer (see the runtime's ``readAnswer``)."""
    return question_type(question).longest_answer(question)


def _bits(count: int) -> str:
    return "v" * math.ceil(count / 5)


def worst_case_state(module: Module, reflection_text: str = "") -> dict[str, Any]:
    """The runtime's suspend_data object at its largest, each reflection holding ``reflection_text``."""
    config = module.config
    assessment = module.assessment
    checks = module.knowledge_checks
    choices = module.choices
    reflections = module.reflections
    parts: dict[str, Any] = {
        "format": FORMAT,
        "hash": "h" * HASH_LENGTH,
        "seen": _bits(len(module.pages)),
        "recorded": _bits(len(checks) + len(reflections) + len(choices)),
        "answers": ["a" * longest_answer(q) for q in checks],
        "reflections": [reflection_text for _ in reflections],
        "choices": ["a" for _ in choices],
        "test": None,
        "seed": SEED,
    }
    if config.bilingual:
        # The language the learner chose last, so that a resumed attempt opens in it.
        parts["language"] = max([config.language, *(config.languages or [])], key=len)
    if assessment is not None:
        pool = assessment.questions
        draw = module.draw
        width = 2 if len(pool) > 36 else 1
        longest = sorted((longest_answer(q) for q in pool), reverse=True)[:draw]
        attempts = config.assessment.attempts
        test = {
            "attempts": min(attempts, MAX_ATTEMPTS_STORED) if attempts is not None else MAX_ATTEMPTS_STORED,
            "drawn": "z" * (draw * width),
            "seed": SEED,
            "answers": ["a" * size for size in longest],
            "score": 100,
            "best": 100,
            "done": 1,
        }
        parts["test"] = {TEST_KEYS[name]: value for name, value in test.items()}
    return {KEYS[name]: value for name, value in parts.items()}


def stored_size(state: dict[str, Any]) -> int:
    """Characters of JSON.stringify(state), counted in UTF-16 units as LMSs count them."""
    text = json.dumps(state, separators=(",", ":"), ensure_ascii=False)
    return len(text.encode("utf-16-le")) // 2


def suspend_budget(module: Module, limit: int) -> SuspendBudget:
    """How ``limit`` characters of saved state (the target's) are shared in ``module``."""
    fixed = stored_size(worst_case_state(module))
    count = len(module.reflections)
    if count == 0:
        return SuspendBudget(limit, fixed, 0, 0)
    if module.config.reflections == "private":
        # Private reflections stay in the learner's browser: suspend_data holds an empty string
        # for each, so they take none of its room, and each may be as long as the longest.
        return SuspendBudget(limit, fixed, 0, MAX_REFLECTION)
    share = (limit - fixed) // count
    return SuspendBudget(limit, fixed, count, max(min(share, MAX_REFLECTION), 0))
