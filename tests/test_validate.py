"""`elpack validate` finds every kind of broken package, and lists every problem."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import run_cli


def _zip(files: dict[str, bytes], path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def _manifest(replace: str, by: str) -> Callable[[dict[str, bytes]], None]:
    def change(files: dict[str, bytes]) -> None:
        text = files["imsmanifest.xml"].decode()
        assert replace in text, replace
        files["imsmanifest.xml"] = text.replace(replace, by, 1).encode()

    return change


def _drop(name: str) -> Callable[[dict[str, bytes]], None]:
    return lambda files: files.pop(name)


def _add(name: str) -> Callable[[dict[str, bytes]], None]:
    return lambda files: files.update({name: b"x"})


def _nest(files: dict[str, bytes]) -> None:
    for name in list(files):
        files["course/" + name] = files.pop(name)


CASES = {
    "manifest missing": (_drop("imsmanifest.xml"), "imsmanifest.xml is not at the root"),
    "manifest in a folder": (_nest, "found course/imsmanifest.xml"),
    "not XML": (lambda f: f.update({"imsmanifest.xml": b"<manifest"}), "not well-formed XML"),
    "schema violation in imscp": (_manifest("<resources>", "<resources><bogus/>"),
                                  "schema: "),
    "schema violation in imsmd": (_manifest("</imsmd:general>",
                                            "<imsmd:nonsense/></imsmd:general>"),
                                  "imsmd_rootv1p2p1}nonsense"),
    "schema violation in adlcp": (_manifest('adlcp:scormtype="sco"', 'adlcp:scormtype="page"'),
                                  "scormtype"),
    "control file missing": (_drop("adlcp_rootv1p2.xsd"),
                             "adlcp_rootv1p2.xsd named in schemaLocation is not in the package"),
    "default organization unknown": (_manifest('default="ORG-good"', 'default="ORG-other"'),
                                     "organizations default 'ORG-other' is not an organization"),
    "identifierref unknown": (_manifest('identifierref="RES-good"', 'identifierref="RES-x"'),
                              "identifierref 'RES-x' is not a resource"),
    "listed file missing": (_drop("assets/elpack.js"),
                            "the listed file 'assets/elpack.js' is not in the package"),
    "unlisted file": (_add("media/extra.png"),
                      "media/extra.png: the file is in the package but not listed"),
    "launch file missing": (_drop("index.html"), "the SCO launch file 'index.html' is not in"),
    "duplicate identifier": (_manifest('identifier="ITEM-good"', 'identifier="ORG-good"'),
                             "identifier 'ORG-good' is not unique"),
    "masteryscore out of range": (_manifest(">80</adlcp:masteryscore>",
                                            ">150</adlcp:masteryscore>"),
                                  "masteryscore '150' must be a number from 0 to 100"),
    "title too long": (_manifest("<title>Good</title>", f"<title>{'x' * 201}</title>"),
                       "the title is 201 characters"),
    "path traversal name": (_add("../evil.html"), "../evil.html: the file name contains '..'"),
    "server-side script": (_add("media/shell.php"), "server-side script"),
    "case clash": (lambda f: f.update({"INDEX.html": b"x"}), "names differ only by case"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_validate_reports_the_problem(case: str, good_files, tmp_path: Path):
    change, expected = CASES[case]
    files = dict(good_files)
    change(files)
    result = run_cli("validate", _zip(files, tmp_path / "bad.zip"))
    assert result.exit_code == 1
    assert expected in result.stdout, result.stdout


def test_validate_lists_every_problem_of_every_package(good_files, tmp_path: Path):
    files = dict(good_files)
    _drop("assets/elpack.js")(files)
    _add("media/extra.png")(files)
    bad = _zip(files, tmp_path / "bad.zip")
    good = _zip(dict(good_files), tmp_path / "good.zip")
    result = run_cli("validate", good, bad)
    assert result.exit_code == 1
    assert f"{good}: valid" in result.stdout
    assert "(2 problems)" in result.stdout


def test_validate_refuses_a_file_that_is_not_a_zip(tmp_path: Path):
    junk = tmp_path / "junk.zip"
    junk.write_text("not a zip")
    result = run_cli("validate", junk)
    assert result.exit_code == 1
    assert "not a readable zip file" in result.stdout


def test_validate_never_extracts(good_files, tmp_path: Path, monkeypatch):
    files = dict(good_files)
    files["../../outside.html"] = b"zip slip"
    bad = _zip(files, tmp_path / "slip.zip")
    work = tmp_path / "work" / "deeper"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    result = run_cli("validate", bad)
    assert result.exit_code == 1
    assert not any(p.name == "outside.html" for p in tmp_path.rglob("*"))
