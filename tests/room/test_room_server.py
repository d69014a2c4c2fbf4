"""The room's websocket in a real Jupyter server, driven by real websocket clients (the
``websocket-client`` package) and by the kernels' own client (:class:`RoomClient`)."""

from __future__ import annotations

import json
import threading
import time
import uuid

import pytest
import websocket
from test_room_protocol import record

from stepper.room import protocol
from stepper.room.client import RoomClient, socket_url


def connect(server: str, room: str, role: str, key: str | None = None,
            session: str | None = None):
    ws = websocket.create_connection(socket_url(server, room, role, key, session), timeout=10)
    return ws


def receive(ws) -> dict:
    return protocol.parse(ws.recv(), protocol.SERVER_TYPES)


def receive_until(ws, kind: str) -> dict:
    for _ in range(20):
        message = receive(ws)
        if message["type"] == kind:
            return message
    raise AssertionError(f"no {kind} message")


def new_room() -> str:
    return "r" + uuid.uuid4().hex[:10]


def open_room(server: str):
    name = new_room()
    lead = connect(server, name, "instructor")
    welcome = receive(lead)
    assert welcome["type"] == "welcome" and welcome["role"] == "instructor"
    assert receive(lead)["type"] == "snapshot"
    return name, lead, welcome["key"]


def test_followers_get_what_the_instructor_publishes(room_server):
    name, lead, _key = open_room(room_server)
    lead.send(protocol.encode({"type": "settings", "settings": {"algorithm": "gd"}}))
    lead.send(protocol.encode({"type": "records", "start": 0, "records": [record(1)],
                               "sent": time.time()}))
    follower = connect(room_server, name, "follower")
    assert receive(follower) == {"type": "welcome", "role": "follower", "room": name}
    snapshot = receive(follower)
    assert snapshot["settings"] == {"algorithm": "gd"} and len(snapshot["records"]) == 1
    assert snapshot["instructor"] is True
    lead.send(protocol.encode({"type": "records", "start": 1, "records": [record(2)]}))
    lead.send(protocol.encode({"type": "position", "iteration": 2, "phase": 3, "sent": 5.0}))
    got = receive_until(follower, "records")
    assert got["start"] == 1 and got["records"][0]["iteration"] == 2
    position = receive_until(follower, "position")
    assert (position["iteration"], position["phase"], position["sent"]) == (2, 3, 5.0)
    # a late follower gets the whole run so far
    late = connect(room_server, name, "follower")
    receive(late)
    snapshot = receive(late)
    assert [r["iteration"] for r in snapshot["records"]] == [1, 2]
    assert snapshot["position"]["iteration"] == 2
    for ws in (lead, follower, late):
        ws.close()


def test_results_reach_followers_and_late_ones(room_server):
    """A heavy part's result (a sweep on the instructor's page) goes to the followers as it is
    published, replaces the earlier one of its name, and is in a late follower's snapshot; a
    room keeps a bounded number of results."""
    from stepper.room.server import MAX_RESULTS

    name, lead, _key = open_room(room_server)
    follower = connect(room_server, name, "follower")
    receive_until(follower, "snapshot")
    sweep = {"partitions": [1, 2, 4], "seconds": [0.5, 0.3, 0.4]}
    lead.send(protocol.encode({"type": "result", "name": "sweep", "result": sweep}))
    got = receive_until(follower, "result")
    assert (got["name"], got["result"]) == ("sweep", sweep)
    newer = {"partitions": [1, 2], "seconds": [0.6, 0.2]}
    lead.send(protocol.encode({"type": "result", "name": "sweep", "result": newer}))
    lead.send(protocol.encode({"type": "result", "name": "async", "result": {"tau": [0, 4]}}))
    late = connect(room_server, name, "follower")
    snapshot = receive_until(late, "snapshot")
    assert snapshot["results"] == {"sweep": newer, "async": {"tau": [0, 4]}}
    for i in range(MAX_RESULTS - 2):
        lead.send(protocol.encode({"type": "result", "name": f"r{i}", "result": {}}))
    lead.send(protocol.encode({"type": "result", "name": "one_too_many", "result": {}}))
    error = receive_until(lead, "error")
    assert error["code"] == "too_many_results"
    lead.send(protocol.encode({"type": "result", "name": "sweep", "result": {}}))  # a replacement
    names = []
    while names[-1:] != ["sweep"] or len(names) == 1:
        message = receive(follower)
        if message["type"] == "result":
            names.append(message["name"])
    assert names == ["sweep", "async", *(f"r{i}" for i in range(MAX_RESULTS - 2)), "sweep"]
    for ws in (lead, follower, late):
        ws.close()


def test_a_follower_cannot_publish_and_a_bad_message_changes_nothing(room_server):
    name, lead, _key = open_room(room_server)
    follower = connect(room_server, name, "follower")
    receive(follower), receive(follower)
    follower.send(protocol.encode({"type": "position", "iteration": 9, "phase": 0}))
    error = receive_until(follower, "error")
    assert error["code"] == "not_publisher"
    assert "only the page holding the room's key publishes" in error["message"]
    lead.send('{"type": "records", "start": 0, "records": [{"iteration": 1}]}')
    error = receive_until(lead, "error")
    assert error["code"] == "malformed" and "lacks" in error["message"]
    lead.send("{not json")
    error = receive_until(lead, "error")
    assert error["code"] == "malformed" and "not JSON" in error["message"]
    late = connect(room_server, name, "follower")
    receive(late)
    snapshot = receive(late)
    assert snapshot["records"] == [] and snapshot["position"] is None
    for ws in (lead, follower, late):
        ws.close()


def test_keys(room_server):
    name, lead, key = open_room(room_server)
    thief = connect(room_server, name, "instructor")
    error = receive(thief)
    assert error["type"] == "error" and error["code"] == "room_taken"
    assert "already open on another page" in error["message"]
    wrong = connect(room_server, name, "instructor", "wrongkey")
    error = receive(wrong)
    assert error["code"] == "wrong_key" and "wrong key" in error["message"]
    lead.send(protocol.encode({"type": "position", "iteration": 0, "phase": 0}))
    lead.close()
    # the instructor reloads the page: the key gets the room back, with its state
    again = connect(room_server, name, "instructor", key)
    assert receive(again)["key"] == key
    assert receive(again)["position"]["iteration"] == 0
    again.close()


def test_no_such_room_and_instructor_gone(room_server):
    missing = connect(room_server, new_room(), "follower")
    error = receive(missing)
    assert error["type"] == "error" and error["retry"] is True and error["code"] == "no_room"
    assert "there is no room" in error["message"]
    name, lead, _key = open_room(room_server)
    follower = connect(room_server, name, "follower")
    receive(follower), receive(follower)
    assert receive_until(follower, "presence")["instructor"] is True
    lead.close()
    assert receive_until(follower, "presence") == {"type": "presence", "instructor": False,
                                                   "followers": 1}
    follower.close()


def test_answers_are_counted_for_the_instructor(room_server):
    name, lead, _key = open_room(room_server)
    lead.send(protocol.encode({"type": "state", "state": {"question": "q1", "state": "open"}}))
    followers = [connect(room_server, name, "follower") for _ in range(3)]
    for ws, choice in zip(followers, ("a", "b", "a"), strict=True):
        receive(ws), receive(ws)
        ws.send(protocol.encode({"type": "answer", "question": "q1", "choice": choice}))
    counts = None
    for _ in range(30):
        message = receive(lead)
        if message["type"] == "counts":
            counts = message["counts"]
            if sum(counts.values()) == 3:
                break
    assert counts == {"a": 2, "b": 1}
    followers[1].send(protocol.encode({"type": "answer", "question": "q1", "choice": "a"}))
    assert receive_until(lead, "counts")["counts"] == {"a": 3}  # one answer per follower
    for ws in (lead, *followers):
        ws.close()


def test_oversized_message_closes_only_that_socket(room_server):
    name, lead, _key = open_room(room_server)
    follower = connect(room_server, name, "follower")
    receive(follower), receive(follower)
    with pytest.raises((websocket.WebSocketException, OSError)):  # tornado closes it
        follower.send("x" * (protocol.MAX_MESSAGE_BYTES + 10))
        for _ in range(5):
            follower.recv()
    lead.send(protocol.encode({"type": "position", "iteration": 0, "phase": 0}))
    other = connect(room_server, name, "follower")
    receive(other)
    assert receive(other)["position"] == {"iteration": 0, "phase": 0, "sent": None}
    lead.close(), other.close()


def test_the_kernels_client_follows_and_reports_problems(room_server):
    name, lead, _key = open_room(room_server)
    got: list[dict] = []
    problems: list[str] = []
    arrived = threading.Event()

    def on_message(message):
        got.append(message)
        if message["type"] == "position":
            arrived.set()

    client = RoomClient(room_server, name, "follower", on_message=on_message,
                        on_problem=problems.append).start()
    assert client.connected.wait(10)
    lead.send(protocol.encode({"type": "position", "iteration": 1, "phase": 0}))
    assert arrived.wait(10)
    assert [m["type"] for m in got][:2] == ["welcome", "snapshot"]
    with pytest.raises(protocol.RoomMessageError, match="not expected"):
        client.send({"type": "position", "iteration": 1, "phase": 0})  # checked before sending
    lead.close()
    deadline = time.monotonic() + 10
    while not any(m["type"] == "presence" and not m["instructor"] for m in got):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    client.close()
    nowhere = RoomClient("http://127.0.0.1:9", name, "follower", on_message=got.append,
                         on_problem=problems.append).start()
    deadline = time.monotonic() + 10
    while not any(p.code == "unreachable" for p in problems):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    nowhere.close()
    assert all("\n" not in p.detail for p in problems)
    json.dumps(got)  # plain JSON values only


def test_a_follower_that_reconnects_is_counted_once(room_server):
    """A page's session id: its answer replaces its earlier one whichever connection it comes
    on, and a new connection replaces the old one in the presence count."""
    name, lead, _key = open_room(room_server)
    session, other = uuid.uuid4().hex, uuid.uuid4().hex
    first = connect(room_server, name, "follower", session=session)
    receive(first), receive(first)
    first.send(protocol.encode({"type": "answer", "question": "q1", "choice": "a"}))
    assert receive_until(lead, "counts")["counts"] == {"a": 1}
    first.close()  # the connection drops; the page reconnects with the same session
    again = connect(room_server, name, "follower", session=session)
    receive(again), receive(again)
    again.send(protocol.encode({"type": "answer", "question": "q1", "choice": "b"}))
    assert receive_until(lead, "counts")["counts"] == {"b": 1}
    again.send(protocol.encode({"type": "answer", "question": "q1", "choice": "b"}))  # resent
    assert receive_until(lead, "counts")["counts"] == {"b": 1}
    # the same page connects while the server still holds its old connection: replaced
    third = connect(room_server, name, "follower", session=session)
    receive(third), receive(third)
    presence = receive_until(third, "presence")
    assert presence["followers"] == 1
    with pytest.raises((websocket.WebSocketException, OSError)):  # the old one is closed
        for _ in range(5):
            again.recv()
    # another page counts apart
    second_page = connect(room_server, name, "follower", session=other)
    receive(second_page), receive(second_page)
    second_page.send(protocol.encode({"type": "answer", "question": "q1", "choice": "a"}))
    assert receive_until(lead, "counts")["counts"] == {"a": 1, "b": 1}
    assert receive_until(second_page, "presence")["followers"] == 2
    bad = connect(room_server, name, "follower")
    bad.close()
    with pytest.raises(protocol.RoomMessageError):
        socket_url(room_server, name, "follower", session="no spaces here")
    for ws in (lead, third, second_page):
        ws.close()
