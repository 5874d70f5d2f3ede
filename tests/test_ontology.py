"""The ontology: every term it defines has a label and a definition; the schemes hold what sheets use."""

from __future__ import annotations

import pyoxigraph as ox

from sanctuary_kg import ontology
from sanctuary_kg.ids import OWL, PREFIXES, RDF, RDFS, SKOS

from .conftest import ROOT

OURS = (PREFIXES["sk"], PREFIXES["skp"])
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.ConceptScheme, SKOS.Concept)


def test_every_term_the_ontology_defines_has_a_label_and_a_definition():
    loaded = ontology.load(ROOT / "ontology")
    by_subject: dict[ox.NamedNode, set[ox.NamedNode]] = {}
    defined = set()
    for q in loaded.quads:
        by_subject.setdefault(q.subject, set()).add(q.predicate)  # type: ignore[arg-type]
        if q.predicate == RDF.type and q.object in KINDS and q.subject.value.startswith(OURS):
            defined.add(q.subject)
    assert len(defined) > 80
    for term in defined:
        predicates = by_subject[term]
        assert predicates & {RDFS.label, SKOS.prefLabel}, f"{term.value} has no label"
        assert SKOS.definition in predicates, f"{term.value} has no definition"


def test_the_provision_scheme_covers_both_directions_and_the_ilrc_categories():
    loaded = ontology.load(ROOT / "ontology")
    provisions = loaded.lists["provision"]
    assert {"limits-entanglement", "requires-entanglement"} <= set(provisions)
    assert {"detainers-need-judicial-warrant", "detainers-only-serious-crimes", "no-ice-in-nonpublic-areas",
            "no-ice-custody-interviews", "no-local-resources", "status-inquiry-limits", "services-regardless-of-status",
            "no-release-notification", "discipline-for-violations", "mandatory-detainer-compliance",
            "sanctuary-funding-penalties", "prioritised-removal", "published-crime-lists"} <= set(provisions)
    notes = {q.object.value for q in loaded.quads if q.predicate == SKOS.scopeNote}
    for category in ("287(g) agreements", "detention contracts", "detainer holds", "release notification",
                     "ICE access to jails", "status inquiries", "information sharing"):
        assert f"ILRC category: {category}." in notes, category
