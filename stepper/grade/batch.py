"""Grade many submissions, a few at a time (each one in its own trusted child process and
sandbox; every sandbox takes its own slot: uid, cgroup)."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from stepper.grade.runner import SubmissionResult, grade_submission, sets_of
from stepper.session import CDS_ENV, ensure_cds


def submissions_in(path: Path) -> list[tuple[str, Path]]:
    """(attendee, path) pairs: a notebook is one submission; a folder holds one per entry
    (a notebook, or a sub-folder of notebooks); a folder with only notebooks of distinct sets
    and no sub-folder is still one attendee per notebook."""
    path = Path(path)
    if not path.is_dir():
        return [(path.stem, path)]
    entries = sorted(p for p in path.iterdir()
                     if not p.name.startswith(".") and (p.is_dir() or p.suffix == ".ipynb"))
    return [(p.stem if p.is_file() else p.name, p) for p in entries]


def prepare_spark_cds() -> None:
    """Make (first run) or find the AppCDS archive that shortens each child's Spark start, and
    hand it to the children in ``$STEPPER_SPARK_CDS`` (see stepper.session.ensure_cds)."""
    if os.environ.get("STEPPER_GRADE_FAST", "1") != "0" and CDS_ENV not in os.environ:
        archive = ensure_cds()
        if archive is not None:
            os.environ[CDS_ENV] = str(archive)


def grade_all(
    path: Path,
    *,
    jobs: int = 2,
    progress: Callable[[SubmissionResult], None] | None = None,
    **options: Any,
) -> list[SubmissionResult]:
    """Grade every submission under ``path`` with ``jobs`` child processes at a time.

    Unless ``sets`` is given, every attendee is graded on every set that anyone in the folder
    handed in, so a missing notebook scores zero ("not submitted") out of the same maximum.
    """
    subs = submissions_in(path)
    prepare_spark_cds()
    if options.get("sets") is None:
        found = set().union(*(sets_of(entry) for _, entry in subs)) if subs else set()
        options["sets"] = sorted(found)

    def one(entry: tuple[str, Path]) -> SubmissionResult:
        try:
            result = grade_submission(entry[1], attendee=entry[0], **options)
        except Exception as exc:  # a grader bug on one submission must not stop the class
            result = SubmissionResult(entry[0], str(entry[1]))
            result.problems.append(f"the grader failed on this submission ({type(exc).__name__}:"
                                   f" {exc}); grade it again alone")
        if progress is not None:
            progress(result)
        return result

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(one, subs))
