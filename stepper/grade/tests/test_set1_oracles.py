"""Visible tests of exercise set 1: the oracles J, ∇J, ∇²J and the Lipschitz step."""

from __future__ import annotations

import numpy as np

from stepper.grade import reference as ref
from stepper.grade.api import Hint, expect_close, task
from stepper.grade.tests._common import small


@task("1.1", points=1, uses="loss_one")
def test_loss_one_positive(sub):
    """loss of one example with label +1"""
    x, y, w = np.array([1.0, 0.5, -2.0]), 1.0, np.array([0.3, -1.0, 0.4])
    m = y * (x @ w)
    expect_close(sub.loss_one(x, y, w), np.logaddexp(0, -m), what="loss_one(x, y, w)",
                 example=ref.describe(x=x, y=y, w=w),
                 hints=[Hint(np.logaddexp(0, m), "the sign inside exp: it is log(1 + exp(−y wᵀx))"),
                        Hint(np.exp(-m), "the log is missing"),
                        Hint(np.log1p(-m), "exp is missing: log(1 + exp(−m)), not log(1 − m)")])


@task("1.1", points=1, uses="loss_one")
def test_loss_one_negative(sub):
    """loss of one example with label −1"""
    x, y, w = np.array([1.0, 0.5, -2.0]), -1.0, np.array([0.3, -1.0, 0.4])
    m = y * (x @ w)
    expect_close(sub.loss_one(x, y, w), np.logaddexp(0, -m), what="loss_one(x, y, w)",
                 example=ref.describe(x=x, y=y, w=w),
                 hints=[Hint(np.logaddexp(0, -(x @ w)), "the label y is missing from the margin "
                                                       "y wᵀx"),
                        Hint(np.logaddexp(0, m), "the sign inside exp: log(1 + exp(−y wᵀx))")])


@task("1.2", points=2, uses="grad_one")
def test_grad_one(sub):
    """gradient of one example"""
    x, y, w = np.array([1.0, 0.5, -2.0]), -1.0, np.array([0.3, -1.0, 0.4])
    m = y * (x @ w)
    expect_close(sub.grad_one(x, y, w), -ref.sigmoid(-m) * y * x, what="grad_one(x, y, w)",
                 example=ref.describe(x=x, y=y, w=w),
                 hints=[Hint(-ref.sigmoid(m) * y * x, "σ(y wᵀx) where σ(−y wᵀx) is needed"),
                        Hint(-ref.sigmoid(-(x @ w)) * x, "the label y is missing (twice)"),
                        Hint(-ref.sigmoid(-m) * x, "the factor y in front of x is missing")])


@task("1.3", points=2, uses="hessian_one")
def test_hessian_one(sub):
    """Hessian of one example"""
    x, y, w = np.array([1.0, 0.5, -2.0]), 1.0, np.array([0.3, -1.0, 0.4])
    s = ref.sigmoid(y * (x @ w))
    expect_close(sub.hessian_one(x, y, w), s * (1 - s) * np.outer(x, x),
                 what="hessian_one(x, y, w)", example=ref.describe(x=x, y=y, w=w),
                 hints=[Hint(s * np.outer(x, x), "σ(m) where σ(m)(1 − σ(m)) is needed"),
                        Hint(s * (1 - s) * (x @ x), "x·x (a number) where the outer product "
                                                   "x xᵀ (a matrix, np.outer) is needed")])


@task("1.4", points=2, uses="loss")
def test_loss_block(sub):
    """vectorized loss of a block, with λ"""
    X, y, w = small()
    lam, n = 0.1, len(y)
    data = ref.loss_sum(X, y, w) / n
    reg = 0.5 * lam * w @ w
    expect_close(sub.loss(X, y, w, lam), data + reg, what="loss(X, y, w, lam)",
                 example=ref.describe(X=X, y=y, w=w, lam=lam),
                 hints=[Hint(n * data + reg, "a sum where the mean is needed (missing 1/n)"),
                        Hint(data, "the regularization (λ/2)‖w‖² is missing"),
                        Hint(data + 2 * reg, "the ½ in (λ/2)‖w‖² is missing"),
                        Hint(n * data, "a sum where the mean is needed (missing 1/n), and the "
                                       "regularization is missing")])


@task("1.5", points=3, uses="gradient")
def test_gradient_block(sub):
    """vectorized gradient of a block, with λ"""
    X, y, w = small()
    lam, n = 0.1, len(y)
    data = ref.grad_sum(X, y, w) / n
    expect_close(sub.gradient(X, y, w, lam), data + lam * w, what="gradient(X, y, w, lam)",
                 example=ref.describe(X=X, y=y, w=w, lam=lam),
                 shape_hints={(n,): "a wrong axis: the gradient has one entry per feature "
                                    "(X.T @ r), not one per example"},
                 hints=[Hint(n * data + lam * w, "a sum where the mean is needed (missing 1/n)"),
                        Hint(data, "the regularization term λw is missing"),
                        Hint(data + 0.5 * lam * w, "the gradient of (λ/2)‖w‖² is λw, not λw/2"),
                        Hint(-data + lam * w, "the sign of the data term is flipped"),
                        Hint(X.T @ (-y * ref.sigmoid(y * (X @ w))) / n + lam * w,
                             "σ(y wᵀx) where σ(−y wᵀx) is needed")])


@task("1.6", points=2, uses="hessian")
def test_hessian_block(sub):
    """vectorized Hessian of a block, with λ"""
    X, y, w = small()
    lam, n, d = 0.1, len(y), X.shape[1]
    data = ref.hessian_sum(X, y, w) / n
    s = ref.sigmoid(y * (X @ w))
    expect_close(sub.hessian(X, y, w, lam), data + lam * np.eye(d), what="hessian(X, y, w, lam)",
                 example=ref.describe(X=X, y=y, w=w, lam=lam),
                 shape_hints={(n, n): "a wrong axis: X Xᵀ (n × n) where Xᵀ D X (d × d) is needed"},
                 hints=[Hint(n * data + lam * np.eye(d), "a sum where the mean is needed "
                                                         "(missing 1/n)"),
                        Hint(data, "the regularization λI is missing"),
                        Hint(data + lam, "λ added to every entry: it is λI (the diagonal only)"),
                        Hint((X * s[:, None]).T @ X / n + lam * np.eye(d),
                             "weights σ(m) where σ(m)(1 − σ(m)) is needed")])


@task("1.7", points=2, uses="lipschitz_step")
def test_lipschitz_step(sub):
    """Lipschitz step 1/L"""
    X, _, _ = small()
    sq = np.sum(X * X, axis=1)
    L = 0.25 * sq.max()
    expect_close(sub.lipschitz_step(X), 1 / L, what="lipschitz_step(X)",
                 example=ref.describe(X=X),
                 hints=[Hint(L, "returned L; the step is 1/L"),
                        Hint(1 / sq.max(), "the factor ¼ in L = ¼·maxᵢ‖xᵢ‖² is missing"),
                        Hint(1 / (0.25 * np.sqrt(sq).max()), "‖xᵢ‖ where ‖xᵢ‖² is needed"),
                        Hint(1 / (0.25 * sq.mean()), "the mean of ‖xᵢ‖² where the max is needed"),
                        Hint(1 / (4 * sq.max()), "4·max‖xᵢ‖² where ¼·max‖xᵢ‖² is needed"),
                        Hint(1 / (0.25 * np.max(np.sum(X * X, axis=0))),
                             "a wrong axis: the norms are over each row xᵢ (axis=1)")])
