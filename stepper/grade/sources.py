"""Read an exercise source (jupytext-like "percent" format) and derive its two versions.

A source is a Python file split into cells by ``# %%`` lines (``# %% [markdown]`` for text,
whose lines start with ``# ``). A solution sits between ``### BEGIN SOLUTION`` and
``### END SOLUTION``; the attendee version replaces the whole block with the identical stub
``raise NotImplementedError("Task N.M: <title>")``, where ``N.M`` and the title come from the
last ``## Task N.M: title`` heading above it. The solved version just drops the marker lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
TASK_HEADING = re.compile(r"^##\s+Task\s+(\d+\.\d+):\s*(.+?)\s*$", re.MULTILINE)


class SourceError(ValueError):
    """A malformed exercise source (unbalanced markers, a solution with no task heading)."""


@dataclass(frozen=True)
class Cell:
    """One notebook cell: ``kind`` is "code" or "markdown"."""

    kind: str
    text: str


@dataclass(frozen=True)
class Solution:
    """One solution block: its task id, title, and the code lines it hides."""

    task: str
    title: str
    lines: tuple[str, ...]


def parse_cells(text: str) -> list[Cell]:
    """Split percent-format text into cells (text before the first marker is ignored)."""
    cells: list[Cell] = []
    kind: str | None = None
    body: list[str] = []

    def flush() -> None:
        if kind is not None:
            cells.append(Cell(kind, "\n".join(body).strip("\n")))

    for line in text.splitlines():
        if line.startswith("# %%"):
            flush()
            kind = "markdown" if "[markdown]" in line else "code"
            body = []
        elif kind == "markdown":
            body.append(line[2:] if line.startswith("# ") else line.lstrip("#"))
        else:
            body.append(line)
    flush()
    return cells


def stub_line(task: str, title: str) -> str:
    """The identical stub every task starts from."""
    return f'raise NotImplementedError("Task {task}: {title}")'


def render(cells: list[Cell], *, solved: bool) -> tuple[list[Cell], list[Solution]]:
    """The cells with solutions kept (``solved``) or stubbed, and the solution blocks found."""
    out: list[Cell] = []
    solutions: list[Solution] = []
    task: tuple[str, str] | None = None
    for cell in cells:
        if cell.kind == "markdown":
            headings = TASK_HEADING.findall(cell.text)
            if headings:
                task = headings[-1]
            out.append(cell)
            continue
        lines: list[str] = []
        block: list[str] | None = None
        for number, line in enumerate(cell.text.splitlines(), 1):
            marker = line.strip()
            if marker.startswith(BEGIN):
                if block is not None or task is None:
                    raise SourceError(f"line {number} of a cell: {BEGIN} without a task heading "
                                      "above it, or nested")
                block = []
                indent = line[: len(line) - len(line.lstrip())]
            elif marker.startswith(END):
                if block is None:
                    raise SourceError(f"line {number} of a cell: {END} without {BEGIN}")
                assert task is not None  # checked at BEGIN
                solutions.append(Solution(task[0], task[1], tuple(block)))
                lines.extend(block if solved else [indent + stub_line(*task)])
                block = None
            elif block is not None:
                block.append(line)
            else:
                lines.append(line)
        if block is not None:
            raise SourceError(f"{BEGIN} without {END} in task {task[0] if task else '?'}")
        out.append(Cell("code", "\n".join(lines)))
    return out, solutions


def read_source(path: Path) -> list[Cell]:
    """The cells of one source file."""
    return parse_cells(Path(path).read_text(encoding="utf-8"))
