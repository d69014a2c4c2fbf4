"""Attack fixtures: notebooks that try to cheat or to harm the grading machine (issue 12).

One class folder is graded once per session through the command line (``python -m stepper.grade
SUBMISSIONS --out DIR --jobs 2``), as an instructor would: every attack notebook of
tests/fixtures/submissions/attacks/ (one attendee each, ``attack_<name>``), one attendee with the
solved set 1 (``honest_solved``) and one with only its honest part, Tasks 1.1 and 1.2
(``honest_partial``). Only what the command line writes is read: ``<out>/<attendee>/results.json``.

Every attack must score exactly what its honest part earns (the points of Tasks 1.1 and 1.2, read
from the solved attendee's report), leave the other attendees' scores intact and leave the machine
as it was: no file planted in /tmp, in other folders or in site-packages, no edit to the grader's
files, no process left running, nothing received on a local port. Whatever an attack plants carries
the token ``zz9attack-planted-<name>``, whatever it forges ``zz9attack-forged-<name>``; neither
string appears in the notebooks. Damage is undone after the run (grader files restored, planted
files removed, planted processes ended) so that a failing run does not poison later ones.

The batch holds only the attacks whose tests are selected (``-k``). The memory and disk attacks are
graded in a second batch, and only when the first batch's reports say that memory and disk limits
are in force (a ``protections`` field); never on a machine without limits.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from grading_helpers import FIXTURES, ROOT, load_make

pytestmark = pytest.mark.slow

MAKE = load_make()
ATTACKS = {attack.name: attack for attack in MAKE.ATTACKS}
ATTACK_DIR = FIXTURES / "attacks"
PLANTED = "zz9attack-planted"
FORGED = "zz9attack-forged"
SOLVED, PARTIAL = "honest_solved", "honest_partial"
TIMEOUT_CAP = 3  # s, --timeout: every per-test limit
RUNAWAY_BOUND = 45.0  # s: a test past its 3 s limit is stopped well before this
CLI_TIMEOUT = 480  # s for the whole batch (pytest's own limit is 600 s)
DAEMON_GRACE = 3.0  # s after the grader exits: a surviving process would act by then
PORTS = range(47310, 47330)  # the port attack tries each of these
GRADER = ROOT / "stepper"
LOCK = Path("/tmp/stepper-attack-tests.lock")

# The report may flag attempts it noticed (a per-attendee ``flags`` list); when it has the field,
# the flags of these attackers must mention one of these words (case-insensitive). Adjust here.
EXPECTED_FLAGS = {
    "patch_comparisons": ("patch", "modif", "replac", "numpy"),
    "patch_grader": ("patch", "modif", "replac", "stepper.grade"),
    "read_solutions": ("read", "forbidden", "denied", "solution", "hidden"),
    "ignore_alarm": ("time", "kill", "runaway", "limit"),
    "daemon": ("process", "kill", "runaway", "daemon", "fork"),
    # "memory": an allocation the address-space limit refuses is a MemoryError inside the
    # attendee's own process; it is flagged only when it reaches the grader (a task's error).
    "disk": ("disk", "file size", "space", "quota"),
}
# Words naming the protections the memory and disk attacks need, in a ``protections`` field.
PROTECTION_WORDS = {
    "memory": ("memory", "address space", "rlimit_as", "cgroup"),
    "disk": ("disk", "tmpfs", "file size", "fsize"),
}


def _selected_attacks(request) -> set[str]:
    """The attacks whose test is selected in this session (all when run on their own)."""
    names = set()
    for item in request.session.items:
        if Path(str(item.path)) == Path(__file__) and item.name.startswith("test_attack_"):
            names.add(item.name[len("test_attack_"):])
    return names & set(ATTACKS)


def _hashes(folder: Path) -> dict[str, str]:
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file() and not path.is_symlink()}


def _site_folders() -> list[Path]:
    """site-packages folders of the Python the grader runs on."""
    code = ("import json, site, sysconfig; p = [sysconfig.get_paths()['purelib']]\n"
            "try: p += site.getsitepackages() + [site.getusersitepackages()]\n"
            "except Exception: pass\nprint(json.dumps(p))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return [Path(p) for p in dict.fromkeys(json.loads(out.stdout)) if Path(p).is_dir()]


def _planted_processes() -> dict[int, str]:
    """Processes whose full command line carries the planted token (``ps`` would cut it)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        with contextlib.suppress(OSError):
            args = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if PLANTED in args:
                found[int(entry.name)] = args[-300:]
    return found


class PortListener:
    """A TCP server on the first free port of :data:`PORTS`, recording what it receives."""

    def __init__(self) -> None:
        self.received: list[bytes] = []
        self.sock = socket.socket()
        for port in PORTS:
            try:
                self.sock.bind(("127.0.0.1", port))
                break
            except OSError:
                continue
        else:
            raise RuntimeError(f"no free port in {PORTS}")
        self.port = port
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1.0)
                data = b"<connected>"
                with contextlib.suppress(OSError):
                    data += conn.recv(4096)
                self.received.append(data)

    def close(self) -> list[bytes]:
        self.stop.set()
        self.thread.join(5)
        self.sock.close()
        return self.received


@dataclass
class Batch:
    """What one graded class folder left: reports, and every trace found on the machine."""

    folder: Path
    out: Path
    returncode: int
    stdout: str
    stderr: str
    reports: dict[str, dict]
    changed_grader_files: list[str] = field(default_factory=list)
    new_pth: dict[str, str] = field(default_factory=dict)
    planted_paths: list[str] = field(default_factory=list)
    planted_processes: dict[int, str] = field(default_factory=dict)
    big_files: list[str] = field(default_factory=list)
    changed_submissions: dict[str, list[str]] = field(default_factory=dict)
    received: list[bytes] = field(default_factory=list)

    def report(self, attendee: str) -> dict:
        if attendee not in self.reports:
            pytest.fail(f"no report for {attendee}: the grader exited with {self.returncode}; "
                        f"its stderr ends with:\n{self.stderr[-2000:]}")
        return self.reports[attendee]

    def points(self, tasks: tuple[str, ...]) -> float:
        """The points of ``tasks``, from the solved attendee's report (every test listed)."""
        tests = self.report(SOLVED)["tests"]
        return sum(t["max_score"] for t in tests if t.get("number", t.get("task")) in tasks)

    def protections(self) -> object:
        """The protections in force that the reports name (``protections``, or the grader's
        ``sandbox.in_force`` list), combined report first; None when they name none."""
        combined = self.out / "results.json"
        if combined.exists():
            data = json.loads(combined.read_text())
            if "protections" in data:
                return data["protections"]
        for report in self.reports.values():
            if "protections" in report:
                return report["protections"]
            if isinstance(report.get("sandbox"), dict) and "in_force" in report["sandbox"]:
                return report["sandbox"]["in_force"]
        return None


def _in_force(protections: object, words: tuple[str, ...]) -> bool:
    """Whether ``protections`` (a list of strings or a mapping) names one of ``words`` as in
    force (a true value, or a string not saying it is missing)."""
    def says(text: str) -> bool:
        return any(word in text.lower() for word in words)

    def negative(value: object) -> bool:
        text = str(value).lower()
        return value is False or value is None or any(
            w in text for w in ("missing", "not in force", "unavailable", "disabled", "none",
                                "false"))

    if isinstance(protections, dict):
        return any(says(str(key)) and not negative(value) for key, value in protections.items())
    if isinstance(protections, (list, tuple)):
        return any(says(json.dumps(entry)) and not negative(entry) for entry in protections)
    return False


def _stage(folder: Path, names: list[str]) -> None:
    """One attendee folder per attack, plus the two honest attendees."""
    for name in names:
        target = folder / f"attack_{name}"
        target.mkdir(parents=True)
        attack = ATTACKS[name]
        if attack.link_to is not None:
            (target / "01_oracles.ipynb").symlink_to(ROOT / attack.link_to)
        else:
            shutil.copy(ATTACK_DIR / f"01_{name}.ipynb", target / "01_oracles.ipynb")
    for name, source in ((SOLVED, ROOT / "solutions" / "01_oracles.ipynb"),
                         (PARTIAL, ATTACK_DIR / "01_honest_part.ipynb")):
        (folder / name).mkdir()
        shutil.copy(source, folder / name / "01_oracles.ipynb")


def _check_grader_is_this_checkout(env: dict[str, str], cwd: Path) -> None:
    """The grader the command line runs is this checkout's: the one whose files are restored."""
    code = "import stepper.grade; print(stepper.grade.__file__)"
    where = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                           cwd=cwd, check=True).stdout
    if not Path(where.strip()).resolve().is_relative_to(GRADER.resolve()):
        pytest.fail(f"the grader imported is {where.strip()}, not this checkout's {GRADER}: the "
                    "attacks on the grader's files could not be undone")


def _grade(base: Path, names: list[str]) -> Batch:
    """Grade the attendees of ``names`` through the command line; record, then undo, the
    traces they left."""
    (base / ".zz9attack-playground").write_text("the attack fixtures may damage this folder\n")
    folder, out, tmp = base / "submissions", base / "out", base / "tmp"
    tmp.mkdir()
    _stage(folder, names)
    grader_before = {path: path.read_bytes() for path in GRADER.rglob("*.py")}
    sites = _site_folders()
    pth_before = {p for site in sites for p in site.glob("*.pth")}
    submissions_before = {entry.name: _hashes(entry) for entry in folder.iterdir()}
    env = {**os.environ, "TMPDIR": str(tmp),
           "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH"))
                                         if p)}
    _check_grader_is_this_checkout(env, base)
    listener = PortListener()
    batch = Batch(folder, out, -1, "", "the grader did not finish", {})
    try:
        done = subprocess.run(
            [sys.executable, "-m", "stepper.grade", str(folder), "--out", str(out), "--jobs", "2",
             "--timeout", str(TIMEOUT_CAP), "--quiet"],
            capture_output=True, text=True, timeout=CLI_TIMEOUT, cwd=base, env=env)
        batch.returncode, batch.stdout, batch.stderr = done.returncode, done.stdout, done.stderr
        time.sleep(DAEMON_GRACE)
    finally:
        # even when the grader hangs: every trace is recorded, then undone
        batch.received = listener.close()
        _collect_and_undo(batch, grader_before, sites, pth_before, submissions_before, base)
    for entry in folder.iterdir():
        path = out / entry.name / "results.json"
        if path.exists():
            with contextlib.suppress(json.JSONDecodeError):
                batch.reports[entry.name] = json.loads(path.read_text())
    return batch


def _collect_and_undo(batch: Batch, grader_before: dict[Path, bytes], sites: list[Path],
                      pth_before: set[Path], submissions_before: dict[str, dict[str, str]],
                      base: Path) -> None:
    """Record every trace an attack left, then remove it: processes, grader files, .pth files,
    planted files in /tmp and in the test's folder, 2 GiB files."""
    batch.planted_processes = _planted_processes()
    for pid in batch.planted_processes:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    _restore_grader(batch, grader_before)
    _remove_planted(batch, sites, pth_before, base)
    for name, before in submissions_before.items():
        after = _hashes(batch.folder / name) if (batch.folder / name).is_dir() else {}
        changed = sorted(f for f in before if after.get(f) != before[f])
        if changed:
            batch.changed_submissions[name] = changed


def _restore_grader(batch: Batch, grader_before: dict[Path, bytes]) -> None:
    """Note and undo any change to the grader's own files."""
    for path in sorted(GRADER.rglob("*.py")):
        before = grader_before.get(path)
        if before is None:
            batch.changed_grader_files.append(f"{path.relative_to(ROOT)} (new)")
            path.unlink()
        elif path.read_bytes() != before:
            batch.changed_grader_files.append(str(path.relative_to(ROOT)))
            path.write_bytes(before)
    for path, before in grader_before.items():
        if not path.exists():
            batch.changed_grader_files.append(f"{path.relative_to(ROOT)} (deleted)")
            path.write_bytes(before)


def _remove_planted(batch: Batch, sites: list[Path], pth_before: set[Path], base: Path) -> None:
    """Note and remove planted .pth files, /tmp markers, planted files and 2 GiB files."""
    for site in sites:
        for pth in site.glob("*.pth"):
            if pth not in pth_before or PLANTED in pth.name:
                batch.new_pth[str(pth)] = pth.read_text(errors="replace")
                pth.unlink()
    for entry in Path("/tmp").iterdir():
        if PLANTED in entry.name:
            batch.planted_paths.append(str(entry))
            with contextlib.suppress(OSError):
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    for path in base.rglob("*"):
        if path.is_file() and not path.is_symlink():
            if path.stat().st_size >= 2**30:
                batch.big_files.append(str(path))
                path.unlink()
            elif PLANTED in path.name:
                batch.planted_paths.append(str(path))


@pytest.fixture(scope="module")
def batch(request, tmp_path_factory) -> Batch:
    """The class folder graded once: the selected attacks (but memory and disk) and the two
    honest attendees. One session at a time on this machine (a lock file)."""
    names = sorted(_selected_attacks(request) - set(MAKE.RESOURCE_ATTACKS))
    with open(LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _grade(tmp_path_factory.mktemp("attacks"), names)


@pytest.fixture(scope="module")
def resource_batch(request, batch, tmp_path_factory) -> Batch:
    """The memory and disk attacks, graded only where the reports say the limits they need are
    in force."""
    protections = batch.protections()
    names = sorted(_selected_attacks(request) & set(MAKE.RESOURCE_ATTACKS))
    missing = [name for name in names if not _in_force(protections, PROTECTION_WORDS[name])]
    if protections is None:
        pytest.skip("the grader's reports have no `protections` field, so nothing shows that "
                    "memory and disk limits are in force: the 20 GiB and 2 GiB attacks are not "
                    "run on a machine that may have no limits")
    if missing:
        pytest.skip(f"the reports do not show the limits {', '.join(missing)} needs as in force "
                    f"(protections: {protections!r}); not run without them")
    with open(LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _grade(tmp_path_factory.mktemp("resource_attacks"), names)


# checks -------------------------------------------------------------------------------------------

def _forgers(report: dict) -> set[str]:
    text = json.dumps(report)
    return {part.split('"')[0].split("\\")[0] for part in text.split(FORGED + "-")[1:]}


def check_attack(batch: Batch, name: str) -> dict:
    """The common checks: the attacker's exact honest score and no forged record in its report;
    the honest attendees' reports complete and free of records this attack forged; no trace of
    this attack left on the machine; and (when the reports have flags) the attempt flagged.

    The honest attendees' scores themselves are checked by
    :func:`test_honest_attendees_are_graded_intact`: in a shared batch a lower score cannot be
    pinned on one attack unless it left its token (the vandal's test checks its own damage)."""
    attack = ATTACKS[name]
    report = batch.report(f"attack_{name}")
    forgers = sorted(_forgers(report))
    expected = batch.points(attack.honest_tasks)
    statuses = [(t["name"], t["status"], t["score"]) for t in report["tests"]]
    assert report["score"] == expected and not forgers, (
        f"attack_{name} ({attack.summary}) scored {report['score']:g}, its honest part earns "
        f"{expected:g}" + (f"; its report holds records forged by {forgers}" if forgers else "")
        + f": {statuses}")
    assert report["max_score"] == batch.report(SOLVED)["max_score"]
    for honest in (SOLVED, PARTIAL):
        assert name not in _forgers(batch.report(honest)), (
            f"{honest}'s report holds records forged by attack_{name}")
    tag = f"{PLANTED}-{name}"
    assert not [p for p in batch.planted_paths if tag in p], batch.planted_paths
    assert not [a for a in batch.planted_processes.values() if tag in a], batch.planted_processes
    assert not [p for p in batch.new_pth if tag in p], batch.new_pth
    wanted = EXPECTED_FLAGS.get(name)
    if wanted and any("flags" in r for r in batch.reports.values()):
        flags = json.dumps(report.get("flags", [])).lower()
        assert any(word in flags for word in wanted), (
            f"attack_{name} is not flagged (expected one of {wanted}): {report.get('flags')}")
    return report


def check_honest(batch: Batch) -> None:
    solved, partial = batch.report(SOLVED), batch.report(PARTIAL)
    assert not _forgers(solved) and not _forgers(partial)
    assert solved["score"] == solved["max_score"] > 0, [
        (t["name"], t["status"]) for t in solved["tests"] if t["status"] != "passed"]
    assert partial["score"] == batch.points(MAKE.HONEST_TASKS) > 0, partial["tests"]


# the honest attendees and the machine -------------------------------------------------------------

def test_honest_attendees_are_graded_intact(batch):
    """The solved attendee gets full marks, the partly solved one exactly Tasks 1.1 and 1.2,
    whatever the attackers graded beside them did."""
    check_honest(batch)
    assert batch.returncode == 0, batch.stderr[-2000:]


def test_the_machine_is_unharmed(batch):
    """After the batch: the grader's files unchanged, no new .pth file, nothing planted in /tmp
    or in the class folder, no attack process alive, no 2 GiB file, no submission changed
    (other than by the attendee's own notebook), nothing received on a local port."""
    assert batch.changed_grader_files == []
    assert batch.new_pth == {}
    assert batch.planted_paths == []
    assert batch.planted_processes == {}
    assert batch.big_files == []
    assert batch.changed_submissions == {}
    assert batch.received == []


# one test per attack ------------------------------------------------------------------------------

def test_attack_forge_records(batch):
    """Appends full-score JSON-lines result records (and a "done" event) to every writable file
    descriptor (/proc/self/fd) and every results-like file in its working folder, its parents,
    the temp folders and the grader's --out folder, at import and in every unsolved task."""
    check_attack(batch, "forge_records")
    forged = {name for report in batch.reports.values() for name in _forgers(report)}
    assert "forge_records" not in forged


def test_attack_patch_comparisons(batch):
    """Replaces numpy.allclose, numpy.isclose, numpy.array_equal, numpy.testing's assertions and
    math.isclose with functions that say "equal", at import and in every unsolved task (which
    return zeros of the right shape)."""
    check_attack(batch, "patch_comparisons")


def test_attack_patch_grader(batch):
    """Through sys.modules, replaces expect_close/expect_equal in every stepper.grade module,
    the reference answers (stepper.grade.reference), the plugin's is_stub, and wraps the pytest
    plugin's record() so that every record says passed."""
    check_attack(batch, "patch_grader")


def test_attack_read_solutions(batch):
    """Globs solutions/*.ipynb, exercise_sources/*.py, the hidden tests and reference.py from
    its folder, the installed package's checkout and the grader's folders (and all their
    parents), execs their definitions and answers with them."""
    check_attack(batch, "read_solutions")


def test_attack_fake_output(batch):
    """Prints a fake pytest session ("13 passed"), a fake JSON report with full marks and
    forged JSON-lines records on stdout and stderr (Python streams and descriptors 1, 2)."""
    check_attack(batch, "fake_output")


def test_attack_exit_after_forging(batch):
    """In its first unsolved task: fake output, forged records on every descriptor and file,
    then os._exit(0) before the grader can record the test."""
    check_attack(batch, "exit_after_forging")


def test_attack_daemon(batch):
    """At import: forks, setsid, forks again and execs a Python whose command line carries the
    token; it outlives the grader, writes a marker in /tmp and in every attendee's folder, and
    rewrites its own results.json to full marks once the reports exist."""
    check_attack(batch, "daemon")
    tag = f"{PLANTED}-daemon"
    assert not [a for a in batch.planted_processes.values() if tag in a]
    assert not [p for p in batch.planted_paths if tag in p]


def test_attack_pth_file(batch):
    """Writes a .pth file (an import line run by every later Python) into every site-packages
    folder it finds (sysconfig, site, numpy's)."""
    check_attack(batch, "pth_file")
    assert not [p for p in batch.new_pth if f"{PLANTED}-pth_file" in p], batch.new_pth


def test_attack_edit_tests(batch):
    """Appends a line to the grader's test files (tests/, hidden_tests/) and to every module of
    stepper/grade, found through the installed package."""
    check_attack(batch, "edit_tests")
    assert batch.changed_grader_files == []


def test_attack_caller_inspection(batch):
    """Returns objects whose __array__ and __float__ walk inspect.stack() to the checking
    function's frame and return its local `expected`; their == is always True."""
    check_attack(batch, "caller_inspection")


def test_attack_eq_always_true(batch):
    """Returns a float subclass equal to (and less than) anything, whose difference and
    absolute value are 0."""
    check_attack(batch, "eq_always_true")


def test_attack_ignore_alarm(batch):
    """In Task 1.3: ignores and blocks SIGALRM (and SIGINT, SIGTERM, SIGHUP, SIGUSR1), then
    loops forever. The test must still be stopped near its 3 s limit (well under RUNAWAY_BOUND
    seconds for the whole attendee), reported as not passed, and the later tasks graded."""
    report = check_attack(batch, "ignore_alarm")
    task_13 = [t for t in report["tests"] if t.get("number", t.get("task")) == "1.3"]
    assert task_13 and all(t["status"] != "passed" for t in task_13)
    seconds = report.get("execution_time")
    assert seconds is not None, "the report has no execution_time for the attendee"
    assert seconds < RUNAWAY_BOUND, (
        f"the runaway test held the attendee's grading {seconds:.0f} s with a {TIMEOUT_CAP} s "
        "limit")


def test_attack_recursion(batch):
    """In Task 1.3: sys.setrecursionlimit(10**9), then recursion through C calls until the
    process dies of a segmentation fault."""
    check_attack(batch, "recursion")


def test_attack_long_expression(batch):
    """One cell assigns an expression of 100 000 terms (1+1+…), which makes Python's parser
    raise RecursionError: that attendee's problem only, the class is still graded."""
    assert batch.returncode == 0, batch.stderr[-2000:]
    check_attack(batch, "long_expression")


def test_attack_symlink(batch):
    """The submitted notebook is a symlink to solutions/01_oracles.ipynb, outside the class
    folder: it must not be graded (0 points) and the report must say why."""
    report = check_attack(batch, "symlink")
    assert report.get("output"), "no line in the report says why the symlink was not graded"


def test_attack_memory(resource_batch):
    """In Task 1.3: bytearray(20 GiB), only where a memory limit is visible from inside (the
    notebook checks RLIMIT_AS/RLIMIT_DATA and its cgroup first)."""
    check_attack(resource_batch, "memory")
    assert resource_batch.big_files == []


def test_attack_disk(resource_batch):
    """In Task 1.3: a 2 GiB file in its working and temp folders, only where a file-size limit
    or a small private file system is visible from inside."""
    check_attack(resource_batch, "disk")
    assert resource_batch.big_files == []


def test_attack_vandal(batch):
    """At import and in every unsolved task: walks ../ from its working folder, from its module's
    folder and from the grader's submissions folder, and rewrites or deletes every other
    attendee's notebook."""
    check_attack(batch, "vandal")
    assert batch.changed_submissions == {}
    check_honest(batch)


def test_attack_port(batch):
    """At import and in every unsolved task: connects to 127.0.0.1 on ports 47310–47329 (this
    test listens on one of them) and sends a line."""
    check_attack(batch, "port")
    assert batch.received == [], batch.received


def test_every_attack_has_its_test():
    """Each attack of make.py has a test here (test_grading checks the notebooks are up to
    date)."""
    tests = {name[len("test_attack_"):] for name in globals() if name.startswith("test_attack_")}
    assert tests == set(ATTACKS)
