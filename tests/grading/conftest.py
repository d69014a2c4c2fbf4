"""Shared helpers for the grading tests: the fixture generator and a grading shortcut."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "submissions"


def _load_make():
    spec = importlib.util.spec_from_file_location("submission_fixtures", FIXTURES / "make.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def fixtures_module():
    """tests/fixtures/submissions/make.py, loaded as a module."""
    return _load_make()


def by_task(result) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for test in result.tests:
        out.setdefault(test["task"], []).append(test)
    return out
