"""Visible tests of exercise set 0: Spark basics (counting, the range by map + reduce, min-max
scaling, balancing the classes by stratified sampling)."""

from __future__ import annotations

import numpy as np

from stepper.grade import reference as ref
from stepper.grade.api import Hint, expect_close, expect_equal, fail, say, task
from stepper.grade.tests._common import Rdd, RddResult, pair, sample_by_key, slices


def raw_points(n: int = 40, seed: int = 5):
    rng = np.random.default_rng(seed)
    X = rng.normal(loc=[1.0, 4.0], scale=[2.0, 4.0], size=(n, 2))
    y = np.where(rng.random(n) < 0.3, 1.0, -1.0)
    return X, y


def is_rdd(value, name: str) -> None:
    if not isinstance(value, RddResult):
        fail("{name} should return an RDD (a transformation, not collected); got {kind}",
             name=name, kind=type(value).__name__)


@task("0.1", points=1, uses="count_classes", spark=True)
def test_count_classes(sub):
    """class counts"""
    X, y = raw_points()
    points = Rdd(ref.rows_of(X, y), 3)
    result = sub.count_classes(points)
    if not isinstance(result, dict):
        fail("count_classes should return a dict {{label: count}}; got {kind}",
             kind=type(result).__name__)
    actual = {float(k): int(v) for k, v in result.items()}
    expected = {-1.0: int(np.sum(y < 0)), 1.0: int(np.sum(y > 0))}
    expect_equal(actual, expected, what="count_classes(points)",
                 hints=[Hint({1.0: len(y)}, "every point counted under one key")],
                 example=say("40 points in 3 partitions, labels {labels}…", labels=y[:8]))


@task("0.2", points=2, uses="feature_ranges", spark=True)
def test_feature_ranges(sub):
    """minimum and maximum per feature"""
    X, y = raw_points()
    n = len(y)
    points = Rdd(ref.rows_of(X, y), 3)
    low, high = pair(sub.feature_ranges(points), "(low, high)")
    example = ref.describe(X_first_rows=X[:3]) + f" … ({n} rows)"
    lows, highs = X.min(axis=0), X.max(axis=0)
    expect_close(low, lows, what=say("the minimum (low)"), example=example,
                 shape_hints={(n,): "a wrong axis: one minimum per feature (column)",
                              (): "one number for the whole array: reduce entry by entry "
                                  "(np.minimum), not with min()"},
                 hints=[Hint(highs, "low and high are swapped: return (minimum, maximum)"),
                        Hint(X[0], "the first row, not the minimum: combine both sides "
                                   "in the reduce"),
                        Hint(X.mean(axis=0), "the mean, not the minimum")])
    expect_close(high, highs, what=say("the maximum (high)"), example=example,
                 shape_hints={(n,): "a wrong axis: one maximum per feature (column)",
                              (): "one number for the whole array: reduce entry by entry "
                                  "(np.maximum), not with max()"},
                 hints=[Hint(lows, "low and high are swapped: return (minimum, maximum)"),
                        Hint(X[0], "the first row, not the maximum: combine both sides "
                                   "in the reduce"),
                        Hint(highs - lows, "the width high − low, not the maximum")])


@task("0.3", points=2, uses="min_max_scale", spark=True)
def test_min_max_scale(sub):
    """features scaled to [0, 1] with the intercept in front"""
    X, y = raw_points()
    n = len(y)
    low, high = X.min(axis=0), X.max(axis=0)
    points = Rdd(ref.rows_of(X, y), 3)
    out = sub.min_max_scale(points, low, high)
    is_rdd(out, "min_max_scale")
    rows = out.collect()
    if len(rows) != n:
        fail("min_max_scale should keep every point: {n} expected, {got} returned",
             n=n, got=len(rows))
    labels = np.array([r[0] for r in rows], dtype=float)
    Z = np.array([np.asarray(r[1], dtype=float) for r in rows])
    expect_close(labels, y, what=say("the labels"),
                 example=say("the labels must be kept as they are"))
    Zs = (X - low) / (high - low)
    ones = np.ones((n, 1))
    expected = np.hstack([ones, Zs])
    expect_close(Z, expected, what=say("the scaled features"),
                 example=ref.describe(x=X[0], low=low, high=high),
                 shape_hints={(n, 2): "the intercept is missing: put a constant 1 first"},
                 hints=[Hint(np.hstack([Zs, ones]), "the intercept is last; put it "
                                                    "first ([1, z₁, z₂])"),
                        Hint(np.hstack([ones, (X - low) / high]),
                             "divided by high where the width high − low is needed"),
                        Hint(np.hstack([ones, X / (high - low)]),
                             "low is not subtracted first: (x − low) / (high − low)"),
                        Hint(np.hstack([ones, X - low]), "not divided by high − low"),
                        Hint(np.hstack([ones, (X - X.mean(axis=0)) / X.std(axis=0)]),
                             "standardized (mean and std) where min-max scaling is asked")])


@task("0.4", points=1, uses="balance", spark=True)
def test_balance(sub):
    """classes balanced by a seeded sampleByKey"""
    X, y = raw_points(100)
    rows = ref.rows_of(X, y)
    out = sub.balance(Rdd(rows, 3), 7)
    is_rdd(out, "balance")
    sizes = {-1.0: int(np.sum(y < 0)), 1.0: int(np.sum(y > 0))}
    smaller = min(sizes.values())
    fractions = {label: smaller / size for label, size in sizes.items()}
    reversed_ = {label: size / max(sizes.values()) for label, size in sizes.items()}
    parts = slices(rows, 3)

    def per_class(sampled) -> dict:
        return {label: sum(1 for r in sampled if float(r[0]) == label) for label in sizes}

    want = sample_by_key(parts, False, fractions, 7)
    expect_equal(per_class(out.collect()), per_class(want),
                 what=say("{{label: count}} after balance"),
                 hints=[Hint(sizes, "nothing was sampled: every point is still there"),
                        Hint(per_class(sample_by_key(parts, False, reversed_, 7)),
                             "the fractions are reversed: keep every point of the smaller "
                             "class, sample the larger one"),
                        Hint(per_class(sample_by_key(parts, True, fractions, 7)),
                             "sampled with replacement: sampleByKey(False, fractions, seed)")],
                 example=say("100 points in 3 partitions, class sizes {sizes}, seed=7",
                             sizes=sizes))
    firsts = sorted(float(r[1][0]) for r in out.collect())
    if firsts != sorted(float(r[1][0]) for r in want):
        fail("the sample is not the seeded sampleByKey(False, fractions, seed) with fractions "
             "{{smaller class: 1, larger class: smaller size / larger size}}")
