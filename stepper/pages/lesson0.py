"""Lesson 0's page: Spark basics on the churn data, one card per step (code + result).

Spark's JVM takes about 10 s to start; under Voilà the cards are filled on a background thread
(:class:`~stepper.pages.kit.widgets.LazyPage`), so the page shows at once and the results
arrive as Spark produces them.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from stepper.pages import lesson0_lab
from stepper.pages.kit.environment import spark_ui_link, ui_port
from stepper.pages.kit.errors import ErrorBox, guarded
from stepper.pages.kit.widgets import CodeCard, LazyPage, header, source_of, table_html


def _pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.2f} %" if whole else "—"


class Lesson0Page:
    """The cards of lesson 0; ``finish()`` must be the notebook's last call."""

    def __init__(self) -> None:
        self.lazy = LazyPage()
        self.port = ui_port()
        self.sc = None
        self.session = None
        self.names, self.table = None, None
        self.values: dict = {}

    def header(self) -> widgets.Widget:
        return header("Lesson 0 · The environment and Spark basics",
                      "The workshop's Lab 0: a SparkContext, the Spark UI, and the churn data "
                      "with transformations and actions.")

    # -- helpers -------------------------------------------------------------------------------
    def _card(self, title: str, text: str, function, fill) -> widgets.Widget:
        code = function if isinstance(function, str) else source_of(function, body_only=True)
        card = CodeCard(title, text, code)

        def build():
            card.set_result(fill())
            return card.widget

        box = self.lazy.section(build, title.lower(), waiting="Waiting for")
        # show the card (code visible) at once; the result arrives later
        box.children = (card.widget,)
        return box

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
            rows = [["Spark version", self.session.version],
                    ["master", self.sc.master],
                    ["default parallelism (cores)", str(self.sc.defaultParallelism)],
                    ["Spark UI", spark_ui_link(port)]]
            return (table_html(None, rows)
                    + "<div>Open the Spark UI in another tab: every <b>action</b> below "
                      "appears there as a job (tabs Jobs, Stages, Storage, Executors).</div>")

        return self._card("1. Start Spark", "A <code>SparkSession</code> on this machine "
                          "(<code>local[*]</code>: one executor thread per core). Its "
                          "<code>SparkContext</code> <code>sc</code> creates RDDs.",
                          lesson0_lab.start_spark, fill)

    def read(self) -> widgets.Widget:
        def fill():
            jobs = lesson0_lab.jobs_run(self.sc)
            lines = lesson0_lab.read_lines(self.sc, lesson0_lab.churn_path())
            self.values["lines"] = lines
            after = lesson0_lab.jobs_run(self.sc)
            return (f"<code>lines</code> is an RDD with {lines.getNumPartitions()} partitions. "
                    f"Spark jobs run by this call: <b>{after - jobs}</b> — "
                    "<code>textFile</code> is a <b>transformation</b>: it only records what to "
                    "do; no byte of the file has been read.")

        return self._card("2. Read the file", f"<code>{lesson0_lab.CHURN_FILE}</code>: one row per "
                          "client, a header, then <code>clientId, churn</code> and 11 features.",
                          lesson0_lab.read_lines, fill)

    def header_row(self) -> widgets.Widget:
        def fill():
            jobs = lesson0_lab.jobs_run(self.sc)
            header_line, rows = lesson0_lab.drop_header(self.values["lines"])
            self.values["rows"] = rows
            after = lesson0_lab.jobs_run(self.sc)
            columns = ", ".join(f"<code>{c}</code>" for c in header_line.split(","))
            return (f"Header: {columns}.<br>Spark jobs run: <b>{after - jobs}</b> — "
                    "<code>first</code> is an <b>action</b> (it returns a value to the driver, "
                    "so it runs a job); <code>filter</code> is a transformation.")

        return self._card("3. Drop the header: first, then filter",
                          "<code>first()</code> brings the first line to the driver; "
                          "<code>filter</code> keeps every other line.", lesson0_lab.drop_header,
                          fill)

    def laziness(self) -> widgets.Widget:
        def fill():
            jobs = lesson0_lab.jobs_run(self.sc)
            v = lesson0_lab.laziness(self.sc, self.values["rows"])
            self.values["points"] = v["points"]
            after = lesson0_lab.jobs_run(self.sc)
            n = v["rows"]
            rows = [
                ["after <code>map</code> (a transformation)", lesson0_lab.number(v["before"]),
                 "nothing ran"],
                ["after the first <code>count()</code>", lesson0_lab.number(v["after_count"]),
                 f"{lesson0_lab.number(n)} rows parsed"],
                ["after a second <code>count()</code>", lesson0_lab.number(v["after_second"]),
                 "parsed all over again: an RDD is a recipe, not data"],
                ["after <code>cache()</code> and two more counts",
                 lesson0_lab.number(v["after_cache"]),
                 "parsed once more, then read from memory"],
            ]
            return (table_html(["moment", "rows parsed so far", "why"], rows)
                    + f"Spark jobs run by this step: <b>{after - jobs}</b> (one per "
                      "<code>count</code>). The cached RDD is listed in the Spark UI's "
                      "<i>Storage</i> tab.")

        return self._card(
            "4. Transformations are lazy, actions run them",
            "<code>map</code> parses each line into a labelled point <code>(churn, features)"
            "</code>. An <i>accumulator</i> counts the lines Spark actually parses:",
            lesson0_lab.laziness, fill)

    def share(self) -> widgets.Widget:
        def fill():
            v = lesson0_lab.churn_share(self.values["points"])
            _, table = self._numpy()
            numpy_churners = int(np.sum(table[:, 1] == 1))
            rows = [["clients", lesson0_lab.number(v["rows"]), lesson0_lab.number(table.shape[0])],
                    ["churners", lesson0_lab.number(v["churners"]),
                     lesson0_lab.number(numpy_churners)],
                    ["share of churners", _pct(v["churners"], v["rows"]),
                     _pct(numpy_churners, table.shape[0])]]
            return (table_html(["", "Spark", "numpy (whole file in memory)"], rows)
                    + "Only about one client in twenty churns: a classifier that always says "
                      "“stays” is 95 % accurate and useless. Lesson 2 rebalances the classes.")

        return self._card("5. Count and filter: the share of churners",
                          "Two actions on the cached points.", lesson0_lab.churn_share, fill)

    def recency(self) -> widgets.Widget:
        def build():
            card = CodeCard("6. Try it: filter on recency",
                            "Clients whose last visit is more than <i>d</i> days ago: how many, "
                            "and how many of them churned? Each change runs a Spark job.",
                            source_of(lesson0_lab.recency_filter, body_only=True))
            errors = ErrorBox()
            days = widgets.IntSlider(value=30, min=0, max=180, step=5,
                                     description="d (days)", continuous_update=False,
                                     layout=widgets.Layout(width="40em"))

            @guarded(errors, "filtering on recency")
            def update(_change=None):
                v = lesson0_lab.recency_filter(self.values["points"], days.value)
                card.set_result(
                    f"<b>{lesson0_lab.number(v['clients'])}</b> clients last came more than "
                    f"{days.value} days ago; <b>{lesson0_lab.number(v['churners'])}</b> of them "
                    f"churned ({_pct(v['churners'], v['clients'])}).")

            days.observe(update, names="value")
            update()
            card.widget.children = (*card.widget.children[:3], days, errors.widget,
                                    card.result)
            return card.widget

        return self.lazy.section(build, "the recency filter", waiting="Waiting for")

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
            return (table_html(["feature", "mean", "std", "|Δ mean| vs numpy",
                                "|Δ std| vs numpy"], rows)
                    + f"After standardizing (intercept column first): largest |mean| "
                      f"{np.max(np.abs(check_mean[1:])):.1e}, largest |std − 1| "
                      f"{np.max(np.abs(check_std[1:] - 1)):.1e}. Why standardize? Features "
                      "on the same scale make the loss round, and gradient descent fast.")

        code = source_of(lesson0_lab.mean_and_std) + "\n\n" + source_of(lesson0_lab.standardize)
        return self._card(
            "7. Standardize with map + reduce",
            "One pass: each point becomes <code>(1, x, x²)</code>, the reduce adds them up "
            "into <code>(n, Σx, Σx²)</code>; then mean = Σx/n and std = √(Σx²/n − mean²). "
            "The driver keeps <code>mean</code> and <code>std</code>, and a second map "
            "rescales every point and puts the constant 1 (the intercept) in front:",
            code, fill)

    def split(self) -> widgets.Widget:
        def build():
            card = CodeCard("8. Split 70/30 with a seed",
                            "<code>randomSplit</code> draws each point's side from a seeded "
                            "generator: the same seed gives the same split every time.",
                            source_of(lesson0_lab.split, body_only=True))
            errors = ErrorBox()
            fraction = widgets.FloatSlider(value=0.7, min=0.5, max=0.95, step=0.05,
                                           description="train share", readout_format=".2f",
                                           continuous_update=False,
                                           layout=widgets.Layout(width="30em"))
            seed = widgets.BoundedIntText(value=42, min=0, max=2**31 - 1, description="seed",
                                          layout=widgets.Layout(width="14em"))
            again = widgets.Button(description="Split again", button_style="primary",
                                   layout=widgets.Layout(width="10em"))
            history: list[list[str]] = []

            @guarded(errors, "splitting")
            def update(_change=None):
                train, test = lesson0_lab.split(self.values["scaled"], fraction.value, seed.value)
                v = lesson0_lab.split_counts(train, test)
                history.append([
                    f"{fraction.value:.2f}", str(seed.value),
                    lesson0_lab.number(v["train"]["rows"]),
                    lesson0_lab.number(v["test"]["rows"]),
                    f"{_pct(v['train']['churners'], v['train']['rows'])} / "
                    f"{_pct(v['test']['churners'], v['test']['rows'])}"])
                del history[:-6]
                card.set_result(
                    table_html(["train share", "seed", "train rows", "test rows",
                                "churners train / test"], history)
                    + "The sizes are close to, not exactly, 70/30: each point is assigned at "
                      "random. Press <i>Split again</i>: same seed, same counts.")

            for control in (fraction, seed):
                control.observe(update, names="value")
            again.on_click(update)
            update()
            update()
            card.widget.children = (*card.widget.children[:3],
                                    widgets.HBox([fraction, seed, again]), errors.widget,
                                    card.result)
            return card.widget

        return self.lazy.section(build, "the split", waiting="Waiting for")

    def finish(self) -> None:
        self.lazy.finish()
