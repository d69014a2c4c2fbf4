"""Newton's method: one round brings the gradient and the Hessian sums.

Each partition sends Σ ∇ℓᵢ(w) (d numbers) and Σ ∇²ℓᵢ(w) (d × d); the driver forms
∇J = Σ∇ℓᵢ/n + ∇R and H = Σ∇²ℓᵢ/n + ∇²R, and steps

    w⁺ = w − η H⁻¹ ∇J        (η = 1 by default: the full Newton step),

with ``lr="armijo"`` backtracking from η = 1 until J(w⁺) ≤ J(w) + 10⁻⁴ η ∇Jᵀd. Needs a twice
differentiable objective (not hinge; L1 only in its smooth form).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from stepper.algorithms.base import Algorithm, Driver, RoundContext, Step, Sums, add_sums, register
from stepper.algorithms.gradient import OptState, gradient_local, init_state
from stepper.algorithms.line_search import backtrack


def newton_direction(gradient: np.ndarray, hessian: np.ndarray) -> np.ndarray:
    """d = −H⁻¹ g (least squares if H is singular)."""
    try:
        direction: np.ndarray = -np.linalg.solve(hessian, gradient)
    except np.linalg.LinAlgError:
        direction = -np.linalg.lstsq(hessian, gradient, rcond=None)[0]
    return direction


def _broadcast(state: OptState, _context: RoundContext) -> dict[str, Any]:
    return {"w": state.w, "q": state.w}


def _update(state: OptState, sums: Sums, driver: Driver) -> Step:
    J, gradient = driver.totals(sums, state.w)
    direction = newton_direction(gradient, driver.hessian(sums, state.w))
    info = {"gradient": gradient, "query_point": state.w}

    def candidate(eta: float) -> Step:
        return Step(OptState(state.w + eta * direction, state.velocity, state.t + 1),
                    direction, eta, {})

    if driver.lr == "armijo":
        step, trials = backtrack(state, J, gradient, driver, candidate, direction_test=True)
        return step._replace(info={**info, "trials": trials})
    return candidate(driver.step_size)._replace(info={**info, "trials": []})


@register
def newton() -> Algorithm:
    """Newton's method (see the module docstring)."""
    return Algorithm(name="newton", rule="w ← w − η H⁻¹∇J", hyper={}, init=init_state,
                     broadcast=_broadcast, local=gradient_local("full", False, True),
                     combine=add_sums, update=_update, default_lr=1.0, needs_hessian=True,
                     line_searches=("armijo",))
