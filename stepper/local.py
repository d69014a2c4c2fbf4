"""The same optimizers on one machine, with numpy alone (the workshop's Lab 1, and a reference).

:func:`run_local` applies exactly the update rules of :mod:`stepper.algorithms` to arrays held in
one process, so a distributed run can be compared with it number for number, and Lab 1 can
compare methods without a cluster. Stochastic methods draw their rows with a numpy generator
(not Spark's sampler), so their paths differ from a distributed run's while following the same
rule.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from stepper.algorithms import Settings, apply_update, init_state, query_point, scheduled_step
from stepper.errors import DivergenceError
from stepper.problems import Problem


class LocalPath(NamedTuple):
    """Iterates w₀ … w_k, objective J(w_i) and gradient norm at each, step sizes used."""

    weights: np.ndarray
    objective: np.ndarray
    grad_norm: np.ndarray
    step_sizes: np.ndarray


def lipschitz_step(problem: Problem, X: np.ndarray) -> float:
    """1/L with L = problem.lipschitz_bound(maxᵢ‖xᵢ‖²)."""
    return 1.0 / problem.lipschitz_bound(float(np.max(np.einsum("ij,ij->i", X, X))))


def run_local(
    problem: Problem,
    settings: Settings,
    X: np.ndarray,
    y: np.ndarray,
    steps: int,
    *,
    intercept: bool = False,
    stop_on_divergence: bool = True,
) -> LocalPath:
    """Run ``steps`` iterations of ``settings.algorithm`` on (X, y) in this process.

    ``lr="armijo"`` is not supported here (use a number or ``"1/L"``). With
    ``stop_on_divergence=False`` a diverging run is returned up to its last finite iterate
    instead of raising (the lessons show divergence this way).
    """
    mask = problem.penalty_mask(X.shape[1], intercept)
    step = lipschitz_step(problem, X) if settings.lr == "1/L" else float(settings.lr)
    rng = np.random.default_rng([settings.seed, 13])
    state = init_state(X.shape[1], settings)
    n = X.shape[0]
    ws, objectives, norms, steps_used = [state.w], [], [], []

    def gradient_hessian(rows: np.ndarray | None, at: np.ndarray):
        Xs, ys = (X, y) if rows is None else (X[rows], y[rows])
        sums = problem.block_sums(Xs, ys, at, settings.needs_hessian)
        g = sums.gradient / max(len(ys), 1) + problem.regularizer_gradient(at, mask)
        H = None
        if sums.hessian is not None:
            H = sums.hessian / len(ys) + np.diag(problem.regularizer_hessian_diagonal(at, mask))
        return g, H

    for t in range(steps):
        objectives.append(problem.objective(X, y, state.w, mask))
        norms.append(float(np.linalg.norm(problem.gradient(X, y, state.w, mask))))
        if settings.sampling == "single":
            rows = rng.integers(n, size=1)
        elif settings.sampling == "minibatch":
            rows = np.flatnonzero(rng.random(n) < settings.batch_fraction)
        else:
            rows = None
        g, H = gradient_hessian(rows, query_point(settings, state))
        update = apply_update(settings, state, g, scheduled_step(settings, step, t + 1),
                              lambda v, eta: problem.prox(v, eta, mask), H)
        if not np.all(np.isfinite(update.state.w)):
            if stop_on_divergence:
                raise DivergenceError("the weights after the update", t + 1)
            break
        state = update.state
        ws.append(state.w)
        steps_used.append(update.step_size)
    objectives.append(problem.objective(X, y, state.w, mask))
    norms.append(float(np.linalg.norm(problem.gradient(X, y, state.w, mask))))
    with np.errstate(over="ignore", invalid="ignore"):
        return LocalPath(np.asarray(ws), np.asarray(objectives), np.asarray(norms),
                         np.asarray(steps_used))
