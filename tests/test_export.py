"""export: every format parses back to the built dataset; output is stable; the framed view holds only graph facts."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from pyld import jsonld
from rdflib.compare import isomorphic

from sanctuary_kg import export as export_lib
from sanctuary_kg import ids
from sanctuary_kg.errors import ExitCode, InputError
from sanctuary_kg.files import Layout, resources
from sanctuary_kg.formats import Format

RDF_FORMATS = [f for f in Format if f.is_rdf]
RDFLIB_NAMES = {Format.TURTLE: "turtle", Format.TRIG: "trig", Format.NTRIPLES: "nt", Format.NQUADS: "nquads",
                Format.JSONLD: "json-ld"}
KEY = "002_99daf81b38207396"
MONTGOMERY = ids.entity("jurisdiction", "montgomery-county").value


def exported(layout: Layout, fmt: Format, graphs: tuple[str, ...] = ()) -> bytes:
    out = io.BytesIO()
    export_lib.export(layout.dataset, out, fmt, graphs)
    return out.getvalue()


def framed(layout: Layout, focus: str | None = None) -> dict:
    out = io.BytesIO()
    export_lib.export_frame(layout.dataset, out, "jurisdiction", focus)
    return json.loads(out.getvalue())


def graphs_of(dataset: rdflib.Dataset) -> dict[str, rdflib.Graph]:
    return {str(g.identifier): g for g in dataset.graphs() if len(g)}


@pytest.fixture(scope="module")
def reference(built: Layout) -> dict[str, rdflib.Graph]:
    """The built dataset as rdflib graphs, by graph IRI."""
    dataset = rdflib.Dataset()
    dataset.parse(built.dataset, format="nquads")
    return graphs_of(dataset)


def assert_same_dataset(parsed: rdflib.Dataset, reference: dict[str, rdflib.Graph]) -> None:
    graphs = graphs_of(parsed)
    assert sorted(graphs) == sorted(reference)
    for iri, graph in reference.items():
        assert isomorphic(graphs[iri], graph), iri


@pytest.mark.parametrize("fmt", RDF_FORMATS, ids=lambda f: f.value)
def test_every_format_parses_back_to_the_built_dataset(built: Layout, reference, fmt: Format):
    data = exported(built, fmt)
    if fmt.keeps_graphs:
        parsed = rdflib.Dataset()
        parsed.parse(data=data, format=RDFLIB_NAMES[fmt])
        assert_same_dataset(parsed, reference)
    else:  # a triple format: the union of the graphs
        union = rdflib.Graph()
        for graph in reference.values():
            union += graph
        parsed_graph = rdflib.Graph()
        parsed_graph.parse(data=data, format=RDFLIB_NAMES[fmt])
        assert isomorphic(parsed_graph, union)


def test_json_ld_parses_back_with_pyld_too(built: Layout, reference):
    document = json.loads(exported(built, Format.JSONLD))
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads"})
    parsed = rdflib.Dataset()
    parsed.parse(data=nquads, format="nquads")
    assert_same_dataset(parsed, reference)


def test_json_ld_is_compact_and_keeps_named_graphs(built: Layout):
    document = json.loads(exported(built, Format.JSONLD))
    assert document["@context"] == json.loads((resources() / "ontology" / "context.jsonld").read_text())["@context"]
    names = [g["@id"] for g in document["@graph"]]
    assert f"id:graph/{KEY}" in names and "id:graph/entities" in names and names == sorted(names)
    article = next(g for g in document["@graph"] if g["@id"] == f"id:graph/{KEY}")
    claim = next(n for n in article["@graph"] if n["@id"] == f"id:claim/{KEY}/elrich-force-of-law")
    assert claim["@type"] == "sk:Claim" and claim["claimant"] == "id:person/marc-elrich"
    span = next(n for n in article["@graph"] if n["@id"] == claim["evidence"])
    assert set(span) == {"@id", "@type", "exact", "prefix", "suffix", "start", "end", "hasSource", "sha256"}
    assert span["start"] == str(int(span["start"]))  # typed by the context, not spelled out


def test_the_context_has_a_term_for_every_property_and_the_datatypes_of_the_data(built: Layout):
    context = export_lib.context()
    prefixes = {k: v for k, v in context.items() if isinstance(v, str) and v.endswith(("#", "/"))}
    assert prefixes == ids.PREFIXES

    def iri(name: str) -> str:
        prefix, _, local = name.partition(":")
        return prefixes[prefix] + local

    terms = {iri(v if isinstance(v, str) else v["@id"]): v for k, v in context.items() if k not in prefixes}
    quads = list(ox.parse(path=built.dataset, format=ox.RdfFormat.N_QUADS))
    missing = {q.predicate.value for q in quads} - set(terms) - {ids.RDF.type.value}
    assert not missing, f"add terms to ontology/context.jsonld for {sorted(missing)}"
    for q in quads:
        spec = terms.get(q.predicate.value)
        if isinstance(spec, dict) and spec.get("@type") not in (None, "@id"):
            assert isinstance(q.object, ox.Literal) and q.object.datatype.value == iri(spec["@type"]), q


@pytest.mark.parametrize("fmt", RDF_FORMATS, ids=lambda f: f.value)
def test_output_is_deterministic(built: Layout, fmt: Format):
    assert exported(built, fmt) == exported(built, fmt)


def test_n_quads_go_graph_by_graph_each_sorted(built: Layout):
    lines = exported(built, Format.NQUADS).decode().splitlines()
    graphs = [line.rsplit(" ", 2)[1] for line in lines]
    blocks = [g for i, g in enumerate(graphs) if i == 0 or graphs[i - 1] != g]
    assert blocks == sorted(set(graphs))  # each graph once, in IRI order
    for graph in blocks:
        block = [line for line in lines if line.endswith(f" {graph} .")]
        assert block == sorted(block)
    assert set(ox.parse("\n".join(lines).encode(), format=ox.RdfFormat.N_QUADS)) == set(
        ox.parse(path=built.dataset, format=ox.RdfFormat.N_QUADS))


def test_trig_writes_each_graph_once_with_prefixes_in_a_fixed_order(built: Layout):
    text = exported(built, Format.TRIG).decode()
    graphs = {q.graph_name.value for q in ox.parse(path=built.dataset, format=ox.RdfFormat.N_QUADS)}
    for graph in graphs:
        assert text.count(f"<{graph}> {{") == 1
    prefixes = [line.split()[1].rstrip(":") for line in text.splitlines() if line.startswith("@prefix")]
    assert prefixes == [p for p in ids.PREFIXES if p in prefixes]
    assert "id" not in prefixes  # every id/ name would need escapes: those IRIs are written whole


def test_one_graph_by_its_short_name(built: Layout):
    data = exported(built, Format.NQUADS, ("entities",))
    quads = list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
    assert quads and {q.graph_name for q in quads} == {ids.ENTITIES_GRAPH}
    again = exported(built, Format.NQUADS, (ids.ENTITIES_GRAPH.value,))
    assert again == data


def test_the_union_of_two_graphs_holds_each_triple_once(built: Layout):
    both = ("000_e0473f51d43d97b2", "id:graph/003_ac4e94ca39e181a2")  # both say Donald Trump is President
    lines = exported(built, Format.NTRIPLES, both).decode().splitlines()
    assert len(lines) == len(set(lines))
    quads = [q for q in ox.parse(path=built.dataset, format=ox.RdfFormat.N_QUADS)
             if q.graph_name.value.endswith(("000_e0473f51d43d97b2", "003_ac4e94ca39e181a2"))]
    assert len(lines) == len({q.triple for q in quads}) < len(quads)


def test_an_unknown_graph_lists_the_graphs(built: Layout):
    with pytest.raises(InputError, match=f"no graph 'nope' in the dataset: one of .*{KEY}.*entities"):
        exported(built, Format.TURTLE, ("nope",))


def test_export_before_a_build_says_to_build(tmp_path: Path):
    with pytest.raises(InputError, match="run `sanctuary-kg build` first"):
        export_lib.export(tmp_path / "missing.nq", io.BytesIO(), Format.TURTLE)


def test_the_framed_view_holds_only_statements_of_the_graph(built: Layout):
    document = framed(built)
    triples = jsonld.to_rdf(document, {"format": "application/n-quads"})
    stated = {q.triple for q in ox.parse(triples.encode(), format=ox.RdfFormat.N_QUADS)}
    dataset = {q.triple for q in ox.parse(path=built.dataset, format=ox.RdfFormat.N_QUADS)}
    assert len(stated) > 1000 and stated <= dataset


def test_the_framed_view_has_every_jurisdiction(built: Layout):
    store = ox.Store.read_only(str(built.store))
    rows = store.query("PREFIX sk: <https://w3id.org/sanctuary-kg/ontology#> PREFIX rdfs: "
                       "<http://www.w3.org/2000/01/rdf-schema#> SELECT DISTINCT ?j WHERE { GRAPH ?g { ?j a ?kind } "
                       "GRAPH ?o { ?kind rdfs:subClassOf sk:Jurisdiction } }")
    expected = sorted(ids.compact(row["j"].value) for row in rows)
    assert [j["@id"] for j in framed(built)["@graph"]] == expected


def test_the_frame_asks_for_every_kind_of_jurisdiction(built: Layout):
    frame = json.loads((resources() / "ontology" / export_lib.FRAMES["jurisdiction"]).read_text())
    kinds = {q.subject.value for q in ox.parse(path=built.dataset, format=ox.RdfFormat.N_QUADS)
             if q.predicate == ids.RDFS.subClassOf and q.object == ids.SK.Jurisdiction}
    assert {ids.PREFIXES["sk"] + t.removeprefix("sk:") for t in frame["@type"]} == kinds


def test_one_jurisdiction_nests_its_orders_provisions_and_claims_with_evidence(built: Layout):
    document = framed(built, "montgomery-county")
    [county] = document["@graph"]
    assert county["@id"] == "id:jurisdiction/montgomery-county" and county["label"] == "Montgomery County"
    assert county["within"] == "id:jurisdiction/maryland"
    order = next(o for o in county["orders"] if o["@id"] == "id:order/promoting-community-trust-executive-order")
    assert order["orderKind"] == "sk:ExecutiveOrder"
    assert order["issuedBy"] == {"@id": "id:person/marc-elrich", "@type": order["issuedBy"]["@type"],
                                 "label": "Marc Elrich"}
    provisions = {p["@id"]: p["prefLabel"] for p in order["provision"]}
    assert "skp:detainers-need-judicial-warrant" in provisions and all(provisions.values())
    claim = next(c for c in county["claims"] if c["@id"] == f"id:claim/{KEY}/county-population")
    assert claim["value"] == "1000000" and claim["unit"] == "people"
    evidence = claim["evidence"]
    assert evidence["exact"] == "the 1 million residents in Montgomery County"
    assert isinstance(evidence["start"], int) and evidence["end"] - evidence["start"] == len(evidence["exact"])
    assert evidence["hasSource"] == f"id:source/{KEY}"
    assert claim["wasDerivedFrom"]["title"].startswith("Major D.C. suburb")


def test_the_focus_may_be_an_iri_and_an_unknown_one_lists_the_jurisdictions(built: Layout):
    assert framed(built, MONTGOMERY)["@graph"][0]["@id"] == "id:jurisdiction/montgomery-county"
    with pytest.raises(InputError, match="no jurisdiction 'atlantis' in the graph: one of .*montgomery-county"):
        framed(built, "atlantis")
    with pytest.raises(InputError, match="no jurisdiction"):
        framed(built, "id:person/marc-elrich")  # there, but not a jurisdiction


def cli_args(layout: Layout, *args: object) -> list[object]:
    return ["--seeds", layout.seeds, "--build-dir", layout.build, "export", *args]


def test_cli_format_follows_the_file_extension(built: Layout, reference, tmp_path: Path, run_cli):
    target = tmp_path / "out" / "graph.trig"
    result = run_cli(*cli_args(built, "-o", target))
    assert result.code == ExitCode.OK, result.err
    assert "graphs to" in result.err and "(trig)" in result.err
    parsed = rdflib.Dataset()
    parsed.parse(target, format="trig")
    assert_same_dataset(parsed, reference)


def test_cli_writes_to_standard_output(built: Layout, run_cli):
    result = run_cli(*cli_args(built, "--format", "nt", "--graph", "entities"))
    assert result.code == ExitCode.OK, result.err
    assert result.out.encode() == exported(built, Format.NTRIPLES, ("entities",))


def test_cli_frame_writes_json_ld_for_one_jurisdiction(built: Layout, run_cli):
    result = run_cli(*cli_args(built, "--frame", "jurisdiction", "--jurisdiction", "takoma-park"))
    assert result.code == ExitCode.OK, result.err
    assert [j["@id"] for j in json.loads(result.out)["@graph"]] == ["id:jurisdiction/takoma-park"]


def test_cli_refuses_a_frame_in_another_format_and_a_non_rdf_extension(built: Layout, tmp_path: Path, run_cli):
    result = run_cli(*cli_args(built, "--frame", "jurisdiction", "--format", "ttl"))
    assert result.code == ExitCode.USAGE and "--frame writes JSON-LD" in result.err
    result = run_cli(*cli_args(built, "-o", tmp_path / "x.json"))
    assert result.code == ExitCode.USAGE and "not an RDF format" in result.err
    assert not (tmp_path / "x.json").exists()


def test_cli_failure_leaves_no_file(built: Layout, tmp_path: Path, run_cli):
    target = tmp_path / "graph.ttl"
    result = run_cli(*cli_args(built, "-o", target, "--graph", "nope"))
    assert result.code == ExitCode.INPUT and "no graph 'nope'" in result.err
    assert list(tmp_path.iterdir()) == []


def test_the_fast_json_ld_is_pylds_compaction_exactly(built):
    by_graph = export_lib.read_graphs(built.dataset)
    assert export_lib.dumps(export_lib.compact(by_graph)) == export_lib.dumps(export_lib.compact_with_pyld(by_graph))
