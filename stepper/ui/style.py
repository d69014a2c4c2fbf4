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
.stepper-app .stepper-readout, .stepper-app .stepper-readout .widget-html-content {
  font-size: 20px !important; font-weight: 600; min-width: 24em; line-height: 1.3; }
.stepper-app .stepper-narration { font-size: 18px !important; font-style: italic;
  min-height: 1.6em; line-height: 1.35; }
.stepper-error { background: #fdecea; color: #8a1c13; border: 2px solid #d93025;
  border-radius: 6px; padding: 6px 12px; font-size: 16px; }
.stepper-help { background: #f4f6f8; border-radius: 6px; padding: 4px 12px; }
.stepper-figure img, .stepper-figure { max-width: 100%; height: auto; }
.stepper-svg svg { max-width: 100%; height: auto; }
.stepper-present { font-size: 22px; max-width: none; }
.stepper-present .widget-button, .stepper-present .widget-toggle-button {
  font-size: 22px; height: 48px; }
.stepper-app.stepper-present .stepper-readout,
.stepper-app.stepper-present .stepper-readout .widget-html-content { font-size: 32px !important; }
.stepper-app.stepper-present .stepper-narration { font-size: 28px !important; }
.stepper-present .stepper-secondary { display: none !important; }
.stepper-present .widget-label, .stepper-present .widget-readout { font-size: 20px; }
.stepper-present .widget-dropdown select, .stepper-present .widget-inline-hbox { font-size: 20px; }
.stepper-present .stepper-slider { height: 40px; }
.stepper-busy { color: #8a5a00; font-size: 16px; margin-left: 1em; }
.stepper-busy::before { content: ''; display: inline-block; width: 0.8em; height: 0.8em;
  border: 3px solid #f0b429; border-top-color: transparent; border-radius: 50%;
  animation: stepper-spin 1s linear infinite; margin-right: 0.5em; vertical-align: -0.1em; }
@keyframes stepper-spin { to { transform: rotate(360deg); } }
.stepper-present .stepper-busy { font-size: 24px; }
.stepper-flow .stepper-narration { margin: 2px 0 8px 0; color: #1b2733; }
.stepper-help-box kbd { border: 1px solid #9aa5b1; border-radius: 4px; padding: 0 5px;
  background: white; font-family: inherit; }
.stepper-confusion { font-size: 18px; padding: 12px; }
.stepper-confusion table { font-size: 20px; }
.stepper-present .stepper-confusion, .stepper-present .stepper-confusion table { font-size: 28px; }
.stepper-link { font-size: 13px; color: #52606d; }
/* the whole page reads larger when an app on it is in presenter mode */
body:has(.stepper-present) .jp-RenderedMarkdown { font-size: 22px; line-height: 1.5; }
body:has(.stepper-present) .jp-RenderedHTMLCommon h1 { font-size: 40px; }
body:has(.stepper-present) .jp-RenderedHTMLCommon h2 { font-size: 32px; }
</style>
"""


def style_widget() -> widgets.HTML:
    """An HTML widget that carries the stylesheet (invisible)."""
    return widgets.HTML(CSS, layout=widgets.Layout(height="0px", margin="0"))
