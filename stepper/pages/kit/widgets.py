"""Building blocks shared by the lesson pages.

* :func:`figure_image`: a figure as an ``ipywidgets.Image`` whose PNG bytes are swapped in place
  (no ``clear_output``, so no flicker and no page jump).
* :func:`code_card`: a titled card that shows the code that ran and what it returned (Voilà
  hides code cells; lesson 0 is about code, so the page shows it explicitly).
* :func:`header`: the page's title block, its presenter marker;
* :class:`LazyPage`: sections filled once the page is on screen.

Errors in callbacks: :mod:`stepper.pages.kit.errors`; where the page is served:
:mod:`stepper.pages.kit.environment`.
"""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
import threading
from collections.abc import Callable
from html import escape
from typing import Any

import ipywidgets as widgets

from stepper.pages.i18n import text as text_of
from stepper.pages.kit.environment import in_voila
from stepper.pages.kit.errors import ErrorBox, attendee_line
from stepper.pages.kit.state_url import presenting
from stepper.pages.kit.style import CSS, mark_page

# -- figures and text --------------------------------------------------------------------------


def figure_image(png: bytes = b"", width: str = "100%",
                 max_width: str | None = "900px") -> widgets.Image:
    """An Image widget for PNG bytes (replace ``.value`` to update it in place)."""
    image = widgets.Image(value=png, format="png",
                          layout=widgets.Layout(width=width, max_width=max_width, height="auto"))
    image.add_class("stepper-figure")
    return image


def html(text: str, **layout: Any) -> widgets.HTML:
    """An HTML widget (readable size) with an optional layout."""
    return widgets.HTML(text, layout=widgets.Layout(**layout))


CODE_STYLE = ("background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:8px 12px;"
              "font-size:15px;line-height:1.4;overflow-x:auto;margin:4px 0")


def highlight(code: str) -> str:
    """Python source as HTML with inline colours (pygments), or plain when it is missing."""
    code = textwrap.dedent(code).strip("\n")
    try:
        from pygments import highlight as render
        from pygments.formatters import HtmlFormatter
        from pygments.lexers import PythonLexer
    except ImportError:  # pragma: no cover - pygments comes with IPython
        return f"<pre style='{CODE_STYLE}'>{escape(code)}</pre>"
    body = render(code, PythonLexer(), HtmlFormatter(noclasses=True, nowrap=True))
    return f"<pre style='{CODE_STYLE}'>{body}</pre>"


def source_of(function: Callable, body_only: bool = False) -> str:
    """The source code of ``function``; with ``body_only``, its body without the docstring."""
    text = textwrap.dedent(inspect.getsource(function))
    if not body_only:
        return text
    definition = ast.parse(text).body[0]
    assert isinstance(definition, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
    body = definition.body
    first = body[0]
    if (len(body) > 1 and isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)):
        first = body[1]
    lines = text.splitlines()
    return textwrap.dedent("\n".join(lines[first.lineno - 1: definition.end_lineno]))


class CodeCard:
    """A section of a page: a title, a sentence, the code that runs, and its result."""

    def __init__(self, title: str, text: str, code: str) -> None:
        self.title = widgets.HTML(f"<h3 style='margin:6px 0'>{escape(title)}</h3>")
        self.text = widgets.HTML(f"<div style='font-size:16px;max-width:60em'>{text}</div>")
        self.code = widgets.HTML(highlight(code))
        self.result = widgets.HTML(f"<i style='color:#666'>{escape(text_of('card.waiting'))}</i>")
        self.result.add_class("stepper-result")
        self.widget = widgets.VBox([self.title, self.text, self.code, self.result],
                                   layout=widgets.Layout(margin="0 0 18px 0"))

    def set_result(self, html_text: str) -> None:
        self.result.value = f"<div style='font-size:16px'>{html_text}</div>"

    def set_error(self, exc: BaseException) -> None:
        self.result.value = (f"<div class='stepper-error' role='alert'>This step failed: "
                             f"{escape(attendee_line(exc))}</div>")


def code_card(title: str, text: str, code: str) -> CodeCard:
    return CodeCard(title, text, code)


NUMERIC = re.compile(r"^[\s\d.,+\-−\u202f]+(e[+\-]?\d+)?\s*%?$")


def table_html(header: list[str] | None, rows: list[list[Any]], caption: str = "") -> str:
    """A plain, large HTML table: numbers right-aligned, text left-aligned, no header row
    when ``header`` is None."""
    cell = "padding:4px 12px;border:1px solid #ccc;text-align:"
    head = "padding:4px 12px;border:1px solid #ccc;background:#f0f3f6;text-align:center"
    parts = ["<table style='border-collapse:collapse;font-size:16px;margin:4px 0'>"]
    if caption:
        parts.append(f"<caption style='text-align:left;font-weight:600;padding:4px 0'>"
                     f"{escape(caption)}</caption>")
    if header:
        parts.append("<tr>" + "".join(f"<th style='{head}'>{h}</th>" for h in header) + "</tr>")
    for row in rows:
        parts.append("<tr>" + "".join(
            f"<td style='{cell}{'right' if NUMERIC.match(str(v)) else 'left'}'>{v}</td>"
            for v in row) + "</tr>")
    parts.append("</table>")
    return "".join(parts)


def header(title: str, subtitle: str = "") -> widgets.HTML:
    """The page's title block with the stylesheet (``stepper.pages.kit.style``). It is the page's
    presenter marker: with ``?present=1``, or once a Presenter toggle on the page is switched
    on, the whole page (text, tables, figures) gets the projector's sizes."""
    sub = f"<div style='font-size:18px;color:#444'>{subtitle}</div>" if subtitle else ""
    block = widgets.HTML(f"{CSS}<h1 style='margin:4px 0'>{escape(title)}</h1>{sub}")
    return mark_page(block, presenting())


# -- sections filled after the page shows ------------------------------------------------------


class LazyPage:
    """Sections whose content is computed after the page is on screen.

    Each section is a placeholder box ("Preparing …") given to the notebook at once; its
    builder runs in :meth:`finish`. Under Voilà that happens on a background thread, so the
    page renders in a few seconds and fills in as results arrive (widget updates reach the
    browser as they happen). Elsewhere (a notebook, nbclient, tests) it runs in order on the
    calling thread and :meth:`finish` raises if a section failed, so a broken section cannot go
    unnoticed. A failed section shows a readable message in place of its content either way.
    """

    def __init__(self) -> None:
        self.tasks: list[tuple[widgets.Box, Callable[[], Any], str]] = []
        self.failures: list[str] = []
        self.done = threading.Event()
        self.thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def section(self, build: Callable[[], Any], what: str,
                waiting: str = "Preparing") -> widgets.Box:
        """A box that will hold ``build()`` (a widget or a list of widgets)."""
        note = widgets.HTML(f"<i style='color:#666;font-size:16px'>{escape(waiting)} "
                            f"{escape(what)}…</i>")
        box = widgets.VBox([note])
        self.tasks.append((box, build, what))
        return box

    def _fill(self) -> None:
        try:
            for box, build, what in self.tasks:
                try:
                    content = build()
                except Exception as exc:
                    self.failures.append(f"{what}: {attendee_line(exc)}")
                    error = ErrorBox()
                    error.show(exc, what)
                    box.children = (error.widget,)
                    continue
                box.children = tuple(content) if isinstance(content, (list, tuple)) \
                    else (content,)
        finally:
            self.done.set()

    def finish(self, background: bool | None = None, wait_for_page: float = 20.0) -> None:
        """Build every section: on a thread under Voilà (``background=None``), else now.

        In the background the work starts once the browser has drawn the page's widgets:
        widgets created while the browser is still connecting can be lost (the page would
        stay on "Preparing…"). A hidden button is displayed with a tiny script that clicks it
        as soon as it exists in the page; the click starts the work. Without that click (no
        browser, scripts blocked) the work starts after ``wait_for_page`` seconds anyway.
        """
        if background is None:
            background = in_voila()
        if background:
            self._start_when_page_is_drawn(wait_for_page)
            return
        self._fill()
        if self.failures:
            raise RuntimeError("some sections of the page failed: " + "; ".join(self.failures))

    def _start(self, _source: Any = None) -> None:
        with self._start_lock:
            if self.thread is not None:
                return
            self.thread = threading.Thread(target=self._fill, name="lesson-sections",
                                           daemon=True)
            self.thread.start()

    def _start_when_page_is_drawn(self, wait_for_page: float) -> None:
        from IPython.display import HTML, display

        marker = f"stepper-lazy-start-{id(self):x}"
        trigger = widgets.Button(description="start", layout=widgets.Layout(display="none"))
        trigger.add_class(marker)
        trigger.on_click(self._start)
        self.trigger = trigger
        display(trigger)
        display(HTML(
            "<script>(function () { var tries = 0; var timer = setInterval(function () {"
            f" var el = document.querySelector('.{marker}'); tries += 1;"
            " if (el) { (el.tagName === 'BUTTON' ? el : (el.querySelector('button') || el))"
            ".click(); clearInterval(timer); } else if (tries > 600) { clearInterval(timer); }"
            " }, 100); })();</script>"))
        fallback = threading.Timer(wait_for_page, self._start)
        fallback.daemon = True
        fallback.start()
