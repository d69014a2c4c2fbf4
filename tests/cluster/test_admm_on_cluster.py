"""Consensus ADMM on a real standalone cluster: the same iterates as the same method run in one
process with numpy (``run_local`` with the same row split), partitions solved on the executors
of both workers, and a failed local solve retried by Spark without changing the step (the
partitions keep no state: x_p and u_p travel in the payload, so a retry solves the same
problem from the same warm start)."""

from __future__ import annotations

import numpy as np
import pytest

from stepper import Problem, Stepper, add_intercept, from_numpy
from stepper.algorithms import Settings, admm
from stepper.faults import TaskFailure
from stepper.local import run_local

pytestmark = [pytest.mark.cluster, pytest.mark.timeout(300)]


def lasso_logistic_arrays() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(41)
    F = rng.normal(size=(600, 5))
    y = np.where(F @ [1.5, 0.0, -1.0, 0.0, 0.5] + 0.3 + rng.logistic(size=600) > 0, 1.0, -1.0)
    return F, y


def test_admm_on_the_cluster_equals_numpy_with_the_same_split(cluster, cluster_spark) -> None:
    sc = cluster_spark.sparkContext
    F, y = lasso_logistic_arrays()
    data = add_intercept(from_numpy(F, y, partitions=4, sc=sc))
    problem = Problem("logistic", l1=0.01, l2=0.001)
    settings = Settings(algorithm=admm(rho=0.05))
    records = Stepper(data, problem, settings).run(6)
    X = np.column_stack([np.ones(len(y)), F])
    local = run_local(problem, settings, X, y, 6, intercept=True, partitions=4)
    np.testing.assert_allclose([r.weights for r in records], local.weights[1:], rtol=1e-10,
                               atol=1e-13)
    assert all(r.update["primal_residual"] >= 0 for r in records)
    executors = {p["executor"] for r in records for p in r.partitions}
    assert "driver" not in executors and len(executors) == 2


def test_a_failed_local_solve_is_retried_with_the_same_step(cluster_spark) -> None:
    sc = cluster_spark.sparkContext
    F, y = lasso_logistic_arrays()
    data = add_intercept(from_numpy(F, y, partitions=4, sc=sc))
    problem = Problem("logistic", l2=0.01)
    settings = Settings(algorithm=admm(rho=0.05, residual_balancing=True))
    expected = Stepper(data, problem, settings).run(3)
    failing = Stepper(data, problem, settings,
                      task_failure=TaskFailure(partition=2, iteration=2, attempts=1))
    records = failing.run(3)
    for mine, theirs in zip(records, expected, strict=True):
        np.testing.assert_array_equal(mine.weights, theirs.weights)
        np.testing.assert_array_equal(mine.update["duals"], theirs.update["duals"])
        assert mine.update["next_rho"] == theirs.update["next_rho"]
    retried = [p for p in records[1].partitions if p["index"] == 2]
    assert retried[0]["attempt"] == 1
