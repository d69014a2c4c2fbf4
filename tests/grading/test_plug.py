"""The exercise functions plug into the Stepper: solved ones reproduce the reference run,
wrong ones are caught, unfinished ones get a clear message."""

from __future__ import annotations

import numpy as np
import pytest
from grading_helpers import FIXTURES, ROOT

from stepper.data.loaders import from_numpy
from stepper.grade.extract import extract, read_notebook
from stepper.grade.plug import (
    NotReady,
    compare,
    dataset_from,
    my_stepper,
    partition_oracle_from,
    replay_updates,
)
from stepper.grade.reference import make_blobs
from stepper.problems import Problem


def namespace(path) -> dict:
    """The definitions of a notebook, as a notebook kernel would hold them (in ``__main__``)."""
    functions = {"__name__": "__main__"}
    exec(compile(extract(read_notebook(path)).source, str(path), "exec"), functions)
    return functions


@pytest.fixture(scope="module")
def data(sc):
    X, y = make_blobs(120, 3, seed=8)
    return from_numpy(X, y, partitions=3, sc=sc)


def test_unfinished_functions_say_what_to_complete():
    with pytest.raises(NotReady, match=r"complete `partition_oracle` \(Task 2.1\)"):
        partition_oracle_from(namespace(ROOT / "exercises" / "02_distributed_gd.ipynb"))


def test_row_and_block_oracles_agree_with_the_reference():
    functions = namespace(ROOT / "solutions" / "01_oracles.ipynb")
    X, y = make_blobs(9, 3, seed=3)
    w = np.array([0.2, -0.5, 1.0])
    block, origin = partition_oracle_from(functions)
    assert "1.4" in origin
    rows, _ = partition_oracle_from({k: functions[k] for k in ("loss_one", "grad_one")})
    for oracle in (block, rows):
        loss, grad = oracle(X, y, w)
        margin = y * (X @ w)
        assert loss == pytest.approx(np.logaddexp(0, -margin).sum(), rel=1e-12)
        np.testing.assert_allclose(grad, -(X.T @ (y / (1 + np.exp(margin)))), rtol=1e-10)


@pytest.mark.spark
@pytest.mark.parametrize("algorithm", ["gd", "momentum", "nesterov"])
def test_solved_set_2_runs_on_the_stepper_like_the_reference(data, algorithm):
    functions = namespace(ROOT / "solutions" / "02_distributed_gd.ipynb")
    mine = my_stepper(data, Problem(l2=0.01), functions, algorithm=algorithm, lr=0.5)
    assert "2.1" in mine.plugged
    result = compare(mine, steps=3)
    assert result.ok, str(result)
    assert "same trajectory" in str(result)
    replayed = replay_updates(mine, functions)
    assert replayed.ok, str(replayed)


@pytest.mark.spark
def test_solved_set_3_newton_runs_on_the_stepper(data):
    functions = namespace(ROOT / "solutions" / "03_newton.ipynb")
    functions["partition_oracle"] = namespace(ROOT / "solutions" / "02_distributed_gd.ipynb")[
        "partition_oracle"]
    mine = my_stepper(data, Problem(l2=0.01), functions, algorithm="newton", lr=1.0)
    assert "3.1" in mine.plugged
    result = compare(mine, steps=2)
    assert result.ok, str(result)
    assert replay_updates(mine, functions).ok


@pytest.mark.spark
def test_wrong_answers_leave_the_reference(data):
    wrong = namespace(FIXTURES / "01_gradient_sign.ipynb")
    mine = my_stepper(data, Problem(l2=0.01), wrong, algorithm="gd", lr=0.5)
    result = compare(mine, steps=2)
    assert not result.ok and result.first_difference == 1
    assert "leaves the reference at iteration 1" in str(result)
    nesterov = namespace(FIXTURES / "02_nesterov_at_w.ipynb")
    run = my_stepper(data, Problem(l2=0.01), nesterov, algorithm="nesterov", lr=0.5)
    run.run(2)
    replayed = replay_updates(run, nesterov)
    assert not replayed.ok and "the gradient was asked at" in str(replayed)


@pytest.mark.spark
def test_set_0_prepared_rows_become_the_steppers_data(sc):
    from stepper import Stepper

    functions = namespace(ROOT / "solutions" / "00_spark_basics.ipynb")
    X, y = make_blobs(50, 3, seed=4, intercept=False)
    points = sc.parallelize(list(zip(y, X, strict=True)), 3)
    low, high = functions["feature_ranges"](points)
    train = functions["balance"](functions["min_max_scale"](points, low, high), 42)
    data = dataset_from(train)
    assert data.rows == train.count() and data.features == 4 and data.partitions == 3
    block = data.to_numpy()
    np.testing.assert_array_equal(block.X[:, 0], 1.0)
    assert len(Stepper(data, Problem(l2=0.01), lr="1/L").run(2)) == 2


@pytest.fixture(scope="module")
def set5_data(sc):
    """The logistic rows (121 rows: 40, 40, 41 in 3 partitions, as the Dataset splits them and
    as sc.parallelize does) and the lasso's regression rows (column 0 the intercept)."""
    from stepper import add_intercept

    X, y = make_blobs(121, 3, seed=9)
    rng = np.random.default_rng(10)
    X_reg = np.hstack([np.ones((90, 1)), rng.normal(size=(90, 3))])
    y_reg = X_reg @ np.array([0.5, 1.0, 0.0, -2.0]) + 0.3 * rng.normal(size=90)
    return {"data": from_numpy(X, y, partitions=3, sc=sc),
            "points": sc.parallelize(list(zip(y, X, strict=True)), 3),
            "reg_data": add_intercept(from_numpy(X_reg[:, 1:], y_reg, partitions=3,
                                                 task="regression", sc=sc)),
            "reg_points": sc.parallelize(list(zip(y_reg, X_reg, strict=True)), 3)}


def admm_rounds(functions, points, rho, lam1):
    """The attendee's admm_round as a round function of z alone (the duals kept here)."""
    duals = np.zeros((3, 4))

    def round_(z, _t):
        nonlocal duals
        z, duals, _, _ = functions["admm_round"](points, z, duals, rho, lam1)
        return z

    return round_


@pytest.mark.spark
def test_solved_set_5_runs_next_to_the_engines_methods(set5_data):
    from stepper import Stepper
    from stepper.algorithms import REGISTRY
    from stepper.grade.plug import compare_rounds

    functions = namespace(ROOT / "solutions" / "05_fewer_rounds.ipynb")
    problem = Problem(l2=0.01)
    run = Stepper(set5_data["data"], problem, algorithm=REGISTRY["lbfgs"](memory=3), lr=1.0)
    run.run(5)
    replayed = replay_updates(run, functions)
    assert replayed.ok and "same direction as the Stepper at all 5" in str(replayed), replayed

    def local_round(w, t):
        return functions["local_sgd_round"](set5_data["points"], w, 3, 0.5, 7, 5, 0.01, t)

    reference = Stepper(set5_data["data"], problem, lr=0.5, seed=7,
                        algorithm=REGISTRY["local_sgd"](local_steps=3, batch=5))
    result = compare_rounds(local_round, reference, steps=2)
    assert result.ok and "same trajectory as the reference over 2" in str(result), result

    lasso = Problem("squares", l1=0.05, l1_mode="prox")
    reference = Stepper(set5_data["reg_data"], lasso, algorithm=REGISTRY["admm"](rho=0.3))
    result = compare_rounds(admm_rounds(functions, set5_data["reg_points"], 0.3, 0.05),
                            reference, steps=3)
    assert result.ok, result


@pytest.mark.spark
def test_set_5_wrong_answers_leave_the_engine(set5_data):
    from stepper import Stepper
    from stepper.algorithms import REGISTRY
    from stepper.grade.plug import compare_rounds

    no_rho = namespace(FIXTURES / "05_lbfgs_no_rho.ipynb")
    run = Stepper(set5_data["data"], Problem(l2=0.01), algorithm=REGISTRY["lbfgs"](memory=3),
                  lr=1.0)
    run.run(3)
    replayed = replay_updates(run, no_rho)
    assert not replayed.ok and "lbfgs_direction: iteration 2 (1 pair(s))" in str(replayed)

    wrong = namespace(FIXTURES / "05_admm_threshold_no_p.ipynb")
    lasso = Problem("squares", l1=0.05, l1_mode="prox")
    reference = Stepper(set5_data["reg_data"], lasso, algorithm=REGISTRY["admm"](rho=0.3))
    result = compare_rounds(admm_rounds(wrong, set5_data["reg_points"], 0.3, 0.05), reference,
                            steps=2)
    assert not result.ok and result.first_difference == 1, result


@pytest.mark.spark
def test_unfinished_round_says_what_to_complete(set5_data):
    from stepper import Stepper
    from stepper.algorithms import REGISTRY
    from stepper.grade.plug import compare_rounds

    functions = namespace(ROOT / "exercises" / "05_fewer_rounds.ipynb")
    reference = Stepper(set5_data["data"], Problem(l2=0.01), lr=0.5,
                        algorithm=REGISTRY["local_sgd"](local_steps=3))

    def my_round(w, t):
        return functions["local_sgd_round"](set5_data["points"], w, 3, 0.5, 0, None, 0.01, t)

    with pytest.raises(NotReady, match=r"my_round needs Task 5.2: one round of local SGD: "
                                       r"complete it first"):
        compare_rounds(my_round, reference, steps=1)
    assert reference.records == []  # the reference did not step either
