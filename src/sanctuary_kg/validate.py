"""Validate a built dataset: SHACL per article, and every span against its text.

SHACL (pyshacl) runs once per article with that article's graph, the entities
graph and the ontology as data, so "evidence in that article" means what it
says. Independently of SHACL, every span's exact text is compared with the
article at its offsets, and every article's hash with the one recorded.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import rdflib
from pyshacl import validate as shacl_validate

from .errors import InputError
from .ids import DCTERMS, ENTITIES_GRAPH, NOT_ARTICLE_GRAPHS, OA, ONTOLOGY_GRAPH, REFERENCE_GRAPH, SH, SK

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Finding:
    """One reason the graph is not valid."""

    severity: str  # Violation, Warning or Info
    focus: str  # the node at fault (a claim, a span, a source...)
    path: str | None  # the property at fault, if any
    value: str | None
    message: str
    graph: str  # the article graph it was found in
    check: str  # the shape, or "span-text" / "source-hash" for the text checks


@dataclass(frozen=True)
class Report:
    conforms: bool
    findings: tuple[Finding, ...]
    articles: int
    spans: int


def load_shapes(directory: Path) -> rdflib.Graph:
    shapes = rdflib.Graph()
    files = sorted(directory.glob("*.ttl"))
    if not files:
        raise InputError("no SHACL shapes (*.ttl) found", path=directory)
    for path in files:
        shapes.parse(path, format="turtle")
    return shapes


def graphs_of(dataset: Path) -> dict[str, list[ox.Quad]]:
    """The quads of a dataset file, by graph IRI."""
    if not dataset.exists():
        raise InputError("no built dataset: run `sanctuary-kg build` first", path=dataset)
    by_graph: dict[str, list[ox.Quad]] = defaultdict(list)
    for quad in ox.parse(path=dataset, format=ox.RdfFormat.N_QUADS):
        by_graph[quad.graph_name.value].append(quad)  # type: ignore[union-attr]
    return by_graph


def _to_rdflib(quads: Iterable[ox.Quad]) -> rdflib.Graph:
    data = ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads], format=ox.RdfFormat.N_TRIPLES)
    graph = rdflib.Graph()
    graph.parse(data=data, format="nt")
    return graph


def shacl_findings(graph_iri: str, data: rdflib.Graph, shapes: rdflib.Graph) -> list[Finding]:
    """Run pyshacl on one data graph and return its results as findings."""
    _, report, _ = shacl_validate(data, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=True)
    sh = rdflib.Namespace(SH.base)
    findings = []
    for result in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        def one(p: rdflib.URIRef, result: rdflib.term.Node = result) -> str | None:
            value = report.value(result, p)
            return None if value is None else str(value)

        findings.append(Finding(
            severity=(one(sh.resultSeverity) or "").rsplit("#", 1)[-1],
            focus=one(sh.focusNode) or "",
            path=one(sh.resultPath),
            value=one(sh.value),
            message=one(sh.resultMessage) or "",
            graph=graph_iri,
            check=_shape_name(shapes, report.value(result, sh.sourceShape)),
        ))
    return sorted(findings, key=lambda f: (f.focus, f.path or "", f.message))


def _shape_name(shapes: rdflib.Graph, shape: rdflib.term.Node | None) -> str:
    """The IRI of the node shape a result came from (property shapes are blank nodes)."""
    if isinstance(shape, rdflib.BNode):
        owner = shapes.value(None, rdflib.URIRef(SH.property.value), shape)
        shape = owner if owner is not None else shape
    return "" if shape is None else str(shape)


def _text(term: object) -> str:
    """The IRI or lexical form of a term."""
    return str(getattr(term, "value", ""))


def text_findings(graph_iri: str, quads: list[ox.Quad], seeds: Path) -> tuple[list[Finding], int]:
    """Check the source hash and every span's text of one article graph."""
    props: dict[ox.NamedNode, dict[str, ox.Literal]] = defaultdict(dict)
    evidence_of: dict[str, list[str]] = defaultdict(list)
    source_key = source_hash = None
    source_iri = graph_iri.replace("/graph/", "/source/")
    for q in quads:
        subject, obj = _text(q.subject), _text(q.object)
        if q.predicate in (OA.exact, OA.start, OA.end):
            props[q.subject][q.predicate.value] = q.object  # type: ignore[index,assignment]
        elif q.predicate == SK.evidence:
            evidence_of[obj].append(subject)
        elif q.predicate == DCTERMS.identifier and subject.startswith(source_iri):
            source_key = obj
        elif q.predicate == SK.sha256 and "#" not in subject:
            source_hash = obj
    if source_key is None:
        return [], 0
    path = seeds / f"{source_key}.txt"
    findings = []
    try:
        data = path.read_bytes()
    except OSError:
        return [Finding("Violation", graph_iri, None, str(path), f"the article {path.name} is missing: its spans cannot be checked",
                        graph_iri, "source-hash")], 0
    actual = hashlib.sha256(data).hexdigest()
    if actual != source_hash:
        findings.append(Finding("Violation", graph_iri.replace("/graph/", "/source/"), SK.sha256.value, actual,
                                f"{path.name} has changed since the graph was built "
                                f"(sha256 {actual[:12]}…, graph says {(source_hash or '')[:12]}…)",
                                graph_iri, "source-hash"))
    text = data.decode("utf-8", errors="replace")
    spans = {span: p for span, p in props.items() if OA.exact.value in p}  # segments have no exact text
    for span, p in sorted(spans.items(), key=lambda item: item[0].value):
        start, end = int(p[OA.start.value].value), int(p[OA.end.value].value)
        exact = p[OA.exact.value].value
        if text[start:end] != exact:
            users = ", ".join(sorted(evidence_of[span.value])) or "nothing"
            findings.append(Finding("Violation", span.value, OA.exact.value, text[start:end],
                                    f"the article reads {text[start:end]!r} at {start}-{end}, not {exact!r} (evidence of {users})",
                                    graph_iri, "span-text"))
    return findings, len(spans)


def validate(dataset: Path, shapes_dir: Path, seeds: Path, progress: Progress | None = None) -> Report:
    """Validate every article graph of ``dataset`` with SHACL and against its text."""
    by_graph = graphs_of(dataset)
    shapes = load_shapes(shapes_dir)
    shared = [q for g in (ONTOLOGY_GRAPH, ENTITIES_GRAPH, REFERENCE_GRAPH) for q in by_graph.get(g.value, [])]
    shared_graph = _to_rdflib(shared)
    findings: list[Finding] = []
    articles = spans = 0
    for graph_iri in sorted(set(by_graph) - NOT_ARTICLE_GRAPHS):
        quads = by_graph[graph_iri]
        data = _to_rdflib(quads)
        data += shared_graph
        findings += shacl_findings(graph_iri, data, shapes)
        found, checked = text_findings(graph_iri, quads, seeds)
        findings += found
        articles += 1
        spans += checked
        if progress:
            progress(f"validated {graph_iri.rsplit('/', 1)[-1]}: {checked} spans")
    conforms = not any(f.severity == "Violation" for f in findings)
    return Report(conforms, tuple(findings), articles, spans)
