"""Set 4's functions next to the engine: the reduce tree Spark built, and stale SGD replayed on
the simulated parameter server.

* :func:`tree_widths` reads, from a recorded iteration, how many partials each level of the
  reduce tree held (Task 4.2 ``tree_shape`` returns the same counts): level 0 the P partitions,
  then each combining stage, the driver's last.
* :func:`replay_stale_sgd` checks Task 4.4 ``stale_sgd`` against a run of the engine's
  ``async_sgd`` (variant ``ps``, W equally fast workers: ``jitter = worker_spread =
  stragglers = 0``, no staleness bound, one update per iteration). There update u (from 1) is
  computed at the weights after update u − 1 − s, its staleness s being u − 1 for the first W
  updates and W − 1 after: exactly w_{t+1} = w_t − η g_t(w_{max(t−τ, 0)}) with t = u − 1 and
  τ = W − 1. The attendee's function gets, at its t-th call, g_t(z) = the gradient of the rows the
  t-th simulated worker drew, at the point z it asks for; it must ask at the engine's stale point
  and land on the engine's weights.

>>> run = Stepper(data, Problem(), algorithm=async_sgd(workers=4, jitter=0.0,
...               worker_spread=0.0, stragglers=0.0, updates_per_iteration=1), lr=0.5)
>>> run.run(30)
>>> print(replay_stale_sgd(run, globals()))
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from stepper.engine import Stepper
from stepper.grade.plug import NotReady, Replayed
from stepper.grade.stubs import is_stub

__all__ = ["replay_stale_sgd", "tree_widths"]


def tree_widths(record: Any) -> list[int]:
    """The number of partials at each level of the reduce tree of one recorded iteration (empty
    when the trace level kept no tree)."""
    levels = (getattr(record, "reduce", None) or {}).get("levels") or []
    return [len(level["groups"]) for level in levels]


def _equal_speed_ps(run: Stepper) -> str | None:
    """Why ``run`` is not a replayable async run (None when it is)."""
    hyper = run.method.hyper
    if run.method.name != "async_sgd" or hyper.get("variant") != "ps":
        return "run the engine's async_sgd (variant 'ps') first"
    if any(hyper.get(k) for k in ("jitter", "worker_spread", "stragglers")) \
            or hyper.get("staleness") is not None or hyper.get("updates_per_iteration") != 1:
        return ("replay needs equally fast workers (jitter=0, worker_spread=0, stragglers=0), "
                "no staleness bound and updates_per_iteration=1")
    if run.settings.schedule != "constant" or run.problem.uses_prox:
        return "replay needs a constant step size and no L1 proximal step"
    return None


def replay_stale_sgd(run: Stepper, functions: Mapping[str, Any], *,
                     rtol: float = 1e-8) -> Replayed:
    """Task 4.4 ``stale_sgd`` on the gradients ``run`` (the engine's simulated parameter
    server) computed: same stale points asked, same weights reached (no Spark)."""
    out = Replayed()
    records = run.records
    problem = _equal_speed_ps(run) if records else "nothing recorded yet: run some steps first"
    if problem:
        out.ok = False
        out.lines.append(problem)
        return out
    if not callable(functions.get("stale_sgd")) or is_stub(functions["stale_sgd"]):
        raise NotReady("the replay needs SGD with stale gradients: complete `stale_sgd` "
                       "(Task 4.4) first, run its cell, and call this again")
    X, y = run.collected_rows()
    mask = np.ones(X.shape[1])
    events = [e for r in records for e in r.update["simulated_events"]]
    weights = [np.asarray(records[0].update["weights_before"])] + [r.weights for r in records]
    tau = int(run.method.hyper["workers"]) - 1
    eta = float(records[0].update["step_size"])
    asked: list[np.ndarray] = []

    def grad(z):
        k = len(asked)
        if k >= len(events):
            raise IndexError(f"stale_sgd asked for more than {len(events)} gradients")
        z = np.asarray(z, dtype=float)
        asked.append(z)
        rows = np.asarray(events[k]["rows"], dtype=np.int64)
        return run.problem.gradient(X[rows], y[rows], z, mask)

    path = np.asarray(functions["stale_sgd"](grad, weights[0].copy(), eta, tau, len(events)),
                      dtype=float)

    def close(a, b) -> bool:
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
        return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=1e-12))

    for k, event in enumerate(events):
        stale = weights[event["update"] - 1 - event["staleness"]]
        if k >= len(asked) or not close(asked[k], stale):
            where = np.round(asked[k], 6) if k < len(asked) else "nothing"
            out.ok = False
            out.lines.append(f"stale_sgd: update {k + 1}: the gradient was asked at {where}, "
                             f"the simulated worker read {np.round(stale, 6)} "
                             f"(staleness {event['staleness']})")
            return out
    bad = [k for k in range(len(weights)) if k >= len(path) or not close(path[k], weights[k])]
    if bad:
        out.ok = False
        out.lines.append(f"stale_sgd: differs from the engine's weights from update {bad[0]}")
        return out
    out.lines.append(f"stale_sgd: same weights as the simulated parameter server at all "
                     f"{len(events)} updates (τ = {tau}, {tau + 1} workers)")
    return out
