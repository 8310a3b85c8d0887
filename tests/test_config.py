"""module.yml: values are read as the writer typed them, and problems point at their line."""

from __future__ import annotations

from pathlib import Path

from conftest import MINIMAL_CONFIG, run_cli
from elpack.commands.inspect import inspect_module


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
