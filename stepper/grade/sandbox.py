"""The attendee side of the grader: ``python -m stepper.grade.sandbox FD``.

This process holds the attendee's code and nothing that grades: it is started by
:mod:`stepper.grade.jail` (its own user, namespaces and limits where the platform allows) and
answers the trusted grader over the socket ``FD`` with plain data only (:mod:`stepper.grade.wire`).
Requests:

* ``init`` — ``{set: notebook JSON text}``: extract each notebook (:mod:`stepper.grade.extract`;
  the attendee's code is parsed and compiled only here) and import it;
* ``stubs`` — which of some names are missing, or still the untouched stub;
* ``spark`` — start local-mode Spark now (:func:`start_spark`), outside any test's time;
* ``call`` — ``sub.name(*args)``: :class:`~stepper.grade.wire.Rdd` and
  :class:`~stepper.grade.wire.Fn` arguments become an RDD / a whitelisted function here, and
  an RDD result comes back collected partition by partition.

Replies are ``{"ok": value}`` or ``{"error": kind, "message": text}``. Nothing here is trusted:
whatever this process sends is checked and compared on the other side.
:class:`Dispatcher` is also what the in-notebook Check uses on live definitions.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import socket
import sys
import traceback
from collections.abc import Callable
from typing import Any

import numpy as np

from stepper.grade import wire
from stepper.grade.builtin import partition_oracle
from stepper.grade.say import known, say, use_language
from stepper.grade.stubs import is_stub
from stepper.grade.watch import Watcher

# -- the whitelist of functions a test may hand to the attendee's code (engine maths only) --


def _quadratic_oracle(A, b):
    A, b = np.asarray(A, float), np.asarray(b, float)
    return lambda w: (0.5 * w @ A @ w - b @ w, A @ w - b)


def _quadratic_gradient(A, b):
    A, b = np.asarray(A, float), np.asarray(b, float)
    return lambda w: A @ np.asarray(w, float) - b


def _logistic_oracle(X, y, lam):
    """w ↦ (J, ∇J, ∇²J) of the regularized logistic loss, from the engine's block sums."""
    from stepper.problems import logistic_sums

    X, y = np.asarray(X, float), np.asarray(y, float)

    def oracle(w):
        w = np.asarray(w, float)
        sums = logistic_sums(X, y, w, hessian=True)
        n = len(y)
        return (sums.loss / n + 0.5 * lam * float(w @ w), sums.gradient / n + lam * w,
                sums.hessian / n + lam * np.eye(len(w)))

    return oracle


def _identity_gradient():
    return lambda w: (0.0, np.asarray(w, float))


FUNCTIONS: dict[str, Callable[..., Callable]] = {
    "partition_oracle": lambda: partition_oracle,
    "quadratic_oracle": _quadratic_oracle,
    "quadratic_gradient": _quadratic_gradient,
    "logistic_oracle": _logistic_oracle,
    "identity_gradient": _identity_gradient,
}


def start_spark():
    """Local-mode Spark for this sandbox (the attendee's closures run here too): the fast
    short-lived start of :func:`stepper.session.start_fast_local` (its AppCDS archive from
    ``$STEPPER_SPARK_CDS``, mounted read-only by the jail), or the notebooks' full start for
    another master or with ``STEPPER_GRADE_FAST=0``. The one place to tune the sandbox's Spark."""
    from stepper.session import spark_session, start_fast_local

    master = os.environ.get("STEPPER_GRADE_MASTER", "local[2]")
    match = re.fullmatch(r"local\[(\d+)\]", master)
    if match is not None and os.environ.get("STEPPER_GRADE_FAST", "1") != "0":
        return start_fast_local(int(match.group(1)), session=True,
                                driver_memory=os.environ.get("STEPPER_DRIVER_MEMORY", "512m"))
    session = spark_session(master, app_name="stepper-grade", ui_port=None,
                            extra_conf={"spark.ui.enabled": "false"})
    sc = session.sparkContext
    sc.parallelize(range(sc.defaultParallelism), sc.defaultParallelism).count()
    return session


class AttendeeError(Exception):
    """What the attendee's code did wrong, as (kind, message) for the trusted side."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


class Dispatcher:
    """Calls into the attendee's namespaces with plain arguments; plain results out."""

    def __init__(self, namespaces: dict[str, Any], notes: dict[str, list[str]] | None = None,
                 locate: Callable[[str, int], str | None] | None = None,
                 spark: Callable[[], Any] | None = None) -> None:
        self.namespaces = namespaces
        self.notes = notes or {}
        self.locate = locate or (lambda filename, lineno: None)
        self._start_spark = spark or start_spark
        self._session = None

    # -- Spark, lazily ---------------------------------------------------------------------
    @property
    def spark(self):
        if self._session is None:
            self._session = self._start_spark()
            from pyspark import cloudpickle

            for namespace in self.namespaces.values():
                if hasattr(namespace, "__name__") and hasattr(namespace, "__file__"):
                    with contextlib.suppress(ValueError):
                        cloudpickle.register_pickle_by_value(namespace)
        return self._session

    @property
    def spark_started(self) -> bool:
        return self._session is not None

    def resolve(self, value: Any) -> Any:
        """Descriptors made real: Rdd → parallelized RDD, Fn → whitelisted function."""
        if isinstance(value, wire.Rdd):
            rows = [self.resolve(row) for row in value.rows]
            return self.spark.sparkContext.parallelize(rows, value.partitions)
        if isinstance(value, wire.Fn):
            if value.name not in FUNCTIONS:
                raise AttendeeError("grader", f"no sandbox function named {value.name!r}")
            return FUNCTIONS[value.name](*value.params)
        if isinstance(value, tuple):
            return tuple(self.resolve(v) for v in value)
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        return value

    @staticmethod
    def collect_rdd(value: Any) -> wire.RddResult | None:
        """An RDD returned by the attendee, collected with its partitions (``glom``)."""
        try:
            from pyspark import RDD
        except ImportError:
            return None
        if isinstance(value, RDD):
            return wire.RddResult([list(part) for part in value.glom().collect()])
        return None

    # -- the attendee's functions ----------------------------------------------------------
    def function(self, number: str, name: str) -> Any:
        namespace = self.namespaces.get(number)
        if isinstance(namespace, str):  # the notebook could not be imported: why
            raise AttendeeError("broken", namespace)
        try:
            return namespace[name] if isinstance(namespace, dict) else getattr(namespace, name)
        except (KeyError, AttributeError, TypeError):
            pass
        message = say("`{name}` is not defined in your notebook (was its cell deleted or the "
                      "function renamed?)", name=name)
        notes = self.notes.get(number) or []
        if notes:
            message += "\n" + "\n".join(say("  note: {note}", note=note) for note in notes)
        raise AttendeeError("missing", message)

    def stubs(self, number: str, names: list[str]) -> list[str]:
        """The names among ``names`` that are still the untouched stub."""
        out = []
        for name in names:
            try:
                if is_stub(self.function(number, name)):
                    out.append(name)
            except AttendeeError:
                continue
        return out

    def call(self, number: str, name: str, args: list, kwargs: dict) -> Any:
        function = self.function(number, name)
        args = [self.resolve(a) for a in args]
        kwargs = {k: self.resolve(v) for k, v in kwargs.items()}
        try:
            result = function(*args, **kwargs)
            # made plain here (an RDD collected, anything else refused), read back as values
            return wire.from_plain(wire.to_plain(result, rdd=self.collect_rdd))
        except wire.WireError as exc:
            raise AttendeeError("notplain", say("`{name}` returned something that is not plain "
                                                "data: {problem}", name=name,
                                                problem=exc)) from None
        except NotImplementedError as exc:
            raise AttendeeError("todo", str(exc) or "NotImplementedError") from None
        except SystemExit as exc:
            raise AttendeeError("raised", say("your code called sys.exit({code}){where}.",
                                              code=repr(exc.code),
                                              where=self.where(exc))) from None
        except RecursionError as exc:
            raise AttendeeError("raised", say("your code raised RecursionError: {problem}"
                                              "{where}", problem=exc,
                                              where=self.where(exc))) from None
        except Exception as exc:
            if type(exc).__module__.startswith("py4j") or "Py4J" in type(exc).__name__:
                text = _spark_error(exc)
                raise AttendeeError("raised", say("your code raised a Spark error: {problem}"
                                                  "{where}", problem=text,
                                                  where=self.where(exc))) from None
            hint = ""
            if isinstance(exc, NameError):
                hint = say("\n  hint: the grader keeps only imports, functions, classes and "
                           "simple constants from your notebook; define what the function needs "
                           "inside it or pass it as an argument.")
            raise AttendeeError("raised", say("your code raised {kind}: {problem}{where}{hint}",
                                              kind=type(exc).__name__, problem=exc,
                                              where=self.where(exc), hint=hint)) from None

    def where(self, exc: BaseException) -> str:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            place = self.locate(frame.filename, frame.lineno or 0)
            if place:
                code = (frame.line or "").strip()
                return f" ({place}: `{code}`)" if code else f" ({place})"
        return ""


def _spark_error(exc: BaseException) -> str:
    text = str(exc)
    for line in text.splitlines():
        if "Error:" in line or "Exception:" in line:
            return line.strip()[:500]
    return text.strip().splitlines()[0][:500] if text.strip() else type(exc).__name__


# -- the server -----------------------------------------------------------------------------


def _import(number: str, text: str, folder: str, line_maps: dict) -> tuple[Any, list[str]]:
    """Extract and import one notebook: (module, notes), or (reason it failed, notes)."""
    import json

    import nbformat

    from stepper.grade.extract import extract

    try:
        notebook = nbformat.from_dict(json.loads(text))
        extracted = extract(notebook)
    except RecursionError:
        return ("your notebook could not be read: an expression in it is nested too deeply for "
                "Python to compile", [])
    except Exception as exc:
        return f"your notebook could not be read ({type(exc).__name__}: {exc})", []
    path = os.path.join(folder, f"submission_{number}.py")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(extracted.source)
    line_maps[path] = extracted.line_map
    name = f"submission_{number}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        return f"cannot import {path}", extracted.notes
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module

    def locate(exc: BaseException) -> str:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            line_map = line_maps.get(frame.filename)
            if line_map and frame.lineno and 1 <= frame.lineno <= len(line_map):
                cell, line = line_map[frame.lineno - 1]
                return f" (cell {cell}, line {line})"
        return ""

    try:
        spec.loader.exec_module(module)
    except SystemExit as exc:
        return (f"your notebook exits when imported{locate(exc)}: sys.exit({exc.code!r})",
                extracted.notes)
    except BaseException as exc:
        return (f"your notebook raises {type(exc).__name__} when imported{locate(exc)}: {exc}",
                extracted.notes)
    return module, extracted.notes


def _public_reference() -> None:
    """Notebooks of an earlier release import ``partition_oracle`` from
    ``stepper.grade.reference``, which the sandbox cannot read: serve the engine's instead."""
    import types

    module = types.ModuleType("stepper.grade.reference", "the engine's block oracle only")
    module.partition_oracle = partition_oracle  # type: ignore[attr-defined]
    sys.modules["stepper.grade.reference"] = module


def serve(channel: wire.Channel, folder: str) -> None:
    """Answer requests until the other side closes the socket or says ``bye``."""
    _public_reference()
    line_maps: dict[str, list] = {}

    def locate(filename: str, lineno: int) -> str | None:
        line_map = line_maps.get(filename)
        if line_map and 1 <= lineno <= len(line_map):
            cell, line = line_map[lineno - 1]
            return say("cell {cell}, line {line}", cell=cell, line=line)
        return None

    dispatcher = Dispatcher({}, {}, locate)
    watcher = Watcher()
    while True:
        try:
            request = channel.receive()
        except EOFError:
            return
        op = request.get("op")
        try:
            if op == "init":
                use_language(known(request.get("lang")) or "en")  # the attendee's feedback
                report = {}
                for number, text in request["notebooks"].items():
                    module, notes = _import(number, text, folder, line_maps)
                    dispatcher.namespaces[number] = module
                    dispatcher.notes[number] = notes
                    report[number] = {"notes": notes,
                                      "error": module if isinstance(module, str) else None}
                reply: dict = {"ok": report}
            elif op == "stubs":
                reply = {"ok": dispatcher.stubs(request["set"], list(request["names"]))}
            elif op == "spark":
                dispatcher.spark  # noqa: B018 (starts it)
                reply = {"ok": True}
            elif op == "call":
                reply = {"ok": dispatcher.call(request["set"], request["name"],
                                               list(request["args"]), dict(request["kwargs"]))}
            elif op == "bye":
                return
            else:
                reply = {"error": "grader", "message": f"unknown request {op!r}"}
        except AttendeeError as exc:
            reply = {"error": exc.kind, "message": exc.message}
        except BaseException as exc:  # the grader's own failure here: say so, keep serving
            reply = {"error": "sandbox", "message": f"{type(exc).__name__}: {exc}"}
        seen = watcher.seen()
        if seen:
            reply["seen"] = seen
        try:
            channel.send(reply)
        except wire.WireError as exc:
            channel.send({"error": "notplain", "message": str(exc)})


def main(argv: list[str]) -> int:
    sock = socket.socket(fileno=int(argv[1]))
    token = bytes.fromhex(os.environ.pop("STEPPER_SANDBOX_TOKEN", ""))
    folder = os.getcwd()
    # What the attendee prints goes to this process's own output, which the grader keeps
    # apart from the results; nothing is read from it.
    serve(wire.Channel(sock, token or b"stepper"), folder)
    sock.close()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
