"""What a person waiting at a terminal sees: a progress bar with the time left, and a ticking
clock while Spark starts or the data loads. Nothing at all when the output is not a terminal
(a file, a pipe, CI), so logs and tests read the same table as before.
"""

from __future__ import annotations

import shutil
import sys
import threading
import time
from types import TracebackType
from typing import TextIO


def on_terminal(stream: TextIO) -> bool:
    """Whether ``stream`` is an interactive terminal."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Ticker:
    """``with Ticker("Starting Spark"):`` shows "Starting Spark… 7 s" on the terminal's last
    line, updated every second, and erases it when the block ends."""

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.active = on_terminal(self.stream)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Ticker:
        if self.active:
            self._thread = threading.Thread(target=self._tick, daemon=True)
            self._thread.start()
        return self

    def _tick(self) -> None:
        started = time.monotonic()
        while not self._stop.wait(1.0):
            self.stream.write(f"\r{self.label}… {time.monotonic() - started:.0f} s")
            self.stream.flush()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self.stream.write("\r\033[K")
            self.stream.flush()


class ProgressBar:
    """A bar on the terminal's last line, redrawn after each iteration: done/total, elapsed and
    the time left (from the mean time per iteration so far). Shown only when the run is long
    enough to scroll (more iterations than the terminal has lines) and the output is a terminal.
    """

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        lines = shutil.get_terminal_size((80, 24)).lines
        self.active = on_terminal(self.stream) and total > lines
        self.started = time.monotonic()

    def update(self, done: int) -> None:
        if not self.active:
            return
        elapsed = time.monotonic() - self.started
        left = elapsed / done * (self.total - done) if done else float("nan")
        width = 30
        filled = int(width * done / self.total)
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{self.total}  "
                          f"{elapsed:.0f} s, about {left:.0f} s left ")
        self.stream.flush()

    def clear(self) -> None:
        """Erase the bar (before a table row is printed, and at the end)."""
        if self.active:
            self.stream.write("\r\033[K")
            self.stream.flush()
