"""Stored queries (``queries/*.rq``) and ad-hoc SPARQL: read, check, bind, run.

A stored query is a SPARQL file whose leading ``#+`` comment lines are a YAML
header::

    #+ title: Claims about a jurisdiction
    #+ description: Every claim the sources make about one jurisdiction.
    #+ parameters:
    #+   - name: jurisdiction        # the SPARQL variable ?jurisdiction
    #+     type: iri                 # iri, string, langString, integer or date
    #+     range: sk:Jurisdiction    # iri only: ids and labels resolve to this class or scheme
    #+     required: true            # the default; false makes it optional
    #+     example: montgomery-county
    #+ example: sanctuary-kg query claims-about-jurisdiction -p jurisdiction=montgomery-county

The name is the file stem; the form and variables come from parsing. Values are
bound as typed RDF terms in a ``VALUES`` block, each term written by pyoxigraph's
serialiser (never pasted), placed first in the ``WHERE`` group, so the same text
runs on the embedded store and on any SPARQL 1.1 endpoint, and stores start from
the bound values (a trailing ``VALUES`` is joined last: Oxigraph then evaluates the
whole query first, 85 s instead of 0.1 s on 1,000 articles). Each parameter
variable must be bound by a triple pattern that is not ``OPTIONAL``, so the block
only selects; an optional parameter that is not given is left out (it matches
anything).

>>> text = "SELECT ?claim WHERE { ?claim <urn:p> ?office }"
>>> print(with_values(text, text.index("{") + 1, [("office", ox.Literal('say "hi" }'))]))
SELECT ?claim WHERE {
  VALUES (?office) { ("say \\"hi\\" }") }
 ?claim <urn:p> ?office }
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import enum
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml

from . import ids, querytext
from .errors import QueryError
from .resolve import expand, resolve
from .sparql import Results, Target

_VARNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LANG_VALUE = re.compile(r"^(?P<text>.*)@(?P<lang>[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)$", re.DOTALL)
_HEADER_KEYS = {"title", "description", "parameters", "example"}
_PARAMETER_KEYS = {"name", "type", "required", "example", "description", "range"}


class ParamType(enum.StrEnum):
    """The RDF type a parameter's value becomes."""

    IRI = "iri"
    STRING = "string"
    LANG_STRING = "langString"
    INTEGER = "integer"
    DATE = "date"


@dataclass(frozen=True)
class Parameter:
    """One parameter of a stored query: the variable ``?name`` and the type of its value."""

    name: str
    type: ParamType
    example: str
    required: bool = True
    description: str = ""
    range: str | None = None  # for iri: the class or concept scheme that ids and labels resolve in


@dataclass(frozen=True)
class StoredQuery:
    """A checked ``.rq`` file."""

    name: str
    path: Path
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    example: str
    text: str
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    variables: tuple[str, ...]
    values_at: int | None  # where in text the VALUES block of parameters goes (just inside WHERE {)


@dataclass(frozen=True)
class Prepared:
    """An ad-hoc query, checked: its form, its variables and the text to run."""

    form: str
    variables: tuple[str, ...]
    text: str  # what runs: the query, after the declarations of the project's prefixes it lacks
    lines_before: int = 0  # lines of declarations before the query as written (errors name lines of that)

    def run(self, target: Target) -> Results:
        """Run the query on ``target``; a syntax error names the line of the query as written."""
        return target.run(self.text, self.form, self.lines_before)


Resolver = Callable[[str, str | None], ox.NamedNode]


# ------------------------------------------------------------------ reading


def read(path: Path) -> StoredQuery:
    """Read and check one stored query; any fault is a QueryError naming the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise QueryError(f"{path}: cannot read the query: {error}") from None
    header = _header(text, path)
    name = path.stem
    title = _text_field(header, "title", path)
    description = _text_field(header, "description", path)
    example = _text_field(header, "example", path)
    if not example.startswith(f"sanctuary-kg query {name}"):
        raise QueryError(f"{path}: the example must be an invocation: `sanctuary-kg query {name} ...`")
    raw = header.get("parameters") or []
    if not isinstance(raw, list):
        raise QueryError(f"{path}: parameters must be a list of {{name, type, example}} mappings")
    parameters = tuple(_parameter(p, path) for p in raw)
    names = [p.name for p in parameters]
    if len(set(names)) != len(names):
        raise QueryError(f"{path}: a parameter is declared twice: {', '.join(sorted(names))}")
    parsed = querytext.parse(text, str(path))
    for p in parameters:
        if p.name not in parsed.bound:
            raise QueryError(f"{path}: parameter {p.name!r}: ?{p.name} must be bound in the WHERE clause by a "
                             "triple pattern that is not OPTIONAL")
    at = querytext.where_clause(text, parsed.form)
    if parameters and at is None:
        raise QueryError(f"{path}: the query has no WHERE clause for its parameters")
    _check_with_oxigraph(text, at, parameters, path)
    return StoredQuery(name, path, title, description, parameters, example, text, parsed.form, parsed.variables, at)


def load(directory: Path) -> dict[str, StoredQuery]:
    """Every stored query of ``directory``, by name."""
    return {path.stem: read(path) for path in sorted(directory.glob("*.rq"))}


def find(directory: Path, name: str) -> StoredQuery:
    """The stored query called ``name``; fails with the close names listed."""
    path = directory / f"{name}.rq"
    if "/" not in name and path.is_file():
        return read(path)
    known = sorted(p.stem for p in directory.glob("*.rq"))
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    close += [k for k in known if name and name in k and k not in close]
    hint = f"; did you mean {', '.join(close[:4])}?" if close else f"; stored queries: {', '.join(known)}"
    raise QueryError(f"no stored query called {name!r}{hint} (`sanctuary-kg queries` lists them)")


def _header(text: str, path: Path) -> dict[str, Any]:
    lines: list[str] = []
    first = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("#+"):
            first = first or number
            body = line[2:]
            lines.append(body[1:] if body.startswith(" ") else body)
        elif lines or line.strip():
            break
    if not lines:
        raise QueryError(f"{path}: no `#+` header: start the file with `#+ title:`, `#+ description:` "
                         "and `#+ example:` lines")
    try:
        header = yaml.safe_load("\n".join(lines))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        at = first + mark.line if mark is not None else first
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise QueryError(f"{path}:{at}: the `#+` header is not valid YAML: {problem}") from None
    if not isinstance(header, dict):
        raise QueryError(f"{path}:{first}: the `#+` header must be a mapping (title:, description:, ...)")
    unknown = set(header) - _HEADER_KEYS
    if unknown:
        raise QueryError(f"{path}: unknown header key(s) {', '.join(sorted(map(str, unknown)))}: "
                         f"use {', '.join(sorted(_HEADER_KEYS))}")
    return header


def _text_field(mapping: Mapping[str, Any], key: str, path: Path, where: str = "the header") -> str:
    value = mapping.get(key)
    if not isinstance(value, str) or not value.strip():
        raise QueryError(f"{path}: {where} needs a non-empty `{key}`")
    return " ".join(value.split())


def _parameter(raw: object, path: Path) -> Parameter:
    if not isinstance(raw, dict):
        raise QueryError(f"{path}: each parameter is a mapping with name, type and example")
    name = raw.get("name")
    if not isinstance(name, str) or not _VARNAME.match(name):
        raise QueryError(f"{path}: a parameter needs a name that is a SPARQL variable name (letters, digits, _)")
    where = f"parameter {name!r}"
    unknown = set(raw) - _PARAMETER_KEYS
    if unknown:
        raise QueryError(f"{path}: {where} has unknown key(s) {', '.join(sorted(map(str, unknown)))}: "
                         f"use {', '.join(sorted(_PARAMETER_KEYS))}")
    try:
        kind = ParamType(str(raw.get("type")))
    except ValueError:
        raise QueryError(f"{path}: {where} needs a type: one of {', '.join(t.value for t in ParamType)}") from None
    required = raw.get("required", True)
    if not isinstance(required, bool):
        raise QueryError(f"{path}: {where}: required is true or false")
    if raw.get("example") is None:
        raise QueryError(f"{path}: {where} needs an example value")
    example = str(raw["example"])
    range_ = raw.get("range")
    if range_ is not None:
        if kind is not ParamType.IRI:
            raise QueryError(f"{path}: {where}: only an iri parameter has a range")
        node = expand(str(range_)) if isinstance(range_, str) else None
        if node is None:
            raise QueryError(f"{path}: {where}: range must be an IRI or a prefixed name such as sk:Jurisdiction")
        range_ = node.value
    description = raw.get("description") or ""
    if kind is not ParamType.IRI:
        try:
            term(Parameter(name, kind, example), example, _no_resolver)
        except QueryError as error:
            raise QueryError(f"{path}: {where}: the example is wrong: {error}") from None
    return Parameter(name, kind, example, required, " ".join(str(description).split()), range_)


def _no_resolver(text: str, range_: str | None) -> ox.NamedNode:
    raise QueryError(f"cannot resolve {text!r} here")


# ------------------------------------------------------------------ checking


def _check_with_oxigraph(text: str, at: int | None, parameters: Sequence[Parameter], path: Path) -> None:
    """The query, with a VALUES block of the parameters, must parse in Oxigraph too."""
    samples: dict[ParamType, ox.NamedNode | ox.Literal] = {
        ParamType.IRI: ox.NamedNode("urn:x-sanctuary-kg:check"),
        ParamType.STRING: ox.Literal("check"),
        ParamType.LANG_STRING: ox.Literal("check", language="en"),
        ParamType.INTEGER: ox.Literal("1", datatype=ids.XSD.integer),
        ParamType.DATE: ox.Literal("2000-01-01", datatype=ids.XSD.date),
    }
    try:
        ox.Store().query(text)  # on an empty store: only ASK is answered at once, and with nothing
    except SyntaxError as error:
        raise QueryError(f"{path}: Oxigraph cannot parse the query: {querytext.syntax_problem(error, text)}") from None
    if not parameters:
        return
    candidate = with_values(text, at, [(p.name, samples[p.type]) for p in parameters])
    try:
        ox.Store().query(candidate)
    except SyntaxError as error:
        problem = querytext.syntax_problem(error, candidate)
        where = text[:at].count("\n") + 1  # the line of WHERE {; the VALUES block is the next line of candidate
        if problem.line is not None and problem.line > where:
            problem = dataclasses.replace(problem, line=max(where, problem.line - 2))
        raise QueryError(f"{path}: Oxigraph cannot parse the query with its parameters bound (in a VALUES block "
                         f"at the WHERE clause): {problem}") from None


# ------------------------------------------------------------------ binding


def term(parameter: Parameter, value: str, resolver: Resolver) -> ox.NamedNode | ox.Literal:
    """The RDF term ``value`` becomes for ``parameter``; QueryError when it is not of that type.

    >>> print(term(Parameter("n", ParamType.INTEGER, "3"), " 42", _no_resolver))
    "42"^^<http://www.w3.org/2001/XMLSchema#integer>
    >>> print(term(Parameter("t", ParamType.LANG_STRING, "Gouverneur@fr"), "Governor@en", _no_resolver))
    "Governor"@en
    >>> print(term(Parameter("d", ParamType.DATE, "2019-07-22"), "2019-07-22", _no_resolver))
    "2019-07-22"^^<http://www.w3.org/2001/XMLSchema#date>
    """
    kind = parameter.type
    what = f"parameter {parameter.name!r} ({kind.value})"
    if kind is ParamType.IRI:
        return resolver(value, parameter.range)
    if kind is ParamType.STRING:
        return ox.Literal(value)
    if kind is ParamType.LANG_STRING:
        match = _LANG_VALUE.match(value)
        if match is None:
            raise QueryError(f"{what}: {value!r} needs a language tag: write text@en")
        try:
            return ox.Literal(match["text"], language=match["lang"])
        except ValueError:
            raise QueryError(f"{what}: {match['lang']!r} is not a language tag") from None
    if kind is ParamType.INTEGER:
        if not re.fullmatch(r"\s*[+-]?\d+\s*", value):
            raise QueryError(f"{what}: {value!r} is not an integer")
        return ox.Literal(str(int(value)), datatype=ids.XSD.integer)
    try:
        day = datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise QueryError(f"{what}: {value!r} is not a date: write YYYY-MM-DD") from None
    return ox.Literal(day.isoformat(), datatype=ids.XSD.date)


Bound = list[tuple[str, ox.NamedNode | ox.Literal]]


def bindings(query: StoredQuery, values: Mapping[str, str], resolver: Resolver) -> Bound:
    """Check ``values`` against the query's parameters and turn them into terms, in declared order."""
    declared = {p.name: p for p in query.parameters}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        known = ", ".join(f"{p.name} ({p.type.value})" for p in query.parameters) or "none"
        raise QueryError(f"{query.name} has no parameter {', '.join(map(repr, unknown))}: its parameters are {known}")
    missing = [p for p in query.parameters if p.required and p.name not in values]
    if missing:
        needed = " ".join(f"-p {p.name}={p.example}" for p in missing)
        raise QueryError(f"{query.name} needs {', '.join(p.name for p in missing)}: for example {needed}")
    return [(p.name, term(p, values[p.name], resolver)) for p in query.parameters if p.name in values]


def values_clause(bound: Sequence[tuple[str, ox.NamedNode | ox.Literal]]) -> str:
    """A one-row ``VALUES`` block; each term is written by pyoxigraph, escaped as N-Triples."""
    names = " ".join(f"?{name}" for name, _ in bound)
    terms = " ".join(str(t) for _, t in bound)
    return f"VALUES ({names}) {{ ({terms}) }}"


def with_values(text: str, at: int | None, bound: Sequence[tuple[str, ox.NamedNode | ox.Literal]]) -> str:
    """``text`` with a ``VALUES`` block of ``bound`` at ``at`` (just inside ``WHERE {``); unchanged if none."""
    if not bound:
        return text
    if at is None:
        raise QueryError("the query has no WHERE clause to bind parameters in")
    return f"{text[:at]}\n  {values_clause(bound)}\n{text[at:]}"


def bind(query: StoredQuery, values: Mapping[str, str], target: Target) -> str:
    """The text to run: ``query`` with ``values`` bound (ids and labels resolved on ``target``)."""

    def resolver(text: str, range_: str | None) -> ox.NamedNode:
        return resolve(text, target, range_)

    return with_values(query.text, query.values_at, bindings(query, values, resolver))


def run(query: StoredQuery, values: Mapping[str, str], target: Target) -> Results:
    """Run a stored query with its parameter values on ``target``."""
    return target.run(bind(query, values, target), query.form)


# ------------------------------------------------------------------ ad hoc


def prepare(text: str, where: str = "the query") -> Prepared:
    """Check an ad-hoc query: it must parse and must not be an update.

    The project's prefixes (sk:, skp:, id:, rdfs:, prov:, oa:, dcterms:, ...) are
    declared for it unless it declares them itself.

    >>> prepare("SELECT ?claim WHERE { ?claim a sk:Claim }").form
    'SELECT'
    """
    if not text.strip():
        raise QueryError(f"{where} is empty: give a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    parsed = querytext.parse(text, where, ids.PREFIXES)
    missing = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in ids.PREFIXES.items() if p not in parsed.prefixes)
    return Prepared(parsed.form, parsed.variables, missing + text, missing.count("\n"))
