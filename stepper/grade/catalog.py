"""Where the grading tests live, and the exercise sets they belong to.

Set ``N`` is ``NN_name`` (``exercises/NN_name.ipynb``); task ``N.M`` belongs to set ``N``.
Visible tests are ``tests/test_setN_*.py`` (shipped with the exercises), hidden ones
``hidden_tests/test_setN_*.py`` (instructor only; the folder may be absent).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

from stepper.grade.api import TaskInfo
from stepper.grade.say import say

HERE = Path(__file__).resolve().parent
VISIBLE_DIR = HERE / "tests"
HIDDEN_DIR = HERE / "hidden_tests"

SETS: dict[str, str] = {
    "0": "00_spark_basics",
    "1": "01_oracles",
    "2": "02_distributed_gd",
    "3": "03_newton",
    "4": "04_costs_and_synchrony",
}


class ScoredTests:
    """Points of a list of graded test records (``self.tests``: dicts with ``score`` and
    ``max_score``), shared by a Check in the notebook and a graded submission."""

    tests: list[dict]

    @property
    def score(self) -> float:
        return sum(t["score"] for t in self.tests)

    @property
    def max_score(self) -> float:
        return sum(t["max_score"] for t in self.tests)


@dataclass(frozen=True)
class TestSpec:
    """One grading test, as the reports name it."""

    key: str
    name: str
    info: TaskInfo
    visible: bool

    @property
    def visibility(self) -> str:
        return "visible" if self.visible else "hidden"


def hidden_available() -> bool:
    """Whether the hidden tests are installed (they may be left out of an image)."""
    return HIDDEN_DIR.is_dir() and any(HIDDEN_DIR.glob("test_set*.py"))


def test_files(sets: list[str] | None = None, include_hidden: bool = True) -> list[Path]:
    """The test files for ``sets`` (all sets when None), visible first."""
    wanted = sets if sets is not None else list(SETS)
    dirs = [VISIBLE_DIR] + ([HIDDEN_DIR] if include_hidden and hidden_available() else [])
    return [path for folder in dirs for number in wanted
            for path in sorted(folder.glob(f"test_set{number}_*.py"))]


def test_name(func, lang: str | None = None) -> str:
    """"Task 1.5: <first docstring line>" (or the function name), in ``lang`` (default: the
    current language; the docstring's first line is a template, see :mod:`stepper.grade.say`)."""
    doc = (func.__doc__ or func.__name__).strip().splitlines()[0].rstrip(".")
    return say("Task {task}: {name}", lang, task=func.grade.task, name=say(doc, lang))


def test_key(path: Path | str, func_name: str) -> str:
    return f"{Path(path).stem}::{func_name}"


def enumerate_tests(sets: list[str] | None = None, include_hidden: bool = True,
                    tasks: set[str] | None = None, lang: str | None = None) -> list[TestSpec]:
    """Every grading test selected, in run order, read by importing the test modules (names
    in ``lang``, default the current language)."""
    specs = []
    for path in test_files(sets, include_hidden):
        package = "hidden_tests" if path.parent == HIDDEN_DIR else "tests"
        module = importlib.import_module(f"stepper.grade.{package}.{path.stem}")
        funcs = [f for name, f in vars(module).items()
                 if name.startswith("test_") and hasattr(f, "grade")]
        funcs.sort(key=lambda f: f.__code__.co_firstlineno)
        for func in funcs:
            if tasks and func.grade.task not in tasks:
                continue
            specs.append(TestSpec(test_key(path, func.__name__), test_name(func, lang), func.grade,
                                  package == "tests"))
    return specs


def set_of_task(task_id: str) -> str:
    return task_id.split(".")[0]
