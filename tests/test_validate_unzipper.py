"""`elpack validate` reads a zip as an unzipper would, and refuses what an unzipper would do harm with.

Each case from issue 16: the empty zip, a zip without a manifest, a symlink entry, a zip64 end
record that disagrees with the plain one, a manifest with a DOCTYPE or entities, a manifest built to
make the XML parser slow, data before the first entry. Each is refused with a one-line reason and
exit 1 (or, for leading data, a warning).
"""

from __future__ import annotations

import stat
import struct
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import run_cli
from elpack.targets.scorm12 import rules as scorm12_rules
from elpack.validate import (
    DOCTYPE_REFUSED,
    MAX_ATTRIBUTES_PER_TAG,
    MAX_ENTRIES,
    MAX_MANIFEST_ATTRIBUTES,
    validate_zip,
)

MEGABYTE = 1024 * 1024




def write_zip(path: Path, files: dict[str, bytes], modes: dict[str, int] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name)
            info.create_system = 3
            info.external_attr = ((modes or {}).get(name, stat.S_IFREG | 0o644)) << 16
            archive.writestr(info, data)
    return path


def refused_in_one_line(package: Path, reason: str) -> None:
    """The CLI says the package is invalid, gives exactly this one-line reason, and exits 1."""
    result = run_cli("validate", package)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    # The standard is named when the manifest could be read far enough to tell it.
    assert lines[0] in (f"{package}: invalid (1 problem)",
                        f"{package}: invalid SCORM 1.2 package (1 problem)"), result.stdout
    assert lines[1:] == [f"  {reason}"], result.stdout


def test_the_good_package_is_valid(good_files, tmp_path: Path):
    package = write_zip(tmp_path / "good.zip", good_files)
    assert run_cli("validate", package).stdout == f"{package}: valid SCORM 1.2 package\n"


def test_an_empty_zip_is_refused(tmp_path: Path):
    package = tmp_path / "empty.zip"
    zipfile.ZipFile(package, "w").close()
    refused_in_one_line(package, f"{package}: the zip holds no files (a SCORM package needs at "
                                 "least imsmanifest.xml)")


def test_a_zip_without_a_manifest_is_refused(tmp_path: Path):
    package = write_zip(tmp_path / "plain.zip", {"index.html": b"<p>hello</p>"})
    result = run_cli("validate", package)
    assert result.exit_code == 1
    assert "  imsmanifest.xml is not at the root of the package" in result.stdout.splitlines()


@pytest.mark.parametrize(("mode", "what"), [
    (stat.S_IFLNK | 0o777, "a symbolic link"),
    (stat.S_IFCHR | 0o644, "a character device"),
    (stat.S_IFIFO | 0o644, "a named pipe"),
])
def test_entries_that_are_not_regular_files_are_refused(mode: int, what: str, good_files,
                                                        tmp_path: Path):
    # The manifest lists media/notes.txt, so nothing else is wrong with the package.
    files = {**good_files, "media/notes.txt": b"/etc/passwd"}
    manifest = files["imsmanifest.xml"].decode()
    files["imsmanifest.xml"] = manifest.replace(
        '<file href="index.html"/>', '<file href="index.html"/><file href="media/notes.txt"/>',
        1).encode()
    package = write_zip(tmp_path / "link.zip", files, {"media/notes.txt": mode})
    refused_in_one_line(package, f"media/notes.txt: the entry is {what}, which an unzipper would "
                                 "recreate as such; a package holds only regular files")


def test_folders_and_zips_made_on_windows_are_regular(good_files, tmp_path: Path):
    package = tmp_path / "windows.zip"
    with zipfile.ZipFile(package, "w") as archive:
        for name, data in good_files.items():
            info = zipfile.ZipInfo(name)
            info.create_system = 0
            info.external_attr = 0x20  # the DOS 'archive' bit, no Unix mode
            archive.writestr(info, data)
    assert validate_zip(package) == []


def zip64_mismatch(path: Path, real_entries: int, declared_plain: int) -> Path:
    """A zip whose entry list really holds real_entries entries (all empty, nameless, pointing at
    one local header), whose zip64 end record tells the truth and whose plain one says
    declared_plain, with a directory size that fits the plain count."""
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    entry = struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 45, 3, 45, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                        0, 0, 0, 0, 0, 0)
    directory_offset = len(local)
    directory_size = len(entry) * real_entries
    zip64_at = directory_offset + directory_size
    zip64 = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, real_entries,
                        real_entries, directory_size, directory_offset)
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, zip64_at, 1)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, declared_plain, declared_plain,
                      len(entry) * declared_plain, directory_offset, 0)
    with path.open("wb") as stream:
        stream.write(local)
        stream.write(entry * real_entries)
        stream.write(zip64 + locator + end)
    return path


def test_a_zip64_record_that_disagrees_is_trusted_and_costs_little_memory(tmp_path: Path):
    # The zip: the plain end record says 1 entry, the zip64 one 1.5 million (and the
    # entry list holds them, 69 MB of it). zipfile would make 1.5 million ZipInfos (585 MB).
    package = zip64_mismatch(tmp_path / "zip64.zip", 1_500_000, 1)
    tracemalloc.start()
    try:
        problems = validate_zip(package)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert problems == [f"{package}: the zip declares 1500000 entries; the limit is {MAX_ENTRIES}"]
    assert peak < 100 * MEGABYTE, f"peak {peak / MEGABYTE:.1f} MB"
    # Reading the whole entry list would cost more than the file itself; this read far less.
    assert peak < package.stat().st_size / 10
    refused_in_one_line(package, problems[0])


def test_an_entry_list_longer_than_declared_is_counted_not_trusted(tmp_path: Path):
    # Both end records say 1 entry; the directory size says there are more than the limit.
    package = zip64_mismatch(tmp_path / "long.zip", MAX_ENTRIES + 5, 1)
    data = bytearray(package.read_bytes())
    zip64_at = data.rindex(b"PK\x06\x06")
    struct.pack_into("<2Q", data, zip64_at + 24, 1, 1)  # zip64 counts: 1 and 1
    package.write_bytes(bytes(data))
    problems = validate_zip(package)
    assert problems == [f"{package}: the zip's list of entries holds more than {MAX_ENTRIES} "
                        "entries (its end record says 1)"]


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE manifest [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    '<!DOCTYPE manifest SYSTEM "http://example.invalid/evil.dtd">',
    '<!DOCTYPE manifest [<!ENTITY who "me">]>',
])
def test_a_manifest_with_a_doctype_is_refused_before_schema_validation(doctype: str, good_files,
                                                                      tmp_path: Path):
    manifest = good_files["imsmanifest.xml"].decode()
    manifest = manifest.replace("?>", "?>" + doctype, 1)
    package = write_zip(tmp_path / "entity.zip", {**good_files,
                                                  "imsmanifest.xml": manifest.encode()})
    refused_in_one_line(package, f"imsmanifest.xml: {DOCTYPE_REFUSED}")


def test_a_doctype_in_utf16_is_found_too(good_files, tmp_path: Path):
    manifest = good_files["imsmanifest.xml"].decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    manifest = manifest.replace("?>", '?><!DOCTYPE manifest [<!ENTITY x SYSTEM "file:///etc/passwd">]>', 1)
    package = write_zip(tmp_path / "utf16.zip", {**good_files,
                                                 "imsmanifest.xml": manifest.encode("utf-16")})
    assert validate_zip(package) == [f"imsmanifest.xml: {DOCTYPE_REFUSED}"]


def test_a_manifest_with_300000_attributes_is_refused_before_parsing(good_files, tmp_path: Path):
    # 3 MB, one element with 300,000 attributes: libxml2 took 25 s and 536 MB on it.
    attributes = " ".join(f"a{n}='1'" for n in range(300_000))
    manifest = good_files["imsmanifest.xml"].decode().replace("<metadata>", f"<metadata {attributes}>", 1)
    package = write_zip(tmp_path / "attributes.zip", {**good_files,
                                                      "imsmanifest.xml": manifest.encode()})
    tracemalloc.start()
    try:
        problems = validate_zip(package)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(problems) == 1
    assert problems[0].startswith("imsmanifest.xml: ") and "attributes; the limit is " in problems[0]
    assert peak < 10 * len(manifest), "no parse tree was built"


def test_one_crowded_tag_is_refused_even_when_the_total_is_allowed(good_files, tmp_path: Path):
    attributes = " ".join(f"a{n}='1'" for n in range(MAX_ATTRIBUTES_PER_TAG + 1))
    assert MAX_ATTRIBUTES_PER_TAG + 1 < MAX_MANIFEST_ATTRIBUTES
    manifest = good_files["imsmanifest.xml"].decode().replace("<metadata>", f"<metadata {attributes}>", 1)
    package = write_zip(tmp_path / "crowded.zip", {**good_files,
                                                   "imsmanifest.xml": manifest.encode()})
    problems = validate_zip(package)
    assert len(problems) == 1
    assert problems[0] == (f"imsmanifest.xml: a tag has {MAX_ATTRIBUTES_PER_TAG + 1} attributes "
                           f"('metadata a0='1' a1='1' a2='1' ...'); the limit is "
                           f"{MAX_ATTRIBUTES_PER_TAG}")


def test_every_lxml_error_during_schema_validation_is_a_problem(good_files, tmp_path: Path,
                                                                monkeypatch):
    # libxml2 raises XMLSchemaValidateError on internal failures (it did on an external
    # entity); whatever it raises becomes one reported problem.
    class Failing:
        def validate(self, root: object) -> bool:
            raise etree.XMLSchemaValidateError("Internal error: xmlSchemaVDocWalk")

    monkeypatch.setattr(scorm12_rules, "manifest_schema", lambda: Failing())
    package = write_zip(tmp_path / "good.zip", good_files)
    assert validate_zip(package) == [
        "imsmanifest.xml: schema validation stopped (Internal error: xmlSchemaVDocWalk)"]


def test_data_before_the_first_entry_is_warned_about(good_files, tmp_path: Path):
    package = write_zip(tmp_path / "good.zip", good_files)
    stub = b"MZ" + b"\0" * 510  # what a self-extractor's program would look like
    package.write_bytes(stub + package.read_bytes())
    result = run_cli("validate", package)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"{package}: valid SCORM 1.2 package",
        f"  warning: {package}: 512 bytes of data come before the first entry (a self-extractor "
        "or something hidden); some LMSs refuse such zips"]
