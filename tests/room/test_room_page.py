"""A page's part in a room, without a browser: an instructor's app and two followers' apps in
this process, connected through the room's websocket in a real Jupyter server."""

from __future__ import annotations

import html
import time
import uuid

import pytest
from room_helpers import until

from stepper.room.page import PageRoom, RoomSource, read_address


@pytest.fixture(scope="module")
def replay():
    """8 iterations of gradient descent on one machine (numpy)."""
    from stepper.algorithms import Settings
    from stepper.local import run_local
    from stepper.pages.kit.data import load_2d
    from stepper.pages.kit.local_replay import replay_from_local
    from stepper.problems import Problem

    data = load_2d()
    X, y = data.X, data.y
    problem = Problem("logistic")
    path = run_local(problem, Settings(algorithm="gd", lr=1.0), X, y, 8, intercept=True)
    return replay_from_local(path, problem, X, y, algorithm="gd")


def at(app) -> tuple[int, int]:
    return app.player.position.iteration, app.player.position.phase


def errors(app) -> str:
    return html.unescape(app.error.value) if app.error.layout.display != "none" else ""


def test_address():
    address = read_address("follow=lab-1&server=http://10.0.0.5:8888&lang=fr")
    assert (address.follow, address.server, address.problems) == ("lab-1", "http://10.0.0.5:8888",
                                                                  [])
    bad = read_address("room=no%20spaces&server=ftp://x")
    assert bad.name is None and len(bad.problems) == 2
    assert "room's name is not valid" in bad.problems[0] and "server address" in bad.problems[1]
    assert read_address("room=a&follow=b").name == "b"


def test_followers_replay_the_instructors_steps(room_server, replay):
    from stepper.pages.kit.app import LessonApp

    name = "p" + uuid.uuid4().hex[:8]
    lead_room = PageRoom(read_address(f"room={name}&server={room_server}"))
    lead = LessonApp.replay(replay, views=("loss",))
    lead_room.attach(lead)
    until(lambda: lead_room.key is not None, "the room's key")
    assert f"key <code>{lead_room.key}</code>" in lead_room.banner.value
    followers = []
    for _ in range(2):
        room = PageRoom(read_address(f"follow={name}&server={room_server}"))
        app = LessonApp(room.follower_source(3), views=("loss",))
        room.attach(app)
        followers.append((room, app))
    assert all(isinstance(app.source, RoomSource) for _, app in followers)
    until(lambda: all(len(app.player.history()) == 8 for _, app in followers), "the records")
    for _ in range(3):
        lead.player.step()
        until(lambda: all(at(app) == at(lead) for _, app in followers), "the followers")
    (one, one_app), (two, two_app) = followers
    one_app.player.back()
    assert not one.live and "press ● Live" in one.banner.value
    lead.player.step()
    until(lambda: at(two_app) == at(lead), "the live follower")
    assert at(one_app) != at(lead) and two.live
    one.go_live()
    assert at(one_app) == at(lead) and one.live
    assert 'data-live="1"' in one.banner.value and "data-sent=" in one.banner.value
    # questions: the instructor opens one, followers answer, the instructor sees the counts
    seen = []
    two.on_state.append(seen.append)
    assert lead_room.publish_state({"question": "q1", "state": "open"})
    until(lambda: seen == [{"question": "q1", "state": "open"}], "the question's state")
    one.answer("q1", "a"), two.answer("q1", "b")
    until(lambda: lead_room.counts.get("q1") == {"a": 1, "b": 1}, "the counts")
    # the instructor's page closes: one line on the followers' pages, which keep working
    lead_room.client.close()
    until(lambda: "instructor's page has closed" in errors(one_app), "the closed line")
    one_app.player.first()
    assert at(one_app) == (0, 0)
    for room, _ in followers:
        room.client.close()


def test_a_follower_without_a_room(room_server):
    from stepper.pages.kit.app import LessonApp

    room = PageRoom(read_address(f"follow=nobody{uuid.uuid4().hex[:6]}&server={room_server}"))
    app = LessonApp(room.follower_source(3), views=("loss",))
    room.attach(app)
    until(lambda: "there is no room" in errors(app), "the missing room's line")
    assert errors(app).count("Room:") == 1
    assert app.player.step() == "end"  # nothing to compute: no Spark
    room.client.close()
    nowhere = PageRoom(read_address("follow=x"))
    nowhere.server = None
    app = LessonApp(nowhere.follower_source(3), views=("loss",))
    nowhere.attach(app)
    assert "no room server is known" in errors(app)


def test_a_followers_live_app_never_builds_its_stepper(room_server, replay, monkeypatch):
    """``LessonApp.live`` on a ``?follow=`` page: the factory (Spark) is never called, even
    when Step is pressed; the page replays the instructor's records instead."""
    import stepper.room.page as page
    from stepper.pages.kit.app import LessonApp

    name = "s" + uuid.uuid4().hex[:8]
    lead_room = PageRoom(read_address(f"room={name}&server={room_server}"))
    lead = LessonApp.replay(replay, views=("loss",))
    lead_room.attach(lead)
    until(lambda: lead_room.key is not None, "the room's key")
    built = []
    monkeypatch.setattr(page, "_claimed", False)  # one room per kernel: this test's turn
    monkeypatch.setenv("QUERY_STRING", f"follow={name}&server={room_server}")
    app = LessonApp.live(lambda: built.append("Spark") or 1 / 0, features=3, views=("loss",))
    assert app.room is not None and app.room.follows
    until(lambda: len(app.player.history()) == 8, "the records")
    lead.player.step()
    until(lambda: at(app) == at(lead), "the instructor's step")
    app.start()
    for _ in range(12):
        app.player.step()
    app.wait()
    assert built == [] and errors(app) == ""
    assert LessonApp.live(lambda: 1, features=3, autostart=False).room is None  # claimed once
    app.room.client.close()
    lead_room.client.close()


def test_lesson2s_questions_in_a_room(room_server, monkeypatch):
    """Lesson 2's page as the instructor's and as three attendees': the attendees answer, the
    instructor's question shows how many chose what, its reveal reveals on every page, and an
    attendee arriving after the reveal sees it revealed."""
    import stepper.room.page as page
    from stepper.pages.lesson2 import Lesson2Page

    name = "q" + uuid.uuid4().hex[:8]

    def open_page(query: str) -> Lesson2Page:
        monkeypatch.setattr(page, "_claimed", False)  # one room per kernel: this page's turn
        monkeypatch.setenv("QUERY_STRING", f"{query}&server={room_server}")
        lesson = Lesson2Page()
        assert lesson.app.room is not None
        return lesson

    def connected(lesson: Lesson2Page) -> bool:
        client = lesson.app.room.client
        return client is not None and client.connected.is_set()

    lead = open_page(f"room={name}")
    until(lambda: lead.app.room.key is not None, "the room's key")
    asked = lead.question_slow()
    lead_question = lead.questions["slow"]
    assert lead_question.commit_button.layout.display == "none" and lead_question.input.disabled
    assert "Reveal for everyone" in [getattr(w, "description", "") for w in asked.children]
    one, two = open_page(f"follow={name}"), open_page(f"follow={name}")
    for follower in (one, two):
        follower.question_slow()
        until(lambda f=follower: connected(f), "the follower's connection")
        until(lambda f=follower: f.app.room.states.get("lesson2.slow", {}).get("state") == "open",
              "the open question")
    one.questions["slow"].input.value = "none"
    one.questions["slow"].commit_from_input()
    two.questions["slow"].input.value = "one"
    two.questions["slow"].commit_from_input()
    until(lambda: lead_question.state.counts == {"none": 1, "one": 1}, "the counts")
    counts = html.unescape(lead_question.counts_line.value)
    labels = lead_question.labels
    assert f"1 chose {labels['none']}, 1 chose {labels['one']}" in counts
    assert [f.questions["slow"].state.status for f in (one, two)] == ["answered", "answered"]
    assert "Waiting for the instructor" in html.unescape(one.questions["slow"].message.value)
    assert lead_question.state.status == "open"
    # the instructor reveals: every follower's question is revealed, with its own verdict
    reveal = next(w for w in asked.children if getattr(w, "description", "") ==
                  "Reveal for everyone")
    reveal.click()
    assert lead_question.state.status == "revealed" and reveal.disabled
    until(lambda: all(f.questions["slow"].state.status == "revealed" for f in (one, two)),
          "the followers' reveal")
    assert 'data-verdict="wrong"' in one.questions["slow"].result.value
    assert 'data-verdict="right"' in two.questions["slow"].result.value
    # a follower arriving after the reveal: the question is revealed at once (the snapshot)
    late = open_page(f"follow={name}")
    late.question_slow()
    until(lambda: late.questions["slow"].state.status == "revealed", "the late reveal")
    assert 'data-verdict="none"' in late.questions["slow"].result.value
    assert all(errors(lesson.app) == "" for lesson in (lead, one, two, late))
    for lesson in (one, two, late, lead):
        lesson.app.room.client.close()


def test_lesson1s_explorer_and_questions_in_a_room(room_server, monkeypatch):
    """Lesson 1's page as the instructor's and as two attendees': the attendees' explorers run
    nothing (no run, no optimum: the records replay), follow each Step and each setting change
    (the run rebuilt from the published settings and records is the instructor's), explore and
    catch up; a late attendee gets the current run; a question revealed for everyone; a
    malformed setting, a wrong key or a missing room is one line and the page keeps working."""
    import numpy as np

    import stepper.room.page as page
    from stepper.pages.lesson1 import Lesson1Page
    from stepper.pages.lesson1_explorer import Explorer

    name = "l" + uuid.uuid4().hex[:8]

    def open_page(query: str) -> tuple[Lesson1Page, Explorer]:
        monkeypatch.setattr(page, "_claimed", False)  # one room per kernel: this page's turn
        monkeypatch.setenv("QUERY_STRING", f"{query}&server={room_server}")
        lesson = Lesson1Page()
        assert lesson.room is not None
        if lesson.room.follows:  # a follower computes no run and no optimum
            def refused(*_args, **_kwargs):
                raise AssertionError("a follower's explorer ran the local engine")
            lesson.lab.run = refused
            lesson.lab.optimum = refused
        return lesson, Explorer(lesson.lab, lesson.state, lesson.room)

    def same_run(follower: Explorer, lead: Explorer) -> bool:
        """The follower shows a whole run (every record of the settings it follows) at the
        instructor's position."""
        if follower.followed is None or follower.current.path.weights.shape != \
                lead.current.path.weights.shape:
            return False
        return at(follower.app) == at(lead.app)

    def check_run(follower: Explorer, lead: Explorer) -> None:
        mine, theirs = follower.current, lead.current
        assert (mine.algorithm, mine.regularization, mine.kind) == (theirs.algorithm,
                                                                    theirs.regularization,
                                                                    theirs.kind)
        np.testing.assert_allclose(mine.path.weights, theirs.path.weights, rtol=1e-12)
        np.testing.assert_allclose(mine.gap, theirs.gap, rtol=1e-12)
        assert follower.algorithm.value == lead.algorithm.value and follower.algorithm.disabled
        assert follower.verdict.value == lead.verdict.value

    def shows_the_run(follower: Explorer, lead: Explorer) -> bool:
        """:func:`same_run` and :func:`check_run` both hold (a follower learns the settings
        before the records that follow them: until those arrive it shows the previous run)."""
        if not same_run(follower, lead):
            return False
        try:
            check_run(follower, lead)
        except AssertionError:
            return False
        return True

    lead_page, lead = open_page(f"room={name}")
    until(lambda: lead_page.room.key is not None, "the room's key")
    lead_page.question_condition()
    question = lead_page.questions["condition"]
    assert question.commit_button.layout.display == "none"
    (one_page, one), (two_page, two) = open_page(f"follow={name}"), open_page(f"follow={name}")
    for follower in (one, two):
        until(lambda f=follower: shows_the_run(f, lead), "the instructor's run")
    for _ in range(3):
        lead.app.player.step()
        until(lambda: all(at(f.app) == at(lead.app) for f in (one, two)), "the followers")
    assert at(lead.app) == (3, 0)
    # a heavy part's result, computed on the instructor's page, reaches the followers
    arrived: list[tuple[str, dict]] = []
    one_page.room.on_result.append(lambda name, result: arrived.append((name, result)))
    sweep = {"partitions": [1, 2, 4], "seconds": [0.5, 0.25, 0.375]}
    assert lead_page.room.publish_result("sweep", sweep)
    until(lambda: arrived == [("sweep", sweep)], "the result")
    until(lambda: two_page.room.results == {"sweep": sweep}, "the other follower's result")
    assert not one_page.room.publish_result("sweep", {})  # a follower publishes nothing
    # a follower's views (the readout with them) are drawn on its drawing thread, after it moves
    until(lambda: "Iteration 3 of 200" in html.unescape(one.readout.value), "the readout")
    # a setting change on the instructor's page: a new run, rebuilt on every follower
    lead.algorithm.value = "momentum"
    lead.multiple.value = 2.0
    for follower in (one, two):  # at once, before any Step
        until(lambda f=follower: (f.followed is not None and f.followed["multiple"] == 2.0
                                  and f.followed["algorithm"] == "momentum"
                                  and shows_the_run(f, lead)), "the new run")
    assert at(one.app) == (0, 0)
    lead.app.player.step()
    until(lambda: all(at(f.app) == at(lead.app) == (1, 0) for f in (one, two)), "the step")
    # explore, and catch up
    one.app.player.back()
    assert not one_page.room.live
    lead.app.player.step()
    until(lambda: at(two.app) == at(lead.app), "the live follower")
    assert at(one.app) == (0, 0)
    one_page.room.go_live()
    assert at(one.app) == at(lead.app) == (2, 0)
    lead.regularization.value = "ridge"
    lead.seed.value = 3
    # a late follower gets the current run and position
    late_page, late = open_page(f"follow={name}")
    until(lambda: (late.followed is not None and late.followed["penalty"] == "ridge"
                   and late.seed.value == 3 and shows_the_run(late, lead)), "the late run")
    until(lambda: late_page.room.results == {"sweep": sweep}, "the result in the snapshot")
    # the question: counts on the instructor's page, revealed for everyone
    for lesson in (one_page, two_page, late_page):
        lesson.question_condition()
    until(lambda: one_page.room.states.get("lesson1.condition", {}).get("state") == "open",
          "the open question")
    choices = list(question.labels)
    one_page.questions["condition"].input.value = choices[0]
    one_page.questions["condition"].commit_from_input()
    two_page.questions["condition"].input.value = choices[1]
    two_page.questions["condition"].commit_from_input()
    until(lambda: question.state.counts == {choices[0]: 1, choices[1]: 1}, "the counts")
    assert one_page.questions["condition"].state.status == "answered"
    question.reveal()
    until(lambda: all(p.questions["condition"].state.status == "revealed"
                      for p in (one_page, two_page, late_page)), "the reveal")
    assert all(errors(e.app) == "" for e in (lead, one, two, late))
    # a malformed setting (from a page holding the key): one line, the run shown stays
    from stepper.room.client import RoomClient

    before, shown = one.app, at(one.app)
    rogue = RoomClient(room_server, name, "instructor", lead_page.room.key,
                       on_message=lambda _m: None, on_problem=lambda _line: None).start()
    until(rogue.connected.is_set, "the second instructor's connection")
    assert rogue.send({"type": "settings", "settings": {"algorithm": "nope", "penalty": "none"}})
    until(lambda: "settings could not be read" in errors(one.app), "the bad settings' line")
    line = errors(one.app)
    assert "unknown algorithm 'nope'" in line and line.count("Room:") == 1
    assert one.app is before and at(one.app) == shown and one.followed["penalty"] == "ridge"
    assert one.app.player.step() == "moved"
    rogue.close()
    # a wrong key: one line on that page, which keeps its own run
    monkeypatch.setattr(page, "_claimed", False)
    monkeypatch.setenv("QUERY_STRING", f"room={name}&key=wrong-key&server={room_server}")
    thief_page = Lesson1Page()
    thief = Explorer(thief_page.lab, thief_page.state, thief_page.room)
    until(lambda: "wrong key" in errors(thief.app), "the wrong key's line")
    assert errors(thief.app).count("Room:") == 1
    thief.app.player.step()
    assert at(thief.app) == (1, 0)
    # a room that does not exist: one line; the explorer shows nothing to step, runs nothing
    nobody_page, nobody = open_page(f"follow=nobody{uuid.uuid4().hex[:6]}")
    until(lambda: "there is no room" in errors(nobody.app), "the missing room's line")
    assert errors(nobody.app).count("Room:") == 1 and nobody.followed is None
    assert nobody.app.player.step() == "end"
    for lesson in (nobody_page, thief_page, one_page, two_page, late_page, lead_page):
        lesson.room.client.close()


# -- errors in the page's language ----------------------------------------------------------------
LINES = {  # a phrase of each line, per language (from the catalogues)
    "en": {"no_room": "there is no room", "room_taken": "already open on another page",
           "wrong_key": "wrong key for the room", "malformed": "malformed message from the room",
           "closed": "the instructor's page has closed", "bad_name": "name is not valid"},
    "fr": {"no_room": "pas (encore) de salle", "room_taken": "déjà ouverte sur une autre page",
           "wrong_key": "mauvaise clé pour la salle", "malformed": "message mal formé de la salle",
           "closed": "la page de l'enseignant s'est fermée", "bad_name": "nom de la salle n'est"},
}


@pytest.fixture
def language(request):
    from stepper.pages import i18n

    i18n.use_language(request.param)
    yield request.param
    i18n.use_language("en")


@pytest.fixture(scope="module")
def garbling_server():
    """A websocket server that answers every room connection with a malformed message, then a
    good welcome (a room server from another version, or a corrupted line)."""
    import asyncio
    import threading

    from room_helpers import free_port
    from tornado import httpserver, web
    from tornado import websocket as tornado_websocket

    from stepper.room import protocol

    class Garbling(tornado_websocket.WebSocketHandler):
        def open(self, name):
            self.write_message('{"type": "records", "start": 0, "records": [{"iteration": 1}]}')
            self.write_message(protocol.encode({"type": "welcome", "role": "follower",
                                                "room": name}))

    port = free_port()
    started = threading.Event()
    box = {}

    def run():
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        server = httpserver.HTTPServer(web.Application([(r"/stepper/room/([^/]+)", Garbling)]))
        server.listen(port, "127.0.0.1")
        box["loop"], box["server"] = loop, server
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    started.wait(10)
    yield f"http://127.0.0.1:{port}/"
    box["loop"].call_soon_threadsafe(box["server"].stop)
    box["loop"].call_soon_threadsafe(box["loop"].stop)


@pytest.mark.parametrize("language", ["en", "fr"], indirect=True)
def test_room_problems_are_one_line_in_the_pages_language(room_server, replay, language,
                                                          garbling_server):
    """No such room, a page publishing without the key (none, or a wrong one), a malformed
    message, the instructor's page closed: one line each, in the page's language; the page
    keeps working."""
    from stepper.pages.kit.app import LessonApp

    lines = LINES[language]
    english = LINES["en"]

    def one_line(app, phrase):
        until(lambda: phrase in errors(app), repr(phrase))
        shown = errors(app)
        assert "\n" not in shown.strip() and shown.count(phrase) == 1
        if language != "en":
            assert not any(e in shown for e in english.values())

    missing = PageRoom(read_address(f"follow=none{uuid.uuid4().hex[:6]}&server={room_server}"))
    app = LessonApp(missing.follower_source(3), views=("loss",))
    missing.attach(app)
    one_line(app, lines["no_room"])
    assert app.player.step() == "end"  # the page still works (nothing to compute)
    missing.client.close()

    name = "e" + uuid.uuid4().hex[:8]
    lead_room = PageRoom(read_address(f"room={name}&server={room_server}"))
    lead = LessonApp.replay(replay, views=("loss",))
    lead_room.attach(lead)
    until(lambda: lead_room.key is not None, "the room's key")
    for query, phrase in ((f"room={name}", lines["room_taken"]),
                          (f"room={name}&key=wrongkey1", lines["wrong_key"])):
        thief_room = PageRoom(read_address(f"{query}&server={room_server}"))
        thief = LessonApp.replay(replay, views=("loss",))
        thief_room.attach(thief)
        one_line(thief, phrase)
        thief.player.step()  # the page keeps working on its own run
        assert at(thief) != (0, 0)
        thief_room.client.close()

    garbled = PageRoom(read_address(f"follow=g1&server={garbling_server}"))
    garbled_app = LessonApp(garbled.follower_source(3), views=("loss",))
    garbled.attach(garbled_app)
    one_line(garbled_app, lines["malformed"])
    until(lambda: garbled.client.connected.is_set(), "the welcome after the bad message")
    garbled.client.close()

    follower_room = PageRoom(read_address(f"follow={name}&server={room_server}"))
    follower = LessonApp(follower_room.follower_source(3), views=("loss",))
    follower_room.attach(follower)
    until(lambda: len(follower.player.history()) == 8, "the records")
    lead_room.client.close()
    one_line(follower, lines["closed"])
    follower.player.first()
    follower.player.step()
    assert at(follower) != (0, 0)
    follower_room.client.close()

    bad = read_address("follow=no%20spaces")
    assert len(bad.problems) == 1 and lines["bad_name"] in bad.problems[0]


def test_answers_given_while_disconnected_are_sent_on_reconnect(room_server, replay):
    """A follower's answer while its connection is down is kept (the latest per question) and
    sent when it reconnects; the instructor counts the page once."""
    import websocket as websocket_client

    from stepper.pages.kit.app import LessonApp
    from stepper.room.client import socket_url

    name = "a" + uuid.uuid4().hex[:8]
    lead_room = PageRoom(read_address(f"room={name}&server={room_server}"))
    lead = LessonApp.replay(replay, views=("loss",))
    lead_room.attach(lead)
    until(lambda: lead_room.key is not None, "the room's key")
    room = PageRoom(read_address(f"follow={name}&server={room_server}"))
    app = LessonApp(room.follower_source(3), views=("loss",))
    room.attach(app)
    until(lambda: room.client.connected.is_set(), "the follower's connection")
    assert room.answer("q1", "a")
    until(lambda: lead_room.counts.get("q1") == {"a": 1}, "the first answer")
    # the server drops the page's connection (the same page id connects from elsewhere)
    intruder = websocket_client.create_connection(
        socket_url(room_server, name, "follower", session=room.client.session), timeout=10)
    until(lambda: not room.client.connected.is_set(), "the lost connection", seconds=10)
    assert not room.answer("q1", "b")  # not sent now: kept
    assert not room.answer("q1", "c")  # the latest answer replaces it
    assert not room.answer("q2", "x")
    intruder.close()
    until(lambda: room.client.connected.is_set(), "the reconnection")
    until(lambda: lead_room.counts.get("q1") == {"c": 1} and lead_room.counts.get("q2") == {"x": 1},
          "the kept answers")
    time.sleep(0.5)
    assert lead_room.counts["q1"] == {"c": 1}  # counted once
    assert lead_room.followers == 1
    room.client.close()
    lead_room.client.close()


def test_positions_arriving_during_a_draw_skip_to_the_newest(replay):
    """A follower draws positions on a thread of its own: the room's thread hands them over
    at once, and the ones that arrive while a draw is running are replaced by the newest."""
    import threading

    from stepper.pages.kit.app import LessonApp

    room = PageRoom(read_address("follow=x"))
    room.server = None  # no connection: the messages are handed over here, as the client would
    app = LessonApp(room.follower_source(3), views=("loss",))
    room.attach(app)
    records = [record.to_dict() for record in replay.recorded]
    room._message({"type": "snapshot", "settings": {"algorithm": "gd"}, "records": records,
                   "position": None, "states": {}, "instructor": True})
    shown: list[int] = []
    gate = threading.Event()
    gave_up: list[bool] = []

    def listener(frame):
        shown.append(frame.iteration)
        if len(shown) == 1:  # the first draw takes its time: until the gate opens
            gave_up.append(not gate.wait(60))

    app.frame_listeners.append(listener)
    room._message({"type": "position", "iteration": 1, "phase": 0, "sent": time.time()})
    until(lambda: shown == [1], "the first draw")
    for k in range(2, 7):  # handed over while the first draw still waits at its gate
        room._message({"type": "position", "iteration": k, "phase": 0, "sent": time.time()})
    gate.set()
    assert room.wait_drawn(15)
    assert gave_up == [False]  # the hand-overs did not wait for the draw (it would have timed out)
    assert shown == [1, 6] and at(app) == (6, 0)
    assert 'data-iteration="6"' in room.banner.value


def test_a_french_lesson1_follower_shows_no_english(room_server, monkeypatch):
    """A French follower of a French instructor's lesson 1: after a Step and a setting change,
    every text of the follower's explorer (room bar, controls, readout, verdict, the figures'
    titles and labels) is French."""
    import os
    import sys

    import stepper.room.page as page
    from stepper.pages import i18n
    from stepper.pages.lesson1 import Lesson1Page
    from stepper.pages.lesson1_explorer import Explorer

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(__file__)), "pages"))
    from french_detector import app_texts, english_in, widget_texts

    name = "fr" + uuid.uuid4().hex[:8]

    def open_page(query: str) -> tuple[Lesson1Page, Explorer]:
        monkeypatch.setattr(page, "_claimed", False)  # one room per kernel: this page's turn
        monkeypatch.setenv("QUERY_STRING", f"{query}&lang=fr&server={room_server}")
        lesson = Lesson1Page()
        return lesson, Explorer(lesson.lab, lesson.state, lesson.room)

    try:
        lead_page, lead = open_page(f"room={name}")
        until(lambda: lead_page.room.key is not None, "the room's key")
        follower_page, follower = open_page(f"follow={name}")
        until(lambda: follower.followed is not None and at(follower.app) == at(lead.app),
              "the instructor's run")
        lead.app.player.step()
        lead.algorithm.value = "momentum"
        until(lambda: (follower.followed or {}).get("algorithm") == "momentum"
              and at(follower.app) == at(lead.app), "the new run")
        lead.app.player.step()
        until(lambda: at(follower.app) == at(lead.app) == (1, 0), "the step")
        texts = widget_texts(follower.widget) + app_texts(follower.app)
        assert any("Salle" in text for text in texts), texts  # the room's bar is there
        assert english_in(texts) == []
    finally:
        i18n.use_language("en")
        for lesson in ("lead_page", "follower_page"):
            room = getattr(locals().get(lesson), "room", None)
            if room is not None:
                room.client.close()
