"""The lessons' prose from the catalogue, as widgets: sections, links, the exercise link.

A lesson notebook's text lives in :mod:`stepper.pages.strings` (one catalogue per language); a
cell shows it with ``page.section("lesson1.data")``, which renders the catalogue's Markdown
(tables included) to HTML. A text with ``{figures}`` is filled by the page once computed.
"""

from __future__ import annotations

import html
import os
from typing import Any

import mistune

from stepper.pages.i18n import (
    LanguageChoice,
    language_from_query,
    language_switch,
    text,
    use_language,
)

_MARKDOWN = mistune.create_markdown(escape=True, plugins=["table", "strikethrough", "subscript"])


def markdown_html(source: str) -> str:
    """Markdown (the catalogue's) as HTML, with tables, ~~strike~~ and subscripts (``Σ~i∈p~``);
    raw HTML in the source is escaped."""
    return str(_MARKDOWN(source))


def inline_html(source: str) -> str:
    """Inline Markdown (``**bold**``, ``*italic*``, ```code```) as HTML, without a paragraph."""
    import re

    out = html.escape(source, quote=False)
    out = re.sub(r"`([^`]+)`", r"<code>\1</code>", out)
    out = re.sub(r"\*\*([^*]+)\*\*", r"<b>\1</b>", out)
    return re.sub(r"(?<![\w*])\*([^*]+)\*(?![\w*])", r"<i>\1</i>", out)


def section_html(key: str, **values: Any) -> str:
    return f'<div class="stepper-prose">{markdown_html(text(key, **values))}</div>'


def section(key: str, **values: Any):  # -> widgets.HTML
    """The catalogue's section ``key`` as a widget (in the page's language)."""
    import ipywidgets as widgets

    box = widgets.HTML(section_html(key, **values), layout=widgets.Layout(max_width="62em"))
    box.add_class("stepper-prose")
    return box


def exercise_href(notebook: str) -> str:
    """The exercise notebook in JupyterLab on the server serving this page.

    The folder is ``$STEPPER_WORK_DIR`` when set (the image: the attendee's own folder, where the
    server copied the exercises), else ``exercises``; the base is Voilà's ``$VOILA_BASE_URL``.
    """
    base = os.environ.get("VOILA_BASE_URL", "/") or "/"
    folder = os.environ.get("STEPPER_WORK_DIR", "").strip().strip("/") or "exercises"
    return base.rstrip("/") + "/lab/tree/" + folder + "/" + notebook


def exercise_link_html(lesson: str) -> str:
    """``lesson`` is ``lesson0`` … : the link to its exercise notebook, in the page's language
    (the catalogue names it: ``fr/01_oracles.ipynb`` in French)."""
    notebook = text(f"{lesson}.exercise")
    label = text("link.exercise", name=notebook)
    return (f'<div class="stepper-exercise-link" style="font-size:17px;margin:6px 0">'
            f'<a href="{html.escape(exercise_href(notebook), quote=True)}" target="_blank" '
            f'rel="noopener" style="font-weight:600;color:#0b57d0;text-decoration:underline">'
            f"{html.escape(label)}</a></div>")


def navigation_html(links: list[tuple[str, str]]) -> str:
    """``[(catalogue key, notebook), …]`` as ``← Index · Lesson 0 · Lesson 2 →``, links kept in
    the page's language (``?lang=`` is carried over)."""
    from stepper.pages.i18n import current_language

    suffix = "?lang=fr" if current_language() == "fr" else ""
    parts = [f'<a href="{html.escape(target + suffix, quote=True)}">{html.escape(text(key))}</a>'
             for key, target in links]
    return '<div class="stepper-nav" style="font-size:17px">' + " · ".join(parts) + "</div>"


def section_markdown(key: str, **values: Any):  # -> IPython.display.Markdown
    """The catalogue's section ``key`` as a Markdown output (rendered like a notebook's own
    Markdown cell, so that the presenter layout and MathJax apply)."""
    from IPython.display import Markdown

    return Markdown(text(key, **values))


def choose_language(query: str | None = None) -> LanguageChoice:
    """Read ``?lang=`` and make it the page's language (call first, before any text)."""
    choice = language_from_query(query)
    use_language(choice.code)
    return choice


LESSON_NAV = {
    "lesson0": [("link.index", "index.ipynb"), ("link.next_lesson1", "01_gradient_methods.ipynb")],
    "lesson1": [("link.index", "index.ipynb"), ("link.lesson0", "00_spark_basics.ipynb"),
                ("link.next_lesson2", "02_distributed_gd.ipynb")],
    "lesson2": [("link.index", "index.ipynb"), ("link.lesson0", "00_spark_basics.ipynb"),
                ("link.lesson1", "01_gradient_methods.ipynb"),
                ("link.next_lesson3", "03_iteration_cost.ipynb")],
    "lesson3": [("link.index", "index.ipynb"), ("link.lesson2", "02_distributed_gd.ipynb"),
                ("link.next_lesson4", "04_fewer_rounds.ipynb")],
    "lesson4": [("link.index", "index.ipynb"), ("link.lesson2", "02_distributed_gd.ipynb"),
                ("link.lesson3", "03_iteration_cost.ipynb")],
}


def page_top(lesson: str, choice: LanguageChoice, *, subtitle: bool = True,
             objective: str = "objective.lessons"):  # -> widgets.VBox
    """A lesson's top: the EN | FR switch, the line about an unknown ``?lang=``, the title block
    (the page's presenter marker), what the page shows, the links (lessons and the exercise
    notebook) and which J the page means."""
    import ipywidgets as widgets

    from stepper.pages.kit.widgets import header

    parts: list[widgets.Widget] = [widgets.HBox([language_switch(choice.code)],
                                                layout=widgets.Layout(justify_content="flex-end"))]
    if choice.problem:
        parts.append(widgets.HTML(f'<div class="stepper-language-problem" '
                                  f'style="color:#8a5a00;font-size:16px">'
                                  f"{html.escape(choice.problem)}</div>"))
    parts.append(header(text(f"{lesson}.title"),
                        text(f"{lesson}.subtitle") if subtitle else ""))
    parts.append(widgets.HTML(section_html(f"{lesson}.intro")))
    parts.append(widgets.HTML(navigation_html(LESSON_NAV.get(lesson, []))
                              + exercise_link_html(lesson)))
    parts.append(widgets.HTML(section_html(objective)))
    box = widgets.VBox(parts)
    box.add_class("stepper-page-top")
    return box
