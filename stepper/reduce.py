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
from typing import Any

import numpy as np

TRACE_LEVELS = ("full", "summary", "none")


class Partial:
    """Sums over some partitions, and (trace permitting) how they were combined.

    ``loss``/``gradient`` are Σ over rows at the current weights (the objective's data term);
    ``used_rows``/``used_gradient`` are over the rows the update uses (a mini-batch, one row, or
    all rows at the query point); ``hessian`` is Σ ∇²ℓ over those rows (Newton only).
    """

    __slots__ = (
        "bad",
        "children",
        "context",
        "gradient",
        "hessian",
        "leaves",
        "loss",
        "parts",
        "rows",
        "trace",
        "used_gradient",
        "used_rows",
    )

    def __init__(self, **fields: Any) -> None:
        for name in self.__slots__:
            setattr(self, name, fields.get(name))

    def record(self) -> dict:
        """This node as it appears in a trace level (no Hessian, vectors only at ``full``)."""
        node: dict[str, Any] = {"partitions": list(self.parts), "rows": self.rows,
                                "loss": self.loss}
        if self.trace == "full":
            node["gradient"] = self.gradient.tolist()
        else:
            node["gradient_norm"] = float(np.linalg.norm(self.gradient))
        return node


def _context() -> tuple:
    from pyspark import TaskContext

    task = TaskContext.get()
    if task is None:
        return ("driver",)
    return ("stage", task.stageId(), task.partitionId())


def _add(a: np.ndarray | None, b: np.ndarray | None) -> np.ndarray | None:
    if a is None or b is None:
        return a if b is None else b
    return a + b


def combine(a: Partial | None, b: Partial | None) -> Partial | None:
    """treeAggregate's combOp: add two partials, recording the combination."""
    if a is None or b is None:
        return a if b is None else b
    here = _context()
    if a.context == here and a.children is not None and a.trace != "none":
        group = a  # a group this task is already building: one more input
    else:
        group = Partial(
            parts=list(a.parts), rows=a.rows, loss=a.loss, gradient=a.gradient.copy(),
            used_rows=a.used_rows,
            used_gradient=None if a.used_gradient is None else a.used_gradient.copy(),
            hessian=None if a.hessian is None else a.hessian.copy(),
            leaves=list(a.leaves), bad=a.bad, trace=a.trace, context=here,
            children=[] if a.trace != "none" else None,
        )
        if group.children is not None:
            group.children.append(_child(a))
    group.parts = group.parts + list(b.parts)
    group.rows += b.rows
    group.loss += b.loss
    group.gradient = group.gradient + b.gradient
    group.used_rows += b.used_rows
    group.used_gradient = _add(group.used_gradient, b.used_gradient)
    group.hessian = _add(group.hessian, b.hessian)
    group.leaves = group.leaves + list(b.leaves)
    group.bad = group.bad or b.bad
    if group.children is not None:
        group.children.append(_child(b))
    return group


def _child(partial: Partial) -> dict:
    """What a group keeps of one input: its record, its own inputs, where it was made."""
    node = partial.record()
    node["where"] = "driver" if partial.context == ("driver",) else "executor"
    node["stage"] = partial.context[1] if partial.context[0] == "stage" else None
    node["inputs"] = partial.children or []
    return node


def tree_levels(root: Partial) -> list[dict]:
    """The recorded tree as levels: level 0 the partitions, then each combining stage in order.

    Each level: ``{"level", "where", "groups": [{"partitions", "inputs", "rows", "loss",
    "gradient" | "gradient_norm"}]}`` where ``inputs`` lists the partition sets combined.
    """
    if root.trace == "none" or root.children is None:
        return []
    top = _child(root)
    groups_by_stage: dict[Any, list[dict]] = {}
    leaves: list[dict] = []

    def visit(node: dict) -> None:
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
                       "groups": [_flat(g) for g in groups]})
    return levels


def _flat(node: dict) -> dict:
    flat = {k: v for k, v in node.items() if k not in ("inputs", "where", "stage")}
    flat["partitions"] = sorted(node["partitions"])
    flat["inputs"] = [sorted(child["partitions"]) for child in node["inputs"]]
    return flat


def tree_scale(partitions: int, depth: int) -> int:
    """treeAggregate's fan-in: max(⌈P^(1/depth)⌉, 2)."""
    return max(math.ceil(partitions ** (1.0 / depth)), 2)


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
