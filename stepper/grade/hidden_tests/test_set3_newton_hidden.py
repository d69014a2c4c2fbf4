"""Hidden tests of exercise set 3."""

from __future__ import annotations

import numpy as np

from stepper.grade import reference as ref
from stepper.grade.api import expect_close, expect_equal, say, task
from stepper.grade.tests._common import Fn, pair, small
from stepper.grade.tests.test_set3_newton import logistic_oracle


@task("3.4", points=1, uses="newton_method")
def test_newton_method_respects_max_iter(sub):
    """Newton's method stops after max_iter steps"""
    X, y, _ = small(30, 3, seed=71)
    oracle = logistic_oracle(X, y, 0.1)
    w, steps = pair(sub.newton_method(Fn("logistic_oracle", X, y, 0.1), np.zeros(3), 0.0, 2),
                    "(w, steps)")
    expect_equal(int(steps), 2, what=say("the number of steps with tol=0, max_iter=2"),
                 example=say("tol=0 never stops early"))
    w1 = np.zeros(3)
    for _ in range(2):
        _, g, H = oracle(w1)
        w1 = w1 - np.linalg.solve(H, g)
    expect_close(w, w1, what=say("w after two steps"), example=say("two Newton steps from 0"))


@task("3.1", points=1, uses="partition_hessian")
def test_partition_hessian_single_row(sub):
    """Hessian sum of a one-row block"""
    X, y, w = small(1, 4, seed=72)
    expect_close(sub.partition_hessian(X, y, w), ref.hessian_sum(X, y, w),
                 what=say("partition_hessian on one row"), example=ref.describe(X=X, y=y, w=w))
