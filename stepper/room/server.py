"""The room's server side: a websocket at ``<base_url>/stepper/room/<name>`` in the Jupyter
server that serves the lesson pages (added by the :mod:`stepper.server` extension).

Each lesson page's kernel connects once (``stepper.room.client``):

* ``?role=instructor`` (with ``&key=…`` or not): without a key, a room that does not exist yet is
  created and its new key sent back; with a key, the room is created with it or taken back (an
  instructor who reloads the page). A key that does not match is refused: only the page holding
  the key publishes.
* ``?role=follower`` (with ``&session=…``, an id the page's kernel draws once): gets the room so
  far (``snapshot``), then every message the instructor publishes; may send answers to
  questions, whose counts go to the instructor. A page is one follower however often it
  reconnects: its latest answer per question counts once, and a new connection with the same
  session replaces the old one (which may not have noticed yet that it is gone).

Rooms live in the server's memory; one idle (nobody connected, nothing published) for
:data:`ROOM_IDLE_SECONDS` is dropped. Every received message is checked
(:func:`stepper.room.protocol.parse`): a bad one gets an ``error`` back (a code the page says in
its language, and an English line) and changes nothing.

The socket needs no Jupyter token: the kernels of attendees' own machines (Docker) connect to
the instructor's server, which they have no token for. Following is read-only; publishing needs
the room's key.
"""

from __future__ import annotations

import contextlib
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from tornado import ioloop, websocket

from stepper.room import protocol

ROOM_IDLE_SECONDS = 6 * 3600
MAX_ROOMS = 200
MAX_FOLLOWERS = 500
MAX_RECORDS = 20_000
MAX_RESULTS = 100
PATH = r"/stepper/room/([^/]+)"


@dataclass
class Room:
    """What the server keeps of one room."""

    name: str
    key: str
    settings: dict[str, Any] = field(default_factory=dict)
    records: list[dict[str, Any]] = field(default_factory=list)
    position: dict[str, Any] | None = None
    states: dict[str, dict[str, Any]] = field(default_factory=dict)
    results: dict[str, dict[str, Any]] = field(default_factory=dict)  # heavy parts' results
    answers: dict[str, dict[str, str]] = field(default_factory=dict)  # question → page → choice
    instructor: RoomSocket | None = None
    followers: dict[str, RoomSocket] = field(default_factory=dict)  # page session → socket
    last_active: float = field(default_factory=time.monotonic)

    def snapshot(self) -> dict[str, Any]:
        return {"type": "snapshot", "settings": self.settings, "records": self.records,
                "position": self.position, "states": self.states, "results": self.results,
                "instructor": self.instructor is not None}

    def counts(self, question: str) -> dict[str, int]:
        out: dict[str, int] = {}
        for choice in self.answers.get(question, {}).values():
            out[choice] = out.get(choice, 0) + 1
        return out

    def apply(self, message: dict[str, Any]) -> None:
        """Keep what an instructor's message changes."""
        kind = message["type"]
        if kind == "settings":
            self.settings = message["settings"]
        elif kind == "records":
            start = min(message["start"], len(self.records))
            if start + len(message["records"]) > MAX_RECORDS:
                raise protocol.RoomMessageError(f"a room keeps at most {MAX_RECORDS} records",
                                                "too_many_records")
            self.records[start:] = message["records"]
        elif kind == "position":
            self.position = {"iteration": message["iteration"], "phase": message["phase"],
                             "sent": message.get("sent")}
        elif kind == "state":
            self.states[message["state"]["question"]] = message["state"]
        elif kind == "result":
            if message["name"] not in self.results and len(self.results) >= MAX_RESULTS:
                raise protocol.RoomMessageError(f"a room keeps at most {MAX_RESULTS} results",
                                                "too_many_results")
            self.results[message["name"]] = message["result"]
        self.last_active = time.monotonic()


class Rooms:
    """All the rooms of one server."""

    def __init__(self, idle_seconds: float = ROOM_IDLE_SECONDS) -> None:
        self.rooms: dict[str, Room] = {}
        self.idle_seconds = idle_seconds

    def expire(self) -> list[str]:
        """Drop the rooms nobody has used for ``idle_seconds``; return their names."""
        now = time.monotonic()
        gone = [name for name, room in self.rooms.items()
                if room.instructor is None and not room.followers
                and now - room.last_active > self.idle_seconds]
        for name in gone:
            del self.rooms[name]
        return gone


class RoomSocket(websocket.WebSocketHandler):
    """One page's connection to one room."""

    def initialize(self, rooms: Rooms) -> None:
        self.rooms = rooms
        self.room: Room | None = None
        self.role = "follower"
        self.session = ""

    @property
    def max_message_size(self) -> int:  # tornado closes the socket beyond this
        return protocol.MAX_MESSAGE_BYTES

    def check_origin(self, origin: str) -> bool:
        return True  # kernels connect, from this machine or an attendee's (see the module)

    def _refuse(self, code: str, detail: str, retry: bool = False) -> None:
        self.send(protocol.error_message(code, detail, retry))
        self.close(4000 if retry else 4001, code)

    def send(self, message: dict[str, Any]) -> None:
        with contextlib.suppress(websocket.WebSocketClosedError):
            self.write_message(protocol.encode(message))

    def open(self, name: str) -> None:
        try:
            protocol.check_name(name)
            role = self.get_argument("role", "follower")
            key = self.get_argument("key", None)
            if key:
                protocol.check_key(key)
            session = self.get_argument("session", None)
            if session:
                protocol.check_session(session)
        except protocol.RoomMessageError as exc:
            self._refuse(exc.code, str(exc))
            return
        if role == "instructor":
            self._open_instructor(name, key)
        elif role == "follower":
            self._open_follower(name, session or f"socket-{id(self)}")
        else:
            self._refuse("bad_role", f"role {role[:20]!r} is not instructor or follower")

    def _open_instructor(self, name: str, key: str | None) -> None:
        room = self.rooms.rooms.get(name)
        if room is None:
            if len(self.rooms.rooms) >= MAX_ROOMS and not self.rooms.expire():
                self._refuse("too_many_rooms", f"this server already has {MAX_ROOMS} rooms")
                return
            room = Room(name, key or secrets.token_urlsafe(6).replace("-", "x").replace("_", "y"))
            self.rooms.rooms[name] = room
        elif key is None:
            self._refuse("room_taken", f"the room {name!r} is already open on another page; its "
                         "key is shown there (add &key=… to this page's address to take it over)")
            return
        elif not secrets.compare_digest(key, room.key):
            self._refuse("wrong_key", f"wrong key for the room {name!r}: only the page holding "
                         "its key publishes")
            return
        previous = room.instructor
        self.room, self.role = room, "instructor"
        room.instructor = self
        room.last_active = time.monotonic()
        if previous is not None:
            previous.room = None
            previous._refuse("taken_over", "another page took this room over with its key")
        self.send({"type": "welcome", "role": "instructor", "room": name, "key": room.key})
        self.send(room.snapshot())
        for question in room.answers:
            self.send({"type": "counts", "question": question, "counts": room.counts(question)})
        self._presence()

    def _open_follower(self, name: str, session: str) -> None:
        room = self.rooms.rooms.get(name)
        if room is None:
            self._refuse("no_room", f"there is no room {name!r} on this server (yet): the "
                         f"instructor's page opens it with ?room={name}", retry=True)
            return
        previous = room.followers.get(session)
        if previous is None and len(room.followers) >= MAX_FOLLOWERS:
            self._refuse("full", f"the room {name!r} is full ({MAX_FOLLOWERS} followers)")
            return
        self.room, self.role, self.session = room, "follower", session
        room.followers[session] = self
        if previous is not None:  # the same page again: its old connection is gone or going
            previous.room = None
            previous.close(1000, "replaced")
        self.send({"type": "welcome", "role": "follower", "room": name})
        self.send(room.snapshot())
        self._presence()

    def on_message(self, text: str | bytes) -> None:
        room = self.room
        if room is None:
            return
        allowed = (protocol.INSTRUCTOR_TYPES if self.role == "instructor"
                   else protocol.FOLLOWER_TYPES)
        try:
            message = protocol.parse(text, allowed)
            if self.role == "instructor":
                room.apply(message)
            else:
                self._answer(room, message)
        except protocol.RoomMessageError as exc:
            code = exc.code if exc.code in protocol.ERROR_CODES else "malformed"
            detail = str(exc)
            if self.role == "follower" and exc.code == "unexpected_type":
                code, detail = "not_publisher", ("only the page holding the room's key "
                                                 f"publishes; this page follows ({exc})")
            self.send(protocol.error_message(code, detail))
            return
        if self.role == "instructor":
            forwarded = protocol.encode(message)
            for session, follower in list(room.followers.items()):
                try:
                    follower.write_message(forwarded)
                except websocket.WebSocketClosedError:
                    if room.followers.get(session) is follower:
                        del room.followers[session]

    def _answer(self, room: Room, message: dict[str, Any]) -> None:
        question = message["question"]
        if question not in room.states and len(room.answers) >= 1000:
            raise protocol.RoomMessageError("too many questions in this room",
                                            "too_many_questions")
        room.answers.setdefault(question, {})[self.session] = message["choice"]
        if room.instructor is not None:
            room.instructor.send({"type": "counts", "question": question,
                                  "counts": room.counts(question)})

    def on_close(self) -> None:
        room, self.room = self.room, None
        if room is None:
            return
        room.last_active = time.monotonic()
        if room.instructor is self:
            room.instructor = None
        if room.followers.get(self.session) is self:
            del room.followers[self.session]
        self._presence(room)

    def _presence(self, room: Room | None = None) -> None:
        room = room or self.room
        if room is None:
            return
        message = {"type": "presence", "instructor": room.instructor is not None,
                   "followers": len(room.followers)}
        for socket in [room.instructor, *room.followers.values()]:
            if socket is not None:
                socket.send(message)


def handlers(base_url: str, rooms: Rooms | None = None) -> list[tuple[str, type, dict]]:
    """The tornado handlers to add to the Jupyter server, and the expiry timer."""
    from jupyter_server.utils import url_path_join

    rooms = rooms or Rooms()

    def expire() -> None:
        rooms.expire()

    timer = ioloop.PeriodicCallback(expire, 600_000)
    timer.start()
    return [(url_path_join(base_url, PATH), RoomSocket, {"rooms": rooms})]
