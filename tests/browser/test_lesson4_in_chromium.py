"""Lesson 4 in Chromium with ``?quick=1``: no error output, its figures drawn, Step works, a bad
H is one line and the page keeps working, the heavy parts run in the background (a progress
line, then their tables and figures) and the questions they answer reveal. MLlib's part is left
to the headless page test (``tests/pages/test_lesson4.py``), which runs it and checks its
numbers against scikit-learn: its first fit warms Spark SQL and ML up in the page's kernel
(about 25 s here) and draws one more HTML table, which the other parts already check. The page
is the session's shared one (``opened``): the generic checks then run on it too."""

from __future__ import annotations

import pytest
from browser_pages import PAGE_TIMEOUT_MS
from test_lesson_pages import app_of, step_from_the_start, visible_errors

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PARTS = ("rounds", "local_sgd", "admm", "lasso", "four")
QUESTIONS = ("rounds", "rate", "non_iid", "zeros")


def test_lesson4_quick_runs_its_parts_and_reveals_their_answers(opened):
    page = opened("04_fewer_rounds")
    assert visible_errors(page) == []
    assert "Traceback" not in page.inner_text("body")
    for figure in ("img.stepper-lesson4-paths", "img.stepper-lesson4-losses",
                   "img.stepper-lesson4-adaptive"):
        page.wait_for_selector(figure).scroll_into_view_if_needed()
        page.wait_for_function(
            "(sel) => { const i = document.querySelector(sel);"
            " return i && i.complete && i.naturalWidth > 100; }", arg=figure)
    app = app_of(page)
    step_from_the_start(page, app)

    # a bad H: one line under the button, nothing starts, the page keeps working
    box = page.query_selector(".stepper-input-local_steps input")
    box.fill("0")
    box.press("Enter")
    page.click(".stepper-run-local_sgd")
    line = page.wait_for_selector(".stepper-part-local_sgd .stepper-error")
    assert "H = 0 is not valid" in line.inner_text()
    box.fill("1, 10")
    box.press("Enter")

    for name in PARTS:
        button = page.query_selector(f".stepper-run-{name}")
        button.scroll_into_view_if_needed()
        page.wait_for_function("(b) => !b.disabled", arg=button, timeout=PAGE_TIMEOUT_MS)
        button.click()
        page.wait_for_function(
            "(name) => { const s = document.querySelector('.stepper-part-' + name + "
            "' .stepper-part-status'); return s && /Done/.test(s.innerText); }",
            arg=name, timeout=2 * PAGE_TIMEOUT_MS)
    for qid in QUESTIONS:
        question = page.query_selector(f".stepper-question-lesson4-{qid}")
        question.scroll_into_view_if_needed()
        choice = question.query_selector("input[type=radio]")
        if choice is not None:
            choice.check()
        else:
            question.query_selector("input[type=text]").fill("3")
        question.query_selector("button:has-text('Commit')").click()
        result = page.wait_for_selector(
            f".stepper-question-lesson4-{qid} .stepper-question-result",
            timeout=PAGE_TIMEOUT_MS)
        assert result.get_attribute("data-verdict") in ("right", "close", "wrong")
    # the results the questions hid are shown: tables and figures
    for name in ("rounds", "local_sgd", "admm", "lasso"):
        assert page.query_selector(f".stepper-result-{name} table") is not None, name
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.stepper-part-four img')).some("
        "i => i.complete && i.naturalWidth > 100)")
    assert page.query_selector(".stepper-result-summary td") is not None
    assert visible_errors(page) == []
