"""Simulated asynchronous SGD against references written here in numpy: sequential SGD, mini-batch
SGD, staleness recounted from the recorded times, Hogwild!'s touched coordinates."""

from __future__ import annotations

import numpy as np
import pytest

from stepper import GeneratorSpec, Problem, Replay, Stepper, from_generator
from stepper.algorithms import Settings, async_sgd
from stepper.data.synthetic import generate_rows, logistic_2d
from stepper.engine import SIMULATION_MAX_VALUES
from stepper.errors import ConfigError, DataError
from stepper.local import LocalDriver, run_local
from stepper.trace import load_trace

L2 = 0.01


@pytest.fixture(scope="module")
def arrays():
    """300 rows of the workshop's 2-D set, standardized, with an intercept column."""
    X, y = logistic_2d(300, 5)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    return np.column_stack([np.ones(len(y)), X]), y


def logistic_gradient(X, y, w, mask, l2=L2):
    """(1/|B|) Σ ∇ℓᵢ(w) + λ₂ (mask ⊙ w) for ℓᵢ(w) = log(1 + exp(−yᵢ xᵢᵀw)), in numpy."""
    return -(X.T @ (y / (1.0 + np.exp(y * (X @ w))))) / len(y) + l2 * mask * w


def simulate(method, X, y, problem, eta, iterations, intercept=True, seed=0):
    """The method's update on one machine: weights after each iteration, and every event."""
    settings = Settings(algorithm=method, lr=eta, seed=seed)
    driver = LocalDriver(problem, settings, X, y, problem.penalty_mask(X.shape[1], intercept))
    driver.step_size = eta
    state = method.init(np.zeros(X.shape[1]), 0)
    weights, events, infos = [state.w], [], []
    for _ in range(iterations):
        step = method.update(state, {}, driver)
        state = step.state
        weights.append(state.w)
        events += step.info["simulated_events"]
        infos.append(step.info)
    return np.asarray(weights), events, infos


def sequential_sgd(X, y, rows, eta, mask, l2=L2):
    """w ← w − η g_B(w), one batch of rows after the other, from w = 0."""
    w = np.zeros(X.shape[1])
    path = [w]
    for batch in rows:
        index = np.asarray(batch)
        w = w - eta * logistic_gradient(X[index], y[index], w, mask, l2)
        path.append(w)
    return np.asarray(path)


MASK = np.array([0.0, 1.0, 1.0])  # the intercept is not penalized


def test_one_worker_is_sequential_sgd(arrays):
    X, y = arrays
    method = async_sgd(workers=1)
    weights, events, _ = simulate(method, X, y, Problem("logistic", l2=L2), 0.3, 60)
    assert len(events) == 60 and {e["worker"] for e in events} == {0}
    assert all(e["staleness"] == 0 for e in events)
    rows = [e["rows"] for e in events]
    # the documented draws: the shard is a permutation by default_rng([seed, 23]), the j-th
    # gradient's row a uniform index into it from default_rng([seed, 29, worker, j])
    shard = np.random.default_rng([0, 23]).permutation(300)
    assert rows == [[int(shard[np.random.default_rng([0, 29, 0, j]).integers(300)])]
                    for j in range(60)]
    assert len({r[0] for r in rows}) > 40  # uniform draws over all 300 rows, not one row
    np.testing.assert_allclose(weights, sequential_sgd(X, y, rows, 0.3, MASK), rtol=0,
                               atol=1e-12)


def test_staleness_zero_is_sequential_sgd_over_the_arrival_order(arrays):
    X, y = arrays
    method = async_sgd(workers=4, staleness=0, stragglers=0.2)
    weights, events, _ = simulate(method, X, y, Problem("logistic", l2=L2), 0.3, 15)
    assert {e["worker"] for e in events} == {0, 1, 2, 3}
    assert all(e["staleness"] == 0 for e in events)
    reference = sequential_sgd(X, y, [e["rows"] for e in events], 0.3, MASK)
    np.testing.assert_allclose(weights, reference[::4], rtol=0, atol=1e-12)


def recounted_staleness(events, at_read_time=False):
    """Updates applied after a gradient's worker read w and before it, from the recorded times
    (continuous random times: no two updates at one instant unless a gradient waited, and a
    worker reads at the instant of an update, after it). ``at_read_time``: also count the
    updates applied at the read's instant (an upper bound when gradients wait)."""
    def after_read(f, e):
        return f["time"] > e["read_time"] or (at_read_time and f["time"] == e["read_time"])

    return [sum(1 for f in events if f["update"] < e["update"] and after_read(f, e))
            for e in events]


@pytest.mark.parametrize("tau", [1, 3, 5])
def test_observed_staleness_never_exceeds_the_bound(arrays, tau):
    X, y = arrays
    problem = Problem("logistic", l2=L2)
    free = simulate(async_sgd(workers=6, stragglers=0.2), X, y, problem, 0.2, 40)[1]
    assert max(e["staleness"] for e in free) > 5  # unbounded, the stragglers are very stale
    _, events, infos = simulate(async_sgd(workers=6, staleness=tau, stragglers=0.2), X, y,
                                problem, 0.2, 40)
    stalenesses = [e["staleness"] for e in events]
    low, high = recounted_staleness(events), recounted_staleness(events, at_read_time=True)
    assert all(a <= s <= b for a, s, b in zip(low, stalenesses, high, strict=True))
    assert max(stalenesses) <= tau
    assert max(stalenesses) == tau  # the bound is reached, not merely respected
    assert sum(info["simulated_wait"] for info in infos) > 0  # someone waited
    assert any(e["time"] > e["arrived"] for e in events)  # a gradient waited at the server


def test_unbounded_staleness_is_recorded_truthfully(arrays):
    X, y = arrays
    events = simulate(async_sgd(workers=5, stragglers=0.2), X, y, Problem("logistic"), 0.2,
                      30)[1]
    assert [e["staleness"] for e in events] == recounted_staleness(events)
    assert [e["update"] for e in events] == list(range(1, 151))
    times = [e["time"] for e in events]
    assert times == sorted(times)


def test_equal_speeds_give_staleness_w_minus_one(arrays):
    X, y = arrays
    W = 5
    method = async_sgd(workers=W, jitter=0.0, worker_spread=0.0, stragglers=0.0,
                       compute_time=2.0)
    _, events, infos = simulate(method, X, y, Problem("logistic"), 0.2, 8)
    assert [e["staleness"] for e in events[:W]] == list(range(W))
    assert all(e["staleness"] == W - 1 for e in events[W:])
    assert [e["worker"] for e in events] == list(range(W)) * 8
    assert [info["simulated_clock"] for info in infos] == [2.0 * (k + 1) for k in range(8)]


def test_equal_speeds_never_wait_once_the_bound_allows_w_minus_one(arrays):
    X, y = arrays
    speeds = {"jitter": 0.0, "worker_spread": 0.0, "stragglers": 0.0}
    free = simulate(async_sgd(workers=4, **speeds), X, y, Problem("logistic"), 0.2, 6)
    bounded = simulate(async_sgd(workers=4, staleness=3, **speeds), X, y, Problem("logistic"),
                       0.2, 6)
    assert bounded[1] == free[1]
    assert all(info["simulated_wait"] == 0 for info in bounded[2])
    tighter = simulate(async_sgd(workers=4, staleness=2, **speeds), X, y, Problem("logistic"),
                       0.2, 6)
    assert max(e["staleness"] for e in tighter[1]) == 2
    assert tighter[2][-1]["simulated_clock"] > free[2][-1]["simulated_clock"]


def test_iteration_boundaries_do_not_change_the_simulation(arrays):
    X, y = arrays
    problem = Problem("logistic", l2=L2)
    one = simulate(async_sgd(workers=4, staleness=2, updates_per_iteration=1), X, y, problem,
                   0.3, 24)
    four = simulate(async_sgd(workers=4, staleness=2), X, y, problem, 0.3, 6)
    assert one[1] == four[1]
    np.testing.assert_array_equal(one[0][::4], four[0])


def test_a_new_seed_waits_for_the_next_reset(arrays):
    X, y = arrays
    problem, method = Problem("logistic"), async_sgd(workers=3)
    mask = problem.penalty_mask(3, True)
    drivers = [LocalDriver(problem, Settings(algorithm=method, seed=seed), X, y, mask)
               for seed in (0, 1)]
    runs = []
    for switch in (False, True):
        state = method.init(np.zeros(3), 0)
        for t in range(4):
            driver = drivers[1 if switch and t >= 2 else 0]
            driver.step_size = 0.2
            state = method.update(state, {}, driver).state
        runs.append(state.w)
    np.testing.assert_array_equal(runs[0], runs[1])
    fresh = method.update(method.init(np.zeros(3), 0), {}, drivers[1]).info["simulated_events"]
    first = method.update(method.init(np.zeros(3), 0), {}, drivers[0]).info["simulated_events"]
    assert fresh != first  # the seed does choose the rows and the times


def test_sync_is_minibatch_sgd_over_w_times_batch_rows(arrays):
    X, y = arrays
    W, batch = 3, 4
    weights, events, infos = simulate(async_sgd(workers=W, variant="sync", batch=batch), X, y,
                                      Problem("logistic", l2=L2), 0.5, 12)
    assert all(e["staleness"] == 0 and len(e["rows"]) == batch for e in events)
    rounds = [events[k:k + W] for k in range(0, len(events), W)]
    assert [[e["worker"] for e in r] for r in rounds] == [list(range(W))] * 12
    rows = [[i for e in r for i in e["rows"]] for r in rounds]
    np.testing.assert_allclose(weights, sequential_sgd(X, y, rows, 0.5, MASK), rtol=0,
                               atol=1e-12)
    start = 0.0
    for r, info in zip(rounds, infos, strict=True):  # each round waits for its slowest worker
        assert all(e["read_time"] == start for e in r)
        assert info["simulated_clock"] == max(e["arrived"] for e in r) == r[0]["time"]
        assert info["simulated_wait"] == pytest.approx(sum(r[0]["time"] - e["arrived"]
                                                           for e in r))
        start = info["simulated_clock"]


@pytest.fixture(scope="module")
def sparse():
    """Rows with about 3 of 100 features non-zero (the generator's density setting)."""
    return generate_rows(GeneratorSpec(rows=400, features=100, seed=4, density=0.03), 0, 400)


def test_hogwild_writes_only_the_rows_non_zero_coordinates(sparse):
    X, y = sparse
    method = async_sgd(workers=4, variant="hogwild", updates_per_iteration=1)
    weights, events, _ = simulate(method, X, y, Problem("logistic", l2=0.05), 0.5, 60,
                                  intercept=False)
    for before, after, e in zip(weights[:-1], weights[1:], events, strict=True):
        support = np.flatnonzero(np.any(X[e["rows"]] != 0, axis=0))
        assert e["support"] == support.size
        moved = np.flatnonzero(after != before)
        assert set(moved) <= set(support)
        # the step on S: the gradient at the weights the worker read, λ₂ on S only
        read = weights[e["update"] - 1 - e["staleness"]]
        g = logistic_gradient(X[e["rows"]], y[e["rows"]], read, np.ones(X.shape[1]), 0.05)
        np.testing.assert_allclose(after[support], before[support] - 0.5 * g[support],
                                   rtol=0, atol=1e-12)


def test_hogwild_stale_coordinates_are_few_on_sparse_rows(sparse):
    X, y = sparse
    events = simulate(async_sgd(workers=8, variant="hogwild"), X, y, Problem("logistic"), 0.5,
                      20, intercept=False)[1]
    for e in events:  # recounted: coordinates of S written by updates applied since the read
        written = set()
        for f in events:
            if f["update"] < e["update"] and f["time"] > e["read_time"]:
                written |= set(np.flatnonzero(np.any(X[f["rows"]] != 0, axis=0)))
        support = set(np.flatnonzero(np.any(X[e["rows"]] != 0, axis=0)))
        assert e["stale_coordinates"] == len(written & support)
    stale = sum(e["stale_coordinates"] for e in events) / sum(e["support"] for e in events)
    assert np.mean([e["staleness"] for e in events]) > 5 and stale < 0.5


def test_hogwild_equals_the_server_without_regularizer_or_on_dense_rows(sparse, arrays):
    X, y = sparse
    kwargs = {"workers": 4, "stragglers": 0.2}
    same = [simulate(async_sgd(variant=v, **kwargs), X, y, Problem("logistic"), 0.5, 10,
                     intercept=False)[0] for v in ("ps", "hogwild")]
    np.testing.assert_array_equal(same[0], same[1])
    apart = [simulate(async_sgd(variant=v, **kwargs), X, y, Problem("logistic", l2=0.05), 0.5,
                      10, intercept=False)[0] for v in ("ps", "hogwild")]
    assert np.abs(apart[0][-1] - apart[1][-1]).max() > 1e-6
    Xd, yd = arrays
    dense = [simulate(async_sgd(variant=v, **kwargs), Xd, yd, Problem("logistic", l2=0.05), 0.5,
                      10)[0] for v in ("ps", "hogwild")]
    np.testing.assert_array_equal(dense[0], dense[1])


@pytest.mark.parametrize(("kwargs", "parameter"), [
    ({"workers": 0}, "workers"),
    ({"workers": 2.5}, "workers"),
    ({"workers": True}, "workers"),
    ({"staleness": -1}, "staleness"),
    ({"variant": "lockfree"}, "variant"),
    ({"variant": "hogwild", "staleness": 2}, "staleness"),
    ({"variant": "sync", "staleness": 0}, "staleness"),
    ({"batch": 0}, "batch"),
    ({"updates_per_iteration": 0}, "updates_per_iteration"),
    ({"compute_time": 0.0}, "compute_time"),
    ({"jitter": -0.1}, "jitter"),
    ({"stragglers": 1.5}, "stragglers"),
    ({"slowdown": 0.5}, "slowdown"),
])
def test_bad_hyperparameters_are_one_clear_line(kwargs, parameter):
    with pytest.raises(ConfigError) as caught:
        async_sgd(**kwargs)
    assert caught.value.parameter == parameter
    assert "\n" not in str(caught.value)
    with pytest.raises(ConfigError):  # the same through the registry
        async_sgd().with_hyper(**kwargs)


def test_more_workers_than_rows_is_refused(arrays):
    X, y = arrays
    with pytest.raises(ConfigError, match="workers=301"):
        run_local(Problem("logistic"), Settings(algorithm=async_sgd(workers=301)), X, y, 1,
                  intercept=True)


# -- on Spark: the rows are collected once, the driver simulates -------------------------------
@pytest.fixture(scope="module")
def lesson_data(sc, data_path):
    from stepper import add_intercept, load_csv, standardize

    return add_intercept(standardize(load_csv(data_path("logistic2d_train.csv"), partitions=4,
                                              sc=sc)))


@pytest.mark.spark
def test_stepper_and_run_local_give_identical_iterates(lesson_data, tmp_path):
    method = async_sgd(workers=4, staleness=3, stragglers=0.2)
    problem = Problem("logistic", l2=L2)
    run = Stepper(lesson_data, problem, Settings(algorithm=method, seed=3))
    records = run.run(5)
    block = lesson_data.to_numpy()
    local = run_local(problem, Settings(algorithm=method, seed=3), block.X, block.y, 5,
                      intercept=True)
    np.testing.assert_array_equal(np.asarray([r.weights for r in records]), local.weights[1:])
    np.testing.assert_allclose([r.objective for r in records], local.objective[:-1], rtol=1e-12)
    assert [r.rounds for r in records] == [0] * 5  # nothing is broadcast
    assert [r.jobs for r in records[1:]] == [0] * 4  # the rows were collected once
    assert all(len(r.update["simulated_events"]) == 4 for r in records)

    path = str(tmp_path / "async.jsonl")
    run.save(path)
    settings, loaded = load_trace(path)
    assert settings["algorithm"] == "async_sgd"
    assert settings["hyperparameters"]["method"]["staleness"] == 3
    for record, back in zip(records, loaded, strict=True):
        assert back.update["simulated_events"] == record.update["simulated_events"]
        assert back.update["simulated_clock"] == record.update["simulated_clock"]
        np.testing.assert_array_equal(back.weights, record.weights)
    replay = Replay.load(path)
    assert replay.seek(5).update["simulated_events"][-1]["update"] == 20
    assert replay.back().update["simulated_events"] == records[3].update["simulated_events"]


@pytest.mark.spark
def test_data_above_the_size_limit_is_refused_before_any_spark_job(sc, lesson_data):
    rows = SIMULATION_MAX_VALUES // 10 + 1  # rows × 10 features: just above the limit
    big = from_generator(GeneratorSpec(rows=rows, features=10), partitions=4, sc=sc)
    with pytest.raises(DataError) as caught:
        Stepper(big, Problem("logistic"), algorithm="async_sgd")
    assert str(rows) in str(caught.value) and "\n" not in str(caught.value)
    assert big.jobs == 0
    run = Stepper(big, Problem("logistic"), algorithm="gd")
    with pytest.raises(DataError):
        run.set(algorithm="async_sgd")
    assert run.method.name == "gd" and big.jobs == 0
