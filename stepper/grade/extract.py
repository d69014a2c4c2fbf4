"""Turn a submitted notebook into an importable module of the attendee's definitions.

Grading does not re-run the notebook top to bottom: it keeps what defines the tasks — imports,
``def``, ``class`` and assignments of simple constants (``MU = 0.9``, ``f = lambda z: …``) — and
leaves out every other top-level statement: calls such as ``check("1.2")``, ``spark_session()``
or a stray ``sys.exit()``, loops, plots, IPython magics (``%time``) and shell escapes
(``!pip``). A cell that does not parse is left out with a note. Line numbers are kept: every
line of the module maps back to (cell, line) of the notebook for error messages.
"""

from __future__ import annotations

import ast
import builtins
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from stepper.grade.catalog import SETS
from stepper.grade.say import say

KEPT = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
SAFE_VALUES = (ast.Constant, ast.Name, ast.Attribute, ast.Lambda, ast.Tuple, ast.List,
               ast.Dict, ast.Set, ast.UnaryOp, ast.BinOp, ast.Subscript, ast.Slice)


class NotebookError(Exception):
    """A submission that cannot be read as a notebook: the message says why.

    ``NotebookError("is larger than {mb} MB: not read", mb=20)``: an English template with
    its figures (:func:`stepper.grade.say.say`), so that :meth:`said` gives it in the
    attendee's language; ``str()`` is the English."""

    def __init__(self, template: str, **values: object) -> None:
        super().__init__(say(template, "en", **values))
        self.template = template
        self.values = values

    def said(self, lang: str) -> str:
        """The message in ``lang``."""
        return say(self.template, lang, **self.values)


@dataclass
class Extracted:
    """The module text, its line map (module line → (cell, line)), notes, and its set."""

    source: str
    line_map: list[tuple[int, int]]
    notes: list[str] = field(default_factory=list)
    set_number: str | None = None

    def locate(self, lineno: int) -> str:
        """"cell C, line L" for line ``lineno`` (1-based) of the module."""
        if 1 <= lineno <= len(self.line_map):
            cell, line = self.line_map[lineno - 1]
            return f"cell {cell}, line {line}"
        return f"line {lineno}"


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """The notebook at ``path``; :class:`NotebookError` when it is not valid notebook JSON."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise NotebookError("cannot be read: {problem}", problem=exc) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotebookError("does not parse as a notebook (invalid JSON at line {line}, column "
                            "{column}: {problem}); was it saved completely?", line=exc.lineno,
                            column=exc.colno, problem=exc.msg) from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise NotebookError("does not parse as a notebook (no list of cells)")
    try:
        return nbformat.from_dict(data)
    except Exception as exc:  # nbformat raises many kinds
        raise NotebookError("does not parse as a notebook ({problem})", problem=exc) from None


def _safe_value(node: ast.AST | None, bound: set[str]) -> bool:
    """A value with no call, whose names are all bound by what the module keeps."""
    if node is None:
        return True
    if not isinstance(node, SAFE_VALUES):
        return False
    if isinstance(node, ast.Lambda):
        return True
    if isinstance(node, ast.Name):
        return node.id in bound or hasattr(builtins, node.id)
    return all(_safe_value(child, bound) for child in ast.iter_child_nodes(node)
               if isinstance(child, ast.expr))


def _bound_names(node: ast.stmt) -> set[str]:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
        targets = [node.target]
    else:  # _kept keeps no other statement
        return set()
    return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}


def _kept(node: ast.stmt, bound: set[str]) -> bool:
    if isinstance(node, KEPT):
        return True
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        return _safe_value(node.value, bound)
    return False


def _strip_magics(source: str) -> str | None:
    """The cell with magic / shell lines blanked (line numbers kept); None for a %% cell."""
    if source.lstrip().startswith("%%"):
        return None
    return "\n".join("" if re.match(r"\s*[%!]", line) else line for line in source.split("\n"))


def detect_set(nb: nbformat.NotebookNode, path: Path | None, defined: set[str]) -> str | None:
    """The exercise set of a notebook: its metadata, else its file name, else its functions."""
    meta = nb.get("metadata", {}).get("stepper", {})
    for number, slug in SETS.items():
        if meta.get("set") == slug:
            return number
    if path is not None:
        for number, slug in SETS.items():
            if Path(path).stem.startswith(slug[:3]) or slug in Path(path).stem:
                return number
    from stepper.grade.catalog import enumerate_tests

    best, best_hits = None, 0
    for number in SETS:
        names = {u for spec in enumerate_tests([number], False) for u in spec.info.uses}
        hits = len(names & defined)
        if hits > best_hits:
            best, best_hits = number, hits
    return best


def extract(nb: nbformat.NotebookNode, path: Path | None = None) -> Extracted:
    """The attendee's definitions from ``nb`` as module text, with notes on what was left out."""
    out_lines: list[str] = []
    line_map: list[tuple[int, int]] = []
    notes: list[str] = []
    defined: set[str] = set()
    bound: set[str] = set()
    for index, cell in enumerate(nb.cells, 1):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        text = _strip_magics(source)
        if text is None:
            continue
        try:
            tree = ast.parse(text)
        except SyntaxError as exc:
            notes.append(f"cell {index} has a syntax error (line {exc.lineno}: {exc.msg}); "
                         "it was left out, so what it defines is missing")
            continue
        except (RecursionError, MemoryError, ValueError) as exc:
            notes.append(f"cell {index} cannot be compiled ({type(exc).__name__}: an expression "
                         "nested too deeply or too long?); it was left out, so what it defines "
                         "is missing")
            continue
        lines = text.split("\n")
        for node in tree.body:
            if not _kept(node, bound):
                continue
            bound |= _bound_names(node)
            first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
            last = node.end_lineno if node.end_lineno is not None else node.lineno
            for lineno in range(first, last + 1):
                out_lines.append(lines[lineno - 1])
                line_map.append((index, lineno))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                defined.add(node.name)
    source = "\n".join(out_lines) + "\n"
    return Extracted(source, line_map, notes, detect_set(nb, path, defined))
