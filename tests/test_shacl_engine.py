"""The fast SHACL engine reports exactly what pyshacl reports, article by article.

Each test plants violations in a copy of the built seed dataset and compares every field
of every result (focus, path, value, severity, shape, component, message) with pyshacl run
the way ``validate`` runs it: one article graph plus the shared graphs as the data graph.
Results are compared as sorted lists, so duplicates must match too.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from pyshacl import validate as pyshacl_validate

from sanctuary_kg import ids, shacl, shacl_model
from sanctuary_kg import validate as validate_lib
from sanctuary_kg.errors import ShapeError
from sanctuary_kg.files import Layout
from sanctuary_kg.ids import DCTERMS, OA, PROV, RDF, RDFS, SCHEMA, SK, XSD

SHARED = (ids.ONTOLOGY_GRAPH.value, ids.ENTITIES_GRAPH.value, ids.REFERENCE_GRAPH.value)
IGNORED = (ids.INFERRED_GRAPH.value,)
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
KEYS = ("000_e0473f51d43d97b2", "001_a285dc5bd2db45e9", "002_99daf81b38207396", "003_ac4e94ca39e181a2",
        "004_913d320b1791bd7c")
Row = tuple[str, str, str | None, str | None, str, str, str, str]
Quads = list[ox.Quad]


def graph(i: int) -> ox.NamedNode:
    return ids.source_graph(KEYS[i])


def pyshacl_rows(quads: Quads, shapes: rdflib.Graph, graphs: Iterable[str]) -> list[Row]:
    """pyshacl's results, one article graph at a time, as ``validate`` runs it."""
    by_graph: dict[str, Quads] = defaultdict(list)
    for q in quads:
        by_graph[q.graph_name.value].append(q)  # type: ignore[union-attr]
    shared = validate_lib._to_rdflib(by_graph.get(g, []) for g in SHARED)
    rows = []
    for g in graphs:
        data = validate_lib._to_rdflib([by_graph[g]])
        data += shared
        _, report, _ = pyshacl_validate(data, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=True)
        for r in report.subjects(rdflib.RDF.type, SH.ValidationResult):
            one = _reader(report, r)
            rows.append((g, one(SH.focusNode) or "", one(SH.resultPath), one(SH.value),
                         (one(SH.resultSeverity) or "").rsplit("#", 1)[-1],
                         validate_lib.shape_name(shapes, report.value(r, SH.sourceShape)),
                         one(SH.sourceConstraintComponent) or "", one(SH.resultMessage) or ""))
    return sorted(rows, key=str)


def _reader(report: rdflib.Graph, result: rdflib.term.Node) -> Callable[[rdflib.URIRef], str | None]:
    def one(p: rdflib.URIRef) -> str | None:
        value = report.value(result, p)
        return None if value is None else str(value)

    return one


def engine_rows(quads: Quads, shapes: rdflib.Graph, known: shacl.Known | None = None) -> list[Row]:
    store = ox.Store()
    store.extend(quads)
    results = shacl.validate_store(store, shapes, SHARED, IGNORED, known)
    return sorted(((r.graph, r.focus, r.path, r.value, r.severity, r.check, r.component, r.message) for r in results),
                  key=str)


def assert_same(seed: Quads, quads: Quads, shapes: rdflib.Graph) -> list[Row]:
    """Compare both engines on every article graph that differs from the seed (all if a shared graph does)."""
    before, after = set(map(str, seed)), set(map(str, quads))
    changed = {q.graph_name.value for q in quads if str(q) not in before}  # type: ignore[union-attr]
    changed |= {q.graph_name.value for q in seed if str(q) not in after}  # type: ignore[union-attr]
    articles = {q.graph_name.value for q in seed} - set(SHARED) - set(IGNORED)  # type: ignore[union-attr]
    checked = sorted(articles if changed & set(SHARED) else changed & articles)
    fast = engine_rows(quads, shapes)
    for g in checked:
        expected, found = pyshacl_rows(quads, shapes, [g]), [r for r in fast if r[0] == g]
        assert found == expected, (g, [r for r in found if r not in expected], [r for r in expected if r not in found])
    assert [r for r in fast if r[0] not in checked] == []  # unchanged articles still conform
    return fast


# ------------------------------------------------------------ editing quads

def objects(quads: Quads, s: ox.NamedNode, p: ox.NamedNode) -> list[ox.Term]:
    return [q.object for q in quads if q.subject == s and q.predicate == p]


def of_type(quads: Quads, g: ox.NamedNode, cls: ox.NamedNode) -> list[ox.NamedNode]:
    return sorted((q.subject for q in quads if q.graph_name == g and q.predicate == RDF.type and q.object == cls),
                  key=lambda n: n.value)  # type: ignore[arg-type,union-attr]


def mentions(quads: Quads, g: ox.NamedNode) -> list[ox.NamedNode]:
    """Spans that are evidence of no claim (only of an entity mention)."""
    claims = set(of_type(quads, g, SK.Claim))
    used = {q.object for q in quads if q.predicate == SK.evidence and q.subject in claims}
    return [s for s in of_type(quads, g, SK.Span) if s not in used]


def drop(s: ox.NamedNode, p: ox.NamedNode) -> Callable[[Quads], Quads]:
    return lambda qs: [q for q in qs if not (q.subject == s and q.predicate == p)]


def add(s: ox.NamedNode, p: ox.NamedNode, o: ox.Term, g: ox.NamedNode) -> Callable[[Quads], Quads]:
    return lambda qs: [*qs, ox.Quad(s, p, o, g)]


def put(s: ox.NamedNode, p: ox.NamedNode, o: ox.Term) -> Callable[[Quads], Quads]:
    """Replace every value of ``p`` at ``s`` by ``o``, in the same graphs."""
    return lambda qs: [ox.Quad(q.subject, q.predicate, o, q.graph_name) if q.subject == s and q.predicate == p else q
                       for q in qs]


def apply(quads: Quads, *edits: Callable[[Quads], Quads]) -> Quads:
    for edit in edits:
        quads = edit(quads)
    return quads


def integer(text: str) -> ox.Literal:
    return ox.Literal(text, datatype=XSD.integer)


ENTITIES = ids.ENTITIES_GRAPH
WASHINGTON = ids.entity("jurisdiction", "washington")
BOSTON = ids.entity("jurisdiction", "boston")
ILLINOIS = ids.entity("jurisdiction", "illinois")
ELRICH = ids.entity("person", "marc-elrich")
INSLEE = ids.entity("person", "jay-inslee")
KELLY = ids.entity("person", "john-kelly")
TRUMP = ids.entity("person", "donald-trump")
MALLOY = ids.entity("person", "dannel-malloy")
CARE2 = ids.entity("organization", "care2")
TRUST_ORDER = ids.entity("order", "promoting-community-trust-executive-order")
INSLEE_ORDER = ids.entity("order", "inslee-executive-order")
CA_BILL = ids.entity("order", "california-sanctuary-bill")
CA_TRUST = ids.entity("order", "california-trust-act")


# ------------------------------------------------------------ fixtures

@pytest.fixture(scope="module")
def seed(built: Layout) -> Quads:
    return list(ox.parse(path=built.dataset, format=ox.RdfFormat.N_QUADS))


@pytest.fixture(scope="module")
def shapes(built: Layout) -> rdflib.Graph:
    return validate_lib.load_shapes(built.shapes)


def test_the_seed_graph_conforms_for_both_engines(seed: Quads, shapes: rdflib.Graph):
    articles = [ids.source_graph(k).value for k in KEYS]
    assert pyshacl_rows(seed, shapes, articles) == []
    assert engine_rows(seed, shapes) == []


# ------------------------------------------------------------ planted violations, by group

def sources(seed: Quads) -> Quads:
    s0, s1, s2, s3, s4 = (ids.source(k) for k in KEYS)
    claim = of_type(seed, graph(1), SK.Claim)[0]
    return apply(
        seed,
        drop(s0, DCTERMS.title), add(s0, DCTERMS.publisher, CARE2, graph(0)),
        put(s0, SK.sha256, ox.Literal("NOT-A-HASH")), put(s0, SK.length, integer("abc")),
        put(s1, DCTERMS.title, ox.Literal("A title", language="en")), put(s1, SCHEMA.url, ox.Literal("http://x.example/")),
        add(s1, SCHEMA.url, ox.NamedNode("http://y.example/"), graph(1)), put(s1, DCTERMS.publisher, WASHINGTON),
        add(s1, SK.segment, claim, graph(1)), put(s1, SK.length, integer("0")),
        drop(s2, DCTERMS.publisher), drop(s2, SK.sha256), drop(s2, SK.length),
        add(s2, DCTERMS.title, ox.Literal("Another title"), graph(2)),
        put(s3, SK.length, integer("-3")), add(s3, SK.sha256, ox.Literal("ab" * 32), graph(3)),
        put(s3, DCTERMS.title, ox.Literal("7", datatype=XSD.integer)), add(s4, SK.length, integer("12"), graph(4)),
    )


def segments_and_spans(seed: Quads) -> Quads:
    seg, more = of_type(seed, graph(0), SK.Segment), of_type(seed, graph(4), SK.Segment)
    spans = of_type(seed, graph(1), SK.Span)
    end = int(objects(seed, seg[2], OA.end)[0].value)
    return apply(
        seed,
        drop(seg[0], SK.segmentKind), put(seg[1], SK.segmentKind, SK.Drafty),
        put(seg[2], OA.start, integer(str(end + 5))), add(seg[3], OA.start, integer("1"), graph(0)),
        put(seg[3], OA.end, ox.Literal("7.5", datatype=XSD.decimal)),
        drop(more[0], OA.end), add(more[1], OA.end, integer("3"), graph(4)), put(more[2], OA.end, integer("-1")),
        put(more[3], OA.start, ox.Literal("1.5", datatype=XSD.decimal)), drop(more[4], OA.start),
        put(more[5], OA.start, integer("-2")), add(more[6], SK.segmentKind, SK.Body, graph(4)),
        drop(spans[0], OA.exact), put(spans[1], OA.exact, ox.Literal("")),
        put(spans[2], OA.exact, ox.Literal("words", language="en")), add(spans[3], OA.prefix, ox.Literal("x"), graph(1)),
        drop(spans[4], OA.suffix), put(spans[6], OA.end, integer("-1")),
        # Ill-typed offsets only on a mention: rdflib's SPARQL finds 1200 <= "x"^^xsd:integer true, Oxigraph an
        # error, so a claim's span with one would differ in SourceConsistencyShape's reader-comment query.
        put(mentions(seed, graph(1))[0], OA.start, integer("x")),
        put(spans[7], OA.hasSource, of_type(seed, graph(1), SK.Claim)[0]), drop(spans[8], SK.sha256),
        add(spans[9], OA.hasSource, ids.source(KEYS[2]), graph(1)), put(spans[10], OA.start, integer("999999")),
        drop(spans[11], OA.end), put(spans[12], OA.prefix, integer("3")),
        put(spans[13], OA.end, ox.Literal("30", datatype=XSD.decimal)), add(spans[14], OA.end, integer("2"), graph(1)),
        add(spans[15], OA.exact, ox.Literal("more"), graph(1)), drop(spans[16], OA.hasSource),
        drop(spans[17], OA.prefix), add(spans[18], OA.start, integer("0"), graph(1)), drop(spans[19], OA.start),
        put(spans[20], OA.suffix, ox.Literal("words", language="en")), add(spans[21], OA.suffix, ox.Literal(" "), graph(1)),
        add(spans[22], SK.sha256, ox.Literal("ef" * 32), graph(1)),
    )


def claims(seed: Quads) -> Quads:
    c = of_type(seed, graph(2), SK.Claim)
    spans = of_type(seed, graph(2), SK.Span)
    return apply(
        seed,
        drop(c[0], SK.claimKind), add(c[1], SK.claimKind, SK.Statistic, graph(2)), put(c[2], SK.claimKind, SK.Drafty),
        drop(c[3], SK.claimant), put(c[4], SK.claimant, ox.Literal("somebody")),
        put(c[5], PROV.wasDerivedFrom, ids.source(KEYS[3])), drop(c[6], SK.evidence),
        put(c[7], SK.evidence, of_type(seed, graph(2), SK.Segment)[0]), add(c[8], SK.provision, SK.Drafty, graph(2)),
        add(c[9], SK.status, SK.Signed, graph(2)), add(c[9], SK.status, SK.Drafty, graph(2)),
        add(c[10], SK.value, ox.Literal("abc", datatype=XSD.decimal), graph(2)),
        add(c[10], SK.value, ox.Literal("2", datatype=XSD.integer), graph(2)),
        add(c[11], SK.provision, ids.PROVISION_SCHEME, graph(2)), add(c[12], SK.evidence, spans[0], graph(2)),
        add(c[13], PROV.wasDerivedFrom, ids.source(KEYS[4]), graph(2)), drop(c[14], PROV.wasDerivedFrom),
        add(c[15], SK.claimant, CARE2, graph(2)),
    )


def reader_comments(seed: Quads) -> Quads:
    c = of_type(seed, graph(3), SK.Claim)
    segments = of_type(seed, graph(3), SK.Segment)
    span = objects(seed, c[1], SK.evidence)[0]
    start, end = (objects(seed, span, p)[0] for p in (OA.start, OA.end))
    other = objects(seed, c[2], SK.evidence)[0]
    return apply(
        seed,
        put(c[0], SK.claimKind, SK.ReaderComment),  # a reader comment outside the comments
        put(segments[0], SK.segmentKind, SK.ReaderComments),  # a non-comment now inside them
        put(segments[0], OA.start, start), put(segments[0], OA.end, end),
        put(other, SK.sha256, ox.Literal("cd" * 32)), put(other, OA.end, integer("999999")),
    )


def shared_entities(seed: Quads) -> Quads:
    """Violations in the entities graph; some articles say what changes them."""
    return apply(
        seed,
        drop(WASHINGTON, RDFS.label), add(WASHINGTON, RDFS.label, ox.Literal("Washington"), graph(0)),
        put(BOSTON, SK.within, CA_BILL), add(CA_BILL, RDF.type, SK.Jurisdiction, graph(1)),
        drop(ELRICH, SK.role), add(ELRICH, SK.role, SK.OfficialRole, graph(2)),
        add(CARE2, SK.role, SK.OfficialRole, ENTITIES), put(INSLEE, SK.role, SK.Drafty), drop(CARE2, RDFS.label),
        add(KELLY, RDFS.label, ox.Literal("J. Kelly"), graph(0)),
        drop(CA_TRUST, SK.orderKind), drop(CA_TRUST, RDFS.label), put(CA_BILL, SK.orderKind, SK.Drafty),
        add(INSLEE_ORDER, SK.orderKind, SK.Law, ENTITIES), add(CA_BILL, RDFS.label, ox.Literal("Another label"), ENTITIES),
        add(ILLINOIS, RDFS.label, ox.Literal("Illinois, again"), graph(3)),
        *[add(MALLOY, RDFS.label, label, graph(1)) for label in objects(seed, MALLOY, RDFS.label)],  # said twice
    )


def article_entities(seed: Quads) -> Quads:
    span = of_type(seed, graph(2), SK.Span)[0]
    claim = of_type(seed, graph(2), SK.Claim)[0]
    return apply(
        seed,
        drop(INSLEE, SK.office), put(KELLY, SK.office, ids.entity("organization", "dhs")),
        put(TRUMP, SK.officeIn, KELLY), drop(MALLOY, SK.evidence), drop(MALLOY, SK.officeIn),
        put(TRUST_ORDER, SK.issuedBy, claim), put(TRUST_ORDER, SK.jurisdiction, ELRICH),
        add(TRUST_ORDER, SK.status, SK.Drafty, graph(2)), add(TRUST_ORDER, SK.provision, SK.Drafty, graph(2)),
        add(claim, SK.about, ILLINOIS, graph(2)), add(claim, SK.about, INSLEE_ORDER, graph(2)),
        add(claim, SK.about, span, graph(2)), add(INSLEE_ORDER, SK.issuedBy, ox.Literal("the governor"), graph(0)),
        add(claim, SK.about, ox.Literal("sanctuary cities"), graph(2)),
    )


def within_statements(seed: Quads) -> Quads:
    """Statements of where a place lies: one that entities.yaml contradicts, one without its words."""
    seattle = ids.within_statement(KEYS[1], "seattle")
    hyattsville = ids.within_statement(KEYS[2], "hyattsville")
    assert objects(seed, seattle, RDF.type) == [RDF.Statement] and objects(seed, hyattsville, SK.evidence)
    return apply(
        seed,
        put(seattle, RDF.object, WASHINGTON),  # named in article 1 ("King County, Washington"), but not Seattle's within
        drop(hyattsville, SK.evidence),
    )


GROUPS = (sources, segments_and_spans, claims, reader_comments, shared_entities, article_entities, within_statements)


@pytest.mark.parametrize("plant", GROUPS, ids=[g.__name__ for g in GROUPS])
def test_planted_violations_match_pyshacl(seed: Quads, shapes: rdflib.Graph, plant: Callable[[Quads], Quads]):
    rows = assert_same(seed, plant(seed), shapes)
    assert rows


def test_all_groups_at_once_match_pyshacl(seed: Quads, shapes: rdflib.Graph):
    quads = seed
    for plant in GROUPS:
        quads = plant(quads)
    assert_same(seed, quads, shapes)


def test_every_constraint_of_our_shapes_is_planted(seed: Quads, shapes: rdflib.Graph):
    """Each (shape, path, component) and each SPARQL constraint fails somewhere in the groups above."""
    wanted = set()
    for top in shacl_model.load(shapes):
        for owner in (top, *top.properties):
            for c in owner.constraints:
                if c.component == "SPARQL":
                    wanted |= {(owner.name, None, c.iri, _gist(str(select.messages[0]))) for select in c.values}
                else:
                    wanted.add((owner.name, None if owner.path is None else str(owner.path), c.iri, ""))
                    wanted |= {(m.name, str(p.path), k.iri, "") for m in (c.values if c.component == "Node" else ())
                               for p in m.properties for k in p.constraints}
    found = {(r[5], r[2], r[6], _gist(r[7]) if r[6].endswith("SPARQLConstraintComponent") else "")
             for plant in GROUPS for r in engine_rows(plant(seed), shapes)}
    assert wanted - found == set()


def _gist(message: str) -> str:
    """What a SPARQL constraint's message says after its first {?value} (or IRI)."""
    return re.split(r"\{[^}]*\}|https?://\S+?(?=:? )", message, maxsplit=1)[-1].lstrip(": ")


def test_shared_violations_hold_where_no_article_changes_them(seed: Quads, shapes: rdflib.Graph):
    rows = engine_rows(shared_entities(seed), shapes)
    per_graph = {g: {r[1] for r in rows if r[0] == g} for g in (graph(i).value for i in range(5))}
    assert WASHINGTON.value not in per_graph[graph(0).value]  # article 0 gives it its label back
    assert all(WASHINGTON.value in per_graph[graph(i).value] for i in range(1, 5))
    assert BOSTON.value not in per_graph[graph(1).value] and BOSTON.value in per_graph[graph(2).value]
    assert ILLINOIS.value in per_graph[graph(3).value] and ILLINOIS.value not in per_graph[graph(2).value]


def test_a_value_failing_two_parameters_is_reported_twice(seed: Quads, shapes: rdflib.Graph):
    rows = engine_rows(sources(seed), shapes)
    minimum = [r for r in rows if r[1] == ids.source(KEYS[3]).value and r[6].endswith("MinInclusiveConstraintComponent")]
    assert len(minimum) == 2  # -3 fails both sh:minInclusive 0 and 1, and pyshacl says so twice


def test_sh_node_reports_the_nested_results_too(seed: Quads, shapes: rdflib.Graph):
    rows = engine_rows(segments_and_spans(seed), shapes)
    nested = [r for r in rows if r[1] == SK.Drafty.value]
    assert [(r[2], r[5], r[6].rsplit("#", 1)[-1]) for r in nested] == [
        (ids.SKOS.inScheme.value, "https://w3id.org/sanctuary-kg/shapes#SegmentKind", "HasValueConstraintComponent")]


def test_used_entities(seed: Quads, shapes: rdflib.Graph):
    rows = engine_rows(article_entities(seed), shapes)
    used = {r[1] for r in rows if r[5].endswith("UsedEntityShape")}
    assert {ILLINOIS.value, INSLEE_ORDER.value, MALLOY.value} <= used
    assert of_type(seed, graph(2), SK.Span)[0].value not in used  # a span is no jurisdiction, official or order


SYNTHETIC = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix sk: <https://w3id.org/sanctuary-kg/ontology#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix ex: <https://example.org/shapes#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

ex: sh:declare [ sh:prefix "oa" ; sh:namespace "http://www.w3.org/ns/oa#"^^xsd:anyURI ] .
ex:Kind a sh:NodeShape ; sh:property [ sh:path <http://www.w3.org/2004/02/skos/core#inScheme> ;
    sh:hasValue sk:ClaimKinds ; sh:severity sh:Warning ] .
ex:Spans a sh:NodeShape ; sh:targetClass sk:Span ;
    sh:property [ sh:path oa:exact ; sh:maxLength 1000 ; sh:minCount 1 ] ;
    sh:property [ sh:path oa:start ; sh:lessThan oa:end ; sh:minInclusive 3, 2 ; sh:maxCount 1 ] ;
    sh:property [ sh:path oa:prefix ; sh:pattern "^[A-Z]" ; sh:datatype xsd:string ] .
ex:Claims a sh:NodeShape ; sh:targetSubjectsOf sk:claimKind ;
    sh:property [ sh:path sk:claimKind ; sh:node ex:Kind ; sh:class sk:Claim ] ;
    sh:property [ sh:path sk:evidence ; sh:nodeKind sh:Literal ; sh:severity sh:Info ] ;
    sh:property [ sh:path sk:claimant ; sh:hasValue sk:Nobody ; sh:minLength 60 ] ;
    sh:or ( [ sh:path sk:provision ; sh:minCount 1 ] [ sh:class sk:Span ] ) ;
    sh:not [ sh:class sk:Claim ] .
ex:Lenient a sh:NodeShape ; sh:targetClass sk:Claim ;
    sh:or ( [ sh:path sk:provision ; sh:minCount 1 ; sh:severity sh:Warning ] [ sh:class sk:Span ] ) ;
    sh:not [ sh:class sk:Span ; sh:severity sh:Info ] .
ex:Sources a sh:NodeShape ; sh:targetObjectsOf prov:wasDerivedFrom ;
    sh:sparql [ sh:prefixes ex: ;
                sh:select "SELECT $this ?value ?start { ?value oa:hasSource $this ; oa:start ?start FILTER (?start < 40) }" ] ,
              [ sh:prefixes ex: ; sh:message "{$this} starts a span at {?start} ({?value})" ;
                sh:select "SELECT $this ?value ?start { ?value oa:hasSource $this ; oa:start ?start FILTER (?start < 40) }" ] .
"""


def test_default_messages_severities_and_more_components(seed: Quads, shapes: rdflib.Graph, tmp_path: Path):
    """Shapes without sh:message get pyshacl's own messages; Warning and Info results; a node used by sh:node."""
    (tmp_path / "synthetic.ttl").write_text(SYNTHETIC, encoding="utf-8")
    synthetic = rdflib.Graph().parse(tmp_path / "synthetic.ttl")
    with pytest.raises(ShapeError, match="sh:maxLength"):
        engine_rows(seed, synthetic)
    synthetic.remove((None, SH.maxLength, None))
    claim = of_type(seed, graph(4), SK.Claim)[0]
    spans = of_type(seed, graph(4), SK.Span)
    end = objects(seed, spans[1], OA.end)[0]
    quads = apply(seed, put(claim, SK.claimKind, SK.Drafty), drop(spans[0], OA.exact), put(spans[1], OA.start, end))
    articles = [ids.source_graph(k).value for k in KEYS]
    fast = engine_rows(quads, synthetic)
    assert fast == pyshacl_rows(quads, synthetic, articles)
    assert {r[4] for r in fast} == {"Violation", "Warning", "Info"}
    components = {r[6].rsplit("#", 1)[-1][:-len("ConstraintComponent")] for r in fast}
    assert components == {"Class", "HasValue", "LessThan", "MinCount", "MinInclusive", "MinLength", "Node", "NodeKind",
                          "Not", "Or", "Pattern", "SPARQL"}
    assert any(r[7] == f"Less than 1 values on <{spans[0].value}>->oa:exact" for r in fast)


@pytest.mark.parametrize("feature, snippet", [
    ("sh:qualifiedValueShape", "sh:property [ sh:path sk:about ; sh:qualifiedValueShape [ sh:class sk:Order ] ; "
                               "sh:qualifiedMinCount 1 ]"),
    ("sh:in", "sh:property [ sh:path sk:claimKind ; sh:in ( sk:Statistic ) ]"),
    ("sh:path that is not a single predicate", "sh:property [ sh:path ( sk:about sk:within ) ; sh:minCount 1 ]"),
    ("targetNode", "sh:targetNode sk:Statistic"),
])
def test_an_unsupported_feature_is_refused_naming_the_shape(seed: Quads, feature: str, snippet: str):
    shapes = rdflib.Graph().parse(data=f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix sk: <https://w3id.org/sanctuary-kg/ontology#> .
        <https://example.org/shapes#Odd> a sh:NodeShape ; sh:targetClass sk:Claim ; {snippet} .""", format="turtle")
    with pytest.raises(ShapeError) as error:
        engine_rows(seed[:10], shapes)
    assert "https://example.org/shapes#Odd" in str(error.value) and feature.split()[0] in str(error.value)


def test_a_sparql_constraint_using_an_unsupported_form_is_refused(seed: Quads):
    shapes = rdflib.Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix sk: <https://w3id.org/sanctuary-kg/ontology#> .
        <https://example.org/shapes#Odd> a sh:NodeShape ; sh:targetClass sk:Claim ;
            sh:sparql [ sh:select "SELECT $this WHERE { $this <urn:p>/<urn:q> ?x }" ] .""", format="turtle")
    with pytest.raises(ShapeError, match="property path"):
        engine_rows(seed, shapes)


def _shared_part(quads: Quads) -> set[str]:
    return {str(q) for q in quads if q.graph_name.value in SHARED}  # type: ignore[union-attr]


@pytest.mark.parametrize("plant", GROUPS, ids=[g.__name__ for g in GROUPS])
def test_what_the_shared_graphs_alone_give_is_reused_unchanged(seed: Quads, shapes: rdflib.Graph,
                                                               plant: Callable[[Quads], Quads]):
    """Results of the shared graphs alone, kept from a run on other articles, give the same results."""
    broken = shared_entities(seed)  # the shared graphs have violations of their own
    planted = plant(broken)
    base = broken if _shared_part(planted) == _shared_part(broken) else planted  # the same shared graphs, at least
    known: shacl.Known = {}
    engine_rows(base, shapes, known)  # fills known
    assert any(entries for shape in known.values() for entries in shape)
    assert engine_rows(planted, shapes, known) == engine_rows(planted, shapes)
