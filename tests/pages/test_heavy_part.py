"""The kit's heavy part (lessons 3 and 4's sweeps and comparisons), without Spark: a compute
returning a dict is drawn and published, bad options are one line and nothing starts, a shared
busy lock lets one part run at a time, the figure is made only at the first PNG, Stop stops, a
failure is one line, and a follower's part has no Run button and draws what it receives."""

from __future__ import annotations

import threading
from html import unescape
from types import SimpleNamespace

from stepper.pages import i18n
from stepper.pages.kit.errors import PageInputError
from stepper.pages.kit.heavy_part import (
    HeavyPart,
    follow_room,
    progress_line,
    results_of,
    room_publisher,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def squares(progress, _stop, n: int = 3) -> dict:
    for k in range(n):
        progress(k, n, f"square {k}")
    return {"squares": [k * k for k in range(n)]}


def draw_squares(result: dict) -> tuple[str, bytes | None]:
    return f"<b>{sum(result['squares'])}</b>", PNG if len(result["squares"]) > 2 else None


def test_a_run_draws_publishes_and_says_done():
    published, told = [], []
    part = HeavyPart("sq", squares, draw_squares, run_label="Run it",
                     publish=lambda name, result: published.append((name, result)),
                     on_result=lambda name, result: told.append(name))
    assert part.figure is None and part.run_button in part.row.children
    assert part.start(background=False) is None  # ran here
    assert part.result == {"squares": [0, 1, 4]} and part.text.value == "<b>5</b>"
    assert part.figure is not None and part.figure.value == PNG
    assert part.figure in part.result_box.children
    assert published == [("sq", part.result)] and told == ["sq"]
    assert part.status.value == i18n.text("part.done") and "Done" in part.status.value
    assert part.bar.max == 3 and part.errors.messages == []
    assert not part.run_button.disabled and part.stop_button.disabled


def test_a_background_run_returns_its_thread_and_wait_waits():
    release = threading.Event()

    def slow(progress, stop):
        release.wait(10)
        return {"squares": [1]}

    part = HeavyPart("slow", slow, draw_squares, run_label="Run")
    assert part.wait(0)  # nothing running: at once
    thread = part.start()
    assert thread is part.thread and thread.is_alive()
    assert part.run_button.disabled and not part.wait(0.05)
    assert part.start() is None  # a second press while it runs does nothing
    release.set()
    assert part.wait(10) and part.result == {"squares": [1]}
    thread.join(10)


def test_the_progress_line_counts_and_names_what_runs():
    part = HeavyPart("sq", squares, draw_squares, run_label="Run")
    part.progress(2, 5, "GD")
    assert (part.bar.value, part.bar.max) == (2, 5)
    assert "stepper-busy" in part.status.value
    assert progress_line(2, 5, "GD") in unescape(part.status.value)
    part.progress(0, 0, "loading")
    assert (part.bar.value, part.bar.max) == (2, 5)  # unknown total: the bar stays
    assert progress_line(0, 0, "loading") == i18n.text("part.running_what", what="loading")
    assert progress_line(0, 0) == i18n.text("part.running")


def test_bad_options_are_one_line_and_nothing_starts():
    started = []

    def compute(progress, stop, **options):
        started.append(options)
        return {}

    def bad_number() -> dict:
        raise ValueError("'x' is not a number")

    part = HeavyPart("bad", compute, draw_squares, run_label="Run", options=bad_number)
    assert part.start() is None and part.thread is None and started == []
    assert part.errors.messages == ["'x' is not a number"] and part.errors.shown
    assert not part.run_button.disabled and part.wait(0)

    def bad_key() -> dict:
        raise PageInputError("lesson3.bad.staleness_text", value="0, x")

    keyed = HeavyPart("keyed", compute, draw_squares, run_label="Run", options=bad_key)
    assert keyed.start(background=False) is None and started == []
    assert keyed.errors.messages == [i18n.text("lesson3.bad.staleness_text", value="0, x")]

    good = HeavyPart("good", compute, lambda _r: ("", None), run_label="Run",
                     options=lambda: {"n": 2})
    good.start(background=False)
    assert started == [{"n": 2}] and good.errors.messages == []


def test_the_busy_lock_refuses_a_second_part_until_the_first_is_done():
    busy, release = threading.Lock(), threading.Event()

    def held(progress, stop):
        release.wait(10)
        return {"squares": [2]}

    first = HeavyPart("first", held, draw_squares, run_label="Run", busy=busy)
    second = HeavyPart("second", squares, draw_squares, run_label="Run", busy=busy)
    thread = first.start()
    assert second.start() is None and second.result is None
    assert second.errors.messages == [i18n.text("part.busy")]
    release.set()
    assert first.wait(10)
    thread.join(10)
    second.start(background=False)
    assert second.result is not None and not second.errors.shown  # the line went away


def test_the_figure_is_made_at_the_first_png_only():
    part = HeavyPart("fig", squares, draw_squares, run_label="Run", figure_first=True,
                     options=lambda: {"n": 2})
    part.start(background=False)
    assert part.result is not None and part.figure is None  # no PNG yet: no Image at all
    assert part.result_box.children == (part.text,)
    part.options = lambda: {"n": 4}
    part.start(background=False)
    figure = part.figure
    assert figure is not None and part.result_box.children == (figure, part.text)
    part.start(background=False)
    assert part.figure is figure  # swapped in place, not made again


def test_stop_returns_what_was_measured_and_says_so():
    def until_stopped(progress, stop):
        done = 0
        while not stop.wait(0.01):
            done += 1
            progress(done, 1000)
        return {"squares": [done], "stopped": True}

    part = HeavyPart("stop", until_stopped, draw_squares, run_label="Run")
    assert part.stop_button in part.row.children
    thread = part.start()
    assert not part.stop_button.disabled
    part.stop_button.click()
    assert part.wait(10)
    thread.join(10)
    assert part.result["stopped"] and unescape(part.status.value) == i18n.text("part.stopped")
    no_stop = HeavyPart("plain", squares, draw_squares, run_label="Run", stoppable=False)
    assert no_stop.stop_button not in no_stop.row.children


def test_a_failure_is_one_line_and_the_part_runs_again():
    calls = []

    def fails_once(progress, stop):
        calls.append(1)
        if len(calls) == 1:
            raise ZeroDivisionError("division by zero")
        return {"squares": [3]}

    part = HeavyPart("fail", fails_once, draw_squares, run_label="Run")
    part.start(background=False)
    assert part.errors.messages == [i18n.text("part.failed",
                                              error="ZeroDivisionError: division by zero")]
    assert i18n.text("error.heading") in part.errors.widget.value  # what the notebooks test finds
    assert "Traceback" in part.errors.widget.value  # folded under the line
    assert part.status.value == "" and part.result is None
    part.start(background=False)
    assert part.result == {"squares": [3]} and not part.errors.shown


def test_a_followers_part_has_no_run_button_and_draws_what_it_receives():
    def never(progress, stop):
        raise AssertionError("a follower's page computed")

    part = HeavyPart("sq", never, draw_squares, run_label="Run", follows=True)
    other = HeavyPart("other", never, draw_squares, run_label="Run", follows=True)
    assert part.row.children == (part.status,)  # no Run, no Stop, no bar
    assert i18n.text("part.waiting") in unescape(part.status.value)
    assert part.start() is None and part.figure is None
    room = SimpleNamespace(follows=True, on_result=[], results={"sq": {"squares": [0, 1]}},
                           publish_result=lambda *_: None)
    follow_room(room, {"sq": part, "other": other})
    assert part.result == {"squares": [0, 1]} and part.figure is None  # from the snapshot
    assert results_of({"sq": part, "other": other}) == {"sq": {"squares": [0, 1]}}
    assert unescape(part.status.value) == i18n.text("part.from_instructor")
    for callback in room.on_result:  # later results, as the room hands them over
        callback("sq", {"squares": [0, 1, 2]})
        callback("unknown", {"squares": []})
    assert part.text.value == "<b>3</b>" and part.figure is not None
    assert results_of({"sq": part, "other": other}) == {"sq": {"squares": [0, 1, 2]}}
    assert room_publisher(room) is None  # a follower publishes nothing
    lead = SimpleNamespace(follows=False, publish_result=print)
    assert room_publisher(lead) is print and room_publisher(None) is None
