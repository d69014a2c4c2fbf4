"""The room: memory of one instructor page and 30 followers on one server, and the latency from
the instructor's page to the followers' pages.

**Memory** (``--part memory``): ``make lessons``' Jupyter server; the instructor's lesson 2 page
(``?room=``) and ``--followers`` attendees' pages (``?follow=``), each opened as a browser
would, without a browser: the page is fetched (Voilà starts the page's kernel and runs the
notebook while it streams the page), then the page's kernel websocket
(``/api/kernels/<id>/channels``) is opened and read, as the page's JavaScript would. The
instructor's page is stepped by execute requests on its kernel websocket; the benchmark checks
that every follower's kernel sent the instructor's last position to its (absent) browser. It
prints the RSS summed over the server and all its descendants (kernels, the instructor's Spark
JVM), and the unique set size (USS) sum, which does not count shared pages twice. Goal: RSS sum
within 6 GB.

**Latency** (``--part latency``): headless Chromium, the instructor's page and ``--pages``
followers' pages. The benchmark clicks Step on the instructor's page ``--steps`` times; each
follower page records, with a MutationObserver, the moment its room bar shows the instructor's
new position (the kernel writes it after redrawing the page's views; its ``data-sent`` is the
instructor's clock when the position and its record were ready, before the instructor's page
drew it). Latency = follower's ``Date.now()`` − ``data-sent`` (same machine, same clock). Goal:
p95 ≤ 1 s. It is split with the follower's ``data-received`` (its kernel got the position) and
``data-drawn`` (its kernel had updated the views, before the bar): transport, the kernel's
drawing (waiting for the CPU included), and the rest (widget messages, the browser).

    .venv/bin/python benchmarks/room.py                       # both parts
    .venv/bin/python benchmarks/room.py --part memory --followers 30
    .venv/bin/python benchmarks/room.py --part latency --pages 5 --steps 30

The machine is shared: quote the figures as orders of magnitude.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
import urllib.request
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "browser"))
sys.path.insert(0, os.path.join(ROOT, "benchmarks"))
from browser_pages import TOKEN, launched_chromium, lesson_url  # noqa: E402
from page_latency import free_port, start_voila, stop_voila  # noqa: E402

LESSON = "02_distributed_gd"
KERNEL_ID = re.compile(r'"kernelId"\s*:\s*"([0-9a-f-]{36})"|kernel_id=([0-9a-f-]{36})|'
                       r'"kernel_id"\s*:\s*"([0-9a-f-]{36})"')
TIMEOUT_MS = 300_000
SHOWN = re.compile(r'data-live=\\"1\\" data-iteration=\\"(\d+)\\" data-phase=\\"(\d+)\\" '
                   r'data-sent')


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# -- memory: pages driven at the websocket level ---------------------------------------------------
class KernelPage:
    """A lesson page opened without a browser: the page fetched, its kernel's websocket read."""

    def __init__(self, server: str, query: str) -> None:
        url = lesson_url(server, LESSON, query)
        with urllib.request.urlopen(url, timeout=600) as answer:  # Voilà runs the notebook
            page = answer.read().decode("utf-8", "replace")
        found = KERNEL_ID.search(page)
        if found is None:
            raise SystemExit(f"no kernel id in the page {url}")
        self.kernel_id = next(g for g in found.groups() if g)
        self.session = uuid.uuid4().hex
        self.texts: list[str] = []
        import websocket

        ws_url = (server.replace("http://", "ws://") + f"/api/kernels/{self.kernel_id}/channels"
                  f"?token={TOKEN}&session_id={self.session}")
        self.socket = websocket.create_connection(ws_url, timeout=600)
        import threading

        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        while True:
            try:
                text = self.socket.recv()
            except Exception:
                return
            if isinstance(text, str) and ("stepper-room" in text or "ROOM-AT" in text):
                self.texts.append(text)

    def execute(self, code: str) -> None:
        message = {"header": {"msg_id": uuid.uuid4().hex, "username": "bench",
                              "session": self.session, "msg_type": "execute_request",
                              "version": "5.3", "date": ""},
                   "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                   "content": {"code": code, "silent": False, "store_history": False,
                               "user_expressions": {}, "allow_stdin": False}}
        self.socket.send(json.dumps(message))

    def reported_position(self) -> tuple[int, int] | None:
        """What ``print("ROOM-AT", k, i)`` run in this page's kernel printed."""
        for text in self.texts:
            found = re.search(r"ROOM-AT (\d+) (\d+)", text)
            if found and '"stream"' in text:
                return int(found.group(1)), int(found.group(2))
        return None

    def last_shown(self) -> tuple[int, int]:
        """The last (iteration, phase) this follower's kernel showed, from the instructor."""
        last = (0, 0)
        for text in self.texts:
            for k, i in SHOWN.findall(text):
                last = (int(k), int(i))
        return last

    def saw(self, pattern: str) -> bool:
        return any(pattern in text for text in self.texts)

    def close(self) -> None:
        self.socket.close()


def tree_memory(pid: int) -> tuple[float, float, int]:
    """(RSS sum, USS sum) in GB over ``pid`` and its descendants, and how many processes."""
    import psutil

    root = psutil.Process(pid)
    processes = [root, *root.children(recursive=True)]
    rss = uss = 0
    for process in processes:
        try:
            info = process.memory_full_info()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        rss += info.rss
        uss += info.uss
    return rss / 1e9, uss / 1e9, len(processes)


def memory(followers: int, steps: int) -> dict:
    port = free_port()
    server = start_voila(port)
    base = f"http://127.0.0.1:{port}"
    room = "bench" + uuid.uuid4().hex[:6]
    pages: list[KernelPage] = []
    try:
        started = time.monotonic()
        lead = KernelPage(base, f"room={room}")
        pages.append(lead)
        print(f"instructor's page rendered in {time.monotonic() - started:.1f} s", flush=True)
        lead.execute("app = page.app; app.source.wait_ready(600); app.wait()")
        for number in range(followers):
            started = time.monotonic()
            pages.append(KernelPage(base, f"follow={room}"))
            print(f"follower {number + 1}/{followers} rendered in "
                  f"{time.monotonic() - started:.1f} s", flush=True)
        code = "\n".join(["app.source.wait_ready(600)", "app.wait()"]
                         + ["app.player.step(); app.wait()"] * steps
                         + ["p = app.player.position", "print('ROOM-AT', p.iteration, p.phase)"])
        lead.execute(code)
        deadline = time.monotonic() + 600
        while lead.reported_position() is None and time.monotonic() < deadline:
            time.sleep(1)
        final = lead.reported_position() or (-1, -1)
        while time.monotonic() < deadline:  # every follower shows the instructor's position
            if all(p.last_shown() == final for p in pages[1:]):
                break
            time.sleep(1)
        followed = sum(1 for p in pages[1:] if p.last_shown() == final)
        rss, uss, count = tree_memory(server.pid)
        return {"followers": followers, "followers_that_showed_a_step": followed,
                "instructor_position": final,
                "processes": count, "rss_gb": rss, "uss_gb": uss}
    finally:
        for page in pages:
            page.close()
        stop_voila(server)


# -- latency: real browser pages ------------------------------------------------------------
SEEN = """
() => {
  window.__seen = [];
  const record = () => {
    for (const el of document.querySelectorAll('.stepper-room-follow[data-sent]')) {
      if (el.dataset.live !== '1') continue;
      const key = el.dataset.sent + '/' + el.dataset.iteration + '/' + el.dataset.phase;
      if (!window.__seen.some(s => s.key === key)) {
        window.__seen.push({key, sent: parseFloat(el.dataset.sent), at: Date.now() / 1000,
                            received: parseFloat(el.dataset.received),
                            drawn: parseFloat(el.dataset.drawn),
                            iteration: parseInt(el.dataset.iteration)});
      }
    }
  };
  new MutationObserver(record).observe(document.body,
      {subtree: true, childList: true, attributes: true, characterData: true});
}
"""


def latency(pages: int, steps: int) -> dict:
    port = free_port()
    server = start_voila(port)
    base = f"http://127.0.0.1:{port}"
    room = "bench" + uuid.uuid4().hex[:6]
    opened = []
    try:
        with launched_chromium() as browser:
            def open_page(query: str):
                page = browser.new_page(viewport={"width": 1280, "height": 720})
                page.set_default_timeout(TIMEOUT_MS)
                page.goto(lesson_url(base, LESSON, query), timeout=TIMEOUT_MS,
                          wait_until="domcontentloaded")
                page.wait_for_selector("#loading", state="hidden", timeout=TIMEOUT_MS)
                opened.append(page)
                return page

            lead = open_page(f"room={room}")
            lead.wait_for_selector(".stepper-room-lead", timeout=TIMEOUT_MS)
            followers = [open_page(f"follow={room}") for _ in range(pages)]
            for page in followers:
                page.wait_for_selector(".stepper-room-follow", timeout=TIMEOUT_MS)
                page.evaluate(SEEN)
            app = lead.query_selector(".stepper-app")
            lead.wait_for_function(
                "(app) => app.querySelector('.stepper-status').innerText.trim() === ''",
                arg=app, timeout=TIMEOUT_MS)
            for _ in range(steps):
                before = app.query_selector(".stepper-readout").inner_text()
                app.query_selector(".stepper-key-step").click()
                lead.wait_for_function(
                    "([app, before]) => app.querySelector('.stepper-readout').innerText"
                    " !== before", arg=[app, before], timeout=TIMEOUT_MS)
                lead.wait_for_timeout(1200)
            lead.wait_for_timeout(3000)
            samples, iteration_samples, transport, drawing, showing = [], [], [], [], []
            for page in followers:
                seen = page.evaluate("() => window.__seen")
                last = None
                for item in seen:
                    delay = item["at"] - item["sent"]
                    samples.append(delay)
                    transport.append(item["received"] - item["sent"])
                    drawn = item.get("drawn")
                    if isinstance(drawn, float) and drawn == drawn:  # not NaN: stamped
                        drawing.append(item["drawn"] - item["received"])
                        showing.append(item["at"] - item["drawn"])
                    if last is not None and item["iteration"] != last:
                        iteration_samples.append(delay)
                    last = item["iteration"]
    finally:
        stop_voila(server)
    return {"pages": pages, "steps": steps, "samples": len(samples),
            "p50": statistics.median(samples) if samples else None,
            "p95": percentile(samples, 0.95) if samples else None,
            "max": max(samples) if samples else None,
            "transport_p50": statistics.median(transport) if transport else None,
            "transport_p95": percentile(transport, 0.95) if transport else None,
            "drawing_p50": statistics.median(drawing) if drawing else None,
            "drawing_p95": percentile(drawing, 0.95) if drawing else None,
            "showing_p50": statistics.median(showing) if showing else None,
            "showing_p95": percentile(showing, 0.95) if showing else None,
            "new_iteration_samples": len(iteration_samples),
            "new_iteration_p95": (percentile(iteration_samples, 0.95) if iteration_samples
                                  else None)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=("memory", "latency", "both"), default="both")
    parser.add_argument("--followers", type=int, default=30)
    parser.add_argument("--pages", type=int, default=5)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    out = {}
    if args.part in ("memory", "both"):
        m = memory(args.followers, min(args.steps, 12))
        out["memory"] = m
        print(f"memory: 1 instructor page + {m['followers']} followers "
              f"({m['followers_that_showed_a_step']} showed the instructor's last position, "
              f"iteration {m['instructor_position'][0]} phase {m['instructor_position'][1]}), "
              f"{m['processes']} processes: RSS sum {m['rss_gb']:.2f} GB (goal ≤ 6), "
              f"USS sum {m['uss_gb']:.2f} GB", flush=True)
    if args.part in ("latency", "both"):
        lat = latency(args.pages, args.steps)
        out["latency"] = lat
        def fmt(v):
            return ("n/a" if v is None else f"{v * 1000:.0f} ms")
        print(f"latency, instructor's position → shown on {lat['pages']} follower pages, "
              f"{lat['samples']} samples: p50 {fmt(lat['p50'])}, p95 {fmt(lat['p95'])} "
              f"(goal ≤ 1 s), max {fmt(lat['max'])}; steps into a new iteration "
              f"({lat['new_iteration_samples']}): p95 {fmt(lat['new_iteration_p95'])}; of which "
              f"instructor → follower's kernel p50 {fmt(lat['transport_p50'])}, p95 "
              f"{fmt(lat['transport_p95'])}; the follower's kernel drawing p50 "
              f"{fmt(lat['drawing_p50'])}, p95 {fmt(lat['drawing_p95'])}; from the kernel's "
              f"drawn page to the browser showing it p50 {fmt(lat['showing_p50'])}, p95 "
              f"{fmt(lat['showing_p95'])}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
