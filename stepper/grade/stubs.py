"""Recognize the untouched exercise stub: a function whose body only raises NotImplementedError.

Used on both sides of the grader's boundary: in the sandbox (is this attendee function still the
stub?) and in the notebook (:mod:`stepper.grade.plug`, the Check button).
"""

from __future__ import annotations

import dis
from typing import Any

STUB_OPS = {"RESUME", "NOP", "CACHE", "LOAD_GLOBAL", "LOAD_CONST", "PUSH_NULL", "PRECALL",
            "CALL", "RAISE_VARARGS", "LOAD_SMALL_INT", "LOAD_COMMON_CONSTANT", "NOT_TAKEN",
            "RETURN_CONST", "RETURN_VALUE", "CALL_FUNCTION", "LOAD_NAME"}


def is_stub(obj: Any) -> bool:
    """True for a function whose body only raises NotImplementedError (the untouched stub)."""
    code = getattr(obj, "__code__", None)
    if code is None or code.co_names != ("NotImplementedError",):
        return False
    if not any(isinstance(c, str) and c.startswith("Task ") for c in code.co_consts):
        return False
    return all(ins.opname in STUB_OPS for ins in dis.get_instructions(code))
