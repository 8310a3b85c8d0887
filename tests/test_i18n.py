"""Interface strings come from complete catalogues, one per language, with CLDR plurals (issue 15)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.plurals import get_plural

from elpack.i18n import (
    available_languages,
    babel_locale,
    catalogue_language,
    interface_messages,
    messages_for,
    read_catalogue,
)

LOCALE = Path(__file__).resolve().parent.parent / "src" / "elpack" / "locale"


def test_elpack_ships_english_and_welsh():
    assert available_languages() == ("cy", "en-GB")
    assert catalogue_language("en") == "en-GB" and catalogue_language("EN-gb") == "en-GB"
    assert catalogue_language("cy-GB") == "cy" and catalogue_language("fr") is None


@pytest.mark.parametrize("language", ["cy", "en-GB"])
def test_every_catalogue_has_every_string(language: str):
    catalogue = read_catalogue(language)
    missing = []
    for msgid, plural in interface_messages().items():
        message = catalogue.get(msgid)
        strings = [] if message is None else (
            list(message.string) if isinstance(message.string, tuple) else [message.string])
        expected = 1 if plural is None else catalogue.num_plurals
        if len([s for s in strings if s]) != expected:
            missing.append(msgid)
    assert not missing, f"locale/{language}.po lacks a translation of: {missing}"
    assert not [m.id for m in catalogue if m.id and m.fuzzy], "fuzzy strings are not used"


@pytest.mark.parametrize("language", ["cy", "en-GB"])
def test_plural_rules_are_babels_cldr_rules(language: str):
    catalogue = read_catalogue(language)
    locale = babel_locale(language)
    assert catalogue.plural_forms == get_plural(str(locale)).plural_forms
    examples = messages_for(language).plural_examples()
    if language == "cy":  # Welsh: zero, one, two, few, many, other
        assert examples == {"zero": 0, "one": 1, "two": 2, "few": 3, "many": 6, "other": 4}
    else:
        assert examples == {"one": 1, "other": 0}


def test_plural_examples_are_found_once_per_language(monkeypatch: pytest.MonkeyPatch):
    """Every build asks for the runtime's strings; the plural rule's examples (a thousand numbers
    through the rule) are found once per language, not on every call."""
    import elpack.i18n

    messages = messages_for("cy")
    elpack.i18n._plural_examples.cache_clear()
    parse = elpack.i18n.babel_locale
    looked_up: list[str] = []
    monkeypatch.setattr(elpack.i18n, "babel_locale",
                        lambda tag: looked_up.append(tag) or parse(tag))
    first = messages.runtime()
    assert messages.runtime() == first == messages_for("cy").runtime()
    assert looked_up == ["cy"]
    assert sorted(first["attemptsLeft"]) == ["few", "many", "one", "other", "two", "zero"]


def test_the_welsh_catalogue_says_it_needs_review_by_a_welsh_speaker():
    text = (LOCALE / "cy.po").read_text(encoding="utf-8")
    assert "NEEDS REVIEW BY A WELSH SPEAKER" in text.splitlines()[1]
    assert '"Language-Team: needs review by a Welsh speaker\\n"' in text


@pytest.mark.parametrize("language", ["cy", "en-GB"])
def test_catalogues_pass_msgfmt_check(language: str):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt (gettext) is not installed; scripts/test installs it")
    checked = subprocess.run([msgfmt, "--check", "-o", "/dev/null", str(LOCALE / f"{language}.po")],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_the_catalogues_are_what_the_update_script_writes(tmp_path: Path):
    """scripts/update-catalogues has been run since the last string changed."""
    before = {p.name: p.read_bytes() for p in LOCALE.glob("*.po")}
    script = Path(__file__).resolve().parent.parent / "scripts" / "update-catalogues"
    copy = tmp_path / "locale"
    shutil.copytree(LOCALE, copy)
    subprocess.run(["python3", str(script), "--locale", str(copy)], check=True,
                   capture_output=True)
    after = {p.name: p.read_bytes() for p in copy.glob("*.po")}
    assert after == before


# No learner-facing English outside the catalogues ----------------------------------------

TEMPLATES = Path(__file__).resolve().parent.parent / "src" / "elpack" / "themes"
OWN_TEMPLATES = TEMPLATES.parent / "templates"  # elpack's own pages: the programme catalogue
RUNTIME = Path(__file__).resolve().parent.parent / "src" / "elpack" / "runtime" / "src"
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
SPOKEN_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "aria-roledescription",
                     "aria-valuetext", "label", "value"}
WORD = re.compile(r"[A-Za-z]{2,}")


class _TemplateText(HTMLParser):
    """The text a template writes itself: between tags, and in attributes people read or hear."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.skip = 0  # inside <script> or <style>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        self.found += [value for name, value in attrs if name in SPOKEN_ATTRIBUTES and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.found.append(data)


def template_literals(source: str) -> list[str]:
    """English words a template writes as they are, not through _() or ngettext()."""
    parser = _TemplateText()
    parser.feed(JINJA.sub(" ", source))
    parser.close()
    return [text.strip() for text in parser.found if WORD.search(text)]


# A JavaScript string literal (no template literals: the runtime builds text with t()/tn()).
JS_STRING = re.compile(r"\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`")
JS_COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)
# Words people read: a capitalised word, or two words with a space (class lists and selectors
# are lower case, joined by hyphens, or full of '.', '#', '[' and ':').
LEARNER_TEXT = re.compile(r"^[A-Z][a-z]+\b|[A-Za-z]{2,}[,.!?]? [a-z]{2,}")
NOT_TEXT = re.compile(r"^[a-z0-9_-]+((, ?| )[a-z0-9_-]+)*$|[#\[\]=>]|^\.|^[A-Z0-9_]+$")
DEVELOPER_MESSAGE = re.compile(r"console\.\w+\([^;]*")  # for whoever debugs the LMS, not learners
# The LMS API's method names (SCORM 2004's "Initialize", "Terminate", "Commit"), not words: the
# values of an adapter's API_NAMES table (lms/api.js ApiNames).
API_METHOD = re.compile(r"\b((?:initialize|terminate|commit): )\"[A-Za-z]+\"")


def runtime_literals(source: str) -> list[str]:
    """String literals in runtime source that look like words for learners."""
    code = JS_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), source)
    code = DEVELOPER_MESSAGE.sub("", code)
    code = API_METHOD.sub(lambda match: match.group(1), code)
    found = []
    for match in JS_STRING.finditer(code):
        text = match.group(0)[1:-1]
        if LEARNER_TEXT.search(text) and not NOT_TEXT.search(text):
            found.append(text)
    return found


def test_the_literal_finders_find_literals():
    assert template_literals('<a href="#x">Next<span class="visually-hidden">: {{ t }}</span></a>'
                             ) == ["Next"]
    assert template_literals('<nav aria-label="Page navigation">{{ _("Next") }}</nav>') == [
        "Page navigation"]
    assert template_literals('<p class="x">{{ _("You need %(m)s%%", m=1) }}</p>') == []
    assert runtime_literals('element("p", "", "You can try again.");') == ["You can try again."]
    assert runtime_literals('x.textContent = "Question " + n;') == ["Question "]
    assert runtime_literals('$$(".block-status, #elpack-status"); el("button", "button button-'
                            'secondary"); t("checkAnswer"); if (a.tagName === "BUTTON")') == []
    assert runtime_literals('$$("input, select, button"); console.warn("elpack: the LMS said " + e)'
                            ) == []


@pytest.mark.parametrize("template", sorted([*TEMPLATES.rglob("*.html"),
                                             *OWN_TEMPLATES.rglob("*.html")]),
                         ids=lambda path: path.relative_to(TEMPLATES.parent).as_posix())
def test_templates_write_no_english_of_their_own(template: Path):
    assert template_literals(template.read_text(encoding="utf-8")) == [], \
        "write learner-facing text as {{ _(\"...\") }} and run scripts/update-catalogues"


@pytest.mark.parametrize("script", sorted(RUNTIME.rglob("*.js")),
                         ids=lambda path: path.relative_to(RUNTIME).as_posix())
def test_the_runtime_writes_no_english_of_its_own(script: Path):
    assert runtime_literals(script.read_text(encoding="utf-8")) == [], \
        "add the text to runtime/messages.json, use t(key) or tn(key, count), and run " \
        "scripts/update-catalogues"


def test_every_runtime_key_is_declared_and_used():
    called, written = set(), set()
    for script in RUNTIME.rglob("*.js"):
        code = JS_COMMENT.sub("", script.read_text(encoding="utf-8"))
        called |= set(re.findall(r"\btn?\(\s*\"([\w.-]+)\"", code))
        written |= {m.group(0)[1:-1] for m in JS_STRING.finditer(code)}
    declared = set(json.loads((RUNTIME.parent / "messages.json").read_text(encoding="utf-8")))
    assert called - declared == set(), "keys used in the runtime but not in runtime/messages.json"
    assert declared - written == set(), "keys in runtime/messages.json that the runtime never uses"
