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

from stepper.pages import narration
from stepper.pages.catalog import method_rule
from stepper.pages.i18n import text
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
"""Iteration 0 in English; :func:`start_phase` gives it in the page's language."""


def start_phase() -> Phase:
    """Iteration 0, before any step, in the page's language."""
    return Phase("start", 0, 1, text("phase.start.label"), narration.start())


@dataclass(frozen=True)
class Position:
    """Where the page is: iteration k (0 = before any) and a phase index within it."""

    iteration: int = 0
    phase: int = 0


def phases_of(record: IterationRecord | None, algorithm: str | None = None) -> list[Phase]:
    """The phases of ``record`` in display order (``[start]`` for iteration 0), their words in
    the page's language (:mod:`stepper.pages.narration`): the broadcast says which way the
    payload went (``record.broadcast["via"]``) and its bytes; the update says when J is a
    sample's estimate."""
    if record is None:
        return [start_phase()]
    rule = method_rule(algorithm)
    parts = record.partitions
    update_label = text("phase.update.label")
    if not parts:
        return [Phase("update", 0, 1, update_label,
                      narration.update(record, rule, distributed=False))]
    count = len(parts)
    phases = [Phase("broadcast", 0, 1, text("phase.broadcast.label"),
                    narration.broadcast(record, count))]
    for p, info in enumerate(parts):
        label, sentence = narration.map_phase(p, count, info)
        phases.append(Phase("map", p, count, label, sentence))
    levels = record.reduce.get("levels") or []
    combining = levels[1:]
    if not combining:
        phases.append(Phase("reduce", 1, 1, text("phase.reduce.label"),
                            narration.reduce_flat(count)))
    for number, level in enumerate(combining, start=1):
        groups = level.get("groups", [])
        inputs = sum(len(g.get("inputs", [])) for g in groups)
        label, sentence = narration.reduce_level(number, len(combining),
                                                 level.get("where", "executors"), inputs,
                                                 len(groups))
        phases.append(Phase("reduce", number, len(combining), label, sentence))
    phases.append(Phase("update", 0, 1, update_label, narration.update(record, rule)))
    return phases


def readout_text(position: Position, phases: list[Phase]) -> str:
    """``"Iteration 3 · map: partition 2 of 8"``."""
    phase = phases[min(position.phase, len(phases) - 1)]
    return narration.readout(position.iteration, phase.label)


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
