"""The pages' words for each method, keyed by the method value's ``name`` (English).

Each registered method (:data:`stepper.algorithms.REGISTRY`) has a short label for menus and
legends and its rule in words for the narration; its rule as a formula is the value's own
``rule``. A test checks that every registered method is here, so a new method cannot reach a
page without its words.
"""

from __future__ import annotations

from stepper.algorithms import REGISTRY, Algorithm, resolve

METHOD_WORDS: dict[str, tuple[str, str]] = {
    "gd": ("gradient descent",
           "step against the gradient of the objective over all rows"),
    "momentum": ("momentum",
                 "add the gradient step to a velocity that keeps μ of the last one, then move"),
    "nesterov": ("Nesterov",
                 "take the gradient at the look-ahead point w − μv, then move as momentum does"),
    "sgd": ("SGD",
            "step against the gradient of one random row"),
    "minibatch": ("mini-batch",
                  "step against the mean gradient of a random sample of rows"),
    "newton": ("Newton",
               "solve H d = −∇J with the Hessian of all rows, then step along d"),
    "lbfgs": ("L-BFGS",
              "turn the gradient into a quasi-Newton direction with the last m steps' "
              "curvature pairs, then search along it"),
    "local_sgd": ("local SGD (model averaging)",
                  "each partition takes H steps on its own rows from w; the driver averages "
                  "the local models by rows"),
    "admm": ("consensus ADMM",
             "each partition solves its own problem pulled towards z; the driver averages, "
             "applies the penalty to get z, and updates the duals"),
    "async_sgd": ("asynchronous SGD (simulation)",
                  "simulated workers send gradients computed at the weights they last read; "
                  "the parameter server applies each one when it arrives"),
    "avg_newton": ("averaged start + Newton",
                   "each partition solves its own problem; the driver averages the solutions, "
                   "then takes global Newton steps"),
}


def method_label(algorithm: str | Algorithm) -> str:
    """A method's label for menus and legends (its name if it has no words yet)."""
    name = algorithm if isinstance(algorithm, str) else algorithm.name
    return METHOD_WORDS.get(name, (name, ""))[0]


def method_rule(algorithm: str | Algorithm | None) -> str:
    """A method's update rule as a formula (from the value), or a generic one."""
    if algorithm is None or (isinstance(algorithm, str) and algorithm not in REGISTRY):
        return "w ← rule(w, ∇J)"
    return resolve(algorithm).rule


def missing_words() -> list[str]:
    """Registered methods without words here (a test keeps this empty)."""
    return [name for name in REGISTRY if name not in METHOD_WORDS]
