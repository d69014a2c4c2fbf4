"""Optimizers as small pure functions of an immutable state (in the manner of optax).

Every algorithm is one rule for the driver's update, given the gradient g (and Hessian H) that
the partitions computed at the *query point* ``query_point(settings, state)``:

========== ====================================== =========================================
name       query point                            update (η = step size, μ = momentum)
========== ====================================== =========================================
gd         w                                      w⁺ = prox(w − η g)
momentum   w                                      v⁺ = μ v + η g,  w⁺ = prox(w − v⁺)
nesterov   w − μ v                                v⁺ = μ v + η g(w − μ v),  w⁺ = prox(w − v⁺)
sgd        w, g over one random row               as gd (or momentum when μ > 0)
minibatch  w, g over a sample (``RDD.sample``)    as gd (or momentum when μ > 0)
newton     w                                      w⁺ = w − η H⁻¹ g
========== ====================================== =========================================

``prox`` is the L1 soft-thresholding step (identity without L1 in prox mode). The recorded
``direction`` d and ``step_size`` η always satisfy w⁺ = prox(w + η d).

Step sizes: a number; ``"1/L"``, the workshop's safe step for gradient methods with
L = ¼·maxᵢ‖xᵢ‖² + λ₂ (logistic), computed on the cluster; or ``"armijo"`` (gd and newton only):
backtracking from η₀ until J(w⁺) ≤ J(w) + gᵀ(w⁺ − w) + ‖w⁺ − w‖²/(2η) (for plain gradient
steps this is the classic sufficient decrease J(w⁺) ≤ J(w) − (η/2)‖g‖²), halving η at each
trial; each trial is one distributed evaluation of J.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np

from stepper.errors import ConfigError

ALGORITHMS = ("gd", "momentum", "nesterov", "sgd", "minibatch", "newton")
STEP_RULES = ("1/L", "armijo")
SCHEDULES = ("constant", "inv_sqrt")
INITS = ("zeros", "random")


class OptState(NamedTuple):
    """The optimizer's state: weights, velocity (zeros when unused), iterations done."""

    w: np.ndarray
    velocity: np.ndarray
    t: int


@dataclass(frozen=True)
class Settings:
    """The run's hyperparameters; everything here may change between steps (see ``Stepper.set``).

    ``momentum=None`` means 0.9 for ``momentum``/``nesterov`` (the workshop's value) and 0
    (plain steps) for the others. ``batch_fraction`` is the expected share of rows a mini-batch
    draws (``RDD.sample(with_replacement, fraction, seed)``). ``full_objective``: also compute
    the full objective and gradient norm for the trace when the update uses a sample.
    ``schedule="inv_sqrt"`` uses η_t = η/√t at iteration t (MLlib's SGD schedule).
    """

    algorithm: str = "gd"
    lr: float | str = "1/L"
    momentum: float | None = None
    batch_fraction: float = 0.01
    with_replacement: bool = True
    depth: int = 2
    trace: str = "full"
    seed: int = 0
    init: str = "zeros"
    full_objective: bool = True
    schedule: str = "constant"
    armijo_start: float = 1.0
    armijo_shrink: float = 0.5
    max_trials: int = 40

    def __post_init__(self) -> None:
        from stepper.reduce import TRACE_LEVELS

        if self.algorithm not in ALGORITHMS:
            raise ConfigError("algorithm", self.algorithm, f"one of {', '.join(ALGORITHMS)}")
        if isinstance(self.lr, str):
            if self.lr not in STEP_RULES:
                raise ConfigError("lr", self.lr, "a positive number, '1/L' or 'armijo'")
            if self.lr == "armijo" and self.algorithm not in ("gd", "newton"):
                raise ConfigError("lr", self.lr, "a number or '1/L' for " + self.algorithm
                                  + " (Armijo backtracking needs full-batch gd or newton)")
        elif not (np.isfinite(self.lr) and self.lr > 0):
            raise ConfigError("lr", self.lr, "a positive number, '1/L' or 'armijo'")
        if self.momentum is not None and not (0.0 <= self.momentum < 1.0):
            raise ConfigError("momentum", self.momentum, "a number in [0, 1)")
        if not (np.isfinite(self.batch_fraction) and self.batch_fraction > 0):
            raise ConfigError("batch_fraction", self.batch_fraction, "a positive number")
        if not self.with_replacement and self.batch_fraction > 1:
            raise ConfigError("batch_fraction", self.batch_fraction,
                              "a number in (0, 1] when sampling without replacement")
        if not isinstance(self.depth, int) or self.depth < 1:
            raise ConfigError("depth", self.depth, "a whole number ≥ 1")
        if self.trace not in TRACE_LEVELS:
            raise ConfigError("trace", self.trace, f"one of {', '.join(TRACE_LEVELS)}")
        if self.schedule not in SCHEDULES:
            raise ConfigError("schedule", self.schedule, f"one of {', '.join(SCHEDULES)}")
        if self.init not in INITS:
            raise ConfigError("init", self.init, f"one of {', '.join(INITS)}")

    @property
    def mu(self) -> float:
        """The momentum actually used."""
        if self.momentum is not None:
            return self.momentum
        return 0.9 if self.algorithm in ("momentum", "nesterov") else 0.0

    @property
    def sampling(self) -> str:
        """Which rows the update's gradient uses: ``full``, ``minibatch`` or ``single``."""
        return {"sgd": "single", "minibatch": "minibatch"}.get(self.algorithm, "full")

    @property
    def needs_hessian(self) -> bool:
        return self.algorithm == "newton"

    def with_changes(self, **changes: object) -> Settings:
        unknown = sorted(set(changes) - set(self.__dataclass_fields__))
        if unknown:
            raise ConfigError(unknown[0], changes[unknown[0]],
                              f"one of the settings: {', '.join(self.__dataclass_fields__)}")
        return replace(self, **changes)


def init_state(features: int, settings: Settings) -> OptState:
    """w₀ = 0, or N(0, 1) draws from the run's seed (``init="random"``); v₀ = 0."""
    if settings.init == "random":
        w = np.random.default_rng([settings.seed, 7]).standard_normal(features)
    else:
        w = np.zeros(features)
    return OptState(w, np.zeros(features), 0)


def query_point(settings: Settings, state: OptState) -> np.ndarray:
    """Where the partitions evaluate the update's gradient (Nesterov looks ahead)."""
    if settings.algorithm == "nesterov":
        return state.w - settings.mu * state.velocity
    return state.w


def scheduled_step(settings: Settings, step_size: float, t: int) -> float:
    """η_t for iteration t = 1, 2, …: η (constant) or η/√t (``inv_sqrt``)."""
    return step_size / np.sqrt(t) if settings.schedule == "inv_sqrt" else step_size


def sample_seed(settings: Settings, t: int) -> int:
    """The seed of iteration t's sample: fixed by the run's seed, so a run can be replayed."""
    return (settings.seed * 1_000_003 + 7919 * (t + 1)) % (2**31 - 1)


def newton_direction(gradient: np.ndarray, hessian: np.ndarray) -> np.ndarray:
    """d = −H⁻¹ g (least squares if H is singular)."""
    try:
        return -np.linalg.solve(hessian, gradient)
    except np.linalg.LinAlgError:
        return -np.linalg.lstsq(hessian, gradient, rcond=None)[0]


class Update(NamedTuple):
    """The driver's update of one iteration."""

    state: OptState
    direction: np.ndarray
    step_size: float


def apply_update(
    settings: Settings,
    state: OptState,
    gradient: np.ndarray,
    step_size: float,
    prox,
    hessian: np.ndarray | None = None,
) -> Update:
    """One driver update (see the table above). ``prox(v, η)`` is the problem's prox."""
    w, v = state.w, state.velocity
    if settings.algorithm == "newton":
        if hessian is None:
            raise ValueError("newton needs the Hessian")
        direction = newton_direction(gradient, hessian)
        return Update(OptState(w + step_size * direction, v, state.t + 1), direction, step_size)
    mu = settings.mu
    if mu > 0:
        velocity = mu * v + step_size * gradient
        w_new = prox(w - velocity, step_size)
        return Update(OptState(w_new, velocity, state.t + 1), -velocity / step_size, step_size)
    w_new = prox(w - step_size * gradient, step_size)
    return Update(OptState(w_new, v, state.t + 1), -gradient, step_size)
