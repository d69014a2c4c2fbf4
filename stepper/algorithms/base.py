"""What an algorithm is: one value that carries everything about a distributed method.

An iteration of every method here has the same four phases, and an :class:`Algorithm` holds one
pure function per phase (in the manner of optax's ``GradientTransformation``, whose ``init`` and
``update`` it extends with the two distributed phases):

============ ============================================== ===================================
phase        field                                          runs
============ ============================================== ===================================
(once)       ``init(w₀, t) -> state``                       driver
broadcast    ``broadcast(state, round) -> payload``         driver; the payload goes out
map          ``local(p, block, payload, data_term) -> sums`` executors, one task per partition
reduce       ``combine(a, b) -> sums``                      Spark's treeAggregate (combOp)
update       ``update(state, sums, driver) -> Step``        driver
============ ============================================== ===================================

``local`` returns a dict of *sums* over the partition's rows. Every method returns at least

    ``rows`` (n_p), ``loss`` (Σ ℓᵢ at the broadcast weights w), ``gradient`` (Σ ∇ℓᵢ at w),
    ``correct`` (rows with a positive margin, or None)

so that every record states J(w) and ‖∇J(w)‖ the same way; a method adds its own keys (a
mini-batch's ``used_rows``/``used_gradient``, Newton's ``hessian``, a local model, an ADMM local
solution …), documented in its module. ``combine`` is usually :func:`add_sums` (key-wise
addition; dicts keyed by partition are merged), so any tree of partials gives the same totals.

``update`` gets a :class:`Driver`: what the driver knows (the problem, the penalty mask, the
step size of this iteration, the rows n) and what it may ask of the cluster (``evaluate``: one
more map-reduce round for J, and ∇J if asked; ``rows``: the data collected once, for the
simulations). The engine (Spark) and :mod:`stepper.local` (one process, numpy) each provide a
Driver, so the same value runs on a cluster and on one machine.

Flags: ``default_lr`` (the step used when ``lr`` is None: "1/L" or a number), ``sampling``
(``full``, ``single``, ``minibatch``), ``needs_hessian``, ``line_searches`` (the ``lr`` rules it
accepts besides numbers, "1/L" and "spectral"), ``simulated`` (its update runs on rows collected
to the driver; ``local`` is None and no round goes out), ``supports_oracle`` (a plugged partition
oracle may replace the data term), ``requires(problem, task)`` (raises a ConfigError when the
method cannot solve that problem, e.g. ADMM with hinge).

Names: ``Algorithm.name`` is the registry key (:data:`REGISTRY`, used by the command line, the
page addresses and trace files) and the key of the method's label and rule in words in the pages'
string catalogues. ``rule`` is the update as a formula.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple, Protocol

import numpy as np

from stepper.errors import ConfigError

Sums = dict[str, Any]
"""A partial result: sums over some partitions' rows, under the method's keys."""

DataTerm = Callable[..., Any]
"""``data_term(X, y, w, hessian=False) -> BlockSums``: the problem's (or a plugged) data term."""


class Step(NamedTuple):
    """The driver's update of one iteration: the new state, and what the trace says about it.

    ``direction`` d and ``step_size`` η satisfy w⁺ = prox(w + η d) for the gradient family (for
    methods that replace w, d = w⁺ − w and η = 1). ``info`` holds the method's own record keys
    (added to the record's ``update``), e.g. line-search ``trials`` or ADMM residuals.
    """

    state: Any
    direction: np.ndarray
    step_size: float
    info: dict[str, Any]


class RoundContext(NamedTuple):
    """What ``broadcast`` may read besides the state: the run's seed, the partition sizes, the
    number of features, and what the driver knows of this iteration before anything goes out:
    its step size η (after the schedule), the problem and its penalty mask (for methods whose
    partitions take steps of their own, e.g. local SGD: they need η and the regularizer)."""

    seed: int
    partition_rows: tuple[int, ...]
    features: int
    step_size: float = 1.0
    problem: Any = None
    mask: np.ndarray | None = None


class Driver(Protocol):
    """What an update may use on the driver (see the module docstring)."""

    problem: Any
    mask: np.ndarray
    rows: int
    step_size: float
    lr: float | str
    settings: Any

    def prox(self, v: np.ndarray, eta: float) -> np.ndarray: ...

    def totals(self, sums: Sums, at: np.ndarray, prefix: str = "") -> tuple[float, np.ndarray]:
        """J and ∇J from the sums of ``loss``/``gradient`` (or ``prefix``-ed keys) at ``at``."""
        ...

    def hessian(self, sums: Sums, at: np.ndarray) -> np.ndarray: ...

    def evaluate(self, w: np.ndarray, gradient: bool = False) -> tuple[float, np.ndarray | None]:
        """J(w) (and ∇J(w)) by one more map-reduce round, counted in the record's ``rounds``."""
        ...

    def collect_rows(self) -> tuple[np.ndarray, np.ndarray]:
        """Every row on the driver (simulations only; refused above a size limit)."""
        ...


class SumsToTotals:
    """What both drivers (Spark's and the one-machine reference) share: the problem's totals
    from a partial's sums, its Hessian, and the prox (``problem``, ``mask`` and ``settings`` are
    set by the subclass)."""

    problem: Any
    mask: np.ndarray
    settings: Any

    def prox(self, v: np.ndarray, eta: float) -> np.ndarray:
        value: np.ndarray = self.problem.prox(v, eta, self.mask)
        return value

    def totals(self, sums: Sums, at: np.ndarray, prefix: str = "") -> tuple[float, np.ndarray]:
        """J and ∇J at ``at`` from the sums of ``loss``/``gradient``/``rows`` (``prefix``-ed:
        ``used_`` for the rows a sample used)."""
        result: tuple[float, np.ndarray] = self.problem.totals(
            sums.get(prefix + "loss", 0.0), sums[prefix + "gradient"], sums[prefix + "rows"], at,
            self.mask)
        return result

    def hessian(self, sums: Sums, at: np.ndarray) -> np.ndarray:
        """∇²J at ``at`` from the Hessian sums over the rows used."""
        rows = int(sums.get("used_rows") or sums["rows"])
        value: np.ndarray = self.problem.hessian_total(sums["hessian"], rows, at, self.mask)
        return value


class Algorithm(NamedTuple):
    """A distributed optimization method as a value (see the module docstring)."""

    name: str
    rule: str
    hyper: Mapping[str, Any]
    init: Callable[[np.ndarray, int], Any]
    broadcast: Callable[[Any, RoundContext], dict[str, Any]]
    local: Callable[[int, Any, dict[str, Any], DataTerm], Sums] | None
    combine: Callable[[Sums, Sums], Sums]
    update: Callable[[Any, Sums, Driver], Step]
    default_lr: float | str = "1/L"
    sampling: str = "full"
    needs_hessian: bool = False
    line_searches: tuple[str, ...] = ()
    simulated: bool = False
    supports_oracle: bool = True
    requires: Callable[[Any, str], None] | None = None

    def with_hyper(self, **changes: Any) -> Algorithm:
        """The same method with some hyperparameters changed (rebuilt by its factory)."""
        unknown = sorted(set(changes) - set(self.hyper))
        if unknown:
            raise ConfigError(unknown[0], changes[unknown[0]],
                              f"a hyperparameter of {self.name}: "
                              f"{', '.join(self.hyper) or 'none'}")
        return REGISTRY[self.name](**{**self.hyper, **changes})

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.hyper.items())
        return f"{self.name}({args})"

    def __eq__(self, other: object) -> bool:
        """Two values are the same method when their names and hyperparameters are equal (each
        factory call builds new functions)."""
        if not isinstance(other, Algorithm):
            return NotImplemented
        return (self.name, dict(self.hyper)) == (other.name, dict(other.hyper))

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash((self.name, tuple(sorted((k, repr(v)) for k, v in self.hyper.items()))))


def _add(a: Any, b: Any) -> Any:
    if a is None or b is None:
        return a if b is None else b
    if isinstance(a, dict):
        return {**a, **b}
    return a + b


def add_sums(a: Sums, b: Sums) -> Sums:
    """Key-wise a + b (None counts as absent; dicts keyed by partition are merged): a pure
    combOp."""
    return {key: _add(a.get(key), b.get(key)) for key in {**a, **b}}


REGISTRY: dict[str, Callable[..., Algorithm]] = {}
"""Every method's factory, by name: ``REGISTRY["momentum"](mu=0.5)``."""


def register(factory: Callable[..., Algorithm]) -> Callable[..., Algorithm]:
    """Add a factory to :data:`REGISTRY` under its function name (a decorator)."""
    REGISTRY[factory.__name__] = factory
    return factory


def algorithm_names() -> tuple[str, ...]:
    return tuple(REGISTRY)


def resolve(algorithm: str | Algorithm, **hyper: Any) -> Algorithm:
    """The method value for a name (built with the ``hyper`` its factory takes), or a value."""
    if isinstance(algorithm, Algorithm):
        return algorithm
    if algorithm not in REGISTRY:
        raise ConfigError("algorithm", algorithm, f"one of {', '.join(REGISTRY)}")
    factory = REGISTRY[algorithm]
    defaults = factory().hyper
    return factory(**{k: v for k, v in hyper.items() if k in defaults and v is not None})
