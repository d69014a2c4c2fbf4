"""Page state carried by the URL: ``?present=1&algorithm=momentum&lr=0.5&partitions=8&seed=3``.

``penalty`` names a lesson's regularization choice (lesson 1: ``none``, ``ridge``, ``lasso``,
``elastic net``); the lesson checks the name and reports one it does not know.

Voilà hands the page's query string to the kernel it starts, as the environment variable
``QUERY_STRING``. :func:`read_state` turns it into a :class:`PageState`; :func:`state_query`
writes one back, so that a link opens the same state. Unknown keys are ignored and bad values
are reported (``PageState.problems``) instead of breaking the page.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any
from urllib.parse import parse_qsl, urlencode

from stepper.algorithms import ALGORITHMS, STEP_RULES
from stepper.pages.i18n import text as words

TRUE_WORDS = ("1", "true", "yes", "on")


@dataclass
class PageState:
    """What a URL may set. ``None`` means "the lesson's default"."""

    present: bool = False
    lang: str | None = None  # the page's language (stepper.pages.i18n checks the value)
    algorithm: str | None = None
    penalty: str | None = None
    lr: float | str | None = None
    partitions: int | None = None
    depth: int | None = None
    seed: int | None = None
    iteration: int | None = None
    fail_on_step: int | None = None
    problems: list[str] = field(default_factory=list)

    def settings(self) -> dict:
        """The run settings this state fixes (only those given)."""
        out = {}
        for name in ("algorithm", "lr", "depth", "seed"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        return out


def _lr(text: str) -> float | str:
    if text in STEP_RULES:
        return text
    value = float(text)
    if not value > 0:
        raise ValueError("must be positive")
    return value


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError("must be at least 1")
    return value


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise ValueError("must be at least 0")
    return value


def _algorithm(text: str) -> str:
    if text not in ALGORITHMS:
        raise ValueError(f"one of {', '.join(ALGORITHMS)}")
    return text


def _penalty(text: str) -> str:
    if not text or len(text) > 40 or not all(c.isalnum() or c in " -_" for c in text):
        raise ValueError("a penalty name such as ridge or lasso")
    return text


REASONS = {"algorithm": "url.reason.algorithm", "penalty": "url.reason.penalty",
           "lr": "url.reason.lr", "partitions": "url.reason.positive",
           "depth": "url.reason.positive", "fail_on_step": "url.reason.positive",
           "seed": "url.reason.non_negative", "iteration": "url.reason.non_negative"}
"""What each setting accepts, as a catalogue key (the page says why a value was ignored)."""

PARSERS = {
    "present": lambda text: text.lower() in TRUE_WORDS,
    "lang": lambda text: text.lower()[:40],
    "algorithm": _algorithm,
    "penalty": _penalty,
    "lr": _lr,
    "partitions": _positive_int,
    "depth": _positive_int,
    "seed": _non_negative_int,
    "iteration": _non_negative_int,
    "fail_on_step": _positive_int,
}


def read_query(target: Any, parsers: Mapping[str, Callable[[str], Any]], query: str | None,
               problem: Callable[[str, str, ValueError], str]) -> None:
    """Set ``target.<key>`` to ``parsers[key](value)`` for each ``key=value`` of ``query``
    (default ``$QUERY_STRING``, set by Voilà) that has a parser; a value its parser refuses
    (ValueError) is left out, and ``problem(key, value, error)``, one line, goes to
    ``target.problems``."""
    if query is None:
        query = os.environ.get("QUERY_STRING", "")
    for key, value in parse_qsl(query.lstrip("?"), keep_blank_values=True):
        parser = parsers.get(key)
        if parser is None:
            continue
        try:
            setattr(target, key, parser(value.strip()))
        except ValueError as exc:
            target.problems.append(problem(key, value, exc))


def read_state(query: str | None = None) -> PageState:
    """Parse ``query`` (default: ``$QUERY_STRING``, set by Voilà) into a :class:`PageState`."""
    def problem(key: str, value: str, exc: ValueError) -> str:
        reason = (words(REASONS[key], choices=", ".join(ALGORITHMS),
                        rules=", ".join(STEP_RULES)) if key in REASONS else str(exc))
        return words("error.url_setting", setting=key, value=value, reason=reason)

    state = PageState()
    read_query(state, PARSERS, query, problem)
    return state


def state_query(state: PageState) -> str:
    """The query string (without ``?``) that reproduces ``state``."""
    pairs = []
    for item in fields(state):
        value = getattr(state, item.name)
        if item.name == "problems" or value is None or value is False:
            continue
        pairs.append((item.name, "1" if value is True else str(value)))
    return urlencode(pairs)


def presenting(query: str | None = None) -> bool:
    """Whether the page address asks for the projector layout (``?present=1``)."""
    return read_state(query).present
