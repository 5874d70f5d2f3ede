"""Entailments the ontology makes worth having, in their own ``inferred`` graph.

The ontology states what follows (``sk:within`` is transitive, ``sk:contains``
and ``sk:issued`` are inverses, a County is a Jurisdiction, an order covers the
broader provisions of those it has, domains and ranges type their nodes). This
module applies exactly those OWL 2 RL rules, read from the ontology graph, to
the ontology and entities once and to each article graph on its own, so the
work grows with what each article adds. :func:`owlrl_closure` is the reference:
the full owlrl OWL-RL closure restricted to the ontology's terms, which tests
and the benchmark compare with.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from .ids import ENTITIES_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, OWL, RDF, RDFS, REFERENCE_GRAPH

Triple = tuple[Any, Any, Any]  # subject, predicate, object: pyoxigraph terms

_RDF_FIRST, _RDF_REST, _RDF_NIL, _TYPE = RDF.first, RDF.rest, RDF.nil, RDF.type


@dataclass(frozen=True)
class Rules:
    """The ontology's axioms, closed and indexed for rule application."""

    superclasses: dict[ox.NamedNode, frozenset[ox.NamedNode]]  # C -> every superclass (not C)
    superproperties: dict[ox.NamedNode, frozenset[ox.NamedNode]]  # P -> every superproperty (not P)
    inverses: dict[ox.NamedNode, frozenset[ox.NamedNode]]
    domains: dict[ox.NamedNode, frozenset[ox.NamedNode]]
    ranges: dict[ox.NamedNode, frozenset[ox.NamedNode]]
    transitive: frozenset[ox.NamedNode]
    chains: tuple[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode], ...]  # (p1, p2) -> p
    terms: frozenset[ox.NamedNode]  # the classes and properties the ontology declares or uses
    active: frozenset[ox.NamedNode]  # the predicates some rule starts from (rdf:type apart)

    @property
    def joined(self) -> frozenset[ox.NamedNode]:
        """The predicates rules join on (transitive ones, property chains): the only ones worth indexing."""
        return self.transitive | {p for chain in self.chains for p in chain[:2]}

    def in_scope(self, triple: Triple) -> bool:
        """Whether an entailment is about the ontology's terms (what the inferred graph keeps)."""
        s, p, o = triple
        if not isinstance(s, ox.NamedNode) or s in self.terms:
            return False
        if p == _TYPE:
            return o in self.terms
        return p in self.terms


def _closure(edges: dict[ox.NamedNode, set[ox.NamedNode]]) -> dict[ox.NamedNode, frozenset[ox.NamedNode]]:
    result = {}
    for start in edges:
        seen: set[ox.NamedNode] = set()
        todo = list(edges[start])
        while todo:
            node = todo.pop()
            if node not in seen and node != start:
                seen.add(node)
                todo.extend(edges.get(node, ()))
        result[start] = frozenset(seen)
    return result


def rules_from(ontology: Iterable[ox.Triple | ox.Quad]) -> Rules:
    """Read the axioms the rules use from the ontology's triples."""
    triples = [(t.subject, t.predicate, t.object) for t in ontology]
    sub_class: dict[ox.NamedNode, set[ox.NamedNode]] = defaultdict(set)
    sub_prop: dict[ox.NamedNode, set[ox.NamedNode]] = defaultdict(set)
    inverse: dict[ox.NamedNode, set[ox.NamedNode]] = defaultdict(set)
    domain: dict[ox.NamedNode, set[ox.NamedNode]] = defaultdict(set)
    range_: dict[ox.NamedNode, set[ox.NamedNode]] = defaultdict(set)
    transitive: set[ox.NamedNode] = set()
    lists: dict[object, tuple[object, object]] = {}
    chain_heads: list[tuple[ox.NamedNode, object]] = []
    terms: set[ox.NamedNode] = set()
    for s, p, o in triples:
        if p == RDFS.subClassOf:
            sub_class[s].add(o)  # type: ignore[index,arg-type]
            terms.update((s, o))  # type: ignore[arg-type]
        elif p == RDFS.subPropertyOf:
            sub_prop[s].add(o)  # type: ignore[index,arg-type]
            terms.update((s, o))  # type: ignore[arg-type]
        elif p == OWL.inverseOf:
            inverse[s].add(o)  # type: ignore[index,arg-type]
            inverse[o].add(s)  # type: ignore[index,arg-type]
            terms.update((s, o))  # type: ignore[arg-type]
        elif p == RDFS.domain:
            domain[s].add(o)  # type: ignore[index,arg-type]
            terms.update((s, o))  # type: ignore[arg-type]
        elif p == RDFS.range and not str(getattr(o, "value", "")).startswith("http://www.w3.org/2001/XMLSchema#"):
            range_[s].add(o)  # type: ignore[index,arg-type]
            terms.update((s, o))  # type: ignore[arg-type]
        elif p == RDF.type and o in (OWL.TransitiveProperty,):
            transitive.add(s)  # type: ignore[arg-type]
            terms.add(s)  # type: ignore[arg-type]
        elif p == RDF.type and o in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
            terms.add(s)  # type: ignore[arg-type]
        elif p == _RDF_FIRST:
            lists[s] = (o, lists.get(s, (None, None))[1])
        elif p == _RDF_REST:
            lists[s] = (lists.get(s, (None, None))[0], o)
        elif p == OWL.propertyChainAxiom:
            chain_heads.append((s, o))  # type: ignore[arg-type]
    chains = []
    for target, head in chain_heads:
        items, node = [], head
        while node in lists:
            first, node = lists[node]
            items.append(first)
        if len(items) != 2 or node != _RDF_NIL:
            raise ValueError(f"property chain of {target} must have two links")
        chains.append((items[0], items[1], target))
        terms.update((target, *items))  # type: ignore[arg-type]
    props = set(sub_prop) | set(inverse) | set(domain) | set(range_) | transitive | {c[2] for c in chains}
    superproperties = _closure({p: sub_prop.get(p, set()) for p in props | {o for v in sub_prop.values() for o in v}})
    return Rules(
        superclasses=_closure(sub_class),
        superproperties=superproperties,
        inverses={p: frozenset(v) for p, v in inverse.items()},
        domains={p: frozenset(v) for p, v in domain.items()},
        ranges={p: frozenset(v) for p, v in range_.items()},
        transitive=frozenset(transitive),
        chains=tuple(chains),  # type: ignore[arg-type]
        terms=frozenset(t for t in terms if isinstance(t, ox.NamedNode)),
        active=frozenset({p for p, up in superproperties.items() if up} | set(inverse) | set(domain) | set(range_)
                         | transitive | {c[0] for c in chains} | {c[1] for c in chains}),  # type: ignore[arg-type]
    )


class Closed:
    """A closed set of triples (the ontology and entities, say), indexed once for the joins of :func:`entail`."""

    def __init__(self, triples: Iterable[Triple] = (), joined: frozenset[ox.NamedNode] | None = None):
        self.triples: set[Triple] = set()
        self.joined = joined  # predicates to index (None: all)
        self.by_subject: dict[object, dict[object, set[object]]] = defaultdict(lambda: defaultdict(set))
        self.by_object: dict[object, dict[object, set[object]]] = defaultdict(lambda: defaultdict(set))
        for t in triples:
            self.add(t)

    def add(self, t: Triple) -> None:
        s, p, o = t
        self.triples.add(t)
        if self.joined is None or p in self.joined:
            self.by_subject[p][s].add(o)
            self.by_object[p][o].add(s)

    def __contains__(self, t: object) -> bool:
        return t in self.triples


_NOTHING = Closed()


def entail(asserted: Iterable[Triple], rules: Rules, context: Closed = _NOTHING) -> set[Triple]:
    """Every triple that follows from ``asserted`` (with ``context``), minus what is known.

    ``context`` is an already closed, indexed set (the ontology and entities, say) that
    joins may use (it must index at least ``rules.joined``); it is neither re-derived nor
    returned, and not copied, so that each article costs what it adds.
    """
    local = Closed(joined=rules.joined)

    def objects(p: object, s: object) -> set[object]:
        return context.by_subject.get(p, {}).get(s, set()) | local.by_subject.get(p, {}).get(s, set())

    def subjects(p: object, o: object) -> set[object]:
        return context.by_object.get(p, {}).get(o, set()) | local.by_object.get(p, {}).get(o, set())

    derived: set[Triple] = set()
    known, mine, active = context.triples, local.triples, rules.active
    todo = [t for t in dict.fromkeys(asserted) if t not in known]
    for t in todo:
        local.add(t)
    while todo:
        s, p, o = todo.pop()
        if p not in active and p != _TYPE:
            continue
        new: list[Triple] = []
        if p == _TYPE:
            new += [(s, _TYPE, c) for c in rules.superclasses.get(o, ())]
        else:
            new += [(s, q, o) for q in rules.superproperties.get(p, ())]
            if isinstance(o, ox.NamedNode):
                new += [(o, q, s) for q in rules.inverses.get(p, ())]
                new += [(o, _TYPE, c) for c in rules.ranges.get(p, ())]
            new += [(s, _TYPE, c) for c in rules.domains.get(p, ())]
            if p in rules.transitive:
                new += [(s, p, z) for z in objects(p, o)]
                new += [(x, p, o) for x in subjects(p, s)]
            for first, second, target in rules.chains:
                if p == first:
                    new += [(s, target, z) for z in objects(second, o)]
                if p == second:
                    new += [(x, target, o) for x in subjects(first, s)]
        for t in new:
            if t not in known and t not in mine:
                local.add(t)
                derived.add(t)
                todo.append(t)
    return derived


def reason(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The inferred graph of a dataset: the ontology and entities once, then each article."""
    by_graph: dict[str, list[Triple]] = defaultdict(list)
    for q in quads:
        if q.graph_name != INFERRED_GRAPH:
            by_graph[q.graph_name.value].append((q.subject, q.predicate, q.object))  # type: ignore[arg-type,union-attr]
    ontology = by_graph.pop(ONTOLOGY_GRAPH.value, [])
    rules = rules_from(ox.Triple(*t) for t in ontology)
    shared = ontology + by_graph.pop(ENTITIES_GRAPH.value, []) + by_graph.pop(REFERENCE_GRAPH.value, [])
    base = entail(shared, rules)
    context = Closed([*shared, *base], rules.joined)
    inferred = {t for t in base if rules.in_scope(t)}
    for triples in by_graph.values():
        inferred.update(t for t in entail(triples, rules, context) if rules.in_scope(t))
    asserted = {t for triples in by_graph.values() for t in triples} | set(shared)
    return sorted((ox.Quad(*t, INFERRED_GRAPH) for t in inferred - asserted), key=str)


def owlrl_closure(quads: Iterable[ox.Quad]) -> set[Triple]:
    """The reference: owlrl's OWL-RL closure of the union, restricted like :func:`reason`."""
    import owlrl
    import rdflib

    quads = [q for q in quads if q.graph_name != INFERRED_GRAPH]
    data = ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads], format=ox.RdfFormat.N_TRIPLES)
    graph = rdflib.Graph()
    graph.parse(data=data, format="nt")
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(graph)
    rules = rules_from(q for q in quads if q.graph_name == ONTOLOGY_GRAPH)
    asserted = {(q.subject, q.predicate, q.object) for q in quads}
    closed = set()
    for s, p, o in graph:
        if not isinstance(s, rdflib.URIRef):
            continue  # owlrl also derives triples about literals, which RDF cannot state
        if isinstance(o, rdflib.URIRef):
            obj: ox.NamedNode | ox.Literal | ox.BlankNode = ox.NamedNode(str(o))
        elif isinstance(o, rdflib.Literal):
            obj = ox.Literal(str(o), language=o.language) if o.language else ox.Literal(
                str(o), datatype=ox.NamedNode(str(o.datatype)) if o.datatype else None)
        else:
            continue
        t = (ox.NamedNode(str(s)), ox.NamedNode(str(p)), obj)
        if rules.in_scope(t) and t not in asserted:
            closed.add(t)
    return closed
