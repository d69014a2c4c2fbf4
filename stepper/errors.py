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
    """A bad setting: names the parameter, the value given and what is allowed."""

    def __init__(self, parameter: str, value: object, expected: str) -> None:
        self.parameter = parameter
        self.value = value
        self.expected = expected
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
