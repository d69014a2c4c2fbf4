"""The stepper: a distributed optimizer run one iteration at a time, with everything recorded.

One iteration is four phases, each one named call in :meth:`Stepper.step`:

1. **broadcast** (driver → executors): the method's payload (the weights w, and what else the
   method sends: Nesterov's look-ahead q, a sample's seed, ADMM's duals …). A small payload
   (under :data:`INLINE_BROADCAST_BYTES`, i.e. d up to about 4000) rides inside the task
   closure, which Spark ships once per stage as the stage's task binary — itself a broadcast;
   a larger one goes through an explicit ``sc.broadcast``, destroyed after the step. The trace
   records the bytes and which way was used (``broadcast.via``: ``"task"`` or ``"broadcast"``);
2. **map** (one task per partition): the method's ``local`` on the partition's block — gradient
   sums, Hessian sums, a sample's sums, H local steps, an ADMM local solve — with the task's
   timing, executor, attempt and result bytes (:mod:`stepper.partition_task`);
3. **reduce**: ``RDD.treeAggregate`` with the method's ``combine``, recording the tree Spark
   builds for the chosen depth and the bytes arriving at each level (:mod:`stepper.reduce`);
4. **driver update**: the method's ``update``, which may ask for more rounds (a line search's
   evaluations), each counted.

Every record states J(w) and ‖∇J(w)‖ at the weights the partitions received (record k reports
J(w_{k−1}) and the weights after the update, w_k), ``rounds`` (communication rounds the method
needed: the same on every run) and ``jobs`` (Spark jobs actually run: cache misses and one-off
jobs such as the 1/L bound included).

Navigation (:mod:`stepper.timeline`): :meth:`Stepper.step` computes a new iteration (discarding
any recorded iterations after the current one); ``back``, ``forward`` and ``seek`` move through
recorded iterations instantly, without Spark; :meth:`reset` starts over.

Changing settings between steps (:meth:`Stepper.set`): step size, momentum, batch fraction,
regularization strengths, depth and trace level keep the state; changing the algorithm keeps
the weights and starts the new method's state from them (a zero velocity); changing the seed or
``init`` only matters at the next :meth:`reset`. A new data set (``set_data``) with the same
number of features keeps the weights.
"""

from __future__ import annotations

import math
import pickle
import time
from dataclasses import asdict, replace
from typing import Any

import numpy as np

from stepper.algorithms import Algorithm, RoundContext, Settings, Step
from stepper.algorithms.base import SumsToTotals
from stepper.algorithms.settings import init_weights, scheduled_step
from stepper.checks import check_method_fits
from stepper.data.blocks import CLASSIFICATION, Block
from stepper.data.dataset import Dataset
from stepper.errors import ConfigError, DataError, DivergenceError, StepperError
from stepper.faults import TaskDelay, TaskFailure, failure_message
from stepper.partition_task import InlinePayload, oracle_data_term, partition_task
from stepper.problems import Problem
from stepper.reduce import Partial, combine, tree_levels, tree_scale
from stepper.timeline import Replay, Timeline
from stepper.trace import IterationRecord, save_trace

__all__ = ["INLINE_BROADCAST_BYTES", "SIMULATION_MAX_VALUES", "Replay", "Stepper", "Timeline"]

INLINE_BROADCAST_BYTES = 64 * 1024
"""Payloads smaller than this travel inside the task, not by sc.broadcast."""

SIMULATION_MAX_VALUES = 20_000_000
"""A simulated method collects the rows to the driver once; above rows × features this many
(160 MB of float64) it is refused: a simulation is a teaching device, not a way to run at scale."""


def bytes_to_driver(root: Partial, levels: list[dict[str, Any]],
                    leaves: list[dict[str, Any]]) -> int:
    """The pickled bytes of the partials the driver received: the inputs of its own combine;
    the one partial of the executors' last level when that level has a single group (PySpark's
    ``reduce`` then has nothing to combine on the driver); each partition's result when no
    tree was recorded (one partition, or trace level ``none``)."""
    if len(levels) > 1 and levels[-1]["where"] == "driver":
        return int(levels[-1].get("bytes", 0))
    if len(levels) > 1:
        return len(pickle.dumps(root, protocol=pickle.HIGHEST_PROTOCOL))
    return int(sum(info.get("result_bytes", 0) for info in leaves))


class SparkDriver(SumsToTotals):
    """The :class:`stepper.algorithms.Driver` of one iteration on Spark: totals from sums, and
    more rounds (``evaluate``) counted in ``rounds``."""

    def __init__(self, stepper: Stepper, step_size: float, rows: int) -> None:
        self._stepper = stepper
        self.problem = stepper.problem
        self.settings = stepper.settings
        self.mask = stepper.mask
        self.rows = rows
        self.step_size = step_size
        self.lr = stepper.settings.step_rule
        self.rounds = 0

    def evaluate(self, w: np.ndarray, gradient: bool = False) -> tuple[float, np.ndarray | None]:
        self.rounds += 1
        return self._stepper.evaluate(w, gradient)

    def collect_rows(self) -> tuple[np.ndarray, np.ndarray]:
        return self._stepper.collected_rows()


class Stepper(Timeline):
    """Run an optimizer on a :class:`Dataset`, one observable iteration at a time.

    >>> run = Stepper(data, Problem("logistic", l2=0.005), Settings(algorithm="gd", lr="1/L"))
    >>> record = run.step()          # broadcast → map → reduce → update, all recorded
    >>> run.back(); run.step()       # step back, then recompute the same iteration

    ``algorithm`` may be a name (``"momentum"``) or a value (``momentum(mu=0.5)``).
    ``partition_oracle`` replaces the problem's data term on each block by your own function
    ``f(X, y, w) -> (Σ loss, Σ gradient)`` (the exercises plug in this way); the regularizer
    stays the problem's; ``partition_hessian`` ``h(X, y, w) -> Σ Hessian`` completes it for
    Newton. ``task_delay`` and ``task_failure`` inject faults (:mod:`stepper.faults`).
    """

    def __init__(
        self,
        data: Dataset,
        problem: Problem | None = None,
        settings: Settings | None = None,
        *,
        partition_oracle: Any = None,
        partition_hessian: Any = None,
        task_delay: TaskDelay | None = None,
        task_failure: TaskFailure | None = None,
        **setting_values: Any,
    ) -> None:
        super().__init__()
        self.data = data
        self.problem = problem or Problem()
        self.settings = (settings or Settings()).with_changes(**setting_values)
        self.partition_oracle = partition_oracle
        self.partition_hessian = partition_hessian
        self.task_delay = task_delay
        self.task_failure = task_failure
        self._check()
        self._bounds: dict[str, float] = {}
        self._rows: tuple[np.ndarray, np.ndarray] | None = None
        self._states: list[Any] = [self.initial_state()]

    # -- configuration -----------------------------------------------------------------------
    def _check(self) -> None:
        check_method_fits(self.problem, self.settings.method, self.data.task,
                          oracle=self.partition_oracle is not None,
                          oracle_hessian=self.partition_hessian is not None)
        if self.task_failure is not None:
            self.task_failure.check_partitions(self.data.partitions)
        if self.method.simulated:
            self._check_collectable()

    def _check_collectable(self) -> None:
        """A simulated method's rows must fit its limit: refused here, before any Spark job."""
        values = self.data.rows * self.data.features
        if values > SIMULATION_MAX_VALUES:
            raise DataError(f"a simulated method collects the rows to the driver: "
                            f"{self.data.rows} × {self.data.features} values is above its "
                            f"limit of {SIMULATION_MAX_VALUES} (use fewer rows)")

    @property
    def method(self) -> Algorithm:
        """The method value the run uses."""
        return self.settings.method

    def initial_state(self) -> Any:
        """The method's state at iteration 0 (w₀ from ``init`` and the seed)."""
        return self.method.init(init_weights(self.data.features, self.settings), 0)

    def start_from(self, state: Any) -> None:
        """Make ``state`` the state at iteration 0 and forget the recorded iterations."""
        self._records, self._cursor, self._states = [], 0, [state]

    @property
    def state(self) -> Any:
        return self._states[self._cursor]

    @property
    def weights(self) -> np.ndarray:
        w: np.ndarray = self.state.w
        return w

    @property
    def mask(self) -> np.ndarray:
        return self.problem.penalty_mask(self.data.features, self.data.intercept)

    def set(self, **changes: Any) -> None:
        """Change settings (``lr``, ``momentum``, ``depth``, …) or the problem's ``l1``/``l2``.

        See the module docstring for what each change keeps.
        """
        problem_changes = {k: changes.pop(k) for k in list(changes)
                           if k in ("l1", "l2", "l1_mode", "penalize_intercept", "problem")}
        if "problem" in problem_changes:
            problem_changes["loss"] = problem_changes.pop("problem")
        new_problem = replace(self.problem, **problem_changes) if problem_changes else self.problem
        new_settings = self.settings.with_changes(**changes)
        old_problem, old_settings = self.problem, self.settings
        self.problem, self.settings = new_problem, new_settings
        try:
            self._check()
        except StepperError:
            self.problem, self.settings = old_problem, old_settings
            raise
        if new_problem != old_problem:
            self._bounds = {}
        if new_settings.method != old_settings.method:
            state = self.state
            self._states[self._cursor] = self.method.init(state.w, state.t)

    def set_data(self, data: Dataset) -> None:
        """Use another data set (e.g. a new partition count); the weights are kept."""
        if data.features != self.data.features:
            raise ConfigError("data", data.source,
                              f"a data set with {self.data.features} features like the current one")
        self.data = data
        self._bounds = {}
        self._rows = None
        self._check()

    def reset(self, seed: int | None = None) -> None:
        """Back to iteration 0 and forget the recorded iterations; ``seed`` replaces the seed."""
        if seed is not None:
            self.settings = self.settings.with_changes(seed=int(seed))
        self.start_from(self.initial_state())

    def describe(self) -> dict[str, Any]:
        """The run's settings, as the first line of a trace file holds them."""
        return {
            "problem": asdict(self.problem),
            "algorithm": self.method.name,
            "hyperparameters": self.settings.to_dict(),
            "seed": self.settings.seed,
            "partitions": self.data.partitions,
            "rows": self.data.rows,
            "features": self.data.features,
            "feature_names": self.data.feature_names,
            "intercept": self.data.intercept,
            "data": self.data.source,
        }

    # -- quantities computed on the cluster ---------------------------------------------------
    def lipschitz(self) -> float:
        """L for the current problem, with maxᵢ‖xᵢ‖² computed on the cluster (one job)."""
        if "1/L" not in self._bounds:
            norms = self.data.map_partitions(
                lambda _p, block: float(np.max(np.einsum("ij,ij->i", block.X, block.X)))
                if block.rows else 0.0
            )
            self._bounds["1/L"] = self.problem.lipschitz_bound(max(norms))
        return self._bounds["1/L"]

    def spectral(self) -> float:
        """λmax(∇²J(0)) bound for the current problem, from one d × d reduce of Σ xᵢxᵢᵀ."""
        if "spectral" not in self._bounds:
            grams = self.data.map_partitions(lambda _p, block: (block.rows, block.X.T @ block.X))
            total = sum(g for _, g in grams)
            self._bounds["spectral"] = self.problem.spectral_bound(total, sum(r for r, _ in grams))
        return self._bounds["spectral"]

    def evaluate(self, w: np.ndarray, gradient: bool = False) -> tuple[float, np.ndarray | None]:
        """J(w) (and ∇J(w)) by one map-reduce over the data (a line search's trials)."""
        data_term = self._data_term()
        w = np.asarray(w, dtype=np.float64)

        def sums(_p: int, block: Block) -> tuple[int, float, np.ndarray | None]:
            result = data_term(block.X, block.y, w, False)
            return block.rows, result.loss, result.gradient if gradient else None

        parts = self.data.map_partitions(sums)
        rows = sum(r for r, _, _ in parts)
        loss = sum(v for _, v, _ in parts)
        if not gradient:
            return self.problem.totals(loss, np.zeros_like(w), rows, w, self.mask)[0], None
        total = sum(g for _, _, g in parts)
        return self.problem.totals(loss, total, rows, w, self.mask)

    def objective_at(self, w: np.ndarray) -> float:
        """J(w) by one map-reduce over the data."""
        return self.evaluate(w)[0]

    def collected_rows(self) -> tuple[np.ndarray, np.ndarray]:
        """Every row on the driver, collected once (simulated methods only)."""
        if self._rows is None:
            self._check_collectable()
            block = self.data.to_numpy()
            self._rows = (np.asarray(block.X), np.asarray(block.y))
        return self._rows

    def _data_term(self) -> Any:
        if self.partition_oracle is not None:
            return oracle_data_term(self.partition_oracle, self.partition_hessian)
        return self.problem.block_sums

    def _step_size(self, t: int) -> float:
        rule = self.settings.step_rule
        if rule == "1/L":
            base = 1.0 / self.lipschitz()
        elif rule == "spectral":
            base = 1.0 / self.spectral()
        elif rule in ("armijo", "wolfe"):  # a line search's first trial
            base = self.settings.armijo_start
        else:
            base = float(rule)
        return scheduled_step(self.settings, base, t)

    # -- one iteration ------------------------------------------------------------------------
    def step(self) -> IterationRecord:
        """Compute the next iteration from the current state and record it.

        Raises :class:`DivergenceError` (the state stays at the last good iteration) when a
        partition or the update produces a non-finite value.
        """
        started, jobs_before = time.perf_counter(), self.data.jobs
        state = self.state
        driver = SparkDriver(self, self._step_size(state.t + 1), self.data.rows)
        payload, broadcast = self._broadcast(state, driver.step_size)  # 1. broadcast
        root, path, job_seconds = self._map_reduce(state, broadcast)   # 2. map, 3. reduce
        driver_started = time.perf_counter()
        objective, gradient = self._objective(state, root)
        step = self._driver_update(state, root, driver)                # 4. driver update
        timing = {"job": job_seconds, "driver": time.perf_counter() - driver_started,
                  "started": started}
        rounds = (1 if broadcast is not None else 0) + driver.rounds
        return self._record(state, payload, root, path, step, objective, gradient, timing,
                            rounds, self.data.jobs - jobs_before)       # 5. record

    def _broadcast(self, state: Any, step_size: float) -> tuple[dict[str, Any], Any]:
        """The method's payload, inside the task when small, else by ``sc.broadcast``."""
        if self.method.local is None:  # a simulation: nothing goes out
            return {"w": state.w}, None
        context = RoundContext(self.settings.seed, tuple(self.data.partition_rows),
                               self.data.features, step_size, self.problem, self.mask)
        payload = self.method.broadcast(state, context)
        size = len(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
        if size < INLINE_BROADCAST_BYTES:
            return {**payload, "_bytes": size, "_via": "task"}, InlinePayload(payload)
        return ({**payload, "_bytes": size, "_via": "broadcast"},
                self.data.sc.broadcast(payload))

    def _map_reduce(self, state: Any, broadcast: Any) -> tuple[Partial, str, float]:
        """Every partition's ``local``, combined by treeAggregate with the method's combine."""
        if broadcast is None:
            return self._driver_partial(state), "driver (simulation: rows collected once)", 0.0
        settings = self.settings
        task = partition_task(self.method, broadcast, self._data_term(), iteration=state.t + 1,
                              classification=self.data.task == CLASSIFICATION,
                              trace=settings.trace, delay=self.task_delay,
                              failure=self.task_failure)
        add = self.method.combine

        def combine_partials(a: Partial | None, b: Partial | None) -> Partial | None:
            return combine(a, b, add)

        job_started = time.perf_counter()
        try:
            root, path = self.data.tree_aggregate(task, combine_partials, settings.depth)
        except Exception as error:  # PySpark's many-line traceback of a failed task
            message = failure_message(error, self.task_failure, state.t + 1,
                                      str(self.data.sc.master))
            if message is None:
                raise
            raise StepperError(message) from None
        finally:
            broadcast.unpersist(blocking=False)
        job_seconds = time.perf_counter() - job_started
        if root.bad is not None:
            quantity, partition = root.bad
            raise DivergenceError(quantity, state.t + 1, partition)
        return root, path, job_seconds

    def _driver_partial(self, state: Any) -> Partial:
        """A simulated method's 'reduce': the objective's sums on the collected rows."""
        X, y = self.collected_rows()
        sums = self._data_term()(X, y, state.w, False)
        correct = int(np.count_nonzero(y * (X @ state.w) > 0)) \
            if self.data.task == CLASSIFICATION else 0
        return Partial(parts=[], sums={"rows": X.shape[0], "loss": sums.loss,
                                       "gradient": sums.gradient, "correct": correct},
                       leaves=[], bad=None, trace="none", context=("driver",), children=None)

    def _objective(self, state: Any, root: Partial) -> tuple[float, np.ndarray]:
        """J(w) and ∇J(w) at the weights the partitions received, from the reduced sums: over all
        rows, or (``objective_rows`` in the sums: a sample's sums with ``full_objective=False``)
        the sample's estimate, divided by the rows drawn (at least 1: an empty sample gives the
        penalty alone)."""
        rows = root.sums.get("objective_rows")
        rows = root.rows if rows is None else max(int(rows), 1)
        objective, gradient = self.problem.totals(root.sums["loss"], root.sums["gradient"],
                                                  rows, state.w, self.mask)
        if not (math.isfinite(objective) and np.all(np.isfinite(gradient))):
            raise DivergenceError("the objective", state.t + 1)
        return objective, gradient

    def _driver_update(self, state: Any, root: Partial, driver: SparkDriver) -> Step:
        """The method's update on the driver; refuses non-finite weights."""
        step = self.method.update(state, root.sums, driver)
        if not np.all(np.isfinite(step.state.w)):
            raise DivergenceError("the weights after the update", state.t + 1)
        return step

    def _record(self, state: Any, payload: dict[str, Any], root: Partial, path: str, step: Step,
                objective: float, gradient: np.ndarray, timing: dict[str, float], rounds: int,
                jobs: int) -> IterationRecord:
        """The iteration's record, appended to the timeline (later records are dropped)."""
        settings, n = self.settings, root.rows
        leaves = sorted(root.leaves, key=lambda info: info["index"])
        map_seconds = max((info["seconds"] for info in leaves), default=0.0)
        correct = sum(info.pop("correct", 0) or 0 for info in leaves) if leaves \
            else root.sums.get("correct", 0)
        levels = tree_levels(root) if settings.trace != "none" else []
        driver_bytes = bytes_to_driver(root, levels, leaves)
        extra = {k: v for k, v in step.info.items() if k not in ("gradient", "query_point")}
        record = IterationRecord(
            iteration=state.t + 1,
            objective=float(objective),
            grad_norm=float(np.linalg.norm(gradient)),
            weights=step.state.w.copy(),
            partitions=leaves if settings.trace != "none" else [],
            reduce={"depth": settings.depth, "scale": tree_scale(self.data.partitions,
                                                                 settings.depth),
                    "path": path, "levels": levels, "loss": float(root.sums["loss"]),
                    "gradient": np.asarray(root.sums["gradient"]).tolist(), "rows": int(n),
                    "used_rows": int(root.sums.get("used_rows", n)),
                    "objective_rows": int(root.sums.get("objective_rows", n)),
                    "bytes_to_driver": int(driver_bytes)},
            broadcast={"bytes": payload.get("_bytes", 0), "via": payload.get("_via", "none")},
            update={"weights_before": state.w.copy(),
                    "query_point": np.asarray(step.info.get("query_point", state.w)).copy(),
                    "gradient": np.asarray(step.info.get("gradient", gradient)).copy(),
                    "direction": step.direction, "step_size": float(step.step_size),
                    "weights_after": step.state.w.copy(), "trials": [], **extra},
            timing={"map": map_seconds, "reduce": max(timing["job"] - map_seconds, 0.0),
                    "driver": timing["driver"],
                    "total": time.perf_counter() - timing["started"]},
            accuracy=correct / n if self.data.task == CLASSIFICATION and n else None,
            rounds=rounds,
            jobs=jobs,
        )
        del self._records[self._cursor:]
        del self._states[self._cursor + 1:]
        self._records.append(record)
        self._states.append(step.state)
        self._cursor += 1
        return record

    # -- several iterations -------------------------------------------------------------------
    def run(self, steps: int) -> list[IterationRecord]:
        """Compute ``steps`` iterations."""
        return [self.step() for _ in range(steps)]

    def run_until(self, tolerance: float, max_steps: int = 1000) -> list[IterationRecord]:
        """Step until the gradient norm drops below ``tolerance`` (or ``max_steps``)."""
        done = []
        for _ in range(max_steps):
            record = self.step()
            done.append(record)
            if record.grad_norm < tolerance:
                break
        return done

    def save(self, path: str) -> None:
        """Write the recorded iterations up to the current one as a JSON-lines trace."""
        save_trace(path, self.records, self.describe())
