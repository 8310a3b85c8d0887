"""A translator's tool, for the tests: fills every XLIFF <target> as a CAT tool does (used by
test_translation.py and the browser tests)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

from lxml import etree

NS = "urn:oasis:names:tc:xliff:document:2.0"


def _x(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def welsh_ish(text: str) -> str:
    """A stand-in translation that differs from the English in every word."""
    return "".join("ŵ" if c in "wW" else "ŷ" if c in "yY" else c.upper() for c in text)


def translate_like_a_cat_tool(path: Path, edit: Callable[[str], str] = welsh_ish,
                              keep: bool = False) -> None:
    """Fill every XLIFF <target> as a CAT tool does: the words changed, every code kept. With
    ``keep``, only the units without a target yet (those already translated stay)."""
    tree = etree.parse(str(path))
    for segment in tree.iter(_x("segment")):
        if keep and segment.find(_x("target")) is not None:
            continue
        source = segment.find(_x("source"))
        target = copy.deepcopy(source)
        target.tag = _x("target")
        for element in target.iter():
            if element.text:
                element.text = edit(element.text)
            if element is not target and element.tail:
                element.tail = edit(element.tail)
        source.addnext(target)
        segment.set("state", "translated")
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")


def untranslate_every_other_unit(path: Path) -> set[str]:
    """Take the translation out of every other unit of a translated XLIFF file, as if the
    translator had not got to them; the ids of those units."""
    tree = etree.parse(str(path))
    left: set[str] = set()
    for number, unit in enumerate(tree.iter(_x("unit"))):
        if number % 2:
            continue
        for segment in unit.iter(_x("segment")):
            target = segment.find(_x("target"))
            if target is not None:
                segment.remove(target)
            segment.set("state", "initial")
        left.add(unit.get("id"))
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    return left

