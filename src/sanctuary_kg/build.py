"""Build the dataset: read the seeds, anchor every sheet, write quads and the store.

Each article is built on its own into its own named graph, in parallel, and
cached in ``BUILD/cache.sqlite`` by a key made of its sheet, its text, the shared
inputs (ontology, entity list, reference codes) and the code that builds it.
A rebuild reuses every unchanged article; the store is updated graph by graph
when only articles changed. The dataset file lists the graphs in IRI order, each
graph's lines sorted, so output is byte-identical for the same inputs.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import json
import multiprocessing
import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from . import graph
from . import reason as reason_lib
from .errors import InputError
from .facts import AnchoredSheet, anchor_sheet, read_article
from .files import Layout, replacing
from .formats import Format
from .ids import ENTITIES_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, PREFIXES, REFERENCE_GRAPH, source_graph
from .ontology import Ontology
from .ontology import load as load_ontology
from .reference import CODES_FILE, Code, read_codes, reference_quads
from .sheets import Entities, load_entities, load_sheet

ENTITY_FILE = "entities.yaml"
Progress = Callable[[str], None]
_CODE = Path(__file__).parent
_BUILDERS = ("anchor.py", "facts.py", "graph.py", "sheets.py", "ontology.py", "reason.py", "ids.py", "build.py")
PARALLEL_FROM = 64  # articles; fewer are built in this process


@dataclass(frozen=True)
class Seeds:
    """The checked inputs of a build, every sheet anchored (for tools and tests)."""

    ontology: Ontology
    entities: Entities
    sheets: tuple[AnchoredSheet, ...]
    unsheeted: tuple[Path, ...]  # articles that have no fact sheet yet
    codes: tuple[Code, ...]  # reference codes of jurisdictions


@dataclass(frozen=True)
class BuildResult:
    dataset: Path
    store: Path
    sources: int
    quads: int
    graphs: dict[str, int]  # graph IRI -> quads
    unsheeted: tuple[Path, ...]
    reused: int = 0  # articles taken from the cache


@dataclass(frozen=True)
class Shared:
    """What every article's build needs: ontology, entities, codes, and their key."""

    ontology: Ontology
    entities: Entities
    codes: tuple[Code, ...]
    key: str
    lines: tuple[bytes, ...]  # the shared graphs as sorted N-Quads lines

    @property
    def quads(self) -> list[ox.Quad]:
        return list(ox.parse(b"".join(self.lines), format=ox.RdfFormat.N_QUADS))


@dataclass(frozen=True)
class Chunk:
    """One article's graph, built or taken from the cache."""

    key: str
    graph: str
    lines: tuple[bytes, ...]
    inferred: tuple[bytes, ...] | None
    reused: bool


def read_shared(layout: Layout) -> Shared:
    """Read the ontology, the entity list and the reference codes."""
    ontology = load_ontology(layout.ontology)
    entity_file = layout.seeds / ENTITY_FILE
    if not entity_file.exists():
        raise InputError(f"no {ENTITY_FILE} here: is this a seeds folder?", path=layout.seeds)
    entities = load_entities(entity_file, ontology)
    codes_file = layout.seeds / CODES_FILE
    codes = read_codes(codes_file) if codes_file.exists() else ()
    quads = {*ontology.quads, *graph.entity_quads(entities, ontology), *reference_quads(codes, entities)}
    digest = hashlib.sha256()
    for path in [*sorted(layout.ontology.glob("*.ttl")), entity_file, codes_file, *(_CODE / m for m in _BUILDERS)]:
        digest.update(path.name.encode() + b"\0" + (path.read_bytes() if path.exists() else b"") + b"\0")
    return Shared(ontology, entities, codes, digest.hexdigest(), tuple(_sorted_lines(quads)))


def sheet_paths(layout: Layout) -> list[Path]:
    """The fact sheets of the seeds folder, in key order."""
    return [p for p in sorted(layout.seeds.glob("*.yaml")) if p.name != ENTITY_FILE]


def read_seeds(layout: Layout, progress: Progress | None = None) -> Seeds:
    """Read and anchor every fact sheet in this process (for tools and tests)."""
    shared = read_shared(layout)
    sheets = []
    for path in sheet_paths(layout):
        sheets.append(_anchor(path, shared))
        if progress:
            progress(f"anchored {path.name}: {len(sheets[-1].claims)} claims")
    return Seeds(shared.ontology, shared.entities, tuple(sheets), _unsheeted(layout), shared.codes)


def build(layout: Layout, fmt: Format = Format.NQUADS, reason: bool = False,
          progress: Progress | None = None, jobs: int | None = None) -> BuildResult:
    """Build the dataset file and the embedded store under ``layout.build``.

    With ``reason``, the entailments of the ontology go to the inferred graph.
    ``jobs`` worker processes build the articles (default: one per core).
    """
    if fmt not in (Format.NQUADS, Format.TRIG):
        raise InputError(f"build writes a dataset: N-Quads or TriG, not {fmt.value}")
    shared = read_shared(layout)
    chunks = list(_chunks(layout, shared, reason, jobs, progress))
    blocks: list[tuple[str, tuple[bytes, ...]]] = []
    by_graph: dict[str, list[bytes]] = {g: [] for g in (ONTOLOGY_GRAPH.value, ENTITIES_GRAPH.value, REFERENCE_GRAPH.value)}
    for line in shared.lines:
        by_graph[_graph_of(line)].append(line)
    blocks += [(g, tuple(lines)) for g, lines in sorted(by_graph.items()) if lines]
    blocks += [(c.graph, c.lines) for c in chunks]
    if reason:
        inferred = _inferred(shared, chunks)
        blocks.append((INFERRED_GRAPH.value, inferred))
        if progress:
            progress(f"inferred {len(inferred)} triples")
    blocks.sort()  # graph by graph, in IRI order
    _write_blocks(layout.dataset, blocks)
    if fmt is Format.TRIG:
        quads = list(ox.parse(path=layout.dataset, format=ox.RdfFormat.N_QUADS))
        with replacing(layout.dataset.with_suffix(".trig")) as temporary:
            ox.serialize(quads, temporary, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
    manifest = {"shared": shared.key, "graphs": {g: _digest(lines) for g, lines in blocks}}
    _update_store(layout, blocks, manifest, progress)
    target = layout.dataset if fmt is Format.NQUADS else layout.dataset.with_suffix(".trig")
    return BuildResult(target, layout.store, len(chunks), sum(len(lines) for _, lines in blocks),
                       {g: len(lines) for g, lines in sorted(blocks)}, _unsheeted(layout),
                       sum(1 for c in chunks if c.reused))


# ------------------------------------------------------------------ articles

_SHARED: Shared | None = None  # set before worker processes fork, so they inherit it
_CONTEXT: tuple[reason_lib.Rules, frozenset] | None = None


def _anchor(path: Path, shared: Shared) -> AnchoredSheet:
    sheet = load_sheet(path, shared.entities, shared.ontology)
    if sheet.article != f"{path.stem}.txt":
        raise InputError(f"the sheet's article is {sheet.article}: name the sheet after its article, "
                         f"{Path(sheet.article).stem}.yaml", path=path, line=1)
    article_path = path.with_name(sheet.article)
    if not article_path.exists():
        raise InputError(f"article {sheet.article} not found beside the sheet", path=path, line=1)
    return anchor_sheet(sheet, read_article(article_path), shared.entities)


def _article_key(path: Path, shared_key: str) -> str:
    article = path.with_suffix(".txt")
    digest = hashlib.sha256(shared_key.encode())
    for part in (path, article):
        digest.update(b"\0" + (part.read_bytes() if part.exists() else b"missing"))
    return digest.hexdigest()


def _build_article(job: tuple[Path, str, bool]) -> Chunk:
    path, key, reason = job
    assert _SHARED is not None
    anchored = _anchor(path, _SHARED)
    quads = set(graph.article_quads(anchored, _SHARED.entities, _SHARED.ontology))
    inferred = _infer(quads) if reason else None
    return Chunk(key, source_graph(anchored.key).value, tuple(_sorted_lines(quads)), inferred, False)


def _infer(quads: set[ox.Quad]) -> tuple[bytes, ...]:
    global _CONTEXT
    assert _SHARED is not None
    if _CONTEXT is None:
        shared = [(q.subject, q.predicate, q.object) for q in _SHARED.quads]
        rules = reason_lib.rules_from(q for q in _SHARED.quads if q.graph_name == ONTOLOGY_GRAPH)
        _CONTEXT = (rules, frozenset(shared) | reason_lib.entail(shared, rules))
    rules, context = _CONTEXT
    triples = [(q.subject, q.predicate, q.object) for q in quads]
    found = {t for t in reason_lib.entail(triples, rules, context) if rules.in_scope(t)} - set(triples)
    return tuple(_sorted_lines(ox.Quad(*t, INFERRED_GRAPH) for t in found))


def _chunks(layout: Layout, shared: Shared, reason: bool, jobs: int | None,
            progress: Progress | None) -> Iterator[Chunk]:
    global _SHARED, _CONTEXT
    paths = sheet_paths(layout)
    keys = {path: _article_key(path, shared.key) for path in paths}
    with _Cache(layout.build / "cache.sqlite") as cache:
        found = {path: chunk for path in paths if (chunk := cache.get(keys[path], reason)) is not None}
        todo = [(path, keys[path], reason) for path in paths if path not in found]
        if progress and found:
            progress(f"{len(found)} articles unchanged, {len(todo)} to build")
        _SHARED, _CONTEXT = shared, None
        try:
            workers = min(jobs or os.cpu_count() or 1, max(1, len(todo) // PARALLEL_FROM))
            if workers > 1:
                context = multiprocessing.get_context("fork")
                with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
                    built = list(_progress(pool.map(_build_article, todo, chunksize=32), len(todo), progress))
            else:
                built = list(_progress(map(_build_article, todo), len(todo), progress))
        finally:
            _SHARED, _CONTEXT = None, None
        for (path, _, _), chunk in zip(todo, built, strict=True):
            found[path] = chunk
        cache.keep([found[p] for p in paths])
    yield from (found[p] for p in paths)


def _progress(chunks: Iterator[Chunk], total: int, progress: Progress | None) -> Iterator[Chunk]:
    step = max(1, total // 20)
    for number, chunk in enumerate(chunks, start=1):
        if progress and (number % step == 0 or number == total):
            progress(f"built {number}/{total} articles")
        yield chunk


class _Cache:
    """Built articles by key, in one SQLite file; it keeps only the last build's articles."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(path)
            self.db.execute("CREATE TABLE IF NOT EXISTS article "
                            "(key TEXT PRIMARY KEY, graph TEXT NOT NULL, quads BLOB NOT NULL, inferred BLOB)")
        except sqlite3.DatabaseError:  # a damaged cache is only a slower build
            path.unlink(missing_ok=True)
            self.db = sqlite3.connect(path)
            self.db.execute("CREATE TABLE article (key TEXT PRIMARY KEY, graph TEXT NOT NULL, quads BLOB NOT NULL, inferred BLOB)")

    def __enter__(self) -> _Cache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.close()

    def get(self, key: str, reason: bool) -> Chunk | None:
        row = self.db.execute("SELECT graph, quads, inferred FROM article WHERE key = ?", (key,)).fetchone()
        if row is None or (reason and row[2] is None):
            return None
        inferred = tuple(row[2].splitlines(keepends=True)) if reason else None
        return Chunk(key, row[0], tuple(row[1].splitlines(keepends=True)), inferred, True)

    def keep(self, chunks: list[Chunk]) -> None:
        """Store the new chunks and forget every article not among ``chunks``."""
        with self.db:
            self.db.execute("CREATE TEMP TABLE wanted (key TEXT PRIMARY KEY)")
            self.db.executemany("INSERT OR IGNORE INTO wanted VALUES (?)", ((c.key,) for c in chunks))
            self.db.execute("DELETE FROM article WHERE key NOT IN (SELECT key FROM wanted)")
            self.db.executemany(
                "INSERT OR REPLACE INTO article VALUES (?, ?, ?, ?)",
                ((c.key, c.graph, b"".join(c.lines), None if c.inferred is None else b"".join(c.inferred))
                 for c in chunks if not c.reused))
            self.db.execute("DROP TABLE wanted")


def _inferred(shared: Shared, chunks: list[Chunk]) -> tuple[bytes, ...]:
    """The inferred graph: the shared graphs' entailments and every article's, once each."""
    quads = shared.quads
    triples = [(q.subject, q.predicate, q.object) for q in quads]
    rules = reason_lib.rules_from(q for q in quads if q.graph_name == ONTOLOGY_GRAPH)
    base = {ox.Quad(*t, INFERRED_GRAPH) for t in reason_lib.entail(triples, rules) if rules.in_scope(t)}
    lines = set(_sorted_lines(base))
    for chunk in chunks:
        lines.update(chunk.inferred or ())
    asserted = {line.rsplit(b" <", 1)[0] for chunk in chunks for line in chunk.lines}
    asserted.update(line.rsplit(b" <", 1)[0] for line in shared.lines)
    return tuple(sorted(line for line in lines if line.rsplit(b" <", 1)[0] not in asserted))


# ------------------------------------------------------------------ output


def _sorted_lines(quads: object) -> list[bytes]:
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""  # type: ignore[arg-type]
    return sorted(data.splitlines(keepends=True))


def _graph_of(line: bytes) -> str:
    return line.rstrip().rsplit(b" ", 2)[-2].strip(b"<>").decode()


def _digest(lines: tuple[bytes, ...]) -> str:
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line)
    return digest.hexdigest()


def _write_blocks(path: Path, blocks: list[tuple[str, tuple[bytes, ...]]]) -> None:
    with replacing(path) as temporary, temporary.open("wb") as out:
        for _, lines in blocks:
            out.writelines(lines)


def _update_store(layout: Layout, blocks: list[tuple[str, tuple[bytes, ...]]], manifest: dict,
                  progress: Progress | None) -> None:
    """Bring the embedded store in line with the dataset, graph by graph where it can."""
    manifest_path = layout.build / "store.json"
    try:
        previous = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        previous = None
    if previous is None or previous.get("shared") != manifest["shared"] or not (layout.store / "CURRENT").exists():
        manifest_path.unlink(missing_ok=True)
        with replacing(layout.store) as folder:
            store = ox.Store(str(folder))
            store.bulk_load(path=layout.dataset, format=ox.RdfFormat.N_QUADS)
            store.flush()
            del store
        if progress:
            progress(f"loaded {sum(len(lines) for _, lines in blocks)} quads into {layout.store}")
    else:
        old, new = previous["graphs"], manifest["graphs"]
        changed = [g for g in sorted(set(old) | set(new)) if old.get(g) != new.get(g)]
        if changed:
            manifest_path.unlink()  # an interrupted update leaves no manifest: the next build reloads all
            store = ox.Store(str(layout.store))
            lines_of = dict(blocks)
            for g in changed:
                store.remove_graph(ox.NamedNode(g))
                if g in lines_of:
                    store.load(b"".join(lines_of[g]), format=ox.RdfFormat.N_QUADS)
            store.flush()
            del store
        if progress:
            progress(f"updated {len(changed)} graphs of {layout.store}")
    with replacing(manifest_path) as temporary:
        temporary.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")


def _unsheeted(layout: Layout) -> tuple[Path, ...]:
    covered = {p.stem for p in sheet_paths(layout)}
    return tuple(p for p in sorted(layout.seeds.glob("*.txt")) if p.stem not in covered)


def clean_cache(layout: Layout) -> None:
    """Forget every cached article."""
    (layout.build / "cache.sqlite").unlink(missing_ok=True)
