"""Asynchronous SGD, simulated: W workers on a simulated clock, real gradients.

A SIMULATION. Nothing here runs asynchronously on Spark: the rows are collected to the driver
once (the engine refuses data above ``stepper.engine.SIMULATION_MAX_VALUES``), and the driver
plays W workers and a parameter server on an event-driven simulated clock. The gradients are
real (the problem's own data term, in numpy, on the collected rows); the times are drawn.

The mathematics (η the step, B a worker's rows, g_B(v) = (1/|B|)Σ_{i∈B}∇ℓᵢ(v) + ∇R(v))
---------------------------------------------------------------------------------------------
``variant="ps"`` (a parameter server): worker k reads the weights w at version v (the number of
updates applied so far), computes g_B(w_read) over ``batch`` rows of its own shard, and when it
arrives the server applies at once

    w ← prox(w − η g_B(w_read)),        staleness = (updates applied now) − v,

then k reads again. The staleness is not chosen: it emerges from the workers' speeds. With
``staleness=τ`` it is bounded as in stale-synchronous parameter servers, by making workers wait.
Let s₀ ≥ s₁ ≥ … be the updates applied so far since each gradient in progress (computing, or
finished and waiting) read w. The simulation keeps

    sᵢ + i ≤ τ   for every i,                                             (F)

which says that the gradients in progress can all still land within τ, oldest first. A worker
reads only if (F) holds with its own s = 0 added (at most τ other gradients in progress); a
finished gradient is applied only if (F) holds for the others after it (each of their s plus
one), else it waits at the server, and waiting gradients are retried after every update, first
come first served. (F) makes the oldest gradient always applicable when it arrives, so nothing
deadlocks, and every applied gradient has staleness ≤ τ. τ = 0 lets one gradient be in
progress at a time: sequential SGD, every worker reading the latest weights; with equally fast
workers nobody waits once τ ≥ W − 1.

``variant="hogwild"`` (Hogwild!-style, lock-free, no server, no τ): an update reads the whole w
at its start and, at its end, adds −η·g_B(w_read) to the coordinates S where the rows of B have
a non-zero feature, and only those (the prox, if any, applied there too). The regularizer's
gradient, dense otherwise, is thus applied on S only, as in Hogwild!'s sparse experiments.
What lock-free means in this event simulation, honestly: a write lands at one instant, as
component-wise atomic additions (Hogwild!'s model), so overlapping updates interleave per
coordinate and no addition is lost; a read is a consistent snapshot (no torn reads), and neither
the lock's cost nor memory contention is modelled. Hence the data term's gradient (zero off the
rows' support for every loss here) moves w exactly as the server would: with no regularizer
(and no L1), hogwild and ps give the same iterates; on dense rows they give the same iterates
whatever the regularizer. What hogwild shows is *where* staleness matters: each event records
``support`` (|S|) and ``stale_coordinates`` (coordinates of S written since the read); on
sparse rows (``GeneratorSpec(density=…)``) few of them are, though the staleness is as large.

``variant="sync"`` (synchronous mini-batch SGD on the same clock, for comparison): each round
all W workers read w, each computes its gradient, the round ends when the slowest arrives, and

    w ← prox(w − η · (1/W)Σ_k g_{B_k}(w)),     i.e. mini-batch SGD over W·batch rows.

Workers, rows and speeds (all drawn from the run's seed; no random generator is kept)
-------------------------------------------------------------------------------------
The seed is the run's (``Settings.seed``), read at the first update and kept in the state, so
a new seed takes effect at the next reset, as for the other methods' state.
Worker k owns a seeded shard: the rows of ``permutation(n)`` (``default_rng([seed, 23])``) in
positions [k·n/W, (k+1)·n/W). Its j-th gradient draws, from ``default_rng([seed, 29, k, j])``,
``batch`` rows of its shard uniformly with replacement, then z ~ N(0, 1) and u ~ U(0, 1), and
takes the simulated time

    compute_time · s_k · exp(jitter·z − jitter²/2) · (slowdown if u < stragglers else 1),

where s_k = exp(worker_spread·z_k − worker_spread²/2), z_k from ``default_rng([seed, 37, k])``, is
worker k's own speed (a persistently slow machine when worker_spread > 0). Ties in time go to
the lower worker index. With ``jitter = worker_spread = stragglers = 0`` all workers are equally
fast: after the first W updates every staleness is W − 1.

One engine iteration applies ``updates_per_iteration`` updates (default W: W gradients per
iteration in every variant, so one sync round). The step η is the driver's step size (default
"1/L"). The record's objective is J at the iteration's first weights, as for every method.

Record keys (``update``): ``simulated_events``, one per gradient applied: ``worker``,
``update`` (its number since the start), ``staleness``, ``time`` (simulated clock when applied),
``read_time`` (when the worker read w), ``arrived`` (when its gradient was ready: earlier than
``time`` when it waited, for the bound τ or, in sync, for the slowest), ``rows`` (row indices
into the data in partition order); for hogwild also ``support`` and ``stale_coordinates``.
``simulated_clock``: the simulated time after the iteration. ``simulated_wait``: the worker time
spent waiting during the iteration (to read or to be applied under τ; for the slowest in sync).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np

from stepper.algorithms.base import Algorithm, Driver, RoundContext, Step, Sums, add_sums, register
from stepper.errors import ConfigError

VARIANTS = ("ps", "hogwild", "sync")
"""Parameter server, Hogwild!-style lock-free, synchronous mini-batch (all simulated)."""


class Worker(NamedTuple):
    """One simulated worker: ``job`` indexes its gradient in progress (or its next one)."""

    job: int
    read: np.ndarray | None     # the weights it read (None while waiting to read)
    version: int                # updates applied when it read
    started: float              # simulated time it read
    arrives: float              # simulated time its gradient is ready
    rows: tuple[int, ...]       # the rows of its gradient in progress
    since: float                # when it began waiting (while waiting)


class AsyncState(NamedTuple):
    """The simulation between iterations: weights, the clock, every worker, the waiting queue."""

    w: np.ndarray
    t: int
    clock: float
    version: int
    workers: tuple[Worker, ...]
    queue: tuple[int, ...]
    written: np.ndarray         # per coordinate, the update that last wrote it (0: none)
    seed: int | None = None     # the run's seed, fixed at the first update (None before)


class Timing(NamedTuple):
    """The speed model's hyperparameters (see the module docstring)."""

    compute_time: float
    jitter: float
    worker_spread: float
    stragglers: float
    slowdown: float


@lru_cache(maxsize=8)
def shards(n: int, workers: int, seed: int) -> tuple[np.ndarray, ...]:
    """Each worker's rows: consecutive pieces of a seeded permutation of 0 … n−1."""
    order = np.random.default_rng([seed, 23]).permutation(n)
    return tuple(order[k * n // workers:(k + 1) * n // workers] for k in range(workers))


def worker_speed(seed: int, worker: int, spread: float) -> float:
    """s_k = exp(spread·z_k − spread²/2): the worker's own speed factor (mean 1)."""
    z = np.random.default_rng([seed, 37, worker]).standard_normal()
    return math.exp(spread * z - spread * spread / 2)


def draw_job(seed: int, worker: int, job: int, shard: np.ndarray, batch: int,
             timing: Timing, speed: float) -> tuple[tuple[int, ...], float]:
    """The rows and the simulated compute time of a worker's job-th gradient (``speed`` is the
    worker's own factor, :func:`worker_speed`)."""
    rng = np.random.default_rng([seed, 29, worker, job])
    rows = tuple(int(i) for i in shard[rng.integers(len(shard), size=batch)])
    z, u = rng.standard_normal(), rng.random()
    seconds = (timing.compute_time * speed * math.exp(timing.jitter * z - timing.jitter ** 2 / 2)
               * (timing.slowdown if u < timing.stragglers else 1.0))
    return rows, seconds


def init_async(workers: int) -> Callable[[np.ndarray, int], AsyncState]:
    """The state builder: every worker waiting to read w₀ at simulated time 0."""

    def init(w0: np.ndarray, t: int = 0) -> AsyncState:
        w0 = np.asarray(w0, dtype=np.float64)
        idle = Worker(0, None, 0, 0.0, 0.0, (), 0.0)
        return AsyncState(w0, t, 0.0, 0, (idle,) * workers, tuple(range(workers)),
                          np.zeros(w0.shape[0], dtype=np.int64))

    return init


class _Run:
    """One iteration's simulation, on mutable copies of the state (the state stays as it was)."""

    def __init__(self, state: AsyncState, driver: Driver, workers: int, batch: int,
                 timing: Timing) -> None:
        self.X, self.y = driver.collect_rows()
        n = self.X.shape[0]
        if workers > n:
            raise ConfigError("workers", workers, f"at most the number of rows ({n})")
        self.driver, self.batch, self.timing = driver, batch, timing
        self.seed = int(driver.settings.seed if state.seed is None else state.seed)
        self.shards = shards(n, workers, self.seed)
        self.speeds = [worker_speed(self.seed, k, timing.worker_spread) for k in range(workers)]
        self.eta = float(driver.step_size)
        self.w = state.w.copy()
        self.clock, self.version = state.clock, state.version
        self.workers = list(state.workers)
        self.queue = list(state.queue)
        self.written = state.written.copy()
        self.events: list[dict[str, Any]] = []
        self.waited = 0.0

    def gradient(self, rows: tuple[int, ...], at: np.ndarray) -> np.ndarray:
        """g_B(at) = (1/|B|)Σ_{i∈B}∇ℓᵢ(at) + ∇R(at)."""
        index = np.asarray(rows, dtype=np.int64)
        sums = self.driver.problem.block_sums(self.X[index], self.y[index], at)
        return self.driver.totals({"rows": len(rows), "loss": sums.loss,
                                   "gradient": sums.gradient}, at)[1]

    def start(self, k: int) -> None:
        """Worker k reads w now and starts its next gradient."""
        worker = self.workers[k]
        rows, seconds = draw_job(self.seed, k, worker.job, self.shards[k], self.batch,
                                 self.timing, self.speeds[k])
        self.waited += self.clock - worker.since
        self.workers[k] = worker._replace(read=self.w.copy(), version=self.version,
                                          started=self.clock, arrives=self.clock + seconds,
                                          rows=rows)

    def running(self) -> list[int]:
        """The workers with a gradient in progress (computing, or finished and waiting)."""
        return [k for k, w in enumerate(self.workers) if w.read is not None]

    def may_start(self, tau: int | None) -> bool:
        """(F) with a new gradient (s = 0) in progress."""
        return tau is None or feasible([self.version - self.workers[j].version
                                        for j in self.running()] + [0], tau)

    def may_apply(self, k: int, tau: int | None) -> bool:
        """(F) for the other gradients in progress once k's is applied."""
        return tau is None or feasible([self.version + 1 - self.workers[j].version
                                        for j in self.running() if j != k], tau)

    def admit(self, tau: int | None) -> None:
        while self.queue and self.may_start(tau):
            self.start(self.queue.pop(0))

    def next_arrival(self, tau: int | None) -> int:
        """The worker whose gradient the server applies next: the first finished one that may be
        applied, advancing the clock to the next arrival while there is none."""
        while True:
            ready = sorted((self.workers[k].arrives, k) for k in self.running()
                           if self.workers[k].arrives <= self.clock)
            for _, k in ready:
                if self.may_apply(k, tau):
                    return k
            upcoming = [self.workers[k].arrives for k in self.running()
                        if self.workers[k].arrives > self.clock]
            if not upcoming:
                raise AssertionError("no gradient can be applied: (F) was broken")
            self.clock = min(upcoming)

    def async_update(self, hogwild: bool, tau: int | None) -> None:
        """The next arrival, applied by the server (ps) or lock-free on its support (hogwild)."""
        k = self.next_arrival(tau)
        worker = self.workers[k]
        self.waited += self.clock - worker.arrives
        assert worker.read is not None, "an arriving gradient was computed at weights it read"
        g = self.gradient(worker.rows, worker.read)
        moved = self.driver.prox(self.w - self.eta * g, self.eta)
        event: dict[str, Any] = {"worker": k, "update": self.version + 1,
                                 "staleness": self.version - worker.version,
                                 "time": self.clock, "read_time": worker.started,
                                 "arrived": worker.arrives, "rows": list(worker.rows)}
        if hogwild:
            index = np.asarray(worker.rows, dtype=np.int64)
            support = np.flatnonzero(np.any(self.X[index] != 0, axis=0))
            event["support"] = int(support.size)
            event["stale_coordinates"] = int(np.count_nonzero(
                self.written[support] > worker.version))
            self.w[support] = moved[support]
            self.written[support] = self.version + 1
        else:
            self.w = moved
            self.written[:] = self.version + 1
        self.version += 1
        self.events.append(event)
        self.workers[k] = worker._replace(job=worker.job + 1, read=None, since=self.clock)
        self.queue.append(k)

    def sync_round(self) -> None:
        """All workers read w; the round ends with the slowest; the mean gradient is applied."""
        drawn = [draw_job(self.seed, k, w.job, self.shards[k], self.batch, self.timing,
                          self.speeds[k]) for k, w in enumerate(self.workers)]
        end = self.clock + max(seconds for _, seconds in drawn)
        rows = tuple(i for r, _ in drawn for i in r)
        g = self.gradient(rows, self.w)
        for k, (r, seconds) in enumerate(drawn):
            self.events.append({"worker": k, "update": self.version + 1, "staleness": 0,
                                "time": end, "read_time": self.clock,
                                "arrived": self.clock + seconds, "rows": list(r)})
            self.waited += end - (self.clock + seconds)
            self.workers[k] = self.workers[k]._replace(job=self.workers[k].job + 1)
        self.w = self.driver.prox(self.w - self.eta * g, self.eta)
        self.written[:] = self.version + 1
        self.version += 1
        self.clock = end

    def state(self, t: int) -> AsyncState:
        return AsyncState(self.w, t, self.clock, self.version, tuple(self.workers),
                          tuple(self.queue), self.written, self.seed)


def feasible(staleness: list[int], tau: int) -> bool:
    """(F): sorted from the stalest, the i-th gradient in progress has s + i ≤ τ."""
    return all(s + i <= tau for i, s in enumerate(sorted(staleness, reverse=True)))


def _no_payload(state: AsyncState, _context: RoundContext) -> dict[str, Any]:
    return {"w": state.w}


RULES = {
    "ps": "simulated async SGD: w ← w − η g(w_read) as each worker's gradient arrives",
    "hogwild": "simulated Hogwild!: w_S ← w_S − η g_S(w_read) on the row's non-zero "
               "coordinates S, lock-free",
    "sync": "simulated sync SGD: w ← w − η · mean of W workers' gradients, after the slowest",
}


def _check(workers: int, staleness: int | None, variant: str, batch: int,
           updates_per_iteration: int | None, timing: Timing) -> None:
    def whole(value: Any) -> bool:
        return isinstance(value, (int, np.integer)) and not isinstance(value, bool)

    if not whole(workers) or workers < 1:
        raise ConfigError("workers", workers, "a whole number ≥ 1 (simulated workers)")
    if variant not in VARIANTS:
        raise ConfigError("variant", variant, f"one of {', '.join(VARIANTS)}")
    if staleness is not None:
        if not whole(staleness) or staleness < 0:
            raise ConfigError("staleness", staleness, "None (unbounded) or a whole number ≥ 0")
        if variant != "ps":
            raise ConfigError("staleness", staleness, f"None with variant={variant!r} (a bound "
                              "is the parameter server's: hogwild never waits, sync is never "
                              "stale)")
    if not whole(batch) or batch < 1:
        raise ConfigError("batch", batch, "a whole number ≥ 1 (rows per gradient)")
    if updates_per_iteration is not None and (not whole(updates_per_iteration)
                                              or updates_per_iteration < 1):
        raise ConfigError("updates_per_iteration", updates_per_iteration,
                          "None (W gradients per iteration) or a whole number ≥ 1")
    for name, value, low, expected in (
            ("compute_time", timing.compute_time, 0.0, "a number > 0 (simulated time)"),
            ("jitter", timing.jitter, 0.0, "a number ≥ 0"),
            ("worker_spread", timing.worker_spread, 0.0, "a number ≥ 0"),
            ("stragglers", timing.stragglers, 0.0, "a probability in [0, 1]"),
            ("slowdown", timing.slowdown, 1.0, "a number ≥ 1")):
        ok = isinstance(value, (int, float, np.floating)) and not isinstance(value, bool) \
            and math.isfinite(value) and value >= low
        if not ok or (name == "compute_time" and value == 0) \
                or (name == "stragglers" and value > 1):
            raise ConfigError(name, value, expected)


@register
def async_sgd(workers: int = 4, staleness: int | None = None, variant: str = "ps",
              batch: int = 1, updates_per_iteration: int | None = None,
              compute_time: float = 1.0, jitter: float = 0.5, worker_spread: float = 0.3,
              stragglers: float = 0.05, slowdown: float = 10.0) -> Algorithm:
    """Simulated asynchronous SGD (see the module docstring): W simulated workers send
    g_B(w_read) = (1/|B|)Σ_{i∈B}∇ℓᵢ(w_read) + ∇R(w_read), each applied as w ← w − η g_B(w_read)
    when it arrives (``ps``, staleness bounded by τ if given), lock-free on the rows' non-zero
    coordinates (``hogwild``), or averaged over W after the slowest (``sync``)."""
    timing = Timing(compute_time, jitter, worker_spread, stragglers, slowdown)
    _check(workers, staleness, variant, batch, updates_per_iteration, timing)
    per_iteration = updates_per_iteration or (1 if variant == "sync" else workers)
    hyper = {"workers": workers, "staleness": staleness, "variant": variant, "batch": batch,
             "updates_per_iteration": updates_per_iteration, **timing._asdict()}

    def update(state: AsyncState, _sums: Sums, driver: Driver) -> Step:
        run = _Run(state, driver, workers, batch, timing)
        for _ in range(per_iteration):
            if variant == "sync":
                run.sync_round()
            else:
                run.admit(staleness)
                run.async_update(variant == "hogwild", staleness)
        if variant != "sync":
            run.admit(staleness)  # the workers freed by the last update read now
        new = run.state(state.t + 1)
        info = {"simulated_events": run.events, "simulated_clock": run.clock,
                "simulated_wait": run.waited}
        return Step(new, (new.w - state.w) / run.eta, run.eta, info)

    return Algorithm(name="async_sgd", rule=RULES[variant], hyper=hyper,
                     init=init_async(workers), broadcast=_no_payload, local=None,
                     combine=add_sums, update=update, default_lr="1/L", sampling="single",
                     simulated=True, supports_oracle=False)
