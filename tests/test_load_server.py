"""load into a real Oxigraph server: complete, idempotent, and recoverable after the server dies mid-load."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from sanctuary_kg import ids
from sanctuary_kg import load as load_lib
from sanctuary_kg.errors import EndpointError, ExitCode
from sanctuary_kg.files import Layout
from sanctuary_kg.remote import Client

from .conftest import OxigraphServer


def client(retries: int = 1) -> Client:
    return Client(timeout=10, retries=retries, sleep=lambda seconds: None, environ={},
                  netrc_file=Path("/nonexistent/netrc"))


def targets(server: OxigraphServer) -> load_lib.Endpoints:
    return load_lib.endpoints(server.url, "oxigraph")


@pytest.fixture(scope="module")
def expected(built: Layout) -> dict[str, rdflib.Graph]:
    """The built dataset's graphs, by IRI."""
    dataset = rdflib.Dataset()
    dataset.parse(built.dataset, format="nquads")
    return {str(g.identifier): g for g in dataset.graphs() if len(g)}


def server_graph(server: OxigraphServer, graph: str) -> rdflib.Graph:
    """One graph as the server holds it, fetched with a Graph Store Protocol GET."""
    answer = client().request("GET", load_lib.graph_url(server.store_url, graph), accept="application/n-triples")
    parsed = rdflib.Graph()
    parsed.parse(data=answer.body, format="nt")
    return parsed


def total_triples(server: OxigraphServer) -> int:
    results = client().query(server.query_url, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    return int(results.rows[0][0].value)  # type: ignore[union-attr]


def assert_holds_the_dataset(server: OxigraphServer, expected: dict[str, rdflib.Graph]) -> None:
    assert load_lib.server_graphs(client(), server.query_url) == sorted(expected)
    for graph, triples in expected.items():
        assert isomorphic(server_graph(server, graph), triples), graph


def test_the_seeds_load_completely_and_verified(built: Layout, expected, oxigraph_server: OxigraphServer):
    report = load_lib.load(built.dataset, targets(oxigraph_server), client=client())
    counts: dict[str, int] = {}
    for q in ox.parse(path=built.dataset, format=ox.RdfFormat.N_QUADS):
        counts[q.graph_name.value] = counts.get(q.graph_name.value, 0) + 1  # type: ignore[union-attr]
    assert {g.graph: g.found for g in report.graphs} == counts
    assert_holds_the_dataset(oxigraph_server, expected)


def test_loading_again_changes_no_count(built: Layout, oxigraph_server: OxigraphServer):
    first = load_lib.load(built.dataset, targets(oxigraph_server), client=client())
    total = total_triples(oxigraph_server)
    again = load_lib.load(built.dataset, targets(oxigraph_server), client=client())
    assert [g.found for g in again.graphs] == [g.found for g in first.graphs]
    assert total_triples(oxigraph_server) == total == first.triples


def test_a_load_cut_off_by_a_dead_server_is_finished_by_loading_again(built: Layout, expected,
                                                                      oxigraph_server: OxigraphServer):
    def kill_after_the_first_graph(message: str) -> None:
        if message.startswith("1/") and oxigraph_server.process:
            oxigraph_server.process.kill()  # no clean shutdown
            oxigraph_server.process.wait()

    with pytest.raises(EndpointError, match=r"could not be reached .*\(2 attempts\): is the server running"):
        load_lib.load(built.dataset, targets(oxigraph_server), client=client(), progress=kill_after_the_first_graph,
                      jobs=1)
    oxigraph_server.start()  # same folder, same port
    assert len(load_lib.server_graphs(client(), oxigraph_server.query_url)) == 1  # what made it before the crash
    report = load_lib.load(built.dataset, targets(oxigraph_server), client=client())
    assert all(g.found == g.triples for g in report.graphs)
    assert_holds_the_dataset(oxigraph_server, expected)


def test_a_parallel_load_cut_off_mid_request_is_finished_by_loading_again(built: Layout, expected,
                                                                          oxigraph_server: OxigraphServer):
    def kill_after_the_first_graph(message: str) -> None:
        if message.startswith("1/") and oxigraph_server.process:
            oxigraph_server.process.kill()  # the other PUT is in flight
            oxigraph_server.process.wait()

    with pytest.raises(EndpointError, match=r"during the PUT of graph .* \(2 attempts\)"):
        load_lib.load(built.dataset, targets(oxigraph_server), client=client(), progress=kill_after_the_first_graph,
                      jobs=2)
    oxigraph_server.start()
    report = load_lib.load(built.dataset, targets(oxigraph_server), client=client(), jobs=2)
    assert all(g.found == g.triples for g in report.graphs)
    assert_holds_the_dataset(oxigraph_server, expected)


def test_prune_removes_a_graph_the_dataset_no_longer_has(built: Layout, expected, oxigraph_server: OxigraphServer):
    gone = ids.source_graph("999_withdrawn").value
    other = "http://example.org/not-ours"
    for graph in (gone, other):
        client().request("PUT", load_lib.graph_url(oxigraph_server.store_url, graph),
                         b"<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n",
                         content_type="application/n-triples")
    report = load_lib.load(built.dataset, targets(oxigraph_server), prune=True, client=client())
    assert report.pruned == (gone,)
    left = client().query(oxigraph_server.query_url, "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
    assert other in {row[0].value for row in left.rows if row[0] is not None}
    assert_holds_the_dataset(oxigraph_server, expected)


def test_cli_load_into_oxigraph(built: Layout, expected, oxigraph_server: OxigraphServer, run_cli,
                                monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))
    for name in ("SANCTUARY_KG_USER", "SANCTUARY_KG_PASSWORD", "SANCTUARY_KG_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    result = run_cli("--seeds", built.seeds, "--build-dir", built.build, "load", oxigraph_server.url,
                     "--layout", "oxigraph")
    assert result.code == ExitCode.OK, result.err
    assert f"every graph verified with {oxigraph_server.query_url}" in result.out
    assert_holds_the_dataset(oxigraph_server, expected)


def test_a_batched_load_replaces_graphs_and_is_verified(built: Layout, expected, oxigraph_server: OxigraphServer):
    graphs = sorted(expected)
    stale = b'<http://example.org/stale> <http://example.org/p> "left over" .\n'
    client().request("POST", load_lib.graph_url(oxigraph_server.store_url, graphs[0]), stale,
                     content_type="application/n-triples")  # a graph on the server before the load, with a stray triple
    report = load_lib.load(built.dataset, targets(oxigraph_server), client=client(), batch=3)
    assert [g.graph for g in report.graphs] == graphs and all(g.found == g.triples for g in report.graphs)
    assert_holds_the_dataset(oxigraph_server, expected)  # the stray triple is gone
    again = load_lib.load(built.dataset, targets(oxigraph_server), client=client(), batch=3, jobs=1)
    assert total_triples(oxigraph_server) == again.triples == report.triples


def test_a_batched_load_needs_a_layout_with_a_dataset_endpoint(built: Layout, oxigraph_server: OxigraphServer):
    generic = load_lib.endpoints(None, "generic", query=oxigraph_server.query_url, store=oxigraph_server.store_url)
    with pytest.raises(load_lib.UsageError, match="--batch needs"):
        load_lib.load(built.dataset, generic, client=client(), batch=10)


def test_cli_batched_load_and_its_dry_run(built: Layout, expected, oxigraph_server: OxigraphServer, run_cli,
                                          monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))
    args = ("--seeds", built.seeds, "--build-dir", built.build, "load", oxigraph_server.url, "--layout", "oxigraph",
            "--batch", "4")
    dry = run_cli(*args, "--dry-run")
    assert dry.code == ExitCode.OK and "would replace id:graph/entities" in dry.out
    assert load_lib.server_graphs(client(), oxigraph_server.query_url) == []
    done = run_cli(*args)
    assert done.code == ExitCode.OK, done.err
    assert_holds_the_dataset(oxigraph_server, expected)
