"""Shared helpers for the grading tests: paths, the fixture generator and a grouping of results.

A module with its own name (not ``conftest``) so that ``from grading_helpers import …`` finds
this file whatever other test folder pytest collected first.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "submissions"


def load_make():
    """tests/fixtures/submissions/make.py, loaded as a module."""
    spec = importlib.util.spec_from_file_location("submission_fixtures", FIXTURES / "make.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def by_task(result) -> dict[str, list[dict]]:
    """A grading result's tests grouped by task id."""
    out: dict[str, list[dict]] = {}
    for test in result.tests:
        out.setdefault(test["task"], []).append(test)
    return out
