"""Views linked to the current step: each turns a :class:`Frame` into an image or an SVG.

PNG views (:mod:`.plots`: loss curve, contour, bars, decision boundary) wrap the blitting figures
of :mod:`stepper.pages.kit.figures` and swap bytes into an ``ipywidgets.Image``; diagram views
(:mod:`.diagrams`: data flow, reduce tree, task timeline, confusion matrix) write SVG/HTML into an
``ipywidgets.HTML``. Both update in place. Each view caches what it rendered per position, so
Back and the slider only swap bytes already made. :mod:`.base` holds :class:`Frame` and
:class:`View`.
"""

from stepper.pages.views.base import ExtraView, Frame, View, svg_widget
from stepper.pages.views.diagrams import ConfusionView, FlowView, TimelineView, TreeView
from stepper.pages.views.plots import BarsView, BoundaryView, ContourSpec, ContourView, LossView

__all__ = [
    "BarsView",
    "BoundaryView",
    "ConfusionView",
    "ContourSpec",
    "ContourView",
    "ExtraView",
    "FlowView",
    "Frame",
    "LossView",
    "TimelineView",
    "TreeView",
    "View",
    "svg_widget",
]
