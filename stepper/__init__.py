"""stepper: distributed optimization with Apache Spark, one iteration at a time.

Importing the package starts nothing: the JVM starts with the first :func:`spark_session`
(or the first loader that needs Spark).

>>> from stepper import spark_session, load_csv, standardize, add_intercept, Problem, Stepper
>>> data = add_intercept(standardize(load_csv("data/logistic2d_train.csv", partitions=4)))
>>> run = Stepper(data, Problem("logistic"), algorithm="gd", lr="1/L")
>>> run.step().objective
"""

from stepper.algorithms import ALGORITHMS, Settings
from stepper.data.dataset import Dataset
from stepper.data.loaders import (
    from_dataframe,
    from_generator,
    from_numpy,
    load_csv,
    load_libsvm,
    load_parquet,
)
from stepper.data.prepare import (
    add_intercept,
    check_compatible,
    standardize,
    train_test_split,
    undersample,
)
from stepper.data.synthetic import GeneratorSpec, parse_generator_spec
from stepper.engine import Replay, Stepper
from stepper.errors import (
    ConfigError,
    DataError,
    DivergenceError,
    JavaMissingError,
    StepperError,
)
from stepper.problems import Problem
from stepper.session import spark_session
from stepper.trace import IterationRecord, load_trace, save_trace

__version__ = "0.1.0"

__all__ = [
    "ALGORITHMS",
    "ConfigError",
    "DataError",
    "Dataset",
    "DivergenceError",
    "GeneratorSpec",
    "IterationRecord",
    "JavaMissingError",
    "Problem",
    "Replay",
    "Settings",
    "Stepper",
    "StepperError",
    "add_intercept",
    "check_compatible",
    "from_dataframe",
    "from_generator",
    "from_numpy",
    "load_csv",
    "load_libsvm",
    "load_parquet",
    "load_trace",
    "parse_generator_spec",
    "save_trace",
    "spark_session",
    "standardize",
    "train_test_split",
    "undersample",
]
