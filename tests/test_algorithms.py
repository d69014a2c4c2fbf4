"""Methods as values: the registry, names and values being the same run, the words the pages
need, method defaults, the one-line refusals, and the trace's rounds, jobs and bytes."""

from __future__ import annotations

import json

import numpy as np
import pytest

from stepper import Problem, Stepper, add_intercept, load_csv, standardize
from stepper.algorithms import (
    REGISTRY,
    Algorithm,
    Settings,
    gd,
    minibatch,
    momentum,
    newton,
    resolve,
)
from stepper.errors import ConfigError
from stepper.local import run_local
from stepper.pages.catalog import method_label, method_rule, missing_words
from stepper.pages.phases import phases_of
from stepper.reduce import expected_tree
from stepper.trace import FORMAT_VERSION, load_trace


@pytest.fixture(scope="module")
def arrays():
    rng = np.random.default_rng(3)
    X = np.hstack([np.ones((300, 1)), rng.standard_normal((300, 3))])
    y = np.where(X @ [0.5, 1.0, -2.0, 0.3] + rng.standard_normal(300) > 0, 1.0, -1.0)
    return X, y


def test_every_registered_method_is_a_value_with_words_for_the_pages():
    assert {"gd", "momentum", "nesterov", "sgd", "minibatch", "newton"} <= set(REGISTRY)
    assert missing_words() == []
    for name, factory in REGISTRY.items():
        method = factory()
        assert isinstance(method, Algorithm) and method.name == name
        assert method.rule and method_label(name) and method_rule(name) == method.rule
        assert resolve(name) == method or resolve(name).hyper == method.hyper


def test_a_name_and_a_value_are_the_same_run(arrays):
    X, y = arrays
    by_name = Settings(algorithm="momentum", momentum=0.5, lr=0.3)
    by_value = Settings(algorithm=momentum(mu=0.5), lr=0.3)
    assert by_name.method.hyper == by_value.method.hyper and by_value.mu == 0.5
    a = run_local(Problem(l2=0.01), by_name, X, y, 15, intercept=True)
    b = run_local(Problem(l2=0.01), by_value, X, y, 15, intercept=True)
    np.testing.assert_array_equal(a.weights, b.weights)
    assert by_value.with_changes(momentum=0.2).method == momentum(mu=0.2)
    sample = Settings(algorithm=minibatch(fraction=0.2)).with_changes(batch_fraction=0.3)
    assert sample.method.hyper["fraction"] == 0.3


def test_each_method_carries_its_default_step(arrays):
    X, y = arrays
    assert Settings(algorithm="gd").step_rule == "1/L"
    assert Settings(algorithm="newton").step_rule == 1.0
    path = run_local(Problem(l2=0.01), Settings(algorithm=newton()), X, y, 10, intercept=True)
    assert path.step_sizes[0] == 1.0 and path.grad_norm[-1] < 1e-10  # the full step converges


@pytest.mark.parametrize(("make", "expected"), [
    (lambda: Settings(algorithm="adam"), "algorithm='adam' is not valid: one of gd"),
    (lambda: Settings(algorithm="sgd", lr="armijo"), "Armijo backtracking needs full-batch gd"),
    (lambda: Settings(lr="2/L"), "a positive number, '1/L', 'spectral'"),
    (lambda: gd().with_hyper(memory=3), "memory=3 is not valid: a hyperparameter of gd"),
])
def test_bad_methods_are_refused_in_one_line(make, expected):
    with pytest.raises(ConfigError) as info:
        make()
    assert expected in str(info.value) and "\n" not in str(info.value)


def test_the_narration_reads_the_methods_rule():
    from stepper.trace import IterationRecord

    record = IterationRecord(1, 0.5, 0.1, np.zeros(2), update={"step_size": 0.5})
    (update,) = phases_of(record, "nesterov")
    assert momentum().rule != REGISTRY["nesterov"]().rule
    assert REGISTRY["nesterov"]().rule in update.narration


@pytest.mark.spark
def test_the_stepper_takes_values_and_records_rounds_jobs_and_bytes(sc, data_path, tmp_path):
    data = add_intercept(standardize(load_csv(data_path("logistic2d_train.csv"), partitions=8,
                                              sc=sc)))
    by_name = Stepper(data, Problem(l2=0.01), algorithm="nesterov", lr=0.5, depth=2)
    by_value = Stepper(data, Problem(l2=0.01), algorithm=REGISTRY["nesterov"](mu=0.9), lr=0.5,
                       depth=2)
    first = by_name.run(3)
    second = by_value.run(3)
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a.weights, b.weights)
    # a numeric step: one round per iteration
    assert [r.rounds for r in first] == [1, 1, 1] and all(r.jobs >= 1 for r in first)
    armijo = Stepper(data, Problem(l2=0.01), algorithm="gd", lr="armijo", armijo_start=64.0)
    record = armijo.step()
    assert record.rounds == 1 + len(record.update["trials"]) and record.jobs >= record.rounds
    lipschitz = Stepper(data, Problem(l2=0.01), algorithm="gd")  # 1/L costs one job, no round
    first_step, second_step = lipschitz.run(2)
    assert (first_step.rounds, second_step.rounds) == (1, 1)
    assert first_step.jobs == second_step.jobs + 1
    # bytes: each reduce level says what arrived there; the driver's level what reached it
    levels = first[0].reduce["levels"]
    assert [len(level["groups"]) for level in levels[1:]] == \
        [len(groups) for groups in expected_tree(8, 2)]
    assert all(level["bytes"] > 0 for level in levels[1:])
    assert first[0].reduce["bytes_to_driver"] == levels[-1]["bytes"]
    assert first[0].broadcast["via"] == "task" and first[0].broadcast["bytes"] > 0
    path = tmp_path / "run.jsonl"
    by_value.save(str(path))
    head = json.loads(path.read_text().splitlines()[0])
    assert head["format_version"] == FORMAT_VERSION == 2 and head["algorithm"] == "nesterov"
    assert head["hyperparameters"]["method"] == {"mu": 0.9}
    _, loaded = load_trace(str(path))
    assert [r.rounds for r in loaded] == [1, 1, 1]


def test_traces_of_format_1_still_load(tmp_path):
    path = tmp_path / "old.jsonl"
    head = {"type": "settings", "format_version": 1, "algorithm": "gd"}
    line = {"iteration": 1, "objective": 0.6, "grad_norm": 0.1, "weights": [0.1, 0.2],
            "partitions": [], "reduce": {}, "update": {"step_size": 0.5}, "timing": {}}
    path.write_text(json.dumps(head) + "\n" + json.dumps(line) + "\n")
    settings, records = load_trace(str(path))
    assert settings["format_version"] == 1 and records[0].rounds is None
    np.testing.assert_array_equal(records[0].weights, [0.1, 0.2])


@pytest.mark.spark
def test_changing_the_method_keeps_the_weights(sc, data_path):
    data = add_intercept(standardize(load_csv(data_path("logistic2d_train.csv"), partitions=4,
                                              sc=sc)))
    run = Stepper(data, Problem(l2=0.01), algorithm="momentum", lr=0.5)
    run.run(3)
    w = run.weights.copy()
    run.set(algorithm=newton())
    assert run.method.name == "newton"
    np.testing.assert_array_equal(run.weights, w)
    assert not run.state.velocity.any()
    record = run.step()
    np.testing.assert_array_equal(record.update["weights_before"], w)
