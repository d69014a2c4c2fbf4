"""A Step pressed while Spark is still starting is queued, not lost (lesson 2 in Chromium).

Lesson 2 starts Spark in its last cell, once the page is drawn: the JVM takes seconds, so the
control bar is on screen before the Stepper exists. Step pressed then must say it is queued and
show iteration 1 once Spark is ready, without a second press.
"""

from __future__ import annotations

import pytest
from browser_pages import PAGE_TIMEOUT_MS, lesson_url

pytestmark = [pytest.mark.browser, pytest.mark.slow]

STATUS = "(app) => (app.querySelector('.stepper-status') || {innerText: ''}).innerText"


def test_step_pressed_before_spark_is_ready_shows_iteration_1(browser, voila_url):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        page.goto(lesson_url(voila_url, "02_distributed_gd"), timeout=PAGE_TIMEOUT_MS,
                  wait_until="domcontentloaded")
        # the first control bar, as soon as it is drawn (not waiting for the page to settle)
        page.wait_for_selector(".stepper-app .stepper-key-step", state="visible")
        app = page.query_selector(".stepper-app")
        page.wait_for_function(f"(app) => ({STATUS})(app).includes('Starting Spark')", arg=app)
        app.query_selector(".stepper-key-step").click()
        page.wait_for_function(
            f"(app) => ({STATUS})(app).includes('Step queued: Spark is starting')", arg=app)
        assert "Iteration 0" in app.query_selector(".stepper-readout").inner_text()
        page.wait_for_function(
            "(app) => app.querySelector('.stepper-readout').innerText.includes('Iteration 1')",
            arg=app)
        errors = [e.inner_text() for e in page.query_selector_all(".stepper-error")
                  if e.is_visible() and e.inner_text().strip()]
        assert errors == []
    finally:
        page.close()
