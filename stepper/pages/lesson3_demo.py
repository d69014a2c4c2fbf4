"""One heavy demo of lesson 3 as widgets: a Run button, a Stop button, a progress bar updated
after every run, one line for bad input, the result's text and figure.

The work runs on a thread of its own, so the page never freezes (Step keeps working). On the
instructor's page of a room the result is published (``room.publish_result``); a follower's
page has no buttons and draws the instructor's result when it arrives (``room.on_result``).
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from html import escape
from typing import Any

import ipywidgets as widgets

from stepper.pages.i18n import text
from stepper.pages.kit.errors import ErrorBox, attendee_line
from stepper.pages.kit.widgets import figure_image
from stepper.pages.lesson3_lab import PageInputError

Compute = Callable[[Callable[[int, int], None], threading.Event], dict[str, Any]]
Draw = Callable[[dict[str, Any]], tuple[str, bytes | None]]


class Demo:
    """``compute(progress, stop) -> result`` on demand; ``draw(result) -> (html, png)``."""

    def __init__(self, name: str, compute: Compute, draw: Draw, *, follows: bool = False,
                 publish: Callable[[str, dict[str, Any]], Any] | None = None,
                 on_result: Callable[[str, dict[str, Any]], None] | None = None,
                 controls: tuple[widgets.Widget, ...] = ()) -> None:
        self.name = name
        self.compute = compute
        self.draw = draw
        self.publish = publish
        self.on_result = on_result
        self.result: dict[str, Any] | None = None
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None
        self.finished = threading.Event()
        self.run_button = widgets.Button(description=text(f"lesson3.{name}.run"),
                                         button_style="info", layout=widgets.Layout(width="auto"))
        self.run_button.add_class(f"stepper-run-{name}")
        self.stop_button = widgets.Button(description=text("lesson3.stop"), disabled=True,
                                          layout=widgets.Layout(width="auto"))
        self.bar = widgets.IntProgress(value=0, min=0, max=1,
                                       layout=widgets.Layout(width="16em"))
        self.status = widgets.HTML("")
        self.status.add_class(f"stepper-status-{name}")
        self.errors = ErrorBox()
        self.text = widgets.HTML("")
        self.text.add_class(f"stepper-result-{name}")
        self.figure: widgets.Image | None = None  # made at the first result (no empty <img>)
        self.run_button.on_click(lambda _b: self.start())
        self.stop_button.on_click(lambda _b: self.stop.set())
        row = widgets.HBox([*controls, self.run_button, self.stop_button, self.bar, self.status],
                           layout=widgets.Layout(align_items="center", flex_flow="row wrap"))
        if follows:
            row.children = (self.status,)
            self.status.value = f"<i>{escape(text('lesson3.follower_waiting'))}</i>"
        self.result_box = widgets.VBox([self.text])
        self.widget = widgets.VBox([row, self.errors.widget, self.result_box])

    # -- running -------------------------------------------------------------------------------
    def start(self, background: bool = True) -> None:
        """Run the demo (on a thread unless ``background`` is false); a second press while it
        runs does nothing."""
        if self.thread is not None and self.thread.is_alive():
            return
        self.stop.clear()
        self.finished.clear()
        self.errors.clear()
        self.run_button.disabled = True
        self.stop_button.disabled = False
        self.bar.value, self.bar.max = 0, 1
        self.status.value = f"<i>{escape(text('lesson3.running'))}</i>"
        if background:
            self.thread = threading.Thread(target=self._work, name=f"lesson3-{self.name}",
                                           daemon=True)
            self.thread.start()
        else:
            self._work()

    def _progress(self, done: int, total: int) -> None:
        self.bar.max = max(total, 1)
        self.bar.value = min(done, self.bar.max)
        self.status.value = escape(text("lesson3.progress", done=done, total=total))

    def _work(self) -> None:
        try:
            result = self.compute(self._progress, self.stop)
        except PageInputError as error:
            self.errors.show_line(text(error.key, **error.values))
            self.status.value = ""
        except Exception as error:  # one line in the page; the traceback in the kernel's log
            traceback.print_exc()
            self.errors.show(error, text(f"lesson3.{self.name}.run"))
            self.status.value = ""
        else:
            self.show(result)
            if self.publish is not None:
                try:
                    self.publish(self.name, result)
                except Exception:
                    traceback.print_exc()
            self.status.value = escape(text("lesson3.stopped" if result.get("stopped")
                                            else "lesson3.done"))
        finally:
            self.run_button.disabled = False
            self.stop_button.disabled = True
            self.finished.set()

    def show(self, result: dict[str, Any]) -> None:
        """Draw ``result`` (computed here, or received from the instructor)."""
        try:
            html_text, image = self.draw(result)
        except LookupError:  # stopped before anything was measured
            return
        except Exception as error:
            traceback.print_exc()
            self.errors.show_line(attendee_line(error))
            return
        self.result = result
        self.text.value = html_text
        if image is not None:
            if self.figure is None:
                self.figure = figure_image(image, max_width="980px")
                text_box, *rest = self.result_box.children
                self.result_box.children = (text_box, self.figure, *rest)
            else:
                self.figure.value = image
        if self.on_result is not None:
            self.on_result(self.name, result)

    def wait(self, timeout: float | None = None) -> bool:
        return self.finished.wait(timeout)
