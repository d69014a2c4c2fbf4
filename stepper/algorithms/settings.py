"""A run's settings: which method, its step size, and the engine's options (any may change between
steps, see ``Stepper.set``).

Step sizes (``lr``): a positive number; ``"1/L"``, the workshop's safe step for gradient methods
with L = ¼·maxᵢ‖xᵢ‖² + λ₂ (logistic), computed on the cluster; ``"spectral"``, 1/λmax(∇²J(0)) =
1/λmax(¼·XᵀX/n + λ₂I) for logistic regression (the exact global Lipschitz constant of its
gradient, from one d × d reduce); ``"armijo"`` or ``"wolfe"`` (methods with that line search
only: backtracking, or the strong Wolfe search of L-BFGS); or None, the
method's own default (``Algorithm.default_lr``: 1/L for the gradient family, the full step 1 for
Newton and L-BFGS).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from stepper.algorithms.base import Algorithm, algorithm_names, resolve
from stepper.errors import ConfigError
from stepper.trace import TRACE_LEVELS

STEP_RULES = ("1/L", "spectral", "armijo", "wolfe")
LINE_SEARCHES = {"armijo": "Armijo backtracking", "wolfe": "the strong Wolfe search"}
SCHEDULES = ("constant", "inv_sqrt")
INITS = ("zeros", "random")

_RULES_IN_WORDS = "a positive number, '1/L', 'spectral', 'armijo' or 'wolfe'"

HYPER_OF_SETTING = {"momentum": "mu", "batch_fraction": "fraction",
                    "with_replacement": "with_replacement", "full_objective": "full_objective"}
"""Settings that are also hyperparameters of some methods (setting name → factory argument)."""


@dataclass(frozen=True)
class Settings:
    """The run's settings.

    ``algorithm`` is a method's name (``"momentum"``) or value (``momentum(mu=0.5)``); with a
    name, the method is built from the settings below that it takes (``momentum`` → μ,
    ``batch_fraction``, ``with_replacement``, ``full_objective``). ``momentum=None`` means each
    method's default (0.9 for momentum and Nesterov, 0 for the others). ``schedule="inv_sqrt"``
    uses η_t = η/√t at iteration t (MLlib's SGD schedule). ``depth`` is the reduce tree's depth;
    ``trace`` how much of the partitions' work reaches the record (full, summary, none).
    """

    algorithm: str | Algorithm = "gd"
    lr: float | str | None = None
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
    method: Algorithm = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.algorithm, (str, Algorithm)):
            raise ConfigError("algorithm", self.algorithm, f"one of {', '.join(algorithm_names())}")
        self._check_numbers()
        hyper = {HYPER_OF_SETTING[k]: getattr(self, k) for k in HYPER_OF_SETTING}
        method = resolve(self.algorithm, **hyper)
        object.__setattr__(self, "method", method)
        rule = self.step_rule
        if isinstance(rule, str):
            if rule not in STEP_RULES:
                raise ConfigError("lr", rule, _RULES_IN_WORDS)
            if rule in LINE_SEARCHES and rule not in method.line_searches:
                able = [name for name in algorithm_names()
                        if rule in resolve(name).line_searches]
                raise ConfigError("lr", rule, f"a number, '1/L' or 'spectral' for {method.name} "
                                  f"({LINE_SEARCHES[rule]} needs full-batch {_either(able)})",
                                  code="lr.line_search", method=method.name)
        elif not (np.isfinite(rule) and rule > 0):
            raise ConfigError("lr", rule, _RULES_IN_WORDS)

    def _check_numbers(self) -> None:
        if self.momentum is not None and not (0.0 <= self.momentum < 1.0):
            raise ConfigError("momentum", self.momentum, "a number in [0, 1)")
        if not (np.isfinite(self.batch_fraction) and self.batch_fraction > 0):
            raise ConfigError("batch_fraction", self.batch_fraction, "a positive number")
        if not self.with_replacement and self.batch_fraction > 1:
            raise ConfigError("batch_fraction", self.batch_fraction,
                              "a number in (0, 1] when sampling without replacement")
        if not isinstance(self.depth, int) or self.depth < 1:
            raise ConfigError("depth", self.depth, "a whole number ≥ 1")
        for name, value, allowed in (("trace", self.trace, TRACE_LEVELS),
                                     ("schedule", self.schedule, SCHEDULES),
                                     ("init", self.init, INITS)):
            if value not in allowed:
                raise ConfigError(name, value, f"one of {', '.join(allowed)}")

    @property
    def name(self) -> str:
        """The method's registry name."""
        return self.method.name

    @property
    def step_rule(self) -> float | str:
        """``lr``, or the method's default step when ``lr`` is None."""
        return self.method.default_lr if self.lr is None else self.lr

    @property
    def mu(self) -> float:
        """The momentum the method uses (0 for methods without one)."""
        return float(self.method.hyper.get("mu", 0.0))

    @property
    def sampling(self) -> str:
        """Which rows the update's gradient uses: ``full``, ``minibatch`` or ``single``."""
        return self.method.sampling

    @property
    def needs_hessian(self) -> bool:
        return self.method.needs_hessian

    def with_changes(self, **changes: Any) -> Settings:
        """These settings with some changed; a method value follows its hyperparameter settings."""
        names = [f for f in self.__dataclass_fields__ if f != "method"]
        unknown = sorted(set(changes) - set(names))
        if unknown:
            raise ConfigError(unknown[0], changes[unknown[0]],
                              f"one of the settings: {', '.join(names)}")
        if isinstance(self.algorithm, Algorithm) and "algorithm" not in changes:
            hyper = {HYPER_OF_SETTING[k]: v for k, v in changes.items()
                     if k in HYPER_OF_SETTING and HYPER_OF_SETTING[k] in self.algorithm.hyper
                     and v is not None}
            if hyper:
                changes["algorithm"] = self.algorithm.with_hyper(**hyper)
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """The settings as plain values (the method by name, its hyperparameters beside)."""
        out: dict[str, Any] = {f: getattr(self, f) for f in self.__dataclass_fields__
                               if f != "method"}
        out["algorithm"] = self.method.name
        out["method"] = dict(self.method.hyper)
        out["step_rule"] = self.step_rule
        return out


def _either(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def scheduled_step(settings: Settings, step_size: float, t: int) -> float:
    """η_t for iteration t = 1, 2, …: η (constant) or η/√t (``inv_sqrt``)."""
    return step_size / np.sqrt(t) if settings.schedule == "inv_sqrt" else step_size


def init_weights(features: int, settings: Settings) -> np.ndarray:
    """w₀ = 0, or N(0, 1) draws from the run's seed (``init="random"``)."""
    if settings.init == "random":
        return np.random.default_rng([settings.seed, 7]).standard_normal(features)
    return np.zeros(features)
