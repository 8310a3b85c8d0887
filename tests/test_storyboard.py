"""`elpack storyboard`: the reviewer document shows everything `elpack inspect --json` knows."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from copy import deepcopy as copy_of
from pathlib import Path

import lxml.etree
import lxml.html
import pytest

import elpack.browser as browser
import elpack.commands.storyboard as storyboard_command
from conftest import EXAMPLE_MODULES, EXAMPLES, MINIMAL_CONFIG, MODULES, run_cli
from elpack.config import load_config
from elpack.errors import Problems
from elpack.package import temporary_name

BROKEN = Path(__file__).parent / "broken"
CHROMIUM = Path("/usr/bin/chromium")


def normalised(text: str) -> str:
    return " ".join(text.split())


def text_of(html: str) -> str:
    """What a reader sees of a piece of rendered module HTML."""
    if not html.strip():
        return ""
    return normalised(lxml.html.fragment_fromstring(html, create_parent="div").text_content())


def shown_text(element: lxml.html.HtmlElement) -> str:
    """An element's text without the notes the storyboard adds (alt text, file names), so it
    can be compared with the module's own text."""
    copy = copy_of(element)
    for note in copy.find_class("added-note"):
        note.drop_tree()
    return normalised(copy.text_content())


class Rendered:
    """The storyboard of one example module, with the inspect JSON of the same module."""

    def __init__(self, html: str, model: dict) -> None:
        self.html = html
        self.model = model
        self.document = lxml.html.document_fromstring(html)

    def by_id(self, element_id: str) -> lxml.html.HtmlElement:
        found = self.document.xpath("//*[@id=$id]", id=element_id)
        assert len(found) == 1, f"exactly one element has the id {element_id!r}"
        return found[0]


@pytest.fixture(scope="module", params=EXAMPLE_MODULES)
def rendered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    module = request.param
    target = tmp_path_factory.mktemp("storyboard") / f"{module}.html"
    result = run_cli("storyboard", EXAMPLES[module], "-o", target)
    assert result.exit_code == 0, result.output
    assert str(target) in result.stdout
    inspected = run_cli("inspect", EXAMPLES[module], "--json")
    assert inspected.exit_code == 0, inspected.output
    return Rendered(target.read_text(encoding="utf-8"), json.loads(inspected.stdout))


def test_every_page_appears_in_order_with_its_id(rendered: Rendered):
    pages = rendered.model["pages"]
    sections = rendered.document.find_class("page")
    assert [s.get("id") for s in sections] == [f"page-{p['id']}" for p in pages]
    for page, section in zip(pages, sections, strict=True):
        page_id = section.find_class("page-id")[0]
        assert page["id"] in page_id.text_content()
        assert page["title"] in section.text_content()
        marked = "Branch page" in page_id.text_content()
        assert marked == page["branch"], page["id"]


def test_every_block_of_every_page_is_shown_in_full(rendered: Rendered):
    for page in rendered.model["pages"]:
        text = shown_text(rendered.by_id(f"page-{page['id']}"))
        for block in page["blocks"]:
            kind = block["kind"]
            expected: list[str] = []
            if kind in ("prose", "callout", "scene", "expert"):
                expected.append(text_of(block["html"]))
            if kind in ("callout", "scene", "expert"):
                expected.append(block["title"])
            if kind == "reflection":
                expected += [block["id"], text_of(block["prompt_html"])]
            if kind == "choice":
                expected += [block["id"], text_of(block["prompt_html"])]
                for option in block["options"]:
                    expected += [text_of(option["label_html"]), text_of(option["feedback_html"])]
                    expected.append(option["target"] or "")
            if kind == "media":
                expected += [block["src"], block["captions"] or "", text_of(block["transcript_html"])]
            for piece in expected:
                assert normalised(piece) in text, f"{page['id']} line {block['line']}: {piece!r}"


def test_dialogue_lines_name_the_speaker_and_role_on_every_line(rendered: Rendered):
    config = load_config(EXAMPLES[rendered.model["module"]["id"]], Problems(MODULES))
    assert config is not None
    characters = config.characters_by_id
    dialogues = [b for p in rendered.model["pages"] for b in p["blocks"] if b["kind"] == "dialogue"]
    tables = rendered.document.xpath("//table[contains(@class, 'dialogue')]")
    assert dialogues and len(tables) == len(dialogues)
    for dialogue, table in zip(dialogues, tables, strict=True):
        rows = table.xpath("./tbody/tr")
        assert len(rows) == len(dialogue["speeches"])
        for speech, row in zip(dialogue["speeches"], rows, strict=True):
            cells = [normalised(cell.text_content()) for cell in row.xpath("./th | ./td")]
            words = text_of(speech["html"])
            if speech["speaker"]:
                who = characters[speech["speaker"]]
                assert cells == [f"{who.name}, {who.role}", words]
            else:
                assert cells == [f"Stage direction: {words}"]


def test_pictures_are_embedded_with_their_alt_text(rendered: Rendered):
    images = rendered.document.xpath("//img")
    assert images, "both example modules have pictures"
    for image in images:
        assert image.get("src").startswith("data:image/svg+xml;base64,")
        assert image.get("alt")
    scenes = [b for p in rendered.model["pages"] for b in p["blocks"]
              if b["kind"] == "scene" and b["image"]]
    text = normalised(rendered.document.text_content())
    for scene in scenes:
        assert f"Alt text: {normalised(scene['alt'])}" in text


def test_every_question_shows_its_answers_and_all_feedback(rendered: Rendered):
    questions = rendered.model["questions"]
    assert len(rendered.document.find_class("question")) == len(questions)
    for question in questions:
        element = rendered.by_id(f"question-{question['id']}")
        text = shown_text(element)
        assert question["id"] in element.find_class("question-id")[0].text_content()
        assert text_of(question["prompt_html"]) in text
        for feedback in ("correct_html", "incorrect_html", "feedback_html"):
            assert text_of(question[feedback]) in text, (question["id"], feedback)
        options = question["options"]
        for option in options:
            assert text_of(option["feedback_html"]) in text, (question["id"], option["id"])
        # Right answers carry a class for the test and "✔" text for the reader (not colour alone).
        marked = [shown_text(o) for o in element.find_class("option-correct")]
        kind = question["type"]
        if kind == "likert":
            assert marked == [] and "✔" not in text and "No right answer" in text
        elif kind == "text":
            accepted = [a.text_content() for a in element.find_class("accepted-answer")]
            assert accepted == [o["text"] for o in options if o["correct"]]
            assert all(row.startswith("✔ Correct") for row in marked)
        elif kind == "matching":
            assert len(marked) == len(options)
            for row, option in zip(marked, options, strict=True):
                assert text_of(option["html"]) in row and f"✔ {option['partner']}" in row
        elif kind == "ordering":
            assert len(marked) == len(options) and "✔ Correct order" in text
            for step, (row, option) in enumerate(zip(marked, options, strict=True), 1):
                assert row.startswith(f"{step}. {text_of(option['html'])}")
        else:
            correct = [o for o in options if o["correct"]]
            assert len(marked) == len(correct)
            for row, option in zip(marked, correct, strict=True):
                assert f"{option['id']}. ✔ Correct {text_of(option['html'])}" in row
            wrong = [o for o in element.find_class("option") if "✘ Wrong" in o.text_content()]
            assert len(wrong) == len(options) - len(correct)


def test_the_whole_assessment_pool_and_its_settings_are_shown(rendered: Rendered):
    assessment = rendered.model["assessment"]
    section = rendered.by_id(f"assessment-{assessment['id']}")
    shown = [q.get("id") for q in section.find_class("question")]
    assert shown == [f"question-{q}" for q in assessment["pool"]]
    text = normalised(section.text_content())
    assert f"draws {assessment['draw']} of them" in text
    assert f"Pass mark: {assessment['pass_mark']}%" in text
    attempts = assessment["attempts"] if assessment["attempts"] is not None else "unlimited"
    assert f"Attempts: {attempts}" in text
    details = normalised(rendered.by_id("module-details").text_content())
    # the examples keep the default, 'show_correct_answers: after_pass'
    assert "Right answers in the results review: shown once the learner has passed" in details
    settings = rendered.model["module"]
    for value in (settings["title"], settings["id"], settings["version"], settings["language"],
                  settings["description"], *settings["audience"], ", ".join(settings["keywords"]),
                  f"{settings['duration_minutes']} minutes", f"{settings['pass_mark']}%",
                  f"draw {assessment['draw']} of {len(assessment['pool'])}"):
        assert normalised(value) in details
    objectives = [li.text_content() for li in rendered.by_id("objectives").xpath(".//li")]
    assert objectives == settings["objectives"]


def test_the_branch_map_lists_every_choice_target_and_every_return(rendered: Rendered):
    branch_map = rendered.by_id("branch-map")
    choices = [b for p in rendered.model["pages"] for b in p["blocks"] if b["kind"] == "choice"]
    assert choices, "both example modules branch"
    for choice in choices:
        for option in choice["options"]:
            rows = branch_map.xpath(".//tr[@data-choice=$c and @data-option=$o]",
                                    c=choice["id"], o=option["id"])
            assert len(rows) == 1
            target = normalised(rows[0].find_class("target")[0].text_content())
            assert target.startswith(f"→ {option['target']} ") if option["target"] \
                else target == "Stays on the page"
    for page in rendered.model["pages"]:
        if page["branch"]:
            row = branch_map.xpath(".//tr[@data-page=$p]", p=page["id"])[0]
            target = normalised(row.find_class("target")[0].text_content())
            assert target.startswith(f"→ {page['next']} ")


def test_the_storyboard_is_self_contained_and_has_a_sign_off_table(rendered: Rendered):
    document = rendered.document
    assert "<script" not in rendered.html.lower()
    assert not document.xpath("//script | //link | //iframe | //object | //embed")
    for element in document.xpath("//*[@src]"):
        assert element.get("src").startswith("data:"), element.tag
    for element in document.xpath("//*[@href]"):
        # Links to reference websites stay clickable; nothing else may point outside the file.
        if element.get("href").startswith(("http:", "https:")):
            assert element.tag == "a"
    assert "url(" not in rendered.html and "@import" not in rendered.html
    assert "size: A4" in rendered.html and "break-inside: avoid" in rendered.html
    sign_off = rendered.by_id("sign-off")
    headings = [th.text_content() for th in sign_off.xpath(".//thead//th")]
    assert headings == ["Role", "Name", "Signature", "Date", "Comments"]
    roles = [th.text_content() for th in sign_off.xpath(".//tbody/tr/th")]
    assert roles[:3] == ["Clinical reviewer", "Content writer", "Accessibility reviewer"]


def test_same_module_gives_identical_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    first = run_cli("storyboard", MODULES / "frequent-attenders")
    assert first.exit_code == 0, first.output
    default = tmp_path / "build" / "frequent-attenders-storyboard.html"
    copy = tmp_path / "elsewhere" / "copy.html"
    second = run_cli("storyboard", MODULES / "frequent-attenders", "-o", copy)
    assert second.exit_code == 0, second.output
    assert default.read_bytes() == copy.read_bytes()
    assert sorted(p.name for p in default.parent.iterdir()) == [default.name], "no temporary files"


def test_a_broken_module_reports_file_and_line_and_writes_nothing(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch):
    shutil.copytree(BROKEN / "duplicate-id", tmp_path / "modules" / "duplicate-id")
    monkeypatch.chdir(tmp_path)
    result = run_cli("storyboard", Path("modules") / "duplicate-id")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    expected = (BROKEN / "duplicate-id" / "expected.txt").read_text(encoding="utf-8").splitlines()
    reported = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert reported == expected
    assert result.stdout == ""
    assert not (tmp_path / "build").exists()


def test_pdf_without_a_browser_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(browser, "LINUX_BROWSERS", (str(tmp_path / "no-chromium"),))
    monkeypatch.delenv("ELPACK_BROWSER", raising=False)
    target = tmp_path / "out" / "storyboard.html"
    result = run_cli("storyboard", MODULES / "frequent-attenders", "-o", target, "--pdf")
    assert result.exit_code == 1
    assert "Chromium" in result.stderr and "apt-get install chromium" in result.stderr
    assert "ELPACK_BROWSER" in result.stderr
    assert "Traceback" not in result.output
    assert not target.parent.exists()


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")
def test_pdf_is_printed_beside_the_html(tmp_path: Path):
    target = tmp_path / "frequent-attenders-storyboard.html"
    result = run_cli("storyboard", MODULES / "frequent-attenders", "-o", target, "--pdf")
    assert result.exit_code == 0, result.output
    pdf = target.with_suffix(".pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([target.name, pdf.name])


def test_raw_html_media_and_file_links_stay_inside_the_storyboard(module_factory, tmp_path: Path):
    captions = "WEBVTT\n\nNOTE for the test\n\n1\n00:00.000 --> 00:02.500\n<v Sam>Evening, Mr Price.\n"
    root = module_factory({"01-page.md": """
        # Page

        Read the [leaflet](media/leaflet.pdf) or the [NHS page](https://www.nhs.uk/).

        <script>alert("hi")</script>
        <img src="https://example.com/tracker.png" alt="A tracker" onerror="alert(1)">

        ::: video {src="media/clip.mp4" captions="media/clip.vtt" title="Sam at the door"}
        Sam knocks and goes in.
        :::
        """}, extra={"media/clip.vtt": captions, "media/clip.mp4": "not really a video",
                     "media/leaflet.pdf": "%PDF-1.4"},
        # Raw HTML is refused by default; a module that trusts its HTML must still get a safe storyboard.
        config=MINIMAL_CONFIG + "    allow_raw_html: true\n")
    target = tmp_path / "sample.html"
    result = run_cli("storyboard", root, "-o", target)
    assert result.exit_code == 0, result.output
    html = target.read_text(encoding="utf-8")
    document = lxml.html.document_fromstring(html)
    assert "<script" not in html and "alert(" not in html
    assert not document.xpath("//img | //video | //*[@onerror]")
    text = normalised(document.text_content())
    # The package's sanitiser has already dropped the remote address (it would leave the package).
    assert "[Picture not shown in the storyboard: . Alt text: A tracker]" in text
    assert "example.com" not in html
    assert "leaflet [file: media/leaflet.pdf]" in text
    assert document.xpath("//a[@href='https://www.nhs.uk/']")
    assert "File: media/clip.mp4" in text and "Captions: media/clip.vtt" in text
    rows = document.xpath("//table[@class='captions']/tbody/tr")
    cues = [[cell.text_content() for cell in row] for row in rows]
    assert cues == [["00:00.000 – 00:02.500", "Sam: Evening, Mr Price."]]
    assert "Transcript: Sam knocks and goes in." in text


def test_no_link_attribute_with_a_script_scheme_survives(module_factory, tmp_path: Path):
    """SVG's <a> links through xlink:href, and <animate> can set href after the filter ran."""
    root = module_factory({"01-page.md": """
        # Page

        <svg><a xlink:href="javascript:alert(1)"><text>Open</text></a></svg>
        <svg><a XLINK:HREF=" javascript:alert(2)" href="https://www.nhs.uk/"><text>Both</text></a></svg>
        <svg><a><animate attributeName="href" values="javascript:alert(3)"/><text>Later</text></a></svg>
        <svg><image xlink:href="https://example.com/tracker.png"/></svg>
        <p><a href="http://[broken">A broken address</a> and <a href="#page-01-page">this page</a></p>
        <form action="javascript:alert(4)"><button formaction="javascript:alert(5)">Go</button></form>
        """}, config=MINIMAL_CONFIG + "    allow_raw_html: true\n")
    target = tmp_path / "sample.html"
    result = run_cli("storyboard", root, "-o", target)
    assert result.exit_code == 0, result.output
    document = lxml.html.document_fromstring(target.read_text(encoding="utf-8"))
    for element in document.iter(lxml.etree.Element):
        for name, value in element.attrib.items():
            if name.lower() in ("href", "src", "srcset", "action", "formaction") \
                    or name.lower().endswith(":href"):
                assert value.startswith(("#", "https:", "data:")), (element.tag, name, value)
            assert "javascript" not in value.lower(), (element.tag, name, value)
    assert not document.xpath("//animate | //set | //form")
    text = normalised(document.text_content())
    # The package's sanitiser (elpack.sanitise) has already removed the SVG and the broken
    # address; the storyboard's own filter stays as a second line.
    assert "A broken address" in text
    assert document.xpath("//a[@href='#page-01-page']")


def test_a_content_security_policy_stops_anything_the_filter_misses(rendered: Rendered):
    head = rendered.document.head
    metas = head.findall("meta")
    assert metas[0].get("charset") == "utf-8"
    # The second element of <head>: a policy only governs what comes after it.
    assert metas[1].get("http-equiv") == "Content-Security-Policy"
    assert metas[1].get("content") == "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def script_ran(page: Path, profile: Path) -> bool:
    """Whether a script in ``page`` ran when headless Chromium opened it."""
    result = subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
         "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120, check=False)
    assert "</html>" in result.stdout, result.stderr[-500:]
    return 'data-ran="yes"' in result.stdout


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")
def test_the_policy_blocks_a_script_in_a_real_browser(tmp_path: Path):
    target = tmp_path / "sb.html"
    assert run_cli("storyboard", MODULES / "frequent-attenders", "-o", target).exit_code == 0
    html = target.read_text(encoding="utf-8")
    script = "<script>document.body.setAttribute('data-ran', 'yes')</script></body>"
    with_policy, without_policy = tmp_path / "with-policy.html", tmp_path / "without-policy.html"
    with_policy.write_text(html.replace("</body>", script), encoding="utf-8")
    without_policy.write_text(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
                              .replace("</body>", script), encoding="utf-8")
    assert script_ran(without_policy, tmp_path / "profile"), "the test must see a script run"
    assert not script_ran(with_policy, tmp_path / "profile")


@pytest.mark.parametrize("output", ["afile/sb.html", "afile/deeper/sb.html"])
def test_an_output_path_through_a_file_is_a_clean_error(tmp_path: Path, output: str):
    (tmp_path / "afile").write_text("not a folder")
    result = run_cli("storyboard", MODULES / "frequent-attenders", "-o", tmp_path / output)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"cannot write {tmp_path / output}: {tmp_path / 'afile'} is a file, not a folder" \
        in result.stderr


def test_an_output_name_too_long_is_a_clean_error(tmp_path: Path):
    result = run_cli("storyboard", MODULES / "frequent-attenders", "-o", tmp_path / ("x" * 300) / "sb.html")
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "name too long" in result.stderr


def test_a_killed_pdf_run_leaves_nothing_the_next_run_does_not_sweep(tmp_path: Path):
    """The PDF goes through write_atomic's temporary files, which every run sweeps when their
    writer is gone, like `elpack build` does."""
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    browser = bin_folder / "chromium"
    browser.write_text("#!/bin/sh\nkill -9 $PPID\n")  # the storyboard run dies mid-print
    browser.chmod(0o755)
    out = tmp_path / "out"
    stale = out / temporary_name("sb.pdf")  # as left by an earlier run killed while writing
    stale.parent.mkdir()
    stale.write_bytes(b"%PDF-1.4 half")
    os.utime(stale, (0, 0))
    env = {**os.environ, "PATH": f"{bin_folder}{os.pathsep}{os.environ['PATH']}",
           "TMPDIR": str(tmp_path), "PYTHONPATH": str(Path(storyboard_command.__file__).parents[2])}
    command = [sys.executable, "-m", "elpack", "storyboard", str(MODULES / "frequent-attenders"),
               "-o", str(out / "sb.html"), "--pdf"]
    killed = subprocess.run(command, env=env, capture_output=True, timeout=120, check=False)
    assert killed.returncode == -9, killed.stderr
    result = run_cli("storyboard", MODULES / "frequent-attenders", "-o", out / "sb.html")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["sb.html"]


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")
def test_a_pdf_that_cannot_be_written_is_a_clean_error(tmp_path: Path):
    (tmp_path / "sb.pdf").mkdir()  # the PDF's name is taken by a folder
    result = run_cli("storyboard", MODULES / "frequent-attenders", "-o", tmp_path / "sb.html", "--pdf")
    assert result.exit_code == 1
    assert "Traceback" not in result.output and f"cannot write {tmp_path / 'sb.pdf'}" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sb.html", "sb.pdf"]
