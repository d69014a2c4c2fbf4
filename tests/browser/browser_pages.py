"""Shared by the browser tests and the page benchmark: Voilà's command, Chromium, page loading."""

from __future__ import annotations

import os
import socket
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LESSONS = os.path.join(ROOT, "lessons")
CHROMIUM = "/usr/bin/chromium"
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
    raise RuntimeError("no free port in 8870-8879 for Voilà")


def voila_command(port: int) -> list[str]:
    voila = os.path.join(os.path.dirname(sys.executable), "voila")
    return [voila, LESSONS, "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1",
            "--VoilaConfiguration.file_allowlist=['.*']"]


def open_page(browser, url: str, width: int = 1280, height: int = 720):
    """Open ``url`` and wait until Voilà has rendered every cell (the spinner is gone)."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    page.goto(url, timeout=PAGE_TIMEOUT_MS, wait_until="domcontentloaded")
    page.wait_for_selector("#loading", state="hidden", timeout=PAGE_TIMEOUT_MS)
    page.wait_for_load_state("networkidle", timeout=PAGE_TIMEOUT_MS)
    return page
