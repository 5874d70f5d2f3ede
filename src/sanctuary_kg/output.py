"""Write query results: a table for people, W3C result formats and RDF for programs.

SELECT and ASK results go out as a table, CSV, TSV, JSON or XML (the W3C SPARQL
1.1 result formats); CONSTRUCT and DESCRIBE results as Turtle, N-Triples or
JSON-LD. Everything is written from :class:`~sanctuary_kg.sparql.Results`, so an
answer from a remote endpoint comes out exactly like one from the embedded store.

>>> results = Results("SELECT", ("order", "sources"), (
...     (ox.NamedNode("https://w3id.org/sanctuary-kg/id/order/california-trust-act"),
...      ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))),))
>>> print(render(results, Format.TABLE), end="")
order                          sources
-----------------------------  -------
id:order/california-trust-act        1
(1 row)
>>> render(results, Format.CSV)  # SPARQL 1.1 CSV ends lines with CRLF
'order,sources\\r\\nhttps://w3id.org/sanctuary-kg/id/order/california-trust-act,1\\r\\n'
"""

from __future__ import annotations

import csv
import io
import json
import textwrap
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from .errors import QueryError
from .formats import Format
from .ids import PREFIXES, STATEMENTS, XSD, compact
from .queries import StoredQuery
from .sparql import Results, Term
from .trace import ArticleStatus, Trace

TABULAR = (Format.TABLE, Format.CSV, Format.TSV, Format.JSON, Format.XML)
GRAPHS = (Format.TABLE, Format.TURTLE, Format.NTRIPLES, Format.JSONLD)
_NUMERIC = {XSD[t].value for t in ("integer", "decimal", "double", "float", "nonNegativeInteger",
                                   "positiveInteger", "negativeInteger", "nonPositiveInteger", "long", "int")}
_STRING = XSD.string.value
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
MIN_WIDTH = 8  # a column narrower than this is cut only when nothing else fits
TINY_WIDTH = 4  # text at its narrowest: three characters and …
IRI_WIDTH = 24  # ids keep this much while text can give way
LONG_TEXT = 24  # a text column wider than this is long (a quote, a title, an address)
HIGHLIGHT = ("\x1b[1;33m", "\x1b[0m")  # bold yellow on a terminal
MARKERS = ("[[", "]]")  # around the span in plain output
_STATUS = {
    ArticleStatus.MATCHES: "matches the article",
    ArticleStatus.CHANGED: "NO LONGER MATCHES: the article changed since the build (context as recorded)",
    ArticleStatus.MOVED: "matches, but the article's text at these offsets is not the quote (rebuild)",
    ArticleStatus.MISSING: "cannot be checked: the article is not in the seeds folder (context as recorded)",
}


def render(results: Results, fmt: Format, width: int | None = None) -> str:
    """``results`` in ``fmt``; a table fits in ``width`` columns when given (a terminal)."""
    check(results.form, fmt)
    if results.form in ("CONSTRUCT", "DESCRIBE"):
        return graph(results.triples, Format.TURTLE if fmt is Format.TABLE else fmt)
    if results.form == "ASK":
        return _boolean(bool(results.boolean), fmt)
    writer = {Format.TABLE: lambda: table(results.variables, results.rows, width),
              Format.CSV: lambda: to_csv(results.variables, results.rows),
              Format.TSV: lambda: to_tsv(results.variables, results.rows),
              Format.JSON: lambda: to_json(results.variables, results.rows),
              Format.XML: lambda: to_xml(results.variables, results.rows)}[fmt]
    return writer()


def check(form: str, fmt: Format) -> None:
    """Fail early when ``fmt`` cannot carry results of ``form``."""
    if form in ("CONSTRUCT", "DESCRIBE"):
        if fmt not in GRAPHS:
            raise QueryError(f"{_a(form)} {form} query gives triples: use --format ttl, nt or jsonld "
                             f"(not {fmt.value})")
    elif fmt not in TABULAR:
        raise QueryError(f"{_a(form)} {form} query gives a result table: use --format table, csv, tsv, json or xml "
                         f"(not {fmt.value})")


def _a(word: str) -> str:
    """The indefinite article for ``word``: an ASK, a SELECT."""
    return "an" if word[:1].lower() in "aeiou" else "a"


# ------------------------------------------------------------------ table


def cell(term: Term | None) -> str:
    """How a term reads in a table: compact IRIs, literal values, nothing for unbound."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return " ".join(term.value.split()) if any(c in term.value for c in "\n\r\t") else term.value


def table(variables: Sequence[str], rows: Sequence[Sequence[Term | None]], width: int | None = None) -> str:
    """An aligned text table; cells are cut with … only when ``width`` is given and exceeded.

    To fit, IRIs of things become their shortest ids that still tell the rows apart
    (``elrich-force-of-law`` for ``id:claim/002_99daf81b38207396/elrich-force-of-law``);
    then long text (quotes, titles, addresses) gives way first, then short text, IRIs last,
    and IRIs keep their ends. Numbers are never cut.
    """
    columns = range(len(variables))
    cells = [[cell(t) for t in row] for row in rows]
    numeric = [bool(rows) and all(_is_number(r[i]) for r in rows if r[i] is not None) for i in columns]
    iris = [bool(rows) and all(isinstance(r[i], ox.NamedNode) for r in rows if r[i] is not None) for i in columns]
    widths = _widths(variables, cells)
    available = None if width is None else width - 2 * (len(widths) - 1)
    if available is not None and sum(widths) > available:
        for i in columns:
            if iris[i]:
                short = short_names([r[i] for r in cells])
                for r in cells:
                    r[i] = short.get(r[i], r[i])
        widths = _widths(variables, cells)
        kinds = ["number" if numeric[i] else "iri" if iris[i] and _compact(r[i] for r in cells)
                 else "long" if widths[i] > LONG_TEXT else "text" for i in columns]
        widths = fit(widths, available, kinds)

    def line(values: Sequence[str]) -> str:
        parts = []
        for value, w, right, iri in zip(values, widths, numeric, iris, strict=True):
            if len(value) > w:
                value = _cut_middle(value, w) if iri else value[: max(w - 1, 0)] + "…"
            parts.append(value.rjust(w) if right else value.ljust(w))
        return "  ".join(parts).rstrip()

    out = [line(variables), line(["-" * w for w in widths])]
    out += [line(r) for r in cells]
    out.append(f"({len(rows)} row{'' if len(rows) == 1 else 's'})")
    return "\n".join(out) + "\n"


def _compact(names: Iterable[str]) -> bool:
    """Whether the names are ids or prefixed names (not web addresses, which read like text)."""
    return all(not name or "://" not in name for name in names)


def _widths(variables: Sequence[str], cells: Sequence[Sequence[str]]) -> list[int]:
    return [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(variables)]


def short_names(names: Sequence[str]) -> dict[str, str]:
    """The shortest ends of ``id:`` names that still tell them apart (the same number of segments for all).

    >>> short_names(["id:claim/002_a/elrich-force-of-law", "id:claim/003_b/trust-act", "sk:County"])
    {'id:claim/002_a/elrich-force-of-law': 'elrich-force-of-law', 'id:claim/003_b/trust-act': 'trust-act'}
    >>> short_names(["id:claim/002_a/intro", "id:claim/003_b/intro"])
    {'id:claim/002_a/intro': '002_a/intro', 'id:claim/003_b/intro': '003_b/intro'}
    """
    paths = {n: n[3:].split("/")[1:] for n in dict.fromkeys(names) if n.startswith("id:") and "/" in n}
    if not paths:
        return {}
    for keep in range(1, max(len(p) for p in paths.values()) + 1):
        ends = {n: "/".join(p[-keep:]) for n, p in paths.items()}
        if len(set(ends.values())) == len(ends) and all(ends.values()):
            return ends
    return {}


def fit(widths: Sequence[int], available: int, kinds: Sequence[str] | None = None,
        minimum: int = MIN_WIDTH) -> list[int]:
    """Narrow columns until the row fits ``available``: by kind, the widest of a kind first.

    ``kinds`` says what each column holds: ``long`` text gives way first (to ``minimum``),
    then ``text``, then ``iri`` (ids, to IRI_WIDTH), then text to a few characters, then ids
    to ``minimum``; a ``number`` never does.

    >>> fit([10, 80, 30], 60)
    [10, 25, 25]
    >>> fit([30, 80, 12, 4], 60, ["iri", "long", "text", "number"])
    [30, 14, 12, 4]
    >>> fit([30, 80, 12, 4], 40, ["iri", "long", "text", "number"])
    [24, 6, 6, 4]
    """
    widths = list(widths)
    kinds = list(kinds or ["text"] * len(widths))
    steps = [({"long"}, minimum), ({"text"}, minimum), ({"iri"}, IRI_WIDTH), ({"long", "text"}, TINY_WIDTH),
             ({"iri"}, minimum)]
    for shrinking, floor in steps:
        while sum(widths) > available:
            candidates = [i for i, k in enumerate(kinds) if k in shrinking and widths[i] > floor]
            if not candidates:
                break
            widths[max(candidates, key=lambda i: widths[i])] -= 1
    return widths


def _cut_middle(value: str, width: int) -> str:
    head = max(width - 1, 0) // 3
    tail = max(width - 1 - head, 0)
    return value[:head] + "…" + (value[-tail:] if tail else "")


def _is_number(term: Term | None) -> bool:
    return isinstance(term, ox.Literal) and term.datatype.value in _NUMERIC


# ------------------------------------------------------------------ W3C result formats


def to_csv(variables: Sequence[str], rows: Sequence[Sequence[Term | None]]) -> str:
    """SPARQL 1.1 Query Results CSV: plain values, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow(["" if t is None else f"_:{t.value}" if isinstance(t, ox.BlankNode) else t.value for t in row])
    return buffer.getvalue()


def to_tsv(variables: Sequence[str], rows: Sequence[Sequence[Term | None]]) -> str:
    """SPARQL 1.1 Query Results TSV: terms in N-Triples/Turtle syntax."""
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return "\n".join(lines) + "\n"


def to_json(variables: Sequence[str], rows: Sequence[Sequence[Term | None]]) -> str:
    """SPARQL 1.1 Query Results JSON."""
    bindings = [{v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None} for row in rows]
    doc = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _json_term(term: Term) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != _STRING:
        out["datatype"] = term.datatype.value
    return out


def to_xml(variables: Sequence[str], rows: Sequence[Sequence[Term | None]]) -> str:
    """SPARQL Query Results XML."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', f'<sparql xmlns="{_RESULTS_NS}">', "  <head>"]
    out += [f"    <variable name={quoteattr(v)}/>" for v in variables]
    out += ["  </head>", "  <results>"]
    for row in rows:
        out.append("    <result>")
        for v, t in zip(variables, row, strict=True):
            if t is not None:
                out.append(f"      <binding name={quoteattr(v)}>{_xml_term(t)}</binding>")
        out.append("    </result>")
    out += ["  </results>", "</sparql>"]
    return "\n".join(out) + "\n"


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f'<literal xml:lang="{escape(term.language)}">{escape(term.value)}</literal>'
    if term.datatype.value not in (_STRING, _LANG_STRING):
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _boolean(value: bool, fmt: Format) -> str:
    word = "true" if value else "false"
    if fmt is Format.JSON:
        return json.dumps({"head": {}, "boolean": value}) + "\n"
    if fmt is Format.XML:
        return (f'<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="{_RESULTS_NS}">\n'
                f"  <head/>\n  <boolean>{word}</boolean>\n</sparql>\n")
    if fmt is Format.CSV:
        return f"boolean\r\n{word}\r\n"
    if fmt is Format.TSV:
        return f"?boolean\n{word}\n"
    return word + "\n"


# ------------------------------------------------------------------ graphs


def graph(triples: Sequence[ox.Triple], fmt: Format) -> str:
    """Triples as Turtle (with the project's prefixes), N-Triples or JSON-LD."""
    if fmt is Format.TURTLE:
        data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    else:
        data = ox.serialize(triples, format=fmt.rdf_format)
    return (data or b"").decode("utf-8")


# ------------------------------------------------------------------ traces


def trace_text(found: Trace, color: bool = False) -> str:
    """A trace for people: each span in its sentence, marked, with its source and the article check."""
    start, end = HIGHLIGHT if color else MARKERS
    kinds = ", ".join(found.types)
    head = compact(found.thing) + (f"  {found.label}" if found.label else "") + (f"  ({kinds})" if kinds else "")
    count = len(found.evidence)
    out = [head, f"{count} supporting span{'' if count == 1 else 's'}"]
    for number, e in enumerate(found.evidence, start=1):
        source = e.source
        where = f"    {source.publisher}" + (f" · {source.address}" if source.address else "")
        out += ["", f"[{number}] {source.title}", where]
        out.append(f"    characters {e.start}-{e.end} · {compact(e.span)}")
        out.append(f"    article {source.key}.txt: sha256 {source.sha256[:12]}… {_STATUS[e.article]}")
        if e.via:
            out.append(f"    via {'statement' if e.via.startswith(STATEMENTS) else 'claim'} {compact(e.via)}")
        out.append(f"    {e.before}{start}{e.exact}{end}{e.after}")
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------ stored queries


def queries_table(stored: Iterable[StoredQuery], width: int | None = None) -> str:
    """The stored queries as a table: name, title and parameters."""
    rows = [(ox.Literal(q.name), ox.Literal(q.title), ox.Literal(parameters_text(q))) for q in stored]
    return table(("name", "title", "parameters"), rows, width)


def parameters_text(query: StoredQuery) -> str:
    """``name (type)`` for each parameter, optional ones in brackets."""
    parts = [f"{p.name} ({p.type.value})" if p.required else f"[{p.name} ({p.type.value})]" for p in query.parameters]
    return ", ".join(parts)


def stored_query_text(query: StoredQuery, width: int = 100) -> str:
    """One stored query described for people: what it answers, its parameters, an example, its file."""
    wrap = textwrap.TextWrapper(width=max(width, 40) - 2, initial_indent="  ", subsequent_indent="  ")
    deeper = textwrap.TextWrapper(width=max(width, 40) - 2, initial_indent="    ", subsequent_indent="    ")
    shown = " ".join(f"?{v}" for v in query.variables)
    out = [f"{query.name}: {query.title}", wrap.fill(query.description), "", f"form: {query.form} {shown}".rstrip()]
    if query.parameters:
        out.append("parameters:")
        for p in query.parameters:
            notes = [p.type.value, "required" if p.required else "optional"]
            if p.range:
                notes.append(f"an id, label or IRI of {compact(p.range)}")
            out.append(f"  {p.name} ({'; '.join(notes)}), e.g. {p.example}")
            if p.description:
                out.append(deeper.fill(p.description))
    out += ["example:", f"  {query.example}", f"file: {query.path}"]
    return "\n".join(out) + "\n"
