"""Consensus ADMM (Boyd et al. 2011, §7.1 and §8.2), in scaled form: one local solve per
partition, one proximal step on the driver.

With P partitions, the objective J(w) = (1/n) Σᵢ ℓᵢ(w) + g(w) is split as

    J(w) = Σ_p f_p(w) + g(w),   f_p(x) = (1/n) Σ_{i∈p} ℓᵢ(x),
    g(z) = λ₁‖z‖₁ + (λ₂/2)‖z‖²  (on the penalized coordinates; the intercept is not penalized),

and solved as "minimize Σ_p f_p(x_p) + g(z) subject to x_p = z for every p". One iteration
(ρ > 0 the penalty, u_p the scaled dual of partition p, z the consensus):

    x_p⁺ = argmin_x f_p(x) + (ρ/2)‖x − z + u_p‖²      on partition p (the map)
    z⁺   = prox_{g/(Pρ)}(x̄),  x̄ = mean_p(x_p⁺ + u_p)   on the driver
         = S_{λ₁/(Pρ)}(x̄) / (1 + λ₂/(Pρ))             on the penalized coordinates (S the
                                                        soft-threshold), x̄ on the others
    u_p⁺ = u_p + x_p⁺ − z⁺

    primal residual r = √(Σ_p ‖x_p⁺ − z⁺‖²),   dual residual s = ρ √P ‖z⁺ − z‖.

The method's weights are z (``state.w``, ``payload["w"]``): every record reports J(z) and
‖∇J(z)‖ (the smooth part: the L1 term is in g), so an exact-L1 run gives exact zeros in the
weights.

**The local solve.** Newton's method on φ_p(x) = f_p(x) + (ρ/2)‖x − v_p‖², v_p = z − u_p,
warm-started from the partition's previous x_p (z at the first iteration):

    x ← x − η (∇²f_p(x) + ρI)⁻¹ (∇f_p(x) + ρ(x − v_p)),

η = 1 unless backtracking (halving η) is needed for φ_p(x⁺) ≤ φ_p(x) − 10⁻⁴ η·δ², δ² the
Newton decrement gᵀH⁻¹g; at most ``local_newton_steps`` (default 3) steps, stopping early when
δ²/2 ≤ 10⁻²⁴·max(1, |φ_p|). φ_p is ρ-strongly convex, so the steps converge quadratically,
and at ADMM's fixed point the warm-started iterate is the exact local minimizer. For
``squares`` φ_p is quadratic and the first step solves the linear system
(X_pᵀX_p/n + ρI) x = X_pᵀy_p/n + ρ v_p exactly (the second only confirms it). Each step is one
pass over the partition's rows with the problem's data term (its Hessian sums), so a plugged
``partition_oracle`` (loss and gradient only) is refused.

**What goes out and comes back.** The payload: ``w`` (z), ``rho``, ``n`` (all rows), ``u`` and
``x`` (dicts partition → u_p, x_p: P×d numbers, small for the d this toolkit teaches with).
Each partition returns the standard sums at w = z (``rows``, ``loss``, ``gradient``,
``correct``) and, keyed by its partition index (dicts merged by :func:`add_sums`):

* ``local_x``: its local solution x_p⁺ (d numbers);
* ``local_steps``: the Newton steps it took;
* ``local_decrement``: the Newton decrement δ² before its last step (how exact x_p⁺ is).

The executors keep nothing between iterations: x_p and u_p live in the driver's state and
travel in the payload, so a retried task solves the same local problem from the same warm start
(the same numbers), and a partition may run on any executor. After ``set_data`` with another
partition count, a partition without an x_p or u_p starts from z and 0 (any u is a valid start).

**The update's record** (``info``): ``z`` (= the new weights), ``primal_residual``,
``dual_residual``, ``rho`` (the ρ of this iteration's local solves), ``next_rho`` (the ρ of the
next one), ``local_solutions`` (the x_p⁺, a P × d list ordered by partition) and ``duals`` (the
u_p⁺, likewise).

**Residual balancing** (``residual_balancing=True``, Boyd §3.4.1, μ = 10, τ = 2): after the
iteration, ρ ← τρ if r > μs, ρ ← ρ/τ if s > μr (else unchanged), and every u_p is divided by the
same factor (u = y/ρ is the scaled dual, so y is kept).

**Choosing ρ.** f_p carries the factor 1/n, so its curvature is about 1/P of the data term's
(between μ/P and L/P); ρ of that order converges fastest, a much larger or smaller ρ slowly.
On the workshop's logistic data (standardized, λ₂ = 0.01, P = 4), ρ = 0.01 (the default)
reaches scikit-learn's solution to 5·10⁻⁷ in 33 iterations, while ρ = 1 is still 1.0 away after
80; residual balancing moves a badly chosen ρ towards the right scale. For another data set,
try a few powers of ten around (curvature of the data term)/P.

Problems: logistic or squares, with L2 and/or the exact L1 (``l1_mode="prox"``). Hinge is
refused (the local Newton solve needs a twice-differentiable loss), and so is the smooth L1
(``l1_mode="smooth"`` with λ₁ > 0): its pseudo-Huber term has no closed-form prox for the
z-step, and the partitions' local solves see the data term only.
"""

from __future__ import annotations

import math
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
from stepper.errors import ConfigError

BALANCE_MU = 10.0
"""Residual balancing: rescale ρ when one residual exceeds the other by this factor."""

BALANCE_TAU = 2.0
"""Residual balancing: the factor ρ is multiplied or divided by."""

LOCAL_DECREMENT_TOLERANCE = 1e-24
"""A partition stops its Newton steps when δ²/2 ≤ this × max(1, |φ_p(x)|)."""

LOCAL_MAX_HALVINGS = 30
"""Backtracking halvings of a local Newton step before the step is taken as it is."""


class AdmmState(NamedTuple):
    """ADMM's state: the consensus z (as ``w``), the per-partition x_p and u_p (dicts keyed by
    partition index, empty before the first iteration: x_p = z, u_p = 0), ρ, iterations done."""

    w: np.ndarray
    x: dict[int, np.ndarray]
    u: dict[int, np.ndarray]
    rho: float
    t: int


def soft_threshold(v: np.ndarray, threshold: float) -> np.ndarray:
    """S_θ(v) = sign(v) max(|v| − θ, 0), coordinate-wise (zeros as +0.0)."""
    shrunk: np.ndarray = np.sign(v) * np.maximum(np.abs(v) - threshold, 0.0) + 0.0
    return shrunk


def consensus_prox(mean: np.ndarray, rho: float, partitions: int, l1: float, l2: float,
                   mask: np.ndarray) -> np.ndarray:
    """argmin_z λ₁‖z‖₁ + (λ₂/2)‖z‖² + (Pρ/2)‖z − x̄‖² over the penalized coordinates (``mask``
    = 1): S_{λ₁/(Pρ)}(x̄)/(1 + λ₂/(Pρ)); the others keep x̄."""
    scale = partitions * rho
    shrunk = soft_threshold(mean, l1 / scale) / (1.0 + l2 / scale)
    return np.where(mask > 0, shrunk, mean)


def local_solve(X: np.ndarray, y: np.ndarray, n: int, v: np.ndarray, x0: np.ndarray, rho: float,
                steps: int, data_term: DataTerm) -> tuple[np.ndarray, int, float]:
    """At most ``steps`` damped Newton steps on φ(x) = Σ_{i∈p} ℓᵢ(x)/n + (ρ/2)‖x − v‖² from x0;
    returns x, the steps taken and the Newton decrement δ² before the last step."""

    def phi(x: np.ndarray) -> tuple[float, Any]:
        sums = data_term(X, y, x, True)
        gap = x - v
        return float(sums.loss) / n + 0.5 * rho * float(gap @ gap), sums

    x = np.asarray(x0, dtype=np.float64).copy()
    value, sums = phi(x)
    decrement = 0.0
    identity = np.eye(x.shape[0])
    for taken in range(steps):
        gradient = np.asarray(sums.gradient) / n + rho * (x - v)
        hessian = np.asarray(sums.hessian) / n + rho * identity
        direction = -np.linalg.solve(hessian, gradient)
        decrement = float(-gradient @ direction)
        if decrement / 2 <= LOCAL_DECREMENT_TOLERANCE * max(1.0, abs(value)):
            return x, taken, decrement
        eta = 1.0
        for _ in range(LOCAL_MAX_HALVINGS):
            trial_value, trial_sums = phi(x + eta * direction)
            if math.isfinite(trial_value) and trial_value <= value - 1e-4 * eta * decrement:
                break
            eta *= 0.5
        x, value, sums = x + eta * direction, trial_value, trial_sums
    return x, steps, decrement


def _require(problem: Any, _task: str) -> None:
    if problem.loss == "hinge":
        raise ConfigError("problem", "hinge", "logistic or squares for admm (its local Newton "
                          "solve needs a twice-differentiable loss)")
    if problem.l1 > 0 and problem.l1_mode == "smooth":
        raise ConfigError("l1_mode", "smooth", "'prox' for admm (its z-step applies the exact "
                          "L1 by soft-thresholding)")


@register
def admm(rho: float = 0.01, local_newton_steps: int = 3,
         residual_balancing: bool = False) -> Algorithm:
    """Consensus ADMM in scaled form (see the module docstring): ρ the augmented-Lagrangian
    penalty, at most ``local_newton_steps`` warm-started Newton steps per partition and
    iteration, optional residual balancing of ρ (μ = 10, τ = 2)."""
    if isinstance(rho, bool) or not isinstance(rho, (int, float)) \
            or not (math.isfinite(rho) and rho > 0):
        raise ConfigError("rho", rho, "a positive number")
    if isinstance(local_newton_steps, bool) or not isinstance(local_newton_steps, int) \
            or local_newton_steps < 1:
        raise ConfigError("local_newton_steps", local_newton_steps, "a whole number ≥ 1")
    if not isinstance(residual_balancing, bool):
        raise ConfigError("residual_balancing", residual_balancing, "True or False")
    hyper = {"rho": rho, "local_newton_steps": local_newton_steps,
             "residual_balancing": residual_balancing}

    def init(w0: np.ndarray, t: int = 0) -> AdmmState:
        return AdmmState(np.asarray(w0, dtype=np.float64), {}, {}, float(rho), t)

    def broadcast(state: AdmmState, context: RoundContext) -> dict[str, Any]:
        return {"w": state.w, "rho": state.rho, "n": int(sum(context.partition_rows)),
                "u": dict(state.u), "x": dict(state.x)}

    def local(p: int, block: Any, payload: dict[str, Any], data_term: DataTerm) -> Sums:
        z, rho_now = payload["w"], float(payload["rho"])
        X, y = block.X, block.y
        at_z = data_term(X, y, z, False)
        u_p = payload["u"].get(p, np.zeros_like(z))
        x0 = payload["x"].get(p, z)
        x, taken, decrement = local_solve(X, y, max(int(payload["n"]), 1), z - u_p, x0,
                                          rho_now, local_newton_steps, data_term)
        return {"rows": X.shape[0], "loss": at_z.loss, "gradient": at_z.gradient,
                "correct": at_z.correct, "local_x": {p: x}, "local_steps": {p: taken},
                "local_decrement": {p: decrement}}

    def update(state: AdmmState, sums: Sums, driver: Driver) -> Step:
        z, rho_now = state.w, state.rho
        order = sorted(sums["local_x"])
        P = len(order)
        xs = np.array([sums["local_x"][p] for p in order])
        us = np.array([state.u.get(p, np.zeros_like(z)) for p in order])
        problem = driver.problem
        l1 = problem.l1 if problem.l1_mode == "prox" else 0.0
        z_new = consensus_prox((xs + us).mean(axis=0), rho_now, P, l1, problem.l2, driver.mask)
        us = us + xs - z_new
        primal = float(np.sqrt(((xs - z_new) ** 2).sum()))
        dual = float(rho_now * math.sqrt(P) * np.linalg.norm(z_new - z))
        rho_next = rho_now
        if residual_balancing:
            if primal > BALANCE_MU * dual:
                rho_next = rho_now * BALANCE_TAU
            elif dual > BALANCE_MU * primal:
                rho_next = rho_now / BALANCE_TAU
            us = us * (rho_now / rho_next)
        new = AdmmState(z_new, {p: xs[i] for i, p in enumerate(order)},
                        {p: us[i] for i, p in enumerate(order)}, rho_next, state.t + 1)
        info = {"z": z_new, "primal_residual": primal, "dual_residual": dual, "rho": rho_now,
                "next_rho": rho_next, "local_solutions": xs, "duals": us}
        return Step(new, z_new - z, 1.0, info)

    return Algorithm(name="admm", rule="x_p ← argmin f_p + (ρ/2)‖x − z + u_p‖²,  "
                     "z ← prox_{g/(Pρ)}(mean(x_p + u_p)),  u_p ← u_p + x_p − z",
                     hyper=hyper, init=init, broadcast=broadcast, local=local,
                     combine=add_sums, update=update, default_lr=1.0, supports_oracle=False,
                     requires=_require)
