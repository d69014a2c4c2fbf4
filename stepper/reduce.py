"""The reduce: partial sums combined as Spark's ``treeAggregate`` combines them, and recorded.

Each partition's task returns a :class:`Partial` (its sums plus what it knows about itself).
:func:`combine` is the ``combOp`` handed to ``RDD.treeAggregate``; it adds sums and, unless the
trace level is ``"none"``, records which partials it combined and where: in an executor (the
shuffle stages treeAggregate adds for deep trees) or on the driver (the final reduce). The tree a
trace shows is therefore the tree Spark actually built, recorded while it ran.

How PySpark builds it, for P partitions and depth D (see ``treeAggregate`` in pyspark/rdd.py):
scale = max(⌈P^(1/D)⌉, 2); while P > scale + P/scale: P ← P/scale and partial i is sent to
key i mod ⌊P⌋ (a shuffle; partials with the same key are added in one task); finally the driver
collects the remaining partials and adds them. :func:`expected_tree` restates that rule.
"""

from __future__ import annotations

import math
import pickle
from collections.abc import Callable
from typing import Any

import numpy as np

from stepper.trace import TRACE_LEVELS

__all__ = ["STANDARD_KEYS", "TRACE_LEVELS", "Partial", "combine", "expected_tree", "sums_record",
           "tree_levels", "tree_scale"]


STANDARD_KEYS = ("rows", "loss", "gradient")
"""Sums every method's partitions send (see :mod:`stepper.algorithms.base`)."""


class Partial:
    """Sums over some partitions, and (trace permitting) how they were combined.

    ``sums`` holds the method's sums under its own keys (always ``rows``, ``loss`` — Σ ℓ at the
    broadcast weights — and ``gradient``); ``leaves`` what each partition's task reported;
    ``bad`` the first non-finite quantity seen (name, partition); ``children`` the inputs this
    partial combined (trace levels full and summary).
    """

    __slots__ = ("bad", "children", "context", "leaves", "parts", "sums", "trace")

    def __init__(self, *, parts: list[int], sums: dict[str, Any], leaves: list[dict[str, Any]],
                 bad: tuple[str, int] | None, trace: str, context: tuple[Any, ...],
                 children: list[dict[str, Any]] | None) -> None:
        self.parts = parts
        self.sums = sums
        self.leaves = leaves
        self.bad = bad
        self.trace = trace
        self.context = context
        self.children = children

    @property
    def rows(self) -> int:
        return int(self.sums["rows"])

    def record(self) -> dict[str, Any]:
        """This node as it appears in a trace level: its partitions, rows, loss, and its vectors
        (gradient, a method's own vectors) at ``full`` or their norms at ``summary``; matrices
        (Newton's Hessian) never."""
        node: dict[str, Any] = {"partitions": list(self.parts)}
        node.update(sums_record(self.sums, self.trace))
        return node


def sums_record(sums: dict[str, Any], trace: str) -> dict[str, Any]:
    """What the trace keeps of some sums: numbers as they are; vectors at ``full`` (their norm
    as ``<key>_norm`` otherwise); a dict of per-partition vectors at ``full`` only; no matrices."""
    out: dict[str, Any] = {}
    for key, value in sums.items():
        if value is None:
            continue
        if isinstance(value, dict):
            if trace == "full":
                out[key] = {str(k): np.asarray(v).tolist() for k, v in value.items()}
        elif isinstance(value, np.ndarray):
            if value.ndim != 1:
                continue
            if trace == "full":
                out[key] = value.tolist()
            else:
                out[f"{key}_norm"] = float(np.linalg.norm(value))
        else:
            out[key] = value.item() if isinstance(value, np.generic) else value
    return out


def _context() -> tuple[Any, ...]:
    from pyspark import TaskContext

    task = TaskContext.get()
    if task is None:
        return ("driver",)
    return ("stage", task.stageId(), task.partitionId())


def combine(a: Partial | None, b: Partial | None,
            add: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]) -> Partial | None:
    """treeAggregate's combOp: the method's ``add`` of two partials' sums, recording the
    combination (and the bytes of each input, as Spark ships them)."""
    if a is None or b is None:
        return a if b is None else b
    here = _context()
    if a.context == here and a.children is not None and a.trace != "none":
        group = a  # a group this task is already building: one more input
    else:
        group = Partial(parts=list(a.parts), sums=dict(a.sums), leaves=list(a.leaves),
                        bad=a.bad, trace=a.trace, context=here,
                        children=[] if a.trace != "none" else None)
        if group.children is not None:
            group.children.append(_child(a))
    group.parts = group.parts + list(b.parts)
    group.sums = add(group.sums, b.sums)
    group.leaves = group.leaves + list(b.leaves)
    group.bad = group.bad or b.bad
    if group.children is not None:
        group.children.append(_child(b))
    return group


def _child(partial: Partial) -> dict[str, Any]:
    """What a group keeps of one input: its record, its bytes, its own inputs, where it was made."""
    node = partial.record()
    node["bytes"] = len(pickle.dumps(partial, protocol=pickle.HIGHEST_PROTOCOL))
    node["where"] = "driver" if partial.context == ("driver",) else "executor"
    node["stage"] = partial.context[1] if partial.context[0] == "stage" else None
    node["inputs"] = partial.children or []
    return node


def tree_levels(root: Partial) -> list[dict[str, Any]]:
    """The recorded tree as levels: level 0 the partitions, then each combining stage in order.

    Each level: ``{"level", "where", "groups": [{"partitions", "inputs", "rows", "loss",
    "gradient" | "gradient_norm", …}], "bytes"}`` where ``inputs`` lists the partition sets
    combined and ``bytes`` (levels ≥ 1) the pickled bytes of the partials that arrived there.
    """
    if root.trace == "none" or root.children is None:
        return []
    top = _child(root)
    groups_by_stage: dict[Any, list[dict[str, Any]]] = {}
    leaves: list[dict[str, Any]] = []

    def visit(node: dict[str, Any]) -> None:
        if not node["inputs"]:
            leaves.append(node)
            return
        key = ("driver",) if node["where"] == "driver" else ("stage", node["stage"])
        groups_by_stage.setdefault(key, []).append(node)
        for child in node["inputs"]:
            visit(child)

    visit(top)
    order = sorted(groups_by_stage, key=lambda k: (k[0] == "driver", k[1] if len(k) > 1 else 0))
    levels = [{"level": 0, "where": "executors",
               "groups": [_flat(leaf) for leaf in sorted(leaves, key=lambda n: n["partitions"])]}]
    for number, key in enumerate(order, start=1):
        groups = sorted(groups_by_stage[key], key=lambda n: min(n["partitions"]))
        levels.append({"level": number, "where": "driver" if key == ("driver",) else "executors",
                       "groups": [_flat(g) for g in groups],
                       "bytes": sum(child["bytes"] for g in groups for child in g["inputs"])})
    return levels


def _flat(node: dict[str, Any]) -> dict[str, Any]:
    flat = {k: v for k, v in node.items() if k not in ("inputs", "where", "stage", "bytes")}
    flat["partitions"] = sorted(node["partitions"])
    flat["inputs"] = [sorted(child["partitions"]) for child in node["inputs"]]
    return flat


def tree_scale(partitions: int, depth: int) -> int:
    """treeAggregate's fan-in: max(⌈P^(1/depth)⌉, 2)."""
    root: float = partitions ** (1.0 / depth)
    return max(math.ceil(root), 2)


def expected_tree(partitions: int, depth: int) -> list[list[list[int]]]:
    """The groups PySpark's treeAggregate forms, level by level (partition index sets).

    The last level is the driver's combine, present when more than one partial reaches it.

    A restatement of the rule in pyspark/rdd.py, for the lessons' explanations and the tests.
    """
    scale = tree_scale(partitions, depth)
    current: list[list[int]] = [[p] for p in range(partitions)]
    levels: list[list[list[int]]] = []
    count: float = partitions
    while count > scale + count / scale:
        count /= scale
        buckets = int(count)
        grouped: dict[int, list[int]] = {}
        for index, members in enumerate(current):
            grouped.setdefault(index % buckets, []).extend(members)
        current = [sorted(grouped[k]) for k in sorted(grouped)]
        levels.append(list(current))
    if len(current) > 1:
        levels.append([sorted(p for g in current for p in g)])
    return levels
