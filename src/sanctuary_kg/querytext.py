"""What a SPARQL text is: its form and variables, whether it is an update, what it binds.

rdflib's SPARQL parser reads the text (its errors carry line and column) and its
algebra tells which variables every solution of the WHERE clause binds by a
triple pattern: the ones a parameter may stand for. :func:`where_clause` finds
where the WHERE group opens, which is where a ``VALUES`` block of parameters goes.

>>> text = "PREFIX ex: <http://example.org/> SELECT ?a WHERE { ?a ex:p ?b OPTIONAL { ?a ex:q ?c } }"
>>> parsed = parse(text)
>>> parsed.form, parsed.variables, sorted(parsed.bound)
('SELECT', ('a',), ['a', 'b'])
>>> text[:where_clause(text, parsed.form)]
'PREFIX ex: <http://example.org/> SELECT ?a WHERE {'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from pyparsing import ParseException
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Variable

from .errors import QueryError

FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}
_UPDATE = re.compile(r"^(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE)
_DECLARATION = re.compile(r"(?i)(PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)")
# Above the WHERE clause in rdflib's algebra: solution modifiers, projection, grouping, HAVING.
_ABOVE_WHERE = ("Slice", "Distinct", "Reduced", "Project", "OrderBy", "Extend", "AggregateJoin", "Group", "Filter")
_WHERE = re.compile(r"(?<![\w?$:])WHERE\b", re.IGNORECASE)
# What the WHERE-finder steps over whole: a comment, a long or short string, an IRI.
_TOKEN = re.compile(
    r"#[^\n]*"
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>',
    re.DOTALL,
)


_OXIGRAPH_AT = re.compile(r"error at (\d+):(\d+): ")
_SERVICE = re.compile(r"(?i)(?<![\w?$:])SERVICE\s+(?:SILENT\s+)?<([^<>\s]*)>")


@dataclass(frozen=True)
class Parsed:
    """A query that parses."""

    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    variables: tuple[str, ...]  # what a SELECT projects
    bound: frozenset[str]  # bound in every solution of the WHERE clause by a triple pattern
    prefixes: frozenset[str]  # the prefixes it declares


def parse(text: str, where: str = "the query", prefixes: Mapping[str, str] | None = None) -> Parsed:
    """Parse a query (``prefixes`` are known without being declared); updates and syntax errors are QueryErrors."""
    refuse = f"{where} is an update (INSERT, DELETE, LOAD, DROP, ...): queries here are read-only"
    if _starts_like_update(text):
        raise QueryError(refuse)
    try:
        tree = parseQuery(text)
    except ParseException as error:
        if is_update(text):
            raise QueryError(refuse) from None
        near = error.line.strip()
        near = near if len(near) <= 60 else near[:59] + "…"
        raise QueryError(f"{where} does not parse: line {error.lineno}, column {error.col}: "
                         f"{error.msg} (near {near!r})") from None
    try:
        algebra = translateQuery(tree, initNs=dict(prefixes or {})).algebra
    except Exception as error:  # rdflib raises plain Exceptions, e.g. for an unknown prefix
        raise QueryError(f"{where} is not a valid query: {error}") from None
    form = FORMS[algebra.name]
    node = algebra["p"]
    while isinstance(node, CompValue) and node.name in _ABOVE_WHERE:
        node = node["p"]
    return Parsed(
        form=form,
        variables=tuple(str(v) for v in algebra.PV or ()) if form == "SELECT" else (),
        bound=frozenset(str(v) for v in _certain(node)),
        prefixes=frozenset(str(d.prefix or "") for d in tree[0] if getattr(d, "name", "") == "PrefixDecl"),
    )


def is_update(text: str) -> bool:
    """Whether ``text`` is a SPARQL update (which queries here refuse).

    >>> is_update("PREFIX ex: <http://example.org/>\\n# drop it all\\nDROP ALL")
    True
    >>> is_update("SELECT * WHERE { ?s ?p ?o }")
    False
    """
    if _starts_like_update(text):
        return True
    try:
        parseUpdate(text)
    except Exception:
        return False
    return bool(text.strip())


def where_clause(text: str, form: str) -> int | None:
    """The index just after the ``{`` that opens the query's WHERE group; None when it has none.

    Steps over comments, strings, IRIs, expressions in parentheses (an ``EXISTS { }``
    in a projection) and a CONSTRUCT's template.

    >>> text = 'CONSTRUCT { ?s a <urn:x> } WHERE { ?s ?p "{" }'
    >>> text[where_clause(text, "CONSTRUCT"):]
    ' ?s ?p "{" }'
    """
    depth = parens = groups = 0
    where_seen = False
    i = 0
    while i < len(text):
        char = text[i]
        token = _TOKEN.match(text, i) if char in "#\"'<" else None
        if token is not None:
            i = token.end()
            continue
        if char == "(":
            parens += 1
        elif char == ")":
            parens -= 1
        elif char == "{" and parens == 0:
            if depth == 0 and (form != "CONSTRUCT" or where_seen or groups > 0):
                return i + 1
            depth += 1
        elif char == "}" and parens == 0:
            depth -= 1
            groups += depth == 0
        elif depth == 0 and parens == 0 and _WHERE.match(text, i):
            where_seen = True
        i += 1
    return None


def _starts_like_update(text: str) -> bool:
    """The first keyword after comments, PREFIX and BASE is an update's."""
    body = re.sub(r"(?m)#[^\n<>\"']*$", "", text)
    while True:
        body = body.lstrip()
        declaration = _DECLARATION.match(body)
        if declaration is None:
            return _UPDATE.match(body) is not None
        body = body[declaration.end():]


def _certain(node: Any) -> set[Variable]:
    """The variables every solution of ``node`` binds by a triple pattern."""
    if not isinstance(node, CompValue):
        return set()
    name = node.name
    if name == "BGP":
        return {t for triple in node["triples"] for t in triple if isinstance(t, Variable)}
    if name == "Join":
        return _certain(node["p1"]) | _certain(node["p2"])
    if name in ("LeftJoin", "Minus"):
        return _certain(node["p1"])
    if name == "Union":
        return _certain(node["p1"]) & _certain(node["p2"])
    if name == "Graph":
        inner = _certain(node["p"])
        return inner | {node["term"]} if isinstance(node["term"], Variable) else inner
    if name == "Project":  # a sub-select: only what it projects
        return _certain(node["p"]) & set(node.PV or [])
    if name in ("Filter", "Extend", "AggregateJoin", "Group", "Distinct", "Reduced", "Slice", "OrderBy", "ToMultiSet"):
        return _certain(node["p"])
    return set()


@dataclass(frozen=True)
class SyntaxProblem:
    """Where Oxigraph's parser stopped in a text, and why, in words."""

    line: int | None
    column: int | None
    detail: str
    near: str = ""  # the line it stopped in

    def __str__(self) -> str:
        at = f"line {self.line}, column {self.column}: " if self.line is not None else ""
        return at + self.detail + (f" (near {self.near!r})" if self.near else "")


def syntax_problem(error: SyntaxError, text: str) -> SyntaxProblem:
    """Read Oxigraph's SyntaxError for ``text``: position, a readable reason, the line.

    >>> import pyoxigraph as ox
    >>> try:
    ...     ox.Store().query("SELECT ?x WHERE { ?s ?p ?o }\\nGROUP BY ?s")
    ... except SyntaxError as error:
    ...     print(syntax_problem(error, "SELECT ?x WHERE { ?s ?p ?o }\\nGROUP BY ?s"))
    line 2, column 12: the SELECT contains a variable that is unbound (near 'GROUP BY ?s')
    """
    message = str(error)
    at = _OXIGRAPH_AT.match(message)
    if at is None:
        return SyntaxProblem(None, None, _explain(message))
    line, column = int(at[1]), int(at[2])
    lines = text.split("\n")
    near = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    return SyntaxProblem(line, column, _explain(message[at.end():]), near if len(near) <= 60 else near[:59] + "…")


def syntax_error(error: SyntaxError, text: str, where: str = "the query", lines_before: int = 0) -> QueryError:
    """Oxigraph's SyntaxError for ``text`` as one line, with its line and column.

    ``lines_before`` lines of ``text`` were put there before what a person wrote
    (prefix declarations), so the line named is the line in their text.

    >>> import pyoxigraph as ox
    >>> text = "PREFIX ex: <http://example.org/>\\nSELECT (1 AS ?s) WHERE { ?s ?p ?o }"
    >>> try:
    ...     ox.Store().query(text)
    ... except SyntaxError as error:
    ...     print(syntax_error(error, text, lines_before=1))  # doctest: +ELLIPSIS
    the query does not parse: line 1, column 36: the SELECT overrides an existing variable using an expression (near ...)
    """
    problem = syntax_problem(error, text)
    if problem.line is not None and problem.line > lines_before:
        problem = replace(problem, line=problem.line - lines_before)
    return QueryError(f"{where} does not parse: {problem}")


def _explain(detail: str) -> str:
    """Oxigraph's "expected one of ..." list made readable: its sentences, else its tokens (no character classes)."""
    detail = " ".join(detail.split())
    listed = re.match(r"expected (?:one of )?(.*)$", detail)
    if listed is None:
        return detail[:200]
    items = _items(listed[1])
    sentences = [i for i in items if " " in i and not i.startswith(("[", '"', "'"))]
    if sentences:
        return "; ".join(s[0].lower() + s[1:] if s[1:2].islower() else s for s in sentences)
    tokens = [i for i in items if not i.startswith("[")]
    if not tokens:
        return "unexpected text here"
    return "expected " + ", ".join(tokens[:8]) + (", …" if len(tokens) > 8 else "")


def _items(listing: str) -> list[str]:
    """The items of a comma-separated list, commas inside [...] and "..." left alone."""
    items: list[str] = []
    current: list[str] = []
    depth, quoted, escaped = 0, False, False
    for char in listing:
        if quoted:
            quoted = escaped or char != '"'
            escaped = not escaped and char == "\\"
        elif char == '"':
            quoted = True
        elif char == "[":
            depth += 1
        elif char == "]":
            depth = max(depth - 1, 0)
        elif char == "," and depth == 0:
            items.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    items.append("".join(current).strip())
    return [i for i in items if i]


def service_iris(text: str) -> list[str]:
    """The IRIs a query names in ``SERVICE <...>`` clauses, in order, each once.

    >>> service_iris("SELECT * WHERE { SERVICE SILENT <http://a/sparql> { ?s ?p ?o } }")
    ['http://a/sparql']
    """
    return list(dict.fromkeys(m[1] for m in _SERVICE.finditer(text)))
