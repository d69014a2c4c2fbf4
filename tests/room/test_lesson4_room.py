"""Lesson 4 in a room, without a browser: the instructor's page runs a heavy part on Spark and
publishes its result; a follower's page never starts Spark, draws the same table from the
result (a late follower from the room's snapshot), and its question reveals with the
instructor's reveal, answered from the instructor's numbers."""

from __future__ import annotations

import uuid

import pytest
from churn_numpy import churn_arrays
from room_helpers import until


@pytest.mark.spark
def test_lesson4_results_reach_followers(room_server, monkeypatch, sc):
    import stepper.room.page as page
    from stepper.data.loaders import from_numpy
    from stepper.pages.lesson4 import Lesson4Page

    name = "l4" + uuid.uuid4().hex[:8]

    def open_page(query: str) -> Lesson4Page:
        monkeypatch.setattr(page, "_claimed", False)  # one room per kernel: this page's turn
        monkeypatch.setenv("QUERY_STRING", f"{query}&quick=1&server={room_server}")
        lesson = Lesson4Page()
        assert lesson.room is not None
        return lesson

    lead = open_page(f"room={name}")
    until(lambda: lead.room.key is not None, "the room's key", seconds=30, poll=0.05)
    lead.question("zeros")
    follower = open_page(f"follow={name}")
    follower.question("zeros")
    lasso = follower.parts["lasso"]
    assert follower.follows and lasso.start() is None  # a follower never runs
    assert lasso.run_button not in lasso.row.children  # nothing to press
    # the instructor's churn rows (prepared in numpy here, to spare the CSV's Spark jobs)
    X, y = churn_arrays()
    data = from_numpy(X, y, partitions=4, sc=sc, source="churn_numpy")
    data.intercept = True
    lead.use_churn(data, X, y)
    lead.parts["lasso"].start().join()
    assert lead.parts["lasso"].errors.messages == []
    until(lambda: "lasso" in follower.results, "the result at the follower", seconds=30, poll=0.05)
    assert follower.results["lasso"]["zeros"] == lead.results["lasso"]["zeros"]
    until(lambda: follower.parts["lasso"].text.value == lead.parts["lasso"].text.value,
          "the follower's table", seconds=30, poll=0.05)
    follower.questions["zeros"].input.value = "3"
    follower.questions["zeros"].commit_from_input()
    lead.questions["zeros"].reveal()
    until(lambda: follower.questions["zeros"].state.status == "revealed", "the reveal",
          seconds=30, poll=0.05)
    assert follower.questions["zeros"].state.correct == lead.results["lasso"]["zeros"]
    late = open_page(f"follow={name}")  # arrives after the result: drawn from the snapshot
    until(lambda: "lasso" in late.results, "the snapshot's result", seconds=30, poll=0.05)
    assert late.parts["lasso"].text.value == lead.parts["lasso"].text.value
    assert not follower.churn_prepared and not late.churn_prepared  # no Spark on the followers
    for lesson in (follower, late, lead):
        lesson.room.client.close()
    data.unpersist()
