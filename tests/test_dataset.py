"""The dataset file and its index: graphs copied when unchanged, read one at a time, a stale index ignored."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest

from sanctuary_kg import dataset
from sanctuary_kg.errors import InputError

G1, G2, G3 = (f"https://example.org/graph/{n}" for n in ("a", "b", "c"))


def lines(graph: str, *objects: str) -> bytes:
    return b"".join(f'<https://example.org/s> <https://example.org/p> "{o}" <{graph}> .\n'.encode() for o in objects)


def block(graph: str, digest: str, data: bytes, asked: list[str] | None = None, quads: int | None = None) -> dataset.Block:
    def read() -> bytes:
        if asked is not None:
            asked.append(graph)
        return data

    return dataset.Block(graph, digest, data.count(b"\n") if quads is None else quads, read)


def test_unchanged_graphs_are_copied_from_the_old_file_and_changed_ones_written(tmp_path: Path):
    path = tmp_path / "d.nq"
    dataset.write(path, [block(G1, "1", lines(G1, "x")), block(G2, "2", lines(G2, "y", "z"))])
    asked: list[str] = []
    index = dataset.write(path, [block(G1, "1", b"NOT READ", asked, quads=1), block(G2, "2b", lines(G2, "w"), asked),
                                 block(G3, "3", lines(G3, "v"), asked)])
    assert asked == [G2, G3]  # G1 came from the old file, not from its block
    assert path.read_bytes() == lines(G1, "x") + lines(G2, "w") + lines(G3, "v")
    assert [(g, p.quads) for g, p in index.parts.items()] == [(G1, 1), (G2, 1), (G3, 1)]
    assert dataset.read_index(path) == index


def test_graphs_are_read_one_at_a_time_through_the_index(tmp_path: Path):
    path = tmp_path / "d.nq"
    dataset.write(path, [block(G1, "1", lines(G1, "x")), block(G2, "2", lines(G2, "y", "z"))])
    graphs = dataset.Graphs(path)
    assert list(graphs) == [G1, G2] and graphs.digests == {G1: "1", G2: "2"}
    assert graphs.data([G2]) == lines(G2, "y", "z")
    assert graphs.data([G1, G2, G3]) == lines(G1, "x") + lines(G2, "y", "z")


def test_an_index_that_no_longer_describes_its_file_is_ignored(tmp_path: Path):
    path = tmp_path / "d.nq"
    dataset.write(path, [block(G1, "1", lines(G1, "x")), block(G2, "2", lines(G2, "y"))])
    path.write_bytes(lines(G2, "changed") + lines(G1, "x"))  # rewritten by hand, in another order
    assert dataset.read_index(path) is None
    graphs = dataset.Graphs(path)
    assert graphs.data([G2]) == lines(G2, "changed")
    assert graphs.digests[G1] != "1"  # digests of the content itself
    again = dataset.Graphs(path)
    assert again.digests == graphs.digests


def test_a_stale_index_is_not_used_to_copy(tmp_path: Path):
    path = tmp_path / "d.nq"
    dataset.write(path, [block(G1, "1", lines(G1, "x"))])
    path.write_bytes(lines(G1, "edited"))
    os.utime(path, ns=(1, 1))
    dataset.write(path, [block(G1, "1", lines(G1, "x"))])
    assert path.read_bytes() == lines(G1, "x")


def test_a_missing_or_broken_dataset_says_what_to_do(tmp_path: Path):
    with pytest.raises(InputError, match="run `sanctuary-kg build` first"):
        dataset.Graphs(tmp_path / "missing.nq")
    broken = tmp_path / "broken.nq"
    broken.write_bytes(b"<a> <b> .\n")
    with pytest.raises(InputError, match="not valid N-Quads"):
        dataset.Graphs(broken)


def test_the_built_dataset_has_a_current_index(built):
    index = dataset.read_index(built.dataset)
    assert index is not None
    quads = list(ox.parse(path=built.dataset, format=ox.RdfFormat.N_QUADS))
    assert sum(p.quads for p in index.parts.values()) == len(quads)
    graphs = dataset.Graphs(built.dataset)
    for g in graphs:
        part = list(ox.parse(graphs.data([g]), format=ox.RdfFormat.N_QUADS))
        assert part and all(q.graph_name == ox.NamedNode(g) for q in part)
