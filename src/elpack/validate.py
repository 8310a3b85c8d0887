"""Package validation: reading a zip safely, the rules every package's file names and manifest
follow, then the rules of the package's own target (its official schemas and what they cannot
express)."""

from __future__ import annotations

import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .paths import case_clashes, package_name_problem
from .render import RUNTIME_FILE
from .targets import Target, declared_version, get_target, known_targets, target_for_manifest
from .targets.base import IMS_MANIFEST as MANIFEST_FILE
from .ziplimits import count_entries, declared_directory, entry_kind_problem, leading_bytes

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
# Far beyond a manifest listing MAX_ENTRIES files; counted before parsing (see _markup_problem).
MAX_MANIFEST_TAGS = 200_000
MAX_MANIFEST_ATTRIBUTES = 200_000
MAX_ATTRIBUTES_PER_TAG = 256
DOCTYPE_REFUSED = ("a DOCTYPE or entity declaration is not allowed: a SCORM manifest needs none, "
                   "and entities can read files or expand without end")


@dataclass
class Validation:
    """What `elpack validate` found in one package: the standard it was checked against (None
    when elpack could not tell, or cannot check the one declared), every problem, and what is
    worth knowing without making the package invalid."""

    standard: Target | None = None
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    declared: str = ""  # the manifest's schemaversion, when no target checks it


def check_package(files: dict[str, bytes | None], target: Target | None = None) -> list[str]:
    """Every problem with a package given as {name: bytes}; bytes may be None (validation of a
    zip reads only what it needs), and a None manifest is one that could not be read. The
    manifest is checked by the rules of ``target``, or of the target it says it belongs to.
    Everything counts as an error, as for elpack's own builds."""
    return examine_package(files, target, foreign=False).problems


def examine_package(files: dict[str, bytes | None], target: Target | None = None,
                    foreign: bool | None = None) -> Validation:
    """:func:`check_package`, also saying which standard the package was checked against. A
    ``foreign`` package (by default: one that neither holds nor lists elpack's runtime) gets
    warnings, not errors, for what its standard recommends but does not require, such as
    listing every file."""
    result = Validation(target)
    problems = result.problems
    names = list(files)
    if len(names) > MAX_ENTRIES:
        problems.append(f"the package holds {len(names)} files; the limit is {MAX_ENTRIES} (split "
                        "it into smaller packages, such as a programme's separate packages)")
    size = sum(len(content) for content in files.values() if content is not None)
    if size > MAX_UNPACKED_BYTES:
        problems.append(f"the package's files come to {size} bytes; the limit is "
                        f"{MAX_UNPACKED_BYTES} (split it into smaller packages, such as a "
                        "programme's separate packages)")
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
        return result
    content = files[MANIFEST_FILE]
    if content is None:  # present but unreadable, which read_zip has reported
        return result
    refused = _markup_problem(content)
    if refused:
        problems.append(f"{MANIFEST_FILE}: {refused}")
        return result
    try:
        parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True,
                                 huge_tree=False)
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as error:
        problems.append(f"{MANIFEST_FILE}:{error.lineno}: not well-formed XML: {error.msg}")
        return result
    except (etree.LxmlError, ValueError) as failure:
        problems.append(f"{MANIFEST_FILE}: cannot be read as XML ({failure})")
        return result
    if root.getroottree().docinfo.doctype:  # type: ignore[union-attr]
        problems.append(f"{MANIFEST_FILE}:1: {DOCTYPE_REFUSED}")
        return result
    if foreign is None:  # elpack's own packages carry (and list) its runtime
        foreign = RUNTIME_FILE not in files and \
            not any(element.get("href") == RUNTIME_FILE for element in root.iter())
    result.standard = target or target_for_manifest(root)
    if result.standard is None:
        result.declared = declared_version(root)
        known = ", ".join(get_target(name).title for name in known_targets())
        problems.append(f"{MANIFEST_FILE}: the package declares schemaversion "
                        f"'{result.declared}', which elpack cannot check (it checks {known}); "
                        "its LMS may still take it")
        return result
    problems.extend(result.standard.check_manifest(
        root, set(names), result.warnings if foreign else None))
    return result


def _markup_problem(content: bytes) -> str | None:
    """Why the manifest is refused before any XML parser sees it: a DOCTYPE (the only way to
    declare entities), or more tags or attributes than any package needs. Counted on the bytes,
    as upper bounds, because libxml2 spends quadratic time on an element with very many
    attributes; UTF-16 text is counted as well as UTF-8."""
    for marker in (b"<!DOCTYPE", b"<!ENTITY"):
        if marker in content or marker.decode().encode("utf-16-le") in content \
                or marker.decode().encode("utf-16-be") in content:
            return DOCTYPE_REFUSED
    tags, attributes = content.count(b"<"), content.count(b"=")
    if tags > MAX_MANIFEST_TAGS:
        return f"{tags} tags; the limit is {MAX_MANIFEST_TAGS}"
    if attributes > MAX_MANIFEST_ATTRIBUTES:
        return f"{attributes} attributes; the limit is {MAX_MANIFEST_ATTRIBUTES}"
    # Attribute values cannot hold '<', so the '=' between two '<' bound one tag's attributes.
    crowded = max(content.split(b"<"), key=lambda piece: piece.count(b"="))
    if crowded.count(b"=") > MAX_ATTRIBUTES_PER_TAG:
        return (f"a tag has {crowded.count(b'=')} attributes ('{crowded[:30].decode(errors='replace')}"
                f"...'); the limit is {MAX_ATTRIBUTES_PER_TAG}")
    return None


def read_zip(path: Path, warnings: list[str] | None = None
             ) -> tuple[dict[str, bytes | None], list[str]]:
    """Entry names of a zip, with the manifest's bytes; never extracts anything to disk.

    Hostile zips are met with limits, each a clear problem: at most MAX_ENTRIES entries (checked
    in both end records and by counting the entry list, before zipfile reads it), a bounded entry
    list, no claim to unpack to more than MAX_UNPACKED_BYTES, only regular files and folders, and
    only the manifest is ever decompressed, at most MAX_MANIFEST_BYTES of it. Things an LMS may
    accept but should not see (data before the first entry) go to warnings.
    """
    if not path.is_file():  # a pipe or device would block the reads below, or never end
        return {}, [f"{path}: not a regular file"]
    try:
        with path.open("rb") as stream:
            declared = declared_directory(stream)
            if declared is not None:
                if declared.entries > MAX_ENTRIES:
                    return {}, [f"{path}: the zip declares {declared.entries} entries; the limit "
                                f"is {MAX_ENTRIES}"]
                if declared.size > MAX_DIRECTORY_BYTES:
                    return {}, [f"{path}: the zip's list of entries is {declared.size} bytes; the "
                                f"limit is {MAX_DIRECTORY_BYTES}"]
                listed = count_entries(stream, declared, MAX_ENTRIES)
                if listed > MAX_ENTRIES:
                    return {}, [f"{path}: the zip's list of entries holds more than {MAX_ENTRIES} "
                                f"entries (its end record says {declared.entries})"]
        archive = zipfile.ZipFile(path)
    except ZIP_ERRORS as error:
        return {}, [f"{path}: not a readable zip file ({error})"]
    problems: list[str] = []
    with archive:
        infos = archive.infolist()
        if not infos:
            return {}, [f"{path}: the zip holds no files (a SCORM package needs at least "
                        f"{MANIFEST_FILE})"]
        if len(infos) > MAX_ENTRIES:
            return {}, [f"{path}: the zip has {len(infos)} entries; the limit is {MAX_ENTRIES}"]
        junk = leading_bytes(infos)
        if junk and warnings is not None:
            warnings.append(f"{path}: {junk} bytes of data come before the first entry (a "
                            "self-extractor or something hidden); some LMSs refuse such zips")
        unpacked = sum(info.file_size for info in infos)
        if unpacked > MAX_UNPACKED_BYTES:
            problems.append(f"{path}: the entries claim to unpack to {unpacked} bytes; the limit "
                            f"is {MAX_UNPACKED_BYTES} (a damaged zip, or a zip bomb)")
        files: dict[str, bytes | None] = {}
        for info in infos:
            if info.filename in files:
                problems.append(f"{info.filename}: the zip holds this name twice")
            files[info.filename] = None
            kind = entry_kind_problem(info)
            if kind:
                problems.append(f"{info.filename}: {kind}")
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


def validate_zip(path: Path, warnings: list[str] | None = None) -> list[str]:
    """Every problem with a zip; things worth knowing that do not make it invalid go to
    warnings when a list is given."""
    found = validate_package(path)
    if warnings is not None:
        warnings.extend(found.warnings)
    return found.problems


def validate_package(path: Path) -> Validation:
    """Everything `elpack validate` says about one zip: its standard, problems and warnings."""
    warnings: list[str] = []
    files, problems = read_zip(path, warnings)
    if not files:
        return Validation(None, problems, warnings)
    found = examine_package(files)
    found.problems[:0] = problems
    found.warnings[:0] = warnings
    return found
