"""Helpers for the room's tests, in a module of its own name (not ``conftest``), so that
importing them does not depend on which test folder pytest collected first."""

from __future__ import annotations

import socket
import time


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (the system's choice)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def until(condition, what: str, seconds: float = 15, poll: float = 0.02) -> None:
    """Wait for ``condition()`` to hold, polling every ``poll`` seconds; after ``seconds``, fail
    saying ``what`` was awaited."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(poll)
