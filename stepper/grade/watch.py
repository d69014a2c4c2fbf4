"""What the attendee's code was seen trying, noticed on the sandbox side for the instructor.

Nothing here protects anything: the comparisons, the references and the scores live on the
trusted side, out of the sandbox's reach, so a patched ``numpy.allclose`` or a read of the
solutions changes nothing. The watcher only *notices* such attempts, so the report can flag them
beside the honest score:

- its private disk (the sandbox's tmpfs) filled past 80 %;
- a read or a listing of a path that holds what grades (an audit hook on ``open``,
  ``os.listdir`` and ``os.scandir``; audit hooks cannot be removed from Python code);
- a checking function replaced (``numpy.allclose``, ``math.isclose``, …) or a module of the
  grading side imported or changed (``stepper.grade.reference``, the plugin, pytest, …),
  compared with a snapshot taken before the attendee's code ran.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

FORBIDDEN_PARTS = ("/solutions", "/exercise_sources", "/hidden_tests", "/grade/tests",
                   "/grade/reference.py", "/grade/diagnose.py", "/grade/plugin.py")
WATCHED = (("numpy", "allclose"), ("numpy", "isclose"), ("numpy", "array_equal"),
           ("numpy.testing", "assert_allclose"), ("numpy.testing", "assert_array_equal"),
           ("numpy.testing", "assert_almost_equal"), ("math", "isclose"),
           ("builtins", "isinstance"), ("builtins", "float"), ("builtins", "abs"))
GRADER_PREFIXES = ("stepper.grade.reference", "stepper.grade.diagnose", "stepper.grade.plugin",
                   "stepper.grade.api", "stepper.grade.catalog", "stepper.grade.remote",
                   "stepper.grade.child", "stepper.grade.runner", "stepper.grade.wire",
                   "stepper.grade.tests", "stepper.grade.hidden_tests", "pytest", "_pytest")

# Modules that an honest notebook never imports (the others may come in with stepper.grade).
SECRET_PREFIXES = ("stepper.grade.tests", "stepper.grade.hidden_tests", "stepper.grade.plugin",
                   "stepper.grade.runner", "stepper.grade.child", "stepper.grade.remote",
                   "pytest", "_pytest")


def _snapshot_functions() -> dict[str, int]:
    ids = {}
    for module_name, name in WATCHED:
        try:
            ids[f"{module_name}.{name}"] = id(getattr(importlib.import_module(module_name), name))
        except (ImportError, AttributeError):
            continue
    return ids


def _grader_modules() -> dict[str, dict[str, int]]:
    return {name: {key: id(value) for key, value in vars(module).items()}
            for name, module in list(sys.modules.items())
            if module is not None and name.startswith(GRADER_PREFIXES)}


class Watcher:
    """Collects what was seen; :meth:`seen` returns the new observations once each."""

    def __init__(self, disk: str = "/tmp") -> None:
        self.disk = disk  # the sandbox's only writable place (a private tmpfs under the jail)
        self._new: list[str] = []
        self._said: set[str] = set()
        self._functions = _snapshot_functions()
        self._modules = _grader_modules()
        sys.addaudithook(self._audit)

    def _note(self, text: str) -> None:
        if text not in self._said:
            self._said.add(text)
            self._new.append(text)

    def _audit(self, event: str, args: tuple[Any, ...]) -> None:
        if event not in ("open", "os.listdir", "os.scandir") or not args:
            return
        path = args[0]
        if isinstance(path, bytes):
            path = path.decode(errors="replace")
        if isinstance(path, str) and any(part in path for part in FORBIDDEN_PARTS):
            self._note(f"tried to read a forbidden path: {os.path.basename(path) or path}")

    def check(self) -> None:
        """Compare the watched functions and grader modules with the snapshot, and look at how
        full the private disk is."""
        self._check_disk()
        for qualified, before in self._functions.items():
            module_name, _, name = qualified.rpartition(".")
            module = sys.modules.get(module_name)
            if module is not None and id(getattr(module, name, None)) != before:
                self._note(f"patched {qualified}")
        for name, module in list(sys.modules.items()):
            if module is None or not name.startswith(GRADER_PREFIXES):
                continue
            known = self._modules.get(name)
            if known is None and name.startswith(SECRET_PREFIXES):
                self._note(f"imported the grader's module {name}")
            if known is None:
                self._modules[name] = {k: id(v) for k, v in vars(module).items()}
            elif {k: id(v) for k, v in vars(module).items()} != known:
                self._note(f"patched the grader's module {name}")

    def _check_disk(self) -> None:
        try:
            disk = os.statvfs(self.disk)
        except OSError:
            return
        total = disk.f_blocks * disk.f_frsize
        used = total - disk.f_bfree * disk.f_frsize
        if 0 < total <= 2**31 and used > 0.8 * total:  # the small private tmpfs only
            self._note(f"filled its private disk ({used // 2**20} of {total // 2**20} MB: the "
                       "disk limit)")

    def seen(self) -> list[str]:
        self.check()
        new, self._new = self._new, []
        return new
