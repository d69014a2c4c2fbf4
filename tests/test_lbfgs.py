"""L-BFGS against references that are not our own code: scipy's L-BFGS-B optimum, the dense BFGS
inverse-Hessian formula, the strong Wolfe conditions evaluated with numpy."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.optimize import minimize

from stepper import (
    ConfigError,
    Problem,
    Stepper,
    add_intercept,
    load_csv,
    load_trace,
    standardize,
)
from stepper.algorithms import Settings, lbfgs
from stepper.algorithms.lbfgs import CURVATURE_EPS, init_state, two_loop
from stepper.checks import check_method_fits
from stepper.data.blocks import Block
from stepper.local import LocalDriver, run_local

LAM = 0.01


# -- the independent reference: J written out with numpy, minimized by scipy ------------------
def reference_objective(X: np.ndarray, y: np.ndarray, lam: float):
    """w ↦ (J(w), ∇J(w)) for mean logistic loss + (λ/2)‖w₁..‖² (column 0, the intercept, free)."""
    penalized = np.ones(X.shape[1])
    penalized[0] = 0.0

    def objective(w: np.ndarray) -> tuple[float, np.ndarray]:
        margin = y * (X @ w)
        value = np.logaddexp(0.0, -margin).mean() + 0.5 * lam * np.sum((penalized * w) ** 2)
        gradient = -(X.T @ (y * np.exp(-np.logaddexp(0.0, margin)))) / len(y) + lam * penalized * w
        return float(value), gradient

    return objective


def scipy_optimum(X: np.ndarray, y: np.ndarray, lam: float):
    J = reference_objective(X, y, lam)
    result = minimize(J, np.zeros(X.shape[1]), jac=True, method="L-BFGS-B",
                      options={"gtol": 1e-13, "ftol": 1e-16, "maxiter": 1000})
    assert np.linalg.norm(result.jac) < 1e-10
    return result.x, result.fun


# -- the direction and the update ----------------------------------------------------------------
def test_two_loop_equals_the_dense_bfgs_inverse_hessian():
    """N&W (6.17): H⁺ = (I − ρsyᵀ) H (I − ρysᵀ) + ρssᵀ, applied to H⁰ = (sᵀy/yᵀy) I."""
    rng = np.random.default_rng(4)
    d = 6
    A = rng.normal(size=(d, d))
    hessian = A @ A.T + 0.5 * np.eye(d)  # a quadratic's: every pair has sᵀy > 0
    pairs = []
    for _ in range(4):
        s = rng.normal(size=d)
        pairs.append((s, hessian @ s))
    g = rng.normal(size=d)
    s, y = pairs[-1]
    H = (s @ y) / (y @ y) * np.eye(d)
    for s, y in pairs:
        rho = 1.0 / (y @ s)
        V = np.eye(d) - rho * np.outer(y, s)
        H = V.T @ H @ V + rho * np.outer(s, s)
    np.testing.assert_allclose(two_loop(g, tuple(pairs)), -H @ g, rtol=1e-12, atol=1e-14)
    np.testing.assert_array_equal(two_loop(g, ()), -g)  # empty memory: steepest descent


def _one_update(problem, settings, X, y, state):
    """One L-BFGS update on one block, in this process."""
    method = settings.method
    mask = problem.penalty_mask(X.shape[1], True)
    driver = LocalDriver(problem, settings, X, y, mask)
    sums = method.local(0, Block(X, y), method.broadcast(state, None), problem.block_sums)
    return method.update(state, sums, driver)


@pytest.mark.spark
def test_a_pair_with_too_little_curvature_is_skipped(lesson_arrays):
    X, y = lesson_arrays
    problem, settings = Problem("logistic", l2=LAM), Settings(algorithm="lbfgs")
    w = np.array([0.3, -0.2, 0.5])
    g = reference_objective(X, y, LAM)(w)[1]
    # a previous step s orthogonal to y = g(w) − g_prev: sᵀy = 0
    previous_gradient = g - np.array([1.0, 0.0, 0.0])
    s = np.array([0.0, 1.0, 0.0])
    state = init_state(w)._replace(gradient=previous_gradient, step=s)
    step = _one_update(problem, settings, X, y, state)
    assert step.info["pair_kept"] is False and step.info["memory_used"] == 0
    np.testing.assert_allclose(step.direction, -g, rtol=1e-12)
    # the same step along y's direction: kept, and its curvature recorded
    s = np.array([0.2, 0.0, 0.0])
    assert s @ (g - previous_gradient) > CURVATURE_EPS * np.linalg.norm(s)
    step = _one_update(problem, settings, X, y, state._replace(step=s))
    assert step.info["pair_kept"] is True and step.info["memory_used"] == 1
    assert step.info["curvature"] == pytest.approx(0.2, rel=1e-12)
    assert step.info["gradient"] @ step.direction < 0
    with pytest.raises(ValueError):  # the stored pair is read-only: recorded states never change
        step.state.pairs[0][0][0] = 1.0


@pytest.mark.spark
def test_memory_one_still_converges_to_the_scipy_optimum(lesson_arrays):
    X, y = lesson_arrays
    reference, _ = scipy_optimum(X, y, LAM)
    settings = Settings(algorithm=lbfgs(memory=1))
    path = run_local(Problem("logistic", l2=LAM), settings, X, y, 40, intercept=True)
    np.testing.assert_allclose(path.weights[-1], reference, rtol=1e-8, atol=1e-9)
    assert path.grad_norm[-1] < 1e-9


# -- bad input: one line, before Spark ---------------------------------------------------------
@pytest.mark.parametrize("memory", [0, -3, 2.5, True, "10"])
def test_memory_must_be_a_whole_number_of_at_least_one(memory):
    with pytest.raises(ConfigError, match="memory=") as caught:
        lbfgs(memory=memory)
    assert "\n" not in str(caught.value) and "a whole number ≥ 1" in str(caught.value)


@pytest.mark.parametrize("problem", [Problem("hinge"), Problem("logistic", l1=0.1),
                                     Problem("squares", l1=0.1, l1_mode="prox")])
def test_lbfgs_refuses_a_nonsmooth_objective(problem):
    task = "regression" if problem.loss == "squares" else "classification"
    with pytest.raises(ConfigError, match=r"algorithm='lbfgs'.*a smooth objective") as caught:
        check_method_fits(problem, lbfgs(), task)
    assert "\n" not in str(caught.value)
    check_method_fits(Problem("logistic", l1=0.1, l1_mode="smooth"), lbfgs(), "classification")


def test_wolfe_is_a_step_rule_of_lbfgs_only():
    assert Settings(algorithm="lbfgs", lr="wolfe").step_rule == "wolfe"
    assert Settings(algorithm="lbfgs").step_rule == 1.0
    with pytest.raises(ConfigError, match=r"lr='wolfe'.*Wolfe search needs full-batch lbfgs"):
        Settings(algorithm="gd", lr="wolfe")


# -- on Spark ----------------------------------------------------------------------------------
@pytest.mark.spark
@pytest.mark.parametrize("lr", [None, "armijo", "wolfe"])
def test_lbfgs_reaches_the_scipy_optimum(lesson_data, lesson_arrays, lr):
    X, y = lesson_arrays
    reference, J_min = scipy_optimum(X, y, LAM)
    run = Stepper(lesson_data, Problem("logistic", l2=LAM), algorithm="lbfgs", lr=lr)
    records = run.run_until(1e-11, max_steps=30)
    assert len(records) < 30  # superlinear: 15 iterations from w = 0 (numpy: ‖∇J‖ 6e-6 at 10)
    np.testing.assert_allclose(run.weights, reference, rtol=1e-9, atol=1e-10)
    assert reference_objective(X, y, LAM)(run.weights)[0] == pytest.approx(J_min, rel=1e-14)
    assert records[-1].objective == pytest.approx(J_min, rel=1e-12)


@pytest.mark.spark
@pytest.mark.slow
def test_full_batch_trajectory_is_the_same_for_1_and_7_partitions(sc, data_path):
    paths = []
    for partitions in (1, 7):
        data = add_intercept(standardize(load_csv(data_path("logistic2d_train.csv"),
                                                  partitions=partitions, sc=sc)))
        run = Stepper(data, Problem("logistic", l2=LAM), algorithm=lbfgs(memory=3), lr=1.0)
        paths.append(np.array([r.weights for r in run.run(8)]))
    np.testing.assert_allclose(paths[0], paths[1], rtol=1e-12, atol=1e-15)


@pytest.mark.spark
@pytest.mark.parametrize("lr", [None, "wolfe"])
def test_distributed_equals_numpy_on_one_machine(lesson_data, lesson_arrays, lr, tmp_path):
    problem, settings = Problem("logistic", l2=LAM), Settings(algorithm=lbfgs(memory=4), lr=lr)
    run = Stepper(lesson_data, problem, settings)
    records = run.run(7)
    local = run_local(problem, settings, lesson_arrays.X, lesson_arrays.y, 7, intercept=True)
    np.testing.assert_allclose([r.weights for r in records], local.weights[1:], rtol=1e-10,
                               atol=1e-13)
    np.testing.assert_allclose([r.update["step_size"] for r in records], local.step_sizes,
                               rtol=1e-10)
    assert [r.update["memory_used"] for r in records] == [0, 1, 2, 3, 4, 4, 4]
    # stepping back and recomputing gives the same iterates (the stored pairs are immutable)
    run.seek(4)
    again = run.run(3)
    np.testing.assert_array_equal([r.weights for r in again], [r.weights for r in records[4:]])
    # the method's record keys survive a trace file
    run.save(str(tmp_path / "lbfgs.jsonl"))
    _, loaded = load_trace(str(tmp_path / "lbfgs.jsonl"))
    for mine, theirs in zip(loaded, run.records, strict=True):
        for key in ("memory_used", "pair_kept", "curvature", "trials"):
            assert mine.update[key] == theirs.update[key]


@pytest.mark.spark
def test_armijo_trials_are_counted_rounds(lesson_data, lesson_arrays):
    X, y = lesson_arrays
    J = reference_objective(X, y, LAM)
    run = Stepper(lesson_data, Problem("logistic", l2=LAM), algorithm="lbfgs", lr="armijo",
                  armijo_start=64.0)
    records = run.run(5)
    assert len(records[0].update["trials"]) > 1  # 64 is far too long: it had to backtrack
    for record in records:
        trials = record.update["trials"]
        assert record.rounds == 1 + len(trials)
        assert record.jobs >= record.rounds
        accepted = [t for t in trials if t["accepted"]]
        assert len(accepted) == 1 and accepted[0] is trials[-1]
        assert accepted[0]["step_size"] == record.update["step_size"]
        assert accepted[0]["objective"] == pytest.approx(J(record.weights)[0], rel=1e-12)
        for rejected in trials[:-1]:  # J(w + ηd) > J(w) + 10⁻⁴ η gᵀd, in numpy
            w = record.weights_before + rejected["step_size"] * np.asarray(
                record.update["direction"])
            value, _ = J(record.weights_before)
            slope = float(np.asarray(record.update["gradient"]) @ record.update["direction"])
            assert J(w)[0] > value + 1e-4 * rejected["step_size"] * slope
    objectives = [r.objective for r in records]
    assert all(b < a for a, b in itertools.pairwise(objectives))


@pytest.mark.spark
@pytest.mark.parametrize("start", [64.0, 1e-3])  # too long: zoom; too short: expand
def test_wolfe_accepts_a_step_meeting_the_strong_wolfe_conditions(lesson_data, lesson_arrays,
                                                                 start):
    X, y = lesson_arrays
    J = reference_objective(X, y, LAM)
    run = Stepper(lesson_data, Problem("logistic", l2=LAM), algorithm="lbfgs", lr="wolfe",
                  armijo_start=start)
    records = run.run(4)
    assert len(records[0].update["trials"]) > 1
    for record in records:
        trials = record.update["trials"]
        assert record.rounds == 1 + len(trials) and record.jobs >= record.rounds
        assert [t["accepted"] for t in trials] == [False] * (len(trials) - 1) + [True]
        d = np.asarray(record.update["direction"])
        value0, g0 = J(record.weights_before)
        value, g = J(record.weights)
        eta = record.update["step_size"]
        assert value <= value0 + 1e-4 * eta * (g0 @ d)
        assert abs(g @ d) <= 0.9 * abs(g0 @ d)
        assert trials[-1]["slope"] == pytest.approx(g @ d, rel=1e-9, abs=1e-15)


@pytest.mark.spark
def test_a_plugged_partition_oracle_gives_the_same_run(lesson_data):
    def my_sums(X, y, w):  # the exercises' oracle: Σ loss and Σ gradient over a block
        margin = y * (X @ w)
        return np.logaddexp(0, -margin).sum(), -(X.T @ (y * np.exp(-np.logaddexp(0, margin))))

    ours = Stepper(lesson_data, Problem(l2=LAM), algorithm="lbfgs", partition_oracle=my_sums)
    builtin = Stepper(lesson_data, Problem(l2=LAM), algorithm="lbfgs")
    np.testing.assert_allclose([r.weights for r in ours.run(4)],
                               [r.weights for r in builtin.run(4)], rtol=1e-12, atol=1e-15)
