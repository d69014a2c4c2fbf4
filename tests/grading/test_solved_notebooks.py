"""The solved notebooks run top to bottom in a real kernel: every check passes and the closing
"on the stepper" cell reproduces the reference run with the attendee's (here: the solved)
functions."""

from __future__ import annotations

import nbformat
import pytest
from grading_helpers import ROOT

pytestmark = [pytest.mark.notebooks, pytest.mark.spark, pytest.mark.slow]

# 01_oracles runs in test_check_notebook.py, with its Check buttons clicked; 03_newton's
# closing cell makes the calls test_plug.py::test_solved_set_3_newton_runs_on_the_stepper makes
# (one Spark start less in the suite)
NOTEBOOKS = [ROOT / "solutions" / f"{name}.ipynb" for name in ("00_spark_basics",
                                                              "02_distributed_gd")]


def text_of(cell) -> str:
    out = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            out.append(output.text)
        elif output.output_type == "error":
            out.append("\n".join(output.traceback))
    return "".join(out)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_solved_notebook_runs_and_matches_the_stepper(path, tmp_path):
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [text_of(c) for c in nb.cells if any(o.output_type == "error"
                                                    for o in c.get("outputs", []))]
    assert errors == []
    closing = text_of(nb.cells[-1])
    if path.stem == "00_spark_basics":
        assert "your ranges match numpy's: True" in closing
        assert "20 steps on your balanced points" in closing
    else:
        assert "same trajectory as the reference" in closing, closing
    if path.stem in ("02_distributed_gd", "03_newton"):
        assert "same weights as the Stepper at all" in closing, closing
    if path.stem == "02_distributed_gd":
        gap = float(closing.split("largest gap to the stepper's weights:")[1].split()[0])
        assert gap < 1e-9, closing
