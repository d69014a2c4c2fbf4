"""The command line: run an optimizer on Spark one iteration at a time, or replay a saved trace.

::

    python -m stepper run --data data/logistic2d_train.csv --problem logistic --algorithm gd \\
        --lr 0.5 --steps 20 --partitions 4 --trace out.jsonl
    python -m stepper run --generate rows=1000000,features=20,seed=0 --lr 1/L --steps 10
    python -m stepper replay out.jsonl

``run`` prints one table row per iteration (iteration, objective, gradient norm, step size,
training accuracy, wall time) and, with ``--trace``, writes the JSON-lines trace described in
:mod:`stepper.trace`. ``replay`` prints the same table from a trace file, without Spark or Java.

Data: ``--data`` reads the workshop's CSV layout as it is (label first, no header); other layouts
through ``--label-column``, ``--header``, ``--id-column``, ``--delimiter``; LIBSVM and Parquet by
their extension or ``--format``. Files are standardized and given an intercept column (the
workshop's preparation) unless ``--no-standardize`` / ``--no-intercept``; generated data
(already standard normal, no bias in its model) is used as it is unless asked.

Errors never show a traceback: one line ``stepper: error: …`` on stderr and the exit status

* 0: done;
* 1: the run failed (bad data, located as ``file:line:column``; Java missing; Spark failed; a
  step diverged — the iterations done before it are still written to the trace);
* 2: bad command line or settings (found before Spark starts);
* 130: interrupted (Ctrl-C; the iterations done are written to the trace).

Spark's own console output (JVM warnings, logs, Python worker errors) goes to a log file, not to
the terminal, so that stderr holds only this program's messages: ``--spark-log PATH`` chooses the
file (kept), ``--spark-log -`` leaves Spark's output on stderr; by default it goes to a temporary
file that is deleted at the end unless a Spark error message names it.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import sys
import tempfile
import time
from typing import Any, NoReturn

from stepper.errors import ConfigError, DataError, DivergenceError, StepperError

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

# Settings' parameter names → the option that sets them (for error messages).
_OPTION_OF = {
    "trace": "--trace-level",
    "problem": "--problem",
    "loss": "--problem",
}

_RUN_EXAMPLE = """examples:
  stepper run --data data/logistic2d_train.csv --algorithm gd --lr 0.5 --steps 20 --trace out.jsonl
  stepper run --data data/logistic2d_train.csv --algorithm newton --lr 1 --l2 0.005 --tol 1e-10
  stepper run --generate rows=1M,features=20,seed=0 --algorithm momentum --lr 1/L --steps 10
  stepper run --data churn.csv --header --label-column churn --id-column clientId --l2 0.005
"""


class UsageError(Exception):
    """A bad command line, found by argparse."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a bad command line is one line (no usage block), raised rather than exited."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _learning_rate(text: str) -> float | str:
    rule = text.strip()
    if rule.lower() == "1/l":
        return "1/L"
    if rule.lower() == "armijo":
        return "armijo"
    try:
        return float(rule)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a step size: give a positive number, 1/L or armijo") from None


def _column(text: str) -> int | str:
    return int(text) if text.lstrip("-").isdigit() else text


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
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
                        help="gd, momentum, nesterov, sgd, minibatch or newton (default gd)")
    method.add_argument("--lr", type=_learning_rate, default="1/L", metavar="STEP",
                        help="step size: a positive number, 1/L (L = ¼·maxᵢ‖xᵢ‖² + λ2 for "
                        "logistic) or armijo (backtracking; gd and newton) (default 1/L)")
    method.add_argument("--schedule", default="constant",
                        help="constant, or inv_sqrt: η/√t at iteration t (MLlib's SGD)")
    method.add_argument("--momentum", type=float, default=None, metavar="μ",
                        help="momentum μ in [0, 1) (default 0.9 for momentum and nesterov)")
    method.add_argument("--batch-fraction", type=float, default=0.01, metavar="F",
                        help="minibatch: expected share of rows per step, drawn with "
                        "RDD.sample (default 0.01)")
    method.add_argument("--without-replacement", action="store_true",
                        help="minibatch: sample without replacement")
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


# -- output ------------------------------------------------------------------------------------
_HEADER = f"{'iter':>5}  {'objective':>16}  {'grad norm':>10}  {'step':>10}  {'accuracy':>8}  " \
          f"{'time (s)':>8}"


def _row(record: Any) -> str:
    step = record.update.get("step_size") if record.update else None
    accuracy = "-" if record.accuracy is None else f"{record.accuracy:.4f}"
    total = record.timing.get("total") if record.timing else None
    return (f"{record.iteration:>5}  {record.objective:>16.10g}  {record.grad_norm:>10.3e}  "
            f"{'-' if step is None else format(step, '>10.4g'):>10}  {accuracy:>8}  "
            f"{'-' if total is None else format(total, '.3f'):>8}")


def _partition_rows(record: Any) -> list[str]:
    lines = []
    for part in record.partitions:
        if "gradient" in part:
            norm = math.sqrt(sum(float(g) ** 2 for g in part["gradient"]))
        else:
            norm = part.get("gradient_norm", float("nan"))
        lines.append(
            f"{'':>7}partition {part['index']:>3}: {part['rows']:>9} rows  "
            f"loss Σ {part['loss']:.6g}  ‖gradient Σ‖ {norm:.4g}  "
            f"{part.get('seconds', float('nan')):.3f} s  executor {part.get('executor', '?')}  "
            f"attempt {part.get('attempt', '?')}"
        )
    return lines


def _weights_text(w: Any, limit: int = 8) -> str:
    values = [float(v) for v in w]
    shown = ", ".join(f"{v:.6g}" for v in values[:limit])
    more = f", … ({len(values)} in all)" if len(values) > limit else ""
    return f"[{shown}{more}]"


def _print_table(records: list, every: int, out: Any, show_partitions: bool = False) -> None:
    print(_HEADER, file=out)
    for k, record in enumerate(records):
        if (k + 1) % every == 0 or k == len(records) - 1:
            print(_row(record), file=out)
            if show_partitions:
                for line in _partition_rows(record):
                    print(line, file=out)


# -- errors --------------------------------------------------------------------------------------
def _one_line(text: str, limit: int = 400) -> str:
    """A long, multi-line message (a Java or Python traceback) reduced to its telling line."""
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    if not lines:
        return ""
    if any(line.startswith("Traceback (most recent call last)") for line in lines):
        # a Python traceback (possibly inside a Java one): its last "Name: message" line
        candidates = [line for line in lines
                      if ":" in line.split(" ")[0] and not line.startswith(("File ", "at "))]
        line = candidates[-1] if candidates else lines[-1]
    else:
        line = lines[0]
    line = " ".join(line.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _describe_config_error(exc: ConfigError) -> str:
    option = _OPTION_OF.get(exc.parameter, "--" + exc.parameter.replace("_", "-"))
    return f"{option} {exc.value} is not valid: expected {exc.expected}"


def _describe_data_error(exc: DataError) -> str:
    where = ":".join(str(part) for part in (exc.path, exc.line, exc.column) if part is not None)
    return f"{where}: {exc.problem}" if where else exc.problem


def _describe_spark_error(exc: BaseException) -> str | None:
    """One line for an error raised by Spark or Py4J, or None if ``exc`` is not one."""
    try:
        from py4j.protocol import Py4JError, Py4JJavaError, Py4JNetworkError
    except ImportError:  # pragma: no cover - pyspark always brings py4j
        return None
    spark_errors: tuple[type[BaseException], ...] = ()
    try:
        from pyspark.errors import PySparkException

        spark_errors = (PySparkException,)
    except ImportError:  # pragma: no cover
        pass
    if isinstance(exc, Py4JJavaError):
        try:
            text = str(exc.java_exception.toString())
        except Exception:  # the JVM may be gone
            text = str(exc)
        return "Spark failed: " + _one_line(text)
    if isinstance(exc, (Py4JNetworkError, ConnectionError)):
        return "the Spark JVM stopped or cannot be reached"
    if isinstance(exc, Py4JError):
        return "Spark failed: " + _one_line(str(exc))
    if spark_errors and isinstance(exc, spark_errors):
        return "Spark failed: " + _one_line(str(exc))
    return None


class _FailureError(Exception):
    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def _fail(message: str, code: int = EXIT_FAILED) -> NoReturn:
    raise _FailureError(message, code)


# -- Spark's console output ------------------------------------------------------------------------
class _SparkOutput:
    """Send file descriptor 2 (inherited by the JVM and its Python workers) to a log file while
    this program's own messages keep the real stderr."""

    def __init__(self, spec: str | None) -> None:
        self.keep = spec is not None
        self.path: str | None = None
        if spec == "-":
            return
        if spec is None:
            handle, spec = tempfile.mkstemp(prefix="stepper-spark-", suffix=".log")
            os.close(handle)
        self.path = os.path.abspath(spec)
        sys.stderr.flush()
        target = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        saved = os.dup(2)
        os.dup2(target, 2)
        os.close(target)
        sys.stderr = os.fdopen(saved, "w", buffering=1, encoding="utf-8",
                               errors="backslashreplace")

    def note(self) -> str:
        """Mention the log in an error message (and so keep the file)."""
        if not self.path:
            return ""
        self.keep = True
        return f" (Spark's log: {self.path})"

    def first_exception(self) -> str | None:
        """The first Java exception line Spark wrote to the log (why the JVM did not start)."""
        if not self.path:
            return None
        try:
            with open(self.path, encoding="utf-8", errors="replace") as log:
                for line in log:
                    if line.startswith("Exception in thread") or line.startswith("Error:"):
                        text = line.split('" ', 1)[-1] if line.startswith("Exception") else line
                        return _one_line(text)
        except OSError:
            return None
        return None

    def finish(self) -> None:
        if self.path and not self.keep:
            with contextlib.suppress(OSError):
                os.remove(self.path)


# -- run -----------------------------------------------------------------------------------------
def _format_of(args: argparse.Namespace) -> str:
    if args.format != "auto":
        return args.format
    name = args.data.rstrip("/").lower()
    if name.endswith(".parquet"):
        return "parquet"
    if name.endswith((".libsvm", ".svm")):
        return "libsvm"
    return "csv"


def _check_before_spark(args: argparse.Namespace) -> tuple[Any, Any, Any]:
    """Every check that needs no Spark: settings, problem, data source, numbers."""
    from stepper.algorithms import Settings
    from stepper.data.synthetic import parse_generator_spec
    from stepper.problems import Problem

    if args.steps < 0:
        raise ConfigError("steps", args.steps, "a whole number ≥ 0")
    if args.partitions < 1:
        raise ConfigError("partitions", args.partitions, "a whole number ≥ 1")
    if args.every < 1:
        raise ConfigError("every", args.every, "a whole number ≥ 1")
    if args.tol is not None and not (math.isfinite(args.tol) and args.tol >= 0):
        raise ConfigError("tol", args.tol, "a finite number ≥ 0")
    problem = Problem(loss=args.problem, l2=args.l2, l1=args.l1, l1_mode=args.l1_mode,
                      penalize_intercept=args.penalize_intercept)
    settings = Settings(
        algorithm=args.algorithm, lr=args.lr, momentum=args.momentum,
        batch_fraction=args.batch_fraction, with_replacement=not args.without_replacement,
        depth=args.depth, trace=args.trace_level, seed=args.seed, init=args.init,
        schedule=args.schedule,
    )
    if settings.needs_hessian and not problem.twice_differentiable:
        raise ConfigError("algorithm", "newton", "a twice-differentiable objective (not "
                          "--problem hinge, and --l1 only with --l1-mode smooth)")
    task = args.task or ("regression" if problem.loss == "squares" else "classification")
    spec = None
    if args.generate is not None:
        try:
            spec = parse_generator_spec(args.generate)
        except ValueError as exc:
            _fail(f"--generate {args.generate}: {exc}", EXIT_USAGE)
        if args.task is None and "task=" not in args.generate.replace(" ", ""):
            from dataclasses import replace

            spec = replace(spec, task=task)
        task = spec.task
    else:
        path = args.data
        if "://" not in path and not os.path.exists(path):
            _fail(f"--data {path}: no such file or directory", EXIT_USAGE)
        if _format_of(args) != "csv" and (args.header or args.delimiter != ","):
            raise ConfigError("format", _format_of(args), "csv for --header and --delimiter")
        if _format_of(args) == "libsvm":  # a LIBSVM row is "label index:value …": no columns
            for option in ("label_column", "id_column"):
                if getattr(args, option) is not None:
                    raise ConfigError(option.replace("_", "-"), getattr(args, option),
                                      "CSV or Parquet data (a LIBSVM line puts its label "
                                      "first)")
    if problem.loss in ("logistic", "hinge") and task != "classification":
        raise ConfigError("problem", problem.loss,
                          "squares for regression data (labels are not classes)")
    if args.trace is not None and os.path.isdir(args.trace):
        raise ConfigError("trace", args.trace, "a file path (this is a directory)")
    return problem, settings, (spec, task)


def _load(args: argparse.Namespace, spec: Any, task: str, sc: Any) -> Any:
    from stepper.data.loaders import from_generator, load_csv, load_libsvm, load_parquet
    from stepper.data.prepare import add_intercept, standardize

    if spec is not None:
        data = from_generator(spec, partitions=args.partitions, sc=sc)
        default_prepare = False
    else:
        kind = _format_of(args)
        if kind == "csv":
            data = load_csv(args.data, partitions=args.partitions, header=args.header,
                            label_column=0 if args.label_column is None else args.label_column,
                            id_column=args.id_column, delimiter=args.delimiter, task=task, sc=sc)
        elif kind == "libsvm":
            data = load_libsvm(args.data, partitions=args.partitions, task=task, sc=sc)
        else:
            label = "label" if args.label_column is None else str(args.label_column)
            data = load_parquet(args.data, label_column=label,
                                id_column=None if args.id_column is None else str(args.id_column),
                                partitions=args.partitions, task=task)
        default_prepare = True
    if default_prepare if args.standardize is None else args.standardize:
        data = standardize(data)
    if default_prepare if args.intercept is None else args.intercept:
        data = add_intercept(data)
    return data


def _run(args: argparse.Namespace) -> int:
    problem, settings, (spec, task) = _check_before_spark(args)
    output = _SparkOutput(args.spark_log)
    try:
        return _run_on_spark(args, problem, settings, spec, task, output)
    finally:
        output.finish()


def _run_on_spark(args, problem, settings, spec, task, output: _SparkOutput) -> int:
    from stepper.engine import Stepper
    from stepper.session import resolve_master, spark_session

    session = None
    run = None
    out = sys.stdout
    try:
        try:
            session = spark_session(master=args.master, app_name="stepper run",
                                    ui_port=args.ui_port, driver_memory=args.driver_memory)
            data = _load(args, spec, task, session.sparkContext)
            run = Stepper(data, problem, settings)
            lr = settings.lr if isinstance(settings.lr, str) else f"{settings.lr:g}"
            regularization = "".join(
                f", {name}={value:g}" for name, value in (("l2", problem.l2), ("l1", problem.l1))
                if value)
            print(f"# {problem.loss}{regularization} · {settings.algorithm}, step {lr} · "
                  f"{data.source}: {data.rows} rows × {data.features} features, "
                  f"{data.partitions} partitions · {resolve_master(args.master)}", file=out)
            if not args.quiet:
                print(_HEADER, file=out, flush=True)
            started = time.perf_counter()
            stopped = None
            for k in range(args.steps):
                record = run.step()
                if not args.quiet and ((k + 1) % args.every == 0 or k == args.steps - 1
                                       or (args.tol is not None and record.grad_norm < args.tol)):
                    print(_row(record), file=out, flush=True)
                if args.tol is not None and record.grad_norm < args.tol:
                    stopped = record.iteration
                    break
            elapsed = time.perf_counter() - started
            if stopped is not None and run.current is not None:
                print(f"# converged: gradient norm {run.current.grad_norm:.3e} < {args.tol:g} "
                      f"at iteration {stopped}", file=out)
            if run.current is not None:
                print(f"# {run.iteration} iterations in {elapsed:.2f} s; weights "
                      f"{_weights_text(run.weights)}", file=out)
            _save(args, run, out)
            return EXIT_OK
        except DivergenceError as exc:
            _save(args, run, out)
            _fail(str(exc))
        except KeyboardInterrupt:
            _save(args, run, out)
            done = run.iteration if run is not None else 0
            _fail(f"interrupted after {done} iterations", EXIT_INTERRUPTED)
        except (_FailureError, StepperError, UsageError):
            raise
        except Exception as exc:
            described = _describe_spark_error(exc)
            if described is None or args.debug:
                raise
            if "JAVA_GATEWAY_EXITED" in described:
                why = output.first_exception()
                described = "Spark could not start" + (f": {why}" if why else "")
            _fail(described + output.note())
    finally:
        if session is not None:
            with contextlib.suppress(Exception):
                session.stop()


def _save(args: argparse.Namespace, run: Any, out: Any) -> None:
    if args.trace is None or run is None:
        return
    run.save(args.trace)
    print(f"# trace: {args.trace} ({run.iteration} iterations)", file=out, flush=True)


# -- replay ----------------------------------------------------------------------------------------
def _replay(args: argparse.Namespace) -> int:
    from stepper.trace import load_trace

    if args.every < 1:
        raise ConfigError("every", args.every, "a whole number ≥ 1")
    settings, records = load_trace(args.trace)
    out = sys.stdout
    if settings is not None:
        problem = settings.get("problem") or {}
        hyper = settings.get("hyperparameters") or {}
        loss = problem.get("loss", "?") if isinstance(problem, dict) else problem
        print(f"# {loss} · {settings.get('algorithm', '?')}, step {hyper.get('lr', '?')} · "
              f"{settings.get('data', '?')}: {settings.get('rows', '?')} rows × "
              f"{settings.get('features', '?')} features, {settings.get('partitions', '?')} "
              f"partitions", file=out)
    if not records:
        print("# the trace holds no iterations", file=out)
        return EXIT_OK
    _print_table(records, args.every, out, args.show_partitions)
    print(f"# {len(records)} iterations; final weights {_weights_text(records[-1].weights)}",
          file=out)
    return EXIT_OK


# -- entry point -----------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (see the module docstring)."""
    parser = build_parser()
    debug = "--debug" in (sys.argv[1:] if argv is None else argv)
    try:
        try:
            args = parser.parse_args(argv)
        except UsageError as exc:
            _fail(str(exc), EXIT_USAGE)
        try:
            return _run(args) if args.command == "run" else _replay(args)
        except ConfigError as exc:
            _fail(_describe_config_error(exc), EXIT_USAGE)
        except DataError as exc:
            _fail(_describe_data_error(exc))
        except StepperError as exc:
            _fail(_one_line(str(exc)))
        except KeyboardInterrupt:
            _fail("interrupted", EXIT_INTERRUPTED)
        except (_FailureError, SystemExit):
            raise
        except Exception as exc:
            if debug:
                raise
            described = _describe_spark_error(exc)
            _fail(described or f"unexpected {type(exc).__name__}: {_one_line(str(exc))} "
                  "(run again with --debug for the traceback)")
    except _FailureError as failure:
        print(f"stepper: error: {failure}", file=sys.stderr, flush=True)
        return failure.code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
