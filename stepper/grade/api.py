"""The small API test authors use: ``@task`` and the expectation helpers.

A grading test is a plain pytest function decorated with ``@task("1.5", points=2)``: it is
worth ``points`` when it passes. ``uses`` names the attendee functions the test calls; when all
of them are still the untouched stub, the test is reported "not implemented yet" without running
(and without starting Spark). Tests receive the attendee's functions through the ``sub``
fixture: ``sub.gradient(X, y, w, 0.1)`` is a call into the attendee's sandbox with plain data
in and out (:mod:`stepper.grade.remote`). A Spark test (``spark=True``) hands over an RDD as
``Rdd(rows, partitions)`` and a function as ``Fn("partition_oracle")``, built on the attendee's
side, and gets an RDD back as :class:`~stepper.grade.wire.RddResult` (its partitions); expected
values are computed here, without Spark (``tests/_common.py`` reproduces Spark's partitioning
and sampling). The first line of the docstring is the test's name in the reports. Tests under
``hidden_tests/`` are hidden. Every text an attendee reads is an English template said in their
language: hints and ``fail`` messages as they are, ``what=``/``example=`` in words through
``say("the count of partition {index}", index=index)`` (:mod:`stepper.grade.say`; their French
goes in ``stepper/grade/strings/fr.py``, and ``tests/grading/test_say.py`` checks it is there).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from stepper.grade.diagnose import GradeFailure, Hint, expect_close, expect_equal, fail
from stepper.grade.say import say

__all__ = ["GradeFailure", "Hint", "TaskInfo", "expect_close", "expect_equal", "fail", "say",
           "task"]

DEFAULT_TIMEOUT = 10.0
SPARK_TIMEOUT = 60.0
F = TypeVar("F", bound=Callable)


@dataclass(frozen=True)
class TaskInfo:
    """What the grader knows about one test: its task, points, functions used, time limit."""

    task: str
    points: float
    uses: tuple[str, ...]
    spark: bool
    timeout: float

    @property
    def set_number(self) -> str:
        return self.task.split(".")[0]


def task(task_id: str, points: float = 1, *, uses: str | tuple[str, ...] = (),
         spark: bool = False, timeout: float | None = None) -> Callable[[F], F]:
    """Mark a test as grading ``task_id``, worth ``points``, with a per-test time limit
    (enforced by :class:`~stepper.grade.plugin.GradePlugin`)."""
    names = (uses,) if isinstance(uses, str) else tuple(uses)
    limit = timeout if timeout is not None else (SPARK_TIMEOUT if spark else DEFAULT_TIMEOUT)

    def decorate(fn: F) -> F:
        info = TaskInfo(task_id, float(points), names, spark, float(limit))
        # a function attribute, which the Callable bound does not declare
        fn.grade = info  # type: ignore[attr-defined]
        return fn

    return decorate
