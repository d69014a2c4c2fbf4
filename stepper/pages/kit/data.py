"""The lessons' data files, read with numpy on the driver (no Spark), and w* on one machine.

The 2-D data (``data/logistic2d_*.csv``, rows ``label,x1,x2``) is standardized with the training
set's means and deviations and given an intercept column, so the weights are w = (b, w₁, w₂):
lesson 1 runs on it in numpy, lesson 2 draws its contour from it before Spark has started.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from stepper.algorithms import Settings
from stepper.errors import DataError
from stepper.local import run_local
from stepper.problems import Problem

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def data_dir() -> str:
    """``$STEPPER_DATA_DIR`` if set, else the repository's ``data`` folder."""
    return os.environ.get("STEPPER_DATA_DIR") or os.path.join(ROOT, "data")


def read_labelled_csv(path: str) -> tuple[np.ndarray, np.ndarray]:
    """Rows ``label,x1,…`` (no header) as (X, y) with numpy; labels must be ±1."""
    if not os.path.exists(path):
        raise DataError("no such file", path=path)
    table = np.loadtxt(path, delimiter=",", ndmin=2)
    if table.shape[0] == 0 or table.shape[1] < 2:
        raise DataError("expected rows 'label,x1,x2,…' with at least one feature", path=path)
    y = table[:, 0]
    bad = np.flatnonzero(~np.isin(y, (-1.0, 1.0)))
    if bad.size:
        raise DataError(f"label {y[bad[0]]:g} is not −1 or +1", path=path, line=int(bad[0]) + 1,
                        column=1)
    return table[:, 1:], y


@dataclass(frozen=True)
class Data2D:
    """Training and test sets, standardized with the training statistics, intercept first."""

    X: np.ndarray
    y: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    raw: np.ndarray
    raw_test: np.ndarray
    mean: np.ndarray
    std: np.ndarray

    @property
    def mask(self) -> np.ndarray:
        """Penalized coordinates: all but the intercept."""
        return np.array([0.0, *np.ones(self.X.shape[1] - 1)])


def with_intercept(raw: np.ndarray, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
    """[1, (x − mean) / std] for every row."""
    return np.hstack([np.ones((raw.shape[0], 1)), (raw - mean) / std])


def load_2d(train: str | None = None, test: str | None = None) -> Data2D:
    """The workshop's 2-D data, standardized with the training set's statistics."""
    raw, y = read_labelled_csv(train or os.path.join(data_dir(), "logistic2d_train.csv"))
    raw_test, y_test = read_labelled_csv(test or os.path.join(data_dir(), "logistic2d_test.csv"))
    mean, std = raw.mean(axis=0), raw.std(axis=0)
    return Data2D(with_intercept(raw, mean, std), y, with_intercept(raw_test, mean, std), y_test,
                  raw, raw_test, mean, std)


def optimum_and_value(problem: Problem, X: np.ndarray, y: np.ndarray,
                      steps: int = 25) -> tuple[np.ndarray, float]:
    """(w*, J*) by ``steps`` full Newton steps in numpy (no Spark), the intercept (column 0)
    unpenalized: w_{k+1} = w_k − [∇²J(w_k)]⁻¹ ∇J(w_k), quadratic near w*."""
    path = run_local(problem, Settings(algorithm="newton", lr=1.0), X, y, steps, intercept=True)
    return path.weights[-1], float(path.objective[-1])


def optimum(problem: Problem, X: np.ndarray, y: np.ndarray, steps: int = 25) -> np.ndarray:
    """w* by Newton's method in numpy (no Spark), the intercept (column 0) unpenalized."""
    return optimum_and_value(problem, X, y, steps)[0]
