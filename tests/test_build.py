"""Building the seed graph: byte-identical rebuilds, one graph per article, the seeds as captured."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import pyoxigraph as ox

from sanctuary_kg import build as build_lib
from sanctuary_kg import ids
from sanctuary_kg.files import Layout

from .conftest import ROOT, SEEDS

SHARED_SEEDS = ROOT.parent.parent / "shared" / "seeds"


def test_the_seeds_carry_the_articles_byte_for_byte(built: Layout):
    seeds = build_lib.read_seeds(built)
    assert len(seeds.sheets) == 5 and not seeds.unsheeted
    for sheet in seeds.sheets:
        data = (SEEDS / sheet.sheet.article).read_bytes()
        assert hashlib.sha256(data).hexdigest() == sheet.sheet.sha256
        original = SHARED_SEEDS / sheet.sheet.article
        if original.exists():  # the shared originals sit beside the checkout in development and CI
            assert original.read_bytes() == data


def test_a_rebuild_is_byte_identical(layout: Layout, tmp_path: Path):
    build_lib.build(layout)
    first = layout.dataset.read_bytes()
    again = Layout.default(seeds=layout.seeds, build=tmp_path / "again")
    build_lib.build(again)
    assert again.dataset.read_bytes() == first


def test_one_named_graph_per_article_plus_entities_and_ontology(built: Layout):
    graphs = Counter(q.graph_name.value for q in ox.parse(path=built.dataset, format=ox.RdfFormat.N_QUADS))
    articles = set(graphs) - ids.NOT_ARTICLE_GRAPHS
    assert set(graphs) - articles == {ids.ENTITIES_GRAPH.value, ids.ONTOLOGY_GRAPH.value, ids.REFERENCE_GRAPH.value}
    assert articles == {ids.source_graph(p.stem).value for p in SEEDS.glob("*.txt")}
    assert all(graphs[g] > 100 for g in articles)


def test_the_store_holds_exactly_the_dataset(built: Layout):
    store = ox.Store.read_only(str(built.store))
    dataset = set(ox.parse(path=built.dataset, format=ox.RdfFormat.N_QUADS))
    assert set(store) == dataset


def test_trig_output_holds_the_same_quads(layout: Layout):
    build_lib.build(layout, build_lib.Format.TRIG)
    trig = set(ox.parse(path=layout.dataset.with_suffix(".trig"), format=ox.RdfFormat.TRIG))
    assert trig == set(ox.parse(path=layout.dataset, format=ox.RdfFormat.N_QUADS))


def test_every_claim_span_is_the_articles_text(built: Layout):
    store = ox.Store.read_only(str(built.store))
    rows = list(store.query(
        """PREFIX sk: <https://w3id.org/sanctuary-kg/ontology#> PREFIX oa: <http://www.w3.org/ns/oa#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?key ?exact ?start ?end WHERE { GRAPH ?g {
            ?claim a sk:Claim ; sk:evidence ?span . ?span oa:exact ?exact ; oa:start ?start ; oa:end ?end ;
                oa:hasSource ?source . ?source dcterms:identifier ?key } }"""))
    assert len(rows) > 100
    for row in rows:
        text = (SEEDS / f"{row['key'].value}.txt").read_text(encoding="utf-8")
        assert text[int(row["start"].value) : int(row["end"].value)] == row["exact"].value


def test_a_second_build_takes_every_article_from_the_cache(layout: Layout):
    assert build_lib.build(layout).reused == 0
    assert build_lib.build(layout).reused == 5


def test_a_changed_sheet_rebuilds_that_article_alone_and_the_store_follows(layout: Layout, tmp_path: Path):
    build_lib.build(layout)
    sheet = layout.seeds / "002_99daf81b38207396.yaml"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("unit: percent", "unit: per cent", 1), encoding="utf-8")
    again = build_lib.build(layout)
    assert again.reused == 4
    fresh = Layout.default(seeds=layout.seeds, build=tmp_path / "fresh")
    build_lib.build(fresh)
    assert layout.dataset.read_bytes() == fresh.dataset.read_bytes()
    assert b'"per cent"' in layout.dataset.read_bytes()
    store = ox.Store.read_only(str(layout.store))
    assert set(store) == set(ox.parse(path=layout.dataset, format=ox.RdfFormat.N_QUADS))


def test_worker_processes_build_the_same_bytes(layout: Layout, tmp_path: Path, monkeypatch):
    build_lib.build(layout, jobs=1)
    monkeypatch.setattr(build_lib, "PARALLEL_FROM", 1)
    parallel = Layout.default(seeds=layout.seeds, build=tmp_path / "parallel")
    build_lib.build(parallel, jobs=2)
    assert parallel.dataset.read_bytes() == layout.dataset.read_bytes()


def test_workers_infer_cached_articles_as_this_process_does(layout: Layout, tmp_path: Path, monkeypatch):
    build_lib.build(layout, reason=True, jobs=1)
    monkeypatch.setattr(build_lib, "PARALLEL_FROM", 1)
    parallel = Layout.default(seeds=layout.seeds, build=tmp_path / "parallel")
    build_lib.build(parallel, jobs=2)  # articles cached without their entailments
    result = build_lib.build(parallel, reason=True, jobs=2)  # the workers read them from the cache and infer
    assert result.reused == 5
    assert parallel.dataset.read_bytes() == layout.dataset.read_bytes()
