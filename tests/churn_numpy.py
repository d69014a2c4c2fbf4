"""The churn file prepared in numpy, independently of the engine (lesson 4's tests)."""

from __future__ import annotations

import os

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def churn_arrays(keep: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The churn file in numpy (no Spark): every churner and ``keep`` of the others,
    standardized, an intercept first, labels ±1 (the lesson's preparation, done independently)."""
    table = np.genfromtxt(os.path.join(ROOT, "data", "churn.csv"), delimiter=",", skip_header=1)
    labels, features = table[:, 1], table[:, 2:]
    rng = np.random.default_rng(seed)
    chosen = (labels == 1) | (rng.random(labels.size) < keep)
    X, y = features[chosen], np.where(labels[chosen] == 1, 1.0, -1.0)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    return np.hstack([np.ones((X.shape[0], 1)), X]), y
