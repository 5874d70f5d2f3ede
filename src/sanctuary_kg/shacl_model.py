"""The shapes the fast SHACL engine understands, read from a shapes graph.

Only the SHACL features our shapes use are supported; a shape that uses any other
feature stops the engine with a ``ShapeError`` naming the shape, so that the shapes
cannot drift away from what the engine checks.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import rdflib
from rdflib import RDF, RDFS, BNode, Literal, URIRef
from rdflib.term import Node

from .errors import ShapeError

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
OWL_ONTOLOGY = URIRef("http://www.w3.org/2002/07/owl#Ontology")
VIOLATION = str(SH.Violation)
# Prefixes pyshacl declares for every SPARQL constraint.
DEFAULT_PREFIXES = (
    ("rdf", str(RDF)),
    ("rdfs", str(RDFS)),
    ("owl", "http://www.w3.org/2002/07/owl#"),
)

# Constraint parameter -> component local name; one component per parameter here.
COMPONENTS = {
    SH.minCount: "MinCount", SH.maxCount: "MaxCount", SH.datatype: "Datatype", SH["class"]: "Class",
    SH.nodeKind: "NodeKind", SH.pattern: "Pattern", SH.minInclusive: "MinInclusive",
    SH.minLength: "MinLength", SH.lessThan: "LessThan", SH.hasValue: "HasValue", SH.node: "Node",
    SH["or"]: "Or", SH["not"]: "Not", SH.sparql: "SPARQL",
}
PROPERTY_ONLY = {"MinCount", "MaxCount", "LessThan"}
SINGLE_VALUED = {"MinCount", "MaxCount", "Datatype", "NodeKind", "MinLength"}
ANNOTATIONS = {SH.message, SH.severity, SH.name, SH.description, SH.order, SH.group, SH.property,
               SH.path, SH.flags, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf}
SHAPE_TYPES = {SH.NodeShape, SH.PropertyShape}
SPARQL_KEYS = {RDF.type, SH.select, SH.message, SH.prefixes, RDFS.comment, RDFS.label}


@dataclass(frozen=True)
class Select:
    """One SPARQL-based constraint (``sh:sparql``)."""

    node: Node
    text: str
    prefixes: tuple[tuple[str, str], ...]
    messages: tuple[Literal, ...]


@dataclass(frozen=True)
class Constraint:
    """One constraint component of a shape, with its parameter values in shapes-graph order."""

    component: str  # local name, e.g. "MinCount"
    values: tuple  # rdflib terms, Shapes, tuples of Shapes (sh:or) or Selects
    flags: str | None = None  # sh:flags of sh:pattern

    @property
    def iri(self) -> str:
        return f"{SH}{self.component}ConstraintComponent"

    @property
    def number(self) -> int:
        """The integer of a single-valued parameter such as ``sh:minCount 1``."""
        value = self.values[0]
        return int(value.value if isinstance(value, Literal) else value)


@dataclass(frozen=True)
class Targets:
    classes: tuple[URIRef, ...] = ()
    subjects_of: tuple[URIRef, ...] = ()
    objects_of: tuple[URIRef, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.classes or self.subjects_of or self.objects_of)


@dataclass(frozen=True, eq=False)
class Shape:
    """A node shape (``path`` is None) or a property shape with a predicate path."""

    node: Node
    name: str  # what a result names as its shape: the node shape owning a property shape
    path: URIRef | None
    severity: str
    messages: tuple[Literal, ...]
    targets: Targets
    constraints: tuple[Constraint, ...] = ()
    properties: tuple[Shape, ...] = field(default=())

    def label(self) -> str:
        return self.name if self.name == str(self.node) else f"a property shape of {self.name}"


def load(graph: rdflib.Graph) -> tuple[Shape, ...]:
    """The shapes of ``graph`` that have targets, each with everything it uses."""
    return _Reader(graph).top_level()


class _Reader:
    def __init__(self, graph: rdflib.Graph):
        self.g = graph
        self.done: dict[Node, Shape] = {}
        self.reading: list[Node] = []

    def top_level(self) -> tuple[Shape, ...]:
        nodes: dict[Node, None] = {}
        for s in self.g.subjects(RDF.type, None):
            if set(self.g.objects(s, RDF.type)) & SHAPE_TYPES:
                nodes[s] = None
        for p in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.target):
            for s in self.g.subjects(p, None):
                nodes[s] = None
        shapes = [self.shape(n) for n in sorted(nodes, key=str)]
        for s in self.g.subjects(SH.path, None):  # property shapes nobody points to still must be readable
            self.shape(s)
        return tuple(s for s in shapes if s.targets)

    def name_of(self, node: Node) -> str:
        if isinstance(node, BNode):
            owner = self.g.value(None, SH.property, node)
            node = owner if owner is not None else node
        return str(node)

    def refuse(self, node: Node, what: str) -> ShapeError:
        where = self.name_of(node)
        shape = f"shape {where}" if where == str(node) else f"a property shape of {where}"
        return ShapeError(f"{shape} uses {what}, which the fast SHACL engine does not support; "
                          "change the shape or teach sanctuary_kg.shacl the feature (pyshacl stays the reference)")

    def shape(self, node: Node) -> Shape:
        if node in self.done:
            return self.done[node]
        if node in self.reading:
            raise self.refuse(node, "a recursive shape reference")
        self.reading.append(node)
        try:
            shape = self._read(node)
        finally:
            self.reading.pop()
        self.done[node] = shape
        return shape

    def _read(self, node: Node) -> Shape:
        g = self.g
        if set(g.objects(node, RDF.type)) - SHAPE_TYPES:
            raise self.refuse(node, "an rdf:type other than sh:NodeShape or sh:PropertyShape (an implicit class target)")
        unknown = sorted(f"sh:{str(p)[len(SH):]}" for p in set(g.predicates(node, None))
                         if str(p).startswith(str(SH)) and p not in ANNOTATIONS and p not in COMPONENTS)
        if unknown:
            raise self.refuse(node, ", ".join(unknown))
        paths = list(g.objects(node, SH.path))
        if len(paths) > 1:
            raise self.refuse(node, "several sh:path values")
        path = paths[0] if paths else None
        if path is not None and not isinstance(path, URIRef):
            raise self.refuse(node, "a sh:path that is not a single predicate")
        targets = Targets(*(tuple(self._iris(node, p)) for p in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf)))
        if targets and path is not None:
            raise self.refuse(node, "targets on a property shape")
        severities = list(g.objects(node, SH.severity))
        constraints = []
        for p, component in COMPONENTS.items():
            values = list(g.objects(node, p))
            if not values:
                continue
            if component in PROPERTY_ONLY and path is None:
                raise self.refuse(node, f"sh:{p.split('#')[-1]} on a node shape")
            if component in SINGLE_VALUED and len(values) > 1:
                raise self.refuse(node, f"several sh:{p.split('#')[-1]} values")
            constraints.append(self._constraint(node, component, values))
        properties = tuple(self.shape(p) for p in g.objects(node, SH.property))
        if properties and path is not None:
            raise self.refuse(node, "sh:property on a property shape")
        return Shape(node, self.name_of(node), path, str(severities[0]) if severities else VIOLATION,
                     tuple(m for m in g.objects(node, SH.message) if isinstance(m, Literal)),
                     targets, tuple(constraints), properties)

    def _iris(self, node: Node, p: URIRef) -> Iterator[URIRef]:
        for value in self.g.objects(node, p):
            if not isinstance(value, URIRef):
                raise self.refuse(node, f"a {self.g.namespace_manager.normalizeUri(p)} that is not an IRI")
            yield value

    def _constraint(self, node: Node, component: str, values: list) -> Constraint:
        if component in ("Node", "Not"):
            return Constraint(component, tuple(self.shape(v) for v in values))
        if component == "Or":
            lists = []
            for head in values:
                members = list(self.g.items(head))
                if not members:
                    raise self.refuse(node, "an empty or malformed sh:or list")
                lists.append(tuple(self.shape(m) for m in members))
            return Constraint(component, tuple(lists))
        if component == "SPARQL":
            return Constraint(component, tuple(self._select(node, v) for v in values))
        if component in ("MinCount", "MaxCount", "MinLength"):
            value = values[0]
            if not (isinstance(value, Literal) and isinstance(value.value, int) and value.value >= 0):
                raise self.refuse(node, f"a sh:{component[0].lower() + component[1:]} that is not a non-negative integer")
        if component in ("Class", "Datatype", "NodeKind", "LessThan") and not all(isinstance(v, URIRef) for v in values):
            raise self.refuse(node, f"a {component} parameter that is not an IRI")
        if component in ("Pattern", "MinInclusive") and not all(isinstance(v, Literal) for v in values):
            raise self.refuse(node, f"a {component} parameter that is not a literal")
        flags = self.g.value(node, SH.flags) if component == "Pattern" else None
        return Constraint(component, tuple(values), None if flags is None else str(flags))

    def _select(self, node: Node, constraint: Node) -> Select:
        g = self.g
        for p in set(g.predicates(constraint, None)):
            if p not in SPARQL_KEYS:
                raise self.refuse(node, f"<{p}> on a SPARQL constraint")
        selects = list(g.objects(constraint, SH.select))
        if len(selects) != 1 or not isinstance(selects[0], Literal):
            raise self.refuse(node, "a SPARQL constraint without exactly one sh:select")
        prefixes = dict(DEFAULT_PREFIXES)
        ontologies = set(g.subjects(RDF.type, OWL_ONTOLOGY))
        global_declares = {d for o in ontologies for d in g.objects(o, SH.declare)}
        for holder in g.objects(constraint, SH.prefixes):
            declares = set(g.objects(holder, SH.declare))
            if not (declares and holder in ontologies):
                declares |= global_declares
            for declare in declares:
                prefix, namespace = g.value(declare, SH.prefix), g.value(declare, SH.namespace)
                if prefix is None or namespace is None:
                    raise self.refuse(node, "a sh:declare without sh:prefix and sh:namespace")
                prefixes[str(prefix)] = str(namespace)
        messages = tuple(m for m in g.objects(constraint, SH.message) if isinstance(m, Literal))
        return Select(constraint, str(selects[0]), tuple(prefixes.items()), messages)
