"""What lesson 3's page measures on Spark (kept here so the notebook stays thin and this stays
tested): the cost of one iteration, its bytes, stragglers, a failed task retried, a timed run.

Every demo runs real iterations of :class:`~stepper.engine.Stepper` on generated data (each
partition builds its own rows, :func:`~stepper.data.loaders.from_generator`) and reads what it
reports from the records. Each takes ``progress(done, total)`` (called after every run) and
``stop`` (a :class:`threading.Event`: the demo returns what it measured so far) and returns a
JSON-able dict, the form the room sends to followers.

The cost of one iteration, T ≈ scheduling + slowest task + reduce + broadcast, is read off one
record and the wall clock around ``step()`` (t₀ before, t₁ after; tasks' ``start``/``end`` on the
same clock in local mode):

    before first task  = min start − t₀   = broadcast (the driver's payload, from the record)
                                            + scheduling (the rest: task set, shipping, launch)
    tasks              = max end − min start = slowest task (``timing.map``)
                                            + waiting (tasks queued behind others: P > cores)
    after last task    = t₁ − max end     = driver update (``timing.driver``)
                                            + reduce (the rest: results back, tree combine)

so the six parts sum to t₁ − t₀ exactly.
"""

from __future__ import annotations

import re
import statistics
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from stepper.pages.kit.errors import PageInputError

Progress = Callable[[int, int], None]
PARTS = ("broadcast", "scheduling", "slowest", "waiting", "reduce", "driver")
"""The parts of one iteration's time, in the order they happen."""


def no_progress(_done: int, _total: int) -> None:
    """The default ``progress``: nothing to show."""


# -- the page's Spark --------------------------------------------------------------------------
def retrying_master(master: str) -> str:
    """``local[N]`` → ``local[N,4]`` (a task may fail 3 times and be retried); other masters as
    they are (a cluster retries by itself, ``spark.task.maxFailures``)."""
    found = re.fullmatch(r"local\[\s*(\d+|\*)\s*\]", master.strip())
    if found:
        return f"local[{found.group(1)},4]"
    return "local[1,4]" if master.strip() == "local" else master


def spark_context(ui_port: int | None = None) -> Any:
    """The page's SparkContext: the running one, else a new one on a master that retries."""
    from stepper.session import resolve_master, spark_session

    return spark_session(retrying_master(resolve_master()), ui_port=ui_port).sparkContext


def generated(sc: Any, rows: int, features: int, partitions: int, seed: int = 0,
              task: str = "classification") -> Any:
    """``rows`` × ``features`` generated rows in ``partitions`` partitions (built by the
    partitions themselves); more partitions than rows is refused with the page's line."""
    from stepper.data.loaders import from_generator
    from stepper.data.synthetic import GeneratorSpec

    if partitions > rows:
        raise PageInputError("lesson3.bad.partitions", partitions=partitions, rows=rows)
    return from_generator(GeneratorSpec(rows=rows, features=features, seed=seed, task=task),
                          partitions=partitions, sc=sc)


def gd_run(data: Any, **options: Any) -> Any:
    """Gradient descent with a fixed step on ``data`` (no extra job for the 1/L bound)."""
    from stepper.algorithms import Settings
    from stepper.engine import Stepper
    from stepper.problems import Problem

    settings = {"algorithm": "gd", "lr": 1.0, "depth": 2, **options.pop("settings", {})}
    return Stepper(data, Problem("logistic", l2=1e-3), Settings(**settings), **options)


# -- a. the cost of one iteration ----------------------------------------------------------------
def timed_step(run: Any) -> tuple[Any, dict[str, float]]:
    """One iteration and its time split into :data:`PARTS` (see the module docstring)."""
    started = time.time()
    record = run.step()
    finished = time.time()
    return record, decompose(record, started, finished)


def decompose(record: Any, started: float, finished: float) -> dict[str, float]:
    """The parts of ``record``'s time between ``started`` and ``finished`` (wall clock)."""
    tasks = record.partitions
    first = min(task["start"] for task in tasks)
    last = max(task["end"] for task in tasks)
    timing = record.timing
    job = timing["map"] + timing["reduce"]
    before, span, after = first - started, last - first, finished - last
    broadcast = min(max(timing["total"] - job - timing["driver"], 0.0), max(before, 0.0))
    slowest = min(timing["map"], span)
    driver = min(timing["driver"], max(after, 0.0))
    return {"broadcast": broadcast, "scheduling": before - broadcast, "slowest": slowest,
            "waiting": span - slowest, "reduce": after - driver, "driver": driver,
            "total": finished - started}


@dataclass(frozen=True)
class SweepSize:
    """The cost sweep's sizes: the two shapes (rows, features), the partition counts, and how
    many timed iterations each point keeps (the median)."""

    many_rows: tuple[int, int]
    many_features: tuple[int, int]
    partitions: tuple[int, ...]
    repeats: int


FULL_SWEEP = SweepSize((400_000, 10), (4_000, 1_000), (1, 2, 4, 8, 16, 32), 3)
QUICK_SWEEP = SweepSize((4_000, 10), (200, 200), (1, 2, 4), 1)


def cost_sweep(sc: Any, size: SweepSize, *, progress: Progress = no_progress,
               stop: threading.Event | None = None,
               partitions: Sequence[int] | None = None) -> dict[str, Any]:
    """For each shape and partition count: a first iteration (the partitions build and keep
    their rows), then ``repeats`` timed ones; the median one's parts (:func:`decompose`)."""
    counts = tuple(partitions or size.partitions)
    shapes = {"rows": size.many_rows, "features": size.many_features}
    for rows, _features in shapes.values():
        too_many = [p for p in counts if p > rows]
        if too_many:
            raise PageInputError("lesson3.bad.partitions", partitions=max(too_many), rows=rows)
    points: list[dict[str, Any]] = []
    total, done = len(shapes) * len(counts), 0
    for name, (rows, features) in shapes.items():
        for P in counts:
            if stop is not None and stop.is_set():
                return {"points": points, "cores": sc.defaultParallelism, "stopped": True}
            data = generated(sc, rows, features, P)
            run = gd_run(data)
            run.step()  # the partitions build their rows and keep them
            measured = [timed_step(run)[1] for _ in range(size.repeats)]
            middle = sorted(measured, key=lambda parts: parts["total"])[len(measured) // 2]
            points.append({"shape": name, "rows": rows, "features": features,
                           "partitions": P, **middle})
            data.unpersist()
            done += 1
            progress(done, total)
    return {"points": points, "cores": sc.defaultParallelism, "stopped": False}


def sweep_summary(result: dict[str, Any], shape: str) -> dict[str, Any]:
    """The fastest and slowest partition counts of one shape, and the parts at each end."""
    points = [p for p in result["points"] if p["shape"] == shape]
    if not points:
        raise LookupError("no sweep point yet")
    best = min(points, key=lambda p: p["total"])
    first, last = points[0], points[-1]
    return {"best": best["partitions"], "best_time": best["total"],
            "first": first["partitions"], "first_time": first["total"],
            "last": last["partitions"], "last_time": last["total"],
            "last_scheduling": last["scheduling"] + last["waiting"],
            "first_slowest": first["slowest"], "cores": result["cores"]}


# -- b. bytes per iteration ------------------------------------------------------------------------
@dataclass(frozen=True)
class BytesSize:
    features: tuple[int, ...]
    depths: tuple[int, ...]
    partitions: int


FULL_BYTES = BytesSize((10, 100, 1_000, 10_000), (1, 2, 3), 16)
QUICK_BYTES = BytesSize((10, 1_000), (1, 2), 4)


def bytes_sweep(sc: Any, size: BytesSize, *, progress: Progress = no_progress,
                stop: threading.Event | None = None) -> dict[str, Any]:
    """One iteration for each d and tree depth: the bytes the record reports (broadcast and
    how, each task's result, what reaches the driver) and the partials the driver combines.
    At trace level ``summary`` a partial carries its sums and, for the record, only the norms
    of the partitions' gradients (at ``full`` every partition's gradient rides up the tree with
    it, and a deeper tree saves no bytes)."""
    rows_out: list[dict[str, Any]] = []
    records: list[dict[str, Any]] = []
    total, done = len(size.features) * len(size.depths), 0
    for d in size.features:
        data = generated(sc, 4 * size.partitions, d, size.partitions)
        for depth in size.depths:
            if stop is not None and stop.is_set():
                data.unpersist()
                return {"rows": rows_out, "records": records, "stopped": True,
                        "partitions": size.partitions}
            record = gd_run(data, settings={"depth": depth, "trace": "summary"}).step()
            levels = record.reduce["levels"]
            driver = [level for level in levels if level["where"] == "driver"]
            arriving = (len(driver[0]["groups"][0]["inputs"]) if driver
                        else len(levels[-1]["groups"]))
            rows_out.append({"features": d, "depth": depth,
                             "broadcast": record.broadcast["bytes"],
                             "via": record.broadcast["via"],
                             "result": int(statistics.median(
                                 task["result_bytes"] for task in record.partitions)),
                             "to_driver": record.reduce["bytes_to_driver"],
                             "arriving": arriving, "levels": len(levels) - 1})
            if d == size.features[0]:
                records.append(record.to_dict())
            done += 1
            progress(done, total)
        data.unpersist()
    return {"rows": rows_out, "records": records, "stopped": False,
            "partitions": size.partitions}


def driver_bottleneck(result: dict[str, Any], link_bytes_per_second: float = 1.25e8) -> dict:
    """The driver's inbound bytes per iteration at depth 1, for the largest d measured: the
    bytes, the partitions they came from and the bytes per feature (``link``, a 1 Gbit/s link's
    bytes per second, is returned for a reader's own estimate; the page states no time for it)."""
    depth1 = [row for row in result["rows"] if row["depth"] == 1]
    if not depth1:
        raise LookupError("no depth-1 row yet")
    largest = max(depth1, key=lambda row: row["features"])
    per_feature = largest["to_driver"] / largest["features"]
    return {"per_feature": per_feature, "partitions": result["partitions"],
            "features": largest["features"], "to_driver": largest["to_driver"],
            "link": link_bytes_per_second}


# -- c. stragglers ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class StragglerSize:
    partitions: tuple[int, ...]
    iterations: int
    mean: float
    sigma: float
    rows: int


FULL_STRAGGLERS = StragglerSize((2, 4, 8, 16), 3, 0.1, 1.0, 8_000)
QUICK_STRAGGLERS = StragglerSize((2, 4), 1, 0.03, 1.0, 400)


def makespan(seconds: Sequence[float], slots: int) -> float:
    """When the last of ``seconds`` ends if tasks start in order on the first free of
    ``slots`` slots (Spark's local scheduler hands tasks out in partition order)."""
    free = [0.0] * max(int(slots), 1)
    for duration in seconds:
        k = int(np.argmin(free))
        free[k] += float(duration)
    return max(free)


def straggler_sweep(sc: Any, size: StragglerSize, seed: int = 0, *,
                    progress: Progress = no_progress,
                    stop: threading.Event | None = None) -> dict[str, Any]:
    """For each P: iterations with seeded lognormal delays; the iteration's time against the
    largest delay drawn (the barrier) and the delays' makespan on the cores (the waves)."""
    from stepper.faults import TaskDelay

    delay = TaskDelay(mean=size.mean, kind="lognormal", sigma=size.sigma, seed=seed)
    cores = sc.defaultParallelism
    points: list[dict[str, Any]] = []
    for done, P in enumerate(size.partitions, start=1):
        if stop is not None and stop.is_set():
            return {"points": points, "cores": cores, "stopped": True, "mean": size.mean}
        data = generated(sc, size.rows, 10, P)
        run = gd_run(data, task_delay=delay)
        times, largest, spans = [], [], []
        for record in run.run(size.iterations):
            drawn = [delay.seconds(record.iteration, p) for p in range(P)]
            times.append(record.timing["total"])
            largest.append(max(drawn))
            spans.append(makespan(drawn, cores))
        points.append({"partitions": P, "time": float(np.mean(times)),
                       "largest_delay": float(np.mean(largest)),
                       "makespan": float(np.mean(spans)),
                       "sum_delays": float(np.mean([sum(delay.seconds(t, p) for p in range(P))
                                                    for t in range(1, size.iterations + 1)]))})
        data.unpersist()
        progress(done, len(size.partitions))
    return {"points": points, "cores": cores, "stopped": False, "mean": size.mean}


# -- d. a failed task, retried ---------------------------------------------------------------------
def failure_demo(sc: Any, partition: int, *, partitions: int = 4, iteration: int = 2,
                 iterations: int = 3, rows: int = 2_000) -> dict[str, Any]:
    """The same iterations twice on the same rows: without a failure, then with partition
    ``partition``'s task failing once in ``iteration``; Spark retries it (attempt 2) and the
    numbers come out the same."""
    from stepper.faults import TaskFailure, master_attempts

    if not 0 <= partition < partitions:
        raise PageInputError("lesson3.bad.failure_partition", partition=partition,
                             last=partitions - 1)
    master = str(sc.master)
    if master_attempts(master) == 1:
        raise PageInputError("lesson3.failure.no_retry", master=master)
    data = generated(sc, rows, 5, partitions, seed=3)
    plain = gd_run(data).run(iterations)
    failed = gd_run(data, task_failure=TaskFailure(partition=partition, iteration=iteration))
    retried = failed.run(iterations)
    data.unpersist()
    record = retried[iteration - 1]
    attempts = {int(task["index"]): int(task["attempt"]) + 1 for task in record.partitions}
    return {"partition": partition, "iteration": iteration, "partitions": partitions,
            "attempts": [attempts[p] for p in range(partitions)], "master": master,
            "objectives": [r.objective for r in retried],
            "plain_objectives": [r.objective for r in plain],
            "weights": retried[-1].weights.tolist(), "plain_weights": plain[-1].weights.tolist(),
            "largest_difference": float(np.max(np.abs(retried[-1].weights
                                                       - plain[-1].weights)))}


# -- g. a timed run of many iterations ------------------------------------------------------------
def timed_run(sc: Any, iterations: int, *, stepping: int = 5, rows: int = 20_000,
              partitions: int = 4, progress: Progress = no_progress,
              stop: threading.Event | None = None) -> dict[str, Any]:
    """``iterations`` iterations at trace level ``none`` (no per-task record), timed as one
    run, against ``stepping`` single steps at trace level ``full`` (what Step does)."""
    data = generated(sc, rows, 10, partitions)
    light = gd_run(data, settings={"trace": "none"})
    light.step()  # the partitions build their rows
    done, started = 0, time.perf_counter()
    while done < iterations and not (stop is not None and stop.is_set()):
        light.step()
        done += 1
        if done % 5 == 0 or done == iterations:
            progress(done, iterations + stepping)
    light_seconds = time.perf_counter() - started
    full = gd_run(data, settings={"trace": "full"})
    steps = []
    for k in range(stepping):
        began = time.perf_counter()
        full.step()
        steps.append(time.perf_counter() - began)
        progress(iterations + k + 1, iterations + stepping)
    data.unpersist()
    return {"iterations": done, "seconds": light_seconds,
            "per_iteration": light_seconds / max(done, 1),
            "stepping": float(statistics.median(steps)), "stepped": stepping,
            "stopped": done < iterations}
