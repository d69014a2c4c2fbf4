"""Grade one submission: a trusted child process runs the tests against a sandbox.

A submission is one notebook or a folder of notebooks (one per exercise set) from one attendee.
:func:`grade_submission` reads each notebook as JSON only (the attendee's code is never parsed
or compiled here), tells its exercise set from its metadata, its file name or the names it
defines, and its language from its metadata (``"stepper": {"lang": "fr"}``) or its folder
(``…/fr/…``), and runs :mod:`stepper.grade.child` — the trusted side: tests, references, results —
which starts the attendee's sandbox (:mod:`stepper.grade.jail`). The child's JSON-lines records
are read back; tests it never reported get a clear status. One bad submission never raises.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from stepper.grade import catalog
from stepper.grade.extract import NotebookError, read_notebook
from stepper.grade.plugin import STATUS_CRASH, STATUS_ERROR, STATUS_MISSING, STATUS_TIMEOUT
from stepper.grade.say import DEFAULT, known, say

ROOT = Path(__file__).resolve().parents[2]
SPARK_STARTUP = 90.0
MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024
VALID_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.@+-]{0,127}$")


@dataclass
class SubmissionResult(catalog.ScoredTests):
    """The graded tests of one attendee, plus problems found before the tests ran, the
    protections the sandbox ran under and what it was seen trying (``flags``)."""

    attendee: str
    path: str
    tests: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    spark_started: bool = False
    flags: list[str] = field(default_factory=list)
    level: str = ""
    protections: list[str] = field(default_factory=list)
    missing_protections: list[str] = field(default_factory=list)
    lang: str = DEFAULT


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


def set_of_notebook(nb: dict, path: Path) -> str | None:
    """The exercise set of a notebook without compiling it: its metadata, its file name, else
    the set whose graded function names its ``def`` lines define most."""
    meta = nb.get("metadata", {}).get("stepper", {}) if isinstance(nb, dict) else {}
    for number, slug in catalog.SETS.items():
        if isinstance(meta, dict) and meta.get("set") == slug:
            return number
    guessed = _guess_set(path)
    if guessed is not None:
        return guessed
    defined = set()
    for cell in nb.get("cells", []):
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            source = cell.get("source", "")
            text = "".join(source) if isinstance(source, list) else str(source)
            defined |= set(re.findall(r"^def\s+(\w+)", text, flags=re.MULTILINE))
    best, hits = None, 0
    for number in catalog.SETS:
        names = {u for spec in catalog.enumerate_tests([number], False) for u in spec.info.uses}
        if len(names & defined) > hits:
            best, hits = number, len(names & defined)
    return best


def language_of_notebook(nb: dict, path: Path) -> str:
    """The language a notebook is in: its metadata ``"stepper": {"lang"}``, else a ``fr``
    folder on its path (``exercises/fr/01_oracles.ipynb``), else English."""
    meta = nb.get("metadata", {}).get("stepper", {}) if isinstance(nb, dict) else {}
    lang = known(meta.get("lang")) if isinstance(meta, dict) else None
    if lang is not None:
        return lang
    folders = {part.lower() for part in Path(path).parent.parts}
    return next((code for code in ("fr",) if code in folders), DEFAULT)


def _outside(notebook: Path, base: Path) -> bool:
    """Whether ``notebook`` resolves (through symlinks) outside the submission's folder."""
    try:
        notebook.resolve().relative_to(base.resolve())
    except (ValueError, OSError, RuntimeError):
        return True
    return False


def _read(notebook: Path, base: Path) -> dict:
    """The notebook's JSON; NotebookError for a symlink out of the folder, too large, not JSON."""
    if _outside(notebook, base):
        raise NotebookError("is a symbolic link pointing outside the submission: not read")
    if notebook.stat().st_size > MAX_NOTEBOOK_BYTES:
        raise NotebookError("is larger than {mb} MB: not read", mb=MAX_NOTEBOOK_BYTES // 2**20)
    try:
        return dict(read_notebook(notebook))
    except RecursionError:
        raise NotebookError("does not parse as a notebook (nested too deeply)") from None


def _collect(path: Path, result: SubmissionResult) -> tuple[dict[str, Path], dict[str, str]]:
    """(notebook by set, reason by set for unreadable ones; "?" when the set is unknown); the
    problems found are said in the submission's language (known once every notebook is read)."""
    base = path if path.is_dir() else path.parent
    notebooks: dict[str, Path] = {}
    unreadable: dict[str, Callable[[str], str]] = {}  # set → its notebook's problem, said
    languages: list[str] = []
    problems: list[Callable[[str], str]] = []  # each says one problem in a language
    read: dict[Path, tuple[str, str]] = {}  # notebook -> (language, its code)
    for notebook in notebooks_of(path):
        try:
            nb = _read(notebook, base)
            number = set_of_notebook(nb, notebook)
            read[notebook] = (language_of_notebook(nb, notebook), _code_of(nb))
            languages.append(read[notebook][0])
        except (NotebookError, OSError) as exc:
            def unreadable_line(lang: str, name: str = notebook.name,
                                error: Exception = exc) -> str:
                why = error.said(lang) if isinstance(error, NotebookError) else str(error)
                return f"{name} {why}"

            problems.append(unreadable_line)
            languages.append(language_of_notebook({}, notebook))  # its folder's, if any
            guess = _guess_set(notebook)
            unreadable[guess if guess is not None else "?"] = unreadable_line
            continue
        if number is None:
            def unrecognized(lang: str, name: str = notebook.name) -> str:
                return say("{name}: not recognized as one of the exercise sets", lang, name=name)

            problems.append(unrecognized)
            continue
        if number in notebooks:
            first = notebooks[number]
            if read[first][0] != read[notebook][0]:  # the set in English and in French
                kept, dropped, quiet = _twin(first, notebook, number, read)
            else:
                kept, dropped = _preferred(first, notebook, number)
                quiet = False
            if not quiet:
                def twice(lang: str, name: str = catalog.SETS[number],
                          graded: str = _shown(kept, base),
                          ignored: str = _shown(dropped, base)) -> str:
                    return say("two notebooks for set {name}: graded {kept}, ignored {dropped}",
                               lang, name=name, kept=graded, dropped=ignored)

                problems.append(twice)
            notebook = kept
        notebooks[number] = notebook
        unreadable.pop(number, None)
    kept_languages = [read[p][0] for p in notebooks.values()] or languages
    if kept_languages:  # the attendee's language: the one most of their notebooks are in
        result.lang = max(dict.fromkeys(kept_languages), key=kept_languages.count)
    result.problems.extend(problem(result.lang) for problem in problems)
    return notebooks, {number: said(result.lang) for number, said in unreadable.items()}


def _shown(notebook: Path, base: Path) -> str:
    """The notebook's path in the submission (``fr/01_oracles.ipynb``), else its name."""
    try:
        return str(notebook.relative_to(base))
    except ValueError:
        return notebook.name


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
    """Grade the notebook(s) at ``path``; never raises for bad submissions.

    ``sets`` restricts grading to some exercise sets (default: the sets the notebooks are), and
    ``tasks`` to some task ids. ``timeout_cap`` lowers every per-test limit; ``max_seconds``
    bounds the whole grading of this attendee. ``master`` is the sandbox's Spark master.
    """
    start = time.monotonic()
    path = Path(path)
    include_hidden = catalog.hidden_available() if include_hidden is None else include_hidden
    result = SubmissionResult(attendee or path.stem, str(path))
    if not VALID_NAME.match(result.attendee) or result.attendee in (".", ".."):
        result.problems.append(f"the attendee name {result.attendee!r:.60} is not a valid file "
                               "name (letters, digits, space, _ . @ + -): not graded; rename "
                               "the submission")
        wanted = sets if sets is not None else []
        for spec in catalog.enumerate_tests(wanted, include_hidden, tasks):
            result.tests.append(_blank(spec, STATUS_ERROR, result.problems[-1]))
        return result
    try:
        notebooks, unreadable = _collect(path, result)
    except OSError as exc:
        notebooks, unreadable = {}, {}
        result.problems.append(f"the submission cannot be read: {exc}")
    wanted = sets if sets is not None else sorted((set(notebooks) | set(unreadable)) - {"?"})
    if not notebooks_of(path):
        result.problems.append("no notebook found in this submission")
    specs = catalog.enumerate_tests(wanted, include_hidden, tasks, lang=result.lang)
    graded = {n: p for n, p in notebooks.items() if n in wanted}
    records: dict[str, dict] = {}
    if graded:
        records = _run_child(graded, specs, result, tasks, include_hidden, timeout_cap,
                             max_seconds, master)
    for spec in specs:
        result.tests.append(records.get(spec.key)
                            or _missing(spec, notebooks, unreadable, result.lang))
    result.seconds = time.monotonic() - start
    return result


def _missing(spec: catalog.TestSpec, notebooks: dict, unreadable: dict,
             lang: str = DEFAULT) -> dict:
    """The record of a test the child never reported (its output in ``lang``)."""
    number = spec.info.set_number
    if number in unreadable or (number not in notebooks and "?" in unreadable):
        text = unreadable.get(number, unreadable.get("?"))
        return _blank(spec, STATUS_ERROR, say("your notebook {problem}", lang, problem=text))
    if number not in notebooks:
        return _blank(spec, STATUS_MISSING, say("not submitted: no notebook for set {name}",
                                                lang, name=catalog.SETS[number]))
    return _blank(spec, STATUS_CRASH, say("not graded", lang))


STUB = re.compile(r'raise NotImplementedError\("Task (\d+\.\d+):')


def _code_of(nb: dict) -> str:
    """The code cells' text of a notebook read as JSON (never compiled here)."""
    out = []
    for cell in nb.get("cells", []) if isinstance(nb, dict) else []:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            source = cell.get("source", "")
            out.append("".join(source) if isinstance(source, list) else str(source))
    return "\n".join(out)


def _twin(first: Path, second: Path, number: str,
          read: dict[Path, tuple[str, str]]) -> tuple[Path, Path, bool]:
    """(kept, ignored, quiet) of one set's notebooks in two languages (an attendee's folder
    holds the English and the French copies): the one with fewer untouched stubs, else the
    newer; quiet when both hold the same code or the ignored one is untouched (every task
    still a stub), since nothing of the attendee's is then left out."""
    if read[first][1] == read[second][1]:
        return first, second, True
    stubs = {p: len(set(STUB.findall(read[p][1]))) for p in (first, second)}
    kept = min((first, second), key=lambda p: (stubs[p], -p.stat().st_mtime, p.name))
    dropped = second if kept is first else first
    tasks = {spec.info.task for spec in catalog.enumerate_tests([number], False)}
    return kept, dropped, set(STUB.findall(read[dropped][1])) >= tasks


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
    probe = SubmissionResult("probe", str(path))
    try:
        notebooks, unreadable = _collect(Path(path), probe)
    except OSError:
        return set()
    return (set(notebooks) | set(unreadable)) - {"?"}


def _guess_set(notebook: Path) -> str | None:
    for number, slug in catalog.SETS.items():
        if notebook.stem.startswith(slug[:3]) or slug in notebook.stem:
            return number
    return None


LOG_TAIL_LINES = 12


def _run_child(notebooks, specs, result, tasks, include_hidden, timeout_cap, max_seconds,
               master) -> dict:
    """Run the trusted child over every test; return the records by test key.

    The attendee's code cannot end the child (it runs in the sandbox the child starts); a child
    that dies anyway (the machine out of memory) is tried once more for the tests left.
    """
    out: dict = {}
    for attempt in range(2):
        left = [s for s in specs if s.key not in out and s.info.set_number in notebooks]
        if not left:
            break
        records, killed, returncode, budget, log_tail = _attempt(
            notebooks, left, set(out), tasks, include_hidden, timeout_cap, max_seconds, master,
            result.lang)
        done = _absorb(records, out, result)
        if done:
            break
        if killed:
            reason = f"grading was stopped at its {budget:.0f} s time limit"
        else:
            reason = f"the grading process ended unexpectedly (exit code {returncode})"
            if log_tail:
                reason += "; its last output:\n" + log_tail
        if attempt == 0 and not killed:
            result.problems.append(reason + "; graded the rest again")
            continue
        result.problems.append(reason)
        status = STATUS_TIMEOUT if killed else STATUS_CRASH
        for spec in left:
            out.setdefault(spec.key, _blank(spec, status, say("not run: {reason}.", result.lang,
                                                              reason=reason)))
    return out


def _absorb(records: list[dict], out: dict, result: SubmissionResult) -> bool:
    """Take the child's records into ``out`` and ``result``; whether it finished."""
    for record in records:
        event = record.pop("event", None)
        if event == "result":
            out[record["key"]] = record
        elif event == "import" and record["output"] not in result.problems:
            result.problems.append(record["output"])
        elif event == "done":
            result.spark_started = result.spark_started or bool(record.get("spark"))
            result.flags.extend(f for f in record.get("flags", []) if f not in result.flags)
            result.level = record.get("level", "")
            result.protections = list(record.get("protections", []))
            result.missing_protections = list(record.get("missing", []))
            return True
    return False


def _attempt(notebooks, specs, skip, tasks, include_hidden, timeout_cap, max_seconds,
             master, lang=DEFAULT) -> tuple[list[dict], bool, int | None, float, str]:
    """One trusted child over ``specs``: its records, whether it was killed, its exit code,
    its time budget and the end of its log."""
    budget = sum(min(s.info.timeout, timeout_cap or s.info.timeout) + 5.0 for s in specs)
    if any(s.info.spark for s in specs):
        budget += SPARK_STARTUP
    budget = min(budget + 60.0, max_seconds)
    with tempfile.TemporaryDirectory(prefix="stepper-grade-") as tmp:
        work = Path(tmp)
        (work / "pytest.ini").write_text("[pytest]\n")
        spec = {
            "notebooks": {n: str(Path(p).resolve()) for n, p in notebooks.items()},
            "results": str(work / "results.jsonl"),
            "log": str(work / "child.log"),
            "ini": str(work / "pytest.ini"),
            "workdir": str(work),
            "test_files": [str(p) for p in catalog.test_files(sorted(notebooks),
                                                              include_hidden)],
            "tasks": sorted(tasks) if tasks else None,
            "skip": sorted(skip),
            "include_hidden": include_hidden,
            "timeout_cap": timeout_cap,
            "level": os.environ.get("STEPPER_GRADE_LEVEL") or None,
            "lang": lang,
        }
        (work / "spec.json").write_text(json.dumps(spec))
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(
            os.pathsep)
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        # No other pytest plugin is needed: autoloading every installed one (hypothesis,
        # playwright, ...) tripled the child's start time.
        env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        if master:
            env["STEPPER_GRADE_MASTER"] = master
        proc = subprocess.Popen(
            [sys.executable, "-m", "stepper.grade.child", str(work / "spec.json")],
            cwd=work, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True)
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
        log = work / "child.log"
        text = log.read_text(errors="replace").strip() if log.exists() else ""
        log_tail = "\n".join(text.splitlines()[-LOG_TAIL_LINES:])
    return records, killed, proc.returncode, budget, log_tail
