"""What one iteration of the stepper costs, as ratios measured in one run (``make bench``).

(a) One full-batch step on the 2-D lesson data (1000 rows, 4 partitions, ``local[2]``, trace level
    full) divided by the Spark floor: a trivial 4-partition job that returns one small vector per
    partition. Target: at most 1.3.
(b) One full-batch gradient step on 1M generated rows × 20 features (4 partitions, ``local[2]``)
    divided by pyspark.mllib ``LogisticRegressionWithSGD``'s time per iteration on the same rows
    and cores (``miniBatchFraction=1.0, convergenceTol=0``; per iteration = (T(30) − T(10)) / 20,
    so the fixed costs of a training call cancel). Target: at most 0.6. Also against numpy on one
    process (the compute floor), and the Spark floor of (a) measured in the same rounds: a step
    that is one Spark job cannot cost less than that floor, so floor / MLlib bounds the ratio.

The machine is shared: every comparison interleaves the things compared, repeats them, and
reports medians and the ratio of medians (plus the median of per-round ratios).

    python benchmarks/step_cost.py                  # both parts
    python benchmarks/step_cost.py --only lesson    # (a) only
    python benchmarks/step_cost.py --rows 200000    # a smaller (b)
    python benchmarks/step_cost.py --json out.json  # also write the figures as JSON

10M rows with a 1 GB driver: ``benchmarks/big_driver.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from stepper import (  # noqa: E402
    GeneratorSpec,
    Problem,
    Stepper,
    add_intercept,
    from_generator,
    load_csv,
    spark_session,
    standardize,
)
from stepper.data.synthetic import generate_rows, partition_bounds  # noqa: E402
from stepper.problems import logistic_sums  # noqa: E402


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def median(values: list[float]) -> float:
    return float(statistics.median(values))


def floor_job(sc, partitions: int, width: int):
    """The Spark floor: a trivial job returning one small vector per partition."""
    indices = sc.parallelize(range(partitions), partitions)

    def job():
        return indices.mapPartitions(lambda _it: [np.zeros(width)]).collect()

    return job


def bench_lesson(sc, repeats: int) -> dict:
    data = add_intercept(standardize(load_csv(os.path.join(ROOT, "data", "logistic2d_train.csv"),
                                              partitions=4, sc=sc)))
    run = Stepper(data, Problem("logistic", l2=0.005), algorithm="gd", lr="1/L", trace="full")
    floor = floor_job(sc, 4, data.features)
    for _ in range(5):  # warm up: Python workers started, blocks decoded, L computed
        run.step()
        floor()
    steps, floors, ratios = [], [], []
    for k in range(repeats):
        if k % 2:  # alternate the order, so drifts in load hit both
            f = timed(floor)
            s = timed(run.step)
        else:
            s = timed(run.step)
            f = timed(floor)
        steps.append(s)
        floors.append(f)
        ratios.append(s / f)
    return {
        "step_median_s": median(steps), "floor_median_s": median(floors),
        "ratio_of_medians": median(steps) / median(floors),
        "median_of_ratios": median(ratios), "repeats": repeats,
        "path": run.current.reduce["path"],
        "step_s": steps, "floor_s": floors,
    }


def mllib_points(sc, spec: GeneratorSpec, partitions: int):
    """The generator's rows as MLlib LabeledPoints (labels {0, 1}), cached, same partitioning."""
    from pyspark.mllib.regression import LabeledPoint

    def rows(p, _it):
        lo, hi = partition_bounds(spec.rows, partitions, p)
        X, y = generate_rows(spec, lo, hi)
        for features, label in zip(X, y, strict=True):
            yield LabeledPoint((label + 1.0) / 2.0, features)

    points = sc.parallelize(range(partitions), partitions).mapPartitionsWithIndex(rows).cache()
    points.count()
    return points


def bench_large(sc, rows: int, features: int, rounds: int, engine_steps: int) -> dict:
    from pyspark.mllib.classification import LogisticRegressionWithSGD

    spec = GeneratorSpec(rows=rows, features=features, seed=0)
    data = from_generator(spec, partitions=4, sc=sc)
    run = Stepper(data, Problem("logistic"), algorithm="gd", lr=0.5, trace="full")
    points = mllib_points(sc, spec, 4)

    def mllib(iterations: int):
        return LogisticRegressionWithSGD.train(
            points, iterations=iterations, step=0.5, miniBatchFraction=1.0,
            initialWeights=np.zeros(features), regParam=0.0, regType=None, intercept=False,
            convergenceTol=0.0)

    X, y = generate_rows(spec, 0, rows)
    w = np.zeros(features)

    def numpy_gradient():
        logistic_sums(X, y, w)

    floor = floor_job(sc, 4, features)
    for _ in range(3):
        run.step()
    numpy_gradient()
    mllib(2)
    engine, numpy_times, per_iteration, round_ratios, floors = [], [], [], [], []
    for _ in range(rounds):
        short = timed(lambda: mllib(10))
        long = timed(lambda: mllib(30))
        # MLlib's train() starts with data.first(): the Python worker that serves it stops
        # reading mid-partition, so Spark does not reuse it, and the blocks it kept are gone.
        # Two untimed steps rebuild them: what is timed is the steady state of a run.
        for _ in range(2):
            run.step()
        mine = []
        for _ in range(engine_steps):
            mine.append(timed(run.step))
            floors.append(timed(floor))
        numpy_times += [timed(numpy_gradient) for _ in range(3)]
        per = (long - short) / 20
        per_iteration.append(per)
        engine += mine
        round_ratios.append(median(mine) / per)
    # the last engine step's trajectory agrees with numpy (sanity check of what was timed)
    record = run.current
    check = logistic_sums(X, y, record.weights_before)
    agree = abs(check.loss / rows - record.objective) <= 1e-12 * abs(check.loss / rows)
    points.unpersist()
    return {
        "rows": rows, "features": features,
        "engine_step_median_s": median(engine),
        "mllib_per_iteration_median_s": median(per_iteration),
        "numpy_gradient_median_s": median(numpy_times),
        "ratio_engine_over_mllib": median(engine) / median(per_iteration),
        "median_of_round_ratios": median(round_ratios),
        "ratio_engine_over_numpy": median(engine) / median(numpy_times),
        "floor_median_s": median(floors),
        "ratio_floor_over_mllib": median(floors) / median(per_iteration),
        "rounds": rounds, "engine_steps_per_round": engine_steps,
        "engine_s": engine, "mllib_per_iteration_s": per_iteration,
        "objective_matches_numpy": bool(agree), "path": record.reduce["path"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=("lesson", "large"), default=None)
    parser.add_argument("--repeats", type=int, default=21, help="(a): step/floor pairs")
    parser.add_argument("--rows", type=int, default=1_000_000, help="(b): generated rows")
    parser.add_argument("--features", type=int, default=20, help="(b): features")
    parser.add_argument("--rounds", type=int, default=5, help="(b): MLlib 10/30 rounds")
    parser.add_argument("--engine-steps", type=int, default=5,
                        help="(b): timed engine steps per round")
    parser.add_argument("--json", default=None, help="also write the figures to this file")
    args = parser.parse_args()

    spark = spark_session(master="local[2]", ui_port=None, driver_memory="3g",
                          app_name="stepper benchmark")
    sc = spark.sparkContext
    results: dict = {"master": sc.master, "cpu_count": os.cpu_count(),
                     "load_average_start": os.getloadavg()}
    if args.only in (None, "lesson"):
        a = results["lesson"] = bench_lesson(sc, args.repeats)
        print(f"(a) lesson data, 1000 rows, 4 partitions, trace full: step {a['step_median_s']:.4f}"
              f" s, Spark floor {a['floor_median_s']:.4f} s (medians of {a['repeats']})")
        print(f"    step / floor = {a['ratio_of_medians']:.3f} (median of per-pair ratios "
              f"{a['median_of_ratios']:.3f}); target <= 1.3")
    if args.only in (None, "large"):
        b = results["large"] = bench_large(sc, args.rows, args.features, args.rounds,
                                           args.engine_steps)
        print(f"(b) {b['rows']} rows x {b['features']} features, 4 partitions: engine step "
              f"{b['engine_step_median_s']:.4f} s, MLlib SGD per iteration "
              f"{b['mllib_per_iteration_median_s']:.4f} s, numpy one process "
              f"{b['numpy_gradient_median_s']:.4f} s")
        print(f"    engine / MLlib = {b['ratio_engine_over_mllib']:.3f} (median of per-round "
              f"ratios {b['median_of_round_ratios']:.3f}); target <= 0.6")
        print(f"    Spark floor (trivial 4-task job) {b['floor_median_s']:.4f} s: floor / MLlib = "
              f"{b['ratio_floor_over_mllib']:.3f}, engine / floor = "
              f"{b['engine_step_median_s'] / b['floor_median_s']:.3f} (one Spark job per step "
              "cannot go below the floor)")
        print(f"    engine / numpy = {b['ratio_engine_over_numpy']:.2f}; "
              f"objective matches numpy: {b['objective_matches_numpy']}; path {b['path']}")
    results["load_average_end"] = os.getloadavg()
    print(f"load average start {results['load_average_start'][0]:.1f}, "
          f"end {results['load_average_end'][0]:.1f} on {results['cpu_count']} cores")
    if args.json:
        with open(args.json, "w") as out:
            json.dump(results, out, indent=1)
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
