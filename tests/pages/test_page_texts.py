"""What every page says: the index credits the original workshop, each lesson links an exercise
notebook that exists and says which J it means, in both languages."""

from __future__ import annotations

import os

import ipywidgets as widgets
import pytest

from stepper.pages import i18n
from stepper.pages.i18n import LanguageChoice
from stepper.pages.prose import exercise_href, page_top

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")


def all_html(widget) -> str:
    if isinstance(widget, widgets.HTML):
        return widget.value
    return "".join(all_html(child) for child in getattr(widget, "children", ()))


@pytest.fixture(params=i18n.LANGUAGES)
def language(request, monkeypatch):
    monkeypatch.setenv("QUERY_STRING", f"lang={request.param}")
    yield request.param
    i18n.use_language("en")


def test_the_index_credits_the_original_workshop(language):
    from stepper.pages.index import index_page

    page = all_html(index_page())
    assert "Yann Vernaz" in page and "2017" in page and "Pau" in page
    assert "Optimisation distribuée avec Apache Spark" in page
    assert ("01_gradient_methods.ipynb?lang=fr" in page) == (language == "fr")  # kept
    assert ("/lab/tree/exercises/fr'" in page) == (language == "fr")  # the French notebooks


@pytest.mark.parametrize("lesson", ["lesson0", "lesson1", "lesson2", "lesson3", "lesson4"])
def test_each_lesson_links_its_exercise_and_says_which_j(lesson, language):
    i18n.use_language(language)
    top = all_html(page_top(lesson, LanguageChoice(language)))
    notebook = i18n.text(f"{lesson}.exercise")
    assert os.path.exists(os.path.join(ROOT, "exercises", notebook))
    assert exercise_href(notebook) in top
    # the French page links the French notebook (exercises/fr/), the English one the English
    assert notebook.startswith("fr/") == (language == "fr")
    with open(os.path.join(ROOT, "exercises", notebook), encoding="utf-8") as handle:
        assert f'"lang": "{language}"' in handle.read()
    assert ("Which J?" if language == "en" else "Quelle J ?") in top
    assert "intercept" in top


def test_an_unknown_language_shows_one_line_on_the_page():
    top = all_html(page_top("lesson1", i18n.language_from_query("lang=es")))
    assert "Unknown language ?lang=es" in top


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_lesson1_names_the_spectral_step_with_the_computed_ratio(lang):
    import numpy as np

    from stepper.pages.facts import curvature, with_intercept

    table = np.loadtxt(os.path.join(ROOT, "data", "logistic2d_train.csv"), delimiter=",")
    raw = table[:, 1:]
    X = with_intercept((raw - raw.mean(0)) / raw.std(0))
    found = curvature(X)
    page = i18n.text("lesson1.learning_rate", lang=lang, L=found.bound, spectral=found.spectral,
                     ratio=found.ratio)
    hessian_at_zero = 0.25 * X.T @ X / len(X)
    expected_ratio = 0.25 * np.max(np.sum(X * X, 1)) / np.linalg.eigvalsh(hessian_at_zero)[-1]
    assert i18n.decimal(expected_ratio, 1, lang) in page  # 11.6 on the lesson data (11,6)
    assert ("exact global" in page) if lang == "en" else ("globale exacte" in page)
