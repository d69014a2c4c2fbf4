"""A real standalone cluster behaves as the lessons say: tasks spread over executors, a crashed
Python worker or a lost machine costs a retry but never a wrong answer, and nothing outlives it.

Task functions are defined inside the tests so that they travel to the executors by value
(module-level functions of a test file would be pickled by reference to a module the executors
cannot import).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from stepper.cluster import ClusterStartError, LocalCluster, descendants, pid_alive

pytestmark = [pytest.mark.cluster, pytest.mark.timeout(240)]


def assert_all_gone(pids: set[int], timeout: float = 10.0) -> None:
    """Every pid has exited (``os.kill(pid, 0)`` raises ProcessLookupError, or is a zombie)."""
    deadline = time.monotonic() + timeout
    alive = {pid for pid in pids if pid_alive(pid)}
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = {pid for pid in alive if pid_alive(pid)}
    assert not alive, f"still alive: {sorted(alive)}"
    for pid in pids:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            continue
        # Only a zombie (exited, not yet reaped by a parent outside our control) may remain.
        state = Path(f"/proc/{pid}/stat").read_text()
        assert state[state.rfind(")") + 2 :].split()[0] == "Z", f"pid {pid} still runs"


def test_tasks_of_one_job_run_on_executors_of_both_workers(cluster, cluster_spark) -> None:
    def where(index: int, rows: Any) -> Any:
        import os
        import time

        from stepper.worker import executor_identity

        time.sleep(0.2)  # long enough for both executors to be offered tasks
        yield index, executor_identity(), os.getcwd(), sum(rows)

    rdd = cluster_spark.sparkContext.parallelize(range(800), 8)
    seen = rdd.mapPartitionsWithIndex(where).collect()

    assert sorted(index for index, *_ in seen) == list(range(8))
    assert sum(total for *_, total in seen) == sum(range(800))
    executors = {executor for _, executor, _, _ in seen}
    assert len(executors) == 2, seen
    assert "driver" not in executors
    # executor_identity() is the last part of the standalone working dir …/app-…/<id>,
    # and the two executors live under the two workers' work dirs.
    for _, executor, cwd, _ in seen:
        assert os.path.basename(cwd) == executor
        assert os.path.basename(os.path.dirname(cwd)).startswith("app-")
    worker_dirs = {Path(cwd).parent.parent.name for _, _, cwd, _ in seen}
    assert worker_dirs == {"worker-0", "worker-1"}


def test_killed_python_worker_is_retried_and_the_result_is_right(cluster_spark) -> None:
    def crash_once(index: int, rows: Any) -> Any:
        import os
        import signal

        from pyspark import TaskContext

        attempt = TaskContext.get().attemptNumber()
        if index == 3 and attempt == 0:
            os.kill(os.getpid(), signal.SIGKILL)  # the Python worker dies mid-task
        yield index, attempt, sum(rows)

    rdd = cluster_spark.sparkContext.parallelize(range(800), 8)
    result = sorted(rdd.mapPartitionsWithIndex(crash_once).collect())

    assert [index for index, _, _ in result] == list(range(8))
    assert sum(total for _, _, total in result) == sum(range(800))
    assert [sum(range(100 * i, 100 * (i + 1))) for i in range(8)] == [t for _, _, t in result]
    attempts = {index: attempt for index, attempt, _ in result}
    assert attempts[3] >= 1
    assert all(attempts[i] == 0 for i in range(8) if i != 3)


def test_killing_a_worker_mid_job_still_completes_the_job(
    cluster, cluster_spark, await_executors, tmp_path: Path
) -> None:
    """Deterministic: first attempts wait on a flag file, so the kill lands while both run.

    (Waiting for the status tracker to report two active tasks is not enough: its listener lags
    behind the scheduler on a loaded machine, and a short task may have finished by then.)
    """
    sc = cluster_spark.sparkContext
    flags = str(tmp_path)

    def held(index: int, rows: Any) -> Any:
        import os
        import time

        from pyspark import TaskContext

        from stepper.worker import executor_identity

        attempt = TaskContext.get().attemptNumber()
        armed = os.path.join(flags, "armed")
        if attempt == 0 and os.path.exists(armed):
            mark = os.path.join(flags, f"running-{index}")
            with open(mark + ".tmp", "w") as out:
                out.write(os.getcwd())
            os.replace(mark + ".tmp", mark)
            give_up = time.monotonic() + 180  # never hang forever if the test itself died
            while os.path.exists(armed) and time.monotonic() < give_up:
                time.sleep(0.05)
        yield index, attempt, executor_identity(), os.getcwd(), sum(rows)

    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            sc.setJobGroup("kill-a-worker", "a worker dies while this runs")
            rdd = sc.parallelize(range(400), 4)
            outcome["rows"] = rdd.mapPartitionsWithIndex(held).collect()
        except BaseException as exc:  # reported by the main thread
            outcome["error"] = exc

    armed = tmp_path / "armed"
    armed.write_text("hold")
    job = threading.Thread(target=run, daemon=True)
    job.start()
    try:
        # Both executors (1 core each) hold one first attempt; then pull the plug on worker 0.
        deadline = time.monotonic() + 120
        while len(running := sorted(tmp_path.glob("running-*"))) < 2:
            assert job.is_alive(), f"the job ended before two tasks ran: {outcome}"
            assert time.monotonic() < deadline, "the job never ran two tasks at once"
            time.sleep(0.05)
        where = {int(path.name.split("-")[1]): Path(path.read_text()) for path in running}
        assert {cwd.parent.parent.name for cwd in where.values()} == {"worker-0", "worker-1"}
        (lost,) = [index for index, cwd in where.items() if cwd.parent.parent.name == "worker-0"]
        killed = cluster.kill_worker(0)
        armed.unlink()
        job.join(timeout=120)
        assert not job.is_alive(), "the job did not finish after a worker was killed"
        assert "error" not in outcome, outcome.get("error")

        rows = sorted(outcome["rows"])
        assert [index for index, *_ in rows] == list(range(4))
        assert [total for *_, total in rows] == [
            sum(range(100 * i, 100 * (i + 1))) for i in range(4)
        ]
        # The task that was running on worker 0 ran again, on worker 1.
        retried = [row for row in rows if row[1] >= 1]
        assert [row[0] for row in retried] == [lost], rows
        assert all(Path(cwd).parent.parent.name == "worker-1" for *_, cwd, _ in retried)
        assert_all_gone(set(killed))
    finally:
        armed.unlink(missing_ok=True)
        job.join(timeout=120)
        # Later tests expect two workers and two executors again.
        cluster.restart_worker(0)
        await_executors(2, timeout=120)


DRIVER = """
import sys
from stepper.session import spark_session
spark = spark_session(master=sys.argv[1], ui_port=None, extra_conf={
    "spark.executor.memory": "512m", "spark.cores.max": "1",
    "spark.driver.host": "127.0.0.1", "spark.driver.bindAddress": "127.0.0.1",
    "spark.scheduler.minRegisteredResourcesRatio": "1.0"})
print(spark.sparkContext.parallelize(range(4), 2).map(lambda x: x * x).sum(), flush=True)
sys.stdin.read()  # keep the executor (and its Python workers) alive until the test says so
"""


def test_stop_leaves_no_process_alive(tmp_path: Path) -> None:
    """A cluster with a live application: stop() ends master, worker, executor, Python daemon."""
    own = LocalCluster(workers=1, cores_per_worker=1, memory="512m", log_dir=tmp_path)
    driver = None
    try:
        own.start()
        started = {own.master_pid, *own.worker_pids}
        project = str(Path(__file__).resolve().parents[2])
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([project, os.environ.get("PYTHONPATH", "")]),
        }
        driver = subprocess.Popen(
            [sys.executable, "-c", DRIVER, own.master_url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            text=True,
        )
        assert driver.stdout is not None
        assert driver.stdout.readline().strip() == "14"
        # The worker now has children: an executor JVM, which has the PySpark daemon below it.
        # Short-lived helpers can appear in the snapshot and exit before the next line, so the
        # test names the two long-lived processes it needs by their command lines.
        tree = {pid for pid in descendants(own.worker_pids[0]) if pid_alive(pid)}
        commands = {pid: command_line(pid) for pid in tree}
        executors = {pid for pid, c in commands.items() if "CoarseGrainedExecutorBackend" in c}
        daemons = {  # the daemon is the executor's child; the workers it forks are its children
            pid
            for pid, c in commands.items()
            if "pyspark.daemon" in c and parent_pid(pid) in executors
        }
        assert executors and daemons, f"expected an executor and its Python daemon: {commands}"
        long_lived = executors | daemons
        everything = started | tree
        assert all(pid_alive(pid) for pid in started)
    finally:
        own.stop()
        if driver is not None:
            driver.kill()
            driver.wait(timeout=30)
    assert_all_gone(everything)
    assert own.pids >= started | long_lived
    assert not own.running


def command_line(pid: int) -> str:
    """The command line of ``pid`` as one string ('' once it has exited)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def parent_pid(pid: int) -> int:
    """The parent of ``pid`` (0 once it has exited)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    return int(stat[stat.rfind(")") + 2 :].split()[1])


def test_a_failed_start_says_why(tmp_path: Path) -> None:
    """A worker that cannot start gives ClusterStartError with its log, and nothing stays up."""
    bad = LocalCluster(workers=1, memory="lots", log_dir=tmp_path, start_timeout=60)
    with pytest.raises(ClusterStartError) as info:
        bad.start()
    message = str(info.value)
    assert "worker 0 exited" in message
    assert "worker-0.log" in message
    assert_all_gone(bad.pids)
