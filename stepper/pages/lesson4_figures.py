"""Lesson 4's figures, drawn from the plain dicts of :mod:`stepper.pages.lesson4_lab` (so a
room's follower draws the instructor's results the same way) and returned as PNG bytes.

* :func:`rounds_png`: J − J* against communication rounds (and against bytes), one curve per
  method;
* :func:`local_sgd_png`, :func:`admm_png`: the sweeps;
* :func:`losses_png`: the 0-1, hinge, logistic and squared losses against the margin;
* :func:`four_curves_png`: the workshop's final figure on churn;
* :func:`paths_png`: GD's and L-BFGS's paths on the 2-D contour.
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from stepper.pages.catalog import method_label
from stepper.pages.i18n import text
from stepper.pages.kit.figures import localize_ticks

COLORS = {"gd": "#1f77b4", "nesterov": "#ff7f0e", "newton": "#2ca02c", "lbfgs": "#d62728",
          "local_sgd": "#9467bd", "admm": "#8c564b", "momentum": "#ff7f0e",
          "minibatch": "#7f7f7f", "minibatch_momentum": "#17becf"}


def label_of(name: str) -> str:
    if name == "minibatch_momentum":
        return text("lesson4.minibatch_momentum")
    return method_label(name)


def _png(figure: Figure) -> bytes:
    localize_ticks(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90)
    return buffer.getvalue()


def _positive(values: list[float], floor: float = 1e-16) -> np.ndarray:
    return np.maximum(np.asarray(values, dtype=float), floor)


def rounds_png(result: dict[str, Any]) -> bytes:
    """Left: J − J* against rounds; right: against bytes moved (log-log)."""
    figure = Figure(figsize=(11.0, 4.0), layout="constrained")
    by_rounds, by_bytes = figure.subplots(1, 2)
    for name, curve in result["curves"].items():
        gaps = _positive(curve["gaps"])
        style = {"color": COLORS.get(name), "label": label_of(name), "marker": ".", "ms": 4}
        by_rounds.plot(curve["rounds"], gaps, **style)
        by_bytes.plot(curve["bytes"], gaps, **style)
    for ax, xlabel in ((by_rounds, text("lesson4.axis.rounds")),
                       (by_bytes, text("lesson4.axis.bytes"))):
        ax.set_yscale("log")
        ax.set_xlabel(xlabel)
        ax.set_ylabel("J − J*")
        ax.axhline(result.get("tolerance", 1e-6), color="#999999", lw=0.8, ls="--")
        ax.grid(alpha=0.3, which="both")
    by_rounds.xaxis.set_major_locator(MaxNLocator(integer=True))
    by_rounds.legend(fontsize=9)
    by_rounds.set_title(text("lesson4.figure.rounds"))
    by_bytes.set_title(text("lesson4.figure.bytes"))
    return _png(figure)


def paths_png(contour: Any, paths: dict[str, Any]) -> bytes:
    """GD's and L-BFGS's iterates on a :class:`~stepper.pages.kit.figures.ContourFigure`
    (its static contour is drawn once; the two paths over it)."""
    i, j = contour.axes_index
    ax = contour.ax
    lines = []
    for name, style in (("gd", "-o"), ("lbfgs", "-s")):
        W = np.asarray(paths[name]["weights"])
        line, = ax.plot(W[:, i], W[:, j], style, color=COLORS[name], lw=2, ms=4,
                        label=f"{label_of(name)} ({len(W) - 1})")
        lines.append(line)
    legend = ax.legend(loc="upper right", fontsize=10)
    try:
        return _png(contour.figure)
    finally:
        for line in lines:
            line.remove()
        legend.remove()


def local_sgd_png(result: dict[str, Any]) -> bytes:
    figure = Figure(figsize=(11.0, 3.8), layout="constrained")
    axes = figure.subplots(1, 2, sharey=True)
    for ax, split in zip(axes, ("iid", "non_iid"), strict=True):
        for run in result["runs"]:
            if run["split"] == split:
                ax.plot(run["rounds"], _positive(run["gaps"]), marker=".", ms=4,
                        label=f"H = {run['H']}")
        ax.set_yscale("log")
        ax.set_xlabel(text("lesson4.axis.rounds"))
        ax.set_title(text(f"lesson4.split.{split}"))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3, which="both")
        ax.legend(fontsize=9)
    axes[0].set_ylabel("J − J*")
    return _png(figure)


def admm_png(result: dict[str, Any]) -> bytes:
    figure = Figure(figsize=(11.0, 3.8), layout="constrained")
    gaps, residuals = figure.subplots(1, 2)
    for run in result["runs"]:
        label = f"ρ = {run['rho']:g}"
        line, = gaps.plot(range(len(run["gaps"])), _positive(run["gaps"]), marker=".", ms=4,
                          label=label)
        k = range(1, len(run["primal"]) + 1)
        residuals.plot(k, _positive(run["primal"]), color=line.get_color(), label=label + " r")
        residuals.plot(k, _positive(run["dual"]), color=line.get_color(), ls="--",
                       label=label + " s")
    gaps.set_ylabel("J(z) − J*")
    residuals.set_ylabel(text("lesson4.axis.residuals"))
    for ax in (gaps, residuals):
        ax.set_yscale("log")
        ax.set_xlabel(text("lesson4.axis.rounds"))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3, which="both")
        ax.legend(fontsize=8)
    return _png(figure)


def loss_values(margin: np.ndarray) -> dict[str, np.ndarray]:
    """The four losses of a margin m = y·wᵀx: 0-1 (1 if m ≤ 0), hinge max(0, 1 − m), logistic
    log(1 + e⁻ᵐ) (divided by log 2 here so that it passes through (0, 1) like the others),
    squares (1 − m)² (= (y − wᵀx)² for labels ±1)."""
    return {"zero_one": (margin <= 0).astype(float),
            "hinge": np.maximum(0.0, 1.0 - margin),
            "logistic": np.logaddexp(0.0, -margin) / np.log(2.0),
            "squares": (1.0 - margin) ** 2}


def losses_png() -> bytes:
    margin = np.linspace(-2.0, 3.0, 501)
    figure = Figure(figsize=(6.4, 3.8), layout="constrained")
    ax = figure.add_subplot()
    for name, values in loss_values(margin).items():
        ax.plot(margin, values, lw=2.2, label=text(f"lesson4.loss.{name}"))
    ax.set_ylim(-0.1, 4.0)
    ax.set_xlabel(text("lesson4.axis.margin"))
    ax.set_ylabel("ℓ")
    ax.axvline(0, color="#999999", lw=0.8)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=9)
    return _png(figure)


def four_curves_png(result: dict[str, Any]) -> bytes:
    figure = Figure(figsize=(7.5, 3.8), layout="constrained")
    ax = figure.add_subplot()
    for name, values in result["curves"].items():
        ax.plot(range(len(values)), values, marker=".", ms=4, color=COLORS.get(name),
                label=label_of(name))
    ax.set_yscale("log")
    ax.set_xlabel(text("lesson4.axis.iterations"))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("J(w_k)")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=9)
    return _png(figure)
