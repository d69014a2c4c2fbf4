"""Lesson 3 in a real browser with ``?quick=1``: the page starts its own Spark on a master that
retries (``local[2,4]``); every demo is run from its button in turn (Step works meanwhile); each
demo's text and figure appear with no error output, the failed task shows attempt 2, and each
question reveals its answer. The page is the session's shared one (``opened``): the generic
checks of ``test_lesson_pages.py`` (figures, Back, Play) then run on it too."""

from __future__ import annotations

import pytest
from browser_pages import PAGE_TIMEOUT_MS
from test_lesson_pages import app_of, click, visible_errors, wait_readout

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DEMOS = ("sweep", "bytes", "stragglers", "failure", "async", "timed")
QUESTIONS = ("sweep", "bytes", "stragglers", "failure", "async", "timed")


def test_lesson3_quick_runs_every_demo_and_reveals_every_answer(opened):
    page = opened("03_iteration_cost")
    app = app_of(page)
    for k, name in enumerate(DEMOS):
        button = page.query_selector(f".stepper-run-{name}")
        button.scroll_into_view_if_needed()
        button.click()
        if k == 0:  # Step works while a demo runs (each on a thread of its own)
            click(app, "first")
            click(app, "step")
            wait_readout(page, app, "Iteration 1")
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
