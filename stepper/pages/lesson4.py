"""Lesson 4's page, "fewer rounds", section by section (the notebook calls one method per
section).

The stepping app (GD or L-BFGS on the 2-D data, on Spark) draws at once; its Spark starts in
:meth:`Lesson4Page.finish`. The heavier parts (the rounds comparison, the sweeps, MLlib) are the
kit's heavy parts (:class:`~stepper.pages.kit.heavy_part.HeavyPart`, ``page.parts``): they run on
the instructor's (or a solo) page in a worker thread, one at a time, with a progress bar and
line; in a room each result is published (``room.publish_result``) and a follower
(``?follow=``) draws it from ``room.on_result`` / ``room.results`` without starting Spark.
``?quick=1`` shrinks the runs.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
import numpy as np

from stepper.algorithms import Settings
from stepper.pages import lesson2_lab, lesson4_figures, lesson4_lab, lesson4_questions
from stepper.pages import lesson4_tables as tables
from stepper.pages.i18n import text
from stepper.pages.kit.app import LessonApp, Setting
from stepper.pages.kit.data import data_dir, load_2d, optimum
from stepper.pages.kit.environment import in_voila
from stepper.pages.kit.figures import ContourFigure
from stepper.pages.kit.heavy_part import (
    HeavyPart,
    Progress,
    follow_room,
    results_of,
    room_publisher,
)
from stepper.pages.kit.state_url import PageState, read_state
from stepper.pages.kit.widgets import figure_image
from stepper.pages.lesson4_inputs import (
    parse_local_steps,
    parse_rhos,
    progress_word,
    quick_from_query,
)
from stepper.pages.prose import choose_language, page_top, section_html, section_markdown
from stepper.pages.question import Question
from stepper.pages.views import ContourSpec
from stepper.problems import Problem
from stepper.room.questions import ask

PARTS = ("rounds", "mllib", "local_sgd", "admm", "lasso", "four")
"""The heavy parts, in the page's order; each has a button, a progress line and a result."""


class Lesson4Page:
    """The sections of lesson 4. ``finish()`` must be the last call of the notebook."""

    def __init__(self, state: PageState | None = None, quick: bool | None = None) -> None:
        self.language = choose_language()
        self.state = read_state() if state is None else state
        self.quick = quick_from_query() if quick is None else quick
        self.sizes = lesson4_lab.sizes(self.quick)
        self.questions: dict[str, Question] = {}
        self.busy = threading.Lock()  # one heavy part at a time
        self._spark_lock = threading.Lock()
        self._churn: dict[str, Any] | None = None
        data = load_2d()
        self.X, self.y = data.X, data.y
        self.problem = Problem("logistic", l2=0.01)
        self.w_star = optimum(self.problem, self.X, self.y)
        algorithm = self.state.algorithm if self.state.algorithm in ("gd", "lbfgs") else "lbfgs"
        self.settings = Settings(algorithm=algorithm,
                                 lr="spectral" if algorithm == "gd" else 1.0)
        self.app = LessonApp.live(
            lambda: lesson2_lab.make_stepper(self.X, self.y, 4, self.problem, self.settings),
            features=self.X.shape[1], partitions=4, state=self.state,
            views=("gradients", "loss"),
            contour=ContourSpec(self.problem, self.X, self.y, self.w_star),
            settings=[self._method_setting()], autostart=False)
        self.room = self.app.room
        self.follows = bool(self.room is not None and self.room.follows)
        self.inputs = {"local_steps": widgets.Text(
                           value=", ".join(str(h) for h in self.sizes.local_steps),
                           description=text("lesson4.input.local_steps"),
                           style={"description_width": "initial"},
                           layout=widgets.Layout(width="34em")),
                       "rho": widgets.Text(value=", ".join(f"{r:g}" for r in self.sizes.rhos),
                                           description=text("lesson4.input.rho"),
                                           style={"description_width": "initial"},
                                           layout=widgets.Layout(width="34em"))}
        for name, box in self.inputs.items():
            box.add_class(f"stepper-input-{name}")
        self.paths = lesson4_lab.paths_2d(self.X, self.y, self.problem, 25)
        self.memory = int(Settings(algorithm="lbfgs").method.hyper["memory"])  # the path's m
        self.pairs = lesson4_lab.lbfgs_pairs(self.X, self.y, self.problem,
                                             np.asarray(self.paths["lbfgs"]["weights"]),
                                             memory=self.memory)
        self.summary = widgets.HTML(tables.summary_html({}))
        self.summary.add_class("stepper-result-summary")
        self.total_cost = widgets.HTML("")
        self.parts = {name: self._part(name) for name in PARTS}
        follow_room(self.room, self.parts)

    # -- text --------------------------------------------------------------------------------------
    def header(self) -> widgets.Widget:
        return page_top("lesson4", self.language, objective="objective.lessons")

    def section(self, key: str):  # -> IPython.display.Markdown
        return section_markdown(key)

    def section_widget(self, key: str, hidden_by: str | None = None) -> widgets.Widget:
        box = widgets.HTML(section_html(key))
        if hidden_by in self.questions:
            self.questions[hidden_by].hide(box)
        return box

    # -- the stepping part ---------------------------------------------------------------------
    def _method_setting(self) -> Setting:
        from stepper.pages.catalog import method_label

        def apply(name: Any) -> None:
            run = self.app.source.stepper
            run.set(algorithm=name, lr="spectral" if name == "gd" else 1.0)
            self.app.reset()

        names = ["lbfgs", "gd"]
        return Setting("algorithm", names, self.settings.name, apply,
                       text("lesson2.setting.algorithm"), labels=[method_label(n) for n in names])

    def stepper(self) -> LessonApp:
        """GD or L-BFGS on the 2-D data on Spark, step by step (the contour shows the path)."""
        return self.app

    def lbfgs_paths(self) -> widgets.Widget:
        """Both paths on the contour, and the pairs (s, y) L-BFGS keeps (computed in numpy at
        once: the 2-D data is small)."""
        contour = ContourFigure(self.problem, self.X, self.y, self.w_star,
                                title=text("lesson4.figure.paths"), width=6.4, height=4.8)
        image = figure_image(lesson4_figures.paths_png(contour, self.paths), max_width="620px")
        image.add_class("stepper-lesson4-paths")
        pairs = tables.pairs_html(self.pairs, self.paths, self.memory)
        return widgets.VBox([image, widgets.HTML(pairs)])

    # -- the heavy parts -------------------------------------------------------------------------
    def _part(self, name: str) -> HeavyPart:
        def compute(progress: Progress, _stop: threading.Event, **options: Any) -> dict:
            def in_words(done: int, total: int, what: str = "") -> None:
                progress(done, total, " ".join(progress_word(word) for word in what.split(" ")))

            return self.compute(name, in_words, **options)

        return HeavyPart(name, compute, lambda result: self._draw(name, result),
                         run_label=text(f"lesson4.run.{name}"),
                         options=lambda: self._options(name), follows=self.follows,
                         publish=room_publisher(self.room), on_result=self._computed,
                         busy=self.busy, stoppable=False, figure_first=True)

    def part(self, name: str) -> widgets.Widget:
        """The button, progress line and result of heavy part ``name`` (:data:`PARTS`)."""
        extra: list[widgets.Widget] = []
        if name == "local_sgd":
            extra = [self.inputs["local_steps"]]
        elif name == "admm":
            extra = [self.inputs["rho"]]
        return widgets.VBox([*extra, self.parts[name].widget])

    def _options(self, name: str) -> dict[str, Any]:
        """The typed inputs of part ``name`` (a ValueError with one line when they are bad)."""
        if name == "local_sgd":
            return {"local_steps": parse_local_steps(self.inputs["local_steps"].value)}
        if name == "admm":
            return {"rhos": parse_rhos(self.inputs["rho"].value)}
        return {}

    def churn(self) -> dict[str, Any]:
        """The churn data prepared as lesson 2 does (on Spark, once), its rows in numpy and J*
        (``data``, ``X``, ``y``, ``w_star``, ``j_star``)."""
        with self._spark_lock:
            if self._churn is None:
                prepared = lesson2_lab.prepare_churn(os.path.join(data_dir(), "churn.csv"),
                                                     partitions=4)
                X, y = prepared.train.to_numpy()
                self._churn = churn_values(prepared.train, X, y)
            return self._churn

    def use_churn(self, data: Any, X: np.ndarray, y: np.ndarray) -> None:
        """Run the heavy parts on ``data`` (a :class:`~stepper.data.loaders.SparkData` of the
        churn rows, prepared elsewhere, e.g. by a test) with its rows ``X``, ``y`` in numpy,
        instead of preparing the CSV on Spark at the first run. J* is computed here (numpy)."""
        with self._spark_lock:
            self._churn = churn_values(data, X, y)

    @property
    def churn_prepared(self) -> bool:
        """Whether this page holds the churn data (a follower's page never prepares it)."""
        return self._churn is not None

    def compute(self, name: str, progress: Callable[[int, int, str], None] = lambda *_: None,
                **options: Any) -> dict[str, Any]:
        """Run part ``name`` (Spark) and return its JSON-able result; ``progress(done, total,
        what)`` hears of each run."""
        progress(0, 0, text("lesson4.loading_churn"))
        churn = self.churn()
        problem = lesson4_lab.churn_problem()
        if name == "rounds":
            result = lesson4_lab.compare_methods(churn["data"], problem, churn["j_star"],
                                                 self.sizes, progress)
        elif name == "mllib":
            from pyspark.sql import SparkSession

            progress(0, 1, "MLlib")
            spark = SparkSession.builder.getOrCreate()  # the session the churn data runs on
            fitted = lesson4_lab.mllib_fit(spark, churn["X"], churn["y"],
                                           lesson4_lab.CHURN_L2)
            result = {**fitted, "ours": [float(v) for v in churn["w_star"]],
                      "features": list(getattr(churn["data"], "feature_names", None) or [])}
        elif name == "local_sgd":
            result = lesson4_lab.local_sgd_sweep(churn["X"], churn["y"], problem,
                                                 churn["j_star"], options["local_steps"],
                                                 self.sizes.local_rounds, progress=progress)
        elif name == "admm":
            result = lesson4_lab.admm_rho_sweep(churn["data"], problem, churn["j_star"],
                                                options["rhos"], self.sizes.admm_iterations,
                                                progress)
        elif name == "lasso":
            progress(0, 1, "ADMM lasso")
            result = lesson4_lab.admm_lasso(churn["data"], churn["X"], churn["y"],
                                            lesson4_lab.LASSO_L1, 0.01,
                                            self.sizes.admm_iterations)
            result["features"] = list(getattr(churn["data"], "feature_names", None) or [])
        elif name == "four":
            result = lesson4_lab.four_curves(churn["data"], problem, self.sizes.four_iterations,
                                             progress)
        else:
            raise KeyError(name)
        result["quick"] = self.quick
        return result

    # -- drawing (the instructor's and a follower's page alike) ----------------------------------
    def _draw(self, name: str, result: dict[str, Any]) -> tuple[str, bytes | None]:
        """Part ``name``'s table (HTML) and figure (PNG or None) for ``result``."""
        if name == "rounds":
            self.total_cost.value = tables.total_cost_html(result)
            return tables.rounds_html(result), lesson4_figures.rounds_png(result)
        if name == "mllib":
            return tables.mllib_html(result), None
        if name == "local_sgd":
            return tables.local_sgd_html(result), lesson4_figures.local_sgd_png(result)
        if name == "admm":
            return tables.admm_html(result), lesson4_figures.admm_png(result)
        if name == "lasso":
            return tables.lasso_html(result), None
        if name == "four":
            return "", lesson4_figures.four_curves_png(result)
        raise KeyError(name)

    @property
    def results(self) -> dict[str, dict[str, Any]]:
        """Each heavy part's latest result (computed here or received from the instructor)."""
        return results_of(self.parts)

    def _computed(self, name: str, _result: dict[str, Any]) -> None:
        """A part's result was drawn (computed here or received): the closing table and the
        questions follow."""
        self.summary.value = tables.summary_html(self.results)
        for question in self.questions.values():
            question.result_ready()

    def closing_table(self) -> widgets.Widget:
        """Every method: rounds, bytes per round, local work, stragglers, non-IID data."""
        return self.summary

    def total_cost_table(self) -> widgets.Widget:
        """Total cost = cost per round × rounds, from the rounds comparison."""
        return self.total_cost

    def losses(self) -> widgets.Widget:
        """The four losses against the margin (no Spark)."""
        image = figure_image(lesson4_figures.losses_png(), max_width="620px")
        image.add_class("stepper-lesson4-losses")
        return image

    def adaptive_paths(self) -> widgets.Widget:
        """The adaptive methods' paths on a long valley and a saddle (numpy, no Spark)."""
        from stepper.pages import lesson4_adaptive

        image = figure_image(lesson4_adaptive.paths_png(), max_width="980px")
        image.add_class("stepper-lesson4-adaptive")
        return widgets.VBox([widgets.HTML(section_html("lesson4.adaptive_paths")), image])

    # -- questions -------------------------------------------------------------------------------
    def _ask(self, name: str, question: Question) -> widgets.Widget:
        return ask(self.questions, name, question, self.room)

    def _result(self, name: str) -> dict[str, Any]:
        if name not in self.results:
            raise LookupError(f"{name} not run yet")
        return self.results[name]

    def question(self, name: str) -> widgets.Widget:
        """The predict-then-reveal question ``name`` (rounds, rate, mllib, non_iid, zeros),
        hiding the part that answers it."""
        part_of = {"rounds": "rounds", "rate": "rounds", "mllib": "mllib",
                   "non_iid": "local_sgd", "zeros": "lasso"}
        question = lesson4_questions.make(name, lambda: self._result(part_of[name]))
        question.hide(self.parts[part_of[name]].result_box)
        return self._ask(name, question)

    def finish(self) -> None:
        """Start Spark for the stepper; run headlessly (nbclient, the tests): two real
        iterations instead of clicks, and with ``?quick=1`` every heavy part too (the page
        test does; the notebooks' execution test, without it, leaves them to their own
        tests)."""
        self.app.start()
        if not in_voila() and not self.follows:
            self.app.exercise(iterations=2)
            for name in PARTS if self.quick else ():
                part = self.parts[name]
                part.start(background=False)
                if part.errors.shown:
                    raise RuntimeError(part.errors.messages[-1])


def churn_values(data: Any, X: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    """What the heavy parts read of the churn data: the Spark rows, their numpy copy, the
    optimum w* and J* of the lesson's objective (numpy)."""
    from stepper.pages.kit.data import optimum_and_value

    w_star, j_star = optimum_and_value(lesson4_lab.churn_problem(), X, y)
    return {"data": data, "X": X, "y": y, "w_star": w_star, "j_star": j_star}
