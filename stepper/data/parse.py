"""Parse text rows (CSV, LIBSVM) into numpy blocks, locating every error.

Pure Python and numpy, no Spark: each partition runs these functions on its own lines, and the
driver turns the first error found (by line number) into a :class:`~stepper.errors.DataError`.

A parsed chunk keeps the file line number of every row so that later checks (labels, NaN) can
still say where a bad value came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class ParsedChunk:
    """Rows parsed from some lines: ``X``, raw labels ``y``, their file ``lines`` (1-based)."""

    X: np.ndarray
    y: np.ndarray
    lines: np.ndarray
    error: tuple[int, int | None, str] | None = None  # (line, column, message)
    max_index: int = 0  # LIBSVM: largest feature index seen
    labels: dict[float, int] = field(default_factory=dict)  # distinct label → first line


@dataclass(frozen=True)
class CsvLayout:
    """Which CSV columns hold what (0-based), for a file with ``columns`` columns."""

    columns: int
    label: int
    drop: tuple[int, ...] = ()
    delimiter: str = ","

    @property
    def features(self) -> list[int]:
        return [c for c in range(self.columns) if c != self.label and c not in self.drop]


def _first_labels(y: np.ndarray, lines: np.ndarray, limit: int = 16) -> dict[float, int]:
    """Distinct labels with the first line each appears on (at most ``limit`` of them)."""
    values, first = np.unique(y, return_index=True)
    order = np.argsort(first)[:limit]
    return {float(values[k]): int(lines[first[k]]) for k in order}


def parse_csv_lines(numbered: list[tuple[int, str]], layout: CsvLayout) -> ParsedChunk:
    """Parse ``(line number, text)`` pairs into a chunk; blank lines are skipped.

    Stops at the first malformed line and reports it; values may be any float Python reads
    (``nan`` and ``inf`` included: the finiteness check that follows reports those).
    """
    feature_cols = layout.features
    rows: list[list[str]] = []
    kept: list[int] = []
    error: tuple[int, int | None, str] | None = None
    for number, text in numbered:
        stripped = text.strip()
        if not stripped:
            continue
        cells = stripped.split(layout.delimiter)
        if len(cells) != layout.columns:
            error = (
                number,
                None,
                f"expected {layout.columns} values separated by {layout.delimiter!r}, "
                f"found {len(cells)}",
            )
            break
        rows.append(cells)
        kept.append(number)
    lines = np.asarray(kept, dtype=np.int64)
    try:
        table = np.asarray(rows, dtype=np.float64) if rows else np.zeros((0, layout.columns))
    except ValueError:
        table, bad = _convert_locating(rows, kept)
        lines = lines[: table.shape[0]]
        if bad is not None and (error is None or bad[0] < error[0]):
            error = bad
    if error is not None:
        keep = lines < error[0]
        table, lines = table[keep], lines[keep]
    if table.size:
        X = np.ascontiguousarray(table[:, feature_cols])
    else:
        X = np.zeros((0, len(feature_cols)))
    y = table[:, layout.label].copy() if table.size else np.zeros(0)
    return ParsedChunk(X, y, lines, error, labels=_first_labels(y, lines))


def _convert_locating(
    rows: list[list[str]], numbers: list[int]
) -> tuple[np.ndarray, tuple[int, int | None, str] | None]:
    """Convert row by row, returning the rows before the first bad cell and its location."""
    good: list[list[float]] = []
    for number, cells in zip(numbers, rows, strict=True):
        values = []
        for column, cell in enumerate(cells, start=1):
            try:
                values.append(float(cell))
            except ValueError:
                shown = cell.strip() or "(empty)"
                width = len(cells)
                table = np.asarray(good, dtype=np.float64).reshape(-1, width)
                return table, (number, column, f"{shown!r} is not a number")
        good.append(values)
    return np.asarray(good, dtype=np.float64), None


def parse_libsvm_lines(numbered: list[tuple[int, str]], features: int | None) -> ParsedChunk:
    """Parse LIBSVM rows ``label index:value …`` (1-based, increasing indices).

    With ``features`` None the block is built as wide as the largest index seen here; the
    loader then widens every block to the global maximum.
    """
    labels: list[float] = []
    entries: list[tuple[int, int, float]] = []
    kept: list[int] = []
    error = None
    max_index = 0
    for number, text in numbered:
        body = text.split("#", 1)[0].strip()
        if not body:
            continue
        tokens = body.split()
        try:
            label = float(tokens[0])
        except ValueError:
            error = (number, 1, f"label {tokens[0]!r} is not a number")
            break
        row = len(kept)
        previous = 0
        parsed: list[tuple[int, int, float]] = []
        for position, token in enumerate(tokens[1:], start=2):
            index_text, sep, value_text = token.partition(":")
            try:
                index = int(index_text)
                value = float(value_text)
            except ValueError:
                index = -1
            if not sep or index < 1:
                error = (number, position, f"{token!r} is not an index:value pair (index ≥ 1)")
                break
            if index <= previous:
                error = (number, position, f"feature index {index} is not increasing")
                break
            if features is not None and index > features:
                error = (number, position, f"feature index {index} exceeds {features} features")
                break
            previous = index
            parsed.append((row, index - 1, value))
        if error is not None:
            break
        labels.append(label)
        entries.extend(parsed)
        kept.append(number)
        max_index = max(max_index, previous)
    width = features if features is not None else max_index
    X = np.zeros((len(kept), width))
    for row, column, value in entries:
        X[row, column] = value
    y = np.asarray(labels, dtype=np.float64)
    lines = np.asarray(kept, dtype=np.int64)
    return ParsedChunk(X, y, lines, error, max_index=max_index, labels=_first_labels(y, lines))
