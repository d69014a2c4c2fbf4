"""Local SGD on a real standalone cluster: the same numbers as in local mode and as the
one-process reference, with every partition's local steps run on the cluster's executors.

The scenario (``cluster_scenarios.SCENARIOS["local_sgd_non_iid"]``) exercises what local SGD
adds to the engine: generated non-IID rows rebuilt inside the workers, mini-batches drawn inside
each task from (seed, t, p), the L1 prox in the local steps, and the server momentum on the
driver.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from cluster_scenarios import SCENARIOS, load, run

from stepper import Problem
from stepper.algorithms import Settings
from stepper.local import run_local

pytestmark = [pytest.mark.cluster, pytest.mark.timeout(900)]  # the session fixtures
# (local-mode reference runs, cluster start) may be set up inside the first test here

NAME = "local_sgd_non_iid"
TOLERANCE = 1e-12


def worker_of_executor(cluster: Any, app_id: str, executor_id: str) -> int | None:
    """Index of the worker whose work dir holds ``<app id>/<executor id>``."""
    for i in range(cluster.workers):
        if (cluster.log_dir / "work" / f"worker-{i}" / app_id / executor_id).is_dir():
            return i
    return None


def test_local_sgd_on_the_cluster_equals_local_mode(cluster, cluster_spark, local_reference):
    sc = cluster_spark.sparkContext
    records = run(NAME, sc)
    expected = local_reference[NAME]
    assert len(records) == len(expected) == SCENARIOS[NAME]["steps"]
    for mine, theirs in zip(records, expected, strict=True):
        np.testing.assert_allclose(mine.weights, theirs.weights, rtol=0, atol=TOLERANCE)
        np.testing.assert_allclose(mine.objective, theirs.objective, rtol=TOLERANCE)
        # the partitions' local models, not only the totals, are the same
        for a, b in zip(sorted(mine.partitions, key=lambda p: p["index"]),
                        sorted(theirs.partitions, key=lambda p: p["index"]), strict=True):
            np.testing.assert_allclose(a["model_sum"], b["model_sum"], rtol=0, atol=1e-9)
    assert {p["executor"] for r in expected for p in r.partitions} == {"driver"}
    app_id = sc.applicationId
    workers = {worker_of_executor(cluster, app_id, p["executor"])
               for r in records for p in r.partitions}
    assert workers == {0, 1}, f"partitions ran on workers {workers}"


def test_local_sgd_on_the_cluster_equals_the_one_process_reference(cluster_spark):
    scenario = SCENARIOS[NAME]
    data = load(NAME, cluster_spark.sparkContext)
    X, y = data.to_numpy()
    problem, settings = Problem(**scenario["problem"]), Settings(**scenario["settings"])
    path = run_local(problem, settings, X, y, scenario["steps"], partitions=data.partitions)
    records = run(NAME, cluster_spark.sparkContext)
    np.testing.assert_allclose(np.array([r.weights for r in records]), path.weights[1:],
                               rtol=0, atol=TOLERANCE)
    # non-IID: every partition holds one class
    assert [sorted(set(data_y.tolist())) for data_y in
            data.map_partitions(lambda _p, block: block.y)] == [[-1.0], [-1.0], [1.0], [1.0]]
