"""The stepper: a distributed optimizer run one iteration at a time, with everything recorded.

One iteration is four phases:

1. **broadcast** (driver → executors): the current weights w and the query point q. A small
   payload (under :data:`INLINE_BROADCAST_BYTES`, i.e. d up to about 4000) rides inside the
   task itself, which Spark ships to the executors as the stage's task binary — itself a
   broadcast, once per stage; a larger one goes through an explicit ``sc.broadcast``,
   destroyed after the step. The trace records the bytes and which way was used
   (``broadcast.via``: ``"task"`` or ``"broadcast"``). Measured on ``local[2]``: an explicit
   broadcast per step costs about a quarter of a 4-task job's floor, which matters for small
   data (benchmarks/step_cost.py);
2. **map** (one task per partition): the partition's sums of loss and gradient at its rows
   (and Hessian for Newton, and over a sample for stochastic methods), its accuracy count, how
   long it took, which executor ran it and which attempt it was;
3. **reduce**: ``RDD.treeAggregate`` with :func:`stepper.reduce.combine`, which records the tree
   Spark builds for the chosen depth (a flat combine on the driver when no level is added);
4. **driver update**: ∇J = Σ gradients / n + regularization, then the algorithm's rule.

The full objective J(w) and its gradient norm are computed at the weights the partitions
evaluated: record k reports J(w_{k−1}) and the weights after the update, w_k.

Navigation: :meth:`Stepper.step` computes a new iteration (discarding any recorded iterations
after the current one); :meth:`back`, :meth:`forward` and :meth:`seek` move through recorded
iterations instantly, without Spark; :meth:`reset` starts over (same seed or a new one).

Changing settings between steps (:meth:`Stepper.set`): step size, momentum, batch fraction,
regularization strengths, depth and trace level keep the state (weights and velocity); changing
the algorithm keeps the weights and resets the velocity to zero; changing the seed or ``init``
only matters at the next :meth:`reset`. A new data set (``set_data``) with the same number of
features keeps the weights.
"""

from __future__ import annotations

import math
import pickle
import time
from dataclasses import asdict, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from stepper.algorithms import (
    OptState,
    Settings,
    apply_update,
    init_state,
    query_point,
    sample_seed,
    scheduled_step,
)
from stepper.data.blocks import CLASSIFICATION, Block
from stepper.data.dataset import Dataset, Miss
from stepper.errors import ConfigError, DivergenceError, StepperError
from stepper.problems import Problem
from stepper.reduce import Partial, combine, tree_levels, tree_scale
from stepper.trace import IterationRecord, load_trace, save_trace
from stepper.worker import executor_identity, host_name, task_attempt

if TYPE_CHECKING:
    from collections.abc import Callable



INLINE_BROADCAST_BYTES = 64 * 1024
"""Payloads (w, q, sample seeds) smaller than this travel inside the task, not by sc.broadcast."""


class _InTask:
    """The payload carried by the task closure, with a Broadcast's ``value``/``unpersist``."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def unpersist(self, blocking: bool = False) -> None:
        """Nothing to free: the payload goes away with the task."""


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

    def __init__(self, records: list[IterationRecord], settings: dict | None = None) -> None:
        super().__init__(records)
        self.settings = settings or {}
        self._cursor = 0

    @classmethod
    def load(cls, path: str) -> Replay:
        settings, records = load_trace(path)
        return cls(records, settings)


def _partition_task(
    problem: Problem,
    settings: Settings,
    broadcast: Any,
    classification: bool,
    oracle: Callable | None,
) -> Callable[[int, Block], Partial]:
    """What partition p computes in one iteration (runs in the executors)."""
    trace = settings.trace
    sampling = settings.sampling
    hessian = settings.needs_hessian
    mu_lookahead = settings.algorithm == "nesterov"

    def sums(X: np.ndarray, y: np.ndarray, w: np.ndarray, want_hessian: bool):
        """(Σ loss, Σ gradient, Σ Hessian or None, correct count or None) over the rows."""
        if oracle is not None and not want_hessian:
            loss, gradient = oracle(X, y, w)
            return float(loss), np.asarray(gradient, dtype=np.float64), None, None
        result = problem.block_sums(X, y, w, want_hessian)
        correct = result.correct if len(result) > 4 else None
        return result.loss, result.gradient, result.hessian, correct

    def task(p: int, block: Block) -> Partial:
        start = time.time()
        payload = broadcast.value
        w, q = payload["w"], payload["q"]
        X, y = block.X, block.y
        rows = X.shape[0]
        correct = None
        if sampling == "full" and not mu_lookahead:
            loss, gradient, H, correct = sums(X, y, w, hessian)
            used_rows, used_gradient = rows, None
        else:
            if sampling == "single":
                picked = [payload["row"]] if payload["partition"] == p else []
            elif sampling == "minibatch":
                from pyspark.rddsampler import RDDSampler

                sampler = RDDSampler(settings.with_replacement, settings.batch_fraction,
                                     payload["sample_seed"])
                picked = list(sampler.func(p, iter(range(rows))))
            else:
                picked = None
            if picked is None:
                Xs, ys = X, y
            else:
                index = np.asarray(picked, dtype=np.int64)
                Xs, ys = X[index], y[index]
            used_loss, used_gradient, H, _ = sums(Xs, ys, q, hessian)
            used_rows = Xs.shape[0]
            if settings.full_objective or sampling == "full":
                loss, gradient, _, correct = sums(X, y, w, False)
            else:
                loss, gradient = used_loss, used_gradient
        if not classification or not rows:
            correct = 0
        elif correct is None:  # not known from the sums (an oracle, or a sampled objective)
            correct = int(np.count_nonzero(y * (X @ w) > 0))
        end = time.time()
        attempt, stage = task_attempt()
        bad = None
        for name, value in (("loss", loss), ("gradient", gradient), ("Hessian", H)):
            if value is not None and not np.all(np.isfinite(value)):
                bad = (f"the partition's {name}", p)
                break
        info = {
            "index": p, "rows": rows, "used_rows": used_rows, "loss": loss,
            "seconds": end - start, "start": start, "end": end,
            "executor": executor_identity(), "host": host_name(), "attempt": attempt,
            "correct": correct,
        }
        if trace == "full":
            info["gradient"] = gradient.tolist()
        elif trace == "summary":
            info["gradient_norm"] = float(np.linalg.norm(gradient))
        partial = Partial(
            parts=[p], rows=rows, loss=loss, gradient=gradient, used_rows=used_rows,
            used_gradient=used_gradient, hessian=H, leaves=[info], bad=bad, trace=trace,
            context=("stage", stage, p), children=[] if trace != "none" else None,
        )
        info["result_bytes"] = len(pickle.dumps(partial, protocol=pickle.HIGHEST_PROTOCOL))
        return partial

    return task


def _pick(acc: Any, value: Any) -> Any:
    """treeAggregate's seqOp: each partition holds exactly one partial."""
    return value


def _combine_or_miss(a: Any, b: Any) -> Any:
    if isinstance(a, Miss) or isinstance(b, Miss):
        missing = set()
        for side in (a, b):
            if isinstance(side, Miss):
                missing |= set(side.partitions)
        return Miss(missing)
    return combine(a, b)


class Stepper(Timeline):
    """Run an optimizer on a :class:`Dataset`, one observable iteration at a time.

    >>> run = Stepper(data, Problem("logistic", l2=0.005), Settings(algorithm="gd", lr="1/L"))
    >>> record = run.step()          # broadcast → map → reduce → update, all recorded
    >>> run.back(); run.step()       # step back, then recompute the same iteration

    ``partition_oracle`` replaces the problem's data term on each block by your own function
    ``f(X, y, w) -> (Σ loss, Σ gradient)`` (the exercises plug in this way); the regularizer
    stays the problem's.
    """

    def __init__(
        self,
        data: Dataset,
        problem: Problem | None = None,
        settings: Settings | None = None,
        *,
        partition_oracle: Callable | None = None,
        **setting_values: Any,
    ) -> None:
        super().__init__()
        self.data = data
        self.problem = problem or Problem()
        self.settings = (settings or Settings()).with_changes(**setting_values)
        self.partition_oracle = partition_oracle
        self._check_fit()
        self._lipschitz: float | None = None
        self._states: list[OptState] = [init_state(data.features, self.settings)]

    # -- configuration -----------------------------------------------------------------------
    def _check_fit(self) -> None:
        classification = self.data.task == CLASSIFICATION
        if self.problem.loss in ("logistic", "hinge") and not classification:
            raise ConfigError("problem", self.problem.loss,
                              "'squares' for regression data (labels are not classes)")
        if self.settings.needs_hessian and not self.problem.twice_differentiable:
            raise ConfigError("algorithm", "newton", "a twice-differentiable objective "
                              "(not hinge, and L1 only with l1_mode='smooth')")
        if self.settings.needs_hessian and self.partition_oracle is not None:
            raise ConfigError("partition_oracle", self.partition_oracle.__name__,
                              "unset for newton (it needs the Hessian)")

    @property
    def state(self) -> OptState:
        return self._states[self._cursor]

    @property
    def weights(self) -> np.ndarray:
        return self.state.w

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
            self._check_fit()
        except StepperError:
            self.problem, self.settings = old_problem, old_settings
            raise
        if new_problem != old_problem:
            self._lipschitz = None
        if new_settings.algorithm != old_settings.algorithm:
            state = self.state
            self._states[self._cursor] = state._replace(velocity=np.zeros_like(state.velocity))

    def set_data(self, data: Dataset) -> None:
        """Use another data set (e.g. a new partition count); the weights are kept."""
        if data.features != self.data.features:
            raise ConfigError("data", data.source,
                              f"a data set with {self.data.features} features like the current one")
        self.data = data
        self._lipschitz = None

    def reset(self, seed: int | None = None) -> None:
        """Back to iteration 0 and forget the recorded iterations; ``seed`` replaces the seed."""
        if seed is not None:
            self.settings = self.settings.with_changes(seed=int(seed))
        self._records = []
        self._cursor = 0
        self._states = [init_state(self.data.features, self.settings)]

    def describe(self) -> dict:
        """The run's settings, as the first line of a trace file holds them."""
        return {
            "problem": asdict(self.problem),
            "algorithm": self.settings.algorithm,
            "hyperparameters": asdict(self.settings),
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
        """L for the current problem, with maxᵢ‖xᵢ‖² computed on the cluster."""
        if self._lipschitz is None:
            norms = self.data.map_partitions(
                lambda _p, block: float(np.max(np.einsum("ij,ij->i", block.X, block.X)))
                if block.rows else 0.0
            )
            self._lipschitz = self.problem.lipschitz_bound(max(norms))
        return self._lipschitz

    def objective_at(self, w: np.ndarray) -> float:
        """J(w) by one map-reduce over the data (the line search's trial evaluations)."""
        problem, oracle = self.problem, self.partition_oracle
        w = np.asarray(w, dtype=np.float64)

        def loss(_p: int, block: Block) -> tuple[int, float]:
            if oracle is not None:
                return block.rows, float(oracle(block.X, block.y, w)[0])
            return block.rows, problem.block_sums(block.X, block.y, w).loss

        parts = self.data.map_partitions(loss)
        rows = sum(r for r, _ in parts)
        return sum(v for _, v in parts) / rows + problem.regularizer_value(w, self.mask)

    def _step_size(self) -> float:
        lr = self.settings.lr
        if lr == "1/L":
            return 1.0 / self.lipschitz()
        if lr == "armijo":
            return self.settings.armijo_start
        return float(lr)

    # -- one iteration ------------------------------------------------------------------------
    def step(self) -> IterationRecord:
        """Compute the next iteration from the current state and record it.

        Raises :class:`DivergenceError` (the state stays at the last good iteration) when a
        partition or the update produces a non-finite value.
        """
        started = time.perf_counter()
        settings, state, sc = self.settings, self.state, self.data.sc
        w = state.w
        q = query_point(settings, state)
        step_size = scheduled_step(settings, self._step_size(), state.t + 1)
        payload: dict[str, Any] = {"w": w, "q": q}
        if settings.sampling == "minibatch":
            payload["sample_seed"] = sample_seed(settings, state.t)
        elif settings.sampling == "single":
            payload["partition"], payload["row"] = self._random_row(state.t)
        broadcast_bytes = len(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
        if broadcast_bytes < INLINE_BROADCAST_BYTES:
            broadcast, via = _InTask(payload), "task"
        else:
            broadcast, via = sc.broadcast(payload), "broadcast"
        classification = self.data.task == CLASSIFICATION
        task = _partition_task(self.problem, settings, broadcast, classification,
                               self.partition_oracle)
        job_started = time.perf_counter()
        root = self.data.leaf_rdd(task).treeAggregate(None, _pick, _combine_or_miss,
                                                        settings.depth)
        path = "worker-cache"
        if isinstance(root, Miss):
            path = f"spark-cache (partitions {list(root.partitions)} were not in worker memory)"
            root = self.data.leaf_rdd(task, slow=True).treeAggregate(
                None, _pick, _combine_or_miss, settings.depth)
        job_seconds = time.perf_counter() - job_started
        broadcast.unpersist(blocking=False)
        iteration = state.t + 1
        if root.bad is not None:
            quantity, partition = root.bad
            raise DivergenceError(quantity, iteration, partition)

        driver_started = time.perf_counter()
        n, mask, problem = root.rows, self.mask, self.problem
        objective = root.loss / n + problem.regularizer_value(w, mask)
        full_gradient = root.gradient / n + problem.regularizer_gradient(w, mask)
        if root.used_gradient is None:
            gradient = full_gradient
            used_rows = n
        else:
            used_rows = root.used_rows
            gradient = (root.used_gradient / max(used_rows, 1)
                        + problem.regularizer_gradient(q, mask))
        hessian = None
        if settings.needs_hessian:
            hessian = root.hessian / n + np.diag(problem.regularizer_hessian_diagonal(q, mask))
        if not (math.isfinite(objective) and np.all(np.isfinite(full_gradient))):
            raise DivergenceError("the objective", iteration)
        trials: list[dict] = []
        if settings.sampling != "full" and used_rows == 0:
            update_state = OptState(w, state.velocity, state.t + 1)
            direction, step_used = np.zeros_like(w), 0.0
        elif settings.lr == "armijo":
            update_state, direction, step_used = self._armijo(
                state, gradient, hessian, objective, step_size, trials)
        else:
            update_state, direction, step_used = apply_update(
                settings, state, gradient, step_size, lambda v, eta: problem.prox(v, eta, mask),
                hessian)
        if not np.all(np.isfinite(update_state.w)):
            raise DivergenceError("the weights after the update", iteration)
        driver_seconds = time.perf_counter() - driver_started

        leaves = sorted(root.leaves, key=lambda info: info["index"])
        map_seconds = max((info["seconds"] for info in leaves), default=0.0)
        correct = sum(info.pop("correct") for info in leaves)
        partitions = leaves if settings.trace != "none" else []
        record = IterationRecord(
            iteration=iteration,
            objective=float(objective),
            grad_norm=float(np.linalg.norm(full_gradient)),
            weights=update_state.w.copy(),
            partitions=partitions,
            reduce={"depth": settings.depth, "scale": tree_scale(self.data.partitions,
                                                                 settings.depth),
                    "path": path, "levels": tree_levels(root),
                    "loss": float(root.loss), "gradient": root.gradient.tolist(),
                    "rows": int(n), "used_rows": int(used_rows)},
            broadcast={"bytes": broadcast_bytes, "via": via},
            update={"weights_before": w.copy(), "query_point": np.asarray(q).copy(),
                    "gradient": np.asarray(gradient).copy(), "direction": direction,
                    "step_size": float(step_used), "weights_after": update_state.w.copy(),
                    "trials": trials},
            timing={"map": map_seconds, "reduce": max(job_seconds - map_seconds, 0.0),
                    "driver": driver_seconds,
                    "total": time.perf_counter() - started},
            accuracy=correct / n if classification and n else None,
        )
        del self._records[self._cursor:]
        del self._states[self._cursor + 1:]
        self._records.append(record)
        self._states.append(update_state)
        self._cursor += 1
        return record

    def _random_row(self, t: int) -> tuple[int, int]:
        """SGD's example for iteration t: a uniform row, as (partition, row in partition)."""
        rng = np.random.default_rng([self.settings.seed, 11, t])
        row = int(rng.integers(self.data.rows))
        for p, count in enumerate(self.data.partition_rows):
            if row < count:
                return p, row
            row -= count
        raise AssertionError("row index past the data")

    def _armijo(self, state, gradient, hessian, objective, step, trials):
        """Backtracking: halve η until the sufficient-decrease test holds (see algorithms)."""
        settings, mask, problem = self.settings, self.mask, self.problem
        for _ in range(settings.max_trials):
            candidate = apply_update(settings, state, gradient, step,
                                     lambda v, eta: problem.prox(v, eta, mask), hessian)
            moved = candidate.state.w - state.w
            value = self.objective_at(candidate.state.w)
            if settings.algorithm == "newton":
                bound = objective + 1e-4 * step * float(gradient @ candidate.direction)
            else:
                bound = objective + float(gradient @ moved) + float(moved @ moved) / (2 * step)
            accepted = math.isfinite(value) and value <= bound
            trials.append({"step_size": step, "objective": value, "accepted": accepted})
            if accepted:
                return candidate
            step *= settings.armijo_shrink
        raise DivergenceError(f"Armijo backtracking (no step accepted in {settings.max_trials} "
                              "trials)", state.t + 1)

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
