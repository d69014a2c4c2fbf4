"""The page's CSS, presenter mode included, injected once as an HTML widget's ``<style>``.

Presenter mode is a CSS class on the app's root box (``stepper-present``): larger text, wider
figures, and the secondary controls (class ``stepper-secondary``) hidden. Nothing is re-drawn.
"""

from __future__ import annotations

import ipywidgets as widgets

CSS = """
<style>
.stepper-app { font-size: 15px; max-width: 1500px; }
.stepper-app .widget-button, .stepper-app .widget-toggle-button { font-size: 15px; }
.stepper-readout { font-size: 18px; font-weight: 600; min-width: 26em; }
.stepper-narration { font-size: 16px; font-style: italic; min-height: 1.6em; }
.stepper-error { background: #fdecea; color: #8a1c13; border: 2px solid #d93025;
  border-radius: 6px; padding: 6px 12px; font-size: 16px; }
.stepper-help { background: #f4f6f8; border-radius: 6px; padding: 4px 12px; }
.stepper-figure img, .stepper-figure { max-width: 100%; height: auto; }
.stepper-svg svg { max-width: 100%; height: auto; }
.stepper-present { font-size: 22px; max-width: none; }
.stepper-present .widget-button, .stepper-present .widget-toggle-button {
  font-size: 22px; height: 48px; }
.stepper-present .stepper-readout { font-size: 30px; }
.stepper-present .stepper-narration { font-size: 26px; }
.stepper-present .stepper-secondary { display: none !important; }
.stepper-present .stepper-figure { width: 100% !important; }
.stepper-present .widget-label, .stepper-present .widget-readout { font-size: 20px; }
</style>
"""


def style_widget() -> widgets.HTML:
    """An HTML widget that carries the stylesheet (invisible)."""
    return widgets.HTML(CSS, layout=widgets.Layout(height="0px", margin="0"))
