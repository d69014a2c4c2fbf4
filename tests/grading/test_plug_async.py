"""Set 4's functions next to the engine (stepper.grade.plug_async): the solved ``tree_shape``
gives the tree a real treeAggregate built in a Stepper iteration, the solved ``stale_sgd``
replays the simulated parameter server, and the likely mistake (the gradient at w_t) is
caught."""

from __future__ import annotations

import pytest
from grading_helpers import FIXTURES, ROOT
from test_plug import namespace

from stepper import GeneratorSpec, Problem, Stepper, from_generator
from stepper.algorithms import async_sgd
from stepper.grade.plug import NotReady
from stepper.grade.plug_async import replay_stale_sgd, tree_widths

pytestmark = pytest.mark.spark

SOLVED = ROOT / "solutions" / "04_costs_and_synchrony.ipynb"


def equal_speeds(workers: int):
    return async_sgd(workers=workers, jitter=0.0, worker_spread=0.0, stragglers=0.0,
                     updates_per_iteration=1)


@pytest.mark.parametrize(("partitions", "depth"), [(8, 3), (12, 3), (6, 1)])
def test_solved_tree_shape_is_the_tree_spark_builds(sc, partitions, depth):
    tree_shape = namespace(SOLVED)["tree_shape"]
    data = from_generator(GeneratorSpec(rows=96, features=3, seed=4), partitions=partitions,
                          sc=sc)
    record = Stepper(data, Problem(), lr=0.5, depth=depth).step()
    assert tree_widths(record) == tree_shape(partitions, depth)[1]
    assert record.reduce["scale"] == tree_shape(partitions, depth)[0]


@pytest.fixture(scope="module")
def data(sc):
    return from_generator(GeneratorSpec(rows=120, features=3, seed=5), partitions=3, sc=sc)


@pytest.mark.parametrize("workers", [1, 3])
def test_solved_stale_sgd_replays_the_simulated_parameter_server(data, workers):
    run = Stepper(data, Problem(), algorithm=equal_speeds(workers), lr=0.5)
    run.run(12)
    stalenesses = [e["staleness"] for r in run.records for e in r.update["simulated_events"]]
    assert stalenesses[workers:] == [workers - 1] * (12 - workers)
    replayed = replay_stale_sgd(run, namespace(SOLVED))
    assert replayed.ok, str(replayed)
    assert f"at all 12 updates (τ = {workers - 1}" in str(replayed)


def test_gradient_at_the_current_weights_is_caught(data):
    run = Stepper(data, Problem(), algorithm=equal_speeds(3), lr=0.5)
    run.run(6)
    replayed = replay_stale_sgd(run, namespace(FIXTURES / "04_stale_at_current_w.ipynb"))
    assert not replayed.ok
    assert "update 2: the gradient was asked at" in str(replayed), str(replayed)


def test_replay_refuses_what_it_cannot_replay(data):
    jittery = Stepper(data, Problem(), algorithm=async_sgd(workers=3), lr=0.5)
    jittery.run(1)
    assert "equally fast workers" in str(replay_stale_sgd(jittery, namespace(SOLVED)))
    gd = Stepper(data, Problem(), lr=0.5)
    gd.run(1)
    assert "async_sgd" in str(replay_stale_sgd(gd, namespace(SOLVED)))
    untouched = Stepper(data, Problem(), algorithm=equal_speeds(2), lr=0.5)
    untouched.run(1)
    with pytest.raises(NotReady, match=r"`stale_sgd` \(Task 4.4\)"):
        replay_stale_sgd(untouched, namespace(ROOT / "exercises" / "04_costs_and_synchrony.ipynb"))
