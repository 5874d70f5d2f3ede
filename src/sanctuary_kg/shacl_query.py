"""SPARQL text for the fast SHACL engine: where a triple may come from, and when a node fails a shape.

The data graph of an article is its own named graph plus the shared graphs. Every query
binds the article graph to ``?__g``; a triple pattern becomes a ``GRAPH ?__g`` pattern, a
pattern on the shared graphs that hold its predicate, or the union of both. Absence is
written as ``MINUS`` (a hashed anti-join), not ``FILTER NOT EXISTS``: Oxigraph plans an
``EXISTS`` before it knows which variables a row binds, and at scale that is slow.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, cast

import pyoxigraph as ox

from .errors import ShapeError
from .shacl_model import SH
from .shacl_select import Triple

G = "?__g"
THIS = "?this"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
ALLOWED_SEVERITIES = {str(SH.Warning), str(SH.Info)}  # pyshacl runs with allow_warnings


def iri(value: str) -> str:
    return f"<{value}>"


class Scope:
    """What the engine knows of a store: which graphs are articles or shared, and where terms occur."""

    def __init__(self, store: ox.Store, shared: Iterable[str], ignored: Iterable[str] = ()):
        self.store = store
        self.shared = tuple(shared)
        self.ignored = tuple(ignored)
        self.excluded = (*self.shared, *self.ignored)
        self.articles = sorted(g.value for g in store.named_graphs()
                               if isinstance(g, ox.NamedNode) and g.value not in self.excluded)
        self.pseudo = self.shared[0] if self.shared else ""  # stands for "the shared graphs alone"
        self._vars = itertools.count()
        self._asked: dict[str, bool] = {}
        self.shared_graphs_of: dict[str, list[str]] = defaultdict(list)  # predicate -> shared graphs
        self.type_graphs: dict[str, list[str]] = defaultdict(list)  # class -> shared graphs typing a node with it
        self.subclasses: dict[str, set[str]] = defaultdict(set)
        if self.shared:
            graphs = f"VALUES ?sg {{ {self.values(self.shared)} }}"
            for graph, p in self.rows(f"SELECT DISTINCT ?sg ?p WHERE {{ {graphs} GRAPH ?sg {{ ?s ?p ?o }} }}"):
                self.shared_graphs_of[p.value].append(graph.value)
            for graph, c in self.rows(f"SELECT DISTINCT ?sg ?c WHERE {{ {graphs} GRAPH ?sg {{ ?s {iri(RDF_TYPE)} ?c }} "
                                      "FILTER(isIRI(?c)) }"):
                self.type_graphs[c.value].append(graph.value)
            for sub, sup in self.rows(f"SELECT DISTINCT ?s ?c WHERE {{ {graphs} GRAPH ?sg {{ ?s {iri(SUBCLASS)} ?c }} "
                                      "FILTER(isIRI(?s) && isIRI(?c)) }"):
                self.subclasses[sup.value].add(sub.value)
        for found in (self.shared_graphs_of, self.type_graphs):  # in the order of ``shared``, as a scan would give
            for key, where in found.items():
                found[key] = sorted(set(where), key=self.shared.index)
        if self.in_articles(SUBCLASS):
            raise ShapeError("an article graph states rdfs:subClassOf: the fast SHACL engine takes the class "
                             "hierarchy from the shared graphs only; move it to the ontology")

    def rows(self, query: str) -> list[tuple[Any, ...]]:
        """The solutions of a SELECT query, as tuples of Oxigraph terms (None where unbound)."""
        return [tuple(solution) for solution in cast(ox.QuerySolutions, self.store.query(query))]

    def fresh(self, name: str = "v") -> str:
        return f"?__{name}{next(self._vars)}"

    @staticmethod
    def values(iris: Iterable[str]) -> str:
        return " ".join(iri(i) for i in iris)

    def _ask(self, key: str, query: str) -> bool:
        if key not in self._asked:
            self._asked[key] = bool(self.store.query(query))
        return self._asked[key]

    def not_article(self, var: str = G) -> str:
        return f"FILTER({var} NOT IN ({', '.join(iri(g) for g in self.excluded)}))" if self.excluded else ""

    def in_articles(self, predicate: str, obj: str | None = None) -> bool:
        """Whether some article graph has a triple with ``predicate`` (and object ``obj``)."""
        o = iri(obj) if obj else "?o"
        return self._ask(f"a {predicate} {obj}", f"ASK {{ GRAPH {G} {{ ?s {iri(predicate)} {o} }} {self.not_article()} }}")

    def article_filter(self, predicate: str) -> str:
        """The filter keeping ``GRAPH ?__g`` on articles, if ``predicate`` occurs in other graphs at all."""
        ignored = bool(self.ignored) and self._ask(
            f"i {predicate}", f"ASK {{ VALUES ?x {{ {self.values(self.ignored)} }} GRAPH ?x {{ ?s {iri(predicate)} ?o }} }}")
        return self.not_article() if ignored or self.shared_graphs_of.get(predicate) else ""

    def branches(self, s: str, p_text: str, p_iri: str, o: str) -> list[str]:
        """The graph patterns a triple pattern may match in, in the data graph of article ``?__g``."""
        triple = f"{s} {p_text} {o}"
        if not p_iri:
            return [f"GRAPH {G} {{ {triple} }}"] + [f"GRAPH {iri(g)} {{ {triple} }}" for g in self.shared]
        if p_iri == RDF_TYPE and o.startswith("<"):
            local, graphs = self.in_articles(RDF_TYPE, o[1:-1]), self.type_graphs.get(o[1:-1], [])
        else:
            local, graphs = self.in_articles(p_iri), self.shared_graphs_of.get(p_iri, [])
        found = ([f"GRAPH {G} {{ {triple} }}"] if local else []) + [f"GRAPH {iri(g)} {{ {triple} }}" for g in graphs]
        return found or [f"GRAPH {G} {{ {triple} }}"]  # matches nothing, binds the same variables

    def tp(self, s: str, p: str, o: str) -> str:
        """A triple pattern matched in the data graph of the article ``?__g`` (``p`` an IRI or a variable)."""
        p = str(p)
        variable = p.startswith("?")
        return self.bgp([(s, p if variable else iri(p), "" if variable else p, o)])

    def bgp(self, triples: list[Triple]) -> str:
        """Triple patterns matched in the article's data graph; article-only ones share one GRAPH block."""
        local, parts = [], []
        for s, p_text, p_iri, o in triples:
            found = self.branches(s, p_text, p_iri, o)
            if found == [f"GRAPH {G} {{ {s} {p_text} {o} }}"]:
                local.append(f"{s} {p_text} {o} .")
            else:
                parts.append(" UNION ".join(f"{{ {b} }}" for b in found))
        if local:
            parts.insert(0, f"GRAPH {G} {{ {' '.join(local)} }}")
        return " ".join(f"{{ {p} }}" if " UNION " in p else p for p in parts)

    def minus(self, s: str, p: str, o: str) -> str:
        """MINUS clauses removing rows where the triple pattern holds in the article's data graph.

        An anti-join: Oxigraph evaluates each clause once and hashes it, where an EXISTS per row
        may scan every graph that mentions the subject.
        """
        p = str(p)
        return " ".join(f"MINUS {{ {b} }}" for b in self.branches(s, iri(p), p, o))

    def subclasses_of(self, cls: str) -> list[str]:
        found, todo = {cls}, [cls]
        while todo:
            for sub in self.subclasses.get(todo.pop(), ()):
                if sub not in found:
                    found.add(sub)
                    todo.append(sub)
        return sorted(found)

    def not_instance(self, var: str, classes: Iterable[str]) -> str:
        """MINUS clauses keeping rows where ``var`` is no SHACL instance of ``classes`` (literals stay)."""
        subs = sorted({s for c in classes for s in self.subclasses_of(c)})
        listed = ", ".join(iri(c) for c in subs)
        t = self.fresh("t")
        graphs = ([G] if any(self.in_articles(RDF_TYPE, c) for c in subs) else []) + \
            [iri(g) for g in sorted({g for c in subs for g in self.type_graphs.get(c, [])})]
        return " ".join(f"MINUS {{ GRAPH {g} {{ {var} {iri(RDF_TYPE)} {t} }} FILTER({t} IN ({listed})) }}" for g in graphs)
