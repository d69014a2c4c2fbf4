"""L-BFGS: a quasi-Newton direction from the last m steps, one distributed gradient per iteration.

The direction. With gₖ = ∇J(wₖ) and the m most recent curvature pairs

    sᵢ = wᵢ₊₁ − wᵢ,   yᵢ = gᵢ₊₁ − gᵢ,   ρᵢ = 1/(yᵢᵀsᵢ),

the driver forms dₖ = −Hₖgₖ without ever storing the d × d matrix Hₖ, by the two-loop recursion
(Nocedal & Wright, *Numerical Optimization*, alg. 7.4):

    q ← gₖ
    for i = newest … oldest:   αᵢ ← ρᵢ sᵢᵀq,   q ← q − αᵢ yᵢ
    r ← γₖ q,   γₖ = sᵀy / yᵀy of the newest pair  (1 while the memory is empty)
    for i = oldest … newest:   β ← ρᵢ yᵢᵀr,    r ← r + sᵢ (αᵢ − β)
    dₖ = −r

Hₖ is the BFGS update, applied once per stored pair, of the initial matrix H⁰ₖ = γₖI (γₖ
estimates the inverse curvature along the last step, so the unit step is usually accepted);
the cost is O(m d) on the driver. With an empty memory (the first iteration) dₖ = −gₖ.

Which pairs are kept. The BFGS update keeps H positive definite only when sᵀy > 0 (the
curvature condition), and a pair with sᵀy barely positive makes ρ = 1/sᵀy huge and H nearly
singular. J here is convex, so sᵀy ≥ 0 always, but with λ₂ = 0 on separable data, or along
an almost flat direction, sᵀy can vanish to rounding level; a fixed step or a backtracking
search does not enforce the curvature condition (a strong Wolfe search does). So a pair is
stored only when

    sᵀy > ε ‖s‖ ‖y‖      (ε = :data:`CURVATURE_EPS` = 10⁻⁸: the angle between s and y is
                           below 90° by a margin, a test independent of the scale of J),

otherwise it is skipped (the record's ``pair_kept`` says False) and the memory stays as it was.
Every stored ρᵢ is then positive, Hₖ is positive definite and dₖ a descent direction (gₖᵀdₖ < 0);
should rounding still give gₖᵀdₖ ≥ 0, the memory is cleared and dₖ = −gₖ.

One distributed gradient per iteration. The map is the gradient family's full-batch one
(``gradient_local("full", False, False)``): each partition sends Σℓᵢ and Σ∇ℓᵢ at the broadcast
wₖ, the driver forms J(wₖ) and gₖ. The gradient at wₖ₊₁ arrives only with iteration k+1's map,
so the pair of step k is *completed at the start of iteration k+1's update*: the state carries
the step sₖ = wₖ₊₁ − wₖ and the gradient gₖ, and update k+1 forms yₖ = gₖ₊₁ − gₖ, tests it,
stores it (dropping the oldest beyond m), then computes dₖ₊₁. The state is
(w, t, pairs, gradient, step): ``pairs`` a tuple of (s, y) tuples of read-only arrays, oldest
first, so a recorded state is never changed by a later iteration (stepping back and forth
recomputes the same numbers). A change of the problem between steps (``Stepper.set(l2=…)``)
keeps the state: the stored pairs then describe the old J, the direction is still one of
descent (every stored pair has sᵀy > 0), and the memory renews itself within m iterations.

The step wₖ₊₁ = wₖ + η dₖ:

* a fixed number η (``lr``; the default is the full step η = 1);
* ``lr="armijo"``: backtracking from η₀ = ``armijo_start`` (1) until
  J(w + ηd) ≤ J(w) + 10⁻⁴ η gᵀd, shrinking η by ``armijo_shrink``
  (:func:`stepper.algorithms.line_search.backtrack` with the direction test); each trial is one
  more round (J on the cluster);
* ``lr="wolfe"``: the strong Wolfe conditions (:func:`stepper.algorithms.line_search.
  strong_wolfe`, N&W alg. 3.5–3.6 with cubic interpolation), which also guarantee sᵀy > 0; each
  trial is one more round that brings J and ∇J.

So an iteration costs 1 + (trials) rounds. With a line search that is at least 2: the accepted
Wolfe trial even brings ∇J(wₖ₊₁), which the next iteration's map computes again (every iteration
starts with one map that reports J and ∇J at the broadcast weights). On the lesson data
(logistic, λ₂ = 0.01, w₀ = 0) both searches accept η = 1 almost always: ‖∇J‖ < 10⁻⁸ after 11
iterations and 22 rounds (11 rounds with the fixed full step), against 6 iterations and 12
rounds for Newton with Armijo (each map also reducing a d × d Hessian) and 556 iterations and
1112 rounds for gradient descent with Armijo. Past the optimum, where differences of J are
rounding, backtracking may spend many trials on noise; the Wolfe search then takes its first
trial (see :func:`~stepper.algorithms.line_search.strong_wolfe`).

The record's ``update`` holds ``gradient`` (gₖ) and ``query_point`` (wₖ), ``trials`` (the line
search's, empty for a fixed step), ``memory_used`` (pairs in memory after this iteration's pair
was considered), ``pair_kept`` (whether the pair completed this iteration was stored; None on
the first iteration) and ``curvature`` (sᵀy of the newest stored pair, None while the memory
is empty).

Needs a smooth objective: not hinge, and L1 only in its smooth (pseudo-Huber) form; only loss and
gradient sums, so a plugged ``partition_oracle`` works.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from stepper.algorithms.base import Algorithm, Driver, RoundContext, Step, Sums, add_sums, register
from stepper.algorithms.gradient import gradient_local
from stepper.algorithms.line_search import backtrack, strong_wolfe
from stepper.errors import ConfigError

CURVATURE_EPS = 1e-8
"""A pair (s, y) is stored only when sᵀy > ε‖s‖‖y‖ (see the module docstring)."""

Pair = tuple[np.ndarray, np.ndarray]


class LbfgsState(NamedTuple):
    """Weights, iterations done, the stored pairs (oldest first), and the previous iteration's
    gradient and step (None before the first step), from which the next pair is completed."""

    w: np.ndarray
    t: int
    pairs: tuple[Pair, ...] = ()
    gradient: np.ndarray | None = None
    step: np.ndarray | None = None


def init_state(w0: np.ndarray, t: int = 0) -> LbfgsState:
    """w₀ as given, an empty memory."""
    return LbfgsState(np.asarray(w0, dtype=np.float64), t)


def two_loop(gradient: np.ndarray, pairs: tuple[Pair, ...]) -> np.ndarray:
    """d = −H g by the two-loop recursion over ``pairs`` (oldest first), H⁰ = (sᵀy/yᵀy) I."""
    q = np.array(gradient, dtype=np.float64)
    alphas = []
    for s, y in reversed(pairs):
        rho = 1.0 / float(y @ s)
        alpha = rho * float(s @ q)
        q -= alpha * y
        alphas.append((rho, alpha))
    if pairs:
        s, y = pairs[-1]
        q *= float(s @ y) / float(y @ y)
    for (s, y), (rho, alpha) in zip(pairs, reversed(alphas), strict=True):
        beta = rho * float(y @ q)
        q += (alpha - beta) * s
    return -q


def keeps_pair(s: np.ndarray, y: np.ndarray) -> bool:
    """The curvature test sᵀy > ε‖s‖‖y‖."""
    return float(s @ y) > CURVATURE_EPS * float(np.linalg.norm(s) * np.linalg.norm(y))


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=np.float64)
    a.setflags(write=False)
    return a


def _broadcast(state: LbfgsState, _context: RoundContext) -> dict[str, Any]:
    return {"w": state.w, "q": state.w}


def _requires(problem: Any, _task: str) -> None:
    if problem.loss == "hinge":
        raise ConfigError("algorithm", "lbfgs", "a smooth objective: not hinge (its loss has a "
                          "kink), e.g. logistic or squares")
    if problem.uses_prox:
        raise ConfigError("algorithm", "lbfgs",
                          "a smooth objective: L1 only with l1_mode='smooth'")


@register
def lbfgs(memory: int = 10) -> Algorithm:
    """L-BFGS with the last ``memory`` curvature pairs (see the module docstring)."""
    if isinstance(memory, bool) or not isinstance(memory, (int, np.integer)) or memory < 1:
        raise ConfigError("memory", memory, "a whole number ≥ 1")
    memory = int(memory)

    def update(state: LbfgsState, sums: Sums, driver: Driver) -> Step:
        J, gradient = driver.totals(sums, state.w)
        pairs, kept = state.pairs, None
        if state.step is not None and state.gradient is not None:  # complete step k's pair
            s, y = state.step, gradient - state.gradient
            kept = keeps_pair(s, y)
            if kept:
                pairs = (*pairs, (_frozen(s), _frozen(y)))[-memory:]
        direction = two_loop(gradient, pairs)
        if float(gradient @ direction) >= 0 and np.any(gradient):  # rounding: start over
            pairs, direction = (), -np.asarray(gradient, dtype=np.float64)
        info = {"gradient": gradient, "query_point": state.w, "memory_used": len(pairs),
                "pair_kept": kept,
                "curvature": float(pairs[-1][0] @ pairs[-1][1]) if pairs else None}
        g_frozen = _frozen(gradient)

        def candidate(eta: float) -> Step:
            w = state.w + eta * direction
            return Step(LbfgsState(w, state.t + 1, pairs, g_frozen, _frozen(w - state.w)),
                        direction, eta, {})

        if driver.lr == "armijo":
            step, trials = backtrack(state, J, gradient, driver, candidate, direction_test=True)
        elif driver.lr == "wolfe":
            step, trials = strong_wolfe(state, J, gradient, driver, candidate)
        else:
            step, trials = candidate(driver.step_size), []
        return step._replace(info={**info, "trials": trials})

    return Algorithm(name="lbfgs", rule="w ← w − η H∇J  (H from the last m pairs (s, y))",
                     hyper={"memory": memory}, init=init_state, broadcast=_broadcast,
                     local=gradient_local("full", False, False), combine=add_sums, update=update,
                     default_lr=1.0, line_searches=("armijo", "wolfe"), requires=_requires)
