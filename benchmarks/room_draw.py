"""What a follower page's kernel spends on the instructor's steps: CPU per phase step.

Lesson 2's run is computed once on Spark (8 partitions, as the instructor's page would), its
records turned into the room's messages. Then lesson 2's page is built as a follower
(``?follow=``, no browser, no room server: its room client is closed at once) and the messages
are handed to its room (:meth:`stepper.room.page.PageRoom._message`, what the client's thread
calls), in the order the instructor's page publishes them: for each iteration, the new record,
then one position per phase. Between two positions the script waits ``--gap`` seconds (the
instructor's pace; 0 = back to back).

It prints the process's CPU time (every thread: the room's, the prerendering one) per phase
step, the CPU time of showing the positions alone (the room's thread and the drawing one: what
stands between a position's arrival and the page showing it), the wall time from handing a
position over to the page showing it (noisy; it includes waiting for the prerendering), and per
view the number of draws and their CPU time. CPU time does not
depend on the machine's load, wall time does: the figures are comparable between runs on the
shared machine.

    .venv/bin/python benchmarks/room_draw.py --iterations 6
    .venv/bin/python benchmarks/room_draw.py --iterations 6 --profile 25   # + cProfile top 25
    .venv/bin/python benchmarks/room_draw.py --records /tmp/records.json  # Spark once
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
import threading
import time
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def instructor_records(iterations: int) -> list[dict]:
    """Lesson 2's run on Spark, ``iterations`` records as the instructor's page sends them."""
    from stepper.algorithms import Settings
    from stepper.pages import lesson2_lab
    from stepper.pages.kit.data import load_2d
    from stepper.problems import Problem

    data = load_2d()
    stepper = lesson2_lab.make_stepper(data.X, data.y, 8, Problem("logistic"),
                                       Settings(algorithm="gd", lr="1/L", depth=2))
    for _ in range(iterations):
        stepper.step()
    return [r.to_dict() for r in stepper.records]


def count_draws(views, totals: dict, lock: threading.Lock) -> None:
    """Wrap each view's ``draw`` to add its thread CPU time and count to ``totals``."""
    for view in views:
        draw, view_name = view.draw, type(view).__name__

        def timed(frame, draw=draw, name=view_name):
            start = time.thread_time()
            try:
                return draw(frame)
            finally:
                with lock:
                    totals[name][0] += 1
                    totals[name][1] += time.thread_time() - start

        view.draw = timed


def thread_cpu(thread: threading.Thread | None) -> float:
    """CPU seconds ``thread`` has used so far (0 for none)."""
    if thread is None or thread.ident is None or not thread.is_alive():
        return 0.0
    return time.clock_gettime(time.pthread_getcpuclockid(thread.ident))


def prerenders_done() -> None:
    for thread in threading.enumerate():
        if thread.name == "room-prerender":
            thread.join()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=6)
    parser.add_argument("--gap", type=float, default=0.0,
                        help="seconds between two of the instructor's steps")
    parser.add_argument("--records", help="a JSON file keeping the records between runs "
                        "(written the first time; Spark is not started when it exists)")
    parser.add_argument("--profile", type=int, default=0,
                        help="print cProfile's top N functions (the room thread only)")
    args = parser.parse_args()

    started = time.monotonic()
    if args.records and os.path.exists(args.records):
        with open(args.records) as file:
            records = json.load(file)[: args.iterations]
        print(f"{len(records)} records from {args.records}", flush=True)
    else:
        records = instructor_records(args.iterations)
        print(f"{len(records)} records from Spark in {time.monotonic() - started:.0f} s",
              flush=True)
        if args.records:
            with open(args.records, "w") as file:
                json.dump(records, file)

    os.environ["QUERY_STRING"] = "follow=bench&server=http://127.0.0.1:9"
    from stepper.pages.lesson2 import Lesson2Page

    lesson = Lesson2Page()
    room = lesson.app.room
    room.client.close()  # no server: this script hands the messages over itself
    room.client = None
    app = lesson.app
    totals: dict[str, list] = defaultdict(lambda: [0, 0.0])
    lock = threading.Lock()
    count_draws(app.views, totals, lock)
    settings = {"algorithm": "gd", "seed": None, "phases": True}
    room._message({"type": "snapshot", "settings": settings, "records": [], "position":
                   {"iteration": 0, "phase": 0, "sent": time.time()}, "states": {},
                   "instructor": True})
    prerenders_done()
    if hasattr(room, "wait_drawn"):
        room.wait_drawn(60)
    for view in totals.values():
        view[:] = [0, 0.0]
    profile = cProfile.Profile() if args.profile else None
    steps, position_cpu, worst, walls = 0, 0.0, 0.0, []
    cpu0, wall0 = time.process_time(), time.monotonic()
    for k, record in enumerate(records, start=1):
        room._message({"type": "records", "start": k - 1, "records": [record],
                       "sent": time.time()})
        for phase in range(len(app.player.phase_list(k))):
            if args.gap:
                time.sleep(args.gap)
            drawer = getattr(room, "_drawer", None)
            start, handed = time.thread_time() + thread_cpu(drawer), time.monotonic()
            if profile is not None:
                profile.enable()
            room._message({"type": "position", "iteration": k, "phase": phase,
                           "sent": time.time()})
            if hasattr(room, "wait_drawn"):  # positions are drawn on a thread of their own
                room.wait_drawn(60)
            if profile is not None:
                profile.disable()
            walls.append(time.monotonic() - handed)
            drawer = drawer or getattr(room, "_drawer", None)
            spent = time.thread_time() + thread_cpu(drawer) - start
            position_cpu += spent
            worst = max(worst, spent)
            steps += 1
            assert (app.player.position.iteration, app.player.position.phase) == (k, phase)
    prerenders_done()
    cpu, wall = time.process_time() - cpu0, time.monotonic() - wall0
    print(f"{steps} phase steps over {len(records)} iterations "
          f"({steps / len(records):.1f} phases an iteration), --gap {args.gap}")
    print(f"process CPU per phase step: {1000 * cpu / steps:.1f} ms "
          f"(total {cpu:.2f} s; wall {wall:.2f} s)")
    print(f"showing the positions:      {1000 * position_cpu / steps:.1f} ms CPU per step, "
          f"worst {1000 * worst:.0f} ms")
    walls.sort()
    print(f"position handed → shown, wall (noisy): p50 {1000 * walls[len(walls) // 2]:.0f} ms, "
          f"p95 {1000 * walls[round(0.95 * (len(walls) - 1))]:.0f} ms")
    print("draws per view (all threads):")
    for name, (count, seconds) in sorted(totals.items(), key=lambda kv: -kv[1][1]):
        print(f"  {name:<14} {count:4d} draws  {1000 * seconds:8.0f} ms CPU  "
              f"({1000 * seconds / steps:5.1f} ms per phase step)")
    if profile is not None:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
