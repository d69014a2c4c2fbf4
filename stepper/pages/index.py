"""The index page: the lessons with one line each, the Spark version and the Spark UI link.

The page never starts Spark: the version is the installed PySpark's (the same jars the
lessons run), and the Spark UI exists only while a lesson that uses Spark is open.
"""

from __future__ import annotations

import os
from html import escape

import ipywidgets as widgets

from stepper.pages.kit.environment import lesson_href, port_open, spark_ui_link, ui_port
from stepper.pages.kit.widgets import header

LESSONS_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "lessons")

LESSONS = [
    ("00_spark_basics.ipynb", "0. The environment and Spark basics",
     "Spark on this machine and its UI; the churn data: transformations versus actions, count, "
     "filter, map, the share of churners, standardization by map + reduce, a seeded split.",
     "starts Spark (about 10 s)"),
    ("01_gradient_methods.ipynb", "1. Gradient algorithms on one machine",
     "The logistic loss and its oracles, Newton, gradient descent with 1/L, momentum, Nesterov, "
     "ridge, lasso, elastic net, SGD and mini-batch, the learning rate, decision boundary and "
     "confusion matrix — step by step.", "numpy only, no Spark"),
    ("02_distributed_gd.ipynb", "2. Distributed gradient descent, step by step",
     "One iteration of map-reduce on Spark, phase by phase: broadcast, per-partition "
     "gradients, the reduce tree, the barrier; partitions, tree depth, mini-batch sampling; "
     "accuracy on the churn data.", "starts Spark (about 10 s)"),
]


def spark_version() -> str:
    """The installed PySpark's version (no JVM started)."""
    try:
        import pyspark
    except ImportError:
        return "not installed"
    return pyspark.__version__


def lesson_rows(lessons_dir: str = LESSONS_DIR) -> list[dict]:
    """Each lesson with its link and whether its notebook is present."""
    return [{"file": name, "title": title, "text": text, "note": note,
             "href": lesson_href(name), "present": os.path.exists(os.path.join(lessons_dir, name))}
            for name, title, text, note in LESSONS]


def index_html(lessons_dir: str = LESSONS_DIR) -> str:
    items = []
    for row in lesson_rows(lessons_dir):
        if row["present"]:
            title = (f"<a href='{escape(row['href'])}' style='font-size:22px;font-weight:600;"
                     "color:#0b57d0;text-decoration:underline'>"
                     f"{escape(row['title'])}</a>")
        else:
            title = (f"<span style='font-size:22px;font-weight:600;color:#777'>"
                     f"{escape(row['title'])}</span> <i>(not available yet)</i>")
        items.append(
            f"<li style='margin:0 0 16px 0'>{title} "
            f"<span style='color:#555;font-size:15px'>· {escape(row['note'])}</span>"
            f"<div style='font-size:17px;max-width:60em'>{escape(row['text'])}</div></li>")
    return f"<ul style='list-style:none;padding-left:0'>{''.join(items)}</ul>"


def spark_html() -> str:
    port = ui_port()
    running = port_open(port)
    state = ("<b style='color:#1e7e34'>running now</b>" if running else
             "not running now: it starts with a lesson that uses Spark (0 or 2); a second "
             "lesson open at the same time gets the next port (4041, …)")
    return (f"<div style='font-size:17px;line-height:1.7'>Spark <b>{escape(spark_version())}"
            f"</b> (PySpark, local mode unless <code>STEPPER_MASTER</code> says otherwise)<br>"
            f"Spark UI: {spark_ui_link(port)} — {state}</div>")


def exercises_html() -> str:
    """The link to the exercises in JupyterLab, served by the same Jupyter server.

    The folder is ``$STEPPER_WORK_DIR`` when set (the image: the attendee's mounted folder, where
    the server copied the exercises), else ``exercises``."""
    base = os.environ.get("VOILA_BASE_URL", "/") or "/"
    folder = os.environ.get("STEPPER_WORK_DIR", "").strip().strip("/") or "exercises"
    href = base.rstrip("/") + "/lab/tree/" + folder
    return (f"<div style='font-size:17px;line-height:1.7'>The exercises, editable in JupyterLab: "
            f"<a href='{escape(href)}' target='_blank' rel='noopener' "
            f"style='font-weight:600;color:#0b57d0;text-decoration:underline'>"
            f"open {escape(folder)}/ in JupyterLab</a>. Your notebooks are saved in that "
            f"folder; each task's <b>Check</b> button (or <code>check(\"N.M\")</code> cell) "
            f"gives its points.</div>")


def index_page() -> widgets.Widget:
    """The whole index page as one widget."""
    refresh = widgets.Button(description="Check the Spark UI again",
                             layout=widgets.Layout(width="16em"))
    spark = widgets.HTML(spark_html())

    def again(_button) -> None:
        try:
            spark.value = spark_html()
        except Exception as exc:  # keep the page working whatever happens
            spark.value = f"<div class='stepper-error'>{escape(str(exc))}</div>"

    refresh.on_click(again)
    return widgets.VBox([
        header("Distributed optimization with Apache Spark, step by step",
               "Take the optimizers that fit a model out of their black box — first on one "
               "machine, then on a cluster."),
        widgets.HTML(index_html()),
        widgets.HTML("<h2 style='margin:8px 0'>Exercises</h2>"),
        widgets.HTML(exercises_html()),
        widgets.HTML("<h2 style='margin:8px 0'>Spark</h2>"),
        spark,
        refresh,
    ])
