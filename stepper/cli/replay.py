"""``stepper replay``: the table of a saved trace, without Spark or Java."""

from __future__ import annotations

import argparse
import sys

from stepper.cli.failure import EXIT_OK
from stepper.cli.table import print_table, weights_text
from stepper.errors import ConfigError


def replay_command(args: argparse.Namespace) -> int:
    from stepper.trace import load_trace

    if args.every < 1:
        raise ConfigError("every", args.every, "a whole number ≥ 1")
    settings, records = load_trace(args.trace)
    out = sys.stdout
    if settings is not None:
        problem = settings.get("problem") or {}
        hyper = settings.get("hyperparameters") or {}
        loss = problem.get("loss", "?") if isinstance(problem, dict) else problem
        step = hyper.get("step_rule", hyper.get("lr", "?"))
        print(f"# {loss} · {settings.get('algorithm', '?')}, step {step} · "
              f"{settings.get('data', '?')}: {settings.get('rows', '?')} rows × "
              f"{settings.get('features', '?')} features, {settings.get('partitions', '?')} "
              f"partitions", file=out)
    if not records:
        print("# the trace holds no iterations", file=out)
        return EXIT_OK
    print_table(records, args.every, out, args.show_partitions)
    print(f"# {len(records)} iterations; final weights {weights_text(records[-1].weights)}",
          file=out)
    return EXIT_OK


