"""The command line's options (argparse): ``stepper run`` and ``stepper replay``."""

from __future__ import annotations

import argparse
from typing import NoReturn

from stepper.algorithms import ALGORITHMS

_RUN_EXAMPLE = """examples:
  stepper run --data data/logistic2d_train.csv --algorithm gd --lr 0.5 --steps 20 --trace out.jsonl
  stepper run --data data/logistic2d_train.csv --algorithm newton --lr 1 --l2 0.005 --tol 1e-10
  stepper run --generate rows=1M,features=20,seed=0 --algorithm momentum --lr 1/L --steps 10
  stepper run --data churn.csv --header --label-column churn --id-column clientId --l2 0.005
"""


class UsageError(Exception):
    """A bad command line, found by argparse."""


class Parser(argparse.ArgumentParser):
    """argparse, but a bad command line is one line (no usage block), raised rather than exited."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _learning_rate(text: str) -> float | str:
    rule = text.strip()
    named = {"1/l": "1/L", "armijo": "armijo", "spectral": "spectral", "wolfe": "wolfe"}
    if rule.lower() in named:
        return named[rule.lower()]
    try:
        return float(rule)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a step size: give a positive number, 1/L, spectral, armijo or wolfe"
        ) from None


def _partition_at(text: str) -> tuple[int, int]:
    try:
        partition, iteration = (int(part) for part in text.split("@"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not P@K (a partition and an iteration, e.g. 2@3)") from None
    return partition, iteration


def _column(text: str) -> int | str:
    return int(text) if text.lstrip("-").isdigit() else text


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="stepper",
        description="Distributed optimization with Apache Spark, one iteration at a time.",
    )
    commands = parser.add_subparsers(dest="command", metavar="{run,replay}")
    commands.required = True

    run = commands.add_parser(
        "run", help="run an optimizer on Spark and print one line per iteration",
        description="Run an optimizer on Spark, one iteration at a time, printing a table "
        "(iteration, objective, gradient norm, step size, training accuracy, time).",
        epilog=_RUN_EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    source = run.add_argument_group("data (one of --data or --generate)")
    chosen = source.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--data", metavar="PATH",
                        help="a CSV file (workshop layout: label first, no header), a LIBSVM "
                        "file (.libsvm, .svm) or Parquet (.parquet); a directory of part files")
    chosen.add_argument("--generate", metavar="SPEC",
                        help="synthetic rows built on the executors, e.g. "
                        "rows=1000000,features=20,seed=0 (keys: rows, features, seed, task, "
                        "noise; 1M = 10^6)")
    source.add_argument("--format", choices=("auto", "csv", "libsvm", "parquet"), default="auto",
                        help="file format (default: from the extension, else csv)")
    source.add_argument("--label-column", type=_column, default=None, metavar="COL",
                        help="label column: 0-based index or header name (default 0; "
                        "'label' for Parquet)")
    source.add_argument("--header", action="store_true",
                        help="the CSV's first line names the columns")
    source.add_argument("--id-column", type=_column, default=None, metavar="COL",
                        help="a column to drop (index or header name), e.g. clientId")
    source.add_argument("--delimiter", default=",", help="CSV delimiter (default ',')")
    source.add_argument("--task", choices=("classification", "regression"), default=None,
                        help="labels are classes (±1 or 0/1) or numbers (default: "
                        "regression for --problem squares, else classification)")
    source.add_argument("--standardize", action=argparse.BooleanOptionalAction, default=None,
                        help="scale features to mean 0, deviation 1 (default: on for --data, "
                        "off for --generate)")
    source.add_argument("--intercept", action=argparse.BooleanOptionalAction, default=None,
                        help="add a constant feature 1 as column 0 (default: on for --data, "
                        "off for --generate)")
    source.add_argument("--partitions", type=int, default=4, metavar="P",
                        help="number of partitions (default 4)")

    model = run.add_argument_group("problem")
    model.add_argument("--problem", default="logistic",
                       help="logistic (labels ±1), squares (least squares) or hinge (linear SVM)")
    model.add_argument("--l2", type=float, default=0.0, metavar="λ2",
                       help="ridge strength: + (λ2/2)‖w‖² (default 0)")
    model.add_argument("--l1", type=float, default=0.0, metavar="λ1",
                       help="lasso strength: + λ1‖w‖₁ (default 0)")
    model.add_argument("--l1-mode", default="prox",
                       help="prox (soft-thresholding) or smooth (pseudo-Huber, the workshop's)")
    model.add_argument("--penalize-intercept", action="store_true",
                       help="regularize the intercept too")

    method = run.add_argument_group("algorithm")
    method.add_argument("--algorithm", default="gd",
                        help=f"one of {', '.join(ALGORITHMS)} (default gd)")
    method.add_argument("--lr", type=_learning_rate, default=None, metavar="STEP",
                        help="step size: a positive number, 1/L (L = ¼·maxᵢ‖xᵢ‖² + λ2 for "
                        "logistic), spectral (1/λmax(¼XᵀX/n + λ2 I), the exact Lipschitz step "
                        "of logistic regression), armijo (backtracking; gd, newton, lbfgs) or "
                        "wolfe (strong Wolfe search; lbfgs) "
                        "(default: the method's own: 1/L for the gradient family, 1 for newton "
                        "and lbfgs)")
    method.add_argument("--schedule", default="constant",
                        help="constant, or inv_sqrt: η/√t at iteration t (MLlib's SGD)")
    method.add_argument("--momentum", type=float, default=None, metavar="μ",
                        help="momentum μ in [0, 1) (default 0.9 for momentum and nesterov)")
    method.add_argument("--batch-fraction", type=float, default=0.01, metavar="F",
                        help="minibatch: expected share of rows per step, drawn with "
                        "RDD.sample (default 0.01)")
    method.add_argument("--without-replacement", action="store_true",
                        help="minibatch: sample without replacement")
    method.add_argument("--memory", type=int, default=None, metavar="M",
                        help="lbfgs: curvature pairs kept (default 10)")
    method.add_argument("--local-steps", type=int, default=None, metavar="H",
                        help="local_sgd: steps each partition takes on its own rows per round")
    method.add_argument("--rho", type=float, default=None, metavar="ρ",
                        help="admm: penalty parameter ρ > 0")
    method.add_argument("--workers", type=int, default=None, metavar="W",
                        help="async_sgd: simulated workers")
    method.add_argument("--staleness", type=int, default=None, metavar="τ",
                        help="async_sgd: bound on a gradient's staleness (a worker waits)")
    method.add_argument("--variant", default=None,
                        help="async_sgd: ps (parameter server), hogwild or sync")
    method.add_argument("--non-iid", action="store_true",
                        help="split rows into partitions by label (each partition mostly one "
                        "class: client drift for local_sgd and admm)")
    method.add_argument("--init", default="zeros", help="zeros or random (N(0, 1) from --seed)")
    method.add_argument("--seed", type=int, default=0, help="seed for samples and init")

    steps = run.add_argument_group("iterations and trace")
    steps.add_argument("--steps", type=int, default=20, metavar="N",
                       help="iterations to run (default 20)")
    steps.add_argument("--tol", type=float, default=None, metavar="TOL",
                       help="stop early once the gradient norm is below TOL")
    steps.add_argument("--trace", metavar="PATH", help="write the JSON-lines trace here")
    steps.add_argument("--trace-level", default="full",
                       help="full (per-partition gradients), summary (their norms) or none "
                       "(nothing per partition reaches the driver) (default full)")
    steps.add_argument("--depth", type=int, default=2,
                       help="treeAggregate depth of the reduce (default 2)")
    steps.add_argument("--every", type=int, default=1, metavar="K",
                       help="print every K-th iteration (and the last) (default 1)")
    steps.add_argument("--quiet", action="store_true", help="no table, only the summary")

    faults = run.add_argument_group("faults (to see what an iteration costs)")
    faults.add_argument("--task-delay", type=float, default=None, metavar="SECONDS",
                        help="each map task sleeps a seeded random time of this mean")
    faults.add_argument("--delay-kind", default="exponential",
                        help="exponential, lognormal (heavy-tailed) or uniform")
    faults.add_argument("--stragglers", type=float, default=0.0, metavar="P",
                        help="probability that a task is 10 times slower still")
    faults.add_argument("--fail-task", type=_partition_at, default=None, metavar="P@K",
                        help="partition P's task fails once in iteration K (Spark retries it "
                        "on a master that allows retries: local[N,F] or a cluster)")

    spark = run.add_argument_group("Spark")
    spark.add_argument("--master", default=None,
                       help="Spark master URL (default $STEPPER_MASTER, else local[*])")
    spark.add_argument("--ui-port", type=int, default=None, metavar="PORT",
                       help="serve the Spark UI on PORT while running (default: no UI)")
    spark.add_argument("--driver-memory", default=None, metavar="MEM",
                       help="spark.driver.memory, e.g. 1g")
    spark.add_argument("--spark-log", default=None, metavar="PATH",
                       help="where Spark's console output goes ('-' for stderr; default a "
                       "temporary file, kept only when an error message names it)")
    spark.add_argument("--debug", action="store_true",
                       help="show Python tracebacks instead of one-line errors")

    replay = commands.add_parser(
        "replay", help="print the table of a saved trace (no Spark needed)",
        description="Print the per-iteration table of a trace file written by 'stepper run "
        "--trace' (or Stepper.save), without Spark or Java.",
    )
    replay.add_argument("trace", metavar="TRACE", help="a JSON-lines trace file")
    replay.add_argument("--partitions", action="store_true", dest="show_partitions",
                        help="also print what each partition computed at each iteration")
    replay.add_argument("--every", type=int, default=1, metavar="K",
                        help="print every K-th iteration (and the last)")
    replay.add_argument("--debug", action="store_true",
                        help="show Python tracebacks instead of one-line errors")
    return parser


