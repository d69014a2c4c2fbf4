"""Lesson 4's page, "fewer rounds", section by section (the notebook calls one method per
section).

The stepping app (GD or L-BFGS on the 2-D data, on Spark) draws at once; its Spark starts in
:meth:`Lesson4Page.finish`. The heavier parts (the rounds comparison, the sweeps, MLlib) run on
the instructor's (or a solo) page in a worker thread, one at a time, with a progress line; in a
room each result is published (``room.publish_result``) and a follower (``?follow=``) draws it
from ``room.on_result`` / ``room.results`` without starting Spark. ``?quick=1`` shrinks the runs.
"""

from __future__ import annotations

import html
import os
import threading
import traceback
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


class Part:
    """One heavy part: its button, progress line, error line and output widgets."""

    def __init__(self, name: str, follows: bool) -> None:
        self.name = name
        self.button = widgets.Button(description=text(f"lesson4.run.{name}"),
                                     button_style="info", layout=widgets.Layout(width="auto"))
        self.button.add_class(f"stepper-run-{name}")
        if follows:
            self.button.layout.display = "none"
        self.status = widgets.HTML(f"<i>{html.escape(text('lesson4.follower_wait'))}</i>"
                                   if follows else "")
        self.status.add_class("stepper-part-status")
        self.error = widgets.HTML("")
        self.error.add_class("stepper-part-error")
        self.figure: widgets.Image | None = None  # made at the first figure (no empty <img>)
        self.table = widgets.HTML("")
        self.table.add_class(f"stepper-result-{name}")
        self.result_box = widgets.VBox([self.table])
        self.widget = widgets.VBox([widgets.HBox([self.button, self.status]), self.error,
                                    self.result_box])
        self.widget.add_class(f"stepper-part-{name}")

    def show_figure(self, png: bytes) -> None:
        """Draw ``png`` above the table (the Image widget is made on the first call: an empty
        one is a broken picture in the browser)."""
        if self.figure is None:
            self.figure = figure_image(png, max_width="980px")
            self.result_box.children = (self.figure, *self.result_box.children)
        else:
            self.figure.value = png

    def show_error(self, line: str) -> None:
        self.error.value = (f'<div class="stepper-error-line" style="color:#b00020">'
                            f"{html.escape(line)}</div>")


class Lesson4Page:
    """The sections of lesson 4. ``finish()`` must be the last call of the notebook."""

    def __init__(self, state: PageState | None = None, quick: bool | None = None) -> None:
        self.language = choose_language()
        self.state = read_state() if state is None else state
        self.quick = quick_from_query() if quick is None else quick
        self.sizes = lesson4_lab.sizes(self.quick)
        self.questions: dict[str, Question] = {}
        self.results: dict[str, dict[str, Any]] = {}
        self._busy = threading.Lock()
        self._spark_lock = threading.Lock()
        self._churn: Any = None
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
        self.parts = {name: Part(name, self.follows) for name in PARTS}
        for name, part in self.parts.items():
            part.button.on_click(lambda _b, name=name: self.run_part(name))
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
        if self.room is not None and self.follows and hasattr(self.room, "on_result"):
            self.room.on_result.append(self._received)
            for name, result in dict(getattr(self.room, "results", {})).items():
                self._received(name, result)

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
    def part(self, name: str) -> widgets.Widget:
        """The button, progress line and result of heavy part ``name`` (:data:`PARTS`)."""
        part = self.parts[name]
        extra: list[widgets.Widget] = []
        if name == "local_sgd":
            extra = [self.inputs["local_steps"]]
        elif name == "admm":
            extra = [self.inputs["rho"]]
        if name in self.results:
            self._draw(name, self.results[name])
        return widgets.VBox([*extra, part.widget])

    def run_part(self, name: str) -> threading.Thread | None:
        """Start part ``name`` in a worker thread (one part at a time); bad input is one line
        under the button and nothing starts."""
        part = self.parts[name]
        part.error.value = ""
        if self.follows:
            return None
        try:
            options = self._options(name)
        except ValueError as exc:
            part.show_error(str(exc))
            return None
        if not self._busy.acquire(blocking=False):
            part.show_error(text("lesson4.busy"))
            return None
        part.button.disabled = True
        thread = threading.Thread(target=self._work, args=(name, options), daemon=True,
                                  name=f"lesson4-{name}")
        thread.start()
        return thread

    def _options(self, name: str) -> dict[str, Any]:
        if name == "local_steps" or name == "local_sgd":
            return {"local_steps": parse_local_steps(self.inputs["local_steps"].value)}
        if name == "admm":
            return {"rhos": parse_rhos(self.inputs["rho"].value)}
        return {}

    def _work(self, name: str, options: dict[str, Any]) -> None:
        part = self.parts[name]

        def progress(line: str) -> None:
            words = " ".join(progress_word(word) for word in line.split(" "))
            part.status.value = (f'<span class="stepper-busy">'
                                 f"{html.escape(text('lesson4.running', step=words))}</span>")

        try:
            progress("…")
            result = self.compute(name, progress=progress, **options)
            self.results[name] = result
            self._draw(name, result)
            if self.room is not None and hasattr(self.room, "publish_result"):
                self.room.publish_result(name, result)
            part.status.value = html.escape(text("lesson4.done"))
        except Exception as exc:  # one line in the page; the details to the kernel's log
            traceback.print_exc()
            from stepper.pages.kit.errors import attendee_line

            part.status.value = ""
            part.show_error(text("lesson4.failed", error=attendee_line(exc)))
        finally:
            part.button.disabled = False
            self._busy.release()

    def churn(self) -> Any:
        """The churn data prepared as lesson 2 does (on Spark, once), its rows in numpy and J*."""
        with self._spark_lock:
            if self._churn is None:
                prepared = lesson2_lab.prepare_churn(os.path.join(data_dir(), "churn.csv"),
                                                     partitions=4)
                X, y = prepared.train.to_numpy()
                from stepper.pages.kit.data import optimum_and_value

                problem = lesson4_lab.churn_problem()
                w_star, j_star = optimum_and_value(problem, X, y)
                self._churn = {"data": prepared.train, "X": X, "y": y, "w_star": w_star,
                               "j_star": j_star}
            return self._churn

    def compute(self, name: str, progress: Callable[[str], None] = lambda _l: None,
                **options: Any) -> dict[str, Any]:
        """Run part ``name`` (Spark) and return its JSON-able result."""
        progress(text("lesson4.loading_churn"))
        churn = self.churn()
        problem = lesson4_lab.churn_problem()
        if name == "rounds":
            result = lesson4_lab.compare_methods(churn["data"], problem, churn["j_star"],
                                                 self.sizes, progress)
        elif name == "mllib":
            from pyspark.sql import SparkSession

            progress("MLlib")
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
            progress("ADMM lasso")
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
    def _received(self, name: str, result: dict[str, Any]) -> None:
        """A follower's page: a result published by the instructor's page."""
        if name not in self.parts:
            return
        try:
            self.results[name] = result
            self._draw(name, result)
            self.parts[name].status.value = html.escape(text("lesson4.from_instructor"))
        except Exception:
            traceback.print_exc()

    def _draw(self, name: str, result: dict[str, Any]) -> None:
        part = self.parts[name]
        png = None
        if name == "rounds":
            png = lesson4_figures.rounds_png(result)
            part.table.value = tables.rounds_html(result)
            self.total_cost.value = tables.total_cost_html(result)
        elif name == "mllib":
            part.table.value = tables.mllib_html(result)
        elif name == "local_sgd":
            png = lesson4_figures.local_sgd_png(result)
            part.table.value = tables.local_sgd_html(result)
        elif name == "admm":
            png = lesson4_figures.admm_png(result)
            part.table.value = tables.admm_html(result)
        elif name == "lasso":
            part.table.value = tables.lasso_html(result)
        elif name == "four":
            png = lesson4_figures.four_curves_png(result)
        if png is not None:
            part.show_figure(png)
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
                thread = self.run_part(name)
                if thread is not None:
                    thread.join()
                if self.parts[name].error.value:
                    raise RuntimeError(self.parts[name].error.value)
