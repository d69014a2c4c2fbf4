"""The figures the lessons' texts state, computed from the data the page uses.

A lesson's text never carries a number of its own: it has ``{placeholders}`` filled from these
functions (and a test checks each against an independent numpy computation).

* :func:`curvature` — L = ¼·maxᵢ‖xᵢ‖² (the bound), L_spec = λmax(∇²J(0)) = ¼ λmax(XᵀX/n) (the
  exact global Lipschitz constant of the logistic loss's gradient, since σ(m)σ(−m) ≤ ¼ with
  equality at m = 0, so ∇²J(w) ≼ ∇²J(0)), and their ratio;
* :func:`conditioning` — κ(∇²J(0)) = λmax/λmin on raw and standardized features, and J − J* after
  the same gradient descent (step 1/L_spec) on both;
* :func:`lasso_weights` — the optimum under the smooth pseudo-Huber penalty (Newton) and the
  exact L1 (proximal gradient), for several λ₁;
* :func:`churn_features` — the feature columns of the churn file (its header, minus the id and
  the label).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from stepper.algorithms import Settings
from stepper.local import run_local
from stepper.problems import Problem


@dataclass(frozen=True)
class Curvature:
    bound: float  # L = ¼·maxᵢ‖xᵢ‖²
    spectral: float  # L_spec = λmax(∇²J(0))

    @property
    def ratio(self) -> float:
        return self.bound / self.spectral


def hessian_at_zero(X: np.ndarray) -> np.ndarray:
    """∇²J(0) of the logistic loss = ¼ XᵀX / n (every σ(0)σ(0) = ¼)."""
    return 0.25 * (X.T @ X) / X.shape[0]


def curvature(X: np.ndarray) -> Curvature:
    """The bound L and the spectral constant L_spec for the logistic loss on rows X."""
    bound = 0.25 * float(np.max(np.einsum("ij,ij->i", X, X)))
    return Curvature(bound, float(np.linalg.eigvalsh(hessian_at_zero(X))[-1]))


def condition_number(X: np.ndarray) -> float:
    """κ(∇²J(0)) = λmax / λmin."""
    eigenvalues = np.linalg.eigvalsh(hessian_at_zero(X))
    return float(eigenvalues[-1] / eigenvalues[0])


@dataclass(frozen=True)
class Conditioning:
    raw: float  # κ on [1, x₁, x₂]
    standardized: float  # κ on [1, (x − mean)/std]
    steps: int
    gap_raw: float  # J − J* after ``steps`` of gradient descent, η = 1/L_spec, raw features
    gap_std: float  # the same, standardized


def with_intercept(Z: np.ndarray) -> np.ndarray:
    return np.hstack([np.ones((Z.shape[0], 1)), Z])


def conditioning(raw: np.ndarray, y: np.ndarray, steps: int = 200) -> Conditioning:
    """κ(∇²J(0)) and gradient descent's progress on raw against standardized features.

    ``raw`` holds the features without the intercept column; J* comes from Newton's method.
    """
    X_raw = with_intercept(raw)
    X_std = with_intercept((raw - raw.mean(axis=0)) / raw.std(axis=0))
    gaps = []
    problem = Problem("logistic")
    for X in (X_raw, X_std):
        star = run_local(problem, Settings(algorithm="newton", lr=1.0), X, y, 30,
                         intercept=True).objective[-1]
        path = run_local(problem, Settings(algorithm="gd", lr="spectral"), X, y, steps,
                         intercept=True)
        gaps.append(max(float(path.objective[-1] - star), 0.0))
    return Conditioning(condition_number(X_raw), condition_number(X_std), steps, *gaps)


LASSO_STRENGTHS = (0.01, 0.1, 0.3, 0.5)
"""λ₁ values for the smooth-versus-exact table: the last two give exact zeros on the 2-D data."""


def lasso_weights(X: np.ndarray, y: np.ndarray, strengths: Sequence[float] = LASSO_STRENGTHS,
                  prox_steps: int = 500) -> list[tuple[float, np.ndarray, np.ndarray]]:
    """(λ₁, w smooth, w exact) per λ₁: pseudo-Huber by Newton (30 full steps), exact L1 by
    proximal gradient with the spectral step (soft-thresholding gives exact zeros)."""
    rows = []
    for l1 in strengths:
        smooth = run_local(Problem(l1=l1, l1_mode="smooth"),
                           Settings(algorithm="newton", lr=1.0), X, y, 30,
                           intercept=True).weights[-1]
        exact = run_local(Problem(l1=l1, l1_mode="prox"), Settings(algorithm="gd", lr="spectral"),
                          X, y, prox_steps, intercept=True).weights[-1]
        rows.append((l1, np.asarray(smooth), np.asarray(exact)))
    return rows


def churn_features(path: str) -> list[str]:
    """The churn file's feature columns: its header without ``clientId`` and ``churn``."""
    with open(path, newline="") as handle:
        header = next(csv.reader(handle))
    return [name for name in header if name not in ("clientId", "churn")]
