"""Phases of an iteration, the readout, and the per-partition quantities the views draw."""

from __future__ import annotations

import numpy as np
import pytest

from stepper.pages.phases import (
    START,
    Position,
    partition_gradients,
    partition_shares,
    phases_of,
    readout_text,
    revealed_partitions,
)


def test_iteration_zero_is_the_start():
    phases = phases_of(None)
    assert phases == [START]
    assert readout_text(Position(0, 0), phases) == "Iteration 0 · start"


def test_a_local_record_has_the_update_only(local_replay):
    record = local_replay.recorded[0]
    phases = phases_of(record, "gd")
    assert [p.kind for p in phases] == ["update"]
    assert readout_text(Position(1, 0), phases) == "Iteration 1 · update"
    assert "w ← w − η∇J" in phases[0].narration


@pytest.mark.spark
def test_a_spark_record_walks_broadcast_map_reduce_update(spark_records):
    _run, records = spark_records
    phases = phases_of(records[0], "gd")
    kinds = [p.kind for p in phases]
    # 8 partitions, depth 2: treeAggregate adds one executor level, then the driver's reduce
    assert kinds == ["broadcast"] + ["map"] * 8 + ["reduce", "reduce", "update"]
    assert readout_text(Position(1, 3), phases) == "Iteration 1 · map: partition 3 of 8"
    assert readout_text(Position(1, 9), phases) == "Iteration 1 · reduce: level 1 of 2 (executors)"
    assert readout_text(Position(1, 10), phases) == "Iteration 1 · reduce: level 2 of 2 (driver)"
    assert readout_text(Position(1, 11), phases) == "Iteration 1 · update"
    assert "bytes" in phases[0].narration
    assert "125 rows" in phases[1].narration


@pytest.mark.spark
def test_partition_arrows_add_up_to_the_gradient_step(spark_records):
    _run, records = spark_records
    record = records[0]
    shares = partition_shares(record)
    assert len(shares) == 8
    eta = record.update["step_size"]
    gradient = np.asarray(record.update["gradient"])  # no regularization here: Σ∇J_p/n
    np.testing.assert_allclose(np.sum(shares, axis=0), -eta * gradient, atol=1e-12)
    grads = partition_gradients(record, upto=3)
    assert np.all(grads[3:] == 0) and np.any(grads[:3] != 0)


def test_revealed_partitions_follow_the_map_phases():
    from stepper.pages.phases import Phase

    assert revealed_partitions(START) == 0
    assert revealed_partitions(Phase("map", 2, 8, "", "")) == 3
    assert revealed_partitions(Phase("update", 0, 1, "", "")) > 8
