"""The pytest plugin that turns grading tests into scores and feedback.

It selects the tests (task ids, hidden or not), gives them the attendee's functions (``sub``)
and one lazily started SparkSession (``spark``), reports "not implemented yet" for untouched
stubs without running them, and turns each outcome into a record
``{key, name, task, score, max_score, status, output, visibility}`` handed to ``sink``.
Records go to a file, never through stdout, so nothing the attendee prints can change them.
"""

from __future__ import annotations

import contextlib
import dis
import os
import re
import signal
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from stepper.grade.catalog import HIDDEN_DIR, test_key, test_name
from stepper.grade.diagnose import GradeFailure

STATUS_PASSED = "passed"
STATUS_FAILED = "failed"
STATUS_TODO = "not implemented"
STATUS_TIMEOUT = "timed out"
STATUS_ERROR = "error"
STATUS_CRASH = "crashed"
STATUS_MISSING = "not submitted"


def start_notebook_spark(master: str):
    """The session ``check()`` uses in a notebook (it reuses the notebook's own session)."""
    from stepper.session import spark_session

    return spark_session(master, app_name="stepper-grade", ui_port=None)


def start_grading_spark(master: str):
    """The session of a grading child: for ``local[n]``, the fast short-lived start of
    :func:`stepper.session.start_fast_local` (its AppCDS archive from ``$STEPPER_SPARK_CDS``,
    set by the grader); ``STEPPER_GRADE_FAST=0`` or another master: :func:`start_notebook_spark`.
    """
    from stepper.session import start_fast_local

    match = re.fullmatch(r"local\[(\d+)\]", master)
    if match is None or os.environ.get("STEPPER_GRADE_FAST", "1") == "0":
        return start_notebook_spark(master)
    return start_fast_local(int(match.group(1)), session=True,
                            driver_memory=os.environ.get("STEPPER_DRIVER_MEMORY", "512m"))


STUB_OPS = {"RESUME", "NOP", "CACHE", "LOAD_GLOBAL", "LOAD_CONST", "PUSH_NULL", "PRECALL",
            "CALL", "RAISE_VARARGS", "LOAD_SMALL_INT", "LOAD_COMMON_CONSTANT", "NOT_TAKEN",
            "RETURN_CONST", "RETURN_VALUE", "CALL_FUNCTION", "LOAD_NAME"}


GRACE = 3.0  # seconds between cancelling a late test's Spark jobs and interrupting it


class GradeTimeout(BaseException):
    """A test ran past its time limit. A BaseException, so that neither the attendee's
    ``except Exception`` nor Py4J's error handling can swallow it."""

    def __init__(self, limit: float) -> None:
        super().__init__(f"past its {limit:g} s time limit")
        self.limit = limit


class Broken:
    """Stands for a notebook whose definitions could not be imported."""

    def __init__(self, message: str) -> None:
        self.message = message


def is_stub(obj: Any) -> bool:
    """True for a function whose body only raises NotImplementedError (the untouched stub)."""
    code = getattr(obj, "__code__", None)
    if code is None or code.co_names != ("NotImplementedError",):
        return False
    if not any(isinstance(c, str) and c.startswith("Task ") for c in code.co_consts):
        return False
    return all(ins.opname in STUB_OPS for ins in dis.get_instructions(code))


class Submission:
    """Attribute access to the attendee's functions with a clear message for missing ones."""

    def __init__(self, namespace: Any, notes: list[str]) -> None:
        self._namespace = namespace
        self._notes = notes

    def __getattr__(self, name: str) -> Any:
        if isinstance(self._namespace, Broken):
            raise GradeFailure(self._namespace.message)
        try:
            return self._namespace[name] if isinstance(self._namespace, dict) else getattr(
                self._namespace, name)
        except (KeyError, AttributeError):
            pass
        message = (f"`{name}` is not defined in your notebook (was its cell deleted or the "
                   "function renamed?)")
        if self._notes:
            message += "\n" + "\n".join(f"  note: {note}" for note in self._notes)
        raise GradeFailure(message) from None


class GradePlugin:
    """Collects points; one instance per grading run."""

    def __init__(
        self,
        namespaces: dict[str, Any],
        sink: Callable[[dict], None],
        *,
        tasks: set[str] | None = None,
        include_hidden: bool = True,
        timeout_cap: float | None = None,
        notes: dict[str, list[str]] | None = None,
        locate: Callable[[str, int], str | None] | None = None,
        master: str | None = None,
        extracted: bool = False,
        skip: set[str] | None = None,
        on_unsafe: Callable[[], None] | None = None,
    ) -> None:
        self.namespaces = namespaces
        self.sink = sink
        self.tasks = tasks
        self.include_hidden = include_hidden
        self.timeout_cap = timeout_cap
        self.notes = notes or {}
        self.locate = locate or (lambda filename, lineno: None)
        self.master = master
        self.extracted = extracted
        self.skip = skip or set()
        self.on_unsafe = on_unsafe  # called when a timeout had to interrupt a Spark call
        self._interrupted: set[str] = set()
        self._spark = None
        self._done: set[str] = set()
        self._timed_out: set[str] = set()

    # selection -----------------------------------------------------------------------------
    def pytest_collection_modifyitems(self, session, config, items) -> None:
        keep, drop = [], []
        for item in items:
            info = getattr(getattr(item, "function", None), "grade", None)
            hidden = Path(str(item.path)).parent == HIDDEN_DIR
            if (info is None or (self.tasks and info.task not in self.tasks)
                    or (hidden and not self.include_hidden)
                    or info.set_number not in self.namespaces
                    or test_key(item.path, item.function.__name__) in self.skip):
                drop.append(item)
                continue
            keep.append(item)
        if drop:
            config.hook.pytest_deselected(items=drop)
        items[:] = keep

    # fixtures -------------------------------------------------------------------------------
    @pytest.fixture
    def sub(self, request) -> Submission:
        info = request.function.grade
        return Submission(self.namespaces.get(info.set_number), self.notes.get(info.set_number,
                                                                                 []))

    @pytest.fixture(scope="session")
    def spark(self):
        if self._spark is None:
            master = self.master or os.environ.get("STEPPER_GRADE_MASTER", "local[2]")
            self._spark = (start_grading_spark(master) if self.extracted
                           else start_notebook_spark(master))
            self._register_by_value()
            if self.extracted:
                # Start the Python workers now, outside any test's time limit, so the first
                # Spark test of a submission is not charged for them (it may take seconds on a
                # loaded machine). In a notebook (check()) the session is already warm.
                sc = self._spark.sparkContext
                sc.parallelize(range(sc.defaultParallelism), sc.defaultParallelism).count()
        return self._spark

    @property
    def spark_started(self) -> bool:
        """Whether a test asked for Spark (untouched stubs never do)."""
        return self._spark is not None

    def _register_by_value(self) -> None:
        """Ship the attendee's functions to Spark workers by value (workers cannot import them)."""
        from pyspark import cloudpickle

        for namespace in self.namespaces.values():
            if hasattr(namespace, "__name__") and hasattr(namespace, "__file__"):
                with contextlib.suppress(ValueError):
                    cloudpickle.register_pickle_by_value(namespace)

    # time limits ----------------------------------------------------------------------------
    def limit(self, info) -> float:
        return min(info.timeout, self.timeout_cap) if self.timeout_cap else info.timeout

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item):
        """Run the test under its time limit (main thread only: signals need it).

        At the limit a timer thread first cancels the running Spark jobs, so a test stuck in a
        Spark action (a loop inside ``mapPartitions``) returns with the job cancelled and the
        session stays usable. If the test is still running :data:`GRACE` seconds later (a loop
        on the driver), the timer sends SIGALRM to the main thread itself, whose handler raises
        :class:`GradeTimeout`. (Interrupting a Py4J call with a signal instead would leave its
        connection out of step and break the session for every later test.) Either way the
        test is reported "timed out".
        """
        if threading.current_thread() is not threading.main_thread():
            return (yield)
        limit = self.limit(item.function.grade)
        key = test_key(item.path, item.function.__name__)
        main = threading.main_thread().ident
        finished = threading.Event()
        lock = threading.Lock()

        def fire() -> None:
            self._timed_out.add(key)
            self._cancel_spark_jobs()
            if finished.wait(GRACE):
                return
            with lock:
                if not finished.is_set():
                    if self._spark is not None:
                        # the signal may cut a Py4J call short: do not trust this session
                        self._interrupted.add(key)
                    signal.pthread_kill(main, signal.SIGALRM)

        def on_alarm(signum, frame):
            raise GradeTimeout(limit)

        previous = signal.signal(signal.SIGALRM, on_alarm)
        timer = threading.Timer(limit, fire)
        timer.daemon = True
        timer.start()
        try:
            try:
                return (yield)
            finally:
                with lock:
                    finished.set()
                timer.cancel()
        finally:
            signal.signal(signal.SIGALRM, previous)

    # outcomes -------------------------------------------------------------------------------
    def pytest_runtest_setup(self, item) -> None:
        info = item.function.grade
        namespace = self.namespaces.get(info.set_number)
        if info.uses and not isinstance(namespace, Broken):
            sub = Submission(namespace, [])
            try:
                stubs = [name for name in info.uses if is_stub(getattr(sub, name))]
            except GradeFailure:
                return
            if stubs and len(stubs) == len(info.uses):
                pytest.skip(f"stepper-todo:{', '.join(stubs)}")

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = yield
        key = test_key(item.path, item.function.__name__)
        if key in self._done:
            return report
        if call.when == "call" or call.excinfo is not None:
            record = self.record(item, call)
            if record is not None:
                self._done.add(key)
                self.sink(record)
                if key in self._interrupted and self.on_unsafe is not None:
                    self.on_unsafe()
        return report

    def record(self, item, call) -> dict | None:
        info = item.function.grade
        hidden = Path(str(item.path)).parent == HIDDEN_DIR
        key = test_key(item.path, item.function.__name__)
        status, output = self.classify(call.excinfo, info, key in self._timed_out)
        return {
            "key": test_key(item.path, item.function.__name__),
            "name": test_name(item.function),
            "task": info.task,
            "score": info.points if status == STATUS_PASSED else 0.0,
            "max_score": info.points,
            "status": status,
            "output": output,
            "visibility": "hidden" if hidden else "visible",
            "seconds": round(float(getattr(call, "duration", 0.0)), 3),
        }

    def classify(self, excinfo, info, timed_out: bool = False) -> tuple[str, str]:
        if excinfo is None:
            return STATUS_PASSED, "passed"
        exc = excinfo.value
        text = str(exc)
        if excinfo.errisinstance(pytest.skip.Exception) and "stepper-todo:" in text:
            names = text.split("stepper-todo:", 1)[1]
            return STATUS_TODO, (f"not implemented yet: `{names}` still raises "
                                 f"NotImplementedError (Task {info.task}).")
        if timed_out or excinfo.errisinstance(GradeTimeout):
            return STATUS_TIMEOUT, (f"timed out after {self.limit(info):g} s: an infinite "
                                    "loop, or far too much work for this small example?")
        if excinfo.errisinstance(GradeFailure):
            return STATUS_FAILED, text
        if excinfo.errisinstance(NotImplementedError):
            return STATUS_TODO, f"not implemented yet: {text or 'NotImplementedError'}."
        where = self.where(excinfo)
        name = type(exc).__name__
        hint = ""
        if isinstance(exc, NameError) and self.extracted:
            hint = ("\n  hint: the grader keeps only imports, functions, classes and simple "
                    "constants from your notebook; define what the function needs inside it "
                    "or pass it as an argument.")
        if excinfo.errisinstance(SystemExit):
            return STATUS_ERROR, f"your code called sys.exit({text}){where}."
        return STATUS_ERROR, f"your code raised {name}: {text}{where}{hint}"

    def where(self, excinfo) -> str:
        for frame in reversed(traceback.extract_tb(excinfo.tb)):
            place = self.locate(frame.filename, frame.lineno or 0)
            if place:
                code = (frame.line or "").strip()
                return f" ({place}: `{code}`)" if code else f" ({place})"
        return ""

    def _cancel_spark_jobs(self) -> None:
        if self._spark is not None:
            with contextlib.suppress(Exception):
                self._spark.sparkContext.cancelAllJobs()
