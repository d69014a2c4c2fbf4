"""Lesson 4's predict-then-reveal questions. Each answer and explanation is computed, when the
question is revealed, from the result of the part it hides (``result()``: the part's dict, or
LookupError while it has not run: the reveal then waits for it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from stepper.pages.catalog import method_label
from stepper.pages.i18n import text
from stepper.pages.question import Question

Result = Callable[[], dict[str, Any]]
ROUND_CHOICES = ("gd", "nesterov", "newton", "lbfgs", "local_sgd", "admm")


def _choices(prefix: str, keys: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(key, f"{prefix}.{key}") for key in keys]


def fewest_rounds(result: dict[str, Any]) -> str:
    """The method that reached the tolerance in the fewest rounds (else the smallest final
    gap per round spent)."""
    curves = result["curves"]
    reached = {n: c["rounds_to_tol"] for n, c in curves.items() if c["rounds_to_tol"] is not None}
    if reached:
        return min(reached, key=lambda n: (reached[n], n))
    return min(curves, key=lambda n: (curves[n]["gaps"][-1], n))


def newton_rate(result: dict[str, Any]) -> str:
    return str(result["curves"]["newton"]["rate"]["kind"])


def mllib_gap(result: dict[str, Any]) -> float:
    return float(np.max(np.abs(np.asarray(result["weights"]) - np.asarray(result["ours"]))))


def mllib_agreement(result: dict[str, Any]) -> str:
    gap = mllib_gap(result)
    return "digits" if gap < 1e-3 else "close" if gap < 5e-2 else "different"


def non_iid_effect(result: dict[str, Any]) -> tuple[str, float, float, int]:
    """``worse`` when rows grouped by label leave local SGD (the largest H) at least twice as
    far from J* as rows split at random; with the two gaps and H."""
    top = max(run["H"] for run in result["runs"])
    floors = {run["split"]: run["floor"] for run in result["runs"] if run["H"] == top}
    iid, non_iid = floors["iid"], floors["non_iid"]
    return ("worse" if non_iid > 2 * max(iid, 1e-16) else "same"), iid, non_iid, top


def make(name: str, result: Result) -> Question:
    """Question ``name`` (rounds, rate, mllib, non_iid, zeros)."""
    if name == "rounds":
        def explain() -> str:
            found = result()
            best = fewest_rounds(found)
            return text("lesson4.q.rounds.explain", method=method_label(best),
                        rounds=found["curves"][best]["rounds_to_tol"] or "—")

        return Question("lesson4.rounds", "lesson4.q.rounds.prompt",
                        choices=_choices("lesson4.q.rounds", ROUND_CHOICES),
                        answer=lambda: fewest_rounds(result()), explanation=explain)
    if name == "rate":
        return Question("lesson4.rate", "lesson4.q.rate.prompt",
                        choices=_choices("lesson4.rate",
                                         ("linear", "superlinear", "quadratic", "unknown")),
                        answer=lambda: newton_rate(result()),
                        explanation=lambda: text("lesson4.q.rate.explain",
                                                 kind=text("lesson4.rate." + newton_rate(
                                                     result()))))
    if name == "mllib":
        return Question("lesson4.mllib", "lesson4.q.mllib.prompt",
                        choices=_choices("lesson4.q.mllib", ("digits", "close", "different")),
                        answer=lambda: mllib_agreement(result()),
                        explanation=lambda: text("lesson4.q.mllib.explain",
                                                 gap=mllib_gap(result()),
                                                 iterations=result()["iterations"]))
    if name == "non_iid":
        def explain_non_iid() -> str:
            _kind, iid, non_iid, top = non_iid_effect(result())
            return text("lesson4.q.non_iid.explain", H=top, iid=iid, non_iid=non_iid)

        return Question("lesson4.non_iid", "lesson4.q.non_iid.prompt",
                        choices=_choices("lesson4.q.non_iid", ("same", "worse")),
                        answer=lambda: non_iid_effect(result())[0], explanation=explain_non_iid)
    if name == "zeros":
        return Question("lesson4.zeros", "lesson4.q.zeros.prompt",
                        answer=lambda: result()["zeros"], tolerance=0.01,
                        explanation=lambda: text("lesson4.q.zeros.explain",
                                                 zeros=result()["zeros"],
                                                 penalized=result()["penalized"],
                                                 reference=result()["reference_zeros"]))
    raise KeyError(name)
