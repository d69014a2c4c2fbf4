"""A real Jupyter server with the project's configuration (the ``stepper.server`` extension adds
the room's websocket), started once for the room's tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOKEN = "stepper-room-tests"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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
    with open(log_path, "w") as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{url}api/status?token={TOKEN}", timeout=5) as answer:
                if answer.status == 200:
                    break
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            raise RuntimeError(f"Jupyter did not start; its log:\n{log_path.read_text()}")
        time.sleep(0.3)
    yield url
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
