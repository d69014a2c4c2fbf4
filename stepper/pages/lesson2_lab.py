"""What lesson 2's page computes (kept here so the notebook stays thin and this stays tested).

* :func:`make_stepper`: the distributed run on ``partitions`` partitions;
* :func:`slow_partition_oracle`: a partition that takes longer, to see the barrier;
* :func:`compare_partitionings`: the same iterations on different partitionings;
* :func:`prepare_churn`: the churn data as the workshop's Lab 2 prepares it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from stepper.algorithms import Settings
from stepper.errors import StepperError
from stepper.pages.catalog import method_label
from stepper.pages.i18n import text
from stepper.pages.kit.app import Setting
from stepper.pages.kit.errors import attendee_line
from stepper.problems import Problem


def make_stepper(X: np.ndarray, y: np.ndarray, partitions: int, problem: Problem,
                 settings: Settings, sc: Any = None) -> Any:
    """A :class:`~stepper.engine.Stepper` on (X, y) cut into ``partitions`` blocks."""
    from stepper.data.loaders import from_numpy
    from stepper.engine import Stepper

    data = from_numpy(X, y, partitions=partitions, sc=sc, source="logistic2d",
                      feature_names=["intercept", "x1", "x2"][: X.shape[1]])
    data.intercept = True
    return Stepper(data, problem, settings)


def slow_partition_oracle(problem: Problem, partition: int,
                          seconds: float) -> Callable[[np.ndarray, np.ndarray, np.ndarray], tuple]:
    """The problem's partition sums, with partition ``partition`` (0-based) ``seconds`` slower.

    Runs in the executors: Spark's ``TaskContext`` says which partition the task computes.
    """
    def oracle(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, np.ndarray]:
        from pyspark import TaskContext

        task = TaskContext.get()
        if task is not None and task.partitionId() == partition:
            time.sleep(seconds)
        sums = problem.block_sums(X, y, w)
        return sums.loss, sums.gradient

    return oracle


@dataclass(frozen=True)
class Comparison:
    partitions: int
    objective: float
    weights: np.ndarray
    seconds: float


def compare_partitionings(X: np.ndarray, y: np.ndarray, partitionings: Sequence[int],
                          steps: int, problem: Problem, settings: Settings,
                          sc: Any = None) -> list[Comparison]:
    """Run ``steps`` iterations for each partition count; the same numbers come out."""
    out = []
    for partitions in partitionings:
        run = make_stepper(X, y, partitions, problem, settings, sc)
        started = time.perf_counter()
        records = run.run(steps)
        out.append(Comparison(partitions, records[-1].objective, run.weights.copy(),
                              time.perf_counter() - started))
        run.data.unpersist()
    return out


def comparison_html(rows: list[Comparison]) -> str:
    """The comparison as a table: J and w after the steps, and the largest gap to the first."""
    base = rows[0].weights
    cell = 'style="padding:4px 12px;border:1px solid #9aa5b1;text-align:right"'
    lines = [f'<table class="stepper-table" style="border-collapse:collapse">'
             f'<tr><th {cell}>{text("lesson2.table.partitions")}</th>'
             f'<th {cell}>{text("lesson2.table.objective")}</th>'
             f'<th {cell}>w</th><th {cell}>{text("lesson2.table.gap")}</th>'
             f'<th {cell}>{text("lesson2.table.time")}</th></tr>']
    for row in rows:
        gap = float(np.max(np.abs(row.weights - base)))
        weights = ", ".join(f"{v:.6f}" for v in row.weights)
        lines.append(f"<tr><td {cell}>{row.partitions}</td><td {cell}>{row.objective:.12f}</td>"
                     f"<td {cell}>({weights})</td><td {cell}>{gap:.1e}</td>"
                     f"<td {cell}>{row.seconds:.2f} s</td></tr>")
    lines.append("</table>")
    return "".join(lines)


@dataclass
class ChurnData:
    train: Any
    test: Any
    X_test: np.ndarray
    y_test: np.ndarray
    rows_before: int
    churners: int


def prepare_churn(path: str, *, partitions: int = 4, keep_fraction: float = 0.1,
                  test_fraction: float = 0.1, seed: int = 0, sc: Any = None) -> ChurnData:
    """The workshop's Lab 2 preparation: keep every churner and ``keep_fraction`` of the others,
    standardize, add an intercept, split 90/10 (all seeded)."""
    from stepper.data.loaders import load_csv
    from stepper.data.prepare import add_intercept, standardize, train_test_split, undersample

    raw = load_csv(path, partitions=partitions, header=True, label_column="churn",
                   id_column="clientId", sc=sc)
    balanced = undersample(raw, keep_label=1.0, fraction=keep_fraction, seed=seed)
    train, test = train_test_split(balanced, test_fraction=test_fraction, seed=seed)
    train_std = standardize(train)
    test_std = standardize(test, using=train_std)  # the training set's means and deviations
    train, test = add_intercept(train_std), add_intercept(test_std)
    X_test, y_test = test.to_numpy()
    churners = sum(raw.map_partitions(lambda _p, block: int(np.sum(block.y > 0))))
    return ChurnData(train, test, X_test, y_test, raw.rows, churners)



def settings_from_state(state: Any, **defaults: Any) -> tuple[Settings, int]:
    """The run's settings and partition count from the page URL, defaults where absent or
    invalid (a problem is then added to ``state.problems`` for the page to show)."""
    chosen = dict(defaults)
    partitions = int(chosen.pop("partitions", 8))
    chosen.update(state.settings())
    try:
        settings = Settings(**chosen)
    except StepperError as exc:
        state.problems.append(text("error.url_settings_ignored", message=attendee_line(exc)))
        settings = Settings(**defaults_without_partitions(defaults))
        partitions = int(defaults.get("partitions", 8))
    if state.partitions is not None:
        partitions = state.partitions
    return settings, partitions


def defaults_without_partitions(defaults: dict) -> dict:
    return {k: v for k, v in defaults.items() if k != "partitions"}


def repartition(stepper: Any, X: np.ndarray, y: np.ndarray, partitions: int) -> None:
    """Give the run the same rows cut into ``partitions`` blocks (the weights are kept)."""
    from stepper.data.loaders import from_numpy

    old = stepper.data
    data = from_numpy(X, y, partitions=partitions, sc=old.sc, source=old.source,
                      feature_names=old.feature_names)
    data.intercept = old.intercept
    stepper.set_data(data)
    old.unpersist()


def run_settings(get_stepper: Callable[[], Any], X: np.ndarray, y: np.ndarray,
                 settings: Settings, partitions: int) -> list:
    """The page's dropdowns: algorithm, step size, partitions, tree depth, batch, full objective
    (off: a sampled method's J is the sample's estimate, and its tasks skip the pass over every
    row's loss), slow task; in the page's language."""
    def setter(name: str) -> Callable[[Any], None]:
        return lambda value: get_stepper().set(**{name: value})

    def slow(value: int) -> None:
        """0: no slow task; p ≥ 1: partition p (1-based, as the page numbers them) waits."""
        run = get_stepper()
        run.partition_oracle = (None if not value
                                else slow_partition_oracle(run.problem, int(value) - 1, 0.3))

    lr_options = ["1/L", 0.5, 1.0, 2.0, 5.0, 10.0]
    if settings.step_rule not in lr_options:
        lr_options.append(settings.step_rule)
    algorithms = ["gd", "momentum", "nesterov", "minibatch", "sgd"]
    if settings.method.name not in algorithms:
        algorithms.append(settings.method.name)
    partition_options = sorted({1, 2, 4, 8, 16, partitions})
    depth_options = sorted({1, 2, 3, settings.depth})
    fractions = sorted({0.02, 0.1, 0.3, settings.batch_fraction})
    def label(name: str) -> str:
        return text(f"lesson2.setting.{name}")

    return [
        Setting("algorithm", algorithms, settings.method.name, setter("algorithm"),
                label("algorithm"), labels=[method_label(name) for name in algorithms]),
        Setting("lr", lr_options, settings.step_rule, setter("lr"), label("lr")),
        Setting("partitions", partition_options, partitions,
                lambda value: repartition(get_stepper(), X, y, int(value)), label("partitions")),
        Setting("depth", depth_options, settings.depth, setter("depth"), label("depth")),
        Setting("batch_fraction", fractions, settings.batch_fraction,
                setter("batch_fraction"), label("batch_fraction")),
        Setting("full_objective", [True, False], settings.full_objective,
                setter("full_objective"), label("full_objective"),
                labels=[label("full_objective.on"), label("full_objective.off")]),
        Setting("slow", [0, 2], 0, slow, label("slow"),
                labels=[label("slow.none"), label("slow.two")]),
    ]
