"""Every broken-module case fails with file:line messages and leaves build/ as it was."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from conftest import run_cli

BROKEN = Path(__file__).parent / "broken"
CASES = sorted(p.name for p in BROKEN.iterdir() if (p / "expected.txt").is_file())


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


@pytest.mark.parametrize("case", CASES)
def test_broken_module_reports_every_problem_and_writes_nothing(case: str, tmp_path: Path):
    modules = tmp_path / "modules"
    shutil.copytree(BROKEN / case, modules / case)
    build = tmp_path / "build"
    build.mkdir()
    earlier = build / "broken-scorm12.zip"
    earlier.write_bytes(b"the package from an earlier, good build")
    before = _snapshot(build)

    result = run_cli("build", modules / case, "-o", build)

    assert result.exit_code == 1
    assert "Traceback" not in result.output
    expected = (BROKEN / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert expected, "each case lists at least one expected message"
    reported = [line for line in result.stderr.splitlines() if ": error: " in line
                or ": warning: " in line]
    assert reported == expected
    for line in expected:
        location = line.split(": ")[0]
        assert location.startswith(case + "/"), "messages name the file"
    assert any(":" in line.split(": ")[0] for line in expected if ": error: " in line), \
        "at least one error carries a line number"
    assert _snapshot(build) == before, "a failed build must leave build/ untouched"


def test_every_problem_comes_with_a_fix(tmp_path: Path):
    shutil.copytree(BROKEN / "many-problems", tmp_path / "many-problems")
    result = run_cli("build", tmp_path / "many-problems", "-o", tmp_path / "build")
    lines = result.stderr.splitlines()
    for index, line in enumerate(lines):
        if ": error: " in line:
            assert lines[index + 1].strip().startswith("fix: "), line
    assert not (tmp_path / "build").exists()
