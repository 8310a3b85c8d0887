"""Programmes (issue 14): programme.yml and what modules inherit, separate packages with their
catalogue, multi-SCO packages, their validation, and `elpack build` on programme folders."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import run_cli
from elpack.programme_build import build_programme_packages
from elpack.targets.scorm12.rules import schemas_dir
from elpack.validate import MAX_ENTRIES, check_package, validate_zip

FIXTURE = Path(__file__).parent / "fixtures" / "programme"
MODULES = ["first-steps", "second-steps", "third-steps"]
IMSCP = "{http://www.imsproject.org/xsd/imscp_rootv1p1p2}"
ADLCP = "{http://www.adlnet.org/xsd/adlcp_rootv1p2}"


def elpack(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "elpack", *args], capture_output=True,
                          text=True, cwd=cwd, check=False)


@pytest.fixture
def programme(tmp_path: Path) -> Path:
    """A copy of the test programme that a test may change."""
    root = tmp_path / "programmes" / "test-programme"
    shutil.copytree(FIXTURE, root)
    return root


def index_html(package: Path, folder: str = "") -> str:
    with zipfile.ZipFile(package) as archive:
        return archive.read(folder + "index.html").decode()


def official_schema_check(manifest: bytes) -> None:
    """The manifest against the official SCORM 1.2 XSDs, loaded here rather than through
    elpack's validator."""
    folder = schemas_dir()
    wrapper = etree.fromstring(f"""<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">
      <xsd:import namespace="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
                  schemaLocation="{(folder / 'imscp_rootv1p1p2.xsd').as_uri()}"/>
      <xsd:import namespace="http://www.adlnet.org/xsd/adlcp_rootv1p2"
                  schemaLocation="{(folder / 'adlcp_rootv1p2.xsd').as_uri()}"/>
      <xsd:import namespace="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
                  schemaLocation="{(folder / 'imsmd_rootv1p2p1.xsd').as_uri()}"/>
    </xsd:schema>""".encode())
    schema = etree.XMLSchema(wrapper)
    document = etree.fromstring(manifest)
    assert schema.validate(document), schema.error_log


def test_separate_packages_and_the_catalogue(programme: Path, tmp_path: Path):
    output = tmp_path / "out"
    result = elpack("build", str(programme), "-o", str(output))
    assert result.returncode == 0, result.stderr
    packages = [output / f"test-programme--{m}-scorm12.zip" for m in MODULES]
    for package in packages:
        assert validate_zip(package) == []
        with zipfile.ZipFile(package) as archive:
            official_schema_check(archive.read("imsmanifest.xml"))
    with (output / "test-programme-catalogue.csv").open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    assert [row["module"] for row in rows] == MODULES
    first, second, third = rows
    assert first["title"] == "First steps"
    assert (first["duration_minutes"], second["duration_minutes"]) == ("5", "10")
    assert first["objectives"] == "Recognise a handover"
    assert first["audience"] == "Healthcare staff"  # inherited
    assert second["audience"] == "Paramedics"  # its own
    assert (first["pass_mark"], second["pass_mark"], third["pass_mark"]) == ("80", "70", "")
    for row, package in zip(rows, packages, strict=True):
        content = package.read_bytes()
        assert row["target"] == "SCORM 1.2"
        assert row["file"] == package.name
        assert row["size_bytes"] == str(len(content))
        assert row["sha256"] == hashlib.sha256(content).hexdigest()
    html = (output / "test-programme-catalogue.html").read_text()
    for row in rows:
        assert row["sha256"] in html and row["file"] in html
    assert "no assessment" in html and "<script" not in html


def test_modules_inherit_and_override_the_shared_settings(programme: Path, tmp_path: Path):
    output = tmp_path / "out"
    assert elpack("build", str(programme), "-o", str(output)).returncode == 0
    pages = {m: index_html(output / f"test-programme--{m}-scorm12.zip") for m in MODULES}
    for module, html in pages.items():
        assert 'lang="en-GB"' in html, module  # language is only in programme.yml
        assert "Test Trust" in html, module  # organisation
        assert "Shared reference used by every module" in html, module
        assert "Thinking about what happened in order to learn from it." in html, module
    assert "Sam Okoro" in pages["first-steps"]  # a shared character, not declared by the module
    assert "Passing the care of a patient to another professional." in pages["first-steps"]
    # second-steps defines 'handover' itself: its own definition wins, only there.
    assert "structured SBAR handover" in pages["second-steps"]
    assert "Passing the care of a patient" not in pages["second-steps"]
    assert "A reference of the third module only." in pages["third-steps"]

    # A change to the shared glossary reaches every module's package; the override still wins.
    config = programme / "programme.yml"
    config.write_text(config.read_text().replace(
        "Thinking about what happened in order to learn from it.",
        "Looking back on your work to learn from it."))
    config.write_text(config.read_text().replace(
        "Passing the care of a patient to another professional.",
        "Handing the care of a patient to a colleague."))
    assert elpack("build", str(programme), "-o", str(output), "--incremental").returncode == 0
    pages = {m: index_html(output / f"test-programme--{m}-scorm12.zip") for m in MODULES}
    for html in pages.values():
        assert "Looking back on your work to learn from it." in html
    assert "Handing the care of a patient to a colleague." in pages["first-steps"]
    assert "structured SBAR handover" in pages["second-steps"]
    assert "Handing the care of a patient" not in pages["second-steps"]


def test_a_module_of_a_programme_builds_on_its_own_with_what_it_inherits(programme: Path,
                                                                         tmp_path: Path):
    output = tmp_path / "out"
    result = elpack("build", str(programme / "modules" / "first-steps"), "-o", str(output))
    assert result.returncode == 0, result.stderr
    html = index_html(output / "test-programme--first-steps-scorm12.zip")
    assert "Test Trust" in html and "Sam Okoro" in html


def test_build_without_arguments_finds_programmes_and_modules(programme: Path, tmp_path: Path):
    project = programme.parent.parent
    (project / "modules").mkdir()
    assert elpack("new", "solo", cwd=project).returncode == 0
    result = elpack("build", cwd=project)
    assert result.returncode == 0, result.stderr
    built = sorted(p.name for p in (project / "build").iterdir())
    assert built == ["solo-scorm12.zip", "test-programme--first-steps-scorm12.zip",
                     "test-programme--second-steps-scorm12.zip",
                     "test-programme--third-steps-scorm12.zip", "test-programme-catalogue.csv",
                     "test-programme-catalogue.html"]


def test_multi_sco_package(programme: Path, tmp_path: Path):
    output = tmp_path / "out"
    result = elpack("build", str(programme), "-o", str(output), "--multi-sco")
    assert result.returncode == 0, result.stderr
    package = output / "test-programme-scorm12.zip"
    assert validate_zip(package) == []
    assert elpack("validate", str(package)).returncode == 0
    with zipfile.ZipFile(package) as archive:
        names = archive.namelist()
        manifest = archive.read("imsmanifest.xml")
        pages = {m: archive.read(f"{m}/index.html").decode() for m in MODULES}
    official_schema_check(manifest)
    root = etree.fromstring(manifest)
    organizations = root.findall(f"{IMSCP}organizations/{IMSCP}organization")
    assert len(organizations) == 1
    (top,) = organizations[0].findall(f"{IMSCP}item")
    assert top.get("identifierref") is None  # launches nothing
    items = top.findall(f"{IMSCP}item")
    assert [i.get("identifier") for i in items] == [f"ITEM-{m}" for m in MODULES]
    assert [i.findtext(f"{ADLCP}masteryscore") for i in items] == ["80", "70", None]
    assert all(i.find(f"{ADLCP}prerequisites") is None for i in items)  # order: free
    resources = {r.get("identifier"): r for r in root.iter(f"{IMSCP}resource")}
    shared = resources.pop("SHARED-test-programme")
    assert shared.get(f"{ADLCP}scormtype") == "asset"
    shared_files = [f.get("href") for f in shared.iter(f"{IMSCP}file")]
    assert "assets/elpack.js" in shared_files
    for module in MODULES:
        resource = resources[f"RES-{module}"]
        assert resource.get("href") == f"{module}/index.html"
        assert [d.get("identifierref") for d in resource.iter(f"{IMSCP}dependency")] == \
            ["SHARED-test-programme"]
        listed = [f.get("href") for f in resource.iter(f"{IMSCP}file")]
        assert not set(listed) & set(shared_files)
        assert '<script src="../assets/elpack.js">' in pages[module]
    # Every file once: the runtime is stored once for the three SCOs.
    assert len(names) == len(set(names))
    assert sum(name.endswith("elpack.js") for name in names) == 1
    # The catalogue lists each module with the one package.
    with (output / "test-programme-catalogue.csv").open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    assert [row["module"] for row in rows] == MODULES
    assert {row["file"] for row in rows} == {package.name}


def test_multi_sco_from_programme_yml_with_sequential_order(programme: Path):
    config = programme / "programme.yml"
    config.write_text(config.read_text() + "package: multi-sco\norder: sequential\n")
    (package,) = build_programme_packages(programme)
    root = etree.fromstring(package.manifest)
    items = root.findall(f"{IMSCP}organizations/{IMSCP}organization/{IMSCP}item/{IMSCP}item")
    prerequisites = [i.find(f"{ADLCP}prerequisites") for i in items]
    assert prerequisites[0] is None
    assert [(p.get("type"), p.text) for p in prerequisites[1:]] == [
        ("aicc_script", "ITEM-first-steps"), ("aicc_script", "ITEM-second-steps")]
    assert check_package(dict(package.files)) == []


def test_requires_names_the_modules_finished_first(programme: Path):
    config = programme / "programme.yml"
    text = config.read_text().replace(
        "  - third-steps\n", "  - folder: third-steps\n    requires: [first-steps, second-steps]\n")
    config.write_text(text)
    (package,) = build_programme_packages(programme)
    root = etree.fromstring(package.manifest)
    third = root.find(f".//{IMSCP}item[@identifier='ITEM-third-steps']")
    assert third is not None
    assert third.findtext(f"{ADLCP}prerequisites") == "ITEM-first-steps&ITEM-second-steps"


def test_two_builds_are_identical_catalogue_included(programme: Path, tmp_path: Path):
    def digests(output: Path, *options: str) -> dict[str, str]:
        assert elpack("build", str(programme), "-o", str(output), *options).returncode == 0
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in output.iterdir()}

    first, second = digests(tmp_path / "a"), digests(tmp_path / "b")
    assert first == second and len(first) == 5
    assert digests(tmp_path / "c", "--multi-sco") == digests(tmp_path / "d", "--multi-sco")


def test_a_broken_programme_is_refused_without_output(programme: Path, tmp_path: Path):
    config = programme / "programme.yml"
    config.write_text(config.read_text().replace("  - third-steps\n",
                                                 "  - third-steps\n  - first-steps\n  - fourth\n"))
    output = tmp_path / "out"
    result = elpack("build", str(programme), "-o", str(output))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "test-programme/programme.yml:15: error: the module 'first-steps' is listed twice " \
           "(first at line 12)" in result.stderr
    assert "test-programme/programme.yml:16: error: the module folder modules/fourth does not " \
           "exist" in result.stderr
    assert not output.exists() or not any(output.iterdir())


def test_a_failing_module_leaves_no_catalogue(programme: Path, tmp_path: Path):
    page = programme / "modules" / "second-steps" / "pages" / "01-story.md"
    page.write_text(page.read_text() + "\n::: question\nNo options.\n:::\n")
    output = tmp_path / "out"
    result = elpack("build", str(programme), "-o", str(output))
    assert result.returncode == 1
    assert "1 module failed" in result.stderr
    assert not (output / "test-programme-catalogue.csv").exists()
    # The other modules are built, as in any build of many modules.
    assert (output / "test-programme--first-steps-scorm12.zip").exists()
    multi = elpack("build", str(programme), "-o", str(tmp_path / "multi"), "--multi-sco")
    assert multi.returncode == 1 and "second-steps/pages/01-story.md" in multi.stderr
    assert not (tmp_path / "multi" / "test-programme-scorm12.zip").exists()


def test_validate_checks_prerequisites_and_shared_files(programme: Path):
    (package,) = build_programme_packages(programme)
    manifest = package.manifest.decode()
    broken = manifest.replace(
        "<title>Second steps</title>",
        '<title>Second steps</title>\n<adlcp:prerequisites type="aicc_script">ITEM-nowhere'
        "&amp;ITEM-first-steps</adlcp:prerequisites>")
    broken = broken.replace('<file href="first-steps/index.html"/>',
                            '<file href="first-steps/index.html"/>\n'
                            '      <file href="assets/elpack.js"/>')
    files = {**package.files, "imsmanifest.xml": broken.encode()}
    problems = check_package(dict(files))
    assert any("the prerequisite 'ITEM-nowhere' is not an item of the package" in p
               for p in problems), problems
    assert any("the file 'assets/elpack.js' is listed by the resources 'RES-first-steps' and "
               "'SHARED-test-programme'" in p for p in problems), problems
    assert not any("ITEM-first-steps'" in p for p in problems)


def test_too_many_files_is_refused_clearly():
    files: dict[str, bytes | None] = {f"media/{i}.txt": b"" for i in range(MAX_ENTRIES + 1)}
    problems = check_package(files)
    assert problems[0].startswith(f"the package holds {MAX_ENTRIES + 1} files; the limit is "
                                  f"{MAX_ENTRIES}")


def test_an_unchanged_programme_lists_its_catalogue_from_the_build_cache(
        programme: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """An incremental build that finds every module unchanged writes the same catalogue without
    reading any module's pages: the build cache remembers what the catalogue lists."""
    import json

    import elpack.pipeline

    output = tmp_path / "out"
    assert run_cli("build", "-j", "1", "--incremental", "-o", output, programme).exit_code == 0
    catalogue = {p.name: p.read_bytes() for p in output.glob("test-programme-catalogue.*")}
    read = elpack.pipeline.read_pages
    modules_read: list[str] = []

    def counting(config, problems):  # type: ignore[no-untyped-def]
        modules_read.append(config.id)
        return read(config, problems)

    monkeypatch.setattr(elpack.pipeline, "read_pages", counting)
    again = run_cli("build", "-j", "1", "--incremental", "-o", output, programme)
    assert again.exit_code == 0, again.output
    assert "3 modules: 0 built, 3 unchanged, 0 failed" in again.output
    assert modules_read == []
    assert {p.name: p.read_bytes() for p in output.glob("test-programme-catalogue.*")} == catalogue

    # A damaged record is no record: that module is built again, and listed the same.
    cache = output / ".elpack-cache.json"
    record = json.loads(cache.read_text())
    entry = next(iter(record["modules"].values()))
    entry["summary"]["objectives"] = "not a list"
    cache.write_text(json.dumps(record))
    assert run_cli("build", "-j", "1", "--incremental", "-o", output, programme).exit_code == 0
    assert len(modules_read) == 1
    assert {p.name: p.read_bytes() for p in output.glob("test-programme-catalogue.*")} == catalogue


def test_catalogue_csv_quotes_what_it_must():
    from elpack.incremental import ModuleSummary
    from elpack.programme_build import CatalogueRow, catalogue_csv
    from elpack.targets import get_target

    summary = ModuleSummary("m", 'A "quoted", title', 5, ("One, two", "Three"), ("GPs",), 80)
    text = catalogue_csv([CatalogueRow("p", summary, get_target("scorm12"), "f.zip", 1, "0" * 64)])
    (row,) = list(csv.DictReader(io.StringIO(text.decode("utf-8-sig"))))
    assert row["title"] == 'A "quoted", title'
    assert row["objectives"] == "One, two; Three"


def catalogue_template_messages() -> list[str]:
    """The English msgids the catalogue page uses (singular and plural)."""
    from jinja2.ext import babel_extract

    template = Path(__file__).parent.parent / "src" / "elpack" / "templates" / \
        "programme-catalogue.html"
    found = []
    with template.open("rb") as stream:
        for _, _, message, _ in babel_extract(stream, ("_", "gettext", "ngettext"), [],
                                              {"trimmed": "false"}):
            found += [message] if isinstance(message, str) else [m for m in message if m]
    return found


def test_a_welsh_programme_has_its_catalogue_in_welsh(programme: Path, tmp_path: Path):
    from lxml import html as lxml_html

    from elpack.i18n import messages_for
    from elpack.programme_build import CATALOGUE_COLUMNS

    config = programme / "programme.yml"
    config.write_text(config.read_text().replace("language: en-GB", "language: cy"))
    output = tmp_path / "out"
    result = elpack("build", str(programme), "-o", str(output))
    assert result.returncode == 0, result.stderr
    welsh = messages_for("cy")
    with (output / "test-programme-catalogue.csv").open(encoding="utf-8-sig", newline="") as file:
        header, *rows = list(csv.reader(file))
    assert header == [welsh.gettext(column) for column in CATALOGUE_COLUMNS]
    assert [name for name in header if name in CATALOGUE_COLUMNS] == ["sha256"]
    assert [row[1] for row in rows] == MODULES
    # The page, less the programme's and the modules' own words, has no English of elpack's.
    page = lxml_html.fromstring((output / "test-programme-catalogue.html").read_bytes())
    assert page.get("lang") == "cy"
    text = " ".join(page.xpath("//title//text() | //body//text() | //@title | //@aria-label"
                               " | //@alt"))
    content = {"Test programme", "Three short modules that share characters, a glossary and "
               "references.", "Healthcare staff", "Paramedics", "test-programme", "1.0.0",
               "SCORM 1.2", *(cell for row in rows for cell in row)}
    for words in sorted(content, key=len, reverse=True):
        for part in words.split("; "):
            if re.search(r"[A-Za-z]", part):  # not an empty cell or a number
                text = text.replace(part, " ")
    english = {word.lower() for message in catalogue_template_messages()
               for word in re.findall(r"[A-Za-z]{3,}", re.sub(r"%\(\w+\)[sd]", " ", message))}
    kept = {"sha", "csv", "linux", "macos", "windows"}  # names, the same in Welsh
    left = {word for word in re.findall(r"[A-Za-z]{3,}", text) if word.lower() in english - kept}
    assert left == set(), f"English interface words in the Welsh catalogue: {sorted(left)}"
    for shown in ("Rhaglen", "Pecynnau", "Amser dysgu", "Marc llwyddo", "dim asesiad",
                  "Cymraeg (cy)", "FFEIL"):
        assert shown in text


def test_the_programme_settings_table_in_the_docs_matches_the_schema():
    """docs/programmes.md documents every key of programme.yml, and no other, with its
    required flag and plain default, as test_config does for module.yml."""
    from elpack.programme import PROGRAMME_SCHEMA

    lines = (Path(__file__).parent.parent / "docs" / "programmes.md").read_text().split("\n")
    start = lines.index("### Every programme setting")
    rows = []
    for line in lines[start + 4:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split(" | ")])
    assert sorted(row[0] for row in rows) == sorted(f"`{key}`" for key in PROGRAMME_SCHEMA)
    for row in rows:
        option = PROGRAMME_SCHEMA[row[0].strip("`")]
        assert row[1] == ("yes" if option.required else "no"), row
        if isinstance(option.default, str):
            assert row[2] == f"`{option.default}`", row


def test_storyboard_and_inspect_of_a_programme(programme: Path, tmp_path: Path):
    import json

    import lxml.html

    output = tmp_path / "storyboard.html"
    result = elpack("storyboard", str(programme), "-o", str(output))
    assert result.returncode == 0, result.stderr
    document = lxml.html.parse(str(output)).getroot()
    ids = [e.get("id") for e in document.iter() if isinstance(e.tag, str) and e.get("id")]
    assert len(ids) == len(set(ids))  # each module's anchors are its own
    links = [a.get("href")[1:] for a in document.iter("a") if (a.get("href") or "").startswith("#")]
    assert set(links) <= set(ids)
    contents = document.find(".//nav[@aria-label='Modules']")
    assert [a.text for a in contents.iter("a")] == ["First steps", "Second steps", "Third steps"]
    for module in MODULES:  # each module keeps its own contents list
        assert document.find(f".//section[@id='{module}']//nav[@class='contents']") is not None
    inspected = elpack("inspect", "--json", str(programme))
    assert inspected.returncode == 0, inspected.stderr
    model = json.loads(inspected.stdout)
    assert model["programme"]["id"] == "test-programme"
    assert [m["module"]["id"] for m in model["modules"]] == MODULES
    assert model["modules"][1]["module"]["glossary"]["handover"].startswith("In this module")


def test_preview_moves_between_the_modules_of_a_programme(programme: Path):
    """The preview of a programme lists its modules in order; each module's simulator page
    links the modules before and after it, as an LMS's table of contents moves between SCOs
    (each simulator page is its own session)."""
    from elpack.preview import PreviewServer
    from elpack.preview.pages import index_page, simulator_page

    roots = [programme / "modules" / m for m in MODULES]
    server = PreviewServer(roots, port=0)
    try:
        modules = server.modules
        first, second, third = (simulator_page(m, modules).decode() for m in modules)
        assert "Module 1 of 3" in first and 'href="/m/second-steps/"' in first
        assert 'id="previous-module"' not in first
        assert 'href="/m/first-steps/"' in second and 'href="/m/third-steps/"' in second
        assert "Module 3 of 3" in third and 'id="next-module"' not in third
        # Saving programme.yml rebuilds every module of the programme: they inherit from it.
        assert all(m.uses((programme / "programme.yml").resolve()) for m in modules)
        listed = index_page(modules).decode()
        assert listed.index("/m/first-steps/") < listed.index("/m/second-steps/") < \
            listed.index("/m/third-steps/")
    finally:
        server.close()


@pytest.mark.parametrize("command", [
    ["build", "-j", "1"], ["build", "-j", "1", "--multi-sco"], ["check"], ["storyboard"],
    ["inspect"]])
def test_programme_yml_is_read_once_and_its_warnings_are_shown_once(
        programme: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]):
    """A command on a programme reads programme.yml once and gives what it read to every module
    (they inherit from it): its problems are the programme's, shown once, not once per module."""
    import elpack.schema

    config = programme / "programme.yml"
    config.write_text(config.read_text() + "colour: blue\n")
    read = elpack.schema.read_utf8
    files_read: list[str] = []

    def counting(path: Path) -> str:
        files_read.append(Path(path).name)
        return read(path)

    monkeypatch.setattr(elpack.schema, "read_utf8", counting)
    output = ["-o", str(tmp_path / ("out" if command[0] == "build" else "storyboard.html"))]
    result = run_cli(*command, programme, *(output if command[0] in ("build", "storyboard")
                                             else []))
    assert result.exit_code == 0, result.output
    assert files_read.count("programme.yml") == 1
    assert files_read.count("module.yml") >= len(MODULES)  # the count shows what was read
    if command[0] != "inspect":  # which prints no warnings
        assert result.output.count("warning: unknown key 'colour' is ignored") == 1, result.output


def test_an_edit_to_programme_yml_shows_in_the_next_preview_build(
        programme: Path, monkeypatch: pytest.MonkeyPatch):
    """The preview reads programme.yml afresh, once, for every build of a module: saving it
    changes what each module inherits at once."""
    import elpack.schema
    from elpack.preview import PreviewServer

    server = PreviewServer([programme / "modules" / m for m in MODULES], port=0, watch=False)
    try:
        first = server.modules[0]
        before = server.rebuild(first)
        assert before.ok and b"Test Trust" in before.files["index.html"]
        config = programme / "programme.yml"
        config.write_text(config.read_text().replace("Test Trust", "Edited Health Board"))
        read = elpack.schema.read_utf8
        files_read: list[str] = []
        monkeypatch.setattr(elpack.schema, "read_utf8",
                            lambda path: files_read.append(Path(path).name) or read(path))
        after = server.rebuild(first)  # with what the watcher does after a build
        assert files_read.count("programme.yml") == 1
        assert after.ok, after.problems
        assert b"Edited Health Board" in after.files["index.html"]
        assert b"Test Trust" not in after.files["index.html"]
    finally:
        server.close()


def test_a_target_without_multi_sco_support_is_refused_clearly(programme: Path, monkeypatch):
    import elpack.targets
    from elpack.errors import ElpackError
    from elpack.targets.scorm12 import Scorm12

    class SingleOnly(Scorm12):
        name = "single-only"
        title = "Single Only"
        file_suffix = "single-only"
        builds_programmes = False

    monkeypatch.setitem(elpack.targets._TARGETS, "single-only", SingleOnly())
    with pytest.raises(ElpackError) as refused:
        build_programme_packages(programme, ["single-only"])
    message = refused.value.format_message()
    assert "cannot build a multi-SCO package for Single Only yet" in message
    assert "(scorm12" in message


REPO_PROGRAMMES = sorted((Path(__file__).parent.parent / "programmes").glob("*/programme.yml"))


@pytest.mark.parametrize("root", [FIXTURE, *(p.parent for p in REPO_PROGRAMMES)],
                         ids=lambda root: root.name)
def test_every_programme_builds_both_ways_and_validates(root: Path, tmp_path: Path):
    """The example programmes (and the test one): separate packages with their catalogue, and
    one multi-SCO package per target; every zip passes `elpack validate` and the official
    schemas."""
    from elpack.commands.build import build_programme

    for multi_sco in (False, True):
        output = tmp_path / ("multi" if multi_sco else "separate")
        built = build_programme(root, output, jobs=1, incremental=False, targets=(),
                                multi_sco=multi_sco)
        assert built.ok
        packages = sorted(output.glob("*.zip"))
        expected = len(built.config.modules) if not multi_sco else 1
        assert len(packages) == expected
        assert [p.name for p in built.catalogue] == [f"{built.config.id}-catalogue.html",
                                                     f"{built.config.id}-catalogue.csv"]
        for package in packages:
            assert validate_zip(package) == [], package.name
            with zipfile.ZipFile(package) as archive:
                official_schema_check(archive.read("imsmanifest.xml"))


@pytest.mark.parametrize("target", ["scorm2004-3rd", "scorm2004-4th"])
def test_scorm2004_multi_sco_package(programme: Path, target: str):
    """SCORM 2004: one organization with flow and choice navigation from the organization down
    to the modules; with an order, a precondition disables each module until the one before it
    is satisfied, read through the global objective that module's primary objective writes; the
    shared files in one asset resource; the package valid for the edition's official schemas."""
    config = programme / "programme.yml"
    config.write_text(config.read_text() + "order: sequential\n")
    (package,) = build_programme_packages(programme, [target])
    assert check_package(dict(package.files)) == []
    cp, ss = "{http://www.imsglobal.org/xsd/imscp_v1p1}", "{http://www.imsglobal.org/xsd/imsss}"
    adlcp = "{http://www.adlnet.org/xsd/adlcp_v1p3}"
    root = etree.fromstring(package.manifest)
    (organization,) = root.iter(f"{cp}organization")
    (top,) = organization.findall(f"{cp}item")
    assert top.get("identifierref") is None
    for cluster in (organization, top):
        control = cluster.find(f"{ss}sequencing/{ss}controlMode")
        assert (control.get("flow"), control.get("choice")) == ("true", "true")
    items = top.findall(f"{cp}item")
    assert [i.get("identifier") for i in items] == [f"ITEM-{m}" for m in MODULES]
    written = [i.find(f"{ss}sequencing/{ss}objectives/{ss}primaryObjective/{ss}mapInfo")
               for i in items]
    assert [w.get("targetObjectiveID") for w in written] == \
        [f"urn:elpack:test-programme:{m}" for m in MODULES]
    assert all(w.get("writeSatisfiedStatus") == "true" for w in written)
    assert items[0].find(f"{ss}sequencing/{ss}sequencingRules") is None
    for item, previous in zip(items[1:], MODULES, strict=False):
        condition = item.find(f".//{ss}preConditionRule/{ss}ruleConditions/{ss}ruleCondition")
        assert (condition.get("operator"), condition.get("condition")) == ("not", "satisfied")
        assert item.find(f".//{ss}preConditionRule/{ss}ruleAction").get("action") == "disabled"
        objective = item.find(f".//{ss}objective[@objectiveID='{condition.get('referencedObjective')}']")
        read = objective.find(f"{ss}mapInfo")
        assert read.get("targetObjectiveID") == f"urn:elpack:test-programme:{previous}"
        assert read.get("readSatisfiedStatus") == "true"
    measures = [i.findtext(f".//{ss}minNormalizedMeasure") for i in items]
    assert measures == ["0.8", "0.7", None]
    resources = {r.get("identifier"): r for r in root.iter(f"{cp}resource")}
    assert resources["SHARED-test-programme"].get(f"{adlcp}scormType") == "asset"
    for module in MODULES:
        assert [d.get("identifierref") for d in resources[f"RES-{module}"].iter(f"{cp}dependency")] \
            == ["SHARED-test-programme"]
