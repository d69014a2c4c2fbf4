"""Recorded iterations and a cursor: navigation shared by live runs and replays (no Spark).

:meth:`Timeline.back`, :meth:`~Timeline.forward` and :meth:`~Timeline.seek` move through
recorded iterations instantly; :class:`Replay` is a run loaded from a trace file.
"""

from __future__ import annotations

from typing import Any

from stepper.errors import ConfigError
from stepper.trace import IterationRecord, load_trace


class Timeline:
    """Recorded iterations and a cursor: navigation shared by live runs and replays."""

    def __init__(self, records: list[IterationRecord] | None = None) -> None:
        self._records: list[IterationRecord] = list(records or [])
        self._cursor = len(self._records)

    @property
    def records(self) -> list[IterationRecord]:
        """Recorded iterations up to and including the current one."""
        return self._records[: self._cursor]

    @property
    def recorded(self) -> list[IterationRecord]:
        """Every recorded iteration, including those after the cursor."""
        return list(self._records)

    @property
    def iteration(self) -> int:
        """How many iterations the current state has done."""
        return self._cursor

    @property
    def current(self) -> IterationRecord | None:
        """The record of the current iteration (None at iteration 0)."""
        return self._records[self._cursor - 1] if self._cursor else None

    def back(self, steps: int = 1) -> IterationRecord | None:
        """Move back ``steps`` iterations (never before 0); instant, nothing recomputed."""
        self._cursor = max(0, self._cursor - steps)
        return self.current

    def forward(self, steps: int = 1) -> IterationRecord | None:
        """Move forward through already recorded iterations only."""
        self._cursor = min(len(self._records), self._cursor + steps)
        return self.current

    def seek(self, iteration: int) -> IterationRecord | None:
        """Jump to a recorded iteration (0 … number recorded)."""
        if not 0 <= iteration <= len(self._records):
            raise ConfigError("iteration", iteration, f"a number from 0 to {len(self._records)}")
        self._cursor = iteration
        return self.current


class Replay(Timeline):
    """A recorded run loaded from a trace file: navigation without Spark."""

    def __init__(
        self, records: list[IterationRecord], settings: dict[str, Any] | None = None
    ) -> None:
        super().__init__(records)
        self.settings = settings or {}
        self._cursor = 0

    @classmethod
    def load(cls, path: str) -> Replay:
        settings, records = load_trace(path)
        return cls(records, settings)
