"""`elpack check`: link text, heading levels, long sentences and reading ease, each at its line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLE_MODULES, EXAMPLES, run_cli
from elpack.checks import (
    PageReadability,
    check_module,
    count_syllables,
    ease_label,
    read_page_source,
    split_sentences,
    text_units,
)
from elpack.errors import Problems
from elpack.module import load_module

FIXTURES = Path(__file__).parent / "fixtures" / "checks"


def _check(root: Path) -> tuple[Problems, list[PageReadability]]:
    """Load a module as build does and run the checks; the module must load without errors."""
    problems = Problems(root)
    module = load_module(root, problems)
    assert module is not None
    assert not problems.errors, [str(p) for p in problems.errors]
    return problems, check_module(module, problems)


def _warnings(problems: Problems) -> list[str]:
    return [f"{p.file}:{p.line}: {p.message}" for p in sorted(problems.warnings)]


# -- link text -------------------------------------------------------------------------------


def test_link_text_that_does_not_say_where_it_goes(module_factory):
    root = module_factory({"01-links.md": """
        # Links

        For the signs, [click here](https://www.nhs.uk/conditions/sepsis/).
        The trust has a leaflet: [Read
        More](https://sepsistrust.org/), or see [**Here**.](https://sepsistrust.org/).
        The NHS website is <https://www.nhs.uk/> and also [www.nhs.uk](https://www.nhs.uk/).
        Read the [NHS page on sepsis](https://www.nhs.uk/conditions/sepsis/) or email
        [education@example.nhs.uk](mailto:education@example.nhs.uk).
        A [[reflective practice]] term is not a link to check.

        `[here](https://example.org/)` is code.

        ```
        [click here](https://example.org/)
        ```
        """})
    problems, _ = _check(root)
    assert _warnings(problems) == [
        "sample/pages/01-links.md:3: the link text 'click here' does not say where the link goes",
        "sample/pages/01-links.md:4: the link text 'Read More' does not say where the link goes",
        "sample/pages/01-links.md:5: the link text '**Here**.' does not say where the link goes",
        "sample/pages/01-links.md:6: the link text is a web address (https://www.nhs.uk/)",
        "sample/pages/01-links.md:6: the link text is a web address (www.nhs.uk)",
    ]
    assert all(p.hint for p in problems.warnings)


def test_link_lines_count_from_the_file_start_after_front_matter(module_factory):
    root = module_factory({"01-welcome.md": """
        ---
        id: welcome
        ---
        # Welcome

        ::: tip
        More help is [here](https://www.nhs.uk/).
        :::
        """})
    problems, _ = _check(root)
    assert _warnings(problems) == [
        "sample/pages/01-welcome.md:7: the link text 'here' does not say where the link goes"]


def test_a_page_saved_with_a_byte_order_mark_is_read_as_the_parser_reads_it(module_factory):
    """Notepad's "UTF-8 with BOM": the front matter is still front matter, not learner text."""
    text = ("---\ntitle: Signs of sepsis\nbranch: false\n---\n"
            "Intro.\n\n### Too deep\n\nMore is [here](https://www.nhs.uk/).\n")
    root = module_factory({"01-plain.md": text, "02-bom.md": text})
    (root / "pages" / "02-bom.md").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    plain, bom = (read_page_source(root / "pages" / name) for name in ("01-plain.md", "02-bom.md"))
    assert [(e.number, e.text) for e in bom.lines] == [(e.number, e.text) for e in plain.lines]
    assert bom.lines[0].number == 5
    problems, readability = _check(root)
    assert [(r.words, r.sentences) for r in readability] == [(4, 2), (4, 2)]  # "Intro.", "More is here."
    warnings = _warnings(problems)
    for name in ("01-plain.md", "02-bom.md"):
        assert [w.split(":", 1)[1] for w in warnings if name in w] == [
            "7: the heading skips a level: it is level 3 but comes after the page title (level 1)",
            "9: the link text 'here' does not say where the link goes",
        ], warnings


# -- headings --------------------------------------------------------------------------------


def test_skipped_heading_levels(module_factory):
    root = module_factory({"01-headings.md": """
        # Headings

        ### Signs of sepsis

        Text.

        ::: key-point
        #### Act quickly
        Sepsis is an emergency.
        :::

        ### After the box

        ## In adults

        ### In older adults

        ```
        ###### A comment in code
        ```

        ##### Far too deep
        """})
    problems, _ = _check(root)
    assert _warnings(problems) == [
        "sample/pages/01-headings.md:3: the heading skips a level: it is level 3 but comes after "
        "the page title (level 1)",
        "sample/pages/01-headings.md:8: the heading skips a level: it is level 4 but comes after "
        "the title of the 'key-point' block on line 7 (level 2)",
        "sample/pages/01-headings.md:22: the heading skips a level: it is level 5 but comes after "
        "the heading on line 16 (level 3)",
    ]
    hints = [p.hint for p in sorted(problems.warnings)]
    assert hints[0].startswith("make it '## ...'")
    assert hints[2].startswith("make it '#### ...'")


def test_setext_headings_and_front_matter_titles(module_factory):
    root = module_factory({"01-setext.md": """
        ---
        title: Set in front matter
        ---
        Introduction.

        Signs
        -----

        #### Too deep

        Not a heading
        because this line is in the same paragraph
        ---
        """})
    problems, _ = _check(root)
    assert _warnings(problems) == [
        "sample/pages/01-setext.md:9: the heading skips a level: it is level 4 but comes after "
        "the heading on line 6 (level 2)",
    ]


def test_a_scene_title_is_a_heading_but_a_scene_without_one_is_not(module_factory):
    root = module_factory({"01-scenes.md": """
        # Scenes

        ::: scene {title="Thursday night"}
        Sam arrives.
        :::

        ### Fine after the scene title

        ::: scene
        No title.
        :::
        """, "02-other.md": """
        # Other

        ::: scene
        No title.
        :::

        ### Skipped
        """})
    problems, _ = _check(root)
    assert _warnings(problems) == [
        "sample/pages/02-other.md:7: the heading skips a level: it is level 3 but comes after "
        "the page title (level 1)",
    ]


# -- sentences -------------------------------------------------------------------------------


LONG_SENTENCE = ("When a person who has been unwell with an infection becomes suddenly confused, "
                 "breathless, very cold or mottled, or stops passing urine, they may have sepsis "
                 "and need urgent assessment by a clinician who can start treatment.")


def test_long_sentences_give_their_word_count_first_words_and_line(module_factory):
    # The long sentence starts on the second line of its paragraph, after a short one.
    wrapped = LONG_SENTENCE.replace(" becomes", "\nbecomes")
    root = module_factory({"01-long.md": f"""
        # Long

        Short sentences are easier to read.
        Sepsis is serious. {wrapped}

        ::: dialogue
        sam: Right. {LONG_SENTENCE}
        :::
        """.replace("\nbecomes", "\n        becomes")})
    problems, _ = _check(root)
    assert _warnings(problems) == [
        "sample/pages/01-long.md:4: this sentence has 37 words: 'When a person who has been "
        "unwell with ...'",
        "sample/pages/01-long.md:8: this sentence has 37 words: 'When a person who has been "
        "unwell with ...'",
    ]
    assert sorted(problems.warnings)[0].hint == ("split it into shorter sentences: aim for 15 "
                                                 "to 20 words, and at most 30")


def test_thirty_words_is_not_long_and_the_limit_can_be_changed(module_factory):
    thirty = " ".join(["word"] * 29) + " end."
    root = module_factory({"01-thirty.md": f"# Thirty\n\n{thirty}\n"})
    problems, _ = _check(root)
    assert problems.warnings == []
    module = load_module(root, Problems(root))
    stricter = Problems(root)
    check_module(module, stricter, long_sentence_words=20)
    assert _warnings(stricter) == [
        "sample/pages/01-thirty.md:3: this sentence has 30 words: 'word word word word word word "
        "word word ...'"]


def test_sentences_end_at_stops_before_capitals_not_at_abbreviations(tmp_path: Path):
    page = tmp_path / "01-page.md"
    page.write_text("# Page\n\nAsk e.g. about sleep. Then ask \"How are you?\" she said. "
                    "It costs 7.5 pounds!\nNext line\n\n- a list item\n- another item\n",
                    encoding="utf-8")
    sentences = [s for unit in text_units(read_page_source(page)) for s in split_sentences(unit)]
    assert [(s.line, s.words) for s in sentences] == [
        (3, ["Ask", "e.g", "about", "sleep"]),
        (3, ["Then", "ask", "How", "are", "you", "she", "said"]),
        (3, ["It", "costs", "7.5", "pounds"]),
        (4, ["Next", "line"]),
        (6, ["a", "list", "item"]),
        (7, ["another", "item"]),
    ]


def test_only_learner_facing_text_is_counted(tmp_path: Path):
    page = tmp_path / "01-page.md"
    page.write_text("""# Not counted: the title

Read the [NHS page](https://www.nhs.uk/a/very/long/address) now.[^1]
![A picture's alt text is not running text](media/x.svg)

## Not counted: headings

::: dialogue
sam: Hello there.
(Sam sits down.)
:::

::: question {#q-1}
Is it true?

- [x] Yes
  > Right.
Correct: Well done.
:::

::: choice {#c-1}
What now?

- Stay a while -> stay-page
- Leave -> leave-page
:::

| Setting | Example |
|---|---|
| Ambulance | Repeat callers |

```
not counted: code
```

[^1]: Not counted: a footnote.
*[NHS]: Not counted: an abbreviation

::: references
- Not counted. A reference list.
:::
""", encoding="utf-8")
    units = text_units(read_page_source(page))
    sentences = [" ".join(s.words) for unit in units for s in split_sentences(unit)]
    assert sentences == [
        "Read the NHS page now", "Hello there", "Sam sits down", "Is it true", "Yes", "Right",
        "Well done", "What now", "Stay a while", "Leave", "Setting", "Example", "Ambulance",
        "Repeat callers"]


# -- reading ease ----------------------------------------------------------------------------


@pytest.mark.parametrize(("word", "syllables"), [
    ("the", 1), ("cat", 1), ("happy", 2), ("table", 2), ("people", 2), ("make", 1), ("free", 1),
    ("makes", 1), ("jumped", 1), ("boxes", 2), ("places", 2), ("wanted", 2), ("media", 3),
    ("social", 2), ("action", 2), ("actual", 3), ("quality", 3), ("language", 2), ("patient", 2),
    ("usually", 4), ("frequent", 2), ("attendance", 3), ("reflects", 2), ("overlapping", 4),
    ("needs", 1), ("trauma-informed", 4), ("999", 1), ("Gibbs'", 1),
])
def test_syllable_rule_of_thumb(word: str, syllables: int):
    assert count_syllables(word) == syllables


def test_reading_ease_of_a_passage_counted_by_hand(module_factory):
    # 9 words, 2 sentences; syllables: the cat sat on the mat (6), it was (2), hap-py (2) = 10.
    # 206.835 - 1.015 * 9/2 - 84.6 * 10/9 = 108.2675
    root = module_factory({"01-easy.md": "# Easy\n\nThe cat sat on the mat. It was happy.\n"})
    _, [page] = _check(root)
    assert (page.page_id, page.words, page.sentences, page.syllables) == ("easy", 9, 2, 10)
    assert page.reading_ease == pytest.approx(108.2675)
    assert page.label == "very easy"


def test_a_hard_page_of_100_words_or_more_is_reported_at_its_title(module_factory):
    # fre-quent at-ten-dance u-su-al-ly re-flects o-ver-lap-ping needs: 16 syllables, 6 words.
    hard = "Frequent attendance usually reflects overlapping needs."
    short = module_factory({"01-short.md": f"# Short\n\n{hard}\n"}, name="short")
    problems, [page] = _check(short)
    assert (page.words, page.sentences, page.syllables) == (6, 1, 16)
    assert page.reading_ease == pytest.approx(206.835 - 1.015 * 6 - 84.6 * 16 / 6)
    assert problems.warnings == [], "fewer than 100 words: the score is shown, not warned about"

    long = module_factory({"01-long.md": "# Long\n\n" + " ".join([hard] * 17) + "\n"}, name="long")
    problems, [page] = _check(long)
    assert (page.words, page.sentences) == (102, 17)
    assert _warnings(problems) == [
        "long/pages/01-long.md:1: the page is hard to read: reading ease -25 (very difficult; "
        "6 words a sentence, 2.67 syllables a word)"]


@pytest.mark.parametrize(("score", "label"), [
    (100.0, "very easy"), (85.0, "easy"), (75.0, "fairly easy"), (65.0, "plain English"),
    (55.0, "fairly difficult"), (30.0, "difficult"), (29.9, "very difficult"),
    (-20.0, "very difficult"), (None, "no text"),
])
def test_reading_ease_labels(score: float | None, label: str):
    assert ease_label(score) == label


# -- a clean module and the command line -----------------------------------------------------


def test_a_clean_module_has_no_warnings():
    problems, pages = _check(FIXTURES / "clean")
    assert problems.items == []
    assert [p.page_id for p in pages] == ["spotting-sepsis"]


def test_check_reports_every_warning_with_file_line_and_fix(tmp_path: Path):
    shutil.copytree(FIXTURES / "all-problems", tmp_path / "all-problems")
    result = run_cli("check", tmp_path / "all-problems")
    assert result.exit_code == 0, "warnings alone do not fail the check"
    lines = result.output.splitlines()
    expected = (FIXTURES / "all-problems" / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert [line for line in lines if ": warning: " in line] == expected
    for index, line in enumerate(lines):
        if ": warning: " in line:
            assert lines[index + 1].startswith("    fix: "), line
    table = lines[lines.index("page           words  sentences  reading ease"):]
    assert table[1:5] == [
        "links             37          4     97  very easy",
        "headings          25          4     75  fairly easy",
        "long-sentence     53          3     63  plain English",
        "hard-reading     102         17    -25  very difficult",
    ]
    assert table[5] == (f"{tmp_path / 'all-problems'}: 0 errors, 7 warnings; reading ease 31 "
                        "(difficult) over 217 words")


def test_strict_fails_on_warnings(tmp_path: Path):
    shutil.copytree(FIXTURES / "all-problems", tmp_path / "all-problems")
    result = run_cli("check", "--strict", tmp_path / "all-problems", FIXTURES / "clean")
    assert result.exit_code == 1
    assert f"1 module failed the check (--strict): {tmp_path / 'all-problems'}" in result.output
    assert run_cli("check", "--strict", FIXTURES / "clean").exit_code == 0


def test_check_reports_build_errors_such_as_missing_alt_text(module_factory):
    root = module_factory({"01-picture.md": """
        # Picture

        Some text.

        ![](media/thermometer.svg)
        """}, extra={"media/thermometer.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"})
    result = run_cli("check", root)
    assert result.exit_code == 1
    assert ("sample/pages/01-picture.md:5: error: the image 'media/thermometer.svg' has no alt text"
            in result.output)
    assert "0 warnings" in result.output and "1 error," in result.output


def test_check_a_missing_folder(tmp_path: Path):
    result = run_cli("check", tmp_path / "nowhere")
    assert result.exit_code == 1
    assert f"{tmp_path / 'nowhere'}: error: no such module folder" in result.output


def test_the_example_modules_pass_the_check():
    result = run_cli("check", *(EXAMPLES[name] for name in EXAMPLE_MODULES))
    assert result.exit_code == 0, result.output
    for name in EXAMPLE_MODULES:
        assert f"{EXAMPLES[name]}: 0 errors, " in result.output
    assert ": error: " not in result.output
    # The examples are what writers copy: they pass with no warnings at all.
    warnings = [line for line in result.output.splitlines() if ": warning: " in line]
    assert warnings == []
