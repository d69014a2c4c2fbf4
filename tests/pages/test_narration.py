"""The phases' words follow the record: the broadcast sentence follows ``broadcast.via`` and its
bytes, the update says when J is a sample's estimate, in both languages."""

from __future__ import annotations

import numpy as np
import pytest

from stepper.pages import i18n, narration
from stepper.trace import IterationRecord


def record(via="task", size=165, rows=1000, objective_rows=1000) -> IterationRecord:
    w = np.zeros(3)
    return IterationRecord(iteration=1, objective=0.6931, grad_norm=0.1, weights=w,
                           partitions=[{"rows": 125, "used_rows": 125, "seconds": 0.002,
                                        "executor": "driver"}] * 8,
                           reduce={"rows": rows, "used_rows": rows,
                                   "objective_rows": objective_rows, "levels": []},
                           broadcast={"bytes": size, "via": via},
                           update={"step_size": 0.34}, timing={}, accuracy=None)


@pytest.fixture(params=i18n.LANGUAGES)
def language(request):
    i18n.use_language(request.param)
    yield request.param
    i18n.use_language("en")


def test_broadcast_inside_the_task_says_so_with_its_bytes(language):
    sentence = narration.broadcast(record("task", 165), 8)
    assert "165" in sentence and "8" in sentence
    assert "sc.broadcast" not in sentence
    assert ("task closure" in sentence) if language == "en" else ("fermeture" in sentence)


def test_broadcast_by_sc_broadcast_says_so_with_its_bytes(language):
    sentence = narration.broadcast(record("broadcast", 80_000), 8)
    assert "80000" in sentence and "sc.broadcast" in sentence


def test_update_says_when_j_is_the_samples_estimate(language):
    full = narration.update(record(), "w ← w − ηg")
    estimate = narration.update(record(objective_rows=96), "w ← w − ηg")
    assert "J = 0.6931" in full and "J ≈ 0.6931" in estimate
    assert narration.is_estimate(record(objective_rows=96))
    assert not narration.is_estimate(record())


def test_method_words_in_the_page_language(language):
    assert narration.method_label("gd") == ("gradient descent" if language == "en"
                                            else "descente de gradient")
    assert narration.method_label("no_such_method") == "no_such_method"


def test_the_loss_view_labels_a_samples_estimate():
    from stepper.pages.phases import Position, phases_of
    from stepper.pages.views import Frame, LossView

    def frame(records):
        return Frame(position=Position(len(records), 0), phase=phases_of(records[-1])[-1],
                     record=records[-1], history=records, initial_weights=np.zeros(3),
                     partitions=8)

    view = LossView()
    view.draw(frame([record(), record()]))
    assert view.figure.ax.get_title() == i18n.text("view.loss.title")
    assert view.figure.name == "J"
    view.draw(frame([record(), record(objective_rows=96)]))
    assert view.figure.ax.get_title() == i18n.text("lesson2.loss.estimate")
    assert view.figure.name == "J ≈"
