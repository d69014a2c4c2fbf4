"""The lesson pages' helpers: numbers checked against numpy and scikit-learn, widget logic
checked by driving the widgets as the page would (no browser)."""

from __future__ import annotations

import os
from html.parser import HTMLParser

import numpy as np
import pytest

from stepper.errors import DataError
from stepper.pages import lesson1_lab
from stepper.pages.kit import data, metrics
from stepper.pages.kit.errors import ErrorBox, guarded
from stepper.pages.kit.widgets import LazyPage, source_of, table_html


# -- metrics -----------------------------------------------------------------------------------
def test_confusion_matrix_matches_sklearn():
    from sklearn.metrics import accuracy_score
    from sklearn.metrics import confusion_matrix as sk_confusion

    rng = np.random.default_rng(3)
    truth = rng.choice([-1.0, 1.0], size=500)
    guess = np.where(rng.random(500) < 0.8, truth, -truth)
    C = metrics.confusion_matrix(truth, guess)
    assert np.array_equal(C, sk_confusion(truth, guess, labels=[-1.0, 1.0]))
    assert metrics.accuracy(truth, guess) == pytest.approx(accuracy_score(truth, guess))


def test_precision_recall_match_sklearn():
    from sklearn.metrics import precision_score, recall_score

    rng = np.random.default_rng(4)
    truth = rng.choice([-1.0, 1.0], size=300)
    guess = np.where(rng.random(300) < 0.7, truth, -truth)
    precision, recall = metrics.precision_recall(metrics.confusion_matrix(truth, guess))
    assert precision == pytest.approx(precision_score(truth, guess, pos_label=1.0))
    assert recall == pytest.approx(recall_score(truth, guess, pos_label=1.0))


def test_predict_and_mismatched_lengths():
    X = np.array([[1.0, 2.0], [1.0, -3.0]])
    assert list(metrics.predict(X, np.array([0.0, 1.0]))) == [1.0, -1.0]
    with pytest.raises(ValueError, match="2 true labels but 3"):
        metrics.accuracy(np.ones(2), np.ones(3))


class _TableCells(HTMLParser):
    """The text of a table's caption and of its cells, row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.caption = ""
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th", "caption"):
            self._in = tag
            if tag != "caption":
                self.rows[-1].append("")

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "caption":
            self.caption += data
        elif self._in is not None:
            self.rows[-1][-1] += data


def test_confusion_html_shows_counts_in_their_cells():
    table = _TableCells()
    table.feed(metrics.confusion_html(np.array([[139, 6], [5, 150]]), caption="Test set"))
    assert table.caption == "Test set"
    body = [row[1:] for row in table.rows[1:]]  # first row: header; first cell: the true label
    assert [row[0] for row in table.rows[1:]] == ["−1", "+1"]
    assert body == [["139", "6"], ["5", "150"]]  # true labels in rows, predictions in columns


# -- lesson 1: data, optimum, runs -------------------------------------------------------------
@pytest.fixture(scope="module")
def lab():
    return lesson1_lab.Lab1()


def test_load_2d_standardizes_with_training_statistics(lab):
    d = lab.data
    assert d.X.shape == (1000, 3) and d.X_test.shape == (300, 3)
    assert np.all(d.X[:, 0] == 1.0)
    assert np.allclose(d.X[:, 1:].mean(axis=0), 0.0, atol=1e-12)
    assert np.allclose(d.X[:, 1:].std(axis=0), 1.0)
    raw = np.loadtxt(os.path.join(data.data_dir(), "logistic2d_test.csv"), delimiter=",")
    assert np.allclose(d.X_test[:, 1:], (raw[:, 1:] - d.mean) / d.std)
    assert set(np.unique(d.y)) == {-1.0, 1.0}


def test_bad_label_is_located(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("1,0.5,2\n-1,1,1\n2,0,0\n")
    with pytest.raises(DataError, match="line 3") as info:
        data.read_labelled_csv(str(path))
    assert info.value.column == 1


@pytest.mark.parametrize("key", ["none", "ridge"])
def test_optimum_matches_sklearn(lab, key):
    from sklearn.linear_model import LogisticRegression

    d = lab.data
    w, j = lab.optimum(key)
    n = d.X.shape[0]
    if key == "none":
        model = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000)
    else:
        model = LogisticRegression(C=1.0 / (n * 0.005), tol=1e-12, max_iter=10_000)
    model.fit(d.X[:, 1:], d.y)
    assert w[0] == pytest.approx(model.intercept_[0], rel=1e-4, abs=1e-4)
    assert np.allclose(w[1:], model.coef_[0], rtol=1e-4, atol=1e-4)
    assert j == pytest.approx(lab.objective(key, w))
    assert np.linalg.norm(lab.gradient(key, w)) < 1e-9


def test_oracles_agree_with_finite_differences(lab):
    w = np.array([0.3, -1.2, 0.8])
    for key in lesson1_lab.REGULARIZATIONS:
        g = lab.gradient(key, w)
        assert np.allclose(g, lesson1_lab.numeric_gradient(lambda v, k=key: lab.objective(k, v), w),
                           atol=1e-7)
        H = lab.hessian(key, w)
        H_num = np.array([
            lesson1_lab.numeric_gradient(lambda v, i=i, k=key: lab.gradient(k, v)[i], w)
            for i in range(3)])
        assert np.allclose(H, H_num, atol=1e-6)


def test_verdicts_of_the_learning_rate(lab):
    kinds = {label.split(":")[0]: run.kind for label, run in lesson1_lab.learning_rate_runs(lab)}
    assert kinds == {"too small": "slow", "safe": "slow", "spectral": "ok", "too large": "unstable"}
    huge = lab.run("momentum", "none", 3000.0)
    assert huge.kind in ("unstable", "diverged")
    assert len(huge.path.weights) >= 2  # no exception, a path to show


def test_newton_reaches_the_optimum(lab):
    run = lab.run("newton", "elastic net")
    assert run.kind == "ok"
    assert run.gap[-1] <= 1e-12


def test_stochastic_runs_are_reproducible(lab):
    a = lab.run("minibatch", "ridge", 1.0, seed=5)
    b = lab.run("minibatch", "ridge", 1.0, seed=5)
    c = lab.run("minibatch", "ridge", 1.0, seed=6)
    assert np.array_equal(a.path.weights, b.path.weights)
    assert not np.array_equal(a.path.weights, c.path.weights)


def test_scores_match_sklearn(lab):
    from sklearn.metrics import confusion_matrix as sk_confusion

    w, _ = lab.optimum("ridge")
    s = lab.scores(w)
    predicted = np.where(lab.data.X_test @ w > 0, 1.0, -1.0)
    assert np.array_equal(s["confusion"], sk_confusion(lab.data.y_test, predicted,
                                                       labels=[-1.0, 1.0]))
    assert s["test_accuracy"] == pytest.approx(np.trace(s["confusion"]) / 300)


def test_static_content_renders(lab):
    for png in (lesson1_lab.data_figure(lab), lesson1_lab.learning_rate_figure(lab),
                lesson1_lab.comparison_figure(lab, "lasso")):
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    for text in (lesson1_lab.oracles_html(lab), lesson1_lab.newton_html(lab),
                 lesson1_lab.regularization_html(lab), lesson1_lab.tradeoff_html(lab)):
        assert text.startswith("<table") and "nan" not in text


# -- page helpers ------------------------------------------------------------------------------
def test_guarded_shows_the_error_and_keeps_working():
    box = ErrorBox()
    calls = []

    @guarded(box, "testing")
    def callback(fail: bool):
        calls.append(fail)
        if fail:
            raise ValueError("bad value")
        return "done"

    assert callback(True) is None
    assert box.widget.layout.display == "block"
    assert "ValueError: bad value" in box.widget.value and "while testing" in box.widget.value
    assert callback(False) == "done"
    assert box.widget.layout.display == "none" and box.widget.value == ""
    assert calls == [True, False]


def test_lazy_page_reports_a_failed_section():
    import ipywidgets as widgets

    page = LazyPage()
    good = page.section(lambda: widgets.HTML("fine"), "a good section")
    bad = page.section(lambda: 1 / 0, "a bad section")
    with pytest.raises(RuntimeError, match="a bad section: ZeroDivisionError"):
        page.finish(background=False)
    assert good.children[0].value == "fine"
    assert "Something went wrong" in bad.children[0].value


def test_lazy_page_in_the_background():
    import ipywidgets as widgets

    page = LazyPage()
    box = page.section(lambda: [widgets.HTML("a"), widgets.HTML("b")], "two widgets")
    page.finish(background=True, wait_for_page=600)  # starts when the page clicks the trigger
    assert not page.done.is_set()
    page.trigger.click()  # what the page's script does once the widgets are drawn
    assert page.done.wait(30)
    assert [w.value for w in box.children] == ["a", "b"]


def test_lazy_page_starts_without_the_click():
    import ipywidgets as widgets

    page = LazyPage()
    box = page.section(lambda: widgets.HTML("late"), "one widget")
    page.finish(background=True, wait_for_page=0.05)
    assert page.done.wait(30)
    assert box.children[0].value == "late"


def test_source_of_body_only():
    from stepper.pages import lesson0_lab

    body = source_of(lesson0_lab.mean_and_std, body_only=True)
    assert body.startswith("n, total, squares = points.map(")
    assert "def " not in body and body.rstrip().endswith("return mean, std")


def test_table_html_alignment():
    text = table_html(["a", "b"], [["name", "1.5 %"]])
    assert "text-align:left'>name" in text and "text-align:right'>1.5 %" in text


# -- lesson 1's explorer -----------------------------------------------------------------------
def _bar(explorer):
    """The Step and Back buttons of the explorer's control bar."""
    return explorer.app.controls.step, explorer.app.controls.back


def test_explorer_steps_and_recomputes(lab):
    from stepper.pages.lesson1_explorer import Explorer

    explorer = Explorer(lab)
    explorer.seek(0)
    step, back = _bar(explorer)
    step.click()
    assert explorer.k == 1 and "Iteration 1 of 200" in explorer.readout.value
    step.click()
    back.click()
    assert explorer.k == 1
    explorer.seek(0)
    assert explorer.k == 0 and "Iteration 0 of 200" in explorer.readout.value
    explorer.algorithm.value = "newton"
    assert explorer.run.algorithm == "newton" and explorer.multiple.disabled
    explorer.algorithm.value = "momentum"
    explorer.multiple.value = 3000.0
    assert explorer.run.kind in ("unstable", "diverged")
    assert "Step too large" in explorer.verdict.value or "Diverged" in explorer.verdict.value
    explorer.seek(10**6)
    assert explorer.k == explorer.last == 200


def test_explorer_failure_is_shown_and_the_page_keeps_working(lab):
    from stepper.pages.kit.state_url import read_state
    from stepper.pages.lesson1_explorer import Explorer

    state = read_state("fail_on_step=3&algorithm=nesterov&seed=2")
    explorer = Explorer(lab, state)
    assert explorer.algorithm.value == "nesterov" and explorer.seed.value == 2
    explorer.seek(2)
    step, back = _bar(explorer)
    step.click()  # to iteration 3: fails on purpose
    error = explorer.app.error
    assert "deliberate failure" in error.value
    back.click()  # the page still works, and the message goes away
    assert "deliberate failure" not in error.value
    assert explorer.k in (1, 2)  # the shared bar had moved to 3 before drawing failed
    assert f"Iteration {explorer.k} of 200" in explorer.readout.value


def test_explorer_link_opens_the_same_state(lab):
    """Settings changed on the page travel in its link and come back from it."""
    from stepper.pages.kit.state_url import read_state
    from stepper.pages.lesson1_explorer import Explorer

    explorer = Explorer(lab, read_state("lang=fr"))
    explorer.regularization.value = "lasso"
    explorer.algorithm.value = "nesterov"
    explorer.multiple.value = 2.0
    explorer.seed.value = 7
    explorer.seek(12)
    link = explorer.app.link.value
    query = link.split('href="?', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    state = read_state(query)
    assert (state.algorithm, state.penalty, state.seed, state.iteration, state.lang) == (
        "nesterov", "lasso", 7, 12, "fr")  # the language too: the link opens the same page
    again = Explorer(lab, state)
    again.app.wait()
    assert (again.algorithm.value, again.regularization.value, again.seed.value) == (
        "nesterov", "lasso", 7)
    assert again.multiple.value == pytest.approx(2.0, rel=1e-5)
    assert again.k == 12
    np.testing.assert_allclose(again.run.path.weights[12], explorer.run.path.weights[12],
                               rtol=1e-4)


def test_explorer_reports_an_unknown_penalty(lab):
    from stepper.pages.kit.state_url import read_state
    from stepper.pages.lesson1_explorer import Explorer

    explorer = Explorer(lab, read_state("penalty=group-lasso"))
    assert explorer.regularization.value == "none"
    assert "penalty=&#x27;group-lasso&#x27; ignored" in explorer.errors.widget.value


# -- index -------------------------------------------------------------------------------------
def test_index_links_and_spark_version():
    import pyspark

    from stepper.pages import index

    rows = index.lesson_rows()
    assert [r["file"] for r in rows] == ["00_spark_basics.ipynb", "01_gradient_methods.ipynb",
                                         "02_distributed_gd.ipynb", "03_iteration_cost.ipynb",
                                         "04_fewer_rounds.ipynb"]
    text = index.index_html()
    for row in rows:
        if row["present"]:
            assert f"href='{row['file']}'" in text  # relative: …/voila/render/<file>
    assert index.spark_version() == pyspark.__version__
    assert "4040" in index.spark_html() or "STEPPER_UI_PORT" in os.environ


def test_ui_port_from_the_page_address(monkeypatch):
    from stepper.pages.kit.environment import spark_ui_link, ui_port

    monkeypatch.setenv("QUERY_STRING", "present=1&ui_port=4050")
    assert ui_port() == 4050
    monkeypatch.setenv("QUERY_STRING", "ui_port=nonsense")
    monkeypatch.setenv("STEPPER_UI_PORT", "4060")
    assert ui_port() == 4060
    monkeypatch.setenv("SERVER_NAME", "workshop.example:8866")
    assert "http://workshop.example:4060/" in spark_ui_link(4060)


# -- lesson 0 on a real SparkContext -----------------------------------------------------------
@pytest.fixture(scope="module")
def churn(sc):
    from stepper.pages import lesson0_lab

    names, table = lesson0_lab.read_numpy()
    lines = lesson0_lab.read_lines(sc, lesson0_lab.churn_path())
    _, rows = lesson0_lab.drop_header(lines)
    return names, table, rows


@pytest.mark.spark
def test_laziness_counts_parsed_rows(sc, churn):
    from stepper.pages import lesson0_lab

    _, table, rows = churn
    jobs = lesson0_lab.jobs_run(sc)
    parsed = sc.accumulator(0)
    lesson0_lab.parse_points(rows, parsed)
    assert lesson0_lab.jobs_run(sc) == jobs and parsed.value == 0  # a transformation runs nothing
    v = lesson0_lab.laziness(sc, rows)
    n = table.shape[0]
    assert (v["rows"], v["before"], v["after_count"], v["after_second"], v["after_cache"]) == \
        (n, 0, n, 2 * n, 3 * n)
    assert lesson0_lab.jobs_run(sc) == jobs + 4
    v["points"].unpersist()


@pytest.mark.spark
def test_share_filter_and_standardization_match_numpy(sc, churn):
    from stepper.pages import lesson0_lab

    _, table, rows = churn
    points = lesson0_lab.parse_points(rows, sc.accumulator(0)).cache()
    share = lesson0_lab.churn_share(points)
    assert share["rows"] == table.shape[0]
    assert share["churners"] == int(np.sum(table[:, 1] == 1))
    recent = lesson0_lab.recency_filter(points, 30)
    keep = table[:, 2 + 8] > 30
    assert recent == {"clients": int(keep.sum()), "churners": int(table[keep, 1].sum())}
    assert lesson0_lab.recency_filter(points, 10**9) == {"clients": 0, "churners": 0}
    mean, std = lesson0_lab.mean_and_std(points)
    assert np.allclose(mean, table[:, 2:].mean(axis=0), rtol=1e-12)
    assert np.allclose(std, table[:, 2:].std(axis=0), rtol=1e-10)
    scaled = lesson0_lab.standardize(points, mean, std)
    first = scaled.first()
    assert first[1][0] == 1.0 and np.allclose(first[1][1:], (table[0, 2:] - mean) / std)
    train, test = lesson0_lab.split(scaled, 0.7, 42)
    a = lesson0_lab.split_counts(train, test)
    b = lesson0_lab.split_counts(*lesson0_lab.split(scaled, 0.7, 42))
    assert a == b  # same seed, same split
    assert a["train"]["rows"] + a["test"]["rows"] == table.shape[0]
    assert 0.65 < a["train"]["rows"] / table.shape[0] < 0.75
    points.unpersist()
