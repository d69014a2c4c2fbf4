"""The control bar's logic, without widgets: a view position over recorded iterations.

A :class:`Player` moves a :class:`~stepper.pages.phases.Position` (iteration, phase) through the
iterations its *source* has recorded. Step reveals the next phase; past the last recorded phase
it asks the source to compute a new iteration (a Spark job) on a background thread, so the
kernel keeps handling clicks: Pause, Back and the slider stay usable while Spark works. Only one
computation runs at a time; a Step clicked meanwhile is ignored, and Play waits for each
computation before the next (it never queues work). A Step clicked while other work runs (Spark
starting, the data loading, a setting being applied) is queued instead: it runs once that work
is done, and the page says so ("Step queued: …"). Back, First, Last and seeking only read
recorded iterations: no Spark.

Sources: :class:`LiveSource` wraps a :class:`~stepper.engine.Stepper`; :class:`RecordedSource`
wraps a :class:`~stepper.engine.Replay` or a list of records (nothing to compute).
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

import numpy as np

from stepper.errors import StepperError
from stepper.pages.i18n import text as words
from stepper.pages.kit.errors import attendee_line
from stepper.pages.phases import Phase, Position, phases_of, readout_text
from stepper.trace import IterationRecord


class LiveSource:
    """A live :class:`~stepper.engine.Stepper`: each new iteration is computed by Spark.

    ``stepper`` may be a zero-argument function that builds one (starting Spark, loading the
    data): :meth:`build` calls it, off the main thread, so the page renders before the JVM has
    started. Until then ``features`` gives the shape of w₀ (zeros).
    """

    can_compute = True

    def __init__(self, stepper: Any, features: int | None = None) -> None:
        if callable(stepper) and not hasattr(stepper, "step"):
            self._factory, self._stepper = stepper, None
        else:
            self._factory, self._stepper = None, stepper
        self.features = features
        self._built = threading.Event()
        if self._stepper is not None:
            self._built.set()

    @property
    def ready(self) -> bool:
        return self._stepper is not None

    def build(self) -> None:
        if self._stepper is None and self._factory is not None:
            self._stepper = self._factory()
        self._built.set()

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Block until the Stepper is built (True) or ``timeout`` seconds passed (False)."""
        return self._built.wait(timeout)

    @property
    def stepper(self) -> Any:
        if self._stepper is None:
            raise StepperError(words("error.still_starting"))
        return self._stepper

    @property
    def algorithm(self) -> str | None:
        return self._stepper.settings.method.name if self._stepper is not None else None

    @property
    def seed(self) -> int | None:
        return self._stepper.settings.seed if self._stepper is not None else None

    def history(self) -> list[IterationRecord]:
        return self._stepper.records if self._stepper is not None else []

    def compute(self) -> IterationRecord:
        self.build()
        return self.stepper.step()

    def truncate(self, iteration: int) -> None:
        """Continue from ``iteration``: later records are dropped at the next computation."""
        if self._stepper is not None and iteration < self._stepper.iteration:
            self._stepper.seek(iteration)

    def reset(self, seed: int | None = None) -> None:
        if self._stepper is not None:
            self._stepper.reset(seed)

    def initial_weights(self) -> Any:
        if self._stepper is not None:
            return self._stepper._states[0].w
        return None if self.features is None else np.zeros(self.features)


class RecordedSource:
    """Recorded iterations (a Replay, a trace, a local run): navigation only."""

    can_compute = False

    def __init__(self, records: Any, algorithm: str | None = None) -> None:
        recorded = getattr(records, "recorded", records)
        self._records: list[IterationRecord] = list(recorded)
        settings = getattr(records, "settings", None) or {}
        self.algorithm = algorithm or settings.get("algorithm")
        self.seed = settings.get("seed")

    def history(self) -> list[IterationRecord]:
        return self._records

    def compute(self) -> IterationRecord:
        raise StepperError(words("error.recorded_run"))

    def truncate(self, iteration: int) -> None:
        return None

    def reset(self, seed: int | None = None) -> None:
        return None

    def initial_weights(self) -> Any:
        return self._records[0].weights_before if self._records else None


class Player:
    """Position, navigation and background computation for one lesson app.

    Callbacks (all optional, called from whichever thread made the change):
    ``on_change(position)``, ``on_busy(bool, message)``, ``on_error(message)``, ``on_play(bool)``.
    ``phases=False`` makes every move a whole iteration. ``prefetch=True`` computes the next
    iteration while the current one is shown (its failure is reported when Step reaches it).
    """

    def __init__(
        self,
        source: Any,
        *,
        phases: bool = True,
        on_change: Callable[[Position], None] | None = None,
        on_busy: Callable[[bool, str | None], None] | None = None,
        on_error: Callable[[str], None] | None = None,
        on_play: Callable[[bool], None] | None = None,
        before_compute: Callable[[int], None] | None = None,
        prefetch: bool = False,
    ) -> None:
        self.source = source
        self.phases = phases
        self.on_change = on_change
        self.on_busy = on_busy
        self.on_error = on_error
        self.on_play = on_play
        self.before_compute = before_compute
        self.delay = 0.5  # seconds between moves while playing
        self._lock = threading.RLock()
        self._position = Position(0, 0)
        self._worker: threading.Thread | None = None
        self._player: threading.Thread | None = None
        self._playing = False
        self._moves = 0  # bumped by every move: a finished computation only jumps to its
        #                  result when nobody moved meanwhile
        self.prefetch = prefetch
        self._prefetching = False
        self._pending_jump = False
        self._deferred: str | None = None
        self._queued = False  # a Step pressed while a task (not an iteration) ran
        self._task_running = False
        self.generation = 0  # bumped when recorded iterations are replaced (reset, settings)
        self.computed = 0  # how many iterations this player asked the source to compute
        self.last_error: str | None = None

    # -- reading -------------------------------------------------------------------------------
    @property
    def position(self) -> Position:
        return self._position

    @property
    def busy(self) -> bool:
        return self._worker is not None and self._worker.is_alive()

    @property
    def playing(self) -> bool:
        return self._playing

    def history(self) -> list[IterationRecord]:
        return self.source.history()

    def record(self, iteration: int | None = None) -> IterationRecord | None:
        k = self._position.iteration if iteration is None else iteration
        history = self.history()
        return history[k - 1] if 0 < k <= len(history) else None

    def phase_list(self, iteration: int | None = None) -> list[Phase]:
        return phases_of(self.record(iteration), self.source.algorithm)

    def phase(self) -> Phase:
        phases = self.phase_list()
        return phases[min(self._position.phase, len(phases) - 1)]

    def readout(self) -> str:
        return readout_text(self._position, self.phase_list())

    def _last_phase(self, iteration: int) -> int:
        return len(self.phase_list(iteration)) - 1

    # -- moving ----------------------------------------------------------------------------------
    def _move(self, position: Position) -> None:
        with self._lock:
            self._position = position
            self._moves += 1
        self._notify_change()

    def _notify_change(self) -> None:
        if self.on_change is not None:
            try:
                self.on_change(self._position)
            except Exception as exc:
                self._report(exc)

    def _report(self, exc: BaseException) -> None:
        self.last_error = attendee_line(exc)
        traceback.print_exc()  # the kernel log keeps the details; the page shows one line
        if self.on_error is not None:
            self.on_error(self.last_error)

    def step(self, queue: bool = True) -> str:
        """Next phase, next recorded iteration, or compute one. Returns what it did:
        ``"moved"``, ``"computing"``, ``"busy"`` (a computation is running), ``"queued"`` (a
        task such as Spark's start is running: with ``queue`` the Step runs once it is done),
        ``"failed"`` (a computation made ahead of time failed: its message is reported now) or
        ``"end"``."""
        with self._lock:
            k, i = self._position.iteration, self._position.phase
            history = self.history()
            if self.phases and k > 0 and i < self._last_phase(k):
                self._move(Position(k, i + 1))
                return "moved"
            if k < len(history):
                self._move(Position(k + 1, 0 if self.phases else self._last_phase(k + 1)))
                self._maybe_prefetch()
                return "moved"
            if not self.source.can_compute:
                return "end"
            if self._deferred is not None:
                message, self._deferred = self._deferred, None
                self.last_error = message
                self._playing = False
                if self.on_error is not None:
                    self.on_error(message)
                return "failed"
            if self.busy:
                if self._prefetching:
                    self._pending_jump = True  # show it as soon as it is ready
                    return "computing"
                if self._task_running and queue:
                    self._queued = True
                    self._set_busy(True, self._queued_message())
                    return "queued"
                return "busy"
            self._start_compute()
            return "computing"

    def _maybe_prefetch(self) -> None:
        """With ``prefetch``, compute the iteration after the last one while the page shows
        the current one, so the next Step is instant (never more than one ahead)."""
        if (self.prefetch and self.source.can_compute and not self.busy
                and self._deferred is None
                and self._position.iteration == len(self.history())):
            self._start_compute(prefetch=True)

    def _start_compute(self, prefetch: bool = False) -> None:
        self._prefetching = prefetch
        self._pending_jump = False
        self._worker = threading.Thread(target=self._compute, args=(self._moves, prefetch),
                                        daemon=True, name="stepper-compute")
        k = len(self.history()) + 1
        self._set_busy(True, words("status.prefetch", iteration=k) if prefetch else None)
        self._worker.start()

    def _set_busy(self, busy: bool, message: str | None = None) -> None:
        if self.on_busy is not None:
            try:
                self.on_busy(busy, message)
            except Exception as exc:
                self._report(exc)

    def _queued_message(self) -> str:
        if getattr(self.source, "ready", True):
            return words("status.queued.free")
        return words("status.queued.starting")

    def _run_queued_step(self) -> None:
        """After the last task: the Step pressed meanwhile, if any."""
        with self._lock:
            if not self._queued or self._worker is not None:
                return
            self._queued = False
        self.step(queue=False)

    def run_task(self, fn: Callable[[], None], on_error: Callable[[], None] | None = None,
                 message: str | None = None) -> threading.Thread:
        """Run ``fn`` off the main thread, after any running computation, as the only work:
        Step is ignored meanwhile. Errors are reported; ``on_error`` may undo a change."""
        self.pause()
        with self._lock:
            previous = self._worker

            def work() -> None:
                if previous is not None:
                    previous.join()
                self._set_busy(True, self._queued_message() if self._queued
                               else message or words("status.working"))
                try:
                    fn()
                except Exception as exc:
                    self._queued = False  # the Step waited for this work, which failed
                    self._report(exc)
                    if on_error is not None:
                        try:
                            on_error()
                        except Exception:
                            traceback.print_exc()
                finally:
                    with self._lock:
                        if self._worker is threading.current_thread():
                            self._worker = None
                            self._task_running = False
                    self._set_busy(False)
                    self._run_queued_step()

            thread = threading.Thread(target=work, daemon=True, name="stepper-task")
            self._worker = thread
            self._task_running = True
            thread.start()
        return thread

    def _compute(self, moves_at_start: int, prefetch: bool = False) -> None:
        self.last_error = None
        try:
            self.computed += 1
            if self.before_compute is not None:
                self.before_compute(self.computed)
            self.source.compute()
        except Exception as exc:
            with self._lock:
                defer = prefetch and not self._pending_jump
                if defer:  # nobody asked for it yet: tell when they do
                    self._deferred = attendee_line(exc)
                    traceback.print_exc()
            if not defer:
                self._playing = False
                self._report(exc)
            self._finish_compute(moved=False)
            return
        with self._lock:
            jump = (not prefetch and self._moves == moves_at_start) or self._pending_jump
            self._pending_jump = False
            if jump:
                k = len(self.history())
                self._position = Position(k, 0 if self.phases else self._last_phase(k))
                self._moves += 1
        self._finish_compute(moved=True)
        with self._lock:
            self._maybe_prefetch()

    def _finish_compute(self, moved: bool) -> None:
        with self._lock:
            if self._worker is threading.current_thread():
                self._worker = None
                self._prefetching = False
        self._set_busy(False)
        if moved:
            # the slider's range grew even when the view stayed where the user put it
            self._notify_change()

    def back(self) -> str:
        with self._lock:
            k, i = self._position.iteration, self._position.phase
            if self.phases and i > 0:
                self._move(Position(k, i - 1))
            elif k > 0:
                previous = k - 1
                self._move(Position(previous, self._last_phase(previous) if previous else 0))
            else:
                return "start"
            return "moved"

    def first(self) -> None:
        self._move(Position(0, 0))

    def last(self) -> None:
        k = len(self.history())
        self._move(Position(k, self._last_phase(k)))

    def seek(self, iteration: int, phase: int | None = None) -> None:
        k = max(0, min(int(iteration), len(self.history())))
        last = self._last_phase(k)
        self._move(Position(k, last if phase is None else max(0, min(phase, last))))

    def reset(self, seed: int | None = None) -> None:
        """Back to iteration 0; a live source also forgets its iterations (after any running
        computation, off the main thread)."""
        self.pause()
        if not self.source.can_compute:
            self._move(Position(0, 0))
            return

        def work() -> None:
            with self._lock:
                self.source.reset(seed)
                self._deferred = None
                self.generation += 1
                self._position = Position(0, 0)
                self._moves += 1
            self._notify_change()

        self.run_task(work, message=words("status.starting_again"))

    def settings_changed(self) -> None:
        """Settings changed at the current position: later iterations will be recomputed."""
        with self._lock:
            k = self._position.iteration
            if self.source.can_compute:
                self.source.truncate(k)
            self._deferred = None
            self.generation += 1
            self._position = Position(k, self._last_phase(k))
            self._moves += 1
        self._notify_change()

    # -- playing ---------------------------------------------------------------------------------
    def play(self) -> None:
        with self._lock:
            if self._playing:
                return
            self._playing = True
            self._player = threading.Thread(target=self._play_loop, daemon=True,
                                            name="stepper-play")
            self._player.start()
        if self.on_play is not None:
            self.on_play(True)

    def pause(self) -> None:
        was = self._playing
        self._playing = False
        if was and self.on_play is not None:
            self.on_play(False)

    def toggle_play(self) -> None:
        if self._playing:
            self.pause()
        else:
            self.play()

    def _play_loop(self) -> None:
        try:
            while self._playing:
                started = time.monotonic()
                outcome = self.step(queue=False)
                if outcome == "computing":
                    self.wait()
                    if self.last_error is not None and not self._playing:
                        break
                elif outcome == "end":
                    break
                elif outcome == "busy":
                    self.wait()
                    continue
                rest = self.delay - (time.monotonic() - started)
                if rest > 0:
                    time.sleep(rest)
        finally:
            was = self._playing
            self._playing = False
            if was and self.on_play is not None:
                self.on_play(False)

    def wait(self, timeout: float | None = None) -> None:
        """Block until the running computation or task (if any) is done."""
        while True:
            worker = self._worker
            if worker is None or worker is threading.current_thread():
                return
            worker.join(timeout)
            if timeout is not None or self._worker is worker:
                return

    def wait_stopped(self, timeout: float | None = None) -> None:
        """Block until Play has stopped (after :meth:`pause` or the end)."""
        player = self._player
        if player is not None:
            player.join(timeout)

