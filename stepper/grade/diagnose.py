"""Compare an attendee's value with the expected one, and name the likely mistake.

``expect_close(actual, expected, hints=[...])`` passes when ``actual ≈ expected`` (elementwise
``|a − e| ≤ atol + rtol·|e|``). Otherwise it looks for the known-wrong variant that ``actual``
matches — a :class:`Hint` pairs such a variant with the mistake it reveals — and fails with that
mistake named, the expected and actual values, and the small example they came from. A few
generic variants are always tried: the sign flipped, a factor n too many or too few (sum versus
mean, a missing 1/n) when ``n`` is given, a transposed matrix.

Messages are English templates said in the attendee's language (:mod:`stepper.grade.say`):
a hint's message is a template, its figures go in ``Hint(value, "… n = {n} …", {"n": n})``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from stepper.grade.say import say


class GradeFailure(AssertionError):  # noqa: N818 (a failed test, not an error)
    """A wrong answer: the message is the feedback shown to the attendee as it is."""


@dataclass(frozen=True)
class Hint:
    """A known-wrong value and the mistake that produces it (a template, with its figures)."""

    value: Any
    message: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        """The message in the current language."""
        return say(self.message, **self.values)


def fmt(value: Any, precision: int = 5) -> str:
    """A short, readable rendering of a number or an array."""
    if isinstance(value, np.ndarray) or (isinstance(value, (list, tuple)) and value and all(
        isinstance(v, (int, float, np.number)) for v in value
    )):
        text = np.array2string(np.asarray(value, dtype=float), precision=precision,
                               suppress_small=True, separator=", ", max_line_width=88)
        return text if len(text) < 600 else text[:600] + " …"
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.{precision + 1}g}"
    text = repr(value)
    return text if len(text) < 300 else text[:300] + " …"


def _as_array(value: Any) -> np.ndarray | None:
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return array


def _close(a: np.ndarray, b: Any, rtol: float, atol: float) -> bool:
    b = _as_array(b)
    if b is None or a.shape != b.shape:
        return False
    return bool(np.all(np.isfinite(a) == np.isfinite(b)) and np.allclose(a, b, rtol, atol))


def _generic(expected: np.ndarray, n: int | None) -> list[Hint]:
    hints = []
    if np.any(expected != 0):
        hints.append(Hint(-expected, "the sign is flipped (check the minus sign in front of "
                                      "the sum / the direction of the step)"))
    if n and n > 1:
        hints.append(Hint(expected * n, "a factor n = {n} too large: you summed where a mean "
                                        "is expected (a missing 1/n)", {"n": n}))
        hints.append(Hint(expected / n, "a factor n = {n} too small: you averaged where a sum "
                                        "is expected (an extra 1/n)", {"n": n}))
    if expected.ndim == 2 and (expected.shape[0] != expected.shape[1]
                               or not np.allclose(expected, expected.T)):
        hints.append(Hint(expected.T, "the result is transposed (wrong axis)"))
    return hints


def _report(what: str, mistake: str | None, expected: Any, actual: Any, example: str | None,
            extra: str = "") -> str:
    lines = [say("{what} is wrong: likely mistake — {mistake}.", what=what, mistake=mistake)
             if mistake else say("{what} is wrong.", what=what)]
    if extra:
        lines.append(extra)
    lines.append(say("  expected: {value}", value=fmt(expected)))
    lines.append(say("  actual:   {value}", value=fmt(actual)))
    if example:
        lines.append(say("  on the example: {example}", example=example))
    return "\n".join(lines)


def expect_close(
    actual: Any,
    expected: Any,
    *,
    hints: Iterable[Hint] = (),
    n: int | None = None,
    shape_hints: dict[tuple[int, ...], str] | None = None,
    rtol: float = 1e-6,
    atol: float = 1e-8,
    what: str = "the result",
    example: str | None = None,
) -> None:
    """Pass if ``actual ≈ expected``; otherwise raise :class:`GradeFailure` naming the mistake.

    ``hints`` are tried first (in order), then the generic variants (sign, factor ``n``,
    transposition). Shapes are compared before values: a shape that matches a hint's variant
    names that mistake, ``shape_hints`` maps other wrong shapes to their mistake (``{(n,): "wrong
    axis"}``, templates too), and any other wrong shape is reported as such.
    """
    hints = list(hints)
    if actual is None:
        raise GradeFailure(say("{what} is None: did you forget `return`?", what=what))
    exp = np.asarray(expected, dtype=float)
    act = _as_array(actual)
    if act is None:
        raise GradeFailure(say("{what} should be numbers shaped {shape}, got {kind}: {value}",
                               what=what, shape=exp.shape, kind=type(actual).__name__,
                               value=fmt(actual)))
    if _close(act, exp, rtol, atol):
        return
    if act.shape == exp.shape and not np.all(np.isfinite(act)) and np.all(np.isfinite(exp)):
        raise GradeFailure(_report(what, say("an overflow (inf or nan): use the stable forms "
                                             "np.logaddexp(0, -m) and the sigmoid provided"),
                                   exp, act, example))
    for hint in [*hints, *_generic(exp, n)]:
        if _close(act, hint.value, rtol, atol):
            raise GradeFailure(_report(what, hint.text(), exp, act, example))
    shape = say("  shape: expected {expected}, got {actual}", expected=exp.shape,
                actual=act.shape)
    if act.shape != exp.shape and shape_hints and act.shape in shape_hints:
        raise GradeFailure(_report(what, say(shape_hints[act.shape]), exp, act, example, shape))
    if act.shape != exp.shape:
        squeezable = act.size == exp.size
        extra = (shape + say(" (same numbers, wrong shape: check the axis / use .ravel())")
                 if squeezable and np.allclose(act.ravel(), exp.ravel(), rtol, atol) else shape)
        raise GradeFailure(_report(what, say("the shape is wrong"), exp, act, example, extra))
    diff = float(np.max(np.abs(act - exp))) if act.size else 0.0
    raise GradeFailure(_report(what, None, exp, act, example,
                               say("  largest difference: {diff} (tolerance {rtol} relative)",
                                   diff=f"{diff:.3g}", rtol=f"{rtol:g}")))


def expect_equal(actual: Any, expected: Any, *, hints: Sequence[Hint] = (),
                 what: str = "the result", example: str | None = None) -> None:
    """Pass if ``actual == expected`` exactly (counts, dicts, ids); else name the mistake."""
    if actual == expected:
        return
    for hint in hints:
        if actual == hint.value:
            raise GradeFailure(_report(what, hint.text(), expected, actual, example))
    if actual is None:
        raise GradeFailure(say("{what} is None: did you forget `return`?", what=what))
    raise GradeFailure(_report(what, None, expected, actual, example))


def fail(message: str, **values: Any) -> None:
    """Fail the current test with the template ``message`` (``{names}`` filled from
    ``values``), said in the attendee's language, as the attendee's feedback."""
    raise GradeFailure(say(message, **values))
