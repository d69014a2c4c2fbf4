"""The figures the lessons state, checked against independent numpy computations."""

from __future__ import annotations

import csv
import os

import numpy as np
import pytest

from stepper.pages import facts
from stepper.pages.i18n import text

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "data")


@pytest.fixture(scope="module")
def lesson_rows():
    table = np.loadtxt(os.path.join(DATA, "logistic2d_train.csv"), delimiter=",")
    return table[:, 1:], table[:, 0]


def standardized(raw):
    return np.hstack([np.ones((raw.shape[0], 1)), (raw - raw.mean(0)) / raw.std(0)])


def logistic_hessian(X, y, w):
    m = y * (X @ w)
    s = 1.0 / (1.0 + np.exp(-m))
    return (X * (s * (1 - s))[:, None]).T @ X / X.shape[0]


def test_spectral_constant_is_the_largest_curvature_anywhere(lesson_rows):
    raw, y = lesson_rows
    X = standardized(raw)
    found = facts.curvature(X)
    assert found.bound == pytest.approx(0.25 * max(np.sum(X * X, axis=1)))
    rng = np.random.default_rng(0)
    curvatures = [np.linalg.eigvalsh(logistic_hessian(X, y, w))[-1]
                  for w in rng.normal(scale=3.0, size=(200, 3))]
    assert max(curvatures) <= found.spectral * (1 + 1e-12)  # ∇²J(w) ≼ ∇²J(0)
    assert np.linalg.eigvalsh(logistic_hessian(X, y, np.zeros(3)))[-1] == \
        pytest.approx(found.spectral, rel=1e-12)
    assert 11 < found.ratio < 12.5  # "about 12 times": the figure, 11.6 here


def test_condition_numbers_raw_and_standardized(lesson_rows):
    raw, y = lesson_rows
    found = facts.conditioning(raw, y, steps=50)
    H_raw = logistic_hessian(np.hstack([np.ones((len(y), 1)), raw]), y, np.zeros(3))
    assert found.raw == pytest.approx(np.linalg.cond(H_raw), rel=1e-9)
    assert found.standardized == pytest.approx(np.linalg.cond(logistic_hessian(
        standardized(raw), y, np.zeros(3))), rel=1e-9)
    assert found.raw > 50 and found.standardized < 1.01
    assert found.gap_raw > 3 * found.gap_std  # the same steps get much less far on raw data


def test_exact_lasso_satisfies_its_optimality_conditions_and_smooth_has_no_zero(lesson_rows):
    """Subgradient conditions of the exact L1 optimum, from numpy: |∇ℓ_j| ≤ λ₁ where w_j = 0,
    ∇ℓ_j = −λ₁ sign(w_j) elsewhere (the intercept unpenalized: ∇ℓ_0 = 0)."""
    raw, y = lesson_rows
    X = standardized(raw)
    rows = facts.lasso_weights(X, y)
    for l1, smooth, exact in rows:
        assert np.all(smooth != 0.0)
        m = y * (X @ exact)
        grad = -(X * (y / (1.0 + np.exp(m)))[:, None]).mean(axis=0)
        assert abs(grad[0]) < 1e-6
        for j in (1, 2):
            if exact[j] == 0.0:
                assert abs(grad[j]) <= l1 + 1e-6
            else:
                assert grad[j] == pytest.approx(-l1 * np.sign(exact[j]), abs=1e-6)
    assert sum(int(np.sum(e[1:] == 0.0)) for _, _, e in rows) >= 2  # exact zeros appear


def test_churn_text_names_every_feature_of_the_file():
    with open(os.path.join(DATA, "churn.csv"), newline="") as handle:
        header = next(csv.reader(handle))
    names = facts.churn_features(os.path.join(DATA, "churn.csv"))
    assert names == header[2:] and len(names) == 11
    for lang in ("en", "fr"):
        churn = text("lesson0.churn_data", lang=lang, count=len(names))
        assert str(len(names)) in churn
        assert [n for n in names if f"`{n}`" not in churn] == []
