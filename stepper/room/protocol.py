"""The room's messages: JSON objects over one websocket per page, checked on both ends.

An instructor's page publishes its run; the server keeps the room's state and forwards each
message to the followers; a follower's page replays it. Every message is one JSON object of at
most :data:`MAX_MESSAGE_BYTES` with a ``type`` and that type's fields:

from the instructor (the page holding the room's key)
  ``settings``  ``{"settings": {…}}`` the run's settings (algorithm, step, partitions, …)
  ``records``   ``{"start": s, "records": [r, …], "sent": t}`` recorded iterations s+1, s+2, …
                (trace records, :meth:`stepper.trace.IterationRecord.to_dict`); they replace
                those from s+1 on (a reset or a settings change rewrites the run)
  ``position``  ``{"iteration": k, "phase": i, "sent": t}`` where the instructor's page is
  ``state``     ``{"state": {"question": id, "state": "open" | "revealed", "counts": {…}}}``
                a question's state (any small JSON object carrying a ``question`` id)
  ``result``    ``{"name": id, "result": {…}}`` what a heavy part of the page computed (a sweep,
                a demo): followers draw it instead of computing it; a newer one replaces it

from a follower
  ``answer``    ``{"question": id, "choice": c}`` the follower's answer (the latest counts)

from the server
  ``welcome``   ``{"role", "room", "key"}`` (the key only to the instructor)
  ``snapshot``  ``{"settings", "records", "position", "states", "results", "instructor"}`` the
                room so far
  ``counts``    ``{"question", "counts": {choice: n}}`` (to the instructor)
  ``presence``  ``{"instructor": bool, "followers": n}``
  ``error``     ``{"code", "message", "retry": bool}``: ``code`` says what went wrong (one of
                :data:`ERROR_CODES`; a page shows the line its catalogue has for it, in the
                page's language, keys ``room.error.<code>``), ``message`` says it in English with
                the details (for logs); ``retry`` when it may pass (no such room yet)

A follower's page connects with ``&session=<id>``, an id its kernel draws once per page: the
server counts a page's answers and its presence once, whether it reconnects or not.

``sent`` is the instructor's wall clock (seconds since the epoch) when the record or position
was ready: a follower page shows it next to its own time (the room benchmark's latency).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

MAX_MESSAGE_BYTES = 4_000_000
"""A record of a wide model at trace level ``full`` is a few hundred kilobytes at most."""
MAX_RECORDS_PER_MESSAGE = 10_000
MAX_TEXT = 200  # question ids, choices, error lines
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{4,64}$")
SESSION_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
CODE_PATTERN = re.compile(r"^[a-z_]{1,40}$")
ERROR_CODES = (
    "bad_name", "bad_key", "bad_session", "bad_role",  # the socket's address
    "no_room", "room_taken", "wrong_key", "taken_over", "too_many_rooms", "full",  # joining
    "not_publisher", "malformed", "too_many_questions", "too_many_records",  # a message refused
    "too_many_results",
)
"""What the server's ``error`` messages may say (each has a line in the pages' catalogues)."""
QUESTION_STATES = ("open", "revealed")

INSTRUCTOR_TYPES = frozenset({"settings", "records", "position", "state", "result"})
FOLLOWER_TYPES = frozenset({"answer"})
SERVER_TYPES = frozenset({"welcome", "snapshot", "counts", "presence", "error", *INSTRUCTOR_TYPES})
RECORD_KEYS = ("iteration", "objective", "grad_norm", "weights", "partitions", "reduce", "update",
               "timing")


class RoomMessageError(ValueError):
    """A message that does not follow the room's format: ``str()`` is one English line saying
    what is wrong, :attr:`code` what kind of wrong (one of :data:`ERROR_CODES`) for the page to
    say in its language."""

    def __init__(self, detail: str, code: str = "malformed") -> None:
        super().__init__(detail)
        self.code = code


def error_message(code: str, detail: str, retry: bool = False) -> dict[str, Any]:
    """The server's ``error`` message."""
    return {"type": "error", "code": code, "message": detail[:MAX_TEXT], "retry": retry}


def check_name(name: str) -> str:
    """A room's name: 1-40 letters, digits, ``-`` or ``_`` (it goes in addresses)."""
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise RoomMessageError(f"room name {str(name)[:50]!r} is not valid: use 1 to 40 letters, "
                               "digits, '-' or '_'", "bad_name")
    return name


def check_key(key: str) -> str:
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        raise RoomMessageError("the room key is not valid: 4 to 64 letters, digits, '-' or '_'",
                               "bad_key")
    return key


def check_session(session: str) -> str:
    """A follower page's id: 8 to 64 letters, digits, ``-`` or ``_``."""
    if not isinstance(session, str) or not SESSION_PATTERN.match(session):
        raise RoomMessageError("the page's session id is not valid: 8 to 64 letters, digits, "
                               "'-' or '_'", "bad_session")
    return session


def encode(message: dict[str, Any]) -> str:
    """The message as the text sent on the websocket."""
    return json.dumps(message, separators=(",", ":"))


def parse(text: str | bytes, allowed: frozenset[str]) -> dict[str, Any]:
    """Check one received message (size, JSON, type among ``allowed``, its fields) and return
    it; raise :class:`RoomMessageError` with one line otherwise."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise RoomMessageError("a room message must be UTF-8 text") from None
    if len(text) > MAX_MESSAGE_BYTES:
        raise RoomMessageError(f"a room message of {len(text)} bytes is over the limit of "
                               f"{MAX_MESSAGE_BYTES}")
    try:
        message = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise RoomMessageError(f"a room message is not JSON ({getattr(exc, 'msg', exc)})") from None
    if not isinstance(message, dict):
        raise RoomMessageError("a room message must be a JSON object")
    kind = message.get("type")
    if not isinstance(kind, str) or kind not in allowed:
        raise RoomMessageError(f"a room message of type {str(kind)[:40]!r} is not expected here "
                               f"(expected {', '.join(sorted(allowed))})", "unexpected_type")
    CHECKS[kind](message)
    return message


def _need(message: dict, key: str, kinds: type | tuple[type, ...], what: str) -> Any:
    value = message.get(key)
    numeric = kinds in (int, float) or kinds == (int, float)
    if not isinstance(value, kinds) or (numeric and isinstance(value, bool)):
        raise RoomMessageError(f"{message['type']} message: {key!r} must be {what}")
    return value


def _count(message: dict, key: str, minimum: int = 0) -> int:
    value = _need(message, key, int, f"an integer ≥ {minimum}")
    if value < minimum:
        raise RoomMessageError(f"{message['type']} message: {key!r} must be an integer ≥ "
                               f"{minimum}")
    return value


def _time(message: dict) -> None:
    if "sent" in message and message["sent"] is not None:
        value = _need(message, "sent", (int, float), "a time in seconds")
        if not math.isfinite(value):
            raise RoomMessageError(f"{message['type']} message: 'sent' must be finite")


def _text(message: dict, key: str) -> str:
    value = _need(message, key, str, "a text")
    if not value or len(value) > MAX_TEXT:
        raise RoomMessageError(f"{message['type']} message: {key!r} must be 1 to {MAX_TEXT} "
                               "characters")
    return value


def check_record(record: Any, where: str = "record") -> None:
    """A trace record (:meth:`stepper.trace.IterationRecord.to_dict`), checked enough that
    :meth:`~stepper.trace.IterationRecord.from_dict` and the views can read it."""
    if not isinstance(record, dict):
        raise RoomMessageError(f"{where} must be a JSON object")
    missing = [key for key in RECORD_KEYS if key not in record]
    if missing:
        raise RoomMessageError(f"{where} lacks {', '.join(missing)}")
    iteration = record["iteration"]
    if not isinstance(iteration, int) or isinstance(iteration, bool) or iteration < 1:
        raise RoomMessageError(f"{where}: 'iteration' must be an integer ≥ 1")
    for key in ("objective", "grad_norm"):
        if not isinstance(record[key], (int, float)) or isinstance(record[key], bool):
            raise RoomMessageError(f"{where}: {key!r} must be a number")
    weights = record["weights"]
    if (not isinstance(weights, list) or not weights
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in weights)):
        raise RoomMessageError(f"{where}: 'weights' must be a non-empty list of numbers")
    if not isinstance(record["partitions"], list):
        raise RoomMessageError(f"{where}: 'partitions' must be a list")
    for key in ("reduce", "update", "timing"):
        if not isinstance(record[key], dict):
            raise RoomMessageError(f"{where}: {key!r} must be an object")
    before = record["update"].get("weights_before")
    if not isinstance(before, list) or len(before) != len(weights):
        raise RoomMessageError(f"{where}: 'update.weights_before' must be a list as long as "
                               "'weights'")


def _settings(message: dict) -> None:
    _need(message, "settings", dict, "an object")


def _records(message: dict) -> None:
    start = _count(message, "start")
    records = _need(message, "records", list, "a list")
    if len(records) > MAX_RECORDS_PER_MESSAGE:
        raise RoomMessageError(f"records message: more than {MAX_RECORDS_PER_MESSAGE} records")
    for offset, record in enumerate(records):
        check_record(record, f"record {start + offset + 1}")
        if record["iteration"] != start + offset + 1:
            raise RoomMessageError(f"record {start + offset + 1} says it is iteration "
                                   f"{record['iteration']}")
    _time(message)


def _position(message: dict) -> None:
    _count(message, "iteration")
    _count(message, "phase")
    _time(message)


def _state(message: dict) -> None:
    state = _need(message, "state", dict, "an object")
    question = state.get("question")
    if not isinstance(question, str) or not question or len(question) > MAX_TEXT:
        raise RoomMessageError("state message: 'state.question' must be a question id")
    if "state" in state and state["state"] not in QUESTION_STATES:
        raise RoomMessageError(f"state message: 'state.state' must be one of "
                               f"{', '.join(QUESTION_STATES)}")


def _result(message: dict) -> None:
    _text(message, "name")
    _need(message, "result", dict, "an object")


def _answer(message: dict) -> None:
    _text(message, "question")
    _text(message, "choice")


def _welcome(message: dict) -> None:
    if message.get("role") not in ("instructor", "follower"):
        raise RoomMessageError("welcome message: 'role' must be instructor or follower")
    check_name(message.get("room", ""))
    if message.get("key") is not None:
        check_key(message["key"])


def _snapshot(message: dict) -> None:
    _need(message, "settings", dict, "an object")
    records = _need(message, "records", list, "a list")
    for offset, record in enumerate(records):
        check_record(record, f"record {offset + 1}")
    position = message.get("position")
    if position is not None:
        _position({"type": "snapshot position", **_need(message, "position", dict, "an object")})
    states = _need(message, "states", dict, "an object")
    for state in states.values():
        _state({"type": "snapshot state", "state": state})
    results = message.get("results", {})
    if not isinstance(results, dict):
        raise RoomMessageError("snapshot message: 'results' must be an object")
    for name, result in results.items():
        _result({"type": "snapshot result", "name": name, "result": result})
    _need(message, "instructor", bool, "true or false")


def _counts(message: dict) -> None:
    _text(message, "question")
    counts = _need(message, "counts", dict, "an object")
    if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0
               for n in counts.values()):
        raise RoomMessageError("counts message: each count must be an integer ≥ 0")


def _presence(message: dict) -> None:
    _need(message, "instructor", bool, "true or false")
    _count(message, "followers")


def _error(message: dict) -> None:
    code = _need(message, "code", str, "an error code")
    if not CODE_PATTERN.match(code):  # a code this page does not know is still shown
        raise RoomMessageError("error message: 'code' must be 1 to 40 letters a-z or '_'")
    _text(message, "message")


CHECKS = {"settings": _settings, "records": _records, "position": _position, "state": _state,
          "result": _result,
          "answer": _answer, "welcome": _welcome, "snapshot": _snapshot, "counts": _counts,
          "presence": _presence, "error": _error}
