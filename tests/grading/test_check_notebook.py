"""The Check button in a real Jupyter kernel: execute the solved set-1 notebook with nbclient
(the solved notebooks of the other sets: test_solved_notebooks.py)."""

from __future__ import annotations

import json

import nbformat
import pytest
from grading_helpers import ROOT

pytestmark = [pytest.mark.notebooks, pytest.mark.spark, pytest.mark.slow]

CLICK = """\
result = check("1.7")
box = result.widget()
button, view = box.children
before = view.value
lipschitz_step = lambda X: 0.0   # a wrong answer, then Check again
button.click()
print(json.dumps({"button": button.description, "disabled": button.disabled,
                  "before": before, "after": view.value}))
"""


def widget_state(nb) -> list[dict]:
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    return [model["state"] for model in state.get("state", {}).values()]


def test_check_button_renders_and_rechecks_in_a_kernel(tmp_path):
    from nbclient import NotebookClient

    nb = nbformat.read(ROOT / "solutions" / "01_oracles.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("import json\n" + CLICK))
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()

    check_cells = [c for c in nb.cells if c.source.startswith("check(")]
    assert len(check_cells) == 7
    for cell in check_cells:
        assert not [o for o in cell.outputs if o.output_type == "error"]
        assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {})
                   for o in cell.outputs), cell.outputs
    states = widget_state(nb)
    buttons = [s for s in states if s.get("_model_name") == "ButtonModel"]
    assert len(buttons) >= 7 and all(b["description"] == "Check" for b in buttons)
    tables = [s["value"] for s in states if s.get("_model_name") == "HTMLModel"]
    for task, points in (("1.1", 2), ("1.5", 3), ("1.7", 2)):
        assert any(f"Task {task}: {points} / {points}" in t for t in tables), task

    # the whole solved notebook ran, its closing cell on the stepper included
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    closing = "".join(o.get("text", "") for o in nb.cells[-2].outputs)
    assert "same trajectory as the reference" in closing, closing

    clicked = json.loads(nb.cells[-1].outputs[0]["text"])
    assert clicked["button"] == "Check" and not clicked["disabled"]
    assert "Task 1.7: 2 / 2" in clicked["before"]
    assert "Task 1.7: 0 / 2" in clicked["after"] and "returned" not in clicked["before"]
