"""The exercises in JupyterLab, on the same server as the lessons, as an attendee uses them.

An attendee opens ``exercises/01_oracles.ipynb`` in JupyterLab, runs the set-up cell, types an
answer into a task cell, runs it and the ``check`` cell under it, reads the points in the page,
and saves the notebook (Ctrl+S): the file on disk then holds the answer. The steps are
``lab_exercise``'s, which the image test takes too. The server's ``exercises/`` is a copy (see
conftest), so the repository is not touched.
The old lesson addresses (Voilà alone served ``lessons/`` at ``/voila/render/<notebook>``)
answer with a redirect to the new ones, settings and all.
"""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from browser_pages import TOKEN
from lab_exercise import (
    NOTEBOOK,
    PLACEHOLDER,
    answer,
    answer_task_and_check,
    open_notebook,
    points,
    save,
    wait_saved,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_an_attendee_answers_a_task_and_checks_it_in_jupyterlab(browser, voila_url, server_root):
    saved = server_root / "exercises" / NOTEBOOK
    assert PLACEHOLDER in saved.read_text(encoding="utf-8")
    page = open_notebook(browser, voila_url, f"exercises/{NOTEBOOK}", TOKEN)
    try:
        text = answer_task_and_check(page)
        score, max_score = points(text)
        assert max_score > 0 and score == max_score, text
        assert "✘" not in text
        save(page)
    finally:
        page.close()
    assert wait_saved(saved) == answer()


def test_a_french_notebook_checks_in_french_in_jupyterlab(browser, voila_url):
    """exercises/fr/: the same code, the Check button and its lines in French (the kernel learns
    the notebook's language from the server, $JPY_SESSION_NAME)."""
    page = open_notebook(browser, voila_url, f"exercises/fr/{NOTEBOOK}", TOKEN)
    try:
        text = answer_task_and_check(page, lang="fr")
        score, max_score = points(text, lang="fr")
        assert max_score > 0 and score == max_score, text
        assert "Task" not in text and "passed" not in text, text
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
