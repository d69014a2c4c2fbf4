"""Errors in widget callbacks: one readable line in the page, and the page keeps working.

* :func:`guard`: the one callback guard: ``fn`` with any exception handed to ``on_error`` (and its
  traceback printed to the kernel's log) instead of escaping into the widget machinery;
* :class:`ErrorBox` and :func:`guarded`: an exception raised in a widget callback becomes a
  readable message (:func:`stepper.errors.one_line`) in the page, the full traceback folded
  under it; the message goes away at the next callback that succeeds;
* :func:`attendee_line`: that line in the page's language. The engine raises English errors
  (the command line shows them as they are); the page maps the ones an attendee can meet, by
  exception type and ``code``, to catalogue keys (``engine.*``) filled with the exception's
  fields, and shows any other as :func:`stepper.errors.one_line` does;
* :class:`PageInputError`: a page asked for something impossible, carrying the catalogue line
  that says so (its attendee line is that line in the page's language).
"""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable
from html import escape
from typing import Any

import ipywidgets as widgets

from stepper.errors import ConfigError, DivergenceError, StepperError, one_line, spark_error_line
from stepper.pages.i18n import CATALOGUES, DEFAULT
from stepper.pages.i18n import text as words

SPARK_FAILED = "Spark failed: "
QUANTITIES = {"the partition's loss": "engine.quantity.loss",
              "the partition's gradient": "engine.quantity.gradient",
              "the partition's Hessian": "engine.quantity.hessian",
              "the objective": "engine.quantity.objective",
              "the weights after the update": "engine.quantity.weights"}
"""The non-finite quantities the engine names (:class:`DivergenceError`), as catalogue keys."""


class PageInputError(StepperError):
    """A page's run asked for something impossible: ``key`` is the page's catalogue line for it,
    ``values`` fill it (the page shows one line in its language)."""

    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(f"{key}: {values}")
        self.key = key
        self.values = values


def attendee_line(exc: BaseException) -> str:
    """The one line for ``exc`` in the page's language (see the module's docstring)."""
    if isinstance(exc, PageInputError):
        return words(exc.key, **exc.values)
    if isinstance(exc, DivergenceError) and exc.quantity in QUANTITIES:
        where = "driver" if exc.partition is None else "partition"
        return words(f"engine.divergence.{where}", iteration=exc.iteration,
                     quantity=words(QUANTITIES[exc.quantity]), partition=exc.partition)
    if isinstance(exc, ConfigError):
        key = f"engine.config.{exc.code}"
        if key in CATALOGUES[DEFAULT]:
            from stepper.algorithms import algorithm_names

            return words(key, value=repr(exc.value), choices=", ".join(algorithm_names()),
                         **{name: str(value) for name, value in exc.facts.items()})
        return one_line(exc)
    spark = spark_error_line(exc)
    if spark is not None:
        if spark.startswith(SPARK_FAILED):
            return words("engine.spark_failed", message=spark[len(SPARK_FAILED):])
        return words("engine.spark_gone")
    return one_line(exc)


def guard(fn: Callable[..., Any],
          on_error: Callable[[BaseException], None]) -> Callable[..., Any]:
    """``fn`` with any exception given to ``on_error`` (then ``None`` is returned)."""

    @functools.wraps(fn)
    def guarded_call(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            traceback.print_exc()
            on_error(exc)
            return None

    return guarded_call


class ErrorBox:
    """An HTML widget that shows the last error in one readable line, hidden while there is
    none (the app's message box, and each lesson section's)."""

    def __init__(self) -> None:
        self.widget = widgets.HTML("", layout=widgets.Layout(display="none"))
        self.widget.add_class("stepper-error-box")
        self.messages: list[str] = []

    def show_line(self, text: str, heading: str | None = None, details: str = "") -> None:
        """Show ``text`` (one line a person can read) under ``heading``; ``details`` (a
        traceback) folded under it."""
        heading = words("error.heading") if heading is None else heading
        self.messages.append(text)
        folded = ("<details style='font-size:0.8em;margin-top:4px'><summary>"
                  f"{escape(words('error.details'))}</summary>"
                  f"<pre style='white-space:pre-wrap'>{escape(details)}</pre></details>"
                  if details else "")
        self.widget.value = (
            "<div class='stepper-error' role='alert'>"
            f"<b>{escape(heading)}</b> {escape(text)}"
            f" <i style='font-size:0.9em'>{escape(words('error.still_works'))}</i>"
            f"{folded}</div>"
        )
        self.widget.layout.display = "block"

    def show(self, exc: BaseException, action: str = "") -> None:
        """Show ``exc`` as one line, its traceback folded under it."""
        heading = (words("error.heading_doing", action=action) if action
                   else words("error.heading"))
        self.show_line(attendee_line(exc), heading,
                       "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))

    @property
    def shown(self) -> bool:
        return self.widget.layout.display != "none"

    def clear(self) -> None:
        if self.shown:
            self.widget.value = ""
            self.widget.layout.display = "none"


def guarded(box: ErrorBox, action: str = "") -> Callable[[Callable], Callable]:
    """Decorate a widget callback: an exception shows in ``box`` instead of escaping.

    Success clears the box (unless a callback it triggered failed meanwhile). The wrapped
    callback returns None when it failed.
    """

    def decorate(callback: Callable) -> Callable:
        def succeeded(shown: int) -> None:
            if len(box.messages) == shown:  # a nested callback may have failed meanwhile
                box.clear()

        def run(*args: Any, **kwargs: Any) -> Any:
            shown = len(box.messages)
            result = guard(callback, lambda exc: box.show(exc, action))(*args, **kwargs)
            succeeded(shown)
            return result

        return functools.wraps(callback)(run)

    return decorate
