"""The control bar: buttons with visible words, speed, scrub slider, readout, keyboard help.

The bar only holds widgets; :class:`~stepper.pages.kit.app.LessonApp` connects them to a
:class:`~stepper.pages.kit.player.Player`. Keyboard shortcuts come from a small script
(:data:`KEYBOARD_JS`) displayed once per page: it clicks the bar's buttons, so a key does exactly
what the button does, through the same guarded callback.
"""

from __future__ import annotations

import ipywidgets as widgets

from stepper.pages.i18n import text

SPEEDS = {"slow": 1.2, "normal": 0.5, "fast": 0.2, "fastest": 0.0}


# The key handler: acts on the app the pointer last touched (else the first one on the page);
# ignores keys typed into inputs; registered once per page.
KEYBOARD_JS = """
<script>
(function () {
  if (window.__stepperKeys) { return; }
  window.__stepperKeys = true;
  document.addEventListener('pointerdown', function (e) {
    var app = e.target.closest && e.target.closest('.stepper-app');
    if (app) { window.__stepperApp = app; }
  }, true);
  var keys = {'ArrowRight': 'step', 'ArrowLeft': 'back', ' ': 'play', 'Home': 'first',
              'End': 'last', 'r': 'reset', 'R': 'reset', '?': 'help'};
  document.addEventListener('keydown', function (e) {
    var action = keys[e.key];
    if (!action || e.ctrlKey || e.metaKey || e.altKey) { return; }
    var t = e.target;
    var tag = t && t.tagName ? t.tagName.toLowerCase() : '';
    if (tag === 'input' || tag === 'textarea' || tag === 'select' || (t && t.isContentEditable)) {
      return;
    }
    var app = window.__stepperApp;
    if (!app || !document.body.contains(app)) { app = document.querySelector('.stepper-app'); }
    if (!app) { return; }
    var button = app.querySelector('.stepper-key-' + action);
    if (!button) { return; }
    e.preventDefault();
    if (button.tagName.toLowerCase() !== 'button') {
      button = button.querySelector('button') || button;
    }
    button.click();
  });
})();
</script>
"""


def _button(label: str, key: str, tooltip: str, secondary: bool = False,
            width: str = "auto") -> widgets.Button:
    button = widgets.Button(description=label, tooltip=tooltip,
                            layout=widgets.Layout(width=width, min_width="4.5em"))
    button.add_class("stepper-key-" + key)
    button.add_class("stepper-button")
    if secondary:
        button.add_class("stepper-secondary")
    return button


class ControlBar:
    """The widgets of the bar (no behaviour of their own)."""

    def __init__(self, *, can_compute: bool = True, phases: bool = True) -> None:
        self.first = _button(text("control.first"), "first", text("control.first.tip"))
        self.back = _button("◀ " + text("control.back"), "back", text("control.back.tip"))
        self.step = _button(text("control.step") + " ▶", "step", text("control.step.tip"))
        self.step.button_style = "primary"
        self.play = _button("▶ " + text("control.play"), "play",
                            f"{text('control.play')} / {text('control.pause')} (Space)",
                            width="7.5em")
        self.last = _button(text("control.last"), "last", text("control.last.tip"))
        self.reset = _button("↺ " + text("control.reset"), "reset", text("control.reset.tip"))
        self.new_seed = _button(text("control.new_seed"), "newseed",
                                text("control.new_seed.tip"), secondary=True)
        self.help = _button(text("control.help"), "help", text("control.help.tip"))
        self.present = widgets.ToggleButton(description=text("control.presenter"), value=False,
                                            tooltip=text("control.presenter.tip"),
                                            layout=widgets.Layout(width="auto"))
        self.present.add_class("stepper-present-toggle")
        self.speed = widgets.Dropdown(options=[(text(f"control.speed.{name}"), name)
                                               for name in SPEEDS], value="normal",
                                      description=text("control.speed").capitalize(),
                                      layout=widgets.Layout(width="auto"),
                                      style={"description_width": "initial"})
        self.speed.add_class("stepper-secondary")
        self.phases = widgets.Checkbox(value=phases, description=text("control.phase_by_phase"),
                                       indent=False, layout=widgets.Layout(width="10em"))
        self.phases.add_class("stepper-secondary")
        self.slider = widgets.IntSlider(value=0, min=0, max=0,
                                        description=text("control.iteration"),
                                        continuous_update=True,
                                        layout=widgets.Layout(width="100%"),
                                        style={"description_width": "5.5em"})
        self.slider.add_class("stepper-slider")
        self.readout = widgets.HTML(text("phase.readout", iteration=0,
                                         label=text("phase.start.label")))
        self.readout.add_class("stepper-readout")
        self.status = widgets.HTML("")
        self.status.add_class("stepper-status")
        self.help_box = widgets.HTML(text("control.help.text"),
                                     layout=widgets.Layout(display="none"))
        self.help_box.add_class("stepper-help")
        if not can_compute:
            self.new_seed.layout.display = "none"
            self.reset.layout.display = "none"
        buttons = widgets.HBox(
            [self.first, self.back, self.step, self.play, self.last, self.reset, self.new_seed,
             self.speed, self.phases, self.present, self.help],
            layout=widgets.Layout(flex_flow="row wrap", align_items="center"))
        buttons.add_class("stepper-buttons")
        status_row = widgets.HBox([self.readout, self.status],
                                  layout=widgets.Layout(align_items="center"))
        self.widget = widgets.VBox([buttons, status_row, self.slider, self.help_box])
        self.widget.add_class("stepper-controls")

    def toggle_help(self) -> None:
        shown = self.help_box.layout.display != "none"
        self.help_box.layout.display = "none" if shown else "block"

    @property
    def delay(self) -> float:
        return SPEEDS[self.speed.value]
