"""The fact sheets cover the articles: counts per article and kind, and what must be there."""

from __future__ import annotations

from collections import Counter

from sanctuary_kg import build as build_lib
from sanctuary_kg.files import Layout

# What the curated sheets record, per article and claim kind. A change to a fact sheet that
# changes these counts must change this table too, on purpose.
EXPECTED = {
    "000_e0473f51d43d97b2": {"direct-quote": 10, "reported-statement": 13, "statistic": 3},
    "001_a285dc5bd2db45e9": {"reported-statement": 22, "statistic": 3, "reader-comment": 9},
    "002_99daf81b38207396": {"direct-quote": 9, "reported-statement": 21, "statistic": 2},
    "003_ac4e94ca39e181a2": {"direct-quote": 4, "reported-statement": 19, "statistic": 3},
    "004_913d320b1791bd7c": {"direct-quote": 5, "reported-statement": 15, "statistic": 1},
}


def counts(built: Layout) -> dict[str, dict[str, int]]:
    seeds = build_lib.read_seeds(built)
    return {a.key: dict(Counter(c.spec.kind for c in a.claims)) for a in seeds.sheets}


def test_claim_counts_per_article_and_kind(built: Layout):
    found = counts(built)
    print("\n".join(f"{key}: {kinds}" for key, kinds in found.items()))
    assert found == EXPECTED


def test_the_seeds_hold_dozens_of_quotes_and_statistics(built: Layout):
    total = Counter()
    for kinds in counts(built).values():
        total.update(kinds)
    assert total["direct-quote"] >= 20
    assert total["statistic"] >= 10
    assert total["reported-statement"] >= 50


def test_every_article_records_jurisdictions_orders_and_segments(built: Layout):
    seeds = build_lib.read_seeds(built)
    for a in seeds.sheets:
        used = {seeds.entities.by_id[k].kind for k in a.mentions}
        assert {"jurisdiction", "person", "organization", "order"} <= used, a.key
        kinds = {s.kind for s in a.segments}
        assert {"headline", "body"} <= kinds, a.key
    by_key = {a.key: a for a in seeds.sheets}
    assert {s.kind for s in by_key["001_a285dc5bd2db45e9"].segments} >= {"reader-comments"}
    assert {s.kind for s in by_key["004_913d320b1791bd7c"].segments} >= {"bio"}
    assert by_key["002_99daf81b38207396"].sheet.byline == "frieda-powers"


def test_the_named_jurisdictions_are_all_there(built: Layout):
    seeds = build_lib.read_seeds(built)
    named = {k for a in seeds.sheets for k in a.mentions if seeds.entities.by_id[k].kind == "jurisdiction"}
    assert {"united-states", "washington", "king-county", "seattle", "cook-county", "boston", "california",
            "san-francisco", "los-angeles", "maryland", "montgomery-county", "hyattsville", "takoma-park",
            "district-of-columbia", "connecticut", "mexico-city"} <= named


def test_reader_comments_are_claims_of_readers_only(built: Layout):
    seeds = build_lib.read_seeds(built)
    for a in seeds.sheets:
        for c in a.claims:
            role = seeds.entities.by_id[c.spec.by].role
            if c.spec.kind == "reader-comment":
                assert role == "reader", c.spec.id
                assert not c.spec.provisions and not c.spec.status
            else:
                assert role != "reader", c.spec.id


def test_every_headline_is_a_claim_of_its_publisher(built: Layout):
    seeds = build_lib.read_seeds(built)
    for a in seeds.sheets:
        [headline] = [s.span for s in a.segments if s.kind == "headline"]
        claims = [c for c in a.claims if headline.start <= c.span.start and c.span.end <= headline.end]
        assert claims, f"{a.key}: no claim for the headline"
        assert (claims[0].span.start, claims[0].spec.by, claims[0].spec.kind) == \
            (headline.start, a.sheet.publisher, "reported-statement"), a.key


OPENING, CLOSING = "\u201c\"", "\u201d\""


def test_a_direct_quote_holds_only_the_quoted_words(built: Layout):
    # a span that takes in quotation marks opens and closes with them: no reporter's words around them
    seeds = build_lib.read_seeds(built)
    for a in seeds.sheets:
        for c in a.claims:
            exact = c.span.exact
            if c.spec.kind == "direct-quote" and any(mark in exact for mark in OPENING + CLOSING):
                assert exact[0] in OPENING and exact[-1] in CLOSING, (a.key, c.spec.id, exact)
    quotes = {c.spec.id: c.span.exact for a in seeds.sheets for c in a.claims}
    assert quotes["torres-extraordinary"] == "\u201cextraordinary \u201d"
    assert quotes["letter-not-impede"] == "\u201cimpede federal immigration activity,\u201d"


def test_a_year_is_not_a_statistic(built: Layout):
    # the ontology's statistic is a share, an amount, a count or a vote; a date belongs to the claim it dates
    seeds = build_lib.read_seeds(built)
    for a in seeds.sheets:
        for c in a.claims:
            assert not (c.spec.kind == "statistic" and c.spec.unit == "year"), (a.key, c.spec.id)
