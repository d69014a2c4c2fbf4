"""Grade one submission in a fresh process, with a wall-clock limit as the last resort.

A submission is one notebook or a folder of notebooks (one per exercise set) from one attendee.
:func:`grade_submission` extracts each notebook (:mod:`stepper.grade.extract`), writes the
modules and a spec into a temporary folder, runs :mod:`stepper.grade.child` in a new process
group and kills the whole group when it is done or past its time. The child's JSON-lines records
are read back; tests it never reported get a clear status (the process crashed, or was stopped
at the time limit). Nothing depends on what the child prints.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from stepper.grade import catalog
from stepper.grade.extract import NotebookError, extract, read_notebook
from stepper.grade.plugin import STATUS_CRASH, STATUS_ERROR, STATUS_MISSING, STATUS_TIMEOUT

ROOT = Path(__file__).resolve().parents[2]
SPARK_STARTUP = 60.0


@dataclass
class SubmissionResult(catalog.ScoredTests):
    """The graded tests of one attendee, plus problems found before the tests ran."""

    attendee: str
    path: str
    tests: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    spark_started: bool = False


def notebooks_of(path: Path) -> list[Path]:
    """The notebooks of one submission (a notebook, or the notebooks in a folder)."""
    path = Path(path)
    if path.is_dir():
        return sorted(p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    return [path]


def _blank(spec: catalog.TestSpec, status: str, output: str) -> dict:
    return {"key": spec.key, "name": spec.name, "task": spec.info.task, "score": 0.0,
            "max_score": spec.info.points, "status": status, "output": output,
            "visibility": spec.visibility}


def _read_records(path: Path) -> list[dict]:
    records = []
    if path.exists():
        for line in path.read_text(errors="replace").splitlines():
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return records


def grade_submission(
    path: Path,
    *,
    attendee: str | None = None,
    sets: list[str] | None = None,
    tasks: set[str] | None = None,
    include_hidden: bool | None = None,
    timeout_cap: float | None = None,
    max_seconds: float = 900.0,
    master: str | None = None,
) -> SubmissionResult:
    """Grade the notebook(s) at ``path`` in a child process; never raises for bad submissions.

    ``sets`` restricts grading to some exercise sets (default: the sets the notebooks are), and
    ``tasks`` to some task ids. ``timeout_cap`` lowers every per-test limit; ``max_seconds``
    bounds the whole child (a per-test budget is computed and capped by it).
    """
    start = time.monotonic()
    path = Path(path)
    include_hidden = catalog.hidden_available() if include_hidden is None else include_hidden
    result = SubmissionResult(attendee or path.stem, str(path))
    modules: dict[str, dict] = {}
    unreadable: dict[str, str] = {}
    for notebook in notebooks_of(path):
        try:
            extracted = extract(read_notebook(notebook), notebook)
        except NotebookError as exc:
            result.problems.append(f"{notebook.name} {exc}")
            number = _guess_set(notebook)
            unreadable[number if number is not None else "?"] = f"{notebook.name} {exc}"
            continue
        if extracted.set_number is None:
            result.problems.append(f"{notebook.name}: not recognized as one of the exercise sets")
            continue
        number = extracted.set_number
        if number in modules:
            kept, dropped = _preferred(modules[number]["path"], notebook, number)
            result.problems.append(f"two notebooks for set {catalog.SETS[number]}: graded "
                                   f"{kept.name}, ignored {dropped.name}")
            if kept is not notebook:
                continue
        modules[number] = {"extracted": extracted, "notebook": notebook.name, "path": notebook}
        unreadable.pop(number, None)
    wanted = sets if sets is not None else sorted((set(modules) | set(unreadable)) - {"?"})
    if not notebooks_of(path):
        result.problems.append("no notebook found in this submission")
    specs = catalog.enumerate_tests(wanted, include_hidden, tasks)
    graded_sets = [n for n in wanted if n in modules]
    records: dict[str, dict] = {}
    if graded_sets:
        records = _run_child(modules, graded_sets, specs, result, tasks, include_hidden,
                             timeout_cap, max_seconds, master)
    for spec in specs:
        number = spec.info.set_number
        if spec.key in records:
            result.tests.append(records[spec.key])
        elif number in unreadable or (number not in modules and "?" in unreadable):
            # an unreadable notebook of this set (or of a set its name does not tell)
            text = unreadable.get(number, unreadable.get("?"))
            result.tests.append(_blank(spec, STATUS_ERROR, f"your notebook {text}"))
        elif number not in modules:
            missing = f"not submitted: no notebook for set {catalog.SETS[number]}"
            result.tests.append(_blank(spec, STATUS_MISSING, missing))
        else:
            result.tests.append(_blank(spec, STATUS_CRASH, "not graded"))
    result.seconds = time.monotonic() - start
    return result


def _preferred(first: Path, second: Path, number: str) -> tuple[Path, Path]:
    """(kept, ignored) of two notebooks of one set: the one named exactly like the exercise
    (``01_oracles.ipynb``) over a copy (``01_oracles-Copy1.ipynb``), else the newer one."""
    slug = catalog.SETS[number]
    exact = [p for p in (first, second) if p.stem == slug]
    if len(exact) == 1:
        kept = exact[0]
    else:
        kept = max((first, second), key=lambda p: (p.stat().st_mtime, p.name))
    return kept, second if kept is first else first


def sets_of(path: Path) -> set[str]:
    """The exercise sets the notebooks of one submission are (unreadable ones by file name)."""
    found = set()
    for notebook in notebooks_of(path):
        try:
            number = extract(read_notebook(notebook), notebook).set_number
        except NotebookError:
            number = _guess_set(notebook)
        if number is not None:
            found.add(number)
    return found


def _guess_set(notebook: Path) -> str | None:
    for number, slug in catalog.SETS.items():
        if notebook.stem.startswith(slug[:3]):
            return number
    return None


MAX_ATTEMPTS = 4
LOG_TAIL_LINES = 12


def _run_child(modules, graded_sets, specs, result, tasks, include_hidden, timeout_cap,
               max_seconds, master) -> dict:
    """Run children until every test has a record; return the records by test key.

    When a child dies (a crash, or the wall-clock kill), the test it was running is recorded
    as such and a new child grades the tests that are left, up to :data:`MAX_ATTEMPTS` times.
    """
    out: dict = {}
    startup_retried = False
    for attempt in range(MAX_ATTEMPTS):
        left = [s for s in specs if s.key not in out and s.info.set_number in graded_sets]
        if not left:
            break
        records, killed, returncode, budget, log_tail = _attempt(
            modules, graded_sets, left, set(out), tasks, include_hidden, timeout_cap,
            max_seconds, master)
        running, done, started, restart = None, False, False, False
        for record in records:
            event = record.pop("event", None)
            if event == "result":
                out[record["key"]] = record
                running = None
            elif event == "start":
                running, started = record["key"], True
            elif event == "importing":
                running, started = f"import:{record['set']}", True
            elif event == "import" and record["output"] not in result.problems:
                result.problems.append(record["output"])
            elif event == "restart":
                restart = True
            elif event == "done":
                done = True
                result.spark_started = result.spark_started or bool(record.get("spark"))
        if done:
            break
        if restart and attempt + 1 < MAX_ATTEMPTS:
            result.problems.append("a test past its time limit had to be interrupted while "
                                   "Spark was in use; the tests after it "
                                   "were graded in a new process with a new Spark session")
            continue
        if not started and not killed and not startup_retried and attempt + 1 < MAX_ATTEMPTS:
            # The child died before its first test (a transient failure of the grader itself,
            # e.g. the machine out of memory): try once more before reporting it.
            startup_retried = True
            continue
        if killed:
            reason = f"the grading process was stopped at its {budget:.0f} s time limit"
            status = STATUS_TIMEOUT
        else:
            code = -returncode if returncode and returncode < 0 else returncode
            kind = f"signal {code}" if returncode and returncode < 0 else f"exit code {code}"
            reason = f"the grading process crashed ({kind})"
            status = STATUS_CRASH
        by_key = {spec.key: spec for spec in left}
        if running in by_key and attempt + 1 < MAX_ATTEMPTS:
            result.problems.append(f"{by_key[running].name}: {reason}")
            out[running] = _blank(by_key[running], status,
                                  f"{status}: {reason} while running this test — your code "
                                  "ended the process (os._exit, a segfault, memory) or never "
                                  "returned. The other tests were graded in a new process.")
            continue
        if isinstance(running, str) and running.startswith("import:"):
            notebook = modules[running.split(":", 1)[1]]["notebook"]
            reason += f" while importing {notebook}: a definition in it ends the process"
        elif not started and log_tail:
            reason += " before its first test; its last output:\n" + log_tail
        result.problems.append(reason)
        for spec in left:
            if spec.key not in out:
                out[spec.key] = _blank(spec, STATUS_CRASH, f"not run: {reason}.")
        break
    return out


def _attempt(modules, graded_sets, specs, skip, tasks, include_hidden, timeout_cap,
             max_seconds, master) -> tuple[list[dict], bool, int | None, float, str]:
    """One child process over ``specs``: its raw records, whether it was killed, its exit code,
    its time budget and the end of its log (for a child that fails before any test)."""
    budget = sum(min(s.info.timeout, timeout_cap or s.info.timeout) for s in specs)
    if any(s.info.spark for s in specs):
        budget += SPARK_STARTUP
    budget = min(budget + 30.0, max_seconds)
    with tempfile.TemporaryDirectory(prefix="stepper-grade-") as tmp:
        work = Path(tmp)
        module_specs = {}
        for number in graded_sets:
            extracted = modules[number]["extracted"]
            file = work / f"submission_{number}.py"
            file.write_text(extracted.source, encoding="utf-8")
            module_specs[number] = {"path": str(file), "line_map": extracted.line_map,
                                    "notes": extracted.notes}
        (work / "pytest.ini").write_text("[pytest]\n")
        spec = {
            "modules": module_specs,
            "results": str(work / "results.jsonl"),
            "log": str(work / "child.log"),
            "ini": str(work / "pytest.ini"),
            "workdir": str(work),
            "test_files": [str(p) for p in catalog.test_files(graded_sets, include_hidden)],
            "tasks": sorted(tasks) if tasks else None,
            "skip": sorted(skip),
            "include_hidden": include_hidden,
            "timeout_cap": timeout_cap,
            "master": master,
        }
        (work / "spec.json").write_text(json.dumps(spec))
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(
            os.pathsep)
        env["STEPPER_UI_PORT"] = ""
        env.setdefault("STEPPER_DRIVER_MEMORY", "512m")
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["PYTHONHASHSEED"] = "0"
        # No other pytest plugin is needed (time limits are GradePlugin's own): autoloading
        # every installed one (hypothesis, playwright, ...) tripled the child's start time.
        env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        with open(work / "child.out", "wb") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "stepper.grade.child", str(work / "spec.json")],
                cwd=work, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                start_new_session=True)
            killed = False
            try:
                proc.wait(timeout=budget)
            except subprocess.TimeoutExpired:
                killed = True
            finally:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        records = _read_records(work / "results.jsonl")
        log_tail = ""
        for name in ("child.out", "child.log"):
            text = (work / name).read_text(errors="replace").strip() if (work / name).exists() \
                else ""
            if text:
                log_tail += "\n".join(text.splitlines()[-LOG_TAIL_LINES:]) + "\n"
    return records, killed, proc.returncode, budget, log_tail.rstrip()
