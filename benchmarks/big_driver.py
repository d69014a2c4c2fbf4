"""10M rows × 20 features with ``spark.driver.memory=1g``: the driver never holds the data.

The rows are generated inside the partitions (1.6 GB of float64 in all, more than the driver's
1 GB heap); each iteration the driver receives one partial (loss, gradient of d numbers, and the
trace's per-partition record) per partition. The script reports, per iteration, the time and the
bytes the partitions sent, and at the end the resident memory of the Python driver, of the
driver JVM (in local mode it also runs the tasks' JVM side) and of the Python workers that hold
the blocks.

    python benchmarks/big_driver.py                       # 10M rows, 20 features, 4 partitions
    python benchmarks/big_driver.py --rows 2000000        # smaller
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import numpy as np  # noqa: E402
import psutil  # noqa: E402

from stepper import GeneratorSpec, Problem, Stepper, from_generator, spark_session  # noqa: E402


def rss_mb(process: psutil.Process) -> float:
    try:
        return process.memory_info().rss / 2**20
    except psutil.Error:
        return float("nan")


def pss_mb(process: psutil.Process) -> float:
    """Proportional set size: pages shared by several processes (the memory-mapped blocks)
    are split between them, so the sum over processes counts them once."""
    try:
        return process.memory_full_info().pss / 2**20
    except (psutil.Error, AttributeError):
        return float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--features", type=int, default=20)
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--steps", type=int, default=8)
    parser.add_argument("--master", default="local[2]")
    args = parser.parse_args()

    me = psutil.Process()
    before_spark = rss_mb(me)
    spark = spark_session(master=args.master, ui_port=None, driver_memory="1g",
                          app_name="stepper big driver")
    sc = spark.sparkContext
    heap = sc._jvm.java.lang.Runtime.getRuntime().maxMemory() / 2**20
    jvm = psutil.Process(sc._gateway.proc.pid)
    spec = GeneratorSpec(rows=args.rows, features=args.features, seed=0)
    data = from_generator(spec, partitions=args.partitions, sc=sc)
    run = Stepper(data, Problem("logistic", l2=1e-4), algorithm="gd", lr=0.5, trace="full")
    data_mb = args.rows * (args.features + 1) * 8 / 2**20
    print(f"{args.rows} rows x {args.features} features = {data_mb:.0f} MB of float64 "
          f"in {args.partitions} partitions; driver JVM max heap {heap:.0f} MB; {args.master}")
    print(f"{'iter':>4}  {'objective':>14}  {'seconds':>8}  {'partials sent (bytes)':>21}  "
          f"{'Python driver RSS (MB)':>22}")
    times, peak = [], rss_mb(me)
    for _ in range(args.steps):
        started = time.perf_counter()
        record = run.step()
        elapsed = time.perf_counter() - started
        times.append(elapsed)
        sent = sum(p["result_bytes"] for p in record.partitions)
        peak = max(peak, rss_mb(me))
        print(f"{record.iteration:>4}  {record.objective:>14.10f}  {elapsed:>8.3f}  {sent:>21}  "
              f"{rss_mb(me):>22.0f}")
    numbers = (len(record.weights) + sum(len(p["gradient"]) for p in record.partitions)
               + sum(len(g.get("gradient", [])) for level in record.reduce["levels"]
                     for g in level["groups"]))
    workers = [c for c in jvm.children(recursive=True) if "python" in c.name().lower()]
    worker_mb = sum(pss_mb(c) for c in workers)
    used_heap = (sc._jvm.java.lang.Runtime.getRuntime().totalMemory()
                 - sc._jvm.java.lang.Runtime.getRuntime().freeMemory()) / 2**20
    print(f"first step (generates the blocks in the workers): {times[0]:.2f} s; "
          f"later steps median {statistics.median(times[1:]):.3f} s")
    print(f"vectors in one iteration's record: {numbers} numbers "
          f"(partitions x d = {args.partitions * args.features}, O(partitions x d))")
    print(f"Python driver RSS: {before_spark:.0f} MB before Spark, peak {peak:.0f} MB during the "
          f"run ({peak / data_mb:.3f} of the data's size)")
    print(f"driver JVM RSS {rss_mb(jvm):.0f} MB, heap in use {used_heap:.0f} MB of {heap:.0f} MB"
          f"; Python workers (daemon included): {len(workers)} processes, {worker_mb:.0f} MB "
          f"proportional set size in all (the blocks, memory-mapped and shared)")
    assert np.all(np.isfinite(run.weights))
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
