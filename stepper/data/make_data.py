"""Write the toolkit's small data sets as CSV files, byte-for-byte reproducibly.

Usage::

    python -m stepper.data.make_data [--out data] [--churn-rows 20000]

Files written into ``--out`` (created if needed):

* ``logistic2d_train.csv`` — 1000 rows of the workshop's 2-D recipe, seed 2017;
* ``logistic2d_test.csv`` — 300 rows, seed 2018;
* ``churn.csv`` — the synthetic loyalty-card churn table, header row, seed 2017.

The 2-D files have no header; each row is ``label,x1,x2`` with the label written ``1`` or ``-1``
and the floats with 12 significant digits (``%.12g``). ``churn.csv`` writes integer-valued
columns (ids, churn flag, counts, days) as integers and the others with 2 decimals. Lines end in
``\\n`` and the files are UTF-8 (plain ASCII), whatever the platform.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from stepper.data.synthetic import churn_table, logistic_2d

TRAIN_ROWS, TRAIN_SEED = 1000, 2017
TEST_ROWS, TEST_SEED = 300, 2018
CHURN_ROWS, CHURN_SEED = 20_000, 2017

LOGISTIC_TRAIN = "logistic2d_train.csv"
LOGISTIC_TEST = "logistic2d_test.csv"
CHURN = "churn.csv"

_CHURN_INT_COLUMNS = frozenset({"clientId", "churn", "relationLength", "nbVisits", "lastTime"})


def _fmt_float(value: float) -> str:
    text = f"{value:.12g}"
    return "0" if text == "-0" else text


def logistic_csv(n_rows: int, seed: int) -> str:
    """The 2-D data set as CSV text: ``label,x1,x2`` rows, no header."""
    X, y = logistic_2d(n_rows, seed)
    lines = [
        f"{int(label)},{_fmt_float(x1)},{_fmt_float(x2)}"
        for label, (x1, x2) in zip(y.tolist(), X.tolist(), strict=True)
    ]
    return "".join(line + "\n" for line in lines)


def churn_csv(n_rows: int, seed: int) -> str:
    """The churn table as CSV text, with a header row."""
    header, table = churn_table(n_rows, seed)
    formats = ["{:.0f}" if name in _CHURN_INT_COLUMNS else "{:.2f}" for name in header]
    row_format = ",".join(formats)
    lines = [",".join(header)]
    lines.extend(row_format.format(*row) for row in np.asarray(table).tolist())
    return "".join(line + "\n" for line in lines)


def _write(path: Path, text: str) -> Path:
    with path.open("w", encoding="ascii", newline="\n") as fh:
        fh.write(text)
    return path


def write_all(out: str | Path = "data", churn_rows: int = CHURN_ROWS) -> list[Path]:
    """Write the three CSV files into ``out`` and return their paths."""
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    return [
        _write(out_dir / LOGISTIC_TRAIN, logistic_csv(TRAIN_ROWS, TRAIN_SEED)),
        _write(out_dir / LOGISTIC_TEST, logistic_csv(TEST_ROWS, TEST_SEED)),
        _write(out_dir / CHURN, churn_csv(churn_rows, CHURN_SEED)),
    ]


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {value}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m stepper.data.make_data",
        description="Write the toolkit's small synthetic data sets (reproducible CSV files).",
    )
    parser.add_argument("--out", default="data", help="output directory (default: data)")
    parser.add_argument(
        "--churn-rows",
        type=_positive_int,
        default=CHURN_ROWS,
        help=f"number of clients in churn.csv (default: {CHURN_ROWS})",
    )
    args = parser.parse_args(argv)
    for path in write_all(args.out, args.churn_rows):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
