"""The room's messages: what passes and what is refused, with the line that says why."""

from __future__ import annotations

import json

import numpy as np
import pytest

from stepper.room import protocol
from stepper.room.protocol import RoomMessageError, parse
from stepper.trace import IterationRecord


def record(k: int, d: int = 3) -> dict:
    before = np.arange(d, dtype=float) * k
    return IterationRecord(iteration=k, objective=1.0 / k, grad_norm=0.5, weights=before + 1,
                           partitions=[{"index": 0, "rows": 10}],
                           update={"weights_before": before, "step_size": 0.1},
                           timing={"total": 0.01}).to_dict()


def text(**message) -> str:
    return json.dumps(message)


def test_a_trace_record_passes_and_reads_back():
    message = parse(text(type="records", start=0, records=[record(1), record(2)], sent=1.5),
                    protocol.INSTRUCTOR_TYPES)
    back = IterationRecord.from_dict(message["records"][1])
    assert back.iteration == 2 and np.allclose(back.weights, [1, 3, 5])


@pytest.mark.parametrize("message, words", [
    ("not json", "not JSON"),
    ("[1, 2]", "JSON object"),
    (text(type="records", start=0, records=[{"iteration": 1}]), "lacks objective"),
    (text(type="records", start=0, records=[record(2)]), "says it is iteration 2"),
    (text(type="records", start=-1, records=[]), "'start' must be an integer ≥ 0"),
    (text(type="position", iteration="3", phase=0), "'iteration' must be"),
    (text(type="position", iteration=True, phase=0), "'iteration' must be"),
    (text(type="position", iteration=1, phase=0, sent="now"), "'sent' must be"),
    (text(type="state", state={"state": "open"}), "question id"),
    (text(type="state", state={"question": "q1", "state": "closed"}), "open, revealed"),
    (text(type="result", result={"times": [1.0]}), "'name' must be"),
    (text(type="result", name="sweep", result=[1.0]), "'result' must be an object"),
    (text(type="answer", question="q1", choice="a"), "not expected here"),
    (text(type="launch"), "not expected here"),
])
def test_malformed_instructor_messages_are_refused_in_one_line(message, words):
    with pytest.raises(RoomMessageError, match=words) as caught:
        parse(message, protocol.INSTRUCTOR_TYPES)
    assert "\n" not in str(caught.value)


def test_a_follower_may_only_answer():
    parse(text(type="answer", question="q1", choice="b"), protocol.FOLLOWER_TYPES)
    with pytest.raises(RoomMessageError, match="not expected"):
        parse(text(type="position", iteration=1, phase=0), protocol.FOLLOWER_TYPES)
    with pytest.raises(RoomMessageError, match="'choice' must be 1 to 200"):
        parse(text(type="answer", question="q1", choice="x" * 201), protocol.FOLLOWER_TYPES)


def test_size_limit():
    big = text(type="settings", settings={"pad": "x" * protocol.MAX_MESSAGE_BYTES})
    with pytest.raises(RoomMessageError, match="over the limit"):
        parse(big, protocol.INSTRUCTOR_TYPES)


def test_weights_before_must_match_weights():
    bad = record(1)
    bad["update"]["weights_before"] = [0.0]
    with pytest.raises(RoomMessageError, match="weights_before"):
        parse(text(type="records", start=0, records=[bad]), protocol.INSTRUCTOR_TYPES)


@pytest.mark.parametrize("name", ["", "a b", "x" * 41, "../etc", "é"])
def test_room_names(name):
    with pytest.raises(RoomMessageError, match="room name"):
        protocol.check_name(name)


def test_server_messages():
    parse(text(type="snapshot", settings={}, records=[record(1)], position={"iteration": 1,
                                                                            "phase": 2},
               states={"q": {"question": "q", "state": "open"}}, instructor=True),
          protocol.SERVER_TYPES)
    with pytest.raises(RoomMessageError, match="'instructor' must be"):
        parse(text(type="snapshot", settings={}, records=[], position=None, states={}),
              protocol.SERVER_TYPES)
    with pytest.raises(RoomMessageError, match="each count"):
        parse(text(type="counts", question="q", counts={"a": -1}), protocol.SERVER_TYPES)


def test_errors_carry_a_code_every_page_can_say():
    """The server's errors are codes (the pages say them in their language) with an English
    line; every code has a line in both catalogues."""
    from stepper.pages import i18n
    from stepper.room.client import CLIENT_CODES

    message = protocol.error_message("no_room", "there is no room 'x'", retry=True)
    assert parse(protocol.encode(message), protocol.SERVER_TYPES)["code"] == "no_room"
    with pytest.raises(RoomMessageError, match="'code' must be"):
        parse(text(type="error", message="no code"), protocol.SERVER_TYPES)
    with pytest.raises(RoomMessageError, match="'code' must be 1 to 40"):
        parse(text(type="error", code="Not A Code", message="x"), protocol.SERVER_TYPES)
    for code in (*protocol.ERROR_CODES, *CLIENT_CODES, "bad_server", "unknown"):
        for lang in i18n.LANGUAGES:
            assert f"room.error.{code}" in i18n.CATALOGUES[lang], (lang, code)
    assert i18n.missing_strings() == []
    with pytest.raises(RoomMessageError) as caught:
        protocol.check_name("a b")
    assert caught.value.code == "bad_name"
    with pytest.raises(RoomMessageError) as caught:
        protocol.check_session("short")
    assert caught.value.code == "bad_session"
