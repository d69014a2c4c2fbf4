"""The per-iteration table that ``run`` and ``replay`` print."""

from __future__ import annotations

import math
from typing import Any

HEADER = f"{'iter':>5}  {'objective':>16}  {'grad norm':>10}  {'step':>10}  {'accuracy':>8}  " \
          f"{'time (s)':>8}  {'rounds':>6}  notes"

STANDARD_UPDATE_KEYS = {"weights_before", "query_point", "gradient", "direction", "step_size",
                        "weights_after", "trials"}
"""The update keys every method records; the others are the method's own (shown as notes)."""


def notes(record: Any) -> str:
    """A method's own driver numbers (ADMM residuals, L-BFGS memory, a simulation's clock …),
    the line-search trials and the simulated updates, as ``key=value`` notes."""
    update = record.update or {}
    out = []
    if update.get("trials"):
        out.append(f"trials={len(update['trials'])}")
    for key, value in update.items():
        if key in STANDARD_UPDATE_KEYS:
            continue
        if isinstance(value, bool) or value is None:
            out.append(f"{key}={value}")
        elif isinstance(value, (int, float)):
            out.append(f"{key}={value:.4g}")
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            out.append(f"{key}: {len(value)}")
    return "  ".join(out)


def row(record: Any) -> str:
    step = record.update.get("step_size") if record.update else None
    accuracy = "-" if record.accuracy is None else f"{record.accuracy:.4f}"
    total = record.timing.get("total") if record.timing else None
    rounds = "-" if record.rounds is None else str(record.rounds)
    return (f"{record.iteration:>5}  {record.objective:>16.10g}  {record.grad_norm:>10.3e}  "
            f"{'-' if step is None else format(step, '>10.4g'):>10}  {accuracy:>8}  "
            f"{'-' if total is None else format(total, '.3f'):>8}  {rounds:>6}  "
            f"{notes(record)}").rstrip()


def partition_rows(record: Any) -> list[str]:
    lines = []
    for part in record.partitions:
        if "gradient" in part:
            norm = math.sqrt(sum(float(g) ** 2 for g in part["gradient"]))
        else:
            norm = part.get("gradient_norm", float("nan"))
        lines.append(
            f"{'':>7}partition {part['index']:>3}: {part['rows']:>9} rows  "
            f"loss Σ {part['loss']:.6g}  ‖gradient Σ‖ {norm:.4g}  "
            f"{part.get('seconds', float('nan')):.3f} s  executor {part.get('executor', '?')}  "
            f"attempt {part.get('attempt', '?')}"
        )
    return lines


def weights_text(w: Any, limit: int = 8) -> str:
    values = [float(v) for v in w]
    shown = ", ".join(f"{v:.6g}" for v in values[:limit])
    more = f", … ({len(values)} in all)" if len(values) > limit else ""
    return f"[{shown}{more}]"


def print_table(records: list, every: int, out: Any, show_partitions: bool = False) -> None:
    print(HEADER, file=out)
    for k, record in enumerate(records):
        if (k + 1) % every == 0 or k == len(records) - 1:
            print(row(record), file=out)
            if show_partitions:
                for line in partition_rows(record):
                    print(line, file=out)


