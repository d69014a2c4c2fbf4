"""Autograding for the exercise notebooks.

* In a notebook: ``from stepper.grade import check`` then ``check("2.3")`` under a task runs that
  task's visible tests on the functions defined in the notebook and shows pass/fail with hints.
* From a shell: ``python -m stepper.grade PATH`` grades one notebook or a folder of submissions
  (one per attendee) and writes ``results.json``, ``junit.xml`` and ``grades.csv``; the
  attendee's code runs in a sandbox (:mod:`stepper.grade.jail`, :mod:`stepper.grade.sandbox`),
  the tests on the trusted side (:mod:`stepper.grade.child`), plain data between them
  (:mod:`stepper.grade.wire`).
* On the stepper: :mod:`stepper.grade.plug` runs a :class:`~stepper.engine.Stepper` on the
  attendee's functions (``my_stepper``), next to the reference (``compare``), and replays their
  update rules on its recorded iterations (``replay_updates``).
* Test authors: ``@task("1.5", points=2, uses="gradient")`` and ``expect_close(..., hints=[…])``.
* Languages: the notebooks exist in English and in French (``exercises/fr/``); everything an
  attendee reads from the grader is said in their notebook's language (:mod:`stepper.grade.say`,
  the French in :mod:`stepper.grade.strings.fr`).
* Throughput: ``python benchmarks/grading.py`` prints submissions per minute.
"""

from __future__ import annotations

from typing import Any

from stepper.grade.api import Hint, expect_close, expect_equal, fail, task

__all__ = ["Hint", "check", "expect_close", "expect_equal", "fail", "task"]


def check(task_id: str, namespace: dict[str, Any] | None = None, **options: Any) -> Any:
    """Run the visible tests of ``task_id`` on the caller's functions and show the results."""
    import inspect

    from stepper.grade.check import run_check

    if namespace is None:
        frame = inspect.currentframe()
        namespace = frame.f_back.f_globals if frame and frame.f_back else {}
    return run_check(task_id, namespace, **options)
