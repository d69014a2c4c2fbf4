# %% [markdown]
# # Exercises 1: the oracles of logistic regression
#
# Labels are ±1. For one example, the margin is m = y wᵀx and the loss log(1 + exp(−m)). Over n
# examples, with ridge regularization,
#
# J(w) = (1/n) Σᵢ log(1 + exp(−yᵢ wᵀxᵢ)) + (λ/2)‖w‖²
#
# An optimizer only asks three "oracles": the value J, the gradient ∇J and the Hessian ∇²J.
# Use numerically stable formulas: `np.logaddexp(0, -m)` is log(1 + exp(−m)) without overflow,
# and `sigmoid` below never overflows either.

# %% [markdown] fr
# # Exercices 1 : les oracles de la régression logistique
#
# Les étiquettes valent ±1. Pour un exemple, la marge est m = y wᵀx et la perte
# log(1 + exp(−m)). Sur n exemples, avec une régularisation ridge,
#
# J(w) = (1/n) Σᵢ log(1 + exp(−yᵢ wᵀxᵢ)) + (λ/2)‖w‖²
#
# Un algorithme d'optimisation ne demande que trois « oracles » : la valeur J, le gradient ∇J et
# la hessienne ∇²J. Utilisez des formules numériquement stables : `np.logaddexp(0, -m)` calcule
# log(1 + exp(−m)) sans dépassement, et la `sigmoid` ci-dessous ne déborde jamais non plus.

# %%
import numpy as np

from stepper import Problem, from_numpy
from stepper.grade import check
from stepper.grade.plug import compare, my_stepper


def sigmoid(z):
    """σ(z) = 1 / (1 + exp(−z)), without overflow."""
    return np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=float)))


rng = np.random.default_rng(1)
X = np.hstack([np.ones((6, 1)), rng.normal(size=(6, 2))])
y = np.array([1.0, -1.0, 1.0, 1.0, -1.0, -1.0])
w = rng.normal(size=3)

# %% [markdown]
# ## Task 1.1: the loss of one example
#
# log(1 + exp(−y wᵀx)) for one example `x` (a vector) with label `y` (±1). Return a float.

# %% [markdown] fr
# ## Tâche 1.1 : la perte d'un exemple
#
# log(1 + exp(−y wᵀx)) pour un exemple `x` (un vecteur) d'étiquette `y` (±1). Renvoyez un float.

# %%
def loss_one(x, y, w):
    """log(1 + exp(−y wᵀx))."""
    ### BEGIN SOLUTION
    return float(np.logaddexp(0.0, -y * (x @ w)))
    ### END SOLUTION

# %%
check("1.1")

# %% [markdown]
# ## Task 1.2: the gradient of one example
#
# ∇ log(1 + exp(−y wᵀx)) = −σ(−y wᵀx) · y · x, a vector shaped like `w`.

# %% [markdown] fr
# ## Tâche 1.2 : le gradient d'un exemple
#
# ∇ log(1 + exp(−y wᵀx)) = −σ(−y wᵀx) · y · x, un vecteur de la même forme que `w`.

# %%
def grad_one(x, y, w):
    """−σ(−y wᵀx) y x."""
    ### BEGIN SOLUTION
    return -sigmoid(-y * (x @ w)) * y * x
    ### END SOLUTION

# %%
check("1.2")

# %% [markdown]
# ## Task 1.3: the Hessian of one example
#
# σ(m)(1 − σ(m)) · x xᵀ with m = y wᵀx: a d × d matrix (`np.outer`).

# %% [markdown] fr
# ## Tâche 1.3 : la hessienne d'un exemple
#
# σ(m)(1 − σ(m)) · x xᵀ avec m = y wᵀx : une matrice d × d (`np.outer`).

# %%
def hessian_one(x, y, w):
    """σ(m)(1 − σ(m)) x xᵀ with m = y wᵀx."""
    ### BEGIN SOLUTION
    s = sigmoid(y * (x @ w))
    return s * (1.0 - s) * np.outer(x, x)
    ### END SOLUTION

# %%
check("1.3")

# %% [markdown]
# ## Task 1.4: the loss of a block, vectorized
#
# J(w) for a matrix `X` (one example per row) and a vector `y`, without a Python loop:
# the mean of the per-example losses plus (λ/2)‖w‖².

# %% [markdown] fr
# ## Tâche 1.4 : la perte d'un bloc, vectorisée
#
# J(w) pour une matrice `X` (un exemple par ligne) et un vecteur `y`, sans boucle Python :
# la moyenne des pertes par exemple plus (λ/2)‖w‖².

# %%
def loss(X, y, w, lam=0.0):
    """J(w) = (1/n) Σ log(1 + exp(−yᵢ wᵀxᵢ)) + (λ/2)‖w‖²."""
    ### BEGIN SOLUTION
    margins = y * (X @ w)
    return float(np.mean(np.logaddexp(0.0, -margins)) + 0.5 * lam * (w @ w))
    ### END SOLUTION

# %%
check("1.4")

# %% [markdown]
# ## Task 1.5: the gradient of a block, vectorized
#
# ∇J(w) = −(1/n) Σ σ(−yᵢ wᵀxᵢ) yᵢ xᵢ + λw. Mind the axis: the result is shaped like `w`
# (one entry per feature), not like `y`.

# %% [markdown] fr
# ## Tâche 1.5 : le gradient d'un bloc, vectorisé
#
# ∇J(w) = −(1/n) Σ σ(−yᵢ wᵀxᵢ) yᵢ xᵢ + λw. Attention à l'axe : le résultat a la forme de `w`
# (une valeur par variable), pas celle de `y`.

# %%
def gradient(X, y, w, lam=0.0):
    """∇J(w) = −(1/n) Σ σ(−yᵢ wᵀxᵢ) yᵢ xᵢ + λw."""
    ### BEGIN SOLUTION
    r = -y * sigmoid(-y * (X @ w))
    return X.T @ r / len(y) + lam * w
    ### END SOLUTION

# %%
check("1.5")

# %% [markdown]
# ## Task 1.6: the Hessian of a block, vectorized
#
# ∇²J(w) = (1/n) Σ σ(mᵢ)(1 − σ(mᵢ)) xᵢxᵢᵀ + λI, a d × d matrix.

# %% [markdown] fr
# ## Tâche 1.6 : la hessienne d'un bloc, vectorisée
#
# ∇²J(w) = (1/n) Σ σ(mᵢ)(1 − σ(mᵢ)) xᵢxᵢᵀ + λI, une matrice d × d.

# %%
def hessian(X, y, w, lam=0.0):
    """∇²J(w) = (1/n) Σ σ(mᵢ)(1 − σ(mᵢ)) xᵢxᵢᵀ + λI."""
    ### BEGIN SOLUTION
    s = sigmoid(y * (X @ w))
    weighted = X * (s * (1.0 - s))[:, None]
    return weighted.T @ X / len(y) + lam * np.eye(len(w))
    ### END SOLUTION

# %%
check("1.6")

# %% [markdown]
# ## Task 1.7: the Lipschitz step
#
# The gradient of the data term is L-Lipschitz with L = ¼·maxᵢ‖xᵢ‖², so gradient descent with
# step 1/L never overshoots. Return the step 1/L.

# %% [markdown] fr
# ## Tâche 1.7 : le pas de Lipschitz
#
# Le gradient du terme d'attache aux données est L-lipschitzien avec L = ¼·maxᵢ‖xᵢ‖², donc la
# descente de gradient de pas 1/L ne va jamais trop loin. Renvoyez le pas 1/L.

# %%
def lipschitz_step(X):
    """1/L with L = ¼·maxᵢ‖xᵢ‖²."""
    ### BEGIN SOLUTION
    L = 0.25 * np.max(np.sum(X * X, axis=1))
    return float(1.0 / L)
    ### END SOLUTION

# %%
check("1.7")

# %% [markdown]
# ## Your oracles on the stepper
#
# Once Tasks 1.4 and 1.5 pass (or 1.1 and 1.2), the stepper can run gradient descent on Spark
# with *your* loss and gradient in every partition (this starts Spark). `compare` runs the same
# iterations with the built-in oracles next to yours; `mine` is a `Stepper`, so the lesson views
# accept it too.

# %% [markdown] fr
# ## Vos oracles dans le stepper
#
# Une fois les tâches 1.4 et 1.5 réussies (ou 1.1 et 1.2), le stepper peut lancer la descente de
# gradient sur Spark avec *votre* perte et *votre* gradient dans chaque partition (cela démarre
# Spark). `compare` exécute les mêmes itérations avec les oracles intégrés à côté des vôtres ;
# `mine` est un `Stepper`, donc les vues des leçons l'acceptent aussi.

# %%
X_big = np.hstack([np.ones((400, 1)), rng.normal(size=(400, 2))])
y_big = np.where(X_big @ np.array([0.5, 2.0, -1.0]) + rng.normal(size=400) > 0, 1.0, -1.0)
data = from_numpy(X_big, y_big, partitions=4)
mine = my_stepper(data, Problem(l2=0.01), globals(), algorithm="gd", lr="1/L")
print(compare(mine, steps=10))
