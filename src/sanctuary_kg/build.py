"""Build the dataset: read the seeds, anchor every sheet, write quads and the store.

Each article is built on its own into its own named graph, in parallel, and
cached in ``BUILD/cache.sqlite`` by a key made of its sheet, its text, the shared
inputs (ontology, entity list, reference codes) and the code that builds it; the
shared inputs, once read, are kept in ``BUILD/shared.pickle`` under the same key.
A rebuild reuses every unchanged article and copies its lines from the old dataset
file (:mod:`sanctuary_kg.dataset`); the store is updated graph by graph when only
articles changed. The dataset file lists the graphs in IRI order, each graph's
lines sorted, so output is byte-identical for the same inputs.

Every ``within`` of the entity list needs a source, or the build stops: a ``within``
row of the reference codes (a data package places it there) or a fact sheet's
``within`` section (an article states it). The cache keeps the containments each
article states, so a rebuild checks this without reading the unchanged sheets.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import json
import multiprocessing
import os
import pickle
import shutil
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pyoxigraph as ox

from . import dataset as dataset_lib
from . import graph
from . import reason as reason_lib
from .errors import InputError
from .facts import AnchoredSheet, anchor_sheet, read_article
from .files import FileHashes, Layout, replacing
from .formats import Format
from .ids import ENTITIES_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, PREFIXES, REFERENCE_GRAPH, source_graph
from .ontology import Ontology
from .ontology import load as load_ontology
from .reference import CODES_FILE, Code, read_codes, reference_quads
from .sheets import Entities, check_within_sourced, load_entities, load_sheet

ENTITY_FILE = "entities.yaml"
Progress = Callable[[str], None]
_CODE = Path(__file__).parent
_BUILDERS = ("anchor.py", "facts.py", "graph.py", "sheets.py", "ontology.py", "reference.py", "reason.py", "ids.py", "build.py")
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
    """One article's graph, built or taken from the cache (whose lines are then read only when needed)."""

    key: str
    graph: str
    quads: int
    data: bytes | None  # sorted N-Quads lines; None while they are still in the cache
    inferred: bytes | None  # what the article entails (sorted lines), None if not inferred
    reused: bool
    within: tuple[tuple[str, str], ...] = ()  # the (place, parent) containments of entities.yaml the article states


def read_shared(layout: Layout) -> Shared:
    """Read the ontology, the entity list and the reference codes (from ``BUILD/shared.pickle`` if unchanged)."""
    entity_file = layout.seeds / ENTITY_FILE
    if not entity_file.exists():
        raise InputError(f"no {ENTITY_FILE} here: is this a seeds folder?", path=layout.seeds)
    codes_file = layout.seeds / CODES_FILE
    digest = hashlib.sha256()
    for path in [*sorted(layout.ontology.glob("*.ttl")), entity_file, codes_file, *(_CODE / m for m in _BUILDERS)]:
        digest.update(path.name.encode() + b"\0" + (path.read_bytes() if path.exists() else b"") + b"\0")
    key = digest.hexdigest()
    kept = layout.build / "shared.pickle"
    try:
        with kept.open("rb") as f:
            shared = pickle.load(f)
        if isinstance(shared, Shared) and shared.key == key and shared.entities.path == entity_file:
            return shared
    except Exception:  # noqa: BLE001 - a missing or unreadable copy only means reading the files again
        pass
    ontology = load_ontology(layout.ontology)
    entities = load_entities(entity_file, ontology)
    codes = read_codes(codes_file) if codes_file.exists() else ()
    quads = {*ontology.quads, *graph.entity_quads(entities, ontology), *reference_quads(codes, entities)}
    shared = Shared(ontology, entities, codes, key, tuple(_sorted_lines(quads)))
    with replacing(kept) as temporary, temporary.open("wb") as f:
        pickle.dump(shared, f, protocol=pickle.HIGHEST_PROTOCOL)
    return shared


def sheet_paths(layout: Layout) -> list[Path]:
    """The fact sheets of the seeds folder, in key order."""
    return sorted((p for p in layout.seeds.glob("*.yaml") if p.name != ENTITY_FILE), key=lambda p: p.name)


def read_seeds(layout: Layout, progress: Progress | None = None) -> Seeds:
    """Read and anchor every fact sheet in this process (for tools and tests)."""
    shared = read_shared(layout)
    sheets = []
    for path in sheet_paths(layout):
        sheets.append(_anchor(path, shared))
        if progress:
            progress(f"anchored {path.name}: {len(sheets[-1].claims)} claims")
    _check_within(shared, [(w.place, w.parent) for a in sheets for w in a.within])
    return Seeds(shared.ontology, shared.entities, tuple(sheets), _unsheeted(layout), shared.codes)


def build(layout: Layout, fmt: Format = Format.NQUADS, reason: bool = False,
          progress: Progress | None = None, jobs: int | None = None) -> BuildResult:
    """Build the dataset file and the embedded store under ``layout.build``.

    With ``reason``, the entailments of the ontology go to the inferred graph.
    ``jobs`` worker processes build the articles (default: one per core).
    """
    if fmt not in (Format.NQUADS, Format.TRIG):
        raise InputError(f"build writes a dataset: N-Quads or TriG, not {fmt.value}")
    first = not layout.build.exists()
    try:
        return _build(layout, fmt, reason, progress, jobs)
    except BaseException:
        if first:  # a first build that fails leaves nothing behind
            shutil.rmtree(layout.build, ignore_errors=True)
        raise


def _build(layout: Layout, fmt: Format, reason: bool, progress: Progress | None, jobs: int | None) -> BuildResult:
    shared = read_shared(layout)
    paths = sheet_paths(layout)
    with _Cache(layout.build / "cache.sqlite") as cache:
        chunks = _chunks(paths, shared, reason, jobs, progress, cache)
        by_graph: dict[str, list[bytes]] = {g: [] for g in (ONTOLOGY_GRAPH.value, ENTITIES_GRAPH.value, REFERENCE_GRAPH.value)}
        for line in shared.lines:
            by_graph[_graph_of(line)].append(line)
        blocks = [_block(g, b"".join(lines), len(lines)) for g, lines in by_graph.items() if lines]
        blocks += [dataset_lib.Block(c.graph, c.key, c.quads, _reader(c, cache)) for c in chunks]
        if reason:
            inferred = _inferred(shared, chunks, cache)
            blocks.append(_block(INFERRED_GRAPH.value, b"".join(inferred), len(inferred)))
            if progress:
                progress(f"inferred {len(inferred)} triples")
        blocks.sort(key=lambda b: b.graph)  # graph by graph, in IRI order
        dataset_lib.write(layout.dataset, blocks)
        if fmt is Format.TRIG:
            quads = list(ox.parse(path=layout.dataset, format=ox.RdfFormat.N_QUADS))
            with replacing(layout.dataset.with_suffix(".trig")) as temporary:
                ox.serialize(quads, temporary, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
        manifest = {"shared": shared.key, "graphs": {b.graph: b.digest for b in blocks}}
        _update_store(layout, blocks, manifest, progress)
    target = layout.dataset if fmt is Format.NQUADS else layout.dataset.with_suffix(".trig")
    return BuildResult(target, layout.store, len(chunks), sum(b.quads for b in blocks),
                       {b.graph: b.quads for b in blocks}, _unsheeted(layout, paths),
                       sum(1 for c in chunks if c.reused))


def _block(graph_iri: str, data: bytes, quads: int) -> dataset_lib.Block:
    return dataset_lib.Block(graph_iri, hashlib.sha256(data).hexdigest(), quads, lambda: data)


def _reader(chunk: Chunk, cache: _Cache) -> Callable[[], bytes]:
    return (lambda: chunk.data) if chunk.data is not None else (lambda: cache.data(chunk.key))  # type: ignore[return-value]


# ------------------------------------------------------------------ articles

_SHARED: Shared | None = None  # set before worker processes fork, so they inherit it
_CONTEXT: tuple[reason_lib.Rules, reason_lib.Closed] | None = None
_CACHE_FILE: Path | None = None  # where workers read cached articles' lines
_READER: _Cache | None = None  # a worker's own connection to it


def _anchor(path: Path, shared: Shared) -> AnchoredSheet:
    sheet = load_sheet(path, shared.entities, shared.ontology)
    if sheet.article != f"{path.stem}.txt":
        raise InputError(f"the sheet's article is {sheet.article}: name the sheet after its article, "
                         f"{Path(sheet.article).stem}.yaml", path=path, line=1)
    article_path = path.with_name(sheet.article)
    if not article_path.exists():
        raise InputError(f"article {sheet.article} not found beside the sheet", path=path, line=1)
    return anchor_sheet(sheet, read_article(article_path), shared.entities)


def _article_key(path: Path, shared_key: str, hashes: FileHashes) -> str:
    """The key an article's build is cached under: the shared inputs' key, its sheet's and its text's hashes."""
    parts = [hashes.sha256(p) or "missing" for p in (path, path.with_suffix(".txt"))]
    return hashlib.sha256("\0".join([shared_key, *parts]).encode()).hexdigest()


def _build_article(job: tuple[Path, str, bool, Chunk | None]) -> Chunk:
    """Anchor and build one article, or (given its cached chunk, lines read) only infer what it entails."""
    path, key, reason, cached = job
    assert _SHARED is not None
    if cached is not None:  # its lines are read here, from the cache, not sent through a pipe
        global _READER
        if _READER is None:
            assert _CACHE_FILE is not None
            _READER = _Cache(_CACHE_FILE)
        quads = set(ox.parse(_READER.data(key), format=ox.RdfFormat.N_QUADS))
        return replace(cached, inferred=_infer(quads), reused=True)
    anchored = _anchor(path, _SHARED)
    quads = set(graph.article_quads(anchored, _SHARED.entities, _SHARED.ontology))
    inferred = _infer(quads) if reason else None
    return Chunk(key, source_graph(anchored.key).value, len(quads), b"".join(_sorted_lines(quads)), inferred, False,
                 tuple((w.place, w.parent) for w in anchored.within))


def _infer(quads: set[ox.Quad]) -> bytes:
    global _CONTEXT
    assert _SHARED is not None
    if _CONTEXT is None:
        shared = [(q.subject, q.predicate, q.object) for q in _SHARED.quads]
        rules = reason_lib.rules_from(q for q in _SHARED.quads if q.graph_name == ONTOLOGY_GRAPH)
        _CONTEXT = (rules, reason_lib.Closed([*shared, *reason_lib.entail(shared, rules)], rules.joined))
    rules, context = _CONTEXT
    triples = [(q.subject, q.predicate, q.object) for q in quads]
    found = {t for t in reason_lib.entail(triples, rules, context) if rules.in_scope(t)} - set(triples)
    return b"".join(_sorted_lines(ox.Quad(*t, INFERRED_GRAPH) for t in found))


def _chunks(paths: list[Path], shared: Shared, reason: bool, jobs: int | None,
            progress: Progress | None, cache: _Cache) -> list[Chunk]:
    global _SHARED, _CONTEXT
    hashes = FileHashes(cache.db)
    keys = {path: _article_key(path, shared.key, hashes) for path in paths}
    cached = cache.get(keys.values(), reason)
    found = {path: cached[keys[path]] for path in paths if keys[path] in cached}
    todo: list[tuple[Path, str, bool, Chunk | None]] = [(path, keys[path], reason, None) for path in paths if path not in found]
    todo += [(path, keys[path], True, chunk) for path, chunk in found.items() if reason and chunk.inferred is None]
    if progress and found:
        progress(f"{len(found)} articles unchanged, {len(paths) - len(found)} to build")
    global _CACHE_FILE, _READER
    _SHARED, _CONTEXT, _CACHE_FILE, _READER = shared, None, cache.path, None
    try:
        workers = min(jobs or os.cpu_count() or 1, max(1, len(todo) // PARALLEL_FROM))
        if workers > 1:
            context = multiprocessing.get_context("fork")
            with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
                built = list(_progress(pool.map(_build_article, todo, chunksize=32), len(todo), progress))
        else:
            built = list(_progress(map(_build_article, todo), len(todo), progress))
    finally:
        if _READER is not None:
            _READER.db.close()
        _SHARED, _CONTEXT, _CACHE_FILE, _READER = None, None, None, None
    for (path, _, _, _), chunk in zip(todo, built, strict=True):
        found[path] = chunk
    _check_within(shared, [w for chunk in found.values() for w in chunk.within])
    cache.keep([found[p] for p in paths], built)
    hashes.save()  # with what was built: a build that fails writes nothing
    return [found[p] for p in paths]


def _check_within(shared: Shared, stated: list[tuple[str, str]]) -> None:
    """Every ``within`` of the entity list needs a source: a data package (the codes) or an article (``stated``)."""
    packaged = [(c.id, c.code) for c in shared.codes if c.kind == "within"]
    check_within_sourced(shared.entities, [*packaged, *stated], CODES_FILE)


def _progress(chunks: Iterator[Chunk], total: int, progress: Progress | None) -> Iterator[Chunk]:
    step = max(1, total // 20)
    for number, chunk in enumerate(chunks, start=1):
        if progress and (number % step == 0 or number == total):
            progress(f"built {number}/{total} articles")
        yield chunk


class _Cache:
    """Built articles by key, in one SQLite file; it keeps only the last build's articles.

    What an article entails is a table of its own: adding it must not rewrite the article's row.
    """

    SCHEMA = ("CREATE TABLE IF NOT EXISTS chunk (key TEXT PRIMARY KEY, graph TEXT NOT NULL, quads INTEGER NOT NULL, "
              "data BLOB NOT NULL, within TEXT NOT NULL)",
              "CREATE TABLE IF NOT EXISTS inferred (key TEXT PRIMARY KEY, data BLOB NOT NULL)")
    COLUMNS = ["key", "graph", "quads", "data", "within"]

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = self._open(path)
        except sqlite3.DatabaseError:  # a damaged cache is only a slower build
            path.unlink(missing_ok=True)
            self.db = self._open(path)

    @classmethod
    def _open(cls, path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path)
        if [row[1] for row in db.execute("PRAGMA table_info(chunk)")] not in ([], cls.COLUMNS):
            db.execute("DROP TABLE chunk")  # a cache of another layout: its articles are built again
        for statement in cls.SCHEMA:
            db.execute(statement)
        return db

    def __enter__(self) -> _Cache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.close()

    def get(self, keys: Iterable[str], reason: bool) -> dict[str, Chunk]:
        """The cached articles among ``keys``, without their lines (with what they entail, for ``reason``)."""
        wanted = set(keys)
        entailed = dict(self.db.execute("SELECT key, data FROM inferred")) if reason else {}
        found = {}
        for key, graph_iri, quads, within in self.db.execute("SELECT key, graph, quads, within FROM chunk"):
            if key in wanted:
                pairs = tuple(tuple(pair.split(" ")) for pair in within.splitlines())
                found[key] = Chunk(key, graph_iri, quads, None, entailed.get(key), True, pairs)  # type: ignore[arg-type]
        return found

    def data(self, key: str) -> bytes:
        return bytes(self.db.execute("SELECT data FROM chunk WHERE key = ?", (key,)).fetchone()[0])

    def keep(self, chunks: list[Chunk], written: list[Chunk]) -> None:
        """Store ``written`` and forget every article not among ``chunks``."""
        with self.db:
            self.db.execute("CREATE TEMP TABLE wanted (key TEXT PRIMARY KEY)")
            self.db.executemany("INSERT OR IGNORE INTO wanted VALUES (?)", ((c.key,) for c in chunks))
            for table in ("chunk", "inferred"):
                self.db.execute(f"DELETE FROM {table} WHERE key NOT IN (SELECT key FROM wanted)")
            self.db.executemany("INSERT OR REPLACE INTO chunk VALUES (?, ?, ?, ?, ?)",
                                ((c.key, c.graph, c.quads, c.data, "\n".join(" ".join(pair) for pair in c.within))
                                 for c in written if not c.reused))
            self.db.executemany("INSERT OR REPLACE INTO inferred VALUES (?, ?)",
                                ((c.key, c.inferred) for c in written if c.inferred is not None))
            self.db.execute("DROP TABLE wanted")


def _inferred(shared: Shared, chunks: list[Chunk], cache: _Cache) -> list[bytes]:
    """The inferred graph: the shared graphs' entailments and every article's, minus what any graph asserts."""
    quads = shared.quads
    triples = [(q.subject, q.predicate, q.object) for q in quads]
    rules = reason_lib.rules_from(q for q in quads if q.graph_name == ONTOLOGY_GRAPH)
    base = {ox.Quad(*t, INFERRED_GRAPH) for t in reason_lib.entail(triples, rules) if rules.in_scope(t)}
    found = {line.rsplit(b" <", 1)[0]: line for line in _sorted_lines(base)}
    for chunk in chunks:
        for line in (chunk.inferred or b"").splitlines(keepends=True):
            found[line.rsplit(b" <", 1)[0]] = line
    for data in [b"".join(shared.lines), *(_reader(c, cache)() for c in chunks)]:
        for line in data.splitlines():
            found.pop(line.rsplit(b" <", 1)[0], None)
    return sorted(found.values())


# ------------------------------------------------------------------ output


def _sorted_lines(quads: object) -> list[bytes]:
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""  # type: ignore[arg-type]
    return sorted(data.splitlines(keepends=True))


def _graph_of(line: bytes) -> str:
    return line.rstrip().rsplit(b" ", 2)[-2].strip(b"<>").decode()


def _update_store(layout: Layout, blocks: list[dataset_lib.Block], manifest: dict, progress: Progress | None) -> None:
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
            progress(f"loaded {sum(b.quads for b in blocks)} quads into {layout.store}")
    else:
        old, new = previous["graphs"], manifest["graphs"]
        changed = [g for g in sorted(set(old) | set(new)) if old.get(g) != new.get(g)]
        if changed:
            manifest_path.unlink()  # an interrupted update leaves no manifest: the next build reloads all
            store = ox.Store(str(layout.store))
            for g in changed:
                store.remove_graph(ox.NamedNode(g))
            by_graph = {b.graph: b for b in blocks}
            data = b"".join(by_graph[g].data() for g in changed if g in by_graph)
            if data:  # not transactional, but fast; the missing manifest covers an interruption
                store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
            store.flush()
            del store
        if progress:
            progress(f"updated {len(changed)} graphs of {layout.store}")
    with replacing(manifest_path) as temporary:
        temporary.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")


def _unsheeted(layout: Layout, sheets: list[Path] | None = None) -> tuple[Path, ...]:
    covered = {p.stem for p in (sheet_paths(layout) if sheets is None else sheets)}
    return tuple(p for p in sorted(layout.seeds.glob("*.txt")) if p.stem not in covered)


def clean_cache(layout: Layout) -> None:
    """Forget every cached article and the shared inputs read."""
    (layout.build / "cache.sqlite").unlink(missing_ok=True)
    (layout.build / "shared.pickle").unlink(missing_ok=True)
