"""Time to accuracy: how long each method takes to reach J(w) − J* ≤ 1e-6, against spark.ml.

The problem: logistic regression with ridge, no intercept,

    J(w) = (1/n) Σᵢ log(1 + exp(−yᵢ wᵀxᵢ)) + (λ₂/2)‖w‖²,   λ₂ = 1e-4,

on ``rows=1000000,features=20,seed=0`` generated rows (4 partitions, ``local[2]``); J* = J(w*)
with w* from damped Newton in numpy on the driver (to ‖∇J‖ ≤ 1e-13).

spark.ml: ``LogisticRegression(regParam=λ₂, elasticNetParam=0, standardization=False,
fitIntercept=False, tol=0)`` (L-BFGS). With elasticNetParam α = 0 its penalty
α λ‖w‖₁ + (1 − α)(λ/2)‖w‖² is (regParam/2)‖w‖², added to the *mean* log-loss (the spark.ml
and spark.mllib docs: f(w) = λR(w) + (1/n)Σ L(w; xᵢ, yᵢ)), so regParam = λ₂; its labels are
{0, 1} (= (y + 1)/2). Its iterations to 1e-6: one long fit's objective history (J at every
iterate: the objective does not change in spark.ml's internally scaled coordinates) gives the
first k within the target, confirmed by a fit with maxIter = k (J in numpy from its
coefficients); the long fit reaching J* (printed) checks the mapping of λ. Its time per
iteration: (T(k) − T(1)) / (iterations(k) − iterations(1)), medians over repeats, so a fit's
fixed costs (the summary pass, blockifying the rows) are left out.

Ours: each method in :data:`METHODS` (and any other registered full-batch method, with its
defaults), on the same rows, partitions and cores. Its time = the sum of the records'
``timing["total"]`` up to the first iterate w_k with J(w_k) − J* ≤ 1e-6 (J in numpy on the
driver, not timed), counted from the first iteration after the blocks are in the workers (an
untimed pass builds them: that is loading). Rounds = the records' ``rounds`` (line-search
rounds included); bytes = broadcast + bytes reaching the driver (line-search rounds not
included). A method must keep converging: J − J* ≤ 1e-10 within 20 more rounds. Methods that
reach the target within 10 rounds run ``--method-repeats`` times (median time shown).

Data sets (``--only``): ``iid``, the generated rows as they come; ``non-iid``, the same rows
sorted by label (partitions 0–1 hold only −1 labels, 2–3 only +1) — note that with x ~ N(0, I)
and no intercept, x ↦ −x maps the −1 rows' problem onto the +1 rows' one, so every partition's
own problem is the global one in distribution and one-shot averaging still works; ``churn``,
``data/churn.csv`` standardized with an intercept column that is not penalized (spark.ml:
``fitIntercept=True`` on the other columns, which does not penalize its intercept either;
a constant column with ``fitIntercept=False`` would get a zero coefficient in spark.ml, whose
internal scaling drops zero-variance columns); ``churn-non-iid``, its rows sorted by label
(5 % churners: partitions 0–2 hold only stayers), a split that is really not identically
distributed.

    python benchmarks/time_to_accuracy.py                      # 1M rows, four tables
    python benchmarks/time_to_accuracy.py --quick              # 100k rows (a smoke run)
    python benchmarks/time_to_accuracy.py --rows 300000 --only iid non-iid
    python benchmarks/time_to_accuracy.py --json out.json      # also write the figures
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from typing import Any

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from stepper import (  # noqa: E402
    GeneratorSpec,
    Problem,
    Stepper,
    add_intercept,
    from_generator,
    from_numpy,
    load_csv,
    spark_session,
    standardize,
)
from stepper.algorithms import REGISTRY  # noqa: E402
from stepper.data.synthetic import generate_rows, partition_bounds  # noqa: E402
from stepper.errors import DivergenceError, StepperError  # noqa: E402
from stepper.problems import logistic_sums  # noqa: E402

LAMBDA = 1e-4
TARGET = 1e-6
KEEP_TARGET = 1e-10
KEEP_ROUNDS = 20
PARTITIONS = 4
SETTINGS = ("iid", "non-iid", "churn", "churn-non-iid")
REPEAT_BELOW = 10
"""Methods that reach the target within this many rounds are run ``--method-repeats`` times."""

METHODS: list[tuple[str, str, dict[str, Any], float | str | None]] = [
    # label                    registry name   hyperparameters                         lr
    ("gd spectral", "gd", {}, "spectral"),
    ("gd 1/L", "gd", {}, "1/L"),
    ("momentum spectral", "momentum", {}, "spectral"),
    ("nesterov spectral", "nesterov", {}, "spectral"),
    ("newton", "newton", {}, 1.0),
    ("lbfgs", "lbfgs", {}, None),
    ("local_sgd", "local_sgd", {}, None),
    ("admm", "admm", {}, None),
    ("avg_newton", "avg_newton", {}, None),
    ("avg_newton 4 local", "avg_newton", {"local_steps": 4}, None),
    ("avg_newton H 1/10", "avg_newton", {"hessian_fraction": 0.1}, None),
    ("avg_newton H̄ later", "avg_newton", {"hessian_fraction": 0.1, "later": "averaged"}, None),
]
"""The methods timed, with their settings (methods not registered in this branch are skipped;
any other registered full-batch method is added with its defaults)."""


def median(values: list[float]) -> float:
    return float(statistics.median(values))


# -- the data sets -----------------------------------------------------------------------------
class Setting:
    """One data set: our Dataset, the rows in numpy, how spark.ml gets the same partitions."""

    def __init__(self, name: str, data: Any, X: np.ndarray, y: np.ndarray, problem: Problem,
                 partition_rows: Any) -> None:
        self.name, self.data, self.X, self.y, self.problem = name, data, X, y, problem
        self.partition_rows = partition_rows  # p -> (X_p, y_p), run in the executors
        self.mask = problem.penalty_mask(X.shape[1], data.intercept)

    def objective(self, w: np.ndarray) -> float:
        sums = logistic_sums(self.X, self.y, w)
        return self.problem.totals(sums.loss, sums.gradient, len(self.y), w, self.mask)[0]


def generated(sc, rows: int, features: int, non_iid: bool) -> Setting:
    spec = GeneratorSpec(rows=rows, features=features, seed=0)
    X, y = generate_rows(spec, 0, rows)
    if non_iid:
        order = np.argsort(y, kind="stable")
        X, y = np.ascontiguousarray(X[order]), y[order]
        data = from_numpy(X, y, partitions=PARTITIONS, sc=sc, source=f"{spec} sorted by label")
    else:
        data = from_generator(spec, partitions=PARTITIONS, sc=sc)

    def partition_rows(p: int) -> tuple[np.ndarray, np.ndarray]:
        lo, hi = partition_bounds(rows, PARTITIONS, p)
        if not non_iid:
            return generate_rows(spec, lo, hi)
        Xa, ya = generate_rows(spec, 0, rows)
        order = np.argsort(ya, kind="stable")[lo:hi]
        return Xa[order], ya[order]

    name = "non-IID (rows sorted by label)" if non_iid else "IID (generated order)"
    return Setting(name, data, X, y, Problem("logistic", l2=LAMBDA), partition_rows)


def churn(sc, non_iid: bool) -> Setting:
    data = add_intercept(standardize(load_csv(os.path.join(ROOT, "data", "churn.csv"),
                                              header=True, label_column="churn",
                                              id_column="clientId", partitions=PARTITIONS,
                                              sc=sc)))
    block = data.to_numpy()
    X, y = np.asarray(block.X), np.asarray(block.y)
    if non_iid:  # 5 % churners: partitions 0–2 hold only stayers, 3 the churners and the rest
        order = np.argsort(y, kind="stable")
        X, y = np.ascontiguousarray(X[order]), y[order]
        data = add_intercept(from_numpy(X[:, 1:], y, partitions=PARTITIONS, sc=sc,
                                        source="churn.csv standardized, sorted by label"))
    blocks = [(X[a:b], y[a:b]) for a, b in (partition_bounds(len(y), PARTITIONS, p)
                                            for p in range(PARTITIONS))]
    problem = Problem("logistic", l2=LAMBDA)  # the intercept (column 0) not penalized
    name = "churn.csv (standardized, unpenalized intercept)"
    return Setting(name + (", rows sorted by label" if non_iid else ""), data, X, y, problem,
                   lambda p: blocks[p])


def numpy_optimum(setting: Setting) -> tuple[np.ndarray, float]:
    """Damped Newton in numpy on one machine, to ‖∇J‖ ≤ 1e-13."""
    X, y, problem, mask = setting.X, setting.y, setting.problem, setting.mask
    n = len(y)
    w = np.zeros(X.shape[1])
    for _ in range(100):
        sums = logistic_sums(X, y, w, hessian=True)
        J, g = problem.totals(sums.loss, sums.gradient, n, w, mask)
        if np.linalg.norm(g) <= 1e-13:
            break
        d = -np.linalg.solve(problem.hessian_total(sums.hessian, n, w, mask), g)
        eta = 1.0
        while setting.objective(w + eta * d) > J + 1e-4 * eta * float(g @ d) and eta > 1e-8:
            eta *= 0.5
        w = w + eta * d
    return w, setting.objective(w)


# -- spark.ml ----------------------------------------------------------------------------------
def spark_ml_frame(spark, setting: Setting):
    from pyspark.ml.linalg import DenseVector, VectorUDT
    from pyspark.sql.types import DoubleType, StructField, StructType

    partition_rows = setting.partition_rows

    skip = 1 if setting.data.intercept else 0  # spark.ml fits its own intercept

    def rows(p: int, _it):
        X, y = partition_rows(p)
        X = X[:, skip:]
        for features, label in zip(X, y, strict=True):
            yield (float((label + 1.0) / 2.0), DenseVector(features))

    schema = StructType([StructField("label", DoubleType()), StructField("features", VectorUDT())])
    rdd = spark.sparkContext.parallelize(range(PARTITIONS), PARTITIONS).mapPartitionsWithIndex(rows)
    frame = spark.createDataFrame(rdd, schema).cache()
    frame.count()
    return frame


def spark_ml(spark, setting: Setting, J_star: float, max_iterations: int, repeats: int) -> dict:
    from pyspark.ml.classification import LogisticRegression

    frame = spark_ml_frame(spark, setting)
    intercept = setting.data.intercept

    def weights(model) -> np.ndarray:
        coefficients = model.coefficients.toArray()
        return np.concatenate([[model.intercept], coefficients]) if intercept else coefficients

    def fit(iterations: int, tol: float = 0.0):
        estimator = LogisticRegression(maxIter=iterations, regParam=LAMBDA, elasticNetParam=0.0,
                                       standardization=False, fitIntercept=intercept, tol=tol)
        started = time.perf_counter()
        model = estimator.fit(frame)
        seconds = time.perf_counter() - started
        return model, seconds

    fit(1)  # warm up (JIT, the frame's cache)
    # One long fit: its objective history holds J at every iterate (the objective is the same
    # in spark.ml's internally scaled coordinates); the first k within the target is then
    # confirmed by a fit with maxIter = k, J computed in numpy from its coefficients.
    converged, _ = fit(max_iterations)
    history = np.asarray(converged.summary.objectiveHistory)
    mapping_gap = setting.objective(weights(converged)) - J_star
    within = np.flatnonzero(history - J_star <= TARGET)
    reached, gaps = None, [float(g) for g in history - J_star]
    if within.size:
        for k in range(max(int(within[0]), 1), int(within[0]) + 4):
            model, _ = fit(k)
            if setting.objective(weights(model)) - J_star <= TARGET:
                reached = model.summary.totalIterations
                break
    long = max(reached or 8, 8)
    per = []
    for _ in range(repeats):
        one_model, one = fit(1)
        many_model, many = fit(long)
        iterations = many_model.summary.totalIterations - one_model.summary.totalIterations
        per.append((many - one) / max(iterations, 1))
    frame.unpersist()
    per_iteration = median(per)
    return {"iterations": reached, "per_iteration_s": per_iteration,
            "seconds": None if reached is None else reached * per_iteration,
            "per_iteration_all_s": per, "gaps": gaps, "converged_gap": mapping_gap}


# -- our methods -------------------------------------------------------------------------------
def method_table() -> list[tuple[str, str, dict[str, Any], float | str | None]]:
    """:data:`METHODS` present in this branch, plus any other registered full-batch method."""
    table = [row for row in METHODS if row[1] in REGISTRY]
    listed = {row[1] for row in METHODS}
    for name, factory in REGISTRY.items():
        method = factory()
        if name not in listed and method.sampling == "full" and not method.simulated:
            table.append((name, name, {}, None))
    return table


def warm(data) -> None:
    """Blocks built in the workers (loading, not timed): a few passes over every partition."""
    for _ in range(3):
        data.map_partitions(lambda _p, block: block.rows)


def time_method(setting: Setting, J_star: float, label: str, name: str, hyper: dict,
                lr: float | str | None, max_rounds: int) -> dict:
    out: dict[str, Any] = {"method": label, "name": name, "hyper": hyper, "lr": lr}
    try:
        run = Stepper(setting.data, setting.problem, algorithm=REGISTRY[name](**hyper), lr=lr,
                      trace="none")
    except StepperError as error:
        return {**out, "skipped": str(error)}
    warm(setting.data)
    seconds = rounds = bytes_ = 0.0
    reached: dict[str, Any] | None = None
    gaps = []
    try:
        while True:
            record = run.step()
            seconds += record.timing["total"]
            rounds += record.rounds
            bytes_ += record.broadcast["bytes"] + record.reduce["bytes_to_driver"]
            gap = setting.objective(record.weights) - J_star
            gaps.append(gap)
            if record.update.get("fallback"):
                out["fallback"] = True  # avg_newton: the average was rejected
            if reached is None and gap <= TARGET:
                reached = {"rounds": int(rounds), "bytes": int(bytes_), "seconds": seconds,
                           "records": len(gaps)}
            if reached is not None and gap <= KEEP_TARGET:
                out["kept"] = True
                out["rounds_to_keep"] = int(rounds - reached["rounds"])
                break
            if reached is not None and rounds - reached["rounds"] >= KEEP_ROUNDS:
                out["kept"] = False
                break
            if reached is None and rounds >= max_rounds:
                break
    except DivergenceError as error:
        out["diverged"] = str(error)
    out.update({"reached": reached, "gaps": gaps, "final_gap": gaps[-1] if gaps else None,
                "rounds_run": int(rounds)})
    return out


# -- the tables --------------------------------------------------------------------------------
def bench_setting(spark, setting: Setting, args) -> dict:
    w_star, J_star = numpy_optimum(setting)
    ml = spark_ml(spark, setting, J_star, args.ml_max_iterations, args.repeats)
    results = []
    for label, name, hyper, lr in method_table():
        runs = [time_method(setting, J_star, label, name, hyper, lr, args.max_rounds)]
        if (runs[0].get("reached") or {}).get("rounds", REPEAT_BELOW + 1) <= REPEAT_BELOW:
            runs += [time_method(setting, J_star, label, name, hyper, lr, args.max_rounds)
                     for _ in range(args.method_repeats - 1)]
        result = runs[0]
        times = [r["reached"]["seconds"] for r in runs if r.get("reached")]
        if times:
            result["reached"]["seconds"] = median(times)
            result["seconds_all"] = times
        results.append(result)
        print(f"  .. {label}: {describe(result, ml)}", flush=True)
    return {"setting": setting.name, "rows": len(setting.y), "features": setting.X.shape[1],
            "J_star": J_star, "w_star_norm": float(np.linalg.norm(w_star)), "spark_ml": ml,
            "methods": results}


def describe(result: dict, ml: dict) -> str:
    if "skipped" in result:
        return f"skipped: {result['skipped']}"
    if result.get("reached") is None:
        extra = f"diverged ({result['diverged']})" if "diverged" in result else \
            f"not reached in {result['rounds_run']} rounds (J − J* = {result['final_gap']:.1e})"
        return extra
    reached = result["reached"]
    ratio = reached["seconds"] / ml["seconds"] if ml.get("seconds") else float("nan")
    return f"{reached['rounds']} rounds, {reached['seconds']:.2f} s, {ratio:.2f}× spark.ml"


def print_table(table: dict) -> None:
    ml = table["spark_ml"]
    print(f"\n{table['setting']}: {table['rows']} rows × {table['features']} features, "
          f"{PARTITIONS} partitions, λ₂ = {LAMBDA:g}, J* = {table['J_star']:.12f}")
    header = (f"{'method':<22} {'rounds':>6} {'bytes':>10} {'seconds':>8} {'× spark.ml':>10}  "
              "keeps converging (J − J* ≤ 1e-10 within 20 more rounds)")
    print(header)
    print("-" * len(header))
    if ml["iterations"] is None:
        print(f"{'spark.ml L-BFGS':<22} {'—':>6} {'':>10} {'—':>8} {'':>10}  not reached")
    else:
        print(f"{'spark.ml L-BFGS':<22} {ml['iterations']:>6} {'':>10} {ml['seconds']:>8.3f} "
              f"{1.0:>10.2f}  {ml['per_iteration_s']:.3f} s per iteration, (T(k) − T(1))/(k − 1)"
              f"; long fit reaches J − J* = {ml['converged_gap']:.1e}")
    for result in table["methods"]:
        label = result["method"]
        if "skipped" in result:
            print(f"{label:<22} {'':>6} {'':>10} {'':>8} {'':>10}  skipped: {result['skipped']}")
            continue
        reached = result.get("reached")
        if reached is None:
            print(f"{label:<22} {'—':>6} {'':>10} {'—':>8} {'':>10}  {describe(result, ml)}")
            continue
        ratio = reached["seconds"] / ml["seconds"] if ml.get("seconds") else float("nan")
        kept = ("yes, in " + str(result["rounds_to_keep"]) + " more") if result.get("kept") \
            else f"NO (J − J* = {result['final_gap']:.1e} after 20 more)"
        if result.get("fallback"):
            kept += "; the average was rejected (fell back to Newton from w₀)"
        print(f"{label:<22} {reached['rounds']:>6} {reached['bytes']:>10} "
              f"{reached['seconds']:>8.3f} {ratio:>10.2f}  {kept}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="generated rows")
    parser.add_argument("--features", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="100k rows (a smoke run)")
    parser.add_argument("--only", nargs="+", choices=tuple(SETTINGS), default=SETTINGS)
    parser.add_argument("--max-rounds", type=int, default=60,
                        help="give up on a method after this many rounds")
    parser.add_argument("--ml-max-iterations", type=int, default=300,
                        help="spark.ml's long fit (its objective history finds k)")
    parser.add_argument("--repeats", type=int, default=3, help="spark.ml T(1)/T(k) pairs")
    parser.add_argument("--method-repeats", type=int, default=3,
                        help="runs of each method that needs at most 10 rounds (median shown)")
    parser.add_argument("--json", default=None, help="also write the figures to this file")
    args = parser.parse_args()
    rows = 100_000 if args.quick else args.rows

    spark = spark_session(master="local[2]", ui_port=None, driver_memory="3g",
                          app_name="stepper time to accuracy")
    sc = spark.sparkContext
    out: dict[str, Any] = {"master": sc.master, "cpu_count": os.cpu_count(),
                           "load_average_start": os.getloadavg(), "tables": []}
    makers = {"iid": lambda: generated(sc, rows, args.features, False),
              "non-iid": lambda: generated(sc, rows, args.features, True),
              "churn": lambda: churn(sc, False), "churn-non-iid": lambda: churn(sc, True)}
    for key in args.only:
        setting = makers[key]()
        print(f"{setting.name} ...", flush=True)
        table = bench_setting(spark, setting, args)
        out["tables"].append(table)
        print_table(table)
        setting.data.unpersist()
    out["load_average_end"] = os.getloadavg()
    print(f"\nload average start {out['load_average_start'][0]:.1f}, "
          f"end {out['load_average_end'][0]:.1f} on {out['cpu_count']} cores")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(out, handle, indent=1, default=float)
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
