"""``check("2.3")`` in a notebook: the visible tests of one task, on the notebook's functions.

The tests run in the notebook's own process on its live definitions (the attendee can only
fool themselves here): pytest is called in-process with
:class:`~stepper.grade.plugin.GradePlugin` over a :class:`~stepper.grade.remote.LocalBackend`,
which makes arguments and results plain data exactly as the grader's sandbox does, and runs each
call of the attendee's code in a worker thread under the test's time limit, so a check of an
infinite loop reports "timed out" instead of hanging the kernel, from the main thread or any
other (a widget callback). Its terminal output is swallowed and the records turned into a
:class:`CheckResult`. In Jupyter the result shows as a table with a "Check" button that runs the
tests again on the current definitions; elsewhere it prints as plain text.

Everything the attendee reads is in the notebook's language (:func:`notebook_language`):
``$STEPPER_LANG`` (``en`` or ``fr``) when set; else the notebook the kernel runs, which Jupyter
Server ≥ 2 names in the kernel's ``$JPY_SESSION_NAME``: its metadata ``"stepper": {"lang"}``
(the French notebooks ``exercises/fr/*.ipynb`` say ``"fr"``), else a ``fr`` folder on its path;
else English. ``check("1.1", lang="fr")`` names it explicitly.
"""

from __future__ import annotations

import contextlib
import html
import io
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stepper.errors import one_line
from stepper.grade import catalog
from stepper.grade.say import DEFAULT, known, say, use_language

LANG_ENV = "STEPPER_LANG"
SESSION_ENV = "JPY_SESSION_NAME"

_INI_DIR: str | None = None


@dataclass
class CheckResult(catalog.ScoredTests):
    """The outcome of ``check(task)``: one record per visible test."""

    task: str
    tests: list[dict] = field(default_factory=list)
    namespace: dict | None = field(default=None, repr=False)
    lang: str = DEFAULT

    @property
    def passed(self) -> bool:
        return bool(self.tests) and all(t["status"] == "passed" for t in self.tests)

    def heading(self) -> str:
        return say("Task {task}: {score} / {max_score}", self.lang, task=self.task,
                   score=f"{self.score:g}", max_score=f"{self.max_score:g}")

    def text(self) -> str:
        lines = [self.heading()]
        if not self.tests:
            lines.append(say("  no visible test for this task", self.lang))
        for test in self.tests:
            mark = say("pass" if test["status"] == "passed" else test["status"], self.lang)
            lines.append(f"  [{mark.upper()}] {test['name']} "
                         f"({test['score']:g}/{test['max_score']:g})")
            if test["status"] != "passed":
                lines.extend("      " + line for line in test["output"].splitlines())
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        colour = "#1a7f37" if self.passed else "#b42318"
        rows = []
        for test in self.tests:
            ok = test["status"] == "passed"
            mark = ("✔ " + say("pass", self.lang) if ok
                    else "✘ " + html.escape(say(test["status"], self.lang)))
            rows.append(
                f"<tr><td style='color:{'#1a7f37' if ok else '#b42318'}'>{mark}</td>"
                f"<td>{html.escape(test['name'])}</td>"
                f"<td>{test['score']:g}/{test['max_score']:g}</td>"
                f"<td><pre style='margin:0;white-space:pre-wrap'>"
                f"{'' if ok else html.escape(test['output'])}</pre></td></tr>")
        return (f"<div><b style='color:{colour}'>{html.escape(self.heading())}</b>"
                f"<table>{''.join(rows)}</table></div>")

    def widget(self):
        """The "Check" button above the results table (ipywidgets).

        A click runs the task's visible tests again on the notebook's current definitions and
        swaps the new table into the same HTML widget (no flicker, the page does not jump).
        """
        import ipywidgets as widgets

        label = say("Check", self.lang)
        button = widgets.Button(description=label, icon="check", button_style="primary",
                                tooltip=say("run the tests of Task {task} again", self.lang,
                                            task=self.task))
        view = widgets.HTML(self._repr_html_())
        box = widgets.VBox([button, view])
        box.add_class("stepper-check")

        def again(_) -> None:
            button.disabled, button.description = True, say("Checking…", self.lang)
            try:
                fresh = run_check(self.task, self.namespace or {}, show=False, lang=self.lang)
                view.value = fresh._repr_html_()
            except Exception as exc:  # the grader itself failed: say so in the page
                problem = say("check failed: {problem}", self.lang, problem=one_line(exc))
                view.value = f"<pre style='color:#b42318'>{html.escape(problem)}</pre>"
            finally:
                button.disabled, button.description = False, label

        button.on_click(again)
        return box

    def _ipython_display_(self) -> None:
        from IPython.display import HTML, display

        try:
            box = self.widget()
        except ImportError:
            display(HTML(self._repr_html_()))
            return
        display(box)


def _in_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def _ini() -> str:
    global _INI_DIR
    if _INI_DIR is None:
        _INI_DIR = tempfile.mkdtemp(prefix="stepper-check-")
        Path(_INI_DIR, "pytest.ini").write_text("[pytest]\n")
    return _INI_DIR


def _locate(filename: str, lineno: int) -> str | None:
    if "ipykernel_" in filename or filename.startswith("<ipython-input") or filename == "<stdin>":
        return say("your cell, line {line}", line=lineno)
    return None


_SESSION_LANGUAGES: dict[tuple[str, float], str] = {}


def _language_of_path(name: str) -> str | None:
    """The language of the notebook at ``name`` (absolute, or relative to the kernel's folder,
    which is the notebook's): its metadata, else a ``fr`` folder on the path."""
    path = Path(name)
    for candidate in (path, Path.cwd() / path, Path.cwd() / path.name):
        try:
            key = (str(candidate.resolve()), candidate.stat().st_mtime)
        except OSError:
            continue
        if key not in _SESSION_LANGUAGES:
            try:
                meta = json.loads(candidate.read_text(encoding="utf-8"))["metadata"]["stepper"]
                _SESSION_LANGUAGES[key] = known(meta.get("lang")) or ""
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                _SESSION_LANGUAGES[key] = ""
        if _SESSION_LANGUAGES[key]:
            return _SESSION_LANGUAGES[key]
        break
    folders = {part.lower() for part in path.parent.parts}
    return "fr" if "fr" in folders else None


def notebook_language(environ: dict[str, str] | None = None) -> str:
    """The language of the Check's messages: ``$STEPPER_LANG``, else the kernel's notebook
    (``$JPY_SESSION_NAME``: its metadata, else its folder), else English."""
    env = os.environ if environ is None else environ
    explicit = known(env.get(LANG_ENV))
    if explicit is not None:
        return explicit
    session = env.get(SESSION_ENV, "").strip()
    if session:
        found = _language_of_path(session)
        if found is not None:
            return found
    return DEFAULT


def run_check(task_id: str, namespace: dict[str, Any], *, show: bool | None = None,
              timeout_cap: float | None = None, lang: str | None = None) -> CheckResult:
    """Run the visible tests of ``task_id`` on ``namespace``; print them outside Jupyter.

    Messages are in ``lang`` (default: :func:`notebook_language`)."""
    import pytest

    from stepper.grade.plugin import GradePlugin
    from stepper.grade.remote import LocalBackend

    task_id = str(task_id)
    number = catalog.set_of_task(task_id)
    lang = known(lang) or notebook_language()
    result = CheckResult(task_id, namespace=namespace, lang=lang)
    files = [str(p) for p in catalog.test_files([number], include_hidden=False)]
    backend = LocalBackend({number: namespace}, locate=_locate)
    plugin = GradePlugin(backend, {number}, result.tests.append, tasks={task_id},
                         include_hidden=False, timeout_cap=timeout_cap)
    folder = _ini()
    args = [*files, "-q", "-p", "no:cacheprovider", "-c", f"{folder}/pytest.ini",
            "--rootdir", folder, "--capture=sys", "-W", "ignore::DeprecationWarning"]
    sink = io.StringIO()
    # No other pytest plugin is needed (time limits are GradePlugin's own), and autoloading
    # every installed one (hypothesis, playwright, ...) costs seconds per check.
    previous = os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    spoken = use_language(lang)
    try:
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            pytest.main(args, plugins=[plugin])
    finally:
        use_language(spoken)
        if previous is None:
            os.environ.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD", None)
        else:
            os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = previous
    if show is None:
        show = not _in_kernel()
    if show:
        print(result.text())
    return result
