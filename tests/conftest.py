"""Shared fixtures: one real SparkSession (local mode) for the whole test session.

The cluster tests (``-m cluster``) start their own JVM against a standalone cluster and run in a
separate pytest invocation (see the Makefile), since one process hosts one SparkContext.
"""

from __future__ import annotations

import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "data")


@pytest.fixture(scope="session")
def spark():
    from stepper.session import spark_session, start_fast_local

    if os.environ.get("STEPPER_TEST_FAST_SPARK") == "1":
        # the grader's short-lived configuration (archive from $STEPPER_SPARK_CDS, if set)
        session = start_fast_local(2, session=True)
    else:
        session = spark_session(master="local[2]", ui_port=None,
                                extra_conf={"spark.sql.shuffle.partitions": "4"})
    yield session
    session.stop()


@pytest.fixture(scope="session")
def sc(spark):
    return spark.sparkContext


@pytest.fixture(scope="session")
def data_path():
    return lambda name: os.path.join(DATA, name)


@pytest.fixture()
def python():
    return sys.executable


@pytest.fixture(scope="session")
def lesson_data(sc, data_path):
    """The workshop's 2-D training data on Spark, standardized, with an intercept column, in 4
    partitions (the lessons' preparation)."""
    from stepper import add_intercept, load_csv, standardize

    return add_intercept(standardize(load_csv(data_path("logistic2d_train.csv"), partitions=4,
                                              sc=sc)))


@pytest.fixture(scope="session")
def lesson_arrays(lesson_data):
    """The same rows as numpy arrays (X with its intercept column, y in ±1)."""
    return lesson_data.to_numpy()
