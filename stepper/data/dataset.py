"""A data set split into partitions of numpy blocks, cheap to iterate over on Spark.

Why not a cached RDD? PySpark's cache keeps pickled bytes in the JVM and ships the whole data
set to the Python workers again on every iteration (see benchmarks/). A :class:`Dataset`
instead runs each iteration on a tiny RDD of partition indices; the task for partition p builds
its block with :func:`build_block`:

1. from the Python worker's memory (``stepper.worker``), if this worker built it before;
2. else from the source, memory-mapped from ``.npy`` files that an earlier task wrote into the
   executor's Spark local directory (shared by all the executor's Python workers through the
   page cache): data read by Spark (CSV, LIBSVM, Parquet, DataFrame, numpy) is written there by
   step 3, generated data by the first worker that generates it (from its seed, again, if the
   files are gone);
3. else it reports a *miss*, and the caller runs the same work on ``source_rdd`` — the parsed
   blocks persisted by Spark (memory and disk, recomputed by lineage if an executor is lost) —
   which also fills 1 and 2 for the next time.

Whatever happens to a worker, the numbers are the same: the fast path is an optimization, never
the only copy. The driver holds only O(partitions) numbers about the data.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from stepper import worker
from stepper.data.blocks import Block, partition_bounds
from stepper.data.synthetic import GeneratorSpec, generate_rows
from stepper.data.transforms import RowData, Transform, apply_all

if TYPE_CHECKING:
    from pyspark import RDD, SparkContext


class Miss:
    """Marker returned by a fast-path task whose block was not available in its worker."""

    def __init__(self, partitions: Iterable[int]) -> None:
        self.partitions = tuple(sorted(partitions))

    def __repr__(self) -> str:
        return f"Miss({list(self.partitions)})"


@dataclass(frozen=True)
class Recipe:
    """Everything a worker needs to build partition p's block (small, pickled into tasks)."""

    uid: str
    source_uid: str
    partitions: int
    features: int
    transforms: tuple[Transform, ...] = ()
    generator: GeneratorSpec | None = None


def _local_dir() -> str:
    dirs = os.environ.get("SPARK_LOCAL_DIRS")
    base = dirs.split(",")[0] if dirs else os.path.join(tempfile.gettempdir(), "stepper-blocks")
    os.makedirs(base, exist_ok=True)
    return base


def _spill_paths(source_uid: str, p: int) -> tuple[str, str, str]:
    stem = os.path.join(_local_dir(), f"stepper-{source_uid}-{p}")
    return f"{stem}-X.npy", f"{stem}-y.npy", f"{stem}-ids.npy"


def _spill(source_uid: str, p: int, rows: RowData) -> bool:
    """Write partition p's source rows as ``.npy`` files (atomically); False if that failed."""
    try:
        for path, array in zip(_spill_paths(source_uid, p), (rows.X, rows.y, rows.ids),
                               strict=True):
            tmp = f"{path}.{os.getpid()}.tmp"
            with open(tmp, "wb") as handle:
                np.save(handle, np.ascontiguousarray(array))
            os.replace(tmp, path)
    except OSError:  # a full or read-only disk: the block is kept in this worker only
        return False
    return True


def _load_npy(path: str) -> np.ndarray:
    try:
        return np.load(path, mmap_mode="r")
    except ValueError:  # an empty array cannot be memory-mapped
        return np.load(path)


def _unspill(source_uid: str, p: int) -> RowData | None:
    paths = _spill_paths(source_uid, p)
    if not all(os.path.exists(path) for path in paths):
        return None
    try:
        X, y, ids = (_load_npy(path) for path in paths)
    except (OSError, ValueError):
        return None
    return RowData(X, y, ids)


def _finish(recipe: Recipe, p: int, rows: RowData) -> Block:
    rows = apply_all(rows, recipe.transforms)
    block = Block(rows.X, rows.y)
    worker.store_block((recipe.uid, p), block, block.nbytes)
    return block


def build_block(recipe: Recipe, p: int) -> Block | None:
    """Partition ``p``'s block from this worker's memory or from the source; None on a miss.

    Generated rows are written once to the executor's local directory and memory-mapped from
    there, like the rows of a file: every Python worker of the executor then shares one copy in
    the page cache (Spark does not send partition p to the same worker every iteration, and a
    worker that misses maps the file instead of generating the rows again).
    """
    block = worker.cached_block((recipe.uid, p))
    if block is not None:
        return block
    rows = _unspill(recipe.source_uid, p)
    if rows is None:
        if recipe.generator is None:
            return None
        start, stop = partition_bounds(recipe.generator.rows, recipe.partitions, p)
        X, y = generate_rows(recipe.generator, start, stop)
        rows = RowData(X, y, np.arange(start, stop, dtype=np.int64))
        if _spill(recipe.source_uid, p, rows):
            rows = _unspill(recipe.source_uid, p) or rows
    return _finish(recipe, p, rows)


def build_block_from_source(recipe: Recipe, p: int, source: Iterator[RowData]) -> Block:
    """Partition ``p``'s block from the element ``source_rdd`` holds for it (slow path)."""
    block = worker.cached_block((recipe.uid, p))
    (rows,) = list(source)  # consume the whole input, or Spark will not reuse this worker
    if block is not None:
        return block
    _spill(recipe.source_uid, p, rows)
    return _finish(recipe, p, rows)


def fast_task(recipe: Recipe, fn: Callable[[int, Block], Any]) -> Callable:
    """A ``mapPartitionsWithIndex`` function over the index RDD: ``fn(p, block)`` or a Miss."""

    def run(p: int, _indices: Iterator[int]) -> Iterator[Any]:
        block = build_block(recipe, p)
        yield Miss([p]) if block is None else fn(p, block)

    return run


def slow_task(recipe: Recipe, fn: Callable[[int, Block], Any]) -> Callable:
    """A ``mapPartitionsWithIndex`` function over ``source_rdd``: always ``fn(p, block)``."""

    def run(p: int, source: Iterator[RowData]) -> Iterator[Any]:
        yield fn(p, build_block_from_source(recipe, p, source))

    return run


def _take_partial(_zero: Any, value: Any) -> Any:
    """treeAggregate's seqOp: each partition holds exactly one element, its partial."""
    return value


class Dataset:
    """Rows split into ``partitions`` numpy blocks, with what the problem needs to know.

    Build one with the loaders in :mod:`stepper.data.loaders`; derive others with
    :meth:`transformed` (standardize, intercept, split, undersample). Attributes: ``rows``,
    ``features``, ``feature_names``, ``partitions``, ``partition_rows``, ``task``
    (``"classification"`` with labels ±1, or ``"regression"``), ``intercept`` (column 0 is a
    constant 1), ``source`` (a description for traces), ``standardization`` (means, stds) or None.
    """

    def __init__(
        self,
        sc: SparkContext,
        recipe: Recipe,
        *,
        source_rdd: RDD | None,
        feature_names: list[str],
        task: str,
        source: str,
        intercept: bool = False,
        standardization: tuple[np.ndarray, np.ndarray] | None = None,
        partition_rows: list[int] | None = None,
    ) -> None:
        self.sc = sc
        self.recipe = recipe
        self.source_rdd = source_rdd
        self.feature_names = list(feature_names)
        self.task = task
        self.source = source
        self.intercept = intercept
        self.standardization = standardization
        self._index_rdd = sc.parallelize(range(recipe.partitions), recipe.partitions)
        self.jobs = 0  # Spark jobs run on this data set so far (the trace's ``jobs`` counts)
        if partition_rows is None:
            partition_rows = self.map_partitions(lambda _p, block: block.rows)
        self.partition_rows = [int(r) for r in partition_rows]

    # -- shape -------------------------------------------------------------------------------
    @property
    def partitions(self) -> int:
        return self.recipe.partitions

    @property
    def features(self) -> int:
        return self.recipe.features

    @property
    def rows(self) -> int:
        return sum(self.partition_rows)

    def __repr__(self) -> str:
        return (
            f"Dataset({self.source}: {self.rows} rows × {self.features} features, "
            f"{self.partitions} partitions, {self.task})"
        )

    # -- running work on the blocks ----------------------------------------------------------
    def leaf_rdd(self, fn: Callable[[int, Block], Any], *, slow: bool = False) -> RDD:
        """An RDD with one element per partition: ``fn(p, block)`` (or a Miss on the fast path).

        ``fn`` runs in the workers: it must not capture the SparkContext or this Dataset.
        """
        if slow:
            if self.source_rdd is None:
                raise RuntimeError("generated data has no slow path: it is always rebuilt")
            return self.source_rdd.mapPartitionsWithIndex(slow_task(self.recipe, fn))
        return self._index_rdd.mapPartitionsWithIndex(fast_task(self.recipe, fn))

    def map_partitions(self, fn: Callable[[int, Block], Any]) -> list[Any]:
        """``[fn(0, block₀), fn(1, block₁), …]`` computed on the executors (one Spark job, two
        when a block had to be rebuilt from Spark's copy)."""
        self.jobs += 1
        results = self.leaf_rdd(fn).collect()
        if any(isinstance(r, Miss) for r in results):
            self.jobs += 1
            results = self.leaf_rdd(fn, slow=True).collect()
        return results

    def tree_aggregate(
        self, fn: Callable[[int, Block], Any], combine: Callable[[Any, Any], Any], depth: int
    ) -> tuple[Any, str]:
        """``fn(p, block)`` on every partition, combined by ``RDD.treeAggregate(depth)`` with
        ``combine`` (``None`` is its zero), and which path served the blocks: ``worker-cache``,
        or ``spark-cache (…)`` when some block was not in its worker's memory and the whole job
        ran again on Spark's persisted copy (the numbers are the same either way)."""

        def combine_or_miss(a: Any, b: Any) -> Any:
            if isinstance(a, Miss) or isinstance(b, Miss):
                missing: set[int] = set()
                for side in (a, b):
                    if isinstance(side, Miss):
                        missing |= set(side.partitions)
                return Miss(missing)
            return combine(a, b)

        self.jobs += 1
        root = self.leaf_rdd(fn).treeAggregate(None, _take_partial, combine_or_miss, depth)
        if not isinstance(root, Miss):
            return root, "worker-cache"
        self.jobs += 1
        path = f"spark-cache (partitions {list(root.partitions)} were not in worker memory)"
        root = self.leaf_rdd(fn, slow=True).treeAggregate(None, _take_partial, combine_or_miss,
                                                          depth)
        return root, path

    def to_numpy(self) -> Block:
        """All rows on the driver as one block, in partition order (for small data and tests)."""
        blocks = self.map_partitions(lambda _p, block: (np.asarray(block.X), np.asarray(block.y)))
        if not blocks:
            return Block(np.zeros((0, self.features)), np.zeros(0))
        return Block(np.vstack([b[0] for b in blocks]), np.concatenate([b[1] for b in blocks]))

    def transformed(
        self,
        transform: Transform,
        *,
        features: int | None = None,
        feature_names: list[str] | None = None,
        intercept: bool | None = None,
        standardization: tuple[np.ndarray, np.ndarray] | None = None,
        source_note: str | None = None,
    ) -> Dataset:
        """A new Dataset whose blocks are this one's with ``transform`` applied."""
        recipe = replace(
            self.recipe,
            uid=uuid.uuid4().hex,
            transforms=(*self.recipe.transforms, transform),
            features=features if features is not None else self.features,
        )
        return Dataset(
            self.sc,
            recipe,
            source_rdd=self.source_rdd,
            feature_names=feature_names if feature_names is not None else self.feature_names,
            task=self.task,
            source=f"{self.source} | {source_note}" if source_note else self.source,
            intercept=self.intercept if intercept is None else intercept,
            standardization=standardization if standardization is not None
            else self.standardization,
        )

    def unpersist(self) -> None:
        """Forget this dataset's blocks in the Python workers that can be reached now."""
        uid = self.recipe.uid
        self._index_rdd.foreachPartition(lambda _it: worker.forget_dataset(uid))
