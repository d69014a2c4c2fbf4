"""The phases of one recorded iteration, and what the readout and the narration say about them.

A distributed iteration is shown as: **broadcast** (the driver sends w), **map** (one phase per
partition, in partition order, although the tasks really run in parallel), **reduce** (one phase
per combining level of the tree Spark built: executors first, then the driver), **update** (the
driver's rule). A record without partitions (a run on one machine) has the update only.

Partitions are numbered from 1 in the page ("partition 3 of 8"); Spark numbers them from 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stepper.pages.catalog import method_rule
from stepper.trace import IterationRecord


@dataclass(frozen=True)
class Phase:
    """One phase: ``kind`` is broadcast, map, reduce, update or start."""

    kind: str
    index: int  # partition (map, 0-based) or level (reduce, 1-based); 0 otherwise
    count: int  # partitions (map) or levels (reduce); 1 otherwise
    label: str  # short, for the readout
    narration: str  # one sentence, for the data-flow diagram


START = Phase("start", 0, 1, "start", "Nothing computed yet: w₀ is on the driver. Press Step.")


@dataclass(frozen=True)
class Position:
    """Where the page is: iteration k (0 = before any) and a phase index within it."""

    iteration: int = 0
    phase: int = 0


def _ms(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    return f"{1000 * seconds:.0f} ms" if seconds >= 0.001 else "<1 ms"


def _fmt(value: float) -> str:
    return f"{value:.4g}"


def phases_of(record: IterationRecord | None, algorithm: str | None = None) -> list[Phase]:
    """The phases of ``record`` in display order (``[START]`` for iteration 0)."""
    if record is None:
        return [START]
    rule = method_rule(algorithm)
    eta = record.update.get("step_size")
    eta_text = f" with η = {_fmt(eta)}" if eta is not None else ""
    update = Phase("update", 0, 1, "update",
                   f"The driver divides by n, adds the regularization and updates: {rule}"
                   f"{eta_text}.  J = {_fmt(record.objective)} at the weights sent.")
    parts = record.partitions
    if not parts:
        return [Phase("update", 0, 1, "update",
                      f"One machine: the gradient over all rows, then {rule}{eta_text}.  "
                      f"J = {_fmt(record.objective)}.")]
    count = len(parts)
    size = record.broadcast.get("bytes")
    size_text = f" ({size} bytes)" if size else ""
    phases = [Phase("broadcast", 0, 1, "broadcast",
                    f"The driver broadcasts w{size_text} to the executors; each of the "
                    f"{count} partitions reads it once.")]
    for p, info in enumerate(parts):
        rows, used = info.get("rows", 0), info.get("used_rows", info.get("rows", 0))
        sample = f"its sample of {used} of {rows} rows" if used != rows else f"its {rows} rows"
        where = info.get("executor", "?")
        phases.append(Phase(
            "map", p, count, f"map: partition {p + 1} of {count}",
            f"Partition {p + 1} sums the loss and gradient over {sample} "
            f"({_ms(info.get('seconds'))} on executor {where})."))
    levels = record.reduce.get("levels") or []
    combining = levels[1:]
    if not combining:
        phases.append(Phase("reduce", 1, 1, "reduce",
                            f"The {count} partial sums are added up (treeAggregate)."))
    for number, level in enumerate(combining, start=1):
        groups = level.get("groups", [])
        where = level.get("where", "executors")
        inputs = sum(len(g.get("inputs", [])) for g in groups)
        if where == "driver":
            text = (f"The driver adds the last {inputs} partial sums it collected "
                    f"(treeAggregate's final reduce).")
        else:
            text = (f"A shuffle sends {inputs} partial sums to {len(groups)} executor tasks, "
                    f"which add them: fewer results reach the driver.")
        phases.append(Phase("reduce", number, len(combining),
                            f"reduce: level {number} of {len(combining)} ({where})", text))
    phases.append(update)
    return phases


def readout_text(position: Position, phases: list[Phase]) -> str:
    """``"Iteration 3 · map: partition 2 of 8"``."""
    phase = phases[min(position.phase, len(phases) - 1)]
    return f"Iteration {position.iteration} · {phase.label}"


def revealed_partitions(phase: Phase) -> int:
    """How many partitions' results the views show at ``phase`` (map reveals them in order)."""
    if phase.kind in ("start", "broadcast"):
        return 0
    if phase.kind == "map":
        return phase.index + 1
    return 10**9


def partition_shares(record: IterationRecord, upto: int | None = None) -> list[np.ndarray]:
    """Each partition's share of a gradient step, −η·∇J_p / n (full-length vectors).

    Empty when the trace holds no per-partition gradients (trace level ``summary``/``none``).
    """
    parts = record.partitions
    if not parts or "gradient" not in parts[0]:
        return []
    n = record.reduce.get("rows") or sum(p.get("rows", 0) for p in parts) or 1
    eta = record.update.get("step_size", 0.0) or 0.0
    shown = parts if upto is None else parts[:upto]
    return [-eta * np.asarray(p["gradient"], dtype=float) / n for p in shown]


def partition_gradients(record: IterationRecord, upto: int | None = None) -> np.ndarray | None:
    """(partitions, features) array of ∇J_p / n, zero rows for partitions not yet revealed."""
    parts = record.partitions
    if not parts or "gradient" not in parts[0]:
        return None
    n = record.reduce.get("rows") or sum(p.get("rows", 0) for p in parts) or 1
    grads = np.array([np.asarray(p["gradient"], dtype=float) / n for p in parts])
    if upto is not None and upto < len(parts):
        grads[upto:] = 0.0
    return grads
