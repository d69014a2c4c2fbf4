"""Runs of the stepper that must give the same numbers on a cluster as in local mode.

The ``local_reference`` fixture (conftest.py) runs each scenario in ``local[2]`` mode before
the cluster session starts; ``test_engine_on_cluster.py`` runs it again on the standalone cluster
and compares.

Every scenario goes through the public API (loaders, prepare, Problem, Stepper) and through a
different part of the engine: generated data rebuilt inside the workers, a CSV read by Spark
(parsed blocks persisted by Spark, spilled to the executors' local directories), a reduce with
an extra tree level (a shuffle between executors), a mini-batch sampled inside each partition,
and Newton's Hessian; local SGD's own local steps (seeded mini-batches, L1 prox, server
momentum) on non-IID generated rows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stepper.algorithms import local_sgd

ROOT = Path(__file__).resolve().parents[2]
LESSON_CSV = ROOT / "data" / "logistic2d_train.csv"

SCENARIOS: dict[str, dict[str, Any]] = {
    # gradient descent with the 1/L step (L computed by a Spark job), 4 partitions
    "gd_generated": {
        "data": ("generated", {"rows": 40_000, "features": 8, "seed": 3}),
        "partitions": 4,
        "problem": {"loss": "logistic", "l2": 0.01},
        "settings": {"algorithm": "gd", "lr": "1/L"},
        "steps": 5,
    },
    # Nesterov; 8 partitions with depth 3 make treeAggregate add a level (a shuffle)
    "nesterov_tree": {
        "data": ("generated", {"rows": 24_000, "features": 5, "seed": 7}),
        "partitions": 8,
        "problem": {"loss": "logistic", "l2": 0.001},
        "settings": {"algorithm": "nesterov", "lr": "1/L", "depth": 3},
        "steps": 5,
    },
    # mini-batch: each partition samples its own rows with Spark's sampler and the run's seed
    "minibatch_generated": {
        "data": ("generated", {"rows": 30_000, "features": 6, "seed": 11}),
        "partitions": 6,
        "problem": {"loss": "logistic", "l2": 0.005},
        "settings": {"algorithm": "minibatch", "lr": 0.5, "batch_fraction": 0.05, "seed": 5},
        "steps": 5,
    },
    # the lesson's path: CSV read by Spark, standardized, intercept, Newton
    "newton_csv": {
        "data": ("csv", {"path": str(LESSON_CSV)}),
        "partitions": 4,
        "problem": {"loss": "logistic", "l2": 0.005},
        "settings": {"algorithm": "newton", "lr": 1.0},
        "steps": 4,
    },
    # local SGD: 5 local steps of 32-row mini-batches drawn in each partition from (seed, t, p),
    # L1 prox in the local steps, server momentum; rows grouped by label (non-IID generator)
    "local_sgd_non_iid": {
        "data": ("generated", {"rows": 12_000, "features": 5, "seed": 13, "non_iid": True}),
        "partitions": 4,
        "problem": {"loss": "logistic", "l2": 0.01, "l1": 0.002},
        "settings": {"algorithm": local_sgd(local_steps=5, batch=32, server_momentum=0.5),
                     "lr": "1/L", "seed": 4},
        "steps": 5,
    },
}


def load(name: str, sc: Any) -> Any:
    """The scenario's Dataset on ``sc``."""
    from stepper import GeneratorSpec, add_intercept, from_generator, load_csv, standardize

    scenario = SCENARIOS[name]
    kind, args = scenario["data"]
    partitions = scenario["partitions"]
    if kind == "generated":
        return from_generator(GeneratorSpec(**args), partitions=partitions, sc=sc)
    return add_intercept(standardize(load_csv(args["path"], partitions=partitions, sc=sc)))


def make_stepper(name: str, sc: Any) -> Any:
    """A fresh Stepper for the scenario (nothing computed yet)."""
    from stepper import Problem, Stepper
    from stepper.algorithms import Settings

    scenario = SCENARIOS[name]
    return Stepper(load(name, sc), Problem(**scenario["problem"]),
                   Settings(**scenario["settings"]))


def run(name: str, sc: Any) -> list[Any]:
    """The scenario's iteration records."""
    return make_stepper(name, sc).run(SCENARIOS[name]["steps"])
