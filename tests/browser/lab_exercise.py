"""An attendee's steps in JupyterLab, shared by the browser test (``tests/browser``, a server on
this machine) and the image test (``tests/image``, the server in the attendee image).

The attendee opens ``01_oracles.ipynb``, runs the set-up cell, types the answer of Task 1.1 into
its task cell, runs it and the ``check`` cell under it, reads the points in the page, and saves
the notebook (Ctrl+S), all with the mouse and the keyboard as a person would.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from pathlib import Path

from browser_pages import PAGE_TIMEOUT_MS
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

NOTEBOOK = "01_oracles.ipynb"
PLACEHOLDER = "raise NotImplementedError"
SETUP_CELL, TASK_CELL, CHECK_CELL = 1, 3, 4  # cell indices in exercises/01_oracles.ipynb
SOLUTIONS = Path(__file__).resolve().parents[2] / "solutions"


def answer() -> str:
    """Task 1.1's answer, read from the solved notebook when the test runs. It is never written
    in this file: the attendee image ships the tests (not the solutions), and its test searches
    the whole image for every solution block."""
    cells = json.loads((SOLUTIONS / NOTEBOOK).read_text(encoding="utf-8"))["cells"]
    source = cells[TASK_CELL]["source"]
    return "".join(source) if isinstance(source, list) else source
POINTS = {"en": re.compile(r"Task 1\.1: (\d+(?:\.\d+)?) / (\d+(?:\.\d+)?)"),
          "fr": re.compile(r"Tâche 1\.1 : (\d+(?:[.,]\d+)?) / (\d+(?:[.,]\d+)?)")}
CHECK_BUTTON = {"en": "Check", "fr": "Vérifier"}
PANEL = ".jp-NotebookPanel:visible"


def focus_cell(page, cell) -> None:
    """Click into ``cell``'s editor until JupyterLab makes it the active cell (a click that lands
    while the notebook is still laying itself out can hit a neighbour; Shift+Enter would then
    run that one)."""
    for _ in range(5):
        cell.scroll_into_view_if_needed()
        cell.locator(".cm-content").click()
        try:
            page.wait_for_function("(cell) => cell.classList.contains('jp-mod-active')",
                                   arg=cell.element_handle(), timeout=5_000)
            return
        except PlaywrightTimeoutError:
            continue
    raise AssertionError("JupyterLab did not make the clicked cell the active one")


def run_cell(page, cell) -> None:
    """Put the cursor in ``cell``'s editor and run it (Shift+Enter), as a person would."""
    focus_cell(page, cell)
    page.keyboard.press("Shift+Enter")


def wait_executed(page, cell) -> None:
    """Until the cell's prompt shows an execution count (``[3]:``), not ``[ ]`` or ``[*]``."""
    page.wait_for_function(
        "(cell) => /\\[\\d+\\]/.test(cell.querySelector('.jp-InputPrompt').innerText)",
        arg=cell.element_handle(), timeout=PAGE_TIMEOUT_MS)


def open_notebook(browser, server: str, path: str, token: str):
    """JupyterLab at ``server`` showing the notebook ``path``, once its kernel is idle."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    # a workspace of its own: JupyterLab's default one is kept by the server and would reopen
    # the notebooks of an earlier page as tabs (CI saw the wanted cell hidden behind one)
    workspace = "t" + uuid.uuid4().hex[:12]
    page.goto(f"{server}/lab/workspaces/{workspace}/tree/{path}?token={token}",
              timeout=PAGE_TIMEOUT_MS, wait_until="domcontentloaded")
    page.locator(f"{PANEL} .jp-Notebook .jp-Cell").nth(CHECK_CELL).wait_for(state="visible")
    # the kernel is up when the toolbar's status says Idle
    page.wait_for_selector(f"{PANEL} .jp-Notebook-ExecutionIndicator[data-status='idle']")
    return page


def answer_task_and_check(page, lang: str = "en") -> str:
    """Run the set-up cell, type Task 1.1's answer, run it and ``check``: the check's text (in
    the notebook's language ``lang``)."""
    cells = page.locator(f"{PANEL} .jp-Notebook .jp-Cell")
    setup = cells.nth(SETUP_CELL)
    run_cell(page, setup)
    wait_executed(page, setup)

    task = cells.nth(TASK_CELL)
    focus_cell(page, task)
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.insert_text(answer())  # typed as one input: no auto-indent on the way
    assert PLACEHOLDER not in task.locator(".cm-content").inner_text()
    page.keyboard.press("Shift+Enter")
    wait_executed(page, task)

    check = cells.nth(CHECK_CELL)
    run_cell(page, check)
    result = check.locator(".stepper-check")
    result.wait_for(state="visible")
    button = CHECK_BUTTON[lang]
    assert result.locator(f"button:has-text('{button}')").is_visible()  # the widget rendered
    return result.inner_text()


def points(text: str, lang: str = "en") -> tuple[float, float]:
    """``(score, max score)`` of Task 1.1 as the check cell shows them (in ``lang``)."""
    match = POINTS[lang].search(text)
    assert match, text
    return float(match[1].replace(",", ".")), float(match[2].replace(",", "."))


def save(page) -> None:
    """Ctrl+S, as a person saves; then until JupyterLab marks the notebook clean."""
    page.keyboard.press("ControlOrMeta+s")
    page.wait_for_function(
        "() => !document.querySelector('.lm-TabBar-tab.jp-mod-current.jp-mod-dirty')",
        timeout=PAGE_TIMEOUT_MS)


def task_source(notebook: Path) -> str:
    """The source of the task cell in a saved notebook file."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    source = cells[TASK_CELL]["source"]
    return "".join(source) if isinstance(source, list) else source


def wait_saved(notebook: Path, seconds: float = 60) -> str:
    """The task cell's source once the file on disk holds the answer (polled)."""
    deadline = time.monotonic() + seconds
    source = ""
    while time.monotonic() < deadline:
        try:
            source = task_source(notebook)
        except (OSError, ValueError, KeyError, IndexError) as error:  # not there, or mid-write
            source = repr(error)
        if source == answer():
            return source
        time.sleep(0.5)
    raise AssertionError(f"{notebook} does not hold the typed answer after {seconds:.0f} s; "
                         f"its task cell: {source!r}")
