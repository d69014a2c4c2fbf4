"""Grading throughput: submissions graded per minute (``python benchmarks/grading.py``).

Builds a folder of N attendee submissions and grades it the way the instructor does
(``python -m stepper.grade FOLDER``: each submission in a fresh child process, ``--jobs`` at a
time, hidden tests included, the four reports written), then prints submissions per minute.

* default: set 1 only (pure numpy, no Spark), N cycling through the solved notebook, the
  untouched one and the typical wrong answers of tests/fixtures/submissions;
* ``--spark``: every attendee hands in all four solved notebooks (each child starts its own
  Spark session in local mode: the realistic worst case of a full class);
* ``--both``: both in one run, so their ratio is measured under the same machine load.

The machine is shared and noisy: quote figures as orders of magnitude, compare ratios.

    python benchmarks/grading.py                 # 30 set-1 submissions
    python benchmarks/grading.py 10 --spark      # 10 full submissions (all sets, Spark)
    python benchmarks/grading.py --both --json out.json
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from stepper.grade.batch import grade_all  # noqa: E402
from stepper.grade.reports import write_reports  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "submissions"


def make_folder(folder: Path, n: int, spark: bool) -> None:
    """N attendee folders of notebooks to grade."""
    wrong = [p for p in sorted(FIXTURES.glob("01_*.ipynb"))
             if not any(bad in p.name for bad in ("not_json", "loop", "crash", "exits"))]
    pool = [ROOT / "solutions" / "01_oracles.ipynb", ROOT / "exercises" / "01_oracles.ipynb",
            *wrong]
    for i in range(n):
        target = folder / f"attendee{i:03d}"
        if spark:
            shutil.copytree(ROOT / "solutions", target)
        else:
            target.mkdir(parents=True)
            shutil.copy(pool[i % len(pool)], target / "01_oracles.ipynb")


def measure(n: int, spark: bool, jobs: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="stepper-bench-") as tmp:
        folder = Path(tmp) / "subs"
        make_folder(folder, n, spark)
        start = time.monotonic()
        results = grade_all(folder, jobs=jobs, include_hidden=True)
        write_reports(results, Path(tmp) / "out")
        elapsed = time.monotonic() - start
    graded = sum(1 for r in results if r.tests)
    return {"kind": "all sets, Spark" if spark else "set 1, no Spark", "submissions": n,
            "graded": graded, "jobs": jobs, "seconds": round(elapsed, 2),
            "per_minute": round(n / elapsed * 60, 1),
            "median_submission_seconds": round(sorted(r.seconds for r in results)[n // 2], 2),
            "tests_per_submission": max(len(r.tests) for r in results)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python benchmarks/grading.py",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, nargs="?", default=None,
                        help="submissions (default 30 without Spark, 6 with)")
    parser.add_argument("--spark", action="store_true", help="all four sets (Spark)")
    parser.add_argument("--both", action="store_true", help="set 1 and all sets, in one run")
    parser.add_argument("--jobs", type=int, default=2, help="submissions graded at once")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    kinds = [False, True] if args.both else [args.spark]
    figures = []
    for spark in kinds:
        n = args.n or (6 if spark else 30)
        figure = measure(n, spark, args.jobs)
        figures.append(figure)
        print(f"{figure['submissions']} submissions ({figure['kind']}, {figure['jobs']} at a "
              f"time, {figure['tests_per_submission']} tests each) in {figure['seconds']:.1f} s: "
              f"{figure['per_minute']:.1f} submissions per minute "
              f"(median {figure['median_submission_seconds']:.1f} s per submission)",
              flush=True)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
