"""One-shot averaging, then global Newton steps: few rounds for a smooth regularized problem.

The objective J(w) = (1/n) Σᵢ ℓᵢ(w) + R(w) is an average of the partitions' own problems

    J_p(v) = (1/n_p) Σ_{i∈p} ℓᵢ(v) + R(v),      J = Σ_p (n_p/n) J_p.

**Round 1** (from w₀): each partition solves its own J_p locally, ``local_steps`` damped Newton
steps warm from w₀ (gradients over all its rows; the Hessian over every k-th row, k = round(1 /
``hessian_fraction``), scaled by n_p/⌈n_p/k⌉; each step backtracks until
J_p(v⁺) ≤ J_p(v) + 10⁻⁴ η ∇J_pᵀd), and sends, besides the standard sums at w₀,

    ``local_w``        n_p·v_p          (its local solution v_p, weighted by its rows)
    ``local_hessian``  n_p·Ĥ_p(v_p)     (Σ ∇²ℓᵢ at v_p, estimated as above; d × d)
    ``hessian``        Σ ∇²ℓᵢ(w₀)       (its first local step's Hessian: summed, the global one)
    ``local_trials``   how many times it evaluated J_p (a scalar, for the trace)

and the driver averages: w̄ = Σ n_p v_p / n (one-shot averaging: with identically distributed
partitions w̄ − w* = O(1/n_p), already very close to the optimum), H̄ = Σ n_p Ĥ_p / n + ∇²R(w̄).
It also keeps Newton's direction at w₀, d₀ = −∇²J(w₀)⁻¹∇J(w₀), from the same sums.

**Later rounds**: one round per iteration, bringing J, ∇J (and Σ∇²ℓᵢ, unless H̄ is used) at the
broadcast point c. A point is *accepted* when

    J(c) ≤ J(a) + 10⁻⁴ min(∇J(a)ᵀ(c − a), 0) + 10⁻¹²·max(1, |J(a)|)

for the last accepted point a (the check is deferred: it costs no round of its own, since
J(c) arrives with c's sums). Accepted: the next point is c + d with d = −∇²J(c)⁻¹∇J(c)
(``later="newton"``) or d = −H̄⁻¹∇J(c) (``later="averaged"``: no Hessian pass, as long as each
accepted step at least halves ‖∇J‖; otherwise exact Newton from then on). Rejected: a Newton
step from a with half the step size (Armijo's backtracking, one round per trial). The safeguard
for partitions that are *not* identically distributed (rows split by label, say): when the
average w̄ is rejected, the method falls back to exact Newton from w₀ (the full step d₀, then
backtracking), so it converges wherever damped Newton does — one round later than Newton.

Each record is one round. ``update`` adds ``stage`` (start, average, step), ``accepted`` (None
in round 1), ``fallback`` and ``preconditioner`` ("newton" or "averaged") to the record.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from stepper.algorithms.base import (
    Algorithm,
    DataTerm,
    Driver,
    RoundContext,
    Step,
    Sums,
    add_sums,
    register,
)
from stepper.algorithms.newton import newton_direction
from stepper.errors import ConfigError

LATER = ("newton", "averaged")
ARMIJO_C = 1e-4
MAX_LOCAL_TRIALS = 30


class AvgNewtonState(NamedTuple):
    """w: the point broadcast next; a/value/gradient: the last accepted point, J and ∇J there;
    direction, eta: the step from a being tried; preconditioner: H̄ or None (exact Newton)."""

    w: np.ndarray
    t: int
    stage: str = "start"
    anchor: np.ndarray | None = None
    value: float = np.inf
    gradient: np.ndarray | None = None
    direction: np.ndarray | None = None
    eta: float = 1.0
    preconditioner: np.ndarray | None = None


def init_state(w0: np.ndarray, t: int = 0) -> AvgNewtonState:
    """Round 1 (the local solves) starts from w₀."""
    return AvgNewtonState(np.asarray(w0, dtype=np.float64), t)


def solve_local(X: np.ndarray, y: np.ndarray, w: np.ndarray, data_term: DataTerm, problem: Any,
                mask: np.ndarray, steps: int, fraction: float) -> dict[str, Any]:
    """Damped Newton on J_p from w (see the module docstring); the sums round 1 sends."""
    rows = X.shape[0]
    every = max(1, round(1.0 / fraction))
    Xs, ys = X[::every], y[::every]
    scale = rows / max(Xs.shape[0], 1)

    def at(v: np.ndarray) -> tuple[Any, np.ndarray, float, np.ndarray]:
        """Sums at v, the data Hessian sum estimate, J_p(v), ∇J_p(v)."""
        full = data_term(X, y, v, every == 1)
        hessian = full.hessian if every == 1 else data_term(Xs, ys, v, True).hessian * scale
        n = max(rows, 1)
        value = full.loss / n + problem.regularizer_value(v, mask)
        gradient = full.gradient / n + problem.regularizer_gradient(v, mask)
        return full, hessian, value, gradient

    start, start_hessian, value, gradient = at(w)
    v, hessian, trials = w, start_hessian, 1
    for _ in range(steps if rows else 0):
        H = hessian / rows + np.diag(problem.regularizer_hessian_diagonal(v, mask))
        d = newton_direction(gradient, H)
        slope = float(gradient @ d)
        if not slope < 0:  # at the local optimum (to rounding)
            break
        eta = 1.0
        for _ in range(MAX_LOCAL_TRIALS):
            _, new_hessian, new_value, new_gradient = at(v + eta * d)
            trials += 1
            if np.isfinite(new_value) and new_value <= value + ARMIJO_C * eta * slope:
                v, hessian, value, gradient = v + eta * d, new_hessian, new_value, new_gradient
                break
            eta *= 0.5
        else:
            break
    return {"rows": rows, "loss": start.loss, "gradient": start.gradient,
            "correct": start.correct, "hessian": start_hessian, "local_w": rows * v,
            "local_hessian": hessian, "local_trials": trials}


def _local(p: int, block: Any, payload: dict[str, Any], data_term: DataTerm) -> Sums:
    w = payload["w"]
    if payload["local_steps"] > 0:
        return solve_local(block.X, block.y, w, data_term, payload["problem"], payload["mask"],
                           payload["local_steps"], payload["hessian_fraction"])
    sums = data_term(block.X, block.y, w, payload["hessian"])
    return {"rows": block.rows, "loss": sums.loss, "gradient": sums.gradient,
            "correct": sums.correct, "hessian": sums.hessian}


def _accepts(state: AvgNewtonState, value: float) -> bool:
    """The deferred sufficient-decrease test of the broadcast point (module docstring)."""
    assert state.anchor is not None and state.gradient is not None
    slope = min(float(state.gradient @ (state.w - state.anchor)), 0.0)
    return bool(np.isfinite(value)
                and value <= state.value + ARMIJO_C * slope + 1e-12 * max(1.0, abs(state.value)))


def _avg_newton(local_steps: int, hessian_fraction: float, later: str) -> Algorithm:
    hyper = {"local_steps": local_steps, "hessian_fraction": hessian_fraction, "later": later}

    def broadcast(state: AvgNewtonState, context: RoundContext) -> dict[str, Any]:
        if state.stage == "start":
            if context.problem is None:
                raise ConfigError("problem", None, "a Problem in the round's context (the "
                                  "partitions solve their own regularized problem)")
            return {"w": state.w, "local_steps": local_steps, "hessian": True,
                    "hessian_fraction": hessian_fraction, "problem": context.problem,
                    "mask": context.mask}
        return {"w": state.w, "local_steps": 0, "hessian": state.preconditioner is None}

    def update(state: AvgNewtonState, sums: Sums, driver: Driver) -> Step:
        J, gradient = driver.totals(sums, state.w)
        info: dict[str, Any] = {"gradient": gradient, "query_point": state.w,
                                "stage": state.stage, "trials": []}
        t = state.t + 1
        if state.stage == "start":
            n = sums["rows"]
            average = np.asarray(sums["local_w"]) / max(int(n), 1)
            direction = newton_direction(gradient, driver.hessian(sums, state.w))
            averaged = driver.hessian({"hessian": sums["local_hessian"], "rows": n}, average)
            new = AvgNewtonState(average, t, "average", state.w, J, gradient, direction, 1.0,
                                 averaged if later == "averaged" else None)
            return Step(new, average - state.w, 1.0,
                        {**info, "accepted": None, "fallback": False,
                         "preconditioner": later})
        accepted = _accepts(state, J)
        fallback = False
        if accepted:
            preconditioner = state.preconditioner
            if (preconditioner is not None and state.stage == "step"
                    and state.gradient is not None
                    and np.linalg.norm(gradient) > 0.5 * np.linalg.norm(state.gradient)):
                preconditioner = None  # H̄ no longer contracts enough: exact Newton from now on
            if preconditioner is not None:
                direction = newton_direction(gradient, preconditioner)
            elif sums.get("hessian") is not None:
                direction = newton_direction(gradient, driver.hessian(sums, state.w))
            else:  # H̄ was dropped this round: no Hessian came; a round of Newton sums first
                direction = np.zeros_like(state.w)
            new = AvgNewtonState(state.w + direction, t, "step", state.w, J, gradient, direction,
                                 1.0, preconditioner)
        elif state.stage == "average":  # the average is worse than w₀: Newton from w₀
            fallback = True
            assert state.anchor is not None and state.direction is not None
            new = state._replace(w=state.anchor + state.direction, t=t, stage="step", eta=1.0,
                                 preconditioner=None)
        else:  # backtrack from the anchor along the same direction
            assert state.anchor is not None and state.direction is not None
            eta = 0.5 * state.eta
            new = state._replace(w=state.anchor + eta * state.direction, t=t, eta=eta)
        return Step(new, new.w - state.w, 1.0,
                    {**info, "accepted": accepted, "fallback": fallback,
                     "preconditioner": "newton" if new.preconditioner is None else "averaged"})

    return Algorithm(name="avg_newton", rule="w̄ = Σ n_p argmin J_p / n,  then w ← w − H⁻¹∇J",
                     hyper=hyper, init=init_state, broadcast=broadcast, local=_local,
                     combine=add_sums, update=update, default_lr=1.0, needs_hessian=True,
                     supports_oracle=False)


@register
def avg_newton(local_steps: int = 5, hessian_fraction: float = 1.0,
               later: str = "newton") -> Algorithm:
    """One-shot averaging of the partitions' local solutions, then global Newton steps with a
    deferred Armijo safeguard (see the module docstring)."""
    if isinstance(local_steps, bool) or not isinstance(local_steps, int) or local_steps < 1:
        raise ConfigError("local_steps", local_steps, "a whole number ≥ 1")
    if not (isinstance(hessian_fraction, (int, float)) and 0 < hessian_fraction <= 1):
        raise ConfigError("hessian_fraction", hessian_fraction, "a number in (0, 1]")
    if later not in LATER:
        raise ConfigError("later", later, f"one of {', '.join(LATER)}")
    return _avg_newton(local_steps, float(hessian_fraction), later)
