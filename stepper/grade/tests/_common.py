"""Small seeded examples shared by the grading tests."""

from __future__ import annotations

import numpy as np

from stepper.grade import reference as ref


def small(n: int = 5, d: int = 3, seed: int = 11) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(X, y, w): n rows, d columns (the first is the intercept), labels ±1, a random w."""
    X, y = ref.make_blobs(n, d, seed)
    w = np.random.default_rng(seed + 100).normal(size=d)
    return X, y, w


def pair(value, what: str) -> tuple:
    """``value`` as a 2-tuple, or a failure saying what was expected."""
    from stepper.grade.diagnose import GradeFailure

    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise GradeFailure(f"return a pair {what}; got {type(value).__name__}: {value!r:.200}")
    return tuple(value)
