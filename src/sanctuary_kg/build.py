"""Build the dataset: read the seeds, anchor every sheet, write quads and the store."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from . import graph
from . import reason as reason_lib
from .errors import InputError
from .facts import AnchoredSheet, anchor_sheet, read_article
from .files import Layout, replacing
from .formats import Format
from .ids import INFERRED_GRAPH, NOT_ARTICLE_GRAPHS
from .ontology import Ontology
from .reference import CODES_FILE, Code, read_codes, reference_quads
from .ontology import load as load_ontology
from .sheets import Entities, load_entities, load_sheet

ENTITY_FILE = "entities.yaml"
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Seeds:
    """The checked inputs of a build."""

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


def read_seeds(layout: Layout, progress: Progress | None = None) -> Seeds:
    """Read the ontology, the entity list and every fact sheet, anchoring each."""
    ontology = load_ontology(layout.ontology)
    entity_file = layout.seeds / ENTITY_FILE
    if not entity_file.exists():
        raise InputError(f"no {ENTITY_FILE} here: is this a seeds folder?", path=layout.seeds)
    entities = load_entities(entity_file, ontology)
    sheets = []
    covered: dict[str, Path] = {}
    for path in sorted(layout.seeds.glob("*.yaml")):
        if path.name == ENTITY_FILE:
            continue
        sheet = load_sheet(path, entities, ontology)
        if sheet.article in covered:
            raise InputError(f"{sheet.article} already has a fact sheet, {covered[sheet.article].name}", path=path, line=1)
        covered[sheet.article] = path
        article_path = layout.seeds / sheet.article
        if not article_path.exists():
            raise InputError(f"article {sheet.article} not found beside the sheet", path=path, line=1)
        sheets.append(anchor_sheet(sheet, read_article(article_path), entities))
        if progress:
            progress(f"anchored {path.name}: {len(sheets[-1].claims)} claims")
    unsheeted = tuple(p for p in sorted(layout.seeds.glob("*.txt")) if p.name not in covered)
    codes_file = layout.seeds / CODES_FILE
    codes = read_codes(codes_file) if codes_file.exists() else ()
    return Seeds(ontology, entities, tuple(sheets), unsheeted, codes)


def build(layout: Layout, fmt: Format = Format.NQUADS, reason: bool = False,
          progress: Progress | None = None) -> BuildResult:
    """Build the dataset file and the embedded store under ``layout.build``.

    With ``reason``, the entailments of the ontology go to the inferred graph.
    """
    if fmt not in (Format.NQUADS, Format.TRIG):
        raise InputError(f"build writes a dataset: N-Quads or TriG, not {fmt.value}")
    seeds = read_seeds(layout, progress)
    quads = graph.dataset_quads(seeds.sheets, seeds.entities, seeds.ontology)
    if seeds.codes:
        quads = sorted({*quads, *reference_quads(seeds.codes, seeds.entities)}, key=str)
    if reason:
        quads = _with_inferred(quads, progress)
    return publish(layout, quads, fmt, seeds.unsheeted, progress)


def add_inferred(layout: Layout, progress: Progress | None = None) -> BuildResult:
    """Replace the inferred graph of the built dataset with fresh entailments."""
    if not layout.dataset.exists():
        raise InputError("no built dataset: run `sanctuary-kg build` first", path=layout.dataset)
    quads = [q for q in ox.parse(path=layout.dataset, format=ox.RdfFormat.N_QUADS) if q.graph_name != INFERRED_GRAPH]
    return publish(layout, _with_inferred(quads, progress), Format.NQUADS, (), progress)


def _with_inferred(quads: list[ox.Quad], progress: Progress | None) -> list[ox.Quad]:
    inferred = reason_lib.reason(quads)
    if progress:
        progress(f"inferred {len(inferred)} triples")
    return sorted([*quads, *inferred], key=str)


def publish(layout: Layout, quads: list[ox.Quad], fmt: Format, unsheeted: tuple[Path, ...] = (),
            progress: Progress | None = None) -> BuildResult:
    """Write ``quads`` as the dataset file (and TriG if asked) and as the embedded store."""
    target = layout.dataset if fmt is Format.NQUADS else layout.dataset.with_suffix(".trig")
    write_quads(quads, target, fmt)
    if fmt is not Format.NQUADS:
        write_quads(quads, layout.dataset, Format.NQUADS)
    with replacing(layout.store) as folder:
        store = ox.Store(str(folder))
        store.bulk_load(path=layout.dataset, format=ox.RdfFormat.N_QUADS)
        store.flush()
        del store
    if progress:
        progress(f"loaded {len(quads)} quads into {layout.store}")
    counts = Counter(q.graph_name.value for q in quads)  # type: ignore[union-attr]
    sources = sum(1 for g in counts if g not in NOT_ARTICLE_GRAPHS)
    return BuildResult(target, layout.store, sources, len(quads), dict(sorted(counts.items())), unsheeted)


def write_quads(quads: list[ox.Quad], path: Path, fmt: Format) -> None:
    """Write quads deterministically: sorted N-Quads, or TriG with stable prefixes."""
    from .ids import PREFIXES

    with replacing(path) as temporary:
        if fmt is Format.NQUADS:
            with temporary.open("wb") as out:
                ox.serialize(quads, out, format=ox.RdfFormat.N_QUADS)
        else:
            ox.serialize(quads, temporary, format=fmt.rdf_format, prefixes=PREFIXES)
