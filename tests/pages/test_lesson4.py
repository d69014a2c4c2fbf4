"""Lesson 4 ("fewer rounds"): the lab's numbers against trusted references (scikit-learn, numpy,
a KKT check, known sequences), the bad-input lines, and the page run headlessly (quick) in
English on Spark, its results then drawn by a French page as a room's follower would."""

from __future__ import annotations

import json
import math
import os
import re

import numpy as np
import pytest
from churn_numpy import churn_arrays

from stepper.pages import i18n, lesson4_figures, lesson4_lab, lesson4_questions
from stepper.problems import Problem

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


# -- rates read off curves -----------------------------------------------------------------------
def test_rates_of_known_sequences():
    linear = lesson4_lab.estimate_rate([0.5**k for k in range(30)])
    assert linear["kind"] == "linear" and linear["ratio"] == pytest.approx(0.5)
    squared = [0.5]
    for _ in range(5):
        squared.append(squared[-1] ** 2)
    assert lesson4_lab.estimate_rate(squared)["kind"] == "quadratic"
    factorial = [1 / math.factorial(k) for k in range(1, 15)]
    assert lesson4_lab.estimate_rate(factorial)["kind"] == "superlinear"
    assert lesson4_lab.estimate_rate([1 / (k + 1) for k in range(50)])["kind"] == "sublinear"
    assert lesson4_lab.estimate_rate([1.0, 0.5])["kind"] == "unknown"
    # a linear rate with ripples (Nesterov's curve on churn goes up and down): not quadratic
    k = np.arange(60)
    rippling = lesson4_lab.estimate_rate(list(0.05 * 0.9**k * (1.2 + np.sin(k / 2))))
    assert rippling["kind"] == "linear" and rippling["ratio"] == pytest.approx(0.9, abs=0.1)


def test_what_the_adaptive_card_says_of_its_figure():
    """60 steps; in the valley the adaptive methods' first step is as long along x as along y
    (a gradient step goes mostly along y); at the saddle they leave y ≈ 0 faster."""
    import inspect

    from stepper.pages import lesson4_adaptive as adaptive

    assert inspect.signature(adaptive.paths_png).parameters["steps"].default == 60
    plain = ("sgd", "momentum", "nesterov")
    _, valley, start = adaptive.SURFACES["valley"]
    for name, optimizer in adaptive.methods().items():
        dx, dy = np.abs(adaptive.path(optimizer, valley, start, 1)[1] - start)
        assert dx / dy < 0.1 if name in plain else dx / dy == pytest.approx(1.0, rel=1e-3)
    _, saddle, start = adaptive.SURFACES["saddle"]
    away = {name: abs(adaptive.path(optimizer, saddle, start, 60)[-1, 1])
            for name, optimizer in adaptive.methods().items()}
    assert all(away[name] > 10 * away["sgd"] for name in away if name not in plain)


def test_rounds_to_tolerance():
    curve = {"gaps": [1.0, 1e-3, 1e-7, 1e-9], "rounds": [0, 2, 4, 6]}
    assert lesson4_lab.rounds_to(curve, 1e-6) == 4
    assert lesson4_lab.rounds_to(curve, 1e-12) is None


# -- L-BFGS on the 2-D data -----------------------------------------------------------------------
def test_lbfgs_path_reaches_sklearn_optimum_and_keeps_curvature_pairs(data_2d):
    from sklearn.linear_model import LogisticRegression

    X, y = data_2d
    problem = Problem("logistic", l2=0.01)
    paths = lesson4_lab.paths_2d(X, y, problem, 25)
    n = X.shape[0]
    reference = LogisticRegression(C=1.0 / (n * problem.l2), tol=1e-12, max_iter=10_000)
    reference.fit(X[:, 1:], y)
    expected = np.concatenate([reference.intercept_, reference.coef_[0]])
    assert np.allclose(paths["lbfgs"]["weights"][-1], expected, atol=1e-5)
    # GD with the same number of iterations is still further from J*
    assert paths["gd"]["objective"][-1] > paths["lbfgs"]["objective"][-1]
    pairs = lesson4_lab.lbfgs_pairs(X, y, problem, np.asarray(paths["lbfgs"]["weights"]), 5)
    assert 1 <= len(pairs) <= 5
    W = np.asarray(paths["lbfgs"]["weights"])
    mask = problem.penalty_mask(3, True)
    for pair in pairs:
        k = pair["k"]
        assert np.allclose(pair["s"], W[k + 1] - W[k])
        g = problem.gradient(X, y, W[k + 1], mask) - problem.gradient(X, y, W[k], mask)
        assert np.allclose(pair["y"], g) and pair["sy"] > 0


# -- the lasso's optimality conditions -------------------------------------------------------------
def test_kkt_check_accepts_the_lasso_optimum_and_rejects_another_point():
    rng = np.random.default_rng(5)
    X = np.hstack([np.ones((400, 1)), rng.normal(size=(400, 8))])
    y = np.where(X[:, 1] - 0.5 * X[:, 2] + 0.3 * rng.normal(size=400) > 0, 1.0, -1.0)
    problem = Problem("logistic", l2=0.001, l1=0.05, l1_mode="prox")
    w = lesson4_lab.lasso_reference(X, y, problem, steps=4000)
    assert np.sum(w[1:] == 0.0) >= 3  # exact zeros
    assert lesson4_lab.kkt_violation(X, y, problem, w) < 1e-6
    assert lesson4_lab.kkt_violation(X, y, problem, w + 0.05) > 1e-3


# -- losses ---------------------------------------------------------------------------------------
def test_the_four_losses_against_sklearn():
    from sklearn.metrics import hinge_loss, log_loss, zero_one_loss

    margin = np.array([-1.5, -0.2, 0.0, 0.4, 2.0])
    values = lesson4_figures.loss_values(margin)
    y = np.array([1.0, -1.0, 1.0, -1.0, 1.0])
    score = y * margin  # wᵀx, so that y·wᵀx is the margin
    assert values["hinge"].mean() == pytest.approx(hinge_loss(y, score))
    probability = 1.0 / (1.0 + np.exp(-score))  # P(y = +1)
    assert (values["logistic"] * np.log(2)).mean() == pytest.approx(
        log_loss(y, probability, labels=[-1.0, 1.0]))
    assert values["zero_one"].mean() == pytest.approx(
        zero_one_loss(y, np.where(score > 0, 1.0, -1.0)))
    assert np.allclose(values["squares"], (1 - margin) ** 2)


# -- bad input -------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_bad_input_is_one_line_in_the_page_language(lang):
    from french_detector import english_in

    from stepper.pages.lesson4_inputs import parse_local_steps, parse_rhos

    i18n.use_language(lang)
    try:
        assert parse_local_steps("1, 10, 100") == [1, 10, 100]
        assert parse_rhos("0.01 1") == [0.01, 1.0]
        assert parse_rhos("0,01; 1") == [0.01, 1.0]
        lines = []
        for parse, typed in ((parse_local_steps, "0"), (parse_local_steps, "ten"),
                             (parse_local_steps, "1, 1000"), (parse_rhos, "-1"),
                             (parse_rhos, "0"), (parse_rhos, "abc"), (parse_rhos, "")):
            with pytest.raises(ValueError) as error:
                parse(typed)
            lines.append(str(error.value))
        assert all("\n" not in line and line for line in lines)
        if lang == "fr":
            assert english_in(lines) == []
            assert "n'est pas valable" in lines[0]
        else:
            assert "is not valid" in lines[0]
    finally:
        i18n.use_language("en")


# -- on Spark --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def churn_data(sc):
    from stepper.data.loaders import from_numpy

    X, y = churn_arrays()
    data = from_numpy(X, y, partitions=4, sc=sc, source="churn_numpy")
    data.intercept = True
    yield data, X, y
    data.unpersist()


@pytest.mark.spark
def test_rounds_and_bytes_of_the_methods(churn_data):
    from stepper.pages.kit.data import optimum_and_value

    data, X, y = churn_data
    problem = lesson4_lab.churn_problem()
    _w, j_star = optimum_and_value(problem, X, y)
    sizes = lesson4_lab.Sizes(iterations={"gd": 4, "newton": 6, "lbfgs": 4}, local_steps=(),
                              local_rounds=0, rhos=(), admm_iterations=0, four_iterations=0)
    result = lesson4_lab.compare_methods(data, problem, j_star, sizes,
                                         methods=("gd", "newton", "lbfgs"))
    curves = result["curves"]
    for curve in curves.values():
        assert curve["rounds"] == list(range(len(curve["gaps"])))  # fixed steps: 1 round each
        assert all(b > a for a, b in zip(curve["bytes"], curve["bytes"][1:], strict=False))
        assert min(curve["gaps"]) > -1e-12
    d = X.shape[1]
    # Newton's tasks send a d × d Hessian besides the gradient: more bytes per round
    assert curves["newton"]["bytes_per_round"] > curves["gd"]["bytes_per_round"] + 8 * d * d / 2
    assert curves["newton"]["rate"]["kind"] == "quadratic"
    assert curves["newton"]["rounds_to_tol"] is not None
    assert curves["gd"]["rounds_to_tol"] is None
    assert lesson4_questions.fewest_rounds(result) == "newton"


@pytest.mark.spark
def test_admm_lasso_has_exact_zeros_that_pass_the_kkt_check(churn_data):
    data, X, y = churn_data
    result = lesson4_lab.admm_lasso(data, X, y, lesson4_lab.LASSO_L1, 0.01, 25)
    z = np.asarray(result["z"])
    problem = lesson4_lab.churn_problem(lesson4_lab.LASSO_L1)
    assert result["zeros"] == int(np.sum(z[1:] == 0.0)) > 0
    assert result["zeros"] == result["reference_zeros"]
    # at every exact zero the smooth part's gradient is within [−λ₁, λ₁] (numpy, not the engine)
    smooth = Problem("logistic", l2=problem.l2)
    gradient = smooth.gradient(X, y, z, problem.penalty_mask(X.shape[1], True))
    zeros = np.flatnonzero(z == 0.0)
    assert np.all(np.abs(gradient[zeros]) <= problem.l1 + 1e-3)
    assert np.allclose(z, result["reference"], atol=2e-2)  # ADMM: fast to 1e-2, slow after
    assert result["gaps"][-1] < 1e-3
    assert result["primal"][-1] < result["primal"][0]


@pytest.mark.spark
def test_local_sgd_on_non_iid_rows_stalls_further_from_the_optimum(churn_data):
    from stepper.pages.kit.data import optimum_and_value

    _data, X, y = churn_data
    problem = lesson4_lab.churn_problem()
    _w, j_star = optimum_and_value(problem, X, y)
    result = lesson4_lab.local_sgd_sweep(X, y, problem, j_star, (1, 20), 4)
    floors = {(r["split"], r["H"]): r["floor"] for r in result["runs"]}
    assert floors[("iid", 20)] < floors[("iid", 1)]  # more local steps: further per round
    assert floors[("non_iid", 20)] > 2 * floors[("iid", 20)]
    assert lesson4_questions.non_iid_effect(result)[0] == "worse"


# -- the page --------------------------------------------------------------------------------------
def notebook_cells() -> list[str]:
    with open(os.path.join(ROOT, "lessons", "04_fewer_rounds.ipynb")) as file:
        return ["".join(c["source"]) for c in json.load(file)["cells"] if c["cell_type"] == "code"]


def run_page(finish: bool) -> tuple[object, list]:
    namespace: dict = {}
    shown = []
    for source in notebook_cells():
        if "finish()" in source and not finish:
            continue
        *body, last = source.strip().splitlines()
        exec("\n".join(body), namespace)
        shown.append(eval(last.split("  #")[0], namespace))
    return namespace["page"], shown


@pytest.mark.spark
@pytest.mark.slow
def test_the_page_runs_quick_in_english_and_draws_in_french(sc, monkeypatch):
    """English: the whole notebook with ``?quick=1`` on Spark (every part runs, each question
    reveals its answer). French: the notebook without Spark, given the English page's results as
    a room's follower is: no English shows."""
    from french_detector import english_in, shown_texts

    monkeypatch.setenv("QUERY_STRING", "quick=1&present=1")
    page, _shown = run_page(finish=True)
    # the page takes the address's state (presenter mode itself is driven in the browser on
    # lessons 1 and 2: the same kit)
    assert page.app.state.present and page.app.controls.present.value
    assert set(page.results) == set(page.parts)
    for name, part in page.parts.items():
        assert part.errors.messages == [], name
    for question in page.questions.values():
        question.commit(question.state.choices[0] if question.state.choices else 1)
        assert question.state.status == "revealed", question.qid
        assert "⟨" not in question.result.value
    # MLlib's coefficients (L-BFGS over treeAggregate) against ours and scikit-learn's
    from sklearn.linear_model import LogisticRegression

    churn = page.churn()
    X, y = churn["X"], churn["y"]
    reference = LogisticRegression(C=1.0 / (X.shape[0] * lesson4_lab.CHURN_L2), tol=1e-12,
                                   max_iter=10_000).fit(X[:, 1:], y)
    expected = np.concatenate([reference.intercept_, reference.coef_[0]])
    assert np.allclose(page.results["mllib"]["weights"], expected, atol=1e-4)
    assert np.allclose(churn["w_star"], expected, atol=1e-5)
    assert lesson4_questions.mllib_agreement(page.results["mllib"]) == "digits"
    zeros = page.results["lasso"]["zeros"]
    assert f"{zeros} exact zeros" in re.sub("<[^>]+>", "", page.parts["lasso"].text.value)
    results = page.results

    monkeypatch.setenv("QUERY_STRING", "lang=fr&quick=1")
    try:
        french, shown = run_page(finish=False)
        for name, result in results.items():
            assert french.parts[name].show(result), name
        for question in french.questions.values():
            question.commit(question.state.choices[-1] if question.state.choices else 0)
        texts = [t for widget in shown for t in shown_texts(widget)]
        texts += [t for q in french.questions.values() for t in shown_texts(q.widget)]
        assert len(texts) > 50
        assert english_in(texts) == []
    finally:
        i18n.use_language("en")


# -- adaptive methods against their papers' pseudo-code (scalar loops, written apart) ------------
def _reference_path(name: str, gradient, start, steps: int, lr: float) -> np.ndarray:
    """Each paper's algorithm, one coordinate at a time, in plain Python floats."""
    w = [float(v) for v in start]
    d = len(w)
    out = [list(w)]
    a, b, c = [0.0] * d, [0.0] * d, [0.0] * d  # the per-coordinate accumulators
    for t in range(1, steps + 1):
        g = [float(v) for v in gradient(np.array(w))]
        for i in range(d):
            if name == "adam" or name == "nadam":  # Kingma & Ba 2015, alg. 1; Dozat 2016
                a[i] = 0.9 * a[i] + 0.1 * g[i]
                b[i] = 0.999 * b[i] + 0.001 * g[i] ** 2
                m_hat = a[i] / (1 - 0.9**t)
                if name == "nadam":
                    m_hat = 0.9 * m_hat + 0.1 * g[i] / (1 - 0.9**t)
                w[i] -= lr * m_hat / (math.sqrt(b[i] / (1 - 0.999**t)) + 1e-8)
            elif name == "adamax":  # Kingma & Ba 2015, alg. 2
                a[i] = 0.9 * a[i] + 0.1 * g[i]
                b[i] = max(0.999 * b[i], abs(g[i]))
                w[i] -= (lr / (1 - 0.9**t)) * a[i] / b[i]
            elif name == "adagrad":  # Duchi, Hazan & Singer 2011 (diagonal)
                a[i] += g[i] ** 2
                w[i] -= lr * g[i] / (math.sqrt(a[i]) + 1e-8)
            elif name == "rmsprop":  # Tieleman & Hinton 2012
                a[i] = 0.9 * a[i] + 0.1 * g[i] ** 2
                w[i] -= lr * g[i] / (math.sqrt(a[i]) + 1e-8)
            elif name == "adadelta":  # Zeiler 2012, alg. 1
                a[i] = 0.95 * a[i] + 0.05 * g[i] ** 2
                delta = -math.sqrt(b[i] + 1e-6) / math.sqrt(a[i] + 1e-6) * g[i]
                b[i] = 0.95 * b[i] + 0.05 * delta**2
                w[i] += delta
            elif name == "nesterov":  # Sutskever et al. 2013, in the v ← μv + g form
                c[i] = 0.9 * c[i] + g[i]
                w[i] -= lr * (g[i] + 0.9 * c[i])
        out.append(list(w))
    return np.asarray(out)


@pytest.mark.parametrize("name", ["adam", "nadam", "adamax", "adagrad", "rmsprop", "adadelta",
                                  "nesterov"])
def test_adaptive_methods_follow_their_published_rules(name):
    from stepper.pages import lesson4_adaptive as adaptive

    lr = 0.05
    optimizer = {"adam": adaptive.adam(lr), "nadam": adaptive.adam(lr, nesterov=True),
                 "adamax": adaptive.adamax(lr), "adagrad": adaptive.adagrad(lr),
                 "rmsprop": adaptive.rmsprop(lr), "adadelta": adaptive.adadelta(),
                 "nesterov": adaptive.momentum(lr, nesterov=True)}[name]
    for _f, gradient, start in adaptive.SURFACES.values():
        ours = adaptive.path(optimizer, gradient, start, 25)
        assert np.allclose(ours, _reference_path(name, gradient, start, 25, lr), rtol=1e-12,
                           atol=1e-12)
    # Adam's first step moves every coordinate by about η (m̂/√v̂ = ±1): the paper's remark
    first = adaptive.path(adaptive.adam(lr), adaptive.SURFACES["valley"][1],
                          adaptive.SURFACES["valley"][2], 1)
    assert np.allclose(np.abs(first[1] - first[0]), lr, rtol=1e-6)
