"""Prepare a data set for optimization: standardize, add an intercept, split, rebalance.

Standardization is the workshop's Lab 0 exercise done by map + reduce: each partition returns
its row count n_p, column means μ_p and centred sums of squares M_p = Σ (x − μ_p)²; partials
combine exactly (Chan et al.):

    n = n_a + n_b,  δ = μ_b − μ_a,  μ = μ_a + δ·n_b/n,  M = M_a + M_b + δ²·n_a·n_b/n,

and σ = √(M/n) (the population standard deviation, numpy's default ``ddof=0``). This avoids the
cancellation of Σx² − n·μ².
"""

from __future__ import annotations

import functools

import numpy as np

from stepper.data.blocks import Block
from stepper.data.dataset import Dataset
from stepper.data.transforms import AddIntercept, SplitRows, Standardize, Undersample
from stepper.errors import ConfigError, DataError


def _moments(_p: int, block: Block) -> tuple[int, np.ndarray, np.ndarray]:
    X = np.asarray(block.X)
    if X.shape[0] == 0:
        return 0, np.zeros(X.shape[1]), np.zeros(X.shape[1])
    mean = X.mean(axis=0)
    return X.shape[0], mean, ((X - mean) ** 2).sum(axis=0)


def combine_moments(
    a: tuple[int, np.ndarray, np.ndarray], b: tuple[int, np.ndarray, np.ndarray]
) -> tuple[int, np.ndarray, np.ndarray]:
    """Merge (n, μ, M) of two row sets into those of their union (Chan's formula)."""
    n_a, mean_a, m2_a = a
    n_b, mean_b, m2_b = b
    n = n_a + n_b
    if n == 0:
        return a
    delta = mean_b - mean_a
    mean = mean_a + delta * (n_b / n)
    return n, mean, m2_a + m2_b + delta**2 * (n_a * n_b / n)


def column_moments(data: Dataset) -> tuple[np.ndarray, np.ndarray]:
    """Column means and population standard deviations, by map + reduce."""
    partials = data.map_partitions(_moments)
    n, mean, m2 = functools.reduce(combine_moments, partials)
    if n == 0:
        raise DataError("there are no rows to standardize", path=data.source)
    return mean, np.sqrt(m2 / n)


def standardize(data: Dataset, using: Dataset | None = None) -> Dataset:
    """Scale every feature to mean 0 and standard deviation 1.

    ``using``: take the means and deviations of another data set (the training set, when
    standardizing a test set). Constant columns are centred only.
    """
    if data.intercept:
        raise ConfigError("data", data.source, "a data set without an intercept column yet "
                          "(standardize first, then add the intercept)")
    if using is not None:
        check_compatible(using, data)
        if using.standardization is None:
            raise ConfigError("using", using.source, "a standardized data set")
        mean, std = using.standardization
    else:
        mean, std = column_moments(data)
    transform = Standardize(tuple(float(m) for m in mean), tuple(float(s) for s in std))
    return data.transformed(transform, standardization=(mean, std), source_note="standardized")


def add_intercept(data: Dataset) -> Dataset:
    """Prepend a constant feature 1 (column 0, named ``intercept``)."""
    if data.intercept:
        return data
    return data.transformed(
        AddIntercept(), features=data.features + 1,
        feature_names=["intercept", *data.feature_names], intercept=True, source_note="intercept",
    )


def train_test_split(
    data: Dataset, *, test_fraction: float = 0.3, seed: int = 0
) -> tuple[Dataset, Dataset]:
    """Split rows at random (seeded, the same whatever the partitioning) into train and test."""
    if not 0.0 < test_fraction < 1.0:
        raise ConfigError("test_fraction", test_fraction, "a number strictly between 0 and 1")
    train_share = 1.0 - test_fraction
    train = data.transformed(SplitRows(train_share, seed, "train"),
                             source_note=f"train seed={seed}")
    test = data.transformed(SplitRows(train_share, seed, "test"), source_note=f"test seed={seed}")
    for part, name in ((train, "train"), (test, "test")):
        if part.rows == 0:
            raise DataError(f"the {name} side of the split has no rows", path=data.source)
    return train, test


def undersample(data: Dataset, *, keep_label: float = 1.0, fraction: float = 0.1,
                seed: int = 0) -> Dataset:
    """Keep every row labelled ``keep_label`` and a ``fraction`` of the others (seeded).

    Labels are compared after normalization, so for classification use +1 or −1.
    """
    if not 0.0 < fraction <= 1.0:
        raise ConfigError("fraction", fraction, "a number in (0, 1]")
    result = data.transformed(Undersample(float(keep_label), fraction, seed),
                              source_note=f"undersampled keep={keep_label:g} f={fraction:g}")
    if result.rows == 0:
        raise DataError("no rows are left after undersampling", path=data.source)
    return result


def check_compatible(train: Dataset, test: Dataset) -> None:
    """Raise when two data sets cannot share one model (different feature counts or tasks)."""
    if train.features != test.features:
        raise DataError(
            f"the training data has {train.features} features but the test data "
            f"({test.source}) has {test.features}: both must have the same columns",
            path=train.source,
        )
    if train.task != test.task:
        raise DataError(f"the training data is for {train.task}, the test data for {test.task}",
                        path=test.source)
