"""Which focus nodes fail a shape, as sets of (article graph, node) pairs.

Each constraint becomes one linear query over a focus pattern (joins and ``MINUS``
anti-joins, never a per-row ``EXISTS``); ``sh:or``, ``sh:not`` and ``sh:node`` combine the
sets in Python. Used for shapes reached through ``sh:node``, ``sh:or`` and ``sh:not``, and
by the engine for the parameters of those constraints.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyoxigraph as ox

from .errors import ShapeError
from .shacl_focus import values_of
from .shacl_model import Constraint, Shape
from .shacl_query import ALLOWED_SEVERITIES, THIS, G, Scope
from .shacl_terms import less_than, surely, surely_less, to_rdflib

Pairs = set[tuple[str, Any]]  # (article graph IRI, Oxigraph term)
TERM_TESTS = {"Datatype", "NodeKind", "Pattern", "MinInclusive", "MinLength"}
Judge = Callable[[Constraint, Any], list[Any]]  # the parameter values a term fails


def distinct(pattern: str) -> str:
    return f"{{ SELECT DISTINCT {G} {THIS} WHERE {{ {pattern} }} }}"


def values_pattern(scope: Scope, focus: str, path: str) -> str:
    """The values of ``path`` at the focus nodes: binds ``?__x`` to the focus node, ``?this`` to a value."""
    return f"{{ SELECT {G} ({THIS} AS ?__x) WHERE {{ {focus} }} }} {scope.tp('?__x', path, THIS)}"


class Conformance:
    def __init__(self, scope: Scope, judge: Judge):
        self.scope = scope
        self.judge = judge

    def pairs(self, query: str) -> Pairs:
        return {(r[0].value, r[1]) for r in self.scope.rows(query)}

    def select(self, focus: str, where: str) -> Pairs:
        return self.pairs(f"SELECT DISTINCT {G} {THIS} WHERE {{ {focus} {where} }}")

    def failing(self, shape: Shape, focus: str, strict: bool) -> Pairs:
        """Focus pairs that do not conform to ``shape`` (``strict``: any result counts, as for sh:node)."""
        if not strict and shape.severity in ALLOWED_SEVERITIES:  # pyshacl runs with allow_warnings
            return set()
        out: Pairs = set()
        for c in shape.constraints:
            if c.component == "SPARQL":
                raise ShapeError(f"{shape.label()} has a SPARQL constraint inside a shape reached through "
                                 "sh:node, sh:or or sh:not, which the fast SHACL engine does not support")
            if shape.path is None:
                for i in range(len(c.values)):
                    out |= self.node_param(c, i, focus)
            else:
                out |= self.property_fails(shape, c, focus)
        for p in shape.properties:
            out |= self.failing(p, focus, strict)
        return out

    def property_fails(self, shape: Shape, c: Constraint, focus: str) -> Pairs:
        s, path, kind = self.scope, str(shape.path), c.component
        if kind in ("MinCount", "MaxCount"):
            return {(g, x) for g, x, _ in self.counts(kind, c.number, focus, path)}
        if kind == "HasValue":
            return {pair for h in c.values for pair in self.select(focus, s.minus(THIS, path, h.n3()))}
        if kind == "LessThan":
            return {(g, x) for k in c.values for g, x, _ in self.less_than(focus, path, str(k))}
        values = values_pattern(s, focus, path)
        bad = set()
        for i in range(len(c.values)):
            bad |= self.node_param(c, i, distinct(values))
        return {(g, x) for g, x, _ in self.with_values(values, bad)}

    def with_values(self, values: str, bad: Pairs) -> list[tuple[str, Any, Any]]:
        """(graph, focus, value) rows of ``values`` whose (graph, value) is in ``bad``."""
        if not bad:
            return []
        if any(isinstance(v, ox.BlankNode) for _, v in bad):  # blank nodes cannot be named in a query
            return [t for t in self.triples(f"SELECT DISTINCT {G} ?__x {THIS} WHERE {{ {values} }}") if (t[0], t[2]) in bad]
        return self.triples(f"SELECT DISTINCT {G} ?__x {THIS} WHERE {{ {values} {values_of(bad)} }}")

    def triples(self, query: str) -> list[tuple[str, Any, Any]]:
        return [(r[0].value, r[1], r[2]) for r in self.scope.rows(query)]

    def counts(self, kind: str, n: int, focus: str, path: str) -> list[tuple[str, Any, None]]:
        """Focus pairs with fewer (MinCount) or more (MaxCount) than ``n`` values."""
        s = self.scope
        if kind == "MinCount" and n == 0:
            return []
        if kind == "MinCount" and n == 1:
            return [(g, x, None) for g, x in self.select(focus, s.minus(THIS, path, s.fresh()))]
        body = f"OPTIONAL {{ {s.tp(THIS, path, '?__v')} }}" if kind == "MinCount" else s.tp(THIS, path, "?__v")
        op = "<" if kind == "MinCount" else ">"
        q = f"SELECT {G} {THIS} WHERE {{ {focus} {body} }} GROUP BY {G} {THIS} HAVING (COUNT(DISTINCT ?__v) {op} {n})"
        return [(g, x, None) for g, x in self.pairs(q)]

    def less_than(self, focus: str, path: str, other: str) -> list[tuple[str, Any, Any]]:
        """(graph, focus, value) for each value not less than some value of ``other`` (one per such pair)."""
        s = self.scope
        q = (f"SELECT DISTINCT {G} {THIS} ?__v ?__w WHERE {{ {focus} {s.tp(THIS, path, '?__v')} {s.tp(THIS, other, '?__w')} "
             f"FILTER(!({surely_less('?__v', '?__w')})) }}")
        return [(r[0].value, r[1], r[2]) for r in self.scope.rows(q) if not less_than(to_rdflib(r[2]), to_rdflib(r[3]))]

    def node_param(self, c: Constraint, i: int, focus: str) -> Pairs:
        """Focus pairs whose node itself fails parameter ``i`` of ``c`` (the node is its own value)."""
        s, kind, value = self.scope, c.component, c.values[i]
        if kind == "Class":
            return self.select(focus, s.not_instance(THIS, [str(value)]))
        if kind == "HasValue":
            return self.select(focus, f"FILTER(!sameTerm({THIS}, {value.n3()}))")
        if kind in TERM_TESTS:
            q = f"SELECT DISTINCT {G} {THIS} WHERE {{ {focus} FILTER(!({surely(c, THIS)})) }}"
            return {(g, x) for g, x in self.pairs(q) if value in self.judge(c, x)}
        if kind == "Node":
            return self.failing(value, focus, True)
        if kind == "Not":
            return self.pairs(f"SELECT DISTINCT {G} {THIS} WHERE {{ {focus} }}") - self.failing(value, focus, False)
        if kind == "Or":
            left: Pairs | None = None
            for member in sorted(value, key=_cost):
                left = self.failing(member, focus if left is None else values_of(left), False)
                if not left:
                    return set()
            return left or set()
        raise ShapeError(f"sh:{kind[0].lower() + kind[1:]} cannot apply to a node itself")


def _cost(shape: Shape) -> int:
    """Cheap members of an sh:or first: what fails them narrows the focus of the next."""
    simple = shape.path is not None and all(c.component in ("MinCount", "HasValue") for c in shape.constraints)
    return 0 if simple and not shape.properties else 1
