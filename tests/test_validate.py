"""validate: SHACL per article plus an independent check of every span against its article."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from sanctuary_kg import ids
from sanctuary_kg import validate as validate_lib
from sanctuary_kg.errors import ExitCode
from sanctuary_kg.files import Layout
from sanctuary_kg.ids import OA, PROV, RDFS, SK, XSD

KEY = "002_99daf81b38207396"
GRAPH = ids.source_graph(KEY)
CLAIM = ids.claim(KEY, "elrich-force-of-law")


@pytest.fixture
def copy(built: Layout, tmp_path: Path) -> Layout:
    """A private copy of the built seed graph that a test may corrupt."""
    layout = Layout.default(seeds=tmp_path / "seeds", build=tmp_path / "build")
    shutil.copytree(built.seeds, layout.seeds)
    layout.build.mkdir()
    shutil.copy(built.dataset, layout.dataset)
    return layout


def rewrite(layout: Layout, change) -> None:
    quads = list(ox.parse(path=layout.dataset, format=ox.RdfFormat.N_QUADS))
    quads = change(quads)
    with layout.dataset.open("wb") as out:
        ox.serialize(quads, out, format=ox.RdfFormat.N_QUADS)


def evidence_of(quads: list[ox.Quad], subject: ox.NamedNode) -> ox.NamedNode:
    return next(q.object for q in quads if q.subject == subject and q.predicate == SK.evidence)  # type: ignore[return-value]


def validate(layout: Layout) -> validate_lib.Report:
    return validate_lib.validate(layout.dataset, layout.shapes, layout.seeds)


def test_the_seed_graph_conforms(built: Layout, run_cli):
    result = run_cli("--seeds", built.seeds, "--build-dir", built.build, "validate")
    assert result.code == ExitCode.OK, result.out + result.err
    assert result.out.startswith("conforms: 5 articles, ") and "spans checked" in result.out


def test_a_span_shifted_by_one_character_fails_naming_the_claim(copy: Layout, run_cli):
    def shift(quads):
        span = evidence_of(quads, CLAIM)
        out = []
        for q in quads:
            if q.subject == span and q.predicate in (OA.start, OA.end):
                q = ox.Quad(q.subject, q.predicate, ox.Literal(str(int(q.object.value) + 1), datatype=XSD.integer), q.graph_name)
            out.append(q)
        return out

    rewrite(copy, shift)
    result = run_cli("--seeds", copy.seeds, "--build-dir", copy.build, "validate")
    assert result.code == ExitCode.INVALID
    assert f"evidence of {CLAIM.value}" in result.out
    assert "the graph does not conform" in result.err
    report = validate(copy)
    checks = {f.check for f in report.findings}
    assert "span-text" in checks
    assert any("SourceConsistencyShape" in f.check for f in report.findings)  # the IRI no longer matches


def test_one_edited_byte_of_an_article_fails_naming_the_claims(copy: Layout):
    path = copy.seeds / f"{KEY}.txt"
    data = path.read_bytes()
    at = data.index(b"force of law")
    path.write_bytes(data[:at] + b"F" + data[at + 1 :])
    report = validate(copy)
    assert not report.conforms
    messages = [f.message for f in report.findings]
    assert any("has changed since the graph was built" in m for m in messages)
    assert any(CLAIM.value in m for m in messages)


def test_a_missing_article_is_reported(copy: Layout):
    (copy.seeds / f"{KEY}.txt").unlink()
    report = validate(copy)
    assert not report.conforms and any("is missing" in f.message for f in report.findings)


def findings_after(copy: Layout, change) -> list[validate_lib.Finding]:
    rewrite(copy, change)
    report = validate(copy)
    assert not report.conforms
    return [f for f in report.findings if f.check != "span-text"]


def test_a_claim_without_a_kind_violates_the_claim_shape(copy: Layout):
    found = findings_after(copy, lambda qs: [q for q in qs if not (q.subject == CLAIM and q.predicate == SK.claimKind)])
    assert [(f.focus, f.path) for f in found] == [(CLAIM.value, SK.claimKind.value)]
    assert "needs one kind" in found[0].message


def test_a_claim_without_evidence_violates_the_claim_shape(copy: Layout):
    found = findings_after(copy, lambda qs: [q for q in qs if not (q.subject == CLAIM and q.predicate == SK.evidence)])
    assert (CLAIM.value, SK.evidence.value) in [(f.focus, f.path) for f in found]


def test_a_reporting_claim_marked_as_reader_comment_is_caught(copy: Layout):
    def relabel(quads):
        return [ox.Quad(q.subject, q.predicate, SK.ReaderComment, q.graph_name)
                if q.subject == CLAIM and q.predicate == SK.claimKind else q for q in quads]

    found = findings_after(copy, relabel)
    assert any(f.value == CLAIM.value and "reader comment must lie" in f.message for f in found)


def test_a_status_outside_its_scheme_is_caught(copy: Layout):
    order = ids.entity("order", "promoting-community-trust-executive-order")

    def restatus(quads):
        return quads + [ox.Quad(order, SK.status, SK.Drafty, GRAPH)]

    found = findings_after(copy, restatus)
    assert any(f.focus == order.value and f.path == SK.status.value for f in found)


def test_a_value_outside_its_list_is_explained_to_the_curator(copy: Layout):
    # the nested result of the controlled-value shape names the list, not pyshacl's "does not contain a value"
    order = ids.entity("order", "promoting-community-trust-executive-order")
    found = findings_after(copy, lambda qs: qs + [ox.Quad(order, SK.status, SK.Body, GRAPH)])
    nested = [f for f in found if f.focus == SK.Body.value]
    assert [f.path for f in nested] == ["http://www.w3.org/2004/02/skos/core#inScheme"]
    assert nested[0].message.startswith("An order status must be one of the order statuses in ontology/sanctuary.ttl")
    assert "filed" in nested[0].message


def test_every_controlled_value_shape_has_a_message(built: Layout):
    shapes = rdflib.Graph().parse(built.shapes / "sanctuary.shapes.ttl")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    for name in ("OrderKind", "OrderStatus", "ClaimKind", "SegmentKind", "Role", "Provision"):
        shape = rdflib.URIRef(f"https://w3id.org/sanctuary-kg/shapes#{name}")
        properties = list(shapes.objects(shape, sh.property))
        assert properties, name
        for prop in properties:
            assert str(shapes.value(prop, sh.message) or "").endswith(")."), name


def test_a_jurisdiction_used_without_evidence_is_caught(copy: Layout):
    illinois = ids.entity("jurisdiction", "illinois")  # named by no article
    found = findings_after(copy, lambda qs: qs + [ox.Quad(CLAIM, SK.about, illinois, GRAPH)])
    assert [f.focus for f in found] == [illinois.value]
    assert "no evidence" in found[0].message


def test_a_span_whose_start_is_not_before_its_end_is_caught(copy: Layout):
    def flip(quads):
        span = evidence_of(quads, CLAIM)
        return [ox.Quad(q.subject, q.predicate, ox.Literal("99999", datatype=XSD.integer), q.graph_name)
                if q.subject == span and q.predicate == OA.start else q for q in quads]

    found = findings_after(copy, flip)
    assert any(f.path == OA.start.value and "before its end" in f.message for f in found)


def test_evidence_from_another_source_is_caught(copy: Layout):
    other = ids.source(KEY.replace("002", "003").replace("99daf81b38207396", "ac4e94ca39e181a2"))
    found = findings_after(copy, lambda qs: [
        ox.Quad(q.subject, PROV.wasDerivedFrom, other, q.graph_name) if q.subject == CLAIM and q.predicate == PROV.wasDerivedFrom else q
        for q in qs])
    assert [(f.focus, f.path, f.check) for f in found] == [
        (CLAIM.value, PROV.wasDerivedFrom.value, "https://w3id.org/sanctuary-kg/shapes#ClaimShape")]


def test_json_and_turtle_reports(copy: Layout, run_cli):
    rewrite(copy, lambda qs: [q for q in qs if not (q.subject == CLAIM and q.predicate == SK.claimKind)])
    as_json = run_cli("--seeds", copy.seeds, "--build-dir", copy.build, "validate", "--format", "json")
    assert as_json.code == ExitCode.INVALID
    report = json.loads(as_json.out)
    assert report["conforms"] is False and report["findings"][0]["focus"] == CLAIM.value
    as_ttl = run_cli("--seeds", copy.seeds, "--build-dir", copy.build, "validate", "--format", "ttl")
    g = rdflib.Graph().parse(data=as_ttl.out, format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert (None, sh.conforms, rdflib.Literal(False)) in g
    assert (None, sh.focusNode, rdflib.URIRef(CLAIM.value)) in g


def test_validate_without_a_build_says_what_to_do(tmp_path: Path, run_cli):
    result = run_cli("--build-dir", tmp_path / "nothing", "validate")
    assert result.code == ExitCode.INPUT and "run `sanctuary-kg build` first" in result.err


def test_a_recorded_prefix_or_suffix_that_is_not_the_articles_is_caught(copy: Layout):
    def retext(quads):
        span = evidence_of(quads, CLAIM)
        return [ox.Quad(q.subject, q.predicate, ox.Literal("not what precedes it"), q.graph_name)
                if q.subject == span and q.predicate == OA.prefix else q for q in quads]

    rewrite(copy, retext)
    found = [f for f in validate(copy).findings if f.check == "span-text"]
    assert [(f.path, f.message.split(" (")[0]) for f in found] == [
        (OA.prefix.value, "the article reads 'ding to the order.\\n\\n' before 1344, "
                          "not the recorded prefix 'not what precedes it'")]
    assert CLAIM.value in found[0].message


def test_both_engines_report_the_same_findings(copy: Layout):
    def damage(quads):
        span = evidence_of(quads, CLAIM)
        quads = [q for q in quads if not (q.subject == CLAIM and q.predicate == SK.claimKind)]
        return [ox.Quad(q.subject, q.predicate, ox.Literal("99999", datatype=XSD.integer), q.graph_name)
                if q.subject == span and q.predicate == OA.start else q for q in quads]

    rewrite(copy, damage)
    fast = validate_lib.validate(copy.dataset, copy.shapes, copy.seeds, engine="fast")
    reference = validate_lib.validate(copy.dataset, copy.shapes, copy.seeds, engine="pyshacl")
    assert fast == reference
    assert {f.check.rsplit("#", 1)[-1] for f in fast.findings} >= {"ClaimShape", "SpanShape"}


def test_unchanged_articles_keep_their_findings_until_their_text_changes(copy: Layout):
    cache = copy.build / "validated.sqlite"

    def run() -> validate_lib.Report:
        return validate_lib.validate(copy.dataset, copy.shapes, copy.seeds, cache=cache)

    first = run()
    assert first.conforms and first.reused == 0
    again = run()
    assert again == validate_lib.Report(first.conforms, first.findings, first.articles, first.spans, reused=5)
    path = copy.seeds / f"{KEY}.txt"
    data = path.read_bytes()
    path.write_bytes(data.replace(b"force of law", b"Force of law"))
    edited = run()
    assert edited.reused == 4 and not edited.conforms
    assert {f.graph for f in edited.findings} == {GRAPH.value}
    path.write_bytes(data)
    assert run().conforms


def test_a_changed_graph_is_checked_again(copy: Layout):
    cache = copy.build / "validated.sqlite"
    assert validate_lib.validate(copy.dataset, copy.shapes, copy.seeds, cache=cache).conforms
    rewrite(copy, lambda qs: [q for q in qs if not (q.subject == CLAIM and q.predicate == SK.claimKind)])
    report = validate_lib.validate(copy.dataset, copy.shapes, copy.seeds, cache=cache)
    assert report.reused == 4 and [f.focus for f in report.findings] == [CLAIM.value]


def test_the_validate_command_takes_an_engine_and_a_cache(copy: Layout, run_cli):
    args = ("--seeds", copy.seeds, "--build-dir", copy.build, "validate")
    assert run_cli(*args, "--engine", "pyshacl").code == ExitCode.OK
    assert (copy.build / "validated.sqlite").exists()
    assert run_cli(*args, "--no-cache", "--format", "json").code == ExitCode.OK
    assert run_cli(*args, "--engine", "jena").code == ExitCode.USAGE


def test_processes_sharing_the_articles_find_what_one_process_finds(copy: Layout):
    rewrite(copy, lambda qs: [q for q in qs if not (q.subject == CLAIM and q.predicate == SK.claimKind)])
    path = copy.seeds / "000_e0473f51d43d97b2.txt"
    path.write_bytes(path.read_bytes() + b" ")
    one = validate_lib.validate(copy.dataset, copy.shapes, copy.seeds, jobs=1)
    two = validate_lib.validate(copy.dataset, copy.shapes, copy.seeds, jobs=2)
    assert one == two and not one.conforms
    assert {f.graph for f in one.findings} == {GRAPH.value, ids.source_graph("000_e0473f51d43d97b2").value}


def test_an_article_checked_again_with_what_the_shared_graphs_gave_before_finds_the_same(copy: Layout):
    washington = ids.entity("jurisdiction", "washington")
    rewrite(copy, lambda qs: [q for q in qs if not (q.subject == washington and q.predicate == RDFS.label)])
    cache = copy.build / "validated.sqlite"
    first = validate_lib.validate(copy.dataset, copy.shapes, copy.seeds, cache=cache)
    assert any(f.focus == washington.value for f in first.findings)  # a violation of the shared graphs
    rewrite(copy, lambda qs: [q for q in qs if not (q.subject == CLAIM and q.predicate == SK.claimKind)])
    again = validate_lib.validate(copy.dataset, copy.shapes, copy.seeds, cache=cache)
    assert again.reused == 4
    assert again == replace(validate_lib.validate(copy.dataset, copy.shapes, copy.seeds), reused=4)
    assert any(f.focus == washington.value and f.graph == GRAPH.value for f in again.findings)
