"""The index page: the lessons with one line each, the Spark version and the Spark UI link.

The page never starts Spark: the version is the installed PySpark's (the same jars the
lessons run), and the Spark UI exists only while a lesson that uses Spark is open.
"""

from __future__ import annotations

import os
from html import escape

import ipywidgets as widgets

from stepper.pages.i18n import current_language, language_switch, text
from stepper.pages.kit.environment import lesson_href, port_open, spark_ui_link, ui_port
from stepper.pages.kit.widgets import header
from stepper.pages.prose import choose_language, section_html

LESSONS_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "lessons")

LESSONS = [("00_spark_basics.ipynb", "lesson0"), ("01_gradient_methods.ipynb", "lesson1"),
           ("02_distributed_gd.ipynb", "lesson2"), ("03_iteration_cost.ipynb", "lesson3"),
           ("04_fewer_rounds.ipynb", "lesson4")]
"""Each lesson's notebook and its key in the catalogue (``index.<key>.title`` …)."""


def spark_version() -> str:
    """The installed PySpark's version (no JVM started)."""
    try:
        import pyspark
    except ImportError:
        return text("index.spark.not_installed")
    return pyspark.__version__


def lesson_rows(lessons_dir: str = LESSONS_DIR) -> list[dict]:
    """Each lesson with its link and whether its notebook is present."""
    suffix = "?lang=fr" if current_language() == "fr" else ""
    return [{"file": name, "title": text(f"index.{key}.title"), "text": text(f"index.{key}.text"),
             "note": text(f"index.{key}.note"), "href": lesson_href(name) + suffix,
             "present": os.path.exists(os.path.join(lessons_dir, name))}
            for name, key in LESSONS]


def index_html(lessons_dir: str = LESSONS_DIR) -> str:
    items = []
    for row in lesson_rows(lessons_dir):
        if row["present"]:
            title = (f"<a href='{escape(row['href'])}' style='font-size:22px;font-weight:600;"
                     "color:#0b57d0;text-decoration:underline'>"
                     f"{escape(row['title'])}</a>")
        else:
            title = (f"<span style='font-size:22px;font-weight:600;color:#777'>"
                     f"{escape(row['title'])}</span> <i>{escape(text('index.not_available'))}</i>")
        items.append(
            f"<li style='margin:0 0 16px 0'>{title} "
            f"<span style='color:#555;font-size:15px'>· {escape(row['note'])}</span>"
            f"<div style='font-size:17px;max-width:60em'>{escape(row['text'])}</div></li>")
    return f"<ul style='list-style:none;padding-left:0'>{''.join(items)}</ul>"


def spark_html() -> str:
    port = ui_port()
    running = port_open(port)
    state = (f"<b style='color:#1e7e34'>{escape(text('index.spark.running'))}</b>" if running
             else escape(text("index.spark.stopped")))
    return ("<div style='font-size:17px;line-height:1.7'>"
            + text("index.spark.version", version=f"<b>{escape(spark_version())}</b>",
                   variable="<code>STEPPER_MASTER</code>")
            + f"<br>{escape(text('index.spark.ui'))} {spark_ui_link(port)} — {state}</div>")


def exercises_html() -> str:
    """The link to the exercises in JupyterLab, served by the same Jupyter server.

    The folder is ``$STEPPER_WORK_DIR`` when set (the image: the attendee's mounted folder, where
    the server copied the exercises), else ``exercises``; its ``fr/`` sub-folder (the French
    notebooks) when the page is in French."""
    from stepper.pages.i18n import current_language

    base = os.environ.get("VOILA_BASE_URL", "/") or "/"
    folder = os.environ.get("STEPPER_WORK_DIR", "").strip().strip("/") or "exercises"
    if current_language() == "fr":
        folder += "/fr"
    href = base.rstrip("/") + "/lab/tree/" + folder
    link = (f"<a href='{escape(href)}' target='_blank' rel='noopener' "
            f"style='font-weight:600;color:#0b57d0;text-decoration:underline'>"
            f"{escape(text('index.exercises.open', folder=folder))}</a>")
    return ("<div style='font-size:17px;line-height:1.7'>"
            + text("index.exercises.text", link=link, check="<b>Check</b>",
                   cell="<code>check(\"N.M\")</code>") + "</div>")


def index_page() -> widgets.Widget:
    """The whole index page as one widget, in the language of ``?lang=``; it credits the
    original workshop."""
    choice = choose_language()
    refresh = widgets.Button(description=text("index.check_again"),
                             layout=widgets.Layout(width="16em"))
    spark = widgets.HTML(spark_html())

    def again(_button) -> None:
        try:
            spark.value = spark_html()
        except Exception as exc:  # keep the page working whatever happens
            spark.value = f"<div class='stepper-error'>{escape(str(exc))}</div>"

    refresh.on_click(again)
    problem = ([widgets.HTML(f"<div class='stepper-language-problem' style='color:#8a5a00'>"
                             f"{escape(choice.problem)}</div>")] if choice.problem else [])
    return widgets.VBox([
        widgets.HBox([language_switch(choice.code)],
                     layout=widgets.Layout(justify_content="flex-end")),
        *problem,
        header(text("index.title"), text("index.subtitle")),
        widgets.HTML(section_html("index.intro")),
        widgets.HTML(index_html()),
        widgets.HTML(f"<h2 style='margin:8px 0'>{escape(text('index.exercises'))}</h2>"),
        widgets.HTML(exercises_html()),
        widgets.HTML(f"<h2 style='margin:8px 0'>{escape(text('index.spark'))}</h2>"),
        spark,
        refresh,
        widgets.HTML(f"<h2 style='margin:8px 0'>{escape(text('index.credit_title'))}</h2>"),
        widgets.HTML(section_html("index.credit")),
    ])
