"""Plain data across the grader's trust boundary: what may cross, and how it is framed.

Only plain values cross between the trusted grader and the attendee's sandbox: ``None``, bools,
ints, floats, strings, lists, tuples, dicts (keys plain and hashable), numpy arrays of numbers
(``np.save`` bytes read back with ``allow_pickle=False``), and three descriptors:

* :class:`Rdd` — rows and a partition count: the sandbox turns it into ``sc.parallelize``;
* :class:`Fn` — the name of a function from the sandbox's small whitelist, with plain
  parameters (``Fn("quadratic_oracle", A, b)``);
* :class:`RddResult` — what an attendee's RDD becomes on the way back: its collected
  partitions (``glom``), so a test can check "one record per partition".

Everything is JSON (arrays inline as base64 ``.npy`` bytes), one frame per message: an 8-byte
length, then the JSON text. A frame larger than :data:`MAX_FRAME` is refused, and the decoder
accepts nothing but the tags above: no pickle, no object whose methods would run on the
trusted side. Never raises anything but :class:`WireError` on bad input.
"""

from __future__ import annotations

import base64
import io
import json
import math
import socket
import struct
from dataclasses import dataclass, field
from typing import Any

import numpy as np

MAX_FRAME = 10 * 1024 * 1024
MAX_DEPTH = 40
HEADER = struct.Struct(">Q")


class WireError(Exception):
    """A value that is not plain data, a frame too large, or a malformed message."""


@dataclass(frozen=True)
class Rdd:
    """``sc.parallelize(rows, partitions)`` on the sandbox side."""

    rows: list
    partitions: int = 2


@dataclass(frozen=True)
class Fn:
    """A whitelisted sandbox-side function by name, with plain parameters bound first."""

    name: str
    params: tuple = ()

    def __init__(self, name: str, *params: Any) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "params", tuple(params))


@dataclass
class RddResult:
    """An RDD the attendee returned, collected on the sandbox side, partition by partition."""

    partitions: list[list] = field(default_factory=list)

    @property
    def rows(self) -> list:
        return [row for part in self.partitions for row in part]

    def count(self) -> int:
        return sum(len(part) for part in self.partitions)

    def collect(self) -> list:
        return self.rows

    def getNumPartitions(self) -> int:  # noqa: N802 (the RDD method's name)
        return len(self.partitions)


def _array(value: np.ndarray) -> dict:
    if value.dtype.kind not in "biufc":
        raise WireError(f"an array of {value.dtype} is not plain numbers")
    buffer = io.BytesIO()
    np.save(buffer, value, allow_pickle=False)
    return {"__nd__": base64.b64encode(buffer.getvalue()).decode("ascii")}


def to_plain(value: Any, depth: int = 0, rdd=None) -> Any:
    """``value`` as JSON-ready plain data; :class:`WireError` for anything else.

    ``rdd`` (sandbox side) turns a Spark RDD into an :class:`RddResult` first.
    """
    if depth > MAX_DEPTH:
        raise WireError("nested too deeply")
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, np.integer)) and not isinstance(value, np.bool_):
        number = int(value)
        if abs(number) >= 2**63:
            raise WireError("an integer too large")
        return number
    if isinstance(value, (float, np.floating)):
        real = float(value)
        return real if math.isfinite(real) else {"__float__": repr(real)}
    if isinstance(value, np.bool_):
        return bool(value)
    if type(value) is np.ndarray:
        return _array(value)
    if isinstance(value, np.generic):
        return to_plain(value.item(), depth + 1, rdd)
    if type(value) in (list, tuple):
        items = [to_plain(v, depth + 1, rdd) for v in value]
        return items if type(value) is list else {"__tuple__": items}
    if type(value) is dict:
        return {"__dict__": [[to_plain(k, depth + 1, rdd), to_plain(v, depth + 1, rdd)]
                             for k, v in value.items()]}
    if isinstance(value, Rdd):
        return {"__rdd__": to_plain(list(value.rows), depth + 1, rdd),
                "partitions": int(value.partitions)}
    if isinstance(value, Fn):
        return {"__fn__": str(value.name), "params": to_plain(list(value.params), depth + 1,
                                                               rdd)}
    if isinstance(value, RddResult):
        return {"__rddresult__": to_plain(value.partitions, depth + 1, rdd)}
    if rdd is not None:
        converted = rdd(value)
        if converted is not None:
            return to_plain(converted, depth + 1, rdd)
    raise WireError(f"a {type(value).__module__}.{type(value).__qualname__} object is not "
                    "plain data (numbers, arrays, strings, lists, tuples, dicts)")


def _key(value: Any) -> Any:
    if isinstance(value, list):
        raise WireError("a list as a dict key")
    hash(value)
    return value


def from_plain(value: Any, depth: int = 0) -> Any:
    """The inverse of :func:`to_plain`, accepting only its tags."""
    if depth > MAX_DEPTH:
        raise WireError("nested too deeply")
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [from_plain(v, depth + 1) for v in value]
    if not isinstance(value, dict) or len(value) > 2:
        raise WireError(f"unexpected {type(value).__name__} on the wire")
    if set(value) == {"__nd__"} and isinstance(value["__nd__"], str):
        try:
            array = np.load(io.BytesIO(base64.b64decode(value["__nd__"], validate=True)),
                            allow_pickle=False)
        except Exception as exc:
            raise WireError(f"a malformed array ({exc})") from None
        if not isinstance(array, np.ndarray) or array.dtype.kind not in "biufc":
            raise WireError("an array that is not plain numbers")
        return array
    if set(value) == {"__float__"} and value["__float__"] in ("nan", "inf", "-inf"):
        return float(value["__float__"])
    if set(value) == {"__tuple__"} and isinstance(value["__tuple__"], list):
        return tuple(from_plain(v, depth + 1) for v in value["__tuple__"])
    if set(value) == {"__dict__"} and isinstance(value["__dict__"], list):
        out = {}
        for pair in value["__dict__"]:
            if not isinstance(pair, list) or len(pair) != 2:
                raise WireError("a malformed dict")
            out[_key(from_plain(pair[0], depth + 1))] = from_plain(pair[1], depth + 1)
        return out
    if set(value) == {"__rdd__", "partitions"} and isinstance(value["partitions"], int):
        return Rdd(from_plain(value["__rdd__"], depth + 1), value["partitions"])
    if set(value) == {"__fn__", "params"} and isinstance(value["__fn__"], str):
        return Fn(value["__fn__"], *from_plain(value["params"], depth + 1))
    if set(value) == {"__rddresult__"}:
        parts = from_plain(value["__rddresult__"], depth + 1)
        if not isinstance(parts, list) or not all(isinstance(p, list) for p in parts):
            raise WireError("a malformed RDD result")
        return RddResult(parts)
    raise WireError("an unknown tag on the wire")


def encode(message: dict, rdd=None) -> bytes:
    """One frame: 8-byte length, then the JSON of ``message`` made plain."""
    body = json.dumps(to_plain(message, rdd=rdd)).encode("utf-8")
    if len(body) > MAX_FRAME:
        raise WireError(f"the value is too large ({len(body) / 1e6:.1f} MB; at most "
                        f"{MAX_FRAME / 1e6:.0f} MB cross the boundary)")
    return HEADER.pack(len(body)) + body


def decode(body: bytes) -> dict:
    try:
        message = from_plain(json.loads(body.decode("utf-8")))
    except WireError:
        raise
    except Exception as exc:  # bad JSON, deep nesting, unhashable keys...
        raise WireError(f"a malformed message ({type(exc).__name__})") from None
    if not isinstance(message, dict):
        raise WireError("a message that is not a dict")
    return message


class Channel:
    """Frames over a socket, each behind a per-sandbox token: bytes that are not a frame
    (whatever the attendee's code writes to every descriptor it finds) are skipped and
    counted, so they cannot break the conversation nor pass for a reply."""

    def __init__(self, sock: socket.socket, token: bytes) -> None:
        self.sock, self.token = sock, token
        self.buffer = b""
        self.skipped = 0

    def _fill(self) -> None:
        chunk = self.sock.recv(1 << 20)
        if not chunk:
            raise EOFError("the other side closed the connection")
        self.buffer += chunk

    def _take(self, size: int) -> bytes:
        while len(self.buffer) < size:
            self._fill()
        out, self.buffer = self.buffer[:size], self.buffer[size:]
        return out

    def receive(self) -> dict:
        """The next message (blocking, subject to the socket's timeout)."""
        while (at := self.buffer.find(self.token)) < 0:
            keep = len(self.token) - 1
            if len(self.buffer) > keep:
                self.skipped += len(self.buffer) - keep
                self.buffer = self.buffer[-keep:]
            if self.skipped > MAX_FRAME:
                raise WireError("more than 10 MB of stray bytes on the channel")
            self._fill()
        self.skipped += at
        self.buffer = self.buffer[at + len(self.token):]
        (size,) = HEADER.unpack(self._take(HEADER.size))
        if size > MAX_FRAME:
            raise WireError(f"a message of {size / 1e6:.1f} MB (at most {MAX_FRAME / 1e6:.0f} "
                            "MB cross the boundary)")
        return decode(self._take(size))

    def send(self, message: dict, rdd=None) -> None:
        self.sock.sendall(self.token + encode(message, rdd=rdd))
