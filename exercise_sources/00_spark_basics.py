# %% [markdown]
# # Exercises 0: Spark basics
#
# Lab 0 of the workshop, on a tiny data set made here with a seeded random generator. A
# *labelled point* is a pair `(label, features)`: the label is −1 or +1, the features a numpy
# array. Each task is a function to complete: replace the `raise NotImplementedError(...)` line
# with your code, run the cell, then run the `check(...)` cell under it.
#
# Spark runs in local mode; its UI (jobs, stages, storage, executors) is at http://localhost:4040.

# %% [markdown] fr
# # Exercices 0 : les bases de Spark
#
# Le TP 0 de l'atelier, sur un tout petit jeu de données fabriqué ici par un générateur aléatoire
# initialisé (graine fixe). Un *point étiqueté* est une paire `(label, features)` : l'étiquette
# vaut −1 ou +1, les variables forment un tableau numpy. Chaque tâche est une fonction à
# compléter : remplacez la ligne `raise NotImplementedError(...)` par votre code, exécutez la
# cellule, puis la cellule `check(...)` en dessous.
#
# Spark tourne en mode local ; son interface (jobs, étapes, stockage, exécuteurs) est sur
# http://localhost:4040.

# %%
from operator import add

import numpy as np

from stepper import Problem, Stepper
from stepper.grade import check
from stepper.grade.plug import dataset_from
from stepper.session import spark_session

spark = spark_session()
sc = spark.sparkContext
print("Spark", spark.version)

rng = np.random.default_rng(0)
features = rng.normal(loc=[1.0, 4.0], scale=[2.0, 4.0], size=(200, 2))
labels = np.where(2 + 3 * features[:, 0] - features[:, 1] + rng.normal(size=200) > 0, 1.0, -1.0)
points = sc.parallelize(list(zip(labels, features, strict=True)), 4)

# %% [markdown]
# ## Task 0.1: count the classes
#
# Return a dict `{label: number of points}` computed on the cluster (for example with `map` and
# `reduceByKey`, or `countByValue`). The share of class +1 follows from it.

# %% [markdown] fr
# ## Tâche 0.1 : compter les classes
#
# Renvoyez un dictionnaire `{étiquette: nombre de points}` calculé sur le cluster (par exemple
# avec `map` et `reduceByKey`, ou `countByValue`). La proportion de la classe +1 s'en déduit.

# %%
def count_classes(points):
    """{label: count} over an RDD of (label, features) pairs."""
    ### BEGIN SOLUTION
    counts = points.map(lambda p: (float(p[0]), 1)).reduceByKey(add).collect()
    return {label: int(count) for label, count in counts}
    ### END SOLUTION

# %%
check("0.1")

# %% [markdown]
# ## Task 0.2: the range of each feature with map + reduce
#
# Lesson 0 computes the mean and standard deviation in one map and one reduce. Do the same for
# the range: in one pass, reduce the pairs `(x, x)` to `(minimum, maximum)`, per feature
# (`np.minimum` and `np.maximum` work entry by entry). Return `(low, high)`, two numpy arrays
# with one entry per feature.

# %% [markdown] fr
# ## Tâche 0.2 : l'étendue de chaque variable avec map + reduce
#
# La leçon 0 calcule la moyenne et l'écart-type en un map et un reduce. Faites de même pour
# l'étendue : en une seule passe, réduisez les paires `(x, x)` en `(minimum, maximum)`, variable
# par variable (`np.minimum` et `np.maximum` opèrent coefficient par coefficient). Renvoyez
# `(low, high)`, deux tableaux numpy avec une valeur par variable.

# %%
def feature_ranges(points):
    """(low, high): the minimum and maximum of the features, per column, in one reduce."""
    ### BEGIN SOLUTION
    return points.map(lambda p: (p[1], p[1])).reduce(
        lambda a, b: (np.minimum(a[0], b[0]), np.maximum(a[1], b[1]))
    )
    ### END SOLUTION

# %%
check("0.2")

# %% [markdown]
# ## Task 0.3: scale to [0, 1] and add the intercept
#
# Lesson 0 standardizes; here, *min-max scale*: map each point `(y, x)` to
# `(y, [1, (x − low)/(high − low)])`, every feature between 0 and 1 with a constant 1 in front
# (the intercept). Return the new RDD.

# %% [markdown] fr
# ## Tâche 0.3 : ramener à [0, 1] et ajouter l'ordonnée à l'origine
#
# La leçon 0 centre et réduit ; ici, *normalisez min-max* : transformez chaque point `(y, x)` en
# `(y, [1, (x − low)/(high − low)])`, chaque variable entre 0 et 1, précédée d'une constante 1
# (l'ordonnée à l'origine). Renvoyez le nouveau RDD.

# %%
def min_max_scale(points, low, high):
    """RDD of (y, [1, (x − low) / (high − low)]) from an RDD of (y, x)."""
    ### BEGIN SOLUTION
    return points.map(
        lambda p: (p[0], np.concatenate([[1.0], (p[1] - low) / (high - low)]))
    )
    ### END SOLUTION

# %%
check("0.3")

# %% [markdown]
# ## Task 0.4: balance the classes by stratified sampling
#
# Lesson 0 splits at random with `randomSplit`. Here, sample *per class*: keep every point of
# the smaller class, and each point of the larger class with probability
# (size of the smaller class) / (size of the larger class), with
# `sampleByKey(False, fractions, seed)` (the key of a labelled point is its label). Count the
# classes first (Task 0.1). Return the sampled RDD; its two classes come out about the same size.

# %% [markdown] fr
# ## Tâche 0.4 : équilibrer les classes par échantillonnage stratifié
#
# La leçon 0 découpe au hasard avec `randomSplit`. Ici, échantillonnez *par classe* : gardez tous
# les points de la plus petite classe, et chaque point de la plus grande avec la probabilité
# (taille de la petite classe) / (taille de la grande classe), avec
# `sampleByKey(False, fractions, seed)` (la clé d'un point étiqueté est son étiquette). Comptez
# d'abord les classes (tâche 0.1). Renvoyez le RDD échantillonné ; ses deux classes ont à peu
# près la même taille.

# %%
def balance(points, seed=42):
    """RDD of the points with the larger class undersampled to the size of the smaller one."""
    ### BEGIN SOLUTION
    counts = points.map(lambda p: (float(p[0]), 1)).reduceByKey(add).collectAsMap()
    smaller = min(counts.values())
    fractions = {label: smaller / count for label, count in counts.items()}
    return points.sampleByKey(False, fractions, seed)
    ### END SOLUTION

# %%
check("0.4")

# %% [markdown]
# ## Your prepared data on the stepper
#
# Your ranges next to numpy's, then gradient descent on *your* balanced, scaled points:
# `dataset_from` turns your RDD of labelled points into the stepper's data set, and `run` is a
# `Stepper`, so the lesson views accept it.

# %% [markdown] fr
# ## Vos données préparées dans le stepper
#
# Vos étendues à côté de celles de numpy, puis une descente de gradient sur *vos* points
# équilibrés et normalisés : `dataset_from` transforme votre RDD de points étiquetés en jeu de
# données du stepper, et `run` est un `Stepper`, donc les vues des leçons l'acceptent.

# %%
low, high = feature_ranges(points)
print("your ranges match numpy's:",
      np.allclose(low, features.min(axis=0)) and np.allclose(high, features.max(axis=0)))
print("classes before:", count_classes(points))
balanced = balance(min_max_scale(points, low, high), 42)
print("classes after: ", count_classes(balanced))
run = Stepper(dataset_from(balanced), Problem(l2=0.01), lr="1/L")
last = run.run(20)[-1]
print(f"20 steps on your balanced points: J = {last.objective:.4f}, "
      f"accuracy {last.accuracy:.0%}")
