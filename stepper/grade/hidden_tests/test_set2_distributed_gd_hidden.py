"""Hidden tests of exercise set 2: empty partitions, other parameters."""

from __future__ import annotations

import numpy as np

from stepper.grade import reference as ref
from stepper.grade.api import expect_close, fail, say, task
from stepper.grade.tests._common import Fn, Rdd, RddResult, pair, small
from stepper.grade.tests.test_set2_distributed_gd import GRAD, momentum_case


@task("2.2", points=1, uses="partition_partials", spark=True)
def test_partition_partials_empty_partition(sub):
    """a partition may be empty"""
    X, y, w = small(3, 3, seed=51)
    out = sub.partition_partials(Rdd(ref.rows_of(X, y), 5), w, Fn("partition_oracle"))
    if not isinstance(out, RddResult):
        fail("partition_partials should return the RDD from mapPartitions; got {kind}",
             kind=type(out).__name__)
    got = out.collect()
    if len(got) != 5:
        fail("3 rows in 5 partitions: expected 5 partials (zeros for an empty partition), "
             "got {got}", got=len(got))
    total = sum(float(r[0]) for r in got)
    expect_close(total, ref.loss_sum(X, y, w), what=say("the sum of the loss sums"),
                 example=say("3 rows in 5 partitions (two are empty)"))


@task("2.3", points=1, uses="combine", spark=True)
def test_combine_no_regularization(sub):
    """combine with λ = 0 and many partials"""
    X, y, w = small(16, 2, seed=52)
    parts = [(ref.loss_sum(X[i:i + 2], y[i:i + 2], w), ref.grad_sum(X[i:i + 2], y[i:i + 2], w),
              2) for i in range(0, 16, 2)]
    J, g = pair(sub.combine(Rdd(parts, 8), w, 0.0), "(J, grad)")
    expect_close(J, ref.loss(X, y, w), what="J(w)", example=say("8 partials of 2 rows"))
    expect_close(g, ref.gradient(X, y, w), what="∇J(w)", example=say("8 partials of 2 rows"))


@task("2.6", points=1, uses="nesterov_step")
def test_nesterov_zero_momentum(sub):
    """Nesterov with μ = 0 is a gradient step"""
    grad, w, v, step, _ = momentum_case()
    got_w, _ = pair(sub.nesterov_step(w, v, GRAD, step, 0.0), "(w_new, v_new)")
    expect_close(got_w, w - step * grad(w), what=say("w_new with μ = 0"),
                 example=ref.describe(w=w, v=v, step=step))


@task("2.4", points=1, uses="gradient_descent")
def test_gradient_descent_zero_iterations(sub):
    """zero iterations return just w0"""
    w0 = np.array([1.0, 2.0, 3.0])
    got = sub.gradient_descent(Fn("identity_gradient"), w0, 0.1, 0)
    expect_close(got, w0[None, :], what=say("the trajectory for n_iter = 0"),
                 example="n_iter=0: one row, w0")
