"""Lesson 3 in a real browser with ``?quick=1&run=all``: the page starts its own Spark on a
master that retries (``local[2,4]``) and runs every demo in turn; each demo's text and figure
appear with no error output, Step works meanwhile, the failed task shows attempt 2, and each
question reveals its answer. (The generic checks — presenter mode, Back, Play — run on this page in
``test_lesson_pages.py`` like on every lesson.)"""

from __future__ import annotations

import pytest
from browser_pages import PAGE_TIMEOUT_MS, lesson_url, open_page
from test_lesson_pages import app_of, click, visible_errors, wait_readout

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DEMOS = ("sweep", "bytes", "stragglers", "failure", "async", "timed")
QUESTIONS = ("sweep", "bytes", "stragglers", "failure", "async", "timed")


def test_lesson3_quick_runs_every_demo_and_reveals_every_answer(browser, voila_url):
    page = open_page(browser, lesson_url(voila_url, "03_iteration_cost", "quick=1&run=all"),
                     height=1600)
    try:
        app = app_of(page)
        click(app, "step")  # Step works while the demos run (each on a thread of its own)
        wait_readout(page, app, "Iteration 1")
        for name in DEMOS:
            page.wait_for_function(
                "(name) => { const s = document.querySelector("
                "'.stepper-part-' + name + ' .stepper-part-status');"
                " const e = document.querySelector('.stepper-error');"
                " return (s && s.innerText.includes('Done')) || (e && e.offsetParent); }",
                arg=name, timeout=PAGE_TIMEOUT_MS)
        assert visible_errors(page) == []
        for name in QUESTIONS:
            box = page.query_selector(f".stepper-question-lesson3-{name}")
            assert box is not None, name
            box.query_selector("input[type=radio]").check()
            box.query_selector("button").click()
            page.wait_for_function(
                "(box) => box.querySelector('.stepper-question-result')", arg=box,
                timeout=PAGE_TIMEOUT_MS)
        failure = page.inner_text(".stepper-result-failure")
        assert "attempt 2" in failure and "local[2,4]" in failure
        images = page.evaluate(
            "() => ['sweep', 'bytes', 'stragglers', 'async'].map(n => { const i = document"
            ".querySelector('.stepper-result-' + n).parentElement.querySelector('img');"
            " return i && i.complete && i.naturalWidth > 300; })")
        assert images == [True, True, True, True]
        assert visible_errors(page) == []
    finally:
        page.close()
