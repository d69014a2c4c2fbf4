"""The command line: run an optimizer on Spark one iteration at a time, or replay a saved trace.

::

    python -m stepper run --data data/logistic2d_train.csv --problem logistic --algorithm gd \\
        --lr 0.5 --steps 20 --partitions 4 --trace out.jsonl
    python -m stepper run --generate rows=1000000,features=20,seed=0 --lr 1/L --steps 10
    python -m stepper replay out.jsonl

``run`` prints one table row per iteration (iteration, objective, gradient norm, step size,
training accuracy, wall time) and, with ``--trace``, writes the JSON-lines trace described in
:mod:`stepper.trace`. ``replay`` prints the same table from a trace file, without Spark or Java.

Data: ``--data`` reads the workshop's CSV layout as it is (label first, no header); other layouts
through ``--label-column``, ``--header``, ``--id-column``, ``--delimiter``; LIBSVM and Parquet by
their extension or ``--format``. Files are standardized and given an intercept column (the
workshop's preparation) unless ``--no-standardize`` / ``--no-intercept``; generated data
(already standard normal, no bias in its model) is used as it is unless asked.

Errors never show a traceback: one line ``stepper: error: …`` on stderr and the exit status

* 0: done;
* 1: the run failed (bad data, located as ``file:line:column``; Java missing; Spark failed; a
  step diverged — the iterations done before it are still written to the trace);
* 2: bad command line or settings (found before Spark starts);
* 130: interrupted (Ctrl-C; the iterations done are written to the trace).

Spark's own console output (JVM warnings, logs, Python worker errors) goes to a log file, not to
the terminal, so that stderr holds only this program's messages: ``--spark-log PATH`` chooses the
file (kept), ``--spark-log -`` leaves Spark's output on stderr; by default it goes to a temporary
file that is deleted at the end unless a Spark error message names it.
"""

from __future__ import annotations

import contextlib
import os
import sys

from stepper.cli.args import UsageError, build_parser
from stepper.cli.failure import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    FailureError,
    config_error_line,
    data_error_line,
    fail,
)
from stepper.cli.replay import replay_command
from stepper.cli.run import run_command
from stepper.errors import ConfigError, DataError, StepperError, reduce_to_line, spark_error_line

__all__ = ["build_parser", "main"]


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (see the module docstring)."""
    parser = build_parser()
    debug = "--debug" in (sys.argv[1:] if argv is None else argv)
    try:
        try:
            args = parser.parse_args(argv)
        except UsageError as exc:
            fail(str(exc), EXIT_USAGE)
        try:
            return run_command(args) if args.command == "run" else replay_command(args)
        except ConfigError as exc:
            fail(config_error_line(exc), EXIT_USAGE)
        except DataError as exc:
            fail(data_error_line(exc))
        except StepperError as exc:
            fail(reduce_to_line(str(exc)))
        except KeyboardInterrupt:
            fail("interrupted", EXIT_INTERRUPTED)
        except BrokenPipeError:  # the reader went away (``stepper replay … | head``): not an error
            with contextlib.suppress(OSError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return EXIT_OK
        except (FailureError, SystemExit):
            raise
        except Exception as exc:
            if debug:
                raise
            described = spark_error_line(exc)
            fail(described or f"unexpected {type(exc).__name__}: {reduce_to_line(str(exc))} "
                  "(run again with --debug for the traceback)")
    except FailureError as failure:
        print(f"stepper: error: {failure}", file=sys.stderr, flush=True)
        return failure.code




if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
