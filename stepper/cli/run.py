"""``stepper run``: check everything that needs no Spark, start Spark, load, step, print."""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import sys
import time
from typing import Any

from stepper.cli.args import UsageError
from stepper.cli.failure import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, FailureError, fail
from stepper.cli.progress import ProgressBar, Ticker
from stepper.cli.table import HEADER, row, weights_text
from stepper.errors import ConfigError, DivergenceError, StepperError, spark_error_line
from stepper.session import SparkOutput


def _format_of(args: argparse.Namespace) -> str:
    if args.format != "auto":
        return args.format
    name = args.data.rstrip("/").lower()
    if name.endswith(".parquet"):
        return "parquet"
    if name.endswith((".libsvm", ".svm")):
        return "libsvm"
    return "csv"


METHOD_OPTIONS = ("memory", "local_steps", "rho", "workers", "staleness", "variant")
"""Options that are hyperparameters of some methods (``--local-steps`` → ``local_steps``)."""


def _check_numbers(args: argparse.Namespace) -> None:
    if args.steps < 0:
        raise ConfigError("steps", args.steps, "a whole number ≥ 0")
    if args.partitions < 1:
        raise ConfigError("partitions", args.partitions, "a whole number ≥ 1")
    if args.every < 1:
        raise ConfigError("every", args.every, "a whole number ≥ 1")
    if args.tol is not None and not (math.isfinite(args.tol) and args.tol >= 0):
        raise ConfigError("tol", args.tol, "a finite number ≥ 0")


def _method(args: argparse.Namespace) -> Any:
    """The method value from ``--algorithm`` and the options it takes; an option it does not
    take is refused (naming the methods that do)."""
    from stepper.algorithms import REGISTRY, resolve

    if args.algorithm not in REGISTRY:
        raise ConfigError("algorithm", args.algorithm, f"one of {', '.join(REGISTRY)}")
    takes = REGISTRY[args.algorithm]().hyper
    for option in METHOD_OPTIONS:
        value = getattr(args, option)
        if value is not None and option not in takes:
            users = [name for name, factory in REGISTRY.items() if option in factory().hyper]
            raise ConfigError(option, value, f"an option of {' or '.join(users) or 'no method'}"
                              f" (not of {args.algorithm})")
    hyper = {option: getattr(args, option) for option in METHOD_OPTIONS}
    hyper.update(mu=args.momentum, fraction=args.batch_fraction,
                 with_replacement=not args.without_replacement)
    return resolve(args.algorithm, **hyper)


def _check_before_spark(args: argparse.Namespace) -> tuple[Any, Any, Any]:
    """Every check that needs no Spark: settings, problem, method, data source, numbers."""
    from stepper.algorithms import Settings
    from stepper.checks import check_method_fits
    from stepper.problems import Problem
    from stepper.session import resolve_master

    _check_numbers(args)
    problem = Problem(loss=args.problem, l2=args.l2, l1=args.l1, l1_mode=args.l1_mode,
                      penalize_intercept=args.penalize_intercept)
    settings = Settings(
        algorithm=_method(args), lr=args.lr, momentum=args.momentum,
        batch_fraction=args.batch_fraction, with_replacement=not args.without_replacement,
        depth=args.depth, trace=args.trace_level, seed=args.seed, init=args.init,
        schedule=args.schedule,
    )
    if settings.method.simulated and not resolve_master(args.master).startswith("local"):
        raise ConfigError("master", resolve_master(args.master),
                          f"local mode for {settings.method.name}: it is a simulation on the "
                          "driver (the rows are collected once), not a run on a cluster")
    spec, task = _data_source(args, problem)
    check_method_fits(problem, settings.method, task)
    _faults(args)
    if args.trace is not None and os.path.isdir(args.trace):
        raise ConfigError("trace", args.trace, "a file path (this is a directory)")
    return problem, settings, (spec, task)


def _faults(args: argparse.Namespace) -> tuple[Any, Any]:
    """The injected task delay and failure (checked against ``--partitions``), or None."""
    from stepper.faults import TaskDelay, TaskFailure

    delay = failure = None
    if args.task_delay is not None:
        delay = TaskDelay(mean=args.task_delay, kind=args.delay_kind, straggler=args.stragglers,
                          seed=args.seed)
    if args.fail_task is not None:
        failure = TaskFailure(*args.fail_task)
        failure.check_partitions(args.partitions)
    return delay, failure


def _data_source(args: argparse.Namespace, problem: Any) -> tuple[Any, str]:
    """The generator spec (or None for a file) and the task, checked without Spark."""
    from stepper.data.synthetic import parse_generator_spec

    task = args.task or ("regression" if problem.loss == "squares" else "classification")
    spec = None
    if args.generate is not None:
        try:
            spec = parse_generator_spec(args.generate)
        except ValueError as exc:
            fail(f"--generate {args.generate}: {exc}", EXIT_USAGE)
        from dataclasses import replace

        if args.task is None and "task=" not in args.generate.replace(" ", ""):
            spec = replace(spec, task=task)
        if args.non_iid:
            try:
                spec = replace(spec, non_iid=True)
            except ValueError as exc:
                fail(f"--non-iid: {exc}", EXIT_USAGE)
        task = spec.task
    else:
        path = args.data
        if "://" not in path and not os.path.exists(path):
            fail(f"--data {path}: no such file or directory", EXIT_USAGE)
        if _format_of(args) != "csv" and (args.header or args.delimiter != ","):
            raise ConfigError("format", _format_of(args), "csv for --header and --delimiter")
        if _format_of(args) == "libsvm":  # a LIBSVM row is "label index:value …": no columns
            for option in ("label_column", "id_column"):
                if getattr(args, option) is not None:
                    raise ConfigError(option.replace("_", "-"), getattr(args, option),
                                      "CSV or Parquet data (a LIBSVM line puts its label "
                                      "first)")
    return spec, task


def _load(args: argparse.Namespace, spec: Any, task: str, sc: Any) -> Any:
    from stepper.data.loaders import (
        from_generator,
        from_numpy,
        load_csv,
        load_libsvm,
        load_parquet,
    )
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
        if args.non_iid:  # rows sorted by label before the split: a file's rows come to the
            block = data.to_numpy()  # driver once (the lesson-sized files this is meant for)
            data = from_numpy(block.X, block.y, partitions=args.partitions, task=data.task,
                              feature_names=data.feature_names, sc=sc, non_iid=True,
                              source=f"{data.source} | by label")
    if default_prepare if args.standardize is None else args.standardize:
        data = standardize(data)
    if default_prepare if args.intercept is None else args.intercept:
        data = add_intercept(data)
    return data


def run_command(args: argparse.Namespace) -> int:
    problem, settings, (spec, task) = _check_before_spark(args)
    output = SparkOutput(args.spark_log)
    try:
        return _run_on_spark(args, problem, settings, spec, task, output)
    finally:
        output.finish()


def _run_on_spark(args, problem, settings, spec, task, output: SparkOutput) -> int:
    from stepper.engine import Stepper
    from stepper.session import resolve_master, spark_session

    session = None
    run = None
    out = sys.stdout
    try:
        try:
            with Ticker("Starting Spark"):
                session = spark_session(master=args.master, app_name="stepper run",
                                        ui_port=args.ui_port, driver_memory=args.driver_memory)
            with Ticker("Loading the data"):
                data = _load(args, spec, task, session.sparkContext)
            delay, failure = _faults(args)
            run = Stepper(data, problem, settings, task_delay=delay, task_failure=failure)
            rule = settings.step_rule
            lr = rule if isinstance(rule, str) else f"{rule:g}"
            regularization = "".join(
                f", {name}={value:g}" for name, value in (("l2", problem.l2), ("l1", problem.l1))
                if value)
            print(f"# {problem.loss}{regularization} · {settings.method!r}, step {lr} · "
                  f"{data.source}: {data.rows} rows × {data.features} features, "
                  f"{data.partitions} partitions · {resolve_master(args.master)}", file=out)
            if not args.quiet:
                print(HEADER, file=out, flush=True)
            started = time.perf_counter()
            stopped = None
            bar = ProgressBar(args.steps)
            for k in range(args.steps):
                record = run.step()
                if not args.quiet and ((k + 1) % args.every == 0 or k == args.steps - 1
                                       or (args.tol is not None and record.grad_norm < args.tol)):
                    bar.clear()
                    print(row(record), file=out, flush=True)
                if args.tol is not None and record.grad_norm < args.tol:
                    stopped = record.iteration
                    break
                bar.update(k + 1)
            bar.clear()
            elapsed = time.perf_counter() - started
            if stopped is not None and run.current is not None:
                print(f"# converged: gradient norm {run.current.grad_norm:.3e} < {args.tol:g} "
                      f"at iteration {stopped}", file=out)
            if run.current is not None:
                print(f"# {run.iteration} iterations in {elapsed:.2f} s; weights "
                      f"{weights_text(run.weights)}", file=out)
            _save(args, run, out)
            return EXIT_OK
        except DivergenceError as exc:
            _save(args, run, out)
            fail(str(exc))
        except KeyboardInterrupt:
            _save(args, run, out)
            done = run.iteration if run is not None else 0
            fail(f"interrupted after {done} iterations", EXIT_INTERRUPTED)
        except (FailureError, StepperError, UsageError):
            raise
        except Exception as exc:
            described = spark_error_line(exc)
            if described is None or args.debug:
                raise
            if "JAVA_GATEWAY_EXITED" in described:
                why = output.first_exception()
                described = "Spark could not start" + (f": {why}" if why else "")
            fail(described + output.note())
    finally:
        if session is not None:
            with contextlib.suppress(Exception):
                session.stop()


def _save(args: argparse.Namespace, run: Any, out: Any) -> None:
    if args.trace is None or run is None:
        return
    run.save(args.trace)
    print(f"# trace: {args.trace} ({run.iteration} iterations)", file=out, flush=True)


