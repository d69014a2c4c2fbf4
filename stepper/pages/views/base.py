"""The base of every view: :class:`Frame` (what a view may show for one position), :class:`View`
(a widget and a cached render) and the widgets views draw into."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import numpy as np

from stepper.pages.kit.widgets import figure_image
from stepper.pages.phases import (
    Phase,
    Position,
)
from stepper.trace import IterationRecord

FIGURE_DPI = 144  # 920 × 660 pixels: sharp on a projector, scaled down on a laptop
HIGHLIGHT = "#ff9f1c"
DONE = "#dff3e4"
IDLE = "#f4f6f8"
INK = "#1b2733"


@dataclass(frozen=True)
class Frame:
    """Everything a view may show for one position."""

    position: Position
    phase: Phase
    record: IterationRecord | None
    history: list[IterationRecord]
    initial_weights: np.ndarray | None
    partitions: int
    generation: int = 0  # changes when the recorded iterations are replaced

    @property
    def iteration(self) -> int:
        return self.position.iteration

    def weights(self) -> np.ndarray | None:
        """The weights the page is at: w_k after the update phase, w_{k−1} before it."""
        if self.record is None:
            return self.initial_weights
        if self.phase.kind == "update":
            return np.asarray(self.record.weights)
        return np.asarray(self.record.weights_before)

    def path(self) -> np.ndarray | None:
        """w₀ … up to the weights the page is at."""
        start = self.initial_weights
        if start is None and self.history:
            start = self.history[0].weights_before
        if start is None:
            return None
        points = [np.asarray(start, dtype=float)]
        k = self.iteration
        done = k if self.phase.kind == "update" else k - 1
        points += [np.asarray(r.weights, dtype=float) for r in self.history[: max(done, 0)]]
        return np.vstack(points)


class View:
    """A widget and a cached ``render(frame)``; subclasses define ``key`` and ``draw``."""

    name = "view"
    cache_size = 400

    def __init__(self, widget: widgets.Widget) -> None:
        self.widget = widget
        self._cache: OrderedDict[Hashable, Any] = OrderedDict()

    def key(self, frame: Frame) -> Hashable:
        return (frame.iteration, frame.position.phase)

    def draw(self, frame: Frame) -> Any:
        raise NotImplementedError

    def render(self, frame: Frame) -> Any:
        """The view's content for ``frame`` (from the cache when already drawn)."""
        key = (frame.generation, self.key(frame))
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        value = self.draw(frame)
        self._cache[key] = value
        if len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return value

    def update(self, frame: Frame) -> None:
        value = self.render(frame)
        if self.widget.value != value:
            self.widget.value = value

    def forget(self) -> None:
        """Drop cached renders (after a reset or a settings change)."""
        self._cache.clear()


def svg_widget(width: str = "49%") -> widgets.HTML:
    box = widgets.HTML(layout=widgets.Layout(width=width))
    box.add_class("stepper-svg")
    return box




class ExtraView(View):
    """A lesson's own view: ``fn(frame) -> bytes`` (PNG) or ``str`` (HTML)."""

    name = "extra"

    def __init__(self, fn: Callable[[Frame], Any], png: bool = True, width: str = "49%") -> None:
        super().__init__(figure_image(width=width, max_width=None) if png else svg_widget(width))
        self.fn = fn

    def draw(self, frame: Frame) -> Any:
        return self.fn(frame)
