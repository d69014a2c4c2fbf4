# %% [markdown]
# # Exercises 0: Spark basics
#
# Lab 0 of the workshop, on a tiny data set made here with a seeded random generator. A
# *labelled point* is a pair `(label, features)`: the label is −1 or +1, the features a numpy
# array. Each task is a function to complete: replace the `raise NotImplementedError(...)` line
# with your code, run the cell, then run the `check(...)` cell under it.
#
# Spark runs in local mode; its UI (jobs, stages, storage, executors) is at http://localhost:4040.

# %%
from operator import add

import numpy as np

from stepper import Problem, Stepper, from_numpy
from stepper import standardize as built_in_standardize
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
# ## Task 0.2: mean and standard deviation with map + reduce
#
# In one pass over the data, reduce the triples `(1, x, x²)` to `(n, Σx, Σx²)`; then
# mean = Σx / n and std = √(Σx²/n − mean²) (the population standard deviation, per feature).
# Return `(mean, std)`, two numpy arrays with one entry per feature.

# %%
def feature_stats(points):
    """(mean, std) of the features, per column, with one map and one reduce."""
    ### BEGIN SOLUTION
    n, total, squares = points.map(lambda p: (1, p[1], p[1] ** 2)).reduce(
        lambda a, b: (a[0] + b[0], a[1] + b[1], a[2] + b[2])
    )
    mean = total / n
    return mean, np.sqrt(squares / n - mean**2)
    ### END SOLUTION

# %%
check("0.2")

# %% [markdown]
# ## Task 0.3: standardize and add the intercept
#
# Map each point `(y, x)` to `(y, [1, (x − mean)/std])`: the standardized features with a
# constant 1 in front (the intercept). Return the new RDD.

# %%
def standardize(points, mean, std):
    """RDD of (y, [1, (x − mean) / std]) from an RDD of (y, x)."""
    ### BEGIN SOLUTION
    return points.map(lambda p: (p[0], np.concatenate([[1.0], (p[1] - mean) / std])))
    ### END SOLUTION

# %%
check("0.3")

# %% [markdown]
# ## Task 0.4: split into training and test sets
#
# Return `(train, test)`: a random split with weights `fraction` and `1 − fraction`, made
# reproducible by `seed` (`randomSplit`).

# %%
def split(points, fraction=0.7, seed=42):
    """(train, test) RDDs, a seeded random split with weights (fraction, 1 − fraction)."""
    ### BEGIN SOLUTION
    train, test = points.randomSplit([fraction, 1.0 - fraction], seed=seed)
    return train, test
    ### END SOLUTION

# %%
check("0.4")

# %% [markdown]
# ## Your prepared data on the stepper
#
# Your statistics next to the stepper's own `standardize`, then gradient descent on *your*
# training set: `dataset_from` turns your RDD of labelled points into the stepper's data set,
# and `run` is a `Stepper`, so the lesson views accept it.

# %%
mean, std = feature_stats(points)
built_in = built_in_standardize(from_numpy(features, labels, partitions=4, sc=sc))
their_mean, their_std = built_in.standardization
print("your mean and std match the stepper's:",
      np.allclose(mean, their_mean) and np.allclose(std, their_std))
train, test = split(standardize(points, mean, std), 0.7, 42)
run = Stepper(dataset_from(train), Problem(l2=0.01), lr="1/L")
last = run.run(20)[-1]
print(f"20 steps on your training set: J = {last.objective:.4f}, accuracy {last.accuracy:.0%}")
