"""Optimization methods as values (see :mod:`stepper.algorithms.base` for what a value holds).

One module per method or family; importing this package registers them all in
:data:`REGISTRY`, the one table of names that the command line, the page addresses and trace
files use. ``Stepper(..., algorithm="momentum")`` and ``Stepper(..., algorithm=momentum(mu=0.5))``
are the same run.

Adding a method: write ``stepper/algorithms/<name>.py`` with a factory decorated by
``@register`` that returns an :class:`Algorithm`, import it below, and test it against an
independent reference.
"""

from stepper.algorithms.base import (
    REGISTRY,
    Algorithm,
    Driver,
    RoundContext,
    Step,
    Sums,
    add_sums,
    algorithm_names,
    register,
    resolve,
)
from stepper.algorithms.gradient import (
    OptState,
    gd,
    init_state,
    minibatch,
    momentum,
    nesterov,
    sample_seed,
    sgd,
)
from stepper.algorithms.newton import newton, newton_direction
from stepper.algorithms.settings import (
    INITS,
    SCHEDULES,
    STEP_RULES,
    Settings,
    init_weights,
    scheduled_step,
)

# isort: split
# methods added later register after the ones above (the registry's order is the order
# names are listed in, e.g. in error messages)
from stepper.algorithms.lbfgs import lbfgs  # isort: skip
from stepper.algorithms.local_sgd import local_sgd  # isort: skip
from stepper.algorithms.admm import admm  # isort: skip
from stepper.algorithms.async_sgd import async_sgd  # isort: skip
from stepper.algorithms.avg_newton import avg_newton  # isort: skip

ALGORITHMS = algorithm_names()
"""The registered methods' names."""

__all__ = [
    "ALGORITHMS",
    "INITS",
    "REGISTRY",
    "SCHEDULES",
    "STEP_RULES",
    "Algorithm",
    "Driver",
    "OptState",
    "RoundContext",
    "Settings",
    "Step",
    "Sums",
    "add_sums",
    "admm",
    "algorithm_names",
    "async_sgd",
    "avg_newton",
    "gd",
    "init_state",
    "init_weights",
    "lbfgs",
    "local_sgd",
    "minibatch",
    "momentum",
    "nesterov",
    "newton",
    "newton_direction",
    "register",
    "resolve",
    "sample_seed",
    "scheduled_step",
    "sgd",
]
