"""Helpers for the room's tests, in a module of its own name (not ``conftest``), so that
importing them does not depend on which test folder pytest collected first."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (the system's choice)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
