"""Load the built dataset into a triplestore with the SPARQL 1.1 Graph Store Protocol, and verify it.

Each named graph goes in one ``PUT``, which replaces that graph on the server,
so a load never duplicates anything and re-running it is how to finish one that
failed half-way. Afterwards a SPARQL query counts the triples of every graph
sent; any difference is an error.

A layout names the services of a dataset URL:

>>> endpoints("http://localhost:3030/ds", "fuseki")
Endpoints(query='http://localhost:3030/ds/query', store='http://localhost:3030/ds/data', update='http://localhost:3030/ds/update', quads='http://localhost:3030/ds')
>>> endpoints(None, "generic", query="http://h/sparql", store="http://h/rdf-graphs").store
'http://h/rdf-graphs'
"""

from __future__ import annotations

import concurrent.futures
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from . import ids
from .access import check_url, shown
from .dataset import triples
from .errors import EndpointError, UsageError
from .export import chosen_graphs
from .remote import Client

Progress = Callable[[str], None]
GENERIC = "generic"
# Services of a dataset URL, by layout. "generic" has none: every URL is given.
LAYOUTS: dict[str, dict[str, str]] = {
    "fuseki": {"query": "query", "update": "update", "store": "data"},  # http://HOST:3030/DATASET
    "oxigraph": {"query": "query", "update": "update", "store": "store"},  # http://HOST:7878
}
QUADS = {"fuseki": "", "oxigraph": "store"}  # where each layout takes a POST of N-Quads for the whole dataset
GRAPHS_PER_COUNT = 200  # graphs counted by one verification query
JOBS = 2  # PUTs in flight at once


@dataclass(frozen=True)
class Endpoints:
    """Where to query, where the Graph Store Protocol service is, and where a whole dataset's quads may be POSTed."""

    query: str
    store: str
    update: str | None = None
    quads: str | None = None  # Fuseki: the dataset URL; Oxigraph: /store (no graph parameter)


def endpoints(url: str | None, layout: str = "fuseki", *, query: str | None = None, update: str | None = None,
              store: str | None = None) -> Endpoints:
    """The endpoints of ``url`` in ``layout``; ``query``, ``update`` and ``store`` override them."""
    if layout != GENERIC and layout not in LAYOUTS:
        raise UsageError(f"unknown layout {layout!r}: one of {', '.join([*LAYOUTS, GENERIC])}")
    if layout == GENERIC:
        if url:
            raise UsageError("the generic layout takes --query-url and --store-url, not a dataset URL")
        derived: dict[str, str] = {}
    else:
        if not url:
            raise UsageError(f"give the dataset URL of the {layout} server (or use --layout generic)")
        base = check_url(url, "dataset", dataset=True).rstrip("/")
        derived = {service: f"{base}/{path}" for service, path in LAYOUTS[layout].items()}
        derived["quads"] = f"{base}/{QUADS[layout]}".rstrip("/")
    chosen = {"query": query or derived.get("query"), "update": update or derived.get("update"),
              "store": store or derived.get("store")}
    missing = [f"--{name}-url" for name in ("query", "store") if not chosen[name]]
    if missing:
        raise UsageError(f"the {layout} layout needs {' and '.join(missing)}")
    for name, value in chosen.items():
        if value:
            check_url(value, name)
    return Endpoints(query=chosen["query"], store=chosen["store"], update=chosen["update"],  # type: ignore[arg-type]
                     quads=derived.get("quads"))


@dataclass(frozen=True)
class GraphLoad:
    """One graph sent: how many triples, how many the endpoint counted afterwards, and how long it took."""

    graph: str
    triples: int
    found: int | None  # None on a dry run
    seconds: float
    size: int  # bytes sent


@dataclass(frozen=True)
class LoadReport:
    endpoints: Endpoints
    graphs: tuple[GraphLoad, ...]
    seconds: float
    dry_run: bool
    credentials: str | None  # where the credentials came from; never their value
    pruned: tuple[str, ...] = ()  # graphs deleted (on a dry run: to delete) because the dataset no longer has them

    @property
    def triples(self) -> int:
        return sum(g.triples for g in self.graphs)


def graph_url(store: str, graph: str) -> str:
    """The Graph Store Protocol URL of one named graph.

    >>> graph_url("http://localhost:3030/ds/data", "https://w3id.org/sanctuary-kg/id/graph/entities")
    'http://localhost:3030/ds/data?graph=https%3A%2F%2Fw3id.org%2Fsanctuary-kg%2Fid%2Fgraph%2Fentities'
    """
    return f"{store}{'&' if '?' in store else '?'}graph={quote(graph, safe='')}"


def load(dataset: Path, endpoints: Endpoints, graphs: Sequence[str] = (), *, dry_run: bool = False,
         prune: bool = False, client: Client | None = None, progress: Progress | None = None,
         jobs: int = JOBS, batch: int = 1) -> LoadReport:
    """Replace every graph of the built dataset (or only ``graphs``) on ``endpoints``, then verify the counts.

    Each graph goes in one Graph Store ``PUT``. With ``batch`` > 1, graphs go that many
    at a time instead: one SPARQL update drops them, one POST of their N-Quads to the
    layout's dataset endpoint fills them again, which is far faster for thousands of
    small graphs. ``jobs`` requests are in flight at once, each on its own kept-alive
    connection; the bodies are the dataset's own lines, so the client does little but
    send them.

    With ``prune``, graphs under the project's graph namespace that the server
    holds but the dataset no longer has are deleted. A dry run changes nothing:
    with ``prune`` it asks the server which graphs it would delete.
    """
    if prune and graphs:
        raise UsageError("--prune needs the whole dataset: leave out --graph")
    if batch > 1 and not (endpoints.update and endpoints.quads):
        raise UsageError("--batch needs an update endpoint and a dataset endpoint for quads: use --layout fuseki or oxigraph")
    client = client or Client()
    source, chosen = chosen_graphs(dataset, graphs)
    creds = client.credentials(endpoints.store)
    started = time.monotonic()

    def put(graph: str) -> list[GraphLoad]:
        body = b"".join(triples(source.data([graph])))
        began = time.monotonic()
        if not dry_run:
            client.request("PUT", graph_url(endpoints.store, graph), body, content_type="application/n-triples",
                           what=f"the PUT of graph {ids.compact(graph)}")
        return [GraphLoad(graph, body.count(b"\n"), None, time.monotonic() - began, len(body))]

    def replace(group: list[str]) -> list[GraphLoad]:
        parts = {g: source.data([g]) for g in group}
        began = time.monotonic()
        if not dry_run:
            drop = " ;\n".join(f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in group)
            what = f"the replacing of graphs {ids.compact(group[0])} to {ids.compact(group[-1])}"
            client.request("POST", endpoints.update, drop.encode(), content_type="application/sparql-update",  # type: ignore[arg-type]
                           what=what)
            client.request("POST", endpoints.quads, b"".join(parts.values()),  # type: ignore[arg-type]
                           content_type="application/n-quads", what=what)
        share = (time.monotonic() - began) / len(group)
        return [GraphLoad(g, data.count(b"\n"), None, share, len(data)) for g, data in parts.items()]

    loads: list[GraphLoad] = []
    groups = [chosen[i:i + batch] for i in range(0, len(chosen), batch)] if batch > 1 else [[g] for g in chosen]
    send = replace if batch > 1 else (lambda group: put(group[0]))
    with concurrent.futures.ThreadPoolExecutor(max(1, jobs)) as pool:
        for done in pool.map(send, groups):
            loads += done
            if progress and not dry_run:
                last = done[-1]
                progress(f"{len(loads)}/{len(chosen)} {ids.compact(last.graph)}: "
                         f"{sum(g.triples for g in done)} triples in {sum(g.seconds for g in done):.2f} s")
    if dry_run:  # only a query, to say which graphs --prune would delete
        stale = stale_graphs(client, endpoints.query, set(chosen)) if prune else ()
        return LoadReport(endpoints, tuple(loads), 0.0, True, creds.source if creds else None, stale)
    pruned = _prune(client, endpoints, set(chosen), progress) if prune else ()
    found = count_triples(client, endpoints.query, chosen)
    checked = tuple(GraphLoad(g.graph, g.triples, found.get(g.graph, 0), g.seconds, g.size) for g in loads)
    wrong = [g for g in checked if g.found != g.triples]
    if wrong:
        listed = "; ".join(f"{ids.compact(g.graph)} sent {g.triples}, holds {g.found}" for g in wrong[:5])
        raise EndpointError(f"{shown(endpoints.query)} does not hold what was sent: {listed}"
                            f"{' ...' if len(wrong) > 5 else ''}. Is another process writing these graphs? "
                            "Load again to replace them")
    return LoadReport(endpoints, checked, time.monotonic() - started, False, creds.source if creds else None, pruned)


def count_triples(client: Client, query_url: str, graphs: Sequence[str]) -> dict[str, int]:
    """How many triples each of ``graphs`` holds on the endpoint (graphs it lacks are left out)."""
    counts: dict[str, int] = {}
    for start in range(0, len(graphs), GRAPHS_PER_COUNT):
        values = " ".join(str(ox.NamedNode(g)) for g in graphs[start:start + GRAPHS_PER_COUNT])
        results = client.query(query_url, f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} "
                                          "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        for graph, number in results.rows:
            if graph is not None and number is not None:
                counts[graph.value] = int(number.value)
    return counts


def server_graphs(client: Client, query_url: str) -> list[str]:
    """The named graphs the endpoint holds under the project's graph namespace."""
    namespace = ids.source_graph("").value
    results = client.query(query_url, "SELECT DISTINCT ?g WHERE { GRAPH ?g { } "
                                      f"FILTER(STRSTARTS(STR(?g), {_string(namespace)})) }}")
    return sorted(row[0].value for row in results.rows if row[0] is not None and row[0].value.startswith(namespace))


def stale_graphs(client: Client, query_url: str, keep: set[str]) -> tuple[str, ...]:
    """The project's graphs on the endpoint that are not in ``keep``: what ``--prune`` deletes."""
    return tuple(g for g in server_graphs(client, query_url) if g not in keep)


def _prune(client: Client, endpoints: Endpoints, keep: set[str], progress: Progress | None) -> tuple[str, ...]:
    stale = stale_graphs(client, endpoints.query, keep)
    for graph in stale:
        client.request("DELETE", graph_url(endpoints.store, graph), what=f"the DELETE of graph {ids.compact(graph)}")
        if progress:
            progress(f"deleted {ids.compact(graph)}: the dataset no longer has it")
    return stale


def _string(text: str) -> str:
    return str(ox.Literal(text))
