"""Reading writers' text files as UTF-8, and explaining files that are not.

Files saved by Notepad as "ANSI", or by Word as plain text, are Windows-1252: their curly quotes,
dashes and pound signs are single bytes that are not UTF-8. The writer needs to know where
(line and column), what (the bytes and the character they most likely were), and how to save
the file again in their editor.
"""

from __future__ import annotations

from pathlib import Path

SAVE_AS_UTF8 = ("save the file as UTF-8: in Notepad, choose File > Save As, set Encoding to "
                "'UTF-8' and save; in Word, choose File > Save As, pick 'Plain Text (*.txt)', "
                "then 'Other encoding: Unicode (UTF-8)' in the box that follows, and keep the "
                "file's name")
REPLACEMENT = "\ufffd".encode()
NAMED = {"\u2018": "a curly opening quote", "\u2019": "a curly apostrophe",
         "\u201c": "a curly opening double quote", "\u201d": "a curly closing double quote",
         "\u2013": "an en dash", "\u2014": "an em dash", "\u2026": "an ellipsis",
         "\u00a3": "a pound sign", "\u20ac": "a euro sign", "\u00a0": "a non-breaking space"}


class NotUtf8(Exception):
    """A text file that is not UTF-8, with the first place that shows it."""

    def __init__(self, line: int, column: int, message: str, hint: str = SAVE_AS_UTF8) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message
        self.hint = hint


def decode_utf8(data: bytes) -> str:
    """``data`` as text (a UTF-8 byte order mark is dropped); :class:`NotUtf8` if it is not."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise explain_not_utf8(data, error) from None


def read_utf8(path: Path) -> str:
    """A text file as :func:`decode_utf8` reads it; OSError as ``Path.read_bytes``."""
    return decode_utf8(path.read_bytes())


def explain_not_utf8(data: bytes, error: UnicodeDecodeError) -> NotUtf8:
    start = error.start
    before = data[:start]
    line = before.count(b"\n") + 1
    column = len(before[before.rfind(b"\n") + 1:].decode("utf-8-sig", errors="replace")) + 1
    bad = data[start:max(error.end, start + 1)]
    shown = " ".join(f"0x{byte:02X}" for byte in bad)
    try:
        guess = bad[:1].decode("cp1252")
    except UnicodeDecodeError:  # the five bytes Windows-1252 leaves unused
        guess = bad[:1].decode("latin-1")
    if guess in NAMED:
        probably = f", which is probably {NAMED[guess]} ({guess})"
    elif guess.isprintable():
        probably = f", which is probably '{guess}'"
    else:
        probably = ""
    rest = data[error.end:]
    others = rest.decode("utf-8", errors="replace").count("\ufffd") - rest.count(REPLACEMENT)
    more = f" (and {others} more place{'' if others == 1 else 's'} like it)" if others else ""
    return NotUtf8(line, column, f"the file is not saved as UTF-8: line {line}, column {column} "
                   f"has the byte{'s' if len(bad) > 1 else ''} {shown}{probably}{more}. This "
                   "usually means it was saved as Windows-1252 ('ANSI')")

