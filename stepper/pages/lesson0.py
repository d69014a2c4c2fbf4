"""Lesson 0's page: Spark basics on the churn data, one card per step (code + result).

Spark's JVM takes about 10 s to start; under Voilà the cards are filled on a background thread
(:class:`~stepper.pages.kit.widgets.LazyPage`), so the page shows at once and the results
arrive as Spark produces them.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from stepper.pages import lesson0_lab, lesson_questions
from stepper.pages.facts import churn_features
from stepper.pages.glossary import glossary_card
from stepper.pages.i18n import text
from stepper.pages.kit.environment import spark_ui_link, ui_port
from stepper.pages.kit.errors import ErrorBox, guarded
from stepper.pages.kit.widgets import CodeCard, LazyPage, source_of, table_html
from stepper.pages.prose import choose_language, inline_html, page_top, section_markdown
from stepper.pages.question import Question


def _pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.2f} %" if whole else "—"


class Lesson0Page:
    """The cards of lesson 0; ``finish()`` must be the notebook's last call."""

    def __init__(self) -> None:
        self.language = choose_language()  # ?lang=: first, so that every text follows it
        self.lazy = LazyPage()
        self.questions: dict[str, Question] = {}
        self.features = churn_features(lesson0_lab.churn_path())
        self.port = ui_port()
        self.sc = None
        self.session = None
        self.names, self.table = None, None
        self.values: dict = {}

    def header(self) -> widgets.Widget:
        """The page's top: language switch, title, what it shows, links, which J."""
        return page_top("lesson0", self.language, objective="objective.lessons_unpenalized")

    def section(self, key: str):  # -> IPython.display.Markdown
        """A text section of the catalogue (``lesson0.churn_data`` …), with its figures."""
        return section_markdown(key, count=len(self.features))

    def glossary(self) -> widgets.Widget:
        """The words of Spark, and the Spark UI's view of one job."""
        return glossary_card()

    # -- questions, each before the card that answers it ---------------------------------------
    def question_lazy(self) -> widgets.Widget:
        """Before the read card: how many rows has ``textFile`` read?"""
        question = lesson_questions.lesson0_lazy(lambda: self.values["read"])
        self.questions["lazy"] = question
        return question.widget

    def question_recount(self) -> widgets.Widget:
        """Before the laziness card: two counts without cache."""
        question = lesson_questions.lesson0_recount(lambda: self.values["laziness"])
        self.questions["recount"] = question
        return question.widget

    def question_share(self) -> widgets.Widget:
        """Before the share card: the percentage of churners."""
        question = lesson_questions.lesson0_share(lambda: self.values["share"])
        self.questions["share"] = question
        return question.widget

    def _computed(self, *names: str) -> None:
        """The results questions ``names`` wait for are in ``self.values``: reveal if asked."""
        for name in names:
            if name in self.questions:
                self.questions[name].result_ready()

    def _hidden_until_answered(self, box: widgets.Widget, *names: str) -> widgets.Widget:
        for name in names:
            if name in self.questions:
                self.questions[name].hide(box)
        return box

    # -- helpers -------------------------------------------------------------------------------
    def _card(self, title: str, intro: str, function, fill) -> widgets.Widget:
        code = function if isinstance(function, str) else source_of(function, body_only=True)
        card = CodeCard(title, intro, code)

        def build():
            card.set_result(fill())
            return card.widget

        box = self.lazy.section(build, title.lower(), waiting=text("page.waiting"))
        # show the card (code visible) at once; the result arrives later
        box.children = (card.widget,)
        return box

    def _card_with_controls(self, key: str, function, row: widgets.Widget,
                            controls: list[widgets.Widget], compute,
                            button: widgets.Button | None = None,
                            opening: int = 1) -> widgets.Widget:
        """A card (``lesson0.card.<key>.*`` texts, ``function``'s body) whose result
        ``compute()`` redraws each time one of ``controls`` (shown in ``row``) changes or
        ``button`` is pressed; ``opening`` times when the card opens. A failure is one line in
        the card's own error box."""
        def build():
            card = CodeCard(text(f"lesson0.card.{key}.title"),
                            inline_html(text(f"lesson0.card.{key}.text")),
                            source_of(function, body_only=True))
            errors = ErrorBox()

            @guarded(errors, text(f"action.{key}"))
            def update(_change=None):
                card.set_result(compute())

            for control in controls:
                control.observe(update, names="value")
            if button is not None:
                button.on_click(update)
            for _ in range(opening):
                update()
            card.widget.children = (*card.widget.children[:3], row, errors.widget, card.result)
            return card.widget

        return self.lazy.section(build, text(f"lesson0.card.{key}.title"),
                                 waiting=text("page.waiting"))

    def _numpy(self):
        if self.table is None:
            self.names, self.table = lesson0_lab.read_numpy()
        return self.names, self.table

    # -- the cards -----------------------------------------------------------------------------
    def spark(self) -> widgets.Widget:
        def fill():
            self.session, self.sc = lesson0_lab.start_spark(self.port)
            port = lesson0_lab.ui_port_of(self.sc, self.port)
            self.values["jobs_at_start"] = lesson0_lab.jobs_run(self.sc)
            rows = [[text("lesson0.card.spark.version"), self.session.version],
                    [text("lesson0.card.spark.master"), self.sc.master],
                    [text("lesson0.card.spark.cores"), str(self.sc.defaultParallelism)],
                    [text("lesson0.card.spark.ui"), spark_ui_link(port)]]
            return (table_html(None, rows)
                    + f"<div>{inline_html(text('lesson0.card.spark.result'))}</div>")

        return self._card(text("lesson0.card.spark.title"),
                          inline_html(text("lesson0.card.spark.text")),
                          lesson0_lab.start_spark, fill)

    def read(self) -> widgets.Widget:
        def fill():
            jobs = lesson0_lab.jobs_run(self.sc)
            lines = lesson0_lab.read_lines(self.sc, lesson0_lab.churn_path())
            self.values["lines"] = lines
            after = lesson0_lab.jobs_run(self.sc)
            self.values["read"] = {"jobs": after - jobs}
            self._computed("lazy")
            return inline_html(text("lesson0.card.read.result",
                                    partitions=lines.getNumPartitions(), jobs=after - jobs))

        box = self._card(text("lesson0.card.read.title"),
                         inline_html(text("lesson0.card.read.text", file=lesson0_lab.CHURN_FILE,
                                          count=len(self.features))),
                         lesson0_lab.read_lines, fill)
        return self._hidden_until_answered(box, "lazy")

    def header_row(self) -> widgets.Widget:
        def fill():
            jobs = lesson0_lab.jobs_run(self.sc)
            header_line, rows = lesson0_lab.drop_header(self.values["lines"])
            self.values["rows"] = rows
            after = lesson0_lab.jobs_run(self.sc)
            columns = ", ".join(f"<code>{c}</code>" for c in header_line.split(","))
            return inline_html(text("lesson0.card.header.result", columns="{columns}",
                                    jobs=after - jobs)).replace("{columns}", columns)

        return self._card(text("lesson0.card.header.title"),
                          inline_html(text("lesson0.card.header.text")),
                          lesson0_lab.drop_header, fill)

    def laziness(self) -> widgets.Widget:
        def fill():
            jobs = lesson0_lab.jobs_run(self.sc)
            v = lesson0_lab.laziness(self.sc, self.values["rows"])
            self.values["points"] = v["points"]
            self.values["laziness"] = {k: v[k] for k in ("rows", "before", "after_count",
                                                        "after_second", "after_cache")}
            self._computed("recount")
            after = lesson0_lab.jobs_run(self.sc)
            n = v["rows"]

            def t(key: str, **values) -> str:
                return inline_html(text(f"lesson0.card.lazy.{key}", **values))

            rows = [
                [t("after_map"), lesson0_lab.number(v["before"]), t("nothing")],
                [t("after_count"), lesson0_lab.number(v["after_count"]),
                 t("rows_parsed", rows=lesson0_lab.number(n))],
                [t("after_second"), lesson0_lab.number(v["after_second"]), t("again")],
                [t("after_cache"), lesson0_lab.number(v["after_cache"]), t("cached")],
            ]
            return (table_html([t("moment"), t("parsed"), t("why")], rows)
                    + t("result", jobs=after - jobs))

        box = self._card(text("lesson0.card.lazy.title"),
                         inline_html(text("lesson0.card.lazy.text")), lesson0_lab.laziness, fill)
        return self._hidden_until_answered(box, "recount")

    def share(self) -> widgets.Widget:
        def fill():
            v = lesson0_lab.churn_share(self.values["points"])
            _, table = self._numpy()
            numpy_churners = int(np.sum(table[:, 1] == 1))
            self.values["share"] = {"rows": lesson0_lab.number(v["rows"]),
                                    "churners": lesson0_lab.number(v["churners"]),
                                    "share": v["share"]}
            self._computed("share")
            rows = [[text("lesson0.card.share.clients"), lesson0_lab.number(v["rows"]),
                     lesson0_lab.number(table.shape[0])],
                    [text("lesson0.card.share.churners"), lesson0_lab.number(v["churners"]),
                     lesson0_lab.number(numpy_churners)],
                    [text("lesson0.card.share.share"), _pct(v["churners"], v["rows"]),
                     _pct(numpy_churners, table.shape[0])]]
            return (table_html(["", "Spark", text("lesson0.card.share.numpy")], rows)
                    + inline_html(text("lesson0.card.share.result",
                                       always=100 * (1 - v["share"]))))

        box = self._card(text("lesson0.card.share.title"), text("lesson0.card.share.text"),
                         lesson0_lab.churn_share, fill)
        return self._hidden_until_answered(box, "share")

    def recency(self) -> widgets.Widget:
        days = widgets.IntSlider(value=30, min=0, max=180, step=5,
                                 description=text("lesson0.card.recency.days"),
                                 continuous_update=False, layout=widgets.Layout(width="40em"))

        def compute() -> str:
            v = lesson0_lab.recency_filter(self.values["points"], days.value)
            return inline_html(text(
                "lesson0.card.recency.result", clients=lesson0_lab.number(v["clients"]),
                days=days.value, churners=lesson0_lab.number(v["churners"]),
                share=_pct(v["churners"], v["clients"])))

        return self._card_with_controls("recency", lesson0_lab.recency_filter, days, [days],
                                        compute)

    def standardize(self) -> widgets.Widget:
        def fill():
            points = self.values["points"]
            mean, std = lesson0_lab.mean_and_std(points)
            names, table = self._numpy()
            features = table[:, 2:]
            ref_mean, ref_std = features.mean(axis=0), features.std(axis=0)
            scaled = lesson0_lab.standardize(points, mean, std)
            self.values["scaled"] = scaled
            check_mean, check_std = lesson0_lab.mean_and_std(scaled)
            rows = [[f"<code>{name}</code>", f"{m:.4g}", f"{s:.4g}",
                     f"{abs(m - rm):.1e}", f"{abs(s - rs):.1e}"]
                    for name, m, s, rm, rs in zip(names[2:], mean, std, ref_mean, ref_std,
                                                  strict=True)]
            return (table_html([text(f"lesson0.card.standardize.{column}") for column in
                                ("feature", "mean", "std", "mean_gap", "std_gap")], rows)
                    + inline_html(text("lesson0.card.standardize.result",
                                       mean=np.max(np.abs(check_mean[1:])),
                                       std=np.max(np.abs(check_std[1:] - 1)))))

        code = source_of(lesson0_lab.mean_and_std) + "\n\n" + source_of(lesson0_lab.standardize)
        return self._card(text("lesson0.card.standardize.title"),
                          inline_html(text("lesson0.card.standardize.text")), code, fill)

    def split(self) -> widgets.Widget:
        fraction = widgets.FloatSlider(value=0.7, min=0.5, max=0.95, step=0.05,
                                       description=text("lesson0.card.split.train_share"),
                                       readout_format=".2f", continuous_update=False,
                                       layout=widgets.Layout(width="30em"))
        seed = widgets.BoundedIntText(value=42, min=0, max=2**31 - 1,
                                      description=text("lesson0.card.split.seed"),
                                      layout=widgets.Layout(width="14em"))
        again = widgets.Button(description=text("lesson0.card.split.again"),
                               button_style="primary", layout=widgets.Layout(width="10em"))
        history: list[list[str]] = []

        def compute() -> str:
            train, test = lesson0_lab.split(self.values["scaled"], fraction.value, seed.value)
            v = lesson0_lab.split_counts(train, test)
            history.append([
                f"{fraction.value:.2f}", str(seed.value),
                lesson0_lab.number(v["train"]["rows"]),
                lesson0_lab.number(v["test"]["rows"]),
                f"{_pct(v['train']['churners'], v['train']['rows'])} / "
                f"{_pct(v['test']['churners'], v['test']['rows'])}"])
            del history[:-6]
            return (table_html([text(f"lesson0.card.split.{key}") for key in
                                ("train_share", "seed", "train_rows", "test_rows", "churners")],
                               history)
                    + inline_html(text("lesson0.card.split.result")))

        # computed twice on opening: the same seed, the same rows
        return self._card_with_controls("split", lesson0_lab.split,
                                        widgets.HBox([fraction, seed, again]),
                                        [fraction, seed], compute, button=again, opening=2)

    def finish(self) -> None:
        self.lazy.finish()
