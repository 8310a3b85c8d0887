"""Translation files: XLIFF 2.0 (CAT tools such as Trados and memoQ) and gettext PO.

Both hold, per unit, its id, the English source, a note for the translator with the source's hash,
and the translation once there is one. Inline markup is XLIFF inline codes (``<pc>``, ``<ph>``,
the markup itself in ``<originalData>``) or, in PO, numbered placeholders (``<1>link</1>``,
``<2/>``). Writing is deterministic: the same units and translations give the same bytes.

Reading is bounded: a size limit, no DTD, no entities, no network (lxml), and every problem is
reported with the file and line.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from babel.messages import pofile
from babel.messages.catalog import Catalog
from lxml import etree

from .fragments import Close, Open, Piece, Standalone, Text
from .units import Unit, piece_text

XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
MAX_FILE_BYTES = 20 * 1024 * 1024
HASH_NOTE = "elpack-source-hash"
CONTEXT_NOTE = "elpack-context"
PREVIOUS_NOTE = "elpack-previous-translation"
PLACEHOLDER = re.compile(r"<(/?)(\d+)(/?)>")
# A fixed date in the PO header: the file changes only when its units do.
_PO_DATE = datetime(2000, 1, 1, tzinfo=UTC)


def _x(tag: str) -> str:
    return f"{{{XLIFF_NS}}}{tag}"


# What a translation file says about one unit. A target is a list of words and code references:
# ("open", id), ("close", id), ("ph", id).
Token = Text | tuple[str, str]


@dataclass
class FileUnit:
    id: str
    line: int
    source: str  # the English as written in the file, codes as placeholders
    hash: str | None
    target: list[Token] | None  # None: not translated
    problems: list[str] = field(default_factory=list)  # what is wrong with the unit as written


@dataclass
class TranslationFile:
    path: Path
    module_id: str | None
    source_language: str | None
    language: str | None
    units: dict[str, FileUnit]
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (line, message, hint)


class Unreadable(Exception):
    def __init__(self, line: int, message: str, hint: str) -> None:
        super().__init__(message)
        self.line, self.message, self.hint = line, message, hint


# Writing ---------------------------------------------------------------------------------


def write_xliff(units: list[Unit], module_id: str, source_language: str, language: str,
                previous: TranslationFile | None) -> bytes:
    root = etree.Element(_x("xliff"), nsmap={None: XLIFF_NS})  # type: ignore[dict-item]
    root.set("version", "2.0")
    root.set("srcLang", source_language)
    root.set("trgLang", language)
    file_element = etree.SubElement(root, _x("file"), id="f1", original=module_id)
    notes = etree.SubElement(file_element, _x("notes"))
    _note(notes, "elpack", f"Written by elpack translate extract for the module '{module_id}'. "
          "Translate the <source> of each unit into its <target>; keep every inline code.")
    for unit in units:
        element = etree.SubElement(file_element, _x("unit"), id=unit.id)
        unit_notes = etree.SubElement(element, _x("notes"))
        _note(unit_notes, CONTEXT_NOTE, unit.note)
        _note(unit_notes, HASH_NOTE, unit.hash)
        kept = _kept(unit, previous)
        if kept is None and previous is not None and unit.id in previous.units \
                and previous.units[unit.id].target:
            _note(unit_notes, PREVIOUS_NOTE, "The English changed since this was translated: "
                  + _token_text(previous.units[unit.id].target or []))
        codes = [p for p in unit.source if not isinstance(p, Text)]
        data_ids: dict[tuple[str, str], str] = {}
        if codes:
            original = etree.SubElement(element, _x("originalData"))
            for number, code in enumerate(codes, 1):
                data_ids[(type(code).__name__, code.id)] = f"d{number}"
                etree.SubElement(original, _x("data"), id=f"d{number}").text = code.markup
        segment = etree.SubElement(element, _x("segment"))
        segment.set("state", "translated" if kept else "initial")
        source = etree.SubElement(segment, _x("source"))
        source.set(XML_SPACE, "preserve")
        _inline(source, _tokens(unit.source), data_ids)
        if kept:
            target = etree.SubElement(segment, _x("target"))
            target.set(XML_SPACE, "preserve")
            _inline(target, kept, data_ids)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _note(parent: etree._Element, category: str, text: str) -> None:
    etree.SubElement(parent, _x("note"), category=category).text = text


def _kept(unit: Unit, previous: TranslationFile | None) -> list[Token] | None:
    """The translation already made of this unit's current English, if any."""
    if previous is None or unit.id not in previous.units:
        return None
    before = previous.units[unit.id]
    if before.target is None or before.problems or not _same_source(before, unit):
        return None
    return before.target


def _same_source(before: FileUnit, unit: Unit) -> bool:
    return before.hash == unit.hash if before.hash else before.source == unit.text


def _tokens(pieces: list[Piece]) -> list[Token]:
    tokens: list[Token] = []
    for piece in pieces:
        if isinstance(piece, Text):
            tokens.append(piece)
        elif isinstance(piece, Open):
            tokens.append(("open", piece.id))
        elif isinstance(piece, Close):
            tokens.append(("close", piece.id))
        else:
            tokens.append(("ph", piece.id))
    return tokens


def _token_text(tokens: list[Token]) -> str:
    out = []
    for token in tokens:
        if isinstance(token, Text):
            out.append(token.text)
        else:
            kind, code = token
            out.append({"open": f"<{code}>", "close": f"</{code}>", "ph": f"<{code}/>"}[kind])
    return "".join(out)


def _inline(parent: etree._Element, tokens: list[Token], data_ids: dict[tuple[str, str], str],
            ) -> None:
    """Words and codes into an XLIFF <source> or <target>: pairs as <pc>, the rest <ph>."""
    stack = [parent]
    last: etree._Element | None = None  # the element whose tail the next words go in
    for token in tokens:
        current = stack[-1]
        if isinstance(token, Text):
            if last is None:
                current.text = (current.text or "") + token.text
            else:
                last.tail = (last.tail or "") + token.text
            continue
        kind, code = token
        if kind == "open":
            element = etree.SubElement(current, _x("pc"), id=code,
                                       dataRefStart=data_ids[("Open", code)],
                                       dataRefEnd=data_ids[("Close", code)])
            stack.append(element)
            last = None
        elif kind == "close":
            last = stack.pop()
        else:
            last = etree.SubElement(current, _x("ph"), id=code, dataRef=data_ids[("Standalone", code)])


def write_po(units: list[Unit], module_id: str, language: str,
             previous: TranslationFile | None) -> bytes:
    catalogue = Catalog(locale=language.replace("-", "_"), project=module_id, version=None,
                        creation_date=_PO_DATE, revision_date=_PO_DATE,
                        msgid_bugs_address="", last_translator="", language_team="",
                        charset="utf-8", fuzzy=False,
                        header_comment=f"# The text of the elpack module '{module_id}', to "
                        f"translate into '{language}'.\n# Written by 'elpack translate extract'. "
                        "Keep every numbered code such as <1>...</1> or <2/>:\n# each stands "
                        "for a link, a glossary term or other markup, listed above its text.\n")
    for unit in units:
        kept = _kept(unit, previous)
        comments = [unit.note, f"{HASH_NOTE}: {unit.hash}"]
        comments += [f"{_token_text(_tokens([code]))} is {_shown(code.markup)}"
                     for code in unit.source if isinstance(code, Open | Standalone)]
        if kept is None and previous is not None and unit.id in previous.units \
                and previous.units[unit.id].target:
            comments.append("The English changed since this was translated: "
                            + _token_text(previous.units[unit.id].target or []))
        catalogue.add(unit.text, _token_text(kept) if kept else "", context=unit.id,
                      auto_comments=comments)
    out = io.BytesIO()
    pofile.write_po(out, catalogue, width=0, sort_output=False, include_previous=False)
    return out.getvalue()


# Reading ---------------------------------------------------------------------------------


def read_translation(path: Path) -> TranslationFile:
    """Read an XLIFF (.xlf, .xliff) or PO (.po) translation file; Unreadable if it cannot be."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise Unreadable(0, f"the file cannot be read ({error.strerror or error})",
                         "check that it exists and that you may read it") from None
    if size > MAX_FILE_BYTES:
        raise Unreadable(0, f"the file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}",
                         "check that this is the module's translation file")
    data = path.read_bytes()
    if path.suffix == ".po":
        return _read_po(path, data)
    return _read_xliff(path, data)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False, remove_blank_text=False)


def _read_xliff(path: Path, data: bytes) -> TranslationFile:
    try:
        tree = etree.parse(io.BytesIO(data), _parser())
    except etree.XMLSyntaxError as error:
        raise Unreadable(error.lineno or 0, f"the file is not well-formed XML: {error.msg}",
                         "fix the file in your translation tool, or extract it again") from None
    if tree.docinfo.doctype:  # type: ignore[union-attr]
        raise Unreadable(1, "the file has a document type declaration (<!DOCTYPE ...>)",
                         "XLIFF files have none: remove it")
    root = tree.getroot()
    if root.tag != _x("xliff"):
        raise Unreadable(_line(root), "this is not an XLIFF 2 file (its root element is "
                         f"<{etree.QName(root).localname}> in namespace "
                         f"'{etree.QName(root).namespace or ''}')",
                         f"elpack reads XLIFF 2.0 and 2.1 (namespace {XLIFF_NS})")
    file_element = root.find(_x("file"))
    result = TranslationFile(path, None if file_element is None else file_element.get("original"),
                             root.get("srcLang"), root.get("trgLang"), {})
    for unit in root.iter(_x("unit")):
        uid = unit.get("id") or ""
        line = _line(unit)
        segments = unit.findall(f"{_x('segment')}")
        if len(segments) != 1:
            result.problems.append((line, f"the unit '{uid}' has {len(segments)} segments",
                                    "join its segments into one (elpack writes one per unit)"))
            continue
        segment = segments[0]
        notes = {n.get("category"): n.text or "" for n in unit.iter(_x("note"))}
        source = segment.find(_x("source"))
        target = segment.find(_x("target"))
        problems: list[str] = []
        source_tokens = _xliff_tokens(source, problems) if source is not None else []
        target_tokens = _xliff_tokens(target, problems) if target is not None else None
        if target_tokens is not None and not _token_text(target_tokens).strip():
            target_tokens = None
        if uid in result.units:
            result.problems.append((line, f"the unit '{uid}' is in the file twice (first at line "
                                    f"{result.units[uid].line})", "remove one of them"))
            continue
        result.units[uid] = FileUnit(uid, line, _token_text(source_tokens), notes.get(HASH_NOTE),
                                     target_tokens, problems)
    return result


def _line(element: etree._Element) -> int:
    line = element.sourceline
    return line if isinstance(line, int) else 0


def _xliff_tokens(element: etree._Element, problems: list[str]) -> list[Token]:
    tokens: list[Token] = []

    def text(value: str | None) -> None:
        if value:
            tokens.append(Text(value))

    def walk(parent: etree._Element) -> None:
        text(parent.text)
        for child in parent:
            if not isinstance(child.tag, str):  # a comment or processing instruction
                text(child.tail)
                continue
            name = etree.QName(child).localname
            if etree.QName(child).namespace != XLIFF_NS:
                problems.append(f"it holds an element <{name}> that is not XLIFF")
            elif name == "pc":
                tokens.append(("open", child.get("id") or ""))
                walk(child)
                tokens.append(("close", child.get("id") or ""))
            elif name == "ph":
                tokens.append(("ph", child.get("id") or ""))
            elif name == "sc":
                tokens.append(("open", child.get("id") or ""))
            elif name == "ec":
                tokens.append(("close", child.get("startRef") or child.get("id") or ""))
            elif name == "mrk":  # an annotation a CAT tool added: its words count, not the mark
                walk(child)
            elif name == "cp":
                try:
                    tokens.append(Text(chr(int(child.get("hex") or "", 16))))
                except ValueError:
                    problems.append("it holds a <cp> with a hex value that is not a character")
            else:
                problems.append(f"it holds an element <{name}> that elpack does not read here")
            text(child.tail)

    walk(element)
    return tokens


def _read_po(path: Path, data: bytes) -> TranslationFile:
    try:
        catalogue = pofile.read_po(io.BytesIO(data), abort_invalid=True)
    except (pofile.PoFileError, UnicodeDecodeError, ValueError) as error:
        line = getattr(error, "lineno", 0) or 0
        raise Unreadable(line, f"the file is not a readable PO file: {error}",
                         "fix the file in your translation tool, or extract it again") from None
    language = str(catalogue.locale).replace("_", "-") if catalogue.locale else None
    result = TranslationFile(path, catalogue.project or None, None, language, {})
    for message in catalogue:
        if not message.id or message.context is None:
            continue
        uid = message.context
        line = message.lineno or 0
        hashes = [c.split(":", 1)[1].strip() for c in message.auto_comments
                  if c.startswith(HASH_NOTE + ":")]
        translated = message.string if isinstance(message.string, str) else ""
        target = _po_tokens(translated) if translated.strip() else None
        result.units[uid] = FileUnit(uid, line, str(message.id), hashes[0] if hashes else None,
                                     target)
    return result


def _po_tokens(text: str) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    for match in PLACEHOLDER.finditer(text):
        if match.start() > position:
            tokens.append(Text(text[position:match.start()]))
        closing, number, standalone = match.groups()
        tokens.append(("close" if closing else "ph" if standalone else "open", number))
        position = match.end()
    if position < len(text):
        tokens.append(Text(text[position:]))
    return tokens


def target_pieces(source: list[Piece], target: list[Token]) -> tuple[list[Piece], list[str]]:
    """The translated pieces, each code taken from the source by its id; and what is wrong: a
    code dropped, added, used twice, or opened and closed out of order."""
    by_key: dict[tuple[str, str], Piece] = {}
    for piece in source:
        if isinstance(piece, Open):
            by_key[("open", piece.id)] = piece
        elif isinstance(piece, Close):
            by_key[("close", piece.id)] = piece
        elif isinstance(piece, Standalone):
            by_key[("ph", piece.id)] = piece
    pieces: list[Piece] = []
    problems: list[str] = []
    seen: set[tuple[str, str]] = set()
    open_now: list[str] = []
    for token in target:
        if isinstance(token, Text):
            pieces.append(token)
            continue
        if token in seen:
            problems.append(f"the code {_describe(token, by_key)} is in the translation twice")
            continue
        seen.add(token)
        if token not in by_key:
            problems.append(f"the translation has a code the English has not ({_token_text([token])})")
            continue
        kind, code = token
        if kind == "open":
            open_now.append(code)
        elif kind == "close":
            if not open_now or open_now[-1] != code:
                problems.append(f"the code {_describe(token, by_key)} is closed before it is "
                                "opened, or across another code")
                continue
            open_now.pop()
        pieces.append(by_key[token])
    for key in by_key:
        if key not in seen:
            problems.append(f"the translation has lost {_describe(key, by_key)}")
    return pieces, list(dict.fromkeys(problems))


def _describe(key: tuple[str, str], by_key: dict[tuple[str, str], Piece]) -> str:
    piece = by_key.get(key)
    markup = piece.markup if isinstance(piece, Open | Close | Standalone) else ""
    what = "a link" if markup.startswith("<a ") else "markup"
    if 'class="term"' in markup:
        what = "a glossary term"
    if markup == "\n":
        return f"{_token_text([key])} (a line break)"
    return f"{_token_text([key])} ({what}: {markup})" if markup else _token_text([key])


def _shown(markup: str) -> str:
    """A code's markup as a translator reads it in a comment (a caption's line break is "\\n")."""
    return "a line break" if markup == "\n" else markup


__all__ = ["FileUnit", "TranslationFile", "Unreadable", "piece_text", "read_translation",
           "target_pieces", "write_po", "write_xliff"]
