"""Methods on the standalone cluster: the same numbers as on one machine (``run_local``, numpy)
and, where the method converges, the optimum of an independent solver (scipy)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from stepper import Problem, Stepper, add_intercept, load_csv, standardize
from stepper.algorithms import Settings
from stepper.local import run_local

pytestmark = pytest.mark.cluster

LESSON_CSV = Path(__file__).resolve().parents[2] / "data" / "logistic2d_train.csv"


@pytest.mark.timeout(900)  # the first test of a session also waits for the cluster to start
def test_lbfgs_on_the_cluster_matches_local_mode(cluster_spark):
    from scipy.optimize import minimize

    data = add_intercept(standardize(load_csv(str(LESSON_CSV), partitions=4,
                                              sc=cluster_spark.sparkContext)))
    X, y = data.to_numpy()
    lam, free = 0.01, np.array([0.0, 1.0, 1.0])  # the intercept is not penalized

    def objective(w):
        margin = y * (X @ w)
        return (np.logaddexp(0.0, -margin).mean() + 0.5 * lam * np.sum((free * w) ** 2),
                -(X.T @ (y * np.exp(-np.logaddexp(0.0, margin)))) / len(y) + lam * free * w)

    optimum = minimize(objective, np.zeros(3), jac=True, method="L-BFGS-B",
                       options={"gtol": 1e-13, "ftol": 1e-16}).x
    problem = Problem("logistic", l2=lam)
    for lr in (None, "wolfe"):
        settings = Settings(algorithm="lbfgs", lr=lr)
        records = Stepper(data, problem, settings).run(16)
        local = run_local(problem, settings, X, y, 16, intercept=True)
        np.testing.assert_allclose([r.weights for r in records], local.weights[1:],
                                   rtol=1e-10, atol=1e-12)
        assert all(r.rounds == 1 + len(r.update["trials"]) for r in records)
        np.testing.assert_allclose(records[-1].weights, optimum, rtol=1e-9, atol=1e-10)
