"""`elpack inspect --json`: the documented content model of a module."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLE_MODULES, EXAMPLES, run_cli

BROKEN = Path(__file__).parent / "broken"


@pytest.mark.parametrize("module", EXAMPLE_MODULES)
def test_inspect_json_exposes_pages_blocks_and_questions(module: str):
    result = run_cli("inspect", EXAMPLES[module], "--json")
    assert result.exit_code == 0, result.output
    model = json.loads(result.stdout)
    assert model["format"] == 1
    assert model["module"]["id"] == module
    page_files = sorted(p.name for p in (EXAMPLES[module] / "pages").glob("*.md"))
    assert sorted(Path(p["file"]).name for p in model["pages"]) == page_files
    questions = model["questions"]
    assert questions, "the example modules have questions"
    ids = [q["id"] for q in questions]
    assert len(ids) == len(set(ids))
    for question in questions:
        option_ids = [o["id"] for o in question["options"]]
        assert all(re.fullmatch(r"[a-z]", i) for i in option_ids)
        assert len(option_ids) == len(set(option_ids))
        if question["type"] in ("single", "multiple"):
            correct = [o["id"] for o in question["options"] if o["correct"]]
            assert question["correct_pattern"] == ",".join(correct)
        assert question["page"] in {p["id"] for p in model["pages"]}
    pool = model["assessment"]["pool"]
    assert set(pool) <= set(ids)
    assert all(q["scored"] for q in questions if q["id"] in pool and q["type"] != "likert")
    assert not any(q["scored"] for q in questions if q["id"] not in pool)


def test_inspect_of_a_broken_module_fails_with_the_build_messages(tmp_path: Path):
    shutil.copytree(BROKEN / "no-correct-option", tmp_path / "no-correct-option")
    result = run_cli("inspect", tmp_path / "no-correct-option", "--json")
    assert result.exit_code == 1
    assert "01-quiz.md:3: error: the question has no correct option" in result.stderr
    assert result.stdout == ""
