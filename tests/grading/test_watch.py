"""The sandbox's watcher notices patched checks and reads of what grades (it protects nothing:
the comparisons run on the trusted side; it only tells the instructor)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import json, math, os, tempfile
    import numpy as np
    from stepper.grade.watch import Watcher

    watcher = Watcher()
    before = watcher.seen()
    honest = (np.allclose([1.0], [1.0]), math.isclose(1.0, 1.0))
    quiet = watcher.seen()
    np.allclose = lambda *a, **k: True
    folder = tempfile.mkdtemp()
    os.makedirs(os.path.join(folder, "solutions"))
    open(os.path.join(folder, "solutions", "01_oracles.ipynb"), "w").close()
    os.listdir(os.path.join(folder, "solutions"))
    with open(os.path.join(folder, "solutions", "01_oracles.ipynb")) as handle:
        handle.read()
    after = watcher.seen()
    again = watcher.seen()
    print(json.dumps({"before": before, "quiet": quiet, "after": after, "again": again}))
""")


def test_watcher_flags_a_patched_comparison_and_a_read_of_the_solutions_once():
    import json

    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                         timeout=60, check=True).stdout
    seen = json.loads(out.strip().splitlines()[-1])
    assert seen["before"] == [] and seen["quiet"] == []
    assert "patched numpy.allclose" in seen["after"]
    assert any("forbidden path" in text for text in seen["after"])
    assert seen["again"] == []
