"""Export the built dataset in any RDF format, or as a framed JSON-LD view.

N-Quads, TriG and JSON-LD keep the named graphs; N-Triples and Turtle hold the
union of the chosen graphs, each triple once. Output is deterministic: graph
by graph in IRI order, statements sorted, prefixes in one fixed order, JSON-LD
compacted with the project's context (``ontology/context.jsonld``).

A graph is named by its IRI, its prefixed name or its last segment:

>>> graph_iri("entities")
'https://w3id.org/sanctuary-kg/id/graph/entities'
>>> graph_iri("id:graph/002_99daf81b38207396")
'https://w3id.org/sanctuary-kg/id/graph/002_99daf81b38207396'
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

import orjson
import pyoxigraph as ox
from pyld import jsonld

from . import ids
from .dataset import Graphs, triples
from .errors import InputError, SanctuaryError, UsageError
from .files import resources
from .formats import Format
from .jsonld import Compactor

CONTEXT_FILE = "context.jsonld"
FRAMES = {"jurisdiction": "frame-jurisdiction.jsonld"}  # frame name = the kind of entity at its top
# Every name under id/ holds a "/", which Turtle must escape (id:graph\/entities): write those IRIs whole.
TURTLE_PREFIXES = {name: iri for name, iri in ids.PREFIXES.items() if name != "id"}
Json = dict[str, Any]
KEY_ORDER = {"@id": 0, "@type": 1, "@value": 2, "@language": 3}  # then the other keys by name


@dataclass(frozen=True)
class Exported:
    """What one export wrote."""

    format: Format
    graphs: tuple[str, ...]  # graph IRIs read
    count: int
    unit: str  # "quads", "triples", or for a frame its kind ("jurisdictions")


def graph_iri(name: str) -> str:
    """The IRI of a graph given as IRI, ``id:graph/KEY`` or ``KEY`` (``entities``, an article key)."""
    if ":" in name:
        return _expand(name)
    return ids.source_graph(name.removeprefix("graph/")).value


def _expand(name: str) -> str:
    """An IRI from a prefixed name of ``ids.PREFIXES``; anything else as it is."""
    prefix, _, local = name.partition(":")
    if prefix in ids.PREFIXES and not local.startswith("//"):
        return ids.PREFIXES[prefix] + local
    return name


def chosen_graphs(dataset: Path, graphs: Sequence[str] = ()) -> tuple[Graphs, list[str]]:
    """The dataset's graphs, and the IRIs of those named by ``graphs`` (all when none), in IRI order."""
    source = Graphs(dataset)
    if not graphs:
        return source, sorted(source)
    chosen = set()
    for name in graphs:
        iri = graph_iri(name)
        if iri not in source:
            known = ", ".join(sorted(g.rsplit("/", 1)[-1] for g in source))
            raise InputError(f"no graph {name!r} in the dataset: one of {known}", path=dataset)
        chosen.add(iri)
    return source, sorted(chosen)


def read_graphs(dataset: Path, graphs: Sequence[str] = ()) -> dict[str, list[ox.Quad]]:
    """The quads of the built dataset by graph IRI, in IRI order and each graph sorted: all, or only ``graphs``."""
    source, chosen = chosen_graphs(dataset, graphs)
    by_graph: dict[str, list[ox.Quad]] = {g: [] for g in chosen}
    for quad in ox.parse(source.data(chosen), format=ox.RdfFormat.N_QUADS):
        by_graph[quad.graph_name.value].append(quad)  # type: ignore[union-attr]
    return by_graph


def export(dataset: Path, output: BinaryIO, fmt: Format = Format.NQUADS, graphs: Sequence[str] = ()) -> Exported:
    """Write the built dataset, or some of its graphs, to ``output`` in ``fmt``.

    Works on the dataset's sorted N-Quads lines (graph by graph, in IRI order): N-Quads
    are those lines; the union for N-Triples and Turtle is their triples, each once, sorted.
    """
    if not fmt.is_rdf:
        raise UsageError(f"{fmt.value} is not an RDF format: use ttl, trig, nt, nq or jsonld")
    source, chosen = chosen_graphs(dataset, graphs)
    if fmt is Format.NQUADS:
        return Exported(fmt, tuple(chosen), source.copy(chosen, output), "quads")
    if fmt in (Format.TURTLE, Format.NTRIPLES):
        triples = _union(source.data(chosen))
        count = triples.count(b"\n")
        if fmt is Format.TURTLE:
            output.write(_stable_prefixes(_turtle(ox.parse(triples, format=ox.RdfFormat.N_TRIPLES), fmt)))
        else:
            output.write(triples)
        return Exported(fmt, tuple(chosen), count, "triples")
    if fmt is Format.TRIG:
        data = source.data(chosen)
        output.write(_stable_prefixes(_turtle(ox.parse(data, format=ox.RdfFormat.N_QUADS), fmt)))
        return Exported(fmt, tuple(chosen), data.count(b"\n"), "quads")
    parts = {g: list(ox.parse(source.data([g]), format=ox.RdfFormat.N_QUADS)) for g in chosen}
    output.write(dumps(compact(parts)))
    return Exported(fmt, tuple(chosen), sum(len(quads) for quads in parts.values()), "quads")


def _union(quads: bytes) -> bytes:
    """The triples of sorted N-Quads lines as N-Triples lines: each once, sorted.

    >>> _union(b'<s> <p> "a <b>" <g2> .\\n<s> <p> "a <b>" <g1> .\\n<a> <p> <o> <g1> .\\n')
    b'<a> <p> <o> .\\n<s> <p> "a <b>" .\\n'
    """
    lines = triples(quads)
    lines.sort()
    return b"".join(dict.fromkeys(lines))


def export_frame(dataset: Path, output: BinaryIO, frame: str = "jurisdiction", focus: str | None = None,
                 graphs: Sequence[str] = ()) -> Exported:
    """Write the framed JSON-LD view ``frame``: one nested object per entity of that kind, or only ``focus``.

    The view holds only statements of the graphs read (by default every graph
    but the inferred one), rearranged; integers are written as JSON numbers.
    """
    if frame not in FRAMES:
        raise UsageError(f"no frame {frame!r}: one of {', '.join(FRAMES)}")
    by_graph = read_graphs(dataset, graphs)
    if not graphs:
        by_graph.pop(ids.INFERRED_GRAPH.value, None)
    document = framed(by_graph, frame, focus)
    output.write(dumps(document))
    return Exported(Format.JSONLD, tuple(by_graph), len(document["@graph"]),
                    frame + ("" if len(document["@graph"]) == 1 else "s"))


def context() -> Json:
    """The project's JSON-LD context (the value of ``@context`` in ``ontology/context.jsonld``)."""
    return _read_json(CONTEXT_FILE)["@context"]  # type: ignore[no-any-return]


def expanded(by_graph: dict[str, list[ox.Quad]]) -> list[Json]:
    """Expanded JSON-LD of the quads: one object per named graph, nodes sorted by IRI.

    >>> q = ox.Quad(ox.NamedNode("http://ex/s"), ox.NamedNode("http://ex/p"), ox.Literal("o"), ox.NamedNode("http://ex/g"))
    >>> expanded({"http://ex/g": [q]})
    [{'@id': 'http://ex/g', '@graph': [{'@id': 'http://ex/s', 'http://ex/p': [{'@value': 'o'}]}]}]
    """
    documents = []
    for graph, quads in sorted(by_graph.items()):
        nodes: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
        for q in quads:
            node = nodes[_id(q.subject)]
            if q.predicate == ids.RDF.type and not isinstance(q.object, ox.Literal):
                node["@type"].append(_id(q.object))
            else:
                node[q.predicate.value].append(_value(q.object))
        documents.append({"@id": graph, "@graph": [{"@id": s, **props} for s, props in sorted(nodes.items())]})
    return documents


def compact(by_graph: dict[str, list[ox.Quad]]) -> Json:
    """The quads as JSON-LD compacted with the project's context, one ``@graph`` per named graph.

    The same document as pyld's compaction of :func:`expanded` (see :func:`compact_with_pyld`),
    written directly, since the project's context needs none of pyld's generality.
    """
    ctx = context()
    compactor = Compactor(ctx)
    return {"@context": ctx, "@graph": [{"@id": compactor.iri(graph), "@graph": compactor.nodes(quads)}
                                        for graph, quads in sorted(by_graph.items())]}


def compact_with_pyld(by_graph: dict[str, list[ox.Quad]]) -> Json:
    """The reference for :func:`compact`: pyld's JSON-LD compaction, slow on large data."""
    ctx = context()
    document = jsonld.compact(expanded(by_graph), {"@context": ctx}, _options(graph=True))
    return {"@context": ctx, "@graph": _tidy(document["@graph"], set())}


def framed(by_graph: dict[str, list[ox.Quad]], frame: str = "jurisdiction", focus: str | None = None) -> Json:
    """The framed view of the merged graphs: entities of kind ``frame`` with what is about them nested."""
    template = _read_json(FRAMES[frame])
    template["@context"] = [context() if c == CONTEXT_FILE else c for c in template["@context"]]
    if focus is not None:
        kinds = {_expand(t) for t in template.pop("@type")}
        template["@id"] = _focus(by_graph, kinds, frame, focus)
    wanted = _predicates(template)
    quads = {g: [q for q in qs if q.predicate.value in wanted] for g, qs in by_graph.items()}
    document = jsonld.frame(expanded(quads), template,
                            _options(explicit=True, omitDefault=True, omitGraph=False, embed="@once"))
    integers = {term for term, spec in context().items()
                if isinstance(spec, dict) and spec.get("@type") in ("xsd:nonNegativeInteger", "xsd:integer")}
    return {"@context": document["@context"], "@graph": _tidy(document["@graph"], integers)}


def dumps(document: Json) -> bytes:
    """JSON text of a document: indented, UTF-8, keys in a stable order, a final newline.

    orjson writes the bytes ``json.dumps(document, indent=2, ensure_ascii=False)`` would,
    twenty times faster; what it cannot write (integers past 64 bits, lone surrogates)
    goes through ``json``.

    >>> dumps({"@id": "sk:a", "n": [1, 10**30]}) == (json.dumps({"@id": "sk:a", "n": [1, 10**30]}, indent=2) + "\\n").encode()
    True
    """
    try:
        return orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"
    except TypeError:
        return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()


def _turtle(statements: Iterable[ox.Quad] | Iterable[ox.Triple], fmt: Format) -> bytes:
    data = ox.serialize(statements, format=fmt.rdf_format, prefixes=TURTLE_PREFIXES)
    assert data is not None  # no output given: the bytes come back
    return data


def _stable_prefixes(turtle: bytes) -> bytes:
    """Put the ``@prefix`` lines a serializer wrote in the order of ``ids.PREFIXES``."""
    lines = turtle.split(b"\n")
    head = 0
    while head < len(lines) and lines[head].startswith(b"@prefix "):
        head += 1
    order = {name.encode(): i for i, name in enumerate(ids.PREFIXES)}
    prefixes = sorted(lines[:head], key=lambda line: order.get(line.split(b":", 1)[0][8:], len(order)))
    return b"\n".join(prefixes + lines[head:])


def _id(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    raise SanctuaryError(f"cannot name {term} in JSON-LD")


def _value(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Json:
    if not isinstance(term, ox.Literal):
        return {"@id": _id(term)}
    if term.language:
        return {"@value": term.value, "@language": term.language}
    if term.datatype == ids.XSD.string:
        return {"@value": term.value}
    return {"@value": term.value, "@type": term.datatype.value}


def _options(**options: Any) -> Any:
    return {"documentLoader": _no_remote_documents, **options}


def _no_remote_documents(url: str, options: Any = None) -> Any:
    raise SanctuaryError(f"JSON-LD wants to fetch {url}: exports use only the project's own context")


@cache
def _read_text(name: str) -> str:
    return (resources() / "ontology" / name).read_text(encoding="utf-8")


def _read_json(name: str) -> Json:
    return json.loads(_read_text(name))  # type: ignore[no-any-return]


def _focus(by_graph: dict[str, list[ox.Quad]], kinds: set[str], kind: str, focus: str) -> str:
    """The IRI of the one entity to frame, which must have one of the frame's types."""
    iri = _expand(focus) if ":" in focus else ids.entity(kind, focus).value
    typed = {q.subject.value for qs in by_graph.values() for q in qs
             if q.predicate == ids.RDF.type and isinstance(q.subject, ox.NamedNode)
             and isinstance(q.object, ox.NamedNode) and q.object.value in kinds}
    if iri not in typed:
        base = ids.entity(kind, "").value
        known = ", ".join(sorted(s.removeprefix(base) for s in typed))
        raise InputError(f"no {kind} {focus!r} in the graph: one of {known}")
    return iri


def _predicates(frame: Json) -> set[str]:
    """The IRIs of the properties a frame asks for (rdf:type always)."""
    found = {ids.RDF.type.value}

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key == "@reverse":
                    found.update(value)
                elif not key.startswith("@"):
                    found.add(key)
                walk(value)

    walk(jsonld.expand(frame, _options(isFrame=True, keepFreeFloatingNodes=True)))
    return found


def _tidy(node: Any, integers: set[str]) -> Any:
    """Keys in reading order (``@id``, ``@type``, then by name); integer-typed terms as JSON numbers."""
    if isinstance(node, list):
        return [_tidy(item, integers) for item in node]
    if not isinstance(node, dict):
        return node
    keys = sorted(node, key=lambda k: (KEY_ORDER.get(k, len(KEY_ORDER)), k))
    return {k: _integer(node[k]) if k in integers else _tidy(node[k], integers) for k in keys}


def _integer(value: Any) -> Any:
    if isinstance(value, list):
        return [_integer(v) for v in value]
    if isinstance(value, str) and re.fullmatch(r"0|-?[1-9][0-9]*", value):  # canonical, so the literal is unchanged
        return int(value)
    return value
