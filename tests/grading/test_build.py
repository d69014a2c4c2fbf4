"""The exercise and solution notebooks are up to date, deterministic and leak no solution."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from stepper.grade import build
from stepper.grade.sources import (
    BEGIN,
    END,
    LANGUAGES,
    SourceError,
    parse_cells,
    read_source,
    render,
)

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted((ROOT / "exercise_sources").glob("[0-9][0-9]_*.py"))


def test_generated_notebooks_are_not_stale(tmp_path):
    written = build.build(tmp_path)
    assert len(written) == len(SOURCES) * 2 * len(LANGUAGES)
    for folder in ("exercises", "solutions"):
        fresh_ones = sorted((tmp_path / folder).rglob("*.ipynb"))
        assert {p.parent.name for p in fresh_ones} == {folder, "fr"}
        for fresh in fresh_ones:
            committed = ROOT / fresh.relative_to(tmp_path)
            assert committed.exists(), f"{committed} is missing: run python -m stepper.grade.build"
            assert committed.read_bytes() == fresh.read_bytes(), (
                f"{committed} is stale: run python -m stepper.grade.build")
    assert build.stale() == []


def test_check_flags_a_stale_french_notebook(tmp_path):
    build.build(tmp_path)
    french = tmp_path / "exercises" / "fr" / "01_oracles.ipynb"
    french.write_text(french.read_text().replace("Tâche 1.1", "Task 1.1"))
    assert build.stale(tmp_path) == [french]
    assert build.main(["--check", "--out", str(tmp_path)]) == 1
    french.unlink()
    assert build.stale(tmp_path) == [french]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_french_notebooks_share_the_code_and_translate_every_text(source):
    """Same cells, same code (stubs included), French text in every markdown cell, and the
    language in the metadata."""
    for folder in ("exercises", "solutions"):
        english = json.loads((ROOT / folder / f"{source.stem}.ipynb").read_text())
        french = json.loads((ROOT / folder / "fr" / f"{source.stem}.ipynb").read_text())
        assert english["metadata"]["stepper"] == {"set": source.stem, "version": folder,
                                                  "lang": "en"}
        assert french["metadata"]["stepper"] == {**english["metadata"]["stepper"], "lang": "fr"}
        assert [c["cell_type"] for c in french["cells"]] == [
            c["cell_type"] for c in english["cells"]]
        assert [c["id"] for c in french["cells"]] == [c["id"] for c in english["cells"]]
        for en_cell, fr_cell in zip(english["cells"], french["cells"], strict=True):
            if en_cell["cell_type"] == "code":
                assert fr_cell["source"] == en_cell["source"]
            else:
                assert fr_cell["source"] != en_cell["source"]
                heading = "".join(en_cell["source"]).splitlines()[0]
                if heading.startswith("## Task"):
                    task = heading.split()[2].rstrip(":")
                    assert "".join(fr_cell["source"]).startswith(f"## Tâche {task} : ")


def test_a_markdown_cell_without_its_french_is_an_error():
    english_only = "# %% [markdown]\n# ## Task 9.1: demo\n\n# %%\nx = 1\n"
    assert render(parse_cells(english_only), solved=False)[0][0].text == "## Task 9.1: demo"
    with pytest.raises(SourceError, match=r"markdown cell 1 .*Task 9.1.* has no "
                                          r"'# %% \[markdown\] fr' cell after it"):
        render(parse_cells(english_only), solved=False, lang="fr")
    orphan = "# %%\nx = 1\n\n# %% [markdown] fr\n# texte\n"
    with pytest.raises(SourceError, match="does not follow an English markdown cell"):
        render(parse_cells(orphan), solved=False, lang="fr")
    twice = "# %% [markdown]\n# Text\n\n# %% [markdown] fr\n# Texte\n\n# %% [markdown] fr\n# Bis\n"
    with pytest.raises(SourceError, match="cell 3 is a second fr translation of cell 1"):
        render(parse_cells(twice), solved=False, lang="fr")
    with pytest.raises(SourceError, match="unknown language 'de'"):
        parse_cells("# %% [markdown] de\n# Text\n")


def test_build_is_deterministic(tmp_path):
    build.build(tmp_path / "a")
    build.build(tmp_path / "b")
    for path in sorted((tmp_path / "a").rglob("*.ipynb")):
        assert path.read_bytes() == (tmp_path / "b" / path.relative_to(tmp_path / "a")).read_bytes()


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_no_solution_text_in_exercises(source):
    _, solutions = render(read_source(source), solved=False)
    assert solutions, "every set has tasks"
    for path in (ROOT / "exercises" / f"{source.stem}.ipynb",
                 ROOT / "exercises" / "fr" / f"{source.stem}.ipynb"):
        exercise = json.loads(path.read_text())
        code = "\n".join("".join(c["source"]) for c in exercise["cells"]
                         if c["cell_type"] == "code")
        assert BEGIN not in code and END not in code
        for solution in solutions:
            for line in solution.lines:
                text = line.strip()
                if len(text) >= 12 and not text.startswith(("#", '"""')):
                    assert text not in code, f"{path}: Task {solution.task}: solution leaked"


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
    for path in sorted((ROOT / "exercises").rglob("*.ipynb")):
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
    # the French cell replaces the English one; the stub keeps the English heading
    french = parse_cells(text.replace("\n\n# %%\n", "\n\n# %% [markdown] fr\n"
                                      "# ## Tâche 9.1 : démo\n\n# %%\n", 1))
    stubbed_fr, sols_fr = render(french, solved=False, lang="fr")
    assert [c.text for c in stubbed_fr] == ["## Tâche 9.1 : démo", stubbed[1].text]
    assert sols_fr == sols


ATTENDEE_IMAGE_DROPS = ("solutions/", "exercise_sources/", "stepper/grade/hidden_tests/",
                        "tests/fixtures/submissions/")
"""What the Dockerfile removes from the attendee image (the rest of the repository ships)."""


def test_no_solution_in_the_files_the_attendee_image_ships():
    """The repository's tracked files that the attendee image keeps (tests, lessons, docs,
    exercises…) hold no solution block: the image test searches the built image, this one the
    same files in seconds, so that a test that writes a solution out is caught by `make test`
    before any image is built."""
    import subprocess
    import sys

    sys.path.insert(0, str(ROOT / "tests" / "image"))
    try:
        from leaks import split_blocks, texts
    finally:
        sys.path.pop(0)
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True)
    if listed.returncode != 0:
        pytest.skip("not a git checkout: the image test searches the built image instead")
    blocks, _toolkit = split_blocks(ROOT)
    assert blocks, "no solution block found in exercise_sources/"
    found = []
    shipped = [name for name in listed.stdout.splitlines()
               if not name.startswith(ATTENDEE_IMAGE_DROPS) and (ROOT / name).is_file()]
    for name in shipped:
        for where, text in texts(name, (ROOT / name).read_bytes()):
            found += [f"{where}: {block.source} task {block.task}" for block in blocks
                      if block.text in text]
    assert len(shipped) > 100 and found == [], found
