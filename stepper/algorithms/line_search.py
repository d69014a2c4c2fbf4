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
