"""Namespaces and the minting of every IRI in the graph (the only module that does).

IRIs come from stable keys (entity ids, source file stems, code-point offsets),
so a rebuild yields the same graph.

>>> span("000_e0473f51d43d97b2", 120, 188).value
'https://w3id.org/sanctuary-kg/id/source/000_e0473f51d43d97b2#char=120,188'
"""

from __future__ import annotations

from pyoxigraph import NamedNode

BASE = "https://w3id.org/sanctuary-kg/"
ID = BASE + "id/"

PREFIXES = {
    "sk": BASE + "ontology#",
    "skp": BASE + "provision/",
    "id": ID,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "sh": "http://www.w3.org/ns/shacl#",
}


class Namespace:
    """Attribute access to the terms of one namespace: ``SK.Claim``."""

    def __init__(self, base: str):
        self.base = base

    def __getattr__(self, name: str) -> NamedNode:
        return NamedNode(self.base + name)

    def __getitem__(self, name: str) -> NamedNode:
        return NamedNode(self.base + name)


SK = Namespace(PREFIXES["sk"])
RDF = Namespace(PREFIXES["rdf"])
RDFS = Namespace(PREFIXES["rdfs"])
OWL = Namespace(PREFIXES["owl"])
XSD = Namespace(PREFIXES["xsd"])
SKOS = Namespace(PREFIXES["skos"])
PROV = Namespace(PREFIXES["prov"])
OA = Namespace(PREFIXES["oa"])
DCTERMS = Namespace(PREFIXES["dcterms"])
SCHEMA = Namespace(PREFIXES["schema"])
SH = Namespace(PREFIXES["sh"])

PROVISION_SCHEME = NamedNode(PREFIXES["skp"])
ONTOLOGY_GRAPH = NamedNode(ID + "graph/ontology")
ENTITIES_GRAPH = NamedNode(ID + "graph/entities")
INFERRED_GRAPH = NamedNode(ID + "graph/inferred")
REFERENCE_GRAPH = NamedNode(ID + "graph/reference")
# Graphs that are not an article's: everything else in the dataset is one article's graph.
NOT_ARTICLE_GRAPHS = frozenset(g.value for g in (ONTOLOGY_GRAPH, ENTITIES_GRAPH, REFERENCE_GRAPH, INFERRED_GRAPH))


def entity(kind: str, key: str) -> NamedNode:
    """A canonical entity: ``kind`` is jurisdiction, person, organization or order."""
    return NamedNode(f"{ID}{kind}/{key}")


def source(key: str) -> NamedNode:
    """A source, keyed by its file stem."""
    return NamedNode(f"{ID}source/{key}")


def source_graph(key: str) -> NamedNode:
    """The named graph of what one source states."""
    return NamedNode(f"{ID}graph/{key}")


def span(key: str, start: int, end: int) -> NamedNode:
    """An evidence span: the source IRI with an RFC 5147 ``#char=`` fragment."""
    return NamedNode(f"{ID}source/{key}#char={start},{end}")


def segment(key: str, number: int) -> NamedNode:
    """The ``number``-th segment (from 1) of a source."""
    return NamedNode(f"{ID}source/{key}/segment/{number}")


def claim(key: str, claim_id: str) -> NamedNode:
    """A claim of a source."""
    return NamedNode(f"{ID}claim/{key}/{claim_id}")


def reference_statement(key: str, kind: str) -> NamedNode:
    """The statement of the reference graph that gives jurisdiction ``key`` its ``kind`` of code, with its sources."""
    return NamedNode(f"{ID}reference/{key}/{kind}")


STATEMENTS = ID + "statement/"  # what an article's graph says of a triple of the entities graph


def within_statement(key: str, place: str) -> NamedNode:
    """The statement of source ``key``'s graph that it states where jurisdiction ``place`` lies (its ``sk:within``).

    >>> within_statement("001_a285dc5bd2db45e9", "seattle").value
    'https://w3id.org/sanctuary-kg/id/statement/001_a285dc5bd2db45e9/seattle/within'
    """
    return NamedNode(f"{STATEMENTS}{key}/{place}/within")


def package(name: str, version: str) -> NamedNode:
    """A data package, at one version, that reference codes come from.

    >>> package("addfips", "0.4.2").value
    'https://w3id.org/sanctuary-kg/id/package/addfips/0.4.2'
    """
    return NamedNode(f"{ID}package/{name}/{version}")


def compact(iri: str) -> str:
    """``iri`` as a prefixed name where a known prefix fits.

    >>> compact("https://w3id.org/sanctuary-kg/provision/no-local-resources")
    'skp:no-local-resources'
    """
    for prefix, base in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(base):
            return f"{prefix}:{iri[len(base):]}"
    return iri
