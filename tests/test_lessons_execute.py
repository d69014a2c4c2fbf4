"""Every lesson notebook executes top to bottom without error (nbclient, a real kernel).

Pages fill some sections on a background thread under Voilà only; here (no Voilà) they are
built in order and a failing section makes the notebook's last cell raise. Widget states are
kept, so an error message shown inside a widget is caught too.
"""

from __future__ import annotations

import glob
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LESSONS = os.path.join(ROOT, "lessons")
NOTEBOOKS = sorted(glob.glob(os.path.join(LESSONS, "*.ipynb")))
ERROR_MARKERS = ("Something went wrong", "This step failed", "Traceback (most recent call")


def widget_texts(nb) -> list[str]:
    state = (nb.metadata.get("widgets", {})
             .get("application/vnd.jupyter.widget-state+json", {}).get("state", {}))
    texts = []
    for model in state.values():
        value = model.get("state", {}).get("value")
        if isinstance(value, str):
            texts.append(value)
    return texts


@pytest.mark.notebooks
@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[os.path.basename(p) for p in NOTEBOOKS])
def test_lesson_executes(path):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=540, kernel_name="python3", store_widget_state=True,
                            resources={"metadata": {"path": LESSONS}})
    client.execute()  # raises CellExecutionError on the first failing cell
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            assert output.get("output_type") != "error", output
            text = "".join(output.get("data", {}).get("text/plain", ""))
            assert "<Figure size" not in text, f"a figure printed as text in: {cell.source}"
    for text in widget_texts(nb):
        for marker in ERROR_MARKERS:
            assert marker not in text, f"an error shown in the page: {text[:500]}"


def test_lessons_are_present():
    names = {os.path.basename(p) for p in NOTEBOOKS}
    assert {"index.ipynb", "00_spark_basics.ipynb", "01_gradient_methods.ipynb"} <= names
