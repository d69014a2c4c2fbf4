"""What the readout and the data-flow diagram say about each phase, in the page's language.

The sentences come from the catalogue (``phase.*`` keys) and say what the record says happened:
the broadcast sentence follows ``record.broadcast["via"]`` (``"task"``: the payload rode inside
the task, whose binary Spark broadcasts once per stage; ``"broadcast"``: an explicit
``sc.broadcast``) with its bytes; the update sentence says when J is a sample's estimate
(``reduce.objective_rows`` below ``reduce.rows``). :mod:`stepper.pages.phases` builds the phases
from a record and asks this module for their words.
"""

from __future__ import annotations

from typing import Any

from stepper.pages.i18n import text


def ms(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    return f"{1000 * seconds:.0f} ms" if seconds >= 0.001 else "<1 ms"


def number(value: float) -> str:
    return f"{value:.4g}"


def method_label(name: str) -> str:
    """A method's label for menus and legends, in the page's language (its name if unknown)."""
    found = text(f"method.{name}.label")
    return name if found.startswith("⟨") else found


def method_rule_in_words(name: str) -> str:
    """A method's rule in words, in the page's language ("" if unknown)."""
    found = text(f"method.{name}.rule")
    return "" if found.startswith("⟨") else found


def start() -> str:
    return text("phase.start")


def is_estimate(record: Any) -> bool:
    """Whether the record's J is a sample's estimate (``full_objective=False``)."""
    reduce = record.reduce or {}
    rows = reduce.get("rows")
    return rows is not None and reduce.get("objective_rows", rows) < rows


def broadcast(record: Any, partitions: int) -> str:
    """The broadcast phase, the way the record says the payload travelled."""
    info = record.broadcast or {}
    via = info.get("via", "task")
    key = "phase.broadcast.broadcast" if via == "broadcast" else "phase.broadcast.task"
    return text(key, bytes=info.get("bytes", "?"), count=partitions)


def map_phase(index: int, count: int, info: dict[str, Any]) -> tuple[str, str]:
    """(readout label, sentence) of partition ``index`` (0-based) of ``count``."""
    rows, used = info.get("rows", 0), info.get("used_rows", info.get("rows", 0))
    sample = (text("phase.map.sample", used=used, rows=rows) if used != rows
              else text("phase.map.rows", rows=rows))
    label = text("phase.map.label", partition=index + 1, count=count)
    sentence = text("phase.map", partition=index + 1, sample=sample,
                    time=ms(info.get("seconds")), executor=info.get("executor", "?"))
    return label, sentence


def reduce_flat(count: int) -> str:
    return text("phase.reduce.flat", count=count)


def reduce_level(level: int, levels: int, where: str, inputs: int, groups: int
                 ) -> tuple[str, str]:
    """(readout label, sentence) of one combining level of treeAggregate's tree."""
    place = text("phase.where.driver" if where == "driver" else "phase.where.executors")
    label = text("phase.reduce.level_label", level=level, levels=levels, where=place)
    if where == "driver":
        return label, text("phase.reduce.driver", inputs=inputs)
    return label, text("phase.reduce.shuffle", inputs=inputs, groups=groups)


def update(record: Any, rule: str, distributed: bool = True) -> str:
    """The driver's update, with η and J at the weights sent (an estimate when it is one)."""
    eta = record.update.get("step_size") if record.update else None
    eta_text = text("phase.eta", eta=number(eta)) if eta is not None else ""
    objective = number(record.objective)
    if not distributed:
        return text("phase.update.local", rule=rule, eta=eta_text, objective=objective)
    key = "phase.update.estimate" if is_estimate(record) else "phase.update"
    return text(key, rule=rule, eta=eta_text, objective=objective)


def readout(iteration: int, label: str) -> str:
    """``"Iteration 3 · map: partition 2 of 8"``."""
    return text("phase.readout", iteration=iteration, label=label)
