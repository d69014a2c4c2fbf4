"""The command line, run as a subprocess: tables, trace files checked against numpy, and errors.

Tests marked ``spark`` start a Spark JVM in the child process (``--master local[2]``); the others
fail before Spark starts (or never need it) and take a fraction of a second each.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from stepper.algorithms import Settings
from stepper.data.synthetic import GeneratorSpec, generate_rows
from stepper.local import run_local
from stepper.problems import Problem
from stepper.trace import IterationRecord, save_trace

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LESSON = os.path.join(ROOT, "data", "logistic2d_train.csv")
ITERATION_KEYS = {"iteration", "objective", "grad_norm", "weights", "partitions", "reduce",
                  "update", "timing"}
PARTITION_KEYS = {"index", "rows", "loss", "seconds", "executor", "attempt"}


def stepper(*args: str, env: dict | None = None, timeout: int = 900):
    """Run ``python -m stepper …`` in a fresh process; returns the CompletedProcess."""
    environment = {**os.environ, "STEPPER_UI_PORT": "", **(env or {})}
    return subprocess.run([sys.executable, "-m", "stepper", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout, env=environment,
                          check=False)


def one_error_line(done) -> str:
    """The single line a failed command writes on stderr."""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("stepper: error: ")
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    return lines[0]


def table_rows(stdout: str) -> list[list[str]]:
    """The iteration rows of the printed table, split into cells."""
    return [line.split() for line in stdout.splitlines()
            if line.strip() and line.split()[0].isdigit()]


def read_trace(path) -> tuple[dict, list[dict]]:
    with open(path, encoding="utf-8") as source:
        lines = [json.loads(line) for line in source if line.strip()]
    assert lines[0]["type"] == "settings" and lines[0]["format_version"] == 2
    return lines[0], lines[1:]


def lesson_arrays() -> tuple[np.ndarray, np.ndarray]:
    """The lesson CSV prepared as the CLI does by default, with numpy alone: standardized
    (population deviation), then an intercept column first."""
    raw = np.loadtxt(LESSON, delimiter=",")
    y, X = raw[:, 0], raw[:, 1:]
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    return np.hstack([np.ones((len(y), 1)), X]), y


def check_iteration_format(line: dict, partitions: int, full: bool = True) -> None:
    assert set(line) >= ITERATION_KEYS
    assert len(line["partitions"]) == partitions
    for p, part in enumerate(line["partitions"]):
        assert set(part) >= PARTITION_KEYS and part["index"] == p
        assert ("gradient" in part) == full and ("gradient_norm" in part) == (not full)
    assert {"depth", "levels"} <= set(line["reduce"])
    assert set(line["update"]) >= {"weights_before", "direction", "step_size", "weights_after"}
    assert set(line["timing"]) == {"map", "reduce", "driver", "total"}


# -- bad settings: one line on stderr, a non-zero exit, before any Spark --------------------------
@pytest.mark.parametrize(("args", "code", "expected"), [
    (["run", "--data", LESSON, "--lr", "-0.5"], 2, "--lr -0.5 is not valid"),
    (["run", "--data", LESSON, "--lr", "0"], 2, "a positive number"),
    (["run", "--data", LESSON, "--lr", "fast"], 2, "'fast' is not a step size"),
    (["run", "--data", LESSON, "--algorithm", "adam"], 2,
     "--algorithm adam is not valid: expected one of gd, momentum, nesterov"),
    (["run", "--data", LESSON, "--problem", "poisson"], 2, "--problem poisson is not valid"),
    (["run", "--data", "no/such/file.csv"], 2, "no/such/file.csv: no such file or directory"),
    (["run", "--generate", "rows=10,features=x"], 2, "bad value for 'features'"),
    (["run", "--generate", "rows=10"], 2, "missing required key(s): features"),
    (["run", "--data", LESSON, "--generate", "rows=10,features=2"], 2, "not allowed with"),
    (["run"], 2, "one of the arguments --data --generate is required"),
    (["run", "--data", LESSON, "--steps", "-3"], 2, "--steps -3 is not valid"),
    (["run", "--data", LESSON, "--partitions", "0"], 2, "--partitions 0 is not valid"),
    (["run", "--data", LESSON, "--momentum", "1.5"], 2, "--momentum 1.5 is not valid"),
    (["run", "--data", LESSON, "--l2", "-1"], 2, "--l2 -1.0 is not valid"),
    (["run", "--data", LESSON, "--depth", "0"], 2, "--depth 0 is not valid"),
    (["run", "--data", LESSON, "--trace-level", "everything"], 2, "one of full, summary, none"),
    (["run", "--data", LESSON, "--algorithm", "newton", "--problem", "hinge"], 2,
     "twice-differentiable"),
    (["run", "--data", LESSON, "--algorithm", "sgd", "--lr", "armijo"], 2,
     "Armijo backtracking needs full-batch gd"),
    (["run", "--data", LESSON, "--task", "regression"], 2, "squares for regression data"),
    (["run", "--data", LESSON, "--format", "libsvm", "--label-column", "2"], 2,
     "--label-column 2 is not valid: expected CSV or Parquet data"),
    (["frobnicate"], 2, "invalid choice: 'frobnicate'"),
    ([], 2, "required"),
    (["replay", "no/such/trace.jsonl"], 1, "no/such/trace.jsonl: no such trace file"),
])
def test_bad_settings_give_one_line_and_a_non_zero_exit(args, code, expected):
    done = stepper(*args, timeout=60)
    assert done.returncode == code, done.stderr
    assert expected in one_error_line(done)
    assert done.stdout == ""


def test_missing_java_is_one_line_naming_the_fix(tmp_path):
    done = stepper("run", "--data", LESSON, env={"JAVA_HOME": str(tmp_path / "no-java")},
                   timeout=60)
    assert done.returncode == 1
    line = one_error_line(done)
    assert "Java 17" in line and "install" in line


def test_help_lists_the_options():
    done = stepper("run", "--help", timeout=60)
    assert done.returncode == 0
    for option in ("--data", "--generate", "--problem", "--algorithm", "--lr", "--steps",
                   "--partitions", "--trace", "--l2", "--l1", "--momentum", "--batch-fraction",
                   "--master", "--seed", "--depth", "--trace-level", "--tol", "--label-column",
                   "--header", "--id-column", "--standardize", "--intercept"):
        assert option in done.stdout


# -- replay: no Spark, no Java --------------------------------------------------------------------
def test_replay_prints_a_saved_trace_without_spark_or_java(tmp_path):
    X, y = lesson_arrays()
    problem = Problem("logistic", l2=0.01)
    path = run_local(problem, Settings(algorithm="gd", lr=0.5), X, y, 4, intercept=True)
    records = [
        IterationRecord(
            iteration=k + 1, objective=float(path.objective[k]), grad_norm=float(path.grad_norm[k]),
            weights=path.weights[k + 1],
            partitions=[{"index": 0, "rows": len(y), "loss": 1.0, "gradient": [0.0, 3.0, 4.0],
                         "seconds": 0.01, "executor": "driver", "attempt": 0}],
            update={"step_size": 0.5, "weights_before": path.weights[k],
                    "weights_after": path.weights[k + 1]},
            timing={"map": 0.1, "reduce": 0.0, "driver": 0.0, "total": 0.125}, accuracy=0.75)
        for k in range(4)
    ]
    trace = tmp_path / "local.jsonl"
    save_trace(str(trace), records, {"problem": {"loss": "logistic"}, "algorithm": "gd",
                                     "hyperparameters": {"lr": 0.5}, "partitions": 1})
    done = stepper("replay", str(trace), "--partitions",
                   env={"JAVA_HOME": str(tmp_path / "no-java"), "PATH": os.path.dirname(
                       sys.executable)}, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    rows = table_rows(done.stdout)
    assert [int(r[0]) for r in rows] == [1, 2, 3, 4]
    for row, k in zip(rows, range(4), strict=True):
        assert float(row[1]) == pytest.approx(path.objective[k], rel=1e-9)
        assert float(row[2]) == pytest.approx(path.grad_norm[k], rel=1e-3)
        assert row[3:] == ["0.5", "0.7500", "0.125", "-"]  # rounds: not in this record
    assert "partition   0:" in done.stdout and "‖gradient Σ‖ 5" in done.stdout


def test_replay_of_a_damaged_trace_names_line_and_column(tmp_path):
    trace = tmp_path / "damaged.jsonl"
    trace.write_text('{"type": "settings", "format_version": 1}\n{"iteration": 1,, }\n')
    done = stepper("replay", str(trace), timeout=60)
    assert done.returncode == 1
    assert f"{trace}:2:17: not valid JSON" in one_error_line(done)


# -- real runs on Spark ----------------------------------------------------------------------------
@pytest.mark.spark
def test_run_on_the_lesson_data_writes_a_trace_that_numpy_confirms(tmp_path):
    trace = tmp_path / "out.jsonl"
    done = stepper("run", "--data", LESSON, "--problem", "logistic", "--algorithm", "gd",
                   "--lr", "0.5", "--steps", "20", "--partitions", "4", "--l2", "0.005",
                   "--trace", str(trace), "--master", "local[2]")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # Spark's own console output went to its log, not here
    settings, lines = read_trace(trace)
    assert settings["partitions"] == 4 and settings["algorithm"] == "gd"
    assert settings["rows"] == 1000 and settings["features"] == 3
    assert [line["iteration"] for line in lines] == list(range(1, 21))

    X, y = lesson_arrays()
    problem = Problem("logistic", l2=0.005)
    mask = problem.penalty_mask(3, intercept=True)
    for line in lines:
        check_iteration_format(line, partitions=4)
        w = np.asarray(line["update"]["weights_before"])
        gradient = problem.gradient(X, y, w, mask)
        assert line["objective"] == pytest.approx(problem.objective(X, y, w, mask), rel=1e-12)
        assert line["grad_norm"] == pytest.approx(np.linalg.norm(gradient), rel=1e-10)
        summed = np.sum([p["gradient"] for p in line["partitions"]], axis=0)
        np.testing.assert_allclose(summed, problem.block_sums(X, y, w).gradient, rtol=1e-12)
        assert sum(p["rows"] for p in line["partitions"]) == 1000
        assert line["update"]["step_size"] == 0.5
        np.testing.assert_allclose(line["weights"], w - 0.5 * gradient, rtol=1e-12, atol=1e-15)
        assert line["accuracy"] == np.mean(y * (X @ w) > 0)
    reference = run_local(problem, Settings(algorithm="gd", lr=0.5), X, y, 20, intercept=True)
    np.testing.assert_allclose([line["weights"] for line in lines], reference.weights[1:],
                               rtol=1e-10, atol=1e-14)

    printed = table_rows(done.stdout)
    assert [int(row[0]) for row in printed] == list(range(1, 21))
    for row, line in zip(printed, lines, strict=True):
        assert float(row[1]) == pytest.approx(line["objective"], rel=1e-9)
        assert float(row[3]) == 0.5 and float(row[4]) == pytest.approx(line["accuracy"], abs=1e-4)

    replayed = stepper("replay", str(trace), timeout=60)
    assert replayed.returncode == 0 and replayed.stderr == ""
    assert table_rows(replayed.stdout) == printed  # the same table, without Spark


@pytest.mark.spark
def test_run_on_generated_data_with_momentum_and_summary_trace(tmp_path):
    trace = tmp_path / "generated.jsonl"
    done = stepper("run", "--generate", "rows=20000,features=5,seed=3", "--algorithm",
                   "momentum", "--lr", "1/L", "--momentum", "0.5", "--steps", "6",
                   "--partitions", "3", "--depth", "1", "--trace-level", "summary",
                   "--trace", str(trace), "--master", "local[2]")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    settings, lines = read_trace(trace)
    assert settings["rows"] == 20000 and settings["features"] == 5 and settings["partitions"] == 3
    X, y = generate_rows(GeneratorSpec(rows=20000, features=5, seed=3), 0, 20000)
    problem = Problem("logistic")
    mask = np.ones(5)
    lipschitz = problem.lipschitz_bound(float(np.max(np.einsum("ij,ij->i", X, X))))
    reference = run_local(problem, Settings(algorithm="momentum", lr=1.0 / lipschitz,
                                            momentum=0.5), X, y, 6, intercept=False)
    for k, line in enumerate(lines):
        check_iteration_format(line, partitions=3, full=False)
        w = np.asarray(line["update"]["weights_before"])
        assert line["objective"] == pytest.approx(problem.objective(X, y, w, mask), rel=1e-12)
        assert line["update"]["step_size"] == pytest.approx(1.0 / lipschitz, rel=1e-12)
        assert [p["rows"] for p in line["partitions"]] == [6666, 6667, 6667]
        np.testing.assert_allclose(line["weights"], reference.weights[k + 1], rtol=1e-10,
                                   atol=1e-14)
        assert line["reduce"]["depth"] == 1
    assert len(table_rows(done.stdout)) == 6


@pytest.mark.spark
def test_run_with_another_csv_layout_and_a_tolerance(tmp_path):
    """Header, label last, an id column to drop; Newton stops once ‖∇J‖ < tol."""
    X, y = lesson_arrays()
    raw = np.loadtxt(LESSON, delimiter=",")
    csv = tmp_path / "layout.csv"
    with open(csv, "w") as out:
        out.write("id;x1;x2;label\n")
        for i, row in enumerate(raw):
            out.write(f"{1000 + i};{float(row[1])!r};{float(row[2])!r};{int((row[0] + 1) / 2)}\n")
    trace = tmp_path / "newton.jsonl"
    done = stepper("run", "--data", str(csv), "--header", "--delimiter", ";",
                   "--label-column", "label", "--id-column", "id", "--algorithm", "newton",
                   "--lr", "1", "--l2", "0.01", "--steps", "50", "--tol", "1e-9", "--partitions",
                   "3", "--trace", str(trace), "--master", "local[2]")
    assert done.returncode == 0, done.stderr
    _, lines = read_trace(trace)
    assert 3 <= len(lines) < 50  # stopped early
    assert lines[-1]["grad_norm"] < 1e-9 <= lines[-2]["grad_norm"]
    assert "converged" in done.stdout
    problem = Problem("logistic", l2=0.01)
    mask = problem.penalty_mask(3, intercept=True)
    for line in lines:
        w = np.asarray(line["update"]["weights_before"])
        assert line["objective"] == pytest.approx(problem.objective(X, y, w, mask), rel=1e-12)
    assert np.linalg.norm(problem.gradient(X, y, np.asarray(lines[-1]["weights"]), mask)) < 1e-9


@pytest.mark.spark
def test_bad_data_is_located_by_file_line_and_column(tmp_path):
    csv = tmp_path / "bad.csv"
    csv.write_text("1,0.5,2.0\n-1,1.5,3.0\n1,oops,1.0\n-1,2.0,2.5\n")
    done = stepper("run", "--data", str(csv), "--master", "local[2]")
    assert done.returncode == 1
    assert one_error_line(done) == f"stepper: error: {csv}:3:2: 'oops' is not a number"
    labels = tmp_path / "labels.csv"
    labels.write_text("1,0.5,2.0\n-1,1.5,3.0\n2,1.0,1.0\n")
    done = stepper("run", "--data", str(labels), "--master", "local[2]")
    assert done.returncode == 1
    assert f"{labels}:3:1: label 2 is not a class label" in one_error_line(done)


@pytest.mark.spark
def test_divergence_stops_with_one_line_and_keeps_the_good_iterations(tmp_path):
    trace = tmp_path / "diverged.jsonl"
    done = stepper("run", "--generate", "rows=2000,features=4,task=regression", "--problem",
                   "squares", "--lr", "1e150", "--steps", "50", "--trace", str(trace),
                   "--master", "local[2]")
    assert done.returncode == 1
    line = one_error_line(done)
    assert "is not finite" in line and "Try a smaller step size" in line
    _, lines = read_trace(trace)
    assert 1 <= len(lines) < 50
    assert all(np.all(np.isfinite(item["weights"])) for item in lines)
    assert f"iteration {len(lines) + 1}:" in line


@pytest.mark.spark
def test_a_master_spark_rejects_is_one_line():
    done = stepper("run", "--data", LESSON, "--master", "nowhere://x")
    assert done.returncode == 1
    line = one_error_line(done)
    assert "Spark could not start" in line and "Master must" in line
    log = line.rsplit("Spark's log: ", 1)[1].rstrip(")")
    assert os.path.exists(log)
    os.remove(log)
