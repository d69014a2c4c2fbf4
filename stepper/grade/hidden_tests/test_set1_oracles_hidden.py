"""Hidden tests of exercise set 1: stability at large margins, other shapes and labels."""

from __future__ import annotations

import numpy as np

from stepper.grade import reference as ref
from stepper.grade.api import expect_close, say, task
from stepper.grade.tests._common import small


@task("1.1", points=1, uses="loss_one")
def test_loss_one_large_margin(sub):
    """loss of one example at a large margin (no overflow)"""
    x, w = np.array([1.0, 2.0]), np.array([-300.0, -200.0])
    expect_close(sub.loss_one(x, 1.0, w), np.logaddexp(0, 700.0), what=say("loss_one at m = −700"),
                 example="x=[1, 2], y=1, w=[−300, −200]: log(1 + e^700) ≈ 700")


@task("1.4", points=1, uses="loss")
def test_loss_block_large_margins(sub):
    """vectorized loss at large margins (no overflow)"""
    X, y, _ = small(8, 3, seed=41)
    w = np.array([0.0, 400.0, -400.0])
    expect_close(sub.loss(X, y, w, 0.0), ref.loss(X, y, w), what=say("loss at large margins"),
                 example=ref.describe(X=X, y=y, w=w))


@task("1.5", points=1, uses="gradient")
def test_gradient_wide(sub):
    """vectorized gradient on a 40 × 6 block"""
    X, y, w = small(40, 6, seed=42)
    expect_close(sub.gradient(X, y, w, 0.05), ref.gradient(X, y, w, 0.05), n=40,
                 what="gradient(X, y, w, 0.05)", example=say("40 rows, 6 features"))


@task("1.6", points=1, uses="hessian")
def test_hessian_symmetric_psd(sub):
    """vectorized Hessian on a 40 × 6 block"""
    X, y, w = small(40, 6, seed=43)
    expect_close(sub.hessian(X, y, w, 0.0), ref.hessian(X, y, w), n=40,
                 what="hessian(X, y, w, 0)", example=say("40 rows, 6 features"))


@task("1.7", points=1, uses="lipschitz_step")
def test_lipschitz_step_one_row(sub):
    """Lipschitz step dominated by one long row"""
    X = np.array([[1.0, 0.0], [1.0, 10.0], [1.0, -1.0]])
    expect_close(sub.lipschitz_step(X), 1 / (0.25 * 101.0), what="lipschitz_step(X)",
                 example="X=[[1, 0], [1, 10], [1, −1]]")
