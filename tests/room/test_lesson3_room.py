"""Lesson 3 in a room, without a browser: the instructor's page runs the cost sweep on Spark and
publishes it; two followers' pages (one joining late) draw it without ever starting Spark, and
their question on it reveals the answer the instructor's page measured."""

from __future__ import annotations

import uuid

import pytest
from room_helpers import until

pytestmark = pytest.mark.spark


def test_followers_draw_the_instructors_sweep_without_spark(room_server, monkeypatch, sc):
    import stepper.room.page as room_page
    from stepper.pages import lesson3_lab
    from stepper.pages.lesson3 import Lesson3Page

    monkeypatch.setattr(lesson3_lab, "QUICK_SWEEP",
                        lesson3_lab.SweepSize((200, 3), (20, 30), (1, 2), 1))
    name = "s" + uuid.uuid4().hex[:8]

    def open_page(query: str) -> Lesson3Page:
        monkeypatch.setattr(room_page, "_claimed", False)  # one room per kernel: this page's
        monkeypatch.setenv("QUERY_STRING", f"{query}&quick=1&server={room_server}")
        page = Lesson3Page()
        assert page.room is not None
        page.question("sweep")
        page.part("sweep")
        return page

    lead = open_page(f"room={name}")
    until(lambda: lead.room.key is not None, "the room's key", seconds=30, poll=0.05)
    one = open_page(f"follow={name}")

    def no_spark(*_args, **_kwargs):
        raise AssertionError("a follower's page started Spark")

    lead.parts["sweep"].start(background=False)  # the instructor's page: real Spark
    assert lead.parts["sweep"].errors.messages == []
    monkeypatch.setattr(lesson3_lab, "spark_context", no_spark)
    sweep = lead.results["sweep"]
    until(lambda: one.parts["sweep"].result == sweep, "the sweep on the follower",
          seconds=30, poll=0.05)
    late = open_page(f"follow={name}")  # joins after: the result comes in the snapshot
    until(lambda: late.parts["sweep"].result == sweep, "the sweep on the late follower",
          seconds=30, poll=0.05)
    for follower in (one, late):
        part = follower.parts["sweep"]
        assert follower.sc is None and follower.follows
        assert part.run_button not in part.row.children  # nothing to run
        assert part.figure.layout.display != "none" and len(part.figure.value) > 1000
        assert part.text.value == lead.parts["sweep"].text.value
    # the instructor reveals the question: every page shows the answer the instructor measured
    lead.questions["sweep"].reveal()
    for follower in (one, late):
        until(lambda f=follower: f.questions["sweep"].state.status == "revealed", "the reveal",
              seconds=30, poll=0.05)
        assert follower.questions["sweep"].state.correct == \
            lead.questions["sweep"].state.correct
    for page in (lead, one, late):
        page.room.client.close()
