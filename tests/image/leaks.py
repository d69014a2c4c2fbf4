"""Search an image's whole filesystem for the exercises' solutions.

A solution is the text between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` in
``exercise_sources/``. Each block is searched as a block: its lines, stripped of indentation and
with blank lines dropped, must follow each other in a file, so that a generic line (``return w``)
found alone does not count. Where a solution can hide, it is looked for: every regular file of
the image (from ``docker/podman export``), notebooks by their cells' sources (a notebook's JSON
splits a block into quoted strings), zlib and gzip streams decompressed (git's loose objects),
and the text members of zip archives (wheels, jars).

A block that the toolkit's own code holds (the ``stepper`` package, without the instructor's
hidden tests) is the toolkit, not a solution: it is reported apart and not searched for.
"""

from __future__ import annotations

import gzip
import io
import json
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from stepper.grade.sources import parse_cells, render

ZLIB_MAGIC = (b"\x78\x01", b"\x78\x5e", b"\x78\x9c", b"\x78\xda")
TEXT_MEMBERS = (".py", ".ipynb", ".txt", ".md", ".json", ".cfg", ".toml", ".yml", ".yaml")
MAX_FILE = 256 * 2**20


def normalize(text: str) -> str:
    """Lines stripped of surrounding space, blank lines dropped, joined by newlines."""
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


@dataclass(frozen=True)
class Block:
    """One solution block: where it comes from and its normalized text."""

    source: str
    task: str
    text: str

    @property
    def anchor(self) -> bytes:
        """Its longest line, to skip quickly the files that cannot hold it."""
        return max(self.text.splitlines(), key=len).encode()


def solution_blocks(root: Path) -> list[Block]:
    """Every solution block of ``root/exercise_sources``."""
    blocks = []
    for path in sorted((root / "exercise_sources").glob("*.py")):
        _, solutions = render(parse_cells(path.read_text()), solved=True)
        for solution in solutions:
            text = normalize("\n".join(solution.lines))
            if text:
                blocks.append(Block(path.name, solution.task, text))
    return blocks


def toolkit_text(root: Path) -> str:
    """The normalized source of the toolkit package (what attendees get as the engine)."""
    hidden = root / "stepper" / "grade" / "hidden_tests"
    sources = sorted((root / "stepper").rglob("*.py"))
    return "\n".join(normalize(path.read_text()) for path in sources if hidden not in path.parents)


def split_blocks(root: Path) -> tuple[list[Block], list[Block]]:
    """(blocks to search for, blocks that the toolkit's own code holds)."""
    toolkit = toolkit_text(root)
    blocks = solution_blocks(root)
    return ([b for b in blocks if b.text not in toolkit], [b for b in blocks if b.text in toolkit])


def notebook_text(data: bytes) -> str | None:
    """A notebook's cell sources joined, or None when the bytes are no notebook."""
    try:
        notebook = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        return None
    sources = []
    for cell in notebook["cells"]:
        source = cell.get("source", "") if isinstance(cell, dict) else ""
        sources.append("".join(source) if isinstance(source, list) else str(source))
    return "\n".join(sources)


def unpacked(data: bytes) -> bytes:
    """A zlib or gzip stream decompressed (at most MAX_FILE bytes); b"" if it is neither."""
    try:
        if data[:2] in ZLIB_MAGIC:
            return zlib.decompressobj().decompress(data, MAX_FILE)
        if data[:2] == b"\x1f\x8b":
            return gzip.decompress(data)[:MAX_FILE]
    except (OSError, EOFError, zlib.error):
        pass
    return b""


def zip_members(data: bytes) -> Iterator[tuple[str, bytes]]:
    """The text members (by name) of a zip archive: wheels, jars, eggs."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError):
        return
    for member in archive.infolist():
        if member.filename.endswith(TEXT_MEMBERS) and member.file_size <= MAX_FILE:
            try:
                yield member.filename, archive.read(member)
            except (zipfile.BadZipFile, OSError, zlib.error, NotImplementedError):
                continue


def texts(name: str, data: bytes, depth: int = 0) -> Iterator[tuple[str, str]]:
    """``(where, normalized text)`` for every readable view of a file's bytes."""
    yield name, normalize(data.decode("utf-8", errors="replace"))
    if data.lstrip()[:1] == b"{":
        cells = notebook_text(data)
        if cells is not None:
            yield f"{name} (notebook cells)", normalize(cells)
    if depth >= 2:
        return
    inner = unpacked(data)
    if inner:
        yield from texts(f"{name} (decompressed)", inner, depth + 1)
    elif data[:4] == b"PK\x03\x04":
        for member, content in zip_members(data):
            yield from texts(f"{name}!{member}", content, depth + 1)


def may_hold(data: bytes, blocks: list[Block]) -> bool:
    """False only when no view of the file can hold any block (a quick byte test)."""
    if data[:2] in ZLIB_MAGIC or data[:2] == b"\x1f\x8b" or data[:4] == b"PK\x03\x04":
        return True
    if data.lstrip()[:1] == b"{":
        return True
    return any(block.anchor in data for block in blocks)


@dataclass
class Scan:
    """What a search of one filesystem found."""

    files: int = 0
    bytes: int = 0
    found: dict[str, list[str]] | None = None  # block -> where
    paths: list[str] | None = None


def scan_tar(stream: IO[bytes], blocks: list[Block]) -> Scan:
    """Search every regular file of a tar stream (an exported container) for the blocks."""
    result = Scan(found={}, paths=[])
    assert result.found is not None and result.paths is not None
    with tarfile.open(fileobj=stream, mode="r|") as archive:
        for member in archive:
            result.paths.append(member.name)
            if not member.isfile() or member.size > MAX_FILE:
                continue
            handle = archive.extractfile(member)
            if handle is None:
                continue
            data = handle.read()
            result.files += 1
            result.bytes += len(data)
            if not may_hold(data, blocks):
                continue
            for where, text in texts(member.name, data):
                for block in blocks:
                    if block.text in text:
                        key = f"{block.source} task {block.task}"
                        result.found.setdefault(key, []).append(where)
    return result
