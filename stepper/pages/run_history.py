"""The runs made so far on a page, and one figure comparing their loss curves.

Lesson 2's churn case lets the attendee choose the algorithm; every run (one method from the
start, stepped some iterations) is kept here by label with its objective per iteration, so the
page can draw J(w_k) of all of them on one log-scale figure, as the workshop's final plot did.
A run whose J is a sample's estimate is labelled so.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from stepper.pages.i18n import text
from stepper.pages.kit.figures import localize_ticks


@dataclass
class Run:
    label: str
    objectives: list[float] = field(default_factory=list)
    estimate: bool = False


class RunHistory:
    """Runs by label, in the order they were started; the current one receives new values."""

    def __init__(self) -> None:
        self.runs: list[Run] = []

    def start(self, label: str, estimate: bool = False) -> Run:
        """A new run (a label already used gets a number: ``momentum (2)``)."""
        taken = {run.label for run in self.runs}
        name, number = label, 2
        while name in taken:
            name, number = f"{label} ({number})", number + 1
        run = Run(name, [], estimate)
        self.runs.append(run)
        return run

    @property
    def current(self) -> Run | None:
        return self.runs[-1] if self.runs else None

    def record(self, iteration: int, objective: float) -> None:
        """J at iteration ``iteration`` (1-based) of the current run; stepping back then forward
        overwrites, as the stepper's timeline does."""
        run = self.current
        if run is None:
            return
        del run.objectives[iteration - 1:]
        run.objectives.append(float(objective))

    def figure_png(self) -> bytes:
        """J(w_k) of every run with at least one iteration (log scale), as PNG bytes."""
        from matplotlib.figure import Figure

        figure = Figure(figsize=(7.5, 3.6), layout="constrained")
        ax = figure.add_subplot()
        drawn = 0
        for run in self.runs:
            if not run.objectives:
                continue
            label = run.label + (" · " + text("lesson2.loss.estimate") if run.estimate else "")
            ax.plot(range(1, len(run.objectives) + 1), run.objectives, marker=".", label=label)
            drawn += 1
        ax.set_title(text("lesson2.churn_runs_title"))
        ax.set_xlabel("k")
        ax.set_ylabel("J(w_k)")
        if drawn:
            ax.set_yscale("log")
            ax.legend(fontsize=9)
        else:
            ax.text(0.5, 0.5, text("lesson2.churn_runs_empty"), ha="center", va="center",
                    transform=ax.transAxes)
        ax.grid(alpha=0.3, which="both")
        buffer = io.BytesIO()
        localize_ticks(figure)
        figure.savefig(buffer, format="png", dpi=90)
        return buffer.getvalue()
