"""Visible tests of exercise set 5: fewer rounds (L-BFGS, local SGD, ADMM, rounds to a
tolerance).

Expected values are computed here with numpy alone: the L-BFGS direction from the dense BFGS
inverse built from the same pairs, the local-SGD round and the ADMM round on the partitions
Spark makes (``slices``), and the lasso optimum exactly, by its KKT conditions (checked
against scikit-learn in tests/grading/test_set5_references.py). The wrong variants the hints
name are the same computations with one mistake each.
"""

from __future__ import annotations

import numpy as np

from stepper.grade import reference as ref
from stepper.grade.api import Hint, expect_close, expect_equal, fail, say, task
from stepper.grade.tests._common import Rdd, slices, small

# -- 5.1: the L-BFGS direction -----------------------------------------------------------------


def bfgs_inverse(S: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """The dense BFGS inverse Hessian from H⁰ = (sᵀy/yᵀy) I of the newest pair, updated once
    per pair, oldest first: H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, ρ = 1/(yᵀs)."""
    d = S.shape[1]
    if len(S) == 0:
        return np.eye(d)
    H = float(S[-1] @ Y[-1]) / float(Y[-1] @ Y[-1]) * np.eye(d)
    for s, y in zip(S, Y, strict=True):
        rho = 1.0 / float(y @ s)
        left = np.eye(d) - rho * np.outer(s, y)
        H = left @ H @ left.T + rho * np.outer(s, s)
    return H


def two_loop_variant(g, S, Y, *, first_newest=True, second_oldest=True, use_rho=True,
                     gamma="newest") -> np.ndarray:
    """The two-loop recursion with one of the likely mistakes (the defaults: none)."""
    m = len(S)
    q = np.array(g, dtype=float)
    rho = [1.0 / float(Y[i] @ S[i]) if use_rho else 1.0 for i in range(m)]
    alpha = np.zeros(m)
    for i in (range(m - 1, -1, -1) if first_newest else range(m)):
        alpha[i] = rho[i] * float(S[i] @ q)
        q = q - alpha[i] * Y[i]
    if m and gamma == "newest":
        q = float(S[-1] @ Y[-1]) / float(Y[-1] @ Y[-1]) * q
    elif m and gamma == "oldest":
        q = float(S[0] @ Y[0]) / float(Y[0] @ Y[0]) * q
    elif m and gamma == "inverse":
        q = float(Y[-1] @ Y[-1]) / float(S[-1] @ Y[-1]) * q
    for i in (range(m) if second_oldest else range(m - 1, -1, -1)):
        beta = rho[i] * float(Y[i] @ q)
        q = q + (alpha[i] - beta) * S[i]
    return -q


def lbfgs_hints(g, S, Y) -> list[Hint]:
    def v(**mistake):
        return two_loop_variant(g, S, Y, **mistake)

    return [Hint(v(first_newest=False), "the first loop runs from the newest pair to the "
                                        "oldest (and the second from the oldest to the newest)"),
            Hint(v(first_newest=False, second_oldest=False), "the loops are in the wrong order: "
                 "the first from the newest pair to the oldest, the second back"),
            Hint(v(second_oldest=False), "the second loop runs from the oldest pair to the "
                                         "newest"),
            Hint(v(use_rho=False), "ρᵢ = 1/(yᵢᵀsᵢ) is missing from αᵢ and β"),
            Hint(v(gamma="one"), "the initial scaling γ = sᵀy/yᵀy is missing (H⁰ = γI)"),
            Hint(v(gamma="inverse"), "γ is inverted: sᵀy/yᵀy, not yᵀy/sᵀy"),
            Hint(v(gamma="oldest"), "γ from the oldest pair: use the newest"),
            Hint(-v(), "returned H g: the direction is d = −H g")]


def quadratic_pairs(d: int, m: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(g, S, Y): m pairs on the quadratic ½wᵀAw (y = A s, A symmetric positive definite)."""
    rng = np.random.default_rng(seed)
    B = rng.normal(size=(d, d))
    A = B @ B.T + d * np.eye(d)
    S = rng.normal(size=(m, d))
    return rng.normal(size=d), S, S @ A


@task("5.1", points=3, uses="lbfgs_direction")
def test_lbfgs_direction(sub):
    """L-BFGS direction against the dense BFGS inverse"""
    g, S, Y = quadratic_pairs(4, 3, seed=51)
    H = bfgs_inverse(S, Y)
    expect_close(sub.lbfgs_direction(g, S, Y), -H @ g, what="lbfgs_direction(g, S, Y)",
                 example=say("3 pairs (y = A s) on a quadratic in 4 dimensions, {pairs}",
                             pairs=ref.describe(g=g, S=S, Y=Y)),
                 hints=lbfgs_hints(g, S, Y))


# -- 5.2: one round of local SGD ---------------------------------------------------------------


def local_round(parts: list[list], w, H: int, eta: float, seed: int, batch, lam: float, t: int,
                *, weighted=True, replace=False, one_draw=False) -> np.ndarray:
    """One local-SGD round on these partitions, with the engine's draws
    (``default_rng([seed, 29, t, p])``, without replacement), or one of the likely mistakes."""
    models, counts = [], []
    for p, part in enumerate(parts):
        if not part:
            continue
        y = np.array([row[0] for row in part], dtype=float)
        X = np.array([row[1] for row in part], dtype=float)
        u = np.array(w, dtype=float)
        draws = np.random.default_rng([seed, 29, t, p])
        index = None
        for _ in range(H):
            if batch is None:
                index = np.arange(len(y))
            elif index is None or not one_draw:
                index = draws.choice(len(y), size=min(batch, len(y)), replace=replace)
            Xb, yb = X[index], y[index]
            u = u - eta * (ref.grad_sum(Xb, yb, u) / len(yb) + lam * u)
        models.append(u)
        counts.append(len(y))
    models_arr, counts_arr = np.array(models), np.array(counts, dtype=float)
    if weighted:
        return counts_arr @ models_arr / counts_arr.sum()
    return models_arr.mean(axis=0)


def local_sgd_rows(seed: int, n: int, d: int = 3) -> tuple[list, np.ndarray, np.ndarray]:
    X, y, _ = small(n, d, seed=seed)
    return ref.rows_of(X, y), X, y


@task("5.2", points=2, uses="local_sgd_round", spark=True)
def test_local_sgd_one_step_is_gradient_descent(sub):
    """one local step with full local gradients is one gradient step"""
    rows, X, y = local_sgd_rows(52, 22)
    w, eta, lam = np.array([0.3, -0.2, 0.5]), 0.4, 0.05
    parts = slices(rows, 4)
    got = sub.local_sgd_round(Rdd(rows, 4), w, 1, eta, 3, None, lam, 0)
    sizes = [len(part) for part in parts]
    expect_close(got, w - eta * ref.gradient(X, y, w, lam), what="local_sgd_round(…, H=1)",
                 example=say("22 points in 4 partitions of {sizes} rows, H=1, full local "
                             "gradients, η={eta}, λ={lam}, w={w}", sizes=sizes, eta=eta, lam=lam,
                             w=w),
                 hints=[Hint(local_round(parts, w, 1, eta, 3, None, lam, 0, weighted=False),
                             "the partitions' models are averaged without weights: weight each "
                             "by its row count n_p"),
                        Hint(w - eta * ref.gradient(X, y, w, 0.0), "the regularization λu is "
                                                                   "missing from the local step"),
                        Hint(len(y) * (w - eta * ref.gradient(X, y, w, lam)),
                             "Σ n_p u_p was not divided by the total row count Σ n_p")])


@task("5.2", points=2, uses="local_sgd_round", spark=True)
def test_local_sgd_round_with_local_batches(sub):
    """H local mini-batch steps with the engine's draws, averaged by rows"""
    rows, _, _ = local_sgd_rows(53, 22)
    w, H, eta, seed, batch, lam, t = np.array([0.1, 0.4, -0.3]), 3, 0.5, 4, 3, 0.02, 2
    parts = slices(rows, 4)

    def variant(**mistake):
        return local_round(parts, w, H, eta, seed, batch, lam, t, **mistake)

    got = sub.local_sgd_round(Rdd(rows, 4), w, H, eta, seed, batch, lam, t)
    expect_close(got, variant(), what="local_sgd_round(…)",
                 example=say("22 points in 4 partitions, H={H}, batch={batch}, η={eta}, "
                             "seed={seed}, t={t}, λ={lam}", H=H, batch=batch, eta=eta, seed=seed,
                             t=t, lam=lam),
                 hints=[Hint(variant(weighted=False), "the partitions' models are averaged "
                             "without weights: weight each by its row count n_p"),
                        Hint(variant(replace=True), "rows drawn with replacement: use "
                                                    "choice(n_p, size, replace=False)"),
                        Hint(variant(one_draw=True), "one draw for all H steps: draw a fresh "
                                                     "batch at every local step"),
                        Hint(local_round(parts, w, H, eta, seed, batch, lam, 0),
                             "the round t is not used: draw with local_batches(seed, t, p)"),
                        Hint(local_round(parts, w, H, eta, seed, None, lam, t),
                             "full local gradients were used: take `batch` rows per step")])


# -- 5.3: one round of consensus ADMM for the lasso ---------------------------------------------


def admm_variant(parts: list[list], z, U, rho: float, lam1: float, *, threshold=None,
                 intercept=False, with_u=True, old_z=False, local_n=False,
                 sqrt_p=True, primal_old=False) -> tuple[np.ndarray, np.ndarray, float, float]:
    """One consensus-ADMM round of the lasso on these partitions (squares loss, intercept at
    coordinate 0 not thresholded), or one of the likely mistakes."""
    z, U = np.asarray(z, dtype=float), np.asarray(U, dtype=float)
    P, d = U.shape
    n = sum(len(part) for part in parts)
    xs = np.zeros((P, d))
    for p, part in enumerate(parts):
        y = np.array([row[0] for row in part], dtype=float)
        X = np.array([row[1] for row in part], dtype=float).reshape(len(part), d)
        m = max(len(part), 1) if local_n else n
        xs[p] = np.linalg.solve(X.T @ X / m + rho * np.eye(d), X.T @ y / m + rho * (z - U[p]))
    mean = (xs + U).mean(axis=0) if with_u else xs.mean(axis=0)
    theta = lam1 / (P * rho) if threshold is None else threshold
    z_new = np.sign(mean) * np.maximum(np.abs(mean) - theta, 0.0)
    if not intercept:
        z_new[0] = mean[0]
    U_new = U + xs - (z if old_z else z_new)
    primal = float(np.sqrt(((xs - (z if primal_old else z_new)) ** 2).sum()))
    dual = float(rho * (np.sqrt(P) if sqrt_p else 1.0) * np.linalg.norm(z_new - z))
    return z_new, U_new, primal, dual


def admm_z_hints(parts, z, U, rho, lam1) -> list[Hint]:
    P = len(parts)

    def v(**mistake):
        return admm_variant(parts, z, U, rho, lam1, **mistake)[0]

    return [Hint(v(intercept=True), "the intercept (coordinate 0) was soft-thresholded: it is "
                                    "not penalized, it keeps the mean"),
            Hint(v(threshold=lam1 / rho), "the threshold is λ₁/ρ; with P = {P} partitions it is "
                                          "λ₁/(Pρ)", {"P": P}),
            Hint(v(threshold=lam1), "the threshold is λ₁; it is λ₁/(Pρ)"),
            Hint(v(threshold=lam1 * P / rho), "the threshold is λ₁P/ρ; it is λ₁/(Pρ)"),
            Hint(v(threshold=0.0), "no soft-threshold: z⁺ = S_θ(mean(x_p + u_p))"),
            Hint(v(with_u=False), "the mean of the x_p alone: average x_p + u_p"),
            Hint(v(local_n=True), "the local problem divides by the partition's n_p: f_p "
                                  "divides by the total n")]


def lasso_rows(seed: int, n: int, d: int) -> tuple[list, np.ndarray, np.ndarray]:
    """A small regression: column 0 of X is the intercept, some true coefficients are 0."""
    rng = np.random.default_rng(seed)
    X = np.hstack([np.ones((n, 1)), rng.normal(size=(n, d - 1))])
    truth = np.zeros(d)
    truth[0], truth[1], truth[-1] = 0.5, 1.5, -1.0
    y = X @ truth + 0.3 * rng.normal(size=n)
    return ref.rows_of(X, y), X, y


def check_admm_round(got, expected, parts, z, U, rho, lam1, example: str) -> None:
    if not isinstance(got, (tuple, list)) or len(got) != 4:
        fail("return the four values (z⁺, U⁺, r, s); got {value}", value=f"{got!r:.200}")
    z_new, U_new, primal, dual = expected
    expect_close(got[0], z_new, atol=1e-7, what=say("z⁺"), example=example,
                 hints=admm_z_hints(parts, z, U, rho, lam1))
    old = admm_variant(parts, z, U, rho, lam1, old_z=True)[1]
    expect_close(got[1], U_new, atol=1e-7, what=say("U⁺"), example=example,
                 shape_hints={(U_new.shape[1],): "U⁺ holds one row u_p per partition (P × d)"},
                 hints=[Hint(old, "u_p was updated with the old z: u_p⁺ = u_p + x_p − z⁺")])
    expect_close(got[2], primal, atol=1e-7, what=say("the primal residual r"), example=example,
                 hints=[Hint(admm_variant(parts, z, U, rho, lam1, primal_old=True)[2],
                             "r measured from the old z: r = √(Σ_p ‖x_p − z⁺‖²)")])
    no_sqrt = admm_variant(parts, z, U, rho, lam1, sqrt_p=False)[3]
    expect_close(got[3], dual, atol=1e-7, what=say("the dual residual s"), example=example,
                 hints=[Hint(no_sqrt, "the factor √P is missing: s = ρ√P ‖z⁺ − z‖")])


@task("5.3", points=3, uses="admm_round", spark=True)
def test_admm_round(sub):
    """one consensus-ADMM round of the lasso"""
    rows, _, _ = lasso_rows(531, 24, 4)
    parts = slices(rows, 3)
    rng = np.random.default_rng(532)
    z, U = rng.normal(size=4), 0.1 * rng.normal(size=(3, 4))
    rho, lam1 = 0.5, 0.2
    got = sub.admm_round(Rdd(rows, 3), z, U, rho, lam1)
    example = say("24 points in 3 partitions, ρ={rho}, λ₁={lam1}, {state}", rho=rho, lam1=lam1,
                  state=ref.describe(z=z, U=U))
    check_admm_round(got, admm_variant(parts, z, U, rho, lam1), parts, z, U, rho, lam1, example)


def lasso_optimum(X: np.ndarray, y: np.ndarray, lam1: float) -> np.ndarray:
    """argmin (1/n) Σ ½(xᵢᵀw − yᵢ)² + λ₁ Σ_{j≥1} |w_j| (the intercept w₀ not penalized), exactly:
    for every sign pattern sⱼ ∈ {−1, 0, +1} of the penalized coordinates, the stationarity
    equations X_Fᵀ(X_F w_F − y)/n + λ₁ s_F = 0 on the free coordinates F, kept when the KKT
    conditions hold (sign(wⱼ) = sⱼ on F, |xⱼᵀ(Xw − y)/n| ≤ λ₁ off F). Few features only (3^(d−1)
    patterns); the grader's own tests check it against scikit-learn's Lasso."""
    import itertools

    n, d = X.shape
    best = None
    for signs in itertools.product((-1.0, 0.0, 1.0), repeat=d - 1):
        s = np.array([0.0, *signs])
        free = np.array([True, *(v != 0 for v in signs)])
        XF = X[:, free]
        w = np.zeros(d)
        w[free] = np.linalg.solve(XF.T @ XF / n, XF.T @ y / n - lam1 * s[free])
        grad = X.T @ (X @ w - y) / n
        if np.all(np.sign(w[1:][free[1:]]) == s[1:][free[1:]]) \
                and np.all(np.abs(grad[1:][~free[1:]]) <= lam1 * (1 + 1e-12)):
            best = w
            break
    assert best is not None, "no sign pattern satisfies the lasso's KKT conditions"
    return best


def fixed_point_duals(parts: list[list], w: np.ndarray, n: int, rho: float) -> np.ndarray:
    """At ADMM's fixed point x_p = z = w*, and the local optimality ∇f_p(w*) + ρu_p = 0 gives
    u_p = −∇f_p(w*)/ρ = −X_pᵀ(X_p w* − y_p)/(nρ)."""
    duals = []
    for part in parts:
        Xp = np.array([row[1] for row in part], dtype=float)
        yp = np.array([row[0] for row in part], dtype=float)
        duals.append(-Xp.T @ (Xp @ w - yp) / n / rho)
    return np.array(duals)


@task("5.3", points=2, uses="admm_round", spark=True)
def test_admm_fixed_point_is_the_lasso_optimum(sub):
    """the lasso optimum is a fixed point of the round"""
    rows, X, y = lasso_rows(533, 30, 4)
    rho, lam1, P = 0.4, 0.1, 3
    parts = slices(rows, P)
    w = lasso_optimum(X, y, lam1)
    U = fixed_point_duals(parts, w, len(y), rho)
    got = sub.admm_round(Rdd(rows, P), w, U, rho, lam1)
    example = say("30 points in 3 partitions, ρ={rho}, λ₁={lam1}, from z = the lasso optimum "
                  "{w} and its duals", rho=rho, lam1=lam1, w=w)
    check_admm_round(got, (w, U, 0.0, 0.0), parts, w, U, rho, lam1, example)


# -- 5.4: rounds to reach a tolerance -----------------------------------------------------------


def trace_of(objectives, rounds) -> list[dict]:
    return [{"iteration": k + 1, "objective": float(J), "rounds": int(r)}
            for k, (J, r) in enumerate(zip(objectives, rounds, strict=True))]


def rounds_hints(trace: list[dict], J_star: float, tol: float) -> list[Hint]:
    k = next(i for i, r in enumerate(trace) if r["objective"] - J_star <= tol)
    before = sum(r["rounds"] for r in trace[:k])
    strict = next((i for i, r in enumerate(trace) if r["objective"] - J_star < tol), None)
    hints = [Hint(before + trace[k]["rounds"], "the rounds of the record that measured J were "
                                               "counted: its weights were ready before them"),
             Hint(k, "iterations were counted, not rounds: add up each record's `rounds`"),
             Hint(k + 1, "iterations were counted, not rounds: add up each record's `rounds`")]
    if strict is not None and strict != k:
        hints.append(Hint(sum(r["rounds"] for r in trace[:strict]), "J − J* ≤ tol includes "
                                                                     "equality: use <="))
    return [h for h in hints if h.value != before]


def whole(value):
    """A count as an int (1.0 or np.int64 too); anything else as it is, to be reported."""
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool) \
            and float(value).is_integer():
        return int(value)
    return value


@task("5.4", points=2, uses="rounds_to_tol")
def test_rounds_to_tol(sub):
    """rounds to reach a tolerance on several methods' traces"""
    J_star = 1.0
    traces = {
        say("gradient descent with a line search (2 or 3 rounds an iteration)"):
            trace_of(J_star + 0.5 ** np.arange(12), [2, 3, 2, 2, 3, 2, 2, 2, 3, 2, 2, 2]),
        say("L-BFGS with a fixed step (1 round an iteration)"):
            trace_of(J_star + np.array([2.0, 0.9, 0.3, 0.05, 2e-3, 1e-5, 1e-8, 1e-12]), [1] * 8),
        say("a method with a line search that reaches J* + tol exactly, then stalls"):
            trace_of(np.array([2.0, 1.5, 1.25, 1.0625, 1.0625, 1.0]), [3, 2, 2, 2, 2, 2]),
    }
    tols = [1e-3, 1e-6, 0.0625]
    for (label, trace), tol in zip(traces.items(), tols, strict=True):
        k = next(i for i, r in enumerate(trace) if r["objective"] - J_star <= tol)
        want = sum(r["rounds"] for r in trace[:k])
        expect_equal(whole(sub.rounds_to_tol(trace, J_star, tol)), want,
                     what=say("rounds_to_tol on the trace of {label}", label=label),
                     example=say("J* = {J_star}, tol = {tol}, rounds per record {rounds}",
                                 J_star=J_star, tol=tol,
                                 rounds=[r["rounds"] for r in trace]),
                     hints=rounds_hints(trace, J_star, tol))
