"""Queries that go wrong, on the embedded store and on a real server: one line, the right place, the right exit code."""

from __future__ import annotations

import http.server
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from sanctuary_kg import output, queries, resolve, sparql
from sanctuary_kg import trace as trace_lib
from sanctuary_kg.errors import EndpointError, ExitCode, QueryError, ValidationFailed
from sanctuary_kg.files import Layout, resources
from sanctuary_kg.formats import Format
from sanctuary_kg.sparql import Target

from .conftest import OxigraphServer, free_port
from .test_remote_query import serve

QUERIES = resources() / "queries"
AGENT = "http://www.w3.org/ns/prov#Agent"
# rdflib accepts these; SPARQL 1.1 (and Oxigraph) does not
GROUPED = "SELECT ?x WHERE { ?s ?p ?o } GROUP BY ?s"
REBOUND = "SELECT (1 AS ?s) WHERE { ?s ?p ?o }"
ON_LINE_3 = "# which things?\nSELECT ?x\nWHERE { ?s ?p ?o } GROUP BY ?s"


def args(layout: Layout, *rest: object) -> list[str]:
    return [str(a) for a in ("--seeds", layout.seeds, "--build-dir", layout.build, *rest)]


@pytest.fixture
def server(oxigraph_server: OxigraphServer, built: Layout) -> OxigraphServer:
    request = urllib.request.Request(oxigraph_server.store_url, data=built.dataset.read_bytes(), method="POST",
                                     headers={"Content-Type": "application/n-quads"})
    with urllib.request.urlopen(request, timeout=30):
        pass
    return oxigraph_server


@pytest.fixture(scope="module")
def local(built: Layout) -> Target:
    return Target(store=sparql.open_store(built.store))


# ------------------------------------------------------------------ queries Oxigraph refuses


@pytest.mark.parametrize(("text", "where"), [
    (GROUPED, "line 1, column 41: the SELECT contains a variable that is unbound"),
    (REBOUND, "line 1, column 36: the SELECT overrides an existing variable using an expression"),
    (ON_LINE_3, "line 3, column 31: the SELECT contains a variable that is unbound (near 'WHERE { ?s ?p ?o } GROUP"),
])
def test_a_query_oxigraph_refuses_is_one_line_at_the_users_line(built: Layout, run_cli, text: str,
                                                                where: str) -> None:
    result = run_cli(*args(built, "sparql", text))
    assert result.code == ExitCode.QUERY
    assert result.err == f"sanctuary-kg: error: the query does not parse: {where}" + result.err.split(where, 1)[1]
    assert result.err.count("\n") == 1 and len(result.err) < 300


def test_a_query_oxigraph_refuses_on_a_real_server_is_a_bad_query_too(built: Layout, run_cli,
                                                                      server: OxigraphServer) -> None:
    for text in (GROUPED, REBOUND, ON_LINE_3):
        embedded = run_cli(*args(built, "sparql", text))
        remote = run_cli(*args(built, "sparql", text, "--endpoint", server.query_url))
        assert remote.code == embedded.code == ExitCode.QUERY
        assert remote.err == embedded.err  # the same line and column, in the text as written
    with pytest.raises(QueryError, match="line 1, column 41"):
        sparql.run_remote(server.query_url, GROUPED, "SELECT")


def test_a_stored_query_oxigraph_refuses_names_its_own_line(tmp_path: Path) -> None:
    path = tmp_path / "grouped.rq"
    header = ("#+ title: T\n#+ description: D\n#+ parameters:\n#+   - {name: x, type: iri, example: \"urn:x\"}\n"
              "#+ example: sanctuary-kg query grouped -p x=urn:x\n")
    path.write_text(header + "SELECT ?y\nWHERE {\n  ?x ?p ?y\n}\nGROUP BY ?x\n", encoding="utf-8")
    with pytest.raises(QueryError) as caught:
        queries.read(path)
    message = str(caught.value)
    # line 11 of the file (where GROUP BY ends), not 13 (the lines of the VALUES block added to check it)
    assert message == f"{path}: Oxigraph cannot parse the query: line 11, column 1: the SELECT contains a variable " \
                      "that is unbound"
    assert "\n" not in message


# ------------------------------------------------------------------ SERVICE


@pytest.fixture
def failing_service() -> Iterator[str]:
    def fail(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        handler.send_response(500)
        handler.send_header("Content-Length", "5")
        handler.end_headers()
        handler.wfile.write(b"fire\n")

    yield from serve(fail)


def test_a_service_that_fails_is_an_endpoint_error_naming_it(built: Layout, run_cli, failing_service: str) -> None:
    unreachable = f"http://127.0.0.1:{free_port()}/x"
    for service in (unreachable, failing_service):
        for text in (f"SELECT * WHERE {{ SERVICE <{service}> {{ ?s ?p ?o }} }}",
                     f"ASK {{ SERVICE <{service}> {{ ?s ?p ?o }} }}",
                     f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{service}> {{ ?s ?p ?o }} }}"):
            result = run_cli(*args(built, "sparql", text))
            assert result.code == ExitCode.ENDPOINT, result.err
            assert result.err.startswith(f"sanctuary-kg: error: the SERVICE {service} failed (")
            assert "internal error" not in result.err and result.err.count("\n") == 1
    silent = run_cli(*args(built, "sparql", f"ASK {{ SERVICE SILENT <{unreachable}> {{ ?s ?p ?o }} }}"))
    assert silent.code == ExitCode.OK


# ------------------------------------------------------------------ IRIs and prefixed names as parameters


def test_an_iri_parameter_must_name_something_of_its_range(built: Layout, local: Target,
                                                           server: OxigraphServer) -> None:
    remote = Target(endpoint=server.query_url)
    claims = queries.find(QUERIES, "claims-about-jurisdiction")
    provisions = queries.find(QUERIES, "jurisdictions-by-provision")
    for target in (local, remote):
        with pytest.raises(QueryError, match=r"^'id:person/marc-elrich' names id:person/marc-elrich \(Marc Elrich\), "
                                             r"which is not a jurisdiction$"):
            queries.run(claims, {"jurisdiction": "id:person/marc-elrich"}, target)
        with pytest.raises(QueryError, match="which is not a jurisdiction"):
            queries.run(claims, {"jurisdiction": "https://w3id.org/sanctuary-kg/id/person/marc-elrich"}, target)
        for typo in ("skp:detainers-need-judicial-warant",
                     "<https://w3id.org/sanctuary-kg/provision/detainers-need-judicial-warant>"):
            with pytest.raises(QueryError, match=rf"^'{typo}' is not one of the policy provisions: give an id, a "
                                                 r"label or an IRI; did you mean detainers-need-judicial-warrant "):
                queries.run(provisions, {"provision": typo}, target)
        good = queries.run(provisions, {"provision": "skp:detainers-need-judicial-warrant"}, target)
        assert good.rows and good == queries.run(provisions, {"provision": "detainers-need-judicial-warrant"}, target)
        with pytest.raises(QueryError, match="^nothing in the graph is called 'urn:x'"):
            resolve.resolve("urn:x", target)


def test_an_iri_that_is_not_there_on_the_command_line(built: Layout, run_cli) -> None:
    result = run_cli(*args(built, "query", "jurisdictions-by-provision", "-p",
                           "provision=skp:detainers-need-judicial-warant"))
    assert result.code == ExitCode.QUERY and result.out == ""
    assert "did you mean detainers-need-judicial-warrant" in result.err
    result = run_cli(*args(built, "query", "claims-about-jurisdiction", "-p", "jurisdiction=id:person/marc-elrich"))
    assert result.code == ExitCode.QUERY and "which is not a jurisdiction" in result.err


@pytest.mark.parametrize("reference", ["urn:x", "id:claim/nope", "id:claim/002_99daf81b38207396/nope"])
def test_trace_of_something_not_in_the_graph_says_so(built: Layout, run_cli, reference: str) -> None:
    result = run_cli(*args(built, "trace", reference))
    assert result.code == ExitCode.QUERY
    assert result.err.startswith(f"sanctuary-kg: error: nothing in the graph is called {reference!r}: "
                                 "give an id, a label or an IRI; ")
    assert "no evidence spans" not in result.err


def test_a_class_without_a_label_is_named_by_its_local_name(local: Target) -> None:
    assert resolve.describe(AGENT, local) == "an agent"
    with pytest.raises(QueryError, match="^'Atlantis' is not an agent: "):
        resolve.resolve("Atlantis", local, AGENT)


def test_the_article_before_a_form() -> None:
    with pytest.raises(QueryError, match="^an ASK query gives a result table"):
        output.check("ASK", Format.NTRIPLES)
    with pytest.raises(QueryError, match="^a CONSTRUCT query gives triples"):
        output.check("CONSTRUCT", Format.CSV)


# ------------------------------------------------------------------ tables on a terminal


def test_claims_can_be_told_apart_on_an_80_column_terminal(local: Target) -> None:
    claims = queries.find(QUERIES, "claims-about-jurisdiction")
    results = queries.run(claims, {"jurisdiction": "montgomery-county"}, local)
    lines = output.render(results, Format.TABLE, width=80).splitlines()
    assert all(len(line) <= 80 for line in lines)
    names = [line.split("  ")[0] for line in lines[2:-1]]
    assert len(set(names)) == len(names) == len(results.rows)  # one distinct name per claim
    # ids of up to 24 characters stay whole: the quotes, titles and addresses gave way
    assert {"order-bars-assisting-ice", "immigrant-share", "elrich-limited-resources"} <= set(names)
    wide = output.render(results, Format.TABLE, width=200).splitlines()
    quote = wide[0].index("exact")
    assert wide[2][quote:quote + 20].strip()  # with room, text gets it


def test_a_piped_table_keeps_the_full_names(local: Target) -> None:
    claims = queries.find(QUERIES, "claims-about-jurisdiction")
    results = queries.run(claims, {"jurisdiction": "montgomery-county"}, local)
    assert "id:claim/002_99daf81b38207396/order-bars-assisting-ice" in output.render(results, Format.TABLE)


# ------------------------------------------------------------------ trace stays a thin command


def test_trace_reports_changed_articles_from_the_library(built: Layout, local: Target, tmp_path: Path) -> None:
    found = trace_lib.trace("elrich-force-of-law", local, built.seeds)
    trace_lib.check(found)  # nothing changed
    assert trace_lib.notes(found, built.seeds) == []
    moved = tmp_path / "seeds"
    moved.mkdir()
    (moved / "002_99daf81b38207396.txt").write_text("a different article\n", encoding="utf-8")
    changed = trace_lib.trace("elrich-force-of-law", local, moved)
    with pytest.raises(ValidationFailed, match=r"^1 span\(s\) no longer match their article"):
        trace_lib.check(changed)
    missing = trace_lib.trace("elrich-force-of-law", local, tmp_path / "nowhere")
    assert trace_lib.notes(missing, tmp_path / "nowhere") == [
        f"1 span(s) not checked: their article is not in {tmp_path / 'nowhere'}"]


def test_endpoint_errors_are_endpoint_errors(built: Layout) -> None:
    with pytest.raises(EndpointError, match="cannot reach"):
        sparql.run_remote(f"http://127.0.0.1:{free_port()}/query", "ASK {}", "ASK", timeout=2)
