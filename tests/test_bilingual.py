"""The bilingual package (issue 15, 'bilingual: true'): what the build makes and refuses.
The learner's side (the choice, switching, resuming) is tests/browser/test_bilingual.py; the
module.yml errors are in tests/fixtures/messages/config.txt."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import run_cli
from elpack.commands.new import create_module
from elpack.pipeline import build_all, load_checked_module
from elpack.preview.builds import PreviewModule
from elpack.suspend import worst_case_state
from elpack.suspend_format import KEYS
from translating import NS, translate_like_a_cat_tool

FIXTURE_PROGRAMME = Path(__file__).parent / "fixtures" / "programme"


@pytest.fixture
def module(tmp_path: Path) -> Path:
    return create_module("first-module", tmp_path / "modules")


ZIPS = ["first-module-en-GB-cy-scorm12.zip", "first-module-en-GB-cy-scorm2004-3rd.zip",
        "first-module-en-GB-cy-scorm2004-4th.zip"]


def make_bilingual(root: Path, translate: bool = True) -> Path:
    if translate:
        run_cli("translate", "extract", root, "--lang", "cy")
        translate_like_a_cat_tool(root / "translations" / "cy.xlf")
    config = root / "module.yml"
    config.write_text(config.read_text() + "languages: [en-GB, cy]\nbilingual: true\n"
                      "targets: [scorm12, scorm2004-3rd, scorm2004-4th]\n")
    return root


def test_a_plain_build_makes_one_bilingual_package_per_target(module: Path, tmp_path: Path):
    make_bilingual(module)
    result = run_cli("build", module, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").glob("*.zip")) == ZIPS
    with zipfile.ZipFile(tmp_path / "out" / ZIPS[0]) as archive:
        page = archive.read("index.html").decode()
        manifest = etree.fromstring(archive.read("imsmanifest.xml"))
    # The first language of 'languages:' in the document, the other in a <template>, each with
    # the same element ids and its own runtime data.
    assert '<html lang="en-GB">' in page
    live, other = page.split('<template id="elpack-version-cy" data-language="cy">')
    assert set(re.findall(r' id="([^"]+)"', other)) <= set(re.findall(r' id="([^"]+)"', live))
    datas = [json.loads(m) for m in re.findall(r'id="elpack-data">(.*?)</script>', page)]
    assert [d["language"] for d in datas] == ["en-GB", "cy"]
    assert datas[0]["hash"] == datas[1]["hash"] and datas[0]["languages"] == ["en-GB", "cy"]
    # The manifest describes the package in both languages.
    titles = manifest.xpath("//*[local-name()='general']/*[local-name()='title']/*")
    assert [(t.get("{http://www.w3.org/XML/1998/namespace}lang"), t.text) for t in titles] == [
        ("en-GB", "First module"), ("cy", "FIRST MODULE")]
    welsh = titles[1].text
    assert manifest.xpath("string(//*[local-name()='organization']/*[local-name()='title'])") \
        == f"First module / {welsh}"
    for name in ZIPS[1:]:  # SCORM 2004 has no LOM metadata: its titles say both
        with zipfile.ZipFile(tmp_path / "out" / name) as archive:
            manifest_2004 = etree.fromstring(archive.read("imsmanifest.xml"))
        assert manifest_2004.xpath("string(//*[local-name()='item']/*[local-name()='title'])") \
            == f"First module / {welsh}"
    # --lang still builds one language on its own.
    single = run_cli("build", module, "--lang", "cy", "--target", "scorm12", "-o", tmp_path / "cy")
    assert single.exit_code == 0, single.output
    assert [p.name for p in (tmp_path / "cy").glob("*.zip")] == ["first-module-cy-scorm12.zip"]


def test_two_builds_give_the_same_bytes(module: Path):
    make_bilingual(module)
    first = [result.package for result in build_all(module)]
    second = [result.package for result in build_all(module)]
    assert first == second


def test_a_language_without_its_translation_is_a_located_error(module: Path, tmp_path: Path):
    make_bilingual(module, translate=False)
    result = run_cli("build", module, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "first-module/translations/cy.xlf: error: there is no translation of the module into " \
        "'cy'" in result.output
    assert "elpack translate extract" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.zip"))


def test_untranslated_units_fail_the_bilingual_build_unless_allowed(module: Path, tmp_path: Path):
    make_bilingual(module, translate=False)
    run_cli("translate", "extract", module, "--lang", "cy")
    refused = run_cli("build", module, "-o", tmp_path / "out")
    assert refused.exit_code == 1
    assert "units are not translated: module.title, module.description" in refused.output
    allowed = run_cli("build", module, "--allow-untranslated", "-o", tmp_path / "out")
    assert allowed.exit_code == 0, allowed.output
    with zipfile.ZipFile(tmp_path / "out" / ZIPS[0]) as archive:
        welsh = archive.read("index.html").decode().split('data-language="cy">')[-1]
    assert '<span lang="en-GB">What would you say next, and why?</span>' in welsh


def test_translated_text_is_sanitised_like_any_other(module: Path):
    make_bilingual(module)
    path = module / "translations" / "cy.xlf"
    tree = etree.parse(str(path))
    target = next(t for t in tree.iter(f"{{{NS}}}target") if len(t) == 0 and t.text)
    target.text = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    page = build_all(module, ["scorm12"])[0].files["index.html"].decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;img src=x" in page or "&lt;script&gt;" in page


def test_the_saved_state_budget_counts_the_language(module: Path):
    make_bilingual(module)
    state = worst_case_state(load_checked_module(module).module)
    assert state[KEYS["language"]] == "en-GB"  # the longest tag of the package's languages
    assert len(json.dumps({KEYS["language"]: "en-GB"})) < 16  # a few bytes, no learner text



def test_a_bilingual_title_too_long_for_the_lms_is_a_located_error(module: Path, tmp_path: Path):
    config = module / "module.yml"
    long_title = "a" * 120  # its stand-in Welsh is "A" * 120
    config.write_text(re.sub(r"(?m)^title: .*$", f"title: {long_title}", config.read_text()))
    make_bilingual(module)
    result = run_cli("build", module, "-o", tmp_path / "out")
    assert result.exit_code == 1
    line = next(number for number, text in enumerate(config.read_text().splitlines(), 1)
                if text.startswith("title:"))
    assert f"module.yml:{line}: error: the bilingual package's title, '{long_title} / " \
        in result.output
    assert "is 243 characters; a title may have 200" in result.output
    assert "Traceback" not in result.output


def test_a_multi_sco_programme_refuses_a_bilingual_module(tmp_path: Path):
    programme = tmp_path / "programme"
    shutil.copytree(FIXTURE_PROGRAMME, programme)
    config = programme / "modules" / "second-steps" / "module.yml"
    config.write_text(config.read_text() + "languages: [en-GB, cy]\nbilingual: true\n")
    line = len(config.read_text().splitlines())
    result = run_cli("build", programme, "--multi-sco", "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert f"second-steps/module.yml:{line}: error: a module of a multi-SCO programme package " \
        "cannot be bilingual yet" in result.output
    assert "Traceback" not in result.output


def test_the_preview_shows_the_bilingual_package(module: Path):
    make_bilingual(module)
    preview = PreviewModule(module, "first-module")
    result = preview.rebuild()
    assert result.ok, result.problems
    page = result.files["index.html"].decode()
    assert 'id="elpack-language-choice"' in page and 'data-language="cy"' in page


def test_welsh_first_when_languages_says_so(module: Path, tmp_path: Path):
    make_bilingual(module)
    config = module / "module.yml"
    config.write_text(config.read_text().replace("languages: [en-GB, cy]", "languages: [cy, en-GB]"))
    result = build_all(module, ["scorm12"])[0]
    assert result.file_name == "first-module-cy-en-GB-scorm12.zip"
    page = result.files["index.html"].decode()
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"cy\">")
    offered = re.findall(r'data-action="choose-language" data-language="([^"]+)"', page)
    assert offered == ["cy", "en-GB"]
    assert '<template id="elpack-version-en-GB" data-language="en-GB">' in page
    assert result.manifest.decode().count("<title>FIRST MODULE / First module</title>") == 2
