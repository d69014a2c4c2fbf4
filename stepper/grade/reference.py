"""Reference oracles of the workshop's logistic regression, used to grade the exercises.

Labels are ±1. With the margin mᵢ = yᵢ wᵀxᵢ and σ(z) = 1 / (1 + e^(−z)):

* J(w) = (1/n) Σ log(1 + exp(−mᵢ)) + (λ/2)‖w‖²
* ∇J(w) = −(1/n) Σ σ(−mᵢ) yᵢ xᵢ + λw
* ∇²J(w) = (1/n) Σ σ(mᵢ)(1 − σ(mᵢ)) xᵢxᵢᵀ + λI
* L = ¼·maxᵢ‖xᵢ‖² bounds the Lipschitz constant of the data term's gradient (step 1/L).

Everything is plain numpy and numerically stable (``np.logaddexp``), so the grader never needs
the attendee's code to compute what is expected.
"""

from __future__ import annotations

import numpy as np


def sigmoid(z: np.ndarray | float) -> np.ndarray | float:
    """σ(z) = 1 / (1 + e^(−z)), computed as exp(−log(1 + e^(−z))) so it never overflows."""
    return np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=float)))


def loss_sum(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    """Σᵢ log(1 + exp(−yᵢ wᵀxᵢ)) over the rows of one block."""
    return float(np.sum(np.logaddexp(0.0, -y * (X @ w))))


def grad_sum(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Σᵢ −σ(−yᵢ wᵀxᵢ) yᵢ xᵢ over the rows of one block."""
    return X.T @ (-y * sigmoid(-y * (X @ w)))


def hessian_sum(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Σᵢ σ(mᵢ)(1 − σ(mᵢ)) xᵢxᵢᵀ over the rows of one block."""
    s = np.asarray(sigmoid(y * (X @ w)))
    return (X * (s * (1.0 - s))[:, None]).T @ X


def loss(X: np.ndarray, y: np.ndarray, w: np.ndarray, lam: float = 0.0) -> float:
    """J(w) = (1/n) Σ log(1 + exp(−yᵢ wᵀxᵢ)) + (λ/2)‖w‖²."""
    return loss_sum(X, y, w) / len(y) + 0.5 * lam * float(w @ w)


def gradient(X: np.ndarray, y: np.ndarray, w: np.ndarray, lam: float = 0.0) -> np.ndarray:
    """∇J(w) = −(1/n) Σ σ(−yᵢ wᵀxᵢ) yᵢ xᵢ + λw."""
    return grad_sum(X, y, w) / len(y) + lam * w


def hessian(X: np.ndarray, y: np.ndarray, w: np.ndarray, lam: float = 0.0) -> np.ndarray:
    """∇²J(w) = (1/n) Σ σ(mᵢ)(1 − σ(mᵢ)) xᵢxᵢᵀ + λI."""
    return hessian_sum(X, y, w) / len(y) + lam * np.eye(len(w))


def lipschitz_step(X: np.ndarray) -> float:
    """1/L with L = ¼·maxᵢ‖xᵢ‖²."""
    return 1.0 / (0.25 * float(np.max(np.sum(X * X, axis=1))))


def make_blobs(n: int, d: int, seed: int = 0, intercept: bool = True) -> tuple:
    """A tiny seeded data set: ``(X, y)`` with labels ±1 drawn from a logistic model.

    With ``intercept`` the first column of X is the constant 1.
    """
    rng = np.random.default_rng(seed)
    cols = d - 1 if intercept else d
    X = rng.normal(size=(n, cols))
    if intercept:
        X = np.hstack([np.ones((n, 1)), X])
    w_true = rng.normal(size=d)
    p = sigmoid(X @ w_true)
    y = np.where(rng.random(n) < p, 1.0, -1.0)
    return X, y


def partition_oracle(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, np.ndarray]:
    """(loss_sum, grad_sum) of one block: the stepper's partition-oracle plug-in signature."""
    return loss_sum(X, y, w), grad_sum(X, y, w)


def rows_of(X: np.ndarray, y: np.ndarray) -> list[tuple[float, np.ndarray]]:
    """Labelled points ``(y, x)``, the records of the exercises' RDDs."""
    return [(float(label), row.copy()) for label, row in zip(y, X, strict=True)]


def describe(**arrays) -> str:
    """A one-line rendering of a small example: ``X=[[…]], y=[…], w=[…], λ=0.1``."""
    from stepper.grade.diagnose import fmt

    return ", ".join(f"{name}={fmt(value, 3)}" for name, value in arrays.items())
