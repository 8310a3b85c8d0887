"""The runtime's draw with 'draw_by: objective': every attempt covers every objective.

The draw is the runtime's own drawQuestions (src/elpack/runtime/src/random.js), run in Node over
many seeds, fed with the runtime data that `elpack build` writes into the package.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE_MODULES, EXAMPLES, REPO
from elpack.config import load_config
from elpack.errors import Problems
from elpack.pipeline import build

RANDOM_JS = REPO / "src" / "elpack" / "runtime" / "src" / "random.js"
SEEDS = 2000
# Reads [{pool, draw, strata, seeds}] on stdin; prints, for each, the draw of every seed, made
# as the runtime makes it (assessment.js: generator(hashText(seed + ":draw"))).
DRAW_SCRIPT = f"""
import {{ drawQuestions, generator, hashText }} from {json.dumps(RANDOM_JS.as_uri())};
let input = "";
for await (const chunk of process.stdin) input += chunk;
const out = JSON.parse(input).map((c) => c.seeds.map((seed) =>
  drawQuestions(c.pool, c.draw, c.strata, generator(hashText(String(seed) + ":draw")))));
process.stdout.write(JSON.stringify(out));
"""

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")


def draws(cases: list[dict]) -> list[list[list[str]]]:
    result = subprocess.run(["node", "--input-type=module", "-e", DRAW_SCRIPT],
                            input=json.dumps(cases), capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def assert_every_draw_covers(pool: list[str], draw: int, strata: list[list[str]],
                             drawn: list[list[str]]) -> None:
    for attempt in drawn:
        assert len(attempt) == min(draw, len(pool)) == len(set(attempt))
        assert set(attempt) <= set(pool)
        for group in strata:
            assert set(group) & set(attempt), (group, attempt)


def runtime_data(root: Path) -> dict:
    html = build(root).files["index.html"].decode()
    found = re.search(r'<script type="application/json" id="elpack-data">(.*?)</script>', html,
                      re.S)
    assert found
    return json.loads(found.group(1))


@st.composite
def stratified_pools(draw: st.DrawFn) -> dict:
    size = draw(st.integers(1, 30))
    pool = [f"q{i}" for i in range(size)]
    objectives = draw(st.integers(1, size))
    tagged = draw(st.lists(st.integers(0, objectives - 1) | st.none(), min_size=size,
                           max_size=size))
    strata = [[q for q, o in zip(pool, tagged, strict=True) if o == n] for n in range(objectives)]
    strata = [group for group in strata if group]
    return {"pool": pool, "draw": draw(st.integers(max(len(strata), 1), size)),
            "strata": strata, "seeds": draw(st.lists(st.integers(0, 2**31), min_size=20,
                                                     max_size=20))}


@settings(max_examples=60, deadline=None)
@given(cases=st.lists(stratified_pools(), min_size=1, max_size=5))
def test_every_draw_covers_every_objective(cases: list[dict]):
    for case, drawn in zip(cases, draws(cases), strict=True):
        assert_every_draw_covers(case["pool"], case["draw"], case["strata"], drawn)


def test_without_strata_a_draw_can_miss_an_objective_and_with_them_never():
    pool = [f"q{i}" for i in range(16)]
    objective = ["q0", "q1", "q2", "q3"]
    seeds = list(range(SEEDS))
    plain, stratified = draws([
        {"pool": pool, "draw": 10, "strata": None, "seeds": seeds},
        {"pool": pool, "draw": 10, "strata": [objective, pool[4:]], "seeds": seeds}])
    # 10 of 16 misses all four in C(12,10)/C(16,10) = 66/8008 of draws: about 16 in 2,000.
    assert 5 <= sum(not set(objective) & set(attempt) for attempt in plain) <= 40
    assert_every_draw_covers(pool, 10, [objective, pool[4:]], stratified)
    assert len({tuple(a) for a in stratified}) > SEEDS * 0.9, "seeds give different draws"


@pytest.mark.parametrize("name", EXAMPLE_MODULES)
def test_the_example_modules_cover_every_objective_in_every_draw(name: str):
    data = runtime_data(EXAMPLES[name])
    assessment = data["assessment"]
    assert "strata" in assessment, f"{name} sets 'draw_by: objective'"
    strata = assessment["strata"]
    problems = Problems(EXAMPLES[name])
    config = load_config(EXAMPLES[name], problems)
    assert config is not None and len(strata) == len(config.objectives), \
        "every objective has assessment questions"
    drawn = draws([{"pool": assessment["questions"], "draw": assessment["draw"],
                    "strata": strata, "seeds": [f"s{n}" for n in range(SEEDS)]}])[0]
    assert_every_draw_covers(assessment["questions"], assessment["draw"], strata, drawn)
