"""Adaptive methods on two small surfaces (a long valley and a saddle), in numpy, for lesson 4's
card: pure (init, update) pairs in the style of optax, each following its paper's rule.

With g the gradient at step t = 1, 2, … and η the step size (ε = 10⁻⁸ unless said):

* ``sgd``:       w ← w − η g
* ``momentum``:  v ← μ v + g,  w ← w − η v                              (Polyak 1964)
* ``nesterov``:  v ← μ v + g,  w ← w − η (g + μ v)                     (Sutskever et al. 2013)
* ``adagrad``:   G ← G + g²,  w ← w − η g / (√G + ε)                  (Duchi et al. 2011)
* ``rmsprop``:   E ← ρ E + (1 − ρ) g²,  w ← w − η g / (√E + ε)        (Tieleman & Hinton 2012)
* ``adadelta``:  E ← ρ E + (1 − ρ) g²,  Δ = −√(D + ε)/√(E + ε) g,
                 D ← ρ D + (1 − ρ) Δ²,  w ← w + Δ   (no η; ε = 10⁻⁶)   (Zeiler 2012, alg. 1)
* ``adam``:      m ← β₁ m + (1 − β₁) g,  v ← β₂ v + (1 − β₂) g²,
                 m̂ = m/(1 − β₁ᵗ),  v̂ = v/(1 − β₂ᵗ),  w ← w − η m̂/(√v̂ + ε)  (Kingma & Ba 2015)
* ``adamax``:    m as Adam,  u ← max(β₂ u, |g|),  w ← w − (η/(1 − β₁ᵗ)) m/u   (ibid., alg. 2)
* ``nadam``:     m, v as Adam,  w ← w − η (β₁ m̂ + (1 − β₁) g/(1 − β₁ᵗ))/(√v̂ + ε)
                 (Dozat 2016, with a constant β₁)

The surfaces: the valley f(x, y) = x²/2 + 50 y² (curvatures 1 and 100) and the saddle
f(x, y) = x² − y² (curvature −2 along y), both from a start that shows the methods apart.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

State = dict[str, Any]


class Optimizer(NamedTuple):
    """A method as a pure pair: ``init(w) -> state``, ``update(g, state) -> (step, state)``
    (the new weights are w + step)."""

    init: Callable[[np.ndarray], State]
    update: Callable[[np.ndarray, State], tuple[np.ndarray, State]]


def _zeros(w: np.ndarray, *names: str) -> State:
    return {"t": 0, **{name: np.zeros_like(w, dtype=float) for name in names}}


def sgd(lr: float) -> Optimizer:
    return Optimizer(lambda w: _zeros(w), lambda g, s: (-lr * g, {**s, "t": s["t"] + 1}))


def momentum(lr: float, mu: float = 0.9, nesterov: bool = False) -> Optimizer:
    def update(g: np.ndarray, s: State) -> tuple[np.ndarray, State]:
        v = mu * s["v"] + g
        step = -lr * (g + mu * v) if nesterov else -lr * v
        return step, {"t": s["t"] + 1, "v": v}

    return Optimizer(lambda w: _zeros(w, "v"), update)


def adagrad(lr: float, eps: float = 1e-8) -> Optimizer:
    def update(g: np.ndarray, s: State) -> tuple[np.ndarray, State]:
        G = s["G"] + g * g
        return -lr * g / (np.sqrt(G) + eps), {"t": s["t"] + 1, "G": G}

    return Optimizer(lambda w: _zeros(w, "G"), update)


def rmsprop(lr: float, rho: float = 0.9, eps: float = 1e-8) -> Optimizer:
    def update(g: np.ndarray, s: State) -> tuple[np.ndarray, State]:
        E = rho * s["E"] + (1 - rho) * g * g
        return -lr * g / (np.sqrt(E) + eps), {"t": s["t"] + 1, "E": E}

    return Optimizer(lambda w: _zeros(w, "E"), update)


def adadelta(rho: float = 0.95, eps: float = 1e-6) -> Optimizer:
    def update(g: np.ndarray, s: State) -> tuple[np.ndarray, State]:
        E = rho * s["E"] + (1 - rho) * g * g
        step = -np.sqrt(s["D"] + eps) / np.sqrt(E + eps) * g
        D = rho * s["D"] + (1 - rho) * step * step
        return step, {"t": s["t"] + 1, "E": E, "D": D}

    return Optimizer(lambda w: _zeros(w, "E", "D"), update)


def adam(lr: float, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8,
         nesterov: bool = False) -> Optimizer:
    def update(g: np.ndarray, s: State) -> tuple[np.ndarray, State]:
        t = s["t"] + 1
        m = beta1 * s["m"] + (1 - beta1) * g
        v = beta2 * s["v"] + (1 - beta2) * g * g
        m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
        if nesterov:
            m_hat = beta1 * m_hat + (1 - beta1) * g / (1 - beta1**t)
        return -lr * m_hat / (np.sqrt(v_hat) + eps), {"t": t, "m": m, "v": v}

    return Optimizer(lambda w: _zeros(w, "m", "v"), update)


def adamax(lr: float, beta1: float = 0.9, beta2: float = 0.999) -> Optimizer:
    def update(g: np.ndarray, s: State) -> tuple[np.ndarray, State]:
        t = s["t"] + 1
        m = beta1 * s["m"] + (1 - beta1) * g
        u = np.maximum(beta2 * s["u"], np.abs(g))
        return -(lr / (1 - beta1**t)) * m / u, {"t": t, "m": m, "u": u}

    return Optimizer(lambda w: _zeros(w, "m", "u"), update)


def methods(lr: float = 0.1) -> dict[str, Optimizer]:
    """The card's methods with one step size η (Adadelta has none)."""
    return {"sgd": sgd(lr * 0.18), "momentum": momentum(lr / 10), "nesterov": momentum(
        lr / 10, nesterov=True), "adagrad": adagrad(lr * 5), "rmsprop": rmsprop(lr),
            "adadelta": adadelta(), "adam": adam(lr), "adamax": adamax(lr),
            "nadam": adam(lr, nesterov=True)}


SURFACES: dict[str, tuple[Callable[[np.ndarray], float], Callable[[np.ndarray], np.ndarray],
                          np.ndarray]] = {
    "valley": (lambda w: 0.5 * w[0] ** 2 + 50.0 * w[1] ** 2,
               lambda w: np.array([w[0], 100.0 * w[1]]), np.array([-4.0, 0.6])),
    "saddle": (lambda w: w[0] ** 2 - w[1] ** 2,
               lambda w: np.array([2.0 * w[0], -2.0 * w[1]]), np.array([-2.0, 1e-3])),
}


def path(optimizer: Optimizer, gradient: Callable[[np.ndarray], np.ndarray], start: np.ndarray,
         steps: int) -> np.ndarray:
    """w₀ = start and ``steps`` updates: the iterates as rows."""
    w = np.asarray(start, dtype=float)
    state = optimizer.init(w)
    out = [w]
    for _ in range(steps):
        step, state = optimizer.update(gradient(w), state)
        w = w + step
        out.append(w)
    return np.asarray(out)


def paths_png(steps: int = 60) -> bytes:
    """Every method's path on the valley and on the saddle, as PNG bytes."""
    import io

    from matplotlib.figure import Figure

    from stepper.pages.i18n import text
    from stepper.pages.kit.figures import localize_ticks

    figure = Figure(figsize=(11.0, 4.2), layout="constrained")
    axes = figure.subplots(1, 2)
    for ax, (name, (f, gradient, start)) in zip(axes, SURFACES.items(), strict=True):
        xs, ys = np.meshgrid(np.linspace(-4.5, 1.5, 120), np.linspace(-1.2, 1.2, 120))
        Z = np.array([[f(np.array([a, b])) for a, b in zip(r1, r2, strict=True)]
                      for r1, r2 in zip(xs, ys, strict=True)])
        ax.contour(xs, ys, Z, levels=25, colors="#c8d1dc", linewidths=0.7)
        for method, optimizer in methods().items():
            W = path(optimizer, gradient, start, steps)
            W = W[np.all(np.abs(W) < 10, axis=1)]
            ax.plot(W[:, 0], W[:, 1], lw=1.6, label=text(f"lesson4.adaptive.{method}"))
        ax.set_xlim(-4.5, 1.5)
        ax.set_ylim(-1.2, 1.2)
        ax.set_title(text(f"lesson4.surface.{name}"))
    axes[0].legend(fontsize=8, ncol=3, loc="lower right")
    localize_ticks(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90)
    return buffer.getvalue()
