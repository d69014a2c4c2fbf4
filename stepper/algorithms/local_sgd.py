"""Local SGD (model averaging, FedAvg): every partition takes H steps of its own, the driver
averages the models.

One round, for the objective J(w) = (1/n) Σᵢ ℓᵢ(w) + R(w) with R = (λ₂/2)‖w‖² + λ₁R₁(w), and
partition p holding n_p rows (Σ n_p = n):

1. broadcast w and the iteration's step size η (the run's ``lr``: 1/L by default, after the
   schedule; it reaches the payload through :class:`~stepper.algorithms.RoundContext`), the
   regularizer (the problem and its penalty mask), the run's seed and t;
2. partition p starts from u⁰ = w and takes H = ``local_steps`` proximal gradient steps on its
   own part of the objective, J_p(u) = (1/n_p) Σ_{i∈p} ℓᵢ(u) + R(u):

       u^{h+1} = prox_{ηλ₁R₁}(u^h − η [ (1/|B_h|) Σ_{i∈B_h} ∇ℓᵢ(u^h) + ∇R_smooth(u^h) ])

   where B_h is all of p's rows (``batch=None``: full local gradient steps) or ``batch`` rows of
   p drawn without replacement (all of them when p has fewer), a fresh draw per local step
   from ``numpy.random.default_rng([seed, 29, t, p])`` — the same rows on a cluster and in
   :func:`stepper.local.run_local`. prox is the identity unless L1 is in prox mode;
   w_p = u^H is the partition's local model;
3. reduce: Σ n_p w_p, Σ n_p, and (as every method) Σ ℓᵢ(w), Σ ∇ℓᵢ(w) at the broadcast w;
4. driver: the row-weighted average w̄ = Σ n_p w_p / Σ n_p, and with server momentum β

       v⁺ = β v + (w̄ − w),    w⁺ = w + v⁺         (β = 0: w⁺ = w̄, plain model averaging).

The record's ``direction`` is d = (w⁺ − w)/η with ``step_size`` η, so that w⁺ = w + η d; its
``gradient`` is ∇J(w) at the broadcast w, and ``update["average_model"]`` is w̄.

Properties (tested in tests/test_local_sgd.py):

* H = 1 with full local gradients and β = 0 is one gradient-descent step for a smooth
  objective (L2, smooth L1): Σ n_p (w − η∇J_p(w))/n = w − η∇J(w), since the local gradients are
  row-weighted pieces of the global one (equal in exact arithmetic; to rounding, ~1e-16, in
  floating point, where the sums are grouped differently). With L1 in prox mode the average
  of the partitions' proximal steps is not the proximal step of the average (the "curse of
  primal averaging" of federated composite optimization): the averaged model is in general not
  sparse, and H = 1 equals proximal gradient descent only on one partition.
* H > 1: each partition drifts towards the minimizer of its own J_p. With a constant η the
  iteration has a fixed point that is not the minimizer of J unless the partitions agree
  (client drift): close to it when the partitions are alike (rows split at random, IID), far
  from it when they differ (rows grouped by label: ``non_iid`` in the loaders). The distance
  shrinks in proportion to η (measured in the tests); with a decreasing step
  (``schedule="inv_sqrt"``) it vanishes as η_t → 0.

Keys a partition returns besides ``rows``, ``loss``, ``gradient``, ``correct``:
``model_sum`` (n_p·w_p, d numbers; summed over partitions by the reduce) and
``local_gradients`` (how many row gradients the H local steps evaluated).
"""

from __future__ import annotations

import math
from typing import Any

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
from stepper.algorithms.gradient import OptState, init_state
from stepper.errors import ConfigError

BATCH_SALT = 29
"""Part of the seed of the local mini-batch draws: ``default_rng([seed, 29, t, p])``."""


def local_batches(seed: int, t: int, p: int) -> np.random.Generator:
    """The generator of partition p's mini-batches in iteration t + 1 (t = iterations done)."""
    return np.random.default_rng([seed, BATCH_SALT, t, p])


def local_model(block: Any, payload: dict[str, Any], data_term: DataTerm, local_steps: int,
                batch: int | None, p: int, first_gradient: np.ndarray | None = None
                ) -> tuple[np.ndarray, int]:
    """Partition p's model w_p after H local steps from payload["w"], and the row gradients
    evaluated (see the module docstring). ``first_gradient``: Σ∇ℓᵢ(w) over the block, when
    already known (full local steps reuse it for their first step)."""
    X, y = block.X, block.y
    rows = X.shape[0]
    u = np.array(payload["w"], dtype=np.float64)
    if rows == 0:
        return u, 0
    eta, problem, mask = payload["eta"], payload["problem"], payload["mask"]
    rng = local_batches(payload["seed"], payload["t"], p) if batch is not None else None
    evaluated = 0
    for h in range(local_steps):
        if rng is None:
            total = first_gradient if h == 0 and first_gradient is not None \
                else data_term(X, y, u).gradient
            used = rows
        else:
            used = min(batch, rows)
            index = np.sort(rng.choice(rows, size=used, replace=False))
            total = data_term(X[index], y[index], u).gradient
        evaluated += used
        smooth = np.asarray(total) / used + problem.regularizer_gradient(u, mask)
        u = problem.prox(u - eta * smooth, eta, mask)
    return u, evaluated


def _check(local_steps: Any, batch: Any, server_momentum: Any) -> None:
    if isinstance(local_steps, bool) or not isinstance(local_steps, (int, np.integer)) \
            or local_steps < 1:
        raise ConfigError("local_steps", local_steps, "a whole number ≥ 1")
    if batch is not None and (isinstance(batch, bool) or not isinstance(batch, (int, np.integer))
                              or batch < 1):
        raise ConfigError("batch", batch, "a whole number ≥ 1, or None for full local steps")
    if isinstance(server_momentum, bool) or not isinstance(server_momentum, (int, float)) \
            or not (math.isfinite(server_momentum) and 0.0 <= server_momentum < 1.0):
        raise ConfigError("server_momentum", server_momentum, "a number in [0, 1)")


@register
def local_sgd(local_steps: int = 10, batch: int | None = None,
              server_momentum: float = 0.0) -> Algorithm:
    """Local SGD / model averaging: H local steps per partition from w, then
    w̄ = Σ n_p w_p / n, v⁺ = βv + (w̄ − w), w⁺ = w + v⁺ (see the module docstring)."""
    _check(local_steps, batch, server_momentum)
    local_steps = int(local_steps)
    batch = None if batch is None else int(batch)
    beta = float(server_momentum)

    def broadcast(state: OptState, context: RoundContext) -> dict[str, Any]:
        return {"w": state.w, "eta": float(context.step_size), "problem": context.problem,
                "mask": context.mask, "seed": int(context.seed), "t": int(state.t)}

    def local(p: int, block: Any, payload: dict[str, Any], data_term: DataTerm) -> Sums:
        at_w = data_term(block.X, block.y, payload["w"])
        model, evaluated = local_model(block, payload, data_term, local_steps, batch, p,
                                       first_gradient=at_w.gradient)
        rows = block.X.shape[0]
        return {"rows": rows, "loss": at_w.loss, "gradient": at_w.gradient,
                "correct": at_w.correct, "model_sum": rows * model,
                "local_gradients": evaluated}

    def update(state: OptState, sums: Sums, driver: Driver) -> Step:
        w = state.w
        gradient = driver.totals(sums, w)[1]
        average = np.asarray(sums["model_sum"], dtype=np.float64) / max(int(sums["rows"]), 1)
        velocity = beta * state.velocity + (average - w)
        new_w = w + velocity
        eta = float(driver.step_size)
        return Step(OptState(new_w, velocity, state.t + 1), velocity / eta, eta,
                    {"gradient": gradient, "query_point": w, "average_model": average,
                     "trials": []})

    rule = ("wₚ ← H local steps from w on partition p;  w̄ = Σ nₚwₚ / n;  "
            "v ← βv + (w̄ − w),  w ← w + v")
    return Algorithm(name="local_sgd", rule=rule,
                     hyper={"local_steps": local_steps, "batch": batch,
                            "server_momentum": beta},
                     init=init_state, broadcast=broadcast, local=local, combine=add_sums,
                     update=update, default_lr="1/L")
