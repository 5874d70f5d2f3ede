"""Turn anchored fact sheets and the entity list into quads.

One named graph per article holds what that article states (its source
description, segments, spans, mentions, offices, order facts, claims, and the
containments of the entity list it states, as ``rdf:Statement``s); the
entities graph holds the identity of the shared entities; the ontology graph
holds the terms. No blank nodes, so a rebuild gives the same quads.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pyoxigraph import Literal, NamedNode, Quad

from . import ids
from .anchor import Span
from .facts import AnchoredSheet
from .ids import DCTERMS, OA, PROV, RDF, RDFS, SCHEMA, SK, XSD
from .ontology import Ontology
from .sheets import Entities

CLASS_OF_KIND = {"person": PROV.Person, "organization": PROV.Organization, "order": SK.Order}


def _int(value: int) -> Literal:
    return Literal(str(value), datatype=XSD.integer)


def entity_iri(entities: Entities, key: str) -> NamedNode:
    return ids.entity(entities.by_id[key].kind, key)


def entity_quads(entities: Entities, ontology: Ontology) -> Iterator[Quad]:
    """The identity of every canonical entity, in the entities graph."""
    g = ids.ENTITIES_GRAPH
    for e in entities.by_id.values():
        iri = ids.entity(e.kind, e.id)
        if e.kind == "jurisdiction":
            yield Quad(iri, RDF.type, ontology.lists["jurisdiction-kind"][e.type or ""], g)
        else:
            yield Quad(iri, RDF.type, CLASS_OF_KIND[e.kind], g)
        yield Quad(iri, RDFS.label, Literal(e.label), g)
        if e.within:
            yield Quad(iri, SK.within, entity_iri(entities, e.within), g)
        if e.role:
            yield Quad(iri, SK.role, ontology.lists["role"][e.role], g)
        if e.kind == "order":
            yield Quad(iri, SK.orderKind, ontology.lists["order-kind"][e.type or ""], g)


def article_quads(a: AnchoredSheet, entities: Entities, ontology: Ontology) -> Iterator[Quad]:
    """Everything one article states, in its own named graph."""
    key = a.key
    g = ids.source_graph(key)
    source = ids.source(key)
    seen_spans: set[NamedNode] = set()

    def span(s: Span) -> Iterator[Quad]:
        iri = ids.span(key, s.start, s.end)
        if iri in seen_spans:
            return
        seen_spans.add(iri)
        yield Quad(iri, RDF.type, SK.Span, g)
        yield Quad(iri, OA.hasSource, source, g)
        yield Quad(iri, OA.exact, Literal(s.exact), g)
        yield Quad(iri, OA.prefix, Literal(s.prefix), g)
        yield Quad(iri, OA.suffix, Literal(s.suffix), g)
        yield Quad(iri, OA.start, _int(s.start), g)
        yield Quad(iri, OA.end, _int(s.end), g)
        yield Quad(iri, SK.sha256, Literal(a.article.sha256), g)

    def evidence(subject: NamedNode, s: Span) -> Iterator[Quad]:
        yield from span(s)
        yield Quad(subject, SK.evidence, ids.span(key, s.start, s.end), g)

    def ent(k: str) -> NamedNode:
        return entity_iri(entities, k)

    sheet = a.sheet
    yield Quad(source, RDF.type, SK.Source, g)
    yield Quad(source, DCTERMS.identifier, Literal(key), g)
    yield Quad(source, DCTERMS.title, Literal(a.title.exact), g)
    yield Quad(source, DCTERMS.publisher, ent(sheet.publisher), g)
    if sheet.byline:
        yield Quad(source, DCTERMS.creator, ent(sheet.byline), g)
    yield Quad(source, SCHEMA.url, NamedNode(sheet.address), g)
    yield Quad(source, SK.sha256, Literal(a.article.sha256), g)
    yield Quad(source, SK.length, _int(len(a.article.text)), g)
    yield from evidence(source, a.title)

    for number, seg in enumerate(sorted(a.segments, key=lambda s: s.span.start), start=1):
        iri = ids.segment(key, number)
        yield Quad(source, SK.segment, iri, g)
        yield Quad(iri, RDF.type, SK.Segment, g)
        yield Quad(iri, SK.segmentKind, ontology.lists["segment-kind"][seg.kind], g)
        yield Quad(iri, OA.start, _int(seg.span.start), g)
        yield Quad(iri, OA.end, _int(seg.span.end), g)

    for k, spans in a.mentions.items():
        for s in spans:
            yield from evidence(ent(k), s)

    for office in a.officials:
        person = ent(office.person)
        yield Quad(person, RDF.type, SK.Official, g)
        yield Quad(person, SK.office, Literal(office.office), g)
        yield Quad(person, SK.officeIn, ent(office.jurisdiction), g)
        yield from evidence(person, office.span)

    for order in a.orders:
        o = ent(order.order)
        if order.issuer:
            yield Quad(o, SK.issuedBy, ent(order.issuer), g)
        if order.jurisdiction:
            yield Quad(o, SK.jurisdiction, ent(order.jurisdiction), g)
        yield from evidence(o, order.span)

    for w in a.within:  # describes the sk:within triple of the entities graph, which it does not repeat
        statement = ids.within_statement(key, w.place)
        yield Quad(statement, RDF.type, RDF.Statement, g)
        yield Quad(statement, RDF.subject, ent(w.place), g)
        yield Quad(statement, RDF.predicate, SK.within, g)
        yield Quad(statement, RDF.object, ent(w.parent), g)
        yield Quad(statement, PROV.wasDerivedFrom, source, g)
        yield from evidence(statement, w.span)

    for claim in a.claims:
        spec = claim.spec
        c = ids.claim(key, spec.id)
        yield Quad(c, RDF.type, SK.Claim, g)
        yield Quad(c, DCTERMS.identifier, Literal(f"{key}/{spec.id}"), g)
        yield Quad(c, SK.claimKind, ontology.lists["claim-kind"][spec.kind], g)
        yield Quad(c, SK.claimant, ent(spec.by), g)
        yield Quad(c, PROV.wasDerivedFrom, source, g)
        yield from evidence(c, claim.span)
        orders = [ent(k) for k in spec.about if entities.by_id[k].kind == "order"]
        for k in spec.about:
            yield Quad(c, SK.about, ent(k), g)
        for p in spec.provisions:
            concept = ontology.lists["provision"][p]
            yield Quad(c, SK.provision, concept, g)
            yield from (Quad(o, SK.provision, concept, g) for o in orders)
        if spec.status:
            concept = ontology.lists["status"][spec.status]
            yield Quad(c, SK.status, concept, g)
            yield from (Quad(o, SK.status, concept, g) for o in orders)
        for link in spec.links:
            relation = ontology.lists["order-relation"][link.relation]
            yield Quad(ent(link.order), relation, ent(link.target), g)
            yield Quad(c, SK.statesRelation, relation, g)
        if spec.value is not None:
            yield Quad(c, SK.value, Literal(str(spec.value), datatype=XSD.decimal), g)
        if spec.unit:
            yield Quad(c, SK.unit, Literal(spec.unit), g)


def dataset_quads(sheets: Iterable[AnchoredSheet], entities: Entities, ontology: Ontology) -> list[Quad]:
    """The whole dataset, without duplicates, in a stable order."""
    quads: set[Quad] = set(ontology.quads)
    quads.update(entity_quads(entities, ontology))
    for sheet in sheets:
        quads.update(article_quads(sheet, entities, ontology))
    return sorted(quads, key=str)
