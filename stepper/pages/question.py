"""Predict, then reveal: a question the attendee answers before the page shows the result.

A question is a **choice** (one of a few options) or a **number** (an estimate, right when within
a relative tolerance). Its life: *open* → the attendee *commits* an answer (the input locks) →
*revealed*: the result the question hides appears, with the right answer and a one-line
explanation. Alone, a page reveals as soon as the attendee commits; in a room the instructor
reveals for everyone (``auto_reveal=False``, then :meth:`Question.reveal` from outside).

Everything a room needs is observable and settable: ``listeners`` are called with
``(question, event, data)`` for ``"open"``, ``"answer"`` and ``"reveal"``; :meth:`Question.reveal`
and :meth:`Question.set_counts` (how many chose what) act from outside. The answer and the
explanation may be computed late (``answer`` and ``explanation`` accept a function), so that the
figure the page reveals is the one the code computed.

The logic (:class:`QuestionState`) is separate from the widgets (:class:`Question`) so that it
can be tested, and replayed by a follower, without a browser.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from stepper.pages.i18n import text
from stepper.pages.kit.errors import attendee_line
from stepper.pages.prose import inline_html

Listener = Callable[["Question", str, dict[str, Any]], None]
EVENTS = ("open", "answer", "reveal")


def parse_number(typed: str) -> float:
    """A typed number, with a decimal comma accepted (``"0,5"``); ValueError otherwise."""
    cleaned = typed.strip().replace("\u202f", "").replace(" ", "").replace(",", ".")
    if cleaned.endswith("%"):
        cleaned = cleaned[:-1]
    value = float(cleaned)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(typed)
    return value


@dataclass
class QuestionState:
    """The question's state machine: ``open`` → ``answered`` → ``revealed``.

    ``choices`` are the option keys (``None`` for a number question); ``correct`` is the right
    option key or number, set when known (it may be set just before the reveal).
    """

    qid: str
    choices: tuple[str, ...] | None = None
    tolerance: float = 0.15
    correct: Any = None
    answer: Any = None
    status: str = "open"
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return "number" if self.choices is None else "choice"

    def commit(self, answer: Any) -> None:
        """Lock in ``answer`` (an option key, or a number); only while open."""
        if self.status != "open":
            raise ValueError(f"question {self.qid} is {self.status}: the answer is locked")
        if self.choices is not None and answer not in self.choices:
            raise ValueError(f"{answer!r} is not one of {', '.join(self.choices)}")
        if self.choices is None:
            answer = float(answer)
        self.answer = answer
        self.status = "answered"

    def reveal(self) -> None:
        """Show the result (with or without an answer: a room's instructor may reveal early)."""
        self.status = "revealed"

    def verdict(self) -> str:
        """``right``, ``close`` (numbers within the tolerance), ``wrong`` or ``none``."""
        if self.answer is None or self.correct is None:
            return "none"
        if self.choices is not None:
            return "right" if self.answer == self.correct else "wrong"
        scale = max(abs(float(self.correct)), 1e-12)
        error = abs(float(self.answer) - float(self.correct)) / scale
        if error <= 1e-9:
            return "right"
        return "close" if error <= self.tolerance else "wrong"


def _number(value: float) -> str:
    return f"{value:.3g}"


class Question:
    """The question as widgets: prompt, input, commit button, and the result it hides.

    ``choices``: ``[(option key, catalogue key of its label), …]`` or ``None`` for a number.
    ``answer``: the right option key or number, or a function computing it at the reveal.
    ``explanation``: a function returning the one-line explanation (already in the page's
    language: it fills a catalogue text with the figures computed), or a catalogue key.
    ``hides``: widgets kept hidden until the reveal (the result this question predicts).
    """

    def __init__(self, qid: str, prompt_key: str, *,
                 choices: Sequence[tuple[str, str]] | None = None,
                 answer: Any = None, explanation: Callable[[], str] | str | None = None,
                 tolerance: float = 0.15, unit: str = "", hides: Sequence[Any] = (),
                 auto_reveal: bool = True, listeners: Sequence[Listener] = ()) -> None:
        import ipywidgets as widgets

        self.state = QuestionState(qid, tuple(k for k, _ in choices) if choices else None,
                                   tolerance)
        self.prompt_key = prompt_key
        self.labels = {key: text(label) for key, label in choices or ()}
        self._answer = answer
        self._explanation = explanation
        self.unit = unit
        self.hides = list(hides)
        self.auto_reveal = auto_reveal
        self.pending = False  # a reveal waiting for the page's result
        self.listeners: list[Listener] = list(listeners)

        self.prompt = widgets.HTML(f"<b>{html.escape(text('question.heading'))}.</b> "
                                   f"{inline_html(text(prompt_key))}")
        if choices:
            self.input = widgets.RadioButtons(options=[(self.labels[k], k) for k, _ in choices],
                                              value=None, layout=widgets.Layout(width="auto"))
        else:
            self.input = widgets.Text(placeholder=text("question.number_placeholder"),
                                      layout=widgets.Layout(width="12em"))
        self.commit_button = widgets.Button(description=text("question.commit"),
                                            button_style="primary",
                                            layout=widgets.Layout(width="auto"))
        self.commit_button.on_click(lambda _b: self.commit_from_input())
        self.message = widgets.HTML("")
        self.counts_line = widgets.HTML("")
        self.result = widgets.HTML("")
        row = widgets.HBox([self.input, self.commit_button],
                           layout=widgets.Layout(align_items="center", flex_flow="row wrap"))
        self.widget = widgets.VBox([self.prompt, row, self.message, self.counts_line,
                                    self.result],
                                   layout=widgets.Layout(border="1px solid #c8d1dc",
                                                         padding="6px 12px", margin="8px 0"))
        self.widget.add_class("stepper-question")
        self.widget.add_class("stepper-question-" + qid.replace(".", "-"))
        for hidden in self.hides:
            hidden.layout.display = "none"
        self._emit("open", {})

    @property
    def qid(self) -> str:
        return self.state.qid

    # -- from the page ---------------------------------------------------------------------------
    def commit_from_input(self) -> None:
        """The commit button: read the input, lock it, reveal (alone) or wait (in a room)."""
        value = self.input.value
        if self.state.kind == "choice":
            if value is None:
                self.message.value = html.escape(text("question.pick_first"))
                return
            answer: Any = value
        else:
            try:
                answer = parse_number(str(value))
            except ValueError:
                self.message.value = html.escape(text("question.not_a_number", value=value))
                return
        self.commit(answer)

    def commit(self, answer: Any) -> None:
        """Lock in ``answer`` (as if typed and committed)."""
        self.state.commit(answer)
        self.input.disabled = True
        self.commit_button.disabled = True
        shown = self.describe(answer)
        key = "question.committed" if self.auto_reveal else "question.waiting"
        self.message.value = html.escape(text(key, answer=shown))
        self._emit("answer", {"answer": answer})
        if self.auto_reveal:
            self.reveal()

    # -- from outside (a room) -------------------------------------------------------------------
    def reveal(self) -> None:
        """Show the hidden result, the right answer and the explanation."""
        if self.state.status == "revealed":
            return
        self.input.disabled = True
        self.commit_button.disabled = True
        try:
            correct = self._answer() if callable(self._answer) else self._answer
            self.state.correct = correct
            explanation = self._explain()
        except LookupError:  # the page has not computed the result yet: reveal when it has
            self.pending = True
            self.result.value = html.escape(text("question.pending"))
            return
        except Exception as error:  # the page keeps working; the line says what failed
            self.state.reveal()
            self.result.value = html.escape(text("question.unavailable",
                                                 error=attendee_line(error)))
            self._show_hidden()
            self._emit("reveal", {"correct": None})
            return
        self.pending = False
        self.state.reveal()
        self.result.value = self._result_html(explanation)
        self._show_hidden()
        self._emit("reveal", {"correct": correct})

    def set_counts(self, counts: dict[str, int]) -> None:
        """Show how many chose what (``{option key or number text: count}``)."""
        self.state.counts = dict(counts)
        order = list(self.state.choices or ())
        keys = sorted(counts, key=lambda k: (order.index(k) if k in order else len(order),
                                             -counts[k], k))
        parts = [text("question.count", count=counts[k], answer=self.describe(k)) for k in keys]
        self.counts_line.value = html.escape(text("question.counts", counts=", ".join(parts)))

    def result_ready(self) -> None:
        """The page has computed the result: reveal now if a reveal was waiting for it."""
        if self.pending:
            self.reveal()

    def hide(self, widget: Any) -> None:
        """Keep ``widget`` (the result this question predicts) hidden until the reveal."""
        self.hides.append(widget)
        if self.state.status != "revealed":
            widget.layout.display = "none"

    def add_listener(self, listener: Listener) -> None:
        """Call ``listener(question, event, data)`` on every later open/answer/reveal; it is
        told the current state at once (``open``, ``answer`` or ``reveal``)."""
        self.listeners.append(listener)
        now = {"open": "open", "answered": "answer", "revealed": "reveal"}[self.state.status]
        data = {"answer": self.state.answer} if now == "answer" else \
            {"correct": self.state.correct} if now == "reveal" else {}
        try:
            listener(self, now, data)
        except Exception:
            import traceback

            traceback.print_exc()

    # -- helpers ---------------------------------------------------------------------------------
    def describe(self, answer: Any) -> str:
        """An answer as the attendee sees it (the option's label, or the number)."""
        if answer is None:
            return text("question.no_answer")
        if self.state.kind == "choice":
            return self.labels.get(answer, str(answer))
        try:
            return _number(float(answer)) + self.unit
        except (TypeError, ValueError):
            return str(answer)

    def _explain(self) -> str:
        if self._explanation is None:
            return ""
        if callable(self._explanation):
            return self._explanation()
        return text(self._explanation)

    def _result_html(self, explanation: str) -> str:
        verdict = self.state.verdict()
        correct = self.describe(self.state.correct)
        if verdict == "right":
            line = text("question.right")
        elif verdict == "close":
            line = text("question.close", answer=correct)
        elif verdict == "wrong" and self.state.kind == "number":
            line = text("question.far", answer=correct, given=self.describe(self.state.answer))
        else:
            line = text("question.wrong", answer=correct)
        colour = {"right": "#1a7f37", "close": "#1a7f37", "wrong": "#b35900"}.get(verdict, "#333")
        return (f'<div class="stepper-question-result" data-verdict="{verdict}">'
                f'<b style="color:{colour}">{html.escape(line)}</b> '
                f"{inline_html(explanation)}</div>")

    def _show_hidden(self) -> None:
        for hidden in self.hides:
            hidden.layout.display = None

    def _emit(self, event: str, data: dict[str, Any]) -> None:
        for listener in list(self.listeners):
            try:
                listener(self, event, data)
            except Exception:  # a listener's failure never breaks the question
                import traceback

                traceback.print_exc()
