"""PNG views: the loss curve, the contour with the trajectory, per-partition bars, the decision
boundary. Each wraps a blitting figure of :mod:`stepper.pages.kit.figures` and swaps PNG bytes
into an ``ipywidgets.Image``."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np

from stepper.pages.i18n import text
from stepper.pages.kit.figures import (
    BoundaryFigure,
    ContourFigure,
    LossFigure,
    PartitionBars,
)
from stepper.pages.kit.widgets import figure_image
from stepper.pages.narration import is_estimate
from stepper.pages.phases import (
    partition_gradients,
    partition_shares,
    revealed_partitions,
)
from stepper.pages.views.base import (
    FIGURE_DPI,
    Frame,
    View,
)


class LossView(View):
    """J per iteration, every recorded iteration, with a cursor at the current one."""

    name = "loss"

    def __init__(self, title: str | None = None, width: str = "49%") -> None:
        super().__init__(figure_image(width=width, max_width=None))
        self.title = title or text("view.loss.title")
        self.figure = LossFigure(title=self.title, dpi=FIGURE_DPI)
        self._shown_title = self.title

    def key(self, frame: Frame) -> Hashable:
        return (frame.iteration, frame.phase.kind == "update", len(frame.history),
                tuple(is_estimate(r) for r in frame.history))

    def draw(self, frame: Frame) -> bytes:
        """J(w_k); where a record's J is a sample's estimate (full objective off), the title
        and the readout say so."""
        estimates = [is_estimate(r) for r in frame.history]
        title = text("lesson2.loss.estimate") if any(estimates) else self.title
        if title != self._shown_title:
            self.figure.ax.set_title(title)
            self.figure.invalidate()
            self._shown_title = title
        at = min(frame.iteration, len(estimates)) - 1
        self.figure.name = "J ≈" if at >= 0 and estimates[at] else "J"
        values = [r.objective for r in frame.history]
        current = frame.iteration if frame.phase.kind in ("update", "start") else max(
            frame.iteration - 1, 0)
        return self.figure.show(values, current)


@dataclass
class ContourSpec:
    """What the contour needs: the problem, the (standardized, with intercept) data, w*."""

    problem: Any
    X: np.ndarray
    y: np.ndarray
    w_star: np.ndarray
    axes: tuple[int, int] = (1, 2)
    mask: np.ndarray | None = None


class ContourView(View):
    """The path of w on the loss contour; during an iteration, each partition's arrow."""

    name = "contour"

    def __init__(self, spec: ContourSpec, arrows: bool = True, width: str = "49%",
                 title: str | None = None) -> None:
        super().__init__(figure_image(width=width, max_width=None))
        self.figure = ContourFigure(spec.problem, spec.X, spec.y, spec.w_star, spec.axes,
                                    spec.mask, title=title or text("view.contour.title"),
                                    dpi=FIGURE_DPI)
        self.arrows = arrows

    def key(self, frame: Frame) -> Hashable:
        return (frame.iteration, frame.phase.kind, min(revealed_partitions(frame.phase), 10**6))

    def draw(self, frame: Frame) -> bytes:
        path = frame.path()
        if path is None:
            path = np.zeros((1, self.figure.w_star.size))
        record, phase = frame.record, frame.phase
        if not self.arrows or record is None or phase.kind in ("start", "broadcast"):
            return self.figure.show(path, len(path) - 1)
        everything = partition_shares(record)
        total = np.sum(everything, axis=0) if everything else (
            np.asarray(record.weights) - np.asarray(record.weights_before))
        magnify = self.figure.magnification(total)
        shares = partition_shares(record, revealed_partitions(phase))
        move = (record.weights_before, record.weights) if phase.kind == "update" else None
        return self.figure.show(path, len(path) - 1, shares, move,
                                start=record.weights_before, magnify=magnify)


class BarsView(View):
    """Per-partition gradients ∇J_p / n as bars (when the weights are not 2-D)."""

    name = "gradients"

    def __init__(self, names: list[str] | None = None, width: str = "49%",
                 show_features: int = 6) -> None:
        super().__init__(figure_image(width=width, max_width=None))
        self.names = list(names or [])
        self.show_features = show_features
        self.figure: PartitionBars | None = None
        self._shape: tuple[int, int] | None = None

    def key(self, frame: Frame) -> Hashable:
        return (frame.iteration, min(revealed_partitions(frame.phase), 10**6))

    def draw(self, frame: Frame) -> bytes:
        grads = None
        if frame.record is not None:
            grads = partition_gradients(frame.record, revealed_partitions(frame.phase))
        if grads is None:
            grads = np.zeros((max(frame.partitions, 1), min(len(self.names) or 3,
                                                              self.show_features)))
        # the features with the largest total gradient (all of them when few)
        total = np.abs(grads.sum(axis=0))
        if grads.shape[1] > self.show_features:
            keep = np.sort(np.argsort(-total, kind="stable")[: self.show_features])
        else:
            keep = np.arange(grads.shape[1])
        if frame.record is not None and frame.record.partitions:
            full = partition_gradients(frame.record)
            if full is not None and full.shape[1] > self.show_features:
                keep = np.sort(np.argsort(-np.abs(full.sum(axis=0)),
                                          kind="stable")[: self.show_features])
        shape = (grads.shape[0], len(keep))
        names = [self.names[f] if f < len(self.names) else f"w{f}" for f in keep]
        if self.figure is None or self._shape != shape or self._names != names:
            self.figure = PartitionBars(shape[0], shape[1], names,
                                        title=text("view.bars.title"),
                                        dpi=FIGURE_DPI)
            self._shape, self._names = shape, names
        return self.figure.show(grads[:, keep])

    _names: list[str] | None = None


class BoundaryView(View):
    """The 2-D data and the decision boundary of the current weights."""

    name = "boundary"

    def __init__(self, X: np.ndarray, y: np.ndarray, width: str = "49%") -> None:
        super().__init__(figure_image(width=width, max_width=None))
        self.figure = BoundaryFigure(X, y, dpi=FIGURE_DPI)

    def key(self, frame: Frame) -> Hashable:
        return (frame.iteration, frame.phase.kind == "update")

    def draw(self, frame: Frame) -> bytes:
        w = frame.weights()
        return self.figure.show(np.zeros(3) if w is None else w)
