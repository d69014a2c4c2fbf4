"""Loaders round-trip against numpy on every source; bad input gets a located message."""

from __future__ import annotations

import numpy as np
import pytest

from stepper import (
    DataError,
    GeneratorSpec,
    add_intercept,
    check_compatible,
    from_dataframe,
    from_generator,
    from_numpy,
    load_csv,
    load_libsvm,
    load_parquet,
    standardize,
    train_test_split,
    undersample,
)
from stepper.data.synthetic import generate_rows

pytestmark = pytest.mark.spark


def _write(path, lines):
    path.write_text("".join(line + "\n" for line in lines))
    return str(path)


@pytest.fixture(scope="module")
def small_table():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(57, 4)) * [1.0, 10.0, 0.1, 3.0] + [0.0, 5.0, -2.0, 1.0]
    y = np.where(rng.random(57) < 0.4, 1.0, -1.0)
    return X, y


# -- round trips -------------------------------------------------------------------------------
@pytest.mark.parametrize("partitions", [1, 3, 4, 7])
def test_workshop_csv_round_trip(sc, data_path, partitions):
    path = data_path("logistic2d_train.csv")
    expected = np.loadtxt(path, delimiter=",")
    data = load_csv(path, partitions=partitions, sc=sc)
    block = data.to_numpy()
    assert data.rows == 1000 and data.features == 2 and data.partitions == partitions
    assert len(data.partition_rows) == partitions
    np.testing.assert_array_equal(block.X, expected[:, 1:])
    np.testing.assert_array_equal(block.y, expected[:, 0])


def test_csv_header_label_and_id_columns(sc, data_path):
    path = data_path("churn.csv")
    table = np.genfromtxt(path, delimiter=",", skip_header=1)
    with open(path) as handle:
        header = handle.readline().strip().split(",")
    data = load_csv(path, header=True, label_column="churn", id_column="clientId",
                    partitions=3, sc=sc)
    block = data.to_numpy()
    assert data.feature_names == header[2:]
    np.testing.assert_array_equal(block.X, table[:, 2:])
    np.testing.assert_array_equal(block.y, 2 * table[:, 1] - 1)  # {0, 1} → {−1, +1}


def test_csv_label_in_last_column(sc, tmp_path, small_table):
    X, y = small_table
    lines = [",".join([*(repr(float(v)) for v in row), repr(float((label + 1) / 2))])
             for row, label in zip(X, y, strict=False)]
    data = load_csv(_write(tmp_path / "last.csv", lines), label_column=-1, partitions=2, sc=sc)
    block = data.to_numpy()
    np.testing.assert_array_equal(block.X, X)
    np.testing.assert_array_equal(block.y, y)


def test_regression_labels_are_kept(sc, tmp_path):
    lines = ["2.5,1,2", "-0.75,3,4", "10,5,6"]
    data = load_csv(_write(tmp_path / "reg.csv", lines), task="regression", sc=sc)
    np.testing.assert_array_equal(data.to_numpy().y, [2.5, -0.75, 10.0])


def test_libsvm_matches_scikit_learn(sc, tmp_path):
    from sklearn.datasets import dump_svmlight_file, load_svmlight_file

    rng = np.random.default_rng(5)
    X = rng.normal(size=(40, 6)) * (rng.random((40, 6)) < 0.4)
    y = np.where(rng.random(40) < 0.5, 1, 0)
    path = str(tmp_path / "data.svm")
    dump_svmlight_file(X, y, path, zero_based=False)
    reference_X, reference_y = load_svmlight_file(path, n_features=6, zero_based=False)
    data = load_libsvm(path, features=6, partitions=3, sc=sc)
    block = data.to_numpy()
    np.testing.assert_allclose(block.X, reference_X.toarray(), rtol=0, atol=0)
    np.testing.assert_array_equal(block.y, 2 * reference_y - 1)


def test_libsvm_infers_feature_count(sc, tmp_path):
    path = _write(tmp_path / "d.svm", ["1 1:0.5 3:2", "-1 2:1.5", "1 5:-1 # comment"])
    block = load_libsvm(path, partitions=2, sc=sc).to_numpy()
    expected = np.array([[0.5, 0, 2, 0, 0], [0, 1.5, 0, 0, 0], [0, 0, 0, 0, -1]])
    np.testing.assert_array_equal(block.X, expected)


def test_parquet_and_dataframe(spark, tmp_path, small_table):
    X, y = small_table
    rows = [(int(i), float(label), *map(float, row)) for i, (row, label) in
            enumerate(zip(X, y, strict=False))]
    df = spark.createDataFrame(rows, ["id", "label", "a", "b", "c", "d"]).coalesce(3)
    path = str(tmp_path / "table.parquet")
    df.write.parquet(path)
    data = load_parquet(path, label_column="label", id_column="id", partitions=4)
    block = data.to_numpy()
    order = np.lexsort(block.X.T[::-1])  # Parquet part files need not keep row order
    expected = np.lexsort(X.T[::-1])
    np.testing.assert_array_equal(block.X[order], X[expected])
    np.testing.assert_array_equal(block.y[order], y[expected])
    assert data.feature_names == ["a", "b", "c", "d"]


def test_dataframe_with_vector_column(spark, small_table):
    from pyspark.ml.linalg import Vectors

    X, y = small_table
    df = spark.createDataFrame([(float(label), Vectors.dense(row)) for row, label in
                                zip(X, y, strict=False)], ["label", "features"])
    block = from_dataframe(df, partitions=2).to_numpy()
    np.testing.assert_array_equal(block.X, X)
    np.testing.assert_array_equal(block.y, y)


@pytest.mark.parametrize("partitions", [1, 5])
def test_numpy_arrays(sc, small_table, partitions):
    X, y = small_table
    data = from_numpy(X, (y + 1) / 2, partitions=partitions, sc=sc)
    block = data.to_numpy()
    np.testing.assert_array_equal(block.X, X)
    np.testing.assert_array_equal(block.y, y)
    sizes = data.partition_rows
    assert sum(sizes) == 57 and max(sizes) - min(sizes) <= 1


def test_generator_is_the_same_for_any_partitioning(sc):
    spec = GeneratorSpec(rows=20_000, features=5, seed=11)
    expected_X, expected_y = generate_rows(spec, 0, spec.rows)
    for partitions in (1, 3, 8):
        block = from_generator(spec, partitions=partitions, sc=sc).to_numpy()
        np.testing.assert_array_equal(block.X, expected_X)
        np.testing.assert_array_equal(block.y, expected_y)


def test_generated_regression(sc):
    spec = GeneratorSpec(rows=3000, features=4, seed=2, task="regression")
    data = from_generator(spec, partitions=3, sc=sc)
    assert data.task == "regression"
    np.testing.assert_array_equal(data.to_numpy().y, generate_rows(spec, 0, 3000)[1])


# -- preparation -------------------------------------------------------------------------------
def test_standardization_equals_numpy(sc, data_path):
    path = data_path("churn.csv")
    raw = np.genfromtxt(path, delimiter=",", skip_header=1)[:, 2:]
    data = load_csv(path, header=True, label_column="churn", id_column="clientId",
                    partitions=5, sc=sc)
    scaled = standardize(data)
    mean, std = scaled.standardization
    np.testing.assert_allclose(mean, raw.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(std, raw.std(axis=0), rtol=1e-12)
    np.testing.assert_allclose(scaled.to_numpy().X, (raw - raw.mean(0)) / raw.std(0),
                               rtol=1e-10, atol=1e-12)


def test_test_set_uses_training_statistics(sc, data_path):
    train = load_csv(data_path("logistic2d_train.csv"), sc=sc)
    test = load_csv(data_path("logistic2d_test.csv"), sc=sc)
    train_X = np.loadtxt(data_path("logistic2d_train.csv"), delimiter=",")[:, 1:]
    test_X = np.loadtxt(data_path("logistic2d_test.csv"), delimiter=",")[:, 1:]
    scaled_train = standardize(train)
    scaled_test = add_intercept(standardize(test, using=scaled_train))
    expected = (test_X - train_X.mean(0)) / train_X.std(0)
    block = scaled_test.to_numpy()
    np.testing.assert_allclose(block.X[:, 1:], expected, rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(block.X[:, 0], 1.0)
    assert scaled_test.intercept and scaled_test.feature_names[0] == "intercept"


def test_split_is_seeded_and_partition_independent(sc, small_table):
    X, y = small_table
    ids = np.arange(len(y), dtype=float)
    sides = []
    for partitions in (2, 5):
        data = from_numpy(np.column_stack([ids, X]), y, partitions=partitions, sc=sc)
        train, test = train_test_split(data, test_fraction=0.3, seed=4)
        sides.append((train.to_numpy().X[:, 0], test.to_numpy().X[:, 0]))
    np.testing.assert_array_equal(sides[0][0], sides[1][0])
    np.testing.assert_array_equal(sides[0][1], sides[1][1])
    train_ids, test_ids = sides[0]
    assert set(train_ids).isdisjoint(test_ids)
    assert sorted([*train_ids, *test_ids]) == list(ids)
    other = train_test_split(from_numpy(np.column_stack([ids, X]), y, sc=sc), seed=5)[0]
    assert not np.array_equal(other.to_numpy().X[:, 0], train_ids)


def test_undersampling_keeps_one_class(sc, data_path):
    data = load_csv(data_path("churn.csv"), header=True, label_column="churn",
                    id_column="clientId", partitions=4, sc=sc)
    full = data.to_numpy()
    kept = undersample(data, keep_label=1, fraction=0.1, seed=0).to_numpy()
    assert (kept.y == 1).sum() == (full.y == 1).sum()
    others = (full.y == -1).sum()
    assert abs((kept.y == -1).sum() - 0.1 * others) < 4 * np.sqrt(0.1 * 0.9 * others)


# -- bad input ---------------------------------------------------------------------------------
def _many_rows(extra_line_at: int, text: str) -> list[str]:
    lines = [f"{1 if i % 2 else -1},{i * 0.5},{i * 0.25}" for i in range(1, 1201)]
    lines[extra_line_at - 1] = text
    return lines


@pytest.mark.parametrize(
    ("bad", "line", "column", "words"),
    [
        ("1,2.5", 900, None, "expected 3 values"),
        ("1,2.5,3,4", 17, None, "found 4"),
        ("1,abc,3", 1100, 2, "'abc' is not a number"),
        ("1,2,", 5, 3, "'(empty)' is not a number"),
        ("1,nan,3", 640, 2, "NaN"),
        ("1,2,inf", 3, 3, "infinite"),
        ("2,1,1", 1000, 1, "label 2 is not a class label"),
    ],
)
def test_bad_csv_rows_are_located(sc, tmp_path, bad, line, column, words):
    path = _write(tmp_path / "bad.csv", _many_rows(line, bad))
    with pytest.raises(DataError) as error:
        load_csv(path, partitions=4, sc=sc)
    assert error.value.path == path
    assert error.value.line == line
    assert error.value.column == column
    assert words in str(error.value)
    assert f"line {line}" in str(error.value)


def test_mixed_label_conventions_are_rejected(sc, tmp_path):
    path = _write(tmp_path / "mixed.csv", ["1,0,0", "0,1,1", "-1,2,2"])
    with pytest.raises(DataError, match=r"line 3, column 1: label -1"):
        load_csv(path, sc=sc)


def test_header_line_counts_in_line_numbers(sc, tmp_path):
    path = _write(tmp_path / "h.csv", ["label,a,b", "1,1,2", "-1,x,2"])
    with pytest.raises(DataError) as error:
        load_csv(path, header=True, sc=sc)
    assert (error.value.line, error.value.column) == (3, 2)


@pytest.mark.parametrize(
    ("lines", "message"),
    [([], "the file is empty"), (["", "  "], "the file is empty"),
     (["label,a,b"], "no data rows")],
)
def test_empty_files(sc, tmp_path, lines, message):
    path = tmp_path / "empty.csv"
    path.write_text("\n".join(lines))
    with pytest.raises(DataError, match=message):
        load_csv(str(path), header=bool(lines and lines[0].startswith("label")), sc=sc)


def test_missing_path(sc, tmp_path):
    missing = str(tmp_path / "nope.csv")
    with pytest.raises(DataError, match="no such file or directory") as error:
        load_csv(missing, sc=sc)
    assert error.value.path == missing


def test_bad_libsvm_token(sc, tmp_path):
    path = _write(tmp_path / "bad.svm", ["1 1:0.5", "-1 2:x", "1 3:1"])
    with pytest.raises(DataError) as error:
        load_libsvm(path, sc=sc)
    assert (error.value.line, error.value.column) == (2, 2)


def test_dataframe_null_is_located(spark):
    df = spark.createDataFrame([(1.0, 2.0, 3.0), (0.0, None, 1.0)], "label double, a double, "
                               "b double")
    with pytest.raises(DataError, match=r"row 2, column 'a'.*NaN"):
        from_dataframe(df)


def test_zero_rows_after_filtering(sc):
    data = from_numpy(np.ones((3, 2)), np.array([-1.0, -1.0, -1.0]), sc=sc)
    with pytest.raises(DataError, match="no rows are left"):
        undersample(data, keep_label=1, fraction=1e-9, seed=0)


def test_train_and_test_must_have_the_same_features(sc, tmp_path):
    train = load_csv(_write(tmp_path / "a.csv", ["1,2,3", "-1,4,5"]), sc=sc)
    test = load_csv(_write(tmp_path / "b.csv", ["1,2", "-1,4"]), sc=sc)
    with pytest.raises(DataError, match=r"2 features but the test data .* has 1"):
        check_compatible(train, test)


def test_numpy_nan_is_located(sc):
    X = np.ones((4, 3))
    X[2, 1] = np.nan
    with pytest.raises(DataError, match=r"row 3, column 2: NaN"):
        from_numpy(X, np.ones(4), sc=sc)
