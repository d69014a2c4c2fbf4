"""Write grading results in the formats class tooling reads.

* ``results.json`` per attendee (``<out>/<attendee>/results.json``) and combined
  (``<out>/results.json``; for one attendee, that attendee's object), in the Gradescope /
  otter-grader shape
  ``{"score", "max_score", "tests": [{"name", "score", "max_score", "output", "visibility"}]}``;
* ``junit.xml``: one test suite per attendee, one test case per grading test;
* ``grades.csv``: the gradebook, one row per attendee, one column per task, then the total;
* ``report.txt`` per attendee: the score, every test, the protections the attendee's sandbox
  ran under and the attempts it was seen making (``flags``, also in ``results.json``);
* a readable terminal summary (:func:`summary`).

``report.txt`` is in the attendee's language (their notebook's, ``SubmissionResult.lang``); the
gradebook, JUnit and the terminal summary are the instructor's, in English. Test names, hints
and messages in every format are already in the attendee's language (said on the trusted side).
"""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

from stepper.grade.runner import SubmissionResult
from stepper.grade.say import DEFAULT, say

TEST_FIELDS = ("name", "score", "max_score", "output", "visibility")


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name) or "submission"


def gradescope(result: SubmissionResult) -> dict:
    """One submission in the Gradescope results.json shape (extra keys are ignored there)."""
    tests = [{**{k: t[k] for k in TEST_FIELDS}, "status": t["status"], "number": t["task"]}
             for t in result.tests]
    out = {"score": result.score, "max_score": result.max_score, "tests": tests,
           "execution_time": round(result.seconds, 2), "attendee": result.attendee}
    if result.problems:
        out["output"] = "\n".join(result.problems)
    out["flags"] = list(result.flags)
    out["sandbox"] = {"level": result.level, "in_force": list(result.protections),
                      "missing": list(result.missing_protections)}
    return out


def attendee_text(result: SubmissionResult) -> str:
    """The per-attendee text report: score, tests, protections and flags."""
    lang = result.lang
    lines = [summary([result], detail=True, lang=lang), "",
             say("sandbox: {level}", lang, level=result.level or say("not started", lang))]
    lines.extend(say("  in force: {protection}", lang, protection=p) for p in result.protections)
    lines.extend(say("  missing:  {protection}", lang, protection=p)
                 for p in result.missing_protections)
    lines.append(say("flags: none", lang) if not result.flags else say("flags:", lang))
    lines.extend(f"  ! {flag}" for flag in result.flags)
    return "\n".join(lines) + "\n"


def task_scores(result: SubmissionResult) -> dict[str, float]:
    scores: dict[str, float] = {}
    for test in result.tests:
        scores[test["task"]] = scores.get(test["task"], 0.0) + test["score"]
    return scores


def _task_key(task: str) -> tuple[int, ...]:
    return tuple(int(p) for p in task.split("."))


def write_reports(results: Sequence[SubmissionResult], out: Path, *,
                  single: bool = False) -> dict[str, Path]:
    """Write every report into ``out``; return their paths by kind.

    ``single`` (one attendee graded): ``<out>/results.json`` is that attendee's Gradescope
    object itself, as a Gradescope autograder writes it; otherwise it maps each attendee to
    theirs under ``"submissions"``.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    combined = {}
    for result in results:
        folder = out / _safe(result.attendee)
        folder.mkdir(exist_ok=True)
        data = gradescope(result)
        (folder / "results.json").write_text(json.dumps(data, indent=1, ensure_ascii=False))
        (folder / "report.txt").write_text(attendee_text(result), encoding="utf-8")
        combined[result.attendee] = data
    paths = {"results": out / "results.json", "junit": out / "junit.xml",
             "grades": out / "grades.csv"}
    top = (next(iter(combined.values())) if single and len(combined) == 1
           else {"submissions": combined})
    paths["results"].write_text(json.dumps(top, indent=1, ensure_ascii=False))
    paths["junit"].write_bytes(junit(results))
    write_gradebook(results, paths["grades"])
    return paths


def junit(results: Sequence[SubmissionResult]) -> bytes:
    """JUnit XML: a <testsuite> per attendee; failures carry the feedback text."""
    suites = ET.Element("testsuites", name="stepper-grade")
    for result in results:
        failures = sum(t["status"] not in ("passed", "error", "crashed", "timed out")
                       and t["score"] < t["max_score"] for t in result.tests)
        errors = sum(t["status"] in ("error", "crashed", "timed out") for t in result.tests)
        suite = ET.SubElement(suites, "testsuite", name=result.attendee,
                              tests=str(len(result.tests)), failures=str(failures),
                              errors=str(errors), time=f"{result.seconds:.3f}")
        if result.problems:
            ET.SubElement(suite, "system-out").text = "\n".join(result.problems)
        for test in result.tests:
            case = ET.SubElement(suite, "testcase", classname=f"{result.attendee}.task_"
                                 f"{test['task'].replace('.', '_')}", name=test["name"])
            if test["status"] == "passed":
                continue
            kind = "error" if test["status"] in ("error", "crashed", "timed out") else "failure"
            element = ET.SubElement(case, kind, message=f"{test['status']} "
                                    f"({test['score']:g}/{test['max_score']:g})")
            element.text = test["output"]
    ET.indent(suites)
    return ET.tostring(suites, encoding="utf-8", xml_declaration=True)


def write_gradebook(results: Sequence[SubmissionResult], path: Path) -> None:
    """grades.csv: attendee, one column per task (points), total, max."""
    tasks = sorted({t["task"] for r in results for t in r.tests}, key=_task_key)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["attendee", *[f"task {t}" for t in tasks], "total", "max"])
        for result in sorted(results, key=lambda r: r.attendee):
            scores = task_scores(result)
            writer.writerow([result.attendee, *[f"{scores.get(t, 0.0):g}" for t in tasks],
                             f"{result.score:g}", f"{result.max_score:g}"])


def summary(results: Sequence[SubmissionResult], *, detail: bool | None = None,
            lang: str = DEFAULT) -> str:
    """A readable report: per attendee the score, and (for one attendee) every test; the
    frame's words in ``lang``."""
    detail = len(results) == 1 if detail is None else detail
    lines = []
    for result in sorted(results, key=lambda r: r.attendee):
        lines.append(f"{result.attendee}: {result.score:g} / {result.max_score:g}"
                     f"  ({result.seconds:.1f} s)")
        for problem in result.problems:
            lines.append(f"  ! {problem}")
        for flag in result.flags:
            lines.append(say("  flag: {flag}", lang, flag=flag))
        if detail:
            for test in result.tests:
                mark = say("pass" if test["status"] == "passed" else test["status"],
                           lang).upper()
                lines.append(f"  [{mark}] {test['name']}  {test['score']:g}/"
                             f"{test['max_score']:g}")
                if test["status"] != "passed":
                    lines.extend("      " + line for line in test["output"].splitlines())
    if len(results) > 1:
        lines.append("")
        lines.append(class_summary(results))
    return "\n".join(lines)


def class_summary(results: Sequence[SubmissionResult]) -> str:
    """Per task, across attendees: how many got full marks, and how the others failed."""
    per_task: dict[str, list[tuple[float, float, set[str]]]] = {}
    for result in results:
        got: dict[str, list] = {}
        for test in result.tests:
            entry = got.setdefault(test["task"], [0.0, 0.0, set()])
            entry[0] += test["score"]
            entry[1] += test["max_score"]
            if test["status"] != "passed":
                entry[2].add(test["status"])
        for task, (score, maximum, statuses) in got.items():
            per_task.setdefault(task, []).append((score, maximum, statuses))
    lines = [f"per task, over {len(results)} attendees:"]
    for task in sorted(per_task, key=_task_key):
        rows = per_task[task]
        full = sum(1 for score, maximum, _ in rows if score >= maximum)
        counts: dict[str, int] = {}
        for _, _, statuses in rows:
            for status in statuses:
                counts[status] = counts.get(status, 0) + 1
        others = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        lines.append(f"  Task {task}: {full}/{len(rows)} full marks"
                     + (f" ({others})" if others else ""))
    return "\n".join(lines)
