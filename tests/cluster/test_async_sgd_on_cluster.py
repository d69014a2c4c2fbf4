"""Simulated asynchronous SGD on a real standalone cluster: the rows generated inside the workers
are collected to the driver once, in partition order, and the driver's simulation then gives the
same iterates as the one-machine run on the same rows generated here with numpy."""

from __future__ import annotations

import numpy as np
import pytest

from stepper import GeneratorSpec, Problem, Stepper, from_generator
from stepper.algorithms import Settings, async_sgd
from stepper.data.synthetic import generate_rows
from stepper.local import run_local

pytestmark = [pytest.mark.cluster, pytest.mark.timeout(300)]


@pytest.mark.parametrize("variant", ["ps", "hogwild"])
def test_simulation_on_rows_collected_from_the_cluster_equals_one_machine(cluster_spark, variant):
    spec = GeneratorSpec(rows=3000, features=40, seed=5, density=0.1)
    data = from_generator(spec, partitions=4, sc=cluster_spark.sparkContext)
    method = async_sgd(workers=6, variant=variant, stragglers=0.2)
    problem = Problem("logistic", l2=0.01)
    settings = Settings(algorithm=method, seed=2)
    records = Stepper(data, problem, settings).run(4)
    X, y = generate_rows(spec, 0, spec.rows)
    local = run_local(problem, settings, X, y, 4)
    np.testing.assert_array_equal(np.asarray([r.weights for r in records]), local.weights[1:])
    assert [r.jobs for r in records[1:]] == [0, 0, 0]  # collected once, then the driver alone
    events = [e for r in records for e in r.update["simulated_events"]]
    assert [e["update"] for e in events] == list(range(1, 25))
