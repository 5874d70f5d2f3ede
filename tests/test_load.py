"""load against a scripted local HTTP server: what is sent, verification, retries, errors and credentials."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox
import pytest

from sanctuary_kg import ids
from sanctuary_kg import load as load_lib
from sanctuary_kg.errors import EndpointError, ExitCode, SanctuaryError
from sanctuary_kg.files import Layout
from sanctuary_kg.remote import Client, Credentials

from .conftest import free_port

USER, PASSWORD, TOKEN = "editor", "pa55-w0rd!", "t0ken-xyz"
SECRETS = (PASSWORD, TOKEN, base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode())


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def graph(self) -> str:
        return parse_qs(urlsplit(self.path).query)["graph"][0]


@dataclass
class FakeStore:
    """A tiny Graph Store: holds triple counts per graph, answers count queries, and can be told to misbehave."""

    url: str = ""
    script: list[int | str] = field(default_factory=list)  # answers before behaving: a status, "drop" or "slow"
    graphs: dict[str, int] = field(default_factory=dict)
    lose: int = 0  # triples to lose from every PUT, like a broken store
    requests: list[Request] = field(default_factory=list)

    @property
    def endpoints(self) -> load_lib.Endpoints:
        return load_lib.endpoints(self.url, "oxigraph")

    def puts(self) -> list[Request]:
        return [r for r in self.requests if r.method == "PUT"]

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        request = Request(handler.command, handler.path, dict(handler.headers), handler.rfile.read(length))
        self.requests.append(request)
        if self.script:
            step = self.script.pop(0)
            if step == "drop":
                return  # close the connection without an answer
            if step == "slow":
                time.sleep(1.5)
                return
            assert isinstance(step, int)
            handler.send_response(step)
            if step in (301, 307):
                handler.send_header("Location", "http://elsewhere.example/ds/data")
            handler.send_header("Content-Length", "5")
            handler.end_headers()
            handler.wfile.write(b"nope\n")
            return
        if request.method == "PUT":
            self.graphs[request.graph] = len(request.body.splitlines()) - self.lose
            self.reply(handler, 204)
        elif request.method == "DELETE":
            self.graphs.pop(request.graph, None)
            self.reply(handler, 204)
        else:
            query = request.body.decode()
            if "COUNT" in query:
                rows = [{"g": {"type": "uri", "value": g}, "n": {"type": "literal", "value": str(n)}}
                        for g, n in self.graphs.items()]
            else:
                rows = [{"g": {"type": "uri", "value": g}} for g in self.graphs]
            self.reply(handler, 200, json.dumps({"head": {"vars": ["g", "n"]}, "results": {"bindings": rows}}).encode())

    @staticmethod
    def reply(handler: BaseHTTPRequestHandler, status: int, body: bytes = b"") -> None:
        handler.send_response(status)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)


def serving(store: FakeStore) -> Iterator[FakeStore]:
    """Serve ``store`` on a free loopback port until the generator is closed."""

    class Handler(BaseHTTPRequestHandler):
        def do_PUT(self) -> None:  # noqa: N802
            store.answer(self)

        do_POST = do_GET = do_DELETE = do_PUT  # noqa: N815

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    store.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield store
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def fake() -> Iterator[FakeStore]:
    yield from serving(FakeStore())


@dataclass
class Sleeps:
    seconds: list[float] = field(default_factory=list)

    def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


def client(sleeps: Sleeps | None = None, environ: dict[str, str] | None = None, **options: object) -> Client:
    """A client that does not sleep and reads no credentials but the ones given."""
    return Client(sleep=sleeps or Sleeps(), environ=environ or {}, netrc_file=Path("/nonexistent/netrc"),
                  **options)  # type: ignore[arg-type]


def built_counts(layout: Layout) -> dict[str, int]:
    counts: dict[str, int] = {}
    for q in ox.parse(path=layout.dataset, format=ox.RdfFormat.N_QUADS):
        counts[q.graph_name.value] = counts.get(q.graph_name.value, 0) + 1  # type: ignore[union-attr]
    return counts


def test_each_graph_is_put_as_n_triples_then_counted(built: Layout, fake: FakeStore):
    report = load_lib.load(built.dataset, fake.endpoints, client=client())
    expected = built_counts(built)
    assert {g.graph: g.triples for g in report.graphs} == expected == fake.graphs
    assert all(g.found == g.triples for g in report.graphs) and report.triples == sum(expected.values())
    puts = fake.puts()
    assert sorted(p.graph for p in puts) == sorted(expected)  # once each; two at a time, so in any order
    assert [g.graph for g in report.graphs] == sorted(expected)  # the report in graph order
    assert all(p.path.startswith("/store?graph=https%3A%2F%2F") for p in puts)
    assert all(p.headers["Content-Type"] == "application/n-triples" for p in puts)
    [query] = [r for r in fake.requests if r.method == "POST"]
    assert query.path == "/query" and query.headers["Content-Type"] == "application/sparql-query"
    assert "Authorization" not in query.headers and report.credentials is None


def test_only_the_chosen_graphs(built: Layout, fake: FakeStore):
    report = load_lib.load(built.dataset, fake.endpoints, ["entities", "002_99daf81b38207396"], client=client())
    assert sorted(p.graph for p in fake.puts()) == [ids.source_graph("002_99daf81b38207396").value,
                                                    ids.ENTITIES_GRAPH.value]
    assert len(report.graphs) == 2


def test_a_graph_that_does_not_hold_what_was_sent_is_an_error(built: Layout, fake: FakeStore):
    fake.lose = 1
    with pytest.raises(EndpointError, match=r"does not hold what was sent: id:graph/000_e0473f51d43d97b2 sent (\d+), "
                                            r"holds \d+;.*Load again"):
        load_lib.load(built.dataset, fake.endpoints, client=client())


def test_a_dry_run_sends_nothing(built: Layout, fake: FakeStore):
    report = load_lib.load(built.dataset, fake.endpoints, dry_run=True, client=client())
    assert fake.requests == [] and report.dry_run
    assert {g.graph: g.triples for g in report.graphs} == built_counts(built)
    assert all(g.size > 0 and g.found is None for g in report.graphs)


def test_progress_reports_each_graph(built: Layout, fake: FakeStore):
    lines: list[str] = []
    load_lib.load(built.dataset, fake.endpoints, ["entities", "ontology"], client=client(), progress=lines.append)
    assert lines[0].startswith("1/2 id:graph/entities: ") and lines[1].startswith("2/2 id:graph/ontology: ")


def test_prune_deletes_only_stale_project_graphs(built: Layout, fake: FakeStore):
    stale = ids.source_graph("999_gone").value
    fake.graphs = {stale: 3, "http://example.org/other": 2}
    report = load_lib.load(built.dataset, fake.endpoints, prune=True, client=client())
    assert report.pruned == (stale,)
    assert stale not in fake.graphs and "http://example.org/other" in fake.graphs
    with pytest.raises(SanctuaryError, match="--prune needs the whole dataset"):
        load_lib.load(built.dataset, fake.endpoints, ["entities"], prune=True, client=client())


@pytest.mark.parametrize(("status", "message"), [
    (401, r"wants credentials \(401 Unauthorized\): set SANCTUARY_KG_USER and SANCTUARY_KG_PASSWORD"),
    (403, r"forbids the PUT of graph id:graph/entities \(403 Forbidden\): give the account write access"),
    (404, r"/store does not exist \(404 Not Found\): check the URL and --layout"),
    (405, r"does not allow PUT \(405 Method Not Allowed\): is the dataset read-only\?"),
    (413, r"refused the PUT of graph id:graph/entities as too large \([\d,]+ bytes, 413 Payload Too Large\): "
          r"raise the upload limit"),
    (400, r"answered 400 Bad Request: nope"),
    (307, r"redirects to http://elsewhere.example/ds/data \(307\): use that URL"),
])
def test_client_errors_say_what_to_do_and_are_not_retried(built: Layout, fake: FakeStore, status: int, message: str):
    fake.script = [status]
    sleeps = Sleeps()
    with pytest.raises(EndpointError, match=message) as caught:
        load_lib.load(built.dataset, fake.endpoints, ["entities"], client=client(sleeps))
    assert len(fake.requests) == 1 and sleeps.seconds == []
    assert str(caught.value).startswith(f"{fake.url}/store ")  # the URL without its query string


def test_5xx_answers_are_retried_with_back_off(built: Layout, fake: FakeStore):
    fake.script = [500, 503]
    sleeps = Sleeps()
    report = load_lib.load(built.dataset, fake.endpoints, ["entities"], client=client(sleeps))
    assert sleeps.seconds == [0.5, 1.0]
    assert len(fake.puts()) == 3 and report.graphs[0].found == report.graphs[0].triples


def test_a_server_that_keeps_failing_is_given_up_after_the_retries(built: Layout, fake: FakeStore):
    fake.script = [503] * 4
    sleeps = Sleeps()
    with pytest.raises(EndpointError, match=r"answered 503 Service Unavailable: nope during the PUT of graph "
                                            r"id:graph/entities \(4 attempts\): see the server's log, then rerun"):
        load_lib.load(built.dataset, fake.endpoints, ["entities"], client=client(sleeps, retries=3))
    assert sleeps.seconds == [0.5, 1.0, 2.0]


def test_a_dropped_connection_is_retried(built: Layout, fake: FakeStore):
    fake.script = ["drop"]
    load_lib.load(built.dataset, fake.endpoints, ["entities"], client=client())
    assert len(fake.puts()) == 2 and fake.graphs
    fake.script = ["drop"] * 2
    with pytest.raises(EndpointError, match=r"closed the connection without an answer during the PUT .*\(2 attempts\)"):
        load_lib.load(built.dataset, fake.endpoints, ["entities"], client=client(retries=1))


def test_a_slow_server_times_out(built: Layout, fake: FakeStore):
    fake.script = ["slow"]
    with pytest.raises(EndpointError, match=r"did not answer within 0.3 s during the PUT .*try a larger --timeout"):
        load_lib.load(built.dataset, fake.endpoints, ["entities"], client=client(timeout=0.3, retries=0))


def test_an_unreachable_server(built: Layout):
    targets = load_lib.endpoints(f"http://127.0.0.1:{free_port()}", "fuseki")
    with pytest.raises(EndpointError, match=r"/data could not be reached \(connection refused\) .*\(2 attempts\): "
                                            r"is the server running"):
        load_lib.load(built.dataset, targets, ["entities"], client=client(retries=1))


def test_basic_credentials_from_the_environment_are_sent_and_never_shown(built: Layout, fake: FakeStore):
    environ = {"SANCTUARY_KG_USER": USER, "SANCTUARY_KG_PASSWORD": PASSWORD}
    report = load_lib.load(built.dataset, fake.endpoints, ["entities"], client=client(environ=environ))
    assert all(r.headers["Authorization"] == f"Basic {SECRETS[2]}" for r in fake.requests)
    assert report.credentials == "SANCTUARY_KG_USER and SANCTUARY_KG_PASSWORD"
    for status in (401, 403, 404, 413, 500):
        fake.script = [status] * 4
        with pytest.raises(EndpointError) as caught:
            load_lib.load(built.dataset, fake.endpoints, ["entities"], client=client(environ=environ))
        assert not any(secret in str(caught.value) for secret in SECRETS), caught.value
        assert USER not in str(caught.value)
    fake.script = [401]
    with pytest.raises(EndpointError, match="refused the credentials from SANCTUARY_KG_USER and SANCTUARY_KG_PASSWORD"):
        load_lib.load(built.dataset, fake.endpoints, ["entities"], client=client(environ=environ))


def test_a_token_goes_as_a_bearer_and_wins_over_a_password():
    found = Credentials.find("http://h/ds", {"SANCTUARY_KG_TOKEN": TOKEN, "SANCTUARY_KG_USER": USER,
                                             "SANCTUARY_KG_PASSWORD": PASSWORD})
    assert found is not None and found.header == f"Bearer {TOKEN}" and TOKEN not in repr(found)


def test_a_user_without_a_password_is_an_error():
    with pytest.raises(EndpointError, match="set both SANCTUARY_KG_USER and SANCTUARY_KG_PASSWORD"):
        Credentials.find("http://h/ds", {"SANCTUARY_KG_USER": USER})


def test_netrc_credentials_for_the_host(tmp_path: Path):
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine fuseki.example login {USER} password {PASSWORD}\n")
    netrc.chmod(0o600)
    found = Credentials.find("http://fuseki.example:3030/ds", {"NETRC": str(netrc)})
    assert found is not None and found.header == f"Basic {SECRETS[2]}" and PASSWORD not in repr(found)
    assert Credentials.find("http://other.example/ds", {"NETRC": str(netrc)}) is None
    assert Credentials.find("http://fuseki.example/ds", {"NETRC": str(tmp_path / "none")}) is None


def test_layouts_name_the_services_of_a_dataset_url():
    fuseki = load_lib.endpoints("http://localhost:3030/ds/", "fuseki")
    assert fuseki == load_lib.Endpoints("http://localhost:3030/ds/query", "http://localhost:3030/ds/data",
                                        "http://localhost:3030/ds/update", "http://localhost:3030/ds")
    oxigraph = load_lib.endpoints("http://localhost:7878", "oxigraph")
    assert (oxigraph.query, oxigraph.store, oxigraph.quads) == ("http://localhost:7878/query", "http://localhost:7878/store",
                                                                "http://localhost:7878/store")
    assert load_lib.endpoints(None, "generic", query="http://h/q", store="http://h/s").quads is None
    custom = load_lib.endpoints("http://localhost:3030/ds", "fuseki", store="http://localhost:3030/ds/gsp")
    assert custom.store == "http://localhost:3030/ds/gsp" and custom.query == fuseki.query
    with pytest.raises(SanctuaryError, match="generic layout needs --query-url and --store-url"):
        load_lib.endpoints(None, "generic")
    with pytest.raises(SanctuaryError, match="generic layout takes --query-url and --store-url, not a dataset URL"):
        load_lib.endpoints("http://h/ds", "generic", query="http://h/q", store="http://h/s")
    with pytest.raises(SanctuaryError, match="give the dataset URL"):
        load_lib.endpoints(None, "fuseki")
    with pytest.raises(EndpointError, match="must start with http"):
        load_lib.endpoints("localhost:3030/ds", "fuseki")


def test_a_url_with_credentials_is_refused_without_repeating_them():
    with pytest.raises(EndpointError) as caught:
        load_lib.endpoints(f"http://{USER}:{PASSWORD}@localhost:3030/ds", "fuseki")
    assert "holds credentials" in str(caught.value) and PASSWORD not in str(caught.value)


def cli_args(layout: Layout, *args: object) -> list[object]:
    return ["--seeds", layout.seeds, "--build-dir", layout.build, "load", *args]


@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("SANCTUARY_KG_USER", "SANCTUARY_KG_PASSWORD", "SANCTUARY_KG_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))


def test_cli_dry_run_lists_what_would_be_sent(built: Layout, run_cli, no_credentials):
    result = run_cli(*cli_args(built, "--layout", "generic", "--query-url", "http://h:1/sparql",
                               "--store-url", "http://h:1/gsp", "--dry-run"))
    assert result.code == ExitCode.OK, result.err
    lines = result.out.splitlines()
    assert lines[0].startswith("would PUT") and "to http://h:1/gsp?graph=https%3A%2F%2Fw3id.org" in lines[0]
    assert lines[-1].startswith(f"dry run: {len(built_counts(built))} graphs, {sum(built_counts(built).values())} "
                                "triples for http://h:1/gsp") and "no credentials; nothing sent" in lines[-1]


def test_cli_loads_and_prints_a_table(built: Layout, fake: FakeStore, run_cli, no_credentials):
    result = run_cli(*cli_args(built, fake.url, "--layout", "oxigraph", "--graph", "entities"))
    assert result.code == ExitCode.OK, result.err
    header, row, summary = result.out.splitlines()
    assert header.split() == ["graph", "triples", "on", "server", "seconds"]
    count = str(built_counts(built)[ids.ENTITIES_GRAPH.value])
    assert row.split()[:3] == ["id:graph/entities", count, count]
    assert summary.startswith(f"loaded 1 graph, {count} triples into {fake.url}/store")


def test_cli_errors_name_the_endpoint_and_hide_the_credentials(built: Layout, fake: FakeStore, run_cli,
                                                               monkeypatch: pytest.MonkeyPatch, no_credentials):
    monkeypatch.setenv("SANCTUARY_KG_USER", USER)
    monkeypatch.setenv("SANCTUARY_KG_PASSWORD", PASSWORD)
    fake.script = [401]
    result = run_cli(*cli_args(built, fake.url, "--layout", "oxigraph"))
    assert result.code == ExitCode.ENDPOINT
    assert result.err.startswith(f"sanctuary-kg: error: {fake.url}/store refused the credentials")
    assert not any(secret in result.out + result.err for secret in (*SECRETS, USER))
