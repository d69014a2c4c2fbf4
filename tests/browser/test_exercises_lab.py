"""The exercises in JupyterLab, on the same server as the lessons, as an attendee uses them.

An attendee opens ``exercises/01_oracles.ipynb`` in JupyterLab, runs the set-up cell, types an
answer into a task cell, runs it and the ``check`` cell under it, and reads the points in the
page. The server's ``exercises/`` is a copy (see conftest), so the repository is not touched.
The old lesson addresses (Voilà alone served ``lessons/`` at ``/voila/render/<notebook>``)
answer with a redirect to the new ones, settings and all.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request

import pytest
from browser_pages import PAGE_TIMEOUT_MS, TOKEN

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Task 1.1's answer, as the solutions have it.
ANSWER = '''def loss_one(x, y, w):
    """log(1 + exp(−y wᵀx))."""
    return float(np.logaddexp(0.0, -y * (x @ w)))'''

SETUP_CELL, TASK_CELL, CHECK_CELL = 1, 3, 4  # cell indices in exercises/01_oracles.ipynb


def run_cell(page, cell) -> None:
    """Put the cursor in ``cell``'s editor and run it (Shift+Enter), as a person would."""
    cell.locator(".cm-content").click()
    page.keyboard.press("Shift+Enter")


def wait_executed(page, cell) -> None:
    """Until the cell's prompt shows an execution count (``[3]:``), not ``[ ]`` or ``[*]``."""
    page.wait_for_function(
        "(cell) => /\\[\\d+\\]/.test(cell.querySelector('.jp-InputPrompt').innerText)",
        arg=cell.element_handle(), timeout=PAGE_TIMEOUT_MS)


def test_an_attendee_answers_a_task_and_checks_it_in_jupyterlab(browser, voila_url, server_root):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        page.goto(f"{voila_url}/lab/tree/exercises/01_oracles.ipynb?token={TOKEN}",
                  timeout=PAGE_TIMEOUT_MS, wait_until="domcontentloaded")
        notebook = page.locator(".jp-NotebookPanel:visible .jp-Notebook")
        cells = notebook.locator(".jp-Cell")
        cells.nth(CHECK_CELL).wait_for(state="visible")
        # the kernel is up when the toolbar's status says Idle
        page.wait_for_selector(".jp-NotebookPanel:visible "
                               ".jp-Notebook-ExecutionIndicator[data-status='idle']")
        setup = cells.nth(SETUP_CELL)
        run_cell(page, setup)
        wait_executed(page, setup)

        task = cells.nth(TASK_CELL)
        task.locator(".cm-content").click()
        page.keyboard.press("ControlOrMeta+a")
        page.keyboard.insert_text(ANSWER)  # typed as one input: no auto-indent on the way
        assert "raise NotImplementedError" not in task.locator(".cm-content").inner_text()
        page.keyboard.press("Shift+Enter")
        wait_executed(page, task)

        check = cells.nth(CHECK_CELL)
        run_cell(page, check)
        result = check.locator(".stepper-check")
        result.wait_for(state="visible")
        assert result.locator("button:has-text('Check')").is_visible()  # the widget rendered
        text = result.inner_text()
        match = re.search(r"Task 1\.1: (\d+(?:\.\d+)?) / (\d+(?:\.\d+)?)", text)
        assert match, text
        score, max_score = float(match[1]), float(match[2])
        assert max_score > 0 and score == max_score, text
        assert "✘" not in text
    finally:
        page.close()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.parametrize("name", ["index", "02_distributed_gd"])
def test_old_lesson_addresses_redirect_to_the_new_ones(voila_url, name):
    opener = urllib.request.build_opener(NoRedirect)
    query = "present=1&iteration=5"
    with pytest.raises(urllib.error.HTTPError) as answer:
        opener.open(f"{voila_url}/voila/render/{name}.ipynb?{query}", timeout=60)
    assert answer.value.code == 301
    assert answer.value.headers["Location"] == f"/voila/render/lessons/{name}.ipynb?{query}"
    with pytest.raises(urllib.error.HTTPError) as missing:
        opener.open(f"{voila_url}/voila/render/no_such_lesson.ipynb?token={TOKEN}", timeout=60)
    assert missing.value.code == 404
