"""What a fresh Python process pays to start local-mode Spark and run a first small job
(``python benchmarks/spark_start.py``): wall time and CPU time (user + sys of the whole process
tree: the Python driver, the ``spark-submit`` launcher JVM, the driver JVM, the Python workers).

Each variant runs ``--runs`` times in a fresh ``python`` process, variants interleaved round-robin
so that the machine's load drifts over all of them alike. CPU time is read from
``getrusage(RUSAGE_CHILDREN)``: this process makes itself a child subreaper (Linux ``prctl``) and
reaps every orphan, so the JVM's time is counted even when nobody else waits for it.

The first job is what the grader does first: ``parallelize(range(p), p).count()`` (starts the
Python workers), then a ``mapPartitions`` with numpy over 3 partitions, as the tests do.

    python benchmarks/spark_start.py                         # all variants, 5 runs each
    python benchmarks/spark_start.py --runs 3 --only baseline,fast
    python benchmarks/spark_start.py --imports               # Python-side import cost only

The machine is shared and noisy: compare variants measured in the same run, not across runs.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from stepper.session import LOG4J_FILE, fast_local_conf, prepare_cds  # noqa: E402

PR_SET_CHILD_SUBREAPER = 36

# The child: start Spark as described by a JSON spec, run the first jobs, print timings.
CHILD = r"""
import json, os, sys, time
spec = json.loads(sys.argv[1])
t0 = time.monotonic()
import numpy
t_numpy = time.monotonic()
import pyspark
from pyspark import SparkConf, SparkContext
if not spec["context_only"]:
    from pyspark.sql import SparkSession
t_import = time.monotonic()
conf = SparkConf().setMaster(spec["master"]).setAppName("start-bench")
for key, value in spec["conf"].items():
    conf.set(key, value)
if spec["context_only"]:
    sc = SparkContext(conf=conf)
else:
    sc = SparkSession.builder.config(conf=conf).getOrCreate().sparkContext
sc.setLogLevel("ERROR")
t_start = time.monotonic()
p = sc.defaultParallelism
assert sc.parallelize(range(p), p).count() == p
t_workers = time.monotonic()
def block_sums(rows):
    import numpy as np
    rows = list(rows)
    yield float(np.sum(np.asarray(rows, dtype=float)))
assert sum(sc.parallelize(range(30), 3).mapPartitions(block_sums).collect()) == 435.0
t_job = time.monotonic()
sc.stop()
t_stop = time.monotonic()
print("TIMES " + json.dumps({"numpy": t_numpy - t0, "pyspark": t_import - t_numpy,
                             "start": t_start - t_import, "workers": t_workers - t_start,
                             "job": t_job - t_workers, "stop": t_stop - t_job}), flush=True)
"""


def become_subreaper() -> None:
    """Orphaned descendants (the JVM, its Python workers) are re-parented to this process, so
    their CPU time reaches RUSAGE_CHILDREN when we reap them."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        print("warning: prctl(PR_SET_CHILD_SUBREAPER) failed: CPU time of orphans is lost",
              file=sys.stderr)


def reap_all() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, 0)
        except ChildProcessError:
            return
        if pid == 0:
            return


def base_conf() -> dict[str, str]:
    """What the grader's ``spark_session(master, ui_port=None)`` sets today."""
    py = sys.executable
    return {
        "spark.ui.showConsoleProgress": "false",
        "spark.pyspark.python": py,
        "spark.pyspark.driver.python": py,
        "spark.python.worker.reuse": "true",
        "spark.sql.session.timeZone": "UTC",
        "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile={LOG4J_FILE}",
        "spark.executor.extraJavaOptions": f"-Dlog4j2.configurationFile={LOG4J_FILE}",
        "spark.ui.enabled": "false",
    }


def with_java(conf: dict[str, str], *flags: str) -> dict[str, str]:
    out = dict(conf)
    out["spark.driver.extraJavaOptions"] = " ".join([conf["spark.driver.extraJavaOptions"],
                                                     *flags])
    return out


def variants(cds: str | None) -> dict[str, dict]:
    """name → spec (master, conf, context_only, env)."""
    base = base_conf()
    ui_on = {**base, "spark.ui.enabled": "true", "spark.ui.port": "0"}
    v: dict[str, dict] = {
        "baseline (grader today: Session, local[2], UI off)": {"conf": base},
        "UI on": {"conf": ui_on},
        "local[1]": {"conf": base, "master": "local[1]"},
        "SparkContext only": {"conf": base, "context_only": True},
        "worker.reuse=false": {"conf": {**base, "spark.python.worker.reuse": "false"}},
        "no log4j file": {"conf": {**base,
                                   "spark.driver.extraJavaOptions": "",
                                   "spark.executor.extraJavaOptions": ""}},
        "driver.memory=512m": {"conf": {**base, "spark.driver.memory": "512m"}},
        "TieredStopAtLevel=1": {"conf": with_java(base, "-XX:TieredStopAtLevel=1")},
        "SerialGC": {"conf": with_java(base, "-XX:+UseSerialGC")},
        "CICompilerCount=2": {"conf": with_java(base, "-XX:CICompilerCount=2")},
        "Xss512k": {"conf": with_java(base, "-Xss512k")},
        "C1+SerialGC": {"conf": with_java(base, "-XX:TieredStopAtLevel=1",
                                          "-XX:+UseSerialGC")},
        "fast_local_conf (no CDS)": {"conf": fast_local_conf(cds_archive=None),
                                     "context_only": True, "master": "local[2]"},
    }
    if cds:
        v["AppCDS only"] = {"conf": with_java(base, f"-XX:SharedArchiveFile={cds}",
                                              "-Xshare:auto", "-Xlog:cds=off",
                                              "-Xlog:cds+dynamic=off")}
        v["fast_local_conf (with CDS)"] = {"conf": fast_local_conf(cds_archive=cds),
                                           "context_only": True, "master": "local[2]"}
    for spec in v.values():
        spec.setdefault("master", "local[2]")
        spec.setdefault("context_only", False)
    return v


def run_once(spec: dict) -> dict:
    env = dict(os.environ, SPARK_LOCAL_IP="127.0.0.1", PYSPARK_PYTHON=sys.executable,
               PYSPARK_DRIVER_PYTHON=sys.executable)
    env.update(spec.get("env", {}))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-c", CHILD, json.dumps(spec)], env=env,
                          capture_output=True, text=True, check=False)
    reap_all()
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    times = None
    for line in done.stdout.splitlines():
        if line.startswith("TIMES "):
            times = json.loads(line[6:])
    if times is None:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise RuntimeError(f"run failed (exit {done.returncode}): " + " | ".join(tail))
    return {"wall": wall, "cpu": cpu, **times,
            "noise": [ln for ln in (done.stdout + done.stderr).splitlines()
                      if ln.strip() and not ln.startswith("TIMES ")][:3]}


def import_costs(runs: int) -> None:
    """Wall and CPU of a bare interpreter and of importing numpy, pyspark, pyspark.sql."""
    cases = {"python -c pass": "pass", "import numpy": "import numpy",
             "import pyspark": "import pyspark",
             "import pyspark.sql": "import pyspark.sql",
             "import numpy, pyspark": "import numpy, pyspark"}
    print(f"{'python side':28s} {'wall s':>8s} {'CPU s':>8s}")
    for name, code in cases.items():
        walls, cpus = [], []
        for _ in range(runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.monotonic()
            subprocess.run([sys.executable, "-c", code], check=True)
            walls.append(time.monotonic() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        print(f"{name:28s} {statistics.median(walls):8.2f} {statistics.median(cpus):8.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python benchmarks/spark_start.py",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", help="comma-separated substrings of variant names")
    parser.add_argument("--imports", action="store_true", help="only the Python import costs")
    parser.add_argument("--cds", help="AppCDS archive to use (default: prepared in a temp dir)")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args(argv)
    become_subreaper()
    if args.imports:
        import_costs(args.runs)
        return 0
    cds = args.cds
    if cds is None:
        cds = str(Path(tempfile.mkdtemp(prefix="stepper-cds-bench-")) / "spark.jsa")
        began = time.monotonic()
        prepare_cds(cds)
        print(f"prepared the CDS archive {cds} in {time.monotonic() - began:.1f} s "
              f"({os.path.getsize(cds) / 1e6:.0f} MB)", flush=True)
    table = variants(cds)
    if args.only:
        wanted = [w.strip() for w in args.only.split(",")]
        table = {k: v for k, v in table.items() if any(w in k for w in wanted)}
    results: dict[str, list[dict]] = {name: [] for name in table}
    load = os.getloadavg()[0]
    for i in range(args.runs):
        for name, spec in table.items():
            row = run_once(spec)
            results[name].append(row)
            print(f"run {i + 1} {name}: wall {row['wall']:.2f} s, CPU {row['cpu']:.2f} s",
                  file=sys.stderr, flush=True)
        print(f"round {i + 1}/{args.runs} done", file=sys.stderr, flush=True)
    print(f"\nmedian of {args.runs} runs, load average at start {load:.1f} (2 cores, shared)")
    head = (f"{'variant':50s} {'wall s':>7s} {'CPU s':>7s} {'start':>6s} {'workers':>7s} "
            f"{'job':>5s} {'stop':>5s}")
    print(head)
    base_cpu = None
    for name, rows in results.items():
        med = {k: statistics.median(r[k] for r in rows)
               for k in ("wall", "cpu", "start", "workers", "job", "stop")}
        base_cpu = base_cpu or med["cpu"]
        print(f"{name:50s} {med['wall']:7.2f} {med['cpu']:7.2f} {med['start']:6.2f} "
              f"{med['workers']:7.2f} {med['job']:5.2f} {med['stop']:5.2f}"
              f"   CPU x{med['cpu'] / base_cpu:.2f}")
        noise = rows[0]["noise"]
        if noise:
            print(f"{'':50s} output: {noise[0][:100]}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
