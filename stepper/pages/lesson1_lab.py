"""Lesson 1: gradient methods on one machine (the workshop's Lab 1), numpy only, no Spark.

The 2-D data (``data/logistic2d_*.csv``, rows ``label,x1,x2``) is read with numpy, standardized
with the training set's means and deviations, and given an intercept column, so the weights are
w = (b, w₁, w₂). Every run is :func:`stepper.local.run_local`, the same update rules the
distributed engine applies.

Regularizations follow the workshop: ridge λ₂ = 0.005, lasso λ₁ = 0.01 through the smooth
pseudo-Huber approximation λ₁ Σ (√(1 + wᵢ²) − 1) (so Newton applies to every problem), elastic
net both; the intercept is not penalized.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from html import escape

import numpy as np

from stepper.algorithms import Settings, resolve
from stepper.local import LocalPath, lipschitz_step, run_local
from stepper.pages.catalog import method_label
from stepper.pages.i18n import text
from stepper.pages.kit.data import Data2D, load_2d, optimum_and_value
from stepper.pages.kit.figures import big_fonts, new_figure, png
from stepper.pages.kit.metrics import accuracy, confusion_matrix, predict
from stepper.pages.kit.widgets import table_html
from stepper.problems import Problem

REGULARIZATIONS: dict[str, Problem] = {
    "none": Problem(),
    "ridge": Problem(l2=0.005),
    "lasso": Problem(l1=0.01, l1_mode="smooth"),
    "elastic net": Problem(l1=0.01, l2=0.005, l1_mode="smooth"),
}
class _Labels(Mapping):
    """Labels by key, looked up in the page's language when read (``label(key)``)."""

    def __init__(self, keys: tuple[str, ...], label: Callable[[str], str]) -> None:
        self._keys, self._label = keys, label

    def __getitem__(self, key: str) -> str:
        if key not in self._keys:
            raise KeyError(key)
        return self._label(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


REGULARIZATION_LABELS: Mapping[str, str] = _Labels(tuple(REGULARIZATIONS),
                                                   lambda key: text(f"lesson1.penalty.{key}"))
def takes_full_step(algorithm: str) -> bool:
    """Whether a method's own step is a number (Newton's full step 1), not the 1/L rule."""
    return not isinstance(resolve(algorithm).default_lr, str)


LESSON_METHODS = ("gd", "momentum", "nesterov", "sgd", "minibatch", "newton")
"""The methods lesson 1 compares on one machine, with the settings the lesson uses."""
LESSON_SETTINGS = {"momentum": " (μ = 0.9)", "nesterov": " (μ = 0.9)", "sgd": "lesson1.setting.sgd",
                   "minibatch": "lesson1.setting.minibatch"}


def _algorithm_label(name: str) -> str:
    suffix = LESSON_SETTINGS.get(name, "")
    return method_label(name) + (text(suffix) if suffix.startswith("lesson1.") else suffix)


ALGORITHM_LABELS: Mapping[str, str] = _Labels(LESSON_METHODS, _algorithm_label)
MINIBATCH_FRACTION = 0.01  # ≈ 10 of the 1000 training rows, as in the workshop
STEPS = 200
NEWTON_STEPS = 12
GAP_FLOOR = 1e-16


def numeric_gradient(f, w: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Central finite differences of a scalar function (to check an oracle)."""
    g = np.zeros_like(w)
    for i in range(w.size):
        e = np.zeros_like(w)
        e[i] = h
        g[i] = (f(w + e) - f(w - e)) / (2 * h)
    return g


def hessian(problem: Problem, X: np.ndarray, y: np.ndarray, w: np.ndarray,
            mask: np.ndarray) -> np.ndarray:
    """∇²J(w): the data term's Hessian over n plus the regularizer's diagonal."""
    sums = problem.block_sums(X, y, w, hessian=True)
    return sums.hessian / X.shape[0] + np.diag(problem.regularizer_hessian_diagonal(w, mask))


@dataclass(frozen=True)
class Run:
    """One optimizer run: the path, J − J* per iterate, the step size and a verdict."""

    algorithm: str
    regularization: str
    multiple: float
    step_size: float
    path: LocalPath
    gap: np.ndarray
    verdict: str
    kind: str  # "ok", "slow", "unstable", "diverged"
    steps: int


class Lab1:
    """The data, the four problems with their optima, and runs (cached per problem)."""

    def __init__(self, data: Data2D | None = None) -> None:
        self.data = data or load_2d()
        self._optima: dict[str, tuple[np.ndarray, float]] = {}

    def problem(self, regularization: str) -> Problem:
        if regularization not in REGULARIZATIONS:
            raise KeyError(f"unknown regularization {regularization!r}: "
                           f"one of {', '.join(REGULARIZATIONS)}")
        return REGULARIZATIONS[regularization]

    def objective(self, regularization: str, w: np.ndarray) -> float:
        d = self.data
        return self.problem(regularization).objective(d.X, d.y, w, d.mask)

    def gradient(self, regularization: str, w: np.ndarray) -> np.ndarray:
        d = self.data
        return self.problem(regularization).gradient(d.X, d.y, w, d.mask)

    def hessian(self, regularization: str, w: np.ndarray) -> np.ndarray:
        d = self.data
        return hessian(self.problem(regularization), d.X, d.y, w, d.mask)

    def optimum(self, regularization: str) -> tuple[np.ndarray, float]:
        """w* and J* by Newton's method (30 full steps; the gradient norm ends near 1e-15)."""
        if regularization not in self._optima:
            self._optima[regularization] = optimum_and_value(self.problem(regularization),
                                                             self.data.X, self.data.y, steps=30)
        return self._optima[regularization]

    def safe_step(self, regularization: str) -> float:
        """1/L with L = ¼·maxᵢ‖xᵢ‖² + λ₂ (+ λ₁ for the smooth L1)."""
        return lipschitz_step(self.problem(regularization), self.data.X)

    def run(self, algorithm: str = "gd", regularization: str = "none", multiple: float = 1.0,
            steps: int | None = None, seed: int = 0, momentum: float | None = None) -> Run:
        """``steps`` iterations from the random start of ``seed``, step η = multiple × 1/L
        (Newton: η = multiple, capped at 1). Never raises on divergence: the path stops at
        the last finite iterate and the verdict says so."""
        d = self.data
        problem = self.problem(regularization)
        if takes_full_step(algorithm):
            step = min(float(multiple), 1.0)
            steps = NEWTON_STEPS if steps is None else steps
        else:
            step = float(multiple) * self.safe_step(regularization)
            steps = STEPS if steps is None else steps
        settings = Settings(algorithm=algorithm, lr=step, momentum=momentum, init="random",
                            seed=seed, batch_fraction=MINIBATCH_FRACTION)
        with np.errstate(over="ignore", invalid="ignore"):
            path = run_local(problem, settings, d.X, d.y, steps, intercept=True,
                             stop_on_divergence=False)
        _, j_star = self.optimum(regularization)
        gap = np.maximum(path.objective - j_star, GAP_FLOOR)
        kind, verdict = judge(path, gap, steps)
        return Run(algorithm, regularization, float(multiple), step, path, gap, verdict, kind,
                   steps)

    def scores(self, w: np.ndarray) -> dict:
        """Accuracy on the training and test sets, and the test confusion matrix."""
        d = self.data
        predicted = predict(d.X_test, w)
        return {
            "train_accuracy": accuracy(d.y, predict(d.X, w)),
            "test_accuracy": accuracy(d.y_test, predicted),
            "confusion": confusion_matrix(d.y_test, predicted),
        }


def judge(path: LocalPath, gap: np.ndarray, steps: int) -> tuple[str, str]:
    """Classify a run: diverged (non-finite), unstable (J went above its start), slow, ok."""
    done = len(path.weights) - 1
    J = path.objective
    if done < steps or not np.all(np.isfinite(J)):
        return "diverged", text("lesson1.verdict.diverged", iteration=done + 1)
    if np.max(J) > J[0] * 1.05:
        return "unstable", text("lesson1.verdict.unstable", top=np.max(J), first=J[0])
    if gap[-1] > 1e-2 * gap[0]:
        return "slow", text("lesson1.verdict.slow", done=done, gap=gap[-1],
                            left=100 * gap[-1] / gap[0])
    return "ok", text("lesson1.verdict.ok", gap=gap[-1], done=done)


# -- static content ----------------------------------------------------------------------------


def data_figure(lab: Lab1) -> bytes:
    with big_fonts():
        return _data_figure(lab)


def _data_figure(lab: Lab1) -> bytes:
    """The raw training data with the rule that generated it, 2 + 3·x1 − x2 = 0."""
    d = lab.data
    fig = new_figure(7.5, 5.0)
    ax = fig.add_subplot()
    pos = d.y > 0
    ax.scatter(d.raw[pos, 0], d.raw[pos, 1], s=14, c="#1f77b4", alpha=0.6,
               label=text("lesson1.figure.label", sign="+1"))
    ax.scatter(d.raw[~pos, 0], d.raw[~pos, 1], s=14, c="#ff7f0e", alpha=0.6,
               label=text("lesson1.figure.label", sign="−1"))
    xs = np.linspace(d.raw[:, 0].min(), d.raw[:, 0].max(), 2)
    ax.plot(xs, 2 + 3 * xs, color="black", lw=2.5, ls="--", label="2 + 3·x1 − x2 = 0")
    ax.set_ylim(d.raw[:, 1].min() - 1, d.raw[:, 1].max() + 1)
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    ax.set_title(text("lesson1.figure.data", rows=len(d.y), positives=int(pos.sum())))
    ax.legend(loc="upper left", markerscale=1.5)
    ax.grid(alpha=0.3)
    return png(fig)


def fmt(values: np.ndarray, digits: int = 4) -> str:
    return "(" + ", ".join(f"{v:.{digits}f}" for v in np.asarray(values, dtype=float)) + ")"


def oracles_html(lab: Lab1, regularization: str = "none") -> str:
    """The three oracles at w = 0 and w*, checked against finite differences; the Hessian's
    spectrum and condition number; the bound L against the true curvature."""
    d = lab.data
    w0 = np.zeros(d.X.shape[1])
    w_star, j_star = lab.optimum(regularization)
    rng = np.random.default_rng(1)
    w_test = np.asarray(rng.standard_normal(d.X.shape[1]))
    g_num = numeric_gradient(lambda w: lab.objective(regularization, w), w_test)
    g = lab.gradient(regularization, w_test)
    H_num = np.array([numeric_gradient(lambda w, i=i: lab.gradient(regularization, w)[i], w_test)
                      for i in range(w_test.size)])
    H = lab.hessian(regularization, w_test)
    eig0 = np.linalg.eigvalsh(lab.hessian(regularization, w0))
    eig_star = np.linalg.eigvalsh(lab.hessian(regularization, w_star))
    L = 1.0 / lab.safe_step(regularization)
    rows = [
        ["J(0)", f"{lab.objective(regularization, w0):.6f}", text("lesson1.oracles.j0")],
        ["∇J(0)", fmt(lab.gradient(regularization, w0)), text("lesson1.oracles.grad0")],
        ["w*", fmt(w_star), text("lesson1.oracles.newton")],
        ["J(w*)", f"{j_star:.6f}",
         f"‖∇J(w*)‖ = {np.linalg.norm(lab.gradient(regularization, w_star)):.1e}"],
        [text("lesson1.oracles.fd_gradient"),
         f"{np.max(np.abs(g - g_num)):.1e}", text("lesson1.oracles.fd")],
        [text("lesson1.oracles.fd_hessian"),
         f"{np.max(np.abs(H - H_num)):.1e}", text("lesson1.oracles.fd")],
        [text("lesson1.oracles.eigen", at="0"), fmt(eig0),
         text("lesson1.oracles.condition", kappa=eig0[-1] / eig0[0])],
        [text("lesson1.oracles.eigen", at="w*"), fmt(eig_star, 5),
         text("lesson1.oracles.condition", kappa=eig_star[-1] / eig_star[0])],
        ["L = ¼·maxᵢ‖xᵢ‖²", f"{L:.3f}",
         text("lesson1.oracles.bound", step=1 / L, ratio=L / eig0[-1])],
    ]
    return table_html([text(f"lesson1.oracles.{k}") for k in ("quantity", "value", "says")],
                      rows, caption=text("lesson1.oracles.caption")
                      if regularization == "none" else f"({REGULARIZATION_LABELS[regularization]})")


def newton_html(lab: Lab1, regularization: str = "none", steps: int = 8) -> str:
    """Newton from w = 0: J and ‖∇J‖ per iteration (the digits double once close)."""
    d = lab.data
    path = run_local(lab.problem(regularization), Settings(algorithm="newton", lr=1.0), d.X, d.y,
                     steps, intercept=True)
    _, j_star = lab.optimum(regularization)
    rows = [[str(k), f"{path.objective[k]:.10f}", f"{max(path.objective[k] - j_star, 0):.2e}",
             f"{path.grad_norm[k]:.2e}"] for k in range(len(path.objective))]
    return table_html(["k", "J(w_k)", "J(w_k) − J*", "‖∇J(w_k)‖"], rows,
                      caption=text("lesson1.newton.caption"))


def learning_rate_runs(lab: Lab1) -> list[tuple[str, Run]]:
    """Gradient descent from the same start with four step sizes: 0.1/L, the safe 1/L, the
    spectral 1/L_spec (L_spec = λmax(∇²J(0)), the exact global Lipschitz constant of the
    logistic loss's gradient: just as safe) and 1000/L."""
    eig0 = np.linalg.eigvalsh(lab.hessian("none", np.zeros(lab.data.X.shape[1])))[-1]
    ratio = 1.0 / eig0 / lab.safe_step("none")
    return [
        (text("lesson1.lr.small"), lab.run("gd", "none", 0.1)),
        (text("lesson1.lr.safe"), lab.run("gd", "none", 1.0)),
        (text("lesson1.lr.spectral", ratio=ratio), lab.run("gd", "none", ratio)),
        (text("lesson1.lr.large"), lab.run("gd", "none", 1000.0)),
    ]


STYLE = {
    "gd": ("#1f77b4", "-"), "momentum": ("#2ca02c", "-"), "nesterov": ("#9467bd", "-"),
    "sgd": ("#ff7f0e", "-"), "minibatch": ("#8c564b", "-"), "newton": ("#d62728", "-"),
    "sgd+momentum": ("#ff7f0e", "--"), "minibatch+momentum": ("#8c564b", "--"),
}


def learning_rate_figure(lab: Lab1) -> bytes:
    with big_fonts():
        return _learning_rate_figure(lab)


def _learning_rate_figure(lab: Lab1) -> bytes:
    """Left: J over the first 30 iterations (overshoot visible); right: J − J* in log scale."""
    fig = new_figure(13.0, 5.0)
    left, right = fig.subplots(1, 2)
    colours = ["#9aa5b1", "#1f77b4", "#2ca02c", "#d62728"]
    for (label, run), colour in zip(learning_rate_runs(lab), colours, strict=True):
        k = np.arange(len(run.path.objective))
        left.plot(k[:31], run.path.objective[:31], color=colour, lw=2.5, label=label)
        right.semilogy(k, run.gap, color=colour, lw=2.5, label=label)
    left.set_yscale("log")
    left.set_title(text("lesson1.figure.first30"))
    left.set_xlabel(text("lesson1.figure.iteration"))
    left.set_ylabel("J(w) (log)")
    right.set_title(text("lesson1.figure.gap200"))
    right.set_xlabel(text("lesson1.figure.iteration"))
    right.set_ylabel(text("lesson1.figure.gap_log"))
    right.legend(loc="lower left", fontsize=12)
    for ax in (left, right):
        ax.grid(alpha=0.3, which="both")
    return png(fig)


def comparison_runs(lab: Lab1, regularization: str = "none",
                    seed: int = 0) -> list[tuple[str, str, Run]]:
    """Every method from the same random start, 200 iterations (Newton: 12), step 1/L."""
    runs = [(ALGORITHM_LABELS[a], a, lab.run(a, regularization, 1.0, seed=seed))
            for a in ("gd", "momentum", "nesterov", "sgd", "minibatch")]
    runs.insert(3, (method_label("newton"), "newton",
                    lab.run("newton", regularization, 1.0, seed=seed)))
    runs.append((text("lesson1.label.sgd_momentum"), "sgd+momentum",
                 lab.run("sgd", regularization, 1.0, seed=seed, momentum=0.9)))
    runs.append((text("lesson1.label.minibatch_momentum"), "minibatch+momentum",
                 lab.run("minibatch", regularization, 1.0, seed=seed, momentum=0.9)))
    return [(label, key, run) for label, key, run in runs]


def comparison_figure(lab: Lab1, regularization: str = "none", seed: int = 0) -> bytes:
    with big_fonts():
        return _comparison_figure(lab, regularization, seed)


def _comparison_figure(lab: Lab1, regularization: str, seed: int) -> bytes:
    """J(w_k) − J* against k for every method (log scale)."""
    fig = new_figure(12.0, 5.6)
    ax = fig.add_subplot()
    for label, key, run in comparison_runs(lab, regularization, seed):
        colour, style = STYLE[key]
        ax.semilogy(np.arange(len(run.gap)), run.gap, color=colour, ls=style, lw=2.5,
                    label=label, marker="o" if key == "newton" else None, ms=5)
    ax.set_xlabel(text("lesson1.figure.iteration"))
    ax.set_ylabel(text("lesson1.figure.gap_log"))
    ax.set_title(text("lesson1.figure.all_methods",
                      penalty=REGULARIZATION_LABELS[regularization]))
    ax.set_ylim(1e-12, None)
    ax.grid(alpha=0.3, which="both")
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5))
    return png(fig)


def regularization_html(lab: Lab1) -> str:
    """w*, ‖w*‖, J* and accuracies for each regularization (optimum by Newton)."""
    rows = []
    for key in REGULARIZATIONS:
        w, j = lab.optimum(key)
        s = lab.scores(w)
        rows.append([escape(REGULARIZATION_LABELS[key]), fmt(w, 3),
                     f"{np.linalg.norm(w[1:]):.3f}", f"{j:.4f}",
                     f"{100 * s['train_accuracy']:.1f} %", f"{100 * s['test_accuracy']:.1f} %"])
    return table_html([text("lesson1.regularization.penalty"), "w* = (b, w₁, w₂)", "‖(w₁, w₂)‖",
                       "J(w*)", text("lesson1.regularization.train"),
                       text("lesson1.regularization.test")], rows,
                      caption=text("lesson1.regularization.caption"))


def lasso_html(lab: Lab1) -> str:
    """The smooth pseudo-Huber lasso (Newton) against the exact L1 (proximal gradient) on this
    data for growing λ₁: only the exact one gives zeros (:func:`stepper.pages.facts.
    lasso_weights`)."""
    from stepper.pages.facts import lasso_weights
    from stepper.pages.kit.widgets import table_html

    def weights(w: np.ndarray) -> str:
        return "(" + ", ".join("<b>0</b>" if v == 0.0 else f"{v:.4f}" for v in w[1:]) + ")"

    rows = [[f"{l1:g}", weights(smooth), weights(exact)]
            for l1, smooth, exact in lasso_weights(lab.data.X, lab.data.y)]
    return table_html([text("lesson1.lasso.lambda"), text("lesson1.lasso.smooth"),
                       text("lesson1.lasso.prox")], rows, caption=text("lesson1.lasso.caption"))


def gradient_seconds(lab: Lab1, rows: int | None, hessian: bool = False,
                     repeats: int = 200) -> float:
    """Median seconds for one gradient (and Hessian) on ``rows`` rows (None: all)."""
    d = lab.data
    problem = lab.problem("none")
    w = np.zeros(d.X.shape[1])
    X, y = (d.X, d.y) if rows is None else (d.X[:rows], d.y[:rows])
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        problem.block_sums(X, y, w, hessian)
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def tradeoff_html(lab: Lab1) -> str:
    """The workshop's conclusion table, with this machine's measurements next to the theory."""
    d = lab.data
    n, dim = d.X.shape
    runs = {key: run for _label, key, run in comparison_runs(lab)}
    m = round(MINIBATCH_FRACTION * n)
    def t(key: str, **values: int | str) -> str:
        return text(f"lesson1.tradeoff.{key}", None, **values)

    rows = [
        [t("newton"), t("reached", gap=f"{runs['newton'].gap[-1]:.0e}",
                        steps=runs["newton"].steps),
         "O(n·d² + d³)", f"{1e6 * gradient_seconds(lab, None, True):.0f} µs",
         t("memory.hessian"), t("no")],
        [t("batch"), t("reached.nesterov", gap=f"{runs['nesterov'].gap[-1]:.0e}", steps=200),
         "O(n·d)", f"{1e6 * gradient_seconds(lab, None):.0f} µs", t("memory.all"), t("no")],
        [t("sgd"), t("reached.noisy", gap=f"{runs['sgd'].gap[-1]:.0e}", steps=200), "O(d)",
         f"{1e6 * gradient_seconds(lab, 1):.0f} µs", t("memory.one"), t("yes")],
        [t("minibatch", m=m), t("reached.noisy", gap=f"{runs['minibatch'].gap[-1]:.0e}",
                                steps=200), "O(m·d)",
         f"{1e6 * gradient_seconds(lab, m):.0f} µs", t("memory.m"), t("yes")],
    ]
    return table_html([t("method"), t("precision"), t("time"), t("measured", n=n, d=dim),
                       t("memory"), t("online")], rows, caption=t("caption"))
