"""Interface strings come from complete catalogues, one per language, with CLDR plurals (issue 15)."""

from __future__ import annotations

import shutil
import subprocess
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
