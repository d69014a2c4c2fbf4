"""Losses, regularizers and update rules checked against independent references (no Spark)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import hinge_loss, log_loss

from stepper.algorithms import RoundContext, Settings, init_state, momentum, nesterov
from stepper.errors import ConfigError
from stepper.local import run_local
from stepper.problems import Problem


@pytest.fixture(scope="module")
def block():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 4))
    y = np.where(rng.random(50) < 0.5, 1.0, -1.0)
    w = rng.normal(size=4)
    return X, y, w


def _numeric_gradient(f, w, h=1e-6):
    return np.array([(f(w + h * e) - f(w - h * e)) / (2 * h) for e in np.eye(len(w))])


def test_logistic_loss_matches_scikit_learn(block):
    X, y, w = block
    p = 1 / (1 + np.exp(-(X @ w)))
    expected = log_loss((y + 1) / 2, p, labels=[0, 1]) * len(y)
    assert Problem("logistic").block_sums(X, y, w).loss == pytest.approx(expected, rel=1e-12)


def test_hinge_loss_matches_scikit_learn(block):
    X, y, w = block
    expected = hinge_loss(y, X @ w) * len(y)
    assert Problem("hinge").block_sums(X, y, w).loss == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("loss", ["logistic", "squares"])
def test_gradient_and_hessian_match_finite_differences(block, loss):
    X, y, w = block
    problem = Problem(loss)
    sums = problem.block_sums(X, y, w, hessian=True)
    numeric = _numeric_gradient(lambda v: problem.block_sums(X, y, v).loss, w)
    np.testing.assert_allclose(sums.gradient, numeric, rtol=1e-6, atol=1e-6)
    numeric_h = np.array([_numeric_gradient(
        lambda v, j=j: problem.block_sums(X, y, v).gradient[j], w) for j in range(4)])
    np.testing.assert_allclose(sums.hessian, numeric_h, rtol=1e-5, atol=1e-5)


def test_logistic_is_stable_for_huge_margins():
    X = np.array([[1000.0], [-1000.0], [800.0]])
    y = np.array([1.0, 1.0, -1.0])
    sums = Problem("logistic").block_sums(X, y, np.array([1.0]), hessian=True)
    assert np.isfinite(sums.loss) and np.all(np.isfinite(sums.gradient))
    assert sums.loss == pytest.approx(1800.0)  # log(1+e^-1000) + log(1+e^1000) + log(1+e^800)
    np.testing.assert_allclose(sums.gradient, [1000.0 + 800.0])


def test_regularizers(block):
    _, _, w = block
    mask = Problem().penalty_mask(4, intercept=True)
    assert mask.tolist() == [0, 1, 1, 1]
    ridge = Problem(l2=0.3)
    assert ridge.regularizer_value(w, mask) == pytest.approx(0.15 * np.sum(w[1:] ** 2))
    smooth = Problem(l1=0.2, l1_mode="smooth")
    value = lambda v: smooth.regularizer_value(v, mask)  # noqa: E731
    np.testing.assert_allclose(smooth.regularizer_gradient(w, mask),
                               _numeric_gradient(value, w), rtol=1e-6, atol=1e-8)
    lasso = Problem(l1=0.5)
    v = np.array([0.3, -0.2, 1.0, -2.0])
    np.testing.assert_allclose(lasso.prox(v, 1.0, mask), [0.3, 0.0, 0.5, -1.5])


def test_bad_problem_settings_name_the_parameter():
    with pytest.raises(ConfigError, match="l2=-1"):
        Problem(l2=-1)
    with pytest.raises(ConfigError, match="problem='poisson'"):
        Problem("poisson")
    with pytest.raises(ConfigError, match=r"lr=-0\.5"):
        Settings(lr=-0.5)
    with pytest.raises(ConfigError, match="algorithm='adam'"):
        Settings(algorithm="adam")
    with pytest.raises(ConfigError, match="lr='armijo'"):
        Settings(algorithm="momentum", lr="armijo")


def test_momentum_and_nesterov_follow_the_workshop_formulas():
    from stepper.local import LocalDriver

    state = init_state(np.array([1.0, 2.0]))._replace(velocity=np.array([0.5, -0.5]))
    g = np.array([0.2, 0.4])
    X, y = np.eye(2), np.ones(2)
    driver = LocalDriver(Problem(), Settings(algorithm="momentum", lr=0.1), X, y, np.ones(2))
    driver.step_size = 0.1
    sums = {"rows": 1, "loss": 0.0, "gradient": g}  # n = 1 and no penalty: ∇J = g
    update = momentum(mu=0.9).update(state, sums, driver)
    v = 0.9 * state.velocity + 0.1 * g
    np.testing.assert_allclose(update.state.velocity, v)
    np.testing.assert_allclose(update.state.w, state.w - v)
    context = RoundContext(seed=0, partition_rows=(2,), features=2)
    np.testing.assert_allclose(nesterov(mu=0.9).broadcast(state, context)["q"],
                               state.w - 0.9 * state.velocity)


def test_local_gd_reaches_scikit_learn_optimum():
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(1)
    X = rng.normal(size=(300, 3))
    y = np.where(X @ [1.0, -2.0, 0.5] + rng.normal(size=300) > 0, 1.0, -1.0)
    lam = 0.05
    path = run_local(Problem(l2=lam), Settings(algorithm="newton", lr=1.0), X, y, 12)
    reference = LogisticRegression(C=1 / (300 * lam), fit_intercept=False, tol=1e-12,
                                   max_iter=10_000).fit(X, y).coef_.ravel()
    np.testing.assert_allclose(path.weights[-1], reference, rtol=1e-6, atol=1e-8)
