"""Lesson 1's interactive part: pick an algorithm, a step size and a penalty, then step through
the run on one machine and watch the loss, the path on the contour, the decision boundary and
the test confusion matrix follow.

Each change of a setting recomputes the whole run with :func:`stepper.local.run_local` (a few
tens of milliseconds for 200 iterations of the 2-D data); stepping only moves a cursor through
the recorded iterates, so Back is as fast as Step. Figures are PNG bytes swapped into
``ipywidgets.Image`` widgets (blitting, see :mod:`stepper.pages.kit.figures`).

Stepping uses the shared control bar of :mod:`stepper.pages.kit` (``LessonApp.replay`` on
``replay_from_local(run)``, with its contour, boundary and confusion views plus this module's
J − J* view) when it is available; otherwise a small built-in bar (First, Back, Step, Last,
Play, an iteration slider) with the same figures.

In a room (:mod:`stepper.room.page`), the instructor's explorer publishes each run it builds:
its settings (with J*, w*, the start w₀ and J at the last iterate, :meth:`Explorer.
room_settings`) and its records; every setting change publishes the new run. A follower's
explorer (``?follow=``) runs nothing: its settings controls show the instructor's, and each run
it shows is rebuilt from the published settings and records alone (:meth:`Explorer.
followed_run`), then replayed as the instructor steps.
"""

from __future__ import annotations

from html import escape

import ipywidgets as widgets
import numpy as np

from stepper.errors import StepperError
from stepper.local import LocalPath
from stepper.pages.i18n import text
from stepper.pages.kit.app import LessonApp
from stepper.pages.kit.errors import ErrorBox, guarded
from stepper.pages.kit.figures import ContourFigure, LossFigure, big_fonts
from stepper.pages.kit.local_replay import replay_from_local
from stepper.pages.kit.state_url import PageState
from stepper.pages.kit.widgets import figure_image
from stepper.pages.lesson1_lab import (
    ALGORITHM_LABELS,
    GAP_FLOOR,
    REGULARIZATION_LABELS,
    REGULARIZATIONS,
    Lab1,
    Run,
    judge,
    takes_full_step,
)
from stepper.pages.views import BoundaryView, ConfusionView, ContourSpec, ContourView, View

VERDICT_COLOURS = {"ok": "#e6f4ea", "slow": "#fff8e1", "unstable": "#fdecea",
                   "diverged": "#fdecea"}


class GapView(View):
    """J − J* with a cursor, linked to the explorer's control bar."""

    name = "gap"

    def __init__(self, explorer: Explorer) -> None:
        super().__init__(figure_image(width="49%", max_width="100%"))
        self.explorer = explorer

    def key(self, frame):
        return frame.iteration

    def draw(self, frame) -> bytes:
        return self.explorer.gap_png(frame.iteration)

    def update(self, frame) -> None:
        self.explorer.check_failure(frame.iteration)
        super().update(frame)
        self.explorer.update_readout(frame.iteration)


class Explorer:
    """The widget (``.widget``) and its logic (methods usable without a browser), stepped by
    :mod:`stepper.pages.kit`'s ``LessonApp`` (its control bar and views)."""

    def __init__(self, lab: Lab1, state=None, room=None) -> None:
        self.lab = lab
        self.state = state
        self.room = room  # a stepper.room.page.PageRoom, on a page in a room
        self.follows = bool(room is not None and room.follows)
        self.followed: dict | None = None  # a follower's: the instructor's run, as published
        self._followed_run: tuple[tuple, Run] | None = None
        self._follow_source = None  # a follower's: the records of the followed run
        self.errors = ErrorBox()
        self.fail_on = getattr(state, "fail_on_step", None)
        self._contours: dict = {}
        d = lab.data
        with big_fonts():
            self.gap_figure = LossFigure(text("lesson1.figure.gap_title"), ylabel=None,
                                         name="J − J*",
                                         log=True, width=6.4, height=4.6)
        self.run: Run | None = None
        self.app: LessonApp | None = None
        self._k = 0

        self.algorithm = widgets.Dropdown(
            options=[(label, key) for key, label in ALGORITHM_LABELS.items()], value="gd",
            description=text("control.algorithm"), style={"description_width": "7em"},
            layout=widgets.Layout(width="24em"))
        self.regularization = widgets.Dropdown(
            options=[(label, key) for key, label in REGULARIZATION_LABELS.items()],
            value="none", description=text("control.penalty"), style={"description_width": "7em"},
            layout=widgets.Layout(width="30em"))
        self.multiple = widgets.FloatLogSlider(
            value=1.0, base=10, min=-1, max=3.5, step=0.05,
            description=text("lesson1.explorer.step"),
            readout_format=".3g", continuous_update=False, style={"description_width": "7em"},
            layout=widgets.Layout(width="34em"))
        self.seed = widgets.BoundedIntText(value=0, min=0, max=10_000,
                                           description=text("lesson1.explorer.seed"),
                                           style={"description_width": "7em"},
                                           layout=widgets.Layout(width="14em"))
        self.seed.add_class("stepper-secondary")
        self.step_note = widgets.HTML("")
        self.verdict = widgets.HTML("")
        self.readout = widgets.HTML("")
        self.readout.add_class("stepper-readout")
        if state is not None:
            self._apply_state(state)
        on_settings = guarded(self.errors, text("action.run"))(lambda _change: self.recompute())
        for control in (self.algorithm, self.regularization, self.multiple, self.seed):
            if self.follows:  # the instructor's settings, shown
                control.disabled = True
            else:
                control.observe(on_settings, names="value")
        if self.follows:
            self.step_note.value = f"<i>{escape(text('lesson1.explorer.following'))}</i>"
        settings = widgets.VBox([
            widgets.HBox([self.algorithm, self.regularization],
                         layout=widgets.Layout(flex_flow="row wrap")),
            widgets.HBox([self.multiple, self.step_note, self.seed],
                         layout=widgets.Layout(flex_flow="row wrap", align_items="center")),
        ])

        self.gap_view = GapView(self)
        with big_fonts():
            self.boundary_view = BoundaryView(d.X_test, d.y_test)
        self.confusion_view = ConfusionView(d.X_test, d.y_test,
                                            title=text("lesson1.explorer.test_set"))
        self.app_box = widgets.VBox([])
        stepping: list = [self.readout, self.errors.widget, self.app_box]
        start = getattr(state, "iteration", None)
        if self.follows:
            room.on_settings.append(self.follow_settings)
            self._build_follower_app()
        else:
            if room is not None:
                room.describe = self.room_settings
            self.recompute(keep=start)
        self.widget = widgets.VBox([settings, self.verdict, *stepping])
        self.widget.add_class("stepper-lesson1")

    # -- settings ------------------------------------------------------------------------------
    def _apply_state(self, state) -> None:
        """Set the controls from the page address (``?algorithm=…&penalty=…&lr=…&seed=…``);
        the step ``lr`` is η itself, turned into a multiple of the chosen penalty's 1/L."""
        problems = list(state.problems)
        penalty = getattr(state, "penalty", None)
        if penalty in REGULARIZATION_LABELS:
            self.regularization.value = penalty
        elif penalty is not None:
            problems.append(text("error.url_setting", setting="penalty", value=penalty,
                                 reason=text("url.reason.algorithm",
                                             choices=", ".join(REGULARIZATION_LABELS))))
        if state.algorithm in ALGORITHM_LABELS:
            self.algorithm.value = state.algorithm
        if state.seed is not None:
            self.seed.value = min(int(state.seed), self.seed.max)
        if isinstance(state.lr, float):
            multiple = state.lr / self.lab.safe_step(self.regularization.value)
            self.multiple.value = float(np.clip(multiple, 0.1, 10**3.5))
        if problems:
            self.errors.widget.value = "<div class='stepper-error'>" + "<br>".join(
                escape(p) for p in problems) + "</div>"
            self.errors.widget.layout.display = None

    def _next_app_state(self) -> PageState:
        """The state a rebuilt app starts from: the page's language, and presenter mode as the
        current app has it (the old app is paused)."""
        state = PageState(present=bool(getattr(self.state, "present", False)),
                          lang=getattr(self.state, "lang", None))
        if self.app is not None:
            self.app.player.pause()
            state.present = bool(self.app.controls.present.value)
        return state

    def link_settings(self) -> dict:
        """The explorer's settings as page-address keys, for the "Link to this state"."""
        settings = {"algorithm": self.algorithm.value, "penalty": self.regularization.value,
                    "seed": int(self.seed.value)}
        if self.algorithm.value != "newton":  # Newton always takes the full step
            eta = self.lab.safe_step(self.regularization.value) * self.multiple.value
            settings["lr"] = float(f"{eta:.6g}")
        return settings

    def contour(self, regularization: str) -> ContourFigure:
        """The contour figure of a problem (built once; about a second)."""
        if regularization not in self._contours:
            d = self.lab.data
            w_star, _ = self.lab.optimum(regularization)
            with big_fonts():
                self._contours[regularization] = ContourFigure(
                    REGULARIZATIONS[regularization], d.X, d.y, w_star, mask=d.mask,
                    title=text("lesson1.explorer.contour"))
        return self._contours[regularization]

    def _contour_view(self, regularization: str):

        key = ("view", regularization)
        if key not in self._contours:
            d = self.lab.data
            w_star, _ = self.lab.optimum(regularization)
            with big_fonts():
                self._contours[key] = ContourView(
                    ContourSpec(REGULARIZATIONS[regularization], d.X, d.y, w_star, mask=d.mask),
                    arrows=False, title=text("lesson1.explorer.contour"))
        view = self._contours[key]
        view.forget()
        return view

    @property
    def current(self) -> Run:
        """The run shown (computed by :meth:`recompute`, which the constructor calls; on a
        follower's page, rebuilt from the instructor's records)."""
        if self.follows and self.followed is not None:
            return self.followed_run()
        if self.run is None:
            raise RuntimeError("no run computed yet: call recompute() first")
        return self.run

    @property
    def last(self) -> int:
        return self.current.path.weights.shape[0] - 1

    def recompute(self, keep: int | None = None) -> Run:
        """Run the current settings; the run starts at iteration 0 (or ``keep``)."""
        algorithm = self.algorithm.value
        full_step = takes_full_step(algorithm)
        self.multiple.disabled = full_step
        eta = self.lab.safe_step(self.regularization.value) * self.multiple.value
        self.step_note.value = (f"<span style='font-size:15px'>"
                                f"{escape(text('lesson1.explorer.full_step'))}</span>"
                                if full_step else
                                f"<span style='font-size:15px'>η = {eta:.3g}</span>")
        with big_fonts():
            run = self.lab.run(algorithm, self.regularization.value, self.multiple.value,
                               seed=self.seed.value)
            self.run = run
            self.gap_figure.set_whole(run.gap)
        self._show_verdict(run)
        self._build_app(keep)
        return run

    def _build_app(self, keep: int | None) -> None:
        d, run = self.lab.data, self.current
        replay = replay_from_local(run.path, REGULARIZATIONS[run.regularization], d.X, d.y,
                                   algorithm=run.algorithm)
        for view in (self.gap_view, self.boundary_view, self.confusion_view):
            view.forget()
        state = self._next_app_state()
        views = [self.gap_view, self._contour_view(run.regularization), self.boundary_view,
                 self.confusion_view]
        with big_fonts():
            app = LessonApp.replay(replay, views=views, phases=False, state=state,
                                   link_settings=self.link_settings)
        self.app = app
        self.app_box.children = (app.widget,)
        if self.room is not None:
            self.room.attach(app)  # the first time connects; then publishes the new run
        if keep:
            app.player.seek(min(int(keep), self.last))

    # -- in a room -----------------------------------------------------------------------------
    def room_settings(self) -> dict:
        """What followers need to rebuild the run shown from its records (plain JSON)."""
        run = self.current
        w_star, j_star = self.lab.optimum(run.regularization)
        path = run.path
        return {**self.link_settings(), "multiple": float(run.multiple),
                "step": float(run.step_size), "steps": int(run.steps),
                "iterations": int(path.weights.shape[0] - 1),
                "start": [float(v) for v in path.weights[0]],
                "final": [float(path.objective[-1]), float(path.grad_norm[-1])],
                "optimum": float(j_star), "w_star": [float(v) for v in w_star]}

    def follow_settings(self, settings: dict) -> None:
        """A follower's page: the instructor's settings arrived; a new run rebuilds the app
        (on an empty source that the records fill next). A malformed one is a line."""
        try:
            followed = read_followed(settings, len(self.lab.data.X[0]))
        except (KeyError, TypeError, ValueError) as exc:
            from stepper.room.page import room_heading

            if self.app is not None:
                self.app.show_error(text("lesson1.explorer.bad_settings", problem=exc),
                                    heading=room_heading())
            return
        if followed == self.followed:
            return
        self.algorithm.value = followed["algorithm"]
        self.regularization.value = followed["penalty"]
        self.seed.value = min(followed["seed"], self.seed.max)
        self.multiple.value = float(np.clip(followed["multiple"], 0.1, 10**3.5))
        self.step_note.value = (f"<i>{escape(text('lesson1.explorer.following'))}</i> · "
                                f"η = {followed['step']:.3g}")
        self.room.live = True  # a new run: back to the instructor's position
        self._build_follower_app(followed)

    def _build_follower_app(self, followed: dict | None = None) -> None:
        """A follower's app on the room's records (no run computed here): the run the
        settings ``followed`` describe, whose records arrive next."""
        source = self.room.follower_source(len(self.lab.data.X[0]))
        # from now on the views draw the new run (from the records it receives)
        self.followed, self._follow_source, self._followed_run = followed, source, None
        for view in (self.gap_view, self.boundary_view, self.confusion_view):
            view.forget()
        views: list = [self.boundary_view, self.confusion_view]
        if followed is not None:
            key = ("followed", followed["penalty"], tuple(followed["w_star"]))
            if key not in self._contours:  # drawn once per problem, as the instructor's
                d = self.lab.data
                with big_fonts():
                    self._contours[key] = ContourView(
                        ContourSpec(REGULARIZATIONS[followed["penalty"]], d.X, d.y,
                                    np.asarray(followed["w_star"]), mask=d.mask),
                        arrows=False, title=text("lesson1.explorer.contour"))
            contour = self._contours[key]
            contour.forget()
            views = [self.gap_view, contour, *views]
        state = self._next_app_state()
        with big_fonts():
            app = LessonApp(source, views=views, phases=False, state=state,
                            link_settings=self.link_settings)
        self.app = app
        self.app_box.children = (app.widget,)
        self.room.attach(app)

    def followed_run(self) -> Run:
        """A follower's run, from the published settings and the records received so far:
        iterates w₀ (published) and w₁ … w_n (the records), J and ‖∇J‖ at w₀ … w_{n−1} (the
        records) and at the last iterate (published, once every record has arrived)."""
        followed, source = self.followed, self._follow_source
        if followed is None or source is None:
            raise RuntimeError("no run followed yet")
        records = list(source.history())
        key = (id(source), len(records), id(records[-1]) if records else None)
        if self._followed_run is not None and self._followed_run[0] == key:
            return self._followed_run[1]
        weights = [np.asarray(followed["start"], dtype=float)]
        weights += [np.asarray(r.weights, dtype=float) for r in records]
        objective = [float(r.objective) for r in records]
        norms = [float(r.grad_norm) for r in records]
        if len(records) >= followed["iterations"]:
            objective.append(followed["final"][0])
            norms.append(followed["final"][1])
        elif records:  # the rest is on its way: the iterates whose J is known
            weights = weights[:len(records)]
        else:
            objective, norms = [float("nan")], [float("nan")]
        steps = [r.update.get("step_size") for r in records]
        path = LocalPath(np.array(weights), np.array(objective), np.array(norms),
                         np.array([np.nan if v is None else v for v in steps], dtype=float))
        with np.errstate(invalid="ignore"):
            gap = np.maximum(path.objective - followed["optimum"], GAP_FLOOR)
        gap = np.where(np.isfinite(gap), gap, GAP_FLOOR)
        kind, verdict = judge(path, gap, followed["steps"])
        run = Run(followed["algorithm"], followed["penalty"], followed["multiple"],
                  followed["step"], path, gap, verdict, kind, followed["steps"])
        with big_fonts():
            self.gap_figure.set_whole(run.gap)
        self.gap_view.forget()
        if records:
            self._show_verdict(run)
        self._followed_run = (key, run)
        return run

    def _show_verdict(self, run: Run) -> None:
        value = (f"<div style='background:{VERDICT_COLOURS[run.kind]};padding:6px 12px;"
                 f"border-radius:6px;font-size:17px'>{escape(run.verdict)}</div>")
        if self.verdict.value != value:
            self.verdict.value = value

    # -- what the views and the readout use ---------------------------------------------
    def check_failure(self, k: int) -> None:
        if self.fail_on is not None and k == self.fail_on:
            raise StepperError(text("lesson1.explorer.failed_on_purpose", iteration=k))

    def gap_png(self, k: int) -> bytes:
        with big_fonts():
            return self.gap_figure.show(self.current.gap, min(k, self.last))

    def update_readout(self, k: int) -> None:
        run = self.current
        k = min(k, self.last)
        self._k = k
        scores = self.lab.scores(run.path.weights[k])
        self.readout.value = text("lesson1.explorer.status", k=k, last=self.last,
                                  objective=run.path.objective[k], gap=run.gap[k],
                                  accuracy=100 * scores["test_accuracy"])

    @property
    def k(self) -> int:
        """The iteration on screen."""
        if self.app is not None:
            return self.app.player.position.iteration
        return self._k

    def move(self, steps: int) -> None:
        self.seek(self.k + steps)

    def seek(self, k: int) -> None:
        if self.app is None:
            raise RuntimeError("no run to step through yet: call recompute() first")
        self.app.player.seek(int(np.clip(k, 0, self.last)))


def read_followed(settings: dict, features: int) -> dict:
    """The explorer's part of an instructor's published settings, checked (KeyError,
    TypeError or ValueError with what is wrong)."""
    def number(name: str) -> float:
        value = settings[name]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"{name!r} is not a number")
        if not np.isfinite(value):
            raise ValueError(f"{name!r} is not finite")
        return float(value)

    def vector(name: str, length: int) -> list[float]:
        value = settings[name]
        if (not isinstance(value, list) or len(value) != length
                or not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                           for v in value)):
            raise TypeError(f"{name!r} is not a list of {length} numbers")
        return [float(v) for v in value]

    def count(name: str) -> int:
        value = settings[name]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise TypeError(f"{name!r} is not a count")
        return value

    algorithm, penalty = settings["algorithm"], settings["penalty"]
    if algorithm not in ALGORITHM_LABELS:
        raise ValueError(f"unknown algorithm {str(algorithm)[:40]!r}")
    if penalty not in REGULARIZATIONS:
        raise ValueError(f"unknown penalty {str(penalty)[:40]!r}")
    return {"algorithm": algorithm, "penalty": penalty, "seed": count("seed"),
            "multiple": number("multiple"), "step": number("step"), "steps": count("steps"),
            "iterations": count("iterations"), "start": vector("start", features),
            "final": vector("final", 2), "optimum": number("optimum"),
            "w_star": vector("w_star", features)}
