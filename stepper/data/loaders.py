"""Load data into the engine's partitioned form: a :class:`~stepper.data.dataset.Dataset`.

Sources: CSV (header or not, label column chosen, id column dropped), LIBSVM, Parquet, a Spark
DataFrame, numpy arrays, and the synthetic generator. Every source is checked completely before
a Dataset is returned, so an error names its file, line and column and nothing is half-loaded:
malformed or short rows, non-numeric values, NaN or infinity, labels outside {0, 1} / {−1, +1},
empty files, and paths that do not exist.

Rows keep their file order: partition p holds the p-th contiguous range of rows.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from stepper.data.blocks import (
    CLASSIFICATION,
    TASKS,
    check_finite_matrix,
    label_order,
    partition_bounds,
)
from stepper.data.dataset import Dataset, Recipe
from stepper.data.parse import CsvLayout, ParsedChunk, parse_csv_lines, parse_libsvm_lines
from stepper.data.synthetic import GeneratorSpec
from stepper.data.transforms import NormalizeLabels, RowData
from stepper.errors import ConfigError, DataError

if TYPE_CHECKING:
    from pyspark import RDD, SparkContext
    from pyspark.sql import DataFrame

DEFAULT_PARTITIONS = 4


def _context(sc: SparkContext | None) -> SparkContext:
    if sc is not None:
        return sc
    from stepper.session import spark_session

    return spark_session().sparkContext


def _check_settings(partitions: int, task: str) -> None:
    if not isinstance(partitions, int) or partitions < 1:
        raise ConfigError("partitions", partitions, "a whole number ≥ 1")
    if task not in TASKS:
        raise ConfigError("task", task, f"one of {', '.join(TASKS)}")


def _check_path(path: str) -> str:
    text = os.fspath(path)
    if "://" not in text and not os.path.exists(text):
        raise DataError("no such file or directory", path=text)
    if "://" not in text and os.path.isdir(text) and not os.listdir(text):
        raise DataError("the directory is empty", path=text)
    return text


# -- labels ------------------------------------------------------------------------------------
def _label_transforms(
    first_lines: dict[float, int], task: str, path: str | None, column: int | None, where: str
) -> tuple:
    """Decide how labels are normalized, or raise at the first label outside the allowed set."""
    if task != CLASSIFICATION:
        return ()
    values = set(first_lines)
    expected = {0.0, 1.0} if 0.0 in values else {-1.0, 1.0}
    bad = sorted((line, value) for value, line in first_lines.items() if value not in expected)
    if bad:
        line, value = bad[0]
        shown = "{0, 1}" if 0.0 in expected else "{−1, +1}"
        problem = (
            f"label {value:g} is not a class label: classification labels must all be in {{0, 1}} "
            f"or all in {{−1, +1}} (expected {shown} here)"
        )
        if where == "line":
            raise DataError(problem, path=path, line=line, column=column)
        raise DataError(f"row {line}, column {column}: {problem}", path=path)
    return (NormalizeLabels(),) if 0.0 in values else ()


# -- building the source RDD -------------------------------------------------------------------
def _repartition(
    chunks: RDD, offsets: list[int], total: int, partitions: int, features: int
) -> RDD:
    """Re-cut parsed chunks (any partitioning) into ``partitions`` contiguous row ranges.

    Every element of the result is one :class:`RowData` (global row ids = file order).
    """

    def pieces(i: int, it: Iterable[ParsedChunk]) -> Iterator[tuple[int, Any]]:
        start = offsets[i]
        for chunk in it:
            ids = np.arange(start, start + chunk.X.shape[0], dtype=np.int64)
            X = chunk.X
            if X.shape[1] < features:
                X = np.hstack([X, np.zeros((X.shape[0], features - X.shape[1]))])
            for p in range(partitions):
                lo, hi = partition_bounds(total, partitions, p)
                keep = (ids >= lo) & (ids < hi)
                if keep.any():
                    yield p, (int(ids[keep][0]), X[keep], chunk.y[keep], ids[keep])

    def assemble(it: Iterable[tuple[int, Any]]) -> Iterator[RowData]:
        parts = sorted((piece for _p, piece in it), key=lambda piece: piece[0])
        if not parts:
            yield RowData(np.zeros((0, features)), np.zeros(0), np.zeros(0, dtype=np.int64))
            return
        yield RowData(
            np.vstack([piece[1] for piece in parts]),
            np.concatenate([piece[2] for piece in parts]),
            np.concatenate([piece[3] for piece in parts]),
        )

    return (
        chunks.mapPartitionsWithIndex(pieces)
        .partitionBy(partitions, lambda p: p)
        .mapPartitions(assemble, preservesPartitioning=True)
    )


def _finish_source(
    sc: SparkContext,
    source_rdd: RDD,
    *,
    partitions: int,
    features: int,
    feature_names: list[str],
    task: str,
    transforms: tuple,
    source: str,
) -> Dataset:
    from pyspark import StorageLevel

    source_rdd.persist(StorageLevel.MEMORY_AND_DISK)
    recipe = Recipe(
        uid=uuid.uuid4().hex,
        source_uid=uuid.uuid4().hex,
        partitions=partitions,
        features=features,
        transforms=transforms,
    )
    return Dataset(
        sc, recipe, source_rdd=source_rdd, feature_names=feature_names, task=task, source=source
    )


def _summarize(chunk: ParsedChunk, label_col: int, feature_cols: list[int]) -> dict:
    """What the driver needs to know about one parsed chunk (no data)."""
    first = chunk.error  # the parser's first error: its line is always known
    error: tuple[int | None, int | None, str] | None = first
    try:
        check_finite_matrix(
            chunk.X, chunk.y, path=None, row_numbers=chunk.lines,
            label_column=label_col, feature_columns=feature_cols or None,
        )
    except DataError as exc:
        if first is None or (exc.line is not None and exc.line < first[0]):
            error = (exc.line, exc.column, exc.problem)
    return {
        "rows": int(chunk.X.shape[0]),
        "error": error,
        "labels": chunk.labels,
        "max_index": chunk.max_index,
    }


def _load_text(
    path: str,
    parse: Callable[[list[tuple[int, str]]], ParsedChunk],
    *,
    skip_lines: int,
    label_col: int,
    feature_cols: list[int] | None,
    features: int | None,
    feature_names: list[str] | None,
    partitions: int,
    task: str,
    sc: SparkContext,
    source: str,
) -> Dataset:
    lines = sc.textFile(path)

    def parse_partition(it: Iterable[tuple[str, int]]) -> Iterator[ParsedChunk]:
        numbered = [(index + 1, text) for text, index in it if index >= skip_lines]
        yield parse(numbered)

    chunks = lines.zipWithIndex().mapPartitions(parse_partition).cache()
    try:
        summaries = chunks.map(lambda c: _summarize(c, label_col, feature_cols or [])).collect()
        errors = [s["error"] for s in summaries if s["error"] is not None]
        if errors:
            line, column, problem = min(errors, key=lambda e: e[0])
            raise DataError(problem, path=path, line=line, column=column)
        counts = [s["rows"] for s in summaries]
        total = sum(counts)
        if total == 0:
            raise DataError("the file has no data rows", path=path)
        width = features if features is not None else max(s["max_index"] for s in summaries)
        first_lines: dict[float, int] = {}
        for summary in summaries:
            for value, line in summary["labels"].items():
                first_lines[value] = min(line, first_lines.get(value, line))
        transforms = _label_transforms(first_lines, task, path, label_col, "line")
        offsets = list(np.cumsum([0, *counts[:-1]]))
        source_rdd = _repartition(chunks, offsets, total, partitions, width)
        names = feature_names or [f"x{j + 1}" for j in range(width)]
        dataset = _finish_source(
            sc, source_rdd, partitions=partitions, features=width, feature_names=names,
            task=task, transforms=transforms, source=source,
        )
    finally:
        chunks.unpersist()
    return dataset


def _column_index(spec: int | str | None, names: list[str] | None, columns: int, what: str) -> int:
    if spec is None:
        raise ConfigError(what, spec, "a column name or a 0-based column index")
    if isinstance(spec, str) and not spec.lstrip("-").isdigit():
        if names is None:
            raise ConfigError(what, spec, "a 0-based column index (the file has no header)")
        if spec not in names:
            raise ConfigError(what, spec, f"one of the header's columns: {', '.join(names)}")
        return names.index(spec)
    index = int(spec)
    if index < 0:
        index += columns
    if not 0 <= index < columns:
        raise ConfigError(what, spec, f"a column index between 0 and {columns - 1}")
    return index


def load_csv(
    path: str,
    *,
    partitions: int = DEFAULT_PARTITIONS,
    header: bool = False,
    label_column: int | str = 0,
    id_column: int | str | None = None,
    delimiter: str = ",",
    task: str = CLASSIFICATION,
    sc: SparkContext | None = None,
) -> Dataset:
    """Read a CSV file (or a directory of part files) with Spark.

    The workshop's layout is the default: the label first, no header (``label,x1,x2``). With
    ``header=True`` the first line names the columns, and ``label_column`` / ``id_column`` may
    be names. The id column is dropped. Classification labels may be {0, 1} or {−1, +1}.
    """
    _check_settings(partitions, task)
    path = _check_path(path)
    sc = _context(sc)
    first = _first_nonblank(sc, path)
    if first is None:
        raise DataError("the file is empty", path=path)
    first_line, first_text = first
    cells = [cell.strip() for cell in first_text.split(delimiter)]
    names = cells if header else None
    columns = len(cells)
    label = _column_index(label_column, names, columns, "label_column")
    drop = () if id_column is None else (_column_index(id_column, names, columns, "id_column"),)
    if label in drop:
        raise ConfigError("id_column", id_column, "a column other than the label column")
    layout = CsvLayout(columns=columns, label=label, drop=drop, delimiter=delimiter)
    if not layout.features:
        raise DataError("the file has no feature columns besides the label", path=path)
    feature_names = [names[c] for c in layout.features] if names else None
    return _load_text(
        path,
        lambda numbered: parse_csv_lines(numbered, layout),
        skip_lines=first_line if header else 0,
        label_col=label + 1,
        feature_cols=[c + 1 for c in layout.features],
        features=len(layout.features),
        feature_names=feature_names,
        partitions=partitions,
        task=task,
        sc=sc,
        source=f"csv:{os.path.basename(path.rstrip('/'))}",
    )


def _first_nonblank(sc: SparkContext, path: str) -> tuple[int, str] | None:
    """``(number of lines up to and including it, text)`` of the first non-blank line."""
    lines = sc.textFile(path).zipWithIndex()
    found = lines.filter(lambda pair: pair[0].strip() != "").take(1)
    if not found:
        return None
    text, index = found[0]
    return index + 1, text


def load_libsvm(
    path: str,
    *,
    partitions: int = DEFAULT_PARTITIONS,
    features: int | None = None,
    task: str = CLASSIFICATION,
    sc: SparkContext | None = None,
) -> Dataset:
    """Read a LIBSVM file (``label index:value …``, 1-based indices) into dense blocks.

    The number of features is the largest index found unless ``features`` is given.
    """
    _check_settings(partitions, task)
    path = _check_path(path)
    sc = _context(sc)
    if _first_nonblank(sc, path) is None:
        raise DataError("the file is empty", path=path)
    return _load_text(
        path,
        lambda numbered: parse_libsvm_lines(numbered, features),
        skip_lines=0,
        label_col=1,
        feature_cols=None,
        features=features,
        feature_names=None,
        partitions=partitions,
        task=task,
        sc=sc,
        source=f"libsvm:{os.path.basename(path.rstrip('/'))}",
    )


def from_numpy(
    X: np.ndarray,
    y: np.ndarray,
    *,
    partitions: int = DEFAULT_PARTITIONS,
    task: str = CLASSIFICATION,
    feature_names: list[str] | None = None,
    sc: SparkContext | None = None,
    source: str = "numpy",
    non_iid: bool = False,
) -> Dataset:
    """Split in-memory arrays into ``partitions`` contiguous blocks.

    ``non_iid=True`` sorts the rows by label first (stably, :func:`label_order`), so that each
    partition holds rows of one label, or of few (with two balanced classes and an even number
    of partitions, exactly one class each): the non-IID split that shows local methods' client
    drift. Rows keep their source row number (what a later split or undersampling draws on).
    """
    _check_settings(partitions, task)
    if not isinstance(non_iid, bool):
        raise ConfigError("non_iid", non_iid, "True or False")
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if X.ndim != 2:
        raise ConfigError("X", f"array of shape {X.shape}", "a 2-D array (rows × features)")
    if y.shape != (X.shape[0],):
        raise ConfigError("y", f"array of shape {y.shape}", f"a 1-D array of {X.shape[0]} labels")
    if X.shape[0] == 0:
        raise DataError("there are no rows", path=source)
    check_finite_matrix(X, y, path=source, label_column=0, row_word="row",
                        feature_columns=list(range(1, X.shape[1] + 1)))
    sc = _context(sc)
    values, first_index = np.unique(y, return_index=True)
    first_rows = {float(v): int(i) + 1 for v, i in zip(values, first_index, strict=True)}
    transforms = _label_transforms(first_rows, task, source, 0, "row")
    order = label_order(y) if non_iid else np.arange(X.shape[0], dtype=np.int64)
    blocks = []
    for p in range(partitions):
        lo, hi = partition_bounds(X.shape[0], partitions, p)
        rows = order[lo:hi]
        blocks.append(RowData(X[rows], y[rows], rows.astype(np.int64)))
    names = feature_names or [f"x{j + 1}" for j in range(X.shape[1])]
    return _finish_source(
        sc, sc.parallelize(blocks, partitions), partitions=partitions, features=X.shape[1],
        feature_names=names, task=task, transforms=transforms, source=source,
    )


def from_dataframe(
    df: DataFrame,
    *,
    label_column: str = "label",
    feature_columns: list[str] | None = None,
    id_column: str | None = None,
    partitions: int = DEFAULT_PARTITIONS,
    task: str = CLASSIFICATION,
    source: str = "dataframe",
) -> Dataset:
    """Read a Spark DataFrame: numeric feature columns, or one ``Vector`` column of features.

    Without ``feature_columns``, every numeric column except the label and id is a feature.
    Nulls, NaN and infinities are reported by row (1-based, in the DataFrame's order) and column.
    """
    _check_settings(partitions, task)
    from pyspark.sql import types as spark_types

    columns = df.columns
    if label_column not in columns:
        raise ConfigError("label_column", label_column, f"one of {', '.join(columns)}")
    numeric = (spark_types.NumericType,)
    dtypes = {field.name: field.dataType for field in df.schema.fields}
    if feature_columns is None:
        feature_columns = [
            c for c in columns
            if c not in (label_column, id_column)
            and (isinstance(dtypes[c], numeric) or type(dtypes[c]).__name__ == "VectorUDT")
        ]
    for c in feature_columns:
        if c not in columns:
            raise ConfigError("feature_columns", c,
                              f"columns of the DataFrame: {', '.join(columns)}")
    if not feature_columns:
        raise DataError(f"no numeric feature columns besides {label_column!r}", path=source)
    selected = [label_column, *feature_columns]
    positions = [columns.index(c) + 1 for c in selected]

    raw = df.select(*selected).rdd.zipWithIndex()

    def chunk_of(it: Iterable[tuple[Any, int]]) -> Iterator[ParsedChunk]:
        pairs = list(it)
        lines = np.asarray([index + 1 for _row, index in pairs], dtype=np.int64)
        values = [[_cell(v) for v in row] for row, _index in pairs]
        flat = [np.concatenate([np.ravel(np.asarray(v, dtype=np.float64)) for v in row])
                if row else np.zeros(0) for row in values]
        table = np.vstack(flat) if flat else np.zeros((0, 1))
        y = table[:, 0] if len(flat) else np.zeros(0)
        X = np.ascontiguousarray(table[:, 1:]) if len(flat) else np.zeros((0, 0))
        yield ParsedChunk(X, y, lines, None, max_index=X.shape[1],
                          labels=_labels_of(y, lines))

    chunks = raw.mapPartitions(chunk_of).cache()
    try:
        summaries = chunks.map(
            lambda c: _summarize(c, positions[0], _feature_positions(positions, c.X.shape[1]))
        ).collect()
        errors = [s["error"] for s in summaries if s["error"] is not None]
        if errors:
            row, column, problem = min(errors, key=lambda e: e[0])
            name = columns[column - 1] if column and column <= len(columns) else column
            raise DataError(f"row {row}, column {name!r}: {problem}", path=source)
        counts = [s["rows"] for s in summaries]
        total = sum(counts)
        if total == 0:
            raise DataError("the DataFrame has no rows", path=source)
        width = max(s["max_index"] for s in summaries)
        first_rows: dict[float, int] = {}
        for summary in summaries:
            for value, line in summary["labels"].items():
                first_rows[value] = min(line, first_rows.get(value, line))
        transforms = _label_transforms(first_rows, task, source, positions[0], "row")
        offsets = list(np.cumsum([0, *counts[:-1]]))
        sc = df.sparkSession.sparkContext
        names = feature_columns if width == len(feature_columns) else [
            f"x{j + 1}" for j in range(width)
        ]
        dataset = _finish_source(
            sc, _repartition(chunks, offsets, total, partitions, width), partitions=partitions,
            features=width, feature_names=names, task=task, transforms=transforms, source=source,
        )
    finally:
        chunks.unpersist()
    return dataset


def _cell(value: Any) -> Any:
    """A DataFrame cell as numbers: None becomes NaN (reported as missing), vectors an array."""
    if value is None:
        return np.nan
    if hasattr(value, "toArray"):
        return value.toArray()
    return value


def _labels_of(y: np.ndarray, lines: np.ndarray) -> dict[float, int]:
    from stepper.data.parse import _first_labels

    finite = np.isfinite(y)
    return _first_labels(y[finite], lines[finite])


def _feature_positions(positions: list[int], width: int) -> list[int]:
    """1-based source columns of the block's features (vector columns repeat their position)."""
    if width == len(positions) - 1:
        return positions[1:]
    return [positions[1]] * width


def load_parquet(
    path: str,
    *,
    label_column: str = "label",
    feature_columns: list[str] | None = None,
    id_column: str | None = None,
    partitions: int = DEFAULT_PARTITIONS,
    task: str = CLASSIFICATION,
) -> Dataset:
    """Read a Parquet file or directory with Spark (see :func:`from_dataframe` for columns)."""
    path = _check_path(path)
    from stepper.session import spark_session

    df = spark_session().read.parquet(path)
    return from_dataframe(
        df, label_column=label_column, feature_columns=feature_columns, id_column=id_column,
        partitions=partitions, task=task, source=f"parquet:{os.path.basename(path.rstrip('/'))}",
    )


def from_generator(
    spec: GeneratorSpec, *, partitions: int = DEFAULT_PARTITIONS, sc: SparkContext | None = None
) -> Dataset:
    """Synthetic rows built inside the partitions (nothing passes through the driver).

    The same seed gives the same rows whatever the number of partitions.
    """
    _check_settings(partitions, spec.task)
    sc = _context(sc)
    recipe = Recipe(
        uid=uuid.uuid4().hex,
        source_uid=uuid.uuid4().hex,
        partitions=partitions,
        features=spec.features,
        generator=spec,
    )
    counts = [
        stop - start
        for start, stop in (partition_bounds(spec.rows, partitions, p) for p in range(partitions))
    ]
    return Dataset(
        sc, recipe, source_rdd=None, feature_names=[f"x{j + 1}" for j in range(spec.features)],
        task=spec.task, partition_rows=counts,
        source=f"generated:rows={spec.rows},features={spec.features},seed={spec.seed}"
               + (f",density={spec.density}" if spec.density < 1 else "")
               + (",non_iid=true" if spec.non_iid else ""),
    )
