"""Build the attendee and solved notebooks from ``exercise_sources/``.

``python -m stepper.grade.build`` writes ``exercises/NN_name.ipynb`` (stubs) and
``solutions/NN_name.ipynb`` (solved) for every ``exercise_sources/NN_name.py``, and their French
versions ``exercises/fr/NN_name.ipynb`` and ``solutions/fr/NN_name.ipynb`` (same code, the French
markdown cells of the source: see :mod:`stepper.grade.sources`); the notebook's metadata
``"stepper": {"set", "version", "lang"}`` tells the grader its set and language. The output is a
pure function of the source: stable cell ids (``<set>-<index>``), no outputs, no execution
counts, no timestamps, sorted JSON keys, so a rebuild into another folder can be compared byte
for byte (``--check`` does exactly that and exits 1 when a notebook is stale).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

from stepper.grade.sources import LANGUAGES, read_source, render

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "exercise_sources"
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}


def notebook_text(source: Path, *, solved: bool, lang: str = "en") -> str:
    """The JSON text of one generated notebook, in ``lang``."""
    cells, _ = render(read_source(source), solved=solved, lang=lang)
    set_name = source.stem
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": KERNELSPEC,
        "language_info": {"name": "python"},
        "stepper": {"set": set_name, "version": "solutions" if solved else "exercises",
                    "lang": lang},
    }
    for index, cell in enumerate(cells):
        cell_id = f"{set_name.replace('_', '-')}-{index:02d}"
        if cell.kind == "markdown":
            nb.cells.append(nbformat.v4.new_markdown_cell(cell.text, id=cell_id))
        else:
            nb.cells.append(nbformat.v4.new_code_cell(cell.text, id=cell_id))
    nbformat.validate(nb)
    return nbformat.writes(nb) + "\n"


def notebook_path(root: Path, folder: str, stem: str, lang: str = "en") -> Path:
    """``<root>/<folder>/NN_name.ipynb`` in English, ``<root>/<folder>/<lang>/NN_name.ipynb``
    in another language."""
    base = Path(root) / folder
    return (base if lang == "en" else base / lang) / f"{stem}.ipynb"


def targets(root: Path = ROOT, sources: Path = SOURCES):
    """(source, solved, lang, path) for every notebook the build writes under ``root``."""
    for source in sorted(Path(sources).glob("[0-9][0-9]_*.py")):
        for lang in LANGUAGES:
            for folder, solved in (("exercises", False), ("solutions", True)):
                yield source, solved, lang, notebook_path(root, folder, source.stem, lang)


def build(out_root: Path = ROOT, sources: Path = SOURCES) -> list[Path]:
    """Write every exercise and solution notebook under ``out_root``; return the paths."""
    written = []
    for source, solved, lang, target in targets(out_root, sources):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(notebook_text(source, solved=solved, lang=lang), encoding="utf-8")
        written.append(target)
    return written


def stale(root: Path = ROOT, sources: Path = SOURCES) -> list[Path]:
    """The generated notebooks under ``root`` that differ from a fresh build (or are missing)."""
    out = []
    for source, solved, lang, target in targets(root, sources):
        fresh = notebook_text(source, solved=solved, lang=lang)
        if not target.exists() or target.read_text(encoding="utf-8") != fresh:
            out.append(target)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stepper.grade.build", description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT, help="root for exercises/, solutions/")
    parser.add_argument("--check", action="store_true", help="exit 1 if a notebook is stale")
    args = parser.parse_args(argv)
    if args.check:
        old = stale(args.out)
        for path in old:
            print(f"stale: {path} (run python -m stepper.grade.build)")
        return 1 if old else 0
    for path in build(args.out):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
