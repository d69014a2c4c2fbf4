"""Fixtures for tests on a real Spark standalone cluster (master + 2 workers on 127.0.0.1).

Run these in their own pytest process::

    pytest tests/cluster -m cluster -q -p no:cacheprovider

Why their own process: one JVM hosts one SparkContext. The local-mode tests keep a
``local[...]`` session open for the whole run; the ``cluster_spark`` fixture below stops any
active session before it connects to the cluster, so running both kinds in one process would
pull the session from under the local tests. The rest of the suite runs with
``-m "not cluster"``.

Fixtures
    ``cluster``        a :class:`stepper.cluster.LocalCluster` (2 workers x 1 core x 1 GiB),
                       started once per session and stopped by process id at the end, even when
                       tests fail or the session is interrupted; the teardown then errors if any
                       process of the cluster (daemon, executor, PySpark worker) is still alive.
    ``cluster_spark``  a SparkSession whose master is that cluster, with both executors
                       registered before the first test runs.
    ``local_reference`` the runs of ``cluster_scenarios.py`` in ``local[2]`` mode (computed
                       in this process before ``cluster_spark`` starts), to compare with.

Tests of the engine on a real cluster belong in this directory (for example
``tests/cluster/test_engine_on_cluster.py``): use ``cluster_spark``; every test collected under
``tests/cluster`` is marked ``cluster`` automatically. A test that kills a worker must bring it
back (``cluster.restart_worker(i)``, then the ``await_executors`` fixture) so later tests see
two executors again.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from stepper.cluster import LocalCluster

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

    from stepper.trace import IterationRecord

WORKERS = 2
CLUSTER_DIR = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test under tests/cluster with ``cluster`` (so ``-m "not cluster"`` skips it)."""
    for item in items:
        if CLUSTER_DIR in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.cluster)


def stop_active_spark() -> None:
    """Stop a SparkSession/SparkContext this process already runs (one SparkContext per JVM)."""
    from pyspark import SparkContext
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        active.stop()
    context = SparkContext._active_spark_context
    if context is not None:
        context.stop()


def executor_count(spark: SparkSession) -> int:
    """Executors registered with the driver (the driver's own block manager not counted)."""
    return spark.sparkContext._jsc.sc().getExecutorMemoryStatus().size() - 1


def wait_for_executors(spark: SparkSession, count: int = WORKERS, timeout: float = 60.0) -> None:
    """Block until ``count`` executors are registered, or fail the test after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while executor_count(spark) < count:
        if time.monotonic() > deadline:
            pytest.fail(f"only {executor_count(spark)} of {count} executors after {timeout:.0f} s")
        time.sleep(0.2)


def _cmdline(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    return raw.replace(b"\0", b" ").decode(errors="replace")


def _cwd(pid: int) -> str:
    try:
        return os.readlink(f"/proc/{pid}/cwd")
    except OSError:
        return ""


def stray_processes(log_dir: Path | None, master_url: str | None) -> list[str]:
    """Live processes of a stopped cluster, as ``pid: command`` lines.

    Belonging means: a process (a master, worker or executor JVM, a PySpark daemon or one of its
    forked workers) whose command line names the cluster's master URL or log directory, or
    whose working directory is inside that directory (every daemon starts there, every executor
    and its Python workers run under ``<log_dir>/work``). Processes of other people on the
    machine (other Spark applications, other JVMs) never match, and a recycled process id does
    not either; nor does the test driver's JVM (its command line names neither, and it runs in
    the project directory).
    """
    from stepper.cluster import pid_alive

    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        if not pid_alive(pid):
            continue
        command = _cmdline(pid)
        cwd = _cwd(pid)
        if (
            (master_url is not None and master_url in command.split())
            or (log_dir is not None and (str(log_dir) in command or cwd.startswith(str(log_dir))))
        ):
            found.append(f"{pid}: {command[:200]}")
    return found


@pytest.fixture(scope="session")
def cluster() -> Iterator[LocalCluster]:
    """A running 2-worker standalone cluster; every process it started is gone afterwards.

    The teardown stops the cluster by process id (whatever the tests did), then fails the run
    (an error at teardown) if any process of the cluster, master, worker, executor JVM or
    PySpark daemon, is still alive after a grace period.
    """
    stop_active_spark()
    local = LocalCluster(workers=WORKERS, cores_per_worker=1, memory="1g", host="127.0.0.1")
    log_dir: Path | None = None
    master_url: str | None = None
    try:
        local.start()
        log_dir, master_url = local.log_dir, local.master_url
        yield local
    finally:
        local.stop()
    deadline = time.monotonic() + 15
    stray = stray_processes(log_dir, master_url)
    while stray and time.monotonic() < deadline:
        time.sleep(0.2)
        stray = stray_processes(log_dir, master_url)
    assert not stray, "processes of the test cluster still alive after stop():\n" + "\n".join(
        stray
    )


@pytest.fixture(scope="session")
def local_reference() -> dict[str, list[IterationRecord]]:
    """The runs of ``cluster_scenarios.SCENARIOS`` in ``local[2]`` mode, by scenario name.

    They run in this process *before* the cluster session starts (``cluster_spark`` depends on
    this fixture): one JVM hosts one SparkContext at a time, and reusing the JVM for both saves
    starting a second one.
    """
    from cluster_scenarios import SCENARIOS, run

    from stepper.session import spark_session

    stop_active_spark()
    spark = spark_session(master="local[2]", app_name="stepper-local-reference", ui_port=None)
    try:
        return {name: run(name, spark.sparkContext) for name in SCENARIOS}
    finally:
        spark.stop()


@pytest.fixture(scope="session")
def cluster_spark(
    cluster: LocalCluster, local_reference: dict[str, list[IterationRecord]]
) -> Iterator[SparkSession]:
    """A SparkSession on ``cluster`` (stopped before the cluster is, since it depends on it)."""
    from stepper.session import spark_session

    stop_active_spark()
    spark = None
    try:
        spark = spark_session(
            master=cluster.master_url,
            app_name="stepper-cluster-tests",
            ui_port=None,
            extra_conf={
                "spark.executor.memory": "1g",
                "spark.cores.max": str(WORKERS),
                "spark.task.maxFailures": "4",
                # Keep the driver on loopback like the cluster (else it binds to eth0).
                "spark.driver.host": cluster.host,
                "spark.driver.bindAddress": cluster.host,
                # Do not schedule the first job before both executors have registered.
                "spark.scheduler.minRegisteredResourcesRatio": "1.0",
            },
        )
        wait_for_executors(spark)
        yield spark
    finally:
        if spark is not None:
            spark.stop()


@pytest.fixture
def await_executors(cluster_spark: SparkSession) -> Callable[..., None]:
    """``await_executors(count=2, timeout=60)``: wait until the session has ``count`` executors."""

    def wait(count: int = WORKERS, timeout: float = 60.0) -> None:
        wait_for_executors(cluster_spark, count, timeout)

    return wait
