"""The same methods on one machine, with numpy alone (the workshop's Lab 1, and a reference).

:func:`run_local` runs exactly the method values of :mod:`stepper.algorithms` (their ``local``
on the whole data as one partition, their ``update`` with a :class:`LocalDriver`) on arrays held
in one process, so a distributed run can be compared with it number for number, and Lab 1 can
compare methods without a cluster. Stochastic methods draw their rows with a numpy generator
(not Spark's sampler), so their paths differ from a distributed run's while following the same
rule.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from stepper.algorithms import RoundContext, Settings, Sums, init_weights, scheduled_step
from stepper.algorithms.base import SumsToTotals
from stepper.checks import check_method_fits
from stepper.data.blocks import Block, partition_bounds
from stepper.errors import DivergenceError
from stepper.problems import Problem


class LocalPath(NamedTuple):
    """Iterates w₀ … w_k, objective J(w_i) and gradient norm at each, step sizes used."""

    weights: np.ndarray
    objective: np.ndarray
    grad_norm: np.ndarray
    step_sizes: np.ndarray


def max_row_norm_sq(X: np.ndarray) -> float:
    """maxᵢ ‖xᵢ‖² (0 for no rows)."""
    return float(np.max(np.einsum("ij,ij->i", X, X))) if X.shape[0] else 0.0


def lipschitz_step(problem: Problem, X: np.ndarray) -> float:
    """1/L with L = problem.lipschitz_bound(maxᵢ‖xᵢ‖²)."""
    return 1.0 / problem.lipschitz_bound(max_row_norm_sq(X))


def base_step(problem: Problem, settings: Settings, X: np.ndarray) -> float:
    """η before any schedule: the number given, 1/L, the spectral step, or a line search's η₀."""
    rule = settings.step_rule
    if rule == "1/L":
        return lipschitz_step(problem, X)
    if rule == "spectral":
        return 1.0 / problem.spectral_bound(X.T @ X, X.shape[0])
    if rule in ("armijo", "wolfe"):  # a line search's first trial
        return float(settings.armijo_start)
    return float(rule)


class LocalDriver(SumsToTotals):
    """A :class:`stepper.algorithms.Driver` over arrays in this process (no Spark)."""

    def __init__(self, problem: Problem, settings: Settings, X: np.ndarray, y: np.ndarray,
                 mask: np.ndarray) -> None:
        self.problem, self.settings, self.X, self.y, self.mask = problem, settings, X, y, mask
        self.rows = X.shape[0]
        self.lr = settings.step_rule
        self.step_size = 1.0
        self.evaluations = 0

    def evaluate(self, w: np.ndarray, gradient: bool = False) -> tuple[float, np.ndarray | None]:
        self.evaluations += 1
        sums = self.problem.block_sums(self.X, self.y, w)
        J, g = self.problem.totals(sums.loss, sums.gradient, self.rows, w, self.mask)
        return J, (g if gradient else None)

    def collect_rows(self) -> tuple[np.ndarray, np.ndarray]:
        return self.X, self.y


def run_local(
    problem: Problem,
    settings: Settings,
    X: np.ndarray,
    y: np.ndarray,
    steps: int,
    *,
    intercept: bool = False,
    stop_on_divergence: bool = True,
    partitions: int = 1,
) -> LocalPath:
    """Run ``steps`` iterations of ``settings.method`` on (X, y) in this process.

    ``partitions`` > 1 splits the rows into that many consecutive blocks (as the loaders split a
    file) for the methods whose partitions do more than sum (local SGD, ADMM); the gradient
    family gives the same numbers for any split. With ``stop_on_divergence=False`` a diverging
    run is returned up to its last finite iterate instead of raising (the lessons show
    divergence this way).
    """
    method = settings.method
    check_method_fits(problem, method,
                      "regression" if problem.loss == "squares" else "classification")
    mask = problem.penalty_mask(X.shape[1], intercept)
    driver = LocalDriver(problem, settings, X, y, mask)
    step = base_step(problem, settings, X)
    rng = np.random.default_rng([settings.seed, 13])
    state = method.init(init_weights(X.shape[1], settings), 0)
    n = X.shape[0]
    bounds = [partition_bounds(n, partitions, p) for p in range(partitions)]
    blocks = [Block(X[a:b], y[a:b]) for a, b in bounds]
    context = RoundContext(settings.seed, tuple(b.rows for b in blocks), X.shape[1], step,
                           problem, mask)
    ws, objectives, norms, steps_used = [state.w], [], [], []
    for t in range(steps):
        objectives.append(problem.objective(X, y, state.w, mask))
        norms.append(float(np.linalg.norm(problem.gradient(X, y, state.w, mask))))
        driver.step_size = scheduled_step(settings, step, t + 1)
        now = context._replace(step_size=driver.step_size)
        sums = _one_round(method, state, now, blocks, problem, _draw(settings, rng, n))
        update = method.update(state, sums, driver)
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


def _draw(settings: Settings, rng: np.random.Generator, n: int) -> np.ndarray | None:
    """The rows a stochastic method uses this iteration (numpy's generator), else None."""
    if settings.sampling == "single":
        return rng.integers(n, size=1)
    if settings.sampling == "minibatch":
        return np.flatnonzero(rng.random(n) < settings.method.hyper["fraction"])
    return None


def _one_round(method: Any, state: Any, context: RoundContext, blocks: list[Block],
               problem: Problem, rows: np.ndarray | None) -> Sums:
    """Broadcast, every block's ``local``, and the combine, in this process."""
    if method.local is None:  # a simulation: the update works on the rows themselves
        X = np.vstack([b.X for b in blocks])
        y = np.concatenate([b.y for b in blocks])
        at_w = problem.block_sums(X, y, state.w)
        return {"rows": X.shape[0], "loss": at_w.loss, "gradient": at_w.gradient}
    payload = method.broadcast(state, context)
    if rows is not None:  # one block holds every row when a sample is drawn here
        payload = {**payload, "rows": rows}
        blocks = [Block(np.vstack([b.X for b in blocks]), np.concatenate([b.y for b in blocks]))]
    total: Sums | None = None
    for p, block in enumerate(blocks):
        sums = method.local(p, block, payload, problem.block_sums)
        total = sums if total is None else method.combine(total, sums)
    assert total is not None
    return total
