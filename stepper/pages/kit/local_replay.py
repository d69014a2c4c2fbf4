"""A run on one machine (:func:`stepper.local.run_local`) as recorded iterations.

Lesson 1 compares optimizers without Spark; turning its ``LocalPath`` into a
:class:`~stepper.engine.Replay` lets it use the same control bar and views as the distributed
lessons (the loss curve, the path on the contour, the decision boundary). The records have no
partitions: their only phase is the update.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from stepper.engine import Replay
from stepper.trace import IterationRecord


def replay_from_local(path: Any, problem: Any = None, X: np.ndarray | None = None,
                      y: np.ndarray | None = None, *, algorithm: str | None = None,
                      intercept: bool = True) -> Replay:
    """Records 1 … k of a :class:`~stepper.local.LocalPath` (iterates w₀ … w_k).

    Record t holds J(w_{t−1}) and ‖∇J(w_{t−1})‖ (as a distributed record does), the weights
    w_t, and the update (weights before and after, step size). ``problem``, ``X``, ``y`` add the
    training accuracy at w_{t−1} for classification data.
    """
    weights = np.asarray(path.weights, dtype=float)
    objective = np.asarray(path.objective, dtype=float)
    norms = np.asarray(path.grad_norm, dtype=float)
    steps = np.asarray(path.step_sizes, dtype=float)
    records = []
    for t in range(1, len(weights)):
        before, after = weights[t - 1], weights[t]
        accuracy = None
        if X is not None and y is not None:
            accuracy = float(np.mean(y * (X @ before) > 0))
        records.append(IterationRecord(
            iteration=t,
            objective=float(objective[t - 1]),
            grad_norm=float(norms[t - 1]),
            weights=after.copy(),
            update={"weights_before": before.copy(), "weights_after": after.copy(),
                    "step_size": float(steps[t - 1]) if t - 1 < len(steps) else None,
                    "direction": None, "trials": []},
            accuracy=accuracy,
        ))
    settings = {"algorithm": algorithm, "data": "local run"}
    if problem is not None:
        settings["problem"] = getattr(problem, "loss", None)
    return Replay(records, settings)
