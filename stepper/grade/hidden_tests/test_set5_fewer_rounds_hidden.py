"""Hidden tests of exercise set 5: next to the engine's own methods (run here without Spark by
:func:`stepper.local.run_local`, on the same contiguous partitions Spark makes of these rows),
empty memory and empty partitions, ADMM's residuals falling."""

from __future__ import annotations

import numpy as np

from stepper.grade import reference as ref
from stepper.grade.api import expect_close, expect_equal, fail, say, task
from stepper.grade.tests._common import Rdd, slices, small
from stepper.grade.tests.test_set5_fewer_rounds import (
    lasso_rows,
    lbfgs_hints,
    local_round,
    trace_of,
    whole,
)


def engine_path(problem, algorithm, X, y, steps, lr=None, seed=0, partitions=1, intercept=False):
    from stepper.algorithms import Settings
    from stepper.local import run_local

    settings = Settings(algorithm=algorithm, lr=lr, seed=seed)
    return run_local(problem, settings, X, y, steps, partitions=partitions, intercept=intercept)


@task("5.1", points=1, uses="lbfgs_direction")
def test_lbfgs_direction_without_pairs(sub):
    """with no pair the direction is −g"""
    g = np.array([0.5, -2.0, 1.0])
    expect_close(sub.lbfgs_direction(g, np.zeros((0, 3)), np.zeros((0, 3))), -g,
                 what=say("lbfgs_direction with an empty memory"),
                 example=say("S and Y of shape (0, 3), g={g}", g=g))


@task("5.1", points=2, uses="lbfgs_direction")
def test_lbfgs_direction_is_the_engines(sub):
    """the engine's L-BFGS directions on a logistic regression"""
    from stepper.algorithms.lbfgs import keeps_pair, lbfgs
    from stepper.problems import Problem

    X, y, _ = small(40, 4, seed=541)
    lam, memory = 0.05, 3
    path = engine_path(Problem(l2=lam), lbfgs(memory=memory), X, y, 7, lr=1.0).weights
    gradients = [ref.gradient(X, y, w, lam) for w in path]
    pairs: list = []
    for k in range(1, len(path) - 1):  # the direction of iteration k + 1, taken from w_k
        s, yk = path[k] - path[k - 1], gradients[k] - gradients[k - 1]
        if keeps_pair(s, yk):
            pairs = [*pairs, (s, yk)][-memory:]
        S, Y = np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])
        expect_close(sub.lbfgs_direction(gradients[k], S, Y), path[k + 1] - path[k], rtol=1e-6,
                     what=say("the direction of iteration {k}", k=k + 1),
                     example=say("the engine's L-BFGS (m = {m}, unit step) on 40 rows, λ={lam}, "
                                 "{pairs} pair(s) in memory", m=memory, lam=lam,
                                 pairs=len(pairs)),
                     hints=lbfgs_hints(gradients[k], S, Y))


@task("5.2", points=2, uses="local_sgd_round", spark=True)
def test_local_sgd_rounds_next_to_the_engine(sub):
    """three rounds next to the engine's local SGD"""
    from stepper.algorithms.local_sgd import local_sgd
    from stepper.problems import Problem

    X, y, _ = small(40, 3, seed=542)
    H, batch, eta, seed, lam = 4, 3, 0.5, 9, 0.02
    path = engine_path(Problem(l2=lam), local_sgd(local_steps=H, batch=batch), X, y, 3, lr=eta,
                       seed=seed, partitions=4).weights
    rows = ref.rows_of(X, y)
    w = path[0]
    for t in range(3):
        w = np.asarray(sub.local_sgd_round(Rdd(rows, 4), w, H, eta, seed, batch, lam, t),
                       dtype=float)
        expect_close(w, path[t + 1], what=say("the weights after round {k}", k=t + 1),
                     example=say("the engine's local_sgd on 40 rows in 4 partitions, H={H}, "
                                 "batch={batch}, η={eta}, seed={seed}, λ={lam}", H=H,
                                 batch=batch, eta=eta, seed=seed, lam=lam))


@task("5.2", points=1, uses="local_sgd_round", spark=True)
def test_local_sgd_round_with_empty_partitions(sub):
    """a partition may be empty"""
    X, y, _ = small(3, 3, seed=543)
    rows, w = ref.rows_of(X, y), np.array([0.2, 0.1, -0.1])
    expect_close(sub.local_sgd_round(Rdd(rows, 5), w, 2, 0.3, 1, None, 0.0, 0),
                 local_round(slices(rows, 5), w, 2, 0.3, 1, None, 0.0, 0),
                 what=say("local_sgd_round with empty partitions"),
                 example=say("3 rows in 5 partitions (two are empty), H=2"))


@task("5.3", points=2, uses="admm_round", spark=True)
def test_admm_rounds_next_to_the_engine(sub):
    """rounds next to the engine's ADMM, the residuals falling"""
    from stepper.algorithms.admm import admm
    from stepper.problems import Problem

    rows, X, y = lasso_rows(544, 32, 4)
    rho, lam1, P, steps = 0.15, 0.1, 4, 5
    problem = Problem("squares", l1=lam1, l1_mode="prox")
    path = engine_path(problem, admm(rho=rho), X, y, steps, partitions=P, intercept=True).weights
    z, U = np.zeros(4), np.zeros((P, 4))
    primal, dual = [], []
    example = say("32 points in 4 partitions, ρ={rho}, λ₁={lam1}, from z = 0, U = 0", rho=rho,
                  lam1=lam1)
    for k in range(steps):
        out = sub.admm_round(Rdd(rows, P), z, U, rho, lam1)
        if not isinstance(out, (tuple, list)) or len(out) != 4:
            fail("return the four values (z⁺, U⁺, r, s); got {value}", value=f"{out!r:.200}")
        z, U = np.asarray(out[0], dtype=float), np.asarray(out[1], dtype=float)
        primal.append(float(out[2]))
        dual.append(float(out[3]))
        expect_close(z, path[k + 1], atol=1e-7,
                     what=say("z after round {k} (the engine's admm)", k=k + 1), example=example)
    if not (primal[-1] < 0.2 * primal[0] and dual[-1] < 0.2 * dual[0]):
        fail("the residuals do not fall: r = {primal}, s = {dual}",
             primal=np.round(primal, 6).tolist(), dual=np.round(dual, 6).tolist())


@task("5.4", points=1, uses="rounds_to_tol")
def test_rounds_to_tol_never_and_at_once(sub):
    """never reached, and reached at the first record"""
    trace = trace_of([3.0, 2.0, 1.5], [1, 2, 1])
    expect_equal(sub.rounds_to_tol(trace, 1.0, 0.1), None,
                 what=say("rounds_to_tol when no record reaches the tolerance"),
                 example=say("J − J* = 2, 1, 0.5 with tol = 0.1"))
    expect_equal(whole(sub.rounds_to_tol(trace, 1.0, 5.0)), 0,
                 what=say("rounds_to_tol when the first record already qualifies"),
                 example=say("J − J* = 2, 1, 0.5 with tol = 5: w₀ is good enough"))
