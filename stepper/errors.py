"""Errors that reach attendees: each says what is wrong and where.

Every error the toolkit raises on purpose derives from :class:`StepperError`, so callers (the
command line, the lesson pages, the grader) can show its message as one readable line instead of
a traceback.
"""

from __future__ import annotations


class StepperError(Exception):
    """Base class: the message is meant to be shown to a person as it is."""


class JavaMissingError(StepperError):
    """No usable Java runtime for Spark (missing, or older than 17)."""


class DataError(StepperError):
    """Bad input data, located as precisely as possible (file, line, column).

    ``line`` is 1-based and counts every physical line of the file, header included, so it is
    the number an editor shows. ``column`` is 1-based.
    """

    def __init__(
        self,
        problem: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.problem = problem
        self.path = path
        self.line = line
        self.column = column
        super().__init__(self._render())

    def _render(self) -> str:
        where = []
        if self.path is not None:
            where.append(str(self.path))
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.problem}" if where else self.problem


class ConfigError(StepperError):
    """A bad setting: names the parameter, the value given and what is allowed.

    ``code`` (default: the parameter's name) and ``facts`` let another front end (the lesson
    pages, in French) say the same in its own words without parsing ``expected``.
    """

    def __init__(self, parameter: str, value: object, expected: str, *,
                 code: str | None = None, **facts: object) -> None:
        self.parameter = parameter
        self.value = value
        self.expected = expected
        self.code = code or parameter
        self.facts = facts
        super().__init__(f"{parameter}={value!r} is not valid: {expected}")


class DivergenceError(StepperError):
    """A step produced a non-finite value; the last good state stays current."""

    def __init__(self, quantity: str, iteration: int, partition: int | None = None) -> None:
        self.quantity = quantity
        self.iteration = iteration
        self.partition = partition
        place = f" in partition {partition}" if partition is not None else " on the driver"
        super().__init__(
            f"iteration {iteration}: {quantity} is not finite{place}; the step was not applied "
            "(the weights stay at the last good state). Try a smaller step size."
        )


def reduce_to_line(text: str, limit: int = 400) -> str:
    """A long, multi-line message (a Java or Python traceback) reduced to its telling line."""
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    if not lines:
        return ""
    if any(line.startswith("Traceback (most recent call last)") for line in lines):
        # a Python traceback (possibly inside a Java one): its last "Name: message" line
        candidates = [line for line in lines
                      if ":" in line.split(" ")[0] and not line.startswith(("File ", "at "))]
        line = candidates[-1] if candidates else lines[-1]
    else:
        line = lines[0]
    line = " ".join(line.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def spark_error_line(exc: BaseException) -> str | None:
    """One line for an error raised by Spark or Py4J, or None if ``exc`` is not one."""
    try:
        from py4j.protocol import Py4JError, Py4JJavaError, Py4JNetworkError
    except ImportError:  # pragma: no cover - pyspark always brings py4j
        return None
    spark_errors: tuple[type[BaseException], ...] = ()
    try:
        from pyspark.errors import PySparkException

        spark_errors = (PySparkException,)
    except ImportError:  # pragma: no cover
        pass
    if isinstance(exc, Py4JJavaError):
        try:
            text = str(exc.java_exception.toString())
        except Exception:  # the JVM may be gone
            text = str(exc)
        return "Spark failed: " + reduce_to_line(text)
    if isinstance(exc, Py4JNetworkError) or (isinstance(exc, ConnectionError)
                                             and not isinstance(exc, BrokenPipeError)):
        return "the Spark JVM stopped or cannot be reached"
    if isinstance(exc, Py4JError):
        return "Spark failed: " + reduce_to_line(str(exc))
    if spark_errors and isinstance(exc, spark_errors):
        return "Spark failed: " + reduce_to_line(str(exc))
    return None


def one_line(exc: BaseException) -> str:
    """The one line a person sees for ``exc``, the same in the command line, the pages and the
    grader: the toolkit's own errors as they are written, Spark's reduced to their telling
    line, anything else as ``Type: first line of the message``."""
    if isinstance(exc, StepperError):
        return reduce_to_line(str(exc))
    spark = spark_error_line(exc)
    if spark is not None:
        return spark
    text = reduce_to_line(str(exc), 300)
    name = type(exc).__name__
    return f"{name}: {text}" if text else name
