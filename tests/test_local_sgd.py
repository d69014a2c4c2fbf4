"""Local SGD (model averaging) against references that are not its own code: numpy written
here from the formulas, gradient descent, scikit-learn's optimum; and the non-IID data options.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from stepper import (
    GeneratorSpec,
    Problem,
    Stepper,
    from_generator,
    from_numpy,
    parse_generator_spec,
    undersample,
)
from stepper.algorithms import Settings, local_sgd
from stepper.data.blocks import label_order, partition_bounds
from stepper.data.synthetic import generate_rows, true_weights
from stepper.errors import ConfigError
from stepper.local import lipschitz_step, run_local

LAM = 0.01
TOL = 1e-12


@pytest.fixture(scope="module")
def uneven_data(lesson_data):
    """The lesson rows, all of class +1 and 30 % of class −1: partitions of unequal sizes, so
    that an average not weighted by rows would show."""
    data = undersample(lesson_data, keep_label=1.0, fraction=0.3, seed=1)
    assert len(set(data.partition_rows)) == 4  # 181, 174, 169, 171 rows
    return data


def lesson_numpy():
    """The lesson's 1000 rows, standardized, intercept first, labels ±1 (no Spark)."""
    import os

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    table = np.loadtxt(os.path.join(root, "data", "logistic2d_train.csv"), delimiter=",")
    y, X = table[:, 0], table[:, 1:]
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    return np.hstack([np.ones((len(y), 1)), X]), y


def sklearn_optimum(X, y, lam):
    """argmin (1/n)Σ log(1 + exp(−y wᵀx)) + (λ/2)‖w₁:‖² (intercept in column 0, not penalized)."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=1.0 / (len(y) * lam), fit_intercept=True, tol=1e-12,
                               max_iter=10_000)
    model.fit(X[:, 1:], y)
    return np.concatenate([model.intercept_, model.coef_.ravel()])


# -- a numpy reference written from the formulas ------------------------------------------------
def reference_round(X, y, w, v, eta, parts, H, lam2, lam1, beta, batch=None, seed=0, t=0):
    """One round of local SGD by the module docstring's formulas, for the logistic loss with an
    unpenalized intercept (column 0)."""
    mask = np.ones_like(w)
    mask[0] = 0.0
    n = len(y)
    total = np.zeros_like(w)
    for p in range(parts):
        lo, hi = partition_bounds(n, parts, p)
        Xp, yp = X[lo:hi], y[lo:hi]
        rng = np.random.default_rng([seed, 29, t, p])
        u = w.copy()
        for _ in range(H):
            if batch is None:
                Xb, yb = Xp, yp
            else:
                index = np.sort(rng.choice(hi - lo, size=min(batch, hi - lo), replace=False))
                Xb, yb = Xp[index], yp[index]
            s = 1.0 / (1.0 + np.exp(yb * (Xb @ u)))          # σ(−m)
            g = -(Xb.T @ (yb * s)) / len(yb) + lam2 * mask * u
            z = u - eta * g
            u = np.where(mask > 0, np.sign(z) * np.maximum(np.abs(z) - eta * lam1, 0.0), z)
        total += (hi - lo) * u
    v_new = beta * v + (total / n - w)
    return w + v_new, v_new


# -- bad input --------------------------------------------------------------------------------
@pytest.mark.parametrize(("kwargs", "name"), [
    ({"local_steps": 0}, "local_steps"), ({"local_steps": -3}, "local_steps"),
    ({"local_steps": 2.5}, "local_steps"), ({"local_steps": True}, "local_steps"),
    ({"local_steps": "10"}, "local_steps"), ({"batch": 0}, "batch"),
    ({"server_momentum": 1.0}, "server_momentum"), ({"server_momentum": -0.1}, "server_momentum"),
])
def test_bad_hyperparameters_give_one_line(kwargs, name):
    with pytest.raises(ConfigError) as caught:
        local_sgd(**kwargs)
    assert caught.value.parameter == name
    assert "\n" not in str(caught.value)
    if name == "local_steps":
        assert str(caught.value).endswith("is not valid: a whole number ≥ 1")


def test_the_method_value_rebuilds_with_its_hyperparameters():
    method = Settings(algorithm="local_sgd").method
    assert method.hyper == {"local_steps": 10, "batch": None, "server_momentum": 0.0}
    assert method.with_hyper(local_steps=3).hyper["local_steps"] == 3
    with pytest.raises(ConfigError, match="local_steps"):
        method.with_hyper(local_steps=0)


# -- exact properties on Spark ------------------------------------------------------------------
@pytest.mark.spark
@pytest.mark.parametrize("problem", [Problem("logistic", l2=LAM),
                                     Problem("logistic", l2=LAM, l1=0.02, l1_mode="smooth")])
@pytest.mark.parametrize("schedule", ["constant", "inv_sqrt"])  # η_t reaches the partitions
def test_one_full_local_step_is_one_gradient_descent_step(uneven_data, problem, schedule):
    averaged = Stepper(uneven_data, problem, algorithm=local_sgd(local_steps=1), lr="1/L",
                       schedule=schedule)
    gd = Stepper(uneven_data, problem, algorithm="gd", lr="1/L", schedule=schedule)
    mine, theirs = averaged.run(5), gd.run(5)
    for a, b in zip(mine, theirs, strict=True):
        np.testing.assert_allclose(a.weights, b.weights, rtol=0, atol=TOL)
        np.testing.assert_allclose(a.update["direction"], b.update["direction"], rtol=0,
                                   atol=1e-10)
        assert a.update["step_size"] == b.update["step_size"]
        assert a.objective == pytest.approx(b.objective, rel=TOL)
    # and the first step by hand: w⁺ = −η∇J(0) with ∇J(0) = −Xᵀy/(2n)
    X, y = uneven_data.to_numpy()
    eta = lipschitz_step(problem, X)
    np.testing.assert_allclose(mine[0].weights, eta * X.T @ y / (2 * len(y)), rtol=0, atol=TOL)
    # an unweighted average of the partitions' models would be off by far more than TOL (6e-5)
    bounds = np.cumsum([0, *uneven_data.partition_rows])
    unweighted = np.mean([eta * X[a:b].T @ y[a:b] / (2 * (b - a))
                          for a, b in itertools.pairwise(bounds)], axis=0)
    assert np.linalg.norm(unweighted - mine[0].weights) > 1e6 * TOL


@pytest.mark.spark
@pytest.mark.parametrize("hyper", [{"local_steps": 3},
                                   {"local_steps": 4, "batch": 40, "server_momentum": 0.5}])
def test_partitions_match_a_numpy_reference_with_l1_prox(lesson_data, lesson_arrays, hyper):
    problem = Problem("logistic", l2=LAM, l1=0.005)
    run = Stepper(lesson_data, problem, algorithm=local_sgd(**hyper), lr="1/L", seed=7)
    records = run.run(4)
    X, y = lesson_arrays
    assert lesson_data.partition_rows == [b - a for a, b in
                                          (partition_bounds(len(y), 4, p) for p in range(4))]
    eta = lipschitz_step(problem, X)
    w, v = np.zeros(X.shape[1]), np.zeros(X.shape[1])
    for t, record in enumerate(records):
        w, v = reference_round(X, y, w, v, eta, 4, hyper["local_steps"], LAM, 0.005,
                               hyper.get("server_momentum", 0.0), hyper.get("batch"), 7, t)
        np.testing.assert_allclose(record.weights, w, rtol=0, atol=TOL)
    # what a partition sent: n_p·w_p, and the model sums add up to n·w̄
    last = records[-1]
    assert sum(np.asarray(p["model_sum"]) for p in last.partitions) == pytest.approx(
        1000 * np.asarray(last.update["average_model"]), abs=1e-9)


@pytest.mark.spark
@pytest.mark.parametrize("non_iid", [False, True])
def test_run_local_with_partitions_equals_the_stepper(sc, lesson_arrays, non_iid):
    X, y = lesson_arrays
    data = from_numpy(X, y, partitions=3, sc=sc, non_iid=non_iid)
    problem = Problem("logistic", l2=LAM)
    settings = Settings(algorithm=local_sgd(local_steps=5, batch=25, server_momentum=0.3),
                        lr="1/L", seed=3)
    records = Stepper(data, problem, settings).run(4)
    order = label_order(y) if non_iid else np.arange(len(y))
    path = run_local(problem, settings, X[order], y[order], 4, partitions=3)  # col 0 penalized,
    # as from_numpy does not know it is an intercept
    np.testing.assert_allclose(np.array([r.weights for r in records]), path.weights[1:],
                               rtol=0, atol=TOL)
    np.testing.assert_allclose([r.objective for r in records], path.objective[:-1], rtol=TOL)


# -- what local SGD converges to (numpy, run_local: equal to the Stepper, above) ---------------
def fixed_point(X, y, problem, partitions, eta, steps, H=10):
    settings = Settings(algorithm=local_sgd(local_steps=H), lr=eta)
    path = run_local(problem, settings, X, y, steps, intercept=True, partitions=partitions)
    assert np.linalg.norm(path.weights[-1] - path.weights[-2]) < 1e-10  # it has settled
    return path.weights[-1]


def test_fixed_point_is_near_the_optimum_on_iid_partitions_and_drifts_on_non_iid():
    """Measured (λ = 0.01, η = 1/L, H = 10, 4 partitions, about 300 rounds to settle): the
    fixed point's relative distance to scikit-learn's optimum is 5.6e-4 on the file's order (IID
    rows), 4.7e-2 with the rows sorted by label, 1.2e-2 with the step η/4 (drift ∝ η)."""
    X, y = lesson_numpy()
    problem = Problem("logistic", l2=LAM)
    optimum = sklearn_optimum(X, y, LAM)
    eta = lipschitz_step(problem, X)
    scale = np.linalg.norm(optimum)
    # IID: the file's rows are independent draws, so contiguous blocks are alike
    iid = fixed_point(X, y, problem, 4, eta, steps=300)
    # non-IID: sorted by label (431 rows of −1, 569 of +1), partitions 0 and 2, 3 hold one
    # class each and partition 1 both
    order = label_order(y)
    Xs, ys = X[order], y[order]
    assert [sorted(set(ys[a:b])) for a, b in (partition_bounds(len(y), 4, p)
                                              for p in range(4))] == [[-1], [-1, 1], [1], [1]]
    drift = fixed_point(Xs, ys, problem, 4, eta, steps=300)
    iid_error = np.linalg.norm(iid - optimum) / scale
    drift_error = np.linalg.norm(drift - optimum) / scale
    assert iid_error < 2e-3
    assert drift_error > 0.02
    assert drift_error > 30 * iid_error
    # client drift shrinks with the step: a quarter of the step, about a quarter of the drift
    smaller = fixed_point(Xs, ys, problem, 4, eta / 4, steps=1000)
    assert np.linalg.norm(smaller - optimum) / scale < 0.35 * drift_error


def test_one_partition_one_step_is_proximal_gradient_descent_with_l1():
    X, y = lesson_numpy()
    problem = Problem("logistic", l2=LAM, l1=0.05)
    averaged = run_local(problem, Settings(algorithm=local_sgd(local_steps=1), lr="1/L"), X, y,
                         30, intercept=True)
    proximal = run_local(problem, Settings(algorithm="gd", lr="1/L"), X, y, 30, intercept=True)
    np.testing.assert_allclose(averaged.weights, proximal.weights, rtol=0, atol=TOL)


# -- non-IID data -------------------------------------------------------------------------------
@pytest.mark.spark
def test_from_numpy_non_iid_puts_one_class_in_each_partition(sc):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(101, 2))
    y = np.where(rng.random(101) < 0.5, 1.0, 0.0)
    data = from_numpy(X, y, partitions=4, sc=sc, non_iid=True)
    labels = data.map_partitions(lambda _p, block: sorted(set(block.y.tolist())))
    negatives = int(np.sum(y == 0))
    bounds = [partition_bounds(101, 4, p) for p in range(4)]
    expected = [sorted({-1.0 if i < negatives else 1.0 for i in range(a, b)}) for a, b in bounds]
    assert labels == expected
    assert sum(len(classes) == 1 for classes in labels) >= 3  # one mixed partition at most
    Xd, yd = data.to_numpy()
    order = np.argsort(y, kind="stable")  # the same rows, sorted by label
    np.testing.assert_array_equal(Xd, X[order])
    np.testing.assert_array_equal(yd, 2 * y[order] - 1)
    with pytest.raises(ConfigError, match="non_iid"):
        from_numpy(X, y, sc=sc, non_iid="yes")


def test_generated_non_iid_rows_are_the_iid_rows_conditioned_on_their_class():
    iid = GeneratorSpec(rows=20_000, features=4, seed=5)
    spec = parse_generator_spec("rows=20000,features=4,seed=5,non_iid=true")
    assert spec == GeneratorSpec(rows=20_000, features=4, seed=5, non_iid=True)
    X0, y0 = generate_rows(iid, 0, iid.rows)
    X, y = generate_rows(spec, 0, spec.rows)
    np.testing.assert_array_equal(y, np.where(np.arange(20_000) < 10_000, -1.0, 1.0))
    unit = true_weights(iid) / 3.0
    kept = y0 == y
    np.testing.assert_array_equal(X[kept], X0[kept])  # rows already of their class
    reflected = X0[~kept] - 2 * np.outer(X0[~kept] @ unit, unit)  # the others, mirrored
    np.testing.assert_allclose(X[~kept], reflected, rtol=0, atol=1e-12)
    # the split does not matter, as for IID rows
    np.testing.assert_array_equal(np.vstack([generate_rows(spec, 0, 7777)[0],
                                             generate_rows(spec, 7777, 20_000)[0]]), X)
    # class +1 rows have the law of x given y = +1: their score is skewed positive like the
    # IID data's class +1 rows (same mean score within sampling error)
    assert (X[y > 0] @ unit).mean() == pytest.approx((X0[y0 > 0] @ unit).mean(), abs=0.05)
    with pytest.raises(ValueError, match="non_iid"):
        GeneratorSpec(rows=10, features=2, task="regression", non_iid=True)
    with pytest.raises(ValueError, match="non_iid"):
        parse_generator_spec("rows=10,features=2,non_iid=maybe")


@pytest.mark.spark
def test_generated_non_iid_partitions_hold_one_class_each(sc):
    spec = GeneratorSpec(rows=4000, features=3, seed=2, non_iid=True)
    data = from_generator(spec, partitions=4, sc=sc)
    assert data.map_partitions(lambda _p, block: sorted(set(block.y.tolist()))) == [
        [-1.0], [-1.0], [1.0], [1.0]]
    assert "non_iid" in data.source
