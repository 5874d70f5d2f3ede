"""Turn what a person types (an id, a label, a claim id, a notation, an IRI) into an IRI.

Lookups are SPARQL queries on the same target as the question, so an id
resolves the same way on the embedded store and on a remote endpoint. The
typed text reaches them as a literal in a ``VALUES`` block, never as query text.

>>> expand("skp:no-local-resources").value
'https://w3id.org/sanctuary-kg/provision/no-local-resources'
>>> expand("montgomery-county") is None
True
"""

from __future__ import annotations

import contextlib
import difflib
import re
from dataclasses import dataclass

import pyoxigraph as ox

from . import ids
from .errors import QueryError
from .sparql import Target

ENTITY_KINDS = ("jurisdiction", "person", "organization", "order")
_IRI_LIKE = re.compile(r"^<|^[A-Za-z][A-Za-z0-9+.-]*:(//|\S*$)")  # <...>, scheme://..., prefix:name
_CLAIM_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")  # a claim id without its source key
_PROLOGUE = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in ids.PREFIXES.items())


@dataclass(frozen=True)
class Candidate:
    """Something in the graph that a typed text may mean."""

    iri: str
    name: str  # its label, or its id when it has none
    exact: bool  # matched by id, claim id or notation (not only by label)
    fits: bool  # of the class or concept scheme that was asked for


def expand(text: str) -> ox.NamedNode | None:
    """The IRI written as ``<iri>``, an absolute IRI or a known prefixed name; None for anything else.

    Raises QueryError when the text is IRI-shaped but not a valid IRI.
    """
    text = text.strip()
    if not _IRI_LIKE.match(text):
        return None
    if text.startswith("<"):
        if not text.endswith(">"):
            raise QueryError(f"{text!r} is not an IRI: write <https://...> with the closing >")
        text = text[1:-1]
    prefix, _, local = text.partition(":")
    iri = ids.PREFIXES[prefix] + local if prefix in ids.PREFIXES else text
    try:
        return ox.NamedNode(iri)
    except ValueError as error:
        raise QueryError(f"{iri!r} is not a valid IRI ({error})") from None


def resolve(text: str, target: Target, range_: str | None = None) -> ox.NamedNode:
    """The one IRI that ``text`` names, of class or scheme ``range_`` when given.

    Accepts an IRI (``<...>`` or absolute), a prefixed name (``sk:County``), an
    entity id (``montgomery-county``), a claim id (``KEY/claim-id``, or
    ``claim-id`` when only one source has it), a source key, a notation
    (``detainers-need-judicial-warrant``) or a label (``Montgomery County``,
    any case). Fails with the close candidates listed.
    """
    iri = expand(text)
    if iri is not None:
        return _known(iri, text.strip(), target, range_)
    wanted = text.strip()
    if not wanted:
        raise QueryError("an empty value names nothing: give an id, a label or an IRI")
    found = candidates(wanted, target, range_)
    fitting = [c for c in found if c.fits]
    chosen = [c for c in fitting if c.exact] or fitting
    if len(chosen) == 1:
        return ox.NamedNode(chosen[0].iri)
    if len(chosen) > 1:
        listed = "; ".join(f"{ids.compact(c.iri)} ({c.name})" for c in chosen[:10])
        raise QueryError(f"{wanted!r} is ambiguous: it names {listed}; give one of these ids")
    raise _unknown(wanted, wanted, found, target, range_)


def _known(iri: ox.NamedNode, wanted: str, target: Target, range_: str | None) -> ox.NamedNode:
    """``iri`` when the graph has it (and it is of ``range_``); else the error listing close candidates."""
    query = f"""{_PROLOGUE}SELECT ?fits WHERE {{
  VALUES ?thing {{ {iri} }}
  FILTER EXISTS {{ {{ ?thing ?p ?o }} UNION {{ ?s ?p ?thing }} UNION {{ ?s ?thing ?o }}
    UNION {{ GRAPH ?g {{ {{ ?thing ?p ?o }} UNION {{ ?s ?p ?thing }} UNION {{ ?s ?thing ?o }} }} }} }}
  {_fits(range_)}
}}"""
    rows = target.run(query, "SELECT").rows
    if rows and rows[0][0] is not None and rows[0][0].value == "true":
        return iri
    found = [Candidate(iri.value, _names([iri.value], target).get(iri.value, ids.compact(iri.value)), True, False)]
    raise _unknown(wanted, _local_name(iri.value), found if rows else [], target, range_)


def _unknown(wanted: str, looks_like: str, found: list[Candidate], target: Target, range_: str | None) -> QueryError:
    """Why ``wanted`` names nothing of ``range_``: what it names instead, or what is close to ``looks_like``."""
    what = describe(range_, target)
    if found:
        others = "; ".join(f"{ids.compact(c.iri)} ({c.name})" for c in found[:5])
        return QueryError(f"{wanted!r} names {others}, which is not {what}")
    close, close_enough = suggestions(looks_like, target, range_)
    if close_enough:
        hint = f"; did you mean {', '.join(close)}?"
    else:
        hint = f"; candidates: {', '.join(close)}" if close else ""
    nothing = f"{wanted!r} is not {what}" if range_ else f"nothing in the graph is called {wanted!r}"
    return QueryError(f"{nothing}: give an id, a label or an IRI{hint}")


def _local_name(iri: str) -> str:
    """The last segment of an IRI, which ids, notations and labels are compared with.

    >>> _local_name("https://w3id.org/sanctuary-kg/provision/detainers-need-judicial-warant")
    'detainers-need-judicial-warant'
    >>> _local_name("urn:x")
    'x'
    """
    return re.split(r"[/#:]", iri.rstrip("/#"))[-1]


def candidates(text: str, target: Target, range_: str | None = None) -> list[Candidate]:
    """Everything whose id, claim id, notation or label (any case) is ``text``.

    Index look-ups come first: an entity id, a claim id or source key, a notation, a label
    as typed. The scans (a claim id without its source key, a label in another case) run
    only when those find nothing of ``range_`` by id, or when a claim may be meant, so a
    typed id costs a few look-ups however large the graph is.
    """
    entity_iris = []
    for kind in ENTITY_KINDS:
        with contextlib.suppress(ValueError):  # not IRI-safe, so not an id
            entity_iris.append(str(ids.entity(kind, text)))
    typed, lower = ox.Literal(text), ox.Literal(text.lower())  # N-Triples terms, escaped by pyoxigraph
    lookups = [  # each branch names the value itself: Oxigraph does not push a VALUES join into a UNION
        f"{{ GRAPH ?g1 {{ ?thing dcterms:identifier {typed} }} BIND (\"id\" AS ?how) }}",
        f"{{ GRAPH ?g3 {{ ?thing skos:notation {typed} }} BIND (\"id\" AS ?how) }}",
        f"""{{ VALUES ?label {{ {typed} {ox.Literal(text, language="en")} }}
      GRAPH ?g4 {{ ?thing rdfs:label|skos:prefLabel ?label }} BIND ("label" AS ?how) }}""",
    ]
    if entity_iris:
        lookups.insert(0, f"""{{ VALUES ?thing {{ {' '.join(entity_iris)} }}
      GRAPH {ids.ENTITIES_GRAPH} {{ ?thing rdfs:label ?entityLabel }} BIND ("id" AS ?how) }}""")
    found = _matches(lookups, target, range_)
    scans = []
    if _CLAIM_ID.match(text) and (not any(c.fits and c.exact for c in found) or _may_be_a_claim(range_, target)):
        scans.append(f"""{{ GRAPH ?g2 {{ ?thing a sk:Claim }} FILTER (STRENDS(STR(?thing), CONCAT("/", {typed})))
      BIND ("id" AS ?how) }}""")
    if not any(c.fits and c.exact for c in found):  # names live in the entities and ontology graphs
        scans.append(f"""{{ {{ GRAPH {ids.ENTITIES_GRAPH} {{ ?thing rdfs:label ?anyCase }} }}
      UNION {{ GRAPH {ids.ONTOLOGY_GRAPH} {{ ?thing rdfs:label|skos:prefLabel ?anyCase }} }}
      FILTER (LCASE(STR(?anyCase)) = {lower}) BIND ("label" AS ?how) }}""")
    if scans:
        more = {c.iri: c for c in _matches(scans, target, range_)}
        for c in found:
            if c.iri in more:
                more[c.iri] = Candidate(c.iri, c.name, c.exact or more[c.iri].exact, c.fits)
        found = sorted({**{c.iri: c for c in found}, **more}.values(), key=lambda c: c.iri)
    return found


def _matches(branches: list[str], target: Target, range_: str | None) -> list[Candidate]:
    query = f"""{_PROLOGUE}SELECT DISTINCT ?thing ?how ?fits WHERE {{
  {{ {" UNION ".join(branches)} }}
  {_fits(range_)}
}}"""
    exact: dict[str, bool] = {}
    fits: dict[str, bool] = {}
    for thing, how, fit in target.run(query, "SELECT").rows:
        if isinstance(thing, ox.NamedNode):
            exact[thing.value] = exact.get(thing.value, False) or (how is not None and how.value == "id")
            fits[thing.value] = fit is not None and fit.value == "true"
    names = _names(sorted(exact), target)
    return [Candidate(iri, names.get(iri, ids.compact(iri)), exact[iri], fits[iri]) for iri in sorted(exact)]


def _may_be_a_claim(range_: str | None, target: Target) -> bool:
    """Whether a claim is of ``range_`` (no range, sk:Claim or a class above it)."""
    if range_ is None or range_ == ids.SK.Claim.value:
        return True
    query = f"ASK {{ GRAPH {ids.ONTOLOGY_GRAPH} {{ {ids.SK.Claim} {ids.RDFS.subClassOf}+ {ox.NamedNode(range_)} }} }}"
    return bool(target.run(query, "ASK").boolean)


def suggestions(text: str, target: Target, range_: str | None = None, limit: int = 6) -> tuple[list[str], bool]:
    """Ids (with labels) of things of ``range_`` that look like ``text``, and whether they do.

    When nothing looks like it, the first few things of ``range_`` instead (and False).
    """
    branches = [
        f"{{ GRAPH {ids.ENTITIES_GRAPH} {{ ?thing rdfs:label ?name }} }}",
        f"{{ GRAPH {ids.ONTOLOGY_GRAPH} {{ ?thing skos:notation ?key }} }}",
    ]
    if range_ is not None:  # claims and sources only when asked for: they are many
        branches.append("{ GRAPH ?g { ?thing dcterms:identifier ?key } }")
    query = f"""{_PROLOGUE}SELECT DISTINCT ?thing ?key ?name WHERE {{
  {{ {" UNION ".join(branches)} }}
  OPTIONAL {{ GRAPH ?gn {{ ?thing rdfs:label|skos:prefLabel ?name }} }}
  {_fits(range_)}
  FILTER (?fits)
}} LIMIT 20000"""
    by_text: dict[str, str] = {}
    for thing, key, name in target.run(query, "SELECT").rows:
        if not isinstance(thing, ox.NamedNode):
            continue
        shown = key.value if key is not None else _entity_key(thing.value)
        label = name.value if name is not None else ""
        display = f"{shown} ({label})" if label and label != shown else shown
        by_text.setdefault(shown.lower(), display)
        if label:
            by_text.setdefault(label.lower(), display)
    close = difflib.get_close_matches(text.lower(), list(by_text), n=limit * 2, cutoff=0.6)
    found = list(dict.fromkeys(by_text[c] for c in close))[:limit]
    if found:
        return found, True
    everything = sorted(set(by_text.values()))
    first = everything[: limit * 2]
    if len(everything) > len(first):
        first.append(f"… ({len(everything)} in all)")
    return first, False


def describe(range_: str | None, target: Target) -> str:
    """What a thing of ``range_`` is, for a message: "a jurisdiction", "one of the policy provisions"."""
    if range_ is None:
        return "anything"
    node = ox.NamedNode(range_)
    query = f"""SELECT ?label ?scheme WHERE {{
  OPTIONAL {{ GRAPH ?g1 {{ {node} {ids.RDFS.label} ?label }} }}
  BIND (EXISTS {{ GRAPH ?g2 {{ {node} a {ids.SKOS.ConceptScheme} }} }} AS ?scheme)
}} LIMIT 1"""
    rows = target.run(query, "SELECT").rows
    label, scheme = rows[0] if rows else (None, None)
    name = label.value if label is not None else _humane(range_)
    if scheme is not None and scheme.value == "true":
        return f"one of the {name}"
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


def _humane(iri: str) -> str:
    """A name for a class without a label, from its local name: prov:Agent is "agent".

    >>> _humane("http://www.w3.org/ns/prov#SoftwareAgent")
    'software agent'
    """
    local = _local_name(iri)
    if not local:
        return ids.compact(iri)
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", local).lower()


def _fits(range_: str | None) -> str:
    """A BIND of ?fits: whether ?thing is of class ``range_`` (or a subclass) or in scheme ``range_``."""
    if range_ is None:
        return "BIND (true AS ?fits)"
    node = ox.NamedNode(range_)
    return f"""BIND (EXISTS {{
      {{ GRAPH ?t1 {{ ?thing a ?type }}
         FILTER (?type = {node} || EXISTS {{ GRAPH ?t2 {{ ?type rdfs:subClassOf+ {node} }} }}) }}
      UNION {{ GRAPH ?t3 {{ ?thing skos:inScheme {node} }} }}
  }} AS ?fits)"""


def _names(iris: list[str], target: Target) -> dict[str, str]:
    if not iris:
        return {}
    query = f"""{_PROLOGUE}SELECT ?thing ?name WHERE {{
  VALUES ?thing {{ {' '.join(str(ox.NamedNode(i)) for i in iris)} }}
  {{ GRAPH ?g {{ ?thing rdfs:label|skos:prefLabel|dcterms:identifier ?name }} }}
}} ORDER BY ?thing ?name"""
    names: dict[str, str] = {}
    for thing, name in target.run(query, "SELECT").rows:
        if thing is not None and name is not None:
            names.setdefault(thing.value, name.value)
    return names


def _entity_key(iri: str) -> str:
    """``montgomery-county`` for an entity IRI; the compact IRI otherwise."""
    if iri.startswith(ids.ID):
        kind, _, key = iri[len(ids.ID):].partition("/")
        if kind in ENTITY_KINDS and key:
            return key
    return ids.compact(iri)
