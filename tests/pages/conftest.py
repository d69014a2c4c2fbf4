"""Records for the UI tests: a real run on one machine, and iterations of a real Stepper."""

from __future__ import annotations

import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(scope="session")
def data_2d():
    from stepper.pages.kit.data import load_2d

    data = load_2d(os.path.join(ROOT, "data", "logistic2d_train.csv"))
    return data.X, data.y


@pytest.fixture(scope="session")
def local_replay(data_2d):
    """12 iterations of gradient descent on one machine (numpy), as a Replay."""
    from stepper.algorithms import Settings
    from stepper.local import run_local
    from stepper.pages.kit.local_replay import replay_from_local
    from stepper.problems import Problem

    X, y = data_2d
    problem = Problem("logistic")
    path = run_local(problem, Settings(algorithm="gd", lr=1.0), X, y, 12, intercept=True)
    return replay_from_local(path, problem, X, y, algorithm="gd")


@pytest.fixture(scope="session")
def spark_records(sc, data_2d):
    """Iterations of a real Stepper on 8 partitions, tree depth 2 (recorded by Spark)."""
    from stepper.algorithms import Settings
    from stepper.pages.lesson2_lab import make_stepper
    from stepper.problems import Problem

    X, y = data_2d
    run = make_stepper(X, y, 8, Problem("logistic"), Settings(algorithm="gd", lr=1.0, depth=2),
                       sc=sc)
    records = run.run(3)
    return run, records



@pytest.fixture()
def starting_app():
    """A live app whose start (the JVM's, in a page) waits until ``gate`` is set, then fails
    with "no Spark in this test"; returned once its status shows the seconds waited."""
    import threading
    import time

    from stepper.pages.kit.app import LessonApp

    gate = threading.Event()

    def slow_start():
        gate.wait(120)
        raise RuntimeError("no Spark in this test")

    app = LessonApp.live(slow_start, features=3, views=("loss",))
    deadline = time.monotonic() + 60
    while "stepper-elapsed" not in app.controls.status.value and time.monotonic() < deadline:
        time.sleep(0.1)
    yield app, gate
    gate.set()
