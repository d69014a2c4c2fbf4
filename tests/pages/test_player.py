"""The player's logic: positions over recorded iterations, background computation, play/pause.

Navigation is tested on a real run on one machine (a Replay); computation on a real Stepper
(Spark, local mode). No timing is asserted: tests wait for the work to finish, then check.
"""

from __future__ import annotations

import threading

import pytest

from stepper.errors import StepperError, one_line
from stepper.pages.kit.player import LiveSource, Player, RecordedSource
from stepper.pages.phases import Position


def test_step_and_back_walk_a_recorded_run(local_replay):
    moves = []
    player = Player(RecordedSource(local_replay), on_change=moves.append)
    assert player.position == Position(0, 0)
    assert player.step() == "moved"
    assert player.position == Position(1, 0)
    assert player.readout() == "Iteration 1 · update"
    player.step()
    player.step()
    assert player.back() == "moved"
    assert player.position == Position(2, 0)
    assert moves[-1] == Position(2, 0)


def test_first_last_and_seek(local_replay):
    player = Player(RecordedSource(local_replay))
    player.last()
    assert player.position.iteration == 12
    assert player.step() == "end"  # a recording has nothing more to compute
    player.seek(5)
    assert player.position.iteration == 5
    player.seek(99)
    assert player.position.iteration == 12
    player.first()
    assert player.position == Position(0, 0)
    assert player.back() == "start"


def test_play_runs_to_the_end_of_a_recording(local_replay):
    player = Player(RecordedSource(local_replay))
    player.delay = 0.0
    player.play()
    player.wait_stopped(timeout=30)
    assert not player.playing
    assert player.position.iteration == 12


def test_pause_stops_play(local_replay):
    reached = threading.Event()
    player = Player(RecordedSource(local_replay))

    def on_change(position):
        if position.iteration == 3:
            player.pause()  # as a click on Pause would, while playing
            reached.set()

    player.on_change = on_change
    player.delay = 0.0
    states = []
    player.on_play = states.append
    player.play()
    assert reached.wait(timeout=30)
    player.wait_stopped(timeout=30)
    assert player.position.iteration == 3
    assert states == [True, False]


def test_error_messages_are_one_line():
    assert one_line(StepperError("lr=-1 is not valid: a positive number")) == \
        "lr=-1 is not valid: a positive number"
    assert one_line(ValueError("bad\nsecond line")) == "ValueError: bad"
    assert one_line(KeyError()) == "KeyError"


# -- live: a real Stepper ----------------------------------------------------------------------
@pytest.fixture()
def live(sc, data_2d):
    from stepper.algorithms import Settings
    from stepper.pages.lesson2_lab import make_stepper
    from stepper.problems import Problem

    X, y = data_2d
    return make_stepper(X, y, 4, Problem("logistic"), Settings(algorithm="gd", lr=1.0, depth=1),
                        sc=sc)


@pytest.mark.spark
def test_step_computes_on_a_background_thread_and_never_twice(live):
    gate = threading.Event()
    player = Player(LiveSource(live), before_compute=lambda _n: gate.wait(30))
    assert player.step() == "computing"
    assert player.busy
    assert player.step() == "busy"  # a second click while Spark works is not queued
    gate.set()
    player.wait()
    assert player.computed == 1
    assert len(live.records) == 1
    assert player.position == Position(1, 0)
    assert player.readout() == "Iteration 1 · broadcast"


@pytest.mark.spark
def test_a_step_pressed_while_spark_starts_is_queued_then_run(live):
    """Step while the Stepper is still being built (Spark starting): the press is kept, the
    page says so, and iteration 1 is computed once Spark is ready."""
    gate = threading.Event()
    messages: list[str | None] = []

    def build():
        gate.wait(30)  # Spark starting and the data loading take this long
        return live

    source = LiveSource(build)
    player = Player(source, on_busy=lambda busy, text: messages.append(text if busy else None))
    player.run_task(source.build, message="Starting Spark…")
    assert player.step() == "queued"
    assert messages[-1] == "Step queued: Spark is starting…"
    assert player.history() == []
    gate.set()
    player.wait()
    assert player.computed == 1 and len(live.records) == 1
    assert player.position == Position(1, 0)
    assert player.step(queue=False) == "moved"  # Play's steps are never queued


def test_a_step_queued_behind_a_failing_start_is_dropped():
    source = LiveSource(lambda: (_ for _ in ()).throw(RuntimeError("no Java found")))
    errors: list[str] = []
    player = Player(source, on_error=errors.append)
    gate = threading.Event()
    player.run_task(lambda: gate.wait(30))
    player.run_task(source.build)
    assert player.step() == "queued"
    gate.set()
    player.wait()
    assert errors == ["RuntimeError: no Java found"]
    assert player.computed == 0 and player.position == Position(0, 0)


@pytest.mark.spark
def test_back_during_a_computation_is_not_undone(live):
    gate = threading.Event()
    player = Player(LiveSource(live), phases=False, before_compute=lambda _n: gate.wait(30))
    player.step()
    player.wait()
    assert player.position.iteration == 1
    gate.clear()
    player.step()
    assert player.back() == "moved"  # clickable while iteration 2 is computed
    assert player.position.iteration == 0
    gate.set()
    player.wait()
    assert len(player.history()) == 2
    assert player.position.iteration == 0  # the view stays where the user put it


@pytest.mark.spark
def test_pause_while_playing_live_stops_computing(live):
    player = Player(LiveSource(live), phases=False)
    player.delay = 0.0
    stop_at = 2

    def on_change(position):
        if position.iteration >= stop_at:
            player.pause()

    player.on_change = on_change
    player.play()
    player.wait_stopped(timeout=120)
    player.wait()
    computed = player.computed
    assert computed == stop_at
    assert len(live.records) == stop_at


@pytest.mark.spark
def test_a_failing_step_reports_and_the_player_goes_on(live):
    errors = []

    def fail_first(number):
        if number == 1:
            raise StepperError("iteration 1 failed on purpose")

    player = Player(LiveSource(live), phases=False, before_compute=fail_first,
                    on_error=errors.append)
    player.step()
    player.wait()
    assert errors == ["iteration 1 failed on purpose"]
    assert player.position.iteration == 0
    assert not player.busy
    player.step()
    player.wait()
    assert player.position.iteration == 1


@pytest.mark.spark
def test_reset_starts_again_and_settings_recompute_later_iterations(live):
    player = Player(LiveSource(live), phases=False)
    for _ in range(3):
        player.step()
        player.wait()
    first = [r.objective for r in live.records]
    player.seek(1)
    live.set(lr=0.5)
    player.settings_changed()
    assert len(player.history()) == 1  # iterations 2 and 3 will be recomputed
    player.step()
    player.wait()
    assert player.position.iteration == 2
    assert live.records[1].objective == first[1]  # J at w₁: the same weights
    assert live.records[1].update["step_size"] == 0.5
    generation = player.generation
    player.reset()
    player.wait()
    assert player.position == Position(0, 0)
    assert player.history() == []
    assert player.generation == generation + 1


@pytest.mark.spark
def test_prefetch_makes_the_next_iteration_ready_and_defers_its_failure(live):
    errors = []

    def fail_third(number):
        if number == 3:
            raise StepperError("iteration 3 failed on purpose")

    player = Player(LiveSource(live), phases=False, prefetch=True, before_compute=fail_third,
                    on_error=errors.append)
    assert player.step() == "computing"
    player.wait()  # iteration 1, then iteration 2 computed ahead
    assert player.position.iteration == 1
    assert len(player.history()) == 2
    assert player.step() == "moved"  # iteration 2 was ready
    player.wait()  # iteration 3 is tried ahead and fails: nobody is told yet
    assert errors == []
    assert len(player.history()) == 2
    assert player.step() == "failed"  # now that Step reaches it
    assert errors == ["iteration 3 failed on purpose"]
    assert player.step() == "computing"  # and the next Step computes it again
    player.wait()
    assert player.position.iteration == 3
