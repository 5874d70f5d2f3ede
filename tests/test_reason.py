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
