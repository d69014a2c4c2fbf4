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

from stepper.pages.i18n import text

_MARKDOWN = mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])


def markdown_html(source: str) -> str:
    """Markdown (the catalogue's) as HTML; raw HTML in the source is escaped."""
    return str(_MARKDOWN(source))


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
    """``lesson`` is ``lesson0`` … : the link to its exercise notebook."""
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
