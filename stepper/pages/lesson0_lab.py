"""Lesson 0: the environment and Spark basics on the churn data (the workshop's Lab 0).

Each step of the lesson is a small function below; the page shows the function's own source
next to its result (Voilà hides code cells, and here the code is the lesson). The steps use the
plain RDD API on purpose — ``textFile``, ``first``, ``filter``, ``map``, ``reduce``,
``randomSplit`` — rather than the toolkit's loaders, which do the same things at scale.

A labelled point is a pair ``(label, features)``: ``label`` is ``churn`` (1 = the client left),
``features`` a numpy array of the 11 columns after ``clientId`` and ``churn``.
"""

from __future__ import annotations

import os
from html import escape
from typing import Any

import numpy as np

from stepper.pages.kit.data import data_dir

CHURN_FILE = "churn.csv"


def churn_path() -> str:
    return os.path.join(data_dir(), CHURN_FILE)


# -- the steps shown on the page ---------------------------------------------------------------


def start_spark(ui_port: int = 4040):
    from stepper.session import spark_session

    spark = spark_session(ui_port=ui_port)  # local[*] unless STEPPER_MASTER says otherwise
    sc = spark.sparkContext
    return spark, sc


def read_lines(sc, path: str):
    lines = sc.textFile(path, minPartitions=4)  # a transformation: nothing is read yet
    return lines


def drop_header(lines):
    header = lines.first()  # an action: a small job reads the first line
    rows = lines.filter(lambda line: line != header)  # a transformation: lazy
    return header, rows


def parse_points(rows, parsed):
    def parse(line):
        parsed.add(1)  # counts the rows Spark really parses
        values = [float(v) for v in line.split(",")]
        return values[1], np.array(values[2:])  # (churn, 11 features); clientId dropped

    return rows.map(parse)


def laziness(sc, rows) -> dict:
    parsed = sc.accumulator(0)
    points = parse_points(rows, parsed)  # a transformation: returns at once
    before = parsed.value  # 0: nothing has run
    n = points.count()  # an action: Spark reads and parses every row
    after_count = parsed.value
    points.count()  # no cache: the file is read and parsed again
    after_second = parsed.value
    points.cache()  # keep the parsed points in memory (lazily, at the next action)
    points.count()  # parsed once more, now kept
    points.count()  # read from memory: nothing is parsed
    after_cache = parsed.value
    return {"points": points, "rows": n, "before": before, "after_count": after_count,
            "after_second": after_second, "after_cache": after_cache}


def churn_share(points) -> dict:
    n = points.count()
    churners = points.filter(lambda p: p[0] == 1).count()
    return {"rows": n, "churners": churners, "share": churners / n}


def recency_filter(points, days: int) -> dict:
    recent = points.filter(lambda p: p[1][8] > days)  # lastTime: days since the last visit
    count, churners = recent.map(lambda p: (1, p[0])).fold(
        (0, 0.0), lambda a, b: (a[0] + b[0], a[1] + b[1]))  # fold: fine on an empty RDD
    return {"clients": count, "churners": int(churners)}


def mean_and_std(points):
    n, total, squares = points.map(lambda p: (1, p[1], p[1] ** 2)).reduce(
        lambda a, b: (a[0] + b[0], a[1] + b[1], a[2] + b[2]))
    mean = total / n
    std = np.sqrt(squares / n - mean**2)  # population standard deviation, like numpy's
    return mean, std


def standardize(points, mean, std):
    return points.map(lambda p: (p[0], np.concatenate([[1.0], (p[1] - mean) / std])))


def split(points, fraction: float = 0.7, seed: int = 42):
    train, test = points.randomSplit([fraction, 1.0 - fraction], seed=seed)
    return train, test


# -- helpers (not shown) -----------------------------------------------------------------------


def jobs_run(sc) -> int:
    """How many Spark jobs this context has run (outside job groups)."""
    return len(sc.statusTracker().getJobIdsForGroup())


def read_numpy(path: str | None = None) -> tuple[list[str], np.ndarray]:
    """The churn file with numpy alone (the reference the Spark results are compared with)."""
    path = path or churn_path()
    with open(path, encoding="utf-8") as handle:
        names = handle.readline().strip().split(",")
    return names, np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)


def ui_port_of(sc, fallback: int) -> int:
    """The port the Spark UI really listens on (Spark moves to 4041, … when 4040 is taken)."""
    url = sc.uiWebUrl or ""
    tail = url.rsplit(":", 1)[-1].strip("/")
    return int(tail) if tail.isdigit() else fallback


def split_counts(train, test) -> dict:
    """Rows and churners on each side of a split (one job each)."""
    out = {}
    for name, part in (("train", train), ("test", test)):
        rows, churners = part.map(lambda p: (1, p[0])).fold(
            (0, 0.0), lambda a, b: (a[0] + b[0], a[1] + b[1]))
        out[name] = {"rows": int(rows), "churners": int(churners)}
    return out


def number(value: Any) -> str:
    return f"{value:,}".replace(",", "\u202f") if isinstance(value, int) else escape(str(value))
