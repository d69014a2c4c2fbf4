"""Lesson 1's page, section by section (the notebook calls one method per section).

Every section is built after the page is on screen (:class:`~stepper.pages.kit.widgets.
LazyPage`): the page appears at once and figures fill in within a few seconds.

In a room (``?room=`` / ``?follow=``, :mod:`stepper.room.page`) the explorer publishes or follows
the instructor's runs (:mod:`stepper.pages.lesson1_explorer`) and the questions are revealed for
everyone by the instructor's page (:mod:`stepper.room.questions`).
"""

from __future__ import annotations

import ipywidgets as widgets

from stepper.pages import facts, lesson1_lab, lesson_questions
from stepper.pages.i18n import text
from stepper.pages.kit.controls import KEYBOARD_JS
from stepper.pages.kit.errors import ErrorBox, guarded
from stepper.pages.kit.state_url import read_state
from stepper.pages.kit.widgets import LazyPage, figure_image, html
from stepper.pages.lesson1_explorer import Explorer
from stepper.pages.prose import choose_language, page_top, section_html, section_markdown
from stepper.pages.question import Question
from stepper.room.page import claim_room
from stepper.room.questions import ask


class Lesson1Page:
    """The sections of lesson 1. ``finish()`` must be the last call of the notebook."""

    def __init__(self, state=None) -> None:
        self.language = choose_language()  # ?lang=: first, so that every text follows it
        self.questions: dict[str, Question] = {}
        self.values: dict[str, dict] = {}
        self.state = read_state() if state is None else state
        self.lazy = LazyPage()
        self._lab: lesson1_lab.Lab1 | None = None
        self.explorer_app = None
        self.room = claim_room()  # ?room= publishes the explorer's runs, ?follow= replays them

    @property
    def lab(self) -> lesson1_lab.Lab1:
        if self._lab is None:
            self._lab = lesson1_lab.Lab1()
        return self._lab

    def header(self) -> widgets.Widget:
        """The page's top: language switch, title, what it shows, links, which J."""
        return page_top("lesson1", self.language)

    def section(self, key: str):  # -> IPython.display.Markdown
        """A text section of the catalogue (``lesson1.data`` …)."""
        return section_markdown(key)

    # -- figures the texts and questions state, computed once ---------------------------------
    def _curvature(self) -> dict:
        if "curvature" not in self.values:
            found = facts.curvature(self.lab.data.X)
            self.values["curvature"] = {"L": found.bound, "spectral": found.spectral,
                                        "ratio": found.ratio}
        return self.values["curvature"]

    def _conditioning(self) -> dict:
        if "conditioning" not in self.values:
            found = facts.conditioning(self.lab.data.raw, self.lab.data.y)
            self.values["conditioning"] = {"raw": found.raw, "standardized": found.standardized,
                                           "steps": found.steps, "gap_raw": found.gap_raw,
                                           "gap_std": found.gap_std}
        return self.values["conditioning"]

    def _ask(self, name: str, question: Question) -> widgets.Widget:
        """Keep ``question`` as ``self.questions[name]``; in a room the instructor's page reveals
        it for everyone."""
        return ask(self.questions, name, question, self.room)

    def _hidden_until_answered(self, box: widgets.Widget, *names: str) -> widgets.Widget:
        for name in names:
            if name in self.questions:
                self.questions[name].hide(box)
        return box

    # -- questions, each before the section that answers it -----------------------------------
    def question_condition(self) -> widgets.Widget:
        return self._ask("condition", lesson_questions.lesson1_condition(self._conditioning))

    def question_spectral(self) -> widgets.Widget:
        return self._ask("spectral", lesson_questions.lesson1_spectral(self._curvature))

    def question_overshoot(self) -> widgets.Widget:
        def values() -> dict:
            run = self.lab.run("gd", "none", 1000.0)
            return {"kind": run.kind, "verdict": run.verdict}

        return self._ask("overshoot", lesson_questions.lesson1_overshoot(values))

    def question_lasso(self) -> widgets.Widget:
        def values() -> dict:
            rows = facts.lasso_weights(self.lab.data.X, self.lab.data.y)
            return {"smooth_zeros": sum(int((s[1:] == 0).sum()) for _, s, _ in rows),
                    "zeros": int((rows[-1][2][1:] == 0).sum())}

        return self._ask("lasso", lesson_questions.lesson1_lasso(values))

    # -- sections ------------------------------------------------------------------------------
    def conditioning(self) -> widgets.Widget:
        """Why standardize: κ(∇²J(0)) raw against standardized, and what it costs GD."""
        box = self.lazy.section(lambda: html(section_html("lesson1.conditioning",
                                                          **self._conditioning())),
                                text("lesson1.conditioning").splitlines()[0].lstrip("# "),
                                waiting=text("page.preparing"))
        return self._hidden_until_answered(box, "condition")

    def data(self) -> widgets.Widget:
        return self.lazy.section(
            lambda: figure_image(lesson1_lab.data_figure(self.lab), max_width="760px"),
            text("lesson1.waiting.data"), waiting=text("page.preparing"))

    def oracles(self) -> widgets.Widget:
        return self.lazy.section(lambda: html(lesson1_lab.oracles_html(self.lab)),
                                 text("lesson1.waiting.oracles"), waiting=text("page.preparing"))

    def newton(self) -> widgets.Widget:
        return self.lazy.section(lambda: html(lesson1_lab.newton_html(self.lab)),
                                 text("lesson1.waiting.newton"), waiting=text("page.preparing"))

    def explorer(self) -> widgets.Widget:
        """The explorer and its keyboard handler (shown now, in the cell, because a background
        thread cannot display anything)."""
        from IPython.display import HTML, display

        display(HTML(KEYBOARD_JS))

        def build():
            self.explorer_app = Explorer(self.lab, self.state, self.room)
            return self.explorer_app.widget

        return self.lazy.section(build, text("lesson1.waiting.explorer"),
                                 waiting=text("page.preparing"))

    def learning_rate(self) -> widgets.Widget:
        """The spectral step named, and GD with four step sizes."""
        box = self.lazy.section(
            lambda: [html(section_html("lesson1.learning_rate", **self._curvature())),
                     figure_image(lesson1_lab.learning_rate_figure(self.lab),
                                  max_width="1300px")],
            text("lesson1.waiting.lr"), waiting=text("page.preparing"))
        return self._hidden_until_answered(box, "spectral", "overshoot")

    def comparison(self) -> widgets.Widget:
        def build():
            errors = ErrorBox()
            image = figure_image(lesson1_lab.comparison_figure(self.lab), max_width="1200px")
            choice = widgets.ToggleButtons(
                options=[(label, key) for key, label in lesson1_lab.REGULARIZATION_LABELS.items()],
                value="none", description=text("control.penalty"),
                style={"button_width": "auto", "description_width": "5em"})

            @guarded(errors, text("action.comparison"))
            def redraw(change):
                image.value = lesson1_lab.comparison_figure(self.lab, change["new"])

            choice.observe(redraw, names="value")
            return [choice, errors.widget, image]

        return self.lazy.section(build, text("lesson1.waiting.comparison"),
                                 waiting=text("page.preparing"))

    def regularization(self) -> widgets.Widget:
        """The penalties' optima, and the smooth lasso against the exact (prox) lasso."""
        box = self.lazy.section(lambda: [html(lesson1_lab.regularization_html(self.lab)),
                                         html(lesson1_lab.lasso_html(self.lab))],
                                text("lesson1.waiting.regularization"),
                                waiting=text("page.preparing"))
        return self._hidden_until_answered(box, "lasso")

    def tradeoffs(self) -> widgets.Widget:
        return self.lazy.section(lambda: html(lesson1_lab.tradeoff_html(self.lab)),
                                 text("lesson1.waiting.tradeoffs"), waiting=text("page.preparing"))

    def finish(self) -> None:
        """Build the sections (in the background under Voilà)."""
        self.lazy.finish()
