"""The translation round trip: `elpack translate extract` → a translator's tool → `elpack build
--lang`, with every broken unit located and reported in one run (issue 15)."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import run_cli
from elpack.commands.new import create_module
from elpack.pipeline import build, load_checked_module
from elpack.translation.fragments import Text
from elpack.translation.units import extract
from translating import translate_like_a_cat_tool, untranslate_every_other_unit, welsh_ish

NS = "urn:oasis:names:tc:xliff:document:2.0"


def _x(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def translate_then_shorten_one_sentence(module: Path) -> None:
    """Extract and translate the module into Welsh, then change one English sentence of the story
    page ("What would you say next, and why?" becomes "What would you say next?")."""
    run_cli("translate", "extract", module, "--lang", "cy")
    translate_like_a_cat_tool(module / "translations" / "cy.xlf")
    page = module / "pages" / "02-story.md"
    page.write_text(page.read_text().replace("What would you say next, and why?",
                                             "What would you say next?"))


@pytest.fixture
def module(tmp_path: Path) -> Path:
    root = create_module("first-module", tmp_path / "modules")
    # A link, emphasis and a glossary term inside a sentence, and a picture with alt text.
    (root / "media").mkdir(exist_ok=True)
    (root / "media" / "ward.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    config = root / "module.yml"
    config.write_text(config.read_text() + "glossary:\n  triage: Sorting patients by how urgently "
                      "they need care.\n")
    page = root / "pages" / "01-welcome.md"
    page.write_text(page.read_text() + "\nRead about [[triage]] and *why* it matters on "
                    "[the NHS website](https://www.nhs.uk/).\n\n![A hospital ward](../media/ward.svg)\n")
    return root


def units_by_id(root: Path) -> dict:
    return {unit.id: unit for unit in extract(load_checked_module(root).module)}


def test_every_unit_is_translated_into_the_package(module: Path, tmp_path: Path):
    assert run_cli("translate", "extract", module, "--lang", "cy").exit_code == 0
    xliff = module / "translations" / "cy.xlf"
    translate_like_a_cat_tool(xliff)
    result = run_cli("build", module, "--lang", "cy", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    package = tmp_path / "out" / "first-module-cy-scorm12.zip"
    with zipfile.ZipFile(package) as archive:
        page = archive.read("index.html").decode()
        manifest = archive.read("imsmanifest.xml").decode()
    assert '<html lang="cy">' in page
    units = units_by_id(module)
    shown = html.unescape(page) + html.unescape(manifest)
    for unit in units.values():
        for piece in unit.source:
            if isinstance(piece, Text) and piece.text.strip():
                assert welsh_ish(piece.text) in shown, unit.id
                if len(piece.text.strip()) >= 12:
                    assert piece.text not in shown, f"{unit.id}: English left: {piece.text!r}"
    # The link, the glossary term and the picture survive, their words translated.
    assert ('<a href="https://www.nhs.uk/" rel="noopener" target="_blank">THE NHS ŵEBSITE'
            '<span class="visually-hidden"> (yn agor mewn tab newydd)</span></a>') in page
    assert '<a class="term" href="#term-triage">TRIAGE</a>' in page
    assert 'alt="A HOSPITAL ŵARD"' in page and 'src="media/ward.svg"' in page
    assert '<dt id="term-triage">TRIAGE</dt>' in page
    assert "xml:lang=\"cy\">" in manifest and welsh_ish(units["module.title"].text) in manifest


def test_scores_and_saved_state_are_the_same_in_every_language(module: Path):
    run_cli("translate", "extract", module, "--lang", "cy")
    translate_like_a_cat_tool(module / "translations" / "cy.xlf")
    english, welsh = build(module), build(module, language="cy")
    for key in ("hash", "questions", "pages", "checks", "reflections", "assessment", "choices"):
        if key in ("questions", "pages"):
            continue
        assert english.runtime_data[key] == welsh.runtime_data[key], key
    for qid, question in english.runtime_data["questions"].items():
        for key in ("pattern", "options", "correct", "interaction", "type"):
            assert welsh.runtime_data["questions"][qid][key] == question[key]
    assert [p["id"] for p in english.runtime_data["pages"]] == \
        [p["id"] for p in welsh.runtime_data["pages"]]
    assert welsh.runtime_data["language"] == "cy"


def test_a_second_round_trip_without_edits_gives_the_same_bytes(module: Path):
    for file_format, name in (("xliff", "cy.xlf"), ("po", "cy.po")):
        run_cli("translate", "extract", module, "--lang", "cy", "--format", file_format)
        path = module / "translations" / name
        first = path.read_bytes()
        run_cli("translate", "extract", module, "--lang", "cy", "--format", file_format)
        assert path.read_bytes() == first
    # With translations in it, too: they are kept, byte for byte.
    xliff = module / "translations" / "cy.xlf"
    translate_like_a_cat_tool(xliff)
    run_cli("translate", "extract", module, "--lang", "cy")
    kept = xliff.read_bytes()
    result = run_cli("translate", "extract", module, "--lang", "cy")
    assert "already translated" in result.output
    assert xliff.read_bytes() == kept


def test_the_po_file_passes_msgfmt_check(module: Path):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt (gettext) is not installed; scripts/test installs it")
    run_cli("translate", "extract", module, "--lang", "cy", "--format", "po")
    checked = subprocess.run([msgfmt, "--check", "-o", "/dev/null",
                              str(module / "translations" / "cy.po")], capture_output=True,
                             text=True)
    assert checked.returncode == 0, checked.stderr


XLIFF_SCHEMAS = Path(__file__).parent / "fixtures" / "xliff-2.0"
EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture(scope="module")
def xliff_schema() -> etree.XMLSchema:
    """The OASIS XLIFF 2.0 core schema, unmodified (tests/fixtures/xliff-2.0/README.md); its
    import of xml.xsd resolves to the copy beside it, so nothing is fetched."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(XLIFF_SCHEMAS / "xliff_core_2.0.xsd"), parser))


def schema_errors(schema: etree.XMLSchema, path: Path) -> list[str]:
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    schema.validate(etree.parse(str(path), parser))
    return [f"{path.name}:{error.line}: {error.message}" for error in schema.error_log]


def test_every_example_translation_is_valid_xliff_2(xliff_schema: etree.XMLSchema):
    translations = sorted(EXAMPLES.glob("**/translations/*.xlf"))
    assert translations, "no example module has an XLIFF translation"
    for path in translations:
        assert schema_errors(xliff_schema, path) == []


def test_extracted_and_translated_files_are_valid_xliff_2(module: Path,
                                                          xliff_schema: etree.XMLSchema):
    # Captions too: their voice tags are codes.
    (module / "media" / "talk.mp3").write_bytes(b"ID3")
    (module / "media" / "talk.vtt").write_text(
        "WEBVTT\n\n00:00:00.000 --> 00:00:02.500\n<v Alex Morgan>Good <i>morning</i>.\n")
    page = module / "pages" / "02-story.md"
    page.write_text(page.read_text() + '\n::: audio {src="../media/talk.mp3" '
                    'captions="../media/talk.vtt"}\n:::\n')
    xliff = module / "translations" / "cy.xlf"
    run_cli("translate", "extract", module, "--lang", "cy")
    root = etree.parse(str(xliff)).getroot()
    assert root.find(f".//{_x('pc')}") is not None and root.find(f".//{_x('ph')}") is not None
    assert schema_errors(xliff_schema, xliff) == []
    translate_like_a_cat_tool(xliff)  # as a CAT tool writes it back
    assert schema_errors(xliff_schema, xliff) == []
    # Extracted again after an English edit: kept targets, a stale unit with its old target.
    page.write_text(page.read_text().replace("What would you say next, and why?",
                                             "What would you say next?"))
    run_cli("translate", "extract", module, "--lang", "cy")
    assert "elpack-previous-translation" in xliff.read_text()
    assert schema_errors(xliff_schema, xliff) == []


@pytest.mark.parametrize("plant", [
    pytest.param(lambda unit: unit.attrib.pop("id"), id="unit-without-id"),
    pytest.param(lambda unit: unit.find(_x("segment")).set("state", "done"), id="unknown-state"),
    pytest.param(lambda unit: unit.find(_x("segment")).insert(
        0, etree.Element(_x("target"))), id="target-before-source"),
    pytest.param(lambda unit: unit.find(f"{_x('segment')}/{_x('source')}").append(
        etree.Element(_x("b"))), id="element-xliff-has-not"),
])
def test_the_schema_check_finds_a_planted_violation(module: Path, tmp_path: Path,
                                                    xliff_schema: etree.XMLSchema, plant):
    run_cli("translate", "extract", module, "--lang", "cy")
    tree = etree.parse(str(module / "translations" / "cy.xlf"))
    plant(next(tree.iter(_x("unit"))))
    planted = tmp_path / "planted.xlf"
    tree.write(str(planted), xml_declaration=True, encoding="UTF-8")
    assert schema_errors(xliff_schema, planted)


def test_the_xliff_file_has_the_structure_of_xliff_2(module: Path):
    run_cli("translate", "extract", module, "--lang", "cy")
    root = etree.parse(str(module / "translations" / "cy.xlf")).getroot()
    assert root.tag == _x("xliff") and root.get("version") == "2.0"
    assert root.get("srcLang") == "en-GB" and root.get("trgLang") == "cy"
    ids = [unit.get("id") for unit in root.iter(_x("unit"))]
    assert len(ids) == len(set(ids))
    for unit in root.iter(_x("unit")):
        data = {d.get("id") for d in unit.iter(_x("data"))}
        for code in unit.iter(_x("pc")):
            assert {code.get("dataRefStart"), code.get("dataRefEnd")} <= data
        for code in unit.iter(_x("ph")):
            assert code.get("dataRef") in data


def test_ids_come_from_pages_blocks_and_questions(module: Path):
    ids = set(units_by_id(module))
    assert {"module.title", "welcome.title", "kc-example.prompt", "kc-example.a",
            "kc-example.a.feedback", "kc-example.correct", "r-first-thoughts.prompt",
            "character.alex.name", "character.alex.role", "glossary.triage",
            "glossary.triage.definition", "fa-example.prompt"} <= ids
    # Adding a paragraph to one page renames no unit of another page.
    before = {i for i in ids if i.startswith("story.")}
    page = module / "pages" / "01-welcome.md"
    page.write_text("# Welcome\n\nA new first paragraph.\n\n" + page.read_text().split("\n", 1)[1])
    after = {i for i in units_by_id(module) if i.startswith("story.")}
    assert before == after


def test_changing_one_sentence_makes_exactly_that_unit_stale(module: Path, tmp_path: Path):
    translate_then_shorten_one_sentence(module)
    status = run_cli("translate", "status", module)
    assert status.exit_code == 0, status.output
    assert "1 stale" in status.output
    stale = status.output.split("stale:")[1].strip().splitlines()
    assert stale[0].strip().startswith("r-first-thoughts.prompt")
    assert "What would you say next?" in stale[0]
    result = run_cli("build", module, "--lang", "cy", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if "out of date" in line]
    assert len(warnings) == 1 and "r-first-thoughts.prompt" in warnings[0]
    assert "cy.xlf:" in warnings[0]  # located: the file and the unit's line


def test_every_broken_unit_is_reported_in_one_run(module: Path, tmp_path: Path):
    run_cli("translate", "extract", module, "--lang", "cy")
    xliff = module / "translations" / "cy.xlf"
    translate_like_a_cat_tool(xliff)
    tree = etree.parse(str(xliff))
    units = {u.get("id"): u for u in tree.iter(_x("unit"))}
    linked = next(uid for uid, u in units.items()
                  if any('class="term"' in (d.text or "") for d in u.iter(_x("data"))))
    # A translator deletes the glossary term's code, and another adds a code in a title.
    target = units[linked].find(f"{_x('segment')}/{_x('target')}")
    for code in target.findall(f".//{_x('pc')}"):
        parent = code.getparent()
        parent.remove(code)
    title = units["welcome.title"].find(f"{_x('segment')}/{_x('target')}")
    etree.SubElement(title, _x("ph"), id="9", dataRef="d9")
    tree.write(str(xliff), xml_declaration=True, encoding="UTF-8")
    result = run_cli("build", module, "--lang", "cy", "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert f"unit '{linked}': the translation has lost <" in result.output
    assert "a glossary term" in result.output
    assert "unit 'welcome.title': the translation has a code the English has not" in result.output
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.zip"))


def test_untranslated_units_fail_the_build_unless_allowed(module: Path, tmp_path: Path):
    run_cli("translate", "extract", module, "--lang", "cy")
    result = run_cli("build", module, "--lang", "cy", "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "units are not translated: module.title, module.description" in result.output
    assert "--allow-untranslated" in result.output
    allowed = run_cli("build", module, "--lang", "cy", "--allow-untranslated", "-o",
                      tmp_path / "out")
    assert allowed.exit_code == 0, allowed.output
    with zipfile.ZipFile(tmp_path / "out" / "first-module-cy-scorm12.zip") as archive:
        page = archive.read("index.html").decode()
    assert '<html lang="cy">' in page
    assert '<span lang="en-GB">What would you say next, and why?</span>' in page


@pytest.mark.parametrize(("content", "message"), [
    (b"<xliff><unit>", "cy.xlf:1: error: the file is not well-formed XML"),
    (b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
     b'<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0"/>', "document type declaration"),
    (b'<?xml version="1.0"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" '
     b'version="2.0" srcLang="en-GB" trgLang="cy"><file id="f1" original="another-module"/>'
     b"</xliff>", "this translation is for the module 'another-module', not for 'first-module'"),
    (b'<?xml version="1.0"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2"/>',
     "this is not an XLIFF 2 file"),
])
def test_a_bad_translation_file_is_a_located_error(module: Path, tmp_path: Path, content: bytes,
                                                   message: str):
    (module / "translations").mkdir()
    (module / "translations" / "cy.xlf").write_bytes(content)
    result = run_cli("build", module, "--lang", "cy", "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_units_that_no_longer_exist_are_one_warning(module: Path, tmp_path: Path):
    run_cli("translate", "extract", module, "--lang", "cy")
    translate_like_a_cat_tool(module / "translations" / "cy.xlf")
    (module / "pages" / "03-check.md").unlink()
    result = run_cli("build", module, "--lang", "cy", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    gone = [line for line in result.output.splitlines() if "no longer in the module" in line]
    assert len(gone) == 1 and "kc-example.prompt" in gone[0]


def test_an_unknown_language_lists_the_catalogues(module: Path, tmp_path: Path):
    result = run_cli("build", module, "--lang", "xx", "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "no interface strings in the language 'xx'" in result.output
    assert "cy, en-GB" in result.output
    extract_result = run_cli("translate", "extract", module, "--lang", "xx")
    assert extract_result.exit_code == 1 and "cy, en-GB" in extract_result.output


def test_languages_in_module_yml_build_every_language(module: Path, tmp_path: Path):
    run_cli("translate", "extract", module, "--lang", "cy")
    translate_like_a_cat_tool(module / "translations" / "cy.xlf")
    config = module / "module.yml"
    config.write_text(config.read_text() + "languages: [en-GB, cy]\n")
    result = run_cli("build", module, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").glob("*.zip")) == [
        "first-module-cy-scorm12.zip", "first-module-scorm12.zip"]
    with zipfile.ZipFile(tmp_path / "out" / "first-module-scorm12.zip") as archive:
        data = archive.read("index.html").decode()
    assert '<html lang="en-GB">' in data
    assert json.dumps("en-GB") in data


def test_the_side_by_side_storyboard_shows_english_and_welsh(module: Path, tmp_path: Path):
    translate_then_shorten_one_sentence(module)
    output = tmp_path / "review.html"
    result = run_cli("storyboard", module, "--lang", "cy", "--side-by-side", "-o", output)
    assert result.exit_code == 0, result.output
    review = output.read_text()
    rows = re.findall(r'<tr class="state-(\w+)">\s*<td class="unit"><code>([^<]+)</code>', review)
    assert len(rows) == len(units_by_id(module))
    assert [uid for state, uid in rows if state != "translated"] == ["r-first-thoughts.prompt"]
    assert f'<td lang="cy">{welsh_ish("Welcome")}</td>' in review
    assert '<td lang="en-GB">Welcome</td>' in review
    # The translated storyboard itself is the module in Welsh.
    translated = run_cli("storyboard", module, "--lang", "cy", "-o", tmp_path / "cy.html")
    assert translated.exit_code == 0, translated.output
    assert '<html lang="cy">' in (tmp_path / "cy.html").read_text()


def test_captions_are_translated_cue_by_cue(module: Path, tmp_path: Path):
    (module / "media" / "talk.mp3").write_bytes(b"ID3")
    (module / "media" / "talk.vtt").write_text(
        "WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.500\n<v Alex Morgan>Good morning, Jo.\n\n"
        "00:00:02.500 --> 00:00:05.000\nHow are you & the baby?\n")
    page = module / "pages" / "02-story.md"
    page.write_text(page.read_text() + '\n::: audio {src="../media/talk.mp3" '
                    'captions="../media/talk.vtt"}\n:::\n')
    ids = [uid for uid in units_by_id(module) if ".captions." in uid]
    assert ids == ["story.top.audio1.captions.00:00:00.000",
                   "story.top.audio1.captions.00:00:02.500"]
    run_cli("translate", "extract", module, "--lang", "cy")
    translate_like_a_cat_tool(module / "translations" / "cy.xlf")
    result = run_cli("build", module, "--lang", "cy", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "out" / "first-module-cy-scorm12.zip") as archive:
        captions = archive.read("media/talk.vtt").decode()
        page_html = archive.read("index.html").decode()
    assert captions == ("WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.500\n<v Alex Morgan>GOOD MORNING, "
                        "JO.\n\n00:00:02.500 --> 00:00:05.000\nHOŵ ARE ŷOU &amp; THE BABŷ?\n")
    assert "GOOD MORNING, JO." in page_html  # an audio clip's captions are its transcript
    assert (module / "media" / "talk.vtt").read_text().count("Good morning") == 1


CAPTIONS = Path(__file__).parent / "fixtures" / "captions"


@pytest.mark.parametrize("case", ["settings", "identifiers", "notes", "style", "region", "lines",
                                  "windows"])
def test_translated_captions_keep_everything_but_the_cue_text(module: Path, case: str):
    """tests/fixtures/captions/<case>.vtt, translated, is exactly <case>.cy.vtt: only the text of
    each cue changes; cue settings, identifiers, NOTE, STYLE and REGION blocks, line breaks
    inside a cue, line endings and a byte order mark are carried over as written."""
    (module / "media" / "talk.mp3").write_bytes(b"ID3")
    shutil.copy(CAPTIONS / f"{case}.vtt", module / "media" / "talk.vtt")
    page = module / "pages" / "02-story.md"
    page.write_text(page.read_text() + '\n::: audio {src="../media/talk.mp3" '
                    'captions="../media/talk.vtt"}\n:::\n')
    run_cli("translate", "extract", module, "--lang", "cy")
    translate_like_a_cat_tool(module / "translations" / "cy.xlf")
    welsh = build(module, language="cy")
    assert welsh.files["media/talk.vtt"] == (CAPTIONS / f"{case}.cy.vtt").read_bytes()
    assert build(module).files["media/talk.vtt"] == (CAPTIONS / f"{case}.vtt").read_bytes()


def test_a_caption_translation_keeps_its_line_breaks(module: Path, tmp_path: Path):
    """A cue's line break is a code the translator keeps; a line break typed into the words is a
    space, so it cannot end the cue early."""
    (module / "media" / "talk.mp3").write_bytes(b"ID3")
    shutil.copy(CAPTIONS / "lines.vtt", module / "media" / "talk.vtt")
    page = module / "pages" / "02-story.md"
    page.write_text(page.read_text() + '\n::: audio {src="../media/talk.mp3" '
                    'captions="../media/talk.vtt"}\n:::\n')
    run_cli("translate", "extract", module, "--lang", "cy", "--format", "po")
    assert "#. <2/> is a line break" in (module / "translations" / "cy.po").read_text()
    (module / "translations" / "cy.po").unlink()
    run_cli("translate", "extract", module, "--lang", "cy")
    xliff = module / "translations" / "cy.xlf"
    translate_like_a_cat_tool(xliff)
    tree = etree.parse(str(xliff))
    cue = tree.find(f".//{_x('unit')}[@id='story.top.audio1.captions.00:00:00.000']")
    target = cue.find(f".//{_x('target')}")
    line_break = target.find(f"{_x('ph')}[@id='2']")
    line_break.tail = "\n\nSUT MAE " + (line_break.tail or "")
    tree.write(str(xliff), xml_declaration=True, encoding="UTF-8")
    welsh = build(module, language="cy")
    assert welsh.files["media/talk.vtt"].decode() == (
        "WEBVTT\n\n00:00:00.000 --> 00:00:04.000\n<v Alex Morgan>GOOD MORNING, JO.\n"
        "  SUT MAE HOŵ ARE <i>ŷOU</i> &amp; THE BABŷ?\n")
    target.remove(line_break)
    tree.write(str(xliff), xml_declaration=True, encoding="UTF-8")
    broken = run_cli("build", module, "--lang", "cy", "-o", tmp_path / "out")
    assert broken.exit_code != 0
    assert "the translation has lost <2/> (a line break)" in broken.output


TYPED_QUESTION = """
::: question {#kc-typed type=text}
What does the abbreviation NEWS2 stand for?

- [x] National Early Warning Score 2
- [x] National Early Warning Score
:::
"""
WELSH_ANSWERS = {"National Early Warning Score 2": "Sgôr Rhybudd Cynnar Cenedlaethol 2",
                 "National Early Warning Score": "Sgôr Rhybudd Cynnar Cenedlaethol"}


def welsh_answers(text: str) -> str:
    return WELSH_ANSWERS.get(text, welsh_ish(text))


def test_a_translated_short_text_answer_is_accepted_in_every_language(module: Path):
    page = module / "pages" / "01-welcome.md"
    page.write_text(page.read_text() + TYPED_QUESTION)
    units = units_by_id(module)
    assert units["kc-typed.a"].text == "National Early Warning Score 2"
    assert "accepted as well as the English" in units["kc-typed.a"].note
    run_cli("translate", "extract", module, "--lang", "cy")
    translate_like_a_cat_tool(module / "translations" / "cy.xlf", welsh_answers)
    english, welsh = build(module), build(module, language="cy")
    for result in (english, welsh):
        question = result.runtime_data["questions"]["kc-typed"]
        assert question["accepted"] == [*WELSH_ANSWERS, *WELSH_ANSWERS.values()]
        assert question["pattern"] == "National Early Warning Score 2"
    assert english.runtime_data["hash"] == welsh.runtime_data["hash"]
    # Translated again with the same answer in both languages: it is accepted once.
    run_cli("translate", "extract", module, "--lang", "cy")
    translate_like_a_cat_tool(module / "translations" / "cy.xlf", lambda text: text)
    assert build(module).runtime_data["questions"]["kc-typed"]["accepted"] == [*WELSH_ANSWERS]


def test_an_unreadable_translation_adds_no_answers(module: Path, tmp_path: Path):
    page = module / "pages" / "01-welcome.md"
    page.write_text(page.read_text() + TYPED_QUESTION)
    (module / "translations").mkdir()
    (module / "translations" / "cy.xlf").write_text("<xliff")
    result = run_cli("build", module, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "cy.xlf" in result.output
    assert "the short-text answers in it are not accepted" in result.output
    assert build(module).runtime_data["questions"]["kc-typed"]["accepted"] == [*WELSH_ANSWERS]


def shown_languages(page: str) -> dict[str, set[str]]:
    """Each text node and alt text of a rendered page, whitespace collapsed, with the languages
    it is shown in (the nearest lang attribute); the <title> and scripts are left out."""
    from lxml import html as lxml_html
    root = lxml_html.document_fromstring(page)
    shown: dict[str, set[str]] = {}

    def language(element: etree._Element) -> str:
        # a bilingual package's other language is a <template>, shown in #elpack-version with
        # the template's data-language as its lang
        return next((str(e.get("lang", e.get("data-language"))) for e in
                     [element, *element.iterancestors()]
                     if e.get("lang") is not None or e.tag == "template"), "")

    def add(text: str | None, element: etree._Element) -> None:
        words = " ".join((text or "").split())
        if words:
            shown.setdefault(words, set()).add(language(element))

    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag in ("title", "script", "style"):
            continue
        add(element.text, element)
        parent = element.getparent()
        if parent is not None:
            add(element.tail, parent)
        if element.get("alt"):
            add(element.get("alt"), element)
    return shown


@pytest.mark.parametrize(("translated", "bilingual"), [("none", False), ("half", False),
                                                     ("half", True)])
def test_english_left_in_is_marked_as_english(module: Path, tmp_path: Path, translated: str,
                                              bilingual: bool):
    """With --allow-untranslated, every English text left in shows with lang="en-GB" on its
    element (titles, names, roles, objectives, glossary, alt text as well as passages), and the
    translated text in Welsh; in a bilingual package too, where the Welsh is a <template>."""
    run_cli("translate", "extract", module, "--lang", "cy")
    name = "first-module-cy-scorm12.zip"
    language = ["--lang", "cy"]
    if bilingual:
        config = module / "module.yml"
        config.write_text(config.read_text() + "languages: [en-GB, cy]\nbilingual: true\n")
        name, language = "first-module-en-GB-cy-scorm12.zip", []
    xliff = module / "translations" / "cy.xlf"
    units = units_by_id(module)
    left = set(units)
    if translated == "half":
        translate_like_a_cat_tool(xliff)
        left = untranslate_every_other_unit(xliff)
    result = run_cli("build", module, *language, "--allow-untranslated", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "out" / name) as archive:
        shown = shown_languages(archive.read("index.html").decode())
    checked = {"english": [], "welsh": []}
    wrong = []
    for uid, unit in units.items():
        if len(unit.source) != 1 or not isinstance(unit.source[0], Text):
            continue  # text with codes in it is split over several nodes
        english = " ".join(unit.source[0].text.split())
        text, want = (english, "en-GB") if uid in left else (welsh_ish(english), "cy")
        if text not in shown:
            continue  # not on the page (the description, a short-text answer)
        checked["english" if want == "en-GB" else "welsh"].append(uid)
        if shown[text] != {want}:
            wrong.append(f"{uid}: {text!r} is shown as {sorted(shown[text])}, not {want}")
    assert wrong == []
    # what the check covered: every kind of plain value, and passages
    assert {"module.title", "welcome.title", "character.alex.name", "character.alex.role",
            "glossary.triage", "glossary.triage.definition",
            "welcome.top.alt1"} & set(left) <= set(checked["english"])
    if translated == "half":
        assert len(checked["welsh"]) >= 5, checked
    else:
        assert len(checked["english"]) >= 15, checked
