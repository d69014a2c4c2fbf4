"""The engine's own block oracle, as the exercises and the grader's sandbox may use it.

``partition_oracle(X, y, w) -> (Σ loss, Σ gradient)`` of the logistic loss over one block, from
:func:`stepper.problems.logistic_sums` (the engine is no secret: every attendee reads it). The
grader's references (:mod:`stepper.grade.reference`) are another matter: the sandbox cannot
read them.
"""

from __future__ import annotations

import numpy as np

from stepper.problems import logistic_sums


def partition_oracle(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, np.ndarray]:
    """(Σ log(1 + exp(−yᵢ wᵀxᵢ)), Σ −σ(−yᵢ wᵀxᵢ) yᵢ xᵢ) over the rows of one block."""
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    if len(y) == 0:
        return 0.0, np.zeros_like(w)
    sums = logistic_sums(X, y, w)
    return float(sums.loss), np.asarray(sums.gradient)
