"""Trace a claim, order, official or jurisdiction to the words of the articles that support it.

Tracing is a query: every ``sk:evidence`` span of the thing (and, for an order,
the spans of the claims that state its provisions and status; for a jurisdiction,
the spans of the statements that say where it lies), with its source.
Each span is then read back from the article it counts in: the sentence around
it for context, and whether the article's SHA-256 and the text at the offsets
are still what the graph recorded.

>>> sentence_around("One. Two three four. Five.", 9, 14)
('Two ', ' four.')
"""

from __future__ import annotations

import enum
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from . import ids
from .errors import QueryError, ValidationFailed
from .resolve import resolve
from .sparql import Target, Term

CONTEXT_LIMIT = 240  # code points of context at most on each side
# a sentence ends at . ! or ? (and closing quotes) before a capital or a digit, or at a line break
_SENTENCE_END = re.compile(r"[.!?][\"”’)\]]*(?=\s+[\"“‘(\[]*[A-Z0-9]|\s*$)|\n")
_PROLOGUE = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in ids.PREFIXES.items())


class ArticleStatus(enum.StrEnum):
    """Whether the article a span counts in is still the one the graph was built from."""

    MATCHES = "matches"  # same SHA-256, and the exact text is at the offsets
    CHANGED = "changed"  # the article's bytes changed since the build
    MOVED = "moved"  # same hash recorded, but the text at the offsets differs (a corrupt graph)
    MISSING = "missing"  # the article is not in the seeds folder


@dataclass(frozen=True)
class Source:
    """The article a span is taken from, as the graph describes it."""

    iri: str
    key: str
    title: str
    publisher: str
    address: str | None
    sha256: str


@dataclass(frozen=True)
class Evidence:
    """One supporting span, in context."""

    span: str  # the span's IRI: the source IRI with #char=start,end
    source: Source
    start: int
    end: int
    exact: str
    before: str  # the sentence up to the span (from the article, else the recorded prefix)
    after: str  # the sentence after the span
    article: ArticleStatus
    via: str | None = None  # the claim or statement whose words these are, when the span supports the thing through it


@dataclass(frozen=True)
class Trace:
    """Everything that supports one thing."""

    thing: str  # its IRI
    label: str | None
    types: tuple[str, ...]
    evidence: tuple[Evidence, ...]

    @property
    def broken(self) -> tuple[Evidence, ...]:
        """Spans whose article changed, or whose text is no longer at their offsets."""
        return tuple(e for e in self.evidence if e.article in (ArticleStatus.CHANGED, ArticleStatus.MOVED))

    @property
    def unchecked(self) -> tuple[Evidence, ...]:
        """Spans whose article is not in the seeds folder."""
        return tuple(e for e in self.evidence if e.article is ArticleStatus.MISSING)


def notes(found: Trace, seeds: Path) -> list[str]:
    """What a person should know about a trace that is not an error: spans that could not be checked."""
    if not found.unchecked:
        return []
    return [f"{len(found.unchecked)} span(s) not checked: their article is not in {seeds}"]


def check(found: Trace) -> None:
    """Raise :class:`ValidationFailed` when a span of the trace no longer matches its article."""
    if found.broken:
        raise ValidationFailed(f"{len(found.broken)} span(s) no longer match their article: "
                               "rebuild, then re-check the quotes")


def trace(reference: str, target: Target, seeds: Path) -> Trace:
    """Trace ``reference`` (an id, claim id, label or IRI) on ``target``, reading articles from ``seeds``."""
    thing = resolve(reference, target)
    label, types = _describe(thing, target)
    rows = target.run(_evidence_query(thing), "SELECT").rows
    if not rows:
        raise QueryError(f"{ids.compact(thing.value)} has no evidence spans: trace works on claims, orders, "
                         "officials and jurisdictions that an article names")
    texts: dict[str, tuple[str, str] | None] = {}
    by_span: dict[str, Evidence] = {}  # a span that is the thing's own evidence and a claim's is shown once
    for row in rows:
        span, via, source, key, title, publisher, address, sha256, exact, start, end, prefix, suffix = row
        source_info = Source(_v(source), _v(key), _v(title), _v(publisher), _v(address) or None, _v(sha256))
        s, e = int(_v(start)), int(_v(end))
        if source_info.key not in texts:
            texts[source_info.key] = _read(seeds / f"{source_info.key}.txt")
        found = texts[source_info.key]
        if found is None:
            status, before, after = ArticleStatus.MISSING, _v(prefix), _v(suffix)
        else:
            text, digest = found
            before, after = sentence_around(text, s, e)
            if digest != source_info.sha256:
                status = ArticleStatus.CHANGED
            elif text[s:e] != _v(exact):
                status = ArticleStatus.MOVED
            else:
                status = ArticleStatus.MATCHES
            if status is not ArticleStatus.MATCHES:  # the article cannot be trusted: show what the graph recorded
                before, after = _v(prefix), _v(suffix)
        via_iri = via.value if isinstance(via, ox.NamedNode) and via != thing else None
        found_before = by_span.get(_v(span))
        if found_before is None or (found_before.via is not None and via_iri is None):
            by_span[_v(span)] = Evidence(_v(span), source_info, s, e, _v(exact), before, after, status, via_iri)
    return Trace(thing.value, label, types, tuple(by_span.values()))


def sentence_around(text: str, start: int, end: int, limit: int = CONTEXT_LIMIT) -> tuple[str, str]:
    """The rest of the sentence before ``text[start:end]`` and after it, at most ``limit`` each side."""
    low = max(0, start - limit)
    before_start = low
    lookahead = 64  # a boundary is told by what follows it, so look a little past the window
    for match in _SENTENCE_END.finditer(text, low, min(len(text), start + lookahead)):
        if match.end() > start:
            break
        before_start = match.end()
    before = text[before_start:start]
    if before_start == low and low > 0:
        before = "…" + before
    before = before.lstrip() if before_start != low else before
    high = min(len(text), end + limit)
    after_end = high
    for match in _SENTENCE_END.finditer(text, start, min(len(text), high + lookahead)):
        stop = match.start() if match.group() == "\n" else match.end()
        if stop > high:
            break
        if stop >= end:
            after_end = stop
            break
    after = text[end:after_end]
    if after_end == high and high < len(text):
        after += "…"
    return before, after


def _describe(thing: ox.NamedNode, target: Target) -> tuple[str | None, tuple[str, ...]]:
    query = f"""{_PROLOGUE}SELECT DISTINCT ?label ?type WHERE {{
  VALUES ?thing {{ {thing} }}
  OPTIONAL {{ GRAPH ?g1 {{ ?thing rdfs:label|dcterms:identifier ?label }} }}
  OPTIONAL {{ GRAPH ?g2 {{ ?thing a ?type }} FILTER (?g2 != {ids.INFERRED_GRAPH}) }}
}} ORDER BY ?label ?type"""
    rows = target.run(query, "SELECT").rows
    labels = [r[0].value for r in rows if r[0] is not None]
    types = sorted({ids.compact(r[1].value) for r in rows if r[1] is not None})
    return (labels[0] if labels else None), tuple(types)


def _evidence_query(thing: ox.NamedNode) -> str:
    return f"""{_PROLOGUE}SELECT DISTINCT ?span ?via ?source ?key ?title ?publisher ?address ?sha256
    ?exact ?start ?end ?prefix ?suffix
WHERE {{
  VALUES ?thing {{ {thing} }}
  {{
    GRAPH ?graph {{ ?thing sk:evidence ?span }}
    BIND (?thing AS ?via)
  }} UNION {{
    GRAPH ?graph {{
      ?thing sk:provision|sk:status ?fact .
      ?via a sk:Claim ; sk:about ?thing ; sk:provision|sk:status ?fact ; sk:evidence ?span .
    }}
  }} UNION {{
    GRAPH ?graph {{ ?via a rdf:Statement ; rdf:subject ?thing ; sk:evidence ?span }}
  }}
  GRAPH ?graph {{
    ?span oa:hasSource ?source ; oa:exact ?exact ; oa:start ?start ; oa:end ?end ;
        oa:prefix ?prefix ; oa:suffix ?suffix ; sk:sha256 ?sha256 .
    ?source dcterms:identifier ?key ; dcterms:title ?title ; dcterms:publisher ?publisherAgent .
    OPTIONAL {{ ?source schema:url ?address }}
  }}
  OPTIONAL {{ GRAPH {ids.ENTITIES_GRAPH} {{ ?publisherAgent rdfs:label ?publisher }} }}
}}
ORDER BY ?key ?start ?end ?via"""


def _read(path: Path) -> tuple[str, str] | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data.decode("utf-8", errors="replace"), hashlib.sha256(data).hexdigest()


def _v(term: Term | None) -> str:
    return "" if term is None else term.value
