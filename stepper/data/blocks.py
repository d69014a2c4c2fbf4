"""A partition's rows as numpy blocks, and the checks every source shares.

A *block* is the engine's unit of data: one partition's feature matrix ``X`` (rows × d, float64)
and label vector ``y`` (rows,), so that a partition's gradient is one matrix product instead of
one Python call per row.

Labels are normalized for the problem: classification labels arrive as {0, 1} or {−1, +1} and
are stored as {−1, +1} (the workshop's convention, y·wᵀx is the margin); regression labels are
stored as they are.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from stepper.data.synthetic import partition_bounds
from stepper.errors import DataError

__all__ = ["Block", "partition_bounds"]

CLASSIFICATION = "classification"
REGRESSION = "regression"
TASKS = (CLASSIFICATION, REGRESSION)


class Block(NamedTuple):
    """One partition's rows: ``X`` (n × d float64) and ``y`` (n,) float64."""

    X: np.ndarray
    y: np.ndarray

    @property
    def rows(self) -> int:
        return int(self.X.shape[0])

    @property
    def nbytes(self) -> int:
        return int(self.X.nbytes + self.y.nbytes)


def empty_block(features: int) -> Block:
    """A block with no rows and ``features`` columns."""
    return Block(np.zeros((0, features)), np.zeros(0))


def label_order(y: np.ndarray) -> np.ndarray:
    """The row order that sorts rows by label, stably (rows with one label keep their order).

    Splitting rows in this order into contiguous partitions gives *non-IID* partitions: with two
    balanced classes and an even number of partitions, every partition holds one class only
    (``non_iid=True`` in :func:`stepper.data.loaders.from_numpy`).
    """
    return np.argsort(np.asarray(y), kind="stable")


def check_finite_matrix(
    X: np.ndarray, y: np.ndarray, *, path: str | None, row_numbers: np.ndarray | None = None,
    label_column: int = 1, feature_columns: list[int] | None = None, row_word: str = "line",
) -> None:
    """Raise a located :class:`DataError` for the first NaN or infinity in ``X`` or ``y``.

    ``row_numbers`` maps block rows to the numbers shown to the user (file lines, or rows);
    columns are reported 1-based as they appear in the source.
    """
    bad_y = ~np.isfinite(y)
    bad_x = ~np.isfinite(X)
    rows_bad = bad_y | bad_x.any(axis=1) if X.size else bad_y
    if not rows_bad.any():
        return
    i = int(np.argmax(rows_bad))
    number = int(row_numbers[i]) if row_numbers is not None else i + 1
    if bad_y[i]:
        column, value = label_column, y[i]
    else:
        j = int(np.argmax(bad_x[i]))
        column = feature_columns[j] if feature_columns is not None else j + 1
        value = X[i, j]
    what = "NaN" if np.isnan(value) else "an infinite value"
    if row_word == "line":
        raise DataError(f"{what} is not allowed ({value!r})", path=path, line=number, column=column)
    raise DataError(f"row {number}, column {column}: {what} is not allowed ({value!r})", path=path)
