"""A lesson page's part in a room: the instructor's page publishes, an attendee's page follows.

The page's address says which (Voilà hands it to the kernel as ``$QUERY_STRING``):

* ``?room=<name>`` (the instructor): the page shows the attendees' address and the room's key,
  and publishes its run as it steps (settings, every recorded iteration, the current iteration
  and phase, the questions' states). ``&key=<key>`` takes the room back after a reload.
* ``?follow=<name>`` (an attendee), with ``&server=http://host:port`` when the page runs on the
  attendee's own machine: the page builds no Stepper (no Spark) and replays the instructor's
  records as they arrive, phase by phase. Back, the slider and the other controls explore what
  was shown; the "Live" button returns to the instructor's position. Positions are drawn on a
  thread of their own, the newest first: one that arrives while the page is still drawing an
  earlier one replaces it (the page skips steps it would show late), and the room's connection
  is never held up by drawing.

:func:`claim_room` reads the address once per kernel and gives the room to the first stepping
app that asks (:meth:`LessonApp.live <stepper.pages.kit.app.LessonApp.live>`), or to a lesson page
whose app is rebuilt on a setting change (lesson 1's explorer attaches each new app; its
followers rebuild theirs in ``on_settings``): one room per page.
Anything wrong (no such room, a wrong key, an unreachable server, a malformed message, the
instructor's page closed) is one line in the page's message box, in the page's language (the
server and the client report codes, :func:`problem_line` says them; the English details go to
the kernel's log); the page keeps working.

A follower's answers are kept (the latest per question) and sent again each time the page
(re)connects: an answer given while the connection is down is counted when it comes back.

Questions use :meth:`PageRoom.publish_state` (the instructor's page: ``{"question": id,
"state": "open" | "revealed", "counts": {…}}``), :meth:`PageRoom.answer` (a follower's page),
and the ``on_state`` / ``on_counts`` callbacks; :mod:`stepper.room.questions` binds a page's
questions to them. The bar's texts and lines come from the page's catalogue
(:mod:`stepper.pages.i18n`, keys ``room.*``).
"""

from __future__ import annotations

import html
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import ipywidgets as widgets
import numpy as np

from stepper.errors import StepperError
from stepper.pages.i18n import CATALOGUES, DEFAULT, text
from stepper.pages.kit.state_url import read_query
from stepper.pages.prose import inline_html
from stepper.room import protocol
from stepper.room.client import RoomClient, RoomProblem
from stepper.trace import IterationRecord


def room_heading() -> str:
    """The heading of the room's lines in the page's message box (``Room:``)."""
    return text("room.heading")


def problem_line(code: str, **values: Any) -> str:
    """The page's line for a room problem's ``code`` (catalogue key ``room.error.<code>``), in
    the page's language; a code this page does not know gets a generic line naming it."""
    key = f"room.error.{code}"
    if key not in CATALOGUES[DEFAULT]:
        return text("room.error.unknown", code=code)
    return text(key, **values)


@dataclass
class RoomAddress:
    """The room part of a page's address."""

    room: str | None = None
    key: str | None = None
    follow: str | None = None
    server: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def name(self) -> str | None:
        return self.follow or self.room


def read_address(query: str | None = None) -> RoomAddress:
    """``room``, ``key``, ``follow`` and ``server`` from ``query`` (default ``$QUERY_STRING``);
    a bad value is left out with a line in ``problems``."""
    def problem(key: str, value: str, exc: ValueError) -> str:
        code = exc.code if isinstance(exc, protocol.RoomMessageError) else "malformed"
        line = problem_line(code, value=repr(value.strip()[:80]))
        return text("room.setting_ignored", setting=key, problem=line)

    address = RoomAddress()
    checks: dict[str, Callable[[str], str]] = {
        "room": protocol.check_name, "follow": protocol.check_name, "key": protocol.check_key,
        "server": _check_server}
    read_query(address, checks, query, problem)
    if address.room and address.follow:
        address.problems.append(text("room.both"))
        address.room = None
    return address


def _check_server(value: str) -> str:
    parts = urlsplit(value if "://" in value else f"http://{value}")
    if parts.scheme not in ("http", "https") or not parts.netloc or len(value) > 300:
        raise protocol.RoomMessageError(f"{value[:80]!r} is not a server address such as "
                                        "http://192.168.1.10:8888", "bad_server")
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def local_server() -> str | None:
    """The Jupyter server that serves this page, as its kernel can reach it."""
    known = os.environ.get("STEPPER_ROOM_SERVER")  # set by the stepper.server extension
    if known:
        return known
    port = os.environ.get("VOILA_APP_PORT")
    if port:
        return f"http://127.0.0.1:{port}{os.environ.get('VOILA_BASE_URL', '/')}"
    return None


_claim_lock = threading.Lock()
_claimed = False


def claim_room(query: str | None = None) -> PageRoom | None:
    """The page's room, the first time a stepping app asks (``None`` after that, and when the
    address names no room)."""
    global _claimed
    with _claim_lock:
        if _claimed:
            return None
        address = read_address(query)
        if address.name is None and not address.problems:
            return None
        _claimed = True
    return PageRoom(address)


def _record(data: dict[str, Any]) -> IterationRecord:
    return IterationRecord.from_dict(data)


class RoomSource:
    """The instructor's recorded iterations as they arrive: a follower's source (nothing to
    compute, no Spark)."""

    can_compute = False

    def __init__(self, features: int | None = None) -> None:
        self.features = features
        self.algorithm: str | None = None
        self.seed: int | None = None
        self._records: list[IterationRecord] = []
        self._lock = threading.Lock()

    def history(self) -> list[IterationRecord]:
        return self._records

    def splice(self, start: int, records: list[IterationRecord]) -> bool:
        """Records ``start+1 …`` replaced by ``records``; True when earlier ones changed."""
        with self._lock:
            rewritten = start < len(self._records)
            self._records = self._records[:start] + records
        return rewritten

    def compute(self) -> IterationRecord:
        raise StepperError("this page follows the instructor's run: it computes nothing itself")

    def truncate(self, iteration: int) -> None:
        return None

    def reset(self, seed: int | None = None) -> None:
        return None

    def initial_weights(self) -> Any:
        if self._records:
            return self._records[0].weights_before
        return None if self.features is None else np.zeros(self.features)


def run_settings(source: Any) -> dict[str, Any]:
    """What followers are told of the instructor's run (plain JSON values)."""
    out: dict[str, Any] = {"algorithm": getattr(source, "algorithm", None),
                           "seed": getattr(source, "seed", None)}
    if getattr(source, "ready", False):
        stepper = source.stepper
        out.update(lr=str(stepper.settings.step_rule), depth=stepper.settings.depth,
                   partitions=stepper.data.partitions)
    return out


class PageRoom:
    """One page's room (see the module docstring); :meth:`attach` binds it to a lesson app."""

    def __init__(self, address: RoomAddress) -> None:
        self.address = address
        self.name = address.name
        self.follows = address.follow is not None
        self.key = address.key
        self.server = address.server or local_server()
        self.app: Any = None
        self.client: RoomClient | None = None
        self.live = True
        self.instructor_present: bool | None = None
        self.followers = 0
        self.instructor_position: tuple[int, int] | None = None
        self.sent: float | None = None
        self.received: float | None = None  # this kernel's clock when the position arrived
        self.drawn: float | None = None  # … and when the page had drawn it (before the bar)
        self.states: dict[str, dict[str, Any]] = {}
        self.settings: dict[str, Any] = {}
        self.counts: dict[str, dict[str, int]] = {}
        self.answers: dict[str, str] = {}  # a follower's latest answer per question
        self.on_state: list[Callable[[dict[str, Any]], None]] = []
        self.results: dict[str, dict[str, Any]] = {}
        """What the heavy parts of the page computed, by name: published by the instructor's
        page, received by a follower's (snapshot included)."""
        self.on_result: list[Callable[[str, dict[str, Any]], None]] = []
        """A follower's page: called with each result as it arrives (``name``, ``result``)."""
        self.on_counts: list[Callable[[str, dict[str, int]], None]] = []
        self.on_settings: list[Callable[[dict[str, Any]], None]] = []
        """A follower's page: called with the instructor's settings as they arrive, before the
        records that follow them (a page that rebuilds its app on a setting change rebuilds it
        here and attaches the new one)."""
        self.describe: Callable[[], dict[str, Any]] | None = None
        """The instructor's page: more of the run's settings to publish (plain JSON values)."""
        self._published: list[IterationRecord] | None = None
        self._published_settings: dict[str, Any] | None = None
        self._publish_lock = threading.Lock()
        self._local = threading.local()  # .applying: this thread moves the page to live
        self._target: tuple[int, int, float | None, float] | None = None  # newest position
        self._target_lock = threading.Lock()
        self._wanted = threading.Event()  # a position to draw
        self._drawn = threading.Event()  # nothing left to draw
        self._drawn.set()
        self._drawer: threading.Thread | None = None
        self.banner = widgets.HTML("")
        self.banner.add_class("stepper-room")
        self.live_button = widgets.Button(description=text("room.live"), button_style="danger",
                                          tooltip=text("room.live_tooltip"),
                                          layout=widgets.Layout(width="auto"))
        self.live_button.add_class("stepper-room-live")
        self.live_button.on_click(self._guarded(lambda _b: self.go_live()))
        parts = [self.banner] + ([self.live_button] if self.follows else [])
        self.widget = widgets.HBox(parts, layout=widgets.Layout(align_items="center",
                                                                flex_flow="row wrap"))
        self.widget.add_class("stepper-room-bar")

    # -- binding to a lesson app ---------------------------------------------------------------
    def follower_source(self, features: int | None = None) -> RoomSource:
        return RoomSource(features)

    def attach(self, app: Any) -> None:
        """Put the room's bar on ``app``'s page and connect (publishing or following).

        Attaching again (a page that rebuilds its app when a setting changes) moves the bar and
        the connection to the new app; the instructor's page publishes the new run."""
        again = self.app is not None
        self.app = app
        app.room = self
        app.widget.children = (app.widget.children[0], self.widget, *app.widget.children[1:])
        for problem in self.address.problems:
            self._problem(problem)
        if again:
            if self.client is not None:
                self._follow_player(app)
                if not self.follows:
                    self._publish()
            self._show_banner()
            return
        if self.name is None:
            return
        if self.server is None:
            self._problem(text("room.no_server"))
            return
        self._follow_player(app)
        role = "follower" if self.follows else "instructor"
        try:
            self.client = RoomClient(self.server, self.name, role, self.key,
                                     on_message=self._message, on_problem=self._report,
                                     on_connected=self._connected)
        except protocol.RoomMessageError as exc:
            self._report(RoomProblem(exc.code, str(exc), {"value": repr(self.server)}))
            return
        self._show_banner()
        self.client.start()

    def _follow_player(self, app: Any) -> None:
        previous = app.player.on_change

        def changed(position: Any) -> None:
            if app is not self.app:  # an app the page has replaced
                return
            self._changed(position)  # publish first: the followers draw while this page does
            if previous is not None:
                previous(position)

        app.player.on_change = changed

    def _guarded(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any) -> Any:
            try:
                return fn(*args)
            except Exception as exc:
                import traceback

                traceback.print_exc()
                self._problem(text("room.error.show_failed", error=type(exc).__name__))
                return None
        return run

    def _problem(self, line: str) -> None:
        if self.app is not None:
            self.app.show_error(line, heading=room_heading())

    def _report(self, problem: RoomProblem) -> None:
        """A problem's line in the page's language; its English details in the kernel's log."""
        print(f"room {self.name}: {problem.code}: {problem.detail}", file=sys.stderr)
        self._problem(problem_line(problem.code, name=self.name, server=self.server,
                                   **problem.values))

    # -- the instructor's page -------------------------------------------------------------------
    def _connected(self) -> None:
        if self.follows:
            self._send_answers()
            return
        with self._publish_lock:
            self._published = None  # the server may hold an earlier run: send ours in full
            self._published_settings = None
        if self.app is not None and self.app.player.history():
            self._publish()
        client = self.client
        if client is not None:
            for state in list(self.states.values()):  # the questions, after a reconnect
                client.send({"type": "state", "state": state})
            for name, result in list(self.results.items()):  # the heavy parts' results
                client.send({"type": "result", "name": name, "result": result})
        self._show_banner()

    def _changed(self, position: Any) -> None:
        if self.follows:
            if not getattr(self._local, "applying", False) and self.instructor_position is not None:
                live = (position.iteration, position.phase) == self.instructor_position
                if live != self.live:
                    self.live = live
                    self._show_banner()
            return
        self._publish()

    def _publish(self) -> None:
        """Send what changed since the last call: settings, records, position."""
        client = self.client
        if client is None or not client.connected.is_set():
            return
        player = self.app.player
        with self._publish_lock:
            history = list(player.history())
            ready = time.time()
            settings = run_settings(self.app.source)
            settings["phases"] = bool(player.phases)
            if self.describe is not None:
                settings.update(self.describe())
            if (settings != self._published_settings
                    and client.send({"type": "settings", "settings": settings})):
                self._published_settings = settings
            published = self._published
            start = 0
            if published is not None:
                while (start < min(len(published), len(history))
                       and published[start] is history[start]):
                    start += 1
            if published is None or start < len(history) or len(published) > len(history):
                message = {"type": "records", "start": start, "sent": ready,
                           "records": [r.to_dict() for r in history[start:]]}
                if client.send(message):
                    self._published = history
            position = player.position
            client.send({"type": "position", "iteration": position.iteration,
                         "phase": position.phase, "sent": ready})

    def publish_state(self, state: dict[str, Any]) -> bool:
        """Publish a question's state (instructor's page only); True when it went out."""
        if self.follows:
            return False
        self.states[state["question"]] = state  # sent on connecting, if not now
        if self.client is None:
            return False
        return self.client.send({"type": "state", "state": state})

    def publish_result(self, name: str, result: dict[str, Any]) -> bool:
        """Publish what a heavy part of the page computed (a sweep, a demo), a JSON object
        (instructor's page only); a newer result under the same name replaces it. It is kept
        and sent again on reconnecting; the server gives it to late followers. True when it
        went out now."""
        if self.follows:
            return False
        self.results[name] = result
        if self.client is None:
            return False
        return self.client.send({"type": "result", "name": name, "result": result})

    # -- a follower's page ----------------------------------------------------------------------
    def answer(self, question: str, choice: str) -> bool:
        """Send this follower's answer to ``question``; True when it went out. It is kept
        either way (the latest per question) and sent again on every reconnect: the server
        counts each page once, so resending changes no count."""
        if not self.follows:
            return False
        self.answers[question] = choice
        if self.client is None:
            return False
        return self.client.send({"type": "answer", "question": question, "choice": choice})

    def _send_answers(self) -> None:
        client = self.client
        if client is None:
            return
        for question, choice in list(self.answers.items()):
            client.send({"type": "answer", "question": question, "choice": choice})

    def go_live(self) -> None:
        self.live = True
        self._apply_position()

    def _message(self, message: dict[str, Any]) -> None:
        kind = message["type"]
        if kind == "welcome":
            if message.get("key"):
                self.key = message["key"]
            self._show_banner()
        elif kind == "presence":
            was = self.instructor_present
            self.instructor_present, self.followers = message["instructor"], message["followers"]
            if self.follows and was and not self.instructor_present:
                self._problem(text("room.instructor_closed"))
            self._show_banner()
        elif kind == "counts":
            self.counts[message["question"]] = message["counts"]
            for callback in self.on_counts:
                callback(message["question"], message["counts"])
            self._show_banner()
        elif self.follows:
            self._follow(message)

    def _follow(self, message: dict[str, Any]) -> None:
        kind = message["type"]
        if kind == "snapshot":
            self.instructor_present = message["instructor"]
            self._settings(message["settings"])
            self._records(0, message["records"])
            for state in message["states"].values():
                self._state(state)
            for name, result in message.get("results", {}).items():
                self._result(name, result)
            if message["position"] is not None:
                self._position(message["position"])
        elif kind == "settings":
            self._settings(message["settings"])
        elif kind == "records":
            self._records(message["start"], message["records"])
        elif kind == "position":
            self._position(message)
        elif kind == "state":
            self._state(message["state"])
        elif kind == "result":
            self._result(message["name"], message["result"])

    def _settings(self, settings: dict[str, Any]) -> None:
        for callback in self.on_settings:
            callback(settings)
        source = self.app.source
        algorithm = settings.get("algorithm")
        source.algorithm = algorithm if isinstance(algorithm, str) else None
        seed = settings.get("seed")
        source.seed = seed if isinstance(seed, int) else None
        if settings.get("phases") is True:  # a run on one machine has none
            self.app.controls.phases.layout.display = None
        self.settings = settings
        self._show_banner()

    def _records(self, start: int, data: list[dict[str, Any]]) -> None:
        records = [_record(d) for d in data]
        if self.app.source.splice(start, records):
            self.app.player.generation += 1  # the views redraw what they had cached
        if records:  # draw the newest iteration's phases now, before the instructor shows them
            newest = start + len(records)
            threading.Thread(target=self._guarded(lambda: self.app.prerender(newest)),
                             daemon=True, name="room-prerender").start()
        if not self.live:  # the slider's range grows; the page stays where the attendee is
            position = self.app.player.position
            self._local.applying = True
            try:
                self.app.player.seek(position.iteration, position.phase)
            finally:
                self._local.applying = False

    def _position(self, message: dict[str, Any]) -> None:
        received = time.time()
        with self._target_lock:
            self.instructor_position = (message["iteration"], message["phase"])
            self._target = (message["iteration"], message["phase"], message.get("sent"), received)
            if self.live:
                self._drawn.clear()
                self._wanted.set()
        if self._drawer is None:
            self._drawer = threading.Thread(target=self._draw_positions, daemon=True,
                                            name="room-draw")
            self._drawer.start()
        if not self.live:
            self.sent, self.received = message.get("sent"), received
            self._show_banner()

    def _draw_positions(self) -> None:
        """The drawing thread: show the newest position, skip the ones it replaced."""
        while True:
            self._wanted.wait()
            with self._target_lock:
                self._wanted.clear()
                target = self._target
            if target is not None and self.live:
                self._guarded(self._apply_position)(target)
            with self._target_lock:
                if not self._wanted.is_set():
                    self._drawn.set()

    def wait_drawn(self, timeout: float | None = None) -> bool:
        """Block until the newest position received is drawn (tests, benchmarks)."""
        return self._drawn.wait(timeout)

    def _apply_position(self, target: tuple[int, int, float | None, float] | None = None) -> None:
        """Show ``target`` (iteration, phase, the instructor's and this kernel's clocks when it
        was sent and received; default: the newest position received); the bar's stamps change
        with the page, after the views."""
        if target is None:
            with self._target_lock:
                target = self._target
        if target is not None:
            k, phase, sent, received = target
            self._local.applying = True
            try:
                self.app.player.seek(k, phase)
            finally:
                self._local.applying = False
            self.sent, self.received, self.drawn = sent, received, time.time()
        self._show_banner()

    def _result(self, name: str, result: dict[str, Any]) -> None:
        self.results[name] = result
        for callback in self.on_result:
            callback(name, result)

    def _state(self, state: dict[str, Any]) -> None:
        self.states[state["question"]] = state
        for callback in self.on_state:
            callback(state)

    # -- the bar ---------------------------------------------------------------------------------
    def attendee_address(self) -> str | None:
        """The address attendees open (this page's, with ``?follow=``)."""
        request = os.environ.get("VOILA_REQUEST_URL")
        if not request or self.name is None:
            return None
        parts = urlsplit(request)
        return urlunsplit((parts.scheme, parts.netloc, parts.path,
                           urlencode({"follow": self.name}), ""))

    def server_origin(self) -> str | None:
        """This server as the instructor's browser reached it (``http://host:port``)."""
        request = os.environ.get("VOILA_REQUEST_URL")
        if not request:
            return None
        parts = urlsplit(request)
        return urlunsplit((parts.scheme, parts.netloc, os.environ.get("VOILA_BASE_URL", ""),
                           "", "")).rstrip("/")

    def _show_banner(self) -> None:
        e = html.escape
        name = self.name or ""
        if self.follows:
            if self.instructor_position is None:
                at = text("room.follow.waiting")
            else:
                k, _phase = self.instructor_position
                at = text("room.follow.at", iteration=k)
            where = text("room.follow.live" if self.live else "room.follow.exploring")
            if self.instructor_present is False:
                where += " · " + text("room.follow.closed")
            position = self.app.player.position if self.app is not None else None
            shown = (f' data-iteration="{position.iteration}" data-phase="{position.phase}"'
                     if position is not None else "")
            stamp = f' data-sent="{self.sent:.6f}"' if self.sent is not None else ""
            if self.received is not None:
                stamp += f' data-received="{self.received:.6f}"'
            if self.drawn is not None:
                stamp += f' data-drawn="{self.drawn:.6f}"'
            self.banner.value = (
                f'<span class="stepper-room-follow" data-live="{int(self.live)}"{shown}{stamp}>'
                + inline_html(text("room.follow.bar", name=name, at=at, where=where))
                + "</span>")
            self.live_button.disabled = self.live
            return
        address = self.attendee_address()
        key = self.key or "…"
        follow = (text("room.lead.open", address=address) if address
                  else text("room.lead.add", name=name))
        origin = self.server_origin()
        own = f"`&server={origin}`" if origin else text("room.lead.server_unknown")
        host = urlsplit(address or "").hostname or ""
        if host in ("127.0.0.1", "localhost", "::1"):
            own += text("room.lead.local", host=host)
        counts = "".join(
            f" · {q}: " + ", ".join(f"{c} × {n}" for c, n in sorted(cs.items()))
            for q, cs in self.counts.items())
        self.banner.value = (
            f'<span class="stepper-room-lead" data-key="{e(key, quote=True)}">'
            + inline_html(text("room.lead.bar", name=name, follow=follow, own=own, room_key=key,
                               followers=self.followers, counts=counts))
            + "</span>")
