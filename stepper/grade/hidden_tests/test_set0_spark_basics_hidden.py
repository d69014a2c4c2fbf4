"""Hidden tests of exercise set 0."""

from __future__ import annotations

import numpy as np

from stepper.grade import reference as ref
from stepper.grade.api import expect_close, expect_equal, fail, say, task
from stepper.grade.tests._common import Rdd, RddResult, pair, sample_by_key, slices


@task("0.2", points=1, uses="feature_ranges", spark=True)
def test_feature_ranges_three_features(sub):
    """ranges of three features in 4 partitions, one negative everywhere"""
    rng = np.random.default_rng(61)
    X = rng.normal(loc=[0.0, 10.0, -3.0], scale=[1.0, 5.0, 0.1], size=(30, 3))
    y = np.ones(30)
    low, high = pair(sub.feature_ranges(Rdd(ref.rows_of(X, y), 4)), "(low, high)")
    expect_close(low, X.min(axis=0), what=say("the minimum"), example=say("30 rows, 3 features"))
    expect_close(high, X.max(axis=0), what=say("the maximum"), example=say("30 rows, 3 features"))


@task("0.4", points=1, uses="balance", spark=True)
def test_balance_larger_positive_class(sub):
    """balance when the +1 class is the larger one, 4 partitions"""
    rng = np.random.default_rng(62)
    X = rng.normal(size=(80, 2))
    y = np.where(rng.random(80) < 0.8, 1.0, -1.0)
    rows = ref.rows_of(X, y)
    out = sub.balance(Rdd(rows, 4), 3)
    sizes = {-1.0: int(np.sum(y < 0)), 1.0: int(np.sum(y > 0))}
    fractions = {label: min(sizes.values()) / size for label, size in sizes.items()}
    want = sample_by_key(slices(rows, 4), False, fractions, 3)
    if not isinstance(out, RddResult):
        fail("balance should return an RDD; got {kind}", kind=type(out).__name__)
    got = out.rows
    expect_equal(sorted(float(r[1][0]) for r in got), sorted(float(r[1][0]) for r in want),
                 what=say("the first feature of the sampled points"),
                 example=say("80 points in 4 partitions, class sizes {sizes}, seed=3", sizes=sizes))
