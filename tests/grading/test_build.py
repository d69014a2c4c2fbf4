"""The exercise and solution notebooks are up to date, deterministic and leak no solution."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from stepper.grade import build
from stepper.grade.sources import BEGIN, END, parse_cells, read_source, render

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted((ROOT / "exercise_sources").glob("[0-9][0-9]_*.py"))


def test_generated_notebooks_are_not_stale(tmp_path):
    build.build(tmp_path)
    for folder in ("exercises", "solutions"):
        for fresh in sorted((tmp_path / folder).glob("*.ipynb")):
            committed = ROOT / folder / fresh.name
            assert committed.exists(), f"{committed} is missing: run python -m stepper.grade.build"
            assert committed.read_bytes() == fresh.read_bytes(), (
                f"{committed} is stale: run python -m stepper.grade.build")
    assert build.stale() == []


def test_build_is_deterministic(tmp_path):
    build.build(tmp_path / "a")
    build.build(tmp_path / "b")
    for path in sorted((tmp_path / "a").rglob("*.ipynb")):
        assert path.read_bytes() == (tmp_path / "b" / path.relative_to(tmp_path / "a")).read_bytes()


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_no_solution_text_in_exercises(source):
    _, solutions = render(read_source(source), solved=False)
    assert solutions, "every set has tasks"
    exercise = json.loads((ROOT / "exercises" / f"{source.stem}.ipynb").read_text())
    code = "\n".join("".join(c["source"]) for c in exercise["cells"] if c["cell_type"] == "code")
    assert BEGIN not in code and END not in code
    for solution in solutions:
        for line in solution.lines:
            text = line.strip()
            if len(text) >= 12 and not text.startswith(("#", '"""')):
                assert text not in code, f"Task {solution.task}: solution line leaked: {text}"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_every_task_has_one_identical_stub(source):
    cells, solutions = render(read_source(source), solved=False)
    code = "\n".join(c.text for c in cells if c.kind == "code")
    stubs = re.findall(r'raise NotImplementedError\("Task (\d+\.\d+): [^"]+"\)', code)
    assert sorted(stubs) == sorted(s.task for s in solutions)
    assert len(set(stubs)) == len(stubs)
    number = source.stem[1]
    assert all(task.split(".")[0] == number for task in stubs)
    for task in stubs:
        assert f'check("{task}")' in code


def test_cell_ids_are_stable_and_outputs_empty():
    for path in sorted((ROOT / "exercises").glob("*.ipynb")):
        nb = json.loads(path.read_text())
        ids = [c["id"] for c in nb["cells"]]
        assert len(set(ids)) == len(ids)
        assert all(i.startswith(path.stem.replace("_", "-")) for i in ids)
        assert all(c.get("outputs", []) == [] for c in nb["cells"])
        assert all(c.get("execution_count") is None for c in nb["cells"] if "execution_count" in c)


def test_percent_parser_and_markers():
    text = "# %% [markdown]\n# ## Task 9.1: demo\n\n# %%\ndef f():\n    ### BEGIN SOLUTION\n" \
           "    return 1\n    ### END SOLUTION\n"
    cells = parse_cells(text)
    stubbed, sols = render(cells, solved=False)
    assert stubbed[1].text == 'def f():\n    raise NotImplementedError("Task 9.1: demo")'
    solved, _ = render(cells, solved=True)
    assert solved[1].text == "def f():\n    return 1"
    assert sols[0].task == "9.1" and sols[0].lines == ("    return 1",)
