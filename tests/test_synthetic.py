"""Tests for stepper.data.synthetic and stepper.data.make_data (numpy only, no Spark)."""

from __future__ import annotations

import io
import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stepper.data import make_data
from stepper.data.synthetic import (
    CHUNK_ROWS,
    GeneratorSpec,
    churn_table,
    generate_rows,
    logistic_2d,
    parse_generator_spec,
    partition_bounds,
    true_weights,
)

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"

CHURN_HEADER = [
    "clientId",
    "churn",
    "meanAcquiredPts",
    "meanConvertedPts",
    "relationLength",
    "stdFreq",
    "meanArticle",
    "meanAmount",
    "nbVisits",
    "meanFreq",
    "lastTime",
    "stdAmount",
    "stdArticle",
]


# --------------------------------------------------------------------------------------------
# Large generator: split invariance and the chunk contract
# --------------------------------------------------------------------------------------------


@st.composite
def spec_and_splits(draw):
    rows = draw(st.integers(1, 4 * CHUNK_ROWS + 100))
    spec = GeneratorSpec(
        rows=rows,
        features=draw(st.integers(1, 4)),
        seed=draw(st.integers(0, 2**32)),
        task=draw(st.sampled_from(["classification", "regression"])),
        noise=draw(st.sampled_from([0.0, 0.5, 1.0])),
        density=draw(st.sampled_from([1.0, 0.3])),
    )
    # Bias some split points onto chunk boundaries, where off-by-one errors live.
    point = st.one_of(
        st.integers(0, rows),
        st.sampled_from([min(rows, k * CHUNK_ROWS + e) for k in range(5) for e in (-1, 0, 1)]),
    )
    a, b, c = sorted(max(0, p) for p in (draw(point), draw(point), draw(point)))
    return spec, a, b, c


@settings(max_examples=60, deadline=None)
@given(spec_and_splits())
def test_generate_rows_is_split_invariant(case):
    spec, a, b, c = case
    X, y = generate_rows(spec, a, c)
    X1, y1 = generate_rows(spec, a, b)
    X2, y2 = generate_rows(spec, b, c)
    assert X.shape == (c - a, spec.features) and y.shape == (c - a,)
    assert X.dtype == np.float64 and y.dtype == np.float64
    np.testing.assert_array_equal(X, np.concatenate([X1, X2]))
    np.testing.assert_array_equal(y, np.concatenate([y1, y2]))


@settings(max_examples=25, deadline=None)
@given(
    rows=st.integers(1, 3 * CHUNK_ROWS),
    partitions=st.integers(1, 12),
    features=st.integers(1, 3),
)
def test_partitions_reassemble_the_whole_data_set(rows, partitions, features):
    spec = GeneratorSpec(rows=rows, features=features, seed=7)
    parts = [generate_rows(spec, *partition_bounds(rows, partitions, i)) for i in range(partitions)]
    X, y = generate_rows(spec, 0, rows)
    np.testing.assert_array_equal(X, np.concatenate([p[0] for p in parts]))
    np.testing.assert_array_equal(y, np.concatenate([p[1] for p in parts]))


def test_density_keeps_each_feature_with_its_probability():
    """Sparse rows: the dense rows' values where an independent mask (the documented stream)
    keeps them, 0 elsewhere; labels from the sparse rows; density 1 is the dense data set."""
    rows, d, seed = CHUNK_ROWS + 500, 8, 3
    dense = GeneratorSpec(rows=rows, features=d, seed=seed, noise=0.0)
    sparse = GeneratorSpec(rows=rows, features=d, seed=seed, noise=0.0, density=0.2)
    Xd, _ = generate_rows(dense, 0, rows)
    Xs, ys = generate_rows(sparse, 0, rows)
    masks = [np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(2, k)))
             .random((CHUNK_ROWS, d)) < 0.2 for k in (0, 1)]
    keep = np.concatenate(masks)[:rows]
    np.testing.assert_array_equal(Xs, np.where(keep, Xd, 0.0))
    # kept fraction within 5 standard deviations of 0.2 (binomial, rows·d draws)
    assert abs(keep.mean() - 0.2) < 5 * np.sqrt(0.2 * 0.8 / keep.size)
    np.testing.assert_array_equal(ys, np.where(Xs @ true_weights(sparse) >= 0, 1.0, -1.0))
    np.testing.assert_array_equal(generate_rows(GeneratorSpec(rows, d, seed, density=1.0), 0,
                                                rows)[0], Xd)


def test_empty_ranges():
    spec = GeneratorSpec(rows=10, features=3)
    for i in (0, 5, 10):
        X, y = generate_rows(spec, i, i)
        assert X.shape == (0, 3) and y.shape == (0,)


def test_chunk_stream_matches_the_documented_contract():
    """Independent reference: chunk k's features are default_rng([seed, k]).standard_normal."""
    spec = GeneratorSpec(rows=3 * CHUNK_ROWS, features=5, seed=11, task="regression", noise=0.25)
    for k in (0, 2):
        rng = np.random.default_rng([11, k])
        X_ref = rng.standard_normal((CHUNK_ROWS, 5))
        y_ref = X_ref @ true_weights(spec) + 0.25 * rng.standard_normal(CHUNK_ROWS)
        X, y = generate_rows(spec, k * CHUNK_ROWS, (k + 1) * CHUNK_ROWS)
        np.testing.assert_array_equal(X, X_ref)
        np.testing.assert_allclose(y, y_ref, rtol=0, atol=1e-12)


def test_rows_do_not_depend_on_the_total_row_count():
    small = GeneratorSpec(rows=100, features=4, seed=3)
    big = GeneratorSpec(rows=10**12, features=4, seed=3)
    np.testing.assert_array_equal(generate_rows(small, 0, 100)[0], generate_rows(big, 0, 100)[0])
    # A range far inside a huge data set only generates the chunks it needs.
    X, y = generate_rows(big, 10**11, 10**11 + 10)
    assert X.shape == (10, 4) and np.all(np.isfinite(X)) and set(np.unique(y)) <= {-1.0, 1.0}


def test_true_weights_depend_on_the_seed_only():
    w = true_weights(GeneratorSpec(rows=5, features=20, seed=4))
    assert w.shape == (20,)
    assert np.linalg.norm(w) == pytest.approx(3.0)
    same = true_weights(GeneratorSpec(rows=10**6, features=20, seed=4, task="regression"))
    np.testing.assert_array_equal(w, same)
    other = true_weights(GeneratorSpec(rows=5, features=20, seed=5))
    assert not np.allclose(w, other)
    # The weights' stream is not chunk 0's stream (default_rng([seed]) == default_rng([seed, 0])).
    chunk0 = np.random.default_rng([4, 0]).standard_normal(20)
    assert not np.allclose(w / 3.0, chunk0 / np.linalg.norm(chunk0))


def test_classification_labels_follow_the_logistic_model():
    spec = GeneratorSpec(rows=50_000, features=5, seed=1, task="classification", noise=1.0)
    X, y = generate_rows(spec, 0, spec.rows)
    assert set(np.unique(y)) == {-1.0, 1.0}
    w = true_weights(spec)
    p = 1.0 / (1.0 + np.exp(-(X @ w)))
    # Calibration: within bins of the true probability, the observed rate of +1 matches it.
    bins = np.digitize(p, [0.1, 0.3, 0.5, 0.7, 0.9])
    for b in np.unique(bins):
        sel = bins == b
        assert np.mean(y[sel] == 1.0) == pytest.approx(p[sel].mean(), abs=0.02)
    hard = generate_rows(GeneratorSpec(rows=1000, features=5, seed=1, noise=0.0), 0, 1000)
    np.testing.assert_array_equal(hard[1], np.where(hard[0] @ w >= 0, 1.0, -1.0))


def test_regression_recovers_the_true_weights():
    spec = GeneratorSpec(rows=40_000, features=6, seed=2, task="regression", noise=0.5)
    X, y = generate_rows(spec, 0, spec.rows)
    w_hat, *_ = np.linalg.lstsq(X, y, rcond=None)
    np.testing.assert_allclose(w_hat, true_weights(spec), atol=0.02)
    assert np.std(y - X @ true_weights(spec)) == pytest.approx(0.5, rel=0.03)


@pytest.mark.parametrize(
    ("start", "stop"), [(-1, 3), (4, 3), (0, 11), (0.5, 3), (True, 3)], ids=str
)
def test_generate_rows_rejects_bad_ranges(start, stop):
    with pytest.raises(ValueError, match=r"start|stop"):
        generate_rows(GeneratorSpec(rows=10, features=2), start, stop)


# --------------------------------------------------------------------------------------------
# GeneratorSpec validation and parsing
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"rows": 0, "features": 2}, "rows"),
        ({"rows": -5, "features": 2}, "rows"),
        ({"rows": 2.5, "features": 2}, "rows"),
        ({"rows": 10, "features": 0}, "features"),
        ({"rows": 10, "features": 2, "seed": -1}, "seed"),
        ({"rows": 10, "features": 2, "task": "ranking"}, "task"),
        ({"rows": 10, "features": 2, "noise": -0.1}, "noise"),
        ({"rows": 10, "features": 2, "noise": float("nan")}, "noise"),
        ({"rows": 10, "features": 2, "density": 0.0}, "density"),
        ({"rows": 10, "features": 2, "density": 1.5}, "density"),
        ({"rows": 10, "features": 2, "density": float("nan")}, "density"),
    ],
)
def test_generator_spec_validation_names_the_field(kwargs, field):
    with pytest.raises(ValueError, match=field):
        GeneratorSpec(**kwargs)


def test_generator_spec_is_frozen():
    spec = GeneratorSpec(rows=10, features=2)
    with pytest.raises(AttributeError):
        spec.rows = 11  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rows=1000000,features=20,seed=0", GeneratorSpec(1_000_000, 20, 0)),
        ("rows=1M,features=20", GeneratorSpec(1_000_000, 20)),
        (
            "rows=250k, features=3, seed=9, task=regression, noise=0.5",
            GeneratorSpec(250_000, 3, 9, "regression", 0.5),
        ),
        ("features=2,rows=2G,", GeneratorSpec(2 * 10**9, 2)),
        ("rows=10_000,features=1,noise=0", GeneratorSpec(10_000, 1, noise=0.0)),
        ("rows=10,features=2,density=0.1", GeneratorSpec(10, 2, density=0.1)),
    ],
)
def test_parse_generator_spec(text, expected):
    assert parse_generator_spec(text) == expected


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("rows=1M,features=20,colour=red", "colour"),
        ("rows=ten,features=20", "rows"),
        ("rows=10,features=2x", "features"),
        ("rows=10,features=2,seed=-3", "seed"),
        ("rows=10,features=2,noise=lots", "noise"),
        ("rows=10,features=2,density=some", "density"),
        ("rows=10,features=2,density=0", "density"),
        ("rows=10,features=2,task=ranking", "task"),
        ("rows=10,features=0", "features"),
        ("rows=10", "features"),
        ("rows=10,rows=20,features=2", "rows"),
        ("rows=10,features", "features"),
    ],
)
def test_parse_generator_spec_errors_name_the_key(text, named):
    with pytest.raises(ValueError, match=named):
        parse_generator_spec(text)


# --------------------------------------------------------------------------------------------
# partition_bounds
# --------------------------------------------------------------------------------------------


@given(n=st.integers(0, 10**7), p=st.integers(1, 500))
def test_partition_bounds_tile_the_rows(n, p):
    bounds = [partition_bounds(n, p, i) for i in range(p)]
    assert bounds[0][0] == 0 and bounds[-1][1] == n
    assert all(prev[1] == nxt[0] for prev, nxt in itertools.pairwise(bounds))
    sizes = [stop - start for start, stop in bounds]
    assert max(sizes) - min(sizes) <= 1
    assert all(start == i * n // p for i, (start, _) in enumerate(bounds))


@pytest.mark.parametrize(("n", "p", "i"), [(10, 0, 0), (10, 3, 3), (10, 3, -1), (-1, 2, 0)])
def test_partition_bounds_rejects_bad_arguments(n, p, i):
    with pytest.raises(ValueError):
        partition_bounds(n, p, i)


# --------------------------------------------------------------------------------------------
# The workshop's 2-D recipe
# --------------------------------------------------------------------------------------------


def test_logistic_2d_replays_the_recipe_exactly():
    """Independent reference: the recipe written out longhand with the same seeded stream."""
    rng = np.random.default_rng(123)
    x1 = rng.normal(1, 2, 500)
    x2 = rng.normal(4, 4, 500)
    noise = rng.normal(0, 1, 500)
    labels = np.where(2 + 3 * x1 - x2 + noise > 0, 1.0, -1.0)
    X, y = logistic_2d(500, 123)
    np.testing.assert_array_equal(X, np.column_stack([x1, x2]))
    np.testing.assert_array_equal(y, labels)


def test_logistic_2d_statistics():
    X, y = logistic_2d(20_000, 2017)
    assert X.shape == (20_000, 2) and y.shape == (20_000,) and X.dtype == np.float64
    assert X[:, 0].mean() == pytest.approx(1.0, abs=0.06)
    assert X[:, 1].mean() == pytest.approx(4.0, abs=0.12)
    assert X[:, 0].std() == pytest.approx(2.0, rel=0.03)
    assert X[:, 1].std() == pytest.approx(4.0, rel=0.03)
    assert set(np.unique(y)) == {-1.0, 1.0}
    # The noise-free rule sign(2 + 3·x1 − x2) agrees with the label on most rows ...
    clean = np.where(2 + 3 * X[:, 0] - X[:, 1] > 0, 1.0, -1.0)
    agreement = np.mean(clean == y)
    assert 0.9 < agreement < 0.99
    # ... and P(v > 0) with v ~ N(2 + 3 − 4, 3²·2² + 4² + 1) = N(1, 53) is Φ(1/√53) ≈ 0.555.
    assert np.mean(y == 1.0) == pytest.approx(0.5546, abs=0.015)


def _read_logistic_csv(path: Path) -> tuple[np.ndarray, np.ndarray]:
    table = np.loadtxt(path, delimiter=",", ndmin=2)
    return table[:, 1:], table[:, 0]


def test_committed_logistic_files_follow_the_recipe():
    for name, n in (("logistic2d_train.csv", 1000), ("logistic2d_test.csv", 300)):
        text = (DATA / name).read_text(encoding="ascii")
        first = text.splitlines()[0].split(",")
        assert first[0] in ("1", "-1") and len(first) == 3
        X, y = _read_logistic_csv(DATA / name)
        assert X.shape == (n, 2)
        assert set(np.unique(y)) == {-1.0, 1.0}
        clean = np.where(2 + 3 * X[:, 0] - X[:, 1] > 0, 1.0, -1.0)
        assert np.mean(clean == y) > 0.88
    X_train, _ = _read_logistic_csv(DATA / "logistic2d_train.csv")
    X_test, _ = _read_logistic_csv(DATA / "logistic2d_test.csv")
    assert not np.isin(X_test[:, 0], X_train[:, 0]).any()  # different seeds, different rows


def test_committed_files_equal_a_fresh_regeneration(tmp_path):
    assert make_data.main(["--out", str(tmp_path)]) == 0
    for name in ("logistic2d_train.csv", "logistic2d_test.csv", "churn.csv"):
        committed = (DATA / name).read_bytes()
        fresh = (tmp_path / name).read_bytes()
        assert committed == fresh, f"data/{name} is stale: run python -m stepper.data.make_data"


def test_csv_floats_round_trip_to_about_12_digits():
    X, y = logistic_2d(1000, make_data.TRAIN_SEED)
    X_csv, y_csv = _read_logistic_csv(DATA / "logistic2d_train.csv")
    np.testing.assert_array_equal(y_csv, y)
    np.testing.assert_allclose(X_csv, X, rtol=1e-11, atol=1e-11)


def test_make_data_churn_rows_option(tmp_path):
    assert make_data.main(["--out", str(tmp_path), "--churn-rows", "50"]) == 0
    lines = (tmp_path / "churn.csv").read_text().splitlines()
    assert lines[0].split(",") == CHURN_HEADER and len(lines) == 51


# --------------------------------------------------------------------------------------------
# The churn table
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def churn():
    header, table = churn_table(20_000, 2017)
    return header, table


def test_churn_header_and_shape(churn):
    header, table = churn
    assert header == CHURN_HEADER
    assert table.shape == (20_000, 13) and table.dtype == np.float64


def test_churn_values_are_plausible(churn):
    header, table = churn
    col = {name: table[:, i] for i, name in enumerate(header)}
    np.testing.assert_array_equal(col["clientId"], np.arange(1, 20_001))
    assert len(np.unique(col["clientId"])) == 20_000
    assert set(np.unique(col["churn"])) == {0.0, 1.0}
    assert 0.04 <= col["churn"].mean() <= 0.07
    assert np.all(table[:, 2:] >= 0) and np.all(np.isfinite(table))
    for name in ("relationLength", "nbVisits", "lastTime"):
        np.testing.assert_array_equal(col[name], np.round(col[name]))
    for name in header[2:]:
        np.testing.assert_allclose(col[name], np.round(col[name], 2), atol=1e-9)
    assert np.all(col["nbVisits"] >= 1)
    assert np.all(col["lastTime"] <= col["relationLength"])
    assert np.all(col["meanConvertedPts"] <= col["meanAcquiredPts"] + 0.01)
    # meanFreq ≈ relationLength / nbVisits.
    ratio = col["meanFreq"] / (col["relationLength"] / col["nbVisits"])
    assert 0.9 < np.median(ratio) < 1.1
    # Spreads grow with their means (correlated on the log scale).
    for mean_name, std_name in (
        ("meanFreq", "stdFreq"),
        ("meanAmount", "stdAmount"),
        ("meanArticle", "stdArticle"),
    ):
        r = np.corrcoef(np.log(col[mean_name]), np.log(col[std_name] + 0.01))[0, 1]
        assert r > 0.5, (mean_name, std_name, r)
    # Churners have been away longer than stayers.
    churned = col["churn"] == 1
    assert np.median(col["lastTime"][churned]) > 2 * np.median(col["lastTime"][~churned])


def test_churn_signal_is_real_but_imperfect(churn):
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    _, table = churn
    X, y = table[:, 2:], table[:, 1]
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)).fit(X_tr, y_tr)
    auc = roc_auc_score(y_te, model.predict_proba(X_te)[:, 1])
    assert 0.75 <= auc <= 0.92, auc


def test_churn_table_is_deterministic_and_seeded():
    a = churn_table(500, 1)[1]
    np.testing.assert_array_equal(a, churn_table(500, 1)[1])
    assert not np.array_equal(a, churn_table(500, 2)[1])


def test_committed_churn_file_parses(churn):
    text = (DATA / "churn.csv").read_text(encoding="ascii")
    header, _, body = text.partition("\n")
    assert header.split(",") == CHURN_HEADER
    table = np.loadtxt(io.StringIO(body), delimiter=",")
    np.testing.assert_allclose(table, churn[1], rtol=0, atol=1e-9)
    assert 1_000_000 <= len(text.encode()) <= 3_000_000
