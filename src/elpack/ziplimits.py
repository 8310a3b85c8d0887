"""A zip's own records, read under limits before zipfile reads anything, as an unzipper sees them.

zipfile trusts the end record: it reads as many directory bytes as the record says and makes a
ZipInfo for every entry it finds there. A hostile zip can declare one entry in the plain end
record and 1.5 million in the zip64 record that zipfile (and most unzippers) prefer, so the
counts of both records are read here and the larger one is trusted, and the entry list itself is
walked (headers only) and counted, stopping one past the limit. Entries that are not regular
files or folders (symlinks, devices, pipes) are named from their Unix mode in external_attr,
which is what unzip uses to recreate them.
"""

from __future__ import annotations

import stat
import struct
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

END_RECORD = struct.Struct("<4s4H2LH")
ZIP64_LOCATOR = struct.Struct("<4sLQL")
ZIP64_END_RECORD = struct.Struct("<4sQ2H2L4Q")
DIRECTORY_ENTRY = struct.Struct("<4s4B4HL2L5H2L")
MAX_COMMENT = 0xFFFF


@dataclass(frozen=True)
class Directory:
    """Where a zip's entry list is and what its end records declare about it."""

    entries: int  # the larger of the counts the end records declare
    size: int  # bytes of the entry list, the larger declared
    start: int  # offset of the entry list in the file, as zipfile computes it


def declared_directory(stream: BinaryIO) -> Directory | None:
    """The entry list as the end records declare it, or None if there is no end record."""
    size = stream.seek(0, 2)
    start = max(0, size - END_RECORD.size - MAX_COMMENT)
    stream.seek(start)
    tail = stream.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < END_RECORD.size:
        return None
    *_, entries, directory_bytes, directory_offset, _ = END_RECORD.unpack_from(tail, at)
    end_at = start + at
    records_size = 0
    for record in _zip64_records(stream, end_at):
        *_, entries64, directory_bytes64, directory_offset64 = ZIP64_END_RECORD.unpack(record)
        entries = max(entries, entries64)
        directory_bytes = max(directory_bytes, directory_bytes64)
        directory_offset = directory_offset64
        records_size = ZIP64_END_RECORD.size + ZIP64_LOCATOR.size
    # zipfile's rule: whatever comes between the entries and the records is prepended data.
    concat = end_at - records_size - directory_bytes - directory_offset
    return Directory(entries, directory_bytes, directory_offset + concat)


def _zip64_records(stream: BinaryIO, end_at: int) -> list[bytes]:
    """The zip64 end records this zip has: the one right before the locator (where zipfile
    reads it) and the one the locator points to (where other unzippers read it)."""
    if end_at < ZIP64_LOCATOR.size:
        return []
    stream.seek(end_at - ZIP64_LOCATOR.size)
    locator = stream.read(ZIP64_LOCATOR.size)
    signature, _, pointed, _ = ZIP64_LOCATOR.unpack(locator)
    if signature != b"PK\x06\x07":
        return []
    records = []
    for offset in sorted({end_at - ZIP64_LOCATOR.size - ZIP64_END_RECORD.size, pointed}):
        if 0 <= offset <= end_at - ZIP64_END_RECORD.size:
            stream.seek(offset)
            record = stream.read(ZIP64_END_RECORD.size)
            if record.startswith(b"PK\x06\x06"):
                records.append(record)
    return records


def count_entries(stream: BinaryIO, directory: Directory, limit: int) -> int:
    """How many entries the entry list really holds, counting at most limit + 1 of them."""
    stream.seek(max(directory.start, 0))
    data = stream.read(directory.size)
    count = at = 0
    while count <= limit and at + DIRECTORY_ENTRY.size <= len(data):
        if data[at:at + 4] != b"PK\x01\x02":
            break
        name, extra, comment = struct.unpack_from("<3H", data, at + 28)
        at += DIRECTORY_ENTRY.size + name + extra + comment
        count += 1
    return count


def entry_kind_problem(info: zipfile.ZipInfo) -> str | None:
    """Why an entry is not a plain file or folder, from the Unix mode unzip would apply."""
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if kind in (0, stat.S_IFREG, stat.S_IFDIR):
        return None
    names = {stat.S_IFLNK: "a symbolic link", stat.S_IFCHR: "a character device",
             stat.S_IFBLK: "a block device", stat.S_IFIFO: "a named pipe",
             stat.S_IFSOCK: "a socket"}
    what = names.get(kind, f"not a regular file (mode {mode:o})")
    return (f"the entry is {what}, which an unzipper would recreate as such; a package holds "
            "only regular files")


def leading_bytes(infos: list[zipfile.ZipInfo]) -> int:
    """Bytes before the first entry (zipfile has already added any prepended data)."""
    return min((info.header_offset for info in infos), default=0)
