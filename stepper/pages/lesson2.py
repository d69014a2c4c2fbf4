"""Lesson 2's page, section by section (the notebook calls one method per section).

The stepping app draws at once (its contour from the 2-D data in numpy); Spark starts in
:meth:`Lesson2Page.finish`, the notebook's last call, once every section is on screen.
"""

from __future__ import annotations

import os

import ipywidgets as widgets

from stepper.algorithms import Settings
from stepper.pages import lesson2_lab
from stepper.pages.kit.app import LessonApp
from stepper.pages.kit.data import data_dir, load_2d, optimum
from stepper.pages.kit.environment import in_voila
from stepper.pages.kit.state_url import PageState, read_state
from stepper.pages.views import ConfusionView, ContourSpec
from stepper.problems import Problem

CHURN_FEATURES = ["intercept", "meanAcquiredPts", "meanConvertedPts", "relationLength",
                  "stdFreq", "meanArticle", "meanAmount", "nbVisits", "meanFreq", "lastTime",
                  "stdAmount", "stdArticle"]


class Lesson2Page:
    """The sections of lesson 2. ``finish()`` must be the last call of the notebook."""

    def __init__(self, state: PageState | None = None) -> None:
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
        self.churn_info = widgets.HTML("<i>Press Step below: the churn data is loaded on Spark "
                                       "at the first step (about 10 s).</i>")
        self.confusion = ConfusionView(title="Test set (10 %)", labels=("churn", "stays"))
        self.churn_app = LessonApp.live(
            self._build_churn, features=len(CHURN_FEATURES), partitions=4, state=self.state,
            views=("gradients", self.confusion, "loss", "timeline"), phases=False,
            feature_names=CHURN_FEATURES, autostart=False)

    def stepper(self) -> LessonApp:
        """The distributed run on the 2-D data, phase by phase."""
        return self.app

    def partitionings(self) -> widgets.Widget:
        """A button running 3 iterations on 1, 3 and 8 partitions, and the table it fills."""
        button = widgets.Button(description="Compare 1, 3 and 8 partitions", button_style="info",
                                layout=widgets.Layout(width="auto"))
        out = widgets.HTML("")

        def compare(_button: widgets.Button) -> None:
            def work() -> None:
                rows = lesson2_lab.compare_partitionings(self.X, self.y, (1, 3, 8), 3,
                                                         self.problem, self.settings)
                out.value = lesson2_lab.comparison_html(rows)

            out.value = "<i>Running 3 iterations three times on Spark…</i>"
            self.app.run_in_background(work)

        button.on_click(compare)
        return widgets.VBox([button, out])

    def churn(self) -> widgets.Widget:
        """Momentum on the churn data, with the test set's confusion matrix."""
        return widgets.VBox([self.churn_info, self.churn_app.widget])

    def _build_churn(self) -> object:
        from stepper.engine import Stepper

        churn = lesson2_lab.prepare_churn(os.path.join(data_dir(), "churn.csv"), partitions=4)
        self.confusion.set_data(churn.X_test, churn.y_test)
        self.churn_info.value = (
            f"{churn.rows_before} clients, {churn.churners} churners "
            f"({100 * churn.churners / churn.rows_before:.1f} %); after rebalancing: "
            f"{churn.train.rows} training rows, {churn.test.rows} test rows.")
        return Stepper(churn.train, Problem("logistic", l2=0.005),
                       Settings(algorithm="momentum", lr="1/L", depth=1))

    def finish(self) -> None:
        """Start Spark (about 10 s) for the stepper above; run headlessly (nbclient, the tests):
        real iterations instead of clicks."""
        self.app.start()
        if not in_voila():
            self.app.exercise(iterations=2)
            self.churn_app.exercise(iterations=2)
