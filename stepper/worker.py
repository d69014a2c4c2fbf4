"""What a task can learn about where it runs, and the per-worker block cache.

This module is imported inside Spark's Python workers. It must stay light (numpy only).

Executor identity
    Spark does not hand the executor id to Python tasks, so :func:`executor_identity` reads it
    from what each cluster manager leaves behind: ``SPARK_EXECUTOR_ID`` (Kubernetes), the
    executor's working directory ``…/app-…/<id>`` (standalone), ``CONTAINER_ID`` (YARN), and
    ``"driver"`` in local mode, where the tasks run inside the driver's JVM.

Block cache
    PySpark's own RDD cache keeps pickled bytes in the JVM and re-sends them to Python on every
    iteration. Instead, each reused Python worker keeps the decoded numpy blocks it has built in
    :data:`_BLOCKS`, keyed by ``(dataset id, partition index)``. A worker that was restarted (or
    lost) simply misses, and the engine rebuilds the block from its source: the cache is an
    optimization, never the only copy.
"""

from __future__ import annotations

import os
import socket
from collections import OrderedDict
from typing import Any

_BLOCKS: OrderedDict[tuple[str, int], Any] = OrderedDict()
_BLOCK_BYTES: dict[tuple[str, int], int] = {}
DEFAULT_CACHE_BYTES = 4 * 1024**3


def cache_limit_bytes() -> int:
    """Bytes one Python worker may keep (``STEPPER_WORKER_CACHE_MB`` overrides 4 GiB)."""
    text = os.environ.get("STEPPER_WORKER_CACHE_MB")
    return int(text) * 1024**2 if text else DEFAULT_CACHE_BYTES


def cached_block(key: tuple[str, int]) -> Any | None:
    """The block stored under ``key`` in this worker, or None."""
    block = _BLOCKS.get(key)
    if block is not None:
        _BLOCKS.move_to_end(key)
    return block


def store_block(key: tuple[str, int], block: Any, nbytes: int) -> None:
    """Keep ``block`` in this worker, evicting the least recently used blocks past the limit."""
    _BLOCKS[key] = block
    _BLOCK_BYTES[key] = nbytes
    _BLOCKS.move_to_end(key)
    limit = cache_limit_bytes()
    while len(_BLOCKS) > 1 and sum(_BLOCK_BYTES.values()) > limit:
        old, _ = _BLOCKS.popitem(last=False)
        _BLOCK_BYTES.pop(old, None)


def forget_dataset(dataset_id: str) -> None:
    """Drop every block of one dataset from this worker."""
    for key in [k for k in _BLOCKS if k[0] == dataset_id]:
        _BLOCKS.pop(key, None)
        _BLOCK_BYTES.pop(key, None)


def executor_identity() -> str:
    """The id of the executor running this task (``"driver"`` in local mode)."""
    explicit = os.environ.get("SPARK_EXECUTOR_ID")
    if explicit:
        return explicit
    cwd = os.getcwd()
    parent = os.path.basename(os.path.dirname(cwd))
    if parent.startswith("app-"):
        return os.path.basename(cwd)
    container = os.environ.get("CONTAINER_ID")
    if container:
        return container
    return "driver"


def host_name() -> str:
    """The host the task runs on."""
    return socket.gethostname()


def task_attempt() -> tuple[int, int]:
    """``(attempt number, stage id)`` of the running task; ``(0, -1)`` outside a task."""
    from pyspark import TaskContext

    context = TaskContext.get()
    if context is None:
        return 0, -1
    return context.attemptNumber(), context.stageId()
