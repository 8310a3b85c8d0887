"""SCORM 1.2 package validation: the official XSDs, plus the rules the XSDs cannot express."""

from __future__ import annotations

import struct
import zipfile
import zlib
from functools import cache
from importlib import resources
from pathlib import Path

from lxml import etree

from .manifest import ADLCP, IMSCP, IMSMD, MANIFEST_FILE, SCHEMA_FILES, XSI
from .paths import case_clashes, package_name_problem

MAX_MANIFEST_BYTES = 10 * 1024 * 1024
MAX_ENTRIES = 20_000
# A zip's central directory (its list of entries) is read whole; this bounds the work even when
# the entry count in the end record lies. 20,000 entries with long names fit easily.
MAX_DIRECTORY_BYTES = 16 * 1024 * 1024
# What the entries claim to unpack to, in all: far beyond any e-learning package, and a zip that
# claims more is broken or a zip bomb that would fill the LMS's disk.
MAX_UNPACKED_BYTES = 4 * 1024 * 1024 * 1024
# Deflate cannot shrink data more than about 1,030 times; an entry claiming more is lying.
MAX_RATIO = 1_100
# What a damaged or hostile zip makes zipfile raise, besides BadZipFile: unsupported versions and
# methods, encryption, bad compressed data, names that are not UTF-8, truncation.
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
              NotImplementedError, RuntimeError, zlib.error, struct.error)
END_RECORD = struct.Struct("<4s4H2LH")
ZIP64_END_RECORD = struct.Struct("<4sQ2H2L4Q")
MAX_TITLE = 200
# Imports every schema a SCORM 1.2 manifest uses, so one validation checks them all (libxml2
# loads only the first schema given per namespace, and imscp alone would not pull in imsmd).
WRAPPER_SCHEMA = f"""<?xml version="1.0"?>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:elpack:wrapper">
  <xsd:import namespace="{IMSCP}" schemaLocation="imscp_rootv1p1p2.xsd"/>
  <xsd:import namespace="{ADLCP}" schemaLocation="adlcp_rootv1p2.xsd"/>
  <xsd:import namespace="{IMSMD}" schemaLocation="imsmd_rootv1p2p1.xsd"/>
</xsd:schema>
"""


def schemas_dir() -> Path:
    return Path(str(resources.files("elpack") / "schemas"))


def control_files() -> dict[str, bytes]:
    """The four official control files, byte for byte, by package path."""
    folder = schemas_dir()
    return {name: (folder / name).read_bytes() for name in sorted(SCHEMA_FILES)}


@cache
def manifest_schema() -> etree.XMLSchema:
    wrapper = etree.fromstring(WRAPPER_SCHEMA.encode(),
                               base_url=(schemas_dir() / "wrapper.xsd").as_uri())
    return etree.XMLSchema(wrapper)


def check_package(files: dict[str, bytes | None]) -> list[str]:
    """Every problem with a package given as {name: bytes}; bytes may be None (validation of a
    zip reads only what it needs), and a None manifest is one that could not be read."""
    problems: list[str] = []
    names = list(files)
    for name in names:
        problem = package_name_problem(name)
        if problem:
            problems.append(f"{name}: the file name {problem}")
    for first, second in case_clashes(names):
        how = "case" if first.casefold() == second.casefold() else \
            "case or Unicode form (accents written as one character or two)"
        problems.append(f"{first} and {second}: names differ only by {how}")
    if MANIFEST_FILE not in files:
        nested = [n for n in names if n.endswith("/" + MANIFEST_FILE)]
        where = f" (found {nested[0]}: zip the folder's contents, not the folder)" if nested else ""
        problems.append(f"{MANIFEST_FILE} is not at the root of the package{where}")
        return problems
    content = files[MANIFEST_FILE]
    if content is None:  # present but unreadable, which read_zip has reported
        return problems
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as error:
        problems.append(f"{MANIFEST_FILE}:{error.lineno}: not well-formed XML: {error.msg}")
        return problems
    schema = manifest_schema()
    if not schema.validate(root):
        for error in schema.error_log:
            problems.append(f"{MANIFEST_FILE}:{error.line}: schema: {error.message}")
    problems.extend(_rules(root, set(names)))
    return problems


def _rules(root: etree._Element, names: set[str]) -> list[str]:
    problems: list[str] = []
    cp = {"cp": IMSCP, "adlcp": ADLCP}

    def where(element: etree._Element) -> str:
        return f"{MANIFEST_FILE}:{element.sourceline}"

    control = {MANIFEST_FILE}
    location = root.get(f"{{{XSI}}}schemaLocation", "").split()
    for schema_file in location[1::2]:
        control.add(schema_file)
        if schema_file not in names:
            problems.append(f"{where(root)}: the control file {schema_file} named in "
                            "schemaLocation is not in the package")
    if "imscp_rootv1p1p2.xsd" in control:
        control.add("ims_xml.xsd")  # imported by the imscp and imsmd schemas

    seen: dict[str, etree._Element] = {}
    for element in root.iter():
        identifier = element.get("identifier")
        if identifier is None:
            continue
        if identifier in seen:
            problems.append(f"{where(element)}: identifier '{identifier}' is not unique "
                            f"(also on line {seen[identifier].sourceline})")
        seen[identifier] = element

    resources = {r.get("identifier"): r for r in root.iterfind("cp:resources/cp:resource", cp)}
    organizations = root.find("cp:organizations", cp)
    if organizations is not None:
        default = organizations.get("default")
        orgs = {o.get("identifier") for o in organizations.iterfind("cp:organization", cp)}
        if default is not None and default not in orgs:
            problems.append(f"{where(organizations)}: organizations default '{default}' is not "
                            "an organization")
        if default is None and not orgs:
            problems.append(f"{where(organizations)}: the package has no organization")
    for element in root.iter(f"{{{IMSCP}}}item", f"{{{IMSCP}}}dependency"):
        ref = element.get("identifierref")
        if ref is not None and ref not in resources:
            problems.append(f"{where(element)}: identifierref '{ref}' is not a resource")
    for title in root.iter(f"{{{IMSCP}}}title"):
        if len(title.text or "") > MAX_TITLE:
            problems.append(f"{where(title)}: the title is {len(title.text or '')} characters; "
                            f"SCORM 1.2 allows {MAX_TITLE}")
    for mastery in root.iter(f"{{{ADLCP}}}masteryscore"):
        try:
            value = float(mastery.text or "")
        except ValueError:
            value = -1
        if not 0 <= value <= 100:
            problems.append(f"{where(mastery)}: masteryscore '{mastery.text}' must be a number "
                            "from 0 to 100")

    listed: set[str] = set()
    for resource in resources.values():
        href = resource.get("href")
        base = resource.get("{http://www.w3.org/XML/1998/namespace}base", "")
        if resource.get(f"{{{ADLCP}}}scormtype") == "sco" and href:
            launch = base + href.split("?")[0].split("#")[0]
            if launch not in names:
                problems.append(f"{where(resource)}: the SCO launch file '{launch}' is not in "
                                "the package")
        for file in resource.iterfind("cp:file", cp):
            name = base + (file.get("href") or "")
            listed.add(name)
            if name not in names:
                problems.append(f"{where(file)}: the listed file '{name}' is not in the package")
    for name in sorted(names - listed - control):
        if not name.endswith("/"):
            problems.append(f"{name}: the file is in the package but not listed in the manifest")
    return problems


def read_zip(path: Path) -> tuple[dict[str, bytes | None], list[str]]:
    """Entry names of a zip, with the manifest's bytes; never extracts anything to disk.

    Hostile zips are met with limits, each a clear problem: at most MAX_ENTRIES entries (checked
    in the end record, before the entry list is read), a bounded entry list, no claim to unpack
    to more than MAX_UNPACKED_BYTES, and only the manifest is ever decompressed, at most
    MAX_MANIFEST_BYTES of it.
    """
    if not path.is_file():  # a pipe or device would block the reads below, or never end
        return {}, [f"{path}: not a regular file"]
    try:
        declared = _declared_directory(path)
        if declared is not None:
            entries, directory_bytes = declared
            if entries > MAX_ENTRIES:
                return {}, [f"{path}: the zip declares {entries} entries; the limit is {MAX_ENTRIES}"]
            if directory_bytes > MAX_DIRECTORY_BYTES:
                return {}, [f"{path}: the zip's list of entries is {directory_bytes} bytes; the "
                            f"limit is {MAX_DIRECTORY_BYTES}"]
        archive = zipfile.ZipFile(path)
    except ZIP_ERRORS as error:
        return {}, [f"{path}: not a readable zip file ({error})"]
    problems: list[str] = []
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            return {}, [f"{path}: the zip has {len(infos)} entries; the limit is {MAX_ENTRIES}"]
        unpacked = sum(info.file_size for info in infos)
        if unpacked > MAX_UNPACKED_BYTES:
            problems.append(f"{path}: the entries claim to unpack to {unpacked} bytes; the limit "
                            f"is {MAX_UNPACKED_BYTES} (a damaged zip, or a zip bomb)")
        files: dict[str, bytes | None] = {}
        for info in infos:
            if info.filename in files:
                problems.append(f"{info.filename}: the zip holds this name twice")
            files[info.filename] = None
            if info.file_size > MAX_RATIO * max(info.compress_size, 1) and info.file_size > 1024:
                problems.append(f"{info.filename}: claims to unpack {info.compress_size} bytes "
                                f"into {info.file_size}, which no real file does (a damaged zip, "
                                "or a zip bomb)")
        if MANIFEST_FILE in files:
            files[MANIFEST_FILE], problem = _read_manifest(archive)
            if problem:
                problems.append(f"{MANIFEST_FILE}: {problem}")
    return files, problems


def _read_manifest(archive: zipfile.ZipFile) -> tuple[bytes | None, str | None]:
    """The manifest's bytes, or None and why it cannot be read."""
    info = archive.getinfo(MANIFEST_FILE)
    if info.file_size > MAX_MANIFEST_BYTES:
        return None, f"{info.file_size} bytes; the limit is {MAX_MANIFEST_BYTES}"
    try:
        with archive.open(info) as stream:
            # Read one byte past the limit, whatever the header claims: zip bombs lie.
            content = stream.read(MAX_MANIFEST_BYTES + 1)
    except ZIP_ERRORS as error:
        return None, f"cannot be read from the zip ({error})"
    if len(content) > MAX_MANIFEST_BYTES:
        return None, f"unpacks to more than the limit of {MAX_MANIFEST_BYTES} bytes"
    return content, None


def _declared_directory(path: Path) -> tuple[int, int] | None:
    """(entry count, size of the entry list) as the zip's end record declares them, or None
    when there is no end record (zipfile then reports the file as not a zip)."""
    with path.open("rb") as stream:
        size = stream.seek(0, 2)
        start = max(0, size - END_RECORD.size - 0xFFFF)  # the end record, then a comment
        stream.seek(start)
        tail = stream.read()
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or len(tail) - at < END_RECORD.size:
            return None
        *_, entries, directory_bytes, _, _ = END_RECORD.unpack_from(tail, at)
        if entries == 0xFFFF or directory_bytes == 0xFFFFFFFF:
            # Zip64: the real values are in a record the 20-byte locator before this one points to.
            locator = tail[max(0, at - 20):at]
            if len(locator) == 20 and locator.startswith(b"PK\x06\x07"):
                (offset,) = struct.unpack_from("<Q", locator, 8)
                stream.seek(min(offset, size))
                record = stream.read(ZIP64_END_RECORD.size)
                if len(record) == ZIP64_END_RECORD.size and record.startswith(b"PK\x06\x06"):
                    *_, entries, directory_bytes, _ = ZIP64_END_RECORD.unpack(record)
    return entries, directory_bytes


def validate_zip(path: Path) -> list[str]:
    files, problems = read_zip(path)
    if files:
        problems.extend(check_package(files))
    return problems
