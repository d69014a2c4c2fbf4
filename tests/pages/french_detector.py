"""Finding English in a French page: every text an attendee can see (widget descriptions,
tooltips, options, HTML text and its titles, Markdown, matplotlib texts), and a test of each
text against the English catalogue and a list of English-only words. Used by the French page
tests (``tests/pages/test_french_pages.py``) and by the room's (a follower's page)."""

from __future__ import annotations

import re
import string
from html.parser import HTMLParser

import ipywidgets as widgets
import matplotlib.text
from matplotlib.figure import Figure

from stepper.pages.strings import en, fr

ENGLISH_WORDS = re.compile(
    r"\b(the|of|and|per|each|with|from|once|appears|loss|task|tasks|last|barrier|level|depth|"
    r"predicted|true|accuracy|arrows|standardized|data|boundary|starts|next|holds|"
    r"computing|loading|starting|queued|link|state|step|steps|iteration|something|went|wrong|"
    r"still|works|press|update|scale|rows|training|labelled|test set|log scale|partial sums|"
    r"ignored|not valid|failed|driver's|fast|fastest|slow|in|yes|no|row|method|methods|"
    r"measured|noisy|online|order|values|here|is|are|to|by|for|at|it|this|that|"
    r"which|than|vs|differences|eigenvalues|memory|time|precision reached|label|labels|"
    r"run|runs|shows|show|click|wait|waiting|preparing|please|try|again|seconds|mean|std)\b",
    re.IGNORECASE)
"""Words that are English only (French pages keep 'driver', 'map', 'reduce', 'broadcast')."""

TECHNICAL = re.compile(r"[=?/&_]")  # a URL, a parameter, a file or a Python name: not prose


class _Texts(HTMLParser):
    """The text of an HTML fragment and the attributes a reader sees (title, alt, aria-label),
    without code (``pre``, ``code``), scripts and styles."""

    SKIPPED = frozenset({"script", "style", "pre", "code"})

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self._skip += 1
        if dict(attrs).get("hreflang"):  # the language switch speaks the other language
            return
        for name, value in attrs:
            if name in ("title", "alt", "aria-label", "placeholder") and value:
                self.found.append(value)

    def handle_endtag(self, tag):
        if tag in self.SKIPPED and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.found.append(data.strip())


def html_texts(value: str) -> list[str]:
    parser = _Texts()
    parser.feed(value)
    return parser.found


def markdown_texts(value: str) -> list[str]:
    value = re.sub(r"```.*?```", " ", value, flags=re.DOTALL)
    value = re.sub(r"`[^`]*`", " ", value)
    return html_texts(value)


def figure_texts(figure: Figure) -> list[str]:
    return [t.get_text() for t in figure.findobj(matplotlib.text.Text) if t.get_text().strip()]


def read_saved_figures(monkeypatch) -> list[str]:
    """A list that fills with the texts of every whole figure saved (as a page saves its PNGs)
    while ``monkeypatch`` is active."""
    saved: list[str] = []
    savefig = Figure.savefig

    def reading_savefig(self, *args, **kwargs):
        saved.extend(figure_texts(self))
        return savefig(self, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", reading_savefig)
    return saved


def widget_texts(widget) -> list[str]:
    """Every text ``widget`` and its children show (PNG figures aside: see the figures)."""
    out: list[str] = []
    seen: set[int] = set()

    def walk(w) -> None:
        if id(w) in seen:
            return
        seen.add(id(w))
        for attr in ("description", "tooltip", "placeholder"):
            value = getattr(w, attr, None)
            if isinstance(value, str) and value.strip():
                out.append(value)
        if isinstance(w, (widgets.HTML, widgets.HTMLMath, widgets.Label)):
            out.extend(html_texts(w.value))
        out.extend(str(label) for label in getattr(w, "_options_labels", ()))
        if isinstance(w, widgets.Output):
            for item in w.outputs:
                data = item.get("data", {})
                out.extend(html_texts(data.get("text/html", "")))
                out.extend(markdown_texts(data.get("text/markdown", "")))
        for child in getattr(w, "children", ()):
            walk(child)

    walk(widget)
    return out


def shown_texts(value) -> list[str]:
    """The texts of what a notebook cell displays."""
    if isinstance(value, widgets.Widget):
        return widget_texts(value)
    widget = getattr(value, "widget", None)  # a LessonApp, a Question
    if isinstance(widget, widgets.Widget):
        return widget_texts(widget)
    data = getattr(value, "data", None)  # IPython.display.Markdown / HTML
    if isinstance(data, str):
        return markdown_texts(data)
    return []


def _template_pattern(template: str) -> re.Pattern | None:
    """A regular expression matching ``template`` filled with any figures."""
    parts, literal = [], 0
    for text, name, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(text))
        literal += len(text.strip())
        if name is not None:
            parts.append(".+?")
    if literal < 4:
        return None
    return re.compile("".join(parts))


ENGLISH_TEMPLATES = [(key, pattern) for key in en.STRINGS
                     if en.STRINGS[key] != fr.STRINGS.get(key)
                     and not en.STRINGS[key].endswith(".ipynb")  # a file name, not prose
                     and (pattern := _template_pattern(en.STRINGS[key])) is not None]
FRENCH_VALUES = set(fr.STRINGS.values())


def english_in(texts: list[str]) -> list[str]:
    """``text  ← reason`` for each text that is English."""
    problems = []
    for text in dict.fromkeys(t.strip() for t in texts if t.strip()):
        prose = " ".join(token for token in text.split() if not TECHNICAL.search(token))
        word = ENGLISH_WORDS.search(prose)
        if word:
            problems.append(f"{text[:120]!r}  ← English word {word.group(0)!r}")
            continue
        if text in FRENCH_VALUES:
            continue
        for key, pattern in ENGLISH_TEMPLATES:
            if pattern.fullmatch(text) or (len(pattern.pattern) > 24 and pattern.search(text)):
                problems.append(f"{text[:120]!r}  ← en.{key}")
                break
    return problems


def app_texts(app) -> list[str]:
    """The app's widgets and its views' figures (titles, labels, legends, annotations)."""
    out = widget_texts(app.widget)
    for view in app.views:
        figure = getattr(getattr(view, "figure", None), "figure", None)
        if isinstance(figure, Figure):
            out += figure_texts(figure)
    return out
