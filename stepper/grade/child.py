"""The grading process for one submission: ``python -m stepper.grade.child SPEC.json``.

It runs in a fresh process group started by :mod:`stepper.grade.runner`. Its own stdout and
stderr go to a log file first thing, so whatever the attendee's code prints cannot reach the
grader. It imports each extracted notebook module (a ``sys.exit`` or an exception at import is
recorded as a clear result), then runs pytest with :class:`~stepper.grade.plugin.GradePlugin`.
Every record is appended, one JSON object per line, to the results file as soon as it is known,
so a crash mid-run keeps what was already graded. Events: ``importing`` (a notebook module is
about to be imported), ``start`` (a test begins),
``result``, ``import`` (a notebook could not be imported), ``restart`` (a timeout cut a Spark
call short: the session cannot be trusted, the runner grades the rest in a new process),
``done``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import sys
import traceback
from pathlib import Path

IMPORT_TIMEOUT = 60


class JsonLines:
    """Append-only JSON-lines sink, flushed after each record."""

    def __init__(self, path: str) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

    def __call__(self, record: dict) -> None:
        os.write(self.fd, (json.dumps(record) + "\n").encode())


def _alarm(signum, frame):
    raise TimeoutError("importing the notebook took too long")


def import_module(name: str, path: str, line_map: list, sink: JsonLines, set_number: str):
    """Import one extracted notebook; return the module, or a Broken with the reason."""
    from stepper.grade.plugin import Broken

    def locate(exc: BaseException) -> str:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename == path and frame.lineno and 1 <= frame.lineno <= len(line_map):
                cell, line = line_map[frame.lineno - 1]
                return f" (cell {cell}, line {line})"
        return ""

    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path} as {name}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(IMPORT_TIMEOUT)
    try:
        spec.loader.exec_module(module)
    except SystemExit as exc:
        message = f"your notebook exits when imported{locate(exc)}: sys.exit({exc.code!r})"
    except TimeoutError as exc:
        message = f"your notebook never finishes importing{locate(exc)} (> {IMPORT_TIMEOUT} s)"
    except BaseException as exc:
        message = (f"your notebook raises {type(exc).__name__} when imported{locate(exc)}: "
                   f"{exc}")
    else:
        return module
    finally:
        signal.alarm(0)
    sink({"event": "import", "set": set_number, "output": message})
    return Broken(message)


def main(spec_path: str) -> int:
    spec = json.loads(Path(spec_path).read_text())
    log = os.open(spec["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    sink = JsonLines(spec["results"])
    sys.path.insert(0, spec["workdir"])

    import pytest

    from stepper.grade.catalog import test_key
    from stepper.grade.plugin import GradePlugin

    namespaces = {}
    line_maps = {}
    for number, entry in spec["modules"].items():
        line_maps[entry["path"]] = entry["line_map"]
        sink({"event": "importing", "set": number})
        namespaces[number] = import_module(f"submission_{number}", entry["path"],
                                           entry["line_map"], sink, number)

    def locate(filename: str, lineno: int) -> str | None:
        line_map = line_maps.get(filename)
        if line_map and 1 <= lineno <= len(line_map):
            cell, line = line_map[lineno - 1]
            return f"cell {cell}, line {line}"
        return None

    def restart() -> None:
        """A timeout interrupted a Spark call: grade the remaining tests in a new process."""
        sink({"event": "restart"})
        os._exit(0)

    class Sink:
        def __call__(self, record: dict) -> None:
            sink({"event": "result", **record})

    plugin = GradePlugin(
        namespaces, Sink(), tasks=set(spec["tasks"]) if spec.get("tasks") else None,
        include_hidden=spec["include_hidden"], timeout_cap=spec.get("timeout_cap"),
        notes={k: v["notes"] for k, v in spec["modules"].items()}, locate=locate,
        master=spec.get("master"), extracted=True, skip=set(spec.get("skip") or ()),
        on_unsafe=restart,
    )

    class Starts:
        @pytest.hookimpl(tryfirst=True)
        def pytest_runtest_protocol(self, item, nextitem):
            sink({"event": "start", "key": test_key(item.path, item.function.__name__)})

    args = [*spec["test_files"], "-q", "-p", "no:cacheprovider", "-c", spec["ini"],
            "--rootdir", spec["workdir"], "-W", "ignore::DeprecationWarning"]
    code = pytest.main(args, plugins=[plugin, Starts()])
    sink({"event": "done", "exit": int(code), "spark": plugin.spark_started})
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
