# %% [markdown]
# # Exercises 3: Newton's method with a reduced Hessian
#
# Newton's method takes the step w ← w − (∇²J(w))⁻¹ ∇J(w). On Spark, each partition sums its
# d × d Hessian terms; the sums are reduced to the driver, which solves a small linear system.
# With few features that matrix is tiny, whatever the number of rows.
#
# ∇²J(w) = (1/n) Σᵢ σ(mᵢ)(1 − σ(mᵢ)) xᵢxᵢᵀ + λI,   mᵢ = yᵢ wᵀxᵢ.

# %% [markdown] fr
# # Exercices 3 : la méthode de Newton avec une hessienne réduite
#
# La méthode de Newton fait le pas w ← w − (∇²J(w))⁻¹ ∇J(w). Sur Spark, chaque partition somme ses
# termes de hessienne d × d ; les sommes sont réduites vers le driver, qui résout un petit
# système linéaire. Avec peu de variables, cette matrice reste minuscule, quel que soit le nombre
# de lignes.
#
# ∇²J(w) = (1/n) Σᵢ σ(mᵢ)(1 − σ(mᵢ)) xᵢxᵢᵀ + λI,   mᵢ = yᵢ wᵀxᵢ.

# %%
import numpy as np

from stepper import Problem, from_numpy
from stepper.grade import check
from stepper.grade.builtin import partition_oracle as built_in_oracle
from stepper.grade.plug import compare, my_stepper, replay_updates
from stepper.session import spark_session


def sigmoid(z):
    """σ(z) = 1 / (1 + exp(−z)), without overflow."""
    return np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=float)))


spark = spark_session()
sc = spark.sparkContext
rng = np.random.default_rng(3)
X_all = np.hstack([np.ones((200, 1)), rng.normal(size=(200, 2))])
y_all = np.where(X_all @ np.array([0.5, 2.0, -1.0]) + rng.normal(size=200) > 0, 1.0, -1.0)
points = sc.parallelize(list(zip(y_all, X_all, strict=True)), 4)

# %% [markdown]
# ## Task 3.1: the Hessian sum of one partition
#
# Σᵢ σ(mᵢ)(1 − σ(mᵢ)) xᵢxᵢᵀ over the rows of one numpy block (a sum, not a mean).

# %% [markdown] fr
# ## Tâche 3.1 : la somme des hessiennes d'une partition
#
# Σᵢ σ(mᵢ)(1 − σ(mᵢ)) xᵢxᵢᵀ sur les lignes d'un bloc numpy (une somme, pas une moyenne).

# %%
def partition_hessian(X, y, w):
    """Σᵢ σ(mᵢ)(1 − σ(mᵢ)) xᵢxᵢᵀ with mᵢ = yᵢ wᵀxᵢ, over one block."""
    ### BEGIN SOLUTION
    s = sigmoid(y * (X @ w))
    return (X * (s * (1.0 - s))[:, None]).T @ X
    ### END SOLUTION

# %%
check("3.1")

# %% [markdown]
# ## Task 3.2: reduce the Hessian
#
# With `mapPartitions`, yield `(partition_hessian(X, y, w), count)` for each non-empty
# partition, `reduce` the pairs, and return (1/n) Σ + λI.

# %% [markdown] fr
# ## Tâche 3.2 : réduire la hessienne
#
# Avec `mapPartitions`, produisez `(partition_hessian(X, y, w), count)` pour chaque partition non
# vide, réduisez les paires avec `reduce`, et renvoyez (1/n) Σ + λI.

# %%
def distributed_hessian(points, w, lam):
    """∇²J(w) = (1/n) Σᵢ σ(mᵢ)(1 − σ(mᵢ)) xᵢxᵢᵀ + λI over an RDD of (y, x)."""
    ### BEGIN SOLUTION
    w_b = points.context.broadcast(w)

    def partial(rows):
        rows = list(rows)
        if rows:
            y = np.array([row[0] for row in rows], dtype=float)
            X = np.stack([row[1] for row in rows])
            yield partition_hessian(X, y, w_b.value), len(rows)

    total, n = points.mapPartitions(partial).reduce(lambda a, b: (a[0] + b[0], a[1] + b[1]))
    return total / n + lam * np.eye(len(w))
    ### END SOLUTION

# %%
check("3.2")

# %% [markdown]
# ## Task 3.3: the Newton step
#
# Return w − H⁻¹g. Solve the linear system H d = g (`np.linalg.solve`) rather than inverting H.

# %% [markdown] fr
# ## Tâche 3.3 : le pas de Newton
#
# Renvoyez w − H⁻¹g. Résolvez le système linéaire H d = g (`np.linalg.solve`) plutôt que
# d'inverser H.

# %%
def newton_step(w, grad, hess):
    """w − (∇²J)⁻¹ ∇J, by solving a linear system."""
    ### BEGIN SOLUTION
    return w - np.linalg.solve(hess, grad)
    ### END SOLUTION

# %%
check("3.3")

# %% [markdown]
# ## Task 3.4: Newton's method
#
# `oracle(w)` returns `(J, g, H)`. From `w0`, repeat: compute the Newton decrement
# δ² = gᵀH⁻¹g; stop when δ²/2 ≤ `tol`; otherwise take a Newton step. Stop after `max_iter`
# steps at most. Return `(w, steps)`, the number of steps taken.

# %% [markdown] fr
# ## Tâche 3.4 : la méthode de Newton
#
# `oracle(w)` renvoie `(J, g, H)`. À partir de `w0`, répétez : calculez le décrément de Newton
# δ² = gᵀH⁻¹g ; arrêtez-vous quand δ²/2 ≤ `tol` ; sinon faites un pas de Newton. Arrêtez-vous au
# plus tard après `max_iter` pas. Renvoyez `(w, steps)`, le nombre de pas effectués.

# %%
def newton_method(oracle, w0, tol=1e-10, max_iter=20):
    """Newton's method stopped by the decrement: returns (w, number of steps)."""
    ### BEGIN SOLUTION
    w = np.array(w0, dtype=float)
    for steps in range(max_iter):
        _, grad, hess = oracle(w)
        direction = np.linalg.solve(hess, grad)
        if grad @ direction / 2.0 <= tol:
            return w, steps
        w = w - direction
    return w, max_iter
    ### END SOLUTION

# %%
check("3.4")

# %% [markdown]
# ## Your Hessian and Newton step on the stepper
#
# The stepper's Newton method with *your* `partition_hessian` in every partition (the gradient
# is the built-in one here: set 2 is where you wrote it), next to the reference run; then your
# `newton_step` replayed on the recorded iterations. `mine` is a `Stepper`: the lesson views
# accept it.

# %% [markdown] fr
# ## Votre hessienne et votre pas de Newton dans le stepper
#
# La méthode de Newton du stepper avec *votre* `partition_hessian` dans chaque partition (le
# gradient est ici celui intégré : c'est dans la série 2 que vous l'avez écrit), à côté de
# l'exécution de référence ; puis votre `newton_step` rejoué sur les itérations enregistrées.
# `mine` est un `Stepper` : les vues des leçons l'acceptent.

# %%
data = from_numpy(X_all, y_all, partitions=4, sc=sc)
functions = {**globals(), "partition_oracle": built_in_oracle}
mine = my_stepper(data, Problem(l2=0.01), functions, algorithm="newton", lr=1.0)
print(compare(mine, steps=5))
print(replay_updates(mine, functions))
