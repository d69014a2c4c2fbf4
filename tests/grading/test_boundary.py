"""The trust boundary: the attendee's code runs in a sandbox and can only change the values its
functions return. Smoke tests of the boundary itself (the attack fixtures are elsewhere), the
protections report, and bad input that must not stop a class from being graded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from grading_helpers import ROOT, by_task

from stepper.grade import jail
from stepper.grade.batch import grade_all
from stepper.grade.remote import SandboxBackend, Submission
from stepper.grade.runner import grade_submission

ROOT_LINUX = sys.platform == "linux" and os.geteuid() == 0
needs_root = pytest.mark.skipif(not ROOT_LINUX, reason="the full sandbox needs root on Linux")

LOSS_ONE = '''
import numpy as np

def loss_one(x, y, w):
    return float(np.logaddexp(0.0, -y * (np.asarray(x) @ np.asarray(w))))
'''


def notebook(path: Path, *cells: str, set_slug: str = "01_oracles") -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["stepper"] = {"set": set_slug}
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    path.write_text(nbformat.writes(nb))
    return path


ATTACK = '''
import os, sys, json, numpy, math, builtins

def _attack():
    _fake = json.dumps({"event": "result", "key": "test_set1_oracles::test_gradient_block",
                        "score": 3.0, "max_score": 3.0, "status": "passed", "output": "passed"})
    numpy.allclose = lambda *a, **k: True
    numpy.testing.assert_allclose = lambda *a, **k: None
    math.isclose = lambda *a, **k: True
    print(_fake)
    print(_fake, file=sys.stderr)
    for fd in range(3, 64):
        try:
            os.write(fd, (_fake + "\\n").encode())
        except OSError:
            pass
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            import time
            while True:
                time.sleep(0.2)
        os._exit(0)

class _AtImport:  # a class body runs when the notebook is imported
    _attack()

def gradient(X, y, w, lam):
    _attack()
    return numpy.zeros(len(w))
'''


@needs_root
def test_patching_faking_and_a_daemon_get_only_the_honest_score(tmp_path):
    path = notebook(tmp_path / "01_oracles.ipynb", LOSS_ONE, ATTACK)
    result = grade_submission(path, attendee="mallory", tasks={"1.1", "1.5"},
                              include_hidden=False)
    tasks = by_task(result)
    assert [t["status"] for t in tasks["1.1"]] == ["passed", "passed"]
    assert [t["status"] for t in tasks["1.5"]] == ["failed"], tasks["1.5"]
    assert result.score == 2.0 and result.max_score == 5.0
    assert any("looks like grading records" in f for f in result.flags), result.flags
    assert any("detached process" in f for f in result.flags), result.flags
    assert any("stray data" in f for f in result.flags), result.flags
    # the daemon left behind (setsid, outside every process group) is gone: every process of a
    # sandbox uid still running (other gradings may run at once) is in a sandbox's session
    # (a sandbox of another grading being killed takes a moment to vanish: allow 5 s)
    for _ in range(50):
        leftovers = [pid for n in range(16) for pid in jail.processes_of(jail.UID_BASE + n)
                     if not _in_a_sandbox_session(pid)]
        if not leftovers:
            break
        time.sleep(0.1)
    assert leftovers == []


def _in_a_sandbox_session(pid: int) -> bool:
    leader = jail.session_of(pid)
    try:
        return Path(f"/proc/{leader}/cmdline").read_bytes().startswith(b"unshare\0")
    except OSError:
        return False


PROBE = '''
import os, socket

def _can(action):
    try:
        action()
        return True
    except Exception:
        return False

def probe(paths, writable):
    out = {"uid": os.getuid(), "cwd": os.getcwd(), "home": os.environ.get("HOME"),
           "env": sorted(os.environ)}
    def size(p):
        try:
            with open(p, "rb") as f:
                return len(f.read(100))
        except OSError:
            return -1
    out["read"] = {p: size(p) for p in paths}
    out["listed"] = {p: (sorted(os.listdir(p)) if os.path.isdir(p) else None) for p in paths}
    def write(p):
        with open(os.path.join(p, "planted.pth"), "w") as f:
            f.write("import os")
    out["write"] = {p: _can(lambda p=p: write(p)) for p in writable}
    def connect():
        s = socket.create_connection(("1.1.1.1", 53), timeout=2)
        s.close()
    out["network"] = _can(connect)
    out["loopback"] = _can(lambda: socket.socket().bind(("127.0.0.1", 0)))
    return out
'''


@needs_root
def test_the_sandbox_sees_no_secrets_no_network_and_writes_only_its_tmpfs(tmp_path):
    import site

    secret = [str(ROOT / "stepper/grade/reference.py"), str(ROOT / "stepper/grade/tests"),
              str(ROOT / "stepper/grade/hidden_tests"), str(ROOT / "solutions"),
              str(ROOT / "exercise_sources"), str(tmp_path)]
    writable = [str(ROOT / "stepper/grade/tests"), site.getsitepackages()[0], str(ROOT),
                "/tmp/work"]
    nb = notebook(tmp_path / "01_oracles.ipynb", PROBE).read_text()
    (tmp_path / "secret.txt").write_text("grades")
    with jail.slot() as number:
        backend = SandboxBackend({"1": nb}, number, "root", tmp_path / "sandbox.log",
                                 jail.memory_cgroup(number))
        backend.start()
        try:
            seen = Submission(backend, "1").probe(secret, writable)
        finally:
            backend.close()
    assert seen["uid"] == jail.UID_BASE + number
    assert seen["home"] == seen["cwd"] == "/tmp/work"
    assert all(size <= 0 for size in seen["read"].values()), seen["read"]  # nothing to read
    assert all(not listing for listing in seen["listed"].values()), seen["listed"]
    assert seen["write"] == {**{p: False for p in writable[:3]}, "/tmp/work": True}
    assert not seen["network"] and seen["loopback"]
    assert "PYTHONPATH" not in seen["env"] and "VIRTUAL_ENV" not in seen["env"]
    assert not (ROOT / "stepper/grade/tests/planted.pth").exists()


@needs_root
def test_the_report_states_the_protections_in_force(tmp_path):
    path = notebook(tmp_path / "subs" / "ann" / "01_oracles.ipynb", LOSS_ONE) \
        if (tmp_path / "subs" / "ann").mkdir(parents=True) is None else None
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "stepper.grade", str(path.parents[1]),
                           "--out", str(out), "--tasks", "1.1", "--visible-only"],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "1/1 attendees, 0 with failures" in done.stderr
    data = json.loads((out / "ann" / "results.json").read_text())
    assert data["score"] == data["max_score"] == 2.0
    assert data["sandbox"]["level"] == "root" and data["flags"] == []
    assert any("network namespace" in p for p in data["sandbox"]["in_force"])
    assert any("uid" in p for p in data["sandbox"]["in_force"])
    text = (out / "ann" / "report.txt").read_text()
    assert "sandbox: root" in text and "flags: none" in text


def test_basic_level_grades_and_warns(tmp_path, monkeypatch):
    """Without namespaces (macOS, or forced): a separate process still grades, and the report
    says what is missing."""
    monkeypatch.setenv("STEPPER_GRADE_LEVEL", "basic")
    path = notebook(tmp_path / "01_oracles.ipynb", LOSS_ONE)
    result = grade_submission(path, tasks={"1.1"}, include_hidden=False)
    assert result.score == result.max_score == 2.0, result.tests
    assert result.level == "basic"
    assert any("can read the grader's files" in m for m in result.missing_protections)


def test_bad_input_gets_one_line_each_and_the_others_are_graded(tmp_path):
    subs = tmp_path / "class"
    subs.mkdir()
    good = subs / "good"
    good.mkdir()
    notebook(good / "01_oracles.ipynb", LOSS_ONE)
    # a submission that is a symlink to a notebook outside the class folder
    outside = notebook(tmp_path / "elsewhere.ipynb", LOSS_ONE)
    linked = subs / "linked"
    linked.mkdir()
    (linked / "01_oracles.ipynb").symlink_to(outside)
    # an empty folder, two notebooks of one set, a name that is no file name
    (subs / "empty").mkdir()
    twice = subs / "twice"
    twice.mkdir()
    notebook(twice / "01_oracles.ipynb", LOSS_ONE)
    notebook(twice / "01_oracles_v2.ipynb", "def loss_one(x, y, w):\n    return 0.0\n")
    odd = subs / "-rf\n"
    odd.mkdir()
    notebook(odd / "01_oracles.ipynb", LOSS_ONE)
    # a very long expression: compiled (and crashing the compiler, maybe) only in the sandbox
    long_one = subs / "long"
    long_one.mkdir()
    notebook(long_one / "01_oracles.ipynb", LOSS_ONE, "X = " + "+".join(["1"] * 200000),
             "Y = " + "(" * 5000 + "1" + ")" * 5000)
    results = {r.attendee: r for r in grade_all(subs, tasks={"1.1"}, include_hidden=False)}
    assert set(results) == {"good", "linked", "empty", "twice", "-rf\n", "long"}
    assert results["good"].score == 2.0
    assert results["long"].score == 2.0, results["long"].tests
    assert results["linked"].score == 0
    assert any("symbolic link pointing outside" in p for p in results["linked"].problems)
    assert results["empty"].problems == ["no notebook found in this submission"]
    assert any("two notebooks for set 01_oracles" in p for p in results["twice"].problems)
    assert any("not a valid file name" in p for p in results["-rf\n"].problems)
    assert results["-rf\n"].score == 0


def test_import_of_a_non_json_notebook_is_that_attendees_error(tmp_path):
    broken = tmp_path / "01_oracles.ipynb"
    broken.write_text('{"cells": [{"cell_type": "code", "source": ' + "[" * 100000)
    result = grade_submission(broken, tasks={"1.1"}, include_hidden=False)
    assert result.score == 0 and result.tests
    assert all("does not parse" in t["output"] for t in result.tests)


def test_a_french_attendees_unreadable_notebook_is_said_in_french(tmp_path):
    """A notebook in fr/ that is not JSON: the problem line and the tests' output in French
    (the language comes from the folder, since the metadata cannot be read)."""
    (tmp_path / "fr").mkdir()
    (tmp_path / "fr" / "01_oracles.ipynb").write_text('{"cells": [')
    result = grade_submission(tmp_path, tasks={"1.1"}, include_hidden=False)
    assert result.score == 0 and result.tests
    assert any("n'est pas un notebook lisible (JSON invalide ligne 1" in line
               for line in result.problems), result.problems
    assert all("n'est pas un notebook lisible" in t["output"] for t in result.tests)
