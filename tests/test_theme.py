"""Themes: the stack (module theme/ folder, theme, parents), clear errors for unknown themes and
missing templates, style sheet order, the packaged logo, what the built-in templates render for
assistive technology, and the size budget of what every learner downloads."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from conftest import MINIMAL_CONFIG, MODULES, REPO, module_factory, run_cli, write_module  # noqa: F401
from elpack.errors import BuildError
from elpack.pipeline import build

WELCOME = {"01-welcome.md": "# Welcome\n\nHello.\n", "02-next.md": "# Next steps\n\nBye.\n"}
# The learner runtime plus the nhs theme's style sheets (plain's base.css and the nhs theme's
# components.css, built from nhsuk-frontend), which every learner downloads before the first
# page shows.
ASSET_BUDGET = 90 * 1024


def build_errors(root: Path) -> str:
    with pytest.raises(BuildError) as raised:
        build(root)
    return str(raised.value)


def index_html(root: Path) -> str:
    return build(root).files["index.html"].decode("utf-8")


def stylesheets(html: str) -> list[str]:
    return re.findall(r'<link rel="stylesheet" href="([^"]+)">', html)


def project_theme(project: Path, name: str, theme_yml: str, files: dict[str, str] | None = None) -> Path:
    """A theme in the project's themes/ folder (beside modules/)."""
    return write_module(project / "themes" / name, {"theme.yml": theme_yml, **(files or {})})


# -- unknown themes and missing templates --------------------------------------------------------


def test_an_unknown_theme_is_a_clear_error(module_factory, tmp_path):  # noqa: F811
    root = module_factory(WELCOME, MINIMAL_CONFIG + "    theme: nhs-blue\n")
    result = run_cli("build", root, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "sample/module.yml:" in result.stderr
    assert "error: there is no theme 'nhs-blue'" in result.stderr
    assert "fix: themes available: nhs, plain" in result.stderr
    assert not (tmp_path / "out").exists()


def test_an_unknown_parent_theme_is_reported_in_its_theme_yml(module_factory, tmp_path):  # noqa: F811
    root = module_factory(WELCOME, MINIMAL_CONFIG + "    theme: house\n")
    project_theme(root.parent.parent, "house", "name: House\nextends: trust\n")
    result = run_cli("build", root, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "house/theme.yml:2: error: there is no theme 'trust'" in result.stderr
    assert "fix: themes available: house, nhs, plain" in result.stderr


def test_themes_extending_each_other_in_a_circle_are_refused(module_factory):  # noqa: F811
    root = module_factory(WELCOME, MINIMAL_CONFIG + "    theme: one\n")
    project_theme(root.parent.parent, "one", "name: One\nextends: two\n")
    project_theme(root.parent.parent, "two", "name: Two\nextends: one\n")
    assert "extends itself in a circle" in build_errors(root)


def test_a_missing_template_is_a_clear_error(module_factory, tmp_path):  # noqa: F811
    root = module_factory(WELCOME, MINIMAL_CONFIG + "    theme: house\n")
    project_theme(root.parent.parent, "house", "name: House\nextends: nhs\n",
                  {"templates/header.html": '<header>{% include "logo.html" %}</header>\n'})
    result = run_cli("build", root, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "error: the theme 'house' has no template 'logo.html'" in result.stderr
    assert "fix: add it to the theme's templates/ folder, or extend a theme that has it" in result.stderr


def test_a_theme_without_a_page_template_is_a_clear_error(module_factory):  # noqa: F811
    root = module_factory(WELCOME, MINIMAL_CONFIG + "    theme: bare\n")
    project_theme(root.parent.parent, "bare", "name: Bare\n")  # extends nothing: no index.html
    assert "the theme 'bare' has no template 'index.html'" in build_errors(root)


# -- the stack: overrides and style sheet order --------------------------------------------------


def test_style_sheets_load_parent_first_then_theme_then_module(module_factory):  # noqa: F811
    root = module_factory(WELCOME, MINIMAL_CONFIG + "    theme: house\n",
                          extra={"theme/static/aa-module.css": "main { color: black; }\n"})
    project_theme(root.parent.parent, "house", "name: House\nextends: nhs\n",
                  {"static/a-house.css": ".header { background: #330072; }\n"})
    # Alphabetical order would be aa-module, a-house, base, nhs: the module's rules would lose.
    assert stylesheets(index_html(root)) == ["assets/base.css", "assets/components.css",
                                             "assets/a-house.css", "assets/aa-module.css"]


def test_a_module_can_replace_a_template_and_a_theme_style_sheet(module_factory):  # noqa: F811
    root = module_factory(WELCOME, extra={
        "theme/templates/header.html": '<header class="header"><p>Anytown NHS Trust</p></header>\n',
        "theme/static/components.css": "/* the module's own */\n",
    })
    built = build(root)
    html = built.files["index.html"].decode()
    assert '<header class="header"><p>Anytown NHS Trust</p></header>' in html
    assert built.files["assets/components.css"] == b"/* the module's own */\n"
    assert stylesheets(html) == ["assets/base.css", "assets/components.css"]


# -- the logo ---------------------------------------------------------------------------------------

LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="80" height="30"/>'


def test_a_logo_in_the_module_is_packaged_and_shown(module_factory):  # noqa: F811
    config = MINIMAL_CONFIG + ("    theme_options:\n      organisation: Anytown NHS Trust\n"
                               "      logo: media/logo.svg\n")
    root = module_factory(WELCOME, config, extra={"media/logo.svg": LOGO})
    built = build(root)
    assert built.files["media/logo.svg"] == LOGO.encode()
    html = built.files["index.html"].decode()
    assert ('<img class="logo nhsuk-header__organisation-logo" src="media/logo.svg" '
            'alt="Anytown NHS Trust">') in html


def test_a_logo_in_the_theme_folder_is_used_as_written(module_factory):  # noqa: F811
    config = MINIMAL_CONFIG + "    theme_options:\n      organisation: Anytown\n      logo: assets/logo.svg\n"
    root = module_factory(WELCOME, config, extra={"theme/static/logo.svg": LOGO})
    built = build(root)
    assert built.files["assets/logo.svg"] == LOGO.encode()
    assert 'src="assets/logo.svg"' in built.files["index.html"].decode()


@pytest.mark.parametrize(("logo", "message"), [
    ("media/missing.svg", "the logo 'media/missing.svg' does not exist"),
    ("../outside.svg", "the logo '../outside.svg' points outside the module folder"),
    ("https://example.org/logo.svg", "is a web address, not a file in the module"),
])
def test_a_logo_that_cannot_be_packaged_is_an_error(logo, message, module_factory, tmp_path):  # noqa: F811
    config = MINIMAL_CONFIG + f"    theme_options:\n      logo: {logo}\n"
    root = module_factory(WELCOME, config)
    (root.parent / "outside.svg").write_text(LOGO)
    result = run_cli("build", root, "-o", tmp_path / "out")
    assert result.exit_code == 1
    lines = (root / "module.yml").read_text().splitlines()
    line = next(number for number, text in enumerate(lines, 1) if "logo:" in text)
    assert f"sample/module.yml:{line}: error: " in result.stderr
    assert message in result.stderr


def test_a_theme_logo_that_is_not_a_static_file_is_an_error(module_factory):  # noqa: F811
    root = module_factory(WELCOME, MINIMAL_CONFIG + "    theme: house\n")
    project_theme(root.parent.parent, "house", "name: House\nextends: nhs\noptions:\n  logo: logo.svg\n")
    errors = build_errors(root)
    assert "house/theme.yml:4: error: the theme's logo 'logo.svg' is not one of its static files" in errors


def test_the_theming_guide_example_builds(module_factory):  # noqa: F811
    """docs/theming.md section 3: a trust theme with its own logo and colours."""
    guide = (REPO / "docs" / "theming.md").read_text(encoding="utf-8")
    section = guide.split("## 3. ")[1].split("## 4. ")[0]
    theme_yml = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    css = re.search(r"```css\n(.*?)```", section, re.S).group(1)
    assert len(theme_yml.splitlines()) + len(css.splitlines()) < 10
    root = module_factory(WELCOME, MINIMAL_CONFIG + "    theme: anytown\n")
    project_theme(root.parent.parent, "anytown", theme_yml, {"static/anytown.css": css,
                                                             "static/anytown-logo.svg": LOGO})
    built = build(root)
    html = built.files["index.html"].decode()
    assert ('<img class="logo nhsuk-header__organisation-logo" src="assets/anytown-logo.svg" '
            'alt="Anytown NHS Trust">') in html
    assert stylesheets(html) == ["assets/base.css", "assets/components.css", "assets/anytown.css"]
    assert built.files["assets/anytown.css"] == css.encode()


# -- what the templates render -----------------------------------------------------------------------

BLOCKS = """# Blocks

| Stage | What to ask |
|---|---|
| Description | What happened? |

::: warning {title="Familiarity is a clinical risk"}
Assess every attendance on its own merits.
:::

::: question {#q-formatted}
According to *Nowhere else to turn*, which is **most** likely?

- [x] Loneliness
- [ ] Boredom
:::

::: question {#q-long}
Read this first.

- The calls are at night.

What is most likely?

- [x] Loneliness
- [ ] Boredom
:::

::: audio {src="media/clip.mp3" captions="media/clip.vtt" title="Night calls"}
:::
"""
CAPTIONS = ("WEBVTT\n\n1\n00:00.000 --> 00:01.000\n<v Sam Okoro>Nights are\n\n"
            "00:01.000 --> 00:02.000\n<v Sam Okoro>the hardest.\n")


@pytest.fixture
def blocks_html(module_factory) -> str:  # noqa: F811
    root = module_factory({"01-welcome.md": "# Welcome\n\nHello.\n", "02-blocks.md": BLOCKS,
                           "03-end.md": "# The end\n\nBye.\n"},
                          extra={"media/clip.mp3": "not really audio", "media/clip.vtt": CAPTIONS})
    return index_html(root)


def test_a_one_paragraph_question_keeps_its_formatting_in_the_legend(blocks_html):
    assert ('<legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">According to '
            "<em>Nowhere else to turn</em>, which is <strong>most</strong> "
            "likely?</legend>") in blocks_html


def test_a_longer_question_text_follows_a_short_legend_and_describes_the_group(blocks_html):
    fieldset = re.search(r'<fieldset[^>]*id="q-long".*?</fieldset>', blocks_html, re.S).group(0)
    assert 'aria-describedby="q-long-prompt"' in fieldset
    assert ('<legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">'
            '<span class="question-label">Question</span></legend>') in fieldset
    assert re.search(r'<div class="question-prompt" id="q-long-prompt"><p>Read this first.</p>\s*<ul>',
                     fieldset)


def test_tables_scroll_sideways_in_a_labelled_focusable_region(blocks_html):
    assert ('<div class="table-scroll" role="region" tabindex="0" aria-label="Table: Stage, What to ask">'
            '<table class="nhsuk-table"><caption class="visually-hidden">Table: Stage, What to ask</caption>'
            ) in blocks_html


def test_callouts_are_labelled_by_their_heading(blocks_html):
    callout = re.search(r'<aside class="callout callout-warning nhsuk-card nhsuk-card--warning" '
                        r'aria-labelledby="([^"]+)">\s*<div class="callout-content nhsuk-card__content">\s*'
                        r'<h2 class="callout-title nhsuk-card__heading" id="([^"]+)">'
                        r'<span class="visually-hidden">Warning: </span>Familiarity', blocks_html)
    assert callout and callout.group(1) == callout.group(2)
    assert "aria-label=" not in re.sub(r'aria-label="(Contents|Page navigation|Progress through the module|'
                                       r'Table: [^"]*)"', "", blocks_html)


def test_previous_and_next_name_their_page_for_screen_readers(blocks_html):
    assert ('<a class="previous" href="#page-welcome" rel="prev">Previous'
            '<span class="visually-hidden">: Welcome</span></a>') in blocks_html
    assert ('<a class="next" href="#page-end" rel="next">Next'
            '<span class="visually-hidden">: The end</span></a>') in blocks_html


def test_audio_captions_are_shown_as_its_transcript(blocks_html):
    figure = re.search(r'<figure class="media media-audio">.*?</figure>', blocks_html, re.S).group(0)
    assert ('<figcaption id="media-blocks-29-title">Night calls</figcaption>'
            '<audio controls preload="metadata" src="media/clip.mp3" '
            'aria-labelledby="media-blocks-29-title"></audio>') in figure
    assert ('<details class="transcript nhsuk-details" open><summary class="nhsuk-details__summary">'
            '<span class="nhsuk-details__summary-text">Transcript</span></summary>'
            '<div class="transcript-text nhsuk-details__text">'
            "<p>Sam Okoro: Nights are the hardest.</p></div></details>") in figure


# -- size -------------------------------------------------------------------------------------------


def test_runtime_and_nhs_style_sheets_stay_within_the_budget(tmp_path):
    """Sizes are facts, not timings: what every learner downloads before the first page shows."""
    assert run_cli("build", MODULES / "frequent-attenders", "-o", tmp_path).exit_code == 0
    with zipfile.ZipFile(tmp_path / "frequent-attenders-scorm12.zip") as archive:
        sizes = {info.filename: info.file_size for info in archive.infolist()
                 if info.filename == "assets/elpack.js" or info.filename.endswith(".css")}
    assert set(sizes) == {"assets/elpack.js", "assets/base.css", "assets/components.css"}
    total = sum(sizes.values())
    assert total <= ASSET_BUDGET, f"{total} bytes is over the {ASSET_BUDGET} byte budget: {sizes}"


# -- the nhs theme on the NHS.UK design system ------------------------------------------------------

NHS_CSS = REPO / "src" / "elpack" / "themes" / "nhs" / "static" / "components.css"


def test_the_committed_nhs_style_sheet_equals_a_fresh_build(tmp_path):
    """themes/nhs/static/components.css is built from nhsuk-frontend (npm run build:nhs-css) and
    committed, so that installing elpack needs no npm; it must be exactly what the build makes
    from the pinned package and the current templates."""
    import os
    import shutil
    import subprocess
    node = shutil.which("node")
    if node is None or not (REPO / "node_modules" / "nhsuk-frontend").is_dir():
        if os.environ.get("CI"):
            pytest.fail("node and npm ci are needed to check the nhs theme's style sheet")
        pytest.skip("node or node_modules/nhsuk-frontend is missing (run npm ci)")
    fresh = tmp_path / "components.css"
    subprocess.run([node, str(REPO / "scripts" / "build-nhs-css.mjs"), str(fresh)], check=True,
                   cwd=REPO, capture_output=True, timeout=240)
    assert fresh.read_bytes() == NHS_CSS.read_bytes(), (
        "src/elpack/themes/nhs/static/components.css is out of date: run npm run build:nhs-css and commit it")


def test_the_nhs_style_sheet_loads_nothing_remote():
    css = NHS_CSS.read_text(encoding="utf-8")
    assert "nhsuk-frontend" in css.splitlines()[0]  # the licence notice
    assert "@font-face" not in css and "@import" not in css
    assert re.findall(r"url\(", css) == []
    # Frutiger where the learner's computer has it, else Arial, as the design system falls back
    assert "--font-body: Frutiger W01, arial, sans-serif" in css


def test_the_nhs_theme_uses_the_design_systems_components(module_factory):  # noqa: F811
    html = index_html(module_factory({"01-welcome.md": "# Welcome\n\nHello.\n", "02-blocks.md": BLOCKS,
                                      "03-end.md": "# The end\n\nBye.\n"},
                                     extra={"media/clip.mp3": "x", "media/clip.vtt": CAPTIONS}))
    css = NHS_CSS.read_text(encoding="utf-8")
    for name in ("nhsuk-button", "nhsuk-radios__input", "nhsuk-radios__label", "nhsuk-card--warning",
                 "nhsuk-details__summary", "nhsuk-table", "nhsuk-fieldset__legend"):
        assert f'{name}"' in html or f"{name} " in html, name
        assert f".{name}" in css, name
    # the CSS keeps only what is used: components elpack never renders are gone
    for unused in ("nhsuk-hero", "nhsuk-footer", "nhsuk-pagination", "nhsuk-date-input", "nhsuk-tag"):
        assert unused not in css, unused


@pytest.mark.parametrize("theme", ["nhs", "plain"])
def test_without_a_logo_the_header_names_the_organisation_in_plain_text(theme, module_factory):  # noqa: F811
    config = (MINIMAL_CONFIG + f"    theme: {theme}\n"
              "    theme_options:\n      organisation: Anytown NHS Trust\n")
    html = index_html(module_factory(WELCOME, config))
    header = re.search(r"<header.*?</header>", html, re.S).group(0)
    assert re.search(r'<span class="organisation[^"]*">Anytown NHS Trust</span>', header)
    assert "<svg" not in header and "<img" not in header


def test_the_nhs_theme_draws_no_logo_of_its_own(module_factory):  # noqa: F811
    header = re.search(r"<header.*?</header>", index_html(module_factory(WELCOME)), re.S).group(0)
    assert "<svg" not in header and "<img" not in header
    assert '<span class="organisation nhsuk-header__service-name">NHS</span>' in header
    base_css = REPO / "src" / "elpack" / "themes" / "plain" / "static" / "base.css"
    css = NHS_CSS.read_text(encoding="utf-8") + base_css.read_text(encoding="utf-8")
    assert "italic" not in re.search(r"\.organisation\{[^}]*\}", css).group(0)


def test_the_plain_theme_stays_neutral(module_factory):  # noqa: F811
    html = index_html(module_factory({"01-welcome.md": "# Welcome\n\nHello.\n", "02-blocks.md": BLOCKS,
                                      "03-end.md": "# The end\n\nBye.\n"},
                                     MINIMAL_CONFIG + "    theme: plain\n",
                                     extra={"media/clip.mp3": "x", "media/clip.vtt": CAPTIONS}))
    assert "nhsuk" not in html
    assert stylesheets(html) == ["assets/base.css", "assets/components.css"]
