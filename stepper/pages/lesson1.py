"""Lesson 1's page, section by section (the notebook calls one method per section).

Every section is built after the page is on screen (:class:`~stepper.pages.kit.widgets.
LazyPage`): the page appears at once and figures fill in within a few seconds.
"""

from __future__ import annotations

import ipywidgets as widgets

from stepper.pages import lesson1_lab
from stepper.pages.kit.controls import KEYBOARD_JS
from stepper.pages.kit.errors import ErrorBox, guarded
from stepper.pages.kit.state_url import read_state
from stepper.pages.kit.widgets import LazyPage, figure_image, header, html
from stepper.pages.lesson1_explorer import Explorer


class Lesson1Page:
    """The sections of lesson 1. ``finish()`` must be the last call of the notebook."""

    def __init__(self, state=None) -> None:
        self.state = read_state() if state is None else state
        self.lazy = LazyPage()
        self._lab: lesson1_lab.Lab1 | None = None
        self.explorer_app = None

    @property
    def lab(self) -> lesson1_lab.Lab1:
        if self._lab is None:
            self._lab = lesson1_lab.Lab1()
        return self._lab

    def header(self) -> widgets.Widget:
        return header("Lesson 1 · Gradient algorithms on one machine",
                      "The workshop's Lab 1: logistic regression on 2-D data, numpy only "
                      "(no Spark on this page).")

    def data(self) -> widgets.Widget:
        return self.lazy.section(
            lambda: figure_image(lesson1_lab.data_figure(self.lab), max_width="760px"), "the data")

    def oracles(self) -> widgets.Widget:
        return self.lazy.section(lambda: html(lesson1_lab.oracles_html(self.lab)), "the oracles")

    def newton(self) -> widgets.Widget:
        return self.lazy.section(lambda: html(lesson1_lab.newton_html(self.lab)),
                                 "Newton's iterations")

    def explorer(self) -> widgets.Widget:
        """The explorer and its keyboard handler (shown now, in the cell, because a background
        thread cannot display anything)."""
        from IPython.display import HTML, display


        display(HTML(KEYBOARD_JS))

        def build():
            self.explorer_app = Explorer(self.lab, self.state)
            return self.explorer_app.widget

        return self.lazy.section(build, "the step-by-step explorer")

    def learning_rate(self) -> widgets.Widget:
        return self.lazy.section(
            lambda: figure_image(lesson1_lab.learning_rate_figure(self.lab), max_width="1300px"),
            "the learning-rate comparison")

    def comparison(self) -> widgets.Widget:
        def build():
            errors = ErrorBox()
            image = figure_image(lesson1_lab.comparison_figure(self.lab), max_width="1200px")
            choice = widgets.ToggleButtons(
                options=[(label, key) for key, label in lesson1_lab.REGULARIZATION_LABELS.items()],
                value="none", description="penalty",
                style={"button_width": "auto", "description_width": "5em"})

            @guarded(errors, "redrawing the comparison")
            def redraw(change):
                image.value = lesson1_lab.comparison_figure(self.lab, change["new"])

            choice.observe(redraw, names="value")
            return [choice, errors.widget, image]

        return self.lazy.section(build, "the comparison of all methods")

    def regularization(self) -> widgets.Widget:
        return self.lazy.section(lambda: html(lesson1_lab.regularization_html(self.lab)),
                                 "the regularization table")

    def tradeoffs(self) -> widgets.Widget:
        return self.lazy.section(lambda: html(lesson1_lab.tradeoff_html(self.lab)),
                                 "the trade-off table (with measurements)")

    def finish(self) -> None:
        """Build the sections (in the background under Voilà)."""
        self.lazy.finish()
