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
"""

from __future__ import annotations

from html import escape

import ipywidgets as widgets
import numpy as np

from stepper.errors import StepperError
from stepper.pages.i18n import text
from stepper.pages.kit.app import LessonApp
from stepper.pages.kit.errors import ErrorBox, guarded
from stepper.pages.kit.figures import ContourFigure, LossFigure, big_fonts
from stepper.pages.kit.local_replay import replay_from_local
from stepper.pages.kit.state_url import PageState
from stepper.pages.kit.widgets import figure_image
from stepper.pages.lesson1_lab import (
    ALGORITHM_LABELS,
    REGULARIZATION_LABELS,
    REGULARIZATIONS,
    Lab1,
    Run,
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

    def __init__(self, lab: Lab1, state=None) -> None:
        self.lab = lab
        self.state = state
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
        on_settings = guarded(self.errors, "computing the run")(lambda _change: self.recompute())
        for control in (self.algorithm, self.regularization, self.multiple, self.seed):
            control.observe(on_settings, names="value")
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
        """The run shown (computed by :meth:`recompute`, which the constructor calls)."""
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
        self.verdict.value = (
            f"<div style='background:{VERDICT_COLOURS[run.kind]};padding:6px 12px;"
            f"border-radius:6px;font-size:17px'>{escape(run.verdict)}</div>")
        self._build_app(keep)
        return run

    def _build_app(self, keep: int | None) -> None:
        d, run = self.lab.data, self.current
        replay = replay_from_local(run.path, REGULARIZATIONS[run.regularization], d.X, d.y,
                                   algorithm=run.algorithm)
        for view in (self.gap_view, self.boundary_view, self.confusion_view):
            view.forget()
        state = PageState(present=bool(getattr(self.state, "present", False)))
        if self.app is not None:
            self.app.player.pause()
            state.present = bool(self.app.controls.present.value)
        views = [self.gap_view, self._contour_view(run.regularization), self.boundary_view,
                 self.confusion_view]
        with big_fonts():
            app = LessonApp.replay(replay, views=views, phases=False, state=state,
                                   link_settings=self.link_settings)
        self.app = app
        self.app_box.children = (app.widget,)
        if keep:
            app.player.seek(min(int(keep), self.last))

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
