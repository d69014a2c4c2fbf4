"""Lesson 2's computations: the same result whatever the partitioning, settings from the URL."""

from __future__ import annotations

import os

import numpy as np
import pytest

from stepper.algorithms import Settings
from stepper.pages import lesson2_lab
from stepper.pages.kit.state_url import read_state
from stepper.problems import Problem


def test_settings_from_the_address():
    settings, partitions = lesson2_lab.settings_from_state(
        read_state("algorithm=momentum&lr=0.5&partitions=16&depth=3"), algorithm="gd",
        lr="1/L", depth=2, partitions=8)
    assert (settings.algorithm, settings.lr, settings.depth, partitions) == (
        "momentum", 0.5, 3, 16)


def test_impossible_settings_fall_back_with_a_note():
    state = read_state("algorithm=momentum&lr=armijo")
    settings, partitions = lesson2_lab.settings_from_state(state, algorithm="gd", lr="1/L",
                                                       partitions=8)
    assert (settings.algorithm, settings.lr, partitions) == ("gd", "1/L", 8)
    assert state.problems and "armijo" in state.problems[0]


def test_2d_data_is_standardized_with_an_intercept(data_2d):
    X, y = data_2d
    assert X.shape == (1000, 3)
    np.testing.assert_allclose(X[:, 0], 1.0)
    np.testing.assert_allclose(X[:, 1:].mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(X[:, 1:].std(axis=0), 1.0)
    assert set(np.unique(y)) == {-1.0, 1.0}


@pytest.mark.spark
def test_the_same_weights_whatever_the_partitioning(sc, data_2d):
    X, y = data_2d
    rows = lesson2_lab.compare_partitionings(X, y, (1, 3, 8), 2, Problem("logistic"),
                                         Settings(algorithm="gd", lr=1.0), sc=sc)
    assert [r.partitions for r in rows] == [1, 3, 8]
    for row in rows[1:]:
        np.testing.assert_allclose(row.weights, rows[0].weights, rtol=0, atol=1e-13)
    html = lesson2_lab.comparison_html(rows)
    assert html.count("<tr>") == 4


@pytest.mark.spark
def test_the_slow_partition_changes_time_not_numbers(sc, data_2d):
    X, y = data_2d
    problem = Problem("logistic")
    fast = lesson2_lab.make_stepper(X, y, 4, problem, Settings(lr=1.0), sc=sc)
    slow = lesson2_lab.make_stepper(X, y, 4, problem, Settings(lr=1.0), sc=sc)
    slow.partition_oracle = lesson2_lab.slow_partition_oracle(problem, 1, 0.05)
    np.testing.assert_allclose(fast.step().weights, slow.step().weights, rtol=0, atol=1e-15)


@pytest.mark.spark
@pytest.mark.slow
def test_churn_is_prepared_as_the_workshop_did(sc):
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    churn = lesson2_lab.prepare_churn(os.path.join(root, "data", "churn.csv"), sc=sc)
    assert churn.rows_before == 20000
    positives = int(np.sum(churn.X_test[:, 0] == 1))
    assert positives == churn.test.rows  # intercept column
    assert churn.train.features == 12 and churn.train.intercept
    # every churner kept, about 10 % of the others
    kept = churn.train.rows + churn.test.rows
    assert churn.churners < kept < churn.churners + 0.15 * (20000 - churn.churners)
