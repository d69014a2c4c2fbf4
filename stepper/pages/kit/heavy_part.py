"""A page's heavy part as one widget: a sweep, a demo or a comparison that runs for seconds or
minutes (on Spark, or in numpy) on a thread of its own, so the page never freezes.

What it shows, in order: the page's own controls (if any), a Run button, a Stop button (if the
run can stop early), a progress bar and a progress line; one error box; the result's text (or
table) and, from the first result that has one, its figure (an empty ``ipywidgets.Image`` is a
broken picture in the browser, so the figure is only made when there is a PNG to show).

How a run goes (:meth:`HeavyPart.start`): the options are read first (``options()``; bad input
is one line in the page's language and nothing starts); a shared ``busy`` lock, if the page
gives one, lets one heavy part of the page run at a time (a second gets a "busy" line); then
``compute(progress, stop, **options)`` returns a JSON-able dict, which ``draw(result)`` turns
into ``(html, png or None)``, which is published to the room on the instructor's page
(``publish(name, result)``). ``progress(done, total, what="")`` moves the bar and the line;
``stop`` is a :class:`threading.Event` set by the Stop button (a compute that reads it returns
what it measured so far, with ``"stopped": True`` in its result).

A follower's page (``follows=True``) has neither buttons nor bar: a waiting line, then the
instructor's result drawn by :meth:`HeavyPart.receive` (:func:`follow_room` wires a room's
``on_result`` and its snapshot ``results`` to a page's parts).
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable, Mapping
from html import escape
from typing import Any, Protocol

import ipywidgets as widgets

from stepper.pages.i18n import text
from stepper.pages.kit.errors import ErrorBox, PageInputError, attendee_line
from stepper.pages.kit.widgets import figure_image

Result = dict[str, Any]


class Progress(Protocol):
    """``progress(done, total, what)``: ``done`` of ``total`` runs are over (``total`` 0: not
    known yet), ``what`` (optional) names the one running now."""

    def __call__(self, done: int, total: int, what: str = "") -> None: ...


Compute = Callable[..., Result]
"""``compute(progress, stop, **options) -> result`` (a JSON-able dict)."""
Draw = Callable[[Result], tuple[str, bytes | None]]
"""``draw(result) -> (html, png or None)``; a LookupError means there is nothing to draw yet (a
run stopped before it measured anything)."""
Publish = Callable[[str, Result], Any]
OnResult = Callable[[str, Result], None]


def progress_line(done: int, total: int, what: str = "") -> str:
    """The progress line in the page's language: "3 of 8 runs done; running …"."""
    if total > 0:
        if what:
            return text("part.progress_what", done=done, total=total, what=what)
        return text("part.progress", done=done, total=total)
    return text("part.running_what", what=what) if what else text("part.running")


def busy_html(line: str) -> str:
    """A line shown while a part runs (``stepper-busy``: the page's spinner)."""
    return f'<span class="stepper-busy">{escape(line)}</span>'


class HeavyPart:
    """One heavy part of a page (see the module's docstring): ``compute`` on demand on a thread
    of its own, ``draw`` for its result, computed here or received from the instructor.

    ``name`` names the part (CSS classes ``stepper-part-<name>``, ``stepper-run-<name>``,
    ``stepper-result-<name>``; the status line is ``stepper-part-status``); ``run_label`` is the
    Run button's text. ``options()`` returns the keyword arguments of ``compute``, raising
    ValueError (its message the line to show) or a :class:`~stepper.pages.kit.errors.
    PageInputError` for bad input. ``busy``: a lock shared by a page's parts so that one runs at a
    time. ``stoppable``: whether to show Stop (for a compute that reads ``stop``).
    ``on_result(name, result)``: called after each result is drawn. ``figure_first``: the figure
    above the text (else under it). ``controls``: the page's inputs, left of the Run button.
    """

    def __init__(self, name: str, compute: Compute, draw: Draw, *, run_label: str,
                 options: Callable[[], dict[str, Any]] | None = None,
                 follows: bool = False, publish: Publish | None = None,
                 on_result: OnResult | None = None, busy: threading.Lock | None = None,
                 stoppable: bool = True, figure_first: bool = False,
                 controls: tuple[widgets.Widget, ...] = ()) -> None:
        self.name = name
        self.compute = compute
        self.draw = draw
        self.run_label = run_label
        self.options = options or dict
        self.follows = follows
        self.publish = publish
        self.on_result = on_result
        self.busy = busy
        self.figure_first = figure_first
        self.result: Result | None = None
        self.thread: threading.Thread | None = None
        self.stop = threading.Event()
        self.finished = threading.Event()
        self.finished.set()  # nothing is running
        self._running = False  # this part runs one run at a time
        self._state = threading.Lock()  # guards _running and finished together

        self.run_button = widgets.Button(description=run_label, button_style="info",
                                         layout=widgets.Layout(width="auto"))
        self.run_button.add_class(f"stepper-run-{name}")
        self.run_button.on_click(lambda _b: self.start())
        self.stop_button = widgets.Button(description=text("part.stop"), disabled=True,
                                          layout=widgets.Layout(width="auto"))
        self.stop_button.on_click(lambda _b: self.stop.set())
        self.bar = widgets.IntProgress(value=0, min=0, max=1,
                                       layout=widgets.Layout(width="16em"))
        self.status = widgets.HTML("")
        self.status.add_class("stepper-part-status")
        self.errors = ErrorBox()
        self.text = widgets.HTML("")
        self.text.add_class(f"stepper-result-{name}")
        self.figure: widgets.Image | None = None  # made at the first figure (no empty <img>)
        if follows:
            self.row = widgets.HBox([self.status])
            self.status.value = f"<i>{escape(text('part.waiting'))}</i>"
        else:
            buttons = [self.run_button, *([self.stop_button] if stoppable else [])]
            self.row = widgets.HBox([*controls, *buttons, self.bar, self.status],
                                    layout=widgets.Layout(align_items="center",
                                                          flex_flow="row wrap"))
        self.result_box = widgets.VBox([self.text])
        self.widget = widgets.VBox([self.row, self.errors.widget, self.result_box])
        self.widget.add_class(f"stepper-part-{name}")

    # -- running -------------------------------------------------------------------------------
    def start(self, background: bool = True) -> threading.Thread | None:
        """Read the options and run the part: on a thread of its own (returned, and kept in
        ``thread``) or, with ``background=False``, here (then None is returned). Nothing starts
        (None) on a follower's page, while this part runs, on bad options (one line in the error
        box) or while another part holding ``busy`` runs (the "busy" line)."""
        if self.follows or not self._claim():
            return None
        self.errors.clear()
        try:
            options = self.options()
        except ValueError as error:  # the parser's own line, in the page's language
            self._release()
            self.errors.show_line(str(error))
            return None
        except Exception as error:
            self._release()
            self.errors.show_line(attendee_line(error))
            return None
        if self.busy is not None and not self.busy.acquire(blocking=False):
            self._release()
            self.errors.show_line(text("part.busy"), heading=text("error.note"))
            return None
        self.stop.clear()
        self.run_button.disabled = True
        self.stop_button.disabled = False
        self.bar.value, self.bar.max = 0, 1
        self.status.value = busy_html(text("part.running"))
        if not background:
            self._work(options)
            return None
        self.thread = threading.Thread(target=self._work, args=(options,),
                                       name=f"part-{self.name}", daemon=True)
        self.thread.start()
        return self.thread

    def progress(self, done: int, total: int, what: str = "") -> None:
        """Move the bar to ``done`` of ``total`` and say so (see :class:`Progress`)."""
        if total > 0:
            self.bar.max = total
            self.bar.value = min(max(done, 0), total)
        self.status.value = busy_html(progress_line(done, total, what))

    def _work(self, options: dict[str, Any]) -> None:
        try:
            result = self.compute(self.progress, self.stop, **options)
        except Exception as error:  # one line in the page; the traceback in the kernel's log
            self.status.value = ""
            if isinstance(error, PageInputError):
                self.errors.show_line(attendee_line(error))
            else:
                traceback.print_exc()
                self.errors.show_line(text("part.failed", error=attendee_line(error)),
                                      details="".join(traceback.format_exception(error)))
        else:
            self.show(result)
            if self.publish is not None:
                try:
                    self.publish(self.name, result)
                except Exception:
                    traceback.print_exc()
            self.status.value = escape(text("part.stopped" if result.get("stopped")
                                            else "part.done"))
        finally:
            self.run_button.disabled = False
            self.stop_button.disabled = True
            if self.busy is not None:
                self.busy.release()
            self._release()

    def _claim(self) -> bool:
        with self._state:
            if self._running:
                return False
            self._running = True
            self.finished.clear()
            return True

    def _release(self) -> None:
        with self._state:
            self._running = False
            self.finished.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the run under way (at once if none); False if ``timeout`` passed first."""
        return self.finished.wait(timeout)

    # -- drawing -------------------------------------------------------------------------------
    def show(self, result: Result) -> bool:
        """Draw ``result`` (computed here, or received from the instructor) and tell
        ``on_result``; False when there was nothing to draw or drawing failed (one line)."""
        try:
            html_text, png = self.draw(result)
        except LookupError:  # stopped before anything was measured
            return False
        except Exception as error:
            traceback.print_exc()
            self.errors.show_line(attendee_line(error))
            return False
        self.result = result
        self.text.value = html_text
        if png is not None:
            self._show_figure(png)
        if self.on_result is not None:
            try:
                self.on_result(self.name, result)
            except Exception as error:
                traceback.print_exc()
                self.errors.show_line(attendee_line(error))
        return True

    def receive(self, result: Result) -> None:
        """A follower's page: draw the instructor's ``result`` and say where it comes from."""
        if self.show(result):
            self.status.value = escape(text("part.from_instructor"))

    def _show_figure(self, png: bytes) -> None:
        if self.figure is not None:
            self.figure.value = png
            return
        self.figure = figure_image(png, max_width="980px")
        first, *rest = self.result_box.children
        self.result_box.children = ((self.figure, first, *rest) if self.figure_first
                                    else (first, self.figure, *rest))


def results_of(parts: Mapping[str, HeavyPart]) -> dict[str, Result]:
    """The latest result of each part that has one (computed here or received), by name."""
    return {name: part.result for name, part in parts.items() if part.result is not None}


def room_publisher(room: Any) -> Publish | None:
    """``room.publish_result`` on the instructor's page of a room; None on a solo page or a
    follower's."""
    if room is None or getattr(room, "follows", False):
        return None
    return getattr(room, "publish_result", None)


def follow_room(room: Any, parts: Mapping[str, HeavyPart]) -> None:
    """A follower's page: each result the instructor's page publishes is drawn by the part of
    that name, the ones already in the room's snapshot (``room.results``) at once, later ones as
    they arrive (``room.on_result``). Nothing on a solo or instructor's page."""
    on_result = getattr(room, "on_result", None)
    if room is None or not getattr(room, "follows", False) or on_result is None:
        return

    def received(name: str, result: Result) -> None:
        part = parts.get(name)
        if part is not None:
            part.receive(result)

    on_result.append(received)
    for name, result in dict(getattr(room, "results", {}) or {}).items():
        received(name, result)
