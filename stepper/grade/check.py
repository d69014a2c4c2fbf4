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
"""

from __future__ import annotations

import contextlib
import html
import io
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stepper.errors import one_line
from stepper.grade import catalog

_INI_DIR: str | None = None


@dataclass
class CheckResult(catalog.ScoredTests):
    """The outcome of ``check(task)``: one record per visible test."""

    task: str
    tests: list[dict] = field(default_factory=list)
    namespace: dict | None = field(default=None, repr=False)

    @property
    def passed(self) -> bool:
        return bool(self.tests) and all(t["status"] == "passed" for t in self.tests)

    def text(self) -> str:
        lines = [f"Task {self.task}: {self.score:g} / {self.max_score:g}"]
        if not self.tests:
            lines.append("  no visible test for this task")
        for test in self.tests:
            mark = "PASS" if test["status"] == "passed" else test["status"].upper()
            lines.append(f"  [{mark}] {test['name']} ({test['score']:g}/{test['max_score']:g})")
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
            rows.append(
                f"<tr><td style='color:{'#1a7f37' if ok else '#b42318'}'>"
                f"{'✔ pass' if ok else '✘ ' + html.escape(test['status'])}</td>"
                f"<td>{html.escape(test['name'])}</td>"
                f"<td>{test['score']:g}/{test['max_score']:g}</td>"
                f"<td><pre style='margin:0;white-space:pre-wrap'>"
                f"{'' if ok else html.escape(test['output'])}</pre></td></tr>")
        return (f"<div><b style='color:{colour}'>Task {html.escape(self.task)}: "
                f"{self.score:g} / {self.max_score:g}</b>"
                f"<table>{''.join(rows)}</table></div>")

    def widget(self):
        """The "Check" button above the results table (ipywidgets).

        A click runs the task's visible tests again on the notebook's current definitions and
        swaps the new table into the same HTML widget (no flicker, the page does not jump).
        """
        import ipywidgets as widgets

        button = widgets.Button(description="Check", icon="check", button_style="primary",
                                tooltip=f"run the tests of Task {self.task} again")
        view = widgets.HTML(self._repr_html_())
        box = widgets.VBox([button, view])
        box.add_class("stepper-check")

        def again(_) -> None:
            button.disabled, button.description = True, "Checking…"
            try:
                fresh = run_check(self.task, self.namespace or {}, show=False)
                view.value = fresh._repr_html_()
            except Exception as exc:  # the grader itself failed: say so in the page
                view.value = (f"<pre style='color:#b42318'>check failed: "
                              f"{html.escape(one_line(exc))}</pre>")
            finally:
                button.disabled, button.description = False, "Check"

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
        return f"your cell, line {lineno}"
    return None


def run_check(task_id: str, namespace: dict[str, Any], *, show: bool | None = None,
              timeout_cap: float | None = None) -> CheckResult:
    """Run the visible tests of ``task_id`` on ``namespace``; print them outside Jupyter."""
    import pytest

    from stepper.grade.plugin import GradePlugin
    from stepper.grade.remote import LocalBackend

    task_id = str(task_id)
    number = catalog.set_of_task(task_id)
    result = CheckResult(task_id, namespace=namespace)
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
    try:
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            pytest.main(args, plugins=[plugin])
    finally:
        if previous is None:
            os.environ.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD", None)
        else:
            os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = previous
    if show is None:
        show = not _in_kernel()
    if show:
        print(result.text())
    return result
