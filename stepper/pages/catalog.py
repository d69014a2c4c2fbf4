"""The pages' words for each method, keyed by the method value's ``name``.

The words live in the catalogues (:mod:`stepper.pages.strings`: ``method.<name>.label`` and
``method.<name>.rule``, in every language); this module reads them.

Each registered method (:data:`stepper.algorithms.REGISTRY`) has a short label for menus and
legends and its rule in words for the narration; its rule as a formula is the value's own
``rule``. A test checks that every registered method is here, so a new method cannot reach a
page without its words.
"""

from __future__ import annotations

from stepper.algorithms import REGISTRY, Algorithm, resolve
from stepper.pages.i18n import CATALOGUES, current_language


def _words(lang: str) -> dict[str, tuple[str, str]]:
    catalogue = CATALOGUES[lang]
    names = {key.split(".")[1] for key in catalogue if key.startswith("method.")}
    return {name: (catalogue[f"method.{name}.label"], catalogue[f"method.{name}.rule"])
            for name in sorted(names)
            if f"method.{name}.label" in catalogue and f"method.{name}.rule" in catalogue}


METHOD_WORDS: dict[str, tuple[str, str]] = _words("en")
"""English label and rule in words per method (the catalogue's ``method.<name>.*`` keys)."""


def method_label(algorithm: str | Algorithm) -> str:
    """A method's label for menus and legends, in the page's language (its name if it has no
    words yet)."""
    name = algorithm if isinstance(algorithm, str) else algorithm.name
    return _words(current_language()).get(name, (name, ""))[0]


def method_rule(algorithm: str | Algorithm | None) -> str:
    """A method's update rule as a formula (from the value), or a generic one."""
    if algorithm is None or (isinstance(algorithm, str) and algorithm not in REGISTRY):
        return "w ← rule(w, ∇J)"
    return resolve(algorithm).rule


def missing_words() -> list[str]:
    """Registered methods without words in some language (a test keeps this empty)."""
    return [f"{lang}: {name}" for lang in CATALOGUES for name in REGISTRY
            if name not in _words(lang)]
