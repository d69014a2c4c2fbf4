"""Lesson 3's figures, drawn from the demos' result dicts (the same dicts a follower receives
through the room), as PNG bytes in the page's language."""

from __future__ import annotations

from typing import Any

from stepper.pages.i18n import text
from stepper.pages.kit.figures import localize_ticks, png
from stepper.pages.lesson3_lab import PARTS

PART_COLOURS = {"broadcast": "#8e6bbf", "scheduling": "#e07b39", "slowest": "#3b7dd8",
                "waiting": "#9ec5f0", "reduce": "#3aa06b", "driver": "#888888"}


def _figure(width: float, height: float, columns: int = 1) -> tuple[Any, list[Any]]:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="constrained")
    axes = [figure.add_subplot(1, columns, k + 1) for k in range(columns)]
    return figure, axes


def _done(figure: Any) -> bytes:
    localize_ticks(figure)
    return png(figure)


def sweep_png(result: dict[str, Any]) -> bytes:
    """Per shape, the median iteration's time per partition count, stacked by part."""
    figure, axes = _figure(11.5, 3.8, 2)
    for ax, shape in zip(axes, ("rows", "features"), strict=True):
        points = [p for p in result["points"] if p["shape"] == shape]
        labels = [str(p["partitions"]) for p in points]
        bottom = [0.0] * len(points)
        for part in PARTS:
            heights = [max(p[part], 0.0) for p in points]
            ax.bar(labels, heights, bottom=bottom, color=PART_COLOURS[part],
                   label=text(f"lesson3.part.{part}"))
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
        if points:
            ax.plot(labels, [p["total"] for p in points], color="black", marker="o",
                    label=text("lesson3.part.total"))
            ax.set_title(text(f"lesson3.shape.{shape}", rows=points[0]["rows"],
                              features=points[0]["features"]))
        ax.set_xlabel(text("lesson3.axis.partitions"))
        ax.set_ylabel(text("lesson3.axis.seconds"))
        ax.grid(alpha=0.3, axis="y")
    axes[1].legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0))  # off the bars
    return _done(figure)


def bytes_png(result: dict[str, Any]) -> bytes:
    """Bytes reaching the driver per iteration against d, one line per tree depth; the
    broadcast's bytes beside."""
    figure, (ax,) = _figure(7.0, 3.6)
    depths = sorted({row["depth"] for row in result["rows"]})
    styles = ("o-", "s--", "^:", "d-.")
    for k, depth in enumerate(depths):  # equal lines (few partitions) stay visible
        rows = [row for row in result["rows"] if row["depth"] == depth]
        ax.plot([r["features"] for r in rows], [r["to_driver"] for r in rows],
                styles[k % len(styles)], markersize=9 - 2 * k, alpha=0.85,
                label=text("lesson3.bytes.depth_line", depth=depth))
    first = [row for row in result["rows"] if row["depth"] == depths[0]] if depths else []
    ax.plot([r["features"] for r in first], [r["broadcast"] for r in first], marker="x",
            linestyle="--", color="#8e6bbf", label=text("lesson3.bytes.broadcast_line"))
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("d")
    ax.set_ylabel(text("lesson3.axis.bytes"))
    ax.set_title(text("lesson3.bytes.title", partitions=result["partitions"]))
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    return _done(figure)


def stragglers_png(result: dict[str, Any]) -> bytes:
    """The iteration's time, the largest delay drawn and the delays' makespan, against P."""
    figure, (ax,) = _figure(6.5, 3.6)
    points = result["points"]
    P = [p["partitions"] for p in points]
    for key, style in (("time", "o-"), ("largest_delay", "s--"), ("makespan", "^:")):
        ax.plot(P, [p[key] for p in points], style, label=text(f"lesson3.stragglers.{key}",
                                                               cores=result["cores"]))
    ax.set_xscale("log", base=2)
    ax.set_xlabel(text("lesson3.axis.partitions"))
    ax.set_ylabel(text("lesson3.axis.seconds"))
    ax.set_title(text("lesson3.stragglers.title"))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return _done(figure)


def async_png(result: dict[str, Any]) -> bytes:
    """J against the simulated clock and against updates, per staleness and for sync; the
    largest stable step against τ."""
    figure, axes = _figure(11.0, 3.6, 3)
    for name, curve in result["curves"].items():
        label = (text("lesson3.async.sync") if name == "sync"
                 else text("lesson3.async.tau", tau=name.split("=")[1]))
        axes[0].plot(curve["time"], curve["objective"], label=label)
        axes[1].plot(curve["updates"], curve["objective"], label=label)
    for ax, key in ((axes[0], "lesson3.axis.clock"), (axes[1], "lesson3.axis.updates")):
        ax.set_yscale("log")
        ax.set_xlabel(text(key))
        ax.set_ylabel("J(w)")
        ax.grid(alpha=0.3, which="both")
    axes[0].legend(fontsize=8)
    axes[0].set_title(text("lesson3.async.by_time"))
    axes[1].set_title(text("lesson3.async.by_updates"))
    taus = [int(t) for t in result["stable"]]
    axes[2].plot(taus, list(result["stable"].values()), "o-", color="#b35900")
    axes[2].set_xlabel("τ")
    axes[2].set_ylabel(text("lesson3.axis.stable"))
    axes[2].set_title(text("lesson3.async.stable_title"))
    axes[2].grid(alpha=0.3)
    return _done(figure)
