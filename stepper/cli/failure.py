"""How the command line fails: one line on stderr and an exit status (see :mod:`stepper.cli`)."""

from __future__ import annotations

from typing import NoReturn

from stepper.errors import ConfigError, DataError

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

# Settings' parameter names → the option that sets them (for error messages).
OPTION_OF = {
    "trace": "--trace-level",
    "problem": "--problem",
    "loss": "--problem",
    "fail partition": "--fail-task",
    "fail iteration": "--fail-task",
    "delay kind": "--delay-kind",
    "delay mean": "--task-delay",
    "straggler": "--stragglers",
}


class FailureError(Exception):
    """The run ends with ``message`` as its one error line and exit status ``code``."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def fail(message: str, code: int = EXIT_FAILED) -> NoReturn:
    raise FailureError(message, code)


def config_error_line(exc: ConfigError) -> str:
    """A bad setting, named by the option that sets it."""
    option = OPTION_OF.get(exc.parameter, "--" + exc.parameter.replace("_", "-"))
    return f"{option} {exc.value} is not valid: expected {exc.expected}"


def data_error_line(exc: DataError) -> str:
    """Bad data, located as ``file:line:column``."""
    where = ":".join(str(part) for part in (exc.path, exc.line, exc.column) if part is not None)
    return f"{where}: {exc.problem}" if where else exc.problem
