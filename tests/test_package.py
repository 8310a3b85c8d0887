"""Built packages: valid against the official XSDs, byte-identical control files, deterministic."""

from __future__ import annotations

import hashlib
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import EXAMPLE_MODULES, EXAMPLES, MODULES, REPO, SHARED_SCHEMAS, example_package, run_cli
from elpack.commands.new import create_module

SCHEMA_NAMES = ["adlcp_rootv1p2.xsd", "ims_xml.xsd", "imscp_rootv1p1p2.xsd",
                "imsmd_rootv1p2p1.xsd"]
IMSCP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
IMSMD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def example_packages(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("build")
    result = run_cli("build", *(EXAMPLES[m] for m in EXAMPLE_MODULES), "-o", out)
    assert result.exit_code == 0, result.output
    return {m: out / example_package(m) for m in EXAMPLE_MODULES}


def test_build_prints_each_package_and_its_size(tmp_path: Path):
    result = run_cli("build", *(EXAMPLES[m] for m in EXAMPLE_MODULES), "-o", tmp_path)
    assert result.exit_code == 0, result.output
    for module in EXAMPLE_MODULES:
        line = next(line for line in result.stdout.splitlines() if example_package(module) in line)
        assert line.split()[0].endswith(example_package(module))
        assert line.split()[-1] in ("KB", "MB")


@pytest.mark.parametrize("module", EXAMPLE_MODULES)
def test_example_package_passes_elpack_validate(module: str, example_packages):
    result = run_cli("validate", example_packages[module])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith(": valid SCORM 1.2 package")


@pytest.mark.parametrize("module", EXAMPLE_MODULES)
def test_example_package_passes_an_independent_xsd_check(module: str, example_packages,
                                                         tmp_path: Path):
    """Validate with lxml against the XSD files inside the zip, without elpack's code."""
    with zipfile.ZipFile(example_packages[module]) as archive:
        for name in [*SCHEMA_NAMES, "imsmanifest.xml"]:
            (tmp_path / name).write_bytes(archive.read(name))
    wrapper = tmp_path / "all.xsd"
    wrapper.write_text(
        '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t">'
        f'<xsd:import namespace="{IMSCP}" schemaLocation="imscp_rootv1p1p2.xsd"/>'
        f'<xsd:import namespace="{ADLCP}" schemaLocation="adlcp_rootv1p2.xsd"/>'
        f'<xsd:import namespace="{IMSMD}" schemaLocation="imsmd_rootv1p2p1.xsd"/>'
        "</xsd:schema>")
    schema = etree.XMLSchema(etree.parse(str(wrapper)))
    manifest = etree.parse(str(tmp_path / "imsmanifest.xml"))
    assert schema.validate(manifest), schema.error_log
    # The check is only meaningful if the manifest really uses the imsmd and adlcp namespaces.
    assert manifest.find(f".//{{{IMSMD}}}lom") is not None
    assert manifest.find(f".//{{{ADLCP}}}masteryscore") is not None
    broken = etree.parse(str(tmp_path / "imsmanifest.xml"))
    etree.SubElement(broken.find(f".//{{{IMSMD}}}general"), f"{{{IMSMD}}}nonsense")
    assert not schema.validate(broken), "the schema must reject unknown imsmd elements"


PACKAGED_SCHEMAS = REPO / "src" / "elpack" / "targets" / "scorm12" / "schemas"


@pytest.mark.parametrize("module", EXAMPLE_MODULES)
def test_control_files_are_byte_identical_to_the_official_ones(module: str, example_packages):
    if not SHARED_SCHEMAS.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{SHARED_SCHEMAS} is missing in CI")
        pytest.skip("the shared schema folder is not beside this checkout")
    with zipfile.ZipFile(example_packages[module]) as archive:
        for name in SCHEMA_NAMES:
            official = (SHARED_SCHEMAS / name).read_bytes()
            assert archive.read(name) == official, name
            assert (PACKAGED_SCHEMAS / name).read_bytes() == official


@pytest.mark.parametrize("module", EXAMPLE_MODULES)
def test_manifest_lists_every_content_file_and_mastery_equals_pass_mark(module, example_packages):
    import yaml

    with zipfile.ZipFile(example_packages[module]) as archive:
        names = set(archive.namelist())
        manifest = etree.fromstring(archive.read("imsmanifest.xml"))
    listed = {f.get("href") for f in manifest.iter(f"{{{IMSCP}}}file")}
    assert listed == names - {"imsmanifest.xml", *SCHEMA_NAMES}
    pass_mark = yaml.safe_load((EXAMPLES[module] / "module.yml").read_text())["pass_mark"]
    mastery = manifest.find(f".//{{{ADLCP}}}masteryscore")
    assert mastery.text == str(pass_mark)
    assert manifest.get("identifier") == f"MANIFEST-{module}"


def test_two_builds_are_byte_identical(tmp_path: Path):
    modules = [EXAMPLES[m] for m in EXAMPLE_MODULES]
    assert run_cli("build", *modules, "-o", tmp_path / "one").exit_code == 0
    assert run_cli("build", *modules, "-o", tmp_path / "two").exit_code == 0
    for module in EXAMPLE_MODULES:
        name = example_package(module)
        assert sha256(tmp_path / "one" / name) == sha256(tmp_path / "two" / name)


def test_source_date_epoch_sets_every_entry_time(tmp_path: Path, monkeypatch):
    root = create_module("Epoch", tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    assert run_cli("build", root, "-o", tmp_path / "a").exit_code == 0
    with zipfile.ZipFile(tmp_path / "a" / "epoch-scorm12.zip") as archive:
        times = {info.date_time for info in archive.infolist()}
        names = archive.namelist()
    assert times == {(2023, 11, 14, 22, 13, 20)}
    assert names == sorted(names)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert run_cli("build", root, "-o", tmp_path / "b").exit_code == 0
    with zipfile.ZipFile(tmp_path / "b" / "epoch-scorm12.zip") as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


@pytest.mark.parametrize(("epoch", "told"), [
    ("soon", "'soon', not a whole number of seconds"),
    ("1700000000.5", "not a whole number of seconds"),
    ("-1", "before 1970"),
    ("4354819200", "after 2107-12-31"),  # 2108-01-01: a year zip files cannot record
    ("1700000000000", "It looks like milliseconds"),
    ("9" * 400, "after 2107-12-31"),  # too large even for the C library's time functions
], ids=["word", "fraction", "negative", "2108", "milliseconds", "huge"])
@pytest.mark.parametrize("incremental", [False, True])
def test_a_bad_source_date_epoch_is_a_clean_error(tmp_path: Path, monkeypatch, epoch: str, told: str,
                                                  incremental: bool):
    root = create_module("Epoch", tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    result = run_cli("build", root, "-o", tmp_path / "out", *(["--incremental"] if incremental else []))
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert told in result.stderr and "date +%s" in result.stderr
    assert not (tmp_path / "out" / "epoch-scorm12.zip").exists()


def test_the_last_time_a_zip_can_record_is_accepted(tmp_path: Path, monkeypatch):
    root = create_module("Epoch", tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "4354819199")  # 2107-12-31 23:59:59 UTC
    assert run_cli("build", root, "-o", tmp_path / "out").exit_code == 0
    with zipfile.ZipFile(tmp_path / "out" / "epoch-scorm12.zip") as archive:
        assert {info.date_time for info in archive.infolist()} == {(2107, 12, 31, 23, 59, 58)}


@pytest.mark.parametrize("incremental", [False, True])
def test_an_output_path_too_long_for_the_file_system_is_a_clean_error(tmp_path: Path,
                                                                       incremental: bool):
    root = create_module("Long", tmp_path)
    output = tmp_path / ("x" * 300)  # longer than any file name may be (ENAMETOOLONG)
    result = run_cli("build", root, "-o", output, *(["--incremental"] if incremental else []))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "cannot write" in result.stderr and "name too long" in result.stderr


def test_only_referenced_media_is_packaged(tmp_path: Path):
    root = create_module("Media", tmp_path)
    (root / "media" / "used.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (root / "media" / "unused.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (root / "media" / "notes.txt").write_text("writer's private notes")
    page = root / "pages" / "01-welcome.md"
    page.write_text(page.read_text() + "\n![A used picture](media/used.svg)\n")
    assert run_cli("build", root, "-o", tmp_path / "out").exit_code == 0
    with zipfile.ZipFile(tmp_path / "out" / "media-scorm12.zip") as archive:
        media = [n for n in archive.namelist() if n.startswith("media/")]
    assert media == ["media/used.svg"]


@pytest.mark.parametrize("name", ["evil.php", "run.sh", ".htaccess", "tool.py"])
def test_server_side_files_are_refused(name: str, tmp_path: Path):
    root = create_module("Scripts", tmp_path)
    (root / "media" / name).write_text("payload")
    page = root / "pages" / "01-welcome.md"
    page.write_text(page.read_text() + f"\nSee [the file](media/{name}).\n")
    result = run_cli("build", root, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "01-welcome.md:" in result.stderr and "server-side script" in result.stderr
    assert not (tmp_path / "out").exists()


def test_names_differing_only_by_case_are_refused(tmp_path: Path):
    root = create_module("Cases", tmp_path)
    (root / "media" / "Photo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (root / "media" / "photo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    page = root / "pages" / "01-welcome.md"
    page.write_text(page.read_text() + "\n![One](media/Photo.svg) ![Two](media/photo.svg)\n")
    result = run_cli("build", root, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "differ only by case" in result.stderr


def test_symlink_leaving_the_module_is_refused(tmp_path: Path):
    root = create_module("Links", tmp_path)
    secret = tmp_path / "secret.svg"
    secret.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (root / "media" / "innocent.svg").symlink_to(secret)
    page = root / "pages" / "01-welcome.md"
    page.write_text(page.read_text() + "\n![Innocent](media/innocent.svg)\n")
    result = run_cli("build", root, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "outside the module folder" in result.stderr


def test_failed_build_keeps_the_earlier_package(tmp_path: Path):
    root = create_module("Keep", tmp_path)
    out = tmp_path / "out"
    assert run_cli("build", root, "-o", out).exit_code == 0
    package = out / "keep-scorm12.zip"
    before = sha256(package)
    (root / "pages" / "02-story.md").write_text("# Story\n\n::: dialogue\nnobody: hi\n:::\n")
    assert run_cli("build", root, "-o", out).exit_code == 1
    assert sha256(package) == before
    assert sorted(p.name for p in out.iterdir()) == ["keep-scorm12.zip"]


def test_new_module_builds_and_validates(tmp_path: Path):
    result = run_cli("new", "Sepsis awareness", "--dir", tmp_path)
    assert result.exit_code == 0, result.output
    root = tmp_path / "sepsis-awareness"
    assert run_cli("build", root, "-o", tmp_path / "out").exit_code == 0
    result = run_cli("validate", tmp_path / "out" / "sepsis-awareness-scorm12.zip")
    assert result.exit_code == 0, result.output
    assert run_cli("new", "Sepsis awareness", "--dir", tmp_path).exit_code == 1


def test_build_without_arguments_builds_every_module(tmp_path: Path, monkeypatch):
    project = tmp_path / "project"
    shutil.copytree(MODULES, project / "modules")
    monkeypatch.chdir(project)
    result = run_cli("build")
    assert result.exit_code == 0, result.output
    built = sorted(p.name for p in (project / "build").iterdir())
    assert built == sorted(f"{m.name}-scorm12.zip" for m in (project / "modules").iterdir()
                           if (m / "module.yml").is_file())
