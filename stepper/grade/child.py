"""The trusted grading process for one submission: ``python -m stepper.grade.child SPEC.json``.

It holds the graded tests, the references, the plugin and the results file, and never imports
the attendee's code: that runs in a sandbox (:mod:`stepper.grade.jail`,
:mod:`stepper.grade.sandbox`) which this process starts, calls with plain data and stops.
Records are appended, one JSON object per line, to the results file as soon as they are known;
their names, hints and messages are in the notebook's language (``spec["lang"]``).
Events: ``start`` (a test begins), ``result``, ``import`` (a notebook could not be imported),
``done`` (with the protections in force, the flags raised and whether Spark started).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


class JsonLines:
    """Append-only JSON-lines sink, flushed after each record."""

    def __init__(self, path: str) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

    def __call__(self, record: dict) -> None:
        os.write(self.fd, (json.dumps(record) + "\n").encode())


def start(backend, sink) -> None:
    """Start the sandbox and import the notebooks; record what could not be imported."""
    from stepper.grade.remote import GradeTimeout, SandboxCrashed
    from stepper.grade.say import say

    try:
        backend.start()
    except GradeTimeout:
        backend.fatal = say("your notebook never finishes importing (> 60 s)")
    except SandboxCrashed as exc:
        backend.fatal = str(exc).replace(say("while importing your notebook"),
                                         say("while importing your notebook: a definition in "
                                             "it ends the process"))
    except Exception as exc:  # the grader's own failure to start a sandbox
        backend.fatal = say("the grader could not start its sandbox: {problem}", problem=exc)
    if backend.fatal:
        sink({"event": "import", "output": backend.fatal})
        return
    for number in sorted(backend.import_report):
        error = backend.import_error(number)
        if error:
            sink({"event": "import", "set": number, "output": error})


def main(spec_path: str) -> int:
    spec = json.loads(Path(spec_path).read_text())
    log = os.open(spec["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    sink = JsonLines(spec["results"])

    import pytest

    from stepper.grade import jail
    from stepper.grade.catalog import test_key
    from stepper.grade.plugin import GradePlugin
    from stepper.grade.remote import SandboxBackend
    from stepper.grade.say import known, use_language

    # the attendee's language (their notebook's metadata): hints, failures and test names
    use_language(known(spec.get("lang")) or "en")

    notebooks = {number: Path(path).read_text(encoding="utf-8", errors="replace")
                 for number, path in spec["notebooks"].items()}
    lvl = spec.get("level") or jail.level()
    with jail.slot() as number:
        cgroup = jail.memory_cgroup(number) if lvl == "root" else None
        backend = SandboxBackend(notebooks, number, lvl, Path(spec["workdir"]) / "sandbox.log",
                                 cgroup)
        start(backend, sink)
        plugin = GradePlugin(backend, set(notebooks), lambda r: sink({"event": "result", **r}),
                             tasks=set(spec["tasks"]) if spec.get("tasks") else None,
                             include_hidden=spec["include_hidden"],
                             timeout_cap=spec.get("timeout_cap"),
                             skip=set(spec.get("skip") or ()))

        class Starts:
            @pytest.hookimpl(tryfirst=True)
            def pytest_runtest_protocol(self, item, nextitem):
                sink({"event": "start", "key": test_key(item.path, item.function.__name__)})

        args = [*spec["test_files"], "-q", "-p", "no:cacheprovider", "-c", spec["ini"],
                "--rootdir", spec["workdir"], "-W", "ignore::DeprecationWarning"]
        try:
            code = pytest.main(args, plugins=[plugin, Starts()])
        finally:
            backend.close()
        protections = backend.protections
        sink({"event": "done", "exit": int(code), "spark": backend.spark_ever,
              "flags": backend.flags, "level": protections.level,
              "protections": protections.in_force, "missing": protections.missing})
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
