"""The pages' language: ``?lang=en`` (default) or ``?lang=fr``, and one catalogue per language.

Every text a page shows is looked up by key, ``text("lesson1.title")``, in the catalogue of the
page's language (:mod:`stepper.pages.strings.en`, :mod:`stepper.pages.strings.fr`: the same keys,
one dictionary each). ``text(key, **values)`` fills ``{placeholders}`` with figures the page has
just computed, so that a number in the text is always the code's. :func:`missing_strings` lists
keys one catalogue has and the other lacks; a test keeps it empty, so that a new lesson is
bilingual by construction. The views' diagrams and figures, the player's status lines and the
errors an attendee sees are looked up the same way (the engine's own errors stay English for the
command line; :func:`stepper.pages.kit.errors.attendee_line` says them in the page's language);
:func:`decimal` and :func:`localized` write numbers with the language's decimal mark. A test
(``tests/pages/test_french_pages.py``) runs every lesson in French and fails on any English
text it finds.

Voilà hands the page's query string to the kernel as ``$QUERY_STRING``; :func:`language_from_query`
reads ``lang`` there. An unknown value gives one line (in English, the fallback language) naming
the value and the choices, and the page goes on in English.
"""

from __future__ import annotations

import html as html_escape
import numbers
import os
import string
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from stepper.pages.strings import en, fr

CATALOGUES: dict[str, dict[str, str]] = {"en": en.STRINGS, "fr": fr.STRINGS}
LANGUAGES = tuple(CATALOGUES)
DEFAULT = "en"
NAMES = {"en": "EN", "fr": "FR"}

_current = DEFAULT


@dataclass(frozen=True)
class LanguageChoice:
    """The page's language, and the one line to show when ``?lang=`` asked for another."""

    code: str
    problem: str | None = None


def language_from_query(query: str | None = None) -> LanguageChoice:
    """``lang`` from ``query`` (default ``$QUERY_STRING``); unknown → English and one line."""
    if query is None:
        query = os.environ.get("QUERY_STRING", "")
    asked = None
    for key, value in parse_qsl(query.lstrip("?"), keep_blank_values=True):
        if key == "lang":
            asked = value.strip()
    if asked is None:
        return LanguageChoice(DEFAULT)
    if asked.lower() in CATALOGUES:
        return LanguageChoice(asked.lower())
    return LanguageChoice(DEFAULT, text("i18n.unknown", lang=DEFAULT, value=asked[:40],
                                        choices=", ".join(LANGUAGES)))


def use_language(code: str) -> None:
    """Make ``code`` the language :func:`text` uses when none is given (the page's language)."""
    global _current
    if code not in CATALOGUES:
        raise ValueError(f"unknown language {code!r}: one of {', '.join(LANGUAGES)}")
    _current = code


def current_language() -> str:
    """The language :func:`text` uses by default."""
    return _current


class _NumberFormatter(string.Formatter):
    """``str.format`` that writes non-integer numbers with the language's decimal mark."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def format_field(self, value: object, format_spec: str) -> str:
        written = super().format_field(value, format_spec)
        if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):
            return localized(written, self.lang)
        return written


def text(key: str, lang: str | None = None, **values: object) -> str:
    """The catalogue's text for ``key`` in ``lang`` (default: the page's), ``{names}`` filled.

    Non-integer numbers are written with the language's decimal mark (``0,693`` in French);
    integers and texts are filled as given. A key missing in ``lang`` falls back to English (a
    test keeps that from happening); a key missing everywhere is shown as ``⟨key⟩`` so that
    the page still draws.
    """
    code = lang or _current
    catalogue = CATALOGUES.get(code, CATALOGUES[DEFAULT])
    template = catalogue.get(key, CATALOGUES[DEFAULT].get(key))
    if template is None:
        return f"⟨{key}⟩"
    try:
        return _NumberFormatter(code).format(template, **values)
    except (KeyError, IndexError, ValueError):  # a figure not (yet) given: show the template
        return template


def decimal(value: float, digits: int = 1, lang: str | None = None) -> str:
    """``value`` with ``digits`` decimals as the page's language writes it (``93,5`` in French)."""
    return localized(f"{value:.{digits}f}", lang)


def localized(written: str, lang: str | None = None) -> str:
    """A number written by Python (``0.693``, ``1.2e-03``) with the page's decimal mark."""
    return written.replace(".", ",") if (lang or _current) == "fr" else written


def placeholders(template: str) -> set[str]:
    """The ``{names}`` a template expects."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template)
            if name}


def missing_strings() -> list[str]:
    """``"fr: key"`` for each key some catalogue has and ``fr`` lacks (and so on), plus keys whose
    placeholders differ between languages. Empty when the catalogues agree."""
    keys = set().union(*CATALOGUES.values())
    problems = []
    for code, catalogue in CATALOGUES.items():
        problems += [f"{code}: {key}" for key in sorted(keys - set(catalogue))]
    for key in sorted(keys):
        found = {code: placeholders(c[key]) for code, c in CATALOGUES.items() if key in c}
        if len({frozenset(v) for v in found.values()}) > 1:
            problems.append(f"placeholders differ: {key} {found}")
    return problems


def switch_query(code: str, query: str | None = None) -> str:
    """The query string (without ``?``) of this page in language ``code``, others kept."""
    if query is None:
        query = os.environ.get("QUERY_STRING", "")
    pairs = [(k, v) for k, v in parse_qsl(query.lstrip("?"), keep_blank_values=True)
             if k != "lang"]
    return urlencode([*pairs, ("lang", code)])


def switch_html(current: str, query: str | None = None) -> str:
    """``EN | FR``: the current language in bold, the other a link reloading the page in it."""
    parts = []
    for code in LANGUAGES:
        if code == current:
            parts.append(f"<b>{NAMES[code]}</b>")
        else:
            href = html_escape.escape("?" + switch_query(code, query), quote=True)
            title = html_escape.escape(text("i18n.switch_title", lang=code), quote=True)
            parts.append(f'<a class="stepper-lang" href="{href}" target="_top" title="{title}" '
                         f'hreflang="{code}">{NAMES[code]}</a>')
    return '<span class="stepper-lang-switch">' + " | ".join(parts) + "</span>"


def language_switch(current: str | None = None, query: str | None = None):  # -> widgets.HTML
    """The EN | FR switch as a widget (the page's top right)."""
    import ipywidgets as widgets

    return widgets.HTML(switch_html(current or _current, query),
                        layout=widgets.Layout(margin="0 0 0 auto"))
