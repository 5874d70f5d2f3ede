"""The dataset file and its index: which graph's lines are where, and a digest of each.

The build writes ``BUILD/sanctuary-kg.nq`` graph by graph, in IRI order, and beside it
``BUILD/sanctuary-kg.index.json``: each graph's digest and byte range, and the size and
modification time of the file it describes. A rebuild copies unchanged graphs from the
old file instead of writing them again, and readers take one graph without parsing the
rest. An index that no longer describes its file is ignored: readers then parse the file.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from .errors import InputError
from .files import replacing


@dataclass(frozen=True)
class Part:
    """One graph of the dataset file: its digest and where its lines are."""

    digest: str
    offset: int
    length: int
    quads: int


@dataclass(frozen=True)
class Index:
    size: int
    mtime_ns: int
    parts: dict[str, Part]  # graph IRI -> part, in file order


@dataclass(frozen=True)
class Block:
    """A graph to write: its IRI, a digest that changes whenever its lines do, and its lines."""

    graph: str
    digest: str
    quads: int
    data: Callable[[], bytes]  # the graph's N-Quads lines, asked for only if they cannot be copied


def index_path(dataset: Path) -> Path:
    return dataset.with_name(dataset.stem + ".index.json")


def read_index(dataset: Path) -> Index | None:
    """The index of ``dataset`` if it still describes the file, else None."""
    try:
        raw = json.loads(index_path(dataset).read_text(encoding="utf-8"))
        stat = dataset.stat()
        index = Index(raw["size"], raw["mtime_ns"], {g: Part(*p) for g, p in raw["parts"].items()})
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return index if (index.size, index.mtime_ns) == (stat.st_size, stat.st_mtime_ns) else None


def write(dataset: Path, blocks: Iterable[Block]) -> Index:
    """Write ``blocks`` in order as the dataset file, and its index; graphs whose digest is unchanged
    are copied from the old file."""
    old = read_index(dataset)
    parts: dict[str, Part] = {}
    with replacing(dataset) as temporary, temporary.open("wb") as out:
        source = dataset.open("rb") if old else None
        try:
            for block in blocks:
                offset = out.tell()
                before = old.parts.get(block.graph) if old else None
                if source is not None and before is not None and before.digest == block.digest:
                    _copy(source, out, before.offset, before.length)
                else:
                    out.write(block.data())
                parts[block.graph] = Part(block.digest, offset, out.tell() - offset, block.quads)
        finally:
            if source is not None:
                source.close()
    stat = dataset.stat()
    index = Index(stat.st_size, stat.st_mtime_ns, parts)
    with replacing(index_path(dataset)) as temporary:
        rows = {g: [p.digest, p.offset, p.length, p.quads] for g, p in index.parts.items()}
        temporary.write_text(json.dumps({"size": index.size, "mtime_ns": index.mtime_ns, "parts": rows},
                                        separators=(",", ":")), encoding="utf-8")
    return index


def _copy(source: BinaryIO, out: BinaryIO, offset: int, length: int) -> None:
    """Copy a byte range between files: in the kernel where it can, else through a buffer."""
    done = 0
    try:
        out.flush()
        target = out.fileno()
        while done < length:
            copied = os.copy_file_range(source.fileno(), target, length - done, offset + done)
            if copied == 0:
                break
            done += copied
        out.seek(0, os.SEEK_END)
    except (OSError, AttributeError, ValueError, io.UnsupportedOperation):  # not a file (a pipe, a buffer) or no support
        pass
    source.seek(offset + done)
    while done < length:
        chunk = source.read(min(length - done, 1 << 24))
        if not chunk:
            raise OSError(f"{source.name} ended before its index says")
        out.write(chunk)
        done += len(chunk)


class Graphs:
    """The graphs of a dataset file, each readable on its own (through the index if it is current)."""

    def __init__(self, dataset: Path):
        if not dataset.exists():
            raise InputError("no built dataset: run `sanctuary-kg build` first", path=dataset)
        self.path = dataset
        index = read_index(dataset)
        self._lines: dict[str, bytes] = {}
        if index is not None:
            self.digests = {g: p.digest for g, p in index.parts.items()}
            self._parts = index.parts
        else:
            self._lines = _parse(dataset)
            self.digests = {g: hashlib.sha256(data).hexdigest() for g, data in self._lines.items()}
            self._parts = {}

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.digests)

    def __contains__(self, graph: object) -> bool:
        return graph in self.digests

    def copy(self, graphs: Iterable[str], output: BinaryIO) -> int:
        """Write the N-Quads lines of ``graphs`` to ``output``; returns how many there are."""
        wanted = [g for g in graphs if g in self.digests]
        if self._lines:
            data = self.data(wanted)
            output.write(data)
            return data.count(b"\n")
        with self.path.open("rb") as f:
            for g in wanted:
                _copy(f, output, self._parts[g].offset, self._parts[g].length)
        return sum(self._parts[g].quads for g in wanted)

    def data(self, graphs: Iterable[str]) -> bytes:
        """The N-Quads lines of ``graphs``."""
        wanted = [g for g in graphs if g in self.digests]
        if self._lines:
            return b"".join(self._lines[g] for g in wanted)
        out = []
        with self.path.open("rb") as f:
            for g in wanted:
                part = self._parts[g]
                f.seek(part.offset)
                out.append(f.read(part.length))
        return b"".join(out)


def triples(quads: bytes) -> list[bytes]:
    """The N-Triples lines of N-Quads lines that all name a graph (its IRI is the last term of a line).

    >>> triples(b'<s> <p> "a <b>" <g> .\\n<s> <p> <o> <g> .\\n')
    [b'<s> <p> "a <b>" .\\n', b'<s> <p> <o> .\\n']
    """
    return [line.rsplit(b" <", 1)[0] + b" .\n" for line in quads.splitlines()]


def _parse(dataset: Path) -> dict[str, bytes]:
    """A dataset file without a current index: its graphs' lines, sorted."""
    by_graph: dict[str, list[ox.Quad]] = defaultdict(list)
    try:
        for quad in ox.parse(path=dataset, format=ox.RdfFormat.N_QUADS):
            if not isinstance(quad.graph_name, ox.NamedNode):
                raise InputError(f"a statement outside the named graphs: {quad.triple}; rebuild with `sanctuary-kg build`",
                                 path=dataset)
            by_graph[quad.graph_name.value].append(quad)
    except SyntaxError as error:
        raise InputError(f"the dataset is not valid N-Quads ({error}): rebuild it with `sanctuary-kg build`",
                         path=dataset) from None
    lines = {}
    for graph, quads in sorted(by_graph.items()):
        data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
        lines[graph] = b"".join(sorted(data.splitlines(keepends=True)))
    return lines
