"""Lesson 4's page settings from the attendee: the address's ``?quick=1``, the typed local
steps H and penalties ρ (bad input becomes one line in the page's language), and the words of
a progress line."""

from __future__ import annotations

import os

import numpy as np

from stepper.pages import lesson4_figures, lesson4_lab
from stepper.pages.i18n import text


def quick_from_query(query: str | None = None) -> bool:
    """``?quick=1`` in the page's address (Voilà's ``$QUERY_STRING``)."""
    from urllib.parse import parse_qsl

    query = os.environ.get("QUERY_STRING", "") if query is None else query
    return any(k == "quick" and v.strip() not in ("", "0", "false")
               for k, v in parse_qsl(query.lstrip("?"), keep_blank_values=True))


def progress_word(word: str) -> str:
    """A word of a progress line in the page's language: a method's or a split's name becomes
    its label."""
    if word in lesson4_figures.COLORS:
        return lesson4_figures.label_of(word)
    if word in ("iid", "non_iid"):
        return text(f"lesson4.split.{word}")
    return word


def parse_local_steps(typed: str) -> list[int]:
    """"1, 10, 100" as local step counts H, each a whole number in the page's range; a
    ValueError with one line in the page's language otherwise."""
    low, high = lesson4_lab.LOCAL_STEPS_RANGE
    values = []
    for piece in str(typed).replace(";", ",").split(","):
        piece = piece.strip()
        if not piece:
            continue
        try:
            value = int(piece)
        except ValueError:
            raise ValueError(text("lesson4.bad_local_steps", value=piece, low=low,
                                  high=high)) from None
        if not low <= value <= high:
            raise ValueError(text("lesson4.bad_local_steps", value=piece, low=low, high=high))
        values.append(value)
    if not values or len(values) > 4:
        raise ValueError(text("lesson4.bad_count", value=typed))
    return values


def parse_rhos(typed: str) -> list[float]:
    """"0.01, 1" as penalties ρ > 0 (a decimal comma is not a separator here: use ";" or
    spaces in French); a ValueError with one line in the page's language otherwise."""
    values = []
    pieces = str(typed).replace(";", " ").replace(", ", " ").split()
    for piece in pieces:
        piece = piece.strip().rstrip(",")
        try:
            value = float(piece.replace(",", "."))
        except ValueError:
            raise ValueError(text("lesson4.bad_rho", value=piece)) from None
        if not (np.isfinite(value) and value > 0):
            raise ValueError(text("lesson4.bad_rho", value=piece))
        values.append(value)
    if not values or len(values) > 4:
        raise ValueError(text("lesson4.bad_count", value=typed))
    return values
