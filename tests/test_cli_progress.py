"""The command line's progress on a terminal: a ticking clock while Spark starts and the data
loads, a bar with the time left for a run long enough to scroll; nothing when not a terminal."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys

import pytest

from stepper.cli.progress import ProgressBar, Ticker

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LESSON = os.path.join(ROOT, "data", "logistic2d_train.csv")


def test_nothing_is_drawn_when_the_output_is_not_a_terminal():
    stream = io.StringIO()
    bar = ProgressBar(1000, stream)
    bar.update(10)
    bar.clear()
    with Ticker("Starting Spark", stream):
        pass
    assert not bar.active and stream.getvalue() == ""


@pytest.mark.spark
@pytest.mark.slow
def test_a_long_run_on_a_terminal_shows_the_bar_and_the_time_left():
    controller, terminal = pty.openpty()
    env = dict(os.environ, LINES="10", COLUMNS="100", STEPPER_UI_PORT="")
    process = subprocess.Popen(
        [sys.executable, "-m", "stepper", "run", "--data", LESSON, "--steps", "25", "--lr",
         "0.5", "--every", "5", "--master", "local[2]"],
        stdin=subprocess.DEVNULL, stdout=terminal, stderr=terminal, env=env, cwd=ROOT)
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert process.wait(timeout=600) == 0
    screen = b"".join(chunks).decode("utf-8", "replace")
    assert "about" in screen and "s left" in screen and "/25" in screen
    assert "\x1b[K" in screen  # the bar is erased before rows and at the end
    rows = [line for line in screen.replace("\r\x1b[K", "\n").splitlines()
            if line.strip()[:2].strip().isdigit() and "0." in line]
    assert [int(line.split()[0]) for line in rows] == [5, 10, 15, 20, 25]
