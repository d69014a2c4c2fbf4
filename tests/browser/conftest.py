"""A real Jupyter server as ``make lessons`` starts it (JupyterLab, with Voilà as a server
extension; ports 8870-8879) and headless Chromium driven by Playwright.

The server's root is a temporary folder: ``lessons/`` and ``data/`` link to the repository's,
``exercises/`` holds copies, so a test that edits and saves an exercise leaves the repository
alone. Each page view starts its own kernel (and its own Spark JVM), so the tests keep one page
per lesson open for the whole session (``opened``) and open a second one only for the address
settings (``?present=1&fail_on_step=1``).
"""

from __future__ import annotations

import os
import shutil

import pytest
from browser_pages import (
    ROOT,
    TOKEN,
    free_port,
    launched_chromium,
    lesson_url,
    open_page,
    server_command,
    start_server,
    stop_server,
)


@pytest.fixture(scope="session")
def server_root(tmp_path_factory):
    """The server's root: links to lessons/ and data/, a copy of exercises/."""
    root = tmp_path_factory.mktemp("server-root")
    for name in ("lessons", "data"):
        (root / name).symlink_to(os.path.join(ROOT, name), target_is_directory=True)
    shutil.copytree(os.path.join(ROOT, "exercises"), root / "exercises")
    return root


@pytest.fixture(scope="session")
def voila_url(tmp_path_factory, server_root):
    """The server's address (``http://127.0.0.1:<port>``); pages need ``?token=`` (TOKEN)."""
    port = free_port()
    log_path = tmp_path_factory.mktemp("server") / "jupyter.log"
    env = dict(os.environ, STEPPER_UI_PORT="", PYTHONUNBUFFERED="1")
    env.setdefault("STEPPER_MASTER", "local[2]")
    env.pop("STEPPER_WORK_DIR", None)
    url = f"http://127.0.0.1:{port}"
    server = start_server(server_command(port, str(server_root)), url, TOKEN, str(log_path), env)
    yield url
    stop_server(server)


@pytest.fixture(scope="session")
def browser():
    with launched_chromium() as launched:
        yield launched


@pytest.fixture(scope="session")
def opened(browser, voila_url):
    """One open page per lesson for the whole session: ``opened("02_distributed_gd")``, with
    ``?quick=1`` (pages with heavy parts shrink them; the others ignore it). Lessons 3 and 4's
    own tests use it too, so each of those Spark pages is opened once."""
    pages = {}

    def get(name: str):
        if name not in pages:
            pages[name] = open_page(browser, lesson_url(voila_url, name, "quick=1"))
        return pages[name]

    yield get
    for page in pages.values():
        page.close()
