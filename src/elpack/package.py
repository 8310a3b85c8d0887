"""Deterministic zips, written atomically."""

from __future__ import annotations

import io
import os
import tempfile
import time
import zipfile
from pathlib import Path

# Zip timestamps cannot go before 1980; this is also the default when SOURCE_DATE_EPOCH is unset.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
COMPRESS_LEVEL = 6
# Already-compressed formats gain nothing from deflate; storing them keeps builds fast.
STORED_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".mp4", ".m4a", ".mp3", ".webm",
                   ".ogg", ".woff", ".woff2", ".zip", ".pdf")


def zip_timestamp() -> tuple[int, int, int, int, int, int]:
    """Fixed entry time: SOURCE_DATE_EPOCH when set (reproducible-builds.org), else 1980-01-01."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return ZIP_EPOCH
    moment = time.gmtime(max(int(epoch), 315532800))  # 315532800 = 1980-01-01T00:00:00Z
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


def write_atomic(target: Path, content: bytes) -> None:
    """Write via a temporary file in the same folder and rename it into place.

    A crash or kill at any moment leaves either the old file or the new one, never a mix, and
    the temporary file's name starts with '.' and ends with '.tmp' so it is easy to spot.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                         dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
