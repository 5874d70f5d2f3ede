"""load: Retry-After, a dry run of --prune, a stale triple replaced on a real server, answers after a load."""

from __future__ import annotations

import shlex
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from sanctuary_kg import ids, queries, sparql
from sanctuary_kg import load as load_lib
from sanctuary_kg.errors import ExitCode
from sanctuary_kg.files import Layout, resources
from sanctuary_kg.remote import MAX_RETRY_AFTER

from .conftest import OxigraphServer
from .test_load import FakeStore, Request, Sleeps, client, serving

QUERIES = resources() / "queries"
STALE = "<http://example.org/stale> <http://example.org/p> \"left over\" ."


@dataclass
class Busy(FakeStore):
    """The fake Graph Store, answering 429 (with ``Retry-After``) before it behaves."""

    busy: list[str | None] = field(default_factory=list)  # the Retry-After of each 429, None for none

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        if not self.busy:
            super().answer(handler)
            return
        body = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        self.requests.append(Request(handler.command, handler.path, dict(handler.headers), body))
        after = self.busy.pop(0)
        handler.send_response(429)
        if after is not None:
            handler.send_header("Retry-After", after)
        handler.send_header("Content-Length", "0")
        handler.end_headers()


@pytest.fixture
def busy() -> Iterator[Busy]:
    yield from serving(Busy())  # type: ignore[misc]


def test_429_waits_as_long_as_retry_after_says_up_to_a_cap(built: Layout, busy: Busy) -> None:
    busy.busy = ["7", "86400", None]
    sleeps = Sleeps()
    report = load_lib.load(built.dataset, busy.endpoints, ["entities"], client=client(sleeps, retries=3))
    assert sleeps.seconds == [7.0, MAX_RETRY_AFTER, 2.0]  # the third 429 has none: the back-off's third step
    assert report.graphs[0].found == report.graphs[0].triples


def test_a_dry_run_of_prune_lists_what_would_be_deleted_and_deletes_nothing(built: Layout, busy: Busy, run_cli,
                                                                           monkeypatch: pytest.MonkeyPatch,
                                                                           tmp_path: Path) -> None:
    for name in ("SANCTUARY_KG_USER", "SANCTUARY_KG_PASSWORD", "SANCTUARY_KG_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))
    stale = ids.source_graph("999_gone").value
    busy.graphs = {stale: 3, "http://example.org/other": 2}
    result = run_cli("--seeds", built.seeds, "--build-dir", built.build, "load", busy.url, "--layout", "oxigraph",
                     "--dry-run", "--prune")
    assert result.code == ExitCode.OK, result.err
    lines = result.out.splitlines()
    assert f"would DELETE {load_lib.graph_url(busy.url + '/store', stale)}: the dataset no longer has it" in lines
    assert "other" not in result.out
    assert ", 1 graph to delete," in lines[-1]
    assert busy.graphs == {stale: 3, "http://example.org/other": 2}  # nothing deleted, nothing put
    assert {r.method for r in busy.requests} == {"POST"}  # only the query for the server's graphs
    report = load_lib.load(built.dataset, busy.endpoints, dry_run=True, prune=True, client=client())
    assert report.pruned == (stale,) and report.dry_run


# ------------------------------------------------------------------ a real server


def post(url: str, data: bytes, content_type: str) -> None:
    request = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": content_type})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status in (200, 201, 204)


def test_loading_again_replaces_a_graph_that_holds_a_stale_triple(built: Layout,
                                                                  oxigraph_server: OxigraphServer) -> None:
    targets = load_lib.endpoints(oxigraph_server.url, "oxigraph")
    entities = ids.ENTITIES_GRAPH.value
    first = load_lib.load(built.dataset, targets, ["entities"], client=client())
    # a triple added to the loaded graph on the server, by the Graph Store Protocol (POST adds, PUT replaces)
    post(load_lib.graph_url(oxigraph_server.store_url, entities), STALE.encode() + b"\n", "application/n-triples")
    ask = f"ASK {{ GRAPH <{entities}> {{ <http://example.org/stale> ?p ?o }} }}"
    assert client().query(oxigraph_server.query_url, ask).boolean is True
    again = load_lib.load(built.dataset, targets, ["entities"], client=client())
    assert client().query(oxigraph_server.query_url, ask).boolean is False
    assert again.graphs[0].found == again.graphs[0].triples == first.graphs[0].triples


def example_values(query: queries.StoredQuery) -> dict[str, str]:
    words = shlex.split(query.example)[3:]
    return dict(value.split("=", 1) for flag, value in zip(words[::2], words[1::2], strict=True)
                if flag in ("-p", "--param"))


def test_a_server_filled_by_load_answers_like_the_embedded_store(built: Layout, oxigraph_server: OxigraphServer,
                                                                 run_cli, monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    for name in ("SANCTUARY_KG_USER", "SANCTUARY_KG_PASSWORD", "SANCTUARY_KG_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))
    loaded = run_cli("--seeds", built.seeds, "--build-dir", built.build, "load", oxigraph_server.url,
                     "--layout", "oxigraph")
    assert loaded.code == ExitCode.OK, loaded.err
    local = sparql.Target(store=sparql.open_store(built.store))
    remote = sparql.Target(endpoint=oxigraph_server.query_url)
    answered = 0
    for name, query in queries.load(QUERIES).items():
        values = example_values(query)
        here, there = queries.run(query, values, local), queries.run(query, values, remote)
        assert (here.variables, here.rows) == (there.variables, there.rows), name
        answered += len(here.rows)
    assert answered > 100
    for rest in (("query", "claims-about-jurisdiction", "-p", "jurisdiction=montgomery-county", "--format", "csv"),
                 ("trace", "elrich-force-of-law", "--format", "json")):
        embedded = run_cli("--seeds", built.seeds, "--build-dir", built.build, *rest)
        remotely = run_cli("--seeds", built.seeds, "--build-dir", built.build, *rest,
                           "--endpoint", oxigraph_server.query_url)
        assert embedded.code == remotely.code == ExitCode.OK, remotely.err
        assert embedded.out == remotely.out
