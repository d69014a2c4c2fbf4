"""Lesson 3's logic against references: the cost decomposition sums to the measured time, the
bytes and the driver's inputs follow PySpark's tree, the barrier, a failure refused where it
cannot be retried (a retried one is checked on the standalone cluster, in
``tests/cluster/test_lesson3_failure_on_cluster.py``), stale SGD with τ = 0 is sequential SGD
(numpy), the stable-step bisection equals a scan of the grid, and bad input gives the page's
line."""

from __future__ import annotations

import os

import numpy as np
import pytest

from stepper.pages import i18n, lesson3_async, lesson3_lab
from stepper.pages.lesson3_lab import PageInputError

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


# -- without Spark -----------------------------------------------------------------------------
def test_the_master_is_made_to_retry():
    assert lesson3_lab.retrying_master("local[2]") == "local[2,4]"
    assert lesson3_lab.retrying_master("local[*]") == "local[*,4]"
    assert lesson3_lab.retrying_master("local") == "local[1,4]"
    assert lesson3_lab.retrying_master("local[2,3]") == "local[2,3]"
    assert lesson3_lab.retrying_master("spark://m:7077") == "spark://m:7077"


def test_makespan_of_tasks_in_order_on_slots():
    assert lesson3_lab.makespan([3.0, 1.0, 1.0, 1.0], 2) == 3.0  # 1+1+1 on the other slot
    assert lesson3_lab.makespan([1.0, 1.0, 1.0], 1) == 3.0
    assert lesson3_lab.makespan([0.5, 2.0, 0.5, 0.5, 0.5], 2) == 2.0
    rng = np.random.default_rng(1)
    delays = rng.lognormal(size=16)
    assert max(delays) <= lesson3_lab.makespan(delays, 2) <= sum(delays)
    assert lesson3_lab.makespan(delays, 16) == pytest.approx(max(delays))


def test_stale_sgd_with_tau_zero_is_sequential_sgd():
    """Every gradient applied at once to the latest weights: numpy's SGD on the same rows."""
    from stepper.algorithms import Settings
    from stepper.local import LocalDriver

    size = lesson3_async.QUICK_ASYNC
    X, y = lesson3_async.rows(size)
    eta = lesson3_async.base_step(X)
    method = lesson3_async.method(size.workers, 0)
    problem = lesson3_async.problem()
    driver = LocalDriver(problem, Settings(algorithm=method), X, y, np.ones(X.shape[1]))
    driver.step_size = eta
    state = method.init(np.zeros(X.shape[1]), 0)
    events = []
    for _ in range(3):
        step = method.update(state, {}, driver)
        state = step.state
        events += step.info["simulated_events"]
    w = np.zeros(X.shape[1])
    for event in events:
        assert event["staleness"] == 0
        rows = list(event["rows"])
        residual = X[rows] @ w - y[rows]  # ℓ = ½(xw − y)², ∇ℓ = (xw − y)x
        w = w - eta * (X[rows].T @ residual / len(rows) + problem.l2 * w)
    np.testing.assert_allclose(state.w, w, rtol=1e-12, atol=1e-14)


def test_the_bisection_finds_the_grid_scan_and_the_step_shrinks():
    size = lesson3_async.AsyncSize(200, 6, 6, (0, 5), 4, 90, 14)
    X, y = lesson3_async.rows(size)
    eta0 = lesson3_async.base_step(X) / 4.0
    found = {}
    for tau in size.stalenesses:
        grid = [eta0 * 2 ** (k / 4) for k in range(size.grid)]
        scan = [eta for eta in grid if lesson3_async.stable(X, y, size, tau, eta)]
        found[tau] = lesson3_async.largest_stable_step(X, y, size, tau)
        assert found[tau] == max(scan)
    assert found[5] < found[0]


@pytest.fixture()
def french():
    i18n.use_language("fr")
    yield
    i18n.use_language("en")


def test_a_staleness_beyond_the_run_is_one_line_in_french(french):
    with pytest.raises(PageInputError) as error:
        lesson3_async.compare(lesson3_async.QUICK_ASYNC, [0, 500])
    line = i18n.text(error.value.key, **error.value.values)
    assert line == ("Un retard de 500 est impossible dans une exécution de 64 mises à jour : "
                    "choisissez τ entre 0 et 64 − 1.")


def test_the_stable_step_of_a_fixed_delay_the_page_quotes():
    """x ← x − a·x_{k−τ} (a = ηL, a quadratic of curvature L) is stable for a below
    2·sin(π/(4τ + 2)), about π/(2τ) for large τ (the async question's explanation)."""
    def stable(a: float, tau: int) -> bool:
        polynomial = np.zeros(tau + 2)
        polynomial[0], polynomial[1] = 1.0, -1.0
        polynomial[-1] += a  # z^{τ+1} − z^τ + a
        return bool(np.max(np.abs(np.roots(polynomial))) < 1.0)

    for tau in (0, 1, 4, 16):
        bound = 2 * np.sin(np.pi / (4 * tau + 2))
        assert stable(0.99 * bound, tau) and not stable(1.01 * bound, tau)
    assert 2 * np.sin(np.pi / 258) == pytest.approx(np.pi / 128, rel=0.01)  # τ = 64


def test_the_decomposition_sums_to_the_measured_time():
    from stepper.trace import IterationRecord

    record = IterationRecord(
        iteration=1, objective=0.5, grad_norm=1.0, weights=np.zeros(2),
        partitions=[{"index": 0, "start": 10.20, "end": 10.50, "seconds": 0.30},
                    {"index": 1, "start": 10.25, "end": 10.90, "seconds": 0.65}],
        timing={"map": 0.65, "reduce": 0.35, "driver": 0.01, "total": 1.15})
    parts = lesson3_lab.decompose(record, 10.0, 11.2)
    assert sum(parts[p] for p in lesson3_lab.PARTS) == pytest.approx(1.2, abs=1e-12)
    assert parts["slowest"] == 0.65 and parts["waiting"] == pytest.approx(0.05)
    assert parts["broadcast"] == pytest.approx(0.14)  # total − job − driver
    assert parts["driver"] == 0.01 and parts["reduce"] == pytest.approx(0.29)


# -- on Spark (the session's local[2]) ------------------------------------------------------------
@pytest.mark.spark
def test_the_sweep_parts_sum_to_each_iteration_measured(sc):
    size = lesson3_lab.SweepSize((400, 4), (40, 50), (1, 3), 1)
    seen = []
    result = lesson3_lab.cost_sweep(sc, size, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert [(p["shape"], p["partitions"]) for p in result["points"]] == [
        ("rows", 1), ("rows", 3), ("features", 1), ("features", 3)]
    for point in result["points"]:
        assert sum(point[p] for p in lesson3_lab.PARTS) == pytest.approx(point["total"],
                                                                         abs=1e-9)
        assert point["slowest"] > 0 and point["total"] > point["slowest"]
    with pytest.raises(PageInputError) as error:
        lesson3_lab.cost_sweep(sc, size, partitions=(1, 41))
    assert error.value.key == "lesson3.bad.partitions"
    assert error.value.values == {"partitions": 41, "rows": 40}


@pytest.mark.spark
def test_bytes_follow_the_tree_and_the_barrier_waits_for_the_largest_delay(sc):
    from stepper.reduce import expected_tree

    size = lesson3_lab.BytesSize((10, 400), (1, 2), 8)
    result = lesson3_lab.bytes_sweep(sc, size)
    for row in result["rows"]:
        tree = expected_tree(8, row["depth"])
        groups = len(tree[-2]) if len(tree) > 1 else 8  # what the driver's combine receives
        assert row["arriving"] == groups
        assert row["via"] == "task" and row["broadcast"] > 8 * row["features"]
    depth1 = {r["features"]: r for r in result["rows"] if r["depth"] == 1}
    assert depth1[400]["to_driver"] > depth1[10]["to_driver"]
    assert depth1[400]["to_driver"] >= 8 * 8 * 400  # 8 gradients of 400 float64 at least
    depth2 = {r["features"]: r for r in result["rows"] if r["depth"] == 2}
    assert depth2[400]["to_driver"] < depth1[400]["to_driver"] / 2  # 2 partials instead of 8
    # P = 5 at depth 2: the executors' one level has a single group, whose one partial is all
    # the driver receives (not the five partials that group combined)
    assert expected_tree(5, 2) == [[[0, 1, 2, 3, 4]]]
    five = lesson3_lab.generated(sc, 20, 400, 5)
    record = lesson3_lab.gd_run(five, settings={"depth": 2, "trace": "summary"}).step()
    five.unpersist()
    last = record.reduce["levels"][-1]
    assert last["where"] == "executors" and len(last["groups"]) == 1
    assert 8 * 400 < record.reduce["bytes_to_driver"] < last["bytes"]
    stragglers = lesson3_lab.straggler_sweep(
        sc, lesson3_lab.StragglerSize((2, 4), 1, 0.05, 1.0, 200))
    for point in stragglers["points"]:
        assert point["time"] >= point["largest_delay"]  # the barrier


@pytest.mark.spark
def test_a_failure_is_refused_on_a_missing_partition_and_on_a_master_without_retries(sc):
    with pytest.raises(PageInputError) as missing:
        lesson3_lab.failure_demo(sc, 4, partitions=4)
    assert missing.value.key == "lesson3.bad.failure_partition"
    assert missing.value.values == {"partition": 4, "last": 3}
    with pytest.raises(PageInputError) as no_retry:  # the session's local[2]
        lesson3_lab.failure_demo(sc, 1, partitions=4)
    assert no_retry.value.key == "lesson3.failure.no_retry"
