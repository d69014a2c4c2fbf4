"""Grading throughput of a realistic class (``python benchmarks/grading.py``): attendees graded
per minute, and the share of the grading CPU time spent starting Spark.

Builds a class of N attendees in a temporary folder, each handing in every set, in the
proportions of a real class of 30: 20 solved (solutions/), 5 with typical wrong answers (the
edits of tests/fixtures/submissions/make.py's WRONG_ANSWERS, one set wrong each, the other
sets solved), 3 untouched (exercises/), 2 with an infinite loop in a task (one in plain numpy,
one inside a Spark partition function). Then grades it with the real command line,
``python -m stepper.grade FOLDER --jobs J --out OUT --quiet``, and prints:

* attendees per minute and the total wall time;
* the grading run's CPU time (user + sys of the whole process tree: this script is a child
  subreaper, so the JVMs and Python workers are counted even when orphaned);
* the Spark starts seen (driver JVMs of the grading run, sampled from /proc every 0.2 s),
  the CPU time of one fresh-process Spark start plus its first small job with the grader's own
  configuration (``stepper.grade.sandbox.start_spark``, measured ``--start-runs`` times in
  this same run), and the share ``starts × CPU per start / total CPU``.

``STEPPER_GRADE_FAST=0`` in the environment grades with the pre-fast-start configuration (a full
SparkSession with default JVM flags, no AppCDS archive) for an A/B comparison in one checkout.
The AppCDS archive is made before the clock starts (a one-time cost per machine, printed).

    python benchmarks/grading.py                          # 30 attendees, --jobs 2
    python benchmarks/grading.py --attendees 10 --jobs 2
    STEPPER_GRADE_FAST=0 python benchmarks/grading.py     # the grader's old Spark start

The machine is shared and noisy: quote figures as orders of magnitude and compare ratios
measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "submissions"))

from make import BAD_BEHAVIOUR, WRONG_ANSWERS, make  # noqa: E402
from spark_start import become_subreaper, reap_all  # noqa: E402 (this folder)

# One fresh-process start with the grader's configuration, plus the first small job.
START_CHILD = r"""
import sys
from stepper.grade.sandbox import start_spark
spark = start_spark()
sc = spark.sparkContext
def block(rows):
    import numpy as np
    yield float(np.sum(np.asarray(list(rows), dtype=float)))
assert sum(sc.parallelize(range(30), 3).mapPartitions(block).collect()) == 435.0
spark.stop()
"""


def class_mix(n: int) -> list[str]:
    """Kinds of the N attendees, in the proportions 20 : 5 : 3 : 2 of a class of 30."""
    counts = {"wrong": round(n * 5 / 30), "untouched": round(n * 3 / 30),
              "loop": round(n * 2 / 30)}
    counts["solved"] = max(0, n - sum(counts.values()))
    kinds = [kind for kind, count in counts.items() for _ in range(count)]
    return sorted(kinds[:n], key=["solved", "wrong", "untouched", "loop"].index)


def make_class(folder: Path, n: int) -> dict[str, int]:
    """Write N attendee folders of every set's notebook each; return how many of each kind."""
    loops = [c for c in BAD_BEHAVIOUR if c.name in ("infinite_loop", "partition_loop")]
    kinds = class_mix(n)
    seen = {"solved": 0, "wrong": 0, "untouched": 0, "loop": 0}
    scratch = folder / ".scratch"
    scratch.mkdir(parents=True)
    for i, kind in enumerate(kinds):
        target = folder / f"attendee{i:03d}"
        source = ROOT / ("exercises" if kind == "untouched" else "solutions")
        # an English class: the French copies (fr/) left out
        shutil.copytree(source, target, ignore=shutil.ignore_patterns(".*", "fr"))
        case = None
        if kind == "wrong":
            case = WRONG_ANSWERS[(seen["wrong"] * 4 + 3) % len(WRONG_ANSWERS)]
        elif kind == "loop":
            case = loops[seen["loop"] % len(loops)]
        if case is not None:
            written = make(case, scratch)
            shutil.move(str(written), target / f"{case.notebook}.ipynb")
        seen[kind] += 1
    shutil.rmtree(scratch)
    return seen


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def descends_from(pid: int, root: int) -> bool:
    for _ in range(20):
        if pid == root:
            return True
        try:
            with open(f"/proc/{pid}/stat") as stat:
                pid = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            return False
        if pid <= 1:
            return pid == root
    return False


def is_driver_jvm(pid: str, cmd: bytes) -> bool:
    """A driver JVM (``java ... SparkSubmit``): not the ``spark-class`` bash script nor its
    subshell (same command line until the script execs java), nor the launcher JVM
    (``org.apache.spark.launcher.Main``) that builds the driver's command line."""
    if b"org.apache.spark.deploy.SparkSubmit" not in cmd or b"launcher.Main" in cmd:
        return False
    try:
        return os.path.basename(os.readlink(f"/proc/{pid}/exe")) == "java"
    except OSError:
        return False


class SparkStarts:
    """Driver JVMs (``SparkSubmit``) started under one process, sampled from /proc."""

    def __init__(self) -> None:
        self.seen: set[tuple[int, str]] = set()
        self.stop = threading.Event()

    def watch(self, root: int) -> None:
        while not self.stop.wait(0.2):
            for entry in os.listdir("/proc"):
                if not entry.isdigit():
                    continue
                try:
                    cmd = Path(f"/proc/{entry}/cmdline").read_bytes()
                    started = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[19]
                except OSError:
                    continue
                if not is_driver_jvm(entry, cmd) or not descends_from(int(entry), root):
                    continue
                self.seen.add((int(entry), started))


def measure_start(runs: int) -> list[float]:
    """CPU seconds of fresh-process Spark starts (+ first job) with the grader's configuration."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cpus = []
    for _ in range(runs):
        before = children_cpu()
        subprocess.run([sys.executable, "-c", START_CHILD], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        reap_all()
        cpus.append(children_cpu() - before)
    return cpus


def grade(folder: Path, out: Path, jobs: int) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    starts = SparkStarts()
    before = children_cpu()
    begin = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "stepper.grade", str(folder), "--jobs",
                             str(jobs), "--out", str(out), "--quiet"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    watcher = threading.Thread(target=starts.watch, args=(proc.pid,), daemon=True)
    watcher.start()
    output, _ = proc.communicate()
    wall = time.monotonic() - begin
    starts.stop.set()
    watcher.join()
    reap_all()
    cpu = children_cpu() - before
    if proc.returncode != 0:
        raise SystemExit(f"grading failed (exit {proc.returncode}):\n{output[-2000:]}")
    return {"wall": wall, "cpu": cpu, "spark_starts": len(starts.seen), "output": output}


def scores(out: Path) -> dict[str, tuple[float, float]]:
    """Each attendee's score, from the combined results.json."""
    data = json.loads((out / "results.json").read_text())
    return {name: (row["score"], row["max_score"]) for name, row in data["submissions"].items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python benchmarks/grading.py",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--attendees", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--start-runs", type=int, default=3,
                        help="fresh-process Spark starts measured for the share (default 3)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    become_subreaper()
    fast = os.environ.get("STEPPER_GRADE_FAST", "1") != "0"
    if fast:
        from stepper.session import CDS_ENV, ensure_cds, usable_cds

        began = time.monotonic()
        archive = usable_cds(os.environ.get(CDS_ENV)) or ensure_cds()
        print(f"AppCDS archive: {archive} (ready in {time.monotonic() - began:.1f} s; made on "
              "the first run only)", flush=True)
        if archive is not None:
            os.environ[CDS_ENV] = str(archive)
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="stepper-bench-class-") as tmp:
        folder = Path(tmp) / "class"
        kinds = make_class(folder, args.attendees)
        start_cpus = measure_start(args.start_runs)
        figures = grade(folder, Path(tmp) / "out", args.jobs)
        total = scores(Path(tmp) / "out")
    per_start = statistics.median(start_cpus)
    share = figures["spark_starts"] * per_start / figures["cpu"] if figures["cpu"] else 0.0
    rate = args.attendees / figures["wall"] * 60
    summary = {
        "configuration": "fast start (stepper.session.start_fast_local)" if fast
        else "pre-fast start (STEPPER_GRADE_FAST=0)",
        "attendees": args.attendees, "kinds": kinds, "jobs": args.jobs,
        "wall_seconds": round(figures["wall"], 1),
        "attendees_per_minute": round(rate, 2),
        "cpu_seconds": round(figures["cpu"], 1),
        "spark_starts": figures["spark_starts"],
        "cpu_per_spark_start": round(per_start, 2),
        "spark_start_runs": [round(c, 2) for c in start_cpus],
        "spark_start_share": round(share, 3),
        "load_average_before": [round(x, 1) for x in load],
        "graded": len(total),
        "full_marks": sum(1 for score, top in total.values() if score == top),
    }
    print(f"{summary['configuration']}: {args.attendees} attendees ({kinds}), every set, "
          f"--jobs {args.jobs}, load average before {load[0]:.1f} (2 cores, shared)")
    print(f"  {figures['wall']:.1f} s wall: {rate:.2f} attendees per minute "
          f"(3 minutes for 30 needs 10)")
    print(f"  CPU {figures['cpu']:.0f} s; {figures['spark_starts']} Spark starts x "
          f"{per_start:.1f} s CPU each (median of {start_cpus}) = "
          f"{share:.0%} of the grading CPU")
    print(f"  {summary['full_marks']} of {len(total)} attendees got full marks "
          f"({kinds['solved']} handed in solved notebooks)")
    if args.json:
        args.json.write_text(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
