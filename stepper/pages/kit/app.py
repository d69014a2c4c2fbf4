"""A lesson app: the control bar, the player and the views, wired together and guarded.

Every callback (button, key, slider, setting, background computation) runs through
:meth:`LessonApp._guard`: an exception becomes a one-line message in the page's error box and
the page keeps working; the details go to the kernel's log, never to the page.
"""

from __future__ import annotations

import html
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets
import numpy as np

from stepper.errors import StepperError
from stepper.pages.i18n import text
from stepper.pages.kit.controls import KEYBOARD_JS, ControlBar
from stepper.pages.kit.errors import ErrorBox, attendee_line, guard
from stepper.pages.kit.player import LiveSource, Player, RecordedSource
from stepper.pages.kit.state_url import PageState, state_query
from stepper.pages.kit.style import set_page_presenter, set_present_class, style_widget
from stepper.pages.phases import Position
from stepper.pages.views import (
    BarsView,
    BoundaryView,
    ContourSpec,
    ContourView,
    FlowView,
    Frame,
    LossView,
    TimelineView,
    TreeView,
    View,
)

DEFAULT_VIEWS = ("flow", "gradients", "tree", "timeline", "loss")
PLAIN_VIEWS: dict[str, Callable[[], View]] = {"flow": FlowView, "tree": TreeView,
                                              "timeline": TimelineView, "loss": LossView}


WAITING = ("status.starting_spark", "status.starting_spark.short", "status.loading_first",
           "status.starting_again", "status.queued.free", "status.queued.starting")
"""The busy notices of a wait of some seconds: the page counts the seconds after them."""


def waiting_messages() -> set[str]:
    """The :data:`WAITING` notices in the page's language."""
    return {text(key) for key in WAITING}


@dataclass
class Setting:
    """One setting of the page: a dropdown whose change runs ``apply(value)`` off the kernel's
    main thread (it may run Spark), then continues the run from the current iteration."""

    name: str
    options: Sequence[Any]
    value: Any
    apply: Callable[[Any], None]
    description: str | None = None
    labels: Sequence[str] | None = None
    extra: dict = field(default_factory=dict)


class LessonApp:
    """One stepping app on a page (see the package docstring for the options)."""

    def __init__(
        self,
        source: Any,
        *,
        views: Sequence[str | View] = DEFAULT_VIEWS,
        contour: ContourSpec | None = None,
        boundary: tuple[np.ndarray, np.ndarray] | None = None,
        feature_names: Sequence[str] | None = None,
        phases: bool = True,
        settings: Sequence[Setting] = (),
        state: PageState | None = None,
        partitions: int | None = None,
        prefetch: bool = True,
        link_settings: Callable[[], dict[str, Any]] | None = None,
    ) -> None:
        self.source = source
        self.state = state or PageState()
        self.room: Any = None  # the page's room (stepper.room.page), when the address has one
        self.link_settings = link_settings
        self._partitions = partitions
        self.controls = ControlBar(can_compute=source.can_compute, phases=phases)
        if not source.can_compute and not any(r.partitions for r in source.history()[:1]):
            self.controls.phases.layout.display = "none"  # a run on one machine: no phases
        self.player = Player(source, phases=phases, on_change=self._changed,
                             on_busy=self._busy, on_error=self.show_error, on_play=self._playing,
                             before_compute=self._before_compute,
                             prefetch=bool(source.can_compute and prefetch))
        self.views = self._make_views(views, contour, boundary, feature_names)
        self.frame_listeners: list[Callable[[Frame], None]] = []
        """Called with each frame the page shows (after the views): text that follows the run."""
        self.settings = list(settings)
        self._render_lock = threading.RLock()
        self._renders_waiting = 0  # page renders waiting for the lock: prerendering yields
        self._waiting_lock = threading.Lock()
        self._syncing = False
        self._failed_on_purpose = False
        self.errors = ErrorBox()
        self.error = self.errors.widget
        self.link = widgets.HTML("")
        self.link.add_class("stepper-secondary")
        self.link.add_class("stepper-link")
        self._setting_widgets = [self._setting_widget(s) for s in self.settings]
        settings_box = widgets.HBox(self._setting_widgets,
                                    layout=widgets.Layout(flex_flow="row wrap"))
        settings_box.add_class("stepper-secondary")
        settings_box.add_class("stepper-settings")
        self.widget = widgets.VBox([style_widget(), self.error, self.controls.widget,
                                    settings_box, self.link, *self._layout_views()])
        self.widget.add_class("stepper-app")
        self._connect()
        if self.state.problems:
            self.show_error("; ".join(self.state.problems), heading=text("error.note"))
        self.controls.present.value = bool(self.state.present)
        self._render()
        target = self.state.iteration
        if target:
            self.run_in_background(lambda: self._advance_to(target))

    # -- construction --------------------------------------------------------------------------
    @classmethod
    def live(cls, stepper: Any, *, features: int | None = None, autostart: bool = True,
             **options: Any) -> LessonApp:
        """An app on a live :class:`~stepper.engine.Stepper` (Step runs Spark).

        ``stepper`` may be a function that builds the Stepper: the page then renders at once
        and the function runs in the background (the JVM start, the data loading); give
        ``features`` and ``partitions`` so iteration 0 can be drawn meanwhile. With
        ``autostart=False`` it runs at the first Step instead (a second app on a page need not
        compete with the first for the machine); :meth:`start` starts it earlier.
        """
        from stepper.room.page import claim_room

        room = claim_room()  # ?room= publishes this app's run, ?follow= replays another's
        if room is not None and room.follows:  # no Spark: the instructor's records replay
            app = cls(room.follower_source(features), **{**options, "settings": ()})
            room.attach(app)
            return app
        source = LiveSource(stepper, features)
        if source.ready:
            options.setdefault("partitions", stepper.data.partitions)
        app = cls(source, **options)
        if room is not None:
            room.attach(app)
        if autostart:
            app.start()
        return app

    def start(self) -> None:
        """Build a live app's Stepper in the background now (once): Spark starts. A page may
        call this in its last cell, so the JVM does not compete with the page's rendering."""
        source = self.source
        if not isinstance(source, LiveSource) or source.ready or getattr(self, "_started", False):
            return
        self._started = True
        self.player.run_task(source.build, message=text("status.starting_spark"))
        self.player.run_task(self._render, message=text("status.drawing"))

    @classmethod
    def replay(cls, records: Any, *, algorithm: str | None = None, **options: Any) -> LessonApp:
        """An app on recorded iterations: a Replay, a list of records, or a trace file path."""
        if isinstance(records, str):
            from stepper.engine import Replay

            records = Replay.load(records)
        return cls(RecordedSource(records, algorithm), **options)

    def _make_views(self, names, contour, boundary, feature_names) -> list[View]:
        """The views named (or given) in order; "gradients" and "contour" share one contour
        view on 2-D weights, "gradients" is bars per partition otherwise."""
        views: list[View] = []
        contour_view: ContourView | None = None
        for name in names:
            if isinstance(name, View):
                views.append(name)
            elif name in PLAIN_VIEWS:
                views.append(PLAIN_VIEWS[name]())
            elif name in ("gradients", "contour") and contour is not None:
                if contour_view is None:
                    contour_view = ContourView(contour)
                    views.append(contour_view)
            elif name == "gradients":
                views.append(BarsView(list(feature_names or [])))
            elif name == "boundary":
                if boundary is None:
                    raise StepperError("the boundary view needs boundary=(X, y)")
                views.append(BoundaryView(*boundary))
            elif name != "contour":  # a contour without a ContourSpec: nothing to draw
                raise StepperError(f"unknown view {name!r}: flow, gradients, contour, tree, "
                                   "timeline, loss or boundary")
        return views

    def _layout_views(self) -> list[widgets.Widget]:
        rows: list[widgets.Widget] = []
        pending: list[widgets.Widget] = []
        for view in self.views:
            if isinstance(view, FlowView):
                rows.append(view.widget)
                continue
            pending.append(view.widget)
            if len(pending) == 2:
                rows.append(self._row(pending))
                pending = []
        if pending:
            rows.append(self._row(pending))
        return rows

    @staticmethod
    def _row(items: list[widgets.Widget]) -> widgets.HBox:
        row = widgets.HBox(items, layout=widgets.Layout(justify_content="space-between",
                                                         align_items="flex-start",
                                                         flex_flow="row wrap"))
        row.add_class("stepper-row")
        return row

    def _setting_widget(self, setting: Setting) -> widgets.Dropdown:
        labels = setting.labels or [str(v) for v in setting.options]
        dropdown = widgets.Dropdown(
            options=list(zip(labels, setting.options, strict=True)), value=setting.value,
            description=setting.description or setting.name,
            layout=widgets.Layout(width="auto"), style={"description_width": "initial"})
        dropdown.add_class(f"stepper-setting-{setting.name}")

        def changed(change: dict) -> None:
            if change["name"] != "value" or self._syncing:
                return
            value = change["new"]
            self.clear_error()

            def apply() -> None:
                setting.apply(value)
                setting.value = value
                self.player.settings_changed()
                self.forget()

            self.run_in_background(apply, undo=lambda: self._restore(dropdown, setting))

        dropdown.observe(self._guard(changed), names="value")
        return dropdown

    def _restore(self, dropdown: widgets.Dropdown, setting: Setting) -> None:
        self._syncing = True
        try:
            dropdown.value = setting.value
        finally:
            self._syncing = False

    # -- wiring ----------------------------------------------------------------------------------
    def _connect(self) -> None:
        c, p = self.controls, self.player

        def action(fn: Callable[[], Any], pause: bool = True) -> Callable[[Any], None]:
            def run(_button: Any) -> None:
                self.clear_error()
                if pause:
                    p.pause()
                fn()
            return self._guard(run)

        c.step.on_click(action(p.step, pause=False))
        c.back.on_click(action(p.back))
        c.first.on_click(action(p.first))
        c.last.on_click(action(p.last))
        c.play.on_click(action(p.toggle_play, pause=False))
        c.reset.on_click(action(lambda: self.reset(new_seed=False)))
        c.new_seed.on_click(action(lambda: self.reset(new_seed=True)))
        c.help.on_click(self._guard(lambda _b: c.toggle_help()))
        c.present.observe(self._guard(lambda ch: self.set_presenter(ch["new"])), names="value")
        c.speed.observe(self._guard(lambda _ch: setattr(p, "delay", c.delay)), names="value")
        c.phases.observe(self._guard(self._phases_changed), names="value")
        c.slider.observe(self._guard(self._slid), names="value")
        p.delay = c.delay

    def _guard(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """``fn`` with any exception turned into a message in the page."""
        return guard(fn, lambda exc: self.show_error(attendee_line(exc)))

    def _slid(self, change: dict) -> None:
        if self._syncing:
            return
        self.clear_error()
        self.player.pause()
        self.player.seek(change["new"])

    def _phases_changed(self, change: dict) -> None:
        self.player.phases = bool(change["new"])
        k = self.player.position.iteration
        self.player.seek(k)

    def _before_compute(self, number: int) -> None:
        wanted = self.state.fail_on_step
        if wanted is not None and number == wanted and not self._failed_on_purpose:
            self._failed_on_purpose = True
            raise StepperError(text("error.failed_on_purpose", iteration=number, wanted=wanted))

    def run_in_background(self, fn: Callable[[], Any],
                          undo: Callable[[], None] | None = None) -> threading.Thread:
        """Run ``fn`` off the kernel's main thread as the player's only work (Step waits);
        errors go to the page and ``undo`` runs."""
        return self.player.run_task(fn, on_error=undo)

    def wait(self, timeout: float | None = None) -> None:
        """Block until background work has finished (tests, notebooks)."""
        self.player.wait(timeout)

    def exercise(self, iterations: int = 2) -> None:
        """Start, then compute ``iterations`` iterations on this thread, and raise if the page
        would show an error: what a notebook run headlessly (nbclient, nbconvert) does instead
        of waiting for clicks."""
        if isinstance(self.source, LiveSource) and not self.source.ready:
            self.player.run_task(self.source.build, message=text("status.starting_spark.short"))
        self.wait()
        for _ in range(100 * iterations):
            if len(self.player.history()) >= iterations:
                break
            self.player.step()
            self.wait()
            if self.player.last_error is not None:
                break
        if self.errors.shown or self.player.last_error is not None:
            raise StepperError(self.player.last_error or self.errors.messages[-1])
        self.player.seek(len(self.player.history()))


    def _advance_to(self, iteration: int) -> None:
        history = self.player.history()
        while len(history) < iteration and self.source.can_compute:
            self.source.compute()
            history = self.player.history()
        self.player.seek(min(iteration, len(history)))

    # -- actions ----------------------------------------------------------------------------------
    def reset(self, new_seed: bool = False) -> None:
        seed = None
        if new_seed:
            current = getattr(self.source, "seed", None) or 0
            seed = int(current) + 1
        self.player.reset(seed)

    def forget(self) -> None:
        for view in self.views:
            view.forget()

    def set_presenter(self, on: bool) -> None:
        set_present_class(self.widget, bool(on))
        self.state.present = bool(on)
        set_page_presenter(bool(on))
        self._update_link()

    def show_error(self, line: str, heading: str | None = None) -> None:
        """Show ``line`` (one readable line) in the page's message box."""
        self.errors.show_line(line, heading)

    def clear_error(self) -> None:
        self.errors.clear()

    # -- rendering --------------------------------------------------------------------------------
    def _busy(self, busy: bool, message: str | None = None) -> None:
        if not hasattr(self, "_status_lock"):
            self._status_lock, self._status_turn = threading.Lock(), 0
        with self._status_lock:
            self._status_turn += 1
            turn = self._status_turn
            if not busy:
                self.controls.status.value = ""
                return
            k = len(self.player.history()) + 1
            given = message
            message = given or text("status.computing", iteration=k)
            if isinstance(self.source, LiveSource) and not self.source.ready and not given:
                message = text("status.loading_first")
            self.controls.status.value = f'<span class="stepper-busy">{message}</span>'
        if message in waiting_messages():  # a wait of some seconds: show them
            threading.Thread(target=self._tick_elapsed, args=(turn, message), daemon=True,
                             name="stepper-elapsed").start()

    def _tick_elapsed(self, turn: int, message: str) -> None:
        """Every second while the same busy notice is up: the notice with the seconds waited."""
        started = time.monotonic()
        while True:
            time.sleep(1.0)
            with self._status_lock:
                if self._status_turn != turn:
                    return
                seconds = int(time.monotonic() - started)
                self.controls.status.value = (
                    f'<span class="stepper-busy">{message} '
                    f'<span class="stepper-elapsed">{seconds} s</span></span>')

    def _playing(self, playing: bool) -> None:
        self.controls.play.description = ("❚❚ " + text("control.pause") if playing
                                          else "▶ " + text("control.play"))

    def _changed(self, _position: Position) -> None:
        self._render()

    def frame(self) -> Frame:
        """What the page shows now."""
        return self.frame_at(self.player.position)

    def frame_at(self, position: Position) -> Frame:
        """What the page would show at ``position``."""
        p = self.player
        record = p.record(position.iteration)
        partitions = self._partitions or 0
        if record is not None and record.partitions:
            partitions = len(record.partitions)
        elif isinstance(self.source, LiveSource) and self.source.ready:
            partitions = self.source.stepper.data.partitions
        initial = self.source.initial_weights()
        phases = p.phase_list(position.iteration)
        phase = phases[min(position.phase, len(phases) - 1)]
        return Frame(position=position, phase=phase, record=record,
                     history=list(p.history()), initial_weights=initial, partitions=partitions,
                     generation=p.generation)

    def prerender(self, iteration: int) -> None:
        """Draw every phase of ``iteration`` into the views' caches (call it off the main
        thread): moving there later only swaps bytes already made. A room's follower does this
        as the instructor's records arrive. It gives way, phase by phase, to the page's own
        renders: a position to show never waits for more than one phase's drawing."""
        for phase in range(len(self.player.phase_list(iteration))):
            while self._renders_waiting:
                time.sleep(0.005)
            with self._render_lock:
                frame = self.frame_at(Position(iteration, phase))
                for view in self.views:
                    view.render(frame)

    def _render(self) -> None:
        with self._waiting_lock:
            self._renders_waiting += 1
        try:
            self._render_locked()
        finally:
            with self._waiting_lock:
                self._renders_waiting -= 1

    def _render_locked(self) -> None:
        with self._render_lock:
            frame = self.frame()
            c = self.controls
            c.readout.value = html.escape(self.player.readout())
            self._syncing = True
            try:
                top = len(frame.history)
                if c.slider.max != top:
                    if top < c.slider.value:
                        c.slider.value = top
                    c.slider.max = top
                if c.slider.value != frame.iteration:
                    c.slider.value = frame.iteration
            finally:
                self._syncing = False
            for view in self.views:
                view.update(frame)
            for listener in list(self.frame_listeners):
                try:
                    listener(frame)
                except Exception:  # a listener's failure never breaks the page
                    traceback.print_exc()
            self._update_link()

    def _update_link(self) -> None:
        state = PageState(present=self.state.present, iteration=self.player.position.iteration,
                          lang=self.state.lang)
        if isinstance(self.source, LiveSource) and self.source.ready:
            stepper = self.source.stepper
            state.algorithm = stepper.settings.method.name
            state.lr = stepper.settings.step_rule
            state.partitions = stepper.data.partitions
            state.depth = stepper.settings.depth
            state.seed = stepper.settings.seed
        if self.link_settings is not None:
            for name, value in self.link_settings().items():
                setattr(state, name, value)
        query = state_query(state)
        self.link.value = (f'<span class="stepper-link">{html.escape(text("status.link"))} '
                           f'<a href="?{html.escape(query)}">?{html.escape(query)}</a></span>')

    # -- display ----------------------------------------------------------------------------------
    def _ipython_display_(self) -> None:
        from IPython.display import HTML, display

        display(self.widget)
        display(HTML(KEYBOARD_JS))
