"""Lesson 3's failure demo on a real standalone cluster (the master a page has when it runs on
one): the injected failure makes partition 2's task of iteration 2 fail once, Spark retries it
on an executor (``spark.task.maxFailures``), and the weights are those of a run without the
failure and of numpy's gradient descent on the same generated rows.

On ``local[N]`` the page makes the master ``local[N,4]`` so that the task is retried there too;
the browser test of lesson 3 runs the demo that way (attempt 2 shown in the page)."""

from __future__ import annotations

import numpy as np
import pytest

from stepper.data.synthetic import GeneratorSpec, generate_rows
from stepper.pages import lesson3_lab

pytestmark = [pytest.mark.cluster, pytest.mark.timeout(300)]


def test_the_failure_demo_retries_on_the_cluster_with_numpys_numbers(cluster_spark) -> None:
    sc = cluster_spark.sparkContext
    result = lesson3_lab.failure_demo(sc, 2, partitions=4, rows=300)
    assert result["master"].startswith("spark://")
    assert result["attempts"] == [1, 1, 2, 1]  # partition 2 ran twice in iteration 2
    np.testing.assert_allclose(result["weights"], result["plain_weights"], rtol=1e-12)
    # numpy's gradient descent on the same rows: J = mean log(1 + e^{−y xw}) + λ/2‖w‖², η = 1
    X, y = generate_rows(GeneratorSpec(rows=300, features=5, seed=3), 0, 300)
    w = np.zeros(5)
    for _ in range(3):
        margins = y * (X @ w)
        gradient = -(X.T @ (y / (1.0 + np.exp(margins)))) / 300 + 1e-3 * w
        w = w - 1.0 * gradient
    np.testing.assert_allclose(result["weights"], w, rtol=1e-10)
