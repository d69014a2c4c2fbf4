"""Injected faults (seeded task delays, a failing task) and the spectral step, on real Spark.

A retried failure needs a master that retries (``local[N,F]``); the session fixture is
``local[2]`` and one JVM hosts one SparkContext, so that test runs a small script in a fresh
Python process with ``STEPPER_MASTER=local[2,3]`` and reads the JSON it prints.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import textwrap

import numpy as np
import pytest

from stepper import ConfigError, Problem, Stepper, StepperError, from_numpy
from stepper.faults import TaskDelay, TaskFailure

pytestmark = pytest.mark.spark

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def logistic_rows(rows: int, features: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(rows, features))
    w_true = rng.normal(size=features)
    y = np.where(rng.random(rows) < 1.0 / (1.0 + np.exp(-X @ w_true)), 1.0, -1.0)
    return X, y


@pytest.fixture(scope="module")
def small(sc):
    X, y = logistic_rows(400, 3, seed=5)
    return from_numpy(X, y, partitions=4, sc=sc), X, y


# -- delays ------------------------------------------------------------------------------------
def test_seeded_delays_repeat_and_show_in_the_record(small):
    data, _X, _y = small
    delay = TaskDelay(mean=0.05, kind="uniform", seed=11)  # U(0, 0.1 s)
    problem = Problem("logistic", l2=0.01)
    plain = Stepper(data, problem, algorithm="gd", lr=0.5).run(2)
    runs = [Stepper(data, problem, algorithm="gd", lr=0.5, task_delay=delay).run(2)
            for _ in range(2)]
    again = TaskDelay(mean=0.05, kind="uniform", seed=11)
    drawn = [[again.seconds(t, p) for p in range(4)] for t in (1, 2)]
    assert drawn == [[delay.seconds(t, p) for p in range(4)] for t in (1, 2)]  # same every run
    assert len({d for row in drawn for d in row}) == 8  # …and different per task
    assert all(0 <= d <= 0.1 for row in drawn for d in row)
    assert drawn != [[TaskDelay(mean=0.05, kind="uniform", seed=12).seconds(t, p)
                      for p in range(4)] for t in (1, 2)]
    for records in runs:
        for t, record in enumerate(records, start=1):
            tasks = sorted(record.partitions, key=lambda info: info["index"])
            for p, info in enumerate(tasks):
                assert info["seconds"] >= drawn[t - 1][p]
                assert info["end"] - info["start"] >= drawn[t - 1][p]
            # the barrier: the iteration's map time is its slowest task, at least the largest delay
            assert record.timing["map"] >= max(drawn[t - 1])
            assert record.timing["total"] >= max(drawn[t - 1])
    for records in runs:  # a delay changes the time, never the numbers
        np.testing.assert_array_equal([r.weights for r in records], [r.weights for r in plain])


# -- failures ----------------------------------------------------------------------------------
def test_a_failure_on_a_partition_that_does_not_exist_is_refused_before_spark_runs(small):
    data, _X, _y = small
    jobs = data.jobs
    with pytest.raises(ConfigError) as error:
        Stepper(data, Problem("logistic"), algorithm="gd", lr=0.5,
                task_failure=TaskFailure(partition=4, iteration=1))
    assert error.value.parameter == "fail partition"
    assert "0 to 3" in str(error.value)
    assert data.jobs == jobs


def test_a_failure_without_retries_is_one_clear_line(small):
    data, _X, _y = small
    run = Stepper(data, Problem("logistic"), algorithm="gd", lr=0.5,
                  task_failure=TaskFailure(partition=2, iteration=2))
    run.step()  # iteration 1 is not the one that fails
    with pytest.raises(StepperError) as error:
        run.step()
    message = str(error.value)
    assert "\n" not in message
    assert "partition 2" in message and "iteration 2" in message
    assert "local[N,F]" in message
    assert "Py4J" not in message and "Traceback" not in message
    assert error.value.__cause__ is None and error.value.__suppress_context__
    assert len(run.records) == 1  # the failed iteration left nothing behind


RETRY_SCRIPT = textwrap.dedent("""
    import json
    import numpy as np
    from stepper import Problem, Stepper, from_numpy, spark_session
    from stepper.faults import TaskFailure

    spark = spark_session(ui_port=None)
    rng = np.random.default_rng(5)
    X = rng.normal(size=(300, 3))
    y = np.where(rng.random(300) < 1 / (1 + np.exp(-X @ np.array([1.0, -2.0, 0.5]))), 1.0, -1.0)
    data = from_numpy(X, y, partitions=4)
    problem = Problem("logistic", l2=0.01)
    runs = {}
    for name, failure in (("plain", None), ("failed", TaskFailure(partition=1, iteration=2))):
        records = Stepper(data, problem, algorithm="gd", lr=0.5, task_failure=failure).run(3)
        runs[name] = {
            "weights": [r.weights.tolist() for r in records],
            "objective": [r.objective for r in records],
            "attempts": [{str(p["index"]): p["attempt"] for p in r.partitions} for r in records],
        }
    print(json.dumps({"master": spark.sparkContext.master, **runs}))
    spark.stop()
""")


@pytest.mark.slow
def test_a_retried_failure_gives_the_same_numbers(python, tmp_path):
    script = tmp_path / "retry.py"
    script.write_text(RETRY_SCRIPT)
    env = {**os.environ, "STEPPER_MASTER": "local[2,3]", "PYTHONPATH": ROOT}
    done = subprocess.run([python, str(script)], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["master"] == "local[2,3]"
    assert result["failed"]["weights"] == result["plain"]["weights"]  # bit for bit
    assert result["failed"]["objective"] == result["plain"]["objective"]
    assert result["plain"]["attempts"] == [{str(p): 0 for p in range(4)}] * 3
    # Spark's attemptNumber is 0-based: the retry of partition 1 in iteration 2 is attempt 1
    assert result["failed"]["attempts"] == [{"0": 0, "1": 0, "2": 0, "3": 0},
                                            {"0": 0, "1": 1, "2": 0, "3": 0},
                                            {"0": 0, "1": 0, "2": 0, "3": 0}]


# -- the spectral step -------------------------------------------------------------------------
def test_the_spectral_step_is_the_exact_lipschitz_step_and_gd_converges_with_it(small):
    from sklearn.linear_model import LogisticRegression

    data, X, y = small
    lam = 0.05
    n = len(y)
    spectral = 1.0 / (np.linalg.eigvalsh(0.25 * X.T @ X / n + lam * np.eye(3))[-1])
    safe = 1.0 / (0.25 * np.max(np.sum(X * X, axis=1)) + lam)
    run = Stepper(data, Problem("logistic", l2=lam), algorithm="gd", lr="spectral")
    records = run.run(60)
    assert records[0].update["step_size"] == pytest.approx(spectral, rel=1e-12)
    bound = Stepper(data, Problem("logistic", l2=lam), algorithm="gd", lr="1/L").step()
    assert bound.update["step_size"] == pytest.approx(safe, rel=1e-12)
    assert spectral >= safe
    assert records[0].update["step_size"] >= bound.update["step_size"]
    objectives = [r.objective for r in records]
    # each step descends (to rounding, once converged)
    assert all(b <= a + 1e-15 * abs(a) for a, b in itertools.pairwise(objectives))
    model = LogisticRegression(C=1.0 / (n * lam), fit_intercept=False, tol=1e-12, max_iter=10_000)
    reference = model.fit(X, y).coef_.ravel()
    np.testing.assert_allclose(run.weights, reference, rtol=1e-6, atol=1e-8)
