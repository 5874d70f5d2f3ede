"""JSON-LD compaction of quads, fast, for a context of prefixes and simple terms.

pyld implements the whole JSON-LD algorithm and takes minutes on a large
dataset; the project's context only has prefixes and terms that map one IRI,
optionally coerced to ``@id``, a datatype or a language. For such a context
this module gives exactly pyld's compacted form (a test compares the two on
the seeds), by choosing per value the term that fits it:

>>> c = Compactor({"sk": "https://w3id.org/sanctuary-kg/ontology#",
...                "within": {"@id": "sk:within", "@type": "@id"}})
>>> q = ox.Quad(ox.NamedNode("https://w3id.org/sanctuary-kg/ontology#a"),
...             ox.NamedNode("https://w3id.org/sanctuary-kg/ontology#within"),
...             ox.NamedNode("https://w3id.org/sanctuary-kg/ontology#b"))
>>> c.nodes([q])
[{'@id': 'sk:a', 'within': 'sk:b'}]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from .ids import RDF, XSD

_RDF_TYPE = RDF.type.value

Json = dict[str, Any]


class Compactor:
    """Compacts subjects, predicates and objects with one context."""

    def __init__(self, context: Json):
        self.prefixes: list[tuple[str, str]] = []
        definitions: list[tuple[str, Json]] = []
        for name, spec in context.items():
            if isinstance(spec, str) and spec.endswith(("/", "#")) and spec.split(":", 1)[0] not in context:
                self.prefixes.append((name, spec))
            else:
                definitions.append((name, {"@id": spec} if isinstance(spec, str) else spec))
        self.terms: dict[str, list[tuple[str, str | None, str | None]]] = defaultdict(list)
        for name, spec in definitions:
            coerce = spec.get("@type")
            self.terms[self.expand(spec["@id"])].append(
                (name, coerce if coerce in (None, "@id") else self.expand(coerce), spec.get("@language")))
        self._iris: dict[str, str] = {}

    def expand(self, name: str) -> str:
        """The IRI of a compact IRI (``sk:Claim``); anything else as it is."""
        prefix, _, local = name.partition(":")
        for known, base in self.prefixes:
            if known == prefix:
                return base + local
        return name

    def iri(self, iri: str) -> str:
        """The shortest compact IRI for ``iri`` (the least, among equals), or ``iri`` itself."""
        found = self._iris.get(iri)
        if found is None:
            candidates = [f"{name}:{iri[len(base):]}" for name, base in self.prefixes
                          if iri.startswith(base) and len(iri) > len(base)]
            found = min(candidates, key=lambda c: (len(c), c)) if candidates else iri
            self._iris[iri] = found
        return found

    def entry(self, predicate: str, term: ox.NamedNode | ox.BlankNode | ox.Literal) -> tuple[str, Any]:
        """The key and the compacted value of one statement's predicate and object."""
        candidates = self.terms.get(predicate, ())
        for name, coerce, language in candidates:
            if isinstance(term, ox.Literal):
                if term.language:
                    if language == term.language and coerce is None:
                        return name, term.value
                elif _fits(term, coerce, language):
                    return name, term.value
            elif coerce == "@id":
                return name, self.iri(_name(term))
        key = next((name for name, coerce, language in candidates if coerce is None and language is None),
                   self.iri(predicate))
        if not isinstance(term, ox.Literal):
            return key, {"@id": self.iri(_name(term))}
        if term.language:
            return key, {"@value": term.value, "@language": term.language}
        if term.datatype == XSD.string:
            return key, term.value
        return key, {"@value": term.value, "@type": self.iri(term.datatype.value)}

    def nodes(self, quads: Iterable[ox.Quad]) -> list[Json]:
        """One node object per subject, by subject IRI; a key's one value stands alone."""
        by_subject: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
        plans: dict[tuple[str, Any], tuple[str, str, str | None]] = {}  # how each kind of statement compacts
        iri, rdf_type = self.iri, _RDF_TYPE
        for q in quads:
            o = q.object
            entries = by_subject[_name(q.subject)]
            p = q.predicate.value
            if isinstance(o, ox.Literal):
                kind: Any = (o.datatype.value, o.language)
            else:
                kind = "bnode" if isinstance(o, ox.BlankNode) else "iri"
                if p == rdf_type:
                    entries["@type"].append(iri(_name(o)))
                    continue
            plan = plans.get((p, kind))
            if plan is None:
                plan = plans[(p, kind)] = self._plan(p, o)  # type: ignore[arg-type]
            key, how, extra = plan
            if how == "iri":
                entries[key].append(iri(_name(o)))
            elif how == "id":
                entries[key].append({"@id": iri(_name(o))})
            elif how == "value":
                entries[key].append(o.value)  # type: ignore[union-attr]
            elif how == "language":
                entries[key].append({"@value": o.value, "@language": extra})  # type: ignore[union-attr]
            else:
                entries[key].append({"@value": o.value, "@type": extra})  # type: ignore[union-attr]
        result = []
        for subject in sorted(by_subject):
            properties = by_subject[subject]
            node: Json = {"@id": iri(subject)}
            if "@type" in properties:
                types = properties.pop("@type")
                node["@type"] = types[0] if len(types) == 1 else types
            for key in sorted(properties):
                values = properties[key]
                node[key] = values[0] if len(values) == 1 else values
            result.append(node)
        return result

    def _plan(self, predicate: str, term: ox.NamedNode | ox.BlankNode | ox.Literal) -> tuple[str, str, str | None]:
        """(key, how the value is written, its language or datatype) for statements like this one."""
        key, value = self.entry(predicate, term)
        if not isinstance(value, dict):
            return key, "iri" if not isinstance(term, ox.Literal) else "value", None
        if "@id" in value:
            return key, "id", None
        if "@language" in value:
            return key, "language", value["@language"]
        return key, "typed", value["@type"]


def _fits(literal: ox.Literal, coerce: str | None, language: str | None) -> bool:
    """Whether a term coerced so holds a literal without a language as a bare string."""
    if coerce is None:
        return language is None and literal.datatype == XSD.string
    return coerce != "@id" and literal.datatype.value == coerce


def _name(term: object) -> str:
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value  # type: ignore[attr-defined,no-any-return]
