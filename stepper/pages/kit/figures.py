"""Matplotlib figures rendered to PNG bytes, cheaply enough to redraw on every click.

Each figure draws its static part once (axes, ticks, contours, data points), keeps that picture
(``copy_from_bbox``), and for each update restores it and draws only the moving artists
(``draw_artist``), then encodes PNG with fast compression (Pillow, ``compress_level=1``): about
15–30 ms per update instead of 60–250 ms for a full draw. Axis limits are fixed; they change
(and the static part is redrawn) only when a value leaves them.

Not thread-safe: one figure is drawn by one thread at a time (the player holds a lock).
"""

from __future__ import annotations

import contextlib
import io
import threading
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch
from matplotlib.ticker import ScalarFormatter
from PIL import Image

from stepper.pages.i18n import localized
from stepper.pages.i18n import text as words
from stepper.problems import Problem

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

FONT: dict[RcKeyType, Any] = {
    "font.size": 13, "axes.titlesize": 15, "axes.labelsize": 14, "xtick.labelsize": 12,
    "ytick.labelsize": 12, "legend.fontsize": 12, "axes.titleweight": "bold"}
COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
          "#7f7f7f", "#bcbd22", "#17becf"]


def partition_color(p: int) -> str:
    """The colour of partition p, the same in every view."""
    return COLORS[p % len(COLORS)]


def new_figure(width: float, height: float, dpi: int = 100) -> Figure:
    """A figure with the lessons' (large) fonts, drawn by the Agg canvas."""
    with matplotlib.rc_context(FONT):
        figure = Figure(figsize=(width, height), dpi=dpi, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


FIGURE_LOCK = threading.RLock()


@contextlib.contextmanager
def big_fonts() -> Iterator[None]:
    """The lessons' large fonts (:data:`FONT`) for figures built or drawn inside. Holds one
    lock: matplotlib's settings are global, and the page's sections are drawn on a background
    thread while callbacks draw on the kernel's thread."""
    with FIGURE_LOCK, matplotlib.rc_context(FONT):
        yield


class DecimalMarkFormatter(ScalarFormatter):
    """Matplotlib's plain tick labels, written with the page's decimal mark (``0,5`` in
    French)."""

    def __call__(self, x: float, pos: int | None = None) -> str:
        return localized(super().__call__(x, pos))

    def get_offset(self) -> str:
        return localized(super().get_offset())


def localize_ticks(figure: Figure) -> None:
    """Give every axis of ``figure`` that uses plain number labels the page's decimal mark
    (log-scale labels, powers of ten, have none)."""
    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            formatter = axis.get_major_formatter()
            if type(formatter) is ScalarFormatter:
                axis.set_major_formatter(DecimalMarkFormatter())


def png(figure: Figure) -> bytes:
    """PNG bytes of a whole figure: one draw (the layout is constrained), fast compression."""
    localize_ticks(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


class BlitFigure:
    """A figure whose static part is drawn once; :meth:`render` draws the moving artists."""

    def __init__(self, width: float = 6.4, height: float = 4.6, dpi: int = 100) -> None:
        self.figure = new_figure(width, height, dpi)
        canvas = self.figure.canvas
        assert isinstance(canvas, FigureCanvasAgg)  # new_figure draws with Agg
        self.canvas = canvas
        self._background = None

    def invalidate(self) -> None:
        """Forget the static picture (after limits or static artists change); the next draw
        lays the figure out again (tick labels may have changed width)."""
        self._background = None
        self.figure.set_layout_engine("constrained")

    def _draw_static(self) -> None:
        localize_ticks(self.figure)
        with matplotlib.rc_context(FONT):
            self.canvas.draw()
            self.figure.set_layout_engine("none")  # keep the layout fixed from now on
        self._background = self.canvas.copy_from_bbox(self.figure.bbox)

    def render(self, artists: Sequence) -> bytes:
        """PNG bytes of the static picture with ``artists`` (animated ones) drawn on top."""
        if self._background is None:
            self._draw_static()
        self.canvas.restore_region(self._background)
        for artist in artists:
            artist.axes.draw_artist(artist) if artist.axes is not None else None
        width, height = self.canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw",
                                 "RGBA", 0, 1)
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, "PNG", compress_level=1)
        return buffer.getvalue()


def _widen(low: float, high: float, margin: float = 0.08) -> tuple[float, float]:
    span = max(high - low, 1e-9)
    return low - margin * span, high + margin * span


class LossFigure(BlitFigure):
    """A value per iteration k, all recorded iterations, with a cursor at the current one: the
    loss J(w_k) of a live run (the limits grow as iterations are recorded), or, with
    ``log=True`` and :meth:`set_whole`, the gap J(w_k) − J* of a whole run known in advance
    (lesson 1's explorer: the limits fit that run)."""

    def __init__(self, title: str | None = None, *, ylabel: str | None = "J(w)",
                 name: str = "J", log: bool = False, **kw) -> None:
        super().__init__(**kw)
        self.name, self.log = name, log
        self.ax = self.figure.add_subplot()
        self.ax.set_title(words("figure.loss.title") if title is None else title)
        self.ax.set_xlabel(words("figure.iteration"))
        if ylabel:
            self.ax.set_ylabel(ylabel)
        if log:
            self.ax.set_yscale("log")
        self.ax.grid(alpha=0.3, which="both" if log else "major")
        self.future, = self.ax.plot([], [], color="#9aa5b1", lw=2, animated=True)
        self.past, = self.ax.plot([], [], color="#1f77b4", lw=2.5, animated=True)
        self.cursor = self.ax.axvline(0, color="#d62728", lw=2, animated=True)
        self.dot, = self.ax.plot([], [], "o", color="#d62728", ms=9, animated=True)
        self.label = self.ax.text(0.98, 0.95, "", transform=self.ax.transAxes, ha="right",
                                  va="top", fontsize=14, animated=True,
                                  bbox={"fc": "white", "ec": "#cccccc", "alpha": 0.9})
        self._limits = (0.0, 10.0, 1e-3, 1.0) if log else (0.0, 10.0, 0.0, 1.0)
        self._fitted = False
        self._whole = False
        self.ax.set_xlim(0, 10)
        self.ax.set_ylim(*self._limits[2:])

    def _span(self, finite: np.ndarray) -> tuple[float, float]:
        """Vertical limits around ``finite`` values (a factor 3 either side in log scale)."""
        if self.log:
            positive = finite[finite > 0]
            if not positive.size:
                return self._limits[2], self._limits[3]
            return max(float(positive.min()) / 3, 1e-16), float(positive.max()) * 3
        low, high = _widen(float(finite.min()), float(finite.max()))
        if high - low < 1e-6:
            low, high = low - 0.05 * max(abs(low), 1e-3), high + 0.05 * max(abs(high), 1e-3)
        return low, high

    def _set_limits(self, x_max: float, low: float, high: float) -> None:
        self._limits = (0.0, x_max, low, high)
        self.ax.set_xlim(0, x_max)
        self.ax.set_ylim(low, high)
        self.invalidate()

    def set_whole(self, whole: Sequence[float] | np.ndarray) -> None:
        """A whole run known in advance: the limits fit it and stay."""
        values = np.asarray(whole, dtype=float)
        finite = values[np.isfinite(values)]
        self._whole = True
        self._set_limits(max(len(values) - 1, 1), *(self._span(finite) if finite.size
                                                     else self._limits[2:]))

    def _fit(self, values: np.ndarray, count: int) -> None:
        if self._whole:
            return
        x_max = self._limits[1]
        finite = values[np.isfinite(values)]
        low, high = self._limits[2], self._limits[3]
        changed = False
        if count > x_max:
            x_max = max(10.0, 2.0 * count)
            changed = True
        if finite.size and (finite.min() < low or finite.max() > high or not self._fitted):
            low, high = self._span(finite)
            self._fitted = True
            changed = True
        if changed:
            self._set_limits(x_max, low, high)

    def show(self, objectives: Sequence[float] | np.ndarray, current: int,
             final: float | None = None) -> bytes:
        """``objectives[i]`` is the value at w_i for i = 0 … (all recorded); the cursor is at
        ``current``."""
        values = np.asarray(objectives, dtype=float)
        self._fit(values, len(values))
        k = np.arange(len(values))
        self.past.set_data(k[: current + 1], values[: current + 1])
        self.future.set_data(k[current:], values[current:])
        self.cursor.set_xdata([current, current])
        if current < len(values):
            self.dot.set_data([current], [values[current]])
            shown = f"{values[current]:.2e}" if self.log else f"{values[current]:.4f}"
            self.label.set_text(f"k = {current}   {self.name} = {localized(shown)}")
        else:
            self.dot.set_data([], [])
            self.label.set_text(f"k = {current}")
        return self.render([self.future, self.past, self.cursor, self.dot, self.label])


class ContourFigure(BlitFigure):
    """The loss over two weights (a slice through the others), the path, and the step's arrows.

    For the workshop's 2-D data the weights are (b, w₁, w₂): the contour is J(b*, w₁, w₂) with
    the intercept b held at its optimum b*. Per-partition arrows are each partition's share of
    the gradient step, −η·∇J_p/n, drawn tip to tail: the reduce adds them up.
    """

    def __init__(self, problem: Problem, X: np.ndarray, y: np.ndarray, w_star: np.ndarray,
                 axes: tuple[int, int] = (1, 2), mask: np.ndarray | None = None,
                 title: str | None = None, **kw) -> None:
        super().__init__(**kw)
        self.axes_index = axes
        self.w_star = np.asarray(w_star, dtype=float)
        i, j = axes
        centre_low = np.minimum(0.0, self.w_star[[i, j]])
        centre_high = np.maximum(0.0, self.w_star[[i, j]])
        span = np.maximum(centre_high - centre_low, 0.5)
        low, high = centre_low - 0.45 * span, centre_high + 0.45 * span
        gi = np.linspace(low[0], high[0], 70)
        gj = np.linspace(low[1], high[1], 70)
        A, B = np.meshgrid(gi, gj)
        W = np.repeat(self.w_star[None, :], A.size, axis=0)
        W[:, i], W[:, j] = A.ravel(), B.ravel()
        mask = np.ones(X.shape[1]) if mask is None else mask
        margins = y[:, None] * (X @ W.T) if problem.loss == "logistic" else None
        if margins is not None:
            Z = np.logaddexp(0.0, -margins).mean(axis=0)
            Z = Z + np.array([problem.regularizer_value(w, mask) for w in W])
        else:
            Z = np.array([problem.objective(X, y, w, mask) for w in W])
        Z = Z.reshape(A.shape)
        self.ax = self.figure.add_subplot()
        levels = np.quantile(Z, np.linspace(0.0, 1.0, 16) ** 2.2)
        self.ax.contourf(A, B, Z, levels=np.unique(levels), cmap="Blues_r", alpha=0.85)
        self.ax.contour(A, B, Z, levels=np.unique(levels), colors="white", linewidths=0.6)
        self.ax.plot(*self.w_star[[i, j]], marker="*", color="#ffbf00", ms=20, mec="black")
        self.ax.set_xlim(gi[0], gi[-1])
        self.ax.set_ylim(gj[0], gj[-1])
        self.ax.set_xlabel(f"w{i}")
        self.ax.set_ylabel(f"w{j}")
        self.ax.set_title(words("figure.contour.title") if title is None else title)
        self.span = float(min(gi[-1] - gi[0], gj[-1] - gj[0]))
        self.zoom_label = self.ax.text(0.02, 0.02, "", transform=self.ax.transAxes, fontsize=14,
                                       ha="left", va="bottom", animated=True,
                                       bbox={"fc": "white", "ec": "#cccccc", "alpha": 0.9})
        self.path, = self.ax.plot([], [], "-o", color="#222222", lw=1.8, ms=4, animated=True)
        self.current, = self.ax.plot([], [], "o", color="#d62728", ms=11, mec="white",
                                     mew=2, animated=True)
        self.arrows: list = []

    def _arrow(self, start, end, color, width=2.5, head=16):
        """An arrow drawn in the axes (their transform and clip, as ``add_patch`` sets) but not
        added to them: the limits are fixed, and updating the data limits for every arrow cost
        more than drawing it."""
        arrow = FancyArrowPatch(tuple(start), tuple(end), arrowstyle="-|>", mutation_scale=head,
                                color=color, lw=width, animated=True, shrinkA=0, shrinkB=0)
        arrow.set_figure(self.figure)
        arrow.axes = self.ax
        arrow.set_transform(self.ax.transData)
        arrow.set_clip_path(self.ax.patch)
        return arrow

    def magnification(self, step: np.ndarray) -> float:
        """A round factor (1, 2, 5, 10, 20, …) that makes a step of this length visible:
        about a quarter of the plot; never below 1."""
        i, j = self.axes_index
        length = float(np.hypot(*np.asarray(step, dtype=float)[[i, j]]))
        if not np.isfinite(length) or length <= 0 or length >= 0.2 * self.span:
            return 1.0
        wanted = 0.4 * self.span / length
        exponent = np.floor(np.log10(wanted))
        candidates = [base * 10**e for e in (exponent, exponent + 1) for base in (1.0, 2.0, 5.0)]
        return float(min(candidates, key=lambda c: abs(np.log(c / wanted))))

    def show(self, path: np.ndarray, current: int, shares: Sequence[np.ndarray] = (),
             move: tuple[np.ndarray, np.ndarray] | None = None,
             start: np.ndarray | None = None, magnify: float = 1.0) -> bytes:
        """``path``: weights w₀ … (rows), the dot at ``current``; ``shares``: per-partition step
        vectors (full length) drawn tip to tail from ``start`` (default ``move[0]``); ``move``:
        (w before, w after) of the step, drawn in red. Arrows are ``magnify`` times longer than
        the steps they show (said in the corner)."""
        i, j = self.axes_index
        self.arrows = []
        path = np.asarray(path, dtype=float)
        shown = path[: current + 1]
        self.path.set_data(shown[:, i], shown[:, j])
        self.current.set_data([shown[-1, i]], [shown[-1, j]])
        if start is None and move is not None:
            start = move[0]
        if start is not None:
            origin = np.asarray(start, dtype=float)[[i, j]]
            if move is not None:  # the driver's move first, under the partitions' arrows
                delta = np.asarray(move[1], dtype=float) - np.asarray(move[0], dtype=float)
                self.arrows.append(self._arrow(origin, origin + magnify * delta[[i, j]],
                                               "#d62728", 5.0, 22))
            point = origin
            for p, share in enumerate(shares):
                end = point + magnify * np.asarray(share, dtype=float)[[i, j]]
                self.arrows.append(self._arrow(point, end, partition_color(p), 2.5, 11))
                point = end
        text = (words("figure.contour.zoom", factor=f"{magnify:g}")
                if magnify > 1 and self.arrows else "")
        self.zoom_label.set_text(text)
        artists = [self.path, self.current, *self.arrows]  # arrows over the dot
        if text:
            artists.append(self.zoom_label)
        return self.render(artists)


class BoundaryFigure(BlitFigure):
    """The 2-D data (standardized) and the decision boundary b + w₁x₁ + w₂x₂ = 0."""

    def __init__(self, X: np.ndarray, y: np.ndarray, title: str | None = None,
                 **kw) -> None:
        super().__init__(**kw)
        self.ax = self.figure.add_subplot()
        pos, neg = y > 0, y <= 0
        self.ax.scatter(X[pos, 1], X[pos, 2], s=10, c="#1f77b4", label="+1", alpha=0.6)
        self.ax.scatter(X[neg, 1], X[neg, 2], s=10, c="#ff7f0e", label="−1", alpha=0.6)
        self.xlim = _widen(float(X[:, 1].min()), float(X[:, 1].max()), 0.03)
        self.ylim = _widen(float(X[:, 2].min()), float(X[:, 2].max()), 0.03)
        self.ax.set_xlim(*self.xlim)
        self.ax.set_ylim(*self.ylim)
        self.ax.set_xlabel(words("figure.boundary.x1"))
        self.ax.set_ylabel(words("figure.boundary.x2"))
        self.ax.set_title(words("figure.boundary.title") if title is None else title)
        self.ax.legend(loc="lower right", markerscale=2)
        self.line = Line2D([], [], color="#222222", lw=3, animated=True)
        self.ax.add_line(self.line)

    def show(self, w: np.ndarray) -> bytes:
        b, w1, w2 = (float(v) for v in w[:3])
        xs = np.array(self.xlim)
        if abs(w2) > 1e-12:
            self.line.set_data(xs, -(b + w1 * xs) / w2)
        elif abs(w1) > 1e-12:
            self.line.set_data([-b / w1] * 2, list(self.ylim))
        else:
            self.line.set_data([], [])
        return self.render([self.line])


class PartitionBars(BlitFigure):
    """Per-partition gradients when the weights are not 2-D: one group of bars per partition,
    one bar per weight (the partition's ∇J_p / n), plus the total."""

    def __init__(self, partitions: int, features: int, names: Sequence[str] = (),
                 title: str | None = None, **kw) -> None:
        super().__init__(**kw)
        self.ax = self.figure.add_subplot()
        self.partitions, self.features = partitions, features
        self.ax.set_title(words("view.bars.title") if title is None else title)
        self.ax.set_xlabel(words("figure.bars.xlabel"))
        self.ax.set_xticks(range(partitions + 1),  # numbered from 1, as the pages number them
                           [f"P{p + 1}" for p in range(partitions)] + ["Σ"])
        self.ax.axhline(0, color="black", lw=1)
        self.ax.grid(axis="y", alpha=0.3)
        width = 0.8 / max(features, 1)
        self.bars = []
        for f in range(features):
            xs = np.arange(partitions + 1) - 0.4 + (f + 0.5) * width
            container = self.ax.bar(xs, np.zeros(partitions + 1), width=width,
                                    color=COLORS[f % len(COLORS)], animated=True,
                                    label=names[f] if f < len(names) else f"w{f}")
            self.bars.extend(container.patches)
        if features <= 6:
            self.ax.legend(loc="upper right", ncols=min(features, 3))
        self._ylim = 1e-3
        self.ax.set_ylim(-self._ylim, self._ylim)

    def show(self, gradients: np.ndarray) -> bytes:
        """``gradients``: (partitions, features) array of ∇J_p / n."""
        values = np.vstack([gradients, gradients.sum(axis=0, keepdims=True)])
        top = float(np.max(np.abs(values))) if values.size else 0.0
        if top > self._ylim or top < self._ylim / 8:
            self._ylim = max(top * 1.25, 1e-6)
            self.ax.set_ylim(-self._ylim, self._ylim)
            self.invalidate()
        for f in range(self.features):
            for p in range(self.partitions + 1):
                self.bars[f * (self.partitions + 1) + p].set_height(values[p, f])
        return self.render(self.bars)
