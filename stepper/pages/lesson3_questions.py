"""Lesson 3's predict-then-reveal questions, one opening each part.

Each factory takes ``values()``, the demo's result dict (it raises LookupError until the demo
has run: the question then waits for it), and computes the right answer and the explanation's
figures from it at the reveal: nothing here is written in advance.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from stepper.pages.i18n import text
from stepper.pages.lesson3_lab import sweep_summary
from stepper.pages.question import Question

Values = Callable[[], dict[str, Any]]


def _choices(name: str, keys: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(key, f"lesson3.q.{name}.{key}") for key in keys]


def sweep_shape(values: Values) -> str:
    """``u`` when the fastest partition count of the many-rows shape lies strictly inside the
    sweep, ``falls`` when it is the largest, ``rises`` when it is the smallest."""
    found = sweep_summary(values(), "rows")
    if found["best"] == found["last"]:
        return "falls"
    if found["best"] == found["first"]:
        return "rises"
    return "u"


def sweep(values: Values) -> Question:
    return Question("lesson3.sweep", "lesson3.q.sweep.prompt",
                    choices=_choices("sweep", ("falls", "u", "rises")),
                    answer=lambda: sweep_shape(values),
                    explanation=lambda: text("lesson3.q.sweep.explain",
                                             **sweep_summary(values(), "rows")))


def bytes_growth(values: Values) -> dict[str, Any]:
    """How the bytes reaching the driver at depth 1 grow with d: the exponent e in
    bytes ∝ dᵉ between the smallest and the largest d measured."""
    rows = [row for row in values()["rows"] if row["depth"] == 1]
    if len(rows) < 2:
        raise LookupError("fewer than two depth-1 rows")
    small, large = rows[0], rows[-1]
    exponent = (math.log(large["to_driver"] / small["to_driver"])
                / math.log(large["features"] / small["features"]))
    return {"exponent": exponent, "small": small["features"], "large": large["features"],
            "small_bytes": small["to_driver"], "large_bytes": large["to_driver"],
            "answer": "same" if exponent < 0.3 else "linear" if exponent < 1.5 else "square"}


def bytes_question(values: Values) -> Question:
    return Question("lesson3.bytes", "lesson3.q.bytes.prompt",
                    choices=_choices("bytes", ("same", "linear", "square")),
                    answer=lambda: bytes_growth(values)["answer"],
                    explanation=lambda: text("lesson3.q.bytes.explain", **bytes_growth(values)))


def straggler_growth(values: Values) -> dict[str, Any]:
    points = values()["points"]
    if len(points) < 2:
        raise LookupError("fewer than two straggler points")
    first, last = points[0], points[-1]
    ratio = last["time"] / first["time"]
    return {"first": first["partitions"], "last": last["partitions"], "ratio": ratio,
            "first_time": first["time"], "last_time": last["time"],
            "answer": "longer" if ratio > 1.2 else "shorter" if ratio < 0.8 else "same"}


def stragglers(values: Values) -> Question:
    return Question("lesson3.stragglers", "lesson3.q.stragglers.prompt",
                    choices=_choices("stragglers", ("shorter", "same", "longer")),
                    answer=lambda: straggler_growth(values)["answer"],
                    explanation=lambda: text("lesson3.q.stragglers.explain",
                                             **straggler_growth(values)))


def failure_outcome(values: Values) -> str:
    found = values()
    retried = found["attempts"][found["partition"]] >= 2
    same = found["largest_difference"] <= 1e-12
    return "retry_same" if retried and same else "retry_different" if retried else "fails"


def failure(values: Values) -> Question:
    return Question("lesson3.failure", "lesson3.q.failure.prompt",
                    choices=_choices("failure", ("fails", "retry_same", "retry_different")),
                    answer=lambda: failure_outcome(values),
                    explanation=lambda: text("lesson3.q.failure.explain", **{
                        k: values()[k] for k in ("partition", "iteration",
                                                 "largest_difference")}))


def stable_change(values: Values) -> dict[str, Any]:
    stable = values()["stable"]
    if len(stable) < 2:
        raise LookupError("fewer than two stalenesses measured")
    taus = sorted(stable, key=int)
    first, last = stable[taus[0]], stable[taus[-1]]
    ratio = last / first if first > 0 else 0.0
    return {"first_tau": taus[0], "last_tau": taus[-1], "first": first, "last": last,
            "answer": "smaller" if ratio < 0.8 else "larger" if ratio > 1.25 else "same"}


def asynchronous(values: Values) -> Question:
    return Question("lesson3.async", "lesson3.q.async.prompt",
                    choices=_choices("async", ("smaller", "same", "larger")),
                    answer=lambda: stable_change(values)["answer"],
                    explanation=lambda: text("lesson3.q.async.explain", **stable_change(values)))


def timed_ratio(values: Values) -> dict[str, Any]:
    found = values()
    ratio = found["stepping"] / max(found["per_iteration"], 1e-12)
    return {"ratio": ratio, "stepping": found["stepping"],
            "per_iteration": found["per_iteration"],
            "answer": "much" if ratio > 2 else "little" if ratio > 1.1 else "same"}


def timed(values: Values) -> Question:
    return Question("lesson3.timed", "lesson3.q.timed.prompt",
                    choices=_choices("timed", ("same", "little", "much")),
                    answer=lambda: timed_ratio(values)["answer"],
                    explanation=lambda: text("lesson3.q.timed.explain", **timed_ratio(values)))


QUESTIONS: dict[str, Callable[[Values], Question]] = {
    "sweep": sweep, "bytes": bytes_question, "stragglers": stragglers, "failure": failure,
    "async": asynchronous, "timed": timed}
