"""The pages package has no import cycle: every module imports first, on its own.

An import cycle shows up only for some import orders (the module imported first decides who
sees a half-initialized module). So each module of ``stepper.pages`` is imported as the first
of the package in a fresh set of ``stepper`` modules (third-party libraries stay loaded, which
keeps the check quick); and the lower layers never import the upper ones.
"""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import stepper.pages

PACKAGE = Path(stepper.pages.__file__).parent

CHECK = """
import importlib, sys, traceback
failed = []
for name in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m == "stepper" or m.startswith("stepper.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception:
        failed.append(name + ": " + traceback.format_exc().splitlines()[-1])
print("\\n".join(failed))
sys.exit(1 if failed else 0)
"""


def page_modules() -> list[str]:
    names = ["stepper.pages"]
    for info in pkgutil.walk_packages([str(PACKAGE)], prefix="stepper.pages."):
        names.append(info.name)
    return names


def test_every_page_module_imports_first_in_a_fresh_interpreter():
    modules = page_modules()
    assert {"stepper.pages.kit.app", "stepper.pages.views.base", "stepper.pages.lesson2",
            "stepper.pages.index"} <= set(modules)
    done = subprocess.run([sys.executable, "-c", CHECK, *modules], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_layers_import_downwards_only():
    """The kit, the views, the phases and the catalogue never import a lesson; in the kit, only
    the app (which lays the views out) imports the views."""
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).as_posix()
        imported = {name for name in imported_modules(path) if name.startswith("stepper.pages")}
        lessons = {name for name in imported
                   if [*name.split("."), "", ""][2].startswith(("lesson", "index"))}
        if relative.startswith(("kit/", "views/")) or relative in ("phases.py", "catalog.py"):
            assert not lessons, f"{relative} imports a lesson: {sorted(lessons)}"
        if relative.startswith("kit/") and relative != "kit/app.py":
            upper = {n for n in imported if n.startswith("stepper.pages.views")}
            assert not upper, f"{relative} imports views: {sorted(upper)}"
