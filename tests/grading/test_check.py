"""check("N.M") in a notebook namespace (run in-process, no extraction)."""

from __future__ import annotations

import numpy as np
import pytest

from stepper.grade import check
from stepper.grade.check import CheckResult


def sigmoid(z):
    return np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=float)))


def test_check_passes_and_fails_with_hints(capsys):
    def good(X, y, w, lam=0.0):
        return X.T @ (-y * sigmoid(-y * (X @ w))) / len(y) + lam * w

    def wrong(X, y, w, lam=0.0):
        return X.T @ (-y * sigmoid(-y * (X @ w))) + lam * w

    result = check("1.5", {"gradient": good, "sigmoid": sigmoid}, show=True)
    assert isinstance(result, CheckResult) and result.passed
    assert "Task 1.5: 3 / 3" in capsys.readouterr().out
    result = check("1.5", {"gradient": wrong}, show=False)
    assert not result.passed and "missing 1/n" in result.text()
    assert "missing 1/n" in result._repr_html_()


def test_check_uses_callers_globals():
    result = check("1.7", show=False)  # this module defines no lipschitz_step
    assert "`lipschitz_step` is not defined" in result.text()


def test_check_reports_stub_as_not_implemented():
    def lipschitz_step(X):
        raise NotImplementedError("Task 1.7: the Lipschitz step")

    result = check("1.7", {"lipschitz_step": lipschitz_step}, show=False)
    assert result.tests[0]["status"] == "not implemented"


def test_check_times_out(monkeypatch):
    def lipschitz_step(X):
        while True:
            pass

    result = check("1.7", {"lipschitz_step": lipschitz_step}, show=False, timeout_cap=1)
    assert result.tests[0]["status"] == "timed out"


@pytest.mark.spark
def test_check_a_spark_task_in_process(spark):
    def combine(partials, w, lam):
        loss_sum, grad_sum, n = partials.reduce(lambda a, b: (a[0] + b[0], a[1] + b[1],
                                                              a[2] + b[2]))
        return loss_sum / n + 0.5 * lam * float(w @ w), grad_sum / n + lam * w

    def per_partition(partials, w, lam):
        parts = partials.collect()
        loss_sum, grad_sum, _ = partials.reduce(lambda a, b: (a[0] + b[0], a[1] + b[1],
                                                              a[2] + b[2]))
        return (loss_sum / len(parts) + 0.5 * lam * float(w @ w),
                grad_sum / len(parts) + lam * w)

    assert check("2.3", {"combine": combine}, show=False).passed
    result = check("2.3", {"combine": per_partition}, show=False)
    assert "divided by the number of partitions, not by n" in result.text()


def test_check_times_out_off_the_main_thread():
    """The Check button's callback may run off the main thread, where no signal can interrupt
    it: the limit still holds, the loop is stopped, and the thread comes back."""
    import threading

    def lipschitz_step(X):
        while True:
            pass

    out = {}
    worker = threading.Thread(target=lambda: out.setdefault("r", check(
        "1.7", {"lipschitz_step": lipschitz_step}, show=False, timeout_cap=1)))
    worker.start()
    worker.join(60)
    assert not worker.is_alive()
    assert [t["status"] for t in out["r"].tests] == ["timed out"] * len(out["r"].tests)
    assert "timed out after 1 s" in out["r"].tests[0]["output"]
    # the looping call was interrupted, not left spinning
    assert not [t for t in threading.enumerate() if t.name.startswith("stepper-check-")]


def test_check_speaks_the_notebooks_language(monkeypatch, tmp_path, capsys):
    """In a French notebook (its metadata, named by the kernel's $JPY_SESSION_NAME) the Check
    prints French: the heading, the statuses, the test names and the hints."""
    import json
    from pathlib import Path

    def wrong(X, y, w, lam=0.0):
        return X.T @ (-y * sigmoid(-y * (X @ w))) + lam * w

    root = Path(__file__).resolve().parents[2]
    notebook = tmp_path / "copie.ipynb"  # renamed, anywhere: the metadata tells
    notebook.write_text((root / "exercises" / "fr" / "01_oracles.ipynb").read_text())
    assert json.loads(notebook.read_text())["metadata"]["stepper"]["lang"] == "fr"
    monkeypatch.delenv("STEPPER_LANG", raising=False)
    monkeypatch.setenv("JPY_SESSION_NAME", str(notebook))
    result = check("1.5", {"gradient": wrong}, show=True)
    out = capsys.readouterr().out
    assert result.lang == "fr" and not result.passed
    assert "Tâche 1.5 : 0 / 3" in out
    assert "[ÉCHOUÉ] Tâche 1.5 : gradient vectorisé d'un bloc, avec λ" in out, out
    assert "une somme là où il faut la moyenne (1/n manquant)" in out
    assert "attendu :" in out and "obtenu :" in out and "sur l'exemple :" in out
    assert "Tâche 1.5 : 0 / 3" in result._repr_html_()
    # the English notebook, and $STEPPER_LANG over the notebook
    monkeypatch.setenv("JPY_SESSION_NAME", str(root / "exercises" / "01_oracles.ipynb"))
    assert "missing 1/n" in check("1.5", {"gradient": wrong}, show=False).text()
    monkeypatch.setenv("STEPPER_LANG", "fr")
    assert "1/n manquant" in check("1.5", {"gradient": wrong}, show=False).text()
    # the process's language is left as it was
    assert "missing 1/n" in check("1.5", {"gradient": wrong}, show=False, lang="en").text()
