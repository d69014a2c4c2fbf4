"""Unit tests: what extraction keeps, and how expect_close names mistakes."""

from __future__ import annotations

import json

import nbformat
import numpy as np
import pytest

from stepper.grade.diagnose import GradeFailure, Hint, expect_close, expect_equal
from stepper.grade.extract import NotebookError, extract, read_notebook
from stepper.grade.stubs import is_stub


def notebook(*sources: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["stepper"] = {"set": "01_oracles"}
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    return nb


def test_extract_keeps_definitions_and_drops_calls():
    nb = notebook(
        "import numpy as np\nspark = spark_session()\nsc = spark.sparkContext\nMU = 0.9\n",
        "%time x = 1\n!pip install foo\ndef f(x):\n    return x + MU\n",
        "check('1.1')\nprint('hi')\nimport sys\nsys.exit(1)",
        "%%bash\necho hi",
        "def broken(:\n    pass",
    )
    out = extract(nb)
    assert "spark_session" not in out.source and "sparkContext" not in out.source
    assert "MU = 0.9" in out.source and "def f(x):" in out.source
    assert "check(" not in out.source and "sys.exit" not in out.source
    assert "echo" not in out.source
    assert out.set_number == "1"
    assert any("cell 5 has a syntax error" in note for note in out.notes)
    line = out.source.split("\n").index("    return x + MU") + 1
    assert out.locate(line) == "cell 2, line 4"


def test_read_notebook_reports_invalid_json(tmp_path):
    bad = tmp_path / "bad.ipynb"
    bad.write_text('{"cells": [')
    with pytest.raises(NotebookError, match="does not parse"):
        read_notebook(bad)
    (tmp_path / "list.ipynb").write_text(json.dumps([1, 2]))
    with pytest.raises(NotebookError, match="does not parse"):
        read_notebook(tmp_path / "list.ipynb")


def test_is_stub():
    def stub(x):
        """Doc."""
        raise NotImplementedError("Task 1.2: something")

    def started(x):
        x = x + 1
        raise NotImplementedError("Task 1.2: something")

    assert is_stub(stub)
    assert not is_stub(started)
    assert not is_stub(len)


def test_expect_close_passes_and_names_generic_mistakes():
    expected = np.array([1.0, -2.0, 3.0])
    expect_close(expected + 1e-12, expected)
    with pytest.raises(GradeFailure, match="the sign is flipped"):
        expect_close(-expected, expected)
    with pytest.raises(GradeFailure, match="missing 1/n"):
        expect_close(expected * 4, expected, n=4)
    with pytest.raises(GradeFailure, match="transposed"):
        expect_close(np.arange(6.0).reshape(2, 3).T, np.arange(6.0).reshape(2, 3))
    with pytest.raises(GradeFailure, match="did you forget `return`"):
        expect_close(None, expected)
    with pytest.raises(GradeFailure, match="overflow"):
        expect_close(np.array([np.inf, 1.0, 1.0]), expected)


def test_expect_close_targeted_hints_and_example():
    with pytest.raises(GradeFailure) as info:
        expect_close(2.0, 1.0, hints=[Hint(2.0, "the ½ is missing")], example="x=1")
    text = str(info.value)
    assert "the ½ is missing" in text and "expected: 1" in text and "actual:   2" in text
    assert "x=1" in text
    with pytest.raises(GradeFailure, match="wrong axis"):
        expect_close(np.zeros(5), np.zeros(3), shape_hints={(5,): "wrong axis"})
    with pytest.raises(GradeFailure, match="shape: expected"):
        expect_close(np.zeros(4), np.zeros(3))
    with pytest.raises(GradeFailure, match="reversed"):
        expect_equal((3, 7), (7, 3), hints=[Hint((3, 7), "reversed")])
