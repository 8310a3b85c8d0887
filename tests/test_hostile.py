"""Hostile input: every case fails with a clear message (file:line, what, fix), or is harmless.

Paths that leave the module, YAML that tries to run code or exhaust memory, huge and oddly named
files, text that is not UTF-8, raw HTML that could run in the learner's browser, and zips built
to escape a folder or exhaust memory when validated. Cases that fit the corpus of broken modules
(with an expected.txt) live in tests/broken/: raw-html, unsafe-links, yaml-python-tag.
"""

from __future__ import annotations

import os
import struct
import textwrap
import time
import unicodedata
import zipfile
from pathlib import Path

import pytest

from conftest import MINIMAL_CONFIG, run_cli
from elpack.errors import BuildError, Problem
from elpack.pipeline import build
from elpack.validate import DOCTYPE_REFUSED, MAX_ENTRIES, MAX_MANIFEST_BYTES, validate_zip

MEGABYTE = 1024 * 1024
WELCOME = "# Welcome\n\nText.\n"
# The line of the first extra line config_with() adds to the test module.yml.
EXTRA_LINE = textwrap.dedent(MINIMAL_CONFIG).strip("\n").count("\n") + 2


def config_with(*lines: str) -> str:
    """The test module.yml with extra top-level lines, the first at line EXTRA_LINE."""
    return textwrap.dedent(MINIMAL_CONFIG).strip("\n") + "\n" + "".join(f"{line}\n" for line in lines)


def problems_of(root: Path) -> list[Problem]:
    with pytest.raises(BuildError) as raised:
        build(root)
    return raised.value.problems


def only_error(root: Path) -> Problem:
    errors = [p for p in problems_of(root) if p.severity == "error"]
    assert len(errors) == 1, "\n".join(map(str, errors))
    assert errors[0].hint, "every error says how to fix it"
    return errors[0]


def index_html(root: Path) -> str:
    return build(root).files["index.html"].decode("utf-8")


# -- paths -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("reference", "message"), [
    ("../../outside.png", "points outside the module folder"),
    ("../media/../../outside.png", "points outside the module folder"),
    ("/etc/passwd", "is an absolute path"),
    ("C:/Windows/win.ini", "is not a file in the module"),
    ("media\\picture.png", "uses backslashes"),
    ("media/" + "x" * 4200 + ".png", "cannot be read (File name too long)"),
])
def test_image_paths_out_of_the_module_are_refused(reference: str, message: str, module_factory,
                                                   tmp_path: Path):
    (tmp_path / "outside.png").write_bytes(b"a file that exists, outside the module")
    root = module_factory({"01-welcome.md": f"# Welcome\n\n![A picture](<{reference}>)\n"})
    problem = only_error(root)
    assert (problem.file, problem.line) == ("sample/pages/01-welcome.md", 3)
    assert problem.message == f"the image '{reference}' {message}"


@pytest.mark.parametrize("block", [
    '::: scene {image="/etc/passwd" alt="x"}\nText.\n:::',
    '::: video {src="../../outside.png"}\nTranscript.\n:::',
    '::: audio {src="javascript:alert(1)"}\nTranscript.\n:::',
    '::: audio {src="file:///etc/passwd"}\nTranscript.\n:::',
])
def test_block_file_attributes_out_of_the_module_are_refused(block: str, module_factory):
    root = module_factory({"01-welcome.md": f"# Welcome\n\n{block}\n"})
    problem = only_error(root)
    assert problem.line == 3
    assert any(words in problem.message for words in
               ("is an absolute path", "points outside the module folder",
                "is a web address, not a file in the module"))


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_links_to_files_outside_the_module_are_refused(module_factory, tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("# Secret\n\nNot part of any module.\n")
    root = module_factory({"01-welcome.md": "# Welcome\n\n![A picture](media/linked.png)\n\n"
                                            "[the leaflet](media/leaflet.pdf)\n"},
                          config=config_with())
    (root / "media").mkdir()
    (root / "media" / "linked.png").symlink_to(secret)
    (root / "media" / "leaflet.pdf").symlink_to(secret)
    (root / "pages" / "02-secret.md").symlink_to(secret)
    messages = {(p.file, p.line, p.message) for p in problems_of(root)}
    assert messages == {
        ("sample/pages/01-welcome.md", 3,
         "the image 'media/linked.png' is a link to a file outside the module folder"),
        ("sample/pages/01-welcome.md", 5,
         "the link 'media/leaflet.pdf' is a link to a file outside the module folder"),
        ("sample/pages/02-secret.md", 0,
         "the page file is a link to a file outside the module folder"),
    }


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_an_avatar_linked_from_outside_is_refused(module_factory, tmp_path: Path):
    (tmp_path / "face.svg").write_text("<svg/>")
    config = textwrap.dedent(MINIMAL_CONFIG).replace(
        "    role: Paramedic\n", "    role: Paramedic\n    avatar: media/face.svg\n", 1)
    root = module_factory({"01-welcome.md": WELCOME}, config=config)
    (root / "media").mkdir()
    (root / "media" / "face.svg").symlink_to(tmp_path / "face.svg")
    problem = only_error(root)
    assert (problem.file, problem.line) == ("sample/module.yml", 11)
    assert problem.message == "the avatar 'media/face.svg' is a link to a file outside the module folder"


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_theme_overrides_linked_from_outside_are_refused(module_factory, tmp_path: Path):
    outside = tmp_path / "outside"
    (outside / "templates").mkdir(parents=True)
    (outside / "templates" / "index.html").write_text("{{ 7 * 6 }} secrets")
    (outside / "notes.txt").write_text("private notes")
    root = module_factory({"01-welcome.md": WELCOME})
    (root / "theme" / "static").mkdir(parents=True)
    (root / "theme" / "static" / "notes.txt").symlink_to(outside / "notes.txt")
    (root / "theme" / "templates").symlink_to(outside / "templates")
    located = sorted((p.file, p.line, p.message) for p in problems_of(root))
    message = "this theme file is a link to a file outside the module folder"
    assert located == [("sample/theme/static/notes.txt", 0, message),
                       ("sample/theme/templates", 0, message)]


def test_a_project_theme_yml_that_is_not_utf8_is_named(module_factory, tmp_path: Path):
    (tmp_path / "themes" / "trust").mkdir(parents=True)
    (tmp_path / "themes" / "trust" / "theme.yml").write_bytes("name: Trust café\n".encode("latin-1"))
    root = module_factory({"01-welcome.md": WELCOME}, config=config_with("theme: trust"))
    problem = only_error(root)
    assert problem.file.endswith("themes/trust/theme.yml") and problem.line == 1
    assert problem.message.startswith("the file is not saved as UTF-8: line 1, column 16 has "
                                      "the byte 0xE9, which is probably 'é'")


@pytest.mark.parametrize(("link", "message"), [
    ("javascript:alert(document.cookie)", "links with 'javascript:' are not allowed"),
    ("JavaScript:alert(1)", "links with 'javascript:' are not allowed"),
    ("file:///etc/passwd", "links with 'file:' are not allowed"),
    ("data:text/html;base64,PHNjcmlwdD4=", "links with 'data:' are not allowed"),
    ("vbscript:msgbox", "links with 'vbscript:' are not allowed"),
    ("//example.org/page", "has no 'https:' at the start"),
])
def test_unsafe_links_are_refused(link: str, message: str, module_factory):
    root = module_factory({"01-welcome.md": f"# Welcome\n\nRead [this](<{link}>).\n"})
    problem = only_error(root)
    assert (problem.file, problem.line) == ("sample/pages/01-welcome.md", 3)
    assert message in problem.message


def test_reference_style_links_are_checked_too(module_factory):
    root = module_factory({"01-welcome.md": "# Welcome\n\nRead [this][x].\n\n"
                                            "[x]: javascript:alert(1)\n"})
    assert "links with 'javascript:' are not allowed" in only_error(root).message


# -- YAML --------------------------------------------------------------------------------------


def test_yaml_tags_never_construct_objects(module_factory, tmp_path: Path):
    marker = tmp_path / "pwned"
    config = config_with(f'keywords: !!python/object/apply:os.system ["touch {marker}"]')
    root = module_factory({"01-welcome.md": WELCOME}, config=config)
    problem = only_error(root)
    assert (problem.file, problem.line) == ("sample/module.yml", EXTRA_LINE)
    assert problem.message == ("YAML tags such as '!!python/object/apply:os.system' are not "
                               "supported")
    assert not marker.exists()


def test_yaml_tags_in_front_matter_are_refused(module_factory):
    root = module_factory({"01-welcome.md": "---\nid: !!python/name:os.system\n---\n# Welcome\n"})
    problem = only_error(root)
    assert (problem.file, problem.line) == ("sample/pages/01-welcome.md", 2)
    assert problem.message == "YAML tags such as '!!python/name:os.system' are not supported"


@pytest.mark.parametrize("value", ["!!int abc", "!!float nope", "!!bool maybe", "!!timestamp x",
                                   "!!binary x", "!!set {a}", "!custom x", "0x_"])
def test_yaml_values_that_crashed_pyyaml_are_reported(value: str, module_factory):
    root = module_factory({"01-welcome.md": WELCOME}, config=config_with(f"keywords: {value}"))
    problem = only_error(root)
    assert (problem.file, problem.line) == ("sample/module.yml", EXTRA_LINE)
    assert "not supported" in problem.message or "not valid YAML" in problem.message


def test_billion_laughs_is_refused_at_once(module_factory):
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    root = module_factory({"01-welcome.md": WELCOME}, config=config_with(*lines))
    started = time.monotonic()
    problem = only_error(root)
    assert time.monotonic() - started < 5
    assert (problem.line, problem.message) == (
        EXTRA_LINE, "YAML anchors and aliases (&name, *name) are not supported")


def test_deeply_nested_yaml_is_refused(module_factory):
    root = module_factory({"01-welcome.md": WELCOME},
                          config=config_with("keywords: " + "[" * 5000 + "]" * 5000))
    problem = only_error(root)
    assert problem.line == EXTRA_LINE
    assert problem.message == "the lists and mappings here are nested more than 20 levels deep"


def test_control_characters_in_yaml_are_located(module_factory):
    root = module_factory({"01-welcome.md": WELCOME}, config=config_with("keywords: [a\x07b]"))
    problem = only_error(root)
    assert problem.line == EXTRA_LINE
    assert problem.message == ("the text contains the invisible control character U+0007, which "
                               "YAML does not allow")


def test_a_date_like_version_stays_text(module_factory):
    config = textwrap.dedent(MINIMAL_CONFIG).replace('version: "1.0.0"', "version: 2026-11-21")
    root = module_factory({"01-welcome.md": WELCOME}, config=config)
    assert build(root).module.config.version == "2026-11-21"


@pytest.mark.parametrize(("line", "message"), [
    ("glossary: [a, b]", "'glossary' must be a mapping, not a list"),
    ("assessment: 3", "'assessment' must be a mapping, not a number"),
    ("theme_options: [logo]", "'theme_options' must be a mapping, not a list"),
])
def test_wrong_types_for_settings_are_reported_not_crashed_on(line: str, message: str,
                                                               module_factory):
    config = textwrap.dedent(MINIMAL_CONFIG).split("glossary:")[0] + line + "\n"
    root = module_factory({"01-welcome.md": WELCOME}, config=config)
    problems = problems_of(root)
    assert [p.message for p in problems if p.severity == "error"] == [message]


def test_an_empty_page_list_is_an_error(module_factory):
    root = module_factory({"01-welcome.md": WELCOME}, config=config_with("pages: []"))
    problem = only_error(root)
    assert (problem.file, problem.line, problem.message) == (
        "sample/module.yml", EXTRA_LINE, "'pages:' lists no pages")


def test_theme_options_with_number_keys_are_warned_about(module_factory):
    root = module_factory({"01-welcome.md": WELCOME},
                          config=config_with("theme_options:", "  1: a", "  2: b"))
    warnings = build(root).warnings
    assert [w.message for w in warnings] == ["the theme 'nhs' has no option '1'; it is ignored",
                                             "the theme 'nhs' has no option '2'; it is ignored"]


# -- huge files, encodings, odd names ----------------------------------------------------------


def sparse_file(path: Path, size: int) -> None:
    """A file of ``size`` bytes that takes no disk space (and no time) to make."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as stream:
        stream.truncate(size)


def test_media_over_the_default_limit_is_refused(module_factory):
    root = module_factory({"01-welcome.md": "# Welcome\n\n::: video {src=\"media/talk.mp4\"}\n"
                                            "A transcript.\n:::\n"})
    sparse_file(root / "media" / "talk.mp4", 51 * MEGABYTE)
    problem = only_error(root)
    assert (problem.file, problem.line) == ("sample/pages/01-welcome.md", 3)
    assert problem.message == "the video 'media/talk.mp4' is 51.0 MB, over the limit of 50 MB"
    assert "'max_media_mb' in module.yml" in problem.hint


def test_the_media_limit_is_set_in_module_yml(module_factory):
    page = "# Welcome\n\n![A chart](media/chart.png)\n"
    root = module_factory({"01-welcome.md": page}, config=config_with("max_media_mb: 1"))
    sparse_file(root / "media" / "chart.png", MEGABYTE + 1)
    problem = only_error(root)
    assert problem.message == "the image 'media/chart.png' is 1.0 MB, over the limit of 1 MB"
    (root / "module.yml").write_text(config_with("max_media_mb: 2"), encoding="utf-8")
    assert "media/chart.png" in build(root).files


def test_the_media_limit_applies_to_avatars(module_factory):
    config = textwrap.dedent(MINIMAL_CONFIG).replace(
        "    role: Paramedic\n", "    role: Paramedic\n    avatar: media/face.png\n", 1)
    root = module_factory({"01-welcome.md": WELCOME}, config=config + "max_media_mb: 1\n")
    sparse_file(root / "media" / "face.png", 3 * MEGABYTE)
    problem = only_error(root)
    assert (problem.file, problem.line, problem.message) == (
        "sample/module.yml", 11, "the avatar 'media/face.png' is 3.0 MB, over the limit of 1 MB")


@pytest.mark.parametrize(("value", "message"), [
    ("0", "'max_media_mb' must be at least 1, not 0"),
    ("lots", "'max_media_mb' must be a whole number, not text"),
])
def test_a_wrong_media_limit_is_reported(value: str, message: str, module_factory):
    root = module_factory({"01-welcome.md": WELCOME}, config=config_with(f"max_media_mb: {value}"))
    problem = problems_of(root)[0]  # (the schema gives bounds no fix: hint)
    assert (problem.line, problem.message) == (EXTRA_LINE, message)


def test_a_page_that_is_not_utf8_is_named(module_factory):
    root = module_factory({"01-welcome.md": WELCOME})
    (root / "pages" / "02-latin1.md").write_bytes("# Café\n\nCrème brûlée.\n".encode("latin-1"))
    problem = only_error(root)
    assert (problem.file, problem.line) == ("sample/pages/02-latin1.md", 1)
    assert problem.message == (
        "the file is not saved as UTF-8: line 1, column 6 has the byte 0xE9, which is probably "
        "'é' (and 3 more places like it). This usually means it was saved as Windows-1252 "
        "('ANSI')")
    assert "Notepad" in problem.hint and "Word" in problem.hint
    assert str(problem).startswith("sample/pages/02-latin1.md:1: error: the file is not saved")


def test_a_module_yml_that_is_not_utf8_is_named(module_factory):
    root = module_factory({"01-welcome.md": WELCOME})
    (root / "module.yml").write_bytes(textwrap.dedent(MINIMAL_CONFIG).replace(
        "Sample module", "Module de sécurité").encode("cp1252"))
    problem = only_error(root)
    assert (problem.file, problem.line) == ("sample/module.yml", 3)
    assert problem.message.startswith("the file is not saved as UTF-8: line 3, column 19 has "
                                      "the byte 0xE9, which is probably 'é'")


def test_a_byte_order_mark_does_not_hide_front_matter(module_factory):
    root = module_factory({"01-welcome.md": "\ufeff---\nid: start\n---\n# Welcome\n\nText.\n"})
    module = build(root).module
    assert [(p.id, p.title) for p in module.pages] == [("start", "Welcome")]


@pytest.mark.parametrize(("stored", "message"), [
    ("chart\x01.png", "contains a control character (U+0001)"),
    ("\u202egnp.exe", "contains an invisible formatting character (U+202E)"),
    ("a:b.png", "contains :, which Windows does not allow in file names"),
    ("chart?.png", "contains ?, which Windows does not allow in file names"),
    ("50%.png", "is a file name with %, which breaks web links"),
    ("chart#1.png", "is a file name with #, which breaks web links"),
    ("chart[1].png", "is a file name with [ ], which breaks web links"),
    ("shell.php", "is a server-side script or server configuration file, which LMSs reject"),
])
def test_odd_media_file_names_are_refused(stored: str, message: str, module_factory):
    root = module_factory({"01-welcome.md": "# Welcome\n\n"
                                            f'::: scene {{image="media/{stored}" alt="A chart"}}\n'
                                            "Text.\n:::\n"})
    (root / "media").mkdir()
    (root / "media" / stored).write_bytes(b"data")
    problem = only_error(root)
    assert (problem.line, problem.message) == (3, f"the image 'media/{stored}' {message}")


def test_spaces_and_accents_in_file_names_work(module_factory):
    root = module_factory({"01-welcome.md": "# Welcome\n\n![A café](<media/night café.png>)\n"})
    (root / "media").mkdir()
    (root / "media" / "night café.png").write_bytes(b"data")
    assert "media/night café.png" in build(root).files


@pytest.mark.parametrize(("stored", "written"), [
    (unicodedata.normalize("NFD", "café.png"), unicodedata.normalize("NFC", "café.png")),
    ("Ambulance.png", "ambulance.png"),
])
def test_a_name_that_only_looks_right_gets_a_hint(stored: str, written: str, module_factory):
    root = module_factory({"01-welcome.md": f"# Welcome\n\n![A picture](media/{written})\n"})
    (root / "media").mkdir()
    (root / "media" / stored).write_bytes(b"data")
    problem = only_error(root)
    assert problem.message == f"the image 'media/{written}' does not exist"
    assert problem.hint.startswith(f"the folder has '{stored}'")


# -- raw HTML ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("html", "message"), [
    ("<script>alert(1)</script>", "the HTML tag <script> is not allowed"),
    ("<SCRIPT SRC=https://example.org/x.js></SCRIPT>", "the HTML tag <script> is not allowed"),
    ('<iframe src="https://example.org"></iframe>', "the HTML tag <iframe> is not allowed"),
    ('<object data="media/x.swf"></object>', "the HTML tag <object> is not allowed"),
    ('<embed src="media/x.swf">', "the HTML tag <embed> is not allowed"),
    ("<style>body { display: none }</style>", "the HTML tag <style> is not allowed"),
    ('<svg onload="alert(1)"></svg>', "the HTML tag <svg> is not allowed"),
    ('<a href="javascript:alert(1)">click</a>', "the HTML tag <a> is not allowed"),
    ('<img src="media/x.png" alt="x">', "the HTML tag <img> is not allowed"),
    ('<div class="box">text</div>', "the HTML tag <div> is not allowed"),
    ('Text <b onmouseover="alert(1)">bold</b>', "the event handler 'onmouseover' in <b> is not allowed"),
    ('Text <span style="position:fixed">x</span>', "the attribute 'style' in <span> is not allowed"),
])
def test_raw_html_is_refused_by_default(html: str, message: str, module_factory):
    root = module_factory({"01-welcome.md": f"# Welcome\n\nFirst paragraph.\n\n{html}\n"})
    problems = problems_of(root)
    assert message in [problem.message for problem in problems]
    for problem in problems:
        assert (problem.file, problem.line) == ("sample/pages/01-welcome.md", 5)
        assert "allow_raw_html" in problem.hint or "scripts" in problem.hint


@pytest.mark.parametrize("markdown", [
    'Text\n{: onclick="alert(1)" }',
    '![A picture](media/picture.svg){: onerror="alert(1)" }',
    '```{ .python onclick="alert(1)" }\nprint("hi")\n```',
])
def test_event_handlers_from_attribute_lists_are_refused(markdown: str, module_factory):
    root = module_factory({"01-welcome.md": f"# Welcome\n\n{markdown}\n"},
                          extra={"media/picture.svg": "<svg/>"})
    problem = only_error(root)
    assert problem.line in (3, 4)
    assert problem.message.startswith("the event handler 'onclick' on <") or \
        problem.message.startswith("the event handler 'onerror' on <")


def test_raw_html_is_found_in_blocks_too(module_factory):
    root = module_factory({"01-welcome.md": "# Welcome\n\n::: dialogue\nsam: Hello <script>x</script>\n"
                                            ":::\n\n::: question {#q-1}\nPick one.\n\n"
                                            "- [x] Yes <iframe></iframe>\n- [ ] No\n:::\n"})
    located = [(p.line, p.message) for p in problems_of(root)]
    assert located == [(4, "the HTML tag <script> is not allowed"),
                       (10, "the HTML tag <iframe> is not allowed")]


def test_harmless_inline_html_and_code_stay(module_factory):
    page = ("# Welcome\n\nH<sub>2</sub>O and 10<sup>3</sup>, <abbr title=\"National Health "
            "Service\">NHS</abbr>,<br>\n<kbd>Ctrl</kbd>+<kbd>G</kbd> <!-- a note -->\n\n"
            "Write `<script>` in code, or:\n\n```html\n<script>alert(1)</script>\n```\n")
    html = index_html(module_factory({"01-welcome.md": page}))
    assert "H<sub>2</sub>O" in html and '<abbr title="National Health Service">NHS</abbr>' in html
    assert "<code>&lt;script&gt;</code>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_allow_raw_html_lets_trusted_html_through_without_scripts(module_factory):
    page = ('# Welcome\n\n<iframe src="https://www.youtube-nocookie.com/embed/x" '
            'title="A video"></iframe>\n\nText\n{: onclick="track()" }\n\n'
            '<div class="box" style="color: red">Boxed <script>alert(1)</script></div>\n')
    root = module_factory({"01-welcome.md": page}, config=config_with("allow_raw_html: true"))
    result = build(root)
    html = result.files["index.html"].decode()
    assert '<iframe src="https://www.youtube-nocookie.com/embed/x"' in html
    assert '<div class="box">Boxed </div>' in html
    assert "track()" not in html and "alert(1)" not in html and "color: red" not in html
    assert sorted((w.line, w.message) for w in result.warnings) == [
        (6, "the event handler 'onclick' on <p> is removed"),
        (8, "the HTML tag <script> is removed"),
        (8, "the attribute 'style' in <div> is removed"),
    ]


# -- elpack validate on hostile zips -----------------------------------------------------------




def write_zip(path: Path, files: dict[str, bytes],
              method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression=method) as archive:
        for name, data in files.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return path


def snapshot(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


def test_validate_never_writes_outside_or_inside_anything(good_files, tmp_path: Path, monkeypatch):
    hostile = {**good_files, "../../escaped.html": b"zip slip", "/tmp/escaped-absolute.html": b"x",
               "C:/escaped-drive.html": b"x", "media/../../escaped-dots.html": b"x"}
    package = write_zip(tmp_path / "hostile.zip", hostile)
    work = tmp_path / "work" / "deeper"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)

    def refuse(*args, **kwargs):
        raise AssertionError("validate must never extract")

    monkeypatch.setattr(zipfile.ZipFile, "extract", refuse)
    monkeypatch.setattr(zipfile.ZipFile, "extractall", refuse)
    before = snapshot(tmp_path)
    result = run_cli("validate", package)
    assert result.exit_code == 1
    for name in ["../../escaped.html", "media/../../escaped-dots.html"]:
        assert f"{name}: the file name contains '..' or '.'" in result.stdout
    for name in ["/tmp/escaped-absolute.html", "C:/escaped-drive.html"]:
        assert f"{name}: the file name is an absolute path" in result.stdout
    assert snapshot(tmp_path) == before, "nothing is written anywhere"
    assert not Path("/tmp/escaped-absolute.html").exists()


def test_a_manifest_that_claims_a_huge_size_is_not_read(good_files, tmp_path: Path):
    package = write_zip(tmp_path / "claims.zip", good_files)
    data = bytearray(package.read_bytes())
    # Patch the manifest's uncompressed size in the central directory to 4 GB.
    at = data.index(b"PK\x01\x02" + b"\x14\x03")
    while True:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46:at + 46 + name_length] == b"imsmanifest.xml":
            struct.pack_into("<L", data, at + 24, 0xFFFF_FFF0)
            break
        at = data.index(b"PK\x01\x02", at + 46)
    package.write_bytes(bytes(data))
    problems = validate_zip(package)
    assert f"imsmanifest.xml: {0xFFFF_FFF0} bytes; the limit is {MAX_MANIFEST_BYTES}" in problems
    assert any("claims to unpack" in p and "zip bomb" in p for p in problems)


def test_a_manifest_that_expands_beyond_the_limit_stops_at_the_limit(good_files, tmp_path: Path):
    bomb = b"<!-- " + b" " * (MAX_MANIFEST_BYTES + MEGABYTE) + b" -->"
    package = write_zip(tmp_path / "bomb.zip", {**good_files, "imsmanifest.xml": bomb})
    assert package.stat().st_size < 100_000, "a small zip..."
    with zipfile.ZipFile(package) as archive:  # ...whose header tells the truth: it is large
        assert archive.getinfo("imsmanifest.xml").file_size > MAX_MANIFEST_BYTES
    problems = validate_zip(package)
    assert problems == [f"imsmanifest.xml: {len(bomb)} bytes; the limit is {MAX_MANIFEST_BYTES}"]


def test_a_manifest_whose_header_lies_about_its_size_is_cut_off(good_files, tmp_path: Path):
    bomb = b"<!-- " + b" " * (MAX_MANIFEST_BYTES + MEGABYTE) + b" -->"
    package = write_zip(tmp_path / "liar.zip", {**good_files, "imsmanifest.xml": bomb})
    data = bytearray(package.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = -1
        while (at := data.find(signature, at + 1)) >= 0:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at:name_at + 15] == b"imsmanifest.xml":
                struct.pack_into("<L", data, at + offset, 1000)  # "only 1000 bytes"
    package.write_bytes(bytes(data))
    # zipfile never unpacks more than the header claims, then finds that the data does not
    # match its checksum: a message, and never more than 1000 bytes in memory.
    assert validate_zip(package) == [
        "imsmanifest.xml: cannot be read from the zip (Bad CRC-32 for file 'imsmanifest.xml')"]


def test_entry_counts_are_checked_before_the_entry_list_is_read(good_files, tmp_path: Path):
    package = write_zip(tmp_path / "many.zip", good_files)
    data = bytearray(package.read_bytes())
    end = data.rindex(b"PK\x05\x06")
    struct.pack_into("<HH", data, end + 8, 0xFFFE, 0xFFFE)  # claims 65534 entries
    package.write_bytes(bytes(data))
    assert validate_zip(package) == [
        f"{package}: the zip declares 65534 entries; the limit is {MAX_ENTRIES}"]


def test_too_many_real_entries_are_refused(tmp_path: Path):
    package = tmp_path / "swarm.zip"
    with zipfile.ZipFile(package, "w") as archive:
        for index in range(MAX_ENTRIES + 1):
            archive.writestr(f"f{index}", b"")
    started = time.monotonic()
    assert validate_zip(package) == [
        f"{package}: the zip declares {MAX_ENTRIES + 1} entries; the limit is {MAX_ENTRIES}"]
    assert time.monotonic() - started < 2


def test_entries_that_claim_to_unpack_to_terabytes_are_reported(good_files, tmp_path: Path):
    package = write_zip(tmp_path / "claims.zip", {**good_files, "media/a.bin": b"x",
                                                   "media/b.bin": b"y"})
    data = bytearray(package.read_bytes())
    for name in (b"media/a.bin", b"media/b.bin"):
        at = data.index(b"PK\x01\x02" + bytes(24)[:0])
        while data[at + 46:at + 46 + len(name)] != name:
            at = data.index(b"PK\x01\x02", at + 4)
        struct.pack_into("<L", data, at + 24, 0xFFFF_FFFE)
    package.write_bytes(bytes(data))
    problems = validate_zip(package)
    assert any("the entries claim to unpack to" in p and "zip bomb" in p for p in problems)
    assert any(p.startswith("media/a.bin: claims to unpack 3 bytes into") for p in problems)


@pytest.mark.parametrize(("offset", "value", "words"), [
    (6, 64, "zip file version"),                     # 'version needed' 6.4 (central directory)
    (10, 99, "compression method"),                  # AES, which zipfile cannot read
])
def test_unreadable_zips_are_reported_not_crashed_on(offset: int, value: int, words: str,
                                                     good_files, tmp_path: Path):
    package = write_zip(tmp_path / "odd.zip", good_files)
    data = bytearray(package.read_bytes())
    at = -1
    while (at := data.find(b"PK\x01\x02", at + 1)) >= 0:
        if data[at + 46:at + 61] == b"imsmanifest.xml":
            struct.pack_into("<H", data, at + offset, value)
    package.write_bytes(bytes(data))
    problems = validate_zip(package)
    assert problems and all(isinstance(p, str) for p in problems)
    assert any(words in p for p in problems), problems


def test_a_corrupt_manifest_stream_is_reported(good_files, tmp_path: Path):
    package = write_zip(tmp_path / "crc.zip", good_files, method=zipfile.ZIP_STORED)
    data = bytearray(package.read_bytes())
    at = data.index(b"<manifest")
    data[at + 1:at + 2] = b"M"  # the stored bytes no longer match their CRC
    package.write_bytes(bytes(data))
    problems = validate_zip(package)
    assert any(p.startswith("imsmanifest.xml: cannot be read from the zip") for p in problems)


def test_names_that_differ_only_by_unicode_form_clash(good_files, tmp_path: Path):
    nfc, nfd = unicodedata.normalize("NFC", "café.png"), unicodedata.normalize("NFD", "café.png")
    package = write_zip(tmp_path / "forms.zip", {**good_files, f"media/{nfc}": b"1",
                                                 f"media/{nfd}": b"2"})
    result = run_cli("validate", package)
    assert result.exit_code == 1
    assert "names differ only by case or Unicode form" in result.stdout


def test_xml_entity_tricks_in_the_manifest_are_refused(good_files, tmp_path: Path):
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    manifests = {
        "laughs": f'<?xml version="1.0"?><!DOCTYPE manifest [<!ENTITY l0 "lol">{laughs}]>'
                  "<manifest>&l9;</manifest>",
        "external": '<?xml version="1.0"?><!DOCTYPE manifest [<!ENTITY x SYSTEM '
                    '"file:///etc/passwd">]><manifest>&x;</manifest>',
    }
    started = time.monotonic()
    laughs_problems = validate_zip(write_zip(tmp_path / "laughs.zip", {
        **good_files, "imsmanifest.xml": manifests["laughs"].encode()}))
    external_problems = validate_zip(write_zip(tmp_path / "external.zip", {
        **good_files, "imsmanifest.xml": manifests["external"].encode()}))
    assert time.monotonic() - started < 5
    refused = f"imsmanifest.xml: {DOCTYPE_REFUSED}"
    assert laughs_problems == [refused]
    assert external_problems == [refused]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_validate_does_not_wait_on_a_pipe(tmp_path: Path):
    pipe = tmp_path / "package.zip"
    os.mkfifo(pipe)
    assert validate_zip(pipe) == [f"{pipe}: not a regular file"]


def test_a_media_file_deleted_during_the_build_is_a_clean_error(module_factory, monkeypatch):
    root = module_factory({"01-welcome.md": "# Welcome\n\nRead [the leaflet](media/leaflet.pdf).\n"},
                          extra={"media/leaflet.pdf": "%PDF-1.4 a leaflet"})
    out = root.parent / "out"
    assert run_cli("build", root, "-o", out, "-j1").exit_code == 0
    package = out / "sample-scorm12.zip"
    earlier = package.read_bytes()
    from elpack import pipeline

    render_files = pipeline.render_package_files

    def deleted_after_reading(*args, **kwargs):  # the pages were read; now the file goes
        (root / "media" / "leaflet.pdf").unlink()
        return render_files(*args, **kwargs)

    monkeypatch.setattr(pipeline, "render_package_files", deleted_after_reading)
    result = run_cli("build", root, "-o", out, "-j1")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert ("sample/media/leaflet.pdf: error: the file could not be read while the package was "
            "built (No such file or directory)") in result.output
    assert package.read_bytes() == earlier
