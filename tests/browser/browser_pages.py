"""Shared by the browser tests and the page benchmark: the Jupyter server's command (JupyterLab
with Voilà as a server extension, as ``make lessons`` runs it), Chromium, page loading."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LESSONS = os.path.join(ROOT, "lessons")
SERVER_CONFIG = os.path.join(ROOT, "jupyter_server_config.py")
TOKEN = "stepper-browser-tests"  # the tests' own server listens on 127.0.0.1 only
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
PORTS = range(8870, 8880)
PAGE_TIMEOUT_MS = 240_000  # a page's kernel starts a JVM; shared 2-core machines are slow


def free_port() -> int:
    for port in PORTS:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8870-8879 for the Jupyter server")


def chromium() -> str:
    """The Chromium to drive (tools/browser.py finds it; ``make test`` installed it if needed)."""
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    try:
        from browser import NO_BROWSER, find
    finally:
        sys.path.pop(0)
    found = find()
    if found is None:
        raise RuntimeError(NO_BROWSER.format(playwright=".venv/bin/playwright"))
    return found


@contextmanager
def launched_chromium() -> Iterator:
    """Headless Chromium (tools/browser.py finds it), closed on the way out."""
    executable = chromium()  # one line naming the command to run when there is none
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True,
                                             args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def server_command(port: int, root_dir: str | None = None) -> list[str]:
    """``make lessons``' server on ``port``, with the tests' token, serving ``root_dir``."""
    jupyter = os.path.join(os.path.dirname(sys.executable), "jupyter")
    command = [jupyter, "lab", f"--config={SERVER_CONFIG}", "--ip=127.0.0.1", f"--port={port}",
               "--no-browser", f"--IdentityProvider.token={TOKEN}"]
    if root_dir is not None:
        command.append(f"--ServerApp.root_dir={root_dir}")
    if os.geteuid() == 0:
        command.append("--allow-root")
    return command


def start_server(command: list[str], url: str, token: str, log_path: str | None = None,
                 env: dict | None = None, timeout: float = 120) -> subprocess.Popen:
    """Start a Jupyter server (``command``, in its own session, from the repository's root) and
    return once ``url`` answers ``/api/status``; its output goes to ``log_path`` (else nowhere).
    A server that exits or does not answer within ``timeout`` seconds raises RuntimeError with
    its log."""
    with open(log_path or os.devnull, "w") as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url.rstrip('/')}/api/status?token={token}",
                                        timeout=5) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            log_text = Path(log_path).read_text() if log_path else "(not kept)"
            raise RuntimeError(f"Jupyter did not start; its log:\n{log_text}")
        time.sleep(0.3)


def stop_server(server: subprocess.Popen) -> None:
    """SIGTERM (Jupyter shuts its kernels down, then stops); after 30 s, SIGKILL to the server's
    whole session (Voilà and its kernels)."""
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def lesson_url(server: str, name: str, query: str = "") -> str:
    """The address of lesson ``name`` (no ``.ipynb``), with the token."""
    query = f"{query}&token={TOKEN}" if query else f"token={TOKEN}"
    return f"{server}/voila/render/lessons/{name}.ipynb?{query}"


def open_page(browser, url: str, width: int = 1280, height: int = 720):
    """Open ``url`` and wait until Voilà has rendered every cell (the spinner is gone)."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    page.goto(url, timeout=PAGE_TIMEOUT_MS, wait_until="domcontentloaded")
    page.wait_for_selector("#loading", state="hidden", timeout=PAGE_TIMEOUT_MS)
    page.wait_for_load_state("networkidle", timeout=PAGE_TIMEOUT_MS)
    return page
