"""Time the fast SHACL engine on a large dataset.

``python -m benchmarks.shacl_scale --dataset D.nq`` times a built dataset (say one of
``benchmarks.corpus``); ``--copies N`` first writes the built seed dataset with its five
article graphs copied N times over (graph and article IRIs renamed, shared entities kept).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import pyoxigraph as ox

from sanctuary_kg import shacl
from sanctuary_kg.ids import ENTITIES_GRAPH, INFERRED_GRAPH, NOT_ARTICLE_GRAPHS, ONTOLOGY_GRAPH, REFERENCE_GRAPH
from sanctuary_kg.validate import load_shapes

SHARED = [ONTOLOGY_GRAPH.value, ENTITIES_GRAPH.value, REFERENCE_GRAPH.value]


def copies(seed: Path, n: int, out: Path) -> int:
    """Write ``seed`` with ``n`` article graphs made from its own; returns the number of quads."""
    quads = list(ox.parse(path=seed, format=ox.RdfFormat.N_QUADS))
    articles: dict[str, list[ox.Quad]] = defaultdict(list)
    kept = []
    for q in quads:
        name = q.graph_name.value  # type: ignore[union-attr]
        if name in NOT_ARTICLE_GRAPHS:
            kept.append(q)
        else:
            articles[name].append(q)
    for i in range(n):
        graph, own = sorted(articles.items())[i % len(articles)]
        key = graph.rsplit("/", 1)[1]
        new = f"{key}c{i:05d}"

        def renamed(t, key=key, new=new):
            return ox.NamedNode(t.value.replace(key, new)) if isinstance(t, ox.NamedNode) and key in t.value else t

        kept += [ox.Quad(renamed(q.subject), q.predicate, renamed(q.object), renamed(q.graph_name)) for q in own]
    with out.open("wb") as f:
        ox.serialize(kept, f, format=ox.RdfFormat.N_QUADS)
    return len(kept)


def run(dataset: Path, shapes_dir: Path) -> None:
    started = time.perf_counter()
    store = shacl.load_store(dataset)
    loaded = time.perf_counter()
    results = shacl.validate_store(store, load_shapes(shapes_dir), SHARED, [INFERRED_GRAPH.value])
    done = time.perf_counter()
    articles = sum(1 for g in store.named_graphs() if g.value not in NOT_ARTICLE_GRAPHS)  # type: ignore[union-attr]
    print(f"{len(store)} quads, {articles} articles: load {loaded - started:.1f} s, "
          f"validate {done - loaded:.1f} s, {len(results)} results")
    for (check, component), count in Counter((r.check, r.component) for r in results).most_common(5):
        print(f"  {count:6d}  {check.rsplit('#', 1)[-1]} {component.rsplit('#', 1)[-1]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, default=Path("build/sanctuary-kg.nq"))
    parser.add_argument("--copies", type=int, default=0, help="copy the dataset's article graphs this many times")
    parser.add_argument("--shapes", type=Path, default=Path("shapes"))
    args = parser.parse_args()
    if not args.copies:
        run(args.dataset, args.shapes)
        return
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "copies.nq"
        print(f"wrote {copies(args.dataset, args.copies, target)} quads to {target}")
        run(target, args.shapes)


if __name__ == "__main__":
    main()
