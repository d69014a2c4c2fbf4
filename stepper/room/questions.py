"""A page's predict-then-reveal questions in a room: the instructor reveals for everyone.

:func:`connect_question` binds one :class:`~stepper.pages.question.Question` to the page's
:class:`~stepper.room.page.PageRoom`, on either side:

* **the instructor's page** publishes the question's state, ``{"question": id, "state":
  "open"}`` when it is asked and ``"revealed"`` when it is revealed; the attendees' answers arrive
  as counts (``on_counts``) and show under the question (:meth:`Question.set_counts
  <stepper.pages.question.Question.set_counts>`). The options are shown, not answered: the
  commit button gives way to "Reveal for everyone".
* **a follower's page** does not reveal on commit (``auto_reveal=False``): the committed answer is
  sent (:meth:`PageRoom.answer <stepper.room.page.PageRoom.answer>`: the option's key, or the
  number to three significant figures) and the result waits for the instructor's reveal. A page
  that joins late is given the states so far (the room's snapshot), so a question already
  revealed is revealed at once.

A lesson page calls it for every question it asks (:func:`ask`); a page without a room
(``app.room is None``) does not call it and its questions reveal on commit as before.
"""

from __future__ import annotations

from typing import Any

from stepper.pages.i18n import text


def answer_text(question: Any, answer: Any) -> str:
    """What a follower's page sends for ``answer``: the option's key, or the number to 3
    significant figures (so that close estimates count together)."""
    if question.state.kind == "number":
        return f"{float(answer):.3g}"
    return str(answer)


def connect_question(room: Any, question: Any) -> None:
    """Bind ``question`` to ``room`` (a :class:`~stepper.room.page.PageRoom`), as the
    instructor's page or a follower's, whichever ``room.follows`` says."""
    if room.follows:
        _follow(room, question)
    else:
        _lead(room, question)


def ask(questions: dict[str, Any], name: str, question: Any, room: Any) -> Any:
    """A lesson page asks ``question``: keep it as ``questions[name]`` and, on a page in a room
    (``room`` not ``None``), bind it (:func:`connect_question`); return its widget."""
    questions[name] = question
    if room is not None:
        connect_question(room, question)
    return question.widget


def connect_questions(room: Any, questions: Any) -> None:
    """:func:`connect_question` for each of ``questions`` (a dict's values or a list)."""
    for question in (questions.values() if hasattr(questions, "values") else questions):
        connect_question(room, question)


def _lead(room: Any, question: Any) -> None:
    import ipywidgets as widgets

    qid = question.qid
    question.auto_reveal = False
    question.commit_button.layout.display = "none"
    question.input.disabled = True  # the options are on screen; the attendees answer
    reveal = widgets.Button(description=text("room.reveal_all"), button_style="warning",
                            tooltip=text("room.reveal_all_tooltip"),
                            layout=widgets.Layout(width="auto"))
    reveal.add_class("stepper-room-reveal")
    reveal.on_click(lambda _button: question.reveal())
    question.reveal_button = reveal
    question.widget.children = (*question.widget.children, reveal)

    def changed(_question: Any, event: str, _data: dict[str, Any]) -> None:
        if event == "open":
            room.publish_state({"question": qid, "state": "open"})
        elif event == "reveal":
            reveal.disabled = True
            room.publish_state({"question": qid, "state": "revealed"})

    def counted(asked: str, counts: dict[str, int]) -> None:
        if asked == qid:
            question.set_counts(counts)

    room.on_counts.append(counted)
    question.add_listener(changed)  # told the current state at once: published
    if qid in room.counts:  # answers that arrived before the question was drawn
        question.set_counts(room.counts[qid])


def _follow(room: Any, question: Any) -> None:
    qid = question.qid
    question.auto_reveal = False

    def answered(_question: Any, event: str, data: dict[str, Any]) -> None:
        if event == "answer" and data.get("answer") is not None:
            room.answer(qid, answer_text(question, data["answer"]))

    def state(published: dict[str, Any]) -> None:
        if published.get("question") == qid and published.get("state") == "revealed":
            question.reveal()

    room.on_state.append(state)
    question.listeners.append(answered)
    known = room.states.get(qid)  # a page joining late: the states so far
    if known is not None:
        state(known)
