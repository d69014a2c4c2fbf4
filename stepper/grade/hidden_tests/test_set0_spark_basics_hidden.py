"""Hidden tests of exercise set 0."""

from __future__ import annotations

import numpy as np

from stepper.grade import reference as ref
from stepper.grade.api import expect_close, task
from stepper.grade.tests._common import Rdd, pair


@task("0.2", points=1, uses="feature_stats", spark=True)
def test_feature_stats_three_features(sub):
    """statistics of three features in 4 partitions"""
    rng = np.random.default_rng(61)
    X = rng.normal(loc=[0.0, 10.0, -3.0], scale=[1.0, 5.0, 0.1], size=(30, 3))
    y = np.ones(30)
    mean, std = pair(sub.feature_stats(Rdd(ref.rows_of(X, y), 4)),
                     "(mean, std)")
    expect_close(mean, X.mean(axis=0), what="the mean", example="30 rows, 3 features")
    expect_close(std, X.std(axis=0), what="the std", example="30 rows, 3 features")
