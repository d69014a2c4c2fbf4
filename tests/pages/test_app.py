"""The lesson app without a browser: its widgets are clicked as the page would click them."""

from __future__ import annotations

import re

import numpy as np
import pytest

from stepper.pages.kit.app import LessonApp
from stepper.pages.kit.data import optimum
from stepper.pages.kit.state_url import PageState, read_state
from stepper.pages.views import ContourSpec
from stepper.problems import Problem


def is_png(value) -> bool:
    return bytes(value[:8]) == b"\x89PNG\r\n\x1a\n"


@pytest.fixture()
def replay_app(local_replay, data_2d):
    X, y = data_2d
    problem = Problem("logistic")
    return LessonApp.replay(local_replay, views=("flow", "loss", "contour", "boundary"),
                            contour=ContourSpec(problem, X, y, optimum(problem, X, y)),
                            boundary=(X, y))


def view(app, name):
    return next(v for v in app.views if v.name == name)


def test_the_bar_has_the_words_and_the_readout(replay_app):
    c = replay_app.controls
    labels = " ".join(b.description for b in (c.first, c.back, c.step, c.play, c.last, c.reset))
    for word in ("Step", "Back", "Play", "Reset", "First", "Last"):
        assert word in labels
    assert c.readout.value == "Iteration 0 · start"


def test_step_and_back_swap_figures_in_place(replay_app):
    c = replay_app.controls
    contour, loss, flow = view(replay_app, "contour"), view(replay_app, "loss"), view(
        replay_app, "flow")
    start_png = bytes(contour.widget.value)
    assert is_png(start_png) and is_png(loss.widget.value)
    assert "<svg" in flow.widget.value
    widget_ids = (id(contour.widget), id(loss.widget))
    c.step.click()
    assert c.readout.value.startswith("Iteration 1")
    after = bytes(contour.widget.value)
    assert after != start_png
    c.back.click()
    assert c.readout.value == "Iteration 0 · start"
    assert bytes(contour.widget.value) == start_png  # the same picture again
    assert widget_ids == (id(contour.widget), id(loss.widget))  # swapped in place


def test_the_slider_scrubs_recorded_iterations(replay_app):
    c = replay_app.controls
    c.last.click()
    assert c.slider.max == 12 and c.slider.value == 12
    c.slider.value = 4
    assert c.readout.value == "Iteration 4 · update"
    c.first.click()
    assert c.slider.value == 0


def test_a_failing_callback_shows_a_message_and_the_page_goes_on(replay_app):
    def broken(_button):
        raise ZeroDivisionError("division by zero")

    guarded = replay_app._guard(broken)
    guarded(None)
    assert replay_app.error.layout.display == "block"
    assert "ZeroDivisionError: division by zero" in replay_app.error.value
    assert "Traceback" not in replay_app.error.value
    replay_app.controls.step.click()  # still works, and clears the message
    assert replay_app.controls.readout.value.startswith("Iteration 1")
    assert replay_app.error.layout.display == "none"


def test_a_failing_view_is_reported_not_raised(replay_app):
    loss = view(replay_app, "loss")

    def broken(frame):
        raise RuntimeError("cannot draw")

    loss.draw = broken
    replay_app.controls.step.click()
    assert "RuntimeError: cannot draw" in replay_app.error.value
    replay_app.controls.back.click()  # the page keeps working


def test_presenter_mode_by_toggle_and_by_address(local_replay):
    app = LessonApp.replay(local_replay, views=("flow", "loss"))
    assert "stepper-present" not in app.widget._dom_classes
    app.controls.present.value = True
    assert "stepper-present" in app.widget._dom_classes
    assert "present=1" in app.link.value
    app.controls.present.value = False
    assert "stepper-present" not in app.widget._dom_classes
    url_app = LessonApp.replay(local_replay, views=("loss",), state=read_state("present=1"))
    assert "stepper-present" in url_app.widget._dom_classes
    secondary = [w for w in (url_app.controls.speed, url_app.controls.new_seed)
                 if "stepper-secondary" in w._dom_classes]
    assert len(secondary) == 2  # hidden by the presenter stylesheet


def test_the_presenter_toggle_switches_the_whole_page(local_replay):
    """The page's title block is the page-wide marker: the toggle sets it as ?present=1 does."""
    from stepper.pages.kit.widgets import header

    title = header("A lesson")
    assert "stepper-present" not in title._dom_classes
    app = LessonApp.replay(local_replay, views=("loss",))
    app.controls.present.value = True
    assert "stepper-present" in title._dom_classes
    app.controls.present.value = False
    assert "stepper-present" not in title._dom_classes


def test_the_link_carries_the_page_settings(local_replay):
    app = LessonApp.replay(local_replay, views=("loss",),
                           link_settings=lambda: {"algorithm": "momentum", "penalty": "ridge"})
    app.controls.step.click()
    query = app.link.value.split("?", 1)[1].split('"', 1)[0]
    state = read_state(query.replace("&amp;", "&"))
    assert (state.algorithm, state.penalty, state.iteration) == ("momentum", "ridge", 1)


def test_url_problems_are_shown(local_replay):
    app = LessonApp.replay(local_replay, views=("loss",), state=read_state("lr=-3"))
    assert "URL setting lr=" in app.error.value and "ignored" in app.error.value
    assert "<b>Note:</b>" in app.error.value


def test_bars_for_more_than_two_weights(local_replay):
    app = LessonApp.replay(local_replay, views=("gradients",), feature_names=["b", "x1", "x2"])
    assert view(app, "gradients").name == "gradients"
    assert is_png(app.views[0].widget.value)


# -- live ------------------------------------------------------------------------------------
@pytest.fixture()
def live_app(sc, data_2d):
    from stepper.algorithms import Settings
    from stepper.pages.lesson2_lab import make_stepper

    X, y = data_2d
    problem = Problem("logistic")
    run = make_stepper(X, y, 8, problem, Settings(algorithm="gd", lr=1.0, depth=2), sc=sc)
    return LessonApp.live(run, views=("flow", "gradients", "tree", "timeline", "loss"),
                          contour=ContourSpec(problem, X, y, optimum(problem, X, y)),
                          state=PageState())


@pytest.mark.spark
def test_live_step_walks_the_phases_with_every_view(live_app):
    c = live_app.controls
    c.step.click()
    live_app.wait()
    assert c.readout.value == "Iteration 1 · broadcast"
    texts = {}
    for _ in range(11):
        c.step.click()
        texts[c.readout.value] = {v.name: v.widget.value for v in live_app.views
                                  if isinstance(v.widget.value, str)}
    assert c.readout.value == "Iteration 1 · update"
    tree = texts["Iteration 1 · reduce: level 1 of 2 (executors)"]["tree"]
    assert "task 1" in tree and "task 2" in tree and "driver" in tree
    timeline = texts["Iteration 1 · map: partition 3 of 8"]["timeline"]
    assert "barrier at" in timeline and "#ff9f1c" in timeline  # the current task outlined
    flow = texts["Iteration 1 · map: partition 3 of 8"]["flow"]
    assert "Partition 3 sums the loss" in flow


@pytest.mark.spark
def test_live_failure_on_purpose_is_shown_and_the_next_step_works(live_app):
    c = live_app.controls
    live_app.state.fail_on_step = 2  # as ?fail_on_step=2 in the address does
    live_app.player.phases = False
    c.step.click()
    live_app.wait()
    c.step.click()  # the address asked iteration 2 to fail
    live_app.wait()
    assert "failed on purpose" in live_app.error.value
    assert c.readout.value.startswith("Iteration 1")
    c.step.click()
    live_app.wait()
    assert c.readout.value.startswith("Iteration 2")
    assert live_app.error.layout.display == "none"


@pytest.mark.spark
def test_live_settings_change_partitions_and_depth(live_app, data_2d):
    from stepper.pages.kit.app import Setting
    from stepper.pages.lesson2_lab import repartition

    X, y = data_2d
    run = live_app.source.stepper
    c = live_app.controls
    live_app.player.phases = False
    c.step.click()
    live_app.wait()
    before = run.weights.copy()
    repartition(run, X, y, 3)
    run.set(depth=1)
    live_app.player.settings_changed()
    c.step.click()
    live_app.wait()
    record = run.records[-1]
    assert len(record.partitions) == 3
    assert record.reduce["depth"] == 1
    np.testing.assert_allclose(record.weights_before, before)
    assert isinstance(Setting("x", [1], 1, print).options, list)


def test_the_address_opens_an_iteration(local_replay):
    app = LessonApp.replay(local_replay, views=("loss",), state=read_state("iteration=5"))
    app.wait()
    assert app.controls.readout.value == "Iteration 5 · update"
    assert "iteration=5" in app.link.value


def test_starting_spark_shows_the_seconds_waited(starting_app):
    """While the Stepper is being built (the JVM start), the notice counts the seconds; once
    the start ends, the count stops and the notice goes."""
    import time

    app, gate = starting_app
    status = app.controls.status
    assert "Starting Spark" in status.value
    assert re.search(r'class="stepper-elapsed">\d+ s<', status.value), status.value
    gate.set()
    app.wait(60)
    time.sleep(1.5)  # a tick after the end must not bring the notice back
    assert status.value == ""
    assert "no Spark in this test" in app.error.value
