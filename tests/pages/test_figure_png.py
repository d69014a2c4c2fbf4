"""The figures' PNG images decoded: the same pixels as the canvas, arrows drawn."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from stepper.pages.kit.data import load_2d, optimum
from stepper.pages.kit.figures import ContourFigure, LossFigure
from stepper.problems import Problem


def decoded(png: bytes) -> np.ndarray:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.mode == "RGB"
    return np.asarray(image)


def test_figures_show_their_canvas():
    """A contour with arrows and a loss curve: the PNG is the canvas's pixels (alpha dropped),
    and the arrows change the picture (they are drawn)."""
    data = load_2d()
    problem = Problem("logistic")
    w_star = optimum(problem, data.X, data.y)
    contour = ContourFigure(problem, data.X, data.y, w_star, dpi=60)
    path = np.vstack([np.zeros(3), 0.5 * w_star])
    plain = contour.show(path, 1)
    shares = [np.array([0.0, 0.2, -0.1]), np.array([0.0, -0.05, 0.3])]
    arrows = contour.show(path, 1, shares, (path[0], path[1]), magnify=2.0)
    canvas = np.asarray(contour.canvas.buffer_rgba())[:, :, :3]
    assert np.array_equal(decoded(arrows), canvas)
    assert not np.array_equal(decoded(plain), decoded(arrows))
    loss = LossFigure(dpi=60)
    png = loss.show([1.0, 0.5, 0.3], 1)
    assert np.array_equal(decoded(png), np.asarray(loss.canvas.buffer_rgba())[:, :, :3])


@pytest.mark.parametrize(("lang", "mark"), [("en", "."), ("fr", ",")])
def test_tick_labels_use_the_pages_decimal_mark(lang, mark):
    """A linear axis with fractional ticks: 0.5 in English, 0,5 in French."""
    from stepper.pages import i18n

    previous = i18n.current_language()
    i18n.use_language(lang)
    try:
        loss = LossFigure(dpi=60)
        loss.ax.set_yscale("linear")
        loss.show([1.5, 1.0, 0.5], 2)
        labels = [label.get_text() for label in loss.ax.get_yticklabels()]
    finally:
        i18n.use_language(previous)
    fractional = [label for label in labels if any(c in label for c in ".,")]
    assert fractional, labels
    assert all(mark in label for label in fractional), labels
