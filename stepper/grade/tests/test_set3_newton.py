"""Visible tests of exercise set 3: Newton's method with a reduced Hessian."""

from __future__ import annotations

import numpy as np

from stepper.grade import reference as ref
from stepper.grade.api import Hint, expect_close, expect_equal, say, task
from stepper.grade.tests._common import Fn, Rdd, pair, small


@task("3.1", points=2, uses="partition_hessian")
def test_partition_hessian(sub):
    """Hessian sum of one block"""
    X, y, w = small(6, 3, seed=31)
    n = len(y)
    s = ref.sigmoid(y * (X @ w))
    expect_close(sub.partition_hessian(X, y, w), ref.hessian_sum(X, y, w), n=n,
                 what="partition_hessian(X, y, w)", example=ref.describe(X=X, y=y, w=w),
                 shape_hints={(n, n): "a wrong axis: X Xᵀ (n × n) where Xᵀ D X (d × d) is "
                                      "needed"},
                 hints=[Hint((X * s[:, None]).T @ X, "weights σ(m) where σ(m)(1 − σ(m)) is "
                                                    "needed")])


@task("3.2", points=3, uses="distributed_hessian", spark=True)
def test_distributed_hessian(sub):
    """reduced Hessian over an RDD"""
    X, y, w = small(20, 3, seed=32)
    lam, n, d = 0.1, len(y), 3
    points = Rdd(ref.rows_of(X, y), 3)
    H = ref.hessian_sum(X, y, w)
    expect_close(sub.distributed_hessian(points, w, lam), H / n + lam * np.eye(d),
                 what="distributed_hessian(points, w, λ)",
                 example=say("20 points in 3 partitions, w={w}, λ={lam}", w=w, lam=lam),
                 hints=[Hint(H + lam * np.eye(d), "not divided by the total count n"),
                        Hint(H / n, "the regularization λI is missing"),
                        Hint(H / 3 + lam * np.eye(d), "divided by the number of partitions, "
                                                      "not by n"),
                        Hint(H / n + lam, "λ added to every entry: it is λI")])


@task("3.3", points=2, uses="newton_step")
def test_newton_step(sub):
    """one Newton step"""
    w = np.array([0.5, -1.0])
    g = np.array([1.0, 2.0])
    H = np.array([[2.0, 1.0], [0.5, 3.0]])
    d = np.linalg.solve(H, g)
    expect_close(sub.newton_step(w, g, H), w - d, what="newton_step(w, g, H)",
                 example=ref.describe(w=w, g=g, H=H),
                 hints=[Hint(w + d, "a step uphill: w − H⁻¹g, not w + H⁻¹g"),
                        Hint(w - H @ g, "H g where H⁻¹g is needed (solve H d = g)"),
                        Hint(w - np.linalg.solve(H.T, g), "solved with Hᵀ instead of H"),
                        Hint(-d, "the step alone: return w − H⁻¹g")])


def logistic_oracle(X, y, lam):
    return lambda w: (ref.loss(X, y, w, lam), ref.gradient(X, y, w, lam),
                      ref.hessian(X, y, w, lam))


def reference_newton(oracle, w0, tol, max_iter):
    w = np.array(w0, dtype=float)
    for steps in range(max_iter):
        _, g, H = oracle(w)
        d = np.linalg.solve(H, g)
        if g @ d / 2 <= tol:
            return w, steps
        w = w - d
    return w, max_iter


@task("3.4", points=2, uses="newton_method")
def test_newton_method(sub):
    """Newton's method stops on the decrement"""
    X, y, _ = small(30, 3, seed=34)
    oracle = logistic_oracle(X, y, 0.1)
    w0 = np.zeros(3)
    w_star, steps = reference_newton(oracle, w0, 1e-10, 20)
    got_w, got_steps = pair(sub.newton_method(Fn("logistic_oracle", X, y, 0.1), w0, 1e-10, 20),
                            "(w, steps)")
    example = "logistic loss on 30 rows, λ=0.1, w0=0, tol=1e-10"
    expect_close(got_w, w_star, rtol=1e-5, atol=1e-7, what=say("the final w"), example=example)
    expect_equal(int(got_steps), steps, what=say("the number of steps"), example=example,
                 hints=[Hint(steps + 1, "one too many: count the Newton steps taken, not the "
                                        "oracle calls"),
                        Hint(steps - 1, "one too few: count every Newton step taken")])
