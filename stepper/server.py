"""The Jupyter server extension that keeps the old lesson addresses working and serves the room.

The lessons and the exercises are served by one Jupyter server (``make lessons``, the image's
default command): JupyterLab for the exercises at ``/lab``, and Voilà, as a server extension, for
the lesson pages at ``/voila/render/lessons/<notebook>``. Before, Voilà served ``lessons/`` alone
and the pages were at ``/voila/render/<notebook>``; this extension answers those addresses with a
permanent redirect to the new ones, query string (the page's settings) included.

It is enabled by ``jupyter_server_config.py`` at the top of the repository, which the Makefile
and the Dockerfile pass to ``jupyter lab --config=…``. Jupyter loads extensions in alphabetical
order and ``stepper.server`` sorts before ``voila.server_extension``, so this handler is asked
before Voilà's own ``/voila/render/(.*)``.

It also adds the room's websocket (:mod:`stepper.room.server`) and tells the kernels it starts
where to reach it (``STEPPER_ROOM_SERVER``: this server on 127.0.0.1, or on the one address it
listens on, its base URL included).
"""

from __future__ import annotations

import os

from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join
from tornado import web

LESSONS_DIR = "lessons"


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "stepper.server"}]


class OldLessonRedirect(JupyterHandler):
    """``/voila/render/<notebook>.ipynb`` → ``/voila/render/lessons/<notebook>.ipynb``, when the
    notebook is a lesson and there is no notebook of that name at the server's root."""

    def initialize(self, root_dir: str) -> None:
        self.root_dir = root_dir

    def get(self, name: str) -> None:
        lesson = os.path.join(self.root_dir, LESSONS_DIR, name)
        if not os.path.isfile(lesson) or os.path.exists(os.path.join(self.root_dir, name)):
            raise web.HTTPError(404)
        target = url_path_join(self.base_url, "voila/render", LESSONS_DIR, name)
        if self.request.query:
            target += "?" + self.request.query
        self.redirect(target, permanent=True)


def _load_jupyter_server_extension(serverapp) -> None:
    root = os.path.abspath(os.path.expanduser(serverapp.root_dir))
    pattern = url_path_join(serverapp.base_url, r"/voila/render/([^/]+\.ipynb)")
    serverapp.web_app.add_handlers(".*$", [(pattern, OldLessonRedirect, {"root_dir": root})])
    # The room (attendees follow the instructor's stepping): a websocket per page's kernel.
    from stepper.room import server as room_server

    serverapp.web_app.add_handlers(".*$", room_server.handlers(serverapp.base_url))
    ip = serverapp.ip if serverapp.ip not in ("", "0.0.0.0", "::", "*", "localhost") else None
    scheme = "https" if serverapp.certfile else "http"
    host = f"[{ip}]" if ip and ":" in ip else ip or "127.0.0.1"
    os.environ["STEPPER_ROOM_SERVER"] = f"{scheme}://{host}:{serverapp.port}{serverapp.base_url}"
    serverapp.log.info("stepper: old lesson addresses /voila/render/<notebook> redirect to "
                       "/voila/render/%s/<notebook>", LESSONS_DIR)
