"""Deterministic zips, written atomically."""

from __future__ import annotations

import contextlib
import io
import os
import re
import secrets
import time
import zipfile
from pathlib import Path

from .errors import ElpackError

# Zip timestamps cannot go before 1980; this is also the default when SOURCE_DATE_EPOCH is unset.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
FIRST_ZIP_SECOND = 315532800  # 1980-01-01T00:00:00Z, in seconds since 1970
# Zip files store the year in 7 bits from 1980: 2107 is the last year they can record.
LAST_ZIP_SECOND = 4354819199  # 2107-12-31T23:59:59Z
EPOCH_FIX = ("Set it to a time in seconds since 1970-01-01 UTC, as 'date +%s' prints it (for "
             "example SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)), or unset it to date every "
             "file 1980-01-01.")
COMPRESS_LEVEL = 6
# Already-compressed formats gain nothing from deflate; storing them keeps builds fast.
STORED_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".mp4", ".m4a", ".mp3", ".webm",
                   ".ogg", ".woff", ".woff2", ".zip", ".pdf")
# Temporary files of write_atomic: ".<target name>.tmp-<pid>-<random>".
TEMPORARY_MARK = ".tmp-"
TEMPORARY_NAME = re.compile(r"^\.(?P<target>.+)\.tmp-(?P<pid>\d+)-[0-9a-f]+$")
# Writing a package takes seconds at most; a temporary file this old is left over whatever its pid.
STALE_AFTER_SECONDS = 3600


def zip_timestamp() -> tuple[int, int, int, int, int, int]:
    """Fixed entry time: SOURCE_DATE_EPOCH when set (reproducible-builds.org), else 1980-01-01.

    A time before 1980, which zip files cannot record, is recorded as 1980-01-01. A value that
    is not a whole number of seconds, is negative, or is after 2107 (often milliseconds given for
    seconds) is refused with an ElpackError rather than quietly changed: the build is asked to be
    reproducible for a given time, and would not carry it.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return ZIP_EPOCH
    # ASCII digits only, as 'date +%s' prints them; int() would also take '1_000' or '+5'.
    if not re.fullmatch(r"-?[0-9]+", epoch):
        raise ElpackError(f"SOURCE_DATE_EPOCH is '{epoch}', not a whole number of seconds. "
                          + EPOCH_FIX)
    seconds = int(epoch)
    if seconds < 0:
        raise ElpackError(f"SOURCE_DATE_EPOCH is {epoch}, a time before 1970. " + EPOCH_FIX)
    if seconds > LAST_ZIP_SECOND:
        unit = (" It looks like milliseconds: divide it by 1000."
                if FIRST_ZIP_SECOND <= seconds // 1000 <= LAST_ZIP_SECOND else "")
        raise ElpackError(f"SOURCE_DATE_EPOCH is {epoch}, after 2107-12-31, the last date a zip "
                          f"file can record.{unit} " + EPOCH_FIX)
    moment = time.gmtime(max(seconds, FIRST_ZIP_SECOND))
    return (moment.tm_year, moment.tm_mon, moment.tm_mday, moment.tm_hour, moment.tm_min,
            moment.tm_sec - moment.tm_sec % 2)


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """The same files always give the same bytes: sorted names, fixed times and permissions."""
    stamp = zip_timestamp()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = 0o100644 << 16
            info.create_system = 3  # Unix, so the permissions above are read everywhere
            stored = name.lower().endswith(STORED_SUFFIXES)
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name], compresslevel=None if stored else COMPRESS_LEVEL)
    return buffer.getvalue()


def temporary_name(target_name: str) -> str:
    """Name of the temporary file a write of ``target_name`` goes through.

    It is hidden (leading '.'), says what it is for, and carries the writer's process id, so a
    later build can tell a file left by a killed writer from one still being written. The random
    part keeps two writers of the same target in one process (threads) apart.
    """
    return f".{target_name}{TEMPORARY_MARK}{os.getpid()}-{secrets.token_hex(4)}"


def write_atomic(target: Path, content: bytes) -> None:
    """Write via a temporary file in the same folder and rename it into place.

    A crash, an exception or a kill at any moment leaves either the old file or the new one,
    never a mix: the content is flushed to disk before the rename, and a rename within one folder
    is atomic. An exception removes the temporary file; a SIGKILL or power loss cannot, so
    :func:`remove_stale_temporaries` sweeps such leftovers at the start of the next build.
    """
    folder = target.parent
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / temporary_name(target.name)
    # O_EXCL: never write through a file or link that something else put under this name.
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     0o644)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    _sync_folder(folder)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable: without this, a power cut can bring the old file back."""
    if os.name != "posix":  # Windows cannot open folders; NTFS journals renames itself
        return
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:  # some file systems (and network shares) do not sync folders
        pass
    finally:
        os.close(handle)


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Delete the temporary files that killed writers left in ``folder``; returns them.

    A temporary file is stale when the process that made it is gone, or when it is older than
    any write could take (the process id may have been reused). Files of running writers, such
    as parallel builds into the same folder, are left alone.
    """
    try:
        entries = list(os.scandir(folder))
    except OSError:
        # Best effort: a folder that is missing, is a file, cannot be read or has too long a name
        # is reported, if at all, by the write that follows.
        return []
    removed = []
    now = time.time()
    for entry in entries:
        match = TEMPORARY_NAME.match(entry.name)
        if match is None or not entry.is_file(follow_symlinks=False):
            continue
        try:
            age = now - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue  # its writer finished or cleaned up meanwhile, or it cannot be read
        if age > STALE_AFTER_SECONDS or not process_exists(int(match["pid"])):
            with contextlib.suppress(OSError):  # gone meanwhile, or not ours to remove
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def process_exists(pid: int) -> bool:
    """Whether process ``pid`` runs (POSIX; elsewhere always True: it cannot be asked safely)."""
    if pid == os.getpid():
        return True
    if os.name != "posix":  # os.kill(pid, 0) would terminate the process on Windows
        return True  # so only the age rule applies there
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):  # gone, or no process id could be that large
        return False
    except OSError:  # EPERM: it exists but belongs to someone else
        return True
    return True
