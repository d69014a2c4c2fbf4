"""Run the stepper on your own exercise functions, and compare it with the reference.

The exercises' functions plug into :class:`~stepper.engine.Stepper` (so every lesson view that
takes a Stepper runs on them):

* Set 0's prepared rows (an RDD of ``(y, x)``) become the stepper's data set
  (:func:`dataset_from`);
* the data term, through the Stepper's ``partition_oracle`` ``f(X, y, w) -> (Σ loss, Σ grad)``,
  taken from Task 2.1 ``partition_oracle``, else Tasks 1.4 + 1.5 ``loss`` and ``gradient``
  (a block's mean times its row count), else Tasks 1.1 + 1.2 ``loss_one`` and ``grad_one``
  (a loop over the block's rows);
* the Hessian for Newton's method, from Task 3.1 ``partition_hessian``, else Task 1.6
  ``hessian`` (times the row count), else Task 1.3 ``hessian_one``, through a
  :class:`~stepper.problems.Problem` whose block sums are yours (the Stepper's own
  ``partition_oracle`` carries no Hessian);
* the driver's update rules (Tasks 2.4 ``gradient_descent``, 2.5 ``momentum_step``,
  2.6 ``nesterov_step``, 3.3 ``newton_step``) are replayed on the iterations a Stepper recorded
  (:func:`replay_updates`): your rule gets the very gradient the partitions computed and must
  land on the weights the Stepper's rule reached; Task 5.1 ``lbfgs_direction`` is replayed
  the same way on the pairs an L-BFGS run kept;
* the rounds of set 5 (Tasks 5.2 ``local_sgd_round`` and 5.3 ``admm_round``, whole rounds with
  their own Spark jobs) run next to the engine's ``local_sgd`` and ``admm``, round for round
  (:func:`compare_rounds`).

>>> mine = my_stepper(data, Problem(l2=0.01), globals(), algorithm="momentum", lr=0.5)
>>> print(compare(mine, steps=10))        # the same run with the built-in oracles, side by side
>>> print(replay_updates(mine, globals()))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from stepper.algorithms import Settings
from stepper.engine import Stepper
from stepper.errors import StepperError
from stepper.grade.stubs import is_stub
from stepper.problems import Problem


class NotReady(StepperError):  # noqa: N818 (reads as a state: "not ready")
    """The functions the stepper needs are not completed yet."""

    def __init__(self, message: str) -> None:
        super().__init__(message)


def _done(functions: Mapping[str, Any], *names: str) -> bool:
    return all(callable(functions.get(n)) and not is_stub(functions[n]) for n in names)


def _missing(what: str, options: list[tuple[str, ...]], tasks: list[str]) -> NotReady:
    choices = " or ".join("+".join(f"`{n}`" for n in names) + f" (Task{task})"
                          for names, task in zip(options, tasks, strict=True))
    return NotReady(f"the stepper needs {what}: complete {choices} first, run its cell, "
                    "and call this again")


def dataset_from(points, partitions: int | None = None):
    """The stepper's :class:`~stepper.data.dataset.Dataset` made of an RDD of ``(y, x)``
    labelled points (Set 0's prepared rows): collected to the driver, then split again into
    ``partitions`` blocks (default: the RDD's partition count). For class-sized data."""
    from stepper.data.loaders import from_numpy

    rows = points.collect()
    if not rows:
        raise NotReady("the RDD has no rows")
    y = np.array([float(row[0]) for row in rows])
    X = np.stack([np.asarray(row[1], dtype=float) for row in rows])
    return from_numpy(X, y, partitions=partitions or points.getNumPartitions(),
                      sc=points.context, source="your prepared rows")


def partition_oracle_from(functions: Mapping[str, Any]) -> tuple[Callable, str]:
    """``(f, origin)``: a Stepper ``partition_oracle`` made of the attendee's functions."""
    if _done(functions, "partition_oracle"):
        return functions["partition_oracle"], "partition_oracle (Task 2.1)"
    if _done(functions, "loss", "gradient"):
        loss, gradient = functions["loss"], functions["gradient"]

        def block_oracle(X, y, w):
            n = len(y)
            if n == 0:
                return 0.0, np.zeros_like(w)
            return n * float(loss(X, y, w, 0.0)), n * np.asarray(gradient(X, y, w, 0.0), float)

        return block_oracle, "n · loss and n · gradient (Tasks 1.4 and 1.5)"
    if _done(functions, "loss_one", "grad_one"):
        loss_one, grad_one = functions["loss_one"], functions["grad_one"]

        def row_oracle(X, y, w):
            total, grad = 0.0, np.zeros_like(w, dtype=float)
            for x_i, y_i in zip(X, y, strict=True):
                total += float(loss_one(x_i, y_i, w))
                grad = grad + np.asarray(grad_one(x_i, y_i, w), dtype=float)
            return total, grad

        return row_oracle, "a loop of loss_one and grad_one (Tasks 1.1 and 1.2)"
    raise _missing("the loss and gradient of a block",
                   [("partition_oracle",), ("loss", "gradient"), ("loss_one", "grad_one")],
                   [" 2.1", "s 1.4, 1.5", "s 1.1, 1.2"])


def partition_hessian_from(functions: Mapping[str, Any]) -> tuple[Callable, str]:
    """``(h, origin)``: ``h(X, y, w) -> Σ Hessians`` over a block, from the attendee's code."""
    if _done(functions, "partition_hessian"):
        return functions["partition_hessian"], "partition_hessian (Task 3.1)"
    if _done(functions, "hessian"):
        hessian = functions["hessian"]

        def block_hessian(X, y, w):
            return len(y) * np.asarray(hessian(X, y, w, 0.0), dtype=float) if len(y) else \
                np.zeros((len(w), len(w)))

        return block_hessian, "n · hessian (Task 1.6)"
    if _done(functions, "hessian_one"):
        hessian_one = functions["hessian_one"]

        def row_hessian(X, y, w):
            total = np.zeros((len(w), len(w)))
            for x_i, y_i in zip(X, y, strict=True):
                total = total + np.asarray(hessian_one(x_i, y_i, w), dtype=float)
            return total

        return row_hessian, "a loop of hessian_one (Task 1.3)"
    raise _missing("the Hessian of a block",
                   [("partition_hessian",), ("hessian",), ("hessian_one",)],
                   [" 3.1", " 1.6", " 1.3"])


def my_stepper(data, problem: Problem | None = None, functions: Mapping[str, Any] | None = None,
               **settings: Any) -> Stepper:
    """A :class:`Stepper` whose partitions run the attendee's functions.

    ``functions`` is the notebook's namespace (``globals()``). Gradient methods plug the
    attendee's oracle in as the Stepper's ``partition_oracle``; Newton (``algorithm="newton"``)
    uses the attendee's Hessian too. The regularizer is the problem's, as in the exercises.
    """
    functions = functions if functions is not None else {}
    problem = problem or Problem()
    if problem.loss != "logistic":
        raise NotReady(f"the exercises implement the logistic loss, not {problem.loss!r}")
    oracle, origin = partition_oracle_from(functions)
    if Settings().with_changes(**settings).needs_hessian:
        hessian, hessian_origin = partition_hessian_from(functions)
        run = Stepper(data, problem, partition_oracle=oracle, partition_hessian=hessian,
                      **settings)
        # attributes the lesson views read; Stepper itself does not declare them
        run.plugged = f"{origin}; Hessian: {hessian_origin}"  # type: ignore[attr-defined]
    else:
        run = Stepper(data, problem, partition_oracle=oracle, **settings)
        run.plugged = origin  # type: ignore[attr-defined]
    return run


@dataclass
class Comparison:
    """Your run and the reference run, iteration by iteration."""

    plugged: str
    rows: list[dict] = field(default_factory=list)
    rtol: float = 1e-6

    @property
    def ok(self) -> bool:
        return all(row["ok"] for row in self.rows)

    @property
    def first_difference(self) -> int | None:
        return next((row["iteration"] for row in self.rows if not row["ok"]), None)

    def __str__(self) -> str:
        lines = [f"your functions: {self.plugged}",
                 f"{'iter':>4}  {'J (yours)':>14}  {'J (reference)':>14}  {'max |Δw|':>10}"]
        for row in self.rows:
            lines.append(f"{row['iteration']:>4}  {row['objective']:>14.8g}  "
                         f"{row['reference_objective']:>14.8g}  {row['weight_gap']:>10.3g}"
                         + ("" if row["ok"] else "   ← differs"))
        if self.ok:
            lines.append(f"same trajectory as the reference over {len(self.rows)} iteration(s)")
        else:
            lines.append(f"your run leaves the reference at iteration {self.first_difference}")
        return "\n".join(lines)

    _repr_pretty_ = lambda self, p, cycle: p.text(str(self))  # noqa: E731


def compare(mine: Stepper, steps: int = 10, *, rtol: float = 1e-6) -> Comparison:
    """Run ``steps`` more iterations of ``mine`` and of the same run with the built-in oracles.

    The reference starts from ``mine``'s current weights and velocity, with the same data,
    problem and settings.
    """
    reference = Stepper(mine.data, mine.problem, mine.settings)
    reference.start_from(mine.state)  # start where ``mine`` is now
    out = Comparison(getattr(mine, "plugged", "partition_oracle"), rtol=rtol)
    for _ in range(steps):
        a, b = mine.step(), reference.step()
        gap = float(np.max(np.abs(a.weights - b.weights)))
        scale = float(np.max(np.abs(b.weights))) or 1.0
        out.rows.append({"iteration": a.iteration, "objective": a.objective,
                         "reference_objective": b.objective, "weight_gap": gap,
                         "ok": gap <= rtol * scale + 1e-10
                         and abs(a.objective - b.objective) <= rtol * abs(b.objective) + 1e-10})
    return out


@dataclass
class Replayed:
    """Your update rule on the recorded iterations: one line per rule checked."""

    lines: list[str] = field(default_factory=list)
    ok: bool = True

    def __str__(self) -> str:
        return "\n".join(self.lines)

    _repr_pretty_ = lambda self, p, cycle: p.text(str(self))  # noqa: E731


def replay_updates(run: Stepper, functions: Mapping[str, Any], *, rtol: float = 1e-8) -> Replayed:
    """Check the attendee's driver rule against the iterations ``run`` recorded (no Spark).

    gd → ``gradient_descent`` (Task 2.4), momentum → ``momentum_step`` (2.5), nesterov →
    ``nesterov_step`` (2.6, whose gradient must be asked at the look-ahead point the Stepper
    used), newton → ``newton_step`` (3.3, given the recorded gradient and a Hessian that maps
    the recorded step to it), lbfgs → ``lbfgs_direction`` (5.1, given the pairs the run kept).
    Each record's gradient is the one the partitions computed.
    """
    records = run.records
    algorithm = run.method.name
    out = Replayed()
    if not records:
        out.lines.append("nothing recorded yet: run some steps first (run.run(10))")
        out.ok = False
        return out
    if run.settings.schedule != "constant" or run.problem.uses_prox:
        out.lines.append("replay needs a constant step size and no L1 proximal step")
        out.ok = False
        return out
    mu = run.settings.mu

    def close(a, b) -> bool:
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
        return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=1e-12))

    if algorithm == "gd":
        name = "gradient_descent"
        if not _done(functions, name):
            raise _missing("the driver loop", [(name,)], [" 2.4"])
        grads = iter([(r.objective, np.asarray(r.update["gradient"])) for r in records])
        w0 = np.asarray(records[0].update["weights_before"])
        path = functions[name](lambda w: next(grads), w0.copy(), records[0].update["step_size"],
                               len(records))
        want = [w0] + [r.weights for r in records]
        path = np.asarray(path, dtype=float)
        bad = [k for k in range(len(want)) if k >= len(path) or not close(path[k], want[k])]
        out.ok = not bad
        out.lines.append(f"{name}: " + ("same weights as the Stepper at every iteration"
                                        if out.ok else f"differs from iteration {bad[0]}"))
        return out
    if algorithm in ("momentum", "nesterov"):
        name = f"{algorithm}_step"
        if not _done(functions, name):
            raise _missing(f"the {algorithm} rule", [(name,)],
                           [" 2.5" if algorithm == "momentum" else " 2.6"])
        v = np.zeros_like(np.asarray(records[0].update["weights_before"]))
        for r in records:
            u = r.update
            asked: list[np.ndarray] = []
            recorded = np.asarray(u["gradient"])

            def grad_fn(z, _g=recorded, _asked=asked):
                _asked.append(np.asarray(z, dtype=float))
                return _g

            w_new, _ = functions[name](np.asarray(u["weights_before"]), v.copy(), grad_fn,
                                           u["step_size"], mu)
            problem = None
            if asked and not close(asked[0], u["query_point"]):
                problem = (f"the gradient was asked at {np.round(asked[0], 6)}, the Stepper "
                           f"used {np.round(u['query_point'], 6)}")
            elif not close(w_new, r.weights):
                problem = f"w = {np.round(w_new, 6)}, the Stepper has {np.round(r.weights, 6)}"
            if problem:
                out.ok = False
                out.lines.append(f"{name}: iteration {r.iteration}: {problem}")
                return out
            v = np.asarray(u["weights_before"]) - r.weights  # the reference velocity
        out.lines.append(f"{name}: same weights as the Stepper at all {len(records)} iterations")
        return out
    if algorithm == "newton":
        return _replay_newton(records, functions, out, close)
    if algorithm == "lbfgs":
        return _replay_lbfgs(run, functions, out, close)
    out.ok = False
    out.lines.append(f"no exercise implements the {algorithm!r} update")
    return out


def _replay_newton(records: list, functions: Mapping[str, Any], out: Replayed,
                   close: Callable[[Any, Any], bool]) -> Replayed:
    """``newton_step`` (Task 3.3) on the recorded iterations (see :func:`replay_updates`)."""
    name = "newton_step"
    if not _done(functions, name):
        raise _missing("the Newton step", [(name,)], [" 3.3"])
    for r in records:
        u = r.update
        g, d = np.asarray(u["gradient"]), np.asarray(u["direction"]) * u["step_size"]
        # H is not recorded; any H with H·(−d) = g gives the same step: use the rank-one
        # correction of the identity that maps −d to g (symmetric when gᵀd < 0).
        s = -d
        H = np.eye(len(g)) + np.outer(g - s, g - s) / float((g - s) @ s) \
            if abs(float((g - s) @ s)) > 1e-14 else np.eye(len(g))
        w_new = functions[name](np.asarray(u["weights_before"]), g, H)
        if not close(w_new, r.weights):
            out.ok = False
            out.lines.append(f"{name}: iteration {r.iteration}: w = {np.round(w_new, 6)}, "
                             f"the Stepper has {np.round(r.weights, 6)}")
            return out
    out.lines.append(f"{name}: same weights as the Stepper at all {len(records)} iterations")
    return out


def _replay_lbfgs(run: Stepper, functions: Mapping[str, Any], out: Replayed,
                  close: Callable[[Any, Any], bool]) -> Replayed:
    """``lbfgs_direction`` (Task 5.1) on the pairs the engine kept at each recorded iteration:
    the pair of step k is completed by iteration k + 1's gradient, stored when it passes the
    curvature test, the oldest dropped beyond the memory, the memory cleared when the engine
    fell back to −g (see :mod:`stepper.algorithms.lbfgs`)."""
    from stepper.algorithms.lbfgs import keeps_pair

    name = "lbfgs_direction"
    if not _done(functions, name):
        raise _missing("the L-BFGS direction", [(name,)], [" 5.1"])
    memory = int(run.method.hyper["memory"])
    pairs: list[tuple[np.ndarray, np.ndarray]] = []
    previous = None
    for r in run.records:
        u = r.update
        g = np.asarray(u["gradient"], dtype=float)
        if previous is not None:
            s = np.asarray(previous.weights, float) - np.asarray(previous.weights_before, float)
            y = g - np.asarray(previous.update["gradient"], dtype=float)
            if keeps_pair(s, y):
                pairs = [*pairs, (s, y)][-memory:]
        if int(u.get("memory_used", len(pairs))) < len(pairs):  # the engine started over
            pairs = []
        d = len(g)
        S = np.array([s for s, _ in pairs]).reshape(len(pairs), d)
        Y = np.array([y for _, y in pairs]).reshape(len(pairs), d)
        mine = functions[name](g, S, Y)
        if not close(mine, u["direction"]):
            out.ok = False
            out.lines.append(f"{name}: iteration {r.iteration} ({len(pairs)} pair(s)): "
                             f"d = {np.round(np.asarray(mine, dtype=float), 6)}, the Stepper "
                             f"has {np.round(np.asarray(u['direction']), 6)}")
            return out
        previous = r
    out.lines.append(f"{name}: same direction as the Stepper at all {len(run.records)} "
                     "iterations")
    return out


def compare_rounds(mine: Callable[[np.ndarray, int], Any], reference: Stepper, steps: int = 5,
                   *, rtol: float = 1e-6) -> Comparison:
    """Your round function next to the engine's method, round for round.

    ``mine(w, t)`` is one round of your method from the weights ``w`` after ``t`` rounds (it
    returns the new weights; keep any other state, ADMM's duals, in the caller); ``reference``
    a :class:`Stepper` running the engine's method on the same data and partitions. Both start
    from the reference's current weights; each round yours gets the weights *it* reached, so a
    difference shows in the first round that makes it. J of your weights is computed on the
    reference's rows (collected once, no Spark round).
    """
    X, y = reference.collected_rows()
    label = getattr(mine, "__name__", "your round")
    out = Comparison(f"{label} next to the engine's {reference.method.name}", rtol=rtol)
    w = np.array(reference.state.w, dtype=float)
    for _ in range(steps):
        t = int(reference.state.t)
        try:
            w = np.asarray(mine(w.copy(), t), dtype=float)
        except NotImplementedError as unfinished:  # the stub of the task it calls
            raise NotReady(f"{label} needs {unfinished}: complete it first, run its cell, and "
                           "call this again") from None
        b = reference.step()
        objective = reference.problem.objective(X, y, w, reference.mask) \
            if w.shape == b.weights.shape else float("nan")
        reference_objective = reference.problem.objective(X, y, b.weights, reference.mask)
        gap = float(np.max(np.abs(w - b.weights))) if w.shape == b.weights.shape \
            else float("inf")
        scale = float(np.max(np.abs(b.weights))) or 1.0
        out.rows.append({"iteration": b.iteration, "objective": objective,
                         "reference_objective": reference_objective, "weight_gap": gap,
                         "ok": gap <= rtol * scale + 1e-10})
    return out
