"""SCORM 2004 3rd and 4th edition packages: built next to SCORM 1.2 in one command, valid against
the official schemas (checked here independently of elpack's own validation), carrying the
official control files unchanged, deterministic, and told apart by `elpack validate`; the saved
state shared out of 2004's larger limit."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from browser.reflective import REFLECTIONS, write_reflective_module
from conftest import EXAMPLES as EXAMPLE_FOLDERS
from conftest import MINIMAL_CONFIG, REPO, programme_of_example, run_cli
from elpack.errors import BuildError
from elpack.pipeline import build, build_all
from elpack.targets import get_target

EXAMPLES = ["frequent-attenders", "mental-health-awareness"]
TARGETS = ["scorm12", "scorm2004-3rd", "scorm2004-4th"]
EDITIONS = {"scorm2004-3rd": "3rd", "scorm2004-4th": "4th"}
SHARED = REPO.parent / "shared" / "scorm2004-schemas"
IMSCP = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP = "http://www.adlnet.org/xsd/adlcp_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"
# Written here from the namespaces SCORM 2004 defines, not taken from elpack: the independent check.
INDEPENDENT_WRAPPER = """<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:test:scorm2004">
  <xs:import namespace="http://www.imsglobal.org/xsd/imscp_v1p1" schemaLocation="imscp_v1p1.xsd"/>
  <xs:import namespace="http://www.adlnet.org/xsd/adlcp_v1p3" schemaLocation="adlcp_v1p3.xsd"/>
  <xs:import namespace="http://www.adlnet.org/xsd/adlseq_v1p3" schemaLocation="adlseq_v1p3.xsd"/>
  <xs:import namespace="http://www.adlnet.org/xsd/adlnav_v1p3" schemaLocation="adlnav_v1p3.xsd"/>
  <xs:import namespace="http://www.imsglobal.org/xsd/imsss" schemaLocation="imsss_v1p0.xsd"/>
</xs:schema>
"""
PAGES = {"01-welcome.md": "# Welcome\n\nHello.\n"}


def _shared(edition: str) -> Path:
    folder = SHARED / f"{edition}-edition"
    if not folder.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{folder} is missing in CI")
        pytest.skip("the shared schema folder is not beside this checkout")
    return folder


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """The two example modules built for every target in one command: {(module, target): zip}."""
    out = tmp_path_factory.mktemp("scorm2004")
    args = ["build", *(EXAMPLE_FOLDERS[m] for m in EXAMPLES), "-o", out, "-j", "1"]
    for target in TARGETS:
        args += ["--target", target]
    result = run_cli(*args)
    assert result.exit_code == 0, result.output
    return {(m, t): out / package_file(m, t) for m in EXAMPLES for t in TARGETS}


def package_file(module: str, target: str) -> str:
    """The zip `elpack build` writes: a programme's module is '<programme>--<module>-<target>.zip'."""
    programme = programme_of_example(module)
    return f"{programme.name}--{module}-{target}.zip" if programme else f"{module}-{target}.zip"


def _manifest(package: Path) -> etree._Element:
    with zipfile.ZipFile(package) as archive:
        return etree.fromstring(archive.read("imsmanifest.xml"))


def test_both_editions_are_registered_with_their_limits():
    for name, edition in EDITIONS.items():
        target = get_target(name)
        assert target.title == f"SCORM 2004 {edition} Edition"
        assert target.package_name("m") == f"m-{name}.zip"
        assert target.saved_state_limit == 64_000
        assert target.runtime_bundle == "elpack-scorm2004.js"


@pytest.mark.parametrize("module", EXAMPLES)
def test_every_package_of_every_target_passes_elpack_validate(module, packages):
    for target in TARGETS:
        result = run_cli("validate", packages[module, target])
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines() == [
            f"{packages[module, target]}: valid {get_target(target).title} package"]


@pytest.mark.parametrize("module", EXAMPLES)
@pytest.mark.parametrize("target", list(EDITIONS))
def test_the_manifest_passes_the_shared_schemas_checked_independently(module, target, packages):
    folder = _shared(EDITIONS[target])
    wrapper = etree.fromstring(INDEPENDENT_WRAPPER.encode(), base_url=(folder / "wrapper.xsd").as_uri())
    schema = etree.XMLSchema(wrapper)
    manifest = _manifest(packages[module, target])
    assert schema.validate(manifest), schema.error_log
    # The check can fail: an unknown element inside the item is refused.
    item = manifest.find(f".//{{{IMSCP}}}item")
    etree.SubElement(item, f"{{{IMSCP}}}nonsense")
    assert not schema.validate(manifest)


@pytest.mark.parametrize("target", list(EDITIONS))
def test_control_files_are_byte_identical_to_the_shared_ones(target, packages):
    folder = _shared(EDITIONS[target])
    official = {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}
    packaged = REPO / "src" / "elpack" / "targets" / "scorm2004" / "schemas" / folder.name
    assert {p.name: p.read_bytes() for p in packaged.iterdir()} == official
    for module in EXAMPLES:
        with zipfile.ZipFile(packages[module, target]) as archive:
            assert {name: archive.read(name) for name in official} == official


@pytest.mark.parametrize("module", EXAMPLES)
@pytest.mark.parametrize("target", list(EDITIONS))
def test_the_manifest_says_what_a_single_sco_with_a_pass_mark_needs(module, target, packages):
    from elpack.pipeline import load_checked_module

    manifest = _manifest(packages[module, target])
    pass_mark = load_checked_module(EXAMPLE_FOLDERS[module]).module.config.pass_mark
    assert manifest.findtext(f"{{{IMSCP}}}metadata/{{{IMSCP}}}schemaversion") == \
        f"2004 {EDITIONS[target]} Edition"
    assert not [e for e in manifest.iter() if etree.QName(e).localname == "lom"]
    assert len(manifest.findall(f".//{{{IMSCP}}}organization")) == 1
    [item] = manifest.findall(f".//{{{IMSCP}}}item")
    [resource] = manifest.findall(f".//{{{IMSCP}}}resource")
    assert resource.get(f"{{{ADLCP}}}scormType") == "sco"
    assert item.get("identifierref") == resource.get("identifier")
    [primary] = item.findall(f"{{{IMSSS}}}sequencing/{{{IMSSS}}}objectives/{{{IMSSS}}}primaryObjective")
    assert primary.get("satisfiedByMeasure") == "true"
    assert float(primary.findtext(f"{{{IMSSS}}}minNormalizedMeasure")) == pass_mark / 100
    # Nothing more than a single SCO needs.
    assert [child.tag for child in item] == [f"{{{IMSCP}}}title", f"{{{IMSSS}}}sequencing"]
    assert manifest.find(f".//{{{ADLCP}}}completionThreshold") is None
    locations = manifest.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation").split()
    assert dict(zip(locations[::2], locations[1::2], strict=True)) == {
        IMSCP: "imscp_v1p1.xsd", ADLCP: "adlcp_v1p3.xsd",
        "http://www.adlnet.org/xsd/adlseq_v1p3": "adlseq_v1p3.xsd",
        "http://www.adlnet.org/xsd/adlnav_v1p3": "adlnav_v1p3.xsd", IMSSS: "imsss_v1p0.xsd"}
    with zipfile.ZipFile(packages[module, target]) as archive:
        content = {n for n in archive.namelist() if n == "index.html" or "/" in n}
    assert {f.get("href") for f in resource.iter(f"{{{IMSCP}}}file")} == content


def test_an_unscored_module_has_no_sequencing(module_factory):
    result = build(module_factory(PAGES), "scorm2004-4th")
    manifest = etree.fromstring(result.manifest)
    assert manifest.find(f".//{{{IMSSS}}}sequencing") is None
    assert result.runtime_data["scored"] is False


@pytest.mark.parametrize("target", TARGETS)
def test_two_builds_give_identical_packages(target):
    first = build(EXAMPLE_FOLDERS["mental-health-awareness"], target).package
    second = build(EXAMPLE_FOLDERS["mental-health-awareness"], target).package
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()


def test_targets_in_module_yml_build_each_standard(module_factory):
    root = module_factory(PAGES, config=MINIMAL_CONFIG + "    targets: [scorm12, scorm2004-4th]\n")
    results = build_all(root)
    assert [r.file_name for r in results] == ["sample-scorm12.zip", "sample-scorm2004-4th.zip"]
    with zipfile.ZipFile(io.BytesIO(results[1].package)) as archive:
        assert archive.read("assets/elpack.js") == \
            (REPO / "src/elpack/runtime/dist/elpack-scorm2004.js").read_bytes()


# -- the saved-state budget -----------------------------------------------------------------------


def test_reflections_share_the_larger_space_and_1_2_names_the_way_out(tmp_path: Path):
    root = write_reflective_module(tmp_path, "[scorm12, scorm2004-4th]")
    with pytest.raises(BuildError) as raised:
        build_all(root)
    [problem] = raised.value.problems
    lines = (root / "module.yml").read_text().splitlines()
    assert problem.file.endswith("module.yml") and lines[problem.line - 1].startswith("targets:")
    assert "more than the 4096 SCORM 1.2 allows in cmi.suspend_data" in problem.message
    assert "scorm2004-3rd or scorm2004-4th instead" in problem.hint
    result = build(root, "scorm2004-4th")
    budget = result.budget
    assert budget.limit == 64_000 and budget.reflections == REFLECTIONS
    assert budget.worst_case <= 64_000
    assert REFLECTIONS * budget.reflection_limit > 4096  # more than 1.2 could keep at all
    assert result.runtime_data["reflectionLimit"] == budget.reflection_limit
    inspected = run_cli("inspect", root, "--target", "scorm2004-4th")
    assert f"scorm2004-4th: each reflection keeps up to {budget.reflection_limit} characters" \
        in inspected.stdout


# -- elpack validate on packages from other tools --------------------------------------------------


def _package(path: Path, manifest: str, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("imsmanifest.xml", manifest)
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def _foreign_2004(edition: str, resources: str) -> str:
    return f"""<?xml version="1.0"?>
<manifest identifier="course" xmlns="{IMSCP}" xmlns:adlcp="{ADLCP}">
  <metadata><schema>ADL SCORM</schema><schemaversion>{edition}</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>Course</title>
    <item identifier="item" identifierref="res"><title>Course</title></item>
  </organization></organizations>
  <resources>{resources}</resources>
</manifest>
"""


def test_an_adapt_style_package_with_50_unlisted_files_takes_at_most_3_lines(tmp_path: Path):
    manifest = _foreign_2004("2004 4th Edition", '<resource identifier="res" type="webcontent" '
                             'adlcp:scormType="sco" href="index.html"><file href="index.html"/>'
                             '</resource>')
    files = {"index.html": b"<!doctype html>", **{f"adapt/js/part{n:02d}.js": b"x" for n in range(50)}}
    package = _package(tmp_path / "adapt.zip", manifest, files)
    result = run_cli("validate", package)
    lines = result.stdout.splitlines()
    assert result.exit_code == 0, result.stdout
    assert len(lines) <= 3, result.stdout
    assert lines[0] == f"{package}: valid SCORM 2004 4th Edition package"
    assert "warning: 50 files are in the package but not listed in the manifest (the first: " \
           "adapt/js/part00.js, adapt/js/part01.js, adapt/js/part02.js)" in result.stdout


def test_an_unlisted_file_stays_an_error_in_elpacks_own_packages(tmp_path: Path, module_factory):
    files = dict(build(module_factory(PAGES), "scorm2004-4th").files)
    files["media/stray.png"] = b"x"
    manifest = files.pop("imsmanifest.xml").decode()
    result = run_cli("validate", _package(tmp_path / "own.zip", manifest, files))
    assert result.exit_code == 1
    assert "invalid SCORM 2004 4th Edition package (1 problem)" in result.stdout
    assert "media/stray.png: the file is in the package but not listed in the manifest" in result.stdout


def test_a_package_without_a_sco_is_warned_that_nothing_is_tracked(tmp_path: Path):
    manifest = _foreign_2004("2004 3rd Edition", '<resource identifier="res" type="webcontent" '
                             'adlcp:scormType="asset" href="index.html"><file href="index.html"/>'
                             '</resource>')
    result = run_cli("validate", _package(tmp_path / "asset.zip", manifest, {"index.html": b"x"}))
    assert result.exit_code == 0, result.stdout
    assert "valid SCORM 2004 3rd Edition package" in result.stdout
    assert "warning: imsmanifest.xml: no resource is a SCO (every one is an asset), so the LMS " \
           "will show the content but track nothing" in result.stdout


def test_a_version_elpack_cannot_check_is_said_plainly(tmp_path: Path):
    manifest = _foreign_2004("CAM 1.3", '<resource identifier="res" type="webcontent" '
                             'adlcp:scormType="sco" href="index.html"/>')
    package = _package(tmp_path / "old.zip", manifest, {"index.html": b"x"})
    result = run_cli("validate", package)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{package}: not checked: SCORM version 'CAM 1.3' is unknown to elpack",
        "  imsmanifest.xml: the package declares schemaversion 'CAM 1.3', which elpack cannot check "
        "(it checks SCORM 1.2, SCORM 2004 3rd Edition, SCORM 2004 4th Edition); its LMS may still "
        "take it"]


def test_a_2004_manifest_is_checked_by_its_editions_schema(tmp_path: Path, module_factory):
    files = dict(build(module_factory(PAGES), "scorm2004-3rd").files)
    manifest = files.pop("imsmanifest.xml").decode().replace(
        "<resources>", "<resources><bogus/>", 1)
    result = run_cli("validate", _package(tmp_path / "bad.zip", manifest, files))
    assert result.exit_code == 1
    assert "invalid SCORM 2004 3rd Edition package" in result.stdout
    assert "schema: Element '{http://www.imsglobal.org/xsd/imscp_v1p1}bogus'" in result.stdout


def test_the_storyboard_says_what_each_package_keeps_of_a_reflection(tmp_path: Path):
    from elpack.commands.storyboard import build_storyboard

    root = write_reflective_module(tmp_path, "[scorm2004-3rd, scorm2004-4th]")
    html = build_storyboard(root).html
    for name, edition in EDITIONS.items():
        title = f"SCORM 2004 {edition} Edition"
        assert f"<li>{title}: <code>reflective-{name}.zip</code>; each reflection keeps up to 2000 " \
               "characters</li>" in html
