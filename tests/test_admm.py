"""Consensus ADMM against references that are not our own code: a proximal-gradient (FISTA) lasso
solved here in numpy, scikit-learn's logistic regression, the ridge closed form, and the
He–Yuan monotonicity of ADMM's residuals."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from stepper import Problem, Stepper, add_intercept, from_numpy
from stepper.algorithms import Settings, admm
from stepper.checks import check_method_fits
from stepper.errors import ConfigError
from stepper.local import run_local

# -- bad input: one line, before Spark --------------------------------------------------------


@pytest.mark.parametrize("rho", [0, 0.0, -1.0, float("nan"), float("inf"), "big", True])
def test_rho_must_be_a_positive_number(rho):
    with pytest.raises(ConfigError) as error:
        admm(rho=rho)
    assert error.value.parameter == "rho"
    assert "a positive number" in str(error.value)
    assert "\n" not in str(error.value)
    with pytest.raises(ConfigError, match=r"^rho=.* is not valid: a positive number$"):
        Settings(algorithm="admm").method.with_hyper(rho=rho)


def test_local_newton_steps_must_be_a_whole_number():
    with pytest.raises(ConfigError, match=r"^local_newton_steps=0 is not valid"):
        admm(local_newton_steps=0)


def test_hinge_and_the_smooth_l1_are_refused_in_one_line():
    method = admm()
    with pytest.raises(ConfigError) as error:
        check_method_fits(Problem("hinge", l2=0.1), method, "classification")
    assert error.value.parameter == "problem" and error.value.value == "hinge"
    assert "logistic or squares" in str(error.value) and "\n" not in str(error.value)
    with pytest.raises(ConfigError, match=r"^l1_mode='smooth' is not valid"):
        check_method_fits(Problem("logistic", l1=0.1, l1_mode="smooth"), method,
                          "classification")
    check_method_fits(Problem("logistic", l2=0.1, l1_mode="smooth"), method, "classification")
    check_method_fits(Problem("squares", l1=0.1), method, "regression")


@pytest.mark.spark
def test_the_stepper_refuses_hinge_before_any_job(lesson_data):
    jobs = lesson_data.jobs
    with pytest.raises(ConfigError, match=r"^problem='hinge' is not valid: logistic or squares"):
        Stepper(lesson_data, Problem("hinge"), algorithm="admm")
    with pytest.raises(ConfigError, match=r"^l1_mode='smooth' is not valid"):
        Stepper(lesson_data, Problem("logistic", l1=0.1, l1_mode="smooth"), algorithm="admm")
    run = Stepper(lesson_data, Problem("logistic"), algorithm="admm")
    with pytest.raises(ConfigError, match=r"^problem='hinge' is not valid"):
        run.set(problem="hinge")  # refused, and the run keeps its problem
    assert run.problem.loss == "logistic"
    assert lesson_data.jobs == jobs


# -- references, computed here -----------------------------------------------------------------
def fista_lasso(X: np.ndarray, y: np.ndarray, l1: float, l2: float, mask: np.ndarray,
                iterations: int = 50_000) -> np.ndarray:
    """argmin ‖Xw − y‖²/(2n) + λ₁‖w‖₁ + (λ₂/2)‖w‖² (on ``mask``) by FISTA with the exact step
    1/L, L = λmax(XᵀX/n) + λ₂ (Beck & Teboulle 2009), with the gradient restart of O'Donoghue
    & Candès (2015), until two iterates agree to 10⁻¹³."""
    n = len(y)
    L = np.linalg.eigvalsh(X.T @ X / n)[-1] + l2
    w = np.zeros(X.shape[1])
    v, t = w.copy(), 1.0
    for _ in range(iterations):
        g = X.T @ (X @ v - y) / n + l2 * mask * v
        step = v - g / L
        shrunk = np.sign(step) * np.maximum(np.abs(step) - l1 / L, 0.0)
        new = np.where(mask > 0, shrunk, step)
        if np.abs(new - w).max() <= 1e-13:
            return new
        if (v - new) @ (new - w) > 0:  # the momentum points uphill: restart
            v, t = new, 1.0
        else:
            t_new = (1 + np.sqrt(1 + 4 * t * t)) / 2
            v, t = new + (t - 1) / t_new * (new - w), t_new
        w = new
    raise AssertionError("FISTA did not settle")


def lasso_data(rows: int = 240, seed: int = 21) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A regression with an intercept column (column 0, not penalized: ``mask``) and four of
    seven true weights zero."""
    rng = np.random.default_rng(seed)
    F = rng.normal(size=(rows, 7))
    truth = np.array([2.0, 0.0, -1.5, 0.0, 0.0, 0.7, 0.0])
    y = 1.0 + F @ truth + 0.5 * rng.normal(size=rows)
    X = np.column_stack([np.ones(rows), F])
    mask = np.ones(8)
    mask[0] = 0.0
    return X, y, mask


def regression_data(X: np.ndarray, y: np.ndarray, partitions: int, sc) -> Any:
    """(X, y) on Spark, X's column 0 the intercept (as ``add_intercept`` makes it)."""
    return add_intercept(from_numpy(X[:, 1:], y, partitions=partitions, task="regression",
                                    sc=sc))


# -- the solutions -----------------------------------------------------------------------------
@pytest.mark.spark
@pytest.mark.slow
def test_lasso_gives_exact_zeros_and_the_proximal_gradient_solution(sc):
    X, y, mask = lasso_data()
    l1 = 0.15
    reference = fista_lasso(X, y, l1, 0.0, mask)
    # the reference's optimality: |∇_j f| ≤ λ₁ at its zeros, = λ₁ (with the sign) elsewhere
    gradient = X.T @ (X @ reference - y) / len(y)
    zero = (reference == 0) & (mask > 0)
    assert zero.sum() >= 3 and np.all(np.abs(gradient[zero]) < l1 - 1e-3)
    active = (reference != 0) & (mask > 0)
    np.testing.assert_allclose(gradient[active], -l1 * np.sign(reference[active]), atol=1e-10)
    data = regression_data(X, y, 4, sc)
    run = Stepper(data, Problem("squares", l1=l1), algorithm=admm(rho=0.3), trace="summary")
    records = run.run(30)
    np.testing.assert_allclose(run.weights, reference, rtol=0, atol=1e-6)
    assert np.all(run.weights[zero] == 0.0)  # soft-thresholding: exact zeros
    assert np.all(run.weights[active] != 0.0)
    last = records[-1].update
    np.testing.assert_array_equal(last["z"], run.weights)
    assert last["primal_residual"] < 1e-6 and last["dual_residual"] < 1e-6
    # J(z) reported for the weights the partitions received, with the exact L1 term
    w = records[-1].weights_before
    expected = ((X @ w - y) @ (X @ w - y) / (2 * len(y)) + l1 * np.abs(w[1:]).sum())
    assert records[-1].objective == pytest.approx(expected, rel=1e-12)


@pytest.mark.spark
@pytest.mark.slow
@pytest.mark.parametrize("penalize_intercept", [False, True])
def test_l2_logistic_solution_matches_scikit_learn(lesson_data, lesson_arrays,
                                                   penalize_intercept):
    from sklearn.linear_model import LogisticRegression

    lam = 0.01
    problem = Problem("logistic", l2=lam, penalize_intercept=penalize_intercept)
    run = Stepper(lesson_data, problem, algorithm=admm(rho=0.01))
    records = run.run(36)
    X, y = lesson_arrays
    C = 1.0 / (len(y) * lam)
    if penalize_intercept:
        model = LogisticRegression(C=C, fit_intercept=False, tol=1e-12, max_iter=10_000)
        reference = model.fit(X, y).coef_.ravel()
    else:
        model = LogisticRegression(C=C, fit_intercept=True, tol=1e-12, max_iter=10_000)
        model.fit(X[:, 1:], y)
        reference = np.concatenate([model.intercept_, model.coef_.ravel()])
    np.testing.assert_allclose(run.weights, reference, rtol=1e-6, atol=1e-8)
    assert records[-1].grad_norm < 1e-7
    steps = [p["local_steps"][str(p["index"])] for r in records for p in r.partitions]
    assert max(steps) <= 3 and min(steps) >= 1  # warm-started Newton, at most the default 3


@pytest.mark.spark
@pytest.mark.slow
def test_ridge_on_one_partition_matches_its_closed_form(sc):
    rng = np.random.default_rng(32)
    X = rng.normal(size=(200, 6))
    y = X @ rng.normal(size=6) + 0.2 * rng.normal(size=200)
    lam = 0.1
    n = len(y)
    closed = np.linalg.solve(X.T @ X / n + lam * np.eye(6), X.T @ y / n)
    data = from_numpy(X, y, partitions=1, task="regression", sc=sc)
    run = Stepper(data, Problem("squares", l2=lam), algorithm=admm(rho=0.3), trace="summary")
    records = run.run(30)
    np.testing.assert_allclose(run.weights, closed, rtol=0, atol=1e-9)
    assert all(len(r.update["local_solutions"]) == 1 for r in records)


# -- the iteration itself ----------------------------------------------------------------------
@pytest.mark.spark
def test_one_iteration_is_the_scaled_form_of_boyd(sc):
    """One iteration restated in numpy: local argmin by a linear solve, soft-threshold, duals."""
    X, y, _ = lasso_data(rows=90, seed=5)
    l1, l2, rho, P = 0.1, 0.05, 0.7, 3
    data = regression_data(X, y, P, sc)
    run = Stepper(data, Problem("squares", l1=l1, l2=l2),
                  algorithm=admm(rho=rho, local_newton_steps=2))
    n, d = X.shape
    blocks = np.array_split(np.arange(n), P)
    z, u = np.zeros(d), np.zeros((P, d))
    for _ in range(3):
        record = run.step()
        x = np.array([np.linalg.solve(X[b].T @ X[b] / n + rho * np.eye(d),
                                      X[b].T @ y[b] / n + rho * (z - u[p]))
                      for p, b in enumerate(blocks)])
        mean = (x + u).mean(axis=0)
        threshold = l1 / (P * rho)
        z_new = np.sign(mean) * np.maximum(np.abs(mean) - threshold, 0) / (1 + l2 / (P * rho))
        z_new[0] = mean[0]  # the intercept: neither thresholded nor shrunk
        u = u + x - z_new
        np.testing.assert_allclose(record.update["local_solutions"], x, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(record.weights, z_new, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(record.update["duals"], u, rtol=1e-10, atol=1e-12)
        assert record.update["primal_residual"] == pytest.approx(
            np.sqrt(((x - z_new) ** 2).sum()), rel=1e-10)
        assert record.update["dual_residual"] == pytest.approx(
            rho * np.sqrt(P) * np.linalg.norm(z_new - z), rel=1e-10)
        for part in record.partitions:  # each partition's own solution, in its own record
            np.testing.assert_allclose(part["local_x"][str(part["index"])], x[part["index"]],
                                       rtol=1e-10, atol=1e-12)
        z = z_new
    json.dumps(record.to_dict())  # the record is a trace line


@pytest.mark.spark
@pytest.mark.slow
def test_residuals_decrease(sc):
    """He & Yuan (2015): for exact ADMM with fixed ρ, ρ‖Δu‖² + ρ‖BΔz‖² = ρr² + s²/ρ never
    increases; both residuals go to 0."""
    X, y, _ = lasso_data(rows=200, seed=8)
    data = regression_data(X, y, 4, sc)
    rho = 0.3
    run = Stepper(data, Problem("squares", l1=0.1, l2=0.01), algorithm=admm(rho=rho),
                  trace="none")
    records = run.run(30)
    r = np.array([rec.update["primal_residual"] for rec in records])
    s = np.array([rec.update["dual_residual"] for rec in records])
    merit = rho * r**2 + s**2 / rho
    assert np.all(np.diff(merit) <= 1e-12 * merit[:-1])
    assert r[-1] < 1e-6 * r[0] and s[-1] < 1e-6 * s[0]


@pytest.mark.spark
@pytest.mark.parametrize(("partitions", "problem"), [
    (3, Problem("logistic", l2=0.01)),
    (1, Problem("logistic", l1=0.02)),
    (6, Problem("logistic", l1=0.01, l2=0.01)),
])
def test_run_local_equals_the_stepper_with_the_same_partitions(sc, lesson_arrays, partitions,
                                                              problem):
    X, y = lesson_arrays
    settings = Settings(algorithm=admm(rho=0.2))
    data = add_intercept(from_numpy(X[:, 1:], y, partitions=partitions, sc=sc))
    run = Stepper(data, problem, settings, trace="none")
    distributed = np.array([r.weights for r in run.run(8)])
    local = run_local(problem, settings, X, y, 8, intercept=True, partitions=partitions)
    np.testing.assert_allclose(distributed, local.weights[1:], rtol=1e-10, atol=1e-13)
    if partitions == 6:  # another split is another ADMM path (same limit)
        other = run_local(problem, settings, X, y, 8, intercept=True, partitions=2)
        assert np.abs(other.weights[-1] - local.weights[-1]).max() > 1e-8


@pytest.mark.spark
@pytest.mark.slow
def test_residual_balancing_changes_rho_as_documented(sc):
    X, y, mask = lasso_data(rows=200, seed=8)
    data = regression_data(X, y, 4, sc)
    problem = Problem("squares", l1=0.1)
    reference = fista_lasso(X, y, 0.1, 0.0, mask)
    run = Stepper(data, problem, algorithm=admm(rho=1000.0, residual_balancing=True),
                  trace="none")
    records = run.run(30)
    rho = 1000.0
    changes = 0
    previous_duals = np.zeros((4, X.shape[1]))
    for record in records:
        info = record.update
        assert info["rho"] == rho
        r, s = info["primal_residual"], info["dual_residual"]
        expected = rho * 2 if r > 10 * s else rho / 2 if s > 10 * r else rho
        assert info["next_rho"] == expected
        changes += expected != rho
        # the scaled duals follow ρ: u⁺ = (u + x − z⁺)·ρ/ρ⁺
        unscaled = previous_duals + np.asarray(info["local_solutions"]) - record.weights
        np.testing.assert_allclose(info["duals"], unscaled * rho / expected, rtol=1e-12,
                                   atol=1e-15)
        previous_duals, rho = np.asarray(info["duals"]), expected
    assert changes >= 3 and rho < 100  # ρ = 1000 is far too large here: balancing lowers it
    assert np.abs(run.weights - reference).max() < 1e-3
    # with ρ kept at 1000 (the same method on one machine: see the test above), ADMM is still
    # far from the solution after as many iterations
    fixed = run_local(problem, Settings(algorithm=admm(rho=1000.0)), X, y, 30, intercept=True,
                      partitions=4)
    assert np.abs(fixed.weights[-1] - reference).max() > 0.5
