"""A fast SHACL engine: the shapes compiled to SPARQL, run on Oxigraph for every article at once.

Each article is validated the way pyshacl validates it with that article's graph plus the
shared graphs (ontology, entities, reference) as the data graph, and the results are the
ones pyshacl reports: same focus node, path, value, severity, shape, component, message.

How: every query binds the article graph to ``?__g``; triple patterns match in that graph,
the shared graphs, or both (``shacl_query``). Targets found in the shared graphs are
checked once against the shared graphs alone and those results are copied to every
article that cannot change them (one whose graph says nothing the checks read). Article
nodes are first screened with cheap scans of the data; only suspects are checked exactly.
Terms are finally judged by pyshacl's own rules on their rdflib form (``shacl_terms``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib.term import Node

from .shacl_conform import TERM_TESTS, Conformance, distinct, values_pattern
from .shacl_focus import Focus, constraint_dependencies, dependencies, focus_of, values_of
from .shacl_model import Constraint, Select, Shape
from .shacl_model import load as load_shapes
from .shacl_query import THIS, G, Scope, iri
from .shacl_select import parse as parse_select
from .shacl_terms import default_message, passes, surely, surely_less, template, to_rdflib


@dataclass(frozen=True)
class Result:
    """One SHACL validation result in one article graph (the fields of ``validate.Finding``, and the component)."""

    severity: str  # Violation, Warning or Info
    focus: str
    path: str | None
    value: str | None
    message: str
    graph: str
    check: str  # the node shape that owns the constraint
    component: str  # e.g. http://www.w3.org/ns/shacl#MinCountConstraintComponent


@dataclass(frozen=True)
class _Hit:
    """A violation found by a query, before it becomes a Result."""

    graph: str
    focus: Any  # Oxigraph terms
    value: Any = None
    param: int = 0  # which parameter value of the constraint failed
    bindings: tuple[tuple[str, Any], ...] = ()  # SPARQL constraints: the projected variables


Known = dict[int, list[list[tuple[Any, list["Result"]]]]]  # shape -> constraint -> (shared target, its results)


def validate_store(store: ox.Store, shapes: rdflib.Graph, shared: Iterable[str],
                   ignored: Iterable[str] = (), known: Known | None = None) -> list[Result]:
    """Validate every article graph of ``store`` against ``shapes``, as pyshacl would one by one.

    ``shared`` graphs are part of every article's data graph; ``ignored`` graphs are neither
    articles nor data (an inferred graph, say); every other named graph is an article.

    ``known`` holds what the checks of shared targets against the shared graphs alone found:
    given empty, it is filled; given filled by a run with the same shared graphs and shapes
    (whatever its articles), those checks are not run again.
    """
    engine = _Engine(Scope(store, shared, ignored), shapes, known)
    results = [r for number, shape in enumerate(load_shapes(shapes)) for r in engine.shape(shape, number)]
    return sorted(results, key=lambda r: (r.graph, r.focus, r.path or "", r.message, r.component, r.value or ""))


def load_store(dataset: Path) -> ox.Store:
    """An in-memory store holding an N-Quads dataset file."""
    store = ox.Store()
    store.bulk_load(path=dataset, format=ox.RdfFormat.N_QUADS)
    return store


class _Engine:
    def __init__(self, scope: Scope, shapes: rdflib.Graph, known: Known | None = None):
        self.scope = scope
        self.known = known
        self.sg = shapes
        self.tests: dict[tuple[int, int, Any], bool] = {}
        self.rules: dict[tuple[int, int], Callable[[Node], bool]] = {}
        self.multi: dict[str, set[tuple[Any, Any, int]]] = {}
        self.screened: dict[tuple[str, Constraint], set[tuple[Any, Any]]] = {}
        self.conform = Conformance(scope, self.term_failures)

    def rows(self, query: str) -> list[tuple[Any, ...]]:
        return self.scope.rows(query)

    def pairs(self, query: str) -> set[tuple[Any, Any]]:
        return {(r[0], r[1]) for r in self.rows(query)}

    # ------------------------------------------------------------ one shape with targets

    def shape(self, shape: Shape, number: int = 0) -> list[Result]:
        focus = focus_of(self.scope, shape)
        known = self.known.get(number) if self.known is not None else None
        if known is not None:
            focus.pseudo = ""  # what the shared graphs alone give is known: leave those checks out
        found: list[list[tuple[Any, list[Result]]]] = []
        components = list(_components(shape))
        missing: set[tuple[Any, Any]] | None = None
        results = []
        for index, (owner, c) in enumerate(components):
            kind = c.component
            dirty = focus.dirty(dependencies(shape) if kind == "SPARQL" else constraint_dependencies(owner, c))
            if owner.path is None or kind in ("SPARQL", "HasValue") or self.scope.shared_graphs_of.get(str(owner.path)) \
                    or (kind == "MinCount" and c.number > 1):
                hits = self.hits(owner, c, focus.all(dirty))  # checked directly
            elif kind == "MinCount":  # new targets lacking a value are found in one scan per shape
                if missing is None:
                    missing = self.missing(components, focus)
                suspects = {(g, x) for g, x in missing if (g.value, x) not in dirty}
                hits = self.hits(owner, c, self.suspects(suspects, focus)) if suspects else []
                if focus.entities(dirty):
                    hits += self.hits(owner, c, distinct(focus.entities(dirty)))
            else:  # the values all come from article graphs: scan them for suspects
                suspects = self.screen(owner, c)
                hits = self.hits(owner, c, self.suspects(suspects, focus, dirty)) if suspects else []
                if focus.pseudo:
                    hits += self.hits(owner, c, distinct(focus.pseudo))
            found.append(known[index] if known is not None else [])
            results += self.replicate(owner, c, hits, focus, dirty, found[-1], known is None)
        if self.known is not None and known is None:
            self.known[number] = found
        return results

    def suspects(self, pairs: set[tuple[Any, Any]], focus: Focus, dirty: frozenset[tuple[str, Any]] = frozenset()) -> str:
        """The focus pairs among suspect (graph, node) pairs: new targets, or dirty pairs."""
        if any(isinstance(x, ox.BlankNode) for _, x in pairs):
            return focus.all(dirty)  # blank nodes cannot be named in a query: check every focus node
        named = {(g.value, x) for g, x in pairs}
        parts = [f"{values_of(named - dirty)} {{ {focus.new} }}"] if named - dirty else []
        parts += [values_of(named & dirty)] if named & dirty else []
        return distinct(" UNION ".join(f"{{ {p} }}" for p in parts))

    def replicate(self, owner: Shape, c: Constraint, hits: list[_Hit], focus: Focus, dirty: frozenset[tuple[str, Any]],
                  shared: list[tuple[Any, list[Result]]], fresh: bool) -> list[Result]:
        """The results of ``hits``; those found against the shared graphs alone (added to ``shared`` when
        ``fresh``, else taken from it) go to every article they hold in."""
        pseudo = self.scope.pseudo
        groups = self.results(owner, c, hits)
        out = [r for hit, group in zip(hits, groups, strict=True) if hit.graph != pseudo for r in group]
        if fresh:
            shared += [(hit.focus, group) for hit, group in zip(hits, groups, strict=True) if hit.graph == pseudo]
        if shared:
            local = focus.local(dirty, {target for target, _ in shared})
            for target, group in shared:
                out += [replace(r, graph=g) for g in self.scope.articles if g not in local.get(target, ()) for r in group]
        return out

    # ------------------------------------------------------------ screens: suspects among article nodes

    def missing(self, components: list[tuple[Shape, Constraint]], focus: Focus) -> set[tuple[Any, Any]]:
        """New targets lacking a value some sh:minCount 1 asks for, in one scan (values only in articles)."""
        tests = []
        for owner, c in components:
            if owner.path is not None and c.component == "MinCount" and c.number == 1 \
                    and not self.scope.shared_graphs_of.get(str(owner.path)):
                tests.append(f"!EXISTS {{ GRAPH {G} {{ {THIS} {iri(str(owner.path))} {self.scope.fresh()} }} }}")
        if not tests:
            return set()
        return self.pairs(f"SELECT DISTINCT {G} {THIS} WHERE {{ {focus.new} FILTER({' || '.join(tests)}) }}")

    def screen(self, owner: Shape, c: Constraint) -> set[tuple[Any, Any]]:
        """(article graph, node) pairs of article triples that may violate ``c`` (the same for every shape)."""
        key = (str(owner.path), c)
        if key not in self.screened:
            self.screened[key] = self._screen(owner, c)
        return self.screened[key]

    def _screen(self, owner: Shape, c: Constraint) -> set[tuple[Any, Any]]:
        s = self.scope
        path = str(owner.path)
        p, where = iri(path), s.article_filter(path)
        kind = c.component
        if kind == "MaxCount":
            return self.multiple(path, c.number)
        if kind in TERM_TESTS:
            q = (f"SELECT DISTINCT {G} {THIS} ?__v WHERE {{ GRAPH {G} {{ {THIS} {p} ?__v }} {where} "
                 f"FILTER(!({surely(c, '?__v')})) }}")
            return {(r[0], r[1]) for r in self.rows(q) if self.term_failures(c, r[2])}
        if kind == "LessThan":
            found = set()
            for k in c.values:
                q = (f"SELECT DISTINCT {G} {THIS} WHERE {{ GRAPH {G} {{ {THIS} {p} ?__v . {THIS} {iri(str(k))} ?__w }} "
                     f"{where} FILTER(!({surely_less('?__v', '?__w')})) }}")
                found |= self.pairs(q)
            return found
        # Class, Node, Or, Not: which distinct values of the article graphs fail, then whose values they are
        values = f"GRAPH {G} {{ ?__x {p} {THIS} }} {where}"
        bad = set()
        for i in range(len(c.values)):
            bad |= self.conform.node_param(c, i, distinct(values))
        return {(ox.NamedNode(g), x) for g, x, _ in self.conform.with_values(values, bad)}

    def multiple(self, path: str, n: int) -> set[tuple[Any, Any]]:
        """(graph, subject) pairs with more than ``n`` values of ``path`` in one article graph."""
        if path not in self.multi:
            p, where = iri(path), self.scope.article_filter(path)
            count = next(iter(self.rows(f"SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?__s) AS ?d) WHERE {{ "
                                        f"GRAPH {G} {{ ?__s {p} ?__v }} {where} }}")))
            self.multi[path] = set()
            if count[0] != count[1]:  # some subject has two values, in one graph or across graphs
                q = (f"SELECT {G} {THIS} (COUNT(DISTINCT ?__v) AS ?n) WHERE {{ GRAPH {G} {{ {THIS} {p} ?__v }} {where} }} "
                     f"GROUP BY {G} {THIS} HAVING (COUNT(DISTINCT ?__v) > 1)")
                self.multi[path] = {(r[0], r[1], int(r[2].value)) for r in self.rows(q)}
        return {(g, x) for g, x, count in self.multi[path] if count > n}

    def term_failures(self, c: Constraint, term: Any) -> list[Node]:
        """The parameter values of term constraint ``c`` that ``term`` fails (pyshacl's rules)."""
        failed = []
        for i, value in enumerate(c.values):
            key = (id(c), i, term)
            if key not in self.tests:
                if (id(c), i) not in self.rules:
                    self.rules[(id(c), i)] = passes(c, value)
                self.tests[key] = self.rules[(id(c), i)](to_rdflib(term))
            if not self.tests[key]:
                failed.append(value)
        return failed

    # ------------------------------------------------------------ exact checks over some focus nodes

    def hits(self, owner: Shape, c: Constraint, focus: str) -> list[_Hit]:
        s, cf, kind = self.scope, self.conform, c.component
        if kind == "SPARQL":
            return [h for select in c.values for h in self.sparql(select, focus)]
        if owner.path is None:  # the focus node is its own value
            return [_Hit(g, x, x, i) for i in range(len(c.values)) for g, x in cf.node_param(c, i, focus)]
        path = str(owner.path)
        if kind in ("MinCount", "MaxCount"):
            return [_Hit(g, x) for g, x, _ in cf.counts(kind, c.number, focus, path)]
        if kind == "HasValue":
            return [_Hit(g, x, None, i) for i, h in enumerate(c.values) for g, x in cf.select(focus, s.minus(THIS, path, h.n3()))]
        if kind == "LessThan":
            return [_Hit(g, x, v, i) for i, k in enumerate(c.values) for g, x, v in cf.less_than(focus, path, str(k))]
        if kind in TERM_TESTS:
            q = f"SELECT DISTINCT {G} {THIS} ?__v WHERE {{ {focus} {s.tp(THIS, path, '?__v')} FILTER(!({surely(c, '?__v')})) }}"
            return [_Hit(r[0].value, r[1], r[2]) for r in self.rows(q)
                    for _ in self.term_failures(c, r[2])]
        values = values_pattern(s, focus, path)  # Class, Node, Or, Not: which values fail, per parameter
        out = []
        for i in range(len(c.values)):
            bad = cf.node_param(c, i, distinct(values))
            out += [_Hit(g, x, v, i) for g, x, v in cf.with_values(values, bad)]
        return out

    def sparql(self, select: Select, focus: str) -> list[_Hit]:
        query = parse_select(select.text, dict(select.prefixes))
        names = [v for v in query.variables if v != "this"]
        prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in query.prefixes)
        body = query.render(self.scope.bgp, first=f"{{ {focus} }}")
        q = f"{prologue}SELECT DISTINCT {G} {THIS} {' '.join('?' + n for n in names)} WHERE {body}"
        hits = []
        columns = ["__g", "this", *names]
        for r in self.rows(q):
            bound = tuple((n, r[i]) for i, n in enumerate(columns) if n in query.variables and r[i] is not None)
            hits.append(_Hit(r[0].value, r[1], None, 0, (("select", select), *bound)))
        return hits

    # ------------------------------------------------------------ results

    def results(self, owner: Shape, c: Constraint, hits: list[_Hit]) -> list[list[Result]]:
        """For each hit, its result followed by the results sh:node nests under it."""
        details = self.details(c, hits) if c.component == "Node" and hits else {}
        return [[self.result(owner, c, hit), *details.get((hit.graph, hit.value, hit.param), [])] for hit in hits]

    def details(self, c: Constraint, hits: list[_Hit]) -> dict[tuple[str, Any, int], list[Result]]:
        """The results of the shape of ``sh:node`` at each failing value: pyshacl reports them too."""
        found: dict[tuple[str, Any, int], list[Result]] = defaultdict(list)
        for i, shape in enumerate(c.values):
            pairs = {(h.graph, h.value) for h in hits if h.param == i and not isinstance(h.value, ox.BlankNode)}
            if not pairs:
                continue
            for owner, k in _components(shape):
                for hit in self.hits(owner, k, values_of(pairs)):
                    found[(hit.graph, hit.focus, i)] += self.results(owner, k, [hit])[0]
        return found

    def result(self, owner: Shape, c: Constraint, hit: _Hit) -> Result:
        focus = to_rdflib(hit.focus)
        value = None if hit.value is None else to_rdflib(hit.value)
        path: Node | None = rdflib.URIRef(str(owner.path)) if owner.path is not None else None
        if c.component in ("MinCount", "MaxCount", "HasValue"):
            value = None
        elif owner.path is None and c.component != "SPARQL":
            value = focus
        messages = [str(m) for m in owner.messages]
        bindings = dict(hit.bindings)
        if "select" in bindings:
            select: Select = bindings.pop("select")
            terms = {k: to_rdflib(v) for k, v in bindings.items()}
            this, path_v, value_v = terms.pop("this", None), terms.pop("path", None), terms.pop("value", None)
            focus = this or focus
            value = value_v if value_v is not None else (focus if owner.path is None else None)
            path = path_v if path_v is not None else path
            fill = {**terms, **{k: v for k, v in (("this", this), ("path", path_v), ("value", value)) if v is not None}}
            extra = [template(str(m), fill) for m in select.messages if m not in owner.messages]
            messages = extra + [template(m, fill) for m in messages]
        elif not messages:
            messages = [default_message(c, owner, self.sg, focus, value)]
        return Result(severity=owner.severity.rsplit("#", 1)[-1], focus=str(focus), path=None if path is None else str(path),
                      value=None if value is None else str(value), message=min(messages) if messages else "",
                      graph=hit.graph, check=owner.name, component=c.iri)


def _components(shape: Shape) -> Iterator[tuple[Shape, Constraint]]:
    for c in shape.constraints:
        yield shape, c
    for p in shape.properties:
        for c in p.constraints:
            yield p, c
