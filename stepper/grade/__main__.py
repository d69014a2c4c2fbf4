"""``python -m stepper.grade PATH``: grade one notebook or a folder of submissions.

PATH is a notebook (one attendee), a folder of one attendee's notebooks (with ``--single``),
or a folder of submissions: each ``*.ipynb`` in it, or each sub-folder, is one attendee.
Reports go to ``--out`` (default ``grading-results/``). The exit code is 0 whenever grading
ran, whatever the scores; 2 for a bad command line.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

from stepper.grade import catalog
from stepper.grade.batch import grade_all, submissions_in
from stepper.grade.reports import summary, write_reports
from stepper.grade.runner import grade_submission


class Progress:
    """A one-line progress bar on stderr: attendees done, failures so far, time left.

    In a terminal the line is redrawn in place; otherwise (a log, CI) one line per attendee.
    """

    WIDTH = 28

    def __init__(self, total: int, *, quiet: bool = False, stream=None) -> None:
        self.total, self.quiet = total, quiet
        self.stream = stream or sys.stderr
        self.done = self.failures = 0
        self.start = time.monotonic()
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.lock = threading.Lock()

    def line(self) -> str:
        elapsed = time.monotonic() - self.start
        left = elapsed / self.done * (self.total - self.done) if self.done else None
        filled = int(self.WIDTH * self.done / self.total) if self.total else self.WIDTH
        eta = "?" if left is None else f"{int(left) // 60}m{int(left) % 60:02d}s"
        return (f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {self.done}/{self.total} "
                f"attendees, {self.failures} with failures, {eta} left")

    def update(self, result) -> None:
        with self.lock:
            self._update(result)

    def _update(self, result) -> None:
        self.done += 1
        broken = {"crashed", "timed out", "error"}
        if result.problems or any(t["status"] in broken for t in result.tests):
            self.failures += 1
        if self.quiet:
            return
        if self.tty:
            print("\r" + self.line(), end="", file=self.stream, flush=True)
        else:
            print(f"{self.line()}  (graded {result.attendee}: {result.score:g}/"
                  f"{result.max_score:g})", file=self.stream, flush=True)

    def finish(self) -> None:
        if self.tty and not self.quiet:
            print(file=self.stream, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stepper.grade", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", type=Path)
    parser.add_argument("--out", type=Path, default=Path("grading-results"))
    parser.add_argument("--jobs", type=int, default=2, help="submissions graded at once")
    parser.add_argument("--single", action="store_true",
                        help="PATH is a folder of one attendee's notebooks")
    hidden = parser.add_mutually_exclusive_group()
    hidden.add_argument("--hidden", dest="hidden", action="store_true", default=None,
                        help="include the hidden tests (default when installed)")
    hidden.add_argument("--visible-only", dest="hidden", action="store_false")
    parser.add_argument("--sets", help="comma-separated set numbers, e.g. 1,2")
    parser.add_argument("--tasks", help="comma-separated task ids, e.g. 1.5,2.3")
    parser.add_argument("--timeout", type=float, help="cap every per-test time limit (s)")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    if not args.path.exists():
        parser.error(f"{args.path} does not exist")
    options = {
        "sets": args.sets.split(",") if args.sets else None,
        "tasks": set(args.tasks.split(",")) if args.tasks else None,
        "include_hidden": args.hidden,
        "timeout_cap": args.timeout,
    }
    if options["sets"] and not set(options["sets"]) <= set(catalog.SETS):
        parser.error(f"--sets must be among {', '.join(catalog.SETS)}")
    start = time.monotonic()
    single = args.single or args.path.is_file()
    if single:
        results = [grade_submission(args.path, **options)]
    else:
        bar = Progress(len(submissions_in(args.path)), quiet=args.quiet)
        results = grade_all(args.path, jobs=args.jobs, progress=bar.update, **options)
        bar.finish()
    elapsed = time.monotonic() - start
    paths = write_reports(results, args.out, single=single)
    print(summary(results))
    rate = len(results) / elapsed * 60 if elapsed > 0 else float("inf")
    print(f"\n{len(results)} submission(s) graded in {elapsed:.1f} s ({rate:.1f} per minute); "
          f"reports: {paths['results']}, {paths['junit']}, {paths['grades']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
