"""Visible tests of exercise set 0: Spark basics (counting, map + reduce statistics, split)."""

from __future__ import annotations

import numpy as np

from stepper.grade import reference as ref
from stepper.grade.api import Hint, expect_close, expect_equal, fail, task
from stepper.grade.tests._common import Rdd, RddResult, pair, random_split, slices


def raw_points(n: int = 40, seed: int = 5):
    rng = np.random.default_rng(seed)
    X = rng.normal(loc=[1.0, 4.0], scale=[2.0, 4.0], size=(n, 2))
    y = np.where(rng.random(n) < 0.3, 1.0, -1.0)
    return X, y


def is_rdd(value, name: str) -> None:
    if not isinstance(value, RddResult):
        fail(f"{name} should return an RDD (a transformation, not collected); got "
             f"{type(value).__name__}")


@task("0.1", points=1, uses="count_classes", spark=True)
def test_count_classes(sub):
    """class counts"""
    X, y = raw_points()
    points = Rdd(ref.rows_of(X, y), 3)
    result = sub.count_classes(points)
    if not isinstance(result, dict):
        fail(f"count_classes should return a dict {{label: count}}; got {type(result).__name__}")
    actual = {float(k): int(v) for k, v in result.items()}
    expected = {-1.0: int(np.sum(y < 0)), 1.0: int(np.sum(y > 0))}
    expect_equal(actual, expected, what="count_classes(points)",
                 hints=[Hint({1.0: len(y)}, "every point counted under one key")],
                 example=f"40 points in 3 partitions, labels {y[:8]}…")


@task("0.2", points=2, uses="feature_stats", spark=True)
def test_feature_stats(sub):
    """mean and standard deviation per feature"""
    X, y = raw_points()
    n = len(y)
    points = Rdd(ref.rows_of(X, y), 3)
    mean, std = pair(sub.feature_stats(points), "(mean, std)")
    example = ref.describe(X_first_rows=X[:3]) + f" … ({n} rows)"
    expect_close(mean, X.mean(axis=0), what="the mean", n=n, example=example,
                 shape_hints={(n,): "a wrong axis: one mean per feature (column)"})
    expect_close(std, X.std(axis=0), what="the standard deviation", example=example,
                 hints=[Hint(X.std(axis=0, ddof=1), "the sample std (1/(n−1)); the lesson uses "
                                                    "the population std √(Σx²/n − mean²)"),
                        Hint(X.var(axis=0), "the variance: take the square root"),
                        Hint(np.sqrt((X**2).sum(axis=0) - X.mean(axis=0) ** 2),
                             "Σx² where Σx²/n is needed (missing 1/n)")])


@task("0.3", points=2, uses="standardize", spark=True)
def test_standardize(sub):
    """standardized features with the intercept in front"""
    X, y = raw_points()
    n = len(y)
    mean, std = X.mean(axis=0), X.std(axis=0)
    points = Rdd(ref.rows_of(X, y), 3)
    out = sub.standardize(points, mean, std)
    is_rdd(out, "standardize")
    rows = out.collect()
    if len(rows) != n:
        fail(f"standardize should keep every point: {n} expected, {len(rows)} returned")
    labels = np.array([r[0] for r in rows], dtype=float)
    Z = np.array([np.asarray(r[1], dtype=float) for r in rows])
    expect_close(labels, y, what="the labels", example="the labels must be kept as they are")
    Zs = (X - mean) / std
    expected = np.hstack([np.ones((n, 1)), Zs])
    expect_close(Z, expected, what="the standardized features",
                 example=ref.describe(x=X[0], mean=mean, std=std),
                 shape_hints={(n, 2): "the intercept is missing: put a constant 1 first"},
                 hints=[Hint(np.hstack([Zs, np.ones((n, 1))]), "the intercept is last; put it "
                                                              "first ([1, z₁, z₂])"),
                        Hint(np.hstack([np.ones((n, 1)), (X - mean) / std**2]),
                             "divided by the variance where the std is needed"),
                        Hint(np.hstack([np.ones((n, 1)), X - mean]), "not divided by the std")])


@task("0.4", points=1, uses="split", spark=True)
def test_split(sub):
    """seeded 70/30 split"""
    X, y = raw_points(100)
    rows = ref.rows_of(X, y)
    train, test = pair(sub.split(Rdd(rows, 3), 0.7, 7), "(train, test)")
    is_rdd(train, "split")
    is_rdd(test, "split")
    a, b = random_split(slices(rows, 3), [0.7, 0.3], 7)
    got = (train.count(), test.count())
    want = (len(a), len(b))
    expect_equal(got, want, what="(train.count(), test.count())",
                 hints=[Hint(want[::-1], "the weights are reversed: [fraction, 1 − fraction]")],
                 example="100 points, fraction=0.7, seed=7")
    firsts = sorted(float(r[1][0]) for r in train.collect())
    if firsts != sorted(float(r[1][0]) for r in a):
        fail("the split is not the seeded randomSplit([fraction, 1 − fraction], seed=seed)")
