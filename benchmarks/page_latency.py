"""How fast the lesson pages feel, in headless Chromium against a real Voilà server.

For each lesson page (a fresh page, so a fresh kernel and Spark JVM):

* **first render**: from navigation to Voilà's spinner gone and, on pages with a control bar, the
  bar's first figure decoded (target ≤ 15 s, JVM included when the page starts Spark before it
  renders);
* **ready**: until the bar's status line is empty (the Spark JVM started and the data loaded,
  for pages that start Spark in the background after rendering);
* **Step** and **Back**: click → the first figure of the app updated in the page (an ``<img>``
  swapped or a diagram redrawn), p50 and p95 (targets: Step p50 ≤ 0.3 s, Back p50 ≤ 0.1 s).
  Steps into the next iteration (which may wait for its Spark job, unless it was computed
  ahead while the previous one was shown) are reported apart from steps to the next phase;
* **heavy parts** (lessons 3 and 4, the kit's ``HeavyPart``): each Run button in turn, the
  seconds until its progress line shows and until it is done, and a Step clicked meanwhile
  (``--quick``: at their ``?quick=1`` sizes).

The clicks and the timing happen inside the page (``performance.now()`` and a
MutationObserver), so Playwright's own round trips are not counted.

    .venv/bin/python benchmarks/page_latency.py                      # every lesson
    .venv/bin/python benchmarks/page_latency.py --lesson 02_distributed_gd --steps 30
    .venv/bin/python benchmarks/page_latency.py --json out.json

Voilà runs on a free port in 8870-8879 with the Spark UI off. The machine is shared: quote the
figures as orders of magnitude.
"""

from __future__ import annotations

import argparse
import glob
import itertools
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LESSONS = os.path.join(ROOT, "lessons")
sys.path.insert(0, os.path.join(ROOT, "tests", "browser"))
import browser_pages  # noqa: E402
from browser_pages import (  # noqa: E402
    TOKEN,
    chromium,
    lesson_url,
    server_command,
    start_server,
    stop_server,
)

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 300_000

CLICK_AND_TIME = """
async ([app, action]) => {
  const button = app.querySelector('.stepper-key-' + action);
  const readout = app.querySelector('.stepper-readout');
  const status = app.querySelector('.stepper-status');
  const before = readout.innerText;
  let busy = false;  // the status line shows "Spark is computing…": a new iteration
  const watch = new MutationObserver(() => { if (status.innerText.trim()) { busy = true; } });
  watch.observe(status, {subtree: true, childList: true, characterData: true});
  return await new Promise((resolve) => {
    let done = false;
    const t0 = performance.now();
    const finish = (ms) => {
      if (done) { return; }
      done = true; observer.disconnect();
      setTimeout(() => { watch.disconnect();
                         resolve({ms: ms, busy: busy, before: before, after: readout.innerText});
                       }, 0);
    };
    const observer = new MutationObserver((mutations) => {
      for (const m of mutations) {
        const el = m.target.nodeType === 1 ? m.target : m.target.parentElement;
        if (!el) { continue; }
        if ((m.type === 'attributes' && el.tagName === 'IMG') ||
            (el.closest && el.closest('.stepper-svg'))) {
          finish(performance.now() - t0); return;
        }
      }
    });
    observer.observe(app, {subtree: true, childList: true, characterData: true,
                           attributes: true, attributeFilter: ['src']});
    button.click();
    setTimeout(() => finish(-1), 120000);
  });
}
"""

IDLE = ("(app) => { const s = app.querySelector('.stepper-status');"
        " return s && s.innerText.trim() === ''; }")


def free_port() -> int:
    """A free port for the server (browser_pages' range), or exit with its one line."""
    try:
        return browser_pages.free_port()
    except RuntimeError as exc:
        raise SystemExit(str(exc)) from None


def start_voila(port: int) -> subprocess.Popen:
    """make lessons' Jupyter server (Voilà as its extension) on ``port``, once it answers."""
    env = dict(os.environ, STEPPER_UI_PORT="")
    env.pop("STEPPER_WORK_DIR", None)
    try:
        return start_server(server_command(port), f"http://127.0.0.1:{port}", TOKEN, env=env)
    except RuntimeError:
        raise SystemExit("the Jupyter server did not start") from None


def stop_voila(server: subprocess.Popen) -> None:
    stop_server(server)


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def summary(values: list[float]) -> dict:
    return {"n": len(values), "p50": percentile(values, 0.5), "p95": percentile(values, 0.95),
            "mean": statistics.fmean(values) if values else None}


def iteration_of(readout: str) -> int:
    """k in "Iteration k · …" (−1 when absent)."""
    words = readout.replace("·", " ").split()
    for first, second in itertools.pairwise(words):
        if first == "Iteration" and second.isdigit():
            return int(second)
    return -1


def has_control_bar(name: str) -> bool:
    """Whether a lesson notebook builds the shared control bar (LessonApp, lesson 1's explorer)."""
    import nbformat

    nb = nbformat.read(os.path.join(LESSONS, name + ".ipynb"), as_version=4)
    source = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    return "LessonApp" in source or ".explorer(" in source or ".stepper(" in source


def measure(browser, url: str, steps: int, bar: bool) -> dict:
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.set_default_timeout(TIMEOUT_MS)
    result: dict = {"url": url}
    started = time.perf_counter()
    page.goto(url, timeout=TIMEOUT_MS, wait_until="domcontentloaded")
    page.wait_for_selector("#loading", state="hidden", timeout=TIMEOUT_MS)
    app = None
    if bar:
        page.wait_for_selector(".stepper-app .stepper-key-step", timeout=TIMEOUT_MS)
        app = page.query_selector(".stepper-app")
        page.wait_for_function(
            "(app) => Array.from(app.querySelectorAll('img')).some("
            "i => i.complete && i.naturalWidth > 0) || app.querySelector('svg')", arg=app)
    result["first_render_s"] = time.perf_counter() - started
    if app is None:
        page.close()
        return result
    page.wait_for_function(IDLE, arg=app, timeout=TIMEOUT_MS)
    result["ready_s"] = time.perf_counter() - started
    app.query_selector(".stepper-key-first").click()
    page.wait_for_timeout(300)
    computed, revealed, back = [], [], []
    for _ in range(steps):
        out = page.evaluate(CLICK_AND_TIME, [app, "step"])
        page.wait_for_function(IDLE, arg=app, timeout=TIMEOUT_MS)
        page.wait_for_timeout(120)
        if out["ms"] >= 0:
            into_next = iteration_of(out["after"]) > iteration_of(out["before"])
            (computed if into_next else revealed).append(out["ms"] / 1e3)
    for _ in range(steps):
        out = page.evaluate(CLICK_AND_TIME, [app, "back"])
        page.wait_for_timeout(120)
        if out["ms"] >= 0:
            back.append(out["ms"] / 1e3)
    result["step_next_iteration"] = summary(computed)
    result["step_next_phase"] = summary(revealed)
    result["step_all"] = summary(computed + revealed)
    result["back"] = summary(back)
    if page.query_selector(".stepper-part-status") is not None:  # heavy parts (lessons 3, 4)
        result["parts"] = measure_parts(page, app)
    page.close()
    return result


STEP_LATER = ("([app, code]) => { window.stepperPartStep = eval(code)([app, 'step']);"
              " return true; }")
"""Click Step and time it (:data:`CLICK_AND_TIME`) without waiting: the polling of the part
goes on meanwhile; ``window.stepperPartStep`` (a promise) holds the timing."""
PART_STATE = """(part) => {
  const s = part.querySelector('.stepper-part-status');
  const e = part.querySelector('.stepper-error');
  return {busy: !!(s && s.querySelector('.stepper-busy')), line: s ? s.innerText.trim() : '',
          failed: !!(e && e.offsetParent)}; }"""


def measure_parts(page, app) -> dict:
    """The page's heavy parts (the kit's ``HeavyPart``: buttons ``.stepper-run-<name>`` in
    ``.stepper-part-<name>``), each started by its button in turn, the page's state polled every
    0.1 s: the seconds until its progress line shows and until it is done (its status line no
    longer busy), the distinct progress lines seen, and one Step clicked while it runs (the page
    must stay responsive: that Step's time is reported)."""
    out = {}
    for button in page.query_selector_all("[class*='stepper-run-']"):
        name = next(c for c in (button.get_attribute("class") or "").split()
                    if c.startswith("stepper-run-"))[len("stepper-run-"):]
        part = page.query_selector(f".stepper-part-{name}")
        button.scroll_into_view_if_needed()
        started = time.perf_counter()
        button.click()
        lines, progress = set(), None
        while time.perf_counter() - started < 4 * TIMEOUT_MS / 1e3:
            state = page.evaluate(PART_STATE, part)
            if state["failed"] or (state["line"] and not state["busy"]):
                break
            if state["busy"]:
                lines.add(state["line"])
                if progress is None:
                    progress = time.perf_counter() - started
                    page.evaluate(STEP_LATER, [app, CLICK_AND_TIME])
            page.wait_for_timeout(100)
        done = time.perf_counter() - started
        step_ms = page.evaluate("async () => (await window.stepperPartStep)['ms']") \
            if progress is not None else -1
        out[name] = {"progress_s": progress, "done_s": done, "progress_lines": len(lines),
                     "failed": state["failed"],
                     "step_while_running_s": step_ms / 1e3 if step_ms >= 0 else None}
        page.wait_for_function(IDLE, arg=app, timeout=TIMEOUT_MS)
    return out


def show(name: str, r: dict) -> None:
    def fmt(s: dict | None) -> str:
        if not s or not s["n"]:
            return "—"
        return f"p50 {s['p50']:.3f} s, p95 {s['p95']:.3f} s (n={s['n']})"

    print(f"\n{name}")
    print(f"  first render          {r['first_render_s']:.1f} s")
    if "ready_s" in r:
        print(f"  ready (Spark up)      {r['ready_s']:.1f} s")
        print(f"  Step, all clicks      {fmt(r['step_all'])}")
        print(f"  Step, next phase      {fmt(r['step_next_phase'])}")
        print(f"  Step, next iteration  {fmt(r['step_next_iteration'])}")
        print(f"  Back                  {fmt(r['back'])}")
    for part, times in r.get("parts", {}).items():
        during = times["step_while_running_s"]
        shown = times["progress_s"]
        print(f"  part {part:<16} progress "
              + ("—" if shown is None else f"{shown:.2f} s")
              + f" ({times['progress_lines']} lines), "
              + ("failed" if times["failed"] else "done") + f" {times['done_s']:.1f} s, "
              + "Step meanwhile " + ("—" if during is None else f"{during:.2f} s"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lesson", action="append", help="a notebook name (repeatable)")
    parser.add_argument("--steps", type=int, default=24, help="Step (and Back) clicks per page")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--quick", action="store_true",
                        help="the heavy parts at their ?quick=1 sizes (adds quick=1 to each "
                             "page's address; the full sizes otherwise)")
    parser.add_argument("--query", default="", help="added to each page's address (quick=1)")
    args = parser.parse_args()
    names = args.lesson or sorted(os.path.splitext(os.path.basename(p))[0]
                                  for p in glob.glob(os.path.join(LESSONS, "*.ipynb")))
    from playwright.sync_api import sync_playwright

    port = free_port()
    server = start_voila(port)
    results = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium(), headless=True,
                                                 args=FLAGS)
            query = "&".join(q for q in (args.query, "quick=1" if args.quick else "") if q)
            for name in names:
                url = lesson_url(f"http://127.0.0.1:{port}", name, query)
                results[name] = measure(browser, url, args.steps, has_control_bar(name))
                show(name, results[name])
            browser.close()
    finally:
        stop_voila(server)
    if args.json:
        with open(args.json, "w") as out:
            json.dump(results, out, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
