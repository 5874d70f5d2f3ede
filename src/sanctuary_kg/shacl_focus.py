"""The focus nodes of a shape in every article at once.

A target found through a triple of an article's own graph is "new" in that article. A target
found in the shared graphs is checked once against the shared graphs alone (under the
pseudo graph ``Scope.pseudo``); that result holds in every article whose graph says
nothing the checks of the shape read about it. Where an article does say something, the
pair (article, target) is "dirty" and is checked in that article.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from .errors import ShapeError
from .shacl_model import Constraint, Shape
from .shacl_query import RDF_TYPE, THIS, G, Scope, iri

Deps = set[tuple[tuple[str, ...], frozenset[str] | None]]


class Focus:
    """The focus nodes of one shape: new targets (a pattern), shared targets, and dirty pairs on demand."""

    def __init__(self, scope: Scope, new: str, pseudo: str, shared_targets: frozenset[Any]):
        self.scope = scope
        self.new = new  # pattern binding ?__g and ?this to new targets
        self.pseudo = pseudo  # pattern binding ?this to shared targets, ?__g to the pseudo graph ("" if none)
        self.shared_targets = shared_targets
        self._dirty: dict[Any, frozenset[tuple[str, Any]]] = {}

    def dirty(self, deps: Deps | None) -> frozenset[tuple[str, Any]]:
        """(article, shared target) pairs where the article has a triple that ``deps`` says checks may read."""
        key = None if deps is None else frozenset(deps)
        if key not in self._dirty:
            found = _dirty(self.scope, self.shared_targets, deps) if self.shared_targets else set()
            self._dirty[key] = frozenset(found)
        return self._dirty[key]

    def entities(self, dirty: frozenset[tuple[str, Any]]) -> str:
        """Focus pairs that are not new targets: dirty and pseudo ones ("" if none)."""
        parts = ([values_of(dirty)] if dirty else []) + ([self.pseudo] if self.pseudo else [])
        return " UNION ".join(f"{{ {p} }}" for p in parts)

    def all(self, dirty: frozenset[tuple[str, Any]]) -> str:
        """Every focus pair: new, dirty and pseudo."""
        entities = self.entities(dirty)
        union = f"{{ {self.new} }} UNION {entities}" if entities else self.new
        return f"{{ SELECT DISTINCT {G} {THIS} WHERE {{ {union} }} }}"

    def local(self, dirty: frozenset[tuple[str, Any]], foci: set[Any]) -> dict[Any, set[str]]:
        """The articles where each of ``foci`` (shared targets) is checked on its own."""
        found: dict[Any, set[str]] = {}
        for g, x in dirty:
            found.setdefault(x, set()).add(g)
        if foci:
            query = f"SELECT DISTINCT {G} {THIS} WHERE {{ {self.new} VALUES {THIS} {{ {' '.join(map(str, foci))} }} }}"
            for row in self.scope.rows(query):
                found.setdefault(row[1], set()).add(row[0].value)
        return found


def values_of(pairs: Any) -> str:
    """``VALUES`` binding ``?__g`` and ``?this`` to (graph IRI, Oxigraph term) pairs."""
    rows = " ".join(f"({iri(g)} {x})" for g, x in sorted(pairs, key=str))
    return f"VALUES ({G} {THIS}) {{ {rows} }}"


def focus_of(scope: Scope, shape: Shape) -> Focus:
    """The focus nodes of a shape with targets (class targets include subclasses from the shared graphs)."""
    t = shape.targets
    classes = sorted({s for c in t.classes for s in scope.subclasses_of(str(c))})
    new = []
    if classes:
        new.append(f"GRAPH {G} {{ {THIS} {iri(RDF_TYPE)} ?__tc }} FILTER(?__tc IN ({', '.join(map(iri, classes))}))")
    new += [f"GRAPH {G} {{ {THIS} {iri(p)} ?__o }}" for p in t.subjects_of]
    new += [f"GRAPH {G} {{ ?__s {iri(p)} {THIS} }}" for p in t.objects_of]
    new_text = " UNION ".join(f"{{ {p} }}" for p in new) + f" {scope.not_article()}"
    shared = []
    for c in classes:
        shared += [f"GRAPH {iri(g)} {{ {THIS} {iri(RDF_TYPE)} {iri(c)} }}" for g in scope.type_graphs.get(c, [])]
    for p in t.subjects_of:
        shared += [f"GRAPH {iri(g)} {{ {THIS} {iri(p)} ?__o }}" for g in scope.shared_graphs_of.get(str(p), [])]
    for p in t.objects_of:
        shared += [f"GRAPH {iri(g)} {{ ?__s {iri(p)} {THIS} }}" for g in scope.shared_graphs_of.get(str(p), [])]
    targets: frozenset[Any] = frozenset()
    pseudo = ""
    if shared:
        union = " UNION ".join(f"{{ {p} }}" for p in shared)
        targets = frozenset(row[0] for row in scope.rows(f"SELECT DISTINCT {THIS} WHERE {{ {union} }}"))
        if any(isinstance(x, ox.BlankNode) for x in targets):
            raise ShapeError(f"{shape.label()} targets blank nodes of the shared graphs, which the fast engine cannot name")
        if targets:
            pseudo = f"{{ SELECT DISTINCT {THIS} WHERE {{ {union} }} }} BIND({iri(scope.pseudo)} AS {G})"
    return Focus(scope, new_text, pseudo, targets)


def dependencies(shape: Shape, prefix: tuple[str, ...] = ()) -> Deps | None:
    """What of an article may change a shape's results at a shared focus node.

    Pairs (path of predicates from the node through shared triples, predicates of the
    article's triples about the node reached); None means anything (SPARQL constraints).
    """
    deps: Deps = set()
    at = prefix + ((str(shape.path),) if shape.path is not None else ())
    for c in shape.constraints:
        found = _value_deps(c, at)
        if found is None:
            return None
        deps |= found
    if shape.path is not None:
        deps.add((prefix, frozenset({str(shape.path)})))
        deps |= {(prefix, frozenset({str(q)})) for c in shape.constraints if c.component == "LessThan" for q in c.values}
    for p in shape.properties:
        found = dependencies(p, prefix)
        if found is None:
            return None
        deps |= found
    return deps


def constraint_dependencies(owner: Shape, c: Constraint) -> Deps | None:
    """What of an article may change the results of one constraint at a shared focus node."""
    if owner.path is None:
        return _value_deps(c, ())
    deps = _value_deps(c, (str(owner.path),))
    if deps is None:
        return None
    deps.add(((), frozenset({str(owner.path)} | ({str(q) for q in c.values} if c.component == "LessThan" else set()))))
    return deps


def _value_deps(c: Constraint, at: tuple[str, ...]) -> Deps | None:
    if c.component == "SPARQL":
        return None
    if c.component == "Class":
        return {(at, frozenset({RDF_TYPE}))}
    members = [m for ms in c.values for m in ms] if c.component == "Or" else \
        list(c.values) if c.component in ("Node", "Not") else []
    deps: Deps = set()
    for m in members:
        found = dependencies(m, at)
        if found is None:
            return None
        deps |= found
    return deps


def _dirty(scope: Scope, targets: frozenset[Any], deps: Deps | None) -> set[tuple[str, Any]]:
    """(article, shared target) pairs where the article has a triple the target's checks may read."""
    if deps is None:
        return {(g, x) for g in scope.articles for x in targets}
    expanded: Deps = set()
    for hops, preds in deps:
        expanded.add((hops, preds))
        expanded |= {(hops[:j], frozenset({hops[j]})) for j in range(len(hops))}
    found: set[tuple[str, Any]] = set()
    these = f"VALUES {THIS} {{ {' '.join(str(x) for x in targets)} }}"
    for hops, preds in sorted(expanded, key=lambda d: (len(d[0]), d[0], sorted(d[1] or ()))):
        node, walk = THIS, []
        for p in hops:
            graphs = scope.shared_graphs_of.get(p, [])
            if not graphs:
                break
            nxt = scope.fresh("n")
            walk.append(" UNION ".join(f"{{ GRAPH {iri(g)} {{ {node} {iri(p)} {nxt} }} }}" for g in graphs))
            node = nxt
        else:
            for pred in sorted(preds) if preds else [None]:
                triple = f"{node} {iri(pred) if pred else '?__dp'} ?__do"
                query = (f"SELECT DISTINCT {G} {THIS} WHERE {{ {these} {' '.join(f'{{ {w} }}' for w in walk)} "
                         f"GRAPH {G} {{ {triple} }} {scope.not_article()} }}")
                found |= {(row[0].value, row[1]) for row in scope.rows(query)}
    return found
