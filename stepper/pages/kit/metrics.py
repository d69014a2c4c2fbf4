"""Classification scores for the lessons: accuracy and the confusion matrix (numpy only).

The confusion matrix follows scikit-learn's convention: ``C[i, j]`` counts the rows whose true
label is ``labels[i]`` and whose predicted label is ``labels[j]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import numpy as np


def predict(X: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Labels in {−1, +1}: +1 where wᵀx > 0 (σ(wᵀx) > ½), else −1."""
    return np.where(np.asarray(X) @ np.asarray(w) > 0, 1.0, -1.0)


def accuracy(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Share of rows whose predicted label equals the true one."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"{y_true.shape[0]} true labels but {y_pred.shape[0]} predictions")
    if y_true.size == 0:
        raise ValueError("no rows to score")
    return float(np.mean(y_true == y_pred))


def confusion_matrix(
    y_true: np.ndarray, y_pred: np.ndarray, labels: Sequence[float] = (-1.0, 1.0)
) -> np.ndarray:
    """``C[i, j]`` = number of rows with true label ``labels[i]`` predicted as ``labels[j]``."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"{y_true.shape[0]} true labels but {y_pred.shape[0]} predictions")
    k = len(labels)
    C = np.zeros((k, k), dtype=np.int64)
    for i, truth in enumerate(labels):
        for j, guess in enumerate(labels):
            C[i, j] = int(np.sum((y_true == truth) & (y_pred == guess)))
    return C


def precision_recall(C: np.ndarray) -> tuple[float, float]:
    """Precision and recall of the last class (+1) from a 2 × 2 confusion matrix."""
    tp, fp, fn = C[1, 1], C[0, 1], C[1, 0]
    precision = float(tp / (tp + fp)) if tp + fp else float("nan")
    recall = float(tp / (tp + fn)) if tp + fn else float("nan")
    return precision, recall


def confusion_html(C: np.ndarray, labels: Sequence[str] = ("−1", "+1"), caption: str = "") -> str:
    """A confusion matrix as a large, readable HTML table (true labels in rows)."""
    cell = "padding:6px 16px;border:1px solid #bbb;text-align:right;font-size:1.15em"
    head = "padding:6px 16px;border:1px solid #bbb;background:#f0f3f6;font-weight:600"
    rows = [f"<tr><th style='{head}'>true \\ predicted</th>"
            + "".join(f"<th style='{head}'>{escape(name)}</th>" for name in labels) + "</tr>"]
    for i, name in enumerate(labels):
        cells = []
        for j in range(len(labels)):
            colour = "#e6f4ea" if i == j else "#fdecea"
            cells.append(f"<td style='{cell};background:{colour}'>{int(C[i, j])}</td>")
        rows.append(f"<tr><th style='{head}'>{escape(name)}</th>{''.join(cells)}</tr>")
    title = f"<caption style='font-weight:600;padding:4px'>{escape(caption)}</caption>" \
        if caption else ""
    return f"<table style='border-collapse:collapse'>{title}{''.join(rows)}</table>"
