"""Lesson 2's page, section by section (the notebook calls one method per section).

The stepping app draws at once (its contour from the 2-D data in numpy); Spark starts in
:meth:`Lesson2Page.finish`, the notebook's last call, once every section is on screen.
"""

from __future__ import annotations

import os

import ipywidgets as widgets

from stepper.algorithms import Settings
from stepper.engine import INLINE_BROADCAST_BYTES
from stepper.pages import lesson2_lab, lesson_questions
from stepper.pages.catalog import method_label
from stepper.pages.facts import churn_features
from stepper.pages.i18n import text
from stepper.pages.kit.app import LessonApp
from stepper.pages.kit.data import data_dir, load_2d, optimum
from stepper.pages.kit.environment import in_voila
from stepper.pages.kit.state_url import PageState, read_state
from stepper.pages.kit.widgets import figure_image
from stepper.pages.prose import choose_language, page_top, section_html, section_markdown
from stepper.pages.question import Question
from stepper.pages.run_history import RunHistory
from stepper.pages.views import ConfusionView, ContourSpec
from stepper.pages.views.base import Frame
from stepper.problems import Problem
from stepper.room.questions import ask

CHURN_FEATURES = ["intercept", *churn_features(os.path.join(data_dir(), "churn.csv"))]
CHURN_ALGORITHMS = ("gd", "momentum", "nesterov", "minibatch")


class Lesson2Page:
    """The sections of lesson 2. ``finish()`` must be the last call of the notebook."""

    def __init__(self, state: PageState | None = None) -> None:
        self.language = choose_language()  # ?lang=: first, so that every text follows it
        self.questions: dict[str, Question] = {}
        self._compared: dict[str, float] = {}  # the 1/3/8-partition comparison, once run
        # the address may carry ?present=1&algorithm=...&lr=...&partitions=...
        self.state = read_state() if state is None else state
        data = load_2d()
        self.X, self.y = data.X, data.y
        self.problem = Problem("logistic")
        self.w_star = optimum(self.problem, self.X, self.y)  # Newton on one machine: the star
        self.settings, self.partitions = lesson2_lab.settings_from_state(
            self.state, algorithm="gd", lr="1/L", depth=2, partitions=8)
        self.app = LessonApp.live(
            lambda: lesson2_lab.make_stepper(self.X, self.y, self.partitions, self.problem,
                                             self.settings),  # starts Spark
            features=self.X.shape[1], partitions=self.partitions, state=self.state,
            views=("flow", "gradients", "tree", "timeline", "loss"),
            contour=ContourSpec(self.problem, self.X, self.y, self.w_star),
            settings=lesson2_lab.run_settings(lambda: self.app.source.stepper, self.X, self.y,
                                              self.settings, self.partitions),
            autostart=False,  # Spark starts in finish(), once everything is drawn
        )
        self.broadcast_note = widgets.HTML(self._broadcast_html(None))
        self.app.frame_listeners.append(self._follow_broadcast)
        self.churn_info = widgets.HTML(f"<i>{text('lesson2.churn_press')}</i>")
        self.confusion = ConfusionView(title=text("lesson2.confusion.title"),
                                       labels=(text("lesson2.confusion.churn"),
                                               text("lesson2.confusion.stays")))
        self.churn_algorithm = widgets.Dropdown(
            options=[(method_label(name), name) for name in CHURN_ALGORITHMS], value="momentum",
            description=text("lesson2.churn_algorithm"))
        self.churn_algorithm.observe(self._choose_churn_algorithm, names="value")
        self.runs = RunHistory()
        self.runs.start(method_label("momentum"))
        self.runs_figure = figure_image(max_width="760px")
        self.runs_figure.value = self.runs.figure_png()
        self.churn_app = LessonApp.live(
            self._build_churn, features=len(CHURN_FEATURES), partitions=4, state=self.state,
            views=("gradients", self.confusion, "loss", "timeline"), phases=False,
            feature_names=CHURN_FEATURES, autostart=False)
        self.churn_app.frame_listeners.append(self._follow_churn)

    # -- text --------------------------------------------------------------------------------------
    def header(self) -> widgets.Widget:
        """The page's top: language switch, title, what it shows, links, which J."""
        return page_top("lesson2", self.language, objective="objective.lessons_unpenalized")

    def section(self, key: str):  # -> IPython.display.Markdown
        """A text section of the catalogue (``lesson2.views`` …), with its figures."""
        return section_markdown(key, count=len(CHURN_FEATURES) - 1)

    def section_widget(self, key: str, hidden_by: str | None = None) -> widgets.Widget:
        """A text section as a widget, hidden until question ``hidden_by`` is revealed (its text
        states the result the question asks to predict)."""
        box = widgets.HTML(section_html(key, count=len(CHURN_FEATURES) - 1))
        if hidden_by in self.questions:
            self.questions[hidden_by].hide(box)
        return box

    def broadcast(self) -> widgets.Widget:
        """How w reaches the tasks, following the run's records (``broadcast.via``, bytes)."""
        return self.broadcast_note

    def _broadcast_values(self, record) -> dict:
        info = (record.broadcast if record is not None else None) or {}
        via = info.get("via")
        return {"bytes": info.get("bytes", "?"), "limit": INLINE_BROADCAST_BYTES,
                "via": text(f"lesson2.via.{via}") if via else "…", "raw_via": via}

    def _broadcast_html(self, record) -> str:
        values = self._broadcast_values(record)
        values.pop("raw_via")
        return section_html("lesson2.broadcast", **values)

    def _last_record(self):
        source = self.app.source
        if getattr(source, "can_compute", True) and not getattr(source, "ready", False):
            raise LookupError("no iteration yet")  # a follower's source holds records already
        records = source.history()
        if not records:
            raise LookupError("no iteration yet")
        return records[-1]

    def _follow_broadcast(self, frame: Frame) -> None:
        if frame.record is not None:
            value = self._broadcast_html(frame.record)
            if self.broadcast_note.value != value:
                self.broadcast_note.value = value
            if "via" in self.questions:
                self.questions["via"].result_ready()

    # -- questions ---------------------------------------------------------------------------------
    def _ask(self, name: str, question: Question) -> widgets.Widget:
        """Keep ``question`` as ``self.questions[name]``; in a room (``?room=`` / ``?follow=``)
        the instructor's page reveals it for everyone (:mod:`stepper.room.questions`)."""
        return ask(self.questions, name, question, self.app.room)

    def question_via(self) -> widgets.Widget:
        """Before the broadcast section: how does w reach the tasks? (answered by the record)"""
        def values() -> dict:
            found = self._broadcast_values(self._last_record())
            return {"via": found["raw_via"], "bytes": found["bytes"], "limit": found["limit"]}

        question = lesson_questions.lesson2_via(values)
        question.hide(self.broadcast_note)
        return self._ask("via", question)

    def question_partitions(self) -> widgets.Widget:
        """Before the 1/3/8-partition comparison."""
        return self._ask("partitions", lesson_questions.lesson2_partitions(
            lambda: self._compared))

    def question_slow(self) -> widgets.Widget:
        return self._ask("slow", lesson_questions.lesson2_slow())

    def question_minibatch(self) -> widgets.Widget:
        return self._ask("minibatch", lesson_questions.lesson2_minibatch())

    def stepper(self) -> LessonApp:
        """The distributed run on the 2-D data, phase by phase."""
        return self.app

    def partitionings(self) -> widgets.Widget:
        """A button running 3 iterations on 1, 3 and 8 partitions, and the table it fills."""
        button = widgets.Button(description=text("lesson2.compare_button"), button_style="info",
                                layout=widgets.Layout(width="auto"))
        out = widgets.HTML("")

        def compare(_button: widgets.Button) -> None:
            def work() -> None:
                rows = lesson2_lab.compare_partitionings(self.X, self.y, (1, 3, 8), 3,
                                                         self.problem, self.settings)
                out.value = lesson2_lab.comparison_html(rows)
                base = rows[0].weights
                self._compared = {"largest_difference": max(
                    float(abs(row.weights - base).max()) for row in rows)}
                if "partitions" in self.questions:
                    self.questions["partitions"].result_ready()

            out.value = f"<i>{text('lesson2.comparing')}</i>"
            self.app.run_in_background(work)

        button.on_click(compare)
        result = widgets.VBox([widgets.HTML(section_html("lesson2.partitioning")), out])
        if "partitions" in self.questions:
            self.questions["partitions"].hide(result)
        return widgets.VBox([button, result])

    def churn(self) -> widgets.Widget:
        """The churn data: choose the algorithm, step; the test set's confusion matrix, and the
        loss curves of every run made so far."""
        return widgets.VBox([self.churn_info, self.churn_algorithm, self.churn_app.widget,
                             self.runs_figure])

    def _choose_churn_algorithm(self, change: dict) -> None:
        """A new run of the chosen method from the start (the earlier runs' curves stay)."""
        name = change["new"]
        self.runs.start(method_label(name))
        self.runs_figure.value = self.runs.figure_png()
        source = self.churn_app.source
        if getattr(source, "ready", False):
            def restart() -> None:
                source.stepper.set(algorithm=name)
                self.churn_app.reset()

            self.churn_app.run_in_background(restart)

    def _follow_churn(self, frame: Frame) -> None:
        run = self.runs.current
        values = [r.objective for r in frame.history]
        if run is not None and values != run.objectives:
            run.objectives = values
            self.runs_figure.value = self.runs.figure_png()

    def _build_churn(self) -> object:
        from stepper.engine import Stepper

        churn = lesson2_lab.prepare_churn(os.path.join(data_dir(), "churn.csv"), partitions=4)
        self.confusion.set_data(churn.X_test, churn.y_test)
        self.churn_info.value = text("lesson2.churn_info", rows=churn.rows_before,
                                     churners=churn.churners,
                                     share=100 * churn.churners / churn.rows_before,
                                     train=churn.train.rows, test=churn.test.rows)
        return Stepper(churn.train, Problem("logistic", l2=0.005),
                       Settings(algorithm=self.churn_algorithm.value, lr="1/L", depth=1))

    def finish(self) -> None:
        """Start Spark (about 10 s) for the stepper above; run headlessly (nbclient, the tests):
        real iterations instead of clicks."""
        self.app.start()
        if not in_voila():
            self.app.exercise(iterations=2)
            self.churn_app.exercise(iterations=2)
