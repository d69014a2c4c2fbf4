"""Iteration records and the JSON-lines trace format (a stable public format, version 2).

Version 2 added ``rounds``, ``jobs``, the reduce's bytes (``reduce.bytes_to_driver`` and each
level's ``bytes``), and the new methods' own keys; files of version 1 still load (their
``rounds`` and ``jobs`` read as null).

A trace file holds, one JSON object per line:

* optionally first, the run's settings: ``{"type": "settings", "format_version": 1, "problem":
  …, "algorithm": …, "hyperparameters": {…}, "seed": …, "partitions": …, "data": …}``;
* then one object per iteration with these keys:

  ``iteration``   k = 1, 2, …
  ``objective``   J at the point the partitions evaluated (``update.weights_before``); a
                  sampled method with ``full_objective=False`` reports the sample's estimate,
                  (1/m) Σ over the m = ``reduce.objective_rows`` rows drawn
  ``grad_norm``   ‖∇J‖ at that point (the full objective's, regularization included)
  ``weights``     the weights after the step
  ``partitions``  one object per partition: ``index``, ``rows``, ``loss`` and ``gradient``
                  (sums over the partition's rows of the data term), ``seconds`` (task compute
                  time), ``executor``, ``host``, ``attempt``, ``result_bytes``, ``start``/``end``
                  (wall clock), ``used_rows`` (rows in the update's sample)
  ``reduce``      ``depth``, ``scale``, ``path``, ``rows``, ``used_rows``, ``objective_rows``
                  (the rows J was computed over: all rows unless estimated), and ``levels``:
                  level 0 the partitions, then each combining stage as Spark ran it, each
                  group with the ``partitions`` it covers, the ``inputs`` it combined, and its
                  partial ``loss`` and ``gradient``
  ``broadcast``   ``bytes`` sent to the executors, and ``via``: ``"task"`` (inside the task,
                  for small payloads) or ``"broadcast"`` (an explicit ``sc.broadcast``)
  ``update``      ``weights_before``, ``query_point``, ``direction``, ``step_size``,
                  ``weights_after``, ``trials`` (line-search trials: step size and objective)
  ``timing``      ``map``, ``reduce``, ``driver``, ``total`` in seconds
  ``accuracy``    training accuracy at ``weights_before`` (classification), else null
  ``rounds``      communication rounds (broadcast + reduce) the iteration needed, line-search
                  evaluations included: a property of the method, the same on every run
  ``jobs``        Spark jobs actually run (cache misses and one-off jobs such as the 1/L bound
                  included)

A method whose partitions send more than loss and gradient sums records its own keys in each
partition's object and in each reduce group (vectors at ``full``, their norms as
``<key>_norm`` at ``summary``), and its driver's own keys in ``update``; each method's module
documents them (``stepper/algorithms/``).

At trace level ``summary`` the per-partition and per-group gradients are replaced by their
norms (``gradient_norm``); at ``none`` the ``partitions`` list and the levels are empty.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from stepper.errors import DataError

FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)
TRACE_LEVELS = ("full", "summary", "none")
"""How much of the partitions' work reaches a record (see the module docstring)."""


@dataclass(frozen=True)
class IterationRecord:
    """Everything one iteration did (see the module docstring for the fields)."""

    iteration: int
    objective: float
    grad_norm: float
    weights: np.ndarray
    partitions: list[dict[str, Any]] = field(default_factory=list)
    reduce: dict[str, Any] = field(default_factory=dict)
    broadcast: dict[str, Any] = field(default_factory=dict)
    update: dict[str, Any] = field(default_factory=dict)
    timing: dict[str, Any] = field(default_factory=dict)
    accuracy: float | None = None
    rounds: int | None = None
    jobs: int | None = None

    @property
    def weights_before(self) -> np.ndarray:
        return np.asarray(self.update["weights_before"])

    def to_dict(self) -> dict[str, Any]:
        return {
            "iteration": self.iteration,
            "objective": self.objective,
            "grad_norm": self.grad_norm,
            "weights": _plain(self.weights),
            "partitions": _plain(self.partitions),
            "reduce": _plain(self.reduce),
            "broadcast": _plain(self.broadcast),
            "update": _plain(self.update),
            "timing": _plain(self.timing),
            "accuracy": self.accuracy,
            "rounds": self.rounds,
            "jobs": self.jobs,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> IterationRecord:
        return cls(
            iteration=int(data["iteration"]),
            objective=float(data["objective"]),
            grad_norm=float(data["grad_norm"]),
            weights=np.asarray(data["weights"], dtype=np.float64),
            partitions=list(data.get("partitions", [])),
            reduce=dict(data.get("reduce", {})),
            broadcast=dict(data.get("broadcast", {})),
            update=dict(data.get("update", {})),
            timing=dict(data.get("timing", {})),
            accuracy=data.get("accuracy"),
            rounds=data.get("rounds"),
            jobs=data.get("jobs"),
        )


def _plain(value: Any) -> Any:
    """numpy values → JSON values (lists and floats)."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


REQUIRED_KEYS = ("iteration", "objective", "grad_norm", "weights", "partitions", "reduce",
                 "update", "timing")


def save_trace(
    path: str, records: list[IterationRecord], settings: dict[str, Any] | None = None
) -> None:
    """Write a trace file: the settings line (if given), then one line per iteration."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    tmp = f"{path}.tmp"
    with open(tmp, "w", encoding="utf-8") as out:
        if settings is not None:
            head = {"type": "settings", "format_version": FORMAT_VERSION, **_plain(settings)}
            out.write(json.dumps(head) + "\n")
        for record in records:
            out.write(json.dumps(record.to_dict(), allow_nan=True) + "\n")
    os.replace(tmp, path)


def load_trace(path: str) -> tuple[dict[str, Any] | None, list[IterationRecord]]:
    """Read a trace file written by :func:`save_trace` (no Spark needed)."""
    if not os.path.exists(path):
        raise DataError("no such trace file", path=path)
    settings = None
    records = []
    with open(path, encoding="utf-8") as source:
        for number, line in enumerate(source, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError(f"not valid JSON ({exc.msg})", path=path, line=number,
                                column=exc.colno) from None
            if not isinstance(data, dict):
                raise DataError("each line must be a JSON object", path=path, line=number)
            if data.get("type") == "settings":
                if data.get("format_version", FORMAT_VERSION) > FORMAT_VERSION:
                    raise DataError(
                        f"trace format {data['format_version']} is newer than this toolkit's "
                        f"({FORMAT_VERSION})", path=path, line=number)
                settings = data
                continue
            missing = [key for key in REQUIRED_KEYS if key not in data]
            if missing:
                raise DataError(f"iteration object lacks {', '.join(missing)}", path=path,
                                line=number)
            records.append(IterationRecord.from_dict(data))
    return settings, records
