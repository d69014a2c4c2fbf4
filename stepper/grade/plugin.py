"""The pytest plugin that turns grading tests into scores and feedback (the trusted side).

It selects the tests (task ids, hidden or not), gives each one ``sub``: the attendee's
functions of its exercise set as calls through a backend (:mod:`stepper.grade.remote`: a
sandbox process when grading, the live kernel for the Check button), reports "not implemented
yet" for untouched stubs without running them, bounds each test by its time limit (enforced by
the backend, from outside the attendee's code) and turns each outcome into a record
``{key, name, task, score, max_score, status, output, visibility}`` handed to ``sink``. The
record's name, task and points come from the test's own ``@task`` (the catalogue), never from
the attendee's side.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from stepper.grade.catalog import HIDDEN_DIR, test_key, test_name
from stepper.grade.diagnose import GradeFailure
from stepper.grade.remote import AttendeeRaised, GradeTimeout, SandboxCrashed, Submission
from stepper.grade.say import say
from stepper.grade.stubs import is_stub

__all__ = ["GradePlugin", "GradeTimeout", "is_stub"]

STATUS_PASSED = "passed"
STATUS_FAILED = "failed"
STATUS_TODO = "not implemented"
STATUS_TIMEOUT = "timed out"
STATUS_ERROR = "error"
STATUS_CRASH = "crashed"
STATUS_MISSING = "not submitted"


class GradePlugin:
    """Collects points; one instance per grading run, over one backend."""

    def __init__(
        self,
        backend: Any,
        sets: set[str],
        sink: Callable[[dict], None],
        *,
        tasks: set[str] | None = None,
        include_hidden: bool = True,
        timeout_cap: float | None = None,
        skip: set[str] | None = None,
    ) -> None:
        self.backend = backend
        self.sets = sets
        self.sink = sink
        self.tasks = tasks
        self.include_hidden = include_hidden
        self.timeout_cap = timeout_cap
        self.skip = skip or set()
        self._done: set[str] = set()

    # selection -----------------------------------------------------------------------------
    def pytest_collection_modifyitems(self, session, config, items) -> None:
        keep, drop = [], []
        for item in items:
            info = getattr(getattr(item, "function", None), "grade", None)
            hidden = Path(str(item.path)).parent == HIDDEN_DIR
            if (info is None or (self.tasks and info.task not in self.tasks)
                    or (hidden and not self.include_hidden)
                    or info.set_number not in self.sets
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
        return Submission(self.backend, request.function.grade.set_number)

    # time limits ----------------------------------------------------------------------------
    def limit(self, info) -> float:
        return min(info.timeout, self.timeout_cap) if self.timeout_cap else info.timeout

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item):
        """Run the test with its deadline: every call it makes to the attendee's code gets the
        time left, and the backend stops the attendee's code at the deadline."""
        with self.backend.deadline.of(self.limit(item.function.grade)):
            return (yield)

    # outcomes -------------------------------------------------------------------------------
    def pytest_runtest_setup(self, item) -> None:
        info = item.function.grade
        if self.backend.import_error(info.set_number) is not None:
            return
        if info.uses:
            stubs = self.backend.stubs(info.set_number, list(info.uses))
            if stubs and len(stubs) == len(info.uses):
                pytest.skip(f"stepper-todo:{', '.join(stubs)}")
        if info.spark:
            # Spark starts outside the test's time limit, once per sandbox
            self.backend.prepare_spark()

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = yield
        key = test_key(item.path, item.function.__name__)
        if key in self._done:
            return report
        if call.when == "call" or call.excinfo is not None:
            self._done.add(key)
            self.sink(self.record(item, call))
        return report

    def record(self, item, call) -> dict:
        info = item.function.grade
        hidden = Path(str(item.path)).parent == HIDDEN_DIR
        status, output = self.classify(call.excinfo, info)
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

    def classify(self, excinfo, info) -> tuple[str, str]:
        if excinfo is None:
            return STATUS_PASSED, "passed"
        exc = excinfo.value
        text = str(exc)
        if excinfo.errisinstance(pytest.skip.Exception) and "stepper-todo:" in text:
            names = text.split("stepper-todo:", 1)[1]
            return STATUS_TODO, say("not implemented yet: `{names}` still raises "
                                    "NotImplementedError (Task {task}).", names=names,
                                    task=info.task)
        if excinfo.errisinstance(GradeTimeout):
            return STATUS_TIMEOUT, say("timed out after {seconds} s: an infinite loop, or far "
                                       "too much work for this small example?",
                                       seconds=f"{self.limit(info):g}")
        if excinfo.errisinstance(GradeFailure):
            return STATUS_FAILED, text
        if excinfo.errisinstance(NotImplementedError):
            return STATUS_TODO, say("not implemented yet: {problem}.",
                                    problem=text or "NotImplementedError")
        if excinfo.errisinstance(AttendeeRaised):
            return STATUS_ERROR, text
        if excinfo.errisinstance(SandboxCrashed):
            return STATUS_CRASH, say("crashed: {problem}", problem=text)
        # the test's own code tripped over the value returned (a wrong type or shape)
        frame = traceback.extract_tb(excinfo.tb)[-1] if excinfo.tb else None
        line = (frame.line or "").strip() if frame is not None else ""
        where = say(" (checking `{line}`)", line=line) if line else ""
        return STATUS_ERROR, say("your result could not be checked: {kind}: {problem}{where}",
                                 kind=type(exc).__name__, problem=text, where=where)
