"""Every lesson page in a real browser: it renders without error output, with its figures, and
on pages with the control bar, Step, Back, Play/Pause, presenter mode and error display work.

Nothing here asserts a duration: the tests wait for the page to reach a state, then check it.
"""

from __future__ import annotations

import glob
import os

import pytest
from browser_pages import LESSONS, PAGE_TIMEOUT_MS, lesson_url, open_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOKS = sorted(glob.glob(os.path.join(LESSONS, "*.ipynb")))
NAMES = [os.path.splitext(os.path.basename(p))[0] for p in NOTEBOOKS]
BAR_MARKERS = ("LessonApp", ".explorer(", ".stepper(")


def has_control_bar(name: str) -> bool:
    import nbformat

    nb = nbformat.read(os.path.join(LESSONS, name + ".ipynb"), as_version=4)
    source = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    return any(marker in source for marker in BAR_MARKERS)


WITH_BAR = [name for name in NAMES if has_control_bar(name)]
HEAVY = ("03_iteration_cost", "04_fewer_rounds")
"""Pages whose Spark work goes beyond stepping (sweeps, demos, comparisons): each page opened
costs a kernel and a Spark of its own (30–40 s here), so the presenter address and the failing
callback, the kit's behaviour that every page shares, are driven in the browser on the other
pages; these pages' own tests check that they take the address's state (headless)."""

ERROR_OUTPUTS = ("[data-mime-type='application/vnd.jupyter.stderr'], "
                 "[data-mime-type='application/vnd.jupyter.error'], .jp-OutputArea-error")

# The content of every <img> of an app, hashed in the page (blob: URLs change on every swap,
# so the pictures themselves are compared).
IMAGE_HASHES = """
async (app) => {
  const out = [];
  for (const img of app.querySelectorAll('img')) {
    if (!img.src) { out.push(''); continue; }
    const data = await (await fetch(img.src)).arrayBuffer();
    const digest = await crypto.subtle.digest('SHA-256', data);
    out.push(Array.from(new Uint8Array(digest)).map(b => b.toString(16)).join(''));
  }
  return out;
}
"""


def visible_errors(page) -> list[str]:
    texts = [e.inner_text() for e in page.query_selector_all(ERROR_OUTPUTS) if e.is_visible()]
    texts += [e.inner_text() for e in page.query_selector_all(".stepper-error")
              if e.is_visible() and e.inner_text().strip()]
    return texts


def app_of(page):
    """The page's first control bar app (pages may build it after they render)."""
    page.wait_for_selector(".stepper-app .stepper-key-step", timeout=PAGE_TIMEOUT_MS)
    app = page.query_selector(".stepper-app")
    assert app is not None, "the page has no control bar (.stepper-app)"
    return app


def readout(app) -> str:
    return app.query_selector(".stepper-readout").inner_text().strip()


def wait_idle(page, app) -> None:
    """Until the app's status line is empty: no Spark work (start, step) in flight."""
    page.wait_for_function(
        "(app) => { const s = app.querySelector('.stepper-status');"
        " return s && s.innerText.trim() === ''; }", arg=app, timeout=PAGE_TIMEOUT_MS)


def wait_readout(page, app, text: str, present: bool = True) -> None:
    page.wait_for_function(
        "([app, text, present]) => { const r = app.querySelector('.stepper-readout');"
        " return r && (r.innerText.includes(text) === present); }",
        arg=[app, text, present], timeout=PAGE_TIMEOUT_MS)


def settled_readout(page, app, quiet_ms: int = 1500) -> str:
    """The readout once it has not changed for ``quiet_ms``: the views (the readout among them)
    are drawn after a move, and a draw may wait for one phase drawn ahead of time, so the
    readout can lag a paused player's position by one draw."""
    page.wait_for_function(
        """([app, quiet]) => {
             const now = app.querySelector('.stepper-readout').innerText;
             if (window.__readout !== now) { window.__readout = now; window.__since = Date.now(); }
             return Date.now() - window.__since >= quiet;
           }""", arg=[app, quiet_ms], polling=100, timeout=PAGE_TIMEOUT_MS)
    return readout(app)


def step_from_the_start(page, app) -> None:
    """Once the app is idle: back to iteration 0, then one Step (the readout says Iteration 1)."""
    wait_idle(page, app)
    click(app, "first")
    wait_readout(page, app, "Iteration 0")
    click(app, "step")
    wait_readout(page, app, "Iteration 1")


def click(app, action: str) -> None:
    app.query_selector(f".stepper-key-{action}").click()


@pytest.mark.parametrize("name", NAMES)
def test_page_renders_without_error_output(opened, name):
    page = opened(name)
    body = page.inner_text("body")
    assert "<Figure size" not in body  # a figure printed as text instead of drawn
    assert "Traceback" not in body
    assert visible_errors(page) == []
    broken = page.evaluate("() => Array.from(document.querySelectorAll('img')).filter("
                           "i => i.complete && i.src && i.naturalWidth === 0).map("
                           "i => (i.closest('[class*=stepper-]') || i).className)")
    assert broken == [], f"broken pictures (an empty Image widget?) in: {broken}"


@pytest.mark.parametrize("name", WITH_BAR)
def test_figures_are_drawn(opened, name):
    page = opened(name)
    app = app_of(page)
    wait_idle(page, app)
    page.wait_for_function(
        "(app) => Array.from(app.querySelectorAll('img')).some("
        "i => i.complete && i.naturalWidth > 100) || app.querySelector('canvas')", arg=app)
    assert app.query_selector(".stepper-readout") is not None


# The smallest font of the lesson's text and of the tables the page computed (both grow for the
# projector).
MARKDOWN_FONT = ("() => Math.min(...Array.from(document.querySelectorAll("
                 "'.jp-RenderedMarkdown p, .widget-html-content td')).filter("
                 "e => e.offsetParent !== null).map("
                 "e => parseFloat(getComputedStyle(e).fontSize)))")


@pytest.mark.parametrize("name", WITH_BAR)
def test_presenter_toggle_enlarges_the_whole_page(opened, name):
    """The toggle gives the page the layout ``?present=1`` gives it: the lesson's text too."""
    page = opened(name)
    app = app_of(page)
    normal = page.evaluate(MARKDOWN_FONT)
    assert normal < 21

    def secondary_shown() -> int:
        return sum(e.is_visible() for e in app.query_selector_all(".stepper-secondary"))

    shown = secondary_shown()
    assert shown > 0
    toggle = app.query_selector(".stepper-present-toggle")
    toggle.click()
    page.wait_for_function(f"() => ({MARKDOWN_FONT})() >= 21", timeout=PAGE_TIMEOUT_MS)
    assert "stepper-present" in (app.get_attribute("class") or "")
    assert secondary_shown() == 0
    toggle.click()
    page.wait_for_function(f"() => ({MARKDOWN_FONT})() === {normal}", timeout=PAGE_TIMEOUT_MS)
    assert secondary_shown() == shown


@pytest.mark.parametrize("name", WITH_BAR)
def test_step_back_play_pause(opened, name):
    page = opened(name)
    app = app_of(page)
    step_from_the_start(page, app)
    # step on until a figure changes, then Back must bring the earlier figures back
    before = page.evaluate(IMAGE_HASHES, app)
    for _ in range(16):
        wait_idle(page, app)
        shown = readout(app)
        click(app, "step")
        wait_readout(page, app, shown, present=False)
        page.wait_for_load_state("networkidle")
        after = page.evaluate(IMAGE_HASHES, app)
        if after != before:
            break
        before = after
    assert after != before, "no figure changed while stepping"
    wait_idle(page, app)
    click(app, "back")
    page.wait_for_function(
        "async ([app, want, code]) => JSON.stringify(await (eval(code))(app))"
        " === JSON.stringify(want)", arg=[app, before, IMAGE_HASHES], timeout=PAGE_TIMEOUT_MS)
    # Play, then Pause: the readout stops changing
    shown = readout(app)
    click(app, "play")
    wait_readout(page, app, shown, present=False)
    click(app, "play")  # the same button now says Pause
    page.wait_for_function("(app) => app.querySelector('.stepper-key-play')"
                           ".innerText.includes('Play')", arg=app)
    wait_idle(page, app)
    stopped = settled_readout(page, app)
    page.wait_for_timeout(2500)
    assert readout(app) == stopped
    # the keyboard: ← is Back
    page.keyboard.press("ArrowLeft")
    wait_readout(page, app, stopped, present=False)
    assert visible_errors(page) == []


@pytest.mark.parametrize("name", [name for name in WITH_BAR if name not in HEAVY])
def test_presenter_address_and_failing_callback(browser, voila_url, name):
    page = open_page(browser, lesson_url(voila_url, name, "present=1&fail_on_step=1"),
                     width=1920, height=1080)
    try:
        app = app_of(page)
        assert "stepper-present" in (app.get_attribute("class") or "")
        speed = app.query_selector(".stepper-secondary")
        assert speed is not None and not speed.is_visible()  # secondary controls hidden
        size = page.evaluate("(app) => parseFloat(getComputedStyle(app.querySelector("
                             "'.stepper-readout .widget-html-content')).fontSize)", app)
        assert size >= 24
        wait_idle(page, app)
        click(app, "first")
        click(app, "step")  # the address asked this step to fail
        page.wait_for_function(
            "() => Array.from(document.querySelectorAll('.stepper-error')).some("
            "e => e.offsetParent !== null && e.innerText.trim() !== '')")
        body = page.inner_text("body")
        assert "Traceback" not in body
        wait_idle(page, app)
        shown = readout(app)
        click(app, "step")  # the page keeps working
        wait_readout(page, app, shown, present=False)
    finally:
        page.close()
