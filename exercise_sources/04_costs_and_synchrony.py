# %% [markdown]
# # Exercises 4: what an iteration costs, and asynchronous SGD
#
# Lesson 3 measures an iteration of distributed gradient descent on Spark: the driver schedules
# one task per partition, the tasks run on the cores in *waves*, the synchronous barrier waits
# for the slowest task, the partial sums travel back through `treeAggregate`'s tree, and the
# next weights are broadcast. Here you write that cost model, the shape of the tree, the
# makespan of tasks on slots, and SGD with stale gradients (what an asynchronous parameter
# server computes), then two workshop steps on an RDD: the bound L with `max`, and the
# rebalancing of the churn data with `sampleByKey`.

# %% [markdown] fr
# # Exercices 4 : ce que coûte une itération, et la SGD asynchrone
#
# La leçon 3 mesure une itération de descente de gradient distribuée sur Spark : le driver
# planifie une tâche par partition, les tâches s'exécutent sur les cœurs par *vagues*, la
# barrière synchrone attend la tâche la plus lente, les sommes partielles remontent par l'arbre
# de `treeAggregate`, puis les nouveaux poids sont diffusés. Vous écrivez ici ce modèle de coût,
# la forme de l'arbre, la durée totale (makespan) de tâches sur des emplacements, et la SGD à
# gradients retardés (ce que calcule un serveur de paramètres asynchrone), puis deux étapes de
# l'atelier sur un RDD : la borne L avec `max`, et le rééquilibrage des données de churn avec
# `sampleByKey`.

# %%
import heapq
import math
from pathlib import Path

import numpy as np

import stepper
from stepper import GeneratorSpec, Problem, Stepper, from_generator
from stepper.algorithms import async_sgd
from stepper.grade import check
from stepper.grade.plug_async import replay_stale_sgd, tree_widths
from stepper.session import spark_session

spark = spark_session()
sc = spark.sparkContext
rng = np.random.default_rng(4)
X_all = np.hstack([np.ones((300, 1)), rng.normal(scale=[1.0, 2.0, 0.5], size=(300, 3))])
y_all = np.where(X_all @ np.array([0.2, 1.0, -0.5, 2.0]) + rng.normal(size=300) > 0, 1.0, -1.0)
points = sc.parallelize(list(zip(y_all, X_all, strict=True)), 4)

# %% [markdown]
# ## Task 4.1: the cost model of one iteration
#
# An iteration on P partitions and `cores` cores, with n rows of d features, costs about
#
# * **schedule**: the driver launches the P tasks one after the other, `t_task` seconds each:
#   P · t_task;
# * **compute**: the tasks run in ⌈P / cores⌉ waves, and a wave lasts as long as its slowest
#   task, whose partition holds ⌈n / P⌉ rows at `t_row` seconds a row:
#   ⌈P / cores⌉ · ⌈n / P⌉ · t_row;
# * **reduce**: with `reduce` (a tree of depth 1) the driver receives the P partial gradients,
#   d floats of 8 bytes each, at `t_byte` seconds a byte: P · 8d · t_byte;
# * **broadcast**: the new weights, 8d bytes, sent once: 8d · t_byte.
#
# Return a dict with the four terms under the keys `"schedule"`, `"compute"`, `"reduce"` and
# `"broadcast"` (their sum is the iteration's time, see `total` below).

# %% [markdown] fr
# ## Tâche 4.1 : le modèle de coût d'une itération
#
# Une itération sur P partitions et `cores` cœurs, avec n lignes de d variables, coûte environ
#
# * **planification** (`"schedule"`) : le driver lance les P tâches l'une après l'autre,
#   `t_task` secondes chacune : P · t_task ;
# * **calcul** (`"compute"`) : les tâches s'exécutent en ⌈P / cores⌉ vagues, et une vague dure
#   autant que sa tâche la plus lente, dont la partition contient ⌈n / P⌉ lignes à `t_row`
#   secondes par ligne : ⌈P / cores⌉ · ⌈n / P⌉ · t_row ;
# * **réduction** (`"reduce"`) : avec `reduce` (un arbre de profondeur 1) le driver reçoit les
#   P gradients partiels, d nombres de 8 octets chacun, à `t_byte` secondes l'octet :
#   P · 8d · t_byte ;
# * **diffusion** (`"broadcast"`) : les nouveaux poids, 8d octets, envoyés une fois :
#   8d · t_byte.
#
# Renvoyez un dictionnaire avec les quatre termes sous les clés `"schedule"`, `"compute"`,
# `"reduce"` et `"broadcast"` (leur somme est la durée de l'itération, voir `total` plus bas).

# %%
def iteration_time(P, cores, n, d, t_task, t_row, t_byte):
    """{"schedule": P·t_task, "compute": ⌈P/cores⌉·⌈n/P⌉·t_row, "reduce": P·8d·t_byte,
    "broadcast": 8d·t_byte}, in seconds."""
    ### BEGIN SOLUTION
    return {"schedule": P * t_task,
            "compute": math.ceil(P / cores) * math.ceil(n / P) * t_row,
            "reduce": P * 8 * d * t_byte,
            "broadcast": 8 * d * t_byte}
    ### END SOLUTION


def total(terms):
    """The iteration's time: the sum of the four terms."""
    return sum(terms.values())

# %%
check("4.1")

# %% [markdown]
# The U-shaped curve of lesson 3, from your model: one million rows, 4 cores, a millisecond to
# launch a task. Few partitions leave cores idle; many partitions pay their scheduling and their
# partials.

# %% [markdown] fr
# La courbe en U de la leçon 3, d'après votre modèle : un million de lignes, 4 cœurs, une
# milliseconde pour lancer une tâche. Peu de partitions laissent des cœurs inoccupés ;
# beaucoup de partitions paient leur planification et leurs partiels.

# %%
for parts in (1, 2, 4, 8, 16, 32, 64, 128):
    cost = total(iteration_time(parts, 4, 10**6, 10, 1e-3, 2e-7, 1e-6))
    print(f"P = {parts:>3}: {cost * 1000:8.1f} ms")

# %% [markdown]
# ## Task 4.2: the shape of `treeAggregate`'s tree
#
# PySpark's `treeAggregate(zero, seqOp, combOp, depth)` on P partitions first computes the fan-in
# scale = max(⌈P^(1/depth)⌉, 2). Then, starting from c = P partials, *while c > scale + c/scale*
# it adds a shuffle level: c ← c / scale (a float), and the partials are regrouped into ⌊c⌋
# partials. Finally the driver adds what is left into one result.
#
# Return `(scale, counts)`: `counts` lists the number of partials at each level, from the P
# partitions' partials to the driver's single result (`[P, …, 1]`; just `[1]` when P = 1).

# %% [markdown] fr
# ## Tâche 4.2 : la forme de l'arbre de `treeAggregate`
#
# `treeAggregate(zero, seqOp, combOp, depth)` de PySpark sur P partitions calcule d'abord
# l'éventail scale = max(⌈P^(1/depth)⌉, 2). Puis, en partant de c = P partiels, *tant que
# c > scale + c/scale*, il ajoute un niveau de brassage (shuffle) : c ← c / scale (un
# flottant), et les partiels sont regroupés en ⌊c⌋ partiels. Enfin le driver additionne ce qui
# reste en un seul résultat.
#
# Renvoyez `(scale, counts)` : `counts` donne le nombre de partiels à chaque niveau, des
# partiels des P partitions jusqu'au résultat unique du driver (`[P, …, 1]` ; simplement `[1]`
# quand P = 1).

# %%
def tree_shape(P, depth):
    """(scale, [P, partials after each shuffle level, …, 1]) of treeAggregate."""
    ### BEGIN SOLUTION
    scale = max(math.ceil(P ** (1.0 / depth)), 2)
    counts = [P]
    c = float(P)
    while c > scale + c / scale:
        c /= scale
        counts.append(int(c))
    if counts[-1] > 1:
        counts.append(1)
    return scale, counts
    ### END SOLUTION

# %%
check("4.2")

# %% [markdown]
# ## Task 4.3: the makespan of tasks on slots
#
# Spark's scheduler hands the tasks out in order: each task goes to the slot (a core) that
# becomes free first. `task_times` lists the tasks' durations in launch order, `slots` the
# number of slots. Return the makespan: the time at which the last task ends. A heap of the
# slots' free times (`heapq`) does it in a few lines.

# %% [markdown] fr
# ## Tâche 4.3 : la durée totale de tâches sur des emplacements
#
# L'ordonnanceur de Spark distribue les tâches dans l'ordre : chaque tâche va à l'emplacement
# (un cœur) qui se libère le premier. `task_times` donne la durée des tâches dans l'ordre de
# lancement, `slots` le nombre d'emplacements. Renvoyez la durée totale (makespan) : l'instant où
# la dernière tâche se termine. Un tas des instants de libération des emplacements (`heapq`) le
# fait en quelques lignes.

# %%
def makespan(task_times, slots):
    """End of the last task when each task, in order, takes the slot that frees first."""
    ### BEGIN SOLUTION
    free = [0.0] * slots
    for seconds in task_times:
        start = heapq.heappop(free)
        heapq.heappush(free, start + seconds)
    return max(free)
    ### END SOLUTION

# %%
check("4.3")

# %% [markdown]
# A straggler: eight tasks of one second and one of five, on four slots. Launched last, it
# ends the iteration later than launched first: the order of the tasks matters too.

# %% [markdown] fr
# Un traînard : huit tâches d'une seconde et une de cinq, sur quatre emplacements. Lancé en
# dernier, il termine l'itération plus tard que lancé en premier : l'ordre des tâches compte
# aussi.

# %%
print("straggler last: ", makespan([1.0] * 8 + [5.0], 4))
print("straggler first:", makespan([5.0] + [1.0] * 8, 4))

# %% [markdown]
# ## Task 4.4: SGD with stale gradients
#
# An asynchronous parameter server applies each gradient when it arrives, though it was computed
# on weights read τ updates earlier:
#
# w_{t+1} = w_t − η ∇f(w_{t−τ}),   with w_{t−τ} = w₀ while t < τ.
#
# Return the trajectory w₀, w₁, …, w_steps (an array of `steps + 1` rows) from `w0`. Call
# `grad` once per step, in order, at the stale point. τ = 0 is plain gradient descent.

# %% [markdown] fr
# ## Tâche 4.4 : la SGD à gradients retardés
#
# Un serveur de paramètres asynchrone applique chaque gradient dès son arrivée, bien qu'il ait
# été calculé sur des poids lus τ mises à jour plus tôt :
#
# w_{t+1} = w_t − η ∇f(w_{t−τ}),   avec w_{t−τ} = w₀ tant que t < τ.
#
# Renvoyez la trajectoire w₀, w₁, …, w_steps (un tableau de `steps + 1` lignes) à partir de
# `w0`. Appelez `grad` une fois par pas, dans l'ordre, au point retardé. τ = 0 est la descente
# de gradient ordinaire.

# %%
def stale_sgd(grad, w0, eta, tau, steps):
    """Rows w₀ … w_steps with w_{t+1} = w_t − η ∇f(w_{max(t−τ, 0)})."""
    ### BEGIN SOLUTION
    path = [np.array(w0, dtype=float)]
    for t in range(steps):
        stale = path[max(t - tau, 0)]
        path.append(path[-1] - eta * np.asarray(grad(stale), dtype=float))
    return np.array(path)
    ### END SOLUTION

# %%
check("4.4")

# %% [markdown]
# The same step η on f(w) = w²/2 (∇f(w) = w): stable without delay, divergent with τ = 4.
# The largest stable step shrinks as the staleness grows.

# %% [markdown] fr
# Le même pas η sur f(w) = w²/2 (∇f(w) = w) : stable sans retard, divergent avec τ = 4. Le plus
# grand pas stable diminue quand le retard augmente.

# %%
for delay in (0, 1, 4):
    path = stale_sgd(lambda w: w, np.array([1.0]), 0.5, delay, 60)
    print(f"τ = {delay}: |w_60| = {abs(path[-1, 0]):.3g}")

# %% [markdown]
# ## Task 4.5: the bound L with an RDD `max`
#
# Step 1/L is safe for the logistic loss with L = ¼ maxᵢ‖xᵢ‖². Compute it on the cluster:
# `map` each labelled point `(y, x)` to ‖x‖², take the RDD's `max()`, and return L as a float.

# %% [markdown] fr
# ## Tâche 4.5 : la borne L avec un `max` sur un RDD
#
# Le pas 1/L est sûr pour la perte logistique avec L = ¼ maxᵢ‖xᵢ‖². Calculez-la sur le cluster :
# transformez (`map`) chaque point étiqueté `(y, x)` en ‖x‖², prenez le `max()` du RDD, et
# renvoyez L (un flottant).

# %%
def lipschitz_bound(points):
    """L = ¼ maxᵢ‖xᵢ‖² over an RDD of (y, x), with map and max."""
    ### BEGIN SOLUTION
    return 0.25 * float(points.map(lambda p: float(np.dot(p[1], p[1]))).max())
    ### END SOLUTION

# %%
check("4.5")

# %% [markdown]
# ## Task 4.6: rebalance the churn data with `sampleByKey`
#
# The workshop kept every churner (label +1) and only a fraction of the other clients (label
# −1). With `points.sampleByKey(False, fractions, seed)` (the key of a labelled point is its
# label), keep every point labelled +1 and each point labelled −1 with probability `fraction`.
# Return the sampled RDD.

# %% [markdown] fr
# ## Tâche 4.6 : rééquilibrer les données de churn avec `sampleByKey`
#
# L'atelier gardait tous les clients partis (étiquette +1) et une fraction seulement des autres
# (étiquette −1). Avec `points.sampleByKey(False, fractions, seed)` (la clé d'un point étiqueté
# est son étiquette), gardez tous les points d'étiquette +1 et chaque point d'étiquette −1 avec
# la probabilité `fraction`. Renvoyez le RDD échantillonné.

# %%
def rebalance(points, fraction, seed):
    """RDD keeping every +1 point and a `fraction` of the −1 points (seeded sampleByKey)."""
    ### BEGIN SOLUTION
    return points.sampleByKey(False, {1.0: 1.0, -1.0: fraction}, seed)
    ### END SOLUTION

# %%
check("4.6")

# %% [markdown]
# ## Your code next to the engine
#
# On the churn table of `data/` (label: the `churn` column; features: the eleven others,
# standardized): your bound L next to numpy's, and your rebalancing with 10 % of the clients who
# stayed. Then the stepper: your `tree_shape` next to the tree Spark built in a real iteration,
# and your `stale_sgd` replayed on the engine's simulated parameter server (`async_sgd` with
# τ + 1 equally fast workers, so that every gradient is exactly τ updates stale once all have
# started): `replay_stale_sgd` feeds your function the gradients the simulated workers
# computed, at the points you ask for, and checks you land on the engine's weights.

# %% [markdown] fr
# ## Votre code à côté du moteur
#
# Sur la table de churn de `data/` (étiquette : la colonne `churn` ; variables : les onze
# autres, centrées réduites) : votre borne L à côté de celle de numpy, et votre rééquilibrage
# avec 10 % des clients restés. Puis le stepper : votre `tree_shape` à côté de l'arbre que Spark
# a construit dans une vraie itération, et votre `stale_sgd` rejouée sur le serveur de
# paramètres simulé du moteur (`async_sgd` avec τ + 1 travailleurs également rapides, pour que
# chaque gradient ait exactement τ mises à jour de retard une fois tous partis) :
# `replay_stale_sgd` donne à votre fonction les gradients calculés par les travailleurs simulés,
# aux points que vous demandez, et vérifie que vous arrivez aux poids du moteur.

# %%
table = np.loadtxt(Path(stepper.__file__).resolve().parents[1] / "data" / "churn.csv",
                   delimiter=",", skiprows=1)
churn_y = np.where(table[:, 1] > 0, 1.0, -1.0)
churn_x = table[:, 2:]
churn_x = np.hstack([np.ones((len(table), 1)),
                     (churn_x - churn_x.mean(axis=0)) / churn_x.std(axis=0)])
churn = sc.parallelize(list(zip(churn_y, churn_x, strict=True)), 4)
print("L: yours", lipschitz_bound(churn), "numpy", 0.25 * np.max(np.sum(churn_x**2, axis=1)))
kept = rebalance(churn, 0.1, 2017).map(lambda p: (p[0], 1)).countByKey()
print("clients before:", {1.0: int(np.sum(churn_y > 0)), -1.0: int(np.sum(churn_y < 0))},
      "after:", {float(label): int(count) for label, count in kept.items()})

data = from_generator(GeneratorSpec(rows=400, features=3, seed=4), partitions=8, sc=sc)
for depth in (1, 2, 3):
    print(f"depth {depth}: yours {tree_shape(8, depth)[1]}, "
          f"Spark's {tree_widths(Stepper(data, Problem(), lr=0.5, depth=depth).step())}")

equal_speeds = async_sgd(workers=4, jitter=0.0, worker_spread=0.0, stragglers=0.0,
                         updates_per_iteration=1)
run = Stepper(data, Problem(), algorithm=equal_speeds, lr=0.5)
run.run(30)
print(replay_stale_sgd(run, globals()))

# %% [markdown]
# ## To think about (not graded)
#
# Spark's iteration is synchronous: `treeAggregate` returns only when every task has reported,
# so the slowest task sets the pace (Task 4.3), and the next weights wait for all the partials.
# What would an asynchronous system need instead, so that each worker's gradient is applied as
# soon as it arrives (Task 4.4)? Think of where the weights live, who updates them, what a worker
# reads, and how stale its reading may be before the step η must shrink.

# %% [markdown] fr
# ## À méditer (non noté)
#
# L'itération de Spark est synchrone : `treeAggregate` ne rend la main que lorsque toutes les
# tâches ont répondu, si bien que la tâche la plus lente impose le rythme (tâche 4.3), et les
# nouveaux poids attendent tous les partiels. De quoi aurait besoin un système asynchrone, pour
# que le gradient de chaque travailleur soit appliqué dès son arrivée (tâche 4.4) ? Pensez à
# l'endroit où vivent les poids, à qui les met à jour, à ce que lit un travailleur, et au retard
# que peut avoir sa lecture avant que le pas η doive diminuer.
