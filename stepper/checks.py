"""Whether a method fits a problem and a data set: one check for the engine and the command line
(run before Spark starts, so a bad combination costs nothing)."""

from __future__ import annotations

from stepper.algorithms import Algorithm
from stepper.errors import ConfigError
from stepper.problems import Problem


def check_method_fits(problem: Problem, method: Algorithm, task: str, *,
                      oracle: bool = False, oracle_hessian: bool = False) -> None:
    """Raise a :class:`ConfigError` naming the parameter when ``method`` cannot run ``problem``
    on data for ``task`` (``"classification"`` or ``"regression"``)."""
    if problem.loss in ("logistic", "hinge") and task != "classification":
        raise ConfigError("problem", problem.loss,
                          "squares for regression data (labels are not classes)")
    if method.needs_hessian and not problem.twice_differentiable:
        raise ConfigError("algorithm", method.name, "a twice-differentiable objective (not "
                          "hinge, and L1 only with l1_mode='smooth')")
    if oracle and ((method.needs_hessian and not oracle_hessian)
                   or not method.supports_oracle):
        raise ConfigError("partition_oracle", "your function",
                          f"unset for {method.name} (it needs more than loss and gradient sums)")
    if method.requires is not None:
        method.requires(problem, task)
