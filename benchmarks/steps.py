"""One benchmark step, run in its own process so its peak memory is its own.

``python -m benchmarks.steps STEP CORPUS WORK`` runs STEP on the corpus folder CORPUS with
scratch folder WORK and prints one JSON line: seconds, items (quads, triples, rows) and
whatever else the step measures. Steps named ``naive-*`` do the same work the naive way:
whole-graph rdflib, pyshacl and owlrl.
"""

from __future__ import annotations

import json
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from sanctuary_kg import build as build_lib
from sanctuary_kg import export, load, queries, reason, sparql
from sanctuary_kg import validate as validate_lib
from sanctuary_kg.files import Layout
from sanctuary_kg.formats import Format
from sanctuary_kg.ids import INFERRED_GRAPH

Step = Callable[[Path, Path], dict[str, Any]]
STEPS: dict[str, Step] = {}
REPEAT = 7  # runs of each query; the median counts


def step(name: str) -> Callable[[Step], Step]:
    def register(function: Step) -> Step:
        STEPS[name] = function
        return function

    return register


def layout(corpus: Path, work: Path) -> Layout:
    return Layout.default(seeds=corpus, build=work / "build")


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def quads_of(layout: Layout) -> int:
    with layout.dataset.open("rb") as f:
        return sum(1 for _ in f)


# ------------------------------------------------------------------ ours


@step("build")
def build(corpus: Path, work: Path) -> dict[str, Any]:
    """From sheets and texts to the dataset file and the embedded store, no cache."""
    shutil.rmtree(work / "build", ignore_errors=True)
    seconds, result = timed(lambda: build_lib.build(layout(corpus, work)))
    return {"seconds": seconds, "items": result.quads, "unit": "quads"}


@step("add-one")
def add_one(corpus: Path, work: Path) -> dict[str, Any]:
    """Add one article to the built and validated corpus, rebuild and re-validate (the others come from the
    caches); the median of three tries, since one rewrite of the dataset file is at the mercy of the disk."""
    here = layout(corpus, work)
    cache = here.build / "validated.sqlite"
    last = build_lib.sheet_paths(here)[-1]
    aside = work / last.name
    tries = []
    for _ in range(3):
        shutil.move(last, aside)
        try:
            build_lib.build(here)
            validate_lib.validate(here.dataset, here.shapes, here.seeds, cache=cache)
        finally:
            shutil.move(aside, last)
        seconds, (built, report) = timed(lambda: (build_lib.build(here),
                                                  validate_lib.validate(here.dataset, here.shapes, here.seeds,
                                                                        cache=cache)))
        assert report.conforms and built.reused == report.reused == report.articles - 1, (built.reused, report.reused)
        tries.append(seconds)
    return {"seconds": statistics.median(tries), "items": 1, "unit": "article", "tries": tries}


@step("validate")
def validate(corpus: Path, work: Path) -> dict[str, Any]:
    """SHACL on every article graph and every span re-read, nothing cached."""
    here = layout(corpus, work)
    seconds, report = timed(lambda: validate_lib.validate(here.dataset, here.shapes, here.seeds))
    assert report.conforms, report.findings[:3]
    return {"seconds": seconds, "items": quads_of(here), "unit": "quads", "spans": report.spans}


@step("reason")
def reason_step(corpus: Path, work: Path) -> dict[str, Any]:
    """`sanctuary-kg reason` on the built corpus, no article's entailments cached: the inferred graph, written."""
    here = layout(corpus, work)
    with sqlite3.connect(here.build / "cache.sqlite") as db:  # forget what earlier runs inferred
        db.execute("DELETE FROM inferred")
    seconds, result = timed(lambda: build_lib.build(here, reason=True))
    inferred = result.graphs[INFERRED_GRAPH.value]
    return {"seconds": seconds, "items": result.quads - inferred, "unit": "quads", "inferred": inferred}


def _pick(store: ox.Store, query: str) -> str:
    row = next(iter(store.query(query)))
    return row[0].value  # type: ignore[index,no-any-return]


@step("query")
def query(corpus: Path, work: Path) -> dict[str, Any]:
    """Five stored queries on the embedded store, and the same text run directly on pyoxigraph."""
    here = layout(corpus, work)
    store = sparql.open_store(here.store)
    target = sparql.Target(store=store)
    stored = queries.load(here.queries)
    sk = "PREFIX sk: <https://w3id.org/sanctuary-kg/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/> "
    jurisdiction = _pick(store, sk + "SELECT ?j WHERE { GRAPH ?g { ?c sk:about ?j } "
                         "GRAPH <https://w3id.org/sanctuary-kg/id/graph/entities> { ?j a sk:County } } ORDER BY ?j LIMIT 1")
    claim = _pick(store, sk + "SELECT ?id WHERE { GRAPH ?g { ?c a sk:Claim ; dcterms:identifier ?id } } ORDER BY ?id LIMIT 1")
    order = _pick(store, sk + "SELECT ?o WHERE { GRAPH ?g { ?c sk:about ?o } "
                  "GRAPH <https://w3id.org/sanctuary-kg/id/graph/entities> { ?o a sk:Order } } ORDER BY ?o LIMIT 1")
    cases = [
        ("claims-about-jurisdiction", {"jurisdiction": jurisdiction}, "selective"),
        ("trace-claim", {"claim": claim}, "selective"),
        ("viewpoints-on-order", {"order": order}, "selective"),
        ("claims-per-source", {}, "corpus-wide"),
        ("statistics", {}, "corpus-wide"),
    ]
    results = {}
    for name, values, kind in cases:
        text = queries.bind(stored[name], values, target)
        ours, direct, rows = [], [], 0
        for _ in range(REPEAT):
            seconds, answer = timed(lambda q=stored[name], v=values: queries.run(q, v, target))
            ours.append(seconds)
            rows = len(answer.rows)
            seconds, _ = timed(lambda t=text: list(store.query(t, use_default_graph_as_union=True)))
            direct.append(seconds)
        results[name] = {"kind": kind, "values": values, "ms": 1000 * statistics.median(ours),
                         "direct_ms": 1000 * statistics.median(direct), "rows": rows}
    search = ("PREFIX sk: <https://w3id.org/sanctuary-kg/ontology#> PREFIX oa: <http://www.w3.org/ns/oa#> "
              "SELECT ?claim ?exact WHERE { GRAPH ?g { ?claim a sk:Claim ; sk:evidence ?s . ?s oa:exact ?exact "
              "FILTER (REGEX(?exact, \"detain\", \"i\")) } } ORDER BY ?claim")
    prepared = queries.prepare(search)
    ours, direct = [], []
    for _ in range(REPEAT):
        seconds, answer = timed(lambda: target.run(prepared.text, prepared.form))
        ours.append(seconds)
        seconds, _ = timed(lambda: list(store.query(search, use_default_graph_as_union=True)))
        direct.append(seconds)
    results["text-search"] = {"kind": "corpus-wide", "ms": 1000 * statistics.median(ours),
                              "direct_ms": 1000 * statistics.median(direct), "rows": len(answer.rows)}
    return {"seconds": sum(r["ms"] for r in results.values()) / 1000, "items": len(results), "unit": "queries",
            "queries": results}


def _export(corpus: Path, work: Path, fmt: Format) -> dict[str, Any]:
    here = layout(corpus, work)
    target = work / f"export.{fmt.extension}"
    with target.open("wb") as out:
        seconds, done = timed(lambda: export.export(here.dataset, out, fmt))
    return {"seconds": seconds, "items": done.count, "unit": done.unit, "bytes": target.stat().st_size}


for _fmt in (Format.NQUADS, Format.TURTLE, Format.JSONLD):
    STEPS[f"export-{_fmt.extension}"] = lambda corpus, work, fmt=_fmt: _export(corpus, work, fmt)


class Server:
    """A fresh ``oxigraph serve`` on loopback for the duration of a step."""

    def __init__(self, work: Path):
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.location = work / "oxigraph"
        shutil.rmtree(self.location, ignore_errors=True)
        binary = Path(sys.executable).with_name("oxigraph")
        self.process = subprocess.Popen([str(binary), "serve", "--location", str(self.location),
                                         "--bind", f"127.0.0.1:{self.port}"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = f"http://127.0.0.1:{self.port}"
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{self.url}/query?query=ASK%7B%7D", timeout=1).read()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("oxigraph serve did not start")

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


BATCH = 250  # graphs per request pair for the batched load


@step("load")
def load_step(corpus: Path, work: Path) -> dict[str, Any]:
    """Replace every graph on a fresh local Oxigraph server, batched (load --batch), verified complete."""
    here = layout(corpus, work)
    with Server(work) as server:
        seconds, report = timed(lambda: load.load(here.dataset, load.endpoints(server.url, "oxigraph"), batch=BATCH))
    return {"seconds": seconds, "items": report.triples, "unit": "quads", "batch": BATCH}


@step("load-put")
def load_put(corpus: Path, work: Path) -> dict[str, Any]:
    """The same with one Graph Store PUT per graph (load's default), verified complete."""
    here = layout(corpus, work)
    with Server(work) as server:
        seconds, report = timed(lambda: load.load(here.dataset, load.endpoints(server.url, "oxigraph")))
    return {"seconds": seconds, "items": report.triples, "unit": "quads"}


@step("load-bulk-post")
def load_bulk_post(corpus: Path, work: Path) -> dict[str, Any]:
    """The comparison: one Graph Store POST of the whole N-Quads file to the same server."""
    here = layout(corpus, work)
    with Server(work) as server:
        data = here.dataset.read_bytes()
        request = urllib.request.Request(f"{server.url}/store", data=data, method="POST",
                                         headers={"Content-Type": "application/n-quads"})
        seconds, _ = timed(lambda: urllib.request.urlopen(request, timeout=3600).read())
    return {"seconds": seconds, "items": quads_of(here), "unit": "quads"}


@step("load-offline")
def load_offline(corpus: Path, work: Path) -> dict[str, Any]:
    """The ceiling for a first load: ``oxigraph load``, the server's own bulk loader, on the exported file."""
    here = layout(corpus, work)
    location = work / "oxigraph-offline"
    shutil.rmtree(location, ignore_errors=True)
    binary = Path(sys.executable).with_name("oxigraph")
    seconds, _ = timed(lambda: subprocess.run([str(binary), "load", "--location", str(location),
                                               "--file", str(here.dataset)], check=True, capture_output=True))
    return {"seconds": seconds, "items": quads_of(here), "unit": "quads"}


# ------------------------------------------------------------------ naive: whole-graph rdflib, pyshacl, owlrl


def _rdflib_dataset(here: Layout) -> Any:
    import rdflib

    dataset = rdflib.Dataset()
    dataset.parse(here.dataset, format="nquads")
    return dataset


def _rdflib_union(here: Layout) -> Any:
    import rdflib

    graph = rdflib.Graph()
    for s, p, o, _ in _rdflib_dataset(here).quads():
        graph.add((s, p, o))
    return graph


@step("naive-build")
def naive_build(corpus: Path, work: Path) -> dict[str, Any]:
    """The dataset through rdflib: parse the built quads into a Dataset and serialise N-Quads."""
    here = layout(corpus, work)

    def run() -> int:
        dataset = _rdflib_dataset(here)
        dataset.serialize(work / "naive.nq", format="nquads")
        return len(dataset)

    seconds, _ = timed(run)
    return {"seconds": seconds, "items": quads_of(here), "unit": "quads"}


@step("naive-validate")
def naive_validate(corpus: Path, work: Path) -> dict[str, Any]:
    """pyshacl once on the whole graph (the union of every graph)."""
    from pyshacl import validate as shacl

    here = layout(corpus, work)
    graph = _rdflib_union(here)
    shapes = validate_lib.load_shapes(here.shapes)
    seconds, (conforms, _, _) = timed(lambda: shacl(graph, shacl_graph=shapes, inference="none"))
    return {"seconds": seconds, "items": quads_of(here), "unit": "quads", "conforms": bool(conforms)}


@step("naive-reason")
def naive_reason(corpus: Path, work: Path) -> dict[str, Any]:
    """owlrl's OWL-RL closure of the whole graph, and whether the built inferred graph equals it on the ontology's terms."""
    here = layout(corpus, work)
    quads = list(ox.parse(path=here.dataset, format=ox.RdfFormat.N_QUADS))
    ours = {(q.subject, q.predicate, q.object) for q in quads if q.graph_name == INFERRED_GRAPH}
    seconds, reference = timed(lambda: reason.owlrl_closure(quads))
    return {"seconds": seconds, "items": len(quads) - len(ours), "unit": "quads", "same_as_ours": ours == reference}


@step("naive-query")
def naive_query(corpus: Path, work: Path) -> dict[str, Any]:
    """The same five stored queries and the text search with rdflib on the whole Dataset."""
    here = layout(corpus, work)
    store = sparql.open_store(here.store)
    target = sparql.Target(store=store)
    stored = queries.load(here.queries)
    dataset = _rdflib_dataset(here)
    dataset.default_union = True
    results = {}
    previous = json.loads((work / "query.json").read_text())["queries"] if (work / "query.json").exists() else {}
    for name, spec in previous.items():
        if name == "text-search":
            continue
        values = spec.get("values", {})
        text = queries.bind(stored[name], values, target)
        times = []
        for _ in range(3):
            seconds, _ = timed(lambda t=text: list(dataset.query(t)))
            times.append(seconds)
        results[name] = {"ms": 1000 * statistics.median(times)}
    return {"seconds": sum(r["ms"] for r in results.values()) / 1000, "items": len(results), "unit": "queries",
            "queries": results}


def _naive_export(corpus: Path, work: Path, rdflib_format: str, extension: str) -> dict[str, Any]:
    """rdflib's serialiser on the Dataset (the union Graph for Turtle, like ours)."""
    here = layout(corpus, work)
    data = _rdflib_union(here) if rdflib_format == "turtle" else _rdflib_dataset(here)
    seconds, _ = timed(lambda: data.serialize(work / f"naive.{extension}", format=rdflib_format))
    return {"seconds": seconds, "items": quads_of(here), "unit": "quads"}


STEPS["naive-export-nq"] = lambda corpus, work: _naive_export(corpus, work, "nquads", "nq")
STEPS["naive-export-ttl"] = lambda corpus, work: _naive_export(corpus, work, "turtle", "ttl")
STEPS["naive-export-jsonld"] = lambda corpus, work: _naive_export(corpus, work, "json-ld", "jsonld")


def main() -> None:
    name, corpus, work = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    work.mkdir(parents=True, exist_ok=True)
    result = STEPS[name](corpus, work)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # worker processes, servers
    result["peak_mb"] = max(own, children) / 1024
    print(json.dumps(result))


if __name__ == "__main__":
    main()
