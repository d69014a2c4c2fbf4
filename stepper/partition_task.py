"""One partition's task in an iteration: the method's ``local`` plus what the trace reports.

The method value says *what* partition p computes (``Algorithm.local``); this module wraps it
with what a learner wants to see about the task (runs in the executors):

* how long it took (``seconds``, ``start``/``end``), which executor, host and attempt ran it;
* the bytes of its result as Spark ships it (``result_bytes``, the pickled :class:`Partial`);
* the sums it sent (vectors at trace level ``full``, their norms at ``summary``);
* the first non-finite quantity, if any, so the driver names the partition;
* faults injected on purpose (a seeded delay, a failure: :mod:`stepper.faults`).
"""

from __future__ import annotations

import pickle
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from stepper.algorithms import Algorithm
from stepper.data.blocks import Block
from stepper.faults import TaskDelay, TaskFailure, sleep
from stepper.problems import BlockSums
from stepper.reduce import Partial, sums_record
from stepper.worker import executor_identity, host_name, task_attempt


class InlinePayload:
    """A payload carried by the task closure, with a Broadcast's ``value``/``unpersist``."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def unpersist(self, blocking: bool = False) -> None:
        """Nothing to free: the payload goes away with the task."""


def oracle_data_term(oracle: Callable[..., Any], hessian: Callable[..., Any] | None = None
                     ) -> Callable[..., BlockSums]:
    """A plugged ``f(X, y, w) -> (Σ loss, Σ gradient)`` (and ``h(X, y, w) -> Σ Hessian``, for
    Newton) as a data term."""

    def data_term(X: np.ndarray, y: np.ndarray, w: np.ndarray, want_hessian: bool = False
                  ) -> BlockSums:
        loss, gradient = oracle(X, y, w)
        H = None
        if want_hessian and hessian is not None:
            H = np.asarray(hessian(X, y, w), dtype=np.float64)
        return BlockSums(X.shape[0], float(loss), np.asarray(gradient, dtype=np.float64), H)

    return data_term


def _first_bad(sums: dict[str, Any], p: int) -> tuple[str, int] | None:
    names = {"loss": "loss", "gradient": "gradient", "hessian": "Hessian"}
    for key, value in sums.items():
        if value is None or isinstance(value, (dict, bool)):
            continue
        if not np.all(np.isfinite(value)):
            return f"the partition's {names.get(key, key)}", p
    return None


def partition_task(
    method: Algorithm,
    payload: Any,
    data_term: Callable[..., BlockSums],
    *,
    iteration: int,
    classification: bool,
    trace: str,
    delay: TaskDelay | None = None,
    failure: TaskFailure | None = None,
) -> Callable[[int, Block], Partial]:
    """``task(p, block)``: partition p's :class:`Partial` for this iteration."""
    local = method.local
    assert local is not None

    def task(p: int, block: Block) -> Partial:
        start = time.time()
        attempt, stage = task_attempt()
        if failure is not None:
            failure.maybe_fail(iteration, p, attempt + 1)
        sums = local(p, block, payload.value, data_term)
        rows = block.rows
        if not classification or not rows:
            sums["correct"] = 0
        elif sums.get("correct") is None:  # not known from the sums (an oracle, a sample)
            sums["correct"] = int(np.count_nonzero(block.y * (block.X @ payload.value["w"]) > 0))
        if delay is not None:
            sleep(delay.seconds(iteration, p))
        end = time.time()
        info = {"index": p, "rows": rows, "used_rows": sums.get("used_rows", rows),
                "seconds": end - start, "start": start, "end": end,
                "executor": executor_identity(), "host": host_name(), "attempt": attempt}
        info.update({k: v for k, v in sums_record(sums, trace).items()
                     if (k not in ("rows", "used_rows") and trace != "none")
                     or k in ("loss", "correct")})
        partial = Partial(parts=[p], sums=sums, leaves=[info], bad=_first_bad(sums, p),
                          trace=trace, context=("stage", stage, p),
                          children=[] if trace != "none" else None)
        info["result_bytes"] = len(pickle.dumps(partial, protocol=pickle.HIGHEST_PROTOCOL))
        return partial

    return task
