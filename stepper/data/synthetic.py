"""Synthetic data for the toolkit: small teaching sets and a large, partition-proof generator.

Everything here is plain numpy (no Spark import), so the same functions run on the driver, inside
a Spark task, in a test or in a notebook, and always give the same numbers for the same seed.

The 2-D logistic set (the 2017 workshop's recipe)
-------------------------------------------------
``logistic_2d(n, seed)`` draws, independently for every row::

    x1 ~ N(1, 2²),   x2 ~ N(4, 4²),   ε ~ N(0, 1)
    v  = 2 + 3·x1 − 1·x2 + ε
    y  = +1 if σ(v) > 0.5 else −1          (σ(t) = 1 / (1 + e^(−t)), so y = +1 ⇔ v > 0)

The label is a deterministic threshold of a noisy linear score, so a linear classifier can learn
direction (3, −1) and intercept 2 up to the noise ε: the two classes overlap only near the line
2 + 3·x1 − x2 = 0.

The churn set (synthetic stand-in for a food retailer's loyalty-card data)
--------------------------------------------------------------------------
``churn_table(n, seed)`` builds one row per loyalty-card client. Features come first, each from a
plausible non-negative distribution:

* ``relationLength`` (days as a client): 30 + Gamma(2, 450), so about 2.5 years on average;
* ``nbVisits``: 1 + NegativeBinomial with mean ``relationLength × rate``, where each client's
  visit rate is log-normal around one visit every nine days (capped at one visit a day);
* ``meanFreq`` (mean days between visits) ≈ ``relationLength / nbVisits`` times a little noise,
  ``stdFreq`` = ``meanFreq`` × a log-normal coefficient of variation (around 0.8);
* ``meanArticle`` (articles per basket) log-normal around 9, ``meanAmount`` (euros per basket) =
  articles × a log-normal price per article (around 2.80 €); ``stdArticle`` and ``stdAmount`` are
  their means times log-normal coefficients of variation;
* ``meanAcquiredPts`` ≈ one point per euro spent (times noise); ``meanConvertedPts`` is the part of
  those points turned into vouchers: zero for a quarter of the clients, a Beta(2, 3) fraction for
  the others;
* ``lastTime`` (days since the last visit): Exponential with mean ``meanFreq`` times a log-normal
  "drift" factor (capped at ``relationLength``) — a client drifting away has been absent for many
  of their usual intervals.

Churn is then drawn from a latent logistic model on a few transformed features plus noise::

    z = b0 + 1.6·s(log(lastTime / meanFreq)) − 0.8·s(log visit rate) − 0.5·s(log relationLength)
           − 0.5·s(converted share) − 0.3·s(log meanAmount) + N(0, 0.6²)
    churn ~ Bernoulli(σ(z))

where s(·) standardizes a column and b0 is chosen so that about 5 % of clients churn. The signal
lives in logs and ratios, not in the raw columns, and is blurred by noise: a logistic regression on
the standardized raw columns finds a real but imperfect signal (held-out ROC-AUC around 0.8–0.9).
Counts and days are rounded to integers, amounts, points and means to 2 decimals.

The large generator (``GeneratorSpec`` / ``generate_rows``)
-----------------------------------------------------------
For data sets too large to store, rows are *defined* rather than saved. With ``d = features``::

    w* = true_weights(spec)                     d weights from the seed alone, ‖w*‖ = 3
    x  ~ N(0, I_d), then (density ρ < 1) each xⱼ kept with probability ρ, else set to 0
    classification:  P(y = +1 | x) = σ(x·w* / noise)     (noise = 0: y = sign(x·w*), ties → +1)
    regression:      y = x·w* + noise·ε,  ε ~ N(0, 1)

Row ``i`` belongs to chunk ``k = i // CHUNK_ROWS``. Chunk ``k`` is always generated whole
(``CHUNK_ROWS`` rows, whatever ``spec.rows`` is) from ``np.random.default_rng([seed, k])``: first
the ``CHUNK_ROWS × d`` features (row-major), then ``CHUNK_ROWS`` uniforms (classification) or
normals (regression). With ``density`` ρ < 1 the features are then multiplied by the mask
``u < ρ`` of ``CHUNK_ROWS × d`` uniforms from the chunk's own stream
``SeedSequence(seed, spawn_key=(2, k))`` before the labels are drawn (so labels follow the sparse
rows; ρ = 1 draws no mask and gives the dense rows exactly as before). A row therefore depends
only on ``(seed, d, task, noise, density, i)``, so
``generate_rows(spec, a, c)`` equals ``generate_rows(spec, a, b)`` followed by
``generate_rows(spec, b, c)`` for any ``a ≤ b ≤ c``: every Spark partition can generate its own
rows, and the data set is the same however it is split. The weights use a separate stream
(``SeedSequence(seed, spawn_key=(1,))``), which no chunk stream can coincide with.

Non-IID rows (``non_iid=True``, classification only): rows sorted by label. Row i gets the class
its position assigns, c_i = −1 for the first ⌊rows/2⌋ rows and +1 for the others, and features
drawn from the model's *conditional* law p(x | y = c_i): the row (x, y) is drawn as above, and
when y ≠ c_i its x is reflected across the hyperplane x·w* = 0 (x ← x − 2(x·ŵ)ŵ, ŵ = w*/‖w*‖),
which keeps N(0, I) and turns the score x·w* into −x·w*; since P(y = +1) = P(y = −1) = ½ by
this symmetry, the result has exactly the law of x given y = c_i. The data set is the IID one's
law, each class in one half of the rows, as if the rows had been sorted by label; contiguous
partitions then hold one class each (with an even number of partitions). A row still depends only
on the spec and i (``rows`` included), so any split gives the same data set.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

__all__ = [
    "CHUNK_ROWS",
    "CHURN_HEADER",
    "TASKS",
    "GeneratorSpec",
    "churn_table",
    "generate_rows",
    "logistic_2d",
    "parse_generator_spec",
    "partition_bounds",
    "true_weights",
]

CHUNK_ROWS = 8192
"""Rows per generation chunk; part of the determinism contract, never change it."""

TASKS = ("classification", "regression")

CHURN_HEADER = [
    "clientId",
    "churn",
    "meanAcquiredPts",
    "meanConvertedPts",
    "relationLength",
    "stdFreq",
    "meanArticle",
    "meanAmount",
    "nbVisits",
    "meanFreq",
    "lastTime",
    "stdAmount",
    "stdArticle",
]

_WEIGHTS_SPAWN_KEY = (1,)
_WEIGHTS_NORM = 3.0


def _sigmoid(t: np.ndarray) -> np.ndarray:
    """Numerically stable logistic function σ(t) = 1 / (1 + e^(−t))."""
    out = np.empty_like(t, dtype=np.float64)
    pos = t >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-t[pos]))
    e = np.exp(t[~pos])
    out[~pos] = e / (1.0 + e)
    return out


def _check_count(name: str, value: object, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


# --------------------------------------------------------------------------------------------
# The 2-D workshop set
# --------------------------------------------------------------------------------------------


def logistic_2d(n_rows: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``n_rows`` rows of the workshop's 2-D logistic data set.

    Args:
        n_rows: number of rows (>= 0).
        seed: seed for ``np.random.default_rng``.

    Returns:
        ``(X, y)``: ``X`` of shape ``(n_rows, 2)`` holding ``x1, x2``; ``y`` of shape
        ``(n_rows,)`` with values in ``{−1.0, +1.0}``; both float64.
    """
    n = _check_count("n_rows", n_rows, 0)
    rng = np.random.default_rng(seed)
    x1 = rng.normal(1.0, 2.0, n)
    x2 = rng.normal(4.0, 4.0, n)
    noise = rng.normal(0.0, 1.0, n)
    v = 2.0 + 3.0 * x1 - 1.0 * x2 + noise
    y = np.where(_sigmoid(v) > 0.5, 1.0, -1.0)
    return np.column_stack([x1, x2]), y


# --------------------------------------------------------------------------------------------
# The churn set
# --------------------------------------------------------------------------------------------

_CHURN_RATE_TARGET = 0.05


def _standardize(a: np.ndarray) -> np.ndarray:
    sd = a.std()
    return (a - a.mean()) / (sd if sd > 0 else 1.0)


def _lognormal_around(rng: np.random.Generator, median: float, sigma: float, n: int) -> np.ndarray:
    return rng.lognormal(math.log(median), sigma, n)


def churn_table(n_rows: int, seed: int) -> tuple[list[str], np.ndarray]:
    """Build a synthetic loyalty-card churn table (see the module docstring for the model).

    Args:
        n_rows: number of clients (>= 1).
        seed: seed for ``np.random.default_rng``.

    Returns:
        ``(header, table)``: the 13 column names (``CHURN_HEADER``) and a float64 array of shape
        ``(n_rows, 13)``: ``clientId`` 1..n, ``churn`` in {0, 1}, then the 11 features, all
        non-negative and rounded (counts and days to integers, the rest to 2 decimals).
    """
    n = _check_count("n_rows", n_rows, 1)
    rng = np.random.default_rng(seed)

    relation = np.minimum(np.round(30.0 + rng.gamma(2.0, 450.0, n)), 6000.0)
    rate = _lognormal_around(rng, 1.0 / 9.0, 0.6, n)  # visits per day
    mu = relation * rate
    r = 4.0
    nb_visits = 1.0 + rng.negative_binomial(r, r / (r + mu)).astype(np.float64)
    nb_visits = np.minimum(nb_visits, relation)  # at most one visit a day on average
    mean_freq = relation / nb_visits * _lognormal_around(rng, 1.0, 0.1, n)
    std_freq = mean_freq * _lognormal_around(rng, 0.8, 0.3, n)

    mean_article = _lognormal_around(rng, 9.0, 0.5, n)
    std_article = mean_article * _lognormal_around(rng, 0.6, 0.3, n)
    price = _lognormal_around(rng, 2.8, 0.25, n)
    mean_amount = mean_article * price
    std_amount = mean_amount * _lognormal_around(rng, 0.55, 0.3, n)

    acquired = mean_amount * _lognormal_around(rng, 1.0, 0.15, n)
    converts = rng.random(n) >= 0.25
    share = np.where(converts, rng.beta(2.0, 3.0, n), 0.0)
    converted = acquired * share

    drift = _lognormal_around(rng, 1.0, 0.8, n)
    last_time = np.minimum(np.round(rng.exponential(1.0, n) * mean_freq * drift), relation)

    # Latent logistic model on transformed features plus noise.
    signal = (
        1.6 * _standardize(np.log((last_time + 1.0) / (mean_freq + 1.0)))
        - 0.8 * _standardize(np.log(nb_visits / relation))
        - 0.5 * _standardize(np.log(relation))
        - 0.5 * _standardize(share)
        - 0.3 * _standardize(np.log(mean_amount))
        + rng.normal(0.0, 0.6, n)
    )
    # Intercept: solve mean σ(b0 + signal) = target by bisection (deterministic, a few dozen
    # steps), so the churn rate stays near the target whatever the mix of the other terms.
    lo, hi = -20.0, 20.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if _sigmoid(mid + signal).mean() > _CHURN_RATE_TARGET:
            hi = mid
        else:
            lo = mid
    churn = (rng.random(n) < _sigmoid(0.5 * (lo + hi) + signal)).astype(np.float64)

    def r2(a: np.ndarray) -> np.ndarray:
        return np.round(a, 2)

    columns = {
        "clientId": np.arange(1, n + 1, dtype=np.float64),
        "churn": churn,
        "meanAcquiredPts": r2(acquired),
        "meanConvertedPts": r2(converted),
        "relationLength": relation,
        "stdFreq": r2(std_freq),
        "meanArticle": r2(mean_article),
        "meanAmount": r2(mean_amount),
        "nbVisits": nb_visits,
        "meanFreq": r2(mean_freq),
        "lastTime": last_time,
        "stdAmount": r2(std_amount),
        "stdArticle": r2(std_article),
    }
    table = np.column_stack([columns[name] for name in CHURN_HEADER])
    return list(CHURN_HEADER), table


# --------------------------------------------------------------------------------------------
# The large, chunked generator
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GeneratorSpec:
    """What the large generator makes: ``rows`` rows of ``features`` standard-normal features.

    Attributes:
        rows: number of rows (>= 1).
        features: number of features ``d`` (>= 1).
        seed: non-negative integer seed; the weights and every row derive from it.
        task: ``"classification"`` (labels ±1 from a logistic model) or ``"regression"``.
        noise: classification temperature / regression noise standard deviation (>= 0).
        density: the probability that a feature of a row is kept (else it is 0), in (0, 1];
            1 gives dense rows (sparse rows show Hogwild!-style lock-free updates).
        non_iid: rows sorted by label: the first ⌊rows/2⌋ rows of class −1, the others +1
            (classification only; see the module docstring).
    """

    rows: int
    features: int
    seed: int = 0
    task: str = "classification"
    noise: float = 1.0
    density: float = 1.0
    non_iid: bool = False

    def __post_init__(self) -> None:
        _check_count("rows", self.rows, 1)
        _check_count("features", self.features, 1)
        _check_count("seed", self.seed, 0)
        if self.task not in TASKS:
            raise ValueError(f"task must be one of {', '.join(TASKS)}; got {self.task!r}")
        if isinstance(self.noise, bool) or not isinstance(self.noise, (int, float, np.floating)):
            raise ValueError(f"noise must be a number, got {self.noise!r}")
        if not math.isfinite(self.noise) or self.noise < 0:
            raise ValueError(f"noise must be finite and >= 0, got {self.noise!r}")
        if isinstance(self.density, bool) or not isinstance(self.density,
                                                            (int, float, np.floating)):
            raise ValueError(f"density must be a number, got {self.density!r}")
        if not 0.0 < self.density <= 1.0:
            raise ValueError(f"density must be in (0, 1], got {self.density!r}")
        if not isinstance(self.non_iid, bool):
            raise ValueError(f"non_iid must be true or false, got {self.non_iid!r}")
        if self.non_iid and self.task != "classification":
            raise ValueError("non_iid needs task=classification (rows are grouped by class)")


def true_weights(spec: GeneratorSpec) -> np.ndarray:
    """The generator's true weight vector ``w*`` (shape ``(features,)``, norm 3).

    Depends only on ``spec.seed`` and ``spec.features``: its own stream,
    ``SeedSequence(seed, spawn_key=(1,))``, is disjoint from every chunk's stream.
    """
    rng = np.random.default_rng(np.random.SeedSequence(spec.seed, spawn_key=_WEIGHTS_SPAWN_KEY))
    w = rng.standard_normal(spec.features)
    norm = float(np.linalg.norm(w))
    if norm == 0.0:  # pragma: no cover - probability zero
        w = np.ones(spec.features)
        norm = math.sqrt(spec.features)
    return w * (_WEIGHTS_NORM / norm)


def _chunk(spec: GeneratorSpec, k: int, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Chunk ``k`` in full: rows ``[k·CHUNK_ROWS, (k+1)·CHUNK_ROWS)``."""
    rng = np.random.default_rng([spec.seed, k])
    X = rng.standard_normal((CHUNK_ROWS, spec.features))
    if spec.density < 1.0:
        keep = np.random.default_rng(np.random.SeedSequence(spec.seed, spawn_key=(2, k)))
        X *= keep.random((CHUNK_ROWS, spec.features)) < spec.density
    score = X @ w
    if spec.task == "classification":
        u = rng.random(CHUNK_ROWS)
        if spec.noise > 0:
            y = np.where(u < _sigmoid(score / spec.noise), 1.0, -1.0)
        else:
            y = np.where(score >= 0, 1.0, -1.0)
    else:
        y = score + spec.noise * rng.standard_normal(CHUNK_ROWS)
    if spec.non_iid:
        ids = np.arange(k * CHUNK_ROWS, (k + 1) * CHUNK_ROWS)
        target = np.where(ids < spec.rows // 2, -1.0, 1.0)
        flip = y != target
        unit = w / np.linalg.norm(w)
        X[flip] -= 2.0 * np.outer(X[flip] @ unit, unit)
        y = target
    return X, y


def generate_rows(spec: GeneratorSpec, start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows ``[start, stop)`` of the data set described by ``spec``.

    Only the chunks covering the range are generated, one at a time, so memory stays at the
    output plus one chunk. The result does not depend on how a range is split (see the module
    docstring).

    Args:
        spec: the data set.
        start: first row (``0 <= start <= stop``).
        stop: one past the last row (``stop <= spec.rows``).

    Returns:
        ``(X, y)``: float64 arrays of shapes ``(stop − start, features)`` and ``(stop − start,)``.
    """
    start = _check_count("start", start, 0)
    stop = _check_count("stop", stop, 0)
    if start > stop:
        raise ValueError(f"start must be <= stop, got start={start}, stop={stop}")
    if stop > spec.rows:
        raise ValueError(f"stop must be <= spec.rows ({spec.rows}), got {stop}")
    m = stop - start
    X = np.empty((m, spec.features), dtype=np.float64)
    y = np.empty(m, dtype=np.float64)
    if m == 0:
        return X, y
    w = true_weights(spec)
    for k in range(start // CHUNK_ROWS, (stop - 1) // CHUNK_ROWS + 1):
        base = k * CHUNK_ROWS
        lo, hi = max(start, base), min(stop, base + CHUNK_ROWS)
        Xk, yk = _chunk(spec, k, w)
        X[lo - start : hi - start] = Xk[lo - base : hi - base]
        y[lo - start : hi - start] = yk[lo - base : hi - base]
    return X, y


def partition_bounds(n_rows: int, partitions: int, index: int) -> tuple[int, int]:
    """Contiguous row range ``[start, stop)`` of partition ``index`` out of ``partitions``.

    ``start = index·n // P`` and ``stop = (index+1)·n // P``: ranges are near-equal (sizes differ
    by at most one), cover ``[0, n)`` exactly and in order.
    """
    n = _check_count("n_rows", n_rows, 0)
    p = _check_count("partitions", partitions, 1)
    i = _check_count("index", index, 0)
    if i >= p:
        raise ValueError(f"index must be < partitions ({p}), got {i}")
    return i * n // p, (i + 1) * n // p


_SUFFIXES = {"k": 10**3, "K": 10**3, "M": 10**6, "G": 10**9}
_INT_RE = re.compile(r"^([0-9][0-9_]*)([kKMG]?)$")
_SPEC_KEYS = ("rows", "features", "seed", "task", "noise", "density", "non_iid")
_BOOLEANS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


def _parse_int(key: str, value: str) -> int:
    m = _INT_RE.match(value)
    if not m:
        raise ValueError(
            f"bad value for {key!r}: {value!r} (expected a non-negative integer, "
            f"optionally with a k/M/G suffix, e.g. {key}=1M)"
        )
    digits, suffix = m.groups()
    return int(digits) * _SUFFIXES.get(suffix, 1)


def parse_generator_spec(text: str) -> GeneratorSpec:
    """Parse a command-line spec such as ``rows=1M,features=20,seed=0,task=regression,noise=0.5``.

    Keys: ``rows`` and ``features`` (required), ``seed``, ``task``, ``noise``, ``density``,
    ``non_iid`` (``true``/``false``: rows sorted by label, see the module docstring). Integers
    accept a ``k``/``K`` (10³), ``M`` (10⁶) or ``G`` (10⁹) suffix and ``_`` separators. Spaces
    around items are ignored.

    Raises:
        ValueError: naming the unknown, repeated, missing or badly-valued key.
    """
    fields: dict[str, object] = {}
    for raw in text.split(","):
        item = raw.strip()
        if not item:
            continue
        key, sep, value = (part.strip() for part in item.partition("="))
        if not sep:
            raise ValueError(f"bad item {item!r} in generator spec: expected key=value")
        if key not in _SPEC_KEYS:
            raise ValueError(
                f"unknown key {key!r} in generator spec (known keys: {', '.join(_SPEC_KEYS)})"
            )
        if key in fields:
            raise ValueError(f"key {key!r} given twice in generator spec")
        if key in ("rows", "features", "seed"):
            fields[key] = _parse_int(key, value)
        elif key in ("noise", "density"):
            try:
                fields[key] = float(value)
            except ValueError:
                raise ValueError(f"bad value for {key!r}: {value!r} (expected a number)") from None
        elif key == "non_iid":
            if value.lower() not in _BOOLEANS:
                raise ValueError(f"bad value for 'non_iid': {value!r} (expected true or false)")
            fields[key] = _BOOLEANS[value.lower()]
        else:
            fields[key] = value
    missing = [k for k in ("rows", "features") if k not in fields]
    if missing:
        raise ValueError(f"generator spec is missing required key(s): {', '.join(missing)}")
    try:
        return GeneratorSpec(**fields)  # type: ignore[arg-type]
    except ValueError as exc:
        raise ValueError(f"bad generator spec {text!r}: {exc}") from None
