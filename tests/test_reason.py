"""Reasoning: specific entailments on the seeds, article graphs untouched, same as owlrl."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from sanctuary_kg import build as build_lib
from sanctuary_kg import ids, reason
from sanctuary_kg.files import Layout
from sanctuary_kg.ids import INFERRED_GRAPH, PREFIXES, SK

SKP = PREFIXES["skp"]


@pytest.fixture(scope="module")
def reasoned(tmp_path_factory: pytest.TempPathFactory, built: Layout) -> Layout:
    layout = Layout.default(seeds=built.seeds, build=tmp_path_factory.mktemp("reasoned"))
    build_lib.build(layout, reason=True)
    return layout


def quads(layout: Layout) -> set[ox.Quad]:
    return set(ox.parse(path=layout.dataset, format=ox.RdfFormat.N_QUADS))


def inferred(layout: Layout) -> set[tuple]:
    return {(q.subject, q.predicate, q.object) for q in quads(layout) if q.graph_name == INFERRED_GRAPH}


def jurisdiction(key: str) -> ox.NamedNode:
    return ids.entity("jurisdiction", key)


def test_king_county_lies_within_the_united_states(reasoned: Layout):
    found = inferred(reasoned)
    assert (jurisdiction("king-county"), SK.within, jurisdiction("united-states")) in found
    assert (jurisdiction("seattle"), SK.within, jurisdiction("washington")) in found
    assert (jurisdiction("united-states"), SK.contains, jurisdiction("seattle")) in found


def test_a_county_is_a_jurisdiction(reasoned: Layout):
    assert (jurisdiction("king-county"), ids.RDF.type, SK.Jurisdiction) in inferred(reasoned)


def test_montgomery_countys_order_covers_the_broader_provision_it_narrows(reasoned: Layout):
    order = ids.entity("order", "promoting-community-trust-executive-order")
    found = inferred(reasoned)
    assert (order, SK.coversProvision, ox.NamedNode(SKP + "ice-access-limits")) in found
    assert (order, SK.coversProvision, ox.NamedNode(SKP + "limits-entanglement")) in found
    store = ox.Store.read_only(str(reasoned.store))
    rows = store.query(
        """PREFIX sk: <https://w3id.org/sanctuary-kg/ontology#>
        SELECT DISTINCT ?order WHERE { GRAPH <https://w3id.org/sanctuary-kg/id/graph/inferred> {
            ?order sk:coversProvision <https://w3id.org/sanctuary-kg/provision/ice-access-limits> } }""")
    assert order in {row["order"] for row in rows}


def test_inverse_properties_give_an_officials_orders_and_an_orders_claims(reasoned: Layout):
    found = inferred(reasoned)
    trump_order = ids.entity("order", "trump-sanctuary-executive-order")
    assert (ids.entity("person", "donald-trump"), SK.issued, trump_order) in found
    claim = ids.claim("004_913d320b1791bd7c", "connecticut-not-easy-for-feds")
    assert (trump_order, SK.subjectOf, claim) in found


def test_a_lawsuit_that_challenges_an_order_opposes_it(reasoned: Layout):
    lawsuit = ids.entity("order", "san-francisco-lawsuit")
    order = ids.entity("order", "trump-sanctuary-executive-order")
    assert (lawsuit, SK.opposes, order) in inferred(reasoned)
    assert (lawsuit, SK.relatedOrder, order) in inferred(reasoned)


def test_reasoning_leaves_every_other_graph_unchanged(reasoned: Layout, built: Layout):
    with_reasoning = {q for q in quads(reasoned) if q.graph_name != INFERRED_GRAPH}
    assert with_reasoning == quads(built)
    assert inferred(reasoned)


def test_the_inferred_graph_is_owlrls_closure_on_the_ontologys_terms(built: Layout):
    dataset = list(ox.parse(path=built.dataset, format=ox.RdfFormat.N_QUADS))
    ours = {(q.subject, q.predicate, q.object) for q in reason.reason(dataset)}
    reference = reason.owlrl_closure(dataset)
    assert ours == reference
    assert len(ours) > 1000


def test_the_reason_command_adds_the_inferred_graph(built: Layout, tmp_path: Path, run_cli):
    layout = Layout.default(seeds=built.seeds, build=tmp_path / "build")
    assert run_cli("--seeds", layout.seeds, "--build-dir", layout.build, "build").code == 0
    result = run_cli("--seeds", layout.seeds, "--build-dir", layout.build, "reason")
    assert result.code == 0 and result.out.startswith("inferred ")
    assert inferred(layout)
    again = run_cli("--seeds", layout.seeds, "--build-dir", layout.build, "reason")
    assert again.out == result.out  # replaces, never duplicates


def test_queries_can_include_or_exclude_the_inferred_graph(reasoned: Layout, run_cli):
    within_us = ("SELECT (COUNT(*) AS ?n) WHERE { ?j sk:within "
                 "<https://w3id.org/sanctuary-kg/id/jurisdiction/united-states> }")
    args = ("--seeds", reasoned.seeds, "--build-dir", reasoned.build, "sparql", "--format", "csv")
    with_inferred = run_cli(*args, within_us)
    without = run_cli(*args, "--no-inferred", within_us)
    assert with_inferred.code == without.code == 0
    direct = len(("washington", "california", "maryland", "connecticut", "illinois", "massachusetts",
                  "district-of-columbia"))  # what entities.yaml says lies directly within
    assert without.out.split() == ["n", str(direct)]
    assert int(with_inferred.out.split()[1]) > direct  # King County, Seattle, ... through the inferred graph
    hidden = run_cli(*args, "--no-inferred", "ASK { GRAPH <https://w3id.org/sanctuary-kg/id/graph/inferred> { ?s ?p ?o } }")
    assert hidden.out.split() == ["boolean", "false"]


# ------------------------------------------------------------------ the path the commands take


def test_the_inferred_graph_the_build_writes_is_owlrls_closure(reasoned: Layout, built: Layout):
    # `reason` and `build --reason` infer per article in build (cached, in parallel), not through reason.reason()
    dataset = list(ox.parse(path=built.dataset, format=ox.RdfFormat.N_QUADS))
    assert inferred(reasoned) == reason.owlrl_closure(dataset)


TINY_ONTOLOGY = """
@prefix ex: <http://example.org/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:Thing a owl:Class .
ex:Person a owl:Class ; rdfs:subClassOf ex:Thing .
ex:Place a owl:Class .
ex:bornIn a owl:ObjectProperty ; rdfs:domain ex:Person ; rdfs:range ex:Place .
ex:nickname a owl:DatatypeProperty ; rdfs:domain ex:Person ; rdfs:range xsd:string .
"""
TINY_DATA = """
@prefix ex: <http://example.org/> .
ex:ada ex:bornIn ex:london .
ex:bob ex:nickname "Bobby" .
"""


def test_domains_and_ranges_type_their_nodes_as_owlrl_does():
    def parsed(text: str, graph: ox.NamedNode) -> list[ox.Quad]:
        return [ox.Quad(t.subject, t.predicate, t.object, graph) for t in ox.parse(text, format=ox.RdfFormat.TURTLE)]

    quads = parsed(TINY_ONTOLOGY, ids.ONTOLOGY_GRAPH) + parsed(TINY_DATA, ids.source_graph("tiny"))
    ours = {(q.subject, q.predicate, q.object) for q in reason.reason(quads)}
    ex, rdf_type = "http://example.org/", ids.RDF.type
    assert ours == {
        (ox.NamedNode(ex + "ada"), rdf_type, ox.NamedNode(ex + "Person")),  # domain
        (ox.NamedNode(ex + "ada"), rdf_type, ox.NamedNode(ex + "Thing")),  # domain, then the superclass
        (ox.NamedNode(ex + "london"), rdf_type, ox.NamedNode(ex + "Place")),  # range
        (ox.NamedNode(ex + "bob"), rdf_type, ox.NamedNode(ex + "Person")),  # a datatype property's domain
        (ox.NamedNode(ex + "bob"), rdf_type, ox.NamedNode(ex + "Thing")),
    }  # and no type for the literal "Bobby" (xsd:string is a datatype, not a class)
    assert ours == reason.owlrl_closure(quads)


# ------------------------------------------------------------------ stored queries and the inferred graph


def _run(layout: Layout, name: str, **values: str) -> list[tuple[str, ...]]:
    from sanctuary_kg import queries, sparql
    from sanctuary_kg.files import resources
    from sanctuary_kg.output import cell

    results = queries.run(queries.find(resources() / "queries", name), values, sparql.Target(store=sparql.open_store(layout.store)))
    return [tuple(cell(t) for t in row) for row in results.rows]


def _select(layout: Layout, query: str) -> set[tuple[str, ...]]:
    from sanctuary_kg import queries, sparql
    from sanctuary_kg.output import cell

    prepared = queries.prepare(query)
    found = sparql.Target(store=sparql.open_store(layout.store)).run(prepared.text, prepared.form)
    return {tuple(cell(t) for t in row) for row in found.rows}


def test_orders_covering_a_provision_come_from_the_inferred_graph(reasoned: Layout, built: Layout):
    assert _run(reasoned, "orders-covering-provision", provision="ice-access-limits") == [
        ("id:order/malloy-police-letter", "Governor Malloy's letter to Connecticut law enforcement on ICE detainers",
         "id:jurisdiction/connecticut", "skp:no-ice-custody-interviews", "no-ice-custody-interviews"),
        ("id:order/promoting-community-trust-executive-order",
         "Promoting Community Trust Executive Order (Montgomery County)", "id:jurisdiction/montgomery-county",
         "skp:no-ice-in-nonpublic-areas", "no-ice-in-nonpublic-areas"),
    ]
    assert _run(built, "orders-covering-provision", provision="ice-access-limits") == []  # no reasoning, no answer


def test_the_inferred_graph_and_the_property_paths_of_the_stored_queries_agree(reasoned: Layout):
    provisions = [row[0] for row in _run(reasoned, "provisions")]
    assert len(provisions) > 20
    for notation in provisions:
        inferred_orders = {(o, s) for o, _, _, s, _ in _run(reasoned, "orders-covering-provision", provision=notation)}
        stated = {(o, s) for _, _, o, s, *_ in _run(reasoned, "jurisdictions-by-provision", provision=notation)}
        assert inferred_orders == stated, notation
    # the coverage matrix: a cell is covered (stated, or by a narrower provision) where the inferred graph says an
    # order of that jurisdiction covers the provision, and is a gap where it says none does
    matrix = _run(reasoned, "provision-coverage")
    covered = {(j, p) for j, p, coverage, *_ in matrix if coverage != "no evidence"}
    gaps = {(j, p) for j, p, coverage, *_ in matrix if coverage == "no evidence"}
    by_inference = {(j, p.removeprefix("skp:")) for j, p in _select(reasoned, """SELECT DISTINCT ?j ?p WHERE {
        GRAPH <https://w3id.org/sanctuary-kg/id/graph/inferred> { ?order sk:coversProvision ?p }
        GRAPH ?g { ?order sk:jurisdiction ?j } }""")}
    assert covered == by_inference and not gaps & by_inference
    assert gaps  # the gaps are part of the answer


def test_queries_that_follow_paths_answer_the_same_with_or_without_reasoning(reasoned: Layout, built: Layout):
    for name, values in (("provision-coverage", {}), ("rollup-by-jurisdiction", {}),
                         ("jurisdictions-by-provision", {"provision": "limits-entanglement"})):
        assert _run(reasoned, name, **values) == _run(built, name, **values), name


def test_the_rollups_containment_is_the_inferred_graphs(reasoned: Layout):
    by_path = _select(reasoned, """SELECT ?part ?whole WHERE {
        GRAPH <https://w3id.org/sanctuary-kg/id/graph/entities> { ?part a ?class ; sk:within+ ?whole } }""")
    by_inference = _select(reasoned, """SELECT ?part ?whole WHERE {
        { GRAPH <https://w3id.org/sanctuary-kg/id/graph/entities> { ?part sk:within ?whole } }
        UNION { GRAPH <https://w3id.org/sanctuary-kg/id/graph/inferred> { ?part sk:within ?whole } } }""")
    assert by_path == by_inference and len(by_path) == 27  # 17 direct, 10 through them (Seattle within Washington, ...)
