"""Where the page is served: Voilà or not, the page's address, the Spark UI's port and link."""

from __future__ import annotations

import os
import socket
from html import escape
from urllib.parse import parse_qsl


def in_voila() -> bool:
    """True inside a kernel started by Voilà (it sets these variables for the kernel)."""
    return any(os.environ.get(name) for name in ("VOILA_BASE_URL", "VOILA_SERVER_URL",
                                                  "VOILA_KERNEL_ID"))


def query_value(name: str, default: str | None = None, query: str | None = None) -> str | None:
    """A value from the page URL's query string (Voilà passes it as ``$QUERY_STRING``)."""
    text = os.environ.get("QUERY_STRING", "") if query is None else query
    for key, value in parse_qsl(text.lstrip("?"), keep_blank_values=True):
        if key == name:
            return value
    return default


def page_host() -> str:
    """The host name the browser used for this page (so links to other ports work from
    attendees' laptops too), else ``localhost``."""
    host = os.environ.get("SERVER_NAME", "").strip()
    if host.startswith("[") and "]" in host:  # IPv6 literal with brackets
        return host
    return host.split(":")[0] if host else "localhost"


def lesson_href(notebook: str) -> str:
    """The link to another lesson page. Relative, so that it resolves to
    ``…/voila/render/<notebook>`` whatever prefix Voilà is served under."""
    return notebook


def ui_port(default: int = 4040) -> int:
    """The Spark UI port: ``?ui_port=`` in the page URL, else ``$STEPPER_UI_PORT``, else 4040."""
    for text in (query_value("ui_port"), os.environ.get("STEPPER_UI_PORT")):
        if text and text.strip().isdigit() and 0 < int(text) < 65536:
            return int(text)
    return default


def port_open(port: int, host: str = "127.0.0.1", timeout: float = 0.2) -> bool:
    """Whether something listens on ``host:port`` (the Spark UI of a running lesson)."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def spark_ui_link(port: int, host: str | None = None) -> str:
    """``http://<page host>:<port>/`` as an HTML link opening in a new tab."""
    url = f"http://{host or page_host()}:{port}/"
    return f"<a href='{escape(url)}' target='_blank' rel='noopener'>{escape(url)}</a>"
