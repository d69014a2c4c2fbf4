"""Lesson 3's synchronous versus asynchronous SGD: the engine's simulated parameter server
(:func:`stepper.algorithms.async_sgd`) on generated least-squares rows, on the driver (numpy).

A SIMULATION: the clock is drawn, the gradients are real. With η the step and B a worker's
rows, each update is w ← w − η·g_B(w_read), the gradient read τ updates ago at most
(``staleness=τ``); ``sync`` averages the W workers' gradients after the slowest.

* :func:`simulate`: J(w) after every W gradients, against the simulated clock and the updates;
* :func:`largest_stable_step`: on a grid η = η₀·2^(k/4), the largest step for which
  ``updates`` updates end finite and below J(w₀), by bisection over the grid (it assumes, as
  one can check on the curves, that stability is lost once and for all as η grows).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from stepper.pages.kit.errors import PageInputError
from stepper.pages.lesson3_lab import Progress, no_progress


@dataclass(frozen=True)
class AsyncSize:
    rows: int
    features: int
    workers: int
    stalenesses: tuple[int, ...]
    iterations: int          # W gradients each
    stable_updates: int      # updates per stability trial
    grid: int                # steps on the grid η₀·2^(k/4), k = 0 … grid − 1


FULL_ASYNC = AsyncSize(2_000, 20, 20, (0, 4, 16), 40, 600, 24)
QUICK_ASYNC = AsyncSize(300, 10, 8, (0, 7), 8, 120, 16)


def rows(size: AsyncSize, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Generated regression rows (the same rows a partitioned run would build)."""
    from stepper.data.synthetic import GeneratorSpec, generate_rows

    spec = GeneratorSpec(rows=size.rows, features=size.features, seed=seed, task="regression",
                         noise=0.1)
    return generate_rows(spec, 0, spec.rows)


def problem() -> Any:
    from stepper.problems import Problem

    return Problem("squares", l2=1e-3)


def base_step(X: np.ndarray) -> float:
    """η₀ = 1/L, L = maxᵢ‖xᵢ‖² + λ₂ (the workshop's safe step for one row at a time)."""
    from stepper.local import lipschitz_step

    return lipschitz_step(problem(), X)


def method(workers: int, staleness: int | None, variant: str = "ps") -> Any:
    from stepper.algorithms import async_sgd

    return async_sgd(workers=workers, staleness=staleness, variant=variant, batch=1)


def simulate(X: np.ndarray, y: np.ndarray, algorithm: Any, eta: float, iterations: int,
             seed: int = 0) -> dict[str, list[float]]:
    """``iterations`` engine iterations of ``algorithm`` from w = 0 at step ``eta``: after each,
    the simulated clock, the updates applied, J(w) and the largest staleness so far."""
    from stepper.algorithms import Settings
    from stepper.local import LocalDriver

    prob = problem()
    mask = prob.penalty_mask(X.shape[1], False)
    driver = LocalDriver(prob, Settings(algorithm=algorithm, seed=seed), X, y, mask)
    driver.step_size = eta
    state = algorithm.init(np.zeros(X.shape[1]), 0)
    out: dict[str, list[float]] = {"time": [0.0], "updates": [0.0],
                                   "objective": [prob.objective(X, y, state.w, mask)],
                                   "staleness": [0.0]}
    updates, stalest = 0, 0
    with np.errstate(all="ignore"):
        for _ in range(iterations):
            step = algorithm.update(state, {}, driver)
            state = step.state
            events = step.info["simulated_events"]
            updates += len({event["update"] for event in events})
            stalest = max([stalest, *(int(event["staleness"]) for event in events)])
            out["time"].append(float(step.info["simulated_clock"]))
            out["updates"].append(float(updates))
            out["objective"].append(float(prob.objective(X, y, state.w, mask)))
            out["staleness"].append(float(stalest))
    return out


def stalenesses_checked(stalenesses: Sequence[int], updates: int) -> tuple[int, ...]:
    """The stalenesses asked for, refused (the page's line) when one is negative or not smaller
    than the number of updates the run makes."""
    for tau in stalenesses:
        if tau < 0 or tau >= updates:
            raise PageInputError("lesson3.bad.staleness", staleness=tau, updates=updates)
    return tuple(int(t) for t in stalenesses)


def compare(size: AsyncSize, stalenesses: Sequence[int] | None = None, *,
            progress: Progress = no_progress, stop: threading.Event | None = None,
            seed: int = 0) -> dict[str, Any]:
    """The curves of ``ps`` for each staleness and of ``sync``, all at η₀ = 1/L, then the
    largest stable step for each staleness."""
    taus = stalenesses_checked(stalenesses or size.stalenesses,
                               size.iterations * size.workers)
    X, y = rows(size, seed)
    eta = base_step(X)
    total = 2 * len(taus) + 1
    curves: dict[str, Any] = {}
    done = 0
    for tau in taus:
        curves[f"tau={tau}"] = simulate(X, y, method(size.workers, tau), eta, size.iterations,
                                        seed)
        done += 1
        progress(done, total)
    curves["sync"] = simulate(X, y, method(size.workers, None, "sync"), eta,
                              size.iterations * 1, seed)
    done += 1
    progress(done, total)
    stable: dict[str, float] = {}
    for tau in taus:
        if stop is not None and stop.is_set():
            break
        stable[str(tau)] = largest_stable_step(X, y, size, tau, seed) / eta
        done += 1
        progress(done, total)
    return {"curves": curves, "eta": eta, "stable": stable, "workers": size.workers,
            "stalenesses": list(taus), "stopped": len(stable) < len(taus)}


def stable(X: np.ndarray, y: np.ndarray, size: AsyncSize, tau: int, eta: float,
           seed: int = 0) -> bool:
    """Whether ``stable_updates`` updates at step ``eta`` end finite and below J(w₀)."""
    iterations = max(size.stable_updates // size.workers, 1)
    curve = simulate(X, y, method(size.workers, tau), eta, iterations, seed)["objective"]
    return bool(np.isfinite(curve[-1]) and curve[-1] < curve[0])


def largest_stable_step(X: np.ndarray, y: np.ndarray, size: AsyncSize, tau: int,
                        seed: int = 0) -> float:
    """The largest η on the grid η₀·2^(k/4), k = 0 … grid − 1, that :func:`stable` accepts,
    by bisection over k (0 if even η₀/… — the grid's first — is unstable)."""
    eta0 = base_step(X) / 4.0
    grid = [eta0 * 2 ** (k / 4) for k in range(size.grid)]
    if not stable(X, y, size, tau, grid[0], seed):
        return 0.0
    lo, hi = 0, len(grid) - 1
    if stable(X, y, size, tau, grid[hi], seed):
        return grid[hi]
    while hi - lo > 1:  # grid[lo] stable, grid[hi] not
        middle = (lo + hi) // 2
        if stable(X, y, size, tau, grid[middle], seed):
            lo = middle
        else:
            hi = middle
    return grid[lo]
