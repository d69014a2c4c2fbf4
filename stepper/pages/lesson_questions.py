"""The lessons' predict-then-reveal questions (at least three per lesson page).

Each factory returns a :class:`~stepper.pages.question.Question` placed before the result it
predicts (``hides``: the widgets showing that result). The right answer and the explanation's
figures are computed by the page's own code when the question is revealed (``values``: a
function returning the figures the page computed, called then), never written here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from stepper.pages.i18n import text
from stepper.pages.question import Question

Values = Callable[[], dict[str, Any]]


def _choices(prefix: str, keys: Sequence[str]) -> list[tuple[str, str]]:
    return [(key, f"{prefix}.{key}") for key in keys]


def _explained(key: str, values: Values) -> Callable[[], str]:
    return lambda: text(key, **values())


# -- lesson 0 ---------------------------------------------------------------------------------
def lesson0_lazy(values: Values, hides: Sequence[Any] = (), **options: Any) -> Question:
    """After ``textFile``: how many rows were read? (``values``: the read card's ``jobs``, the
    Spark jobs ``textFile`` ran)."""
    return Question("lesson0.lazy", "lesson0.q.lazy.prompt",
                    choices=_choices("lesson0.q.lazy", ("none", "first", "all")),
                    answer=lambda: "none" if values()["jobs"] == 0 else "all",
                    explanation=_explained("lesson0.q.lazy.explain", values), hides=hides,
                    **options)


def lesson0_recount(values: Values, hides: Sequence[Any] = (), **options: Any) -> Question:
    """Two counts without cache: how many times is each row parsed?"""
    def answer() -> str:
        found = values()
        return "twice" if found["after_second"] == 2 * found["rows"] else "once"

    return Question("lesson0.recount", "lesson0.q.recount.prompt",
                    choices=_choices("lesson0.q.recount", ("once", "twice")), answer=answer,
                    explanation=_explained("lesson0.q.recount.explain", values), hides=hides,
                    **options)


def lesson0_share(values: Values, hides: Sequence[Any] = (), **options: Any) -> Question:
    """The share of churners, in % (``values``: rows, churners, share)."""
    return Question("lesson0.share", "lesson0.q.share.prompt",
                    answer=lambda: round(100 * values()["share"], 2), tolerance=0.25,
                    unit=" %", explanation=_explained("lesson0.q.share.explain", values),
                    hides=hides, **options)


# -- lesson 1 ---------------------------------------------------------------------------------
CONDITION_OPTIONS = {"same": 1.0, "ten": 10.0, "seventy": 70.0, "thousand": 1000.0}


def nearest_condition_option(kappa: float) -> str:
    """The option closest to κ on a log scale."""
    import math

    return min(CONDITION_OPTIONS, key=lambda k: abs(math.log(CONDITION_OPTIONS[k] / kappa)))


def lesson1_spectral(values: Values, hides: Sequence[Any] = (), **options: Any) -> Question:
    """L / L_spec as a number (``values``: L, spectral, ratio)."""
    return Question("lesson1.spectral", "lesson1.q.spectral.prompt",
                    answer=lambda: round(values()["ratio"], 1), tolerance=0.2, unit="×",
                    explanation=_explained("lesson1.q.spectral.explain", values), hides=hides,
                    **options)


def lesson1_condition(values: Values, hides: Sequence[Any] = (), **options: Any) -> Question:
    """κ(∇²J(0)) on raw features (``values``: raw, standardized)."""
    return Question("lesson1.condition", "lesson1.q.condition.prompt",
                    choices=_choices("lesson1.q.condition", tuple(CONDITION_OPTIONS)),
                    answer=lambda: nearest_condition_option(values()["raw"]),
                    explanation=_explained("lesson1.q.condition.explain", values), hides=hides,
                    **options)


def lesson1_lasso(values: Values, hides: Sequence[Any] = (), **options: Any) -> Question:
    """Exact zeros with the smooth lasso? (``values``: smooth_zeros, zeros)."""
    return Question("lesson1.lasso", "lesson1.q.lasso.prompt",
                    choices=_choices("lesson1.q.lasso", ("yes", "no")),
                    answer=lambda: "yes" if values()["smooth_zeros"] else "no",
                    explanation=_explained("lesson1.q.lasso.explain", values), hides=hides,
                    **options)


def lesson1_overshoot(values: Values, hides: Sequence[Any] = (), **options: Any) -> Question:
    """η = 1000/L (``values``: kind — the run's verdict — and verdict, its sentence)."""
    def answer() -> str:
        kind = values()["kind"]
        return "up" if kind in ("unstable", "diverged") else "fast"

    return Question("lesson1.overshoot", "lesson1.q.overshoot.prompt",
                    choices=_choices("lesson1.q.overshoot", ("fast", "up", "same")),
                    answer=answer, explanation=_explained("lesson1.q.overshoot.explain", values),
                    hides=hides, **options)


# -- lesson 2 ---------------------------------------------------------------------------------
def lesson2_partitions(values: Values, hides: Sequence[Any] = (), **options: Any) -> Question:
    """1, 3, 8 partitions (``values``: largest_difference between the runs' weights)."""
    def answer() -> str:
        gap = values()["largest_difference"]
        return "same" if gap < 1e-12 else "close" if gap < 1e-2 else "different"

    return Question("lesson2.partitions", "lesson2.q.partitions.prompt",
                    choices=_choices("lesson2.q.partitions", ("same", "close", "different")),
                    answer=answer, explanation="lesson2.q.partitions.explain", hides=hides,
                    **options)


def lesson2_via(values: Values, hides: Sequence[Any] = (), **options: Any) -> Question:
    """How w travels (``values``: via — ``task`` or ``broadcast`` —, bytes, limit)."""
    def explain() -> str:
        found = dict(values())
        found["via"] = text(f"lesson2.via.{found['via']}")
        return text("lesson2.q.via.explain", **found)

    return Question("lesson2.via", "lesson2.q.via.prompt",
                    choices=_choices("lesson2.q.via", ("task", "broadcast", "disk")),
                    answer=lambda: values()["via"], explanation=explain, hides=hides, **options)


def lesson2_slow(hides: Sequence[Any] = (), **options: Any) -> Question:
    """A +0.3 s task: the barrier adds it once per iteration (the timeline shows it)."""
    return Question("lesson2.slow", "lesson2.q.slow.prompt",
                    choices=_choices("lesson2.q.slow", ("none", "one", "eight")), answer="one",
                    explanation="lesson2.q.slow.explain", hides=hides, **options)


def lesson2_minibatch(hides: Sequence[Any] = (), **options: Any) -> Question:
    """Mini-batch tasks with the full objective on: as long as GD's (the timeline shows it)."""
    return Question("lesson2.minibatch", "lesson2.q.minibatch.prompt",
                    choices=_choices("lesson2.q.minibatch", ("yes", "no")), answer="no",
                    explanation="lesson2.q.minibatch.explain", hides=hides, **options)
