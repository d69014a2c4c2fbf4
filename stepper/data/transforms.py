"""Row and column transforms applied to blocks inside the workers.

Each transform is a small frozen dataclass whose parameters were computed on the driver (means,
standard deviations, seeds) and whose ``apply`` is pure numpy, so a worker can rebuild any block
from its source at any time and get the same numbers.

Row selection (train/test split, stratified undersampling) draws one uniform number u per
*source row*, from a stream keyed by the row's global index: rows are grouped in chunks of
``CHUNK`` and chunk k uses ``numpy.random.default_rng([seed, salt, k])``. The same seed therefore
selects the same rows whatever the number of partitions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CHUNK = 8192
SPLIT_SALT = 1
UNDERSAMPLE_SALT = 2


def row_uniforms(ids: np.ndarray, seed: int, salt: int) -> np.ndarray:
    """One uniform number in [0, 1) per global row index in ``ids`` (partition-independent)."""
    out = np.empty(len(ids))
    if len(ids) == 0:
        return out
    ids = ids.astype(np.int64)
    chunks = ids // CHUNK
    for chunk in np.unique(chunks):
        draws = np.random.default_rng([seed, salt, int(chunk)]).random(CHUNK)
        mask = chunks == chunk
        out[mask] = draws[ids[mask] - chunk * CHUNK]
    return out


@dataclass(frozen=True)
class RowData:
    """A block on its way through the transforms: features, labels, global source row ids."""

    X: np.ndarray
    y: np.ndarray
    ids: np.ndarray

    def select(self, keep: np.ndarray) -> RowData:
        return RowData(self.X[keep], self.y[keep], self.ids[keep])


@dataclass(frozen=True)
class NormalizeLabels:
    """Map {0, 1} labels to {−1, +1}."""

    def apply(self, rows: RowData) -> RowData:
        return RowData(rows.X, 2.0 * rows.y - 1.0, rows.ids)


@dataclass(frozen=True)
class Standardize:
    """x_j ← (x_j − μ_j) / σ_j for every column; a constant column (σ_j = 0) is only centred."""

    mean: tuple[float, ...]
    std: tuple[float, ...]

    def apply(self, rows: RowData) -> RowData:
        scale = np.asarray(self.std)
        scale = np.where(scale > 0, scale, 1.0)
        return RowData((rows.X - np.asarray(self.mean)) / scale, rows.y, rows.ids)


@dataclass(frozen=True)
class AddIntercept:
    """Prepend a constant column of ones (column 0), so w₀ is the intercept."""

    def apply(self, rows: RowData) -> RowData:
        ones = np.ones((rows.X.shape[0], 1))
        return RowData(np.hstack([ones, rows.X]), rows.y, rows.ids)


@dataclass(frozen=True)
class SplitRows:
    """Keep the rows whose uniform u falls in the train (u < fraction) or test side."""

    fraction: float
    seed: int
    side: str  # "train" or "test"

    def apply(self, rows: RowData) -> RowData:
        u = row_uniforms(rows.ids, self.seed, SPLIT_SALT)
        keep = u < self.fraction if self.side == "train" else u >= self.fraction
        return rows.select(keep)


@dataclass(frozen=True)
class Undersample:
    """Keep every row of class ``keep_label``; keep each other row with probability ``fraction``.

    The workshop's rebalancing (``sampleByKey`` keeping all churners and 10 % of the others).
    """

    keep_label: float
    fraction: float
    seed: int

    def apply(self, rows: RowData) -> RowData:
        u = row_uniforms(rows.ids, self.seed, UNDERSAMPLE_SALT)
        keep = (rows.y == self.keep_label) | (u < self.fraction)
        return rows.select(keep)


Transform = NormalizeLabels | Standardize | AddIntercept | SplitRows | Undersample


def apply_all(rows: RowData, transforms: tuple[Transform, ...]) -> RowData:
    """Apply ``transforms`` in order."""
    for transform in transforms:
        rows = transform.apply(rows)
    return rows
