"""Remote queries as a server sees them: credentials sent (never shown), URLs checked, redirects, timeouts."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sanctuary_kg import access, sparql
from sanctuary_kg.errors import EndpointError, ExitCode, UsageError
from sanctuary_kg.files import Layout

USER, PASSWORD, TOKEN = "ann", "s3cret-pa55", "t0ken-xyz"
SECRETS = (PASSWORD, TOKEN, base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode())
EMPTY = {"head": {"vars": ["thing", "fits"]}, "results": {"bindings": []}}


@dataclass
class Stub:
    """A SPARQL endpoint that answers 401 unless the request carries the one Authorization header it wants."""

    url: str = ""
    wanted: str | None = None  # the Authorization header it accepts; None: no credentials needed
    delay: float = 0.0
    redirect: str | None = None
    seen: list[dict[str, str]] = field(default_factory=list)

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        query = handler.rfile.read(length).decode()
        self.seen.append(dict(handler.headers))
        if self.delay:
            time.sleep(self.delay)
        if self.redirect:
            handler.send_response(302)
            handler.send_header("Location", self.redirect)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        if self.wanted is not None and handler.headers.get("Authorization") != self.wanted:
            self.reply(handler, 401, b"Unauthorized\n", "text/plain")
            return
        body = EMPTY if "SELECT" in query else {"head": {}, "boolean": True}
        self.reply(handler, 200, json.dumps(body).encode(), "application/sparql-results+json")

    @staticmethod
    def reply(handler: BaseHTTPRequestHandler, status: int, body: bytes, content_type: str) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)


def serve(stub: Stub) -> Iterator[Stub]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            stub.answer(self)

        do_GET = do_POST  # noqa: N815

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    stub.url = f"http://127.0.0.1:{server.server_address[1]}/query"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield stub
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def stub() -> Iterator[Stub]:
    yield from serve(Stub())


@pytest.fixture
def elsewhere() -> Iterator[Stub]:
    """Another server, which must never see the credentials."""
    yield from serve(Stub())


@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in (access.USER, access.PASSWORD, access.TOKEN, "SANCTUARY_KG_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    netrc = tmp_path / "netrc"
    monkeypatch.setenv("NETRC", str(netrc))
    return netrc


def args(layout: Layout, *rest: object) -> list[str]:
    return [str(a) for a in ("--seeds", layout.seeds, "--build-dir", layout.build, *rest)]


def asks(endpoint: str) -> list[tuple[str, ...]]:
    """A question of each command that takes --endpoint."""
    return [("sparql", "ASK { ?s ?p ?o }", "--endpoint", endpoint),
            ("query", "orders", "--endpoint", endpoint),
            ("sparql", "SELECT ?thing ?fits WHERE { ?thing a sk:Order }", "--endpoint", endpoint, "--format", "csv")]


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


# ------------------------------------------------------------------ credentials


def test_queries_without_credentials_are_refused_and_say_how_to_give_them(built: Layout, run_cli, stub: Stub,
                                                                            no_credentials: Path) -> None:
    stub.wanted = basic(USER, PASSWORD)
    result = run_cli(*args(built, *asks(stub.url)[0]))
    assert result.code == ExitCode.ENDPOINT
    assert result.err == (f"sanctuary-kg: error: {stub.url} wants credentials (401 Unauthorized): set "
                          "SANCTUARY_KG_USER and SANCTUARY_KG_PASSWORD (or SANCTUARY_KG_TOKEN), or add a ~/.netrc "
                          "entry for 127.0.0.1\n")


@pytest.mark.parametrize("how", ["password", "token", "netrc"])
def test_queries_send_the_credentials_load_uses(built: Layout, run_cli, stub: Stub, no_credentials: Path,
                                                monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    if how == "password":
        monkeypatch.setenv(access.USER, USER)
        monkeypatch.setenv(access.PASSWORD, PASSWORD)
        stub.wanted = basic(USER, PASSWORD)
    elif how == "token":
        monkeypatch.setenv(access.TOKEN, TOKEN)
        stub.wanted = f"Bearer {TOKEN}"
    else:
        no_credentials.write_text(f"machine 127.0.0.1 login {USER} password {PASSWORD}\n", encoding="utf-8")
        no_credentials.chmod(0o600)
        stub.wanted = basic(USER, PASSWORD)
    for question in asks(stub.url):
        result = run_cli(*args(built, *question))
        assert result.code == ExitCode.OK, result.err
        assert not any(secret in result.out + result.err for secret in SECRETS)
    assert stub.seen and all(headers.get("Authorization") == stub.wanted for headers in stub.seen)
    assert run_cli(*args(built, *asks(stub.url)[0])).out == "true\n"


def test_wrong_credentials_are_named_by_where_they_come_from_not_shown(built: Layout, run_cli, stub: Stub,
                                                                       no_credentials: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(access.USER, USER)
    monkeypatch.setenv(access.PASSWORD, PASSWORD)
    stub.wanted = basic(USER, "another")
    result = run_cli(*args(built, *asks(stub.url)[1]))
    assert result.code == ExitCode.ENDPOINT
    assert result.err.startswith(f"sanctuary-kg: error: {stub.url} refused the credentials from SANCTUARY_KG_USER "
                                 "and SANCTUARY_KG_PASSWORD (401 Unauthorized)")
    assert not any(secret in result.err for secret in SECRETS)


def test_a_redirect_is_not_followed_with_the_credentials(built: Layout, run_cli, stub: Stub, elsewhere: Stub,
                                                         no_credentials: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(access.TOKEN, TOKEN)
    stub.redirect = elsewhere.url
    result = run_cli(*args(built, *asks(stub.url)[0]))
    assert result.code == ExitCode.ENDPOINT
    assert f"{stub.url} redirects to {elsewhere.url} (302): use that URL" in result.err
    assert elsewhere.seen == []


# ------------------------------------------------------------------ URLs


COMMANDS_WITH_URLS: list[Callable[[str], tuple[str, ...]]] = [
    lambda url: ("query", "orders", "--endpoint", url),
    lambda url: ("sparql", "ASK {}", "--endpoint", url),
    lambda url: ("trace", "montgomery-county", "--endpoint", url),
    lambda url: ("load", url, "--layout", "oxigraph"),
    lambda url: ("load", url, "--layout", "fuseki", "--dry-run"),
    lambda url: ("load", "--layout", "generic", "--query-url", url, "--store-url", "http://127.0.0.1:9/store"),
    lambda url: ("load", "--layout", "generic", "--query-url", "http://127.0.0.1:9/q", "--store-url", url),
    lambda url: ("load", "http://127.0.0.1:9", "--layout", "oxigraph", "--update-url", url, "--dry-run"),
]


@pytest.mark.parametrize("url", [
    "http://ann:s3cret@127.0.0.1:9/query",
    "https://ann:s3cret@example.org/sparql",
    "http://s3cret@127.0.0.1:9/query",
    "ann:s3cret@127.0.0.1:9",
    "http//ann:s3cret@127.0.0.1:9",
    "http:/ann:s3cret@127.0.0.1:9",
    "ann:s3cret@[::1",
])
@pytest.mark.parametrize("make", COMMANDS_WITH_URLS)
def test_a_url_with_credentials_is_refused_everywhere_without_repeating_them(
        built: Layout, run_cli, no_credentials: Path, url: str, make: Callable[[str], tuple[str, ...]]) -> None:
    result = run_cli(*args(built, *make(url)))
    assert result.code == ExitCode.ENDPOINT, result.err
    assert "URL holds credentials: remove them and set SANCTUARY_KG_USER and SANCTUARY_KG_PASSWORD" in result.err
    assert "s3cret" not in result.out + result.err and "ann" not in result.err
    assert result.err.count("\n") == 1


def test_the_endpoint_from_the_environment_is_checked_too(built: Layout, run_cli, no_credentials: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANCTUARY_KG_ENDPOINT", "http://ann:s3cret@127.0.0.1:9/query")
    result = run_cli(*args(built, "query", "orders"))
    assert result.code == ExitCode.ENDPOINT and "holds credentials" in result.err and "s3cret" not in result.err


@pytest.mark.parametrize(("url", "message"), [
    ("http://[::1", "the endpoint URL 'http://[::1' is not a valid URL (Invalid IPv6 URL)"),
    ("http://127.0.0.1:port/query", "is not a valid URL (Port could not be cast to integer value"),
    ("http://127.0.0.1:9/my query", "holds spaces or control characters: percent-encode them"),
    ("ftp://example.org/sparql", "'ftp://example.org/sparql' is not an http(s) URL"),
    ("localhost:7878/query", "is not an http(s) URL: it must start with http:// or https://"),
    ("http:///query", "is not an http(s) URL"),
    ("http://127.0.0.1:9/query#results", "has a fragment (#...), which is never sent"),
])
def test_a_bad_endpoint_url_is_one_line_from_the_library(built: Layout, run_cli, no_credentials: Path, url: str,
                                                         message: str) -> None:
    for question in (("sparql", "ASK {}", "--endpoint", url), ("query", "orders", "--endpoint", url)):
        result = run_cli(*args(built, *question))
        assert result.code == ExitCode.ENDPOINT, result.err
        assert result.err.startswith("sanctuary-kg: error: ") and message in result.err and "internal" not in result.err
        assert result.err.count("\n") == 1
    with pytest.raises(EndpointError, match="URL"):
        sparql.Target(endpoint=url)


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/?password=s3cret", "http://127.0.0.1:9/ds?x=1",
                                 "http://127.0.0.1:9/ds#s3cret", "http://127.0.0.1:9/ds?"])
def test_a_dataset_url_with_a_query_string_or_fragment_is_refused(built: Layout, run_cli, no_credentials: Path,
                                                                  url: str) -> None:
    for layout in ("oxigraph", "fuseki"):
        result = run_cli(*args(built, "load", url, "--layout", layout, "--dry-run"))
        assert result.code == ExitCode.ENDPOINT, result.out
        assert result.out == "" and "s3cret" not in result.err and result.err.count("\n") == 1
        assert "has a query string" in result.err or "has a fragment" in result.err


def test_a_query_string_of_an_endpoint_is_never_shown(built: Layout, run_cli, no_credentials: Path) -> None:
    result = run_cli(*args(built, "query", "orders", "--endpoint", "http://127.0.0.1:9/query?password=s3cret"))
    assert result.code == ExitCode.ENDPOINT
    assert result.err.startswith("sanctuary-kg: error: cannot reach http://127.0.0.1:9/query ")
    assert "s3cret" not in result.err


def test_no_inferred_on_an_endpoint_is_a_usage_error_from_the_library() -> None:
    with pytest.raises(UsageError, match="--no-inferred hides a graph of the embedded store"):
        sparql.Target(endpoint="http://127.0.0.1:9/query", inferred=False)


# ------------------------------------------------------------------ timeouts


def test_a_timeout_below_a_second_is_kept(built: Layout, run_cli, stub: Stub, no_credentials: Path) -> None:
    stub.delay = 1.5
    started = time.monotonic()
    result = run_cli(*args(built, "sparql", "ASK {}", "--endpoint", stub.url, "--timeout", "0.3"))
    assert time.monotonic() - started < 0.95  # not rounded up to a second
    assert result.code == ExitCode.ENDPOINT
    assert f"{stub.url} did not answer within 0.3 s: try a larger --timeout" in result.err


def test_a_fractional_timeout_is_not_cut_to_whole_seconds(built: Layout, run_cli, stub: Stub,
                                                          no_credentials: Path) -> None:
    stub.delay = 1.3
    result = run_cli(*args(built, "sparql", "ASK {}", "--endpoint", stub.url, "--timeout", "1.9"))
    assert (result.code, result.out) == (ExitCode.OK, "true\n"), result.err  # int(1.9) would give up at 1 s
