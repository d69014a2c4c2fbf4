"""The lessons in French (``?lang=fr``) and one predict-then-reveal question, in Chromium.

Lesson 1 runs numpy only (no Spark), so these pages are quick to open.
"""

from __future__ import annotations

import pytest
from browser_pages import PAGE_TIMEOUT_MS, lesson_url, open_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_french_page_and_its_switch_back_to_english(browser, voila_url):
    page = open_page(browser, lesson_url(voila_url, "01_gradient_methods", "lang=fr&present=1"))
    try:
        page.wait_for_selector("text=Leçon 1 · Les algorithmes de gradient sur une machine",
                               timeout=PAGE_TIMEOUT_MS)
        body = page.inner_text("body")
        assert "Quelle J ?" in body and "Which J?" not in body
        link = page.query_selector(".stepper-lang-switch a")
        assert link is not None and link.inner_text().strip() == "EN"
        href = link.get_attribute("href") or ""
        assert "lang=en" in href and "present=1" in href  # the other parameters are kept
    finally:
        page.close()


def test_unknown_language_says_so_in_one_line(browser, voila_url):
    page = open_page(browser, lesson_url(voila_url, "01_gradient_methods", "lang=xx"))
    try:
        page.wait_for_selector("text=Unknown language ?lang=xx", timeout=PAGE_TIMEOUT_MS)
        assert "Lesson 1 · Gradient algorithms on one machine" in page.inner_text("body")
    finally:
        page.close()


def test_a_question_locks_the_answer_then_reveals_the_result(opened):
    page = opened("01_gradient_methods")
    question = page.wait_for_selector(".stepper-question-lesson1-condition",
                                      timeout=PAGE_TIMEOUT_MS)
    question.scroll_into_view_if_needed()
    assert question.query_selector(".stepper-question-result") is None
    question.query_selector("label:has-text('about 70')").click()
    question.query_selector("button:has-text('Commit')").click()
    result = page.wait_for_selector(".stepper-question-lesson1-condition "
                                    ".stepper-question-result", timeout=PAGE_TIMEOUT_MS)
    assert result.get_attribute("data-verdict") == "right"
    assert "71.5" in result.inner_text()
    assert question.query_selector("button:has-text('Commit')").is_disabled()


def test_lesson2_in_french_draws_its_diagrams_in_french(browser, voila_url):
    """After one Step on Spark, the data flow, the reduce tree and the task timeline (SVG text
    nodes and their accessible names) and the status line are French."""
    from test_lesson_pages import app_of, click, wait_idle, wait_readout

    page = open_page(browser, lesson_url(voila_url, "02_distributed_gd", "lang=fr"))
    try:
        app = app_of(page)
        wait_idle(page, app)
        click(app, "step")
        wait_readout(page, app, "Itération 1")
        page.wait_for_selector(".stepper-diagram[aria-label='chronologie des tâches'] rect",
                               timeout=PAGE_TIMEOUT_MS)
        labels = [e.get_attribute("aria-label")
                  for e in app.query_selector_all("svg.stepper-diagram")]
        assert {"flux de données d'une itération", "arbre de reduce",
                "chronologie des tâches"} <= set(labels)
        svg_text = " ".join(t.text_content() or "" for t in app.query_selector_all(
            "svg.stepper-diagram text"))
        for french in ("Mise à jour", "détient w", "sur le driver",
                       "le nouveau w lance l'itération suivante",
                       "L'arbre de reduce construit par Spark",
                       "Chronologie des tâches : la dernière impose le rythme", "barrière à",
                       "tâches à l'échelle", "profondeur = 2"):
            assert french in svg_text
        for english in ("Update", "holds w", "on the driver", "Task timeline", "barrier at",
                        "The reduce tree", "depth =", "Step once"):
            assert english not in svg_text
        link = app.query_selector(".stepper-link").inner_text()
        assert "Lien vers cet état" in link and "Link to this state" not in link
        # the switch reloads the page in English: a new kernel draws the diagrams in English
        page.click(".stepper-lang-switch a[hreflang='en']")
        page.wait_for_selector("svg.stepper-diagram[aria-label='data flow of one iteration']",
                               timeout=PAGE_TIMEOUT_MS)
        english = " ".join(t.text_content() or "" for t in page.query_selector_all(
            "svg.stepper-diagram text"))
        assert "the new w starts the next iteration" in english and "Mise à jour" not in english
    finally:
        page.close()
