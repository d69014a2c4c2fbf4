"""The expected values of set 5's grading tests, checked against independent references: the
lasso optimum against scikit-learn, the dense BFGS inverse against the secant equations and the
engine's two-loop recursion, the numpy local-SGD and ADMM rounds against the engine's methods
(run without Spark by stepper.local.run_local). No Spark: numpy only."""

from __future__ import annotations

import numpy as np
import pytest

from stepper.algorithms.admm import admm
from stepper.algorithms.lbfgs import two_loop
from stepper.algorithms.local_sgd import local_sgd
from stepper.grade import reference as ref
from stepper.grade.hidden_tests.test_set5_fewer_rounds_hidden import engine_path
from stepper.grade.tests import test_set5_fewer_rounds as set5
from stepper.problems import Problem


@pytest.mark.parametrize("seed, n, d, lam1", [(533, 30, 4, 0.1), (544, 32, 4, 0.1),
                                               (7, 60, 5, 0.3)])
def test_lasso_optimum_is_scikit_learns(seed, n, d, lam1):
    from sklearn.linear_model import Lasso

    _, X, y = set5.lasso_rows(seed, n, d)
    fit = Lasso(alpha=lam1, fit_intercept=True, tol=1e-14, max_iter=1_000_000).fit(X[:, 1:], y)
    w = set5.lasso_optimum(X, y, lam1)
    np.testing.assert_allclose(w, np.concatenate([[fit.intercept_], fit.coef_]), atol=1e-8)
    assert np.any(w[1:] == 0.0)  # the examples have exact zeros, as a lasso should


def test_dense_bfgs_inverse_satisfies_the_secant_equation_and_is_the_two_loop():
    g, S, Y = set5.quadratic_pairs(4, 3, seed=51)
    H = set5.bfgs_inverse(S, Y)
    np.testing.assert_allclose(H @ Y[-1], S[-1], rtol=1e-12)  # the newest pair exactly
    np.testing.assert_allclose(H, H.T, atol=1e-12)
    assert np.all(np.linalg.eigvalsh(H) > 0)
    np.testing.assert_allclose(two_loop(g, tuple(zip(S, Y, strict=True))), -H @ g, rtol=1e-12)
    # every hint is a different number than the answer, so none can hide a right answer
    for hint in set5.lbfgs_hints(g, S, Y):
        assert np.max(np.abs(hint.value + H @ g)) > 1e-3, hint.message


def test_local_round_is_the_engines_local_sgd():
    X, y, _ = set5.small(40, 3, seed=542)
    path = engine_path(Problem(l2=0.02), local_sgd(local_steps=4, batch=3), X, y, 3, lr=0.5,
                       seed=9, partitions=4).weights
    rows, w = ref.rows_of(X, y), path[0]
    for t in range(3):
        w = set5.local_round(set5.slices(rows, 4), w, 4, 0.5, 9, 3, 0.02, t)
        np.testing.assert_allclose(w, path[t + 1], atol=1e-12)


def test_one_full_local_step_is_a_gradient_step():
    rows, X, y = set5.local_sgd_rows(52, 22)
    w = np.array([0.3, -0.2, 0.5])
    got = set5.local_round(set5.slices(rows, 4), w, 1, 0.4, 3, None, 0.05, 0)
    np.testing.assert_allclose(got, w - 0.4 * ref.gradient(X, y, w, 0.05), atol=1e-12)


def test_admm_variant_is_the_engines_admm_and_reaches_the_lasso():
    rows, X, y = set5.lasso_rows(544, 32, 4)
    problem = Problem("squares", l1=0.1, l1_mode="prox")
    path = engine_path(problem, admm(rho=0.2), X, y, 30, partitions=4, intercept=True).weights
    z, U = np.zeros(4), np.zeros((4, 4))
    for k in range(30):
        z, U, _, _ = set5.admm_variant(set5.slices(rows, 4), z, U, 0.2, 0.1)
        np.testing.assert_allclose(z, path[k + 1], atol=1e-12)
    np.testing.assert_allclose(z, set5.lasso_optimum(X, y, 0.1), atol=1e-5)


def admm_examples():
    """The (parts, z, U, ρ, λ₁) of the two visible ADMM tests."""
    rows, _, _ = set5.lasso_rows(531, 24, 4)
    rng = np.random.default_rng(532)
    yield set5.slices(rows, 3), rng.normal(size=4), 0.1 * rng.normal(size=(3, 4)), 0.5, 0.2
    rows, X, y = set5.lasso_rows(533, 30, 4)
    parts = set5.slices(rows, 3)
    w = set5.lasso_optimum(X, y, 0.1)
    yield parts, w, set5.fixed_point_duals(parts, w, len(y), 0.4), 0.4, 0.1


def test_admm_fixed_point_and_distinct_hints():
    for parts, z, U, rho, lam1 in admm_examples():
        z_new, U_new, r, s = set5.admm_variant(parts, z, U, rho, lam1)
        if lam1 == 0.1:  # the fixed point: nothing moves
            np.testing.assert_allclose(z_new, z, atol=1e-12)
            np.testing.assert_allclose(U_new, U, atol=1e-12)
            assert r < 1e-12 and s < 1e-12
        for hint in set5.admm_z_hints(parts, z, U, rho, lam1):
            assert np.max(np.abs(hint.value - z_new)) > 1e-3, hint.message
