# %% [markdown]
# # Exercises 5: fewer rounds
#
# On a cluster the currency is the **communication round**: one broadcast from the driver, one
# reduce back to it, and a barrier where every task waits for the slowest. Gradient descent
# spends one round per small step. The methods of lesson 4 buy fewer rounds with more work per
# round: L-BFGS builds curvature on the driver from past gradients, local SGD lets every
# partition take many steps of its own before averaging, and ADMM has every partition solve a
# small problem exactly and agree on a consensus.
#
# The data: `points` (logistic, labels ±1) and `reg_points` (regression, for the lasso), RDDs of
# `(y, x)` in 4 partitions of 50 rows; column 0 of x is the constant 1 (the intercept).

# %% [markdown] fr
# # Exercices 5 : moins de tours
#
# Sur une grappe, la monnaie est le **tour de communication** : une diffusion depuis le driver,
# une réduction vers lui, et une barrière où chaque tâche attend la plus lente. La descente de
# gradient dépense un tour par petit pas. Les méthodes de la leçon 4 achètent moins de tours
# avec plus de travail par tour : L-BFGS construit la courbure sur le driver à partir des
# gradients passés, le SGD local laisse chaque partition faire plusieurs pas seule avant la
# moyenne, et ADMM fait résoudre exactement un petit problème à chaque partition, puis les met
# d'accord sur un consensus.
#
# Les données : `points` (logistique, étiquettes ±1) et `reg_points` (régression, pour le
# lasso), des RDD de `(y, x)` en 4 partitions de 50 lignes ; la colonne 0 de x est la constante
# 1 (l'ordonnée à l'origine).

# %%
import numpy as np

from stepper import Problem, Stepper, add_intercept, from_numpy
from stepper.algorithms import REGISTRY
from stepper.algorithms.local_sgd import local_batches
from stepper.grade import check
from stepper.grade.builtin import partition_oracle
from stepper.grade.plug import compare_rounds, replay_updates
from stepper.session import spark_session

spark = spark_session()
sc = spark.sparkContext
rng = np.random.default_rng(5)
X_all = np.hstack([np.ones((200, 1)), rng.normal(size=(200, 2))])
y_all = np.where(X_all @ np.array([0.5, 2.0, -1.0]) + rng.normal(size=200) > 0, 1.0, -1.0)
points = sc.parallelize(list(zip(y_all, X_all, strict=True)), 4)

X_reg = np.hstack([np.ones((200, 1)), rng.normal(size=(200, 5))])
y_reg = X_reg @ np.array([1.0, 2.0, 0.0, -1.5, 0.0, 0.3]) + 0.5 * rng.normal(size=200)
reg_points = sc.parallelize(list(zip(y_reg, X_reg, strict=True)), 4)

# %% [markdown]
# ## Task 5.1: the L-BFGS direction
#
# L-BFGS keeps the last m curvature pairs sᵢ = wᵢ₊₁ − wᵢ, yᵢ = ∇J(wᵢ₊₁) − ∇J(wᵢ) (the rows of
# `S` and `Y`, oldest first) and computes d = −H g without ever forming the d × d matrix H, by
# the **two-loop recursion**, with ρᵢ = 1/(yᵢᵀsᵢ):
#
#     q ← g
#     for i = newest … oldest:   αᵢ ← ρᵢ sᵢᵀq,   q ← q − αᵢ yᵢ
#     r ← γ q,   γ = sᵀy / yᵀy of the newest pair
#     for i = oldest … newest:   β ← ρᵢ yᵢᵀr,   r ← r + (αᵢ − β) sᵢ
#     return d = −r
#
# With no pair (m = 0, `S` of shape (0, d)) the direction is −g. This is the engine's
# `stepper.algorithms.lbfgs.two_loop`; write it yourself. The distributed part of L-BFGS is only
# the gradient (set 2's round): the recursion runs on the driver, in O(m d).

# %% [markdown] fr
# ## Tâche 5.1 : la direction de L-BFGS
#
# L-BFGS garde les m dernières paires de courbure sᵢ = wᵢ₊₁ − wᵢ, yᵢ = ∇J(wᵢ₊₁) − ∇J(wᵢ) (les
# lignes de `S` et `Y`, la plus ancienne en premier) et calcule d = −H g sans jamais former la
# matrice H de taille d × d, par la **récursion à deux boucles**, avec ρᵢ = 1/(yᵢᵀsᵢ) :
#
#     q ← g
#     pour i = la plus récente … la plus ancienne :   αᵢ ← ρᵢ sᵢᵀq,   q ← q − αᵢ yᵢ
#     r ← γ q,   γ = sᵀy / yᵀy de la paire la plus récente
#     pour i = la plus ancienne … la plus récente :   β ← ρᵢ yᵢᵀr,   r ← r + (αᵢ − β) sᵢ
#     renvoyer d = −r
#
# Sans paire (m = 0, `S` de forme (0, d)), la direction est −g. C'est la fonction
# `stepper.algorithms.lbfgs.two_loop` du moteur ; écrivez-la vous-même. La partie distribuée de
# L-BFGS n'est que le gradient (le tour de la série 2) : la récursion tourne sur le driver, en
# O(m d).

# %%
def lbfgs_direction(g, S, Y):
    """d = −H g by the two-loop recursion over the pairs (rows of S, Y, oldest first)."""
    ### BEGIN SOLUTION
    q = np.array(g, dtype=float)
    m = len(S)
    rho = [1.0 / float(Y[i] @ S[i]) for i in range(m)]
    alpha = np.zeros(m)
    for i in range(m - 1, -1, -1):  # newest to oldest
        alpha[i] = rho[i] * float(S[i] @ q)
        q = q - alpha[i] * Y[i]
    if m:
        q = float(S[-1] @ Y[-1]) / float(Y[-1] @ Y[-1]) * q
    for i in range(m):  # oldest to newest
        beta = rho[i] * float(Y[i] @ q)
        q = q + (alpha[i] - beta) * S[i]
    return -q
    ### END SOLUTION

# %%
check("5.1")

# %% [markdown]
# ## Task 5.2: one round of local SGD
#
# Broadcast `w`; with `points.mapPartitionsWithIndex` (mapPartitions that also passes the
# partition's index p), every partition starts from u = w and takes `H` local steps on its own
# rows only,
#
#     u ← u − η [ (1/|B|) Σ_{i∈B} ∇ℓᵢ(u) + λu ],
#
# where B is all of the partition's rows when `batch` is None, else `batch` rows (all of them
# if fewer) drawn **without replacement** by `local_batches(seed, t, p).choice(n_p, size,
# replace=False)` — one generator per partition and round, a fresh draw at every local step,
# as the engine does. `partition_oracle(X, y, u)` gives (Σℓᵢ, Σ∇ℓᵢ) over a block. Each
# partition yields `(n_p · u, n_p)`; combine them with `treeAggregate` and return the
# **row-weighted** average Σ n_p u_p / Σ n_p (an empty partition adds nothing).
#
# With H = 1 and full local gradients, the average is exactly one gradient-descent step.

# %% [markdown] fr
# ## Tâche 5.2 : un tour de SGD local
#
# Diffusez `w` ; avec `points.mapPartitionsWithIndex` (un mapPartitions qui passe aussi l'indice
# p de la partition), chaque partition part de u = w et fait `H` pas locaux sur ses seules
# lignes,
#
#     u ← u − η [ (1/|B|) Σ_{i∈B} ∇ℓᵢ(u) + λu ],
#
# où B est l'ensemble des lignes de la partition quand `batch` vaut None, sinon `batch` lignes
# (toutes s'il y en a moins) tirées **sans remise** par `local_batches(seed, t, p).choice(n_p,
# size, replace=False)` — un générateur par partition et par tour, un nouveau tirage à chaque
# pas local, comme le fait le moteur. `partition_oracle(X, y, u)` donne (Σℓᵢ, Σ∇ℓᵢ) sur un
# bloc. Chaque partition produit `(n_p · u, n_p)` ; combinez-les avec `treeAggregate` et
# renvoyez la moyenne **pondérée par les lignes** Σ n_p u_p / Σ n_p (une partition vide
# n'ajoute rien).
#
# Avec H = 1 et des gradients locaux complets, la moyenne est exactement un pas de descente de
# gradient.

# %%
def local_sgd_round(points, w, H, eta, seed, batch=None, lam=0.0, t=0):
    """Σ n_p u_p / Σ n_p after H local steps per partition from w (one round of local SGD)."""
    ### BEGIN SOLUTION
    w_b = points.context.broadcast(np.asarray(w, dtype=float))

    def local(p, rows):
        rows = list(rows)
        if not rows:
            return
        y = np.array([row[0] for row in rows], dtype=float)
        X = np.stack([row[1] for row in rows])
        u = w_b.value.copy()
        draws = local_batches(seed, t, p) if batch is not None else None
        for _ in range(H):
            if draws is None:
                Xb, yb = X, y
            else:
                index = draws.choice(len(y), size=min(batch, len(y)), replace=False)
                Xb, yb = X[index], y[index]
            _, grad_sum = partition_oracle(Xb, yb, u)
            u = u - eta * (grad_sum / len(yb) + lam * u)
        yield len(y) * u, len(y)

    def add(a, b):
        return a[0] + b[0], a[1] + b[1]

    total, n = points.mapPartitionsWithIndex(local).treeAggregate(
        (np.zeros(len(w)), 0), add, add, depth=2)
    return total / n
    ### END SOLUTION

# %%
check("5.2")

# %% [markdown]
# ## Task 5.3: one round of consensus ADMM for the lasso
#
# The lasso J(w) = (1/n) Σᵢ ½(xᵢᵀw − yᵢ)² + λ₁ Σ_{j≥1} |w_j| (the intercept w₀ is not
# penalized), split over the P partitions as Σ_p f_p(w) + g(w) with
# f_p(x) = (1/n) Σ_{i∈p} ½(xᵢᵀx − yᵢ)². One round, with `z` the consensus and `U` the P × d
# scaled duals (row p is u_p):
#
# 1. on partition p (`mapPartitionsWithIndex`): x_p = argmin f_p(x) + (ρ/2)‖x − z + u_p‖², a
#    small linear system: (X_pᵀX_p/n + ρI) x_p = X_pᵀy_p/n + ρ(z − u_p); n is the total row
#    count (`points.count()`);
# 2. on the driver: z⁺ = S_θ(mean_p(x_p + u_p)) with the soft-threshold
#    S_θ(v) = sign(v)·max(|v| − θ, 0) and θ = λ₁/(Pρ), on every coordinate **but the
#    intercept** (coordinate 0 keeps the mean);
# 3. u_p⁺ = u_p + x_p − z⁺.
#
# Return `(z⁺, U⁺, r, s)` with the primal residual r = √(Σ_p ‖x_p − z⁺‖²) and the dual residual
# s = ρ√P ‖z⁺ − z‖. This is the engine's `admm` (its local solve takes Newton steps, exact here).

# %% [markdown] fr
# ## Tâche 5.3 : un tour d'ADMM de consensus pour le lasso
#
# Le lasso J(w) = (1/n) Σᵢ ½(xᵢᵀw − yᵢ)² + λ₁ Σ_{j≥1} |w_j| (l'ordonnée à l'origine w₀ n'est
# pas pénalisée), réparti sur les P partitions en Σ_p f_p(w) + g(w) avec
# f_p(x) = (1/n) Σ_{i∈p} ½(xᵢᵀx − yᵢ)². Un tour, avec `z` le consensus et `U` les P × d
# variables duales réduites (la ligne p est u_p) :
#
# 1. sur la partition p (`mapPartitionsWithIndex`) : x_p = argmin f_p(x) + (ρ/2)‖x − z + u_p‖²,
#    un petit système linéaire : (X_pᵀX_p/n + ρI) x_p = X_pᵀy_p/n + ρ(z − u_p) ; n est le
#    nombre total de lignes (`points.count()`) ;
# 2. sur le driver : z⁺ = S_θ(moyenne_p(x_p + u_p)) avec le seuillage doux
#    S_θ(v) = signe(v)·max(|v| − θ, 0) et θ = λ₁/(Pρ), sur chaque coordonnée **sauf
#    l'ordonnée à l'origine** (la coordonnée 0 garde la moyenne) ;
# 3. u_p⁺ = u_p + x_p − z⁺.
#
# Renvoyez `(z⁺, U⁺, r, s)` avec le résidu primal r = √(Σ_p ‖x_p − z⁺‖²) et le résidu dual
# s = ρ√P ‖z⁺ − z‖. C'est l'`admm` du moteur (sa résolution locale fait des pas de Newton,
# exacts ici).

# %%
def admm_round(points, z, U, rho, lam1):
    """One consensus-ADMM round for the lasso: (z⁺, U⁺, primal residual, dual residual)."""
    ### BEGIN SOLUTION
    z = np.asarray(z, dtype=float)
    U = np.asarray(U, dtype=float)
    P, d = U.shape
    n = points.count()

    def local(p, rows):
        rows = list(rows)
        y = np.array([row[0] for row in rows], dtype=float)
        X = np.stack([row[1] for row in rows]) if rows else np.zeros((0, d))
        A = X.T @ X / n + rho * np.eye(d)
        b = X.T @ y / n + rho * (z - U[p])
        yield p, np.linalg.solve(A, b)

    xs = np.zeros((P, d))
    for p, x in points.mapPartitionsWithIndex(local).collect():
        xs[p] = x
    mean = (xs + U).mean(axis=0)
    theta = lam1 / (P * rho)
    z_new = np.sign(mean) * np.maximum(np.abs(mean) - theta, 0.0)
    z_new[0] = mean[0]
    U_new = U + xs - z_new
    primal = float(np.sqrt(((xs - z_new) ** 2).sum()))
    dual = float(rho * np.sqrt(P) * np.linalg.norm(z_new - z))
    return z_new, U_new, primal, dual
    ### END SOLUTION

# %%
check("5.3")

# %% [markdown]
# ## Task 5.4: rounds to reach a tolerance
#
# A trace is a list of records (dicts, as in the JSON trace), in order; record k has
# `objective`, J at the weights the partitions received (w_{k−1}), and `rounds`, the
# communication rounds iteration k took (a line search's trials included). Return the rounds
# spent **before** the weights were good enough: find the first record k with
# `objective` − J* ≤ `tol` and return the sum of `rounds` of the records before it (w_{k−1} was
# ready after them; 0 if the very first record already qualifies). Return None if no record
# reaches the tolerance. Iterations are not rounds: a line search makes one iteration cost 2 or
# more.

# %% [markdown] fr
# ## Tâche 5.4 : les tours pour atteindre une tolérance
#
# Une trace est une liste d'enregistrements (des dict, comme dans la trace JSON), dans l'ordre ;
# l'enregistrement k contient `objective`, J aux poids que les partitions ont reçus (w_{k−1}), et
# `rounds`, les tours de communication de l'itération k (essais d'une recherche linéaire
# compris). Renvoyez les tours dépensés **avant** que les poids soient assez bons : trouvez le
# premier enregistrement k avec `objective` − J* ≤ `tol` et renvoyez la somme des `rounds` des
# enregistrements qui le précèdent (w_{k−1} était prêt après eux ; 0 si le tout premier
# enregistrement convient déjà). Renvoyez None si aucun enregistrement n'atteint la tolérance.
# Les itérations ne sont pas des tours : une recherche linéaire fait coûter 2 tours ou plus à
# une itération.

# %%
def rounds_to_tol(trace, J_star, tol):
    """Rounds spent before the first record with J − J* ≤ tol (None if never)."""
    ### BEGIN SOLUTION
    spent = 0
    for record in trace:
        if record["objective"] - J_star <= tol:
            return spent
        spent += int(record["rounds"])
    return None
    ### END SOLUTION

# %%
check("5.4")

# %% [markdown]
# ## Your rounds on the stepper
#
# The stepper's L-BFGS on `points`, your `lbfgs_direction` replayed on the pairs each iteration
# kept; then your local-SGD and ADMM rounds next to the engine's `local_sgd` and `admm`, round
# for round from the same weights (same partitions, same seeds); last, your `rounds_to_tol` on
# the traces of six methods. Try `H = 1, 10, 100`, or `rho` ten times larger or smaller.

# %% [markdown] fr
# ## Vos tours dans le stepper
#
# La méthode L-BFGS du stepper sur `points`, votre `lbfgs_direction` rejouée sur les paires
# gardées à chaque itération ; puis vos tours de SGD local et d'ADMM à côté du `local_sgd` et de
# l'`admm` du moteur, tour par tour à partir des mêmes poids (mêmes partitions, mêmes graines) ;
# enfin, votre `rounds_to_tol` sur les traces de six méthodes. Essayez `H = 1, 10, 100`, ou un
# `rho` dix fois plus grand ou plus petit.

# %%
lam, H, eta, seed, batch = 0.01, 10, 0.5, 7, 8
data = from_numpy(X_all, y_all, partitions=4, sc=sc)
problem = Problem(l2=lam)
run = Stepper(data, problem, algorithm=REGISTRY["lbfgs"](memory=5), lr=1.0)
run.run(8)
print(replay_updates(run, globals()))


def my_local_sgd(w, t):
    """Your local-SGD round t + 1 from w."""
    return local_sgd_round(points, w, H, eta, seed, batch, lam, t)


reference = Stepper(data, problem, algorithm=REGISTRY["local_sgd"](local_steps=H, batch=batch),
                    lr=eta, seed=seed)
print(compare_rounds(my_local_sgd, reference, steps=5))

rho, lam1 = 0.3, 0.05
reg_data = add_intercept(from_numpy(X_reg[:, 1:], y_reg, partitions=4, task="regression",
                                    sc=sc))
duals = np.zeros((4, X_reg.shape[1]))


def my_admm(z, t):
    """Your ADMM round from z, keeping the duals between calls."""
    global duals
    z, duals, _, _ = admm_round(reg_points, z, duals, rho, lam1)
    return z


admm_run = Stepper(reg_data, Problem("squares", l1=lam1, l1_mode="prox"),
                   algorithm=REGISTRY["admm"](rho=rho), trace="none")
print(compare_rounds(my_admm, admm_run, steps=8))

newton = Stepper(data, problem, algorithm="newton", lr=1.0, trace="none").run(8)
J_star = min(r.objective for r in newton)
methods = {"gd (spectral)": ("gd", {}, "spectral", 60),
           "nesterov": ("nesterov", {}, "spectral", 40),
           "newton": ("newton", {}, 1.0, 8),
           "lbfgs (wolfe)": ("lbfgs", {}, "wolfe", 15),
           "local_sgd (H=10)": ("local_sgd", {"local_steps": 10}, 0.5, 20),
           "admm": ("admm", {"rho": 0.01}, None, 30)}
lines = [f"{'method':<18} rounds to J − J* ≤ 1e-6"]
for label, (name, hyper, lr, steps) in methods.items():
    records = Stepper(data, problem, algorithm=REGISTRY[name](**hyper), lr=lr,
                      trace="none").run(steps)
    spent = rounds_to_tol([r.to_dict() for r in records], J_star, 1e-6)
    lines.append(f"{label:<18} " + (f"not within {steps} iterations" if spent is None
                                    else str(spent)))
print("\n".join(lines))
