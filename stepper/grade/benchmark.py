"""Grading throughput: ``python -m stepper.grade.benchmark [N] [--spark]``.

Generates N submissions (cycling through the solved notebook, the untouched one and typical
wrong answers), grades them as a folder with the default two at a time, and prints submissions
per minute. Without ``--spark`` only set 1 (pure numpy) is graded; with it, the full solved
folder (all four sets, one Spark session per submission) is graded N times.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from stepper.grade.batch import grade_all
from stepper.grade.reports import write_reports

ROOT = Path(__file__).resolve().parents[2]


def make_folder(folder: Path, n: int, spark: bool) -> None:
    """N attendee folders of notebooks to grade."""
    fixtures = sorted((ROOT / "tests" / "fixtures" / "submissions").glob("01_*.ipynb"))
    wrong = [p for p in fixtures if "not_json" not in p.name and "loop" not in p.name
             and "crash" not in p.name]
    pool = [ROOT / "solutions" / "01_oracles.ipynb", ROOT / "exercises" / "01_oracles.ipynb",
            *wrong]
    for i in range(n):
        target = folder / f"attendee{i:03d}"
        if spark:
            shutil.copytree(ROOT / "solutions", target)
        else:
            target.mkdir(parents=True)
            shutil.copy(pool[i % len(pool)], target / "01_oracles.ipynb")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stepper.grade.benchmark")
    parser.add_argument("n", type=int, nargs="?", default=30)
    parser.add_argument("--spark", action="store_true", help="grade all sets (Spark)")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="stepper-bench-") as tmp:
        folder = Path(tmp) / "subs"
        make_folder(folder, args.n, args.spark)
        start = time.monotonic()
        results = grade_all(folder, jobs=args.jobs, include_hidden=True)
        elapsed = time.monotonic() - start
        write_reports(results, Path(tmp) / "out")
    kind = "all sets, Spark" if args.spark else "set 1, no Spark"
    print(f"{args.n} submissions ({kind}, {args.jobs} at a time) in {elapsed:.1f} s: "
          f"{args.n / elapsed * 60:.1f} submissions per minute")
    return 0


if __name__ == "__main__":
    sys.exit(main())
