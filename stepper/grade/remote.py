"""The trusted side's handle on the attendee's functions: ``sub`` in the grading tests.

``sub.gradient(X, y, w, 0.1)`` (or ``sub.call("gradient", X, y, w, 0.1)``) sends the arguments
as plain data to a backend and returns the plain result; what went wrong comes back as one of
the exceptions below, which :class:`~stepper.grade.plugin.GradePlugin` turns into a status.

* :class:`SandboxBackend` — the attendee's notebooks live in a sandbox process
  (:mod:`stepper.grade.sandbox`, started by :mod:`stepper.grade.jail`); time limits are enforced
  from here: past its deadline the sandbox is killed, and a fresh one serves the next test.
* :class:`LocalBackend` — the Check button: the attendee's live definitions in their own
  kernel, each call in a worker thread under the same time limit (so it works off the main
  thread too), results made plain the same way, so the tests see the same values.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from stepper.grade import jail, wire
from stepper.grade.diagnose import GradeFailure
from stepper.grade.say import current_language, say

IMPORT_TIMEOUT = 60.0
SPARK_STARTUP = 90.0
QUICK = 15.0
MAX_STARTS = 6


class GradeTimeout(BaseException):
    """A test ran past its time limit. A BaseException, so no ``except Exception`` swallows it."""

    def __init__(self, limit: float) -> None:
        super().__init__(f"past its {limit:g} s time limit")
        self.limit = limit


class AttendeeRaised(Exception):  # noqa: N818 (what the attendee's code did)
    """The attendee's code raised; the message (with its cell and line) is the feedback."""


class SandboxCrashed(Exception):  # noqa: N818
    """The sandbox process died or broke the protocol during a call."""


def raise_for(kind: str, message: str) -> None:
    """The exception a sandbox error reply stands for."""
    if kind in ("missing", "broken", "notplain"):
        raise GradeFailure(message)
    if kind == "todo":
        raise NotImplementedError(message)
    if kind == "raised":
        raise AttendeeRaised(message)
    raise SandboxCrashed(f"the grader's sandbox failed: {message}")


class Submission:
    """The attendee's functions of one exercise set, as remote calls with plain data."""

    def __init__(self, backend: Any, number: str) -> None:
        self._backend = backend
        self._number = number

    def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        return self._backend.call(self._number, name, list(args), kwargs)

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_"):
            raise AttributeError(name)
        return functools.partial(self.call, name)


class Deadline:
    """The current test's deadline, shared by every call the test makes."""

    def __init__(self) -> None:
        self.limit: float | None = None
        self.until: float | None = None

    @contextlib.contextmanager
    def of(self, limit: float):
        self.limit, self.until = limit, time.monotonic() + limit
        try:
            yield
        finally:
            self.limit = self.until = None

    def left(self, default: float) -> float:
        return default if self.until is None else max(0.05, self.until - time.monotonic())


class SandboxBackend:
    """One attendee's sandbox for one grading run, restarted after a kill."""

    def __init__(self, notebooks: dict[str, str], number: int, lvl: str, log: Path,
                 cgroup: Path | None) -> None:
        self.notebooks = notebooks
        self.number, self.lvl, self.log, self.cgroup = number, lvl, log, cgroup
        self.box: jail.Sandbox | None = None
        self.deadline = Deadline()
        self.flags: list[str] = []
        self.import_report: dict[str, dict] = {}
        self.spark_started = False
        self.spark_ever = False
        self.starts = 0
        self.fatal: str | None = None  # why no more sandbox is started for this attendee
        self._memory_seen = jail.memory_events(cgroup)

    @property
    def protections(self) -> jail.Protections:
        return jail.describe(self.lvl, self.cgroup)

    def flag(self, template: str, **values: Any) -> None:
        """Note what the sandbox was seen doing, said in the attendee's language (``template``
        and its ``values``, :func:`stepper.grade.say.say`)."""
        text = say(template, **values)
        if text not in self.flags:
            self.flags.append(text)

    # -- the sandbox's life ----------------------------------------------------------------
    def start(self) -> None:
        self.box = jail.launch(self.number, self.lvl, self.log, self.cgroup)
        self.starts += 1
        report = self._request({"op": "init", "notebooks": self.notebooks,
                                "lang": current_language()}, IMPORT_TIMEOUT,
                               say("importing your notebook"))
        if isinstance(report, dict):
            self.import_report = {str(k): v for k, v in report.items() if isinstance(v, dict)}

    def stop(self, why: str | None = None, **values: Any) -> None:
        if self.box is None:
            return
        box, self.box = self.box, None
        code = box.process.poll()
        self._daemons(box)
        strays = jail.stop(box)
        if strays:
            self.flag("{count} process(es) of the sandbox's user were still running after it "
                      "ended (a detached daemon?) and were killed", count=strays)
        if code is not None and code < 0 and -code == 24:  # SIGXCPU
            self.flag("killed at the CPU-time limit")
        used = jail.memory_events(self.cgroup)
        if used > self._memory_seen:
            self.flag("hit the memory limit")
            self._memory_seen = used
        if why:
            self.flag(why, **values)

    def _daemons(self, box: jail.Sandbox) -> None:
        daemons = jail.detached(box)
        if daemons:
            self.flag("started {count} detached process(es) (setsid); ended with the sandbox",
                      count=daemons)

    def close(self) -> None:
        if self.box is not None:
            self._daemons(self.box)
            with contextlib.suppress(OSError):
                self.box.channel.send({"op": "bye"})
            with contextlib.suppress(Exception):
                self.box.process.wait(timeout=3)
        self.stop()
        self._scan_output()

    def _scan_output(self) -> None:
        with contextlib.suppress(OSError):
            text = self.log.read_text(errors="replace")
            if '"score"' in text or '"event"' in text or '"max_score"' in text:
                self.flag("printed text that looks like grading records (ignored)")

    def _request(self, message: dict, timeout: float, what: str) -> Any:
        if self.box is None:
            raise SandboxCrashed("the sandbox is not running")
        channel = self.box.channel
        try:
            channel.sock.settimeout(timeout)
            channel.send(message)
            reply = channel.receive()
            if channel.skipped:
                self.flag("wrote stray data into the grader's channel (skipped)")
        except TimeoutError:
            self.stop("killed at a time limit while {what}", what=what)
            raise GradeTimeout(timeout) from None
        except wire.WireError as exc:
            self.stop("sent data that is not plain or too large ({problem})", problem=exc)
            raise GradeFailure(say("your code's result cannot be graded: {problem}",
                                   problem=exc)) from None
        except (EOFError, OSError):
            code = self.box.process.poll() if self.box else None
            with contextlib.suppress(Exception):
                if code is None and self.box is not None:
                    code = self.box.process.wait(timeout=2)
            kind = (f"signal {-code}" if code is not None and code < 0
                    else f"exit code {code}" if code is not None else "no exit code")
            self.stop("the sandbox ended while {what} ({kind})", what=what, kind=kind)
            raise SandboxCrashed(say("the process running your code ended ({kind}) while "
                                     "{what}: os._exit, a crash, or a limit (memory, CPU time)",
                                     kind=kind, what=what)) from None
        for seen in reply.get("seen", [])[:20] if isinstance(reply.get("seen"), list) else []:
            text = str(seen)[:200]  # the sandbox's watcher said it, in the attendee's language
            if text not in self.flags:
                self.flags.append(text)
        if "ok" in reply:
            return reply["ok"]
        kind, text = str(reply.get("error")), str(reply.get("message"))[:4000]
        if kind == "notplain":
            self.flag("returned data that is not plain")
        if "MemoryError" in text:
            self.flag("hit the memory limit (MemoryError)")
        if "File too large" in text or "No space left on device" in text:
            self.flag("hit the disk limit (file size or the private tmpfs)")
        raise_for(kind, text)
        return None

    def _ensure(self) -> None:
        if self.fatal:
            raise GradeFailure(self.fatal)
        if self.starts >= MAX_STARTS and (self.box is None or self.box.process.poll() is not None):
            self.fatal = say("not run: the process running your code had to be restarted "
                             "{times} times (it crashed, or ran past time limits)",
                             times=MAX_STARTS)
            self.flag("too many sandbox restarts: the remaining tests were not run")
            raise GradeFailure(self.fatal)
        if self.box is None or self.box.process.poll() is not None:
            if self.box is not None:
                self.stop("the sandbox ended between tests")
            self.spark_started = False
            self.start()

    # -- what the plugin asks --------------------------------------------------------------
    def import_error(self, number: str) -> str | None:
        if self.fatal:
            return self.fatal
        return (self.import_report.get(number) or {}).get("error")

    def stubs(self, number: str, names: list[str]) -> list[str]:
        self._ensure()
        found = self._request({"op": "stubs", "set": number, "names": names}, QUICK,
                              "looking for untouched stubs")
        return [n for n in found if n in names] if isinstance(found, list) else []

    def prepare_spark(self) -> None:
        self._ensure()
        if not self.spark_started:
            self.spark_ever = True
            self._request({"op": "spark"}, SPARK_STARTUP, "starting Spark")
            self.spark_started = True

    def call(self, number: str, name: str, args: list, kwargs: dict) -> Any:
        self._ensure()
        limit = self.deadline.left(QUICK)
        try:
            return self._request({"op": "call", "set": number, "name": name, "args": args,
                                  "kwargs": kwargs}, limit, f"running `{name}`")
        except GradeTimeout:
            raise GradeTimeout(self.deadline.limit or limit) from None


def _interrupt(thread: threading.Thread) -> None:
    """Raise GradeTimeout inside ``thread`` at its next bytecode (pure-Python loops stop)."""
    if thread.ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident),
                                                   ctypes.py_object(GradeTimeout))


class LocalBackend:
    """The attendee's live definitions (the Check button), each call under a time limit."""

    def __init__(self, namespaces: dict[str, Any], locate=None) -> None:
        from stepper.grade.sandbox import Dispatcher

        def spark():
            from stepper.session import spark_session

            return spark_session()

        self.dispatcher = Dispatcher(namespaces, locate=locate, spark=spark)
        self.deadline = Deadline()
        self.flags: list[str] = []

    def stubs(self, number: str, names: list[str]) -> list[str]:
        return self.dispatcher.stubs(number, names)

    def prepare_spark(self) -> None:
        return None

    def import_error(self, number: str) -> str | None:
        return None

    def call(self, number: str, name: str, args: list, kwargs: dict) -> Any:
        from stepper.grade.sandbox import AttendeeError

        plain_args = wire.from_plain(wire.to_plain(args))
        plain_kwargs = wire.from_plain(wire.to_plain(kwargs))
        box: dict[str, Any] = {}

        def run() -> None:
            try:
                box["ok"] = self.dispatcher.call(number, name, plain_args, plain_kwargs)
            except AttendeeError as exc:
                box["error"] = exc
            except BaseException as exc:  # GradeTimeout injected, or the grader's own failure
                box["other"] = exc

        limit = self.deadline.left(QUICK)
        worker = threading.Thread(target=run, name=f"stepper-check-{name}", daemon=True)
        worker.start()
        worker.join(limit)
        if worker.is_alive():
            self._cancel_spark()
            _interrupt(worker)
            worker.join(1.0)
            raise GradeTimeout(self.deadline.limit or limit)
        if "error" in box:
            raise_for(box["error"].kind, box["error"].message)
        if "other" in box:
            if isinstance(box["other"], GradeTimeout):
                raise GradeTimeout(self.deadline.limit or limit)
            raise box["other"]
        return box["ok"]

    def _cancel_spark(self) -> None:
        if self.dispatcher.spark_started:
            with contextlib.suppress(Exception):
                self.dispatcher.spark.sparkContext.cancelAllJobs()
