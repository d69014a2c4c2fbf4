"""End-to-end grading: solutions, untouched exercises, wrong answers, misbehaving notebooks."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from grading_helpers import FIXTURES, ROOT, by_task, load_make

from stepper.grade.batch import grade_all
from stepper.grade.catalog import enumerate_tests
from stepper.grade.runner import grade_submission

MAKE = load_make()
WRONG = {case.name: case for case in MAKE.WRONG_ANSWERS}
BAD = {case.name: case for case in MAKE.BAD_BEHAVIOUR}


def fixture_path(case) -> Path:
    return FIXTURES / f"{case.notebook[:2]}_{case.name}.ipynb"


def test_fixture_notebooks_are_up_to_date(tmp_path):
    for fresh in MAKE.make_all(tmp_path):
        committed = FIXTURES / fresh.relative_to(tmp_path)
        assert committed.exists() and committed.read_bytes() == fresh.read_bytes(), (
            f"{committed.name} is stale: run python tests/fixtures/submissions/make.py")
    written = {path.relative_to(tmp_path) for path in tmp_path.rglob("*.ipynb")}
    committed_attacks = {path.relative_to(FIXTURES) for path in FIXTURES.glob("attacks/*.ipynb")}
    assert committed_attacks <= written, "attack notebooks no attack of make.py writes"


SPARK_CASES = [c for c in MAKE.WRONG_ANSWERS if c.spark]


@pytest.fixture(scope="module")
def graded_with_spark(tmp_path_factory):
    """The solved notebooks (every test), the Spark wrong answers (their tasks only), a loop
    inside mapPartitions and a driver loop around Spark calls, graded two at a time, each in
    its own process with its own Spark session."""
    jobs = {"solutions": (ROOT / "solutions", {"include_hidden": True})}
    # the Spark wrong answers in one attendee folder, one Spark session: one notebook per set,
    # holding every Spark mistake of that set (each breaks its own task)
    wrong = tmp_path_factory.mktemp("spark_wrong")
    by_set: dict[str, list] = {}
    for case in SPARK_CASES:
        by_set.setdefault(case.notebook, []).append(case)
    for notebook, cases in by_set.items():
        if len(cases) == 1:
            (wrong / f"{notebook}.ipynb").write_bytes(fixture_path(cases[0]).read_bytes())
        else:
            MAKE.make_together(cases, wrong)
    jobs["spark_wrong"] = (wrong, {"tasks": {c.task for c in SPARK_CASES},
                                   "include_hidden": False})
    jobs["partition_loop"] = (fixture_path(BAD["partition_loop"]),
                              {"tasks": {"2.2", "2.3"}, "include_hidden": False,
                               "timeout_cap": 10})
    jobs["driver_spark_loop"] = (fixture_path(BAD["driver_spark_loop"]),
                                 {"tasks": {"2.3", "2.7"}, "include_hidden": True,
                                  "timeout_cap": 10})
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(grade_submission, path, attendee=name, **options)
                   for name, (path, options) in jobs.items()}
        return {name: future.result() for name, future in futures.items()}


@pytest.mark.spark
@pytest.mark.slow
@pytest.mark.timeout(1800)  # pays for the fixture: 4 attendees with Spark, fresh sandboxes
def test_solutions_score_full_marks(graded_with_spark):
    result = graded_with_spark["solutions"]
    failed = [(t["name"], t["output"]) for t in result.tests if t["status"] != "passed"]
    assert failed == []
    assert result.score == result.max_score > 0
    assert {t["task"] for t in result.tests} >= {"0.1", "1.7", "2.7", "3.4"}
    assert {t["visibility"] for t in result.tests} == {"visible", "hidden"}
    assert result.problems == []
    assert result.spark_started  # one session, in the attendee's sandbox
    assert result.flags == [] and result.level


@pytest.mark.spark
@pytest.mark.slow
@pytest.mark.parametrize("name", [c.name for c in SPARK_CASES])
def test_spark_wrong_answer_gets_its_hint(name, graded_with_spark):
    case = WRONG[name]
    result = graded_with_spark["spark_wrong"]
    outputs = "\n".join(t["output"] for t in by_task(result)[case.task])
    assert case.expect in outputs, outputs
    assert "expected:" in outputs and "actual:" in outputs


@pytest.mark.spark
@pytest.mark.slow
def test_loop_in_the_executors_times_out_and_spark_recovers(graded_with_spark):
    """A partition function looping forever: its test times out (the grader kills the
    attendee's sandbox from outside), and the Spark tests after it still pass in a fresh
    sandbox with its own Spark."""
    result = graded_with_spark["partition_loop"]
    tasks = by_task(result)
    assert [t["status"] for t in tasks["2.2"]] == ["timed out"], result.tests
    assert "timed out after 10 s" in tasks["2.2"][0]["output"]
    assert [t["status"] for t in tasks["2.3"]] == ["passed"], result.tests


def test_untouched_exercises_score_zero_with_not_implemented():
    result = grade_submission(ROOT / "exercises", attendee="exercises", include_hidden=True)
    assert result.score == 0 and result.max_score > 0
    assert result.problems == []
    for test in result.tests:
        assert test["status"] == "not implemented", (test["name"], test["output"])
        assert test["output"].startswith("not implemented yet")
    # untouched stubs are reported without running their tests: Spark is never started
    assert not result.spark_started


NUMPY_CASES = [c for c in MAKE.WRONG_ANSWERS if not c.spark]
NUMPY_TASKS = {spec.info.task for spec in enumerate_tests(include_hidden=False)
               if not spec.info.spark}


@pytest.fixture(scope="module")
def graded_wrong_answers():
    """Every wrong answer that needs no Spark, each on its own set, two at a time."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {case.name: pool.submit(grade_submission, fixture_path(case),
                                          attendee=case.name, tasks=NUMPY_TASKS,
                                          include_hidden=False)
                   for case in NUMPY_CASES}
        return {name: future.result() for name, future in futures.items()}


@pytest.mark.parametrize("name", [c.name for c in NUMPY_CASES])
def test_wrong_answer_gets_its_hint(name, graded_wrong_answers):
    case = WRONG[name]
    result = graded_wrong_answers[name]
    tests = by_task(result)[case.task]
    report = [(t["name"], t["status"], t["output"]) for t in result.tests]
    assert any(t["status"] == "failed" for t in tests), (report, result.problems)
    outputs = "\n".join(t["output"] for t in tests)
    assert case.expect in outputs, outputs
    assert "expected:" in outputs and "actual:" in outputs
    # the mistake costs its own task only
    others = [t for t in result.tests if t["task"] != case.task]
    assert others and all(t["status"] == "passed" for t in others), report


def test_infinite_loop_times_out():
    case = BAD["infinite_loop"]
    result = grade_submission(fixture_path(case), tasks={"1.6", "1.7"}, include_hidden=False,
                              timeout_cap=2)
    tasks = by_task(result)
    assert [t["status"] for t in tasks["1.7"]] == ["timed out"]
    assert "timed out after 2 s" in tasks["1.7"][0]["output"]
    assert all(t["status"] == "passed" for t in tasks["1.6"])


@pytest.mark.parametrize("name", ["crash_os_exit", "crash_segfault"])
def test_crash_is_reported_and_other_tests_still_graded(name):
    case = BAD[name]
    result = grade_submission(fixture_path(case), include_hidden=False)
    crashed = by_task(result)[case.task]
    assert [t["status"] for t in crashed] == ["crashed"]
    assert case.expect in crashed[0]["output"]
    others = [t for t in result.tests if t["task"] != case.task]
    assert others and all(t["status"] == "passed" for t in others)


def test_exit_at_import_is_a_clear_result():
    case = BAD["exits_on_import"]
    result = grade_submission(fixture_path(case), include_hidden=False)
    assert result.score == 0
    assert all(case.expect in t["output"] for t in result.tests)
    assert "sys.exit(3)" in result.tests[0]["output"]


def test_prints_stderr_and_sys_exit_do_not_change_the_grade():
    result = grade_submission(fixture_path(BAD["noisy"]), include_hidden=False)
    assert result.score == result.max_score > 0, [t["output"] for t in result.tests]


def test_invalid_notebook_does_not_parse():
    result = grade_submission(FIXTURES / "01_not_json.ipynb", include_hidden=False)
    assert result.score == 0 and result.tests
    assert all("does not parse" in t["output"] for t in result.tests)
    assert any("does not parse" in p for p in result.problems)


@pytest.mark.slow
def test_folder_of_30_submissions(tmp_path):
    """30 attendees (set 1 only, no Spark), graded by the command line; reports parse."""
    folder = tmp_path / "subs"
    folder.mkdir()
    sources = [ROOT / "solutions" / "01_oracles.ipynb", ROOT / "exercises" / "01_oracles.ipynb",
               *[fixture_path(c) for c in MAKE.WRONG_ANSWERS if c.notebook == "01_oracles"]]
    for i in range(30):
        target = folder / f"attendee{i:02d}"
        target.mkdir()
        (target / "01_oracles.ipynb").write_bytes(sources[i % len(sources)].read_bytes())
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "stepper.grade", str(folder), "--out", str(out),
                           "--quiet"], capture_output=True, text=True, timeout=240, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "30 submission(s) graded" in done.stdout
    assert "per task, over 30 attendees:" in done.stdout and "Task 1.7: " in done.stdout
    combined = json.loads((out / "results.json").read_text())["submissions"]
    assert len(combined) == 30
    assert combined["attendee00"]["score"] == combined["attendee00"]["max_score"] > 0
    assert combined["attendee01"]["score"] == 0
    each = json.loads((out / "attendee05" / "results.json").read_text())
    assert set(each) >= {"score", "max_score", "tests"}
    assert set(each["tests"][0]) >= {"name", "score", "max_score", "output", "visibility"}
    suites = ET.parse(out / "junit.xml").getroot().findall("testsuite")
    assert len(suites) == 30
    with open(out / "grades.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 30
    assert {"attendee", "task 1.1", "task 1.7", "total", "max"} <= set(rows[0])
    assert float(rows[0]["total"]) == float(rows[0]["max"])


def test_cli_exit_code_is_zero_for_bad_submissions(tmp_path):
    done = subprocess.run([sys.executable, "-m", "stepper.grade",
                           str(FIXTURES / "01_not_json.ipynb"), "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0
    assert "does not parse" in done.stdout
    # one attendee: results.json is the Gradescope object itself
    results = json.loads((tmp_path / "results.json").read_text())
    assert results["score"] == 0 and results["max_score"] > 0
    assert set(results["tests"][0]) >= {"name", "score", "max_score", "output", "visibility"}
    assert (tmp_path / "junit.xml").exists() and (tmp_path / "grades.csv").exists()


def test_class_folder_same_maximum_for_everyone_and_copies(tmp_path):
    """Every attendee is graded on every set someone handed in (a missing notebook scores
    zero, "not submitted", out of the same maximum); of a notebook and its copy, the one
    named like the exercise is graded."""
    alice, bob = tmp_path / "alice", tmp_path / "bob"
    alice.mkdir()
    bob.mkdir()
    (alice / "01_oracles-Copy1.ipynb").write_bytes(
        (ROOT / "exercises" / "01_oracles.ipynb").read_bytes())
    (alice / "01_oracles.ipynb").write_bytes((ROOT / "solutions" / "01_oracles.ipynb").read_bytes())
    (bob / "03_newton.ipynb").write_bytes((ROOT / "exercises" / "03_newton.ipynb").read_bytes())
    (tmp_path / "carol.ipynb").write_bytes((FIXTURES / "01_not_json.ipynb").read_bytes())
    results = {r.attendee: r for r in grade_all(tmp_path, include_hidden=False)}
    assert results["alice"].max_score == results["bob"].max_score > 0
    a, b = by_task(results["alice"]), by_task(results["bob"])
    assert all(t["status"] == "passed" for t in a["1.5"])
    assert any("graded 01_oracles.ipynb, ignored 01_oracles-Copy1.ipynb" in p
               for p in results["alice"].problems)
    assert all(t["status"] == "not submitted" for t in a["3.3"])
    assert all(t["output"].startswith("not submitted") for t in b["1.5"])
    assert all(t["status"] == "not implemented" for t in b["3.3"])
    # a notebook that does not parse, whose name does not tell its set: every test says so
    carol = results["carol"]
    assert carol.max_score == results["alice"].max_score and carol.score == 0
    assert all(t["status"] == "error" and "carol.ipynb does not parse" in t["output"]
               for t in carol.tests)


@pytest.mark.spark
@pytest.mark.slow
def test_loop_on_the_driver_around_spark_calls_restarts_the_session(graded_with_spark):
    """A driver loop that keeps starting Spark jobs (and swallows their cancellation) is
    stopped from outside at its time limit: the sandbox is killed, and the tests after it run
    in a new sandbox with a new Spark session."""
    result = graded_with_spark["driver_spark_loop"]
    statuses = {t["key"]: t["status"] for t in result.tests}
    assert statuses == {
        "test_set2_distributed_gd::test_combine": "passed",
        "test_set2_distributed_gd::test_minibatch_oracle": "timed out",
        "test_set2_distributed_gd_hidden::test_combine_no_regularization": "passed",
    }, result.tests
    assert any("killed at a time limit while running `minibatch_oracle`" in f
               for f in result.flags), result.flags
