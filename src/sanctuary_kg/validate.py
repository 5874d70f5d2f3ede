"""Validate a built dataset: SHACL per article, and every span against its text.

Each article is judged with its own graph plus the shared graphs (ontology, entities,
reference) as the data graph, so "evidence in that article" means what it says. The
default engine, :mod:`sanctuary_kg.shacl`, runs our shapes as SPARQL on Oxigraph for
every article at once; ``engine="pyshacl"`` runs pyshacl article by article, the
reference the fast engine is tested against. Independently of SHACL, every span's exact
text, prefix and suffix are compared with the article at its offsets, and every
article's hash with the one its graph records.

Given a cache file, an article's findings are kept under a key made of its graph, the
shared graphs, the shapes and the engine, and are reused while the article's text still
has the bytes it had when it was checked.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import json
import multiprocessing
import os
import pickle
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal, cast

import pyoxigraph as ox
import rdflib
from pyshacl import validate as shacl_validate

from . import shacl
from .dataset import Graphs
from .errors import InputError
from .files import FileHashes
from .ids import ENTITIES_GRAPH, NOT_ARTICLE_GRAPHS, ONTOLOGY_GRAPH, PREFIXES, REFERENCE_GRAPH, SH, SK

Progress = Callable[[str], None]
Engine = Literal["fast", "pyshacl"]
ENGINES: tuple[Engine, ...] = ("fast", "pyshacl")
SHARED = (ONTOLOGY_GRAPH.value, ENTITIES_GRAPH.value, REFERENCE_GRAPH.value)
PARALLEL_FROM = 200  # articles to check; fewer are checked in this process
_CODE = Path(__file__).parent
_CHECKERS = ("validate.py", "dataset.py", "ids.py", *sorted(p.name for p in _CODE.glob("shacl*.py")))


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
    reused: int = 0  # articles whose findings came from the cache


@dataclass(frozen=True)
class Checked:
    """What checking one article found, and the article text it was checked against."""

    findings: tuple[Finding, ...]
    spans: int
    article: str | None  # the article's file name, from its source's identifier
    sha256: str | None  # of that file when checked (None if it was missing)


def load_shapes(directory: Path) -> rdflib.Graph:
    shapes = rdflib.Graph()
    files = sorted(directory.glob("*.ttl"))
    if not files:
        raise InputError("no SHACL shapes (*.ttl) found", path=directory)
    for path in files:
        shapes.parse(path, format="turtle")
    return shapes


def validate(dataset: Path, shapes_dir: Path, seeds: Path, progress: Progress | None = None,
             engine: Engine = "fast", cache: Path | None = None, jobs: int | None = None) -> Report:
    """Validate every article graph of ``dataset`` with SHACL and against its text.

    ``jobs`` processes share the articles to check (default: one per core, once there
    are :data:`PARALLEL_FROM` of them).
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown SHACL engine {engine!r}")
    graphs = Graphs(dataset)
    shapes = load_shapes(shapes_dir)
    articles = sorted(set(graphs) - NOT_ARTICLE_GRAPHS)
    context = hashlib.sha256(engine.encode())
    for path in [*sorted(shapes_dir.glob("*.ttl")), *(_CODE / name for name in _CHECKERS)]:
        context.update(b"\0" + path.read_bytes())
    for g in SHARED:
        context.update(f"\0{g}\0{graphs.digests.get(g, '')}".encode())
    keys = {g: hashlib.sha256(f"{context.hexdigest()}\0{g}\0{graphs.digests[g]}".encode()).hexdigest() for g in articles}
    with _Cache(cache) as kept:
        hashes = FileHashes(kept.db) if kept.db is not None else None
        remembered = kept.get(keys.values())
        checked = {g: c for g in articles if (c := remembered.get(keys[g])) is not None and _unchanged(c, seeds, hashes)}
        if hashes is not None:
            hashes.save()
        todo = [g for g in articles if g not in checked]
        if progress and checked:
            progress(f"{len(checked)} articles unchanged since they were checked, {len(todo)} to check")
        if todo:
            shared_key = context.hexdigest()
            fresh, known = _check(graphs, todo, shapes, seeds, engine, progress, jobs, kept.known(shared_key))
            checked.update(fresh)
            kept.put({keys[g]: fresh[g] for g in todo})
            kept.keep_known(shared_key, known)
        kept.retain(set(keys.values()))
    findings = sorted((f for c in checked.values() for f in c.findings), key=_order)
    conforms = not any(f.severity == "Violation" for f in findings)
    return Report(conforms, tuple(findings), len(articles), sum(c.spans for c in checked.values()), len(articles) - len(todo))


def _order(f: Finding) -> tuple[str, ...]:
    return f.graph, f.focus, f.path or "", f.message, f.check, f.value or ""


def _unchanged(checked: Checked, seeds: Path, hashes: FileHashes | None) -> bool:
    """Whether the article still has the bytes it had when it was checked."""
    if checked.article is None:
        return True
    path = seeds / checked.article
    return (hashes.sha256(path) if hashes is not None else _sha256(path)) == checked.sha256


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _check(graphs: Graphs, articles: list[str], shapes: rdflib.Graph, seeds: Path, engine: Engine,
           progress: Progress | None, jobs: int | None = None,
           known: shacl.Known | None = None) -> tuple[dict[str, Checked], shacl.Known]:
    """SHACL and the text checks for ``articles``, each with the shared graphs: in ``jobs`` processes
    (one per core) that each take a share of the articles and the shared graphs. ``known`` is what
    the shared graphs alone give (see :func:`shacl.validate_store`); it comes back filled."""
    workers = min(jobs, len(articles)) if jobs else min(os.cpu_count() or 1, max(1, len(articles) // PARALLEL_FROM))
    if progress:
        progress(f"checking {len(articles)} articles with {engine}" + (f" in {workers} processes" if workers > 1 else ""))
    if workers == 1:
        return _check_part(graphs, articles, shapes, seeds, engine, progress, known)
    global _WORK
    _WORK = (graphs, shapes, seeds, engine, known)  # set before the fork: the children inherit it, nothing is pickled
    try:
        context = multiprocessing.get_context("fork")
        with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
            parts = list(pool.map(_check_share, [articles[i::workers] for i in range(workers)]))
    finally:
        _WORK = None
    return {g: c for part, _ in parts for g, c in part.items()}, parts[0][1]


_WORK: tuple[Graphs, rdflib.Graph, Path, Engine, shacl.Known | None] | None = None


def _check_share(articles: list[str]) -> tuple[dict[str, Checked], shacl.Known]:
    assert _WORK is not None
    graphs, shapes, seeds, engine, known = _WORK
    return _check_part(graphs, articles, shapes, seeds, engine, None, known)


def _check_part(graphs: Graphs, articles: list[str], shapes: rdflib.Graph, seeds: Path, engine: Engine,
                progress: Progress | None = None,
                known: shacl.Known | None = None) -> tuple[dict[str, Checked], shacl.Known]:
    store = ox.Store()
    shared = [g for g in SHARED if g in graphs]
    store.bulk_load(graphs.data([*shared, *articles]), format=ox.RdfFormat.N_QUADS)  # never the inferred graph
    known = {} if known is None else known
    if engine == "fast":
        results = shacl.validate_store(store, shapes, shared, known=known)
        by_graph: dict[str, list[Finding]] = defaultdict(list)
        for r in results:
            by_graph[r.graph].append(Finding(r.severity, r.focus, r.path, r.value, r.message, r.graph, r.check))
    else:
        by_graph = _pyshacl(store, shared, articles, shapes, progress)
    texts = text_findings(store, articles, seeds)
    return {g: Checked(tuple(by_graph.get(g, [])) + texts[g].findings, texts[g].spans, texts[g].article, texts[g].sha256)
            for g in articles}, known


def _pyshacl(store: ox.Store, shared: list[str], articles: list[str], shapes: rdflib.Graph,
             progress: Progress | None) -> dict[str, list[Finding]]:
    """pyshacl on each article graph plus the shared graphs: the reference, slow."""
    common = _to_rdflib(store.quads_for_pattern(None, None, None, ox.NamedNode(g)) for g in shared)
    found = {}
    for number, g in enumerate(articles, start=1):
        data = _to_rdflib([store.quads_for_pattern(None, None, None, ox.NamedNode(g))])
        data += common
        found[g] = shacl_findings(g, data, shapes)
        if progress and (number % 50 == 0 or number == len(articles)):
            progress(f"pyshacl: {number}/{len(articles)} articles")
    return found


def _to_rdflib(parts: Iterable[Iterable[ox.Quad]]) -> rdflib.Graph:
    triples = [ox.Triple(q.subject, q.predicate, q.object) for quads in parts for q in quads]
    graph = rdflib.Graph()
    graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"", format="nt")
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
            check=shape_name(shapes, report.value(result, sh.sourceShape)),
        ))
    return sorted(findings, key=_order)


def shape_name(shapes: rdflib.Graph, shape: rdflib.term.Node | None) -> str:
    """The IRI of the node shape a result came from (property shapes are blank nodes)."""
    if isinstance(shape, rdflib.BNode):
        owner = shapes.value(None, rdflib.URIRef(SH.property.value), shape)
        shape = owner if owner is not None else shape
    return "" if shape is None else str(shape)


# ------------------------------------------------------------------ the text checks

_PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
_SOURCES = _PROLOGUE + """SELECT ?g ?id ?sha WHERE {
  GRAPH ?g { ?source dcterms:identifier ?id OPTIONAL { ?source sk:sha256 ?sha } }
  FILTER (STR(?source) = REPLACE(STR(?g), "/id/graph/", "/id/source/"))
}"""
_SPANS = _PROLOGUE + """SELECT ?g ?span ?p ?v WHERE {
  GRAPH ?g { ?span oa:exact ?exact ; ?p ?v FILTER (?p IN (oa:exact, oa:start, oa:end, oa:prefix, oa:suffix)) }
}"""


def text_findings(store: ox.Store, articles: Iterable[str], seeds: Path) -> dict[str, Checked]:
    """Check every article's hash and every span's exact text, prefix and suffix against its file."""
    wanted = set(articles)
    sources: dict[str, tuple[str, set[str]]] = {}
    for g, key, sha in _rows(store, _SOURCES):
        if g.value in wanted:
            sources.setdefault(g.value, (key.value, set()))[1].update([sha.value] if sha is not None else [])
    spans: dict[str, dict[str, dict[str, list[str]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for g, span, p, v in _rows(store, _SPANS):
        if g.value in wanted and isinstance(span, ox.NamedNode) and isinstance(v, ox.Literal):
            spans[g.value][span.value][p.value.rsplit("#", 1)[-1]].append(v.value)
    out = {}
    for g in wanted:
        if g not in sources:  # no source identifier: SHACL says so
            out[g] = Checked((), 0, None, None)
            continue
        key, recorded = sources[g]
        out[g] = _check_text(store, g, f"{key}.txt", recorded, spans[g], seeds)
    return out


def _rows(store: ox.Store, query: str) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in cast(ox.QuerySolutions, store.query(query))]


def _check_text(store: ox.Store, g: str, name: str, recorded: set[str], spans: dict[str, dict[str, list[str]]],
                seeds: Path) -> Checked:
    path = seeds / name
    source = g.replace("/id/graph/", "/id/source/")
    try:
        data = path.read_bytes()
    except OSError:
        missing = Finding("Violation", g, None, str(path), f"the article {name} is missing: its spans cannot be checked",
                          g, "source-hash")
        return Checked((missing,), 0, name, None)
    actual = hashlib.sha256(data).hexdigest()
    findings = []
    if actual not in recorded:
        said = ", ".join(f"{h[:12]}…" for h in sorted(recorded)) or "nothing"
        findings.append(Finding("Violation", source, SK.sha256.value, actual,
                                f"{name} has changed since the graph was built (sha256 {actual[:12]}…, graph says {said})",
                                g, "source-hash"))
    text = data.decode("utf-8", errors="replace")
    for span, values in sorted(spans.items()):
        one = {k: v[0] for k, v in values.items() if len(v) == 1}
        try:
            start, end, _ = int(one["start"]), int(one["end"]), one["exact"]
        except (KeyError, ValueError):
            continue  # not one exact text and one integer offset each: SHACL says what is wrong
        problem = _misread(text, start, end, one)
        if problem:
            users = ", ".join(_evidence_of(store, g, span)) or "nothing"
            findings.append(Finding("Violation", span, problem[0], problem[1], f"{problem[2]} (evidence of {users})",
                                    g, "span-text"))
    return Checked(tuple(findings), len(spans), name, actual)


def _misread(text: str, start: int, end: int, span: dict[str, str]) -> tuple[str, str, str] | None:
    """(property, what the article has, message) if the span's words are not the article's at its offsets."""
    oa = PREFIXES["oa"]
    exact = span["exact"]
    if not 0 <= start <= end <= len(text) or text[start:end] != exact:
        return oa + "exact", text[start:end], f"the article reads {text[start:end]!r} at {start}-{end}, not {exact!r}"
    prefix, suffix = span.get("prefix"), span.get("suffix")
    before, after = text[max(0, start - len(prefix or "")):start], text[end:end + len(suffix or "")]
    if prefix is not None and before != prefix:
        return oa + "prefix", before, f"the article reads {before!r} before {start}, not the recorded prefix {prefix!r}"
    if suffix is not None and after != suffix:
        return oa + "suffix", after, f"the article reads {after!r} after {end}, not the recorded suffix {suffix!r}"
    return None


def _evidence_of(store: ox.Store, g: str, span: str) -> list[str]:
    query = f"SELECT DISTINCT ?c WHERE {{ GRAPH <{g}> {{ ?c <{SK.evidence.value}> <{span}> }} }} ORDER BY ?c"
    return [row[0].value for row in _rows(store, query)]


# ------------------------------------------------------------------ the cache


class _Cache:
    """Checked articles by key in a SQLite file (nothing is kept without a file)."""

    def __init__(self, path: Path | None):
        self.db: sqlite3.Connection | None = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self.db = self._open(path)
            except sqlite3.DatabaseError:  # a damaged cache only means checking again
                path.unlink(missing_ok=True)
                self.db = self._open(path)

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE IF NOT EXISTS checked (key TEXT PRIMARY KEY, entry TEXT NOT NULL)")
        db.execute("CREATE TABLE IF NOT EXISTS shared (key TEXT PRIMARY KEY, known BLOB NOT NULL)")
        return db

    def known(self, key: str) -> shacl.Known | None:
        """What the shared graphs alone gave the engine, under ``key`` (shared graphs, shapes, code)."""
        if self.db is None:
            return None
        row = self.db.execute("SELECT known FROM shared WHERE key = ?", (key,)).fetchone()
        try:
            return None if row is None else pickle.loads(row[0])  # type: ignore[no-any-return]
        except Exception:  # noqa: BLE001 - unreadable: the engine works it out again
            return None

    def keep_known(self, key: str, known: shacl.Known) -> None:
        """Keep ``known`` as the only entry: shared graphs change rarely, and the last ones are what counts."""
        if self.db is not None and known:
            with self.db:
                self.db.execute("DELETE FROM shared WHERE key != ?", (key,))
                self.db.execute("INSERT OR REPLACE INTO shared VALUES (?, ?)", (key, pickle.dumps(known)))

    def __enter__(self) -> _Cache:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.db is not None:
            self.db.close()

    def get(self, keys: Iterable[str]) -> dict[str, Checked]:
        """The checked articles among ``keys``."""
        if self.db is None:
            return {}
        wanted = set(keys)
        found = {}
        for key, entry in self.db.execute("SELECT key, entry FROM checked"):
            if key in wanted:
                raw = json.loads(entry)
                found[key] = Checked(tuple(Finding(**f) for f in raw["findings"]), raw["spans"], raw["article"],
                                     raw["sha256"])
        return found

    def put(self, entries: dict[str, Checked]) -> None:
        if self.db is not None:
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO checked VALUES (?, ?)",
                                    ((k, json.dumps(asdict(c), ensure_ascii=False)) for k, c in entries.items()))

    def retain(self, keys: set[str]) -> None:
        """Forget every entry but ``keys``."""
        if self.db is not None:
            with self.db:
                self.db.execute("CREATE TEMP TABLE wanted (key TEXT PRIMARY KEY)")
                self.db.executemany("INSERT INTO wanted VALUES (?)", ((k,) for k in keys))
                self.db.execute("DELETE FROM checked WHERE key NOT IN (SELECT key FROM wanted)")
                self.db.execute("DROP TABLE wanted")
