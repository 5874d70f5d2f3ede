"""Rewrite the ``sh:select`` of a SPARQL constraint so that it runs for every article at once.

Each triple pattern of the query is handed to a callback that decides in which graphs it
may match (the article's graph, the shared graphs, or both); the focus nodes are joined in
front. Only a plain subset of SPARQL is understood (triple patterns, ``FILTER``,
``BIND``, ``OPTIONAL``, ``UNION``, ``EXISTS``); anything else raises ``ShapeError``.

>>> q = parse('SELECT $this ?value WHERE { ?value ex:p $this . FILTER NOT EXISTS { $this a ex:C } }',
...           {"ex": "http://example.org/"})
>>> q.variables
('this', 'value')
>>> q.render(lambda ts: " ".join(f"{s} <{p}> {o} ." for s, _, p, o in ts))
'{ ?value <http://example.org/p> $this . MINUS { $this <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://example.org/C> . } }'

A top-level ``FILTER NOT EXISTS`` over triples whose shared variables are always bound
becomes a ``MINUS`` (an anti-join Oxigraph hashes once, instead of a lookup per row).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .errors import ShapeError

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
TOKEN = re.compile(r'''
 (?P<ws>\s+|\#[^\n]*)
|(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|'\'\''(?:[^'\\]|\\.|'(?!''))*'\'\''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
|(?P<var>[?$]\w+)
|(?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
|(?P<bnode>_:|\[\s*\])
|(?P<pname>(?:[A-Za-z][\w.-]*)?:(?:[\w%:-](?:[\w%:.-]*[\w%:-])?)?)
|(?P<number>(?:\d+\.\d+|\.\d+|\d+)(?:[eE][+-]?\d+)?)
|(?P<name>[A-Za-z_]\w*)
|(?P<op>\^\^|&&|\|\||!=|<=|>=|[{}()\[\].,;*/|^+\-!=<>?])
''', re.X)
RESERVED_VARS = {"PATH", "currentShape", "shapesGraph"}
REFUSED = {"MINUS", "GRAPH", "SERVICE", "VALUES", "GROUP", "ORDER", "LIMIT", "OFFSET", "HAVING",
           "COUNT", "SUM", "AVG", "MIN", "MAX", "SAMPLE", "GROUP_CONCAT", "FROM", "BASE", "LATERAL"}
PATH_OPS = {"/", "|", "^", "*", "+", "?", "!", "("}

Triple = tuple[str, str, str, str]  # subject, predicate text, predicate IRI ("" if a variable), object
TripleRenderer = Callable[[list[Triple]], str]


@dataclass
class Group:
    elements: list[object] = field(default_factory=list)


@dataclass
class Triples:
    triples: list[Triple]


@dataclass
class Union:
    groups: list[Group]


@dataclass
class Optional:
    group: Group


@dataclass
class Expression:  # FILTER or BIND: tokens, with the groups of EXISTS in place
    keyword: str
    parts: list[object]


@dataclass(frozen=True)
class Query:
    """A parsed ``sh:select``: its prefixes, projected variables and WHERE group."""

    prefixes: tuple[tuple[str, str], ...]
    variables: tuple[str, ...]
    where: Group

    def render(self, triples: TripleRenderer, first: str = "") -> str:
        """The WHERE group as text, with ``first`` joined in front and each run of triples rendered."""
        return _render(self.where, triples, first, frozenset({"this"}), top=True)


def parse(text: str, prefixes: dict[str, str]) -> Query:
    """Parse a SPARQL constraint's SELECT query (``prefixes`` come from ``sh:prefixes``)."""
    return _Parser(text, dict(prefixes)).query()


class _Parser:
    def __init__(self, text: str, prefixes: dict[str, str]):
        self.tokens: list[tuple[str, str]] = []
        at = 0
        while at < len(text):
            m = TOKEN.match(text, at)
            if not m:
                raise ShapeError(f"cannot read the SPARQL constraint near {text[at:at + 30]!r}")
            at = m.end()
            kind = m.lastgroup or ""
            if kind == "ws":
                continue
            if kind == "bnode":
                raise ShapeError("a SPARQL constraint uses blank nodes, which the fast engine does not support")
            value = m.group()
            if kind == "var" and (value[1:] in RESERVED_VARS or value[1:].startswith("__")):
                raise ShapeError(f"a SPARQL constraint uses {value}, which the fast engine does not support")
            word = value.upper() if kind == "name" else ""
            if word in REFUSED or (word == "SELECT" and any(t == ("name", "SELECT") for t in self.tokens)):
                raise ShapeError(f"a SPARQL constraint uses {word}, which the fast engine does not support")
            if word == "SELECT":
                value = word
            self.tokens.append((kind, value))
        self.i = 0
        self.prefixes = prefixes

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.i] if self.i < len(self.tokens) else ("end", "")

    def take(self, value: str | None = None) -> str:
        kind, tok = self.peek()
        if kind == "end" or (value is not None and tok.upper() != value):
            raise ShapeError(f"a SPARQL constraint could not be read: expected {value or 'more'}, found {tok!r}")
        self.i += 1
        return tok

    def keyword(self, *words: str) -> bool:
        kind, tok = self.peek()
        return kind == "name" and tok.upper() in words

    def query(self) -> Query:
        while self.keyword("PREFIX"):
            self.take()
            name = self.take()[:-1]
            self.prefixes[name] = self.take()[1:-1]
        self.take("SELECT")
        if self.keyword("DISTINCT", "REDUCED"):
            self.take()
        variables = []
        while self.peek()[0] == "var":
            variables.append(self.take()[1:])
        if not variables:
            raise ShapeError("a SPARQL constraint must project plain variables (no * or expressions)")
        if self.keyword("WHERE"):
            self.take()
        where = self.group()
        if self.peek()[0] != "end":
            raise ShapeError(f"a SPARQL constraint has {self.peek()[1]!r} after its WHERE clause, which is not supported")
        return Query(tuple(self.prefixes.items()), tuple(variables), where)

    def group(self) -> Group:
        self.take("{")
        group = Group()
        while self.peek()[1] != "}":
            kind, tok = self.peek()
            if tok == "{":
                groups = [self.group()]
                while self.keyword("UNION"):
                    self.take()
                    groups.append(self.group())
                group.elements.append(Union(groups) if len(groups) > 1 else groups[0])
            elif self.keyword("OPTIONAL"):
                self.take()
                group.elements.append(Optional(self.group()))
            elif self.keyword("FILTER"):
                self.take()
                group.elements.append(Expression("FILTER", self.constraint()))
            elif self.keyword("BIND"):
                self.take()
                self.take("(")
                group.elements.append(Expression("BIND", ["(", *self.balanced()]))
            elif tok == ".":
                self.take()
            elif kind == "end":
                raise ShapeError("a SPARQL constraint has an unclosed {")
            else:
                group.elements.append(Triples(self.triples()))
        self.take("}")
        return group

    def constraint(self) -> list[object]:
        if self.peek()[1] == "(":
            self.take()
            return ["(", *self.balanced()]
        if self.keyword("EXISTS"):
            return [self.take(), self.group()]
        if self.keyword("NOT"):
            return [self.take(), self.take("EXISTS"), self.group()]
        name = self.take()
        self.take("(")
        return [name, "(", *self.balanced()]

    def balanced(self) -> list[object]:
        """Tokens up to and including the ``)`` that closes an already taken ``(``."""
        parts: list[object] = []
        depth = 1
        while True:
            kind, tok = self.peek()
            if kind == "end":
                raise ShapeError("a SPARQL constraint has an unclosed (")
            if self.keyword("EXISTS"):
                parts += [self.take(), self.group()]
                continue
            self.take()
            depth += tok == "("
            depth -= tok == ")"
            parts.append(tok)
            if depth == 0:
                return parts

    def triples(self) -> list[Triple]:
        out: list[Triple] = []
        while True:
            subject = self.term()
            while True:
                verb, iri = self.verb()
                while True:
                    out.append((subject, verb, iri, self.term()))
                    if self.peek()[1] != ",":
                        break
                    self.take()
                if self.peek()[1] != ";":
                    break
                while self.peek()[1] == ";":
                    self.take()
                if self.peek()[1] in (".", "}") or self.peek()[0] == "name" and self.peek()[1] != "a":
                    break
            if self.peek()[1] == ".":
                self.take()
            if self.peek()[0] not in ("var", "iri", "pname", "string", "number"):
                return out

    def verb(self) -> tuple[str, str]:
        kind, tok = self.peek()
        if kind == "name" and tok == "a":
            self.take()
            iri = RDF_TYPE
        elif kind in ("var", "iri", "pname"):
            self.take()
            iri = "" if kind == "var" else self.iri(kind, tok)
        else:
            raise ShapeError(f"a SPARQL constraint uses a property path or form the fast engine does not support: {tok!r}")
        if self.peek()[0] == "op" and self.peek()[1] in PATH_OPS:
            raise ShapeError(f"a SPARQL constraint uses a property path ({tok}{self.peek()[1]}...), which is not supported")
        return tok, iri

    def iri(self, kind: str, tok: str) -> str:
        if kind == "iri":
            return tok[1:-1]
        prefix, local = tok.split(":", 1)
        if prefix not in self.prefixes:
            raise ShapeError(f"a SPARQL constraint uses the undeclared prefix {prefix}:")
        return self.prefixes[prefix] + local

    def term(self) -> str:
        kind, tok = self.peek()
        if kind in ("var", "iri", "pname", "number") or (kind == "name" and tok in ("true", "false")):
            self.take()
            return f"<{self.iri(kind, tok)}>" if kind == "pname" else tok
        if kind == "string":
            self.take()
            if self.peek()[0] == "lang":
                return tok + self.take()
            if self.peek()[1] == "^^":
                self.take()
                dkind, dt = self.peek()
                if dkind not in ("iri", "pname"):
                    raise ShapeError("a SPARQL constraint has a literal with a malformed datatype")
                self.take()
                return f"{tok}^^{dt}"
            return tok
        raise ShapeError(f"a SPARQL constraint uses {tok!r} as a term, which the fast engine does not support")


def _render(group: Group, triples: TripleRenderer, first: str = "", bound: frozenset[str] = frozenset(),
            top: bool = False) -> str:
    bound = bound | _visible(group)
    parts = [first] if first else []
    minus = _minus(group) if top else []
    for element in group.elements:
        if element in minus:
            continue
        if isinstance(element, Triples):
            parts.append(triples(element.triples))
        elif isinstance(element, Group):
            parts.append(_render(element, triples, bound=bound))
        elif isinstance(element, Union):
            parts.append(" UNION ".join(_render(g, triples, bound=bound) for g in element.groups))
        elif isinstance(element, Optional):
            parts.append("OPTIONAL " + _render(element.group, triples, bound=bound))
        elif isinstance(element, Expression):
            parts.append(f"{element.keyword} {_expression(element, triples, bound)}")
    parts += [f"MINUS {_render(e.parts[2], triples)}" for e in minus if isinstance(e.parts[2], Group)]
    return "{ " + " ".join(parts) + " }"


def _minus(group: Group) -> list[Expression]:
    """The ``FILTER NOT EXISTS`` of the top group that mean the same as a ``MINUS`` (a hashed anti-join).

    That holds when the inner group is triples only, and the variables it shares with the rest
    of the query are bound by the top group's own triples (or are ``$this``) in every solution.
    """
    certain = _visible(Group([e for e in group.elements if isinstance(e, Triples)])) | {"this"}
    found = []
    for element in group.elements:
        if not (isinstance(element, Expression) and element.keyword == "FILTER" and len(element.parts) == 3
                and element.parts[:2] == ["NOT", "EXISTS"] and isinstance(element.parts[2], Group)):
            continue
        inner = element.parts[2]
        if not all(isinstance(e, Triples) for e in inner.elements):
            continue
        rest = Group([e for e in group.elements if e is not element])
        shared = _visible(inner) & (_mentioned(rest) | {"this"})
        if shared and shared <= certain:
            found.append(element)
    return found


def _mentioned(group: Group) -> set[str]:
    """Every variable a group mentions, inside its expressions and nested groups too."""
    names: set[str] = set()
    for element in group.elements:
        if isinstance(element, Triples):
            names |= _visible(Group([element]))
        elif isinstance(element, Group):
            names |= _mentioned(element)
        elif isinstance(element, Union):
            names |= {n for g in element.groups for n in _mentioned(g)}
        elif isinstance(element, Optional):
            names |= _mentioned(element.group)
        elif isinstance(element, Expression):
            for part in element.parts:
                names |= _mentioned(part) if isinstance(part, Group) else \
                    {str(part)[1:]} if str(part).startswith(("?", "$")) else set()
    return names


def _expression(element: Expression, triples: TripleRenderer, bound: frozenset[str]) -> str:
    text = ""
    for part in element.parts:
        piece = _exists(part, triples, bound) if isinstance(part, Group) else str(part)
        call = piece == "(" and (text[-1:].isalnum() or text[-1:] in "_>:")  # no space before a call's (
        text += piece if call or not text else " " + piece
    return text


def _exists(group: Group, triples: TripleRenderer, bound: frozenset[str]) -> str:
    """The group of an EXISTS; triples and filters only become a chain of one triple per EXISTS.

    Oxigraph plans an EXISTS before knowing which variables the row binds, and may start a
    join from the wrong end; a chain makes it look each triple up with what is bound.
    """
    simple = all(isinstance(e, Triples) or (isinstance(e, Expression) and e.keyword == "FILTER") for e in group.elements)
    found = [t for e in group.elements if isinstance(e, Triples) for t in e.triples]
    if not simple or len(found) < 2:
        return _render(group, triples, bound=bound)
    order: list[Triple] = []
    known = set(bound)
    while found:
        best = max(found, key=lambda t: sum(1 for x in (t[0], t[3]) if not x.startswith(("?", "$")) or x[1:] in known))
        found.remove(best)
        order.append(best)
        known |= {x[1:] for x in (best[0], best[1], best[3]) if x.startswith(("?", "$"))}
    filters = " ".join(f"FILTER {_expression(e, triples, frozenset(known))}" for e in group.elements
                       if isinstance(e, Expression))
    text = f"{{ {triples([order[-1]])} {filters} }}"
    for triple in reversed(order[:-1]):
        text = f"{{ {triples([triple])} FILTER EXISTS {text} }}"
    return text


def _visible(group: Group) -> frozenset[str]:
    """Variables a group binds outside its EXISTS: what an EXISTS inside it sees bound."""
    names: set[str] = set()
    for element in group.elements:
        if isinstance(element, Triples):
            names |= {x[1:] for t in element.triples for x in (t[0], t[1], t[3]) if x.startswith(("?", "$"))}
        elif isinstance(element, Expression) and element.keyword == "BIND":
            names |= {str(p)[1:] for p in element.parts if isinstance(p, str) and p.startswith(("?", "$"))}
    return frozenset(names)
