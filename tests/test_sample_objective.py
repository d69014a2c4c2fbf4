"""A sampled method with ``full_objective=False`` reports the sample's estimate of J: the mean
loss over the rows drawn (not their sum divided by all n), checked against numpy."""

from __future__ import annotations

import numpy as np
import pytest

from stepper import Problem, Settings, Stepper

pytestmark = pytest.mark.spark


def numpy_objective(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    return float(np.mean(np.logaddexp(0.0, -y * (X @ w))))


def test_estimate_at_zero_is_log_2_whatever_the_sample(lesson_data):
    run = Stepper(lesson_data, Problem("logistic"),
                  Settings(algorithm="minibatch", lr="1/L", batch_fraction=0.05,
                           full_objective=False))
    record = run.step()
    rows, drawn = record.reduce["rows"], record.reduce["objective_rows"]
    assert 0 < drawn < rows
    assert drawn == record.reduce["used_rows"]
    assert record.objective == pytest.approx(np.log(2.0), rel=1e-12)  # every ℓᵢ(0) = log 2


def test_estimate_over_every_row_is_the_full_objective(lesson_data, lesson_arrays):
    """Bernoulli sampling with fraction 1 draws every row: the estimate must be J itself."""
    X, y = lesson_arrays
    run = Stepper(lesson_data, Problem("logistic"),
                  Settings(algorithm="minibatch", lr="1/L", batch_fraction=1.0,
                           with_replacement=False, full_objective=False, init="random", seed=3))
    w = run.weights.copy()
    record = run.step()
    assert record.reduce["objective_rows"] == X.shape[0]
    assert record.objective == pytest.approx(numpy_objective(X, y, w), rel=1e-12)


def test_full_objective_on_reports_all_rows(lesson_data, lesson_arrays):
    X, y = lesson_arrays
    run = Stepper(lesson_data, Problem("logistic"),
                  Settings(algorithm="minibatch", lr="1/L", batch_fraction=0.05, init="random",
                           seed=3))
    w = run.weights.copy()
    record = run.step()
    assert record.reduce["objective_rows"] == X.shape[0]
    assert record.objective == pytest.approx(numpy_objective(X, y, w), rel=1e-12)
