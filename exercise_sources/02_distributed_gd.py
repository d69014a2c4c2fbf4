# %% [markdown]
# # Exercises 2: distributed gradient descent on Spark
#
# Lab 2 of the workshop. The data is an RDD of labelled points `(y, x)`. Each iteration the
# driver broadcasts the weights w, every partition computes the sums of its losses and gradients
# (a *partial*), the partials are reduced to one, and the driver takes the step:
#
# J(w) = (1/n) Σᵢ log(1 + exp(−yᵢ wᵀxᵢ)) + (λ/2)‖w‖²,   w ← w − α∇J(w).
#
# One synchronization barrier per iteration, a one-to-all broadcast and an all-to-one reduce.

# %% [markdown] fr
# # Exercices 2 : descente de gradient distribuée sur Spark
#
# Le TP 2 de l'atelier. Les données sont un RDD de points étiquetés `(y, x)`. À chaque
# itération, le driver diffuse (broadcast) les poids w, chaque partition calcule les sommes de
# ses pertes et de ses gradients (un *partiel*), les partiels sont réduits en un seul, et le
# driver fait le pas :
#
# J(w) = (1/n) Σᵢ log(1 + exp(−yᵢ wᵀxᵢ)) + (λ/2)‖w‖²,   w ← w − α∇J(w).
#
# Une barrière de synchronisation par itération, une diffusion d'un vers tous et une réduction
# de tous vers un.

# %%
import numpy as np

from stepper import Problem, Stepper, from_numpy
from stepper.grade import check
from stepper.grade.plug import compare, my_stepper, replay_updates
from stepper.session import spark_session


def sigmoid(z):
    """σ(z) = 1 / (1 + exp(−z)), without overflow."""
    return np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=float)))


spark = spark_session()
sc = spark.sparkContext
rng = np.random.default_rng(2)
X_all = np.hstack([np.ones((200, 1)), rng.normal(size=(200, 2))])
y_all = np.where(X_all @ np.array([0.5, 2.0, -1.0]) + rng.normal(size=200) > 0, 1.0, -1.0)
points = sc.parallelize(list(zip(y_all, X_all, strict=True)), 4)

# %% [markdown]
# ## Task 2.1: the oracle of one partition
#
# `partition_oracle(X, y, w)` gets one partition as a numpy block (`X` one row per example, `y`
# the ±1 labels) and returns `(loss_sum, grad_sum)`: the **sums** (not the means) over the rows
# of log(1 + exp(−yᵢ wᵀxᵢ)) and of its gradient. No regularization here: the driver adds it
# once. This is exactly the plug-in the stepper accepts (`partition_oracle=`): once it passes,
# the lesson views can run on your own function.

# %% [markdown] fr
# ## Tâche 2.1 : l'oracle d'une partition
#
# `partition_oracle(X, y, w)` reçoit une partition sous forme de bloc numpy (`X` : un exemple par
# ligne, `y` : les étiquettes ±1) et renvoie `(loss_sum, grad_sum)` : les **sommes** (pas les
# moyennes) sur les lignes de log(1 + exp(−yᵢ wᵀxᵢ)) et de son gradient. Pas de régularisation
# ici : le driver l'ajoute une seule fois. C'est exactement le module que le stepper accepte
# (`partition_oracle=`) : une fois la tâche réussie, les vues des leçons peuvent tourner avec
# votre propre fonction.

# %%
def partition_oracle(X, y, w):
    """(Σᵢ log(1 + exp(−yᵢ wᵀxᵢ)), Σᵢ −σ(−yᵢ wᵀxᵢ) yᵢ xᵢ) over the rows of one block."""
    ### BEGIN SOLUTION
    margins = y * (X @ w)
    loss_sum = float(np.sum(np.logaddexp(0.0, -margins)))
    grad_sum = X.T @ (-y * sigmoid(-margins))
    return loss_sum, grad_sum
    ### END SOLUTION

# %%
check("2.1")

# %% [markdown]
# ## Task 2.2: one partial per partition with `mapPartitions`
#
# Broadcast `w`, then with `points.mapPartitions` stack each partition's rows into a block and
# yield exactly one triple `(loss_sum, grad_sum, count)` per partition, using `oracle` (your
# `partition_oracle`). An empty partition yields `(0.0, zeros, 0)`.

# %% [markdown] fr
# ## Tâche 2.2 : un partiel par partition avec `mapPartitions`
#
# Diffusez `w`, puis avec `points.mapPartitions` empilez les lignes de chaque partition en un bloc
# et produisez (`yield`) exactement un triplet `(loss_sum, grad_sum, count)` par partition, avec
# `oracle` (votre `partition_oracle`). Une partition vide produit `(0.0, zeros, 0)`.

# %%
def partition_partials(points, w, oracle):
    """RDD with one (loss_sum, grad_sum, count) per partition of `points`."""
    ### BEGIN SOLUTION
    w_b = points.context.broadcast(w)

    def partial(rows):
        rows = list(rows)
        if not rows:
            yield 0.0, np.zeros(len(w_b.value)), 0
            return
        y = np.array([row[0] for row in rows], dtype=float)
        X = np.stack([row[1] for row in rows])
        loss_sum, grad_sum = oracle(X, y, w_b.value)
        yield float(loss_sum), np.asarray(grad_sum, dtype=float), len(rows)

    return points.mapPartitions(partial)
    ### END SOLUTION

# %%
check("2.2")

# %% [markdown]
# ## Task 2.3: combine the partials
#
# Reduce the partials to one triple `(Σ loss, Σ grad, n)` with `reduce` or
# `treeAggregate(zero, seqOp, combOp, depth=2)`, then return `(J(w), ∇J(w))`: divide by the
# total count n and add the regularization terms (λ/2)‖w‖² and λw.

# %% [markdown] fr
# ## Tâche 2.3 : combiner les partiels
#
# Réduisez les partiels en un seul triplet `(Σ perte, Σ gradient, n)` avec `reduce` ou
# `treeAggregate(zero, seqOp, combOp, depth=2)`, puis renvoyez `(J(w), ∇J(w))` : divisez par le
# nombre total n et ajoutez les termes de régularisation (λ/2)‖w‖² et λw.

# %%
def combine(partials, w, lam):
    """(J(w), ∇J(w)) from an RDD of (loss_sum, grad_sum, count) partials."""
    ### BEGIN SOLUTION
    def merge(a, b):
        return a[0] + b[0], a[1] + b[1], a[2] + b[2]

    zero = (0.0, np.zeros(len(w)), 0)
    loss_sum, grad_sum, n = partials.treeAggregate(zero, merge, merge, depth=2)
    return loss_sum / n + 0.5 * lam * float(w @ w), grad_sum / n + lam * w
    ### END SOLUTION

# %%
check("2.3")

# %% [markdown]
# ## Task 2.4: the driver loop
#
# `oracle(w)` returns `(J(w), ∇J(w))`. Run `n_iter` steps of w ← w − step·∇J(w) from `w0` and
# return the trajectory: an array with `n_iter + 1` rows, the first one `w0`. Do not modify
# `w0` in place.

# %% [markdown] fr
# ## Tâche 2.4 : la boucle du driver
#
# `oracle(w)` renvoie `(J(w), ∇J(w))`. Faites `n_iter` pas w ← w − step·∇J(w) à partir de `w0` et
# renvoyez la trajectoire : un tableau de `n_iter + 1` lignes, la première étant `w0`. Ne modifiez
# pas `w0` en place.

# %%
def gradient_descent(oracle, w0, step, n_iter):
    """Rows w₀, w₁, …, w_T with w_{t+1} = w_t − step·∇J(w_t)."""
    ### BEGIN SOLUTION
    w = np.array(w0, dtype=float)
    path = [w.copy()]
    for _ in range(n_iter):
        _, grad = oracle(w)
        w = w - step * grad
        path.append(w.copy())
    return np.array(path)
    ### END SOLUTION

# %%
check("2.4")

# %% [markdown]
# ## Task 2.5: momentum
#
# One step of the heavy ball with `grad_fn(w) = ∇J(w)`: v ← μv + α∇J(w), then w ← w − v.
# Return `(w_new, v_new)`.

# %% [markdown] fr
# ## Tâche 2.5 : le moment
#
# Un pas de la méthode de la boule pesante (heavy ball) avec `grad_fn(w) = ∇J(w)` :
# v ← μv + α∇J(w), puis w ← w − v. Renvoyez `(w_new, v_new)`.

# %%
def momentum_step(w, v, grad_fn, step, mu):
    """v ← μv + α∇J(w); w ← w − v. Returns (w, v)."""
    ### BEGIN SOLUTION
    v_new = mu * v + step * grad_fn(w)
    return w - v_new, v_new
    ### END SOLUTION

# %%
check("2.5")

# %% [markdown]
# ## Task 2.6: Nesterov
#
# Like momentum, but the gradient is taken at the look-ahead point w − μv:
# v ← μv + α∇J(w − μv), then w ← w − v. Return `(w_new, v_new)`.

# %% [markdown] fr
# ## Tâche 2.6 : Nesterov
#
# Comme le moment, mais le gradient est pris au point anticipé w − μv :
# v ← μv + α∇J(w − μv), puis w ← w − v. Renvoyez `(w_new, v_new)`.

# %%
def nesterov_step(w, v, grad_fn, step, mu):
    """v ← μv + α∇J(w − μv); w ← w − v. Returns (w, v)."""
    ### BEGIN SOLUTION
    v_new = mu * v + step * grad_fn(w - mu * v)
    return w - v_new, v_new
    ### END SOLUTION

# %%
check("2.6")

# %% [markdown]
# ## Task 2.7: a mini-batch by sampling
#
# Draw a sample with `points.sample(True, fraction, seed)` (with replacement, as in the
# workshop), then return `(J, ∇J)` on the sample only, reusing `partition_partials` and
# `combine`: the mean is over the sampled rows.

# %% [markdown] fr
# ## Tâche 2.7 : un mini-batch par échantillonnage
#
# Tirez un échantillon avec `points.sample(True, fraction, seed)` (avec remise, comme dans
# l'atelier), puis renvoyez `(J, ∇J)` sur l'échantillon seul, en réutilisant `partition_partials`
# et `combine` : la moyenne porte sur les lignes tirées.

# %%
def minibatch_oracle(points, w, lam, fraction, seed, oracle):
    """(J, ∇J) on points.sample(True, fraction, seed)."""
    ### BEGIN SOLUTION
    batch = points.sample(True, fraction, seed)
    return combine(partition_partials(batch, w, oracle), w, lam)
    ### END SOLUTION

# %%
check("2.7")

# %% [markdown]
# ## Your code on the stepper
#
# Your `partition_oracle` runs in every partition of a `Stepper` (`mine` below: the lesson views
# accept it), next to the reference run; `replay_updates` then feeds the gradients the
# partitions computed to your `nesterov_step` and checks it lands on the same weights. Try
# `algorithm="momentum"` or `"gd"` too. Last, your whole pipeline — `partition_partials`,
# `combine` and `gradient_descent` — against the stepper's.

# %% [markdown] fr
# ## Votre code dans le stepper
#
# Votre `partition_oracle` tourne dans chaque partition d'un `Stepper` (`mine` ci-dessous : les
# vues des leçons l'acceptent), à côté de l'exécution de référence ; `replay_updates` donne
# ensuite les gradients calculés par les partitions à votre `nesterov_step` et vérifie qu'il
# aboutit aux mêmes poids. Essayez aussi `algorithm="momentum"` ou `"gd"`. Enfin, toute votre
# chaîne — `partition_partials`, `combine` et `gradient_descent` — face à celle du stepper.

# %%
lam = 0.01
data = from_numpy(X_all, y_all, partitions=4, sc=sc)
mine = my_stepper(data, Problem(l2=lam), globals(), algorithm="nesterov", lr=0.5)
print(compare(mine, steps=10))
print(replay_updates(mine, globals()))


def my_distributed_oracle(w):
    """(J, ∇J) computed by your partition_partials and combine."""
    return combine(partition_partials(points, w, partition_oracle), w, lam)


path = gradient_descent(my_distributed_oracle, np.zeros(3), 0.5, 10)
reference = Stepper(data, Problem(l2=lam), algorithm="gd", lr=0.5).run(10)
print("largest gap to the stepper's weights:",
      np.max(np.abs(path[1:] - np.array([r.weights for r in reference]))))
