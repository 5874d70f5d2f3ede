"""The query commands through the real command group (queries, query, sparql), and result formatting."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from sanctuary_kg import output, queries, sparql
from sanctuary_kg.cli import main
from sanctuary_kg.errors import ExitCode, QueryError
from sanctuary_kg.files import Layout, resources
from sanctuary_kg.formats import Format
from sanctuary_kg.sparql import Results

XSD = "http://www.w3.org/2001/XMLSchema#"


def invoke(layout: Layout, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    """Run the real command (with its error boundary); return exit code, stdout and stderr."""
    runner = CliRunner()
    code = 0
    with runner.isolation(input=stdin) as (out, err, _):
        try:
            main(["--seeds", str(layout.seeds), "--build-dir", str(layout.build), *args])
        except SystemExit as done:
            code = int(done.code or 0)
    return code, out.getvalue().decode(), err.getvalue().decode()


def library_answer(layout: Layout, name: str, **values: str) -> Results:
    target = sparql.Target(store=sparql.open_store(layout.store))
    return queries.run(queries.find(resources() / "queries", name), values, target)


def parsed(text: str, fmt: ox.QueryResultsFormat) -> tuple[tuple[str, ...], list[tuple[object, ...]]]:
    solutions = ox.parse_query_results(text.encode(), format=fmt)
    assert isinstance(solutions, ox.QuerySolutions)
    variables = tuple(v.value for v in solutions.variables)
    return variables, [tuple(s[v] for v in variables) for s in solutions]


# ------------------------------------------------------------------ queries


def test_queries_lists_every_stored_query(built: Layout) -> None:
    code, out, _ = invoke(built, "queries")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["name", "title", "parameters"]
    assert any(line.startswith("claims-about-jurisdiction") and "Claims about a jurisdiction" in line
               and line.endswith("jurisdiction (iri)") for line in lines)
    assert any(line.startswith("officials") and line.endswith("[jurisdiction (iri)], [office (string)]")
               for line in lines)
    assert lines[-1] == f"({len(list((resources() / 'queries').glob('*.rq')))} rows)"


def test_queries_describes_one(built: Layout) -> None:
    code, out, _ = invoke(built, "queries", "claims-about-jurisdiction")
    assert code == 0
    assert out.startswith("claims-about-jurisdiction: Claims about a jurisdiction\n")
    assert "  jurisdiction (iri; required; an id, label or IRI of sk:Jurisdiction), e.g. montgomery-county" in out
    assert "form: SELECT ?claim ?claimant ?kind ?exact ?title ?publisher ?address ?start ?end" in out
    assert "  sanctuary-kg query claims-about-jurisdiction -p jurisdiction=montgomery-county" in out
    code, out, _ = invoke(built, "queries", "--format", "json")
    doc = json.loads(out)
    assert {q["name"] for q in doc} >= {"orders", "trace-claim"}
    trace = next(q for q in doc if q["name"] == "trace-claim")
    assert trace["parameters"] == [{
        "name": "claim", "type": "iri", "example": "002_99daf81b38207396/elrich-force-of-law", "required": True,
        "range": "https://w3id.org/sanctuary-kg/ontology#Claim", "description": trace["parameters"][0]["description"]}]


# ------------------------------------------------------------------ query


def test_query_prints_a_table_that_pipes(built: Layout) -> None:
    code, out, err = invoke(built, "query", "claims-about-jurisdiction", "-p", "jurisdiction=montgomery-county")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["claim", "claimant", "kind", "exact", "title", "publisher", "address", "start", "end"]
    assert set(lines[1]) == {"-", " "}
    assert lines[-1] == "(17 rows)"
    assert "\x1b" not in out and "…" not in out  # not a terminal: no colour, nothing cut
    assert lines[2].split("  ")[0] == "id:claim/002_99daf81b38207396/headline-suburb-issues-order"
    assert lines[2].split()[1:3] == ["BizPac", "Review"]
    assert "https://www.bizpacreview.com/2019/07/23/major-d-c-suburb-issues-executive-order-to-block-local-" \
           "officials-from-cooperating-with-ice-777673/" in lines[2]


@pytest.mark.parametrize(("fmt", "results_format"), [
    ("json", ox.QueryResultsFormat.JSON), ("xml", ox.QueryResultsFormat.XML), ("tsv", ox.QueryResultsFormat.TSV)])
def test_query_in_w3c_result_formats(built: Layout, fmt: str, results_format: ox.QueryResultsFormat) -> None:
    expected = library_answer(built, "officials", office="County Executive")
    code, out, err = invoke(built, "query", "officials", "-p", "office=County Executive", "--format", fmt)
    assert code == 0, err
    variables, rows = parsed(out, results_format)
    assert variables == expected.variables
    assert rows == [tuple(row) for row in expected.rows]  # every term, with its datatype or language


def test_query_in_csv(built: Layout) -> None:
    expected = library_answer(built, "statistics", claimant="washington-post")
    code, out, _ = invoke(built, "query", "statistics", "-p", "claimant=The Washington Post", "--format", "csv")
    assert code == 0
    assert out.startswith("claim,statedBy,value,unit,exact,title,start,end\r\n")
    assert out.splitlines()[1] == (
        "https://w3id.org/sanctuary-kg/id/claim/002_99daf81b38207396/immigrant-share,The Washington Post,30,percent,"
        "Immigrants make up 30 percent of the 1 million residents in Montgomery County,"
        "Major D.C. suburb issues executive order to block local officials from cooperating with ICE,1929,2006")
    read = list(csv.reader(io.StringIO(out, newline="")))
    assert read[1:] == [[t.value for t in row] for row in expected.rows]  # type: ignore[union-attr]


def test_query_output_file_takes_its_format_from_the_extension(built: Layout, tmp_path: Path) -> None:
    target = tmp_path / "orders.json"
    code, out, err = invoke(built, "query", "orders", "--output", str(target))
    assert code == 0 and out == ""
    assert f"wrote {target}" in err
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc["head"]["vars"][:3] == ["order", "label", "kind"]
    assert len(doc["results"]["bindings"]) == 24


def test_query_show_prints_the_bound_query(built: Layout) -> None:
    code, out, _ = invoke(built, "query", "claims-about-jurisdiction", "-p", "jurisdiction=Montgomery County", "--show")
    assert code == 0
    montgomery = "<https://w3id.org/sanctuary-kg/id/jurisdiction/montgomery-county>"
    assert f"WHERE {{\n  VALUES (?jurisdiction) {{ ({montgomery}) }}\n" in out


@pytest.mark.parametrize(("args", "message"), [
    (("query", "claims-about"), "no stored query called 'claims-about'; did you mean claims-about-jurisdiction"),
    (("query", "claims-about-jurisdiction"), "claims-about-jurisdiction needs jurisdiction: for example "
                                             "-p jurisdiction=montgomery-county"),
    (("query", "claims-about-jurisdiction", "-p", "jurisdiction=seattle", "-p", "colour=red"),
     "claims-about-jurisdiction has no parameter 'colour': its parameters are jurisdiction (iri)"),
    (("query", "claims-about-jurisdiction", "-p", "montgomery-county"),
     "parameter 'montgomery-county' is not NAME=VALUE: write -p jurisdiction=montgomery-county"),
    (("query", "claims-about-jurisdiction", "-p", "jurisdiction=a", "-p", "jurisdiction=b"),
     "parameter 'jurisdiction' is given twice"),
    (("query", "claims-about-jurisdiction", "-p", "jurisdiction=Montgomery"),
     "'Montgomery' is not a jurisdiction: give an id, a label or an IRI; "
     "did you mean montgomery-county (Montgomery County)"),
    (("query", "claims-about-jurisdiction", "-p", "jurisdiction=marc-elrich"),
     "'marc-elrich' names id:person/marc-elrich (Marc Elrich), which is not a jurisdiction"),
    (("query", "claims-about-jurisdiction", "-p", "jurisdiction=https://example.org/a place"),
     "'https://example.org/a place' is not a valid IRI"),
    (("query", "jurisdictions-by-provision", "-p", "provision=montgomery-county"),
     "names id:jurisdiction/montgomery-county (Montgomery County), which is not one of the policy provisions"),
    (("query", "orders", "--format", "ttl"), "a SELECT query gives a result table: use --format table, csv, tsv"),
])
def test_query_errors_are_one_line_and_exit_5(built: Layout, args: tuple[str, ...], message: str) -> None:
    code, out, err = invoke(built, *args)
    assert code == ExitCode.QUERY
    assert out == ""
    assert err.startswith("sanctuary-kg: error: ") and message in err
    assert err.count("\n") == 1


def test_query_before_build_says_to_build(tmp_path: Path, built: Layout) -> None:
    empty = Layout.default(seeds=built.seeds, build=tmp_path / "nothing")
    code, _, err = invoke(empty, "query", "orders")
    assert code == ExitCode.INPUT
    assert "no built store: run `sanctuary-kg build` first" in err


def test_a_bad_endpoint_url_is_refused(built: Layout) -> None:
    code, _, err = invoke(built, "query", "orders", "--endpoint", "ftp://example.org/sparql")
    assert code == ExitCode.ENDPOINT
    assert "'ftp://example.org/sparql' is not an http(s) URL" in err


# ------------------------------------------------------------------ sparql


def test_sparql_select_from_argument_file_and_stdin(built: Layout, tmp_path: Path) -> None:
    text = "SELECT ?label WHERE { GRAPH ?g { ?o a sk:Order ; rdfs:label ?label } } ORDER BY ?label LIMIT 2"
    code, out, _ = invoke(built, "sparql", text, "--format", "csv")
    assert code == 0
    assert out == ("label\r\nCalifornia TRUST Act\r\n"
                   "California state-wide sanctuary plan drafted by Kevin de Leon\r\n")
    path = tmp_path / "q.rq"
    path.write_text(text, encoding="utf-8")
    assert invoke(built, "sparql", "-f", str(path), "--format", "csv")[1] == out
    assert invoke(built, "sparql", "-f", "-", "--format", "csv", stdin=text)[1] == out
    assert invoke(built, "sparql", "-", "--format", "csv", stdin=text)[1] == out


@pytest.mark.parametrize(("fmt", "expected"), [
    ("table", "true\n"),
    ("json", '{"head": {}, "boolean": true}\n'),
    ("csv", "boolean\r\ntrue\r\n"),
    ("tsv", "?boolean\ntrue\n"),
])
def test_sparql_ask(built: Layout, fmt: str, expected: str) -> None:
    code, out, _ = invoke(built, "sparql", "ASK { ?s a sk:Order }", "--format", fmt)
    assert (code, out) == (0, expected)


def test_sparql_ask_xml_is_w3c(built: Layout) -> None:
    _, out, _ = invoke(built, "sparql", "ASK { ?s a sk:Nothing }", "--format", "xml")
    answer = ox.parse_query_results(out.encode(), format=ox.QueryResultsFormat.XML)
    assert isinstance(answer, ox.QueryBoolean) and not bool(answer)


@pytest.mark.parametrize(("fmt", "rdf_format"), [
    ("ttl", ox.RdfFormat.TURTLE), ("table", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES),
    ("jsonld", ox.RdfFormat.JSON_LD)])
def test_sparql_construct(built: Layout, fmt: str, rdf_format: ox.RdfFormat) -> None:
    text = """CONSTRUCT { ?order rdfs:label ?label } WHERE {
        GRAPH <https://w3id.org/sanctuary-kg/id/graph/entities> { ?order a sk:Order ; rdfs:label ?label } }"""
    code, out, err = invoke(built, "sparql", text, "--format", fmt)
    assert code == 0, err
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(out.encode(), format=rdf_format)]
    assert len(triples) == 24
    assert ox.Triple(ox.NamedNode("https://w3id.org/sanctuary-kg/id/order/california-trust-act"),
                     ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                     ox.Literal("California TRUST Act")) in triples
    if fmt == "ttl":
        assert "@prefix sk: <https://w3id.org/sanctuary-kg/ontology#> ." in out


def test_sparql_describe(built: Layout) -> None:
    code, out, _ = invoke(built, "sparql", "DESCRIBE <https://w3id.org/sanctuary-kg/id/order/california-trust-act>",
                          "--format", "nt")
    assert code == 0
    assert '<https://w3id.org/sanctuary-kg/id/order/california-trust-act> ' \
           '<http://www.w3.org/2000/01/rdf-schema#label> "California TRUST Act" .' in out


@pytest.mark.parametrize("text", [
    "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }",
    "DELETE WHERE { ?s ?p ?o }",
    "LOAD <http://example.org/data.ttl>",
    "DROP ALL",
    "CLEAR DEFAULT",
])
def test_sparql_refuses_updates(built: Layout, text: str) -> None:
    code, _, err = invoke(built, "sparql", text)
    assert code == ExitCode.QUERY
    assert "the query is an update (INSERT, DELETE, LOAD, DROP, ...): queries here are read-only" in err
    assert invoke(built, "sparql", "ASK { ?s a sk:Order }")[1] == "true\n"  # and nothing changed


def test_sparql_syntax_error_shows_line_and_column(built: Layout, tmp_path: Path) -> None:
    code, _, err = invoke(built, "sparql", "SELECT ?s\nWHERE { ?s ?p }")
    assert code == ExitCode.QUERY
    assert "the query does not parse: line 2, column 9" in err
    path = tmp_path / "broken.rq"
    path.write_text("SELECT ?s\nWHERE {\n  ?s a sk:Order .\n  FILTER (?s = )\n}", encoding="utf-8")
    code, _, err = invoke(built, "sparql", "-f", str(path))
    assert code == ExitCode.QUERY
    assert f"the query in {path} does not parse: line 4" in err


@pytest.mark.parametrize(("args", "message"), [
    (("sparql",), "give a query"),
    (("sparql", "ASK {}", "-f", "-"), "give the query as an argument or with --file, not both"),
])
def test_sparql_usage(built: Layout, args: tuple[str, ...], message: str) -> None:
    code, _, err = invoke(built, *args)
    assert code == ExitCode.USAGE
    assert message in err


def test_sparql_format_that_does_not_fit(built: Layout) -> None:
    code, _, err = invoke(built, "sparql", "CONSTRUCT WHERE { ?s a sk:Order }", "--format", "csv")
    assert code == ExitCode.QUERY
    assert "a CONSTRUCT query gives triples: use --format ttl, nt or jsonld (not csv)" in err


# ------------------------------------------------------------------ output formatting


TERMS = Results("SELECT", ("iri", "text", "tagged", "number", "blank", "none"), (
    (ox.NamedNode("https://w3id.org/sanctuary-kg/id/jurisdiction/seattle"), ox.Literal('say "hi", then\nleave\tnow'),
     ox.Literal("Gouverneur", language="fr"), ox.Literal("2.5", datatype=ox.NamedNode(XSD + "decimal")),
     ox.BlankNode("b0"), None),
    (ox.NamedNode("urn:x"), ox.Literal("<b>&amp;</b>"), ox.Literal("x", language="en-GB"),
     ox.Literal("12", datatype=ox.NamedNode(XSD + "integer")), ox.BlankNode("b1"), None),
))


@pytest.mark.parametrize(("fmt", "results_format"), [
    (Format.JSON, ox.QueryResultsFormat.JSON), (Format.XML, ox.QueryResultsFormat.XML),
    (Format.TSV, ox.QueryResultsFormat.TSV)])
def test_result_formats_keep_every_term(fmt: Format, results_format: ox.QueryResultsFormat) -> None:
    variables, rows = parsed(output.render(TERMS, fmt), results_format)
    assert variables == TERMS.variables
    assert len(rows) == len(TERMS.rows)
    for row, expected in zip(rows, TERMS.rows, strict=True):
        assert row[:4] == expected[:4]  # IRIs, strings with quotes and newlines, language tags, datatypes
        assert isinstance(row[4], ox.BlankNode) and row[5] is None


def test_csv_quotes_what_needs_it() -> None:
    text = output.render(TERMS, Format.CSV)
    assert text.split("\r\n")[1] == \
        'https://w3id.org/sanctuary-kg/id/jurisdiction/seattle,"say ""hi"", then\nleave\tnow",Gouverneur,2.5,_:b0,'


def test_table_on_a_narrow_terminal_cuts_text_first_and_keeps_iri_ends() -> None:
    long = Results("SELECT", ("claim", "quote", "n"), ((
        ox.NamedNode("https://w3id.org/sanctuary-kg/id/claim/002_99daf81b38207396/elrich-force-of-law"),
        ox.Literal("Now, we have laid it out in an Executive Order, so it has the force of law, Elrich said."),
        ox.Literal("7", datatype=ox.NamedNode(XSD + "integer"))),))
    wide = output.render(long, Format.TABLE)
    assert "elrich-force-of-law" in wide and "force of law, Elrich said." in wide
    narrow = output.render(long, Format.TABLE, width=60).splitlines()
    assert all(len(line) <= 60 for line in narrow)
    assert narrow[2].startswith("elrich-force-of-law  ") and "Now, we have laid it out" in narrow[2]  # the id
    assert narrow[2].endswith("  7")  # numbers align right


def test_rdf_formats_refuse_tables() -> None:
    with pytest.raises(QueryError, match="a SELECT query gives a result table"):
        output.render(TERMS, Format.NTRIPLES)
