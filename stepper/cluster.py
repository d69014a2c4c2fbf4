"""A real Spark standalone cluster on this machine, started from the pyspark pip package.

``local[2]`` runs every task inside the driver's JVM: nothing is ever lost, nothing is ever
sent over a network. To *see* distribution (tasks on two executors, a worker killed mid-job,
a task retried), a lesson or a test needs a real standalone cluster. The pip package of pyspark
ships everything for one: ``$SPARK_HOME/bin/spark-class`` (``SPARK_HOME`` is the ``pyspark``
package directory) starts a master and workers as ordinary processes.

::

    from stepper.cluster import LocalCluster
    from stepper.session import spark_session

    with LocalCluster(workers=2) as cluster:           # master + 2 workers on 127.0.0.1
        spark = spark_session(master=cluster.master_url, ui_port=None)
        ...
        spark.stop()                                    # stop the driver first
    # every process the cluster started is gone here

From a shell (for an instructor): ``python -m stepper.cluster`` starts one, prints the master
URL and waits for Ctrl-C.

How processes are kept track of
    Every daemon is started with ``start_new_session=True``, so it leads its own process group;
    the executors a worker launches (JVMs) join that group. PySpark's Python daemon moves itself
    into a group of its own, so :meth:`LocalCluster.stop` and :meth:`LocalCluster.kill_worker`
    also collect every descendant of the started processes (from ``/proc`` on Linux) *before*
    killing anything, then signal the groups and those process ids. Nothing is ever killed by
    name. An ``atexit`` hook stops any cluster still running when the interpreter exits.

Python on the executors
    Executors inherit the workers' environment, which puts this toolkit's source directory on
    ``PYTHONPATH`` and sets ``PYSPARK_PYTHON`` to this interpreter: tasks can ``import stepper``
    exactly as the driver does, installed or not.

Logs
    Each daemon's stdout and stderr go to ``<log_dir>/master.log`` and
    ``<log_dir>/worker-<i>.log``; the executors' logs are under ``<log_dir>/work``.
    A start that fails or times out raises :class:`ClusterStartError` with the tail of those logs.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

from stepper.errors import StepperError
from stepper.session import check_java

MASTER_CLASS = "org.apache.spark.deploy.master.Master"
WORKER_CLASS = "org.apache.spark.deploy.worker.Worker"
LOG_TAIL_LINES = 40

_RUNNING: weakref.WeakSet[LocalCluster] = weakref.WeakSet()


class ClusterStartError(StepperError, RuntimeError):
    """The standalone cluster did not come up; the message holds the tail of its logs."""


def spark_home() -> str:
    """``$SPARK_HOME`` if it has ``bin/spark-class``, else the pip-installed pyspark directory."""
    home = os.environ.get("SPARK_HOME")
    if home and os.path.exists(os.path.join(home, "bin", "spark-class")):
        return home
    import pyspark

    return os.path.dirname(os.path.abspath(pyspark.__file__))


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _children_map() -> dict[int, list[int]]:
    """``{parent pid: [child pids]}`` for every process, read from ``/proc`` (Linux only)."""
    children: dict[int, list[int]] = {}
    proc = Path("/proc")
    if not proc.is_dir():
        return children
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name (field 2) is in parentheses and may hold spaces: split after it.
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 1:
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def descendants(pid: int) -> list[int]:
    """All live descendants of ``pid`` (children, grandchildren, …); empty off Linux."""
    tree = _children_map()
    found: list[int] = []
    stack = list(tree.get(pid, []))
    while stack:
        child = stack.pop()
        found.append(child)
        stack.extend(tree.get(child, []))
    return found


def pid_alive(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return state[state.rfind(")") + 2 :].split()[0] != "Z"


def _kill_tree(proc: subprocess.Popen[bytes], sig: int) -> list[int]:
    """Send ``sig`` to ``proc``'s process group and to every descendant; return those pids."""
    pids = [proc.pid, *descendants(proc.pid)]
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, sig)  # the group proc leads (start_new_session=True)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, sig)
    return pids


def _tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return f"--- {path.name}: (no log) ---"
    body = "\n".join(text.splitlines()[-lines:])
    return f"--- last lines of {path} ---\n{body}"


class LocalCluster:
    """A Spark standalone master and ``workers`` workers, as child processes of this one.

    Parameters only describe the cluster; nothing starts before :meth:`start` (or ``with``).

    ``workers``, ``cores_per_worker``, ``memory``
        how many worker daemons, and what each offers (``--cores``, ``--memory``). An
        application's ``spark.executor.memory`` must fit into ``memory``.
    ``host``
        the address every daemon binds to (loopback by default: nothing is reachable from
        outside this machine).
    ``master_port``, ``webui_port``
        fixed ports for the master (RPC, web UI); ``None`` picks free ones.
    ``start_timeout``
        seconds :meth:`start` waits for every worker to be ALIVE at the master.
    ``log_dir``
        where the logs and the workers' work directories go; ``None`` makes a temporary
        directory, removed by :meth:`stop` unless ``keep_logs`` is true.
    """

    def __init__(
        self,
        workers: int = 2,
        cores_per_worker: int = 1,
        memory: str = "1g",
        host: str = "127.0.0.1",
        *,
        master_port: int | None = None,
        webui_port: int | None = None,
        start_timeout: float = 120.0,
        log_dir: str | os.PathLike[str] | None = None,
        keep_logs: bool = False,
    ) -> None:
        if workers < 1:
            raise ValueError("a cluster needs at least one worker")
        self.workers = workers
        self.cores_per_worker = cores_per_worker
        self.memory = memory
        self.host = host
        self.master_port = master_port
        self.webui_port = webui_port
        self.start_timeout = start_timeout
        self.keep_logs = keep_logs
        self._given_log_dir = Path(log_dir) if log_dir is not None else None
        self.log_dir: Path | None = None
        self._master: subprocess.Popen[bytes] | None = None
        self._workers: list[subprocess.Popen[bytes]] = []
        self._started_pids: set[int] = set()
        self._lock = threading.RLock()
        self.startup_seconds: float | None = None

    # ------------------------------------------------------------------ addresses

    @property
    def master_url(self) -> str:
        """``spark://host:port``: pass it to ``spark_session(master=...)``."""
        self._require_started()
        return f"spark://{self.host}:{self.master_port}"

    @property
    def webui_url(self) -> str:
        """The master's web UI (``/json/`` under it is the machine-readable state)."""
        self._require_started()
        return f"http://{self.host}:{self.webui_port}"

    @property
    def master_pid(self) -> int:
        self._require_started()
        assert self._master is not None
        return self._master.pid

    @property
    def worker_pids(self) -> list[int]:
        """Process ids of the worker daemons, in start order (index ``i`` for kill_worker)."""
        return [proc.pid for proc in self._workers]

    @property
    def pids(self) -> set[int]:
        """Every process id this cluster has started or seen as a descendant of one."""
        return set(self._started_pids)

    @property
    def running(self) -> bool:
        return self._master is not None

    def _require_started(self) -> None:
        if self._master is None:
            raise RuntimeError("the cluster is not running: call start() or use `with`")

    # ------------------------------------------------------------------ state

    def state(self, timeout: float = 2.0) -> dict[str, Any]:
        """The master's state as its web UI serves it at ``/json/`` (workers, apps, status)."""
        with urllib.request.urlopen(f"{self.webui_url}/json/", timeout=timeout) as response:
            return json.loads(response.read().decode())

    def alive_workers(self) -> int:
        """How many workers the master lists as ALIVE (0 when it does not answer)."""
        try:
            workers = self.state().get("workers", [])
        except (OSError, ValueError, urllib.error.URLError):
            return 0
        return sum(1 for worker in workers if worker.get("state") == "ALIVE")

    # ------------------------------------------------------------------ start / stop

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["SPARK_HOME"] = spark_home()
        env["SPARK_LOCAL_IP"] = self.host
        env.setdefault("SPARK_DAEMON_MEMORY", "512m")
        # The same interpreter for every Python worker, whatever the driver forgets to set.
        env.setdefault("PYSPARK_PYTHON", sys.executable)
        # Executors inherit this environment: let their Python workers import this very
        # toolkit even when it runs from a source checkout rather than an installed package.
        package_parent = str(Path(__file__).resolve().parent.parent)
        paths = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
        if package_parent not in paths:
            env["PYTHONPATH"] = os.pathsep.join([package_parent, *paths])
        return env

    def _launch(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        assert self.log_dir is not None
        command = [os.path.join(spark_home(), "bin", "spark-class"), *args]
        with open(self.log_dir / f"{name}.log", "ab") as log:
            proc = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self._env(),
                cwd=self.log_dir,
                start_new_session=True,
            )
        self._started_pids.add(proc.pid)
        return proc

    def _fail(self, reason: str) -> ClusterStartError:
        assert self.log_dir is not None
        logs = [self.log_dir / "master.log"]
        logs += [self.log_dir / f"worker-{i}.log" for i in range(len(self._workers))]
        detail = "\n".join(_tail(path) for path in logs)
        keep, self.keep_logs = self.keep_logs, True  # a failed start keeps its logs to read
        self.stop()
        self.keep_logs = keep
        return ClusterStartError(f"{reason}\nlogs in {self.log_dir}\n{detail}")

    def _wait(self, ready: Callable[[], bool], what: str, deadline: float) -> None:
        while not ready():
            for name, proc in [
                ("master", self._master),
                *[(f"worker {i}", p) for i, p in enumerate(self._workers)],
            ]:
                if proc is not None and proc.poll() is not None:
                    raise self._fail(
                        f"the Spark {name} exited with code {proc.returncode} while waiting "
                        f"for {what}"
                    )
            if time.monotonic() > deadline:
                raise self._fail(f"timed out waiting for {what}")
            time.sleep(0.2)

    def start(self) -> LocalCluster:
        """Start the master, then the workers; return once all are ALIVE at the master."""
        with self._lock:
            if self._master is not None:
                return self
            check_java()
            began = time.monotonic()
            deadline = began + self.start_timeout
            if self._given_log_dir is not None:
                self._given_log_dir.mkdir(parents=True, exist_ok=True)
                self.log_dir = self._given_log_dir
            else:
                self.log_dir = Path(tempfile.mkdtemp(prefix="stepper-cluster-"))
            (self.log_dir / "work").mkdir(exist_ok=True)
            self.master_port = self.master_port or free_port(self.host)
            self.webui_port = self.webui_port or free_port(self.host)
            _RUNNING.add(self)
            self._master = self._launch(
                "master",
                [
                    MASTER_CLASS,
                    "--host",
                    self.host,
                    "--port",
                    str(self.master_port),
                    "--webui-port",
                    str(self.webui_port),
                ],
            )
            # Workers started before the master listens back off for 5 to 15 s: wait first.
            self._wait(self._state_ok, "the master's web UI", deadline)
            for i in range(self.workers):
                self._workers.append(self._launch_worker(i))
            self._wait(
                lambda: self.alive_workers() >= self.workers,
                f"{self.workers} ALIVE worker(s) at {self.webui_url}/json/",
                deadline,
            )
            self.startup_seconds = time.monotonic() - began
            return self

    def _state_ok(self) -> bool:
        try:
            return self.state().get("status") == "ALIVE"
        except (OSError, ValueError, urllib.error.URLError):
            return False

    def _launch_worker(self, i: int) -> subprocess.Popen[bytes]:
        assert self.log_dir is not None
        work_dir = self.log_dir / "work" / f"worker-{i}"
        work_dir.mkdir(parents=True, exist_ok=True)
        args = [WORKER_CLASS, self.master_url, "--host", self.host]
        args += ["--cores", str(self.cores_per_worker), "--memory", self.memory]
        args += ["--webui-port", str(free_port(self.host)), "--work-dir", str(work_dir)]
        return self._launch(f"worker-{i}", args)

    def kill_worker(self, i: int) -> list[int]:
        """SIGKILL worker ``i`` with its executors and their Python workers (a crashed machine).

        Returns the process ids that were signalled. The master notices the lost worker and the
        driver re-runs the lost tasks on the other workers.
        """
        self._require_started()
        proc = self._workers[i]
        pids = _kill_tree(proc, signal.SIGKILL)
        self._started_pids.update(pids)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)
        return pids

    def restart_worker(self, i: int, timeout: float | None = None) -> int:
        """Start worker ``i`` again (killing it first if it still runs); return its new pid.

        Returns once the master lists ``workers`` workers ALIVE again. The master then gives
        running applications that want more cores new executors on it. If the worker does not
        come back, the whole cluster is stopped and :class:`ClusterStartError` says why.
        """
        with self._lock:
            self._require_started()
            if self._workers[i].poll() is None:
                self.kill_worker(i)
            self._workers[i] = self._launch_worker(i)
            deadline = time.monotonic() + (timeout or self.start_timeout)
            self._wait(
                lambda: self.alive_workers() >= self.workers,
                f"worker {i} to be ALIVE again at {self.webui_url}/json/",
                deadline,
            )
            return self._workers[i].pid

    def stop(self, timeout: float = 10.0) -> None:
        """Stop every process this cluster started (workers, executors, master), by id.

        SIGTERM first (the daemons shut down their executors), then SIGKILL whatever is still
        alive after ``timeout`` seconds. Safe to call twice.
        """
        with self._lock:
            procs = [*self._workers, *([self._master] if self._master is not None else [])]
            if not procs:
                return
            # Collect the whole tree before anything dies: orphans get re-parented to init.
            tree: set[int] = set()
            for proc in procs:
                tree.add(proc.pid)
                tree.update(descendants(proc.pid))
            self._started_pids.update(tree)
            for proc in procs:
                if proc.poll() is None:
                    _kill_tree(proc, signal.SIGTERM)
            end = time.monotonic() + timeout
            for proc in procs:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=max(0.1, end - time.monotonic()))
            for proc in procs:
                tree.update(descendants(proc.pid))
                _kill_tree(proc, signal.SIGKILL)
            for pid in tree:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
            for proc in procs:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=5)
            self._workers = []
            self._master = None
            _RUNNING.discard(self)
            if self.log_dir is not None and self._given_log_dir is None and not self.keep_logs:
                shutil.rmtree(self.log_dir, ignore_errors=True)

    def __enter__(self) -> LocalCluster:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.master_url if self.running else "not running"
        return f"LocalCluster(workers={self.workers}, {where})"


@atexit.register
def _stop_all() -> None:
    """Safety net: no cluster outlives the interpreter that started it."""
    for cluster in list(_RUNNING):
        with contextlib.suppress(Exception):
            cluster.stop(timeout=3.0)


def main(argv: list[str] | None = None) -> int:
    """``python -m stepper.cluster``: start a cluster, print its URL, wait for Ctrl-C."""
    parser = argparse.ArgumentParser(
        prog="python -m stepper.cluster",
        description="Start a Spark standalone master and workers on this machine.",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cores", type=int, default=1, help="cores per worker")
    parser.add_argument("--memory", default="1g", help="memory per worker (e.g. 1g)")
    parser.add_argument(
        "--host", default="127.0.0.1", help="address the daemons bind to and advertise"
    )
    parser.add_argument("--port", type=int, default=None, help="master port (default: free)")
    parser.add_argument("--webui-port", type=int, default=None, help="master UI port")
    parser.add_argument("--log-dir", default=None, help="keep logs here (default: temp dir)")
    args = parser.parse_args(argv)

    def _terminate(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminate)
    # Ctrl-C even when started in the background from a script (which ignores SIGINT).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    cluster = LocalCluster(
        workers=args.workers,
        cores_per_worker=args.cores,
        memory=args.memory,
        host=args.host,
        master_port=args.port,
        webui_port=args.webui_port,
        log_dir=args.log_dir,
    )
    try:
        cluster.start()
        print(f"master:  {cluster.master_url}", flush=True)
        print(f"web UI:  {cluster.webui_url}", flush=True)
        print(f"logs:    {cluster.log_dir}", flush=True)
        print(f"started in {cluster.startup_seconds:.1f} s; use it with", flush=True)
        print(f"  STEPPER_MASTER={cluster.master_url}", flush=True)
        print("Ctrl-C stops the cluster.", flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("stopping…", flush=True)
    except ClusterStartError as exc:
        print(exc, file=sys.stderr)
        return 1
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
