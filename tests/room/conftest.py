"""A real Jupyter server with the project's configuration (the ``stepper.server`` extension adds
the room's websocket), started once for the room's tests."""

from __future__ import annotations

import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "browser"))  # browser_pages: start/stop a server
from browser_pages import start_server, stop_server  # noqa: E402
from room_helpers import free_port  # noqa: E402

TOKEN = "stepper-room-tests"


@pytest.fixture(scope="session")
def room_server(tmp_path_factory):
    """``http://127.0.0.1:<port>/``: ``jupyter server`` with jupyter_server_config.py."""
    port = free_port()
    log_path = tmp_path_factory.mktemp("room-server") / "jupyter.log"
    jupyter = os.path.join(os.path.dirname(sys.executable), "jupyter")
    command = [jupyter, "server", f"--config={os.path.join(ROOT, 'jupyter_server_config.py')}",
               "--ip=127.0.0.1", f"--port={port}", "--no-browser",
               f"--IdentityProvider.token={TOKEN}"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env.pop("STEPPER_WORK_DIR", None)
    url = f"http://127.0.0.1:{port}/"
    server = start_server(command, url, TOKEN, str(log_path), env, timeout=90)
    yield url
    stop_server(server)
