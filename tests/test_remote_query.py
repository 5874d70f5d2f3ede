"""The same questions against a real SPARQL server (`oxigraph serve` on 127.0.0.1), and endpoints that fail."""

from __future__ import annotations

import http.server
import shlex
import socket
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from sanctuary_kg import queries, sparql
from sanctuary_kg import trace as trace_lib
from sanctuary_kg.cli import main
from sanctuary_kg.errors import ExitCode, QueryError
from sanctuary_kg.files import Layout, resources
from sanctuary_kg.sparql import Target

QUERIES = resources() / "queries"
NASTY = 'x" } UNION { ?s ?p ?o } #> \\u0022 }\n} SELECT * { ?a ?b ?c'


def invoke(layout: Layout, *args: str) -> tuple[int, str, str]:
    runner = CliRunner()
    code = 0
    with runner.isolation() as (out, err, _):
        try:
            main(["--seeds", str(layout.seeds), "--build-dir", str(layout.build), *args])
        except SystemExit as done:
            code = int(done.code or 0)
    return code, out.getvalue().decode(), err.getvalue().decode()


def post(url: str, data: bytes, content_type: str) -> None:
    request = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": content_type})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status in (200, 201, 204)


@pytest.fixture
def server(oxigraph_server: Any, built: Layout) -> Any:
    """The real server, holding the same dataset as the embedded store."""
    post(oxigraph_server.store_url, built.dataset.read_bytes(), "application/n-quads")
    return oxigraph_server


@pytest.fixture(scope="module")
def local(built: Layout) -> Iterator[Target]:
    yield Target(store=sparql.open_store(built.store))


def example_values(query: queries.StoredQuery) -> dict[str, str]:
    words = shlex.split(query.example)[3:]
    pairs = zip(words[::2], words[1::2], strict=True)
    return dict(value.split("=", 1) for flag, value in pairs if flag in ("-p", "--param"))


def test_every_stored_query_answers_the_same_on_a_real_server(server: Any, local: Target, built: Layout) -> None:
    remote = Target(endpoint=server.query_url, timeout=30)
    checked = []
    for name, query in queries.load(QUERIES).items():
        variants = [example_values(query), {}] if not any(p.required for p in query.parameters) else \
            [example_values(query)]
        variants += [{p.name: p.example for p in query.parameters}] if query.parameters else []
        for values in variants:
            here, there = queries.run(query, values, local), queries.run(query, values, remote)
            assert (here.form, here.variables) == (there.form, there.variables), name
            assert here.rows == there.rows, f"{name} {values}: the embedded store and the server disagree"
            checked.append((name, len(here.rows)))
    assert {name for name, _ in checked} == set(queries.load(QUERIES))
    assert sum(n for _, n in checked) > 100  # real answers, not empty ones
    # the command gives the same bytes either way
    for args in (("query", "claims-about-jurisdiction", "-p", "jurisdiction=Montgomery County", "--format", "csv"),
                 ("query", "orders", "--format", "json"),
                 ("sparql", "ASK { GRAPH ?g { ?c a sk:Claim } }", "--format", "xml"),
                 ("sparql", "CONSTRUCT { ?o a sk:Order } WHERE { GRAPH ?g { ?o a sk:Order } }", "--format", "nt"),
                 ("trace", "promoting-community-trust-executive-order")):
        embedded = invoke(built, *args)
        remotely = invoke(built, *args, "--endpoint", server.query_url)
        assert embedded[0] == remotely[0] == 0, remotely[2]
        if args[0] == "sparql" and "CONSTRUCT" in args[1]:
            assert sorted(embedded[1].splitlines()) == sorted(remotely[1].splitlines())
        else:
            assert embedded[1] == remotely[1], args


def test_values_are_matched_literally_on_a_real_server(server: Any, local: Target, tmp_path: Path) -> None:
    remote = Target(endpoint=server.query_url, timeout=30)
    officials = queries.find(QUERIES, "officials")
    for target in (local, remote):
        assert queries.run(officials, {"office": NASTY}, target).rows == ()
        found = queries.run(officials, {"office": "County Executive"}, target)
        assert {row[0] for row in found.rows} == {ox.NamedNode("https://w3id.org/sanctuary-kg/id/person/marc-elrich")}
        with pytest.raises(QueryError, match="is not a jurisdiction"):
            queries.run(officials, {"jurisdiction": NASTY}, target)
    # a literal that holds the very characters is found, and only it
    graph = "urn:x-test:nasty"
    turtle = f'<http://example.org/b> <http://example.org/label> {ox.Literal(NASTY)} .\n' \
             '<http://example.org/c> <http://example.org/label> "x" .\n'
    post(f"{server.store_url}?graph={graph}", turtle.encode(), "text/turtle")
    path = tmp_path / "labelled.rq"
    path.write_text("""#+ title: Labelled
#+ description: Things with a label.
#+ parameters:
#+   - {name: label, type: string, example: x}
#+ example: sanctuary-kg query labelled -p label=x
SELECT ?thing WHERE { GRAPH <urn:x-test:nasty> { ?thing <http://example.org/label> ?label } }
""", encoding="utf-8")
    labelled = queries.read(path)
    assert queries.run(labelled, {"label": NASTY}, remote).rows == ((ox.NamedNode("http://example.org/b"),),)
    assert queries.run(labelled, {"label": "x"}, remote).rows == ((ox.NamedNode("http://example.org/c"),),)


def test_trace_on_a_real_server_checks_the_local_articles(server: Any, built: Layout) -> None:
    remote = Target(endpoint=server.query_url, timeout=30)
    found = trace_lib.trace("elrich-force-of-law", remote, built.seeds)
    assert [(e.start, e.end, e.article) for e in found.evidence] == [(1344, 1419, trace_lib.ArticleStatus.MATCHES)]


def test_a_real_server_answering_4xx(server: Any, built: Layout) -> None:
    code, _, err = invoke(built, "query", "orders", "--endpoint", f"{server.url}/no-such-path")
    assert code == ExitCode.ENDPOINT
    assert f"{server.url}/no-such-path answered 404 Not Found: check the endpoint's URL" in err
    with pytest.raises(QueryError, match="the query does not parse: line 1, column 9"):  # told apart from other 400s
        sparql.run_remote(server.query_url, "SELEC ?x", "SELECT", timeout=5)


# ------------------------------------------------------------------ endpoints that fail


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(handle: Callable[[http.server.BaseHTTPRequestHandler], None]) -> Iterator[str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            handle(self)

        do_GET = do_POST  # noqa: N815

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/query"
    finally:
        httpd.shutdown()
        httpd.server_close()


def answer(status: int, body: bytes, content_type: str = "text/plain") -> Callable[[Any], None]:
    def handle(request: Any) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        request.rfile.read(length)
        request.send_response(status)
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)
    return handle


@pytest.fixture
def failing_500() -> Iterator[str]:
    yield from serve(answer(500, b"Internal error: the store is on fire\nmore detail"))


@pytest.fixture
def failing_400() -> Iterator[str]:
    yield from serve(answer(400, b"Parse error: unexpected token"))


@pytest.fixture
def not_sparql() -> Iterator[str]:
    yield from serve(answer(200, b"<html>a login page</html>", "text/html"))


@pytest.fixture
def slow() -> Iterator[str]:
    def handle(request: Any) -> None:
        time.sleep(3)
        answer(200, b'{"head": {"vars": []}, "results": {"bindings": []}}', "application/sparql-results+json")(request)
    yield from serve(handle)


@pytest.fixture
def hangs_up() -> Iterator[str]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    stop = threading.Event()

    def accept_and_close() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            connection.close()

    thread = threading.Thread(target=accept_and_close, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/query"
    finally:
        stop.set()
        thread.join()
        listener.close()


def test_endpoint_unreachable(built: Layout) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    code, out, err = invoke(built, "query", "orders", "--endpoint", url)
    assert (code, out) == (ExitCode.ENDPOINT, "")
    assert err.startswith(f"sanctuary-kg: error: cannot reach {url}") and "is the server running" in err


def test_endpoint_that_hangs_up(built: Layout, hangs_up: str) -> None:
    code, _, err = invoke(built, "query", "orders", "--endpoint", hangs_up)
    assert code == ExitCode.ENDPOINT
    assert hangs_up in err


def test_endpoint_too_slow(built: Layout, slow: str) -> None:
    started = time.monotonic()
    code, _, err = invoke(built, "query", "orders", "--endpoint", slow, "--timeout", "1")
    assert time.monotonic() - started < 2.9
    assert code == ExitCode.ENDPOINT
    assert f"{slow} did not answer within 1 s: try a larger --timeout" in err


def test_endpoint_answering_500(built: Layout, failing_500: str) -> None:
    code, _, err = invoke(built, "sparql", "ASK { ?s ?p ?o }", "--endpoint", failing_500)
    assert code == ExitCode.ENDPOINT
    assert f"{failing_500} answered 500 Internal Server Error: the server failed: look at its log" in err
    assert err.count("\n") == 1


def test_endpoint_answering_400(built: Layout, failing_400: str) -> None:
    code, _, err = invoke(built, "query", "trace-claim", "-p", "claim=urn:x", "--endpoint", failing_400)
    assert code == ExitCode.ENDPOINT  # the query parses here: the server refuses it for a reason of its own
    assert f"{failing_400} rejected the query (400 Bad Request, Parse error: unexpected token)" in err


def test_endpoint_that_is_not_sparql(built: Layout, not_sparql: str) -> None:
    code, _, err = invoke(built, "query", "orders", "--endpoint", not_sparql)
    assert code == ExitCode.ENDPOINT
    assert f"{not_sparql} did not send SPARQL JSON results" in err


def test_updates_never_reach_the_endpoint(built: Layout, failing_500: str) -> None:
    code, _, err = invoke(built, "sparql", "DROP ALL", "--endpoint", failing_500)
    assert code == ExitCode.QUERY  # refused here, before any request
    assert "is an update" in err
