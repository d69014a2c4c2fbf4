"""Read an exercise source (jupytext-like "percent" format) and derive its two versions.

A source is a Python file split into cells by ``# %%`` lines (``# %% [markdown]`` for text,
whose lines start with ``# ``). A solution sits between ``### BEGIN SOLUTION`` and
``### END SOLUTION``; the attendee version replaces the whole block with the identical stub
``raise NotImplementedError("Task N.M: <title>")``, where ``N.M`` and the title come from the
last ``## Task N.M: title`` heading above it. The solved version just drops the marker lines.

Languages: the sources are written in English, and every English markdown cell is followed at
once by its French translation, a ``# %% [markdown] fr`` cell (code cells are shared: the code,
its docstrings and the stubs are the same in both languages). :func:`render` with ``lang="fr"``
puts each French cell in place of the English one before it; a markdown cell without its French
twin is a :class:`SourceError` naming it, so ``python -m stepper.grade.build`` (and its test)
fails until the new text is translated. French task headings read ``## Tâche N.M : titre``; the
stub's task id and title always come from the English heading, so that both languages' stubs are
identical. Adding set 4: write ``exercise_sources/04_name.py`` the same way, English cell then
French cell, and run the build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
TASK_HEADING = re.compile(r"^##\s+Task\s+(\d+\.\d+):\s*(.+?)\s*$", re.MULTILINE)
LANGUAGES = ("en", "fr")
TRANSLATED = ("fr",)


class SourceError(ValueError):
    """A malformed exercise source (unbalanced markers, a solution with no task heading)."""


@dataclass(frozen=True)
class Cell:
    """One notebook cell: ``kind`` is "code" or "markdown"."""

    kind: str
    text: str
    lang: str = "en"


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
    lang = "en"
    body: list[str] = []

    def flush() -> None:
        if kind is not None:
            cells.append(Cell(kind, "\n".join(body).strip("\n"), lang))

    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("# %%"):
            flush()
            kind = "markdown" if "[markdown]" in line else "code"
            tail = line.split("]", 1)[1].strip() if "[markdown]" in line else ""
            lang = tail or "en"
            if lang not in LANGUAGES:
                raise SourceError(f"line {number}: unknown language {tail!r} after [markdown] "
                                  f"(one of {', '.join(TRANSLATED)})")
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


def in_language(cells: list[Cell], lang: str) -> list[tuple[Cell, Cell]]:
    """(English cell, cell shown in ``lang``) pairs: each translated cell replaces the English
    markdown cell just before it; SourceError for a missing or misplaced translation."""
    if lang not in LANGUAGES:
        raise SourceError(f"unknown language {lang!r}: one of {', '.join(LANGUAGES)}")
    pairs: list[tuple[Cell, Cell]] = []
    for index, cell in enumerate(cells):
        if cell.lang != "en":
            before = index - 1  # past the other translations of the same English cell
            while before >= 0 and cells[before].kind == "markdown" and cells[before].lang != "en":
                before -= 1
            previous = cells[before] if before >= 0 else None
            if previous is None or previous.kind != "markdown":
                raise SourceError(f"the [markdown] {cell.lang} cell {index + 1} does not follow "
                                  "an English markdown cell")
            if any(c.lang == cell.lang for c in cells[before + 1:index]):
                raise SourceError(f"the [markdown] {cell.lang} cell {index + 1} is a second "
                                  f"{cell.lang} translation of cell {before + 1}")
            continue
        shown = cell
        if cell.kind == "markdown" and lang != "en":
            twins = [c for c in cells[index + 1:index + 1 + len(TRANSLATED)]
                     if c.kind == "markdown" and c.lang == lang]
            if not twins:
                first = cell.text.splitlines()[0] if cell.text else ""
                raise SourceError(f"markdown cell {index + 1} ({first[:60]!r}) has no "
                                  f"'# %% [markdown] {lang}' cell after it")
            shown = twins[0]
        pairs.append((cell, shown))
    return pairs


def render(cells: list[Cell], *, solved: bool,
           lang: str = "en") -> tuple[list[Cell], list[Solution]]:
    """The cells in ``lang`` with solutions kept (``solved``) or stubbed, and the solution
    blocks found (the stubs name the English task heading in every language)."""
    out: list[Cell] = []
    solutions: list[Solution] = []
    task: tuple[str, str] | None = None
    for english, cell in in_language(cells, lang):
        if cell.kind == "markdown":
            headings = TASK_HEADING.findall(english.text)
            if headings:
                task = headings[-1]
            out.append(Cell("markdown", cell.text, cell.lang))
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
