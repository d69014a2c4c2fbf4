"""The stepper on a real standalone cluster: the same numbers as local mode, and failures that
cost a retry but never a wrong step.

Killing "during an iteration" is made deterministic with a test-only ``partition_oracle``: on
attempt 0 of one chosen partition, while a flag file exists, it writes its process id (and its
executor) to a file and waits. The test waits for that file, kills the Python worker (or the
whole worker daemon with its executor) by process id, then removes the flag. Spark retries the
task (attempt 1, which does not wait), and the test compares the step with a run without failure.
The oracle computes the problem's own sums (``stepper.problems.logistic_sums``), so a run with it
is the same run as without it.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from cluster_scenarios import SCENARIOS, run

from stepper import GeneratorSpec, Problem, Stepper, from_generator
from stepper.algorithms import Settings

pytestmark = [pytest.mark.cluster, pytest.mark.timeout(300)]

TOLERANCE = 1e-12


# -- helpers ---------------------------------------------------------------------------------
def worker_of_executor(cluster: Any, app_id: str, executor_id: str) -> int | None:
    """Index of the worker that launched ``executor_id`` of application ``app_id``.

    A standalone worker runs each executor in ``<work dir>/<app id>/<executor id>``, and the
    cluster gives worker i the work dir ``<log_dir>/work/worker-i``.
    """
    for i in range(cluster.workers):
        if (cluster.log_dir / "work" / f"worker-{i}" / app_id / executor_id).is_dir():
            return i
    return None


def parent_of(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat[stat.rfind(")") + 2 :].split()[1])


def ancestors(pid: int) -> list[int]:
    chain = []
    parent = parent_of(pid)
    while parent and parent > 1:
        chain.append(parent)
        parent = parent_of(parent)
    return chain


def assert_same_steps(actual: list[Any], expected: list[Any]) -> None:
    """Same number of iterations; weights, objective and gradient norm equal to 1e-12."""
    assert len(actual) == len(expected)
    for mine, theirs in zip(actual, expected, strict=True):
        assert mine.iteration == theirs.iteration
        np.testing.assert_allclose(mine.weights, theirs.weights, rtol=TOLERANCE, atol=TOLERANCE)
        np.testing.assert_allclose(mine.objective, theirs.objective, rtol=TOLERANCE, atol=0)
        np.testing.assert_allclose(mine.grad_norm, theirs.grad_norm, rtol=TOLERANCE,
                                   atol=TOLERANCE)


def assert_each_partition_counted_once(record: Any, data: Any) -> None:
    """Nothing lost, nothing counted twice: every partition once, rows adding up to n."""
    indices = sorted(part["index"] for part in record.partitions)
    assert indices == list(range(data.partitions))
    assert [part["rows"] for part in sorted(record.partitions, key=lambda p: p["index"])] == (
        data.partition_rows
    )
    assert record.reduce["rows"] == data.rows
    level0 = record.reduce["levels"][0]["groups"]
    assert sorted(group["partitions"][0] for group in level0) == list(range(data.partitions))


def blocking_oracle(flags: str, target: int) -> Callable:
    """The logistic data term; attempt 0 of partition ``target`` waits while ``flags/armed``
    exists, after writing ``"<pid> <executor>"`` to ``flags/victim``.

    Built inside a function so that cloudpickle ships it by value (the executors cannot import
    this test module); everything it needs is imported inside.
    """

    def oracle(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, np.ndarray]:
        import os
        import time

        from pyspark import TaskContext

        from stepper.problems import logistic_sums
        from stepper.worker import executor_identity

        context = TaskContext.get()
        armed = os.path.join(flags, "armed")
        if (
            context is not None
            and context.partitionId() == target
            and context.attemptNumber() == 0
            and os.path.exists(armed)
        ):
            victim = os.path.join(flags, "victim")
            with open(victim + ".tmp", "w") as out:
                out.write(f"{os.getpid()} {executor_identity()}")
            os.replace(victim + ".tmp", victim)
            give_up = time.monotonic() + 180  # never hang forever if the test itself died
            while os.path.exists(armed) and time.monotonic() < give_up:
                time.sleep(0.05)
        sums = logistic_sums(X, y, w)
        return sums.loss, sums.gradient

    return oracle


FAILURE_DATA = GeneratorSpec(rows=20_000, features=6, seed=21)
FAILURE_PARTITIONS = 4
FAILURE_TARGET = 2  # the partition whose task is killed
FAILURE_SETTINGS = Settings(algorithm="momentum", lr=0.5)
FAILURE_PROBLEM = Problem("logistic", l2=0.01)


def failure_run(sc: Any, flags: Path) -> Stepper:
    data = from_generator(FAILURE_DATA, partitions=FAILURE_PARTITIONS, sc=sc)
    return Stepper(data, FAILURE_PROBLEM, FAILURE_SETTINGS,
                   partition_oracle=blocking_oracle(str(flags), FAILURE_TARGET))


def step_with_failure(run_: Stepper, flags: Path, kill: Callable[[int, str], Any]) -> Any:
    """``run_.step()`` in a thread; ``kill(pid, executor)`` once the target task waits."""
    armed, victim = flags / "armed", flags / "victim"
    victim.unlink(missing_ok=True)
    armed.write_text("kill me")
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["record"] = run_.step()
        except BaseException as exc:  # re-raised by the test thread
            outcome["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 120
        while not victim.exists():
            if not thread.is_alive():
                pytest.fail(f"the step ended before the target task waited: {outcome}")
            assert time.monotonic() < deadline, "the target task never started waiting"
            time.sleep(0.05)
        pid_text, executor = victim.read_text().split()
        outcome["killed"] = kill(int(pid_text), executor)
        outcome["victim"] = (int(pid_text), executor)
    finally:
        armed.unlink(missing_ok=True)  # a task left waiting (test failed) goes on at once
        thread.join(timeout=240)
    assert not thread.is_alive(), "the step did not finish after the kill"
    if "error" in outcome:
        raise outcome["error"]
    return outcome


# -- tests -------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_trajectory_on_the_cluster_equals_local_mode(
    name: str, cluster, cluster_spark, local_reference
) -> None:
    records = run(name, cluster_spark.sparkContext)
    expected = local_reference[name]

    assert_same_steps(records, expected)
    # the reference really ran in local mode, and this run really on the cluster's executors
    assert {p["executor"] for r in expected for p in r.partitions} == {"driver"}
    app_id = cluster_spark.sparkContext.applicationId
    workers = {
        worker_of_executor(cluster, app_id, p["executor"]) for r in records for p in r.partitions
    }
    assert workers == {0, 1}, f"partitions ran on workers {workers}"


def test_every_iteration_spreads_partitions_over_executors_of_both_workers(
    cluster, cluster_spark
) -> None:
    sc = cluster_spark.sparkContext
    data = from_generator(GeneratorSpec(rows=40_000, features=10, seed=1), partitions=4, sc=sc)
    run_ = Stepper(data, Problem("logistic", l2=0.01), Settings(algorithm="gd", lr=1.0))
    records = run_.run(3)

    app_id = sc.applicationId
    for record in records:
        executors = {part["executor"] for part in record.partitions}
        assert "driver" not in executors
        workers = {worker_of_executor(cluster, app_id, e) for e in executors}
        assert workers == {0, 1}, (record.iteration, executors, workers)
        assert_each_partition_counted_once(record, data)
        assert all(part["attempt"] == 0 for part in record.partitions)


def test_python_worker_killed_mid_iteration_is_retried_and_the_step_is_unchanged(
    cluster_spark, tmp_path: Path
) -> None:
    sc = cluster_spark.sparkContext
    reference = failure_run(sc, tmp_path)
    expected = reference.run(3)

    run_ = failure_run(sc, tmp_path)
    first = run_.step()

    def kill_python_worker(pid: int, executor: str) -> list[int]:
        os.kill(pid, signal.SIGKILL)  # the PySpark worker process running the task
        return [pid]

    outcome = step_with_failure(run_, tmp_path, kill_python_worker)
    second = outcome["record"]
    third = run_.step()

    killed_pid, killed_executor = outcome["victim"]
    assert killed_executor != "driver"
    retried = second.partitions[FAILURE_TARGET]
    assert retried["index"] == FAILURE_TARGET
    assert retried["attempt"] >= 1, retried  # the trace records the new attempt
    assert all(p["attempt"] == 0 for p in second.partitions if p["index"] != FAILURE_TARGET)
    assert all(p["attempt"] == 0 for p in [*first.partitions, *third.partitions])
    assert_each_partition_counted_once(second, run_.data)
    assert_same_steps([first, second, third], expected)
    np.testing.assert_allclose(retried["gradient"], expected[1].partitions[FAILURE_TARGET]
                               ["gradient"], rtol=TOLERANCE, atol=TOLERANCE)
    assert retried["loss"] == pytest.approx(expected[1].partitions[FAILURE_TARGET]["loss"],
                                            rel=TOLERANCE)
    from stepper.cluster import pid_alive

    assert not pid_alive(killed_pid)


def test_worker_killed_mid_iteration_the_task_moves_and_the_step_is_unchanged(
    cluster, cluster_spark, await_executors, tmp_path: Path
) -> None:
    sc = cluster_spark.sparkContext
    app_id = sc.applicationId
    reference = failure_run(sc, tmp_path)
    expected = reference.run(3)
    killed_worker: list[int] = []

    def kill_worker(pid: int, executor: str) -> list[int]:
        # the worker daemon whose descendant is the waiting Python worker
        chain = ancestors(pid)
        owners = [i for i, worker_pid in enumerate(cluster.worker_pids) if worker_pid in chain]
        assert len(owners) == 1, (pid, chain, cluster.worker_pids)
        assert worker_of_executor(cluster, app_id, executor) == owners[0]
        killed_worker.append(owners[0])
        return cluster.kill_worker(owners[0])  # worker JVM, executor JVM, Python daemon+workers

    try:
        run_ = failure_run(sc, tmp_path)
        first = run_.step()
        outcome = step_with_failure(run_, tmp_path, kill_worker)
        second = outcome["record"]
        third = run_.step()  # the cluster has one worker left: the run goes on

        killed_pid, killed_executor = outcome["victim"]
        assert killed_pid in outcome["killed"]
        retried = second.partitions[FAILURE_TARGET]
        assert retried["attempt"] >= 1, retried
        assert retried["executor"] != killed_executor
        survivor = 1 - killed_worker[0]
        assert worker_of_executor(cluster, app_id, retried["executor"]) == survivor
        assert {p["executor"] for p in third.partitions} == {retried["executor"]}
        assert_each_partition_counted_once(second, run_.data)
        assert_same_steps([first, second, third], expected)
        from stepper.cluster import pid_alive

        assert not any(pid_alive(pid) for pid in outcome["killed"])
    finally:
        # later tests expect two workers with an executor each
        if killed_worker:
            cluster.restart_worker(killed_worker[0])
            await_executors(2, timeout=120)
