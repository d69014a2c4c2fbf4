"""The kernel's side of the room: one websocket to the room's server, on a background thread.

A :class:`RoomClient` connects to ``<server>/stepper/room/<name>`` (``server`` is the Jupyter
server that serves the pages, ``http://host:port/base/``), checks every message it receives
(:func:`stepper.room.protocol.parse`), and hands the good ones to ``on_message`` and anything
wrong (unreachable server, refused key, malformed message) to ``on_problem`` as a
:class:`RoomProblem`: a code the page says in its language, and an English line for the logs.
It reconnects after a lost connection (and keeps asking, every few seconds, for a room that
does not exist yet); a refusal that cannot pass (a wrong key) stops it.
:meth:`RoomClient.send` may be called from any thread; what is sent is checked first, too.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from tornado import httpclient, websocket

from stepper.room import protocol

RETRY_SECONDS = (1.0, 2.0, 5.0)
CLIENT_CODES = ("unreachable", "lost", "malformed_received", "show_failed")
"""What the client itself reports, besides the server's
:data:`~stepper.room.protocol.ERROR_CODES`."""


@dataclass(frozen=True)
class RoomProblem:
    """Something wrong with the room: ``code`` (the catalogues' ``room.error.<code>``), an
    English ``detail`` for the kernel's log, and the ``values`` the page's line may name."""

    code: str
    detail: str
    values: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.detail


def socket_url(server: str, room: str, role: str, key: str | None = None,
               session: str | None = None) -> str:
    """``http://host:port/base/`` → ``ws://host:port/base/stepper/room/<room>?role=…``."""
    parts = urlsplit(server if "://" in server else f"http://{server}")
    if parts.scheme not in ("http", "https", "ws", "wss") or not parts.netloc:
        raise protocol.RoomMessageError(f"the room server {server[:80]!r} is not an address "
                                        "such as http://host:8888", "bad_server")
    scheme = "wss" if parts.scheme in ("https", "wss") else "ws"
    base = parts.path.rstrip("/")
    query = {"role": role, **({"key": key} if key else {}),
             **({"session": protocol.check_session(session)} if session else {})}
    return (f"{scheme}://{parts.netloc}{base}/stepper/room/{quote(protocol.check_name(room))}"
            f"?{urlencode(query)}")


class RoomClient:
    """One page's connection to one room (see the module docstring)."""

    def __init__(self, server: str, room: str, role: str, key: str | None = None, *,
                 on_message: Callable[[dict[str, Any]], None],
                 on_problem: Callable[[RoomProblem], None],
                 on_connected: Callable[[], None] | None = None,
                 session: str | None = None) -> None:
        self.server, self.room, self.role, self.key = server, room, role, key
        self.session = session or (uuid.uuid4().hex if role == "follower" else None)
        """A follower page's id, the same on every reconnect: the server counts the page once."""
        self.url = socket_url(server, room, role, key, self.session)
        self.on_message, self.on_problem, self.on_connected = on_message, on_problem, on_connected
        self.allowed = protocol.SERVER_TYPES
        self.outgoing = (protocol.INSTRUCTOR_TYPES if role == "instructor"
                         else protocol.FOLLOWER_TYPES)
        self.connected = threading.Event()
        self.stopped = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._socket: websocket.WebSocketClientConnection | None = None
        self._thread = threading.Thread(target=self._run, daemon=True, name=f"room-{room}")

    def start(self) -> RoomClient:
        self._thread.start()
        return self

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._connect_loop())
        finally:
            self._loop.close()

    async def _connect_loop(self) -> None:
        failures = 0
        while not self.stopped:
            retry = True
            try:
                request = httpclient.HTTPRequest(self.url, connect_timeout=10, request_timeout=10)
                self._socket = await websocket.websocket_connect(
                    request, max_message_size=protocol.MAX_MESSAGE_BYTES)
                failures = 0
                retry = await self._read(self._socket)
            except (OSError, httpclient.HTTPClientError, websocket.WebSocketError) as exc:
                self._tell("unreachable", f"cannot reach the room server at {self.server} ({exc})")
            finally:
                self.connected.clear()
                self._socket = None
            if not retry or self.stopped:
                return
            await asyncio.sleep(RETRY_SECONDS[min(failures, len(RETRY_SECONDS) - 1)])
            failures += 1

    async def _read(self, socket: websocket.WebSocketClientConnection) -> bool:
        """Read until the connection closes; return whether to connect again."""
        retry = True
        while True:
            text = await socket.read_message()
            if text is None:
                if not self.stopped and retry and socket.close_code not in (4000,):
                    self._tell("lost", f"the connection to the room {self.room!r} was lost; "
                               "trying again")
                return retry
            try:
                message = protocol.parse(text, self.allowed)
            except protocol.RoomMessageError as exc:
                self._tell("malformed_received", f"a malformed room message was ignored: {exc}")
                continue
            if message["type"] == "error":
                retry = bool(message.get("retry"))
            elif message["type"] == "welcome":
                self.connected.set()
                if message.get("key"):
                    self.key = message["key"]
            self._deliver(message)
            if message["type"] == "welcome" and self.on_connected is not None:
                self._call(self.on_connected)

    def _deliver(self, message: dict[str, Any]) -> None:
        if message["type"] == "error":
            self._tell(message["code"], message["message"])
        else:
            self._call(self.on_message, message)

    def _call(self, fn: Callable[..., None], *args: Any) -> None:
        try:
            fn(*args)
        except Exception as exc:  # a page's handler failing must not end the connection
            import traceback

            traceback.print_exc()
            self._tell("show_failed", f"a room message could not be shown "
                       f"({type(exc).__name__}: {exc})", error=type(exc).__name__)

    def _tell(self, code: str, detail: str, **values: Any) -> None:
        try:
            self.on_problem(RoomProblem(code, detail, values))
        except Exception:
            import traceback

            traceback.print_exc()

    def send(self, message: dict[str, Any]) -> bool:
        """Send ``message`` (checked first) if connected; return whether it went out."""
        text = protocol.encode(message)
        protocol.parse(text, self.outgoing)
        loop, socket = self._loop, self._socket
        if loop is None or socket is None or not self.connected.is_set():
            return False

        def write() -> None:
            with contextlib.suppress(websocket.WebSocketClosedError):
                socket.write_message(text)

        loop.call_soon_threadsafe(write)
        return True

    def close(self) -> None:
        self.stopped = True
        loop, socket = self._loop, self._socket
        if loop is not None and socket is not None:
            loop.call_soon_threadsafe(socket.close)
