"""A real Voilà server on lessons/ (ports 8870-8879) and headless Debian Chromium (Playwright).

Each page view starts its own kernel (and its own Spark JVM), so the tests keep one page per
lesson open for the whole session (``opened``) and open a second one only for the address
settings (``?present=1&fail_on_step=1``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request

import pytest
from browser_pages import CHROMIUM, CHROMIUM_FLAGS, ROOT, free_port, open_page, voila_command


@pytest.fixture(scope="session")
def voila_url(tmp_path_factory):
    port = free_port()
    log_path = tmp_path_factory.mktemp("voila") / "voila.log"
    env = dict(os.environ, STEPPER_UI_PORT="", PYTHONUNBUFFERED="1")
    env.setdefault("STEPPER_MASTER", "local[2]")
    with open(log_path, "w") as log:
        server = subprocess.Popen(voila_command(port), cwd=ROOT, env=env, stdout=log,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(url + "/", timeout=5) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            raise RuntimeError(f"Voilà did not start; its log:\n{log_path.read_text()}")
        time.sleep(0.5)
    yield url
    server.send_signal(signal.SIGINT)  # Voilà shuts its kernels down on SIGINT / SIGTERM
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)  # our own session: voila and its kernels
            server.wait()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        raise RuntimeError(f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def opened(browser, voila_url):
    """One open page per lesson for the whole session: ``opened("02_distributed_gd")``."""
    pages = {}

    def get(name: str):
        if name not in pages:
            pages[name] = open_page(browser, f"{voila_url}/voila/render/{name}.ipynb")
        return pages[name]

    yield get
    for page in pages.values():
        page.close()
