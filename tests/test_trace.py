"""Tracing claims, orders, officials and jurisdictions to the exact words of their articles."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from sanctuary_kg import output, sparql
from sanctuary_kg import trace as trace_lib
from sanctuary_kg.cli import main
from sanctuary_kg.errors import ExitCode, QueryError
from sanctuary_kg.files import Layout
from sanctuary_kg.sparql import Target
from sanctuary_kg.trace import ArticleStatus, sentence_around

MARKED = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)
FORCE_OF_LAW = "\u201cNow, we\u2019ve laid it out in an Executive Order, so it has the force of law,\u201d"
CHARACTERS = re.compile(r"characters (\d+)-(\d+) · id:source/(\w+)#char=")


@pytest.fixture(scope="module")
def target(built: Layout) -> Iterator[Target]:
    yield Target(store=sparql.open_store(built.store))


def invoke(layout: Layout, *args: str) -> tuple[int, str, str]:
    """Run the real command (with its error boundary); return exit code, stdout and stderr."""
    runner = CliRunner()
    with runner.isolation() as (out, err, _):
        try:
            main(["--seeds", str(layout.seeds), "--build-dir", str(layout.build), *args])
        except SystemExit as done:
            code = int(done.code or 0)
    return code, out.getvalue().decode(), err.getvalue().decode()


def claim_ids(target: Target) -> list[str]:
    query = """SELECT ?id WHERE { GRAPH ?g { ?c a <https://w3id.org/sanctuary-kg/ontology#Claim> ;
        <http://purl.org/dc/terms/identifier> ?id } } ORDER BY ?id"""
    return [row[0].value for row in target.run(query, "SELECT").rows]  # type: ignore[union-attr]


def test_trace_prints_every_claims_span_exactly_as_the_article_has_it(built: Layout, target: Target) -> None:
    ids = claim_ids(target)
    assert len(ids) == 139
    texts: dict[str, str] = {}
    for claim in ids:
        code, out, err = invoke(built, "trace", claim)
        assert code == 0, err
        marked, found = MARKED.findall(out), CHARACTERS.findall(out)
        assert len(marked) == len(found) == 1, out
        start, end, key = found[0]
        if key not in texts:
            texts[key] = (built.seeds / f"{key}.txt").read_text(encoding="utf-8")
        assert marked[0] == texts[key][int(start):int(end)]
        assert claim.startswith(key + "/")
        assert "matches the article" in out


def test_trace_of_a_claim(built: Layout, target: Target) -> None:
    found = trace_lib.trace("002_99daf81b38207396/elrich-force-of-law", target, built.seeds)
    assert found.thing == "https://w3id.org/sanctuary-kg/id/claim/002_99daf81b38207396/elrich-force-of-law"
    assert found.types == ("sk:Claim",)
    [evidence] = found.evidence
    assert evidence.span == "https://w3id.org/sanctuary-kg/id/source/002_99daf81b38207396#char=1344,1419"
    assert (evidence.start, evidence.end, evidence.article, evidence.via) == (1344, 1419, ArticleStatus.MATCHES, None)
    assert evidence.exact == FORCE_OF_LAW
    assert evidence.before == ""  # the quote opens its paragraph
    assert evidence.after == " Elrich, a Democrat who\u00a0took office in December, told The Post."
    source = evidence.source
    assert (source.key, source.title, source.publisher) == (
        "002_99daf81b38207396",
        "Major D.C. suburb issues executive order to block local officials from cooperating with ICE", "BizPac Review")
    assert source.address and source.address.startswith("https://www.bizpacreview.com/2019/07/23/")
    assert source.sha256 == "1cd1a5c1153657ac2b59d28108fcf132b6ad27ed97df0fac7a6f52747a8c52df"


def test_trace_of_an_order_shows_its_mentions_and_the_claims_that_code_it(built: Layout, target: Target) -> None:
    found = trace_lib.trace("promoting-community-trust-executive-order", target, built.seeds)
    assert found.label == "Promoting Community Trust Executive Order (Montgomery County)"
    spans = {(e.start, e.end): e for e in found.evidence}
    assert len(spans) == len(found.evidence)  # each span once
    issued = spans[(599, 666)]  # the order's own evidence: who signed it, for where
    assert issued.exact == "The order, signed Monday by Montgomery County Executive Marc Elrich"
    assert issued.via is None
    coded = spans[(599, 754)]  # the claim that states its provision (no judicial warrant, no help)
    assert coded.via == "https://w3id.org/sanctuary-kg/id/claim/002_99daf81b38207396/order-bars-assisting-ice"
    text = (built.seeds / "002_99daf81b38207396.txt").read_text(encoding="utf-8")
    for e in found.evidence:
        assert text[e.start:e.end] == e.exact
        assert e.article is ArticleStatus.MATCHES
    assert [e.start for e in found.evidence] == sorted(e.start for e in found.evidence)


def test_trace_of_an_official_and_of_a_jurisdiction(built: Layout, target: Target) -> None:
    elrich = trace_lib.trace("Marc Elrich", target, built.seeds)
    assert "Montgomery County Executive Marc Elrich" in [e.exact for e in elrich.evidence]  # his office
    assert "sk:Official" in elrich.types
    washington = trace_lib.trace("washington", target, built.seeds)
    keys = {e.source.key for e in washington.evidence}
    assert keys == {"000_e0473f51d43d97b2", "001_a285dc5bd2db45e9"}  # named by two articles


def test_trace_of_a_jurisdiction_shows_the_words_that_place_it(built: Layout, target: Target) -> None:
    seattle = trace_lib.trace("seattle", target, built.seeds)
    placed = [e for e in seattle.evidence if e.via is not None]
    assert [(e.via, e.start, e.end, e.exact) for e in placed] == [
        ("https://w3id.org/sanctuary-kg/id/statement/001_a285dc5bd2db45e9/seattle/within", 585, 632,
         "King County, Washington, which contains Seattle")]
    code, out, _ = invoke(built, "trace", "seattle")
    assert code == 0
    assert "via statement id:statement/001_a285dc5bd2db45e9/seattle/within" in out
    assert "[[King County, Washington, which contains Seattle]]" in out


def test_trace_json(built: Layout) -> None:
    code, out, _ = invoke(built, "trace", "elrich-force-of-law", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["evidence"][0]["article"] == "matches"
    assert doc["evidence"][0]["source"]["publisher"] == "BizPac Review"


def test_trace_highlights_on_a_terminal(built: Layout, target: Target) -> None:
    found = trace_lib.trace("elrich-force-of-law", target, built.seeds)
    shown = output.trace_text(found, color=True)
    assert "\x1b[1;33m\u201cNow, we\u2019ve" in shown and "[[" not in shown
    plain = output.trace_text(found)
    assert "\x1b" not in plain
    assert f"[[{FORCE_OF_LAW}]] Elrich" in plain


def test_a_changed_article_is_reported(built: Layout, target: Target, tmp_path: Path) -> None:
    seeds = shutil.copytree(built.seeds, tmp_path / "seeds")
    path = seeds / "002_99daf81b38207396.txt"
    path.write_text("Edited. " + path.read_text(encoding="utf-8"), encoding="utf-8")
    found = trace_lib.trace("elrich-force-of-law", target, seeds)
    [evidence] = found.evidence
    assert evidence.article is ArticleStatus.CHANGED
    recorded = ("ldings according to the order.\n\n", " Elrich, a Democrat who\u00a0took off")
    assert (evidence.before, evidence.after) == recorded  # the graph's prefix and suffix
    changed = Layout.default(seeds=seeds, build=built.build)
    code, out, err = invoke(changed, "trace", "elrich-force-of-law")
    assert code == ExitCode.INVALID
    assert "NO LONGER MATCHES" in out
    assert "1 span(s) no longer match their article: rebuild" in err


def test_a_missing_article_is_noted(built: Layout, target: Target, tmp_path: Path) -> None:
    seeds = shutil.copytree(built.seeds, tmp_path / "seeds")
    (seeds / "002_99daf81b38207396.txt").unlink()
    found = trace_lib.trace("elrich-force-of-law", target, seeds)
    assert found.evidence[0].article is ArticleStatus.MISSING
    code, out, err = invoke(Layout.default(seeds=seeds, build=built.build), "trace", "elrich-force-of-law")
    assert code == 0
    assert "cannot be checked" in out and "not checked: their article is not in" in err


def test_a_span_whose_text_moved_is_reported(built: Layout) -> None:
    store = ox.Store()
    store.bulk_load(path=built.dataset, format=ox.RdfFormat.N_QUADS)
    span = ox.NamedNode("https://w3id.org/sanctuary-kg/id/source/002_99daf81b38207396#char=1344,1419")
    exact = ox.NamedNode("http://www.w3.org/ns/oa#exact")
    [quad] = list(store.quads_for_pattern(span, exact, None, None))
    store.remove(quad)
    store.add(ox.Quad(span, exact, ox.Literal("something else"), quad.graph_name))
    found = trace_lib.trace("elrich-force-of-law", Target(store=store), built.seeds)
    assert found.evidence[0].article is ArticleStatus.MOVED


def test_trace_of_something_without_evidence_or_unknown(built: Layout, target: Target) -> None:
    with pytest.raises(QueryError, match="sk:County has no evidence spans: trace works on claims"):
        trace_lib.trace("sk:County", target, built.seeds)
    code, _, err = invoke(built, "trace", "elrich-force-of-lav")
    assert code == ExitCode.QUERY
    assert "did you mean" not in err or "elrich" in err
    assert err.startswith("sanctuary-kg: error: nothing in the graph is called 'elrich-force-of-lav'")


@pytest.mark.parametrize(("text", "start", "end", "expected"), [
    ("One. Two three four. Five.", 9, 14, ("Two ", " four.")),
    ("A D.C. suburb issues an order. Next.", 7, 13, ("A D.C. ", " issues an order.")),  # not cut at "D.C."
    ("First line\nsecond line has it here\nthird", 27, 29, ("second line has ", " here")),
    ("He said. \u201cQuoted words,\u201d he said.", 9, 24, ("", " he said.")),
    ("x" * 300 + " span " + "y" * 300, 301, 305, ("…" + "x" * 239 + " ", " " + "y" * 239 + "…")),
])
def test_sentence_around(text: str, start: int, end: int, expected: tuple[str, str]) -> None:
    assert sentence_around(text, start, end) == expected
