"""Lesson 0's glossary card: the words of Spark, and the Spark UI's view of one real job.

The picture is ``assets/spark_ui_job.png``, made by ``tools/spark_ui_screenshot.py`` (a ``count``
of the churn file over 4 partitions: one job, one stage, four tasks).
"""

from __future__ import annotations

import os

from stepper.pages.i18n import text
from stepper.pages.prose import markdown_html

TERMS = ("partition", "executor", "task", "stage", "job", "driver", "shuffle", "broadcast")
PICTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "assets", "spark_ui_job.png")
PICTURE_PARTITIONS = 4  # what tools/spark_ui_screenshot.py runs by default


def glossary_html() -> str:
    """The terms, one line each, in the page's language."""
    items = "".join(f"<li>{markdown_html(text(f'lesson0.glossary.{term}')).strip()}</li>"
                    for term in TERMS)
    return (f'<div class="stepper-glossary">{markdown_html(text("lesson0.glossary.title"))}'
            f'<ul style="font-size:17px;line-height:1.5">{items}</ul></div>')


def glossary_card():  # -> widgets.Widget
    """The glossary and the Spark UI picture (or one line saying how to make it)."""
    import ipywidgets as widgets

    parts: list[widgets.Widget] = [widgets.HTML(glossary_html())]
    if os.path.exists(PICTURE):
        with open(PICTURE, "rb") as handle:
            parts.append(widgets.Image(value=handle.read(), format="png",
                                       layout=widgets.Layout(max_width="900px",
                                                             border="1px solid #c8d1dc")))
        caption = text("lesson0.glossary.caption", partitions=PICTURE_PARTITIONS)
    else:
        caption = text("lesson0.glossary.no_picture")
    parts.append(widgets.HTML(f'<div style="font-size:15px;color:#444">'
                              f"{markdown_html(caption)}</div>"))
    card = widgets.VBox(parts, layout=widgets.Layout(padding="4px 0"))
    card.add_class("stepper-glossary-card")
    return card
