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
# (one Spark start less in the suite), and 04_costs_and_synchrony's those of test_plug_async.py
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


def test_the_french_solved_notebooks_get_full_marks_in_french(tmp_path):
    """The French solved notebooks, graded by the batch grader next to the untouched
    English copies of the same sets (as the server leaves them in an attendee's folder): the
    French ones are graded, with nothing to report, full marks on every set (one sandbox, one
    Spark: about 20 s), the report in French; a wrong answer gets its hint in French."""
    import shutil

    from stepper.grade.reports import write_reports
    from stepper.grade.runner import grade_submission

    folder = tmp_path / "attendee"
    shutil.copytree(ROOT / "exercises", folder, ignore=shutil.ignore_patterns("fr"))
    shutil.copytree(ROOT / "solutions" / "fr", folder / "fr")
    result = grade_submission(folder, attendee="alice", include_hidden=True)
    assert result.lang == "fr" and result.problems == []
    assert result.score == result.max_score > 0, [(t["name"], t["output"]) for t in result.tests]
    assert {t["task"].split(".")[0] for t in result.tests} == {"0", "1", "2", "3", "4"}
    assert all(t["name"].startswith("Tâche ") for t in result.tests)
    report = (write_reports([result], tmp_path / "out")["results"].parent / "alice" /
              "report.txt").read_text()
    assert "[OK] Tâche 1.1 : perte d'un exemple d'étiquette +1" in report, report
    assert "bac à sable :" in report
    if result.level in ("root", "userns"):  # the protections in force, in French too
        assert "nouvel espace de noms réseau (boucle locale seulement)" in report, report

    # the likely mistake, made from the solved notebook: exp(−y wᵀx) where log(1 + exp(…)) is
    # meant (the solution itself is never written in a test: tests ship in the attendee image)
    solved = (ROOT / "solutions" / "fr" / "01_oracles.ipynb").read_text()
    assert solved.count("float(np.logaddexp(0.0, -y") == 1
    wrong = tmp_path / "wrong" / "01_oracles.ipynb"
    wrong.parent.mkdir()
    wrong.write_text(solved.replace("float(np.logaddexp(0.0, -y", "float(np.exp(-y"))
    result = grade_submission(wrong, attendee="bob", tasks={"1.1"}, include_hidden=False)
    outputs = "\n".join(t["output"] for t in result.tests)
    assert result.lang == "fr" and result.score == 0 < result.max_score
    assert "loss_one(x, y, w) : résultat faux, erreur probable — le log manque." in outputs, (
        outputs)
