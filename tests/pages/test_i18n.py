"""The pages' languages: both catalogues complete, ?lang= read with one line for a bad value,
the switch keeps the other parameters, and every method has its words in both languages."""

from __future__ import annotations

from urllib.parse import parse_qsl

import numpy as np
import pytest

from stepper.algorithms import REGISTRY
from stepper.pages import i18n
from stepper.pages.strings import en, fr


def test_no_string_is_missing_in_either_language():
    assert i18n.missing_strings() == []


def test_missing_strings_names_a_key_present_in_one_language_only(monkeypatch):
    monkeypatch.setitem(i18n.CATALOGUES, "fr", {k: v for k, v in fr.STRINGS.items()
                                                 if k != "lesson1.title"})
    assert i18n.missing_strings() == ["fr: lesson1.title"]


def test_missing_strings_names_a_placeholder_that_differs(monkeypatch):
    monkeypatch.setitem(i18n.CATALOGUES, "fr", {**fr.STRINGS, "lesson1.learning_rate": "L = {L}"})
    assert any("lesson1.learning_rate" in line for line in i18n.missing_strings())


def test_french_is_not_a_copy_of_english():
    same = [k for k in en.STRINGS if en.STRINGS[k] == fr.STRINGS[k]
            and len(en.STRINGS[k]) > 25 and " " in en.STRINGS[k]]
    assert same == []


@pytest.mark.parametrize("query, code", [("", "en"), ("lang=fr", "fr"),
                                         ("?present=1&lang=FR", "fr"), ("lang=en", "en")])
def test_language_from_the_query(query, code):
    choice = i18n.language_from_query(query)
    assert (choice.code, choice.problem) == (code, None)


def test_unknown_language_gives_one_line_naming_the_value_and_the_choices():
    choice = i18n.language_from_query("present=1&lang=de")
    assert choice.code == "en"
    assert choice.problem is not None and "\n" not in choice.problem
    assert "lang=de" in choice.problem and "en, fr" in choice.problem


def test_the_switch_keeps_the_other_parameters():
    query = "present=1&algorithm=momentum&lang=en&token=abc"
    pairs = dict(parse_qsl(i18n.switch_query("fr", query)))
    assert pairs == {"present": "1", "algorithm": "momentum", "token": "abc", "lang": "fr"}
    html = i18n.switch_html("en", query)
    assert "<b>EN</b>" in html and 'href="?present=1&amp;algorithm=momentum' in html
    assert "lang=fr" in html and ">FR</a>" in html


def test_text_fills_figures_and_follows_the_page_language():
    try:
        i18n.use_language("fr")
        assert i18n.text("lesson1.lr.spectral", ratio=11.6) == "spectral : η = 1/L_spec ≈ 12/L"
        assert i18n.text("lesson1.lr.spectral", lang="en", ratio=11.6) == \
            "spectral: η = 1/L_spec ≈ 12/L"
    finally:
        i18n.use_language("en")
    assert i18n.text("no.such.key") == "⟨no.such.key⟩"
    with pytest.raises(ValueError):
        i18n.use_language("de")


def test_escaped_braces_come_out_single():
    assert "yᵢ ∈ {−1, +1}" in i18n.text("lesson1.oracles", lang="en")
    assert "yᵢ ∈ {−1, +1}" in i18n.text("lesson1.oracles", lang="fr")


@pytest.mark.parametrize("code", i18n.LANGUAGES)
def test_every_registered_method_has_a_label_and_a_rule(code):
    catalogue = i18n.CATALOGUES[code]
    missing = [name for name in REGISTRY
               for part in ("label", "rule") if f"method.{name}.{part}" not in catalogue]
    assert missing == []


def test_french_texts_write_decimal_commas_and_leave_integers_and_texts_alone():
    key = next(k for k, v in fr.STRINGS.items() if "{kappa:.1f}" in v)
    french = i18n.text(key, lang="fr", **{name: 71.53 for name in i18n.placeholders(
        fr.STRINGS[key])})
    assert "71,5" in french and "71.5" not in french
    english = i18n.text(key, lang="en", **{name: 71.53 for name in i18n.placeholders(
        en.STRINGS[key])})
    assert "71.5" in english
    assert i18n.text("room.lead.add", lang="fr", name="pau.2").count("pau.2") == 1
    written = i18n.text("engine.config.partitions", lang="fr", value=np.int64(3))
    assert "partitions=3 " in written
    assert "0,25" in i18n.text("engine.config.momentum", lang="fr", value=np.float32(0.25))
