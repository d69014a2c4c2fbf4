"""Faults a lesson injects on purpose: seeded random task delays, and a task that fails.

* :class:`TaskDelay`: each task of iteration t on partition p sleeps a time drawn from a seeded
  distribution (the same draw on every run), so stragglers and the synchronous barrier become
  visible: the iteration waits for its slowest task. ``kind="exponential"`` draws
  Exp(mean); ``"lognormal"`` draws mean·exp(σZ − σ²/2) (heavy-tailed stragglers);
  ``"uniform"`` draws U(0, 2·mean); with probability ``straggler`` a task is ``factor``
  times slower still.
* :class:`TaskFailure`: partition p's task raises in iteration t on its first ``attempts``
  attempts. Spark retries a failed task only when the master allows it (``local[N,F]`` with
  F > attempts, or a cluster): the retry recomputes the same sums from the same block, so the
  iteration's numbers do not change, and the record shows attempt 1 (Spark's 0-based
  ``attemptNumber``: the second attempt). On plain ``local[N]``
  (F = 1) the iteration fails with one line saying so.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

import numpy as np

from stepper.errors import ConfigError

DELAY_KINDS = ("exponential", "lognormal", "uniform")


@dataclass(frozen=True)
class TaskDelay:
    """Seeded random delays on the map tasks (see the module docstring)."""

    mean: float = 0.05
    kind: str = "exponential"
    sigma: float = 1.0
    straggler: float = 0.0
    factor: float = 10.0
    seed: int = 0

    def __post_init__(self) -> None:
        if self.kind not in DELAY_KINDS:
            raise ConfigError("delay kind", self.kind, f"one of {', '.join(DELAY_KINDS)}")
        if not (np.isfinite(self.mean) and self.mean >= 0):
            raise ConfigError("delay mean", self.mean, "a number of seconds ≥ 0")
        if not 0.0 <= self.straggler <= 1.0:
            raise ConfigError("straggler", self.straggler, "a probability in [0, 1]")
        if not (np.isfinite(self.factor) and self.factor >= 1):
            raise ConfigError("straggler factor", self.factor, "a number ≥ 1")

    def seconds(self, iteration: int, partition: int) -> float:
        """The delay of partition p's task in iteration t (the same on every run)."""
        rng = np.random.default_rng([self.seed, 101, iteration, partition])
        if self.kind == "exponential":
            delay = rng.exponential(self.mean) if self.mean > 0 else 0.0
        elif self.kind == "lognormal":
            delay = self.mean * float(np.exp(self.sigma * rng.standard_normal()
                                              - self.sigma**2 / 2))
        else:
            delay = rng.uniform(0.0, 2 * self.mean)
        if rng.random() < self.straggler:
            delay *= self.factor
        return float(delay)


class InjectedFailureError(RuntimeError):
    """Raised inside a task on purpose (see :class:`TaskFailure`)."""


@dataclass(frozen=True)
class TaskFailure:
    """Partition ``partition``'s task fails in iteration ``iteration`` on its first
    ``attempts`` attempts."""

    partition: int
    iteration: int
    attempts: int = 1

    def check_partitions(self, partitions: int) -> None:
        if not 0 <= self.partition < partitions:
            raise ConfigError("fail partition", self.partition,
                              f"a partition from 0 to {partitions - 1}")
        if self.iteration < 1 or self.attempts < 1:
            raise ConfigError("fail iteration", self.iteration,
                              "an iteration ≥ 1 and attempts ≥ 1")

    def maybe_fail(self, iteration: int, partition: int, attempt: int) -> None:
        """Raise in the chosen task while its attempt number (1-based) is ≤ ``attempts``."""
        if (iteration, partition) == (self.iteration, self.partition) and attempt <= self.attempts:
            raise InjectedFailureError(f"injected failure: partition {partition}, iteration "
                                  f"{iteration}, attempt {attempt}")


def sleep(seconds: float) -> None:
    """Sleep (a function of its own so that tasks show where their time went)."""
    if seconds > 0:
        time.sleep(seconds)



_LOCAL_RETRIES = re.compile(r"^local\[\s*(?:\d+|\*)\s*,\s*(\d+)\s*\]$")


def master_attempts(master: str) -> int | None:
    """How many attempts a task gets: F for ``local[N,F]``, 1 for other local masters, None
    (the cluster's ``spark.task.maxFailures``) otherwise."""
    found = _LOCAL_RETRIES.match(master.strip())
    if found:
        return int(found.group(1))
    return 1 if master.strip().startswith("local") else None


def failure_message(error: BaseException, failure: TaskFailure | None, iteration: int,
                    master: str) -> str | None:
    """One line for a Spark job that failed because of the injected failure (None otherwise).

    PySpark raises the task's Python traceback (many lines, with Spark's Java frames); this
    names the partition and iteration and says why Spark did not recover: the master does not
    retry (``local[N]``), or allows fewer attempts than the failure takes.
    """
    if (failure is None or failure.iteration != iteration
            or InjectedFailureError.__name__ not in str(error)):
        return None
    allowed = master_attempts(master)
    where = (f"iteration {iteration}: partition {failure.partition}'s task failed (injected on "
             f"its first {failure.attempts} attempt{'s' if failure.attempts > 1 else ''})")
    if allowed == 1:
        return (f"{where} and the master {master} does not retry failed tasks: use local[N,F] "
                f"with F > {failure.attempts} (e.g. local[2,{failure.attempts + 2}]) or a cluster")
    shown = f"{allowed}" if allowed is not None else "spark.task.maxFailures"
    return (f"{where} and the master {master} allows {shown} attempts per task: allow more than "
            f"{failure.attempts}")
