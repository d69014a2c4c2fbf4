"""Simulated asynchronous SGD: the variants side by side on one simulated clock (numpy only).

Every variant applies the same number of gradients (W per iteration) to sparse generated rows
(``GeneratorSpec(density=…)``); the table gives, per variant, the simulated time those gradients
took, J at the end, the staleness (mean and max), Hogwild!'s fraction of stale coordinates in
the rows' support, the worker time spent waiting, and the driver's wall time per gradient (what
the simulation costs, not what it simulates). A SIMULATION: the clock is drawn, the gradients
are real.

    python benchmarks/async_sim.py
    python benchmarks/async_sim.py --workers 16 --iterations 200 --density 0.02 --l2 0.01
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from stepper.algorithms import Settings, async_sgd
from stepper.data.synthetic import GeneratorSpec, generate_rows
from stepper.local import LocalDriver, lipschitz_step
from stepper.problems import Problem


def simulate(method, X, y, problem, iterations, seed):
    settings = Settings(algorithm=method, seed=seed)
    driver = LocalDriver(problem, settings, X, y, problem.penalty_mask(X.shape[1], False))
    driver.step_size = lipschitz_step(problem, X)
    state = method.init(np.zeros(X.shape[1]), 0)
    events, wait, started = [], 0.0, time.perf_counter()
    for _ in range(iterations):
        step = method.update(state, {}, driver)
        state = step.state
        events += step.info["simulated_events"]
        wait += step.info["simulated_wait"]
    seconds = time.perf_counter() - started
    return state, step.info["simulated_clock"], events, wait, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--features", type=int, default=100)
    parser.add_argument("--density", type=float, default=0.05)
    parser.add_argument("--noise", type=float, default=0.1)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--l2", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    spec = GeneratorSpec(rows=args.rows, features=args.features, seed=args.seed,
                         noise=args.noise, density=args.density)
    X, y = generate_rows(spec, 0, spec.rows)
    problem = Problem("logistic", l2=args.l2)
    W = args.workers
    print(f"{spec.rows} rows × {spec.features} features, density {spec.density}, W = {W}, "
          f"{args.iterations * W} gradients each, η = 1/L = {lipschitz_step(problem, X):.4g}")
    print(f"{'variant':<16}{'sim. time':>10}{'J end':>10}{'stale mean':>11}{'max':>5}"
          f"{'stale coords':>13}{'wait':>9}{'µs/grad':>9}")
    J0 = problem.objective(X, y, np.zeros(spec.features), np.ones(spec.features))
    print(f"{'(w = 0)':<16}{'':>10}{J0:>10.4f}")
    for label, kwargs in (("sequential", {"workers": 1}),
                          ("ps", {}), ("ps τ=0", {"staleness": 0}),
                          ("ps τ=W-1", {"staleness": W - 1}), ("hogwild", {"variant": "hogwild"}),
                          ("sync", {"variant": "sync"})):
        method = async_sgd(**{"workers": W, **kwargs})
        iterations = args.iterations * (W if kwargs == {"workers": 1} else 1)
        state, clock, events, wait, seconds = simulate(method, X, y, problem, iterations,
                                                       args.seed)
        J = problem.objective(X, y, state.w, np.ones(spec.features))
        staleness = [e["staleness"] for e in events]
        coords = (f"{sum(e['stale_coordinates'] for e in events) / max(sum(e['support'] for e in events), 1):>13.3f}"  # noqa: E501
                  if "support" in events[0] else f"{'':>13}")
        print(f"{label:<16}{clock:>10.1f}{J:>10.4f}{np.mean(staleness):>11.2f}"
              f"{max(staleness):>5}{coords}{wait:>9.1f}{1e6 * seconds / len(events):>9.1f}")


if __name__ == "__main__":
    main()
