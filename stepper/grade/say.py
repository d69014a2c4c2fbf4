"""The grader's words in the attendee's language: ``say("the log is missing")``.

Every message an attendee reads (hints, failures, statuses, test names, the lines of the Check
button and of the report) is written in English in the code, as a template with ``{names}``
for the figures (``say("a factor n = {n} too large", n=5)``; literal braces are doubled,
``{{label: count}}``). The English template is also the key of the other languages'
catalogues (:mod:`stepper.grade.strings.fr`: one dictionary, English template → translation,
with the same ``{names}``), as in gettext: English needs no catalogue of its own, and the
tests stay readable. ``tests/grading/test_say.py`` reads every template the grader's code and
tests pass to :func:`say`, ``Hint``, ``fail`` or ``shape_hints`` (and every test's docstring)
and fails when one lacks its French, when a translation is no longer used, or when the
placeholders differ.

The language is the process's: :func:`use_language` sets it (the Check button from the
notebook's language, see :func:`stepper.grade.check.notebook_language`; the trusted grading
child from the notebook's metadata), or ``say(..., lang="fr")`` names it. This module imports
nothing from the pages package (the grader stays light); the pages have their own catalogues
(:mod:`stepper.pages.i18n`) with the same two languages.
"""

from __future__ import annotations

from stepper.grade.strings import fr

CATALOGUES: dict[str, dict[str, str]] = {"en": {}, "fr": fr.STRINGS}
LANGUAGES = tuple(CATALOGUES)
DEFAULT = "en"

_current = DEFAULT


def use_language(code: str) -> str:
    """Make ``code`` the language :func:`say` uses by default; return the previous one."""
    global _current
    if code not in CATALOGUES:
        raise ValueError(f"unknown language {code!r}: one of {', '.join(LANGUAGES)}")
    previous, _current = _current, code
    return previous


def current_language() -> str:
    return _current


def known(code: object) -> str | None:
    """``code`` if it names a language of the grader (any case), else None."""
    if isinstance(code, str) and code.strip().lower() in CATALOGUES:
        return code.strip().lower()
    return None


def say(template: str, lang: str | None = None, **values: object) -> str:
    """``template`` in ``lang`` (default: the current language) with ``{names}`` filled.

    A template with no translation is said in English; a translation that does not format
    (a typo in a placeholder) falls back to the English template, so a hint always shows.
    """
    translated = CATALOGUES.get(lang or _current, {}).get(template, template)
    for text in (translated, template):
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError, AttributeError):
            continue
    return template
