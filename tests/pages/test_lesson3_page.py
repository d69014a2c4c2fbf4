"""Lesson 3's notebook run headlessly with ``?quick=1`` on the session's Spark, in English and
in French: every demo fills its text and figure, every question reveals the answer the page
measured, bad input is one line in the page's language, and the French page shows no English.

The session's master is ``local[2]``, which does not retry a failed task: the failure demo then
says so in one line. The retry itself is tested on the standalone cluster, with numpy's numbers
(``tests/cluster/test_lesson3_failure_on_cluster.py``), and in the browser test, where the page
starts its own Spark on ``local[2,4]``.
"""

from __future__ import annotations

import html
import json
import os

import pytest
from french_detector import app_texts, english_in, read_saved_figures, shown_texts

from stepper.pages import i18n

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
pytestmark = [pytest.mark.spark, pytest.mark.slow]


def run_lesson3(monkeypatch, lang: str, query: str = "") -> tuple[object, list[str]]:
    monkeypatch.setenv("QUERY_STRING", f"quick=1&lang={lang}{query}")
    with open(os.path.join(ROOT, "lessons", "03_iteration_cost.ipynb")) as file:
        cells = ["".join(c["source"]) for c in json.load(file)["cells"]
                 if c["cell_type"] == "code"]
    namespace: dict = {}
    shown = []
    for source in cells:
        *body, last = source.strip().splitlines()
        exec("\n".join(body), namespace)
        value = eval(last.split("  #")[0], namespace)
        if value is not None:
            shown.append(value)
    page = namespace["page"]
    texts: list[str] = []
    for value in shown:
        texts += shown_texts(value)
    texts += app_texts(page.app)
    return page, texts


def check_page(page, lang: str) -> list[str]:
    """Every demo but the failure drew; the failure is the no-retry line; the questions reveal."""
    lines = []
    for name, demo in page.parts.items():
        if name == "failure":
            assert demo.errors.messages == [i18n.text("lesson3.failure.no_retry",
                                                      master=page.sc.master)]
            continue
        assert demo.errors.messages == [], (name, demo.errors.messages)
        assert demo.result is not None and demo.text.value, name
        assert len(json.dumps(demo.result, allow_nan=False)) < 4_000_000  # what the room sends
        if name in ("sweep", "bytes", "stragglers", "async"):
            assert demo.figure.layout.display != "none" and len(demo.figure.value) > 1000
    assert len(page.app.player.history()) == 2  # two iterations stepped
    assert not page.app.errors.shown
    for name, question in page.questions.items():
        if name == "failure":
            continue
        first = question.state.choices[0]
        question.input.value = first
        question.commit_from_input()
        assert question.state.status == "revealed", name
        assert question.state.correct in question.state.choices
        assert "stepper-question-result" in question.result.value
        lines.append(html.unescape(question.result.value))
    # bad input: one line in the page's language, the page keeps working
    page.failure_partition.value = 7
    page.parts["failure"].start(background=False)
    assert page.parts["failure"].errors.messages[-1] == i18n.text(
        "lesson3.bad.failure_partition", partition=7, last=3)
    page.staleness.value = "0, 999"
    page.parts["async"].start(background=False)
    assert page.parts["async"].errors.messages[-1] == i18n.text(
        "lesson3.bad.staleness", staleness=999, updates=64)
    page.sweep_partitions.value = "1, 500"
    page.parts["sweep"].start(background=False)
    assert page.parts["sweep"].errors.messages[-1] == i18n.text(
        "lesson3.bad.partitions", partitions=500, rows=200)
    page.sweep_partitions.value = "1, two"
    page.parts["sweep"].start(background=False)
    assert page.parts["sweep"].errors.messages[-1] == i18n.text(
        "lesson3.bad.partitions_text", value="1, two")
    assert page.parts["sweep"].result is not None  # the earlier sweep is still drawn
    return lines + [line for name in ("failure", "async", "sweep")
                    for line in page.parts[name].errors.messages]


def test_lesson3_runs_quick_in_english(monkeypatch, sc):
    page, _texts = run_lesson3(monkeypatch, "en", "&present=1")
    try:
        # the page takes the address's state (presenter mode itself is driven in the browser
        # on lessons 1 and 2: the same kit)
        assert page.app.state.present and page.app.controls.present.value
        lines = check_page(page, "en")
        assert any("no partition 7" in line for line in lines)
    finally:
        i18n.use_language("en")


def test_lesson3_runs_quick_in_french_without_english(monkeypatch, sc):
    saved = read_saved_figures(monkeypatch)
    try:
        page, texts = run_lesson3(monkeypatch, "fr")
        lines = check_page(page, "fr")
        for demo in page.parts.values():
            texts += shown_texts(demo.widget)
        assert len(texts) > 50 and len(saved) > 20
        assert english_in(texts + lines + saved) == []
    finally:
        i18n.use_language("en")
