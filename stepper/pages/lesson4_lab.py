"""What lesson 4's page computes: methods compared by communication rounds and bytes.

Every result is a plain JSON-able dict (lists of floats, ints, strings), so that the
instructor's page can publish it to a room (``room.publish_result``) and a follower can draw it
without running Spark. The runs use the engine's own methods on Spark (:class:`~stepper.engine.
Stepper`); each record says how many communication rounds its iteration took and how many bytes
went out (the broadcast) and came back (the reduce), so a curve's x axis is *rounds*.

* :func:`run_curve`: J − J* after each iteration of one method, against cumulative rounds and
  bytes;
* :func:`estimate_rate`: linear, superlinear or quadratic, read off a curve of gaps;
* :func:`lbfgs_pairs`: the (s, y) pairs L-BFGS keeps along a path;
* :func:`mllib_fit`: Spark's own ``pyspark.ml`` ``LogisticRegression`` on the same rows;
* :func:`local_sgd_sweep`, :func:`admm_rho_sweep`, :func:`admm_lasso`: the sweeps of the page.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from stepper.algorithms import Settings
from stepper.errors import ConfigError
from stepper.problems import Problem

Progress = Callable[[int, int, str], None]
"""``progress(done, total, what)``: ``done`` of ``total`` runs are over, ``what`` runs now (its
words are method names, split names and numbers; the page translates them)."""


def no_progress(_done: int, _total: int, _what: str) -> None:
    """The default ``progress``: nothing to show."""

COMPARED = ("gd", "nesterov", "newton", "lbfgs", "local_sgd", "admm")
"""The methods of the rounds comparison (the engine's algorithm names)."""

FOUR_CURVES = ("gd", "momentum", "minibatch", "minibatch_momentum")
"""The workshop's final comparison on churn: GD, GD + momentum, mini-batch, mini-batch +
momentum (same start, J against iterations)."""

TOLERANCE = 1e-6
"""J − J* to reach when counting rounds (the closing table's column)."""

CONVERGED = 1e-8
"""‖∇J‖ at which the 2-D paths stop (L-BFGS gets there in a few steps)."""

LOCAL_TOLERANCE = 1e-3
"""J − J* to reach in the local SGD sweep (its rounds are few)."""

CHURN_L2 = 0.005
LASSO_L1 = 0.02
LOCAL_STEPS_RANGE = (1, 200)
"""The local steps H the page accepts."""


@dataclass(frozen=True)
class Sizes:
    """How long the page's runs are (``?quick=1`` shrinks them for the tests)."""

    iterations: dict[str, int]
    local_steps: tuple[int, ...]
    local_rounds: int
    rhos: tuple[float, ...]
    admm_iterations: int
    four_iterations: int


FULL = Sizes(iterations={"gd": 100, "nesterov": 60, "newton": 6, "lbfgs": 25,
                         "local_sgd": 30, "admm": 30},
             local_steps=(1, 10, 100), local_rounds=25, rhos=(0.001, 0.01, 0.1, 1.0),
             admm_iterations=25, four_iterations=40)
QUICK = Sizes(iterations={"gd": 4, "nesterov": 4, "newton": 6, "lbfgs": 4,
                          "local_sgd": 4, "admm": 4},
              local_steps=(1, 10), local_rounds=3, rhos=(0.01, 1.0), admm_iterations=3,
              four_iterations=3)


def sizes(quick: bool) -> Sizes:
    return QUICK if quick else FULL


def churn_problem(l1: float = 0.0) -> Problem:
    """The lesson's objective on churn: logistic, λ₂ = 0.005 (lesson 2's), exact L1 if any."""
    if l1 > 0:
        return Problem("logistic", l2=CHURN_L2, l1=l1, l1_mode="prox")
    return Problem("logistic", l2=CHURN_L2)


def method_settings(name: str, **hyper: Any) -> Settings:
    """The settings each method runs with on this page: the spectral step for the gradient
    family and local SGD, the full step for Newton and L-BFGS, ρ = 0.01 for ADMM."""
    from stepper.algorithms import admm, local_sgd, minibatch

    if name in ("gd", "nesterov", "momentum"):
        return Settings(algorithm=name, lr="spectral")
    if name == "minibatch":
        return Settings(algorithm=minibatch(fraction=0.1), lr="spectral")
    if name == "minibatch_momentum":
        return Settings(algorithm=minibatch(mu=0.9, fraction=0.1), lr="spectral")
    if name in ("newton", "lbfgs"):
        return Settings(algorithm=name, lr=1.0)
    if name == "local_sgd":
        return Settings(algorithm=local_sgd(local_steps=int(hyper.get("local_steps", 10))),
                        lr="spectral")
    if name == "admm":
        return Settings(algorithm=admm(rho=float(hyper.get("rho", 0.01))))
    raise ConfigError("algorithm", name, f"one of {', '.join(COMPARED + FOUR_CURVES)}")


def check_local_steps(value: Any) -> int:
    """H as a whole number in :data:`LOCAL_STEPS_RANGE`, else a ConfigError."""
    low, high = LOCAL_STEPS_RANGE
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) \
            or not low <= value <= high:
        raise ConfigError("local_steps", value, f"a whole number from {low} to {high}")
    return int(value)


def check_rho(value: Any) -> float:
    """ρ as a positive finite number, else a ConfigError."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or not (math.isfinite(value) and value > 0):
        raise ConfigError("rho", value, "a positive number")
    return float(value)


# -- one run ------------------------------------------------------------------------------------
def record_bytes(record: Any) -> int:
    """Bytes one iteration moved: the broadcast out and the reduce's bytes to the driver."""
    out = int((record.broadcast or {}).get("bytes") or 0)
    back = int((record.reduce or {}).get("bytes_to_driver") or 0)
    return out + back


def run_curve(data: Any, problem: Problem, settings: Settings, iterations: int,
              j_star: float) -> dict[str, Any]:
    """``iterations`` iterations on Spark: J(w_k) − J* for k = 0 … (J of the iterate each
    iteration's first round evaluates, then J of the last iterate), with the rounds and bytes
    spent before each point, the seconds per round and the final weights."""
    from stepper.engine import Stepper

    run = Stepper(data, problem, settings)
    records = run.run(iterations)
    final = run.objective_at(run.weights)
    gaps = [r.objective - j_star for r in records] + [final - j_star]
    rounds, moved, seconds = [0], [0], 0.0
    for r in records:
        rounds.append(rounds[-1] + int(r.rounds or 1))
        moved.append(moved[-1] + record_bytes(r))
        seconds += float((r.timing or {}).get("total") or 0.0)
    total_rounds = max(rounds[-1], 1)
    return {"method": settings.name, "gaps": [float(g) for g in gaps], "rounds": rounds,
            "bytes": moved, "bytes_per_round": moved[-1] / total_rounds,
            "seconds_per_round": seconds / total_rounds,
            "weights": [float(v) for v in run.weights], "iterations": len(records)}


def rounds_to(curve: dict[str, Any], tolerance: float = TOLERANCE) -> int | None:
    """The rounds spent before J − J* ≤ ``tolerance`` first, None if never."""
    for gap, spent in zip(curve["gaps"], curve["rounds"], strict=True):
        if gap <= tolerance:
            return int(spent)
    return None


def compare_methods(data: Any, problem: Problem, j_star: float, run_sizes: Sizes,
                    progress: Progress = no_progress,
                    methods: Sequence[str] = COMPARED) -> dict[str, Any]:
    """:func:`run_curve` for each method, with its rate and rounds to :data:`TOLERANCE`."""
    curves = {}
    for k, name in enumerate(methods):
        progress(k, len(methods), name)
        curve = run_curve(data, problem, method_settings(name), run_sizes.iterations[name],
                          j_star)
        curve["rate"] = estimate_rate(curve["gaps"])
        curve["rounds_to_tol"] = rounds_to(curve)
        curves[name] = curve
    return {"j_star": float(j_star), "tolerance": TOLERANCE, "curves": curves}


# -- rates --------------------------------------------------------------------------------------
def estimate_rate(gaps: Sequence[float], floor: float = 1e-13) -> dict[str, Any]:
    """How e_k = J(w_k) − J* falls, from the points above ``floor`` (below it rounding rules):

    * ``quadratic`` when the order p = (log e_{k+1} − log e_k)/(log e_k − log e_{k−1}) reaches
      about 2 (e_{k+1} ≈ C e_k²) over two successive decreases, the second by more than a
      factor 10 (a rippling or stalling curve gives meaningless ratios of tiny steps);
    * ``superlinear`` when the ratios e_{k+1}/e_k keep shrinking towards 0;
    * ``linear`` when they settle at a constant q < 1 (e_k ≈ C qᵏ), q reported;
    * ``sublinear`` when they creep towards 1; ``unknown`` with fewer than 3 usable points.
    """
    e = np.asarray([g for g in gaps if np.isfinite(g)], dtype=float)
    e = e[e > floor]
    if e.size < 3:
        return {"kind": "unknown", "ratio": None, "order": None}
    ratios = e[1:] / e[:-1]
    tail = ratios[len(ratios) // 2:]
    q = float(np.median(tail))
    order = None
    logs = np.log(e[e < 0.1])
    if logs.size >= 3:  # the order p of e_{k+1} ≈ C e_kᵖ from three successive points
        steps = np.diff(logs)
        # only two successive decreases, the second by more than a factor 10: where a curve
        # ripples (Nesterov) or stalls, the ratio of two tiny steps says nothing of an order
        falling = (steps[:-1] < 0) & (steps[1:] < -math.log(10.0))
        if np.any(falling):
            order = float(np.max(steps[1:][falling] / steps[:-1][falling]))
            if order >= 1.8:
                return {"kind": "quadratic", "ratio": q, "order": order}
    if e.size < 4:
        return {"kind": "unknown", "ratio": None, "order": order}
    early, late = float(np.median(ratios[: max(len(ratios) // 2, 1)])), float(ratios[-1])
    if late < 0.5 * early and late < 0.3 and np.all(np.diff(tail) <= 1e-12 + 0.1 * tail[:-1]):
        return {"kind": "superlinear", "ratio": float(late), "order": order}
    if q > 0.995 or (late > 0.9 and late - float(tail[0]) > 0.01):
        return {"kind": "sublinear", "ratio": q, "order": order}
    return {"kind": "linear", "ratio": q, "order": order}


# -- L-BFGS on the 2-D data ----------------------------------------------------------------------
def paths_2d(X: np.ndarray, y: np.ndarray, problem: Problem, steps: int) -> dict[str, Any]:
    """GD (spectral step) and L-BFGS (full step) from w = 0 on one machine (the engine's method
    values in numpy, :func:`stepper.local.run_local`): the iterates and J along each, up to
    ``steps`` iterations or until ‖∇J‖ ≤ ``CONVERGED`` (past it the steps are rounding)."""
    from stepper.local import run_local

    out = {}
    for name, settings in (("gd", Settings(algorithm="gd", lr="spectral")),
                           ("lbfgs", Settings(algorithm="lbfgs", lr=1.0))):
        path = run_local(problem, settings, X, y, steps, intercept=True)
        done = np.flatnonzero(path.grad_norm <= CONVERGED)
        keep = int(done[0]) + 1 if done.size else len(path.weights)
        out[name] = {"weights": path.weights[:keep].tolist(),
                     "objective": path.objective[:keep].tolist()}
    return out


def lbfgs_pairs(X: np.ndarray, y: np.ndarray, problem: Problem, weights: np.ndarray,
                memory: int = 10) -> list[dict[str, Any]]:
    """The pairs L-BFGS stores along ``weights`` (its iterates): sₖ = wₖ₊₁ − wₖ,
    yₖ = ∇J(wₖ₊₁) − ∇J(wₖ), kept when sᵀy > 10⁻⁸‖s‖‖y‖, the last ``memory`` of them."""
    from stepper.algorithms.lbfgs import keeps_pair

    mask = problem.penalty_mask(X.shape[1], True)
    W = np.asarray(weights, dtype=float)
    grads = [problem.gradient(X, y, w, mask) for w in W]
    kept = []
    for k in range(len(W) - 1):
        s, g = W[k + 1] - W[k], grads[k + 1] - grads[k]
        if np.linalg.norm(s) == 0:
            break
        if keeps_pair(s, g):
            kept.append({"k": k, "s": s.tolist(), "y": g.tolist(), "sy": float(s @ g),
                         "gamma": float(s @ g) / float(g @ g)})
    return kept[-memory:]


# -- MLlib ----------------------------------------------------------------------------------------
def mllib_fit(spark: Any, X: np.ndarray, y: np.ndarray, l2: float) -> dict[str, Any]:
    """``pyspark.ml.classification.LogisticRegression`` (L-BFGS over treeAggregate) on the same
    rows: X's column 0 is the intercept (fitted by MLlib, not penalized), labels ±1 become 0/1;
    regParam = λ₂ with elasticNetParam = 0 and standardization off is MLlib's
    (1/n)Σ log-loss + (λ₂/2)‖β‖², our J. Returns [intercept, β…] and MLlib's iterations."""
    from pyspark.ml.classification import LogisticRegression
    from pyspark.ml.linalg import Vectors

    rows = [(float((label + 1) / 2), Vectors.dense(x[1:].tolist())) for x, label in zip(X, y,
                                                                                         strict=True)]
    frame = spark.createDataFrame(rows, ["label", "features"])
    model = LogisticRegression(regParam=l2, elasticNetParam=0.0, standardization=False,
                               fitIntercept=True, maxIter=500, tol=1e-12).fit(frame)
    summary = model.summary
    return {"weights": [float(model.intercept), *map(float, model.coefficients)],
            "iterations": int(summary.totalIterations),
            "objective_history": [float(v) for v in summary.objectiveHistory]}


# -- local SGD ------------------------------------------------------------------------------------
def local_sgd_sweep(X: np.ndarray, y: np.ndarray, problem: Problem, j_star: float,
                    local_steps: Sequence[int], rounds: int, partitions: int = 4,
                    progress: Progress = no_progress) -> dict[str, Any]:
    """Local SGD with H local full-gradient steps per round, for each H, on rows split at
    random (IID) and on rows sorted by label (non-IID: most partitions hold one class)."""
    from stepper.data.loaders import from_numpy

    out: dict[str, Any] = {"j_star": float(j_star), "runs": []}
    shuffled = np.random.default_rng(0).permutation(X.shape[0])
    total = 2 * len(local_steps)
    for split in ("iid", "non_iid"):
        Xs, ys = (X[shuffled], y[shuffled]) if split == "iid" else (X, y)
        data = from_numpy(Xs, ys, partitions=partitions, non_iid=split == "non_iid",
                          source=f"churn_{split}")
        data.intercept = True
        for H in local_steps:
            progress(len(out["runs"]), total, f"{split} H={H}")
            curve = run_curve(data, problem, method_settings("local_sgd", local_steps=int(H)),
                              rounds, j_star)
            out["runs"].append({"split": split, "H": int(H), "gaps": curve["gaps"],
                                "rounds": curve["rounds"], "floor": curve["gaps"][-1],
                                "rounds_to_tol": rounds_to(curve, LOCAL_TOLERANCE)})
        data.unpersist()
    return out


# -- ADMM -----------------------------------------------------------------------------------------
def admm_run(data: Any, problem: Problem, rho: float, iterations: int,
             j_star: float) -> dict[str, Any]:
    """ADMM on Spark: J(z) − J*, the primal and dual residuals per iteration, the local Newton
    steps each partition took, the consensus z."""
    from stepper.engine import Stepper

    run = Stepper(data, problem, method_settings("admm", rho=rho))
    records = run.run(iterations)
    local_steps = [sum(int(v) for v in (r.reduce or {}).get("local_steps", {}).values())
                   if isinstance((r.reduce or {}).get("local_steps"), dict) else None
                   for r in records]
    return {"rho": float(rho),
            "gaps": [float(r.objective - j_star) for r in records],
            "primal": [float(r.update["primal_residual"]) for r in records],
            "dual": [float(r.update["dual_residual"]) for r in records],
            "local_steps": local_steps,
            "z": [float(v) for v in run.weights],
            "bytes_per_round": sum(record_bytes(r) for r in records) / max(len(records), 1)}


def admm_rho_sweep(data: Any, problem: Problem, j_star: float, rhos: Sequence[float],
                   iterations: int, progress: Progress = no_progress) -> dict[str, Any]:
    runs: list[dict[str, Any]] = []
    for rho in rhos:
        progress(len(runs), len(rhos), f"ρ = {rho:g}")
        runs.append(admm_run(data, problem, check_rho(rho), iterations, j_star))
    return {"j_star": float(j_star), "runs": runs}


def lasso_reference(X: np.ndarray, y: np.ndarray, problem: Problem,
                    steps: int = 3000) -> np.ndarray:
    """The L1 solution by proximal gradient descent in numpy (no Spark), the spectral step."""
    from stepper.local import run_local

    path = run_local(problem, Settings(algorithm="gd", lr="spectral"), X, y, steps,
                     intercept=True)
    return np.asarray(path.weights[-1])


def admm_lasso(data: Any, X: np.ndarray, y: np.ndarray, l1: float, rho: float,
               iterations: int) -> dict[str, Any]:
    """ADMM with the exact L1 (soft-threshold in the z-step) on churn: z has exact zeros."""
    problem = churn_problem(l1)
    reference = lasso_reference(X, y, problem)
    j_star = problem.objective(X, y, reference, problem.penalty_mask(X.shape[1], True))
    run = admm_run(data, problem, rho, iterations, j_star)
    z = np.asarray(run["z"])
    run.update({"l1": float(l1), "zeros": int(np.sum(z[1:] == 0.0)),
                "penalized": int(z.size - 1),
                "reference_zeros": int(np.sum(np.abs(reference[1:]) < 1e-12)),
                "reference": reference.tolist()})
    return run


def kkt_violation(X: np.ndarray, y: np.ndarray, problem: Problem, w: np.ndarray) -> float:
    """The largest violation of the lasso's optimality conditions at w (intercept free):
    |∇ⱼf| ≤ λ₁ where wⱼ = 0, ∇ⱼf + λ₁ sign(wⱼ) = 0 elsewhere (f the smooth part)."""
    smooth = Problem(problem.loss, l2=problem.l2)
    mask = problem.penalty_mask(X.shape[1], True)
    g = smooth.gradient(X, y, w, mask)
    worst = abs(float(g[0]))
    for j in range(1, w.size):
        if w[j] == 0.0:
            worst = max(worst, abs(float(g[j])) - problem.l1)
        else:
            worst = max(worst, abs(float(g[j]) + problem.l1 * np.sign(w[j])))
    return worst


# -- the workshop's four curves ------------------------------------------------------------------
def four_curves(data: Any, problem: Problem, iterations: int,
                progress: Progress = no_progress) -> dict[str, Any]:
    """GD, GD + momentum, mini-batch (10 %), mini-batch + momentum on churn from w = 0: J(w_k)
    against iterations (the workshop's final figure)."""
    from stepper.engine import Stepper

    out = {}
    for k, name in enumerate(FOUR_CURVES):
        progress(k, len(FOUR_CURVES), name)
        run = Stepper(data, problem, method_settings(name))
        records = run.run(iterations)
        out[name] = [float(r.objective) for r in records] + [float(run.objective_at(run.weights))]
    return {"curves": out}
