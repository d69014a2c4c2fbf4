"""Predict, then reveal: the question's state machine and its widgets (commit locks the answer,
the reveal shows the hidden result, listeners see open/answer/reveal, a room sets counts)."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from stepper.pages import i18n
from stepper.pages.question import Question, QuestionState, parse_number

CHOICES = [("none", "lesson0.q.lazy.none"), ("first", "lesson0.q.lazy.first"),
           ("all", "lesson0.q.lazy.all")]


def test_state_commit_then_reveal():
    state = QuestionState("q", ("a", "b"))
    state.commit("b")
    assert state.status == "answered"
    with pytest.raises(ValueError):
        state.commit("a")  # locked
    state.correct = "a"
    state.reveal()
    assert (state.status, state.verdict()) == ("revealed", "wrong")


def test_state_refuses_an_unknown_option():
    with pytest.raises(ValueError):
        QuestionState("q", ("a", "b")).commit("c")


@pytest.mark.parametrize("given, verdict", [(11.62, "right"), (10.5, "close"), (5.0, "wrong")])
def test_number_verdict_uses_the_relative_tolerance(given, verdict):
    state = QuestionState("q", None, tolerance=0.15, correct=11.62)
    state.commit(given)
    assert state.verdict() == verdict


@pytest.mark.parametrize("typed, value", [("12", 12.0), ("0,5", 0.5), (" 4.98 % ", 4.98)])
def test_parse_number_accepts_a_decimal_comma_and_a_percent(typed, value):
    assert parse_number(typed) == value


def test_widget_hides_the_result_until_the_answer_is_committed():
    events = []
    result = widgets.HTML("the result")
    question = Question("lazy", "lesson0.q.lazy.prompt", choices=CHOICES, answer="none",
                        explanation=lambda: i18n.text("lesson0.q.lazy.explain", jobs=0),
                        hides=[result], listeners=[lambda q, e, d: events.append((e, d))])
    assert result.layout.display == "none"
    question.commit_from_input()  # nothing chosen yet
    assert question.state.status == "open" and "Choose" in question.message.value
    question.input.value = "first"
    question.commit_from_input()
    assert question.state.status == "revealed"
    assert question.input.disabled and question.commit_button.disabled
    assert result.layout.display is None
    assert 'data-verdict="wrong"' in question.result.value
    assert "ran 0 Spark jobs" in question.result.value
    assert events == [("open", {}), ("answer", {"answer": "first"}),
                      ("reveal", {"correct": "none"})]


def test_in_a_room_the_reveal_waits_for_the_instructor_and_counts_show():
    result = widgets.HTML("the result")
    question = Question("share", "lesson0.q.share.prompt", answer=lambda: 4.98, tolerance=0.2,
                        unit=" %", hides=[result], auto_reveal=False)
    question.input.value = "abc"
    question.commit_from_input()
    assert "not a number" in question.message.value and question.state.status == "open"
    question.input.value = "5"
    question.commit_from_input()
    assert question.state.status == "answered" and result.layout.display == "none"
    question.set_counts({"5": 3, "10": 1})
    assert "3 chose 5 %, 1 chose 10 %" in question.counts_line.value
    question.reveal()
    assert question.state.status == "revealed" and result.layout.display is None
    assert 'data-verdict="close"' in question.result.value


def test_a_late_listener_is_told_the_current_state_and_reveal_works_without_an_answer():
    question = Question("q", "lesson0.q.lazy.prompt", choices=CHOICES, answer="none",
                        auto_reveal=False)
    seen = []
    question.add_listener(lambda q, e, d: seen.append(e))
    question.reveal()
    assert seen == ["open", "reveal"]
    assert 'data-verdict="none"' in question.result.value


def test_a_failing_answer_shows_one_line_and_keeps_the_page():
    def broken():
        raise RuntimeError("Spark is gone")

    question = Question("q", "lesson0.q.lazy.prompt", choices=CHOICES, answer=broken)
    question.input.value = "all"
    question.commit_from_input()
    assert question.state.status == "revealed"
    assert "Spark is gone" in question.result.value


def test_the_question_speaks_the_page_language():
    try:
        i18n.use_language("fr")
        question = Question("q", "lesson0.q.lazy.prompt", choices=CHOICES, answer="none")
        assert "Valider" in question.commit_button.description
        assert ("aucune", "none") in question.input.options
    finally:
        i18n.use_language("en")


def test_lesson_questions_compute_their_answers_from_the_page_values():
    from stepper.pages import lesson_questions as lq

    lazy = lq.lesson0_lazy(lambda: {"jobs": 0})
    lazy.input.value = "none"
    lazy.commit_from_input()
    assert lazy.state.verdict() == "right" and "ran 0 Spark jobs" in lazy.result.value
    recount = lq.lesson0_recount(lambda: {"after_second": 40002, "rows": 20001})
    recount.commit("once")
    assert recount.state.correct == "twice"
    assert lq.nearest_condition_option(71.5) == "seventy"
    assert lq.nearest_condition_option(1.003) == "same"
    via = lq.lesson2_via(lambda: {"via": "task", "bytes": 165, "limit": 65536})
    via.commit("broadcast")
    assert via.state.correct == "task" and "165" in via.result.value


def test_a_reveal_before_the_page_computed_the_result_waits_for_it():
    values: dict = {}
    result = widgets.HTML("the card")
    question = Question("q", "lesson0.q.lazy.prompt", choices=CHOICES,
                        answer=lambda: "none" if values["jobs"] == 0 else "all",
                        explanation=lambda: i18n.text("lesson0.q.lazy.explain", **values),
                        hides=[result])
    question.commit("none")
    assert question.pending and question.state.status == "answered"
    assert result.layout.display == "none" and "as soon as" in question.result.value
    values["jobs"] = 0
    question.result_ready()
    assert question.state.status == "revealed" and result.layout.display is None
    assert 'data-verdict="right"' in question.result.value
