"""The engine against references that are not our own code: numpy, scikit-learn, MLlib, Spark."""

from __future__ import annotations

import glob
import itertools
import json
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from stepper import (
    DivergenceError,
    GeneratorSpec,
    Problem,
    Replay,
    Stepper,
    add_intercept,
    from_generator,
    from_numpy,
    load_csv,
    standardize,
)
from stepper.algorithms import Settings
from stepper.local import run_local
from stepper.reduce import expected_tree

pytestmark = pytest.mark.spark


# -- the map and the reduce --------------------------------------------------------------------
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(rows=st.integers(1, 40), partitions=st.integers(1, 16), seed=st.integers(0, 2**16))
@example(rows=3, partitions=16, seed=5)  # always include 13 empty partitions
@example(rows=40, partitions=1, seed=6)
def test_partition_gradients_sum_to_the_numpy_gradient(sc, rows, partitions, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(rows, 3)) * 3
    y = np.where(rng.random(rows) < 0.5, 1.0, -1.0)
    data = from_numpy(X, y, partitions=partitions, sc=sc)  # rows < partitions: empty blocks
    run = Stepper(data, Problem("logistic"), lr=0.1, init="random", seed=seed)
    record = run.step()
    w = record.weights_before
    margin = y * (X @ w)
    numpy_gradient = -(X.T @ (y / (1 + np.exp(margin))))
    numpy_loss = np.log1p(np.exp(-margin)).sum()
    summed = np.sum([p["gradient"] for p in record.partitions], axis=0)
    assert len(record.partitions) == partitions
    assert sum(p["rows"] for p in record.partitions) == rows
    scale = np.linalg.norm(numpy_gradient) + 1e-300
    assert np.linalg.norm(summed - numpy_gradient) <= 1e-12 * scale
    assert abs(sum(p["loss"] for p in record.partitions) - numpy_loss) <= 1e-12 * numpy_loss
    assert record.objective == pytest.approx(numpy_loss / rows, rel=1e-12)


def _spark_tree(sc, partitions: int, depth: int) -> list[list[list[int]]]:
    """The groups Spark's own treeAggregate forms, recorded by a combOp that knows its stage."""
    from pyspark import TaskContext

    def seq(_acc, x):
        return {"members": frozenset([x]), "where": None, "children": []}

    def comb(a, b):
        context = TaskContext.get()
        where = ("driver",) if context is None else (context.stageId(), context.partitionId())
        if a["where"] == where:
            return {"members": a["members"] | b["members"], "where": where,
                    "children": [*a["children"], b]}
        return {"members": a["members"] | b["members"], "where": where, "children": [a, b]}

    root = sc.parallelize(range(partitions), partitions).treeAggregate(None, seq, comb, depth)
    levels: dict = {}

    def collect(node):
        if not node["children"]:
            return
        key = (1, 0) if node["where"] == ("driver",) else (0, node["where"][0])
        levels.setdefault(key, []).append(sorted(node["members"]))
        for child in node["children"]:
            collect(child)

    collect(root)
    return [sorted(levels[k]) for k in sorted(levels)]


@pytest.mark.parametrize(("partitions", "depth"),
                         [(4, 2), (8, 2), (16, 2), (16, 3), (9, 2), (5, 3), (12, 4), (6, 1)])
def test_reduce_tree_is_the_one_spark_builds(sc, partitions, depth):
    data = from_generator(GeneratorSpec(rows=600, features=3, seed=1), partitions=partitions,
                          sc=sc)
    record = Stepper(data, Problem("logistic"), lr=0.5, depth=depth, init="random").step()
    levels = record.reduce["levels"]
    engine_groups = [sorted(g["partitions"] for g in level["groups"]) for level in levels[1:]]
    assert engine_groups == _spark_tree(sc, partitions, depth)
    restated = [sorted(g for g in level if len(g) > 1) for level in expected_tree(partitions,
                                                                                 depth)]
    assert engine_groups == [level for level in restated if level]
    by_partition = {p["index"]: np.asarray(p["gradient"]) for p in record.partitions}
    for level in levels[1:]:
        for group in level["groups"]:
            expected = np.sum([by_partition[p] for p in group["partitions"]], axis=0)
            np.testing.assert_allclose(group["gradient"], expected, rtol=1e-12, atol=1e-12)
            assert sorted(p for part in group["inputs"] for p in part) == group["partitions"]
    assert levels[-1]["groups"][-1]["partitions"] == list(range(partitions))


# -- trajectories ------------------------------------------------------------------------------
def test_full_batch_trajectory_is_the_same_for_1_and_7_partitions(sc, data_path):
    paths = []
    for partitions in (1, 7):
        data = add_intercept(standardize(load_csv(data_path("logistic2d_train.csv"),
                                                  partitions=partitions, sc=sc)))
        run = Stepper(data, Problem("logistic", l2=0.01), algorithm="nesterov", lr="1/L")
        paths.append(np.array([r.weights for r in run.run(8)]))
    np.testing.assert_allclose(paths[0], paths[1], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("algorithm", ["gd", "momentum", "nesterov", "newton"])
def test_distributed_equals_numpy_on_one_machine(lesson_data, lesson_arrays, algorithm):
    settings = Settings(algorithm=algorithm, lr=1.0 if algorithm == "newton" else "1/L")
    problem = Problem("logistic", l2=0.005)
    run = Stepper(lesson_data, problem, settings)
    distributed = np.array([r.weights for r in run.run(6)])
    local = run_local(problem, settings, lesson_arrays.X, lesson_arrays.y, 6, intercept=True)
    np.testing.assert_allclose(distributed, local.weights[1:], rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("penalize_intercept", [False, True])
def test_l2_logistic_optimum_matches_scikit_learn(lesson_data, lesson_arrays, penalize_intercept):
    from sklearn.linear_model import LogisticRegression

    lam = 0.01
    problem = Problem("logistic", l2=lam, penalize_intercept=penalize_intercept)
    run = Stepper(lesson_data, problem, algorithm="newton", lr=1.0)
    run.run_until(1e-12, max_steps=30)
    X, y = lesson_arrays
    C = 1.0 / (len(y) * lam)
    if penalize_intercept:  # the intercept is an ordinary, penalized column
        model = LogisticRegression(C=C, fit_intercept=False, tol=1e-12, max_iter=10_000)
        reference = model.fit(X, y).coef_.ravel()
    else:  # scikit-learn's own intercept is never penalized
        model = LogisticRegression(C=C, fit_intercept=True, tol=1e-12, max_iter=10_000)
        model.fit(X[:, 1:], y)
        reference = np.concatenate([model.intercept_, model.coef_.ravel()])
    np.testing.assert_allclose(run.weights, reference, rtol=1e-6, atol=1e-8)


def test_ridge_matches_its_closed_form(sc):
    spec = GeneratorSpec(rows=5000, features=6, seed=3, task="regression")
    data = from_generator(spec, partitions=5, sc=sc)
    lam = 0.1
    X, y = data.to_numpy()
    n = len(y)
    hessian = X.T @ X / n + lam * np.eye(6)
    closed = np.linalg.solve(hessian, X.T @ y / n)
    # 1/L with L = maxᵢ‖xᵢ‖² + λ is safe but loose here (κ ≈ 35): the optimal fixed step
    # 2/(λ_max + λ_min) contracts the error by (κ − 1)/(κ + 1) ≈ 0.1 per step
    eigenvalues = np.linalg.eigvalsh(hessian)
    run = Stepper(data, Problem("squares", l2=lam), algorithm="gd",
                  lr=2.0 / (eigenvalues[0] + eigenvalues[-1]))
    run.run(40)
    np.testing.assert_allclose(run.weights, closed, rtol=1e-10, atol=1e-12)
    safe = Stepper(data, Problem("squares", l2=lam), algorithm="gd", lr="1/L")
    objectives = [r.objective for r in safe.run(5)]
    assert all(b < a for a, b in itertools.pairwise(objectives))  # 1/L always descends
    newton = Stepper(data, Problem("squares", l2=lam), algorithm="newton", lr=1.0)
    newton.step()  # a quadratic: one Newton step lands on the optimum
    np.testing.assert_allclose(newton.weights, closed, rtol=1e-10, atol=1e-12)


def test_newton_converges_quadratically(lesson_data):
    run = Stepper(lesson_data, Problem("logistic", l2=1e-3), algorithm="newton", lr=1.0)
    records = run.run(11)  # converged to machine precision after 9 (numpy: 8.6e-6, 1.1e-11, 0)
    optimum = records[-1].weights
    errors = [np.linalg.norm(r.weights_before - optimum) for r in records]
    errors = [e for e in errors if e > 1e-13]
    assert errors[-1] < 1e-9
    ratios = [errors[k + 1] / errors[k] ** 2 for k in range(len(errors) - 1) if errors[k] < 0.5]
    assert ratios and max(ratios) < 10.0  # e_{k+1} ≤ C e_k², C bounded


@pytest.mark.parametrize("l2", [0.0, 0.05])
def test_gd_matches_mllib_sgd(sc, lesson_data, lesson_arrays, l2):
    """pyspark.mllib's full-batch LogisticRegressionWithSGD: η_t = η/√t, labels {0, 1}."""
    from pyspark.mllib.classification import LogisticRegressionWithSGD
    from pyspark.mllib.regression import LabeledPoint

    X, y = lesson_arrays
    points = sc.parallelize(
        [LabeledPoint((label + 1) / 2, row) for row, label in zip(X, y, strict=True)], 4)
    steps, eta = 7, 0.8
    model = LogisticRegressionWithSGD.train(
        points, iterations=steps, step=eta, miniBatchFraction=1.0, initialWeights=np.zeros(3),
        regParam=l2, regType="l2" if l2 else None, intercept=False, convergenceTol=0.0)
    problem = Problem("logistic", l2=l2, penalize_intercept=True)
    run = Stepper(lesson_data, problem, algorithm="gd", lr=eta, schedule="inv_sqrt")
    run.run(steps)
    np.testing.assert_allclose(run.weights, model.weights.toArray(), rtol=1e-10, atol=1e-13)


# -- sampling ----------------------------------------------------------------------------------
def test_minibatch_uses_sparks_own_sample(sc):
    rng = np.random.default_rng(8)
    X = rng.normal(size=(400, 3))
    y = np.where(rng.random(400) < 0.5, 1.0, -1.0)
    data = from_numpy(X, y, partitions=4, sc=sc)
    run = Stepper(data, Problem("logistic"), algorithm="minibatch", batch_fraction=0.1, lr=0.3,
                  init="random", seed=21)
    record = run.step()
    from stepper.algorithms import sample_seed

    seed = sample_seed(run.settings, 0)
    rows = sc.parallelize(range(400), 4).sample(True, 0.1, seed).collect()
    w = record.weights_before
    Xs, ys = X[rows], y[rows]
    expected = -(Xs.T @ (ys / (1 + np.exp(ys * (Xs @ w))))) / len(rows)
    assert record.reduce["used_rows"] == len(rows) > 0
    np.testing.assert_allclose(record.update["gradient"], expected, rtol=1e-12)
    assert sum(p["used_rows"] for p in record.partitions) == len(rows)


def test_sgd_uses_one_row(sc, lesson_data, lesson_arrays):
    run = Stepper(lesson_data, Problem("logistic"), algorithm="sgd", lr=0.5, seed=3)
    records = run.run(3)
    X, y = lesson_arrays
    for record in records:
        assert record.reduce["used_rows"] == 1
        w, g = record.weights_before, np.asarray(record.update["gradient"])
        candidates = -(y / (1 + np.exp(y * (X @ w))))[:, None] * X
        assert np.min(np.linalg.norm(candidates - g, axis=1)) < 1e-12


# -- controls and traces -----------------------------------------------------------------------
def test_step_back_then_forward_recomputes_the_same_numbers(lesson_data):
    run = Stepper(lesson_data, Problem("logistic", l2=0.005), algorithm="momentum", lr="1/L")
    first = run.run(5)
    run.back(2)
    assert run.iteration == 3
    np.testing.assert_array_equal(run.weights, first[2].weights)
    again = run.run(2)
    for old, new in zip(first[3:], again, strict=True):
        assert new.objective == old.objective
        np.testing.assert_array_equal(new.weights, old.weights)
        for a, b in zip(old.partitions, new.partitions, strict=True):
            assert a["gradient"] == b["gradient"]


def test_reset_and_settings_changes(lesson_data):
    run = Stepper(lesson_data, Problem("logistic"), algorithm="momentum", lr=0.5)
    run.run(3)
    velocity = run.state.velocity.copy()
    assert np.linalg.norm(velocity) > 0
    run.set(lr=0.1)
    np.testing.assert_array_equal(run.state.velocity, velocity)
    assert run.step().update["step_size"] == 0.1
    run.set(algorithm="gd")
    assert np.all(run.state.velocity == 0)
    weights = run.weights.copy()
    run.set(l2=0.5)
    np.testing.assert_array_equal(run.weights, weights)
    run.reset()
    assert run.iteration == 0 and np.all(run.weights == 0) and run.records == []
    run.set(init="random")
    run.reset(seed=7)
    first = run.weights.copy()
    run.reset(seed=8)
    assert not np.array_equal(first, run.weights)


def test_trace_levels_control_what_reaches_the_driver(lesson_data):
    summary = Stepper(lesson_data, Problem(), trace="summary", lr=0.5).step()
    assert all("gradient" not in p and "gradient_norm" in p for p in summary.partitions)
    none = Stepper(lesson_data, Problem(), trace="none", lr=0.5).step()
    assert none.partitions == [] and none.reduce["levels"] == []
    full = Stepper(lesson_data, Problem(), trace="full", lr=0.5).step()
    assert none.objective == summary.objective == full.objective


def test_saved_trace_replays_to_the_same_figures(lesson_data, tmp_path):
    run = Stepper(lesson_data, Problem("logistic", l2=0.005), algorithm="gd", lr="armijo")
    records = run.run(4)
    path = str(tmp_path / "run.jsonl")
    run.save(path)
    with open(path) as handle:
        lines = [json.loads(line) for line in handle]
    assert lines[0]["type"] == "settings" and lines[0]["partitions"] == 4
    for key in ("iteration", "objective", "grad_norm", "weights", "partitions", "reduce",
                "update", "timing"):
        assert key in lines[1]
    assert set(lines[1]["partitions"][0]) >= {"index", "rows", "loss", "gradient", "seconds",
                                              "executor", "attempt"}
    assert set(lines[1]["update"]) >= {"weights_before", "direction", "step_size",
                                       "weights_after"}
    assert set(lines[1]["timing"]) == {"map", "reduce", "driver", "total"}
    replay = Replay.load(path)
    assert replay.iteration == 0
    for original in records:
        loaded = replay.forward()
        assert loaded.objective == original.objective
        np.testing.assert_array_equal(loaded.weights, original.weights)
        assert loaded.partitions == original.partitions
        assert loaded.update["trials"] == original.update["trials"]
    assert replay.back().iteration == 3


def test_armijo_backtracks_and_decreases(lesson_data):
    run = Stepper(lesson_data, Problem("logistic"), algorithm="gd", lr="armijo",
                  armijo_start=64.0)
    records = run.run(4)
    assert len(records[0].update["trials"]) > 1  # 64 is far too long: it had to backtrack
    objectives = [r.objective for r in records]
    assert all(b < a for a, b in itertools.pairwise(objectives))
    for record in records:
        accepted = [t for t in record.update["trials"] if t["accepted"]]
        assert len(accepted) == 1 and accepted[0]["step_size"] == record.update["step_size"]


def test_partition_oracle_plugs_in(lesson_data):
    def my_gradient(X, y, w):
        margin = y * (X @ w)
        return np.logaddexp(0, -margin).sum(), -(X.T @ (y / (1 + np.exp(margin))))

    ours = Stepper(lesson_data, Problem(l2=0.01), lr="1/L", partition_oracle=my_gradient)
    builtin = Stepper(lesson_data, Problem(l2=0.01), lr="1/L")
    np.testing.assert_allclose([r.weights for r in ours.run(4)],
                               [r.weights for r in builtin.run(4)], rtol=1e-12)


# -- divergence and bad values -----------------------------------------------------------------
def test_divergence_stops_with_the_last_good_state(sc):
    data = from_generator(GeneratorSpec(rows=2000, features=4, seed=0, task="regression"),
                          partitions=4, sc=sc)
    run = Stepper(data, Problem("squares"), algorithm="gd", lr=1e6)
    with pytest.raises(DivergenceError) as error:
        run.run(400)
    good = run.iteration
    assert np.all(np.isfinite(run.weights))
    assert "not finite" in str(error.value) and f"iteration {good + 1}" in str(error.value)
    assert "smaller step size" in str(error.value)


def test_a_non_finite_partition_is_named(sc):
    X = np.ones((40, 2))
    X[25, 0] = 7.0  # row 25 is in partition 2 of 4
    data = from_numpy(X, np.ones(40), partitions=4, sc=sc)

    def broken(Xb, yb, w):
        loss = np.nan if (Xb[:, 0] == 7.0).any() else float(len(yb))
        return loss, np.zeros(2)

    run = Stepper(data, Problem(), lr=0.1, partition_oracle=broken)
    with pytest.raises(DivergenceError, match="partition's loss is not finite in partition 2"):
        run.step()
    assert run.iteration == 0


def test_lost_worker_cache_falls_back_to_spark_with_the_same_numbers(sc, data_path):
    data = add_intercept(standardize(load_csv(data_path("logistic2d_train.csv"), partitions=4,
                                              sc=sc)))
    run = Stepper(data, Problem(l2=0.01), lr="1/L")
    reference = run.run(3)
    run.back(3)
    local_dirs = sc.parallelize([0], 1).map(lambda _: os.environ["SPARK_LOCAL_DIRS"]).first()
    data.unpersist()  # forget the decoded blocks in the Python workers
    for path in glob.glob(os.path.join(local_dirs.split(",")[0], "stepper-*.npy")):
        os.remove(path)  # and the executor's spilled copies
    replayed = run.run(3)
    assert replayed[0].reduce["path"].startswith("spark-cache")
    for old, new in zip(reference, replayed, strict=True):
        np.testing.assert_array_equal(old.weights, new.weights)


# -- more controls: run_until, forward, reset with the same or a new seed ------------------------
def test_run_until_stops_at_the_tolerance_and_forward_reuses_records(lesson_data):
    run = Stepper(lesson_data, Problem("logistic", l2=0.01), algorithm="newton", lr=1.0)
    done = run.run_until(1e-8, max_steps=30)
    assert len(done) < 30
    assert done[-1].grad_norm < 1e-8 and all(r.grad_norm >= 1e-8 for r in done[:-1])
    run.back(2)
    assert run.forward() is done[-2]  # recorded: nothing recomputed
    assert run.seek(len(done)) is done[-1]
    capped = Stepper(lesson_data, Problem("logistic"), lr=0.01).run_until(1e-12, max_steps=3)
    assert len(capped) == 3


@pytest.mark.parametrize("algorithm", ["minibatch", "sgd"])
def test_reset_draws_the_same_samples_and_a_new_seed_draws_others(lesson_data, algorithm):
    run = Stepper(lesson_data, Problem("logistic"), algorithm=algorithm, batch_fraction=0.05,
                  lr=0.5, seed=4)
    first = run.run(3)
    run.reset()
    again = run.run(3)
    for a, b in zip(first, again, strict=True):
        assert a.reduce["used_rows"] == b.reduce["used_rows"]
        np.testing.assert_array_equal(a.update["gradient"], b.update["gradient"])
        np.testing.assert_array_equal(a.weights, b.weights)
    run.reset(seed=5)
    assert run.settings.seed == 5 and run.iteration == 0
    other = run.run(3)
    assert any(not np.array_equal(a.update["gradient"], b.update["gradient"])
               for a, b in zip(first, other, strict=True))


# -- the other losses against numpy and scikit-learn ---------------------------------------------
def test_hinge_matches_numpy_and_scikit_learn(sc):
    from sklearn.metrics import hinge_loss

    rng = np.random.default_rng(12)
    X = rng.normal(size=(300, 4))
    y = np.where(X @ [1.0, -2.0, 0.5, 0.0] + rng.normal(size=300) > 0, 1.0, -1.0)
    data = from_numpy(X, y, partitions=5, sc=sc)
    lam = 0.1
    run = Stepper(data, Problem("hinge", l2=lam), algorithm="gd", lr=0.2, init="random", seed=2)
    for record in run.run(3):
        w = record.weights_before
        expected = hinge_loss(y, X @ w) + 0.5 * lam * w @ w
        assert record.objective == pytest.approx(expected, rel=1e-12)
        active = y * (X @ w) < 1
        subgradient = -(X[active].T @ y[active]) / len(y) + lam * w
        np.testing.assert_allclose(record.update["gradient"], subgradient, rtol=1e-12)
        np.testing.assert_allclose(record.weights, w - 0.2 * subgradient, rtol=1e-12)
        assert record.accuracy == np.mean(y * (X @ w) > 0)


def test_least_squares_matches_numpy_and_scikit_learn_ridge(sc):
    from sklearn.linear_model import Ridge
    from sklearn.metrics import mean_squared_error

    rng = np.random.default_rng(13)
    X = rng.normal(size=(500, 5))
    y = X @ rng.normal(size=5) + 0.3 * rng.normal(size=500)
    data = from_numpy(X, y, partitions=6, task="regression", sc=sc)
    lam = 0.02
    problem = Problem("squares", l2=lam)
    record = Stepper(data, problem, algorithm="gd", lr=0.1, init="random", seed=1).step()
    w = record.weights_before
    assert record.objective == pytest.approx(
        0.5 * mean_squared_error(y, X @ w) + 0.5 * lam * w @ w, rel=1e-12)
    np.testing.assert_allclose(record.update["gradient"], X.T @ (X @ w - y) / 500 + lam * w,
                               rtol=1e-12)
    assert record.accuracy is None
    # scikit-learn's Ridge minimizes ‖y − Xw‖² + α‖w‖²: the same minimizer for α = nλ
    newton = Stepper(data, problem, algorithm="newton", lr=1.0)
    newton.step()
    reference = Ridge(alpha=500 * lam, fit_intercept=False, solver="cholesky").fit(X, y).coef_
    np.testing.assert_allclose(newton.weights, reference, rtol=1e-10, atol=1e-12)


# -- trace level none: nothing per partition reaches the record --------------------------------
def _numbers(value) -> int:
    if isinstance(value, dict):
        return sum(_numbers(v) for v in value.values())
    if isinstance(value, list):
        return sum(_numbers(v) for v in value)
    return 1 if isinstance(value, float) else 0


def test_trace_level_none_keeps_only_o_of_d_numbers(sc):
    d, partitions = 40, 16
    data = from_generator(GeneratorSpec(rows=1600, features=d, seed=4), partitions=partitions,
                          sc=sc)
    kept = {}
    for level in ("full", "summary", "none"):
        record = Stepper(data, Problem("logistic"), lr=0.5, trace=level, depth=2).step()
        kept[level] = _numbers({k: v for k, v in record.to_dict().items() if k != "timing"})
        if level == "none":
            assert record.partitions == [] and record.reduce["levels"] == []
            objective = record.objective
    assert kept["full"] > partitions * d
    assert kept["summary"] < 10 * d + 10 * partitions
    assert kept["none"] <= 8 * d  # weights, update vectors, the reduced gradient
    X, y = data.to_numpy()
    assert objective == pytest.approx(Problem("logistic").objective(X, y, np.zeros(d), np.ones(d)),
                                      rel=1e-12)


def test_lost_blocks_of_generated_data_are_generated_again_with_the_same_numbers(sc):
    data = from_generator(GeneratorSpec(rows=3000, features=5, seed=9), partitions=3, sc=sc)
    run = Stepper(data, Problem("logistic", l2=0.01), lr="1/L")
    reference = run.run(3)
    run.back(3)
    local_dirs = sc.parallelize([0], 1).map(lambda _: os.environ["SPARK_LOCAL_DIRS"]).first()
    spilled = glob.glob(os.path.join(local_dirs.split(",")[0],
                                     f"stepper-{data.recipe.source_uid}-*.npy"))
    assert len(spilled) == 3 * 3  # X, y and row ids of each partition, shared by the workers
    data.unpersist()
    for path in spilled:
        os.remove(path)
    replayed = run.run(3)
    for old, new in zip(reference, replayed, strict=True):
        np.testing.assert_array_equal(old.weights, new.weights)
        assert old.objective == new.objective


def test_small_payloads_ride_in_the_task_and_large_ones_are_broadcast(sc):
    from stepper.engine import INLINE_BROADCAST_BYTES

    rng = np.random.default_rng(14)
    for d, via in ((3, "task"), (INLINE_BROADCAST_BYTES // 8 + 10, "broadcast")):
        X = rng.normal(size=(24, d))
        y = np.where(rng.random(24) < 0.5, 1.0, -1.0)
        data = from_numpy(X, y, partitions=3, sc=sc)
        record = Stepper(data, Problem("logistic"), lr=0.1, init="random", seed=3,
                         trace="summary").step()
        assert record.broadcast["via"] == via
        assert (record.broadcast["bytes"] >= INLINE_BROADCAST_BYTES) == (via == "broadcast")
        w = record.weights_before
        gradient = -(X.T @ (y / (1 + np.exp(y * (X @ w))))) / 24
        np.testing.assert_allclose(record.update["gradient"], gradient, rtol=1e-12, atol=1e-15)
