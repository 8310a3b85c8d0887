"""Output targets: chosen on the command line or in module.yml, unknown names refused clearly, and
the build result carrying every product of the pipeline."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import MINIMAL_CONFIG, run_cli
from elpack.errors import BuildError, ElpackError
from elpack.pipeline import build, build_all
from elpack.targets import DEFAULT_TARGET, Target, get_target, known_targets
from elpack.validate import validate_zip

PAGES = {"01-welcome.md": "# Welcome\n\nHello.\n"}


def test_scorm12_is_the_default_and_is_registered():
    assert DEFAULT_TARGET == "scorm12" and "scorm12" in known_targets()
    target = get_target("scorm12")
    assert isinstance(target, Target)
    assert target.saved_state_limit == 4096
    assert target.package_name("m") == "m-scorm12.zip"


def test_target_on_the_command_line(module_factory, tmp_path: Path):
    root = module_factory(PAGES)
    out = tmp_path / "out"
    result = run_cli("build", root, "-o", out, "--target", "scorm12", "--target", "scorm12")
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.glob("*.zip")] == ["sample-scorm12.zip"]
    assert validate_zip(out / "sample-scorm12.zip") == []


def test_an_unknown_target_on_the_command_line_lists_the_known_ones(module_factory, tmp_path):
    root = module_factory(PAGES)
    result = run_cli("build", root, "-o", tmp_path / "out", "--target", "scorm99")
    assert result.exit_code == 2
    assert "there is no target 'scorm99'; the known targets are scorm12" in result.stderr
    assert not (tmp_path / "out").exists()


def test_targets_in_module_yml(module_factory, tmp_path: Path):
    root = module_factory(PAGES, config=MINIMAL_CONFIG + "    targets: [scorm12]\n")
    [result] = build_all(root)
    assert result.target.name == "scorm12" and result.file_name == "sample-scorm12.zip"
    out = tmp_path / "out"
    assert run_cli("build", root, "-o", out).exit_code == 0
    assert (out / "sample-scorm12.zip").is_file()


def test_an_unknown_target_in_module_yml_is_a_located_error(module_factory, tmp_path: Path):
    config = MINIMAL_CONFIG + "    targets:\n      - scorm12\n      - scrom12\n"
    root = module_factory(PAGES, config=config)
    line = (root / "module.yml").read_text().splitlines().index("  - scrom12") + 1
    with pytest.raises(BuildError) as raised:
        build_all(root)
    [problem] = raised.value.problems
    assert problem.file.endswith("module.yml") and problem.line == line
    assert "'scrom12'" in problem.message and "scorm12" in problem.hint
    result = run_cli("build", root, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert f"module.yml:{line}: error: 'targets' names 'scrom12'" in result.stderr
    assert not (tmp_path / "out" / "sample-scorm12.zip").exists()


def test_an_unknown_target_by_name_in_the_library_is_an_elpack_error(module_factory):
    with pytest.raises(ElpackError, match="known targets are scorm12"):
        build(module_factory(PAGES), "scorm99")


def test_the_build_result_exposes_every_product(module_factory):
    root = module_factory(PAGES)
    result = build(root)
    assert result.module.config.id == "sample" and result.target is get_target("scorm12")
    # The runtime data is what index.html carries, and the manifest is the package's.
    page = result.rendered.files["index.html"].decode()
    assert json.dumps(result.runtime_data["hash"]) in page
    assert result.files["imsmanifest.xml"] == result.manifest
    assert etree.fromstring(result.manifest).tag.endswith("manifest")
    assert set(result.rendered.files) < set(result.files)
    assert set(result.files) - set(result.rendered.files) == \
        {"imsmanifest.xml", *get_target("scorm12").control_files()}
    assert result.budget.limit == 4096
    assert result.runtime_data["reflectionLimit"] == result.budget.reflection_limit
    with zipfile.ZipFile(__import__("io").BytesIO(result.package)) as archive:
        assert sorted(archive.namelist()) == sorted(result.files)
    assert result.problems == result.warnings  # a build with errors raises instead


def test_the_saved_state_limit_comes_from_the_target(module_factory):
    """The budget is the target's: a target that keeps less refuses what scorm12 accepts."""
    root = module_factory(PAGES)

    class Tiny(type(get_target("scorm12"))):  # type: ignore[misc]
        name = "tiny"
        title = "Tiny LMS"
        saved_state_limit = 20
        saved_state_element = "tiny.state"

    assert build(root).budget.fits
    with pytest.raises(BuildError) as raised:
        build(root, Tiny())
    [problem] = raised.value.problems
    assert "more than the 20 Tiny LMS allows in tiny.state" in problem.message
