"""Backtracking line search (Armijo), shared by the methods that offer ``lr="armijo"``.

From η₀ (``armijo_start``), try the step, and accept it when

    J(w⁺) ≤ J(w) + c·η·gᵀd            (Newton, L-BFGS: d the search direction, c = 10⁻⁴), or
    J(w⁺) ≤ J(w) + gᵀ(w⁺ − w) + ‖w⁺ − w‖²/(2η)   (proximal gradient steps),

otherwise multiply η by ``armijo_shrink``; each trial costs one round (J(w⁺) on the cluster).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from stepper.algorithms.base import Driver, Step
from stepper.errors import DivergenceError


def backtrack(state: Any, objective: float, gradient: np.ndarray, driver: Driver,
              candidate: Callable[[float], Step], *,
              direction_test: bool = False) -> tuple[Step, list[dict[str, Any]]]:
    """The first accepted ``candidate(η)`` and the trials (η, J(w⁺), accepted)."""
    settings = driver.settings
    eta = float(settings.armijo_start)
    trials: list[dict[str, Any]] = []
    for _ in range(settings.max_trials):
        step = candidate(eta)
        moved = step.state.w - state.w
        value = driver.evaluate(step.state.w)[0]
        if direction_test:
            bound = objective + 1e-4 * eta * float(gradient @ step.direction)
        else:
            bound = objective + float(gradient @ moved) + float(moved @ moved) / (2 * eta)
        accepted = math.isfinite(value) and value <= bound
        trials.append({"step_size": eta, "objective": value, "accepted": accepted})
        if accepted:
            return step, trials
        eta *= settings.armijo_shrink
    raise DivergenceError(f"Armijo backtracking (no step accepted in {settings.max_trials} "
                          "trials)", state.t + 1)


WOLFE_C1, WOLFE_C2 = 1e-4, 0.9
"""The strong Wolfe constants (sufficient decrease, curvature) for quasi-Newton directions."""

ROUNDING = 1e-15
"""Relative size of J's rounding: a decrease below ROUNDING·(1 + |J|) cannot be measured."""


def strong_wolfe(state: Any, objective: float, gradient: np.ndarray, driver: Driver,
                 candidate: Callable[[float], Step]) -> tuple[Step, list[dict[str, Any]]]:
    """The first ``candidate(η)`` meeting the strong Wolfe conditions, and the trials.

    With φ(η) = J(w + ηd) and φ'(η) = ∇J(w + ηd)ᵀd (d = ``candidate(η).direction``, φ'(0) < 0),
    accept η when

        φ(η) ≤ φ(0) + c₁ η φ'(0)     and     |φ'(η)| ≤ c₂ |φ'(0)|     (c₁ = 10⁻⁴, c₂ = 0.9).

    Nocedal & Wright alg. 3.5: from η₀ = ``armijo_start``, double η until a trial fails the
    decrease test, does not decrease φ, or has φ' ≥ 0: a bracket holding acceptable steps; then
    alg. 3.6 (zoom) shrinks it, each new trial the minimizer of the cubic through the bracket's
    ends (bisection when that falls within 10% of an end or is not defined). Each trial is one
    round (``driver.evaluate(w, gradient=True)``); the trials list has one dict per round
    (η, J, φ', accepted). For a convex J an accepted step has sᵀy = η(φ'(η) − φ'(0)) > 0.

    At the optimum, where the predicted decrease −η φ'(0) and the change of J are both below
    J's rounding (``ROUNDING``·(1 + |J|)), φ' is rounding noise and the curvature test cannot be
    met: such a trial (in practice the first) is accepted as it is.
    """
    settings = driver.settings
    trials: list[dict[str, Any]] = []
    slope0 = float(gradient @ candidate(0.0).direction)

    def trial(eta: float) -> tuple[Step, float, float]:
        if len(trials) >= settings.max_trials:
            raise DivergenceError(f"the strong Wolfe search (no step accepted in "
                                  f"{settings.max_trials} trials)", state.t + 1)
        step = candidate(eta)
        value, g = driver.evaluate(step.state.w, gradient=True)
        slope = float(g @ step.direction) if g is not None else math.nan
        if not (math.isfinite(value) and math.isfinite(slope)):
            value, slope = math.inf, math.nan
        trials.append({"step_size": eta, "objective": value, "slope": slope,
                       "accepted": False})
        return step, value, slope

    def sufficient(eta: float, value: float) -> bool:
        return value <= objective + WOLFE_C1 * eta * slope0

    def curvature(slope: float) -> bool:
        return abs(slope) <= -WOLFE_C2 * slope0

    def accept(step: Step) -> tuple[Step, list[dict[str, Any]]]:
        trials[-1]["accepted"] = True
        return step, trials

    def zoom(lo: tuple[float, float, float], hi: tuple[float, float, float]
             ) -> tuple[Step, list[dict[str, Any]]]:
        while True:
            eta = _cubic_minimizer(lo, hi)
            step, value, slope = trial(eta)
            if not sufficient(eta, value) or value >= lo[1]:
                hi = (eta, value, slope)
                continue
            if curvature(slope):
                return accept(step)
            if slope * (hi[0] - lo[0]) >= 0:
                hi = lo
            lo = (eta, value, slope)

    previous = (0.0, objective, slope0)
    eta = float(settings.armijo_start)
    resolution = ROUNDING * (1.0 + abs(objective))
    while True:
        step, value, slope = trial(eta)
        if -slope0 * eta <= resolution and abs(value - objective) <= resolution:
            return accept(step)  # at the optimum: J cannot tell the decrease from rounding
        if not sufficient(eta, value) or (len(trials) > 1 and value >= previous[1]):
            return zoom(previous, (eta, value, slope))
        if curvature(slope):
            return accept(step)
        if slope >= 0:
            return zoom((eta, value, slope), previous)
        previous, eta = (eta, value, slope), 2.0 * eta


def _cubic_minimizer(lo: tuple[float, float, float], hi: tuple[float, float, float]) -> float:
    """The minimizer of the cubic matching φ and φ' at both ends (N&W (3.59)), kept at least 10%
    of the interval away from either end; the midpoint when it is not defined."""
    (a, fa, da), (b, fb, db) = lo, hi
    middle = 0.5 * (a + b)
    if not all(math.isfinite(v) for v in (fa, da, fb, db)) or a == b:
        return middle
    d1 = da + db - 3.0 * (fa - fb) / (a - b)
    radicand = d1 * d1 - da * db
    if radicand < 0:
        return middle
    d2 = math.copysign(math.sqrt(radicand), b - a)
    denominator = db - da + 2.0 * d2
    if denominator == 0:
        return middle
    eta = b - (b - a) * (db + d2 - d1) / denominator
    low, high = min(a, b), max(a, b)
    margin = 0.1 * (high - low)
    if not (math.isfinite(eta) and low + margin <= eta <= high - margin):
        return middle
    return eta
