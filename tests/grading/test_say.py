"""Every message an attendee reads from the grader exists in every language (stepper.grade.say).

The templates are read from the source (an AST walk over stepper/grade, its visible and hidden
tests): the first argument of ``say``, ``fail``, ``NotebookError``, a sandbox's ``flag`` and
``stop``, a ``Hint``'s message, the values of ``shape_hints``, the first docstring line of
every ``@task`` test, and the statuses the plugin reports. Each must have its French, every
French entry must still be used, with the same placeholders, and both must format.
"""

from __future__ import annotations

import ast
import json
import string
from pathlib import Path

import pytest

from stepper.grade import plugin
from stepper.grade.say import CATALOGUES, LANGUAGES, say, use_language

ROOT = Path(__file__).resolve().parents[2]
GRADE = ROOT / "stepper" / "grade"
SOURCES = sorted([*GRADE.glob("*.py"), *(GRADE / "tests").glob("*.py"),
                  *(GRADE / "hidden_tests").glob("*.py")])
STATUSES = [getattr(plugin, name) for name in dir(plugin) if name.startswith("STATUS_")]


def _literal(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def templates() -> dict[str, str]:
    """Every template the grader says, with where it was found."""
    found: dict[str, str] = {status: "plugin.STATUS_*" for status in [*STATUSES, "pass"]}

    def add(text: str | None, where: str) -> None:
        if text is not None:
            found.setdefault(text, where)

    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.FunctionDef) and any(
                    isinstance(d, ast.Call) and ast.unparse(d.func) == "task"
                    for d in node.decorator_list):
                doc = ast.get_docstring(node) or node.name
                add(doc.strip().splitlines()[0].rstrip("."), where)
            if not isinstance(node, ast.Call):
                continue
            name = ast.unparse(node.func)
            if name in ("say", "fail", "NotebookError", "self.flag", "self.stop") and node.args:
                add(_literal(node.args[0]), where)
            if name == "Hint" and len(node.args) > 1:
                message = node.args[1]
                assert _literal(message) is not None, (
                    f"{where}: a Hint's message must be a literal template (figures go in "
                    "its values: Hint(value, '… {n} …', {'n': n}))")
                add(_literal(message), where)
            for keyword in node.keywords:
                if keyword.arg == "shape_hints" and isinstance(keyword.value, ast.Dict):
                    for value in keyword.value.values:
                        add(_literal(value), where)
    return found


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


TEMPLATES = templates()


def test_the_scan_finds_the_messages():
    assert len(TEMPLATES) > 100
    assert "the log is missing" in TEMPLATES
    assert "Task {task}: {name}" in TEMPLATES


@pytest.mark.parametrize("lang", [code for code in LANGUAGES if code != "en"])
def test_every_message_has_its_translation(lang):
    catalogue = CATALOGUES[lang]
    missing = [f"{where}: {text!r}" for text, where in TEMPLATES.items() if text not in catalogue]
    assert not missing, f"{len(missing)} messages lack their {lang} text:\n" + "\n".join(missing)
    stale = [text for text in catalogue if text not in TEMPLATES]
    assert not stale, f"{lang} entries no longer said anywhere:\n" + "\n".join(stale)
    for english, translated in catalogue.items():
        assert _fields(english) == _fields(translated), (english, translated)
        values = {name: "X" for name in _fields(english)}
        english.format(**values)
        translated.format(**values)
        assert translated.strip(), english


def test_say_fills_and_translates():
    assert say("the log is missing", "en") == "the log is missing"
    assert say("the log is missing", "fr") != "the log is missing"
    assert "5" in say("not submitted: no notebook for set {name}", "fr", name="5")
    previous = use_language("fr")
    try:
        assert say("Task {task}: {name}", task="1.1", name="x").startswith("Tâche 1.1")
    finally:
        use_language(previous)
    with pytest.raises(ValueError, match="unknown language 'de'"):
        use_language("de")


def test_notebook_language(tmp_path, monkeypatch):
    from stepper.grade.check import notebook_language

    french = tmp_path / "exercises" / "fr" / "01_oracles.ipynb"
    french.parent.mkdir(parents=True)
    french.write_text(json.dumps({"metadata": {"stepper": {"lang": "fr"}}, "cells": []}))
    renamed = tmp_path / "mine.ipynb"
    renamed.write_text(french.read_text())
    english = tmp_path / "01_oracles.ipynb"
    english.write_text(json.dumps({"metadata": {"stepper": {"lang": "en"}}, "cells": []}))
    assert notebook_language({}) == "en"
    assert notebook_language({"STEPPER_LANG": "FR"}) == "fr"
    assert notebook_language({"STEPPER_LANG": "fr", "JPY_SESSION_NAME": str(english)}) == "fr"
    assert notebook_language({"JPY_SESSION_NAME": str(renamed)}) == "fr"  # its metadata
    assert notebook_language({"JPY_SESSION_NAME": str(english)}) == "en"
    # a path the kernel cannot read: the folder tells
    assert notebook_language({"JPY_SESSION_NAME": "work/exercises/fr/gone.ipynb"}) == "fr"
    assert notebook_language({"JPY_SESSION_NAME": "work/exercises/gone.ipynb"}) == "en"
    # relative to the kernel's folder (the notebook's)
    monkeypatch.chdir(french.parent)
    assert notebook_language({"JPY_SESSION_NAME": "renamed/elsewhere/01_oracles.ipynb"}) == "fr"


def test_the_batch_grader_reads_a_notebooks_language():
    from stepper.grade.runner import language_of_notebook

    french = {"metadata": {"stepper": {"lang": "fr", "set": "01_oracles"}}}
    assert language_of_notebook(french, Path("alice/01_oracles.ipynb")) == "fr"
    assert language_of_notebook({"metadata": {"stepper": {"lang": "en"}}},
                                Path("alice/fr/01_oracles.ipynb")) == "en"  # metadata first
    assert language_of_notebook({}, Path("alice/fr/01_oracles.ipynb")) == "fr"
    assert language_of_notebook({"metadata": {"stepper": {"lang": "xx"}}},
                                Path("alice/01_oracles.ipynb")) == "en"
