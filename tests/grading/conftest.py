"""Fixtures for the grading tests (helpers: ``grading_helpers``)."""

from __future__ import annotations

import pytest
from grading_helpers import load_make


@pytest.fixture(scope="session")
def fixtures_module():
    """tests/fixtures/submissions/make.py, loaded as a module."""
    return load_make()
