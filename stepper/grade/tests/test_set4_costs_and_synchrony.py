"""Visible tests of exercise set 4: the cost of an iteration (cost model, treeAggregate's tree,
makespan), SGD with stale gradients, and two workshop steps on an RDD (the bound L with
``max``, rebalancing with ``sampleByKey``)."""

from __future__ import annotations

import heapq
import math

import numpy as np

from stepper.grade import reference as ref
from stepper.grade.api import Hint, expect_close, expect_equal, fail, say, task
from stepper.grade.tests._common import Fn, Rdd, RddResult, pair, sample_by_key, slices
from stepper.reduce import expected_tree, tree_scale

TERMS = ("schedule", "compute", "reduce", "broadcast")


def cost_terms(P, cores, n, d, t_task, t_row, t_byte) -> dict[str, float]:
    """The cost model of Task 4.1, term by term."""
    return {"schedule": P * t_task,
            "compute": math.ceil(P / cores) * math.ceil(n / P) * t_row,
            "reduce": P * 8 * d * t_byte,
            "broadcast": 8 * d * t_byte}


def check_iteration_time(sub, P, cores, n, d, t_task, t_row, t_byte) -> None:
    got = sub.iteration_time(P, cores, n, d, t_task, t_row, t_byte)
    if not isinstance(got, dict):
        fail("iteration_time should return a dict with the keys {keys}; got {kind}",
             keys=", ".join(TERMS), kind=type(got).__name__)
    missing = [key for key in TERMS if key not in got]
    if missing:
        fail("iteration_time: the key(s) {keys} are missing from the dict",
             keys=", ".join(missing))
    want = cost_terms(P, cores, n, d, t_task, t_row, t_byte)
    example = say("P={P} partitions, {cores} cores, n={n} rows, d={d}, t_task={t_task}, "
                  "t_row={t_row}, t_byte={t_byte}", P=P, cores=cores, n=n, d=d, t_task=t_task,
                  t_row=t_row, t_byte=t_byte)
    waves, rows = math.ceil(P / cores), math.ceil(n / P)
    hints = {
        "schedule": [Hint(t_task, "one launch for the whole stage: the driver launches each of "
                                  "the P tasks, P · t_task"),
                     Hint(waves * t_task, "one launch per wave: the driver launches each of the "
                                          "P tasks, P · t_task")],
        "compute": [Hint(rows * t_row, "the waves are missing: with more tasks than cores, the "
                                       "tasks run in ⌈P / cores⌉ waves"),
                    Hint(n * t_row, "every row one after the other: the tasks of a wave run in "
                                    "parallel, only the slowest counts"),
                    Hint(n / cores * t_row, "no whole numbers: a wave and a task's rows are "
                                            "whole, ⌈P / cores⌉ · ⌈n / P⌉")],
        "reduce": [Hint(P * d * t_byte, "a float is 8 bytes: P · 8d bytes"),
                   Hint(8 * d * t_byte, "one partial only: the driver receives P of them"),
                   Hint(cores * 8 * d * t_byte, "one partial per core: the driver receives "
                                                "one per partition, P of them")],
        "broadcast": [Hint(P * 8 * d * t_byte, "the weights sent once per task: a broadcast "
                                               "sends them once, 8d bytes"),
                      Hint(d * t_byte, "a float is 8 bytes: 8d bytes")],
    }
    for key in TERMS:
        expect_close(got[key], want[key], what=say("the {term} term", term=key),
                     example=example, hints=hints[key])


@task("4.1", points=2, uses="iteration_time")
def test_iteration_time(sub):
    """the four terms of the cost model"""
    check_iteration_time(sub, 6, 4, 1000, 5, 0.01, 1e-4, 1e-3)


def tree_counts(P: int, depth: int) -> tuple[int, list[int]]:
    """(scale, [partials per level]) of the engine's restatement of PySpark's tree."""
    return tree_scale(P, depth), [P] + [len(level) for level in expected_tree(P, depth)]


def counts_with(P: int, scale: int, whole: bool = False) -> list[int]:
    """The partials per level with this fan-in (``whole``: c kept a whole number, c //= scale,
    where PySpark divides floats)."""
    counts, c = [P], float(P)
    while c > scale + c / scale:
        c = float(int(c) // scale) if whole else c / scale
        counts.append(int(c))
    if counts[-1] > 1:
        counts.append(1)
    return counts


def check_tree_shape(sub, P: int, depth: int) -> None:
    scale, counts = pair(sub.tree_shape(P, depth), "(scale, counts)")
    try:
        got = (int(scale), [int(c) for c in counts])
    except (TypeError, ValueError):
        fail("tree_shape should return (scale, counts), counts a list of whole numbers; got "
             "{value}", value=f"{(scale, counts)!r:.200}")
    want = tree_counts(P, depth)
    hints = [Hint(tree_counts(P, depth + 1), "the tree of depth + 1: the depth is off by one"),
             Hint((want[0], want[1][:-1]), "the driver's single result is missing: counts end "
                                           "with 1"),
             Hint((want[0], want[1][1:]), "the P partitions' partials are missing: counts "
                                          "start with P"),
             Hint((max(int(P ** (1.0 / depth)), 2),
                   counts_with(P, max(int(P ** (1.0 / depth)), 2))),
                  "the scale rounds up: ⌈P^(1/depth)⌉"),
             Hint((want[0], counts_with(P, want[0], whole=True)),
                  "c is divided as a float, c ← c / scale, and only the count of partials "
                  "is rounded down")]
    if depth > 1:
        hints.insert(1, Hint(tree_counts(P, depth - 1), "the tree of depth − 1: the depth is "
                                                        "off by one"))
    expect_equal(got, want, what=say("tree_shape({P}, {depth})", P=P, depth=depth),
                 example=say("P={P} partitions, depth={depth}: the rule of PySpark's "
                             "treeAggregate", P=P, depth=depth), hints=hints)


@task("4.2", points=2, uses="tree_shape")
def test_tree_shape(sub):
    """treeAggregate's scale and partials per level"""
    for P, depth in ((16, 2), (8, 2), (6, 1), (4, 2), (1, 2)):
        check_tree_shape(sub, P, depth)


def greedy_makespan(task_times, slots) -> float:
    free = [0.0] * slots
    for seconds in task_times:
        heapq.heappush(free, heapq.heappop(free) + seconds)
    return max(free)


def round_robin(task_times, slots) -> float:
    loads = [0.0] * slots
    for index, seconds in enumerate(task_times):
        loads[index % slots] += seconds
    return max(loads)


def check_makespan(sub, task_times, slots) -> None:
    want = greedy_makespan(task_times, slots)
    got = sub.makespan(list(task_times), slots)
    expect_close(got, want, what=say("makespan({times}, {slots})", times=list(task_times),
                                     slots=slots),
                 example=say("{count} tasks on {slots} slots, launched in order",
                             count=len(task_times), slots=slots),
                 hints=[Hint(sum(task_times), "the durations were summed: the slots run in "
                                              "parallel, the makespan is when the last ends"),
                        Hint(sum(task_times) / slots, "a perfect split of the work: tasks are "
                                                      "whole, each on one slot"),
                        Hint(max(task_times), "the longest task alone: more tasks than slots "
                                              "queue behind each other"),
                        Hint(greedy_makespan(sorted(task_times, reverse=True), slots),
                             "the tasks sorted longest first: Spark launches them in order"),
                        Hint(round_robin(task_times, slots),
                             "task i on slot i mod slots: each task takes the slot that frees "
                             "first")])


@task("4.3", points=2, uses="makespan")
def test_makespan(sub):
    """greedy list scheduling of tasks on slots"""
    check_makespan(sub, [2.0, 5.0, 1.0, 3.0, 1.0, 4.0, 4.0], 3)
    check_makespan(sub, [1.0] * 8 + [5.0], 4)


A_STALE = np.array([[2.0, 0.5], [0.5, 1.0]])
B_STALE = np.array([1.0, -1.0])


def stale_path(A, b, w0, eta, tau, steps, shift=0, skip=False) -> np.ndarray:
    """w_{t+1} = w_t − η(A w_{max(t−τ−shift, 0)} − b); ``skip``: no step while t < τ."""
    path = [np.asarray(w0, dtype=float)]
    for t in range(steps):
        if skip and t < tau:
            path.append(path[-1].copy())
            continue
        stale = path[min(max(t - tau - shift, 0), t)]
        path.append(path[-1] - eta * (A @ stale - b))
    return np.array(path)


def check_stale_sgd(sub, A, b, w0, eta, tau, steps, what=None) -> np.ndarray:
    want = stale_path(A, b, w0, eta, tau, steps)
    got = sub.stale_sgd(Fn("quadratic_gradient", A, b), np.array(w0, dtype=float), eta, tau,
                        steps)
    hints = [Hint(stale_path(A, b, w0, eta, 0, steps), "the gradient was taken at w_t: it "
                                                       "must be at the stale point w_(t−τ)"),
             Hint(stale_path(A, b, w0, eta, tau, steps, shift=-1),
                  "off by one: the stale point is w_(t−τ), not w_(t−τ+1)"),
             Hint(stale_path(A, b, w0, eta, tau, steps, shift=1),
                  "off by one: the stale point is w_(t−τ), not w_(t−τ−1)"),
             Hint(stale_path(A, b, w0, eta, tau, steps, skip=True),
                  "no step while t < τ: until then the gradient is taken at w₀"),
             Hint(want[1:], "w0 is missing from the first row")]
    expect_close(got, want, what=what or say("the trajectory"),
                 example=say("∇f(w) = Aw − b, A=[[2, .5], [.5, 1]], b=[1, −1], w0={w0}, "
                             "η={eta}, τ={tau}, steps={steps}", w0=list(w0), eta=eta, tau=tau,
                             steps=steps),
                 hints=hints)
    return want


@task("4.4", points=2, uses="stale_sgd")
def test_stale_sgd(sub):
    """gradients τ updates stale"""
    check_stale_sgd(sub, A_STALE, B_STALE, [1.0, -1.0], 0.2, 2, 8)


@task("4.4", points=1, uses="stale_sgd")
def test_stale_sgd_without_delay_is_gradient_descent(sub):
    """τ = 0 is plain gradient descent"""
    check_stale_sgd(sub, A_STALE, B_STALE, [0.5, 0.5], 0.3, 0, 6,
                    what=say("the trajectory with τ = 0"))


def labelled(n: int, d: int, seed: int, positive: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = np.hstack([np.ones((n, 1)), rng.normal(scale=2.0, size=(n, d - 1))])
    y = np.where(rng.random(n) < positive, 1.0, -1.0)
    return X, y


def check_lipschitz(sub, X, y, partitions) -> None:
    norms = np.sum(X * X, axis=1)
    want = 0.25 * float(np.max(norms))
    got = sub.lipschitz_bound(Rdd(ref.rows_of(X, y), partitions))
    expect_close(got, want, what=say("L = ¼ maxᵢ‖xᵢ‖²"),
                 example=say("{n} points in {partitions} partitions", n=len(y),
                             partitions=partitions),
                 hints=[Hint(float(np.max(norms)), "the factor ¼ is missing"),
                        Hint(0.25 * float(np.max(np.sqrt(norms))), "‖xᵢ‖ where its square "
                                                                   "‖xᵢ‖² is needed"),
                        Hint(1.0 / want, "returned the step 1/L, not L"),
                        Hint(0.25 * float(np.mean(norms)), "the mean of ‖xᵢ‖², not the "
                                                           "maximum"),
                        Hint(0.25 * float(np.sum(np.max(X * X, axis=0))),
                             "the maximum of each feature, then summed: take the largest "
                             "‖xᵢ‖² over the rows")])


@task("4.5", points=2, uses="lipschitz_bound", spark=True)
def test_lipschitz_bound(sub):
    """L = ¼ maxᵢ‖xᵢ‖² with an RDD max"""
    X, y = labelled(40, 3, seed=45)
    check_lipschitz(sub, X, y, 3)


def per_class(rows) -> dict[float, int]:
    return {label: sum(1 for r in rows if float(r[0]) == label) for label in (-1.0, 1.0)}


def check_rebalance(sub, X, y, partitions, fraction, seed) -> list:
    rows = ref.rows_of(X, y)
    out = sub.rebalance(Rdd(rows, partitions), fraction, seed)
    if not isinstance(out, RddResult):
        fail("rebalance should return an RDD (a transformation, not collected); got {kind}",
             kind=type(out).__name__)
    parts = slices(rows, partitions)
    want = sample_by_key(parts, False, {1.0: 1.0, -1.0: fraction}, seed)
    sizes = per_class(rows)
    got = out.collect()
    expect_equal(per_class(got), per_class(want), what=say("{{label: count}} after rebalance"),
                 example=say("{n} points in {partitions} partitions, class sizes {sizes}, "
                             "fraction={fraction}, seed={seed}", n=len(rows),
                             partitions=partitions, sizes=sizes, fraction=fraction, seed=seed),
                 hints=[Hint(per_class(sample_by_key(parts, False,
                                                     {1.0: fraction, -1.0: 1.0}, seed)),
                             "the fraction was applied to the churners (+1): keep every +1 "
                             "point, sample the −1 ones"),
                        Hint(per_class(sample_by_key(parts, True, {1.0: 1.0, -1.0: fraction},
                                                     seed)),
                             "sampled with replacement: sampleByKey(False, fractions, seed)"),
                        Hint(sizes, "nothing was sampled: every point is still there"),
                        Hint({-1.0: 0, 1.0: sizes[1.0]}, "every −1 point was dropped: keep "
                                                         "each with probability fraction")])
    if sorted(float(r[1][1]) for r in got) != sorted(float(r[1][1]) for r in want):
        fail("the sample is not the seeded sampleByKey(False, {{1.0: 1.0, -1.0: fraction}}, "
             "seed)")
    return got


@task("4.6", points=2, uses="rebalance", spark=True)
def test_rebalance(sub):
    """every churner kept, a seeded fraction of the others"""
    X, y = labelled(120, 3, seed=46, positive=0.2)
    check_rebalance(sub, X, y, 3, 0.25, 7)
