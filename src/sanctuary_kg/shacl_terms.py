"""Tests on single RDF terms, decided the way pyshacl decides them, and result messages.

A test runs in two steps: a SPARQL expression that is true only for terms that surely
pass (cheap, in the store), then for the remaining terms the exact rule of pyshacl on
the rdflib form of the term.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .errors import ShapeError
from .shacl_model import SH, Constraint, Shape

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANGSTRING = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#langString")
RDFS_LITERAL = URIRef("http://www.w3.org/2000/01/rdf-schema#Literal")
RDFS_DATATYPE = URIRef("http://www.w3.org/2000/01/rdf-schema#Datatype")
PY_TYPES: dict[str, type | tuple[type, ...]] = {
    XSD + "string": (str, bytes), str(RDF_LANGSTRING): (str, bytes), XSD + "integer": int, XSD + "float": float,
    XSD + "decimal": Decimal, XSD + "boolean": bool, XSD + "date": date, XSD + "time": time, XSD + "dateTime": datetime,
}
NUMERIC = f"<{XSD}integer>, <{XSD}decimal>"
# Patterns made of these pieces match in Oxigraph only if they match in Python's re.
SAFE_PATTERN = re.compile(r"\^?(?:[A-Za-z0-9 _,:/#-]|\[\^?(?:[A-Za-z0-9_ -]|\\[.-])+\]|\{\d+(?:,\d*)?\}|[*+?])*\$?")


def to_rdflib(term: Any) -> Node:
    """The rdflib term pyshacl would see for an Oxigraph term (xsd:string literals are plain)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == XSD + "string":
        return Literal(term.value)
    return _typed(term.value, term.datatype.value)


@lru_cache(maxsize=100_000)
def _typed(lexical: str, datatype: str) -> Literal:
    logger = logging.getLogger("rdflib.term")
    level, logger.level = logger.level, logging.ERROR + 1  # ill-typed literals are expected here
    try:
        return Literal(lexical, datatype=URIRef(datatype))
    finally:
        logger.level = level


def sparql_term(term: Node) -> str:
    """An rdflib term as SPARQL text (blank nodes are refused by the callers)."""
    return term.n3()


# ------------------------------------------------------------ surely-pass expressions (SPARQL)

def surely(c: Constraint, var: str) -> str:
    """A SPARQL expression true only where every value of ``c`` surely passes."""
    parts = [_surely_one(c, value, var) for value in c.values]
    return " && ".join(f"({p})" for p in parts) if parts else "true"


def _surely_one(c: Constraint, value: Node, var: str) -> str:
    v = var
    if c.component == "Datatype":
        dt = str(value)
        if dt == XSD + "string":
            return f"isLiteral({v}) && datatype({v}) = <{dt}>"
        if dt in (XSD + "integer", XSD + "decimal"):
            return f"isNumeric({v}) && datatype({v}) = <{dt}>"
        if dt == XSD + "boolean":
            return f'isLiteral({v}) && datatype({v}) = <{dt}> && STR({v}) IN ("true", "false")'
        if value == RDF_LANGSTRING:
            return f'isLiteral({v}) && LANG({v}) != ""'
        if value == RDFS_LITERAL:
            return f"isLiteral({v})"
        return "false"
    if c.component == "NodeKind":
        tests = {"IRI": "isIRI", "BlankNode": "isBlank", "Literal": "isLiteral"}
        kinds = str(value).split("#")[-1].split("Or")  # sh:IRI, sh:BlankNodeOrIRI, sh:IRIOrLiteral, ...
        return " || ".join(f"{tests[k]}({v})" for k in kinds if k in tests) or "false"
    if c.component == "MinLength":
        return f"{_as_is(v)} && STRLEN(STR({v})) >= {number(value)}"
    if c.component == "Pattern":
        if c.flags or not SAFE_PATTERN.fullmatch(str(value)):
            return "false"
        return f"{_as_is(v)} && REGEX(STR({v}), {Literal(str(value)).n3()})"
    if c.component == "MinInclusive":
        if not (isinstance(value, Literal) and str(value.datatype) in (XSD + "integer", XSD + "decimal")):
            return "false"
        return f"isNumeric({v}) && datatype({v}) IN ({NUMERIC}) && {v} >= {value.n3()}"
    raise AssertionError(c.component)


def _as_is(v: str) -> str:
    """Terms whose string form rdflib leaves unchanged: IRIs and (language-tagged) strings."""
    return f'(isIRI({v}) || (isLiteral({v}) && (datatype({v}) = <{XSD}string> || LANG({v}) != "")))'


def surely_less(v: str, w: str) -> str:
    return (f"isNumeric({v}) && isNumeric({w}) && datatype({v}) IN ({NUMERIC}) "
            f"&& datatype({w}) IN ({NUMERIC}) && {v} < {w}")


# ------------------------------------------------------------ exact tests (pyshacl's rules)

def passes(c: Constraint, value: Node) -> Callable[[Node], bool]:
    """The pyshacl rule for one parameter value of a term constraint."""
    if c.component == "Datatype":
        return lambda v: _datatype_ok(v, value)
    if c.component == "NodeKind":
        return lambda v: _nodekind_ok(v, value)
    if c.component == "MinLength":
        return lambda v: number(value) == 0 or (not isinstance(v, BNode) and len(_string(v)) >= number(value))
    if c.component == "Pattern":
        flags = (re.I if "i" in (c.flags or "").lower() else 0) | (re.M if "m" in (c.flags or "").lower() else 0)
        text = value.value if isinstance(value, Literal) and isinstance(value.value, str) and len(value.value) > 1 else value
        matcher = re.compile(str(text), flags)
        return lambda v: not isinstance(v, BNode) and bool(matcher.match(_string(v)) or matcher.search(_string(v)))
    if c.component == "MinInclusive":
        return lambda v: _min_inclusive_ok(v, value)
    raise AssertionError(c.component)


def number(value: Node) -> int:
    """The integer a parameter literal such as ``sh:minCount 1`` holds."""
    return int(value.value) if isinstance(value, Literal) else int(str(value))


def _string(v: Node) -> str:
    if isinstance(v, Literal) and v.value is not None and v.datatype in (None, RDF_LANGSTRING, URIRef(XSD + "string")):
        return str(v.value)
    return str(v)


def _datatype_ok(v: Node, rule: Node) -> bool:
    if not isinstance(v, Literal):
        return False
    if v.datatype == rule:
        return getattr(v, "ill_typed", None) is not True and _actual(v, rule)
    if rule == RDFS_LITERAL:
        return True
    if rule == RDFS_DATATYPE and v.datatype:
        return True
    if v.datatype is None and v.language is None and str(rule) == XSD + "string":
        return _actual(v, rule)
    if rule == RDF_LANGSTRING and v.language:
        return _actual(v, rule)
    return False


def _actual(v: Literal, rule: Node) -> bool:
    wanted = PY_TYPES.get(str(rule))
    return True if wanted is None else isinstance(v.value, wanted)


def _nodekind_ok(v: Node, rule: Node) -> bool:
    if isinstance(v, BNode):
        return rule in (SH.BlankNode, SH.BlankNodeOrLiteral, SH.BlankNodeOrIRI)
    if isinstance(v, Literal):
        return rule in (SH.Literal, SH.BlankNodeOrLiteral, SH.IRIOrLiteral)
    return rule in (SH.IRI, SH.IRIOrLiteral, SH.BlankNodeOrIRI)


def _min_inclusive_ok(v: Node, m: Node) -> bool:
    if not isinstance(v, Literal) or not isinstance(m, Literal):
        return False
    if isinstance(m.value, str) != isinstance(v.value, str):
        return False
    try:
        if v.eq(m):
            return True
        if v.value.__class__ in (datetime, time):
            return bool(v.value == m.value or v.value > m.value)
        return bool(v > m)
    except (TypeError, NotImplementedError):
        return False


def less_than(v: Node, w: Node) -> bool:
    """pyshacl's sh:lessThan test of one pair of values."""
    if isinstance(v, BNode) or isinstance(w, BNode):
        raise ShapeError("sh:lessThan cannot compare a blank node (pyshacl stops here as well)")
    a: Any = v.value if isinstance(v, Literal) and isinstance(v.value, str) else str(v) if isinstance(v, URIRef) else v
    b: Any = w.value if isinstance(w, Literal) and isinstance(w.value, str) else str(w) if isinstance(w, URIRef) else w
    if isinstance(a, str) != isinstance(b, str):
        return False
    return bool(a < b)


# ------------------------------------------------------------ messages

_DATA_GRAPH = rdflib.Graph()  # pyshacl names data terms with the prefixes of a fresh rdflib graph


def template(message: str, bindings: dict[str, Node]) -> str:
    """A SPARQL constraint's message with ``{?var}`` / ``{$var}`` filled in, as pyshacl does."""
    for var, value in bindings.items():
        message = re.sub(f"{{[?$]{var}}}", str(value), message)
    return message


def default_message(c: Constraint, shape: Shape, sg: rdflib.Graph, focus: Node, value: Node | None) -> str:
    """pyshacl's message for a result of a shape that has no ``sh:message``."""
    from pyshacl.rdfutil import stringify_node

    def s(node: Any) -> str:
        return stringify_node(sg, node)

    def d(node: Any) -> str:
        return stringify_node(_DATA_GRAPH, node)

    vals, kind, several = c.values, c.component, len(c.values) > 1
    path = s(shape.path) if shape.path is not None else None
    if kind in ("MinCount", "MaxCount"):
        word = "Less" if kind == "MinCount" else "More"
        return f"{word} than {vals[0].value} values on {d(focus)}->{path}"
    if kind == "Datatype":
        return f"Value is not Literal with datatype {s(vals[0])}"
    if kind == "NodeKind":
        return f"Value is not of Node Kind {s(vals[0])}"
    if kind == "MinLength":
        return f"String length not >= {d(vals[0])}"
    if kind == "Pattern":
        if not several:
            return f"Value does not match pattern '{vals[0].value}'"
        return "Value does not match every pattern in ('{}')".format("', '".join(str(p.value) for p in vals))
    if kind == "MinInclusive":
        return f"Value is not >= {s(vals[0])}" if not several else f"Value is not >= in ({', '.join(s(m) for m in vals)})"
    if kind == "Class":
        return f"Value does not have class {s(vals[0])}" if not several else \
            f"Value class is not in classes ({', '.join(s(x) for x in vals)})"
    if kind == "LessThan":
        props = s(vals[0]) if not several else ", ".join(s(p) for p in vals)
        return f"Value of {d(focus)}->{props} <= {d(value)}"
    if kind == "HasValue":
        the_set = [s(x) for x in vals]
        return f"Node {d(focus)}->{path} does not contain a value in the set: {the_set}" if path else \
            f"Node {d(focus)} value is not a in the set of values: {the_set}"
    if kind == "Node":
        names = [s(m.node) for m in vals]
        m = f"Value does not conform to Shape {names[0]}." if not several else \
            "Value must conform to every Shape in ('{}').".format("', '".join(names))
        return m + " See details for more information."
    if kind == "Or":
        lists = [" , ".join(s(m.node) for m in members) for members in vals]
        text = lists[0] if not several else " and ".join(f"({x})" for x in lists)
        return f"Node {d(value)} must conform to one or more shapes in {text}"
    if kind == "Not":
        if not several:
            return f"Node {d(value)} must not conform to shape {s(vals[0].node)}"
        return f"Node {d(value)} must not conform to any shapes in {' , '.join(s(m.node) for m in vals)}"
    return ""  # SPARQL constraints without a message have none
