"""Small seeded examples shared by the grading tests, and Spark's partitioning and sampling
reproduced in plain Python, so that the trusted side computes expected values without Spark."""

from __future__ import annotations

import itertools

import numpy as np

from stepper.grade import reference as ref
from stepper.grade.wire import Fn, Rdd, RddResult

__all__ = ["Fn", "Rdd", "RddResult", "pair", "random_split", "sample", "sample_by_key", "slices",
           "small"]


def small(n: int = 5, d: int = 3, seed: int = 11) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(X, y, w): n rows, d columns (the first is the intercept), labels ±1, a random w."""
    X, y = ref.make_blobs(n, d, seed)
    w = np.random.default_rng(seed + 100).normal(size=d)
    return X, y, w


def pair(value, what: str) -> tuple:
    """``value`` as a 2-tuple, or a failure saying what was expected."""
    from stepper.grade.diagnose import fail

    if not isinstance(value, (tuple, list)) or len(value) != 2:
        fail("return a pair {what}; got {kind}: {value}", what=what, kind=type(value).__name__,
             value=f"{value!r:.200}")
    return tuple(value)


def slices(rows: list, partitions: int) -> list[list]:
    """The partitions of ``sc.parallelize(rows, partitions)``: PySpark ships the list in batches
    of ``max(1, min(n // partitions, 1024))`` rows, and Spark slices the batches evenly."""
    n = len(rows)
    size = max(1, min(n // partitions, 1024))
    batches = [rows[i:i + size] for i in range(0, n, size)]
    m = len(batches)
    return [[row for batch in batches[i * m // partitions:(i + 1) * m // partitions]
             for row in batch] for i in range(partitions)]


def sample(parts: list[list], with_replacement: bool, fraction: float, seed: int) -> list:
    """``rdd.sample(with_replacement, fraction, seed).collect()`` on these partitions (PySpark's
    own sampler, run here in plain Python)."""
    from pyspark.rddsampler import RDDSampler

    return [row for index, part in enumerate(parts)
            for row in RDDSampler(with_replacement, fraction, seed).func(index, iter(part))]


def random_split(parts: list[list], weights: list[float], seed: int) -> list[list]:
    """``rdd.randomSplit(weights, seed)``, each split collected, on these partitions."""
    from pyspark.rddsampler import RDDRangeSampler

    total = float(sum(weights))
    bounds = [0.0]
    for weight in weights:
        bounds.append(bounds[-1] + weight / total)
    return [[row for index, part in enumerate(parts)
             for row in RDDRangeSampler(lo, hi, seed).func(index, iter(part))]
            for lo, hi in itertools.pairwise(bounds)]


def sample_by_key(parts: list[list], with_replacement: bool, fractions: dict, seed: int) -> list:
    """``rdd.sampleByKey(with_replacement, fractions, seed).collect()`` on these partitions of
    (key, value) rows (PySpark's own stratified sampler, run here in plain Python)."""
    from pyspark.rddsampler import RDDStratifiedSampler

    return [row for index, part in enumerate(parts)
            for row in RDDStratifiedSampler(with_replacement, fractions, seed).func(index,
                                                                                   iter(part))]
