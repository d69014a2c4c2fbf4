"""Objectives: a data-fit loss summed over rows, plus a regularizer. Pure numpy, no Spark.

The objective for n rows (xᵢ, yᵢ) and weights w is

    J(w) = (1/n) Σᵢ ℓ(w; xᵢ, yᵢ) + λ₁ R₁(w) + (λ₂/2) ‖w‖²

Losses (``BlockSums`` are *sums* over one block's rows, so partitions add up exactly):

* ``logistic`` (labels ±1, the workshop's formula): ℓ = log(1 + exp(−y wᵀx)),
  ∇ℓ = −y σ(−y wᵀx) x, ∇²ℓ = σ(m)σ(−m) x xᵀ with m = y wᵀx. Computed with ``logaddexp`` so a
  margin of ±1000 neither overflows nor loses the gradient.
* ``squares`` (regression): ℓ = ½ (wᵀx − y)², ∇ℓ = (wᵀx − y) x, ∇²ℓ = x xᵀ.
* ``hinge`` (linear SVM, labels ±1): ℓ = max(0, 1 − y wᵀx), subgradient −y x where y wᵀx < 1;
  not twice differentiable (no Newton).

Regularizers (applied on the driver, on the penalized coordinates — all but the intercept unless
``penalize_intercept``):

* L2 (ridge): (λ₂/2)‖w‖², gradient λ₂ w, Hessian λ₂ I;
* L1 (lasso), ``l1_mode="prox"``: λ₁‖w‖₁ handled by the proximal step (soft-thresholding)
  prox(v, t)ᵢ = sign(vᵢ) max(|vᵢ| − tλ₁, 0);
* L1, ``l1_mode="smooth"``: the workshop's pseudo-Huber λ₁ Σ (√(1 + wᵢ²) − 1), gradient
  λ₁ wᵢ/√(1 + wᵢ²), Hessian λ₁ (1 + wᵢ²)^(−3/2);
* elastic net: both λ₁ and λ₂.

Mapping to scikit-learn: ``LogisticRegression(C=C)`` minimizes C Σ ℓ + ½‖w‖², the same
minimizer as J with λ₂ = 1/(n C). With an intercept column that is *not* penalized here,
compare with ``fit_intercept=True`` (scikit-learn does not penalize its intercept either); with
``penalize_intercept=True``, compare with ``fit_intercept=False`` on the data with the column.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from stepper.errors import ConfigError

LOSSES = ("logistic", "squares", "hinge")
L1_MODES = ("prox", "smooth")


class BlockSums(NamedTuple):
    """Sums over one block's rows: loss, gradient (d,), Hessian (d × d) or None, and (for the
    classification losses) ``correct``, the number of rows with a positive margin y·wᵀx — the
    training accuracy's count, free once the margins are known."""

    rows: int
    loss: float
    gradient: np.ndarray
    hessian: np.ndarray | None = None
    correct: int | None = None


def sigmoid(t: np.ndarray) -> np.ndarray:
    """σ(t) = 1 / (1 + e^(−t)), stable for any t."""
    value: np.ndarray = np.exp(-np.logaddexp(0.0, -t))
    return value


CACHE_BYTES = 2 * 1024**2
"""Rows are processed in slices of about this many bytes of X (see :func:`logistic_sums`)."""


def rows_per_slice(features: int) -> int:
    """How many rows of ``features`` float64 values make a slice of about CACHE_BYTES."""
    return max(256, CACHE_BYTES // (8 * max(features, 1)))


def logistic_sums(X: np.ndarray, y: np.ndarray, w: np.ndarray, hessian: bool = False) -> BlockSums:
    """Σ log(1 + exp(−yᵢ wᵀxᵢ)) and its derivatives over a block (labels ±1).

    One exponential per row serves both the loss and the gradient: with m = y wᵀx and
    e = exp(−|m|) ∈ (0, 1] (never overflows),

        log(1 + exp(−m)) = max(−m, 0) + log1p(e),
        σ(−m) = e / (1 + e) if m ≥ 0, else 1 / (1 + e).

    The rows are taken in fixed slices of about 2 MB, so that each slice of X is still in the
    CPU cache when Xᵀ(y σ(−m)) reads it again after X w: on a large block this is several times
    faster than two passes over the whole block, and the slices (fixed by the block alone) keep
    the sums reproducible.
    """
    rows, features = X.shape
    loss = 0.0
    gradient = np.zeros(features)
    H = np.zeros((features, features)) if hessian else None
    correct = 0
    step = rows_per_slice(features)
    for start in range(0, rows, step):
        Xs, ys = X[start:start + step], y[start:start + step]
        margin = Xs @ w
        margin *= ys
        e = np.exp(-np.abs(margin))
        loss += float(np.maximum(-margin, 0.0).sum() + np.log1p(e).sum())
        inverse = 1.0 / (1.0 + e)
        weight = np.where(margin >= 0, e * inverse, inverse)  # σ(−m): how wrong each row is
        gradient -= Xs.T @ (ys * weight)
        if H is not None:
            H += (Xs.T * (weight * (1.0 - weight))) @ Xs
        correct += int(np.count_nonzero(margin > 0))
    return BlockSums(rows, loss, gradient, H, correct)


def squares_sums(X: np.ndarray, y: np.ndarray, w: np.ndarray, hessian: bool = False) -> BlockSums:
    """Σ ½ (wᵀxᵢ − yᵢ)² and its derivatives over a block."""
    residual = X @ w - y
    H = X.T @ X if hessian else None
    return BlockSums(X.shape[0], float(0.5 * residual @ residual), X.T @ residual, H)


def hinge_sums(X: np.ndarray, y: np.ndarray, w: np.ndarray, hessian: bool = False) -> BlockSums:
    """Σ max(0, 1 − yᵢ wᵀxᵢ) and a subgradient over a block (labels ±1)."""
    if hessian:
        raise ConfigError("algorithm", "newton", "a twice-differentiable loss (not hinge)")
    margin = y * (X @ w)
    slack = 1.0 - margin
    active = slack > 0
    return BlockSums(X.shape[0], float(slack[active].sum()), -(X[active].T @ y[active]), None,
                     int(np.count_nonzero(margin > 0)))


_SUMS = {"logistic": logistic_sums, "squares": squares_sums, "hinge": hinge_sums}


@dataclass(frozen=True)
class Problem:
    """A loss and its regularization. Constructors only store settings (scikit-learn style)."""

    loss: str = "logistic"
    l2: float = 0.0
    l1: float = 0.0
    l1_mode: str = "prox"
    penalize_intercept: bool = False

    def __post_init__(self) -> None:
        if self.loss not in LOSSES:
            raise ConfigError("problem", self.loss, f"one of {', '.join(LOSSES)}")
        for name in ("l2", "l1"):
            value = getattr(self, name)
            if not np.isfinite(value) or value < 0:
                raise ConfigError(name, value, "a finite number ≥ 0")
        if self.l1_mode not in L1_MODES:
            raise ConfigError("l1_mode", self.l1_mode, f"one of {', '.join(L1_MODES)}")

    # -- the data term, on one block (runs in the executors) ----------------------------------
    def block_sums(
        self, X: np.ndarray, y: np.ndarray, w: np.ndarray, hessian: bool = False
    ) -> BlockSums:
        """Loss, gradient (and Hessian) summed over a block's rows."""
        return _SUMS[self.loss](X, y, w, hessian)

    @property
    def twice_differentiable(self) -> bool:
        return self.loss != "hinge" and not (self.l1 > 0 and self.l1_mode == "prox")

    @property
    def uses_prox(self) -> bool:
        return self.l1 > 0 and self.l1_mode == "prox"

    # -- the regularizer, on the driver --------------------------------------------------------
    def penalty_mask(self, features: int, intercept: bool) -> np.ndarray:
        """1 for penalized coordinates, 0 for the intercept (column 0) unless penalized."""
        mask = np.ones(features)
        if intercept and not self.penalize_intercept:
            mask[0] = 0.0
        return mask

    def regularizer_value(self, w: np.ndarray, mask: np.ndarray) -> float:
        """λ₁R₁(w) + (λ₂/2)‖w‖² on the penalized coordinates."""
        v = w * mask
        value = 0.5 * self.l2 * float(v @ v)
        if self.l1 > 0:
            if self.l1_mode == "prox":
                value += self.l1 * float(np.abs(v).sum())
            else:
                value += self.l1 * float((np.sqrt(1.0 + v**2) - 1.0).sum())
        return value

    def regularizer_gradient(self, w: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Gradient of the smooth part of the regularizer (the prox handles L1 in prox mode)."""
        v = w * mask
        gradient: np.ndarray = self.l2 * v
        if self.l1 > 0 and self.l1_mode == "smooth":
            gradient = gradient + self.l1 * v / np.sqrt(1.0 + v**2)
        return gradient

    def regularizer_hessian_diagonal(self, w: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Diagonal of the regularizer's Hessian (smooth parts)."""
        diagonal = self.l2 * mask
        if self.l1 > 0 and self.l1_mode == "smooth":
            diagonal = diagonal + self.l1 * mask * (1.0 + (w * mask) ** 2) ** -1.5
        return diagonal

    def prox(self, v: np.ndarray, step: float, mask: np.ndarray) -> np.ndarray:
        """prox of step·λ₁‖·‖₁ (soft-thresholding) on the penalized coordinates."""
        if not self.uses_prox:
            return v
        shrunk = np.sign(v) * np.maximum(np.abs(v) - step * self.l1, 0.0)
        return np.where(mask > 0, shrunk, v)

    def prox_for(self, mask: np.ndarray) -> Callable[[np.ndarray, float], np.ndarray]:
        """v, η ↦ prox(v, η) on the penalized coordinates ``mask`` (what updates call)."""
        return lambda v, step: self.prox(v, step, mask)

    # -- from the partitions' sums to J, ∇J, ∇²J (on the driver) --------------------------------
    def totals(
        self, loss_sum: float, gradient_sum: np.ndarray, rows: int, w: np.ndarray,
        mask: np.ndarray,
    ) -> tuple[float, np.ndarray]:
        """J(w) = Σℓᵢ/n + R(w) and ∇J(w) = Σ∇ℓᵢ/n + ∇R(w) (smooth part) from sums over n rows."""
        n = max(int(rows), 1)
        return (float(loss_sum) / n + self.regularizer_value(w, mask),
                np.asarray(gradient_sum) / n + self.regularizer_gradient(w, mask))

    def hessian_total(
        self, hessian_sum: np.ndarray, rows: int, w: np.ndarray, mask: np.ndarray
    ) -> np.ndarray:
        """∇²J(w) = Σ∇²ℓᵢ/n + ∇²R(w) from the Hessian sums over n rows."""
        return (np.asarray(hessian_sum) / max(int(rows), 1)
                + np.diag(self.regularizer_hessian_diagonal(w, mask)))

    # -- single-machine reference --------------------------------------------------------------
    def objective(self, X: np.ndarray, y: np.ndarray, w: np.ndarray, mask: np.ndarray) -> float:
        """J(w) on arrays held in one process (the reference the distributed sums must match)."""
        sums = self.block_sums(X, y, w)
        return self.totals(sums.loss, sums.gradient, X.shape[0], w, mask)[0]

    def gradient(self, X: np.ndarray, y: np.ndarray, w: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """∇J(w) (smooth part) on arrays held in one process."""
        sums = self.block_sums(X, y, w)
        return self.totals(sums.loss, sums.gradient, X.shape[0], w, mask)[1]

    def lipschitz_bound(self, max_row_norm_sq: float) -> float:
        """A bound L on the Lipschitz constant of ∇J: ¼ maxᵢ‖xᵢ‖² (logistic) or maxᵢ‖xᵢ‖²
        (squares, hinge's smoothed analogue), plus λ₂ (plus λ₁ for the smooth L1)."""
        data = 0.25 * max_row_norm_sq if self.loss == "logistic" else max_row_norm_sq
        smooth_l1 = self.l1 if self.l1_mode == "smooth" else 0.0
        return data + self.l2 + smooth_l1

    def spectral_bound(self, gram_sum: np.ndarray, rows: int) -> float:
        """The exact global Lipschitz constant of ∇J for logistic (¼·λmax(XᵀX/n) + λ₂, since
        σ(m)σ(−m) ≤ ¼ is reached at w = 0) and least squares (λmax(XᵀX/n) + λ₂), from
        Σ xᵢxᵢᵀ; plus λ₁ for the smooth L1. For hinge, the same bound as least squares."""
        data = float(np.linalg.eigvalsh(np.asarray(gram_sum) / max(int(rows), 1))[-1])
        if self.loss == "logistic":
            data *= 0.25
        smooth_l1 = self.l1 if self.l1_mode == "smooth" else 0.0
        return data + self.l2 + smooth_l1
