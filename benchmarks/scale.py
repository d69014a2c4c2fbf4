"""How the cost of one iteration grows with the data, in local mode and on a two-worker cluster.

For each size (default 1M, 4M and 16M rows × 20 features, generated inside the partitions, so
nothing passes through the driver) and each mode:

* ``local``: ``local[2]``, tasks in the driver's JVM, Python workers on this machine;
* ``cluster``: a Spark standalone master and two workers (1 core, 1 GiB each) started from the
  pyspark package on 127.0.0.1 (:class:`stepper.cluster.LocalCluster`), tasks in two executor
  JVMs with their own Python workers;

it runs full-batch gradient descent with the stepper and prints the seconds of the first
iteration (which builds the blocks in the workers), the median seconds per iteration after
that, and the resident memory (RSS) of the driver: its Python process and its JVM. The memory
of the Python workers holding the blocks (their PSS, so that pages a forked worker shares with
its PySpark daemon count once) is printed too, to show where the data lives: in local mode
under the driver's JVM, on the cluster under the workers' executors.

Each (mode, size) runs in a fresh driver process, so that memory figures are that run's alone
and no JVM carries state from one run to the next. The cluster is started once and stopped by
process id at the end (also on Ctrl-C or an error).

    python benchmarks/scale.py                          # 1M, 4M, 16M rows; local and cluster
    python benchmarks/scale.py --quick                  # 100k, 400k, 1.6M rows; fewer steps
    python benchmarks/scale.py --sizes 1M,2M --modes local --partitions 8
    python benchmarks/scale.py --json scale.json        # also write the rows as JSON

The machine may be shared: figures are medians of a few iterations, and only their growth
(ratios within one run) means much.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

MB = 1024**2


def parse_size(text: str) -> int:
    """``"1M"`` → 1_000_000, ``"400k"`` → 400_000, ``"16000000"`` → 16_000_000."""
    text = text.strip().lower().replace("_", "")
    factor = {"k": 10**3, "m": 10**6, "g": 10**9}.get(text[-1:], 1)
    number = text[:-1] if text[-1:] in "kmg" else text
    return int(float(number) * factor)


def size_label(rows: int) -> str:
    if rows % 10**6 == 0:
        return f"{rows // 10**6}M"
    if rows >= 10**6:
        return f"{rows / 10**6:g}M"
    return f"{rows // 1000}k" if rows % 1000 == 0 else str(rows)


# -- one run, in its own driver process ------------------------------------------------------
def rss(pid: int) -> int:
    import psutil

    try:
        return psutil.Process(pid).memory_info().rss
    except psutil.Error:
        return 0


def pss(pid: int) -> int:
    """Proportional set size: pages shared by forked Python workers are counted once in a sum."""
    import psutil

    try:
        return psutil.Process(pid).memory_full_info().pss
    except (psutil.Error, AttributeError):
        return rss(pid)


def python_processes_under(pids: list[int]) -> list[int]:
    """Python processes (PySpark daemons and workers) among the descendants of ``pids``."""
    import psutil

    found = []
    for pid in pids:
        try:
            children = psutil.Process(pid).children(recursive=True)
        except psutil.Error:
            continue
        for child in children:
            try:
                if "python" in child.name().lower() or "pyspark" in " ".join(child.cmdline()):
                    found.append(child.pid)
            except psutil.Error:
                continue
    return found


def driver_jvm_pid() -> int | None:
    """The JVM this Python driver started (Py4J gateway): a java child of this process."""
    import psutil

    for child in psutil.Process(os.getpid()).children(recursive=True):
        try:
            if child.name() == "java" or child.exe().endswith("/java"):
                return child.pid
        except psutil.Error:
            continue
    return None


def child_run(args: argparse.Namespace) -> dict:
    """Run the stepper on one size in one mode; return the measurements."""
    from stepper import GeneratorSpec, Problem, Stepper, from_generator, spark_session

    conf = {"spark.sql.shuffle.partitions": str(args.partitions)}
    if args.master.startswith("spark://"):
        conf.update({
            "spark.executor.memory": "1g",
            "spark.cores.max": "2",
            "spark.driver.host": "127.0.0.1",
            "spark.driver.bindAddress": "127.0.0.1",
            "spark.scheduler.minRegisteredResourcesRatio": "1.0",
            "spark.scheduler.maxRegisteredResourcesWaitingTime": "120s",
        })
    started = time.perf_counter()
    spark = spark_session(master=args.master, app_name=f"stepper-scale-{args.rows}",
                          ui_port=None, driver_memory=args.driver_memory, extra_conf=conf)
    sc = spark.sparkContext
    try:
        session_seconds = time.perf_counter() - started
        spec = GeneratorSpec(rows=args.rows, features=args.features, seed=1)
        data = from_generator(spec, partitions=args.partitions, sc=sc)
        run = Stepper(data, Problem("logistic", l2=1e-3), algorithm="gd", lr=1.0,
                      trace="summary")
        first_started = time.perf_counter()
        run.step()  # also builds every block in the workers (the rows are generated there)
        first = time.perf_counter() - first_started
        for _ in range(args.warmup):
            run.step()
        times = []
        for _ in range(args.steps):
            record = run.step()
            times.append(record.timing["total"])
        executors = sorted({p["executor"] for p in record.partitions})
        jvm = driver_jvm_pid()
        owners = [jvm] if jvm is not None and not args.worker_pids else args.worker_pids
        worker_python = sum(pss(pid) for pid in python_processes_under(owners))
        result = {
            "mode": args.mode,
            "rows": args.rows,
            "features": args.features,
            "partitions": args.partitions,
            "data_mb": args.rows * (args.features + 1) * 8 / MB,
            "session_s": session_seconds,
            "first_iteration_s": first,
            "iteration_s": statistics.median(times),
            "iteration_min_s": min(times),
            "iteration_max_s": max(times),
            "steps": len(times),
            "driver_python_mb": rss(os.getpid()) / MB,
            "driver_jvm_mb": (rss(jvm) if jvm is not None else 0) / MB,
            "worker_python_mb": worker_python / MB,
            "executors": executors,
            "objective": record.objective,
        }
        result["driver_mb"] = result["driver_python_mb"] + result["driver_jvm_mb"]
        return result
    finally:
        spark.stop()


# -- the orchestrating process ---------------------------------------------------------------
def run_child(mode: str, master: str, rows: int, args: argparse.Namespace,
              worker_pids: list[int]) -> dict:
    command = [
        sys.executable, os.path.abspath(__file__), "--child", "--mode", mode,
        "--master", master, "--rows", str(rows), "--features", str(args.features),
        "--partitions", str(args.partitions), "--steps", str(args.steps),
        "--warmup", str(args.warmup), "--driver-memory", args.driver_memory,
    ]
    if worker_pids:
        command += ["--worker-pids", ",".join(map(str, worker_pids))]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([ROOT, os.environ.get("PYTHONPATH", "")])}
    env.pop("STEPPER_MASTER", None)
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=args.timeout)
    finally:
        if proc.poll() is None:  # timed out or interrupted: the driver and its JVM go, by id
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = "\n".join(err.splitlines()[-20:])
        raise RuntimeError(f"{mode} run on {rows} rows failed ({proc.returncode}):\n{tail}")
    return json.loads(lines[-1])


COLUMNS = [
    ("mode", "mode", "{}"),
    ("rows", "rows", "{}"),
    ("data MB", "data_mb", "{:.0f}"),
    ("1st iter s", "first_iteration_s", "{:.2f}"),
    ("s/iter", "iteration_s", "{:.3f}"),
    ("min-max", None, None),
    ("driver Py MB", "driver_python_mb", "{:.0f}"),
    ("driver JVM MB", "driver_jvm_mb", "{:.0f}"),
    ("driver MB", "driver_mb", "{:.0f}"),
    ("workers' Py PSS MB", "worker_python_mb", "{:.0f}"),
    ("executors", None, None),
]


def format_row(row: dict) -> list[str]:
    cells = []
    for _title, key, fmt in COLUMNS:
        if key == "rows":
            cells.append(size_label(row["rows"]))
        elif key is not None:
            cells.append(fmt.format(row[key]))
        elif _title == "min-max":
            cells.append(f"{row['iteration_min_s']:.3f}-{row['iteration_max_s']:.3f}")
        else:
            cells.append(",".join(row["executors"]))
    return cells


def print_table(rows: list[dict]) -> None:
    header = [title for title, _, _ in COLUMNS]
    body = [format_row(row) for row in rows]
    widths = [max(len(cell) for cell in column) for column in zip(header, *body, strict=True)]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for cells in body:
        print("| " + " | ".join(c.rjust(w) for c, w in zip(cells, widths, strict=True)) + " |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=None,
                        help="comma-separated row counts (1M,4M,16M by default; 100k,400k,1.6M "
                             "with --quick)")
    parser.add_argument("--features", type=int, default=20)
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--modes", default="local,cluster", help="local, cluster or both")
    parser.add_argument("--steps", type=int, default=None, help="timed iterations per run")
    parser.add_argument("--warmup", type=int, default=1, help="iterations after the first, "
                                                              "not timed")
    parser.add_argument("--driver-memory", default="1g")
    parser.add_argument("--quick", action="store_true", help="small sizes and 3 steps")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per run")
    parser.add_argument("--json", default=None, help="also write the rows to this file")
    # used by the orchestrator to start one run
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="local", help=argparse.SUPPRESS)
    parser.add_argument("--master", default="local[2]", help=argparse.SUPPRESS)
    parser.add_argument("--rows", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--worker-pids", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.steps is None:
        args.steps = 3 if args.quick else 5

    if args.child:
        args.worker_pids = [int(p) for p in args.worker_pids.split(",") if p]
        print(json.dumps(child_run(args)), flush=True)
        return 0

    default_sizes = "100k,400k,1.6M" if args.quick else "1M,4M,16M"
    sizes = [parse_size(s) for s in (args.sizes or default_sizes).split(",") if s.strip()]
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    unknown = set(modes) - {"local", "cluster"}
    if unknown:
        parser.error(f"unknown mode(s): {', '.join(sorted(unknown))}")

    from stepper.cluster import LocalCluster

    print(f"{args.features} features, {args.partitions} partitions, gradient descent, "
          f"{args.steps} timed iterations after {1 + args.warmup} untimed; driver memory "
          f"{args.driver_memory}; cpus: {os.cpu_count()}", flush=True)
    results: list[dict] = []
    cluster = None
    try:
        for mode in modes:
            master, worker_pids = "local[2]", []
            if mode == "cluster":
                cluster = LocalCluster(workers=2, cores_per_worker=1, memory="1g")
                cluster.start()
                master, worker_pids = cluster.master_url, cluster.worker_pids
                print(f"cluster {master} up in {cluster.startup_seconds:.1f} s", flush=True)
            for rows in sizes:
                row = run_child(mode, master, rows, args, worker_pids)
                results.append(row)
                print(f"  {mode:7} {size_label(rows):>6} rows: {row['iteration_s']:.3f} s/iter, "
                      f"driver {row['driver_mb']:.0f} MB", flush=True)
            if cluster is not None:
                cluster.stop()
                cluster = None
    finally:
        if cluster is not None:
            cluster.stop()
    print()
    print_table(results)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(results, out, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
