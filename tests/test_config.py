"""module.yml: values are read as the writer typed them, and problems point at their line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import MINIMAL_CONFIG, REPO, run_cli
from elpack.commands.inspect import inspect_module
from elpack.config import ASSESSMENT_SCHEMA, CHARACTER_SCHEMA, MODULE_SCHEMA


def test_numbers_and_yes_no_words_stay_text(module_factory):
    config = MINIMAL_CONFIG.replace('version: "1.0.0"', "version: 1.10").replace(
        "title: Sample module", "title: Yes")
    root = module_factory({"01-welcome.md": "# Welcome\n\nHello.\n"}, config=config)
    settings = inspect_module(root)["module"]
    assert settings["version"] == "1.10"
    assert settings["title"] == "Yes"


def test_anchors_and_aliases_are_refused(module_factory, tmp_path: Path):
    config = MINIMAL_CONFIG + "    keywords: &k [a, b]\n    audience: *k\n"
    root = module_factory({"01-welcome.md": "# Welcome\n"}, config=config)
    result = run_cli("build", root, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "module.yml:" in result.stderr and "anchors and aliases" in result.stderr


def test_unlisted_page_files_are_reported(module_factory, tmp_path: Path):
    config = MINIMAL_CONFIG + "    pages: [01-welcome.md]\n"
    root = module_factory({"01-welcome.md": "# Welcome\n", "02-extra.md": "# Extra\n"},
                          config=config)
    result = run_cli("build", root, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "02-extra.md: warning: this page is not listed under 'pages:'" in result.stderr


def test_remote_images_are_refused(module_factory, tmp_path: Path):
    page = "# Welcome\n\n![A logo](https://example.org/logo.png)\n"
    root = module_factory({"01-welcome.md": page})
    result = run_cli("build", root, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "01-welcome.md:3: error: the image 'https://example.org/logo.png' is not a file" \
        in result.stderr


def _doc_table(heading: str) -> list[list[str]]:
    """The rows of the first table after ``heading`` in docs/authoring.md, as cell texts."""
    text = (REPO / "docs" / "authoring.md").read_text(encoding="utf-8")
    lines = text[text.index(heading):].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split(" | ")])
    return rows


def _shown(default: object) -> str:
    return json.dumps(default) if isinstance(default, bool) else str(default)


@pytest.mark.parametrize(("heading", "schema", "has_required", "has_default"), [
    ("### Every setting", MODULE_SCHEMA, True, True),
    ("#### characters", CHARACTER_SCHEMA, True, False),
    ("#### assessment", ASSESSMENT_SCHEMA, False, True),
])
def test_the_option_tables_in_the_docs_match_the_schema(heading, schema, has_required, has_default):
    """docs/authoring.md documents every key of module.yml, and no other, with the schema's
    required flag and (for plain values) its default: the settings are declared once, in
    config.py, and the docs cannot drift from them."""
    rows = _doc_table(heading)
    assert sorted(row[0] for row in rows) == sorted(f"`{key}`" for key in schema)
    for row in rows:
        option = schema[row[0].strip("`")]
        if has_required:
            assert row[1] == ("yes" if option.required else "no"), row
        if has_default and isinstance(option.default, bool | int | str):
            column = row[2] if has_required else row[1]
            assert f"`{_shown(option.default)}`" == column, row
