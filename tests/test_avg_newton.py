"""avg_newton (one-shot averaging, then global Newton) against scikit-learn, and the engine
against the one-process run of the same value."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from stepper import ConfigError, Problem, Stepper, from_numpy
from stepper.algorithms import REGISTRY, Settings, avg_newton
from stepper.local import run_local

LAM = 1e-3


def logistic_rows(rows: int, features: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """x ~ N(0, I), P(y = 1 | x) = σ(x·w*), labels ±1 (an intercept-free model)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(rows, features))
    w_true = rng.normal(size=features)
    y = np.where(rng.random(rows) < 1.0 / (1.0 + np.exp(-X @ w_true)), 1.0, -1.0)
    return X, y


def sklearn_optimum(X: np.ndarray, y: np.ndarray, lam: float) -> np.ndarray:
    """argmin (1/n)Σ log(1 + exp(−y wᵀx)) + (λ/2)‖w‖²: scikit-learn with C = 1/(nλ)."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=1.0 / (len(y) * lam), fit_intercept=False, tol=1e-12,
                               solver="newton-cholesky",
                               max_iter=10_000)
    return model.fit(X, y).coef_.ravel()


def by_label(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(y, kind="stable")
    return X[order], y[order]


def test_registered_and_validated():
    assert REGISTRY["avg_newton"] is avg_newton
    assert Settings(algorithm="avg_newton").method.hyper == {
        "local_steps": 5, "hessian_fraction": 1.0, "later": "newton"}
    for bad in ({"local_steps": 0}, {"local_steps": 2.5}, {"hessian_fraction": 0.0},
                {"hessian_fraction": 1.5}, {"later": "bfgs"}):
        with pytest.raises(ConfigError) as error:
            avg_newton(**bad)
        assert error.value.parameter == next(iter(bad))


@pytest.mark.parametrize("hyper", [{}, {"hessian_fraction": 0.1}, {"later": "averaged"},
                                   {"local_steps": 1}])
@pytest.mark.parametrize("non_iid", [False, True])
def test_converges_to_the_scikit_learn_optimum(hyper, non_iid):
    X, y = logistic_rows(4000, 5, seed=1)
    if non_iid:  # partitions 0–1 hold only −1 labels, 2–3 only +1
        X, y = by_label(X, y)
    reference = sklearn_optimum(X, y, LAM)
    path = run_local(Problem("logistic", l2=LAM), Settings(algorithm=avg_newton(**hyper)), X, y,
                     12, partitions=4)
    np.testing.assert_allclose(path.weights[-1], reference, rtol=1e-6, atol=1e-8)
    J = path.objective
    assert J[-1] <= J[0]


def test_the_first_round_averages_the_partitions_own_optima():
    """w₁ = Σ n_p v_p / n with v_p = argmin of partition p's own regularized problem."""
    X, y = logistic_rows(3001, 4, seed=2)
    bounds = [0, 750, 1500, 2250, 3001]  # stepper.data.blocks.partition_bounds for 4 blocks
    local = [sklearn_optimum(X[a:b], y[a:b], LAM) for a, b in itertools.pairwise(bounds)]
    sizes = np.diff(bounds)
    average = sum(n * v for n, v in zip(sizes, local, strict=True)) / len(y)
    path = run_local(Problem("logistic", l2=LAM), Settings(algorithm=avg_newton(local_steps=12)),
                     X, y, 1, partitions=4)
    np.testing.assert_allclose(path.weights[1], average, rtol=1e-7, atol=1e-9)
    # identically distributed partitions: the average is already close to the global optimum
    optimum = sklearn_optimum(X, y, LAM)
    assert np.linalg.norm(average - optimum) < 0.02 * np.linalg.norm(optimum)


@pytest.mark.spark
@pytest.mark.parametrize("non_iid", [False, True])
def test_the_engine_equals_the_one_process_run(sc, non_iid):
    X, y = logistic_rows(1000, 3, seed=3)
    if non_iid:
        X, y = by_label(X, y)
    problem = Problem("logistic", l2=LAM)
    method = avg_newton(local_steps=3)
    steps = 6
    path = run_local(problem, Settings(algorithm=method), X, y, steps, partitions=4)
    run = Stepper(from_numpy(X, y, partitions=4, sc=sc), problem, algorithm=method)
    records = run.run(steps)
    weights = np.array([records[0].weights_before] + [r.weights for r in records])
    np.testing.assert_allclose(weights, path.weights, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose([r.objective for r in records], path.objective[:-1], rtol=1e-12)
    # one round per iteration, one Spark job (no line-search rounds: the check is deferred)
    assert [r.rounds for r in records] == [1] * steps
    assert all(r.jobs >= 1 for r in records)
    stages = [r.update["stage"] for r in records]
    assert stages[:2] == ["start", "average"] and set(stages[2:]) == {"step"}
    # the first round sends each partition's local solution, weighted by its rows
    sent = {p["index"]: np.asarray(p["local_w"]) for p in records[0].partitions}
    assert sorted(sent) == [0, 1, 2, 3]
    np.testing.assert_allclose(sum(sent.values()) / len(y), records[0].weights, rtol=1e-12)
    assert records[1].update["fallback"] is (not records[1].update["accepted"])
    np.testing.assert_allclose(run.weights, sklearn_optimum(X, y, LAM), rtol=1e-6, atol=1e-8)


@pytest.mark.spark
def test_an_average_worse_than_the_start_falls_back_to_newton_from_the_start(sc):
    """Split by label and started at the optimum w*, every partition's own optimum is away from
    w*: the average is rejected and the next point is Newton's from w*, which stays at w*."""
    X, y = by_label(*logistic_rows(1000, 3, seed=3))
    optimum = sklearn_optimum(X, y, LAM)
    run = Stepper(from_numpy(X, y, partitions=4, sc=sc), Problem("logistic", l2=LAM),
                  algorithm="avg_newton")
    run.start_from(run.method.init(optimum, 0))
    first, second, third = run.run(3)
    assert np.linalg.norm(first.weights - optimum) > 0.01  # the average: off
    assert second.objective > first.objective  # J(w̄) > J(w*)
    assert second.update["accepted"] is False and second.update["fallback"] is True
    np.testing.assert_allclose(second.weights, optimum, rtol=1e-6, atol=1e-8)
    assert third.update["accepted"] is True
    np.testing.assert_allclose(third.weights, optimum, rtol=1e-6, atol=1e-8)


@pytest.mark.spark
def test_refused_with_an_oracle_or_hinge(sc):
    X, y = logistic_rows(40, 2, seed=4)
    data = from_numpy(X, y, partitions=2, sc=sc)
    with pytest.raises(ConfigError):
        Stepper(data, Problem("hinge"), algorithm="avg_newton")
    with pytest.raises(ConfigError):
        Stepper(data, Problem("logistic"), algorithm="avg_newton",
                partition_oracle=lambda X, y, w: (0.0, np.zeros(2)))
