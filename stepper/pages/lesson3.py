"""Lesson 3's page, "what an iteration costs", section by section (the notebook calls one method
per section; ``finish()`` last).

The stepping app (gradient descent on generated rows, with seeded lognormal task delays) shows
the barrier in the task timeline; the demos are the kit's heavy parts
(:class:`~stepper.pages.kit.heavy_part.HeavyPart`, ``page.parts``) running
:mod:`stepper.pages.lesson3_lab` and :mod:`stepper.pages.lesson3_async` on threads of their own.
``?quick=1`` shrinks every demo (the tests); in a room the instructor's page runs them and
followers draw the results it publishes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from stepper.pages import lesson3_async, lesson3_lab
from stepper.pages import lesson3_figures as figures
from stepper.pages import lesson3_questions as questions
from stepper.pages.i18n import text
from stepper.pages.kit.app import LessonApp, Setting
from stepper.pages.kit.environment import in_voila, query_value, spark_ui_link, ui_port
from stepper.pages.kit.errors import PageInputError
from stepper.pages.kit.heavy_part import HeavyPart, follow_room, results_of, room_publisher
from stepper.pages.kit.state_url import PageState, read_state
from stepper.pages.prose import choose_language, page_top, section_html, section_markdown
from stepper.pages.question import Question
from stepper.room.questions import ask

PARTS = ("sweep", "bytes", "stragglers", "failure", "async", "timed")
"""The demos (the page's heavy parts), in the page's order."""


class Lesson3Page:
    """The sections of lesson 3. ``finish()`` must be the last call of the notebook."""

    def __init__(self, state: PageState | None = None, quick: bool | None = None) -> None:
        self.language = choose_language()  # ?lang=: first, so that every text follows it
        self.state = read_state() if state is None else state
        self.quick = (query_value("quick", "0") in ("1", "true", "yes")) if quick is None \
            else quick
        self.run_all_now = query_value("run", "") == "all"  # ?run=all: every demo at once
        self.questions: dict[str, Question] = {}
        self.sc: Any = None
        self._sc_lock = threading.Lock()
        self.partitions = 4 if self.quick else 8
        self.delay = lesson3_lab.QUICK_STRAGGLERS if self.quick else lesson3_lab.FULL_STRAGGLERS
        self.app = LessonApp.live(
            self._build_stepper, features=10, partitions=self.partitions, state=self.state,
            views=("timeline", "tree", "loss"), phases=False, settings=self._settings(),
            autostart=False)
        self.room = self.app.room
        self.follows = bool(self.room is not None and self.room.follows)
        self.ui_link = widgets.HTML(section_html("lesson3.ui_waiting"))
        self.trees = widgets.HBox([], layout=widgets.Layout(flex_flow="row wrap"))
        self.failure_partition = widgets.BoundedIntText(
            value=1, min=-1, max=99, description=text("lesson3.failure.partition"),
            layout=widgets.Layout(width="14em"), style={"description_width": "initial"})
        self.sweep_partitions = widgets.Text(
            value="", placeholder=text("lesson3.sweep.placeholder"),
            description=text("lesson3.sweep.partitions"), layout=widgets.Layout(width="24em"),
            style={"description_width": "initial"})
        self.staleness = widgets.Text(value="", placeholder=text("lesson3.async.placeholder"),
                                      description=text("lesson3.async.stalenesses"),
                                      layout=widgets.Layout(width="22em"),
                                      style={"description_width": "initial"})
        self.parts = {name: self._part(name) for name in PARTS}
        follow_room(self.room, self.parts)

    # -- Spark and the stepping app --------------------------------------------------------------
    def spark(self) -> Any:
        """The page's SparkContext, started once (on a master that retries failed tasks)."""
        with self._sc_lock:
            if self.sc is None:
                self.sc = lesson3_lab.spark_context(ui_port())
                self.ui_link.value = (section_html(
                    "lesson3.ui_link", link=spark_ui_link(_ui_port_of(self.sc)),
                    master=self.sc.master) if self.sc.uiWebUrl
                    else section_html("lesson3.ui_off", master=self.sc.master))
            return self.sc

    def _build_stepper(self) -> Any:
        from stepper.faults import TaskDelay

        data = lesson3_lab.generated(self.spark(), self.delay.rows, 10, self.partitions)
        return lesson3_lab.gd_run(data, task_delay=TaskDelay(
            mean=self.delay.mean, kind="lognormal", sigma=self.delay.sigma, seed=0))

    def _settings(self) -> list[Setting]:
        from stepper.faults import TaskDelay

        def stepper() -> Any:
            return self.app.source.stepper

        def delay(value: str) -> None:
            stepper().task_delay = None if value == "none" else TaskDelay(
                mean=self.delay.mean, kind="lognormal", sigma=self.delay.sigma, seed=0)

        def partitions(value: int) -> None:
            run = stepper()
            old = run.data
            run.set_data(lesson3_lab.generated(old.sc, self.delay.rows, 10, int(value)))
            old.unpersist()

        options = sorted({2, 4, 8, 16, self.partitions})
        return [Setting("delay", ["lognormal", "none"], "lognormal", delay,
                        text("lesson3.setting.delay"),
                        labels=[text("lesson3.setting.delay.lognormal", mean=self.delay.mean),
                                text("lesson3.setting.delay.none")]),
                Setting("partitions", options, self.partitions, partitions,
                        text("lesson3.setting.partitions"))]

    # -- the demos --------------------------------------------------------------------------------
    def _part(self, name: str) -> HeavyPart:
        computes: dict[str, Callable[..., dict[str, Any]]] = {
            "sweep": self._sweep, "bytes": self._bytes, "stragglers": self._stragglers,
            "failure": self._failure, "async": self._async, "timed": self._timed}
        inputs: dict[str, tuple[widgets.Widget, Callable[[], dict[str, Any]]]] = {
            "sweep": (self.sweep_partitions, self._sweep_options),
            "failure": (self.failure_partition,
                        lambda: {"partition": int(self.failure_partition.value)}),
            "async": (self.staleness, lambda: {"taus": _whole_numbers(
                self.staleness.value, "lesson3.bad.staleness_text")})}
        control, options = inputs.get(name, (None, None))
        return HeavyPart(name, computes[name], getattr(self, f"_draw_{name}"),
                         run_label=text(f"lesson3.{name}.run"), options=options,
                         follows=self.follows, publish=room_publisher(self.room),
                         on_result=self._computed,
                         controls=() if control is None else (control,))

    @property
    def results(self) -> dict[str, dict[str, Any]]:
        """Each heavy part's latest result (computed here or received from the instructor)."""
        return results_of(self.parts)

    def _computed(self, name: str, _result: dict[str, Any]) -> None:
        if name in self.questions:
            self.questions[name].result_ready()

    def _sweep_options(self) -> dict[str, Any]:
        chosen = _whole_numbers(self.sweep_partitions.value, "lesson3.bad.partitions_text")
        if chosen is not None and (not chosen or min(chosen) < 1):
            raise PageInputError("lesson3.bad.partitions_text",
                                 value=self.sweep_partitions.value)
        return {"partitions": chosen}

    def _sweep(self, progress, stop, partitions: list[int] | None) -> dict[str, Any]:
        size = lesson3_lab.QUICK_SWEEP if self.quick else lesson3_lab.FULL_SWEEP
        return lesson3_lab.cost_sweep(self.spark(), size, progress=progress, stop=stop,
                                      partitions=partitions)

    def _bytes(self, progress, stop) -> dict[str, Any]:
        size = lesson3_lab.QUICK_BYTES if self.quick else lesson3_lab.FULL_BYTES
        return lesson3_lab.bytes_sweep(self.spark(), size, progress=progress, stop=stop)

    def _stragglers(self, progress, stop) -> dict[str, Any]:
        return lesson3_lab.straggler_sweep(self.spark(), self.delay, progress=progress, stop=stop)

    def _failure(self, progress, _stop, partition: int) -> dict[str, Any]:
        progress(0, 1)
        result = lesson3_lab.failure_demo(self.spark(), partition,
                                          rows=400 if self.quick else 2_000)
        progress(1, 1)
        return result

    def _async(self, progress, stop, taus: list[int] | None) -> dict[str, Any]:
        size = lesson3_async.QUICK_ASYNC if self.quick else lesson3_async.FULL_ASYNC
        return lesson3_async.compare(size, taus, progress=progress, stop=stop)

    def _timed(self, progress, stop) -> dict[str, Any]:
        return lesson3_lab.timed_run(self.spark(), 5 if self.quick else 200,
                                     stepping=2 if self.quick else 5,
                                     rows=2_000 if self.quick else 20_000,
                                     progress=progress, stop=stop)

    # -- drawing (the instructor's results and a follower's alike) ------------------------------
    def _draw_sweep(self, result: dict[str, Any]) -> tuple[str, bytes | None]:
        lines = [section_html("lesson3.sweep.result", **lesson3_lab.sweep_summary(result, shape),
                              shape=text(f"lesson3.shape.name.{shape}"))
                 for shape in ("rows", "features")
                 if any(p["shape"] == shape for p in result["points"])]
        return "".join(lines), figures.sweep_png(result)

    def _draw_bytes(self, result: dict[str, Any]) -> tuple[str, bytes | None]:
        if not result["rows"]:
            raise LookupError("no bytes measured")
        header = "".join(f"<th>{text(f'lesson3.bytes.col.{c}')}</th>" for c in
                         ("features", "depth", "broadcast", "via", "result", "arriving",
                          "to_driver"))
        rows = "".join(
            f"<tr><td>{r['features']}</td><td>{r['depth']}</td><td>{r['broadcast']}</td>"
            f"<td>{text('lesson3.via.' + r['via'])}</td><td>{r['result']}</td>"
            f"<td>{r['arriving']}</td><td>{r['to_driver']}</td></tr>" for r in result["rows"])
        table = (f"<table class='stepper-table lesson3-bytes' style='border-collapse:collapse'>"
                 f"<tr>{header}</tr>{rows}</table>")
        found = lesson3_lab.driver_bottleneck(result)
        self._draw_trees(result["records"])
        return (table + section_html("lesson3.bytes.result", **found),
                figures.bytes_png(result))

    def _draw_trees(self, records: list[dict[str, Any]]) -> None:
        """The reduce tree of each depth's iteration, in lesson 2's tree view."""
        from stepper.pages.phases import Position, phases_of
        from stepper.pages.views import Frame, TreeView
        from stepper.trace import IterationRecord

        views = []
        for data in records:
            record = IterationRecord.from_dict(data)
            view = TreeView(width="49%")
            view.update(Frame(Position(1, 0), phases_of(record)[-1], record, [record], None,
                              len(record.partitions)))
            views.append(view.widget)
        self.trees.children = tuple(views)

    def _draw_stragglers(self, result: dict[str, Any]) -> tuple[str, bytes | None]:
        points = result["points"]
        if not points:
            raise LookupError("no straggler point")
        first, last = points[0], points[-1]
        return (section_html("lesson3.stragglers.result", first=first["partitions"],
                             first_time=first["time"], last=last["partitions"],
                             last_time=last["time"], largest=last["largest_delay"],
                             makespan=last["makespan"], cores=result["cores"]),
                figures.stragglers_png(result))

    def _draw_failure(self, result: dict[str, Any]) -> tuple[str, bytes | None]:
        attempts = ", ".join(text("lesson3.failure.attempt", partition=p, attempt=a)
                             for p, a in enumerate(result["attempts"]))
        return section_html("lesson3.failure.result", attempts=attempts,
                            difference=result["largest_difference"],
                            partition=result["partition"], iteration=result["iteration"],
                            master=result["master"],
                            attempt=result["attempts"][result["partition"]]), None

    def _draw_async(self, result: dict[str, Any]) -> tuple[str, bytes | None]:
        stable = ", ".join(text("lesson3.async.stable_item", tau=tau, factor=factor)
                           for tau, factor in result["stable"].items())
        return (section_html("lesson3.async.result", stable=stable or "—",
                             workers=result["workers"], eta=result["eta"]),
                figures.async_png(result))

    def _draw_timed(self, result: dict[str, Any]) -> tuple[str, bytes | None]:
        ratio = result["stepping"] / max(result["per_iteration"], 1e-12)
        return section_html("lesson3.timed.result", iterations=result["iterations"],
                            seconds=result["seconds"],
                            per_iteration=result["per_iteration"],
                            stepping=result["stepping"], ratio=ratio,
                            stepped=result["stepped"]), None

    # -- text -------------------------------------------------------------------------------------
    def header(self) -> widgets.Widget:
        """The page's top: language switch, title, what it shows, links, which J."""
        return page_top("lesson3", self.language, objective="objective.lessons")

    def section(self, key: str):  # -> IPython.display.Markdown
        """A text section of the catalogue (``lesson3.cards.big`` …)."""
        return section_markdown(key)

    def card(self, key: str) -> widgets.Widget:
        """A text section as a widget (the Spark UI card carries this kernel's link)."""
        box = widgets.HTML(section_html(key))
        return widgets.VBox([box, self.ui_link]) if key == "lesson3.cards.dag" else box

    def stepper(self) -> LessonApp:
        """Gradient descent on generated rows with seeded lognormal task delays."""
        return self.app

    def part(self, name: str) -> widgets.Widget:
        """Demo ``name`` (:data:`PARTS`: ``sweep``, ``bytes``, ``stragglers``, ``failure``,
        ``async``, ``timed``), its result hidden until its question is answered."""
        part = self.parts[name]
        if name in self.questions:
            self.questions[name].hide(part.result_box)
        if name == "bytes":
            part.result_box.children = (*part.result_box.children, self.trees)
        return part.widget

    def question(self, name: str) -> widgets.Widget:
        """The question opening part ``name``; its answer is what the demo measures."""
        def values() -> dict[str, Any]:
            if name not in self.results:
                raise LookupError(f"{name} not measured yet")
            return self.results[name]

        return ask(self.questions, name, questions.QUESTIONS[name](values), self.room)

    def finish(self) -> None:
        """Under Voilà: Spark starts now (and with ``?run=all`` every demo runs, one after the
        other). Run headlessly (nbclient, the tests): two iterations, and with ``?quick=1``
        every demo too, here (the page test does; the notebooks' execution test, without it,
        leaves them to their own tests, as lesson 4 does)."""
        if self.follows:
            return
        if in_voila():
            self.app.start()
            if self.run_all_now:
                threading.Thread(target=self.run_all, name="lesson3-demos", daemon=True).start()
            return
        self.app.exercise(iterations=2)
        if self.quick:
            self.run_all(background=False)

    def run_all(self, background: bool = True) -> None:
        """Every demo in turn (each waits for the one before)."""
        for part in self.parts.values():
            part.start(background=background)
            part.wait(600)


def _whole_numbers(typed: str, key: str) -> list[int] | None:
    """``"0, 4, 16"`` → ``[0, 4, 16]``; None when nothing is typed; the line ``key`` when it is
    not a list of whole numbers."""
    chosen = typed.replace(";", ",").strip()
    if not chosen:
        return None
    try:
        return [int(part) for part in chosen.split(",") if part.strip()]
    except ValueError:
        raise PageInputError(key, value=chosen) from None


def _ui_port_of(sc: Any) -> int:
    url = sc.uiWebUrl or ""
    tail = url.rsplit(":", 1)[-1].strip("/")
    return int(tail) if tail.isdigit() else ui_port()
