"""The docs' own examples (issue 17, item 8): every Markdown example in docs/ that is module
content builds, with the docs' own module.yml, without a warning; and the docs do not say the
same thing twice.

Each ```markdown block of a doc becomes a page of one module, in the docs' order, named as the
sentence before it names it (`pages/05-price-quick-exit.md`) or after its place in the doc, so
links and branches between examples resolve as they would in a real module. A block the doc
marks with `<!-- fragment -->` on the line before it shows part of a page ("...") and is left
out. module.yml is the doc's first ```yaml block, with the objectives of its later example.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from elpack.errors import BuildError
from elpack.pipeline import build

DOCS = REPO / "docs"
FENCE = re.compile(r"^```(markdown|yaml)\n(.*?)^```", re.S | re.M)
PAGE_FILE = re.compile(r"`pages/(\d\d-[a-z0-9-]+\.md)`")
# Docs whose examples show a mistake or a warning on purpose (checks.md lists the warnings of
# `elpack check`, each with an example that gives it).
SHOW_MISTAKES = {"checks.md"}
# Sentences this long said twice are a copy, not a coincidence.
REPEAT_LENGTH = 60


def examples(doc: Path) -> tuple[dict[str, str], list[str]]:
    """The pages the doc's Markdown examples make, by file name, and its YAML examples."""
    text = doc.read_text(encoding="utf-8")
    pages: dict[str, str] = {}
    yamls: list[str] = []
    for found in FENCE.finditer(text):
        before = text[:found.start()].rstrip("\n").split("\n")
        if found.group(1) == "yaml":
            yamls.append(found.group(2))
            continue
        if before[-1].strip() == "<!-- fragment -->":
            continue
        line = text.count("\n", 0, found.start()) + 2
        named = PAGE_FILE.findall("\n".join(before[-3:]))
        name = named[-1] if named and named[-1] not in pages else f"{len(pages) + 10:02d}-line-{line}.md"
        body = found.group(2)
        pages[name] = body if body.startswith(("#", "---")) else f"# Example from line {line}\n\n{body}"
    return pages, yamls


def module_from(doc: Path, folder: Path) -> Path:
    pages, yamls = examples(doc)
    config = yaml.safe_load(yamls[0])
    later = [yaml.safe_load(text) for text in yamls[1:]]
    config["objectives"] = next(
        (y["objectives"] for y in later if isinstance(y, dict) and "objectives" in y
         and any(isinstance(o, dict) for o in y["objectives"])), config["objectives"])
    root = folder / config["id"]
    (root / "pages").mkdir(parents=True)
    (root / "module.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    for name, text in pages.items():
        (root / "pages" / name).write_text(text, encoding="utf-8")
    # The media the examples name, as small stand-ins (the docs show no media files).
    for media in set(re.findall(r"media/[\w.-]+", "".join(pages.values()) + yamls[0])):
        path = root / media
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"WEBVTT\n\n00:00.000 --> 00:02.000\n<v Sam>Hello.\n"
                         if media.endswith(".vtt") else b"a stand-in for " + media.encode())
    return root


def test_the_authoring_guide_examples_build_without_warnings(tmp_path: Path):
    root = module_from(DOCS / "authoring.md", tmp_path)
    assert len(list((root / "pages").iterdir())) >= 30  # every example, not just a few
    try:
        problems = build(root).problems
    except BuildError as error:
        problems = error.problems
    assert [str(p) for p in problems] == []


def test_every_doc_with_module_examples_is_tested():
    with_examples = {doc.name for doc in DOCS.glob("*.md") if "```markdown" in doc.read_text()}
    assert with_examples - SHOW_MISTAKES == {"authoring.md"}


def sentences(text: str) -> list[str]:
    prose = FENCE.sub("", re.sub(r"^```.*?^```", "", text, flags=re.S | re.M))
    found = []
    for paragraph in re.split(r"\n\s*\n", prose):
        if paragraph.lstrip().startswith("|"):
            continue  # table rows repeat their column's words by design
        found += [s for s in re.split(r"(?<=[.!?])\s+", " ".join(paragraph.split()))
                  if len(s) >= REPEAT_LENGTH]
    return found


@pytest.mark.parametrize("extra", [[REPO / "README.md"]])
def test_the_docs_do_not_say_the_same_thing_twice(extra: list[Path]):
    where: dict[str, list[str]] = {}
    for doc in sorted(DOCS.glob("*.md")) + extra:
        for sentence in sentences(doc.read_text(encoding="utf-8")):
            where.setdefault(sentence, []).append(doc.name)
    repeated = {sentence: docs for sentence, docs in where.items() if len(docs) > 1}
    assert repeated == {}
