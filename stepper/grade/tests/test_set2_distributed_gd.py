"""Visible tests of exercise set 2: distributed gradient descent."""

from __future__ import annotations

import numpy as np

from stepper.grade import reference as ref
from stepper.grade.api import Hint, expect_close, fail, say, task
from stepper.grade.tests._common import Fn, Rdd, RddResult, pair, sample, slices, small


def partial_of(X, y, w):
    return ref.loss_sum(X, y, w), ref.grad_sum(X, y, w), len(y)


@task("2.1", points=2, uses="partition_oracle")
def test_partition_oracle(sub):
    """sums of the losses and gradients of one block"""
    X, y, w = small(6, 3, seed=21)
    n = len(y)
    loss_sum, grad_sum = pair(sub.partition_oracle(X, y, w), "(loss_sum, grad_sum)")
    example = ref.describe(X=X, y=y, w=w)
    expect_close(loss_sum, ref.loss_sum(X, y, w), n=n, what="loss_sum", example=example)
    expect_close(grad_sum, ref.grad_sum(X, y, w), n=n, what="grad_sum", example=example,
                 shape_hints={(n,): "a wrong axis: one entry per feature (X.T @ r)"})


@task("2.2", points=3, uses="partition_partials", spark=True)
def test_partition_partials(sub):
    """one (loss_sum, grad_sum, count) per partition, with mapPartitions"""
    X, y, w = small(20, 3, seed=22)
    rows = ref.rows_of(X, y)
    out = sub.partition_partials(Rdd(rows, 3), w, Fn("partition_oracle"))
    if not isinstance(out, RddResult):
        fail("partition_partials should return the RDD from mapPartitions; got {kind}",
             kind=type(out).__name__)
    got = out.collect()
    parts = slices(rows, 3)
    if len(got) == len(y):
        fail("one record per row: use mapPartitions (one record per partition), not map")
    if len(got) != len(parts):
        fail("expected one partial per partition ({expected}), got {got}",
             expected=len(parts), got=len(got))
    for index, (part, record) in enumerate(zip(parts, got, strict=True)):
        if not isinstance(record, (tuple, list)) or len(record) != 3:
            fail("partition {index}: yield a triple (loss_sum, grad_sum, count); got {record}",
                 index=index, record=f"{record!r:.200}")
        Xp = np.array([r[1] for r in part])
        yp = np.array([r[0] for r in part])
        want = partial_of(Xp, yp, w)
        example = say("partition {index} of 3 ({rows} rows), w={w}", index=index,
                      rows=len(part), w=w)
        expect_close(record[2], want[2], what=say("the count of partition {index}", index=index),
                     example=example)
        expect_close(record[0], want[0],
                     what=say("the loss sum of partition {index}", index=index),
                     n=len(part), example=example)
        expect_close(record[1], want[1],
                     what=say("the gradient sum of partition {index}", index=index),
                     n=len(part), example=example)


@task("2.3", points=3, uses="combine", spark=True)
def test_combine(sub):
    """J(w) and ∇J(w) from the partials"""
    X, y, w = small(12, 3, seed=23)
    lam, n = 0.1, len(y)
    blocks = [(X[:5], y[:5]), (X[5:9], y[5:9]), (X[9:], y[9:])]
    partials = Rdd([partial_of(Xb, yb, w) for Xb, yb in blocks], 3)
    J, g = pair(sub.combine(partials, w, lam), "(J, grad)")
    L, G = ref.loss_sum(X, y, w), ref.grad_sum(X, y, w)
    reg = 0.5 * lam * w @ w
    P = len(blocks)
    example = say("3 partials (5, 4 and 3 rows), w={w}, λ={lam}", w=w, lam=lam)
    expect_close(J, L / n + reg, what="J(w)", example=example,
                 hints=[Hint(L + reg, "not divided by the total count n"),
                        Hint(L / P + reg, "divided by the number of partitions, not by n"),
                        Hint(L / n, "the regularization (λ/2)‖w‖² is missing"),
                        Hint(L / n + 2 * reg, "the ½ in (λ/2)‖w‖² is missing")])
    expect_close(g, G / n + lam * w, what="∇J(w)", example=example,
                 hints=[Hint(G + lam * w, "not divided by the total count n"),
                        Hint(G / P + lam * w, "divided by the number of partitions, not by n"),
                        Hint(G / n, "the regularization term λw is missing")])


A_QUAD = np.array([[3.0, 0.5], [0.5, 1.0]])
B_QUAD = np.array([1.0, -2.0])


def quadratic_oracle():
    A, b = A_QUAD, B_QUAD
    return lambda w: (0.5 * w @ A @ w - b @ w, A @ w - b)


@task("2.4", points=2, uses="gradient_descent")
def test_gradient_descent(sub):
    """the driver loop on a small quadratic"""
    oracle = quadratic_oracle()
    w0 = np.array([1.0, 1.0])
    keep = w0.copy()
    path = [w0.copy()]
    for _ in range(4):
        path.append(path[-1] - 0.2 * oracle(path[-1])[1])
    ascent = [w0.copy()]
    for _ in range(4):
        ascent.append(ascent[-1] + 0.2 * oracle(ascent[-1])[1])
    got = sub.gradient_descent(Fn("quadratic_oracle", A_QUAD, B_QUAD), w0, 0.2, 4)
    if not np.array_equal(w0, keep):
        fail("gradient_descent modified w0 in place: start from a copy (w = np.array(w0))")
    expect_close(got, np.array(path), what=say("the trajectory"), example="J(w) = ½wᵀAw − bᵀw, "
                 "A=[[3, .5], [.5, 1]], b=[1, −2], w0=[1, 1], step=0.2, n_iter=4",
                 shape_hints={(4, 2): "4 rows where n_iter + 1 = 5 are needed: the first row "
                                      "is w0"},
                 hints=[Hint(np.array(ascent), "a step uphill: w ← w − step·∇J(w)"),
                        Hint(np.array(path[1:]), "w0 is missing from the first row")])


GRAD = Fn("quadratic_gradient", A_QUAD, B_QUAD)  # ∇J(w) = Aw − b, in the sandbox


def momentum_case():
    oracle = quadratic_oracle()
    w = np.array([1.0, -1.0])
    v = np.array([0.2, 0.1])
    return lambda z: oracle(z)[1], w, v, 0.1, 0.9


@task("2.5", points=2, uses="momentum_step")
def test_momentum_step(sub):
    """one momentum step"""
    grad, w, v, step, mu = momentum_case()
    v_new = mu * v + step * grad(w)
    got_w, got_v = pair(sub.momentum_step(w, v, GRAD, step, mu), "(w_new, v_new)")
    example = "∇J(w) = Aw − b, " + ref.describe(w=w, v=v, step=step, mu=mu)
    expect_close(got_v, v_new, what="v_new", example=example,
                 hints=[Hint(-v_new, "v has the opposite sign of the lesson's convention "
                                     "v ← μv + α∇J(w)"),
                        Hint(step * grad(w), "μv is missing: that is plain gradient descent"),
                        Hint(mu * v + step * grad(w - mu * v),
                             "the gradient at w − μv: that is Nesterov, not momentum")])
    expect_close(got_w, w - v_new, what="w_new", example=example,
                 hints=[Hint(w - v, "w updated with the old v; update v first, then w ← w − v"),
                        Hint(w + v_new, "w ← w − v, not w + v")])


@task("2.6", points=2, uses="nesterov_step")
def test_nesterov_step(sub):
    """one Nesterov step"""
    grad, w, v, step, mu = momentum_case()
    v_new = mu * v + step * grad(w - mu * v)
    got_w, got_v = pair(sub.nesterov_step(w, v, GRAD, step, mu), "(w_new, v_new)")
    example = "∇J(w) = Aw − b, " + ref.describe(w=w, v=v, step=step, mu=mu)
    expect_close(got_v, v_new, what="v_new", example=example,
                 hints=[Hint(mu * v + step * grad(w), "the gradient at w: that is plain "
                                                      "momentum; Nesterov looks ahead to w − μv"),
                        Hint(mu * v + step * grad(w + mu * v), "the look-ahead point is w − μv, "
                                                               "not w + μv"),
                        Hint(-v_new, "v has the opposite sign of the lesson's convention")])
    expect_close(got_w, w - v_new, what="w_new", example=example,
                 hints=[Hint(w - v, "w updated with the old v; update v first, then w ← w − v")])


@task("2.7", points=2, uses="minibatch_oracle", spark=True)
def test_minibatch_oracle(sub):
    """J and ∇J on a sampled mini-batch"""
    X, y, w = small(60, 3, seed=27)
    lam, fraction, seed = 0.1, 0.3, 5
    rows = ref.rows_of(X, y)
    parts = slices(rows, 3)

    def on(rows, n=None):
        Xs = np.array([r[1] for r in rows])
        ys = np.array([r[0] for r in rows])
        m = n or len(ys)
        return (ref.loss_sum(Xs, ys, w) / m + 0.5 * lam * w @ w,
                ref.grad_sum(Xs, ys, w) / m + lam * w)

    batch = sample(parts, True, fraction, seed)
    J, g = on(batch)
    noreplace = on(sample(parts, False, fraction, seed))
    full = on(ref.rows_of(X, y))
    over_n = on(batch, len(y))
    got_J, got_g = pair(sub.minibatch_oracle(Rdd(rows, 3), w, lam, fraction, seed,
                                             Fn("partition_oracle")), "(J, grad)")
    example = say("60 points in 3 partitions, fraction={fraction}, seed={seed}, λ={lam}",
              fraction=fraction, seed=seed, lam=lam)

    def hints(i: int) -> list[Hint]:
        return [Hint(noreplace[i], "sampled without replacement: use sample(True, fraction, "
                                   "seed)"),
                Hint(full[i], "the whole data set was used, not the sample"),
                Hint(over_n[i], "divided by the size of the whole data set, not of the sample")]

    expect_close(got_J, J, what=say("J on the mini-batch"), example=example, hints=hints(0))
    expect_close(got_g, g, what=say("∇J on the mini-batch"), example=example, hints=hints(1))
