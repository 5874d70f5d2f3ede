"""The ontology files and the controlled lists they define.

The Turtle under ``ontology/`` is the one place where kinds, statuses, roles and
provisions are defined; fact sheets name them by ``skos:notation`` and this
module maps notations to IRIs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import InputError
from .ids import BASE, ONTOLOGY_GRAPH, PROVISION_SCHEME, RDFS, SK, SKOS

GENID = BASE + ".well-known/genid/"

# Which concept scheme each controlled field of a fact sheet draws from.
SCHEMES = {
    "order-kind": SK.OrderKinds,
    "status": SK.OrderStatuses,
    "claim-kind": SK.ClaimKinds,
    "segment-kind": SK.SegmentKinds,
    "role": SK.Roles,
    "provision": PROVISION_SCHEME,
}


@dataclass(frozen=True)
class Ontology:
    """The ontology's quads (in the ontology graph) and its controlled lists."""

    quads: tuple[ox.Quad, ...]
    lists: dict[str, dict[str, ox.NamedNode]]  # scheme name -> notation -> concept

    def concept(self, scheme: str, notation: str) -> ox.NamedNode | None:
        return self.lists[scheme].get(notation)

    def choices(self, scheme: str) -> str:
        return ", ".join(sorted(self.lists[scheme]))


def _skolemized(triples: list[ox.Triple], stem: str) -> list[tuple]:
    """Replace blank nodes (RDF lists) with stable IRIs, so a rebuild is byte-identical.

    Names follow the order in which the parser meets the blank nodes, which is
    the order of the file.
    """
    names: dict[ox.BlankNode, ox.NamedNode] = {}

    def stable(term):  # type: ignore[no-untyped-def]
        if not isinstance(term, ox.BlankNode):
            return term
        if term not in names:
            names[term] = ox.NamedNode(f"{GENID}{stem}-{len(names) + 1}")
        return names[term]

    return [(stable(t.subject), t.predicate, stable(t.object)) for t in triples]


def load(directory: Path) -> Ontology:
    """Read every ``*.ttl`` of ``directory`` into the ontology graph."""
    files = sorted(directory.glob("*.ttl"))
    if not files:
        raise InputError("no ontology files (*.ttl) found", path=directory)
    quads: list[ox.Quad] = []
    for path in files:
        try:
            triples = list(ox.parse(path=path, format=ox.RdfFormat.TURTLE))
        except (SyntaxError, ValueError) as error:
            raise InputError(f"the ontology does not parse: {error}", path=path) from None
        quads.extend(ox.Quad(s, p, o, ONTOLOGY_GRAPH) for s, p, o in _skolemized(triples, path.stem))
    in_scheme: dict[ox.NamedNode, ox.NamedNode] = {}
    notation: dict[ox.NamedNode, str] = {}
    kinds: dict[str, ox.NamedNode] = {}
    relations = {SK.relatedOrder}
    for q in sorted(quads, key=lambda q: q.object != SK.relatedOrder):  # direct subproperties first
        if q.predicate == SKOS.inScheme:
            in_scheme[q.subject] = q.object  # type: ignore[index,assignment]
        elif q.predicate == SKOS.notation:
            notation[q.subject] = str(getattr(q.object, "value", ""))  # type: ignore[index]
        elif q.predicate == RDFS.subPropertyOf and q.object in relations:
            relations.add(q.subject)  # type: ignore[arg-type]
        elif q.predicate == RDFS.subClassOf and q.object == SK.Jurisdiction:
            kinds[str(getattr(q.subject, "value", "")).rsplit("#", 1)[1].lower()] = q.subject  # type: ignore[assignment]
    lists: dict[str, dict[str, ox.NamedNode]] = {name: {} for name in SCHEMES}
    by_scheme = {scheme: name for name, scheme in SCHEMES.items()}
    for concept, scheme in in_scheme.items():
        if scheme in by_scheme and concept in notation:
            lists[by_scheme[scheme]][notation[concept]] = concept
    lists["jurisdiction-kind"] = kinds
    lists["order-relation"] = {notation[p]: p for p in relations if p in notation}
    return Ontology(quads=tuple(quads), lists=lists)
