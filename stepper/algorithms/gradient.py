"""The gradient family: one gradient per round, and the driver's (heavy-ball) step.

========== ====================================== =========================================
name       query point q (where ∇ is taken)       update (η = step size, μ = momentum)
========== ====================================== =========================================
gd         w                                      w⁺ = prox(w − η g)
momentum   w                                      v⁺ = μ v + η g,  w⁺ = prox(w − v⁺)
nesterov   w − μ v                                v⁺ = μ v + η g(w − μ v),  w⁺ = prox(w − v⁺)
sgd        w, g over one random row               as gd (or momentum when μ > 0)
minibatch  w, g over a sample (``RDD.sample``)    as gd (or momentum when μ > 0)
========== ====================================== =========================================

``prox`` is the L1 soft-thresholding step (identity without L1 in prox mode). The recorded
``direction`` d and ``step_size`` η always satisfy w⁺ = prox(w + η d).

What a partition computes (``local``): Σ loss and Σ ∇ℓ over its rows at the broadcast w (the
objective the record reports) and, when the update's gradient is taken elsewhere (at Nesterov's
look-ahead q, or over a sample), ``used_rows`` and ``used_gradient``: Σ ∇ℓ at q over the rows the
update uses. A mini-batch is drawn with Spark's own ``RDD.sample`` sampler (Poisson with
replacement, Bernoulli without), seeded by the run's seed and t; SGD's row is drawn uniformly
over all rows on the driver and sent with the weights. With ``full_objective=False`` a sampled
method skips the pass over all rows: its record's objective is then the sample's estimate,
(1/m) Σ over the m rows drawn (``objective_rows`` = m in the sums and in the record's ``reduce``).

``"armijo"`` (gd only in this family): backtracking from η₀ until
J(w⁺) ≤ J(w) + gᵀ(w⁺ − w) + ‖w⁺ − w‖²/(2η) (for plain gradient steps the classic sufficient
decrease J(w⁺) ≤ J(w) − (η/2)‖g‖²), halving η at each trial; each trial is one round.
"""

from __future__ import annotations

from collections.abc import Callable
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
from stepper.algorithms.line_search import backtrack


class OptState(NamedTuple):
    """The optimizer's state: weights, velocity (zeros when unused), iterations done."""

    w: np.ndarray
    velocity: np.ndarray
    t: int


def init_state(w0: np.ndarray, t: int = 0) -> OptState:
    """w₀ as given, v₀ = 0."""
    w0 = np.asarray(w0, dtype=np.float64)
    return OptState(w0, np.zeros_like(w0), t)


def sample_seed(seed: Any, t: int) -> int:
    """The seed of iteration t's sample: fixed by the run's seed (an int, or the ``Settings``
    that hold it), so a run can be replayed."""
    value = int(getattr(seed, "seed", seed))
    return (value * 1_000_003 + 7919 * (t + 1)) % (2**31 - 1)


def random_row(context: RoundContext, t: int) -> tuple[int, int]:
    """SGD's example for iteration t: a uniform row, as (partition, row in partition)."""
    rng = np.random.default_rng([context.seed, 11, t])
    row = int(rng.integers(sum(context.partition_rows)))
    for p, count in enumerate(context.partition_rows):
        if row < count:
            return p, row
        row -= count
    raise AssertionError("row index past the data")


def picked_rows(p: int, rows: int, payload: dict[str, Any], sampling: str,
                with_replacement: bool, fraction: float) -> np.ndarray | None:
    """The rows of partition p the update uses (None: all of them)."""
    if "rows" in payload:  # drawn by the caller (the one-machine reference draws with numpy)
        return np.asarray(payload["rows"], dtype=np.int64)
    if sampling == "single":
        return np.asarray([payload["row"]] if payload["partition"] == p else [], dtype=np.int64)
    if sampling == "minibatch":
        from pyspark.rddsampler import RDDSampler  # Spark's own sampler; pure Python

        sampler = RDDSampler(with_replacement, fraction, payload["sample_seed"])
        return np.asarray(list(sampler.func(p, iter(range(rows)))), dtype=np.int64)
    return None


def gradient_local(sampling: str, lookahead: bool, hessian: bool, with_replacement: bool = True,
                   fraction: float = 0.01, full_objective: bool = True
                   ) -> Callable[[int, Any, dict[str, Any], DataTerm], Sums]:
    """The map of the gradient family and Newton (see the module docstring)."""

    def local(p: int, block: Any, payload: dict[str, Any], data_term: DataTerm) -> Sums:
        w, q = payload["w"], payload["q"]
        X, y = block.X, block.y
        rows = X.shape[0]
        if sampling == "full" and not lookahead:
            at_w = data_term(X, y, w, hessian)
            return {"rows": rows, "loss": at_w.loss, "gradient": at_w.gradient,
                    "hessian": at_w.hessian, "correct": at_w.correct, "used_rows": rows}
        index = picked_rows(p, rows, payload, sampling, with_replacement, fraction)
        Xs, ys = (X, y) if index is None else (X[index], y[index])
        used = data_term(Xs, ys, q, hessian)
        if full_objective or sampling == "full":
            at_w = data_term(X, y, w, False)
            loss, gradient, correct = at_w.loss, at_w.gradient, at_w.correct
            estimate = {}
        else:  # the sample's sums: J is estimated over the rows drawn, not all rows
            loss, gradient, correct = used.loss, used.gradient, None
            estimate = {"objective_rows": Xs.shape[0]}
        return {"rows": rows, "loss": loss, "gradient": gradient, "correct": correct,
                "used_rows": Xs.shape[0], "used_gradient": used.gradient,
                "hessian": used.hessian, **estimate}

    return local


def update_gradient(sums: Sums, q: np.ndarray, driver: Driver) -> np.ndarray:
    """The update's gradient: over all rows at w, or over the used rows at q."""
    if sums.get("used_gradient") is None:
        return driver.totals(sums, q)[1]
    return driver.totals(sums, q, prefix="used_")[1]


def heavy_ball(state: OptState, gradient: np.ndarray, eta: float, mu: float,
               driver: Driver) -> Step:
    """v⁺ = μv + ηg, w⁺ = prox(w − v⁺) (plain w⁺ = prox(w − ηg) when μ = 0)."""
    w, v = state.w, state.velocity
    if mu > 0:
        velocity = mu * v + eta * gradient
        return Step(OptState(driver.prox(w - velocity, eta), velocity, state.t + 1),
                    -velocity / eta, eta, {})
    return Step(OptState(driver.prox(w - eta * gradient, eta), v, state.t + 1), -gradient,
                eta, {})


def _gradient_method(name: str, rule: str, mu: float, sampling: str = "full",
                     lookahead: bool = False, line_searches: tuple[str, ...] = (),
                     **sample: Any) -> Algorithm:
    hyper = {"mu": mu, **sample}

    def broadcast(state: OptState, context: RoundContext) -> dict[str, Any]:
        q = state.w - mu * state.velocity if lookahead else state.w
        payload: dict[str, Any] = {"w": state.w, "q": q}
        if sampling == "minibatch":
            payload["sample_seed"] = sample_seed(context.seed, state.t)
        elif sampling == "single":
            payload["partition"], payload["row"] = random_row(context, state.t)
        return payload

    def update(state: OptState, sums: Sums, driver: Driver) -> Step:
        q = state.w - mu * state.velocity if lookahead else state.w
        gradient = update_gradient(sums, q, driver)
        info = {"gradient": gradient, "query_point": q}
        if sampling != "full" and sums.get("used_rows", 0) == 0:  # an empty sample: no move
            return Step(OptState(state.w, state.velocity, state.t + 1), np.zeros_like(state.w),
                        0.0, {**info, "trials": []})
        if driver.lr == "armijo":
            J = driver.totals(sums, state.w)[0]
            step, trials = backtrack(state, J, gradient, driver,
                                     lambda eta: heavy_ball(state, gradient, eta, mu, driver))
            return step._replace(info={**info, "trials": trials})
        step = heavy_ball(state, gradient, driver.step_size, mu, driver)
        return step._replace(info={**info, "trials": []})

    local = gradient_local(sampling, lookahead, False, **sample)
    return Algorithm(name=name, rule=rule, hyper=hyper, init=init_state, broadcast=broadcast,
                     local=local, combine=add_sums, update=update, default_lr="1/L",
                     sampling=sampling, line_searches=line_searches)


@register
def gd(mu: float = 0.0) -> Algorithm:
    """Gradient descent: w⁺ = prox(w − η∇J(w)) (heavy-ball momentum when μ > 0)."""
    return _gradient_method("gd", "w ← w − η∇J", mu, line_searches=("armijo",) if mu == 0 else ())


@register
def momentum(mu: float = 0.9) -> Algorithm:
    """Polyak's heavy ball: v⁺ = μv + η∇J(w), w⁺ = prox(w − v⁺)."""
    return _gradient_method("momentum", "v ← μv + η∇J,  w ← w − v", mu)


@register
def nesterov(mu: float = 0.9) -> Algorithm:
    """Nesterov: the gradient at the look-ahead w − μv; v⁺ = μv + η∇J(w − μv), w⁺ = w − v⁺."""
    return _gradient_method("nesterov", "v ← μv + η∇J(w − μv),  w ← w − v", mu, lookahead=True)


@register
def sgd(mu: float = 0.0, full_objective: bool = True) -> Algorithm:
    """Stochastic gradient descent: w⁺ = w − η∇ℓᵢ(w) for one uniform random row i."""
    return _gradient_method("sgd", "w ← w − η∇Jᵢ (one row)", mu, sampling="single",
                            full_objective=full_objective)


@register
def minibatch(mu: float = 0.0, fraction: float = 0.01, with_replacement: bool = True,
              full_objective: bool = True) -> Algorithm:
    """Mini-batch SGD: w⁺ = w − η·(1/|B|)Σ_{i∈B}∇ℓᵢ(w), B drawn by ``RDD.sample``."""
    return _gradient_method("minibatch", "w ← w − η∇J_batch", mu, sampling="minibatch",
                            fraction=fraction, with_replacement=with_replacement,
                            full_objective=full_objective)
