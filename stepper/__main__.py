"""``python -m stepper``: the command line (see :mod:`stepper.cli`)."""

import sys

from stepper.cli import main

sys.exit(main())
