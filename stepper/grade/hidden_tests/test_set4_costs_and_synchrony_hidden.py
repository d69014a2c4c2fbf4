"""Hidden tests of exercise set 4: other sizes, the edges (one partition, more slots than
tasks, a staleness longer than the run, empty partitions), stability under staleness."""

from __future__ import annotations

import numpy as np

from stepper.grade.api import expect_close, fail, say, task
from stepper.grade.tests._common import Fn
from stepper.grade.tests.test_set4_costs_and_synchrony import (
    check_iteration_time,
    check_lipschitz,
    check_makespan,
    check_rebalance,
    check_stale_sgd,
    check_tree_shape,
    labelled,
    per_class,
)


@task("4.1", points=1, uses="iteration_time")
def test_iteration_time_fewer_partitions_than_cores(sub):
    """the cost model with fewer partitions than cores, rows not divisible"""
    check_iteration_time(sub, 3, 8, 1001, 12, 0.002, 3e-5, 2e-4)


@task("4.2", points=1, uses="tree_shape")
def test_tree_shape_deeper_trees(sub):
    """treeAggregate's tree for more partitions and deeper trees"""
    for P, depth in ((100, 3), (5, 3), (12, 4), (9, 2), (2, 5), (64, 1)):
        check_tree_shape(sub, P, depth)


@task("4.3", points=1, uses="makespan")
def test_makespan_more_slots_than_tasks(sub):
    """more slots than tasks, and a single slot"""
    check_makespan(sub, [0.5, 2.5, 1.0], 5)
    check_makespan(sub, [0.5, 2.5, 1.0, 0.25], 1)


@task("4.4", points=1, uses="stale_sgd")
def test_stale_sgd_staleness_longer_than_the_run(sub):
    """a staleness longer than the run: every gradient at w₀"""
    check_stale_sgd(sub, np.array([[1.0, 0.0], [0.0, 3.0]]), np.array([0.5, 0.0]),
                    [1.0, 1.0], 0.1, 10, 4, what=say("the trajectory with τ > steps"))


@task("4.4", points=1, uses="stale_sgd")
def test_stale_sgd_stability_shrinks_with_staleness(sub):
    """on w²/2, η = 0.3 stays bounded with τ = 4; η = 0.5 diverges with τ = 4"""
    one = np.array([[1.0]])
    zero = np.array([0.0])
    stable = check_stale_sgd(sub, one, zero, [1.0], 0.3, 4, 80,
                             what=say("the trajectory with η = {eta}, τ = {tau}", eta=0.3, tau=4))
    if not np.max(np.abs(stable)) <= 1.0 + 1e-9:
        fail("η = 0.3, τ = 4 on w²/2 should stay bounded by |w₀| = 1")
    unstable = check_stale_sgd(sub, one, zero, [1.0], 0.5, 4, 80,
                               what=say("the trajectory with η = {eta}, τ = {tau}", eta=0.5,
                                        tau=4))
    if not abs(unstable[-1, 0]) > 100:
        fail("η = 0.5, τ = 4 on w²/2 should diverge")
    got = np.asarray(sub.stale_sgd(Fn("quadratic_gradient", one, zero), np.array([1.0]), 0.5, 0,
                                   80), dtype=float)
    expect_close(abs(float(got[-1, 0])), 0.5 ** 80, atol=1e-12,
                 what=say("|w₈₀| with η = {eta}, τ = {tau}", eta=0.5, tau=0),
                 example=say("f(w) = w²/2, w₀ = 1: without delay η = 0.5 converges"))


@task("4.5", points=1, uses="lipschitz_bound", spark=True)
def test_lipschitz_bound_with_empty_partitions(sub):
    """L with more partitions than rows"""
    X, y = labelled(3, 4, seed=55)
    check_lipschitz(sub, X, y, 5)


@task("4.6", points=1, uses="rebalance", spark=True)
def test_rebalance_keeps_about_the_fraction(sub):
    """about a fraction of the −1 points kept, 4 partitions"""
    X, y = labelled(400, 3, seed=56, positive=0.1)
    got = check_rebalance(sub, X, y, 4, 0.1, 2017)
    negatives = int(np.sum(y < 0))
    spread = 3.0 * np.sqrt(negatives * 0.1 * 0.9) + 1.0
    expect_close(per_class(got)[-1.0], 0.1 * negatives, rtol=0.0, atol=spread,
                 what=say("the number of −1 points kept"),
                 example=say("{n} points labelled −1, fraction 0.1", n=negatives))
