"""Benchmark: the translation round trip on the example modules, and what it costs a build.

    python bench/translation.py [--runs 3]

For each example module: its number of translation units, the time to extract them to XLIFF,
the size of the XLIFF and PO files, the in-process build time in English and in a stand-in
translation (every word changed, every code kept, as a CAT tool returns it), their ratio (a
shared machine changes single times, not ratios much), the two packages' sizes, whether two
translated builds give the same bytes, and the size of the bilingual package ('bilingual: true',
both languages in one SCO) against the two single-language packages together.
"""

from __future__ import annotations

import argparse
import copy
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from lxml import etree

from elpack.pipeline import BuildResult, build, build_all, load_checked_module
from elpack.translation.formats import write_po, write_xliff
from elpack.translation.units import extract

REPO = Path(__file__).resolve().parent.parent
# The example modules: on their own, and inside the repository's programmes.
MODULES = [*REPO.glob("modules/*/module.yml"), *REPO.glob("programmes/*/modules/*/module.yml")]
NS = "urn:oasis:names:tc:xliff:document:2.0"


def stand_in_translation(xliff: bytes) -> bytes:
    """Every <target> filled with the source's words in capitals, its codes kept."""
    root = etree.fromstring(xliff)
    for segment in root.iter(f"{{{NS}}}segment"):
        source = segment.find(f"{{{NS}}}source")
        target = copy.deepcopy(source)
        target.tag = f"{{{NS}}}target"
        for element in target.iter():
            if element.text:
                element.text = element.text.upper()
            if element is not target and element.tail:
                element.tail = element.tail.upper()
        source.addnext(target)
        segment.set("state", "translated")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def median_time(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _extract(root: Path) -> object:
    return extract(load_checked_module(root).module)


def _bilingual(root: Path) -> BuildResult:
    """The module built as one package in its own language and the stand-in Welsh."""
    config = root / "module.yml"
    language = load_checked_module(root).module.config.language
    text = "\n".join(line for line in config.read_text(encoding="utf-8").splitlines()
                     if not line.startswith("languages:"))
    config.write_text(f"{text}\nlanguages: [{language}, cy]\nbilingual: true\n", encoding="utf-8")
    return build_all(root, ["scorm12"])[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    print(f"{'module':32} {'units':>5} {'extract s':>9} {'xlf KB':>7} {'po KB':>6} "
          f"{'en s':>6} {'cy s':>6} {'cy/en':>6} {'en KB':>7} {'cy KB':>7} same bytes "
          f"{'bi KB':>7} {'bi/(en+cy)':>10}")
    for folder in sorted((config.parent for config in MODULES), key=lambda path: path.name):
        with tempfile.TemporaryDirectory() as work:
            # A module of a programme is copied with its programme, whose settings it inherits.
            programme = folder.parent.parent if folder.parent.name == "modules" and \
                (folder.parent.parent / "programme.yml").is_file() else None
            if programme is None:
                root = Path(work) / folder.name
                shutil.copytree(folder, root)
            else:
                shutil.copytree(programme, Path(work) / programme.name)
                root = Path(work) / programme.name / "modules" / folder.name
            module = load_checked_module(root).module
            config = module.config
            extract_time = median_time(runs, partial(_extract, root))
            units = extract(module)
            xliff = write_xliff(units, config.id, config.language, "cy", None)
            po = write_po(units, config.id, "cy", None)
            (root / "translations").mkdir()
            (root / "translations" / "cy.xlf").write_bytes(stand_in_translation(xliff))
            english_time = median_time(runs, partial(build, root))
            welsh_time = median_time(runs, partial(build, root, language="cy"))
            english, welsh = build(root), build(root, language="cy")
            same = welsh.package == build(root, language="cy").package
            bilingual = len(_bilingual(root).package)
            both = len(english.package) + len(welsh.package)
            print(f"{folder.name:32} {len(units):5d} {extract_time:9.2f} {len(xliff) / 1024:7.1f} "
                  f"{len(po) / 1024:6.1f} {english_time:6.2f} {welsh_time:6.2f} "
                  f"{welsh_time / english_time:6.2f} {len(english.package) / 1024:7.1f} "
                  f"{len(welsh.package) / 1024:7.1f} {same!s:10} {bilingual / 1024:7.1f} "
                  f"{bilingual / both:10.2f}")


if __name__ == "__main__":
    main()
