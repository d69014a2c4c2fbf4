"""Diagram views written as SVG/HTML: the data flow, the reduce tree, the task timeline and the
confusion matrix."""

from __future__ import annotations

import html
from collections.abc import Hashable
from typing import Any

import numpy as np

from stepper.pages.i18n import decimal, localized
from stepper.pages.i18n import text as words
from stepper.pages.kit.figures import (
    partition_color,
)
from stepper.pages.kit.metrics import confusion_matrix, predict
from stepper.pages.phases import (
    Phase,
    revealed_partitions,
)
from stepper.pages.views.base import (
    DONE,
    HIGHLIGHT,
    IDLE,
    INK,
    Frame,
    View,
    svg_widget,
)


# -- SVG views -----------------------------------------------------------------------------------
def _text(x: float, y: float, text: str, size: float = 18, weight: str = "normal",
          anchor: str = "middle", color: str = INK) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" font-weight="{weight}" '
            f'text-anchor="{anchor}" fill="{color}" font-family="DejaVu Sans, Arial, sans-serif"'
            f'>{html.escape(text)}</text>')


def _rect(x: float, y: float, w: float, h: float, fill: str, stroke: str = "#52606d",
          width: float = 1.5, rx: float = 8, extra: str = "") -> str:
    return (f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="{rx}" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="{width}" {extra}/>')


def _arrow(x1: float, y1: float, x2: float, y2: float, color: str = "#52606d",
           width: float = 2.5) -> str:
    return (f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{color}" '
            f'stroke-width="{width}" marker-end="url(#stepper-head)"/>')


def _svg(width: float, height: float, body: list[str], label: str) -> str:
    head = ('<defs><marker id="stepper-head" viewBox="0 0 10 10" refX="9" refY="5" '
            'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
            '<path d="M 0 0 L 10 5 L 0 10 z" fill="#52606d"/></marker></defs>')
    return (f'<svg class="stepper-diagram" viewBox="0 0 {width:.0f} {height:.0f}" '
            f'width="100%" role="img" aria-label="{html.escape(label)}" '
            f'xmlns="http://www.w3.org/2000/svg">{head}{"".join(body)}</svg>')


ORDER = ("start", "broadcast", "map", "reduce", "update")


class FlowView(View):
    """Driver → broadcast → partitions → reduce → update, the current phase highlighted,
    and the phase's one-line narration underneath."""

    name = "flow"

    def __init__(self) -> None:
        super().__init__(svg_widget("100%"))
        self.widget.add_class("stepper-flow")

    def draw(self, frame: Frame) -> str:
        phase = frame.phase
        now = ORDER.index(phase.kind)
        count = frame.partitions if frame.record is None else max(len(frame.record.partitions),
                                                                   1)
        if frame.record is not None and not frame.record.partitions:
            count = 0
        width, height = 1200, 196
        boxes = [(kind, words(f"view.flow.{kind}"), words(f"view.flow.{kind}.sub", count=count))
                 for kind in ("driver", "broadcast", "map", "reduce", "update")]
        if not count:
            boxes[2] = ("map", words("view.flow.map"), words("view.flow.map.one_machine"))
        body: list[str] = []
        box_w, top, box_h = 196, 14, 112
        gap = (width - 24 - len(boxes) * box_w) / (len(boxes) - 1)
        for n, (kind, title, sub) in enumerate(boxes):
            x = 12 + n * (box_w + gap)
            order = 0 if kind == "driver" else ORDER.index(kind)
            if kind == phase.kind or (kind == "driver" and phase.kind == "start"):
                fill, stroke, sw = "#fff3d6", HIGHLIGHT, 5.0
            elif kind != "driver" and order < now:
                fill, stroke, sw = DONE, "#52606d", 1.5
            else:
                fill, stroke, sw = IDLE, "#9aa5b1", 1.5
            body.append(_rect(x, top, box_w, box_h, fill, stroke, sw))
            body.append(_text(x + box_w / 2, top + 34, title, 24, "bold"))
            body.append(_text(x + box_w / 2, top + 62, sub, 17))
            if kind == "map" and count:
                body += self._partition_squares(x, top + 76, box_w, count, phase)
            if n < len(boxes) - 1:
                body.append(_arrow(x + box_w + 4, top + box_h / 2, x + box_w + gap - 4,
                                   top + box_h / 2))
        # the loop back: next iteration starts from the updated weights
        y_loop = top + box_h + 22
        last_x = 12 + 4 * (box_w + gap) + box_w / 2
        body.append(f'<path d="M {last_x:.0f} {top + box_h + 4} V {y_loop} H {12 + box_w / 2} '
                    f'V {top + box_h + 8}" fill="none" stroke="#52606d" stroke-width="2" '
                    f'stroke-dasharray="6 5" marker-end="url(#stepper-head)"/>')
        body.append(_text((12 + last_x) / 2, y_loop + 24, words("view.flow.loop"),
                          18, color="#52606d"))
        narration = (f'<div class="stepper-narration">{html.escape(phase.narration)}</div>')
        return _svg(width, height, body, words("view.flow.label")) + narration

    @staticmethod
    def _partition_squares(x: float, y: float, box_w: float, count: int,
                           phase: Phase) -> list[str]:
        shown = min(count, 16)
        size = min(20.0, (box_w - 16) / shown - 3)
        out = []
        revealed = revealed_partitions(phase)
        for p in range(shown):
            px = x + 8 + p * (size + 3)
            if phase.kind == "map" and p == phase.index:
                out.append(_rect(px - 1, y - 1, size + 2, size + 2, partition_color(p),
                                 HIGHLIGHT, 3.5, 3))
            elif p < revealed:
                out.append(_rect(px, y, size, size, partition_color(p), "none", 0, 3))
            else:
                out.append(_rect(px, y, size, size, "#ffffff", "#9aa5b1", 1, 3))
        return out


class TreeView(View):
    """The reduce tree as Spark built it (recorded by the combOp), with partial loss sums."""

    name = "tree"

    def __init__(self, width: str = "49%") -> None:
        super().__init__(svg_widget(width))

    def draw(self, frame: Frame) -> str:
        width = 640
        record, phase = frame.record, frame.phase
        title = _text(width / 2, 30, words("view.tree.title"), 20, "bold")
        if record is None or not record.reduce.get("levels"):
            note = (words("view.tree.step_once") if record is None or record.partitions else
                    words("view.tree.one_machine"))
            return _svg(width, 120, [title, _text(width / 2, 80, note, 16)],
                        words("view.tree.label"))
        levels = record.reduce["levels"]
        rows = len(levels)
        row_h = 92
        height = 60 + rows * row_h + 10
        body = [title]
        positions: dict[tuple[int, ...], tuple[float, float, float]] = {}
        revealed = revealed_partitions(phase)
        active_level = phase.index if phase.kind == "reduce" else None
        for level_number, level in enumerate(levels):
            groups = level["groups"]
            y = height - 20 - (level_number + 1) * row_h + 22
            slot = (width - 20 - 104) / max(len(groups), 1)
            node_w = min(118.0, slot - 8)
            font = 15 if node_w >= 70 else (12 if node_w >= 44 else 10)
            for g_index, group in enumerate(groups):
                cx = 10 + slot * (g_index + 0.5)
                key = tuple(group["partitions"])
                positions[key] = (cx, y, node_w)
                if level_number == 0:
                    p = group["partitions"][0]
                    label = f"P{p + 1}"
                    lit = p < revealed
                    current = phase.kind == "map" and phase.index == p
                    fill = partition_color(p) if lit else "#ffffff"
                    color = "#ffffff" if lit else INK
                else:
                    where = level.get("where", "executors")
                    label = (words("view.tree.driver") if where == "driver"
                             else words("view.tree.task", number=g_index + 1))
                    done = (phase.kind == "update" or
                            (active_level is not None and level_number <= active_level))
                    current = active_level == level_number
                    fill = DONE if done else "#ffffff"
                    color = INK
                stroke, sw = (HIGHLIGHT, 5) if current else ("#52606d", 1.5)
                body.append(_rect(cx - node_w / 2, y, node_w, 56, fill, stroke, sw, 6))
                body.append(_text(cx, y + 22, label, font + 1, "bold", color=color))
                shown = (level_number == 0 and group["partitions"][0] < revealed) or (
                    level_number > 0 and fill == DONE)
                if shown:
                    body.append(_text(cx, y + 44, _short(group.get("loss")), font, color=color))
                # edges to the inputs (drawn under the next row up)
                for inputs in group.get("inputs", []):
                    child = positions.get(tuple(sorted(inputs)))
                    if child is not None:
                        body.append(_arrow(child[0], child[1] - 2, cx, y + 58, "#52606d", 1.8))
            where = level.get("where", "executors")
            first, second = ((words("view.tree.map"), words("view.tree.output"))
                             if level_number == 0 else
                             (words("view.tree.level", level=level_number),
                              words("phase.where.driver") if where == "driver"
                              else words("phase.where.executors")))
            body.append(_text(width - 56, y + 24, first, 15, "bold", color="#52606d"))
            body.append(_text(width - 56, y + 44, second, 15, color="#52606d"))
        depth = record.reduce.get("depth")
        scale = record.reduce.get("scale")
        body.append(_text(10, height - 6, words("view.tree.depth", depth=depth, scale=scale), 14,
                          anchor="start", color="#52606d"))
        return _svg(width, height, body, words("view.tree.label"))


def _short(value: Any) -> str:
    if value is None:
        return ""
    value = float(value)
    if abs(value) >= 1000:
        return f"{value:,.0f}".replace(",", " ")
    return localized(f"{value:.3g}")


def _lanes(parts: list[dict]) -> list[tuple[str, int, dict]]:
    """(executor, slot, task) with tasks that overlap in time on different slots."""
    out = []
    by_executor: dict[str, list[dict]] = {}
    for info in parts:
        by_executor.setdefault(str(info.get("executor", "?")), []).append(info)
    for executor in sorted(by_executor):
        ends: list[float] = []
        for info in sorted(by_executor[executor], key=lambda t: t.get("start", 0.0)):
            start = info.get("start", 0.0)
            for slot, end in enumerate(ends):
                if end <= start + 1e-4:
                    ends[slot] = info.get("end", start)
                    out.append((executor, slot, info))
                    break
            else:
                ends.append(info.get("end", start))
                out.append((executor, len(ends) - 1, info))
    return out


class TimelineView(View):
    """The iteration's tasks per executor slot (to scale), the barrier, then the driver's part.

    The map stage is drawn to scale; what follows the barrier (scheduling and the reduce, then
    the update on the driver) is drawn as two labelled boxes, not to scale, since Spark's fixed
    cost per job would otherwise squash the tasks into slivers.
    """

    name = "timeline"

    def __init__(self, width: str = "49%") -> None:
        super().__init__(svg_widget(width))

    def draw(self, frame: Frame) -> str:
        width = 640
        title = _text(width / 2, 30, words("view.timeline.title"), 20, "bold")
        record, phase = frame.record, frame.phase
        if record is None or not record.partitions or "start" not in record.partitions[0]:
            return _svg(width, 120, [title, _text(width / 2, 80,
                                                  words("view.timeline.step_once"), 16)],
                        words("view.timeline.label"))
        placed = _lanes(record.partitions)
        lanes = sorted({(e, s) for e, s, _ in placed})
        lane_index = {lane: n for n, lane in enumerate(lanes)}
        t0 = min(info["start"] for info in record.partitions)
        barrier = max(max(info["end"] for info in record.partitions) - t0, 1e-4)
        reduce_s = float(record.timing.get("reduce", 0.0))
        driver_s = float(record.timing.get("driver", 0.0))
        left, top, lane_h = 132, 50, 38
        map_right = left + 0.62 * (width - 20 - left)
        scale = (map_right - left) / barrier
        height = top + (len(lanes) + 1) * lane_h + 62
        body = [title]
        for (executor, slot), n in lane_index.items():
            y = top + n * lane_h
            body.append(_text(left - 8, y + lane_h / 2 + 6, f"{executor[:8]} · {slot + 1}", 15,
                              anchor="end"))
        revealed = revealed_partitions(phase)
        last = max(record.partitions, key=lambda t: t["end"])["index"]
        for executor, slot, info in placed:
            p = info["index"]
            y = top + lane_index[(executor, slot)] * lane_h + 5
            x = left + (info["start"] - t0) * scale
            w = max((info["end"] - info["start"]) * scale, 10)
            current = phase.kind == "map" and phase.index == p
            lit = p < revealed
            fill = partition_color(p) if lit else "#d9dee3"
            stroke, sw = (HIGHLIGHT, 4) if current else ("#ffffff", 1)
            body.append(_rect(x, y, w, lane_h - 10, fill, stroke, sw, 4))
            if w > 28:
                body.append(_text(x + w / 2, y + lane_h / 2 + 1, f"P{p + 1}", 14,
                                  "bold", color="#ffffff" if lit else INK))
            if p == last and lit:
                body.append(_text(x + w, y - 1, words("view.timeline.last"), 13, anchor="end",
                                  color="#b42318"))
        driver_y = top + len(lanes) * lane_h
        body.append(_text(left - 8, driver_y + lane_h / 2 + 6, words("view.timeline.driver"),
                          15, "bold", anchor="end"))
        bx = map_right
        box_w = (width - 20 - map_right - 14) / 2
        for n, (kind, seconds, label) in enumerate((
                ("reduce", reduce_s, words("view.timeline.reduce")),
                ("update", driver_s, words("view.timeline.update")))):
            # "reduce" here is the job's time after the last task: scheduling, the shuffle
            # stages of a deep tree and the driver's combine
            x = map_right + 8 + n * (box_w + 6)
            current = phase.kind == kind
            done = ORDER.index(phase.kind) > ORDER.index(kind) or current
            body.append(_rect(x, driver_y + 5, box_w, lane_h - 10,
                              "#52606d" if done else "#d9dee3",
                              HIGHLIGHT if current else "#ffffff", 4 if current else 1, 4))
            body.append(_text(x + box_w / 2, driver_y + lane_h / 2 + 6, label, 14,
                              color="#ffffff" if done else INK))
            body.append(_text(x + box_w / 2, driver_y + lane_h + 18, f"{1000 * seconds:.0f} ms",
                              14, color="#52606d"))
        body.append(f'<line x1="{bx:.1f}" y1="{top - 6}" x2="{bx:.1f}" '
                    f'y2="{driver_y + lane_h}" stroke="#b42318" stroke-width="3" '
                    f'stroke-dasharray="7 4"/>')
        body.append(_text(bx - 4, driver_y + lane_h + 18,
                          words("view.timeline.barrier", ms=f"{1000 * barrier:.0f}"),
                          15, "bold", anchor="end", color="#b42318"))
        body.append(_text(12, height - 10, words("view.timeline.scale"), 14, anchor="start",
                          color="#52606d"))
        return _svg(width, height, body, words("view.timeline.label"))


class ConfusionView(View):
    """Accuracy and confusion matrix of the current weights on a held-out set (numpy, driver).

    The held-out rows may arrive later (:meth:`set_data`), when they come from Spark."""

    name = "confusion"

    def __init__(self, X: np.ndarray | None = None, y: np.ndarray | None = None,
                 title: str | None = None, labels: tuple[str, str] = ("+1", "−1"),
                 width: str = "49%") -> None:
        super().__init__(svg_widget(width))
        self.title = words("view.confusion.test_set") if title is None else title
        self.labels = labels
        self._version = 0
        self.X: np.ndarray | None = None
        self.y: np.ndarray | None = None
        if X is not None and y is not None:
            self.set_data(X, y)

    def set_data(self, X: np.ndarray, y: np.ndarray) -> None:
        self.X, self.y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
        self._version += 1

    def key(self, frame: Frame) -> Hashable:
        return (frame.iteration, frame.phase.kind == "update", self._version)

    def draw(self, frame: Frame) -> str:
        if self.X is None or self.y is None:
            return (f'<div class="stepper-confusion"><div class="stepper-confusion-title">'
                    f'{html.escape(words("view.confusion.waiting", title=self.title))}'
                    '</div></div>')
        w = frame.weights()
        if w is None:
            w = np.zeros(self.X.shape[1])
        (tp, fn), (fp, tn) = confusion_matrix(self.y, predict(self.X, w), labels=(1.0, -1.0))
        accuracy = (tp + tn) / max(len(self.y), 1)
        pos, neg = self.labels

        def predicted(label: str) -> str:
            return html.escape(words("view.confusion.predicted", label=label))

        def true(label: str) -> str:
            return html.escape(words("view.confusion.true", label=label))

        cell = 'style="padding:6px 14px;border:1px solid #9aa5b1;text-align:center"'
        strong = 'style="padding:6px 14px;border:1px solid #9aa5b1;text-align:center;' \
                 'background:#dff3e4;font-weight:700"'
        return (
            '<div class="stepper-confusion"><div class="stepper-confusion-title">'
            + words("view.confusion.accuracy", title=html.escape(self.title),
                    accuracy=f"<b>{decimal(100 * accuracy, 1)} %</b>", right=tp + tn,
                    total=len(self.y)) + '</div>'
            f'<table style="border-collapse:collapse;margin-top:6px">'
            f'<tr><td {cell}></td><th {cell}>{predicted(pos)}</th>'
            f'<th {cell}>{predicted(neg)}</th></tr>'
            f'<tr><th {cell}>{true(pos)}</th><td {strong}>{tp}</td><td {cell}>{fn}</td></tr>'
            f'<tr><th {cell}>{true(neg)}</th><td {cell}>{fp}</td><td {strong}>{tn}</td></tr>'
            f'</table></div>')
