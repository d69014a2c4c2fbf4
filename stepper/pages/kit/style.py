"""The page's CSS, presenter mode included, injected once as an HTML widget's ``<style>``.

Presenter mode is a CSS class on the app's root box (``stepper-present``): larger text, wider
figures, and the secondary controls (class ``stepper-secondary``) hidden. Nothing is re-drawn.
The rest of the page (its text and tables) follows through ``body:has(.stepper-present)``
rules; a page's title block registers itself with :func:`mark_page` so that a page opened with
``?present=1`` and a page whose Presenter toggle is switched read the same way.
"""

from __future__ import annotations

import weakref

import ipywidgets as widgets

PRESENT_CLASS = "stepper-present"
_page_markers: weakref.WeakSet[widgets.Widget] = weakref.WeakSet()

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
.stepper-app.stepper-present .stepper-confusion,
.stepper-app.stepper-present .stepper-confusion :is(table, td, th, div) {
  font-size: 28px !important; }
.stepper-link { font-size: 13px; color: #52606d; }
.stepper-prose { font-size: 17px; line-height: 1.55; }
.stepper-prose table { border-collapse: collapse; }
.stepper-prose :is(td, th) { border: 1px solid #d0d7de; padding: 3px 8px; }
.stepper-question { font-size: 17px; }
body:has(.stepper-present) .stepper-prose :is(p, li, td, th),
body:has(.stepper-present) .stepper-question :is(p, label, div) {
  font-size: 22px !important; line-height: 1.5; }
body:has(.stepper-present) .stepper-prose h2 { font-size: 34px !important; }
/* the whole page reads larger when the page or an app on it is in presenter mode */
body:has(.stepper-present) .jp-RenderedHTMLCommon h1 { font-size: 40px; }
body:has(.stepper-present) .jp-RenderedMarkdown,
body:has(.stepper-present) .jp-RenderedMarkdown p,
body:has(.stepper-present) .jp-RenderedMarkdown li,
body:has(.stepper-present) .jp-RenderedMarkdown td,
body:has(.stepper-present) .jp-RenderedMarkdown th { font-size: 22px !important; line-height: 1.5; }
body:has(.stepper-present) .jp-RenderedMarkdown h2 { font-size: 34px !important; }
body:has(.stepper-present) .widget-html-content table,
body:has(.stepper-present) .widget-html-content td,
body:has(.stepper-present) .widget-html-content th,
body:has(.stepper-present) .widget-html-content pre,
body:has(.stepper-present) .widget-html-content div { font-size: 21px !important; }
body:has(.stepper-present) .widget-html-content h1 { font-size: 44px !important; }
body:has(.stepper-present) .widget-html-content h3 { font-size: 30px !important; }
body:has(.stepper-present) .stepper-lesson1 .widget-label,
body:has(.stepper-present) .stepper-lesson1 .widget-readout,
body:has(.stepper-present) .stepper-lesson1 select,
body:has(.stepper-present) .stepper-lesson1 input { font-size: 20px !important; }
body:has(.stepper-present) .stepper-lesson1 .widget-dropdown,
body:has(.stepper-present) .stepper-lesson1 .widget-inline-hbox { height: auto; }
body:has(.stepper-present) .stepper-readout,
body:has(.stepper-present) .stepper-readout .widget-html-content { font-size: 28px !important; }
</style>
"""


def style_widget() -> widgets.HTML:
    """An HTML widget that carries the stylesheet (invisible)."""
    return widgets.HTML(CSS, layout=widgets.Layout(height="0px", margin="0"))


def mark_page(widget: widgets.Widget, present: bool) -> widgets.Widget:
    """Register ``widget`` (a page's title block) as the page's presenter marker, and set it."""
    _page_markers.add(widget)
    set_present_class(widget, present)
    return widget


def set_page_presenter(on: bool) -> None:
    """Switch presenter mode for the whole page (every registered marker)."""
    for widget in list(_page_markers):
        set_present_class(widget, on)


def set_present_class(widget: widgets.Widget, on: bool) -> None:
    """Add or remove the presenter class of one widget."""
    if on and PRESENT_CLASS not in widget._dom_classes:
        widget.add_class(PRESENT_CLASS)
    elif not on and PRESENT_CLASS in widget._dom_classes:
        widget.remove_class(PRESENT_CLASS)
