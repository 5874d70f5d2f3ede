"""Stored queries: reading and checking .rq files, binding typed parameters, resolving ids, and the
answers of every stored query on the seed graph."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from sanctuary_kg import ids, queries, resolve, sparql
from sanctuary_kg.errors import QueryError
from sanctuary_kg.files import Layout, resources
from sanctuary_kg.output import cell
from sanctuary_kg.sparql import Results, Target

QUERIES = resources() / "queries"
STORED = ("claims-about-jurisdiction", "claims-per-source", "facts-without-evidence", "jurisdictions",
          "jurisdictions-by-provision", "officials", "orders", "provisions", "reader-comments", "statistics",
          "trace-claim", "viewpoints-on-order", "viewpoints-on-jurisdiction", "provision-coverage",
          "rollup-by-jurisdiction", "orders-by-status", "orders-covering-provision")
# claim IRIs, compacted, of the five articles (Washington, King County, Montgomery County, California, Connecticut)
WA, KING, MD, CA, CT = (f"id:claim/{key}/" for key in (
    "000_e0473f51d43d97b2", "001_a285dc5bd2db45e9", "002_99daf81b38207396", "003_ac4e94ca39e181a2",
    "004_913d320b1791bd7c"))
NASTY = 'x" } UNION { ?s ?p ?o } #> \\u0022 }\n} SELECT * { ?a ?b ?c'  # quote, >, }, newline, an escape


@pytest.fixture(scope="module")
def target(built: Layout) -> Iterator[Target]:
    yield Target(store=sparql.open_store(built.store))


def run(target: Target, name: str, **values: str) -> Results:
    return queries.run(queries.find(QUERIES, name), values, target)


def rows(results: Results, *columns: str) -> list[tuple[str, ...]]:
    """The rows as readable strings (compact IRIs, literal values), in the given columns."""
    index = [results.variables.index(c) for c in columns] if columns else range(len(results.variables))
    return [tuple(cell(row[i]) for i in index) for row in results.rows]


def article(layout: Layout, key: str) -> str:
    return (layout.seeds / f"{key}.txt").read_text(encoding="utf-8")


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.rq"
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------ the stored queries


def test_every_stored_query_is_there_and_checks() -> None:
    stored = queries.load(QUERIES)
    assert set(STORED) <= set(stored)
    for name, query in stored.items():
        assert query.name == name and query.title and query.description
        assert query.example.startswith(f"sanctuary-kg query {name}")
        assert query.form == "SELECT"
        assert query.variables


def test_claims_about_jurisdiction(target: Target, built: Layout) -> None:
    results = run(target, "claims-about-jurisdiction", jurisdiction="montgomery-county")
    assert results.variables == ("claim", "claimant", "kind", "exact", "title", "publisher", "address", "start", "end")
    assert rows(results, "claim", "claimant", "kind", "start", "end") == [
        (MD + "headline-suburb-issues-order", "BizPac Review", "reported statement", "0", "91"),
        (MD + "order-bans-cooperation", "BizPac Review", "reported statement", "147", "295"),
        (MD + "officials-now-prohibited", "BizPac Review", "reported statement", "297", "449"),
        (MD + "order-bars-assisting-ice", "The Washington Post", "reported statement", "599", "754"),
        (MD + "violators-face-discipline", "BizPac Review", "reported statement", "788", "892"),
        (MD + "elrich-office-order-aims", "Office of County Executive Marc Elrich", "direct quote",
         "894", "1111"),
        (MD + "elrich-office-current-policy", "Office of County Executive Marc Elrich", "direct quote",
         "949", "979"),
        (MD + "order-no-resources-no-nonpublic-access", "BizPac Review", "reported statement",
         "1150", "1342"),
        (MD + "immigrant-share", "The Washington Post", "statistic", "1929", "2006"),
        (MD + "county-population", "The Washington Post", "statistic", "1962", "2006"),
        (MD + "county-includes-largest-suburb", "The Washington Post", "reported statement",
         "1989", "2074"),
        (MD + "police-refuse-to-assist-ice", "BizPac Review", "reported statement", "2076", "2171"),
        (MD + "other-agencies-policies", "BizPac Review", "reported statement", "2176", "2267"),
        (MD + "not-called-sanctuary", "The Washington Post", "reported statement", "2304", "2419"),
        (MD + "officials-said-in-2017", "The Washington Post", "reported statement", "2675", "2860"),
        (MD + "officials-policies-not-sanctuary", "Montgomery County officials",
         "reported statement", "2763", "2860"),
        (MD + "elrich-limited-resources", "Marc Elrich", "direct quote", "2997", "3134"),
    ]
    text = article(built, "002_99daf81b38207396")
    first = rows(results)[0]
    assert first[4:7] == (
        "Major D.C. suburb issues executive order to block local officials from cooperating with ICE", "BizPac Review",
        "https://www.bizpacreview.com/2019/07/23/major-d-c-suburb-issues-executive-order-to-block-local-officials-"
        "from-cooperating-with-ice-777673/")
    for row in results.rows:  # each row is a citable answer: the quote is the article's text at its offsets
        exact, start, end = (row[results.variables.index(v)].value for v in ("exact", "start", "end"))  # type: ignore[union-attr]
        assert text[int(start):int(end)] == exact


def test_a_jurisdiction_by_label_iri_or_prefixed_name_gives_the_same_rows(target: Target) -> None:
    by_id = run(target, "claims-about-jurisdiction", jurisdiction="montgomery-county")
    for other in ("Montgomery County", "montgomery county", "id:jurisdiction/montgomery-county",
                  "https://w3id.org/sanctuary-kg/id/jurisdiction/montgomery-county",
                  "<https://w3id.org/sanctuary-kg/id/jurisdiction/montgomery-county>"):
        assert run(target, "claims-about-jurisdiction", jurisdiction=other) == by_id


def test_a_label_with_an_apostrophe_resolves(target: Target) -> None:
    label = "Governor Malloy's letter to Connecticut law enforcement on ICE detainers"  # typed straight, stored so too
    assert resolve.resolve(label, target, "https://w3id.org/sanctuary-kg/ontology#Order") \
        == ox.NamedNode("https://w3id.org/sanctuary-kg/id/order/malloy-police-letter")
    by_label = run(target, "viewpoints-on-order", order=label)
    assert by_label == run(target, "viewpoints-on-order", order="malloy-police-letter")
    assert len(by_label.rows) == 12


def test_trace_claim(target: Target) -> None:
    results = run(target, "trace-claim", claim="002_99daf81b38207396/elrich-force-of-law")
    assert [tuple(t.value for t in row) for row in results.rows] == [(  # type: ignore[union-attr]
        "https://w3id.org/sanctuary-kg/id/source/002_99daf81b38207396#char=1344,1419",
        "https://w3id.org/sanctuary-kg/id/source/002_99daf81b38207396",
        "Major D.C. suburb issues executive order to block local officials from cooperating with ICE",
        "https://www.bizpacreview.com/2019/07/23/major-d-c-suburb-issues-executive-order-to-block-local-officials-"
        "from-cooperating-with-ice-777673/",
        "1cd1a5c1153657ac2b59d28108fcf132b6ad27ed97df0fac7a6f52747a8c52df",
        "\u201cNow, we\u2019ve laid it out in an Executive Order, so it has the force of law,\u201d",
        "ldings according to the order.\n\n",
        " Elrich, a Democrat who\u00a0took off",
        "1344",
        "1419",
    )]
    assert run(target, "trace-claim", claim="elrich-force-of-law") == results  # a claim id alone, when unique


def test_orders(target: Target) -> None:
    results = run(target, "orders")
    assert results.variables == (
        "order", "label", "kind", "jurisdiction", "issuers", "statuses", "provisions", "sources")

    def as_set(text: str) -> frozenset[str]:
        return frozenset(text.split(", ")) if text else frozenset()

    found = [(o, k, j, i, as_set(s), as_set(p), n) for o, k, j, i, s, p, n in
             rows(results, "order", "kind", "jurisdiction", "issuers", "statuses", "provisions", "sources")]
    expected = [
        ("california-sanctuary-bill", "bill", "california", "Kevin de Leon", "drafted, proposed", "no-local-resources",
         "1"),
        ("california-trust-act", "law", "california", "", "in-force", "limits-entanglement", "1"),
        ("connecticut-detainer-law", "law", "connecticut", "", "in-force", "detainers-need-judicial-warrant", "1"),
        ("cook-county-detainer-policy", "policy", "cook-county", "", "in-force", "detainer-limits", "1"),
        ("hyattsville-sanctuary-declaration", "policy", "hyattsville", "Hyattsville", "issued", "", "1"),
        ("inslee-executive-order", "executive-order", "washington", "Jay Inslee", "signed",
         "status-inquiry-limits, services-regardless-of-status, no-local-resources", "1"),
        ("kelly-enforcement-memos", "memorandum", "united-states", "John Kelly", "issued", "prioritised-removal", "1"),
        ("king-county-detainer-vote", "council-vote", "king-county", "King County Council", "adopted",
         "limits-entanglement, detainers-only-serious-crimes, detainer-limits", "1"),
        ("king-county-services-policy", "policy", "king-county", "", "in-force", "services-regardless-of-status", "1"),
        ("los-angeles-sanctuary-policy", "policy", "los-angeles", "", "in-force",
         "no-release-notification, limits-entanglement", "1"),
        ("malloy-police-letter", "letter", "connecticut", "Dannel Malloy", "issued",
         "detainers-need-judicial-warrant, status-inquiry-limits, limits-entanglement, detainer-limits, "
         "no-ice-custody-interviews", "1"),
        ("malloy-schools-letter", "letter", "connecticut", "Dannel Malloy", "issued", "sensitive-locations", "1"),
        ("montgomery-county-policies", "policy", "montgomery-county", "", "in-force", "limits-entanglement", "1"),
        ("montgomery-police-policy", "policy", "montgomery-county", "Montgomery County police", "in-force",
         "no-local-resources", "1"),
        ("promoting-community-trust-executive-order", "executive-order", "montgomery-county", "Marc Elrich",
         "issued, signed, in-force",
         "no-ice-in-nonpublic-areas, detainers-need-judicial-warrant, limits-entanglement, discipline-for-violations, "
         "no-local-resources", "1"),
        ("san-francisco-lawsuit", "lawsuit", "san-francisco", "San Francisco", "filed", "", "1"),
        ("san-francisco-sanctuary-policy", "policy", "san-francisco", "", "in-force",
         "no-release-notification, limits-entanglement", "1"),
        ("supreme-court-public-education-ruling", "court-ruling", "united-states", "U.S. Supreme Court", "in-force",
         "services-regardless-of-status", "1"),
        ("takoma-park-sanctuary-declaration", "policy", "takoma-park", "Takoma Park", "issued", "", "1"),
        ("trump-administration-immigration-raids", "policy", "united-states", "Trump administration", "in-force",
         "prioritised-removal", "1"),
        ("trump-crime-list-order", "directive", "united-states", "Donald Trump", "issued", "published-crime-lists",
         "1"),
        ("trump-enforcement-guidelines", "memorandum", "united-states", "Trump administration", "issued",
         "prioritised-removal", "1"),
        ("trump-immigration-directives", "directive", "united-states", "Donald Trump", "issued", "", "1"),
        ("trump-sanctuary-executive-order", "executive-order", "united-states", "Donald Trump", "challenged, issued",
         "sanctuary-funding-penalties", "2"),
    ]
    assert found == [(f"id:order/{o}", k, f"id:jurisdiction/{j}" if j else "", i, as_set(s), as_set(p), n)
                     for o, k, j, i, s, p, n in expected]


def test_jurisdictions_by_provision(target: Target) -> None:
    results = run(target, "jurisdictions-by-provision", provision="detainers-need-judicial-warrant")
    columns = ("jurisdiction", "name", "order", "stated", "claim", "claimant", "start", "end")
    assert rows(results, *columns) == [
        ("id:jurisdiction/connecticut", "Connecticut", "id:order/connecticut-detainer-law",
         "skp:detainers-need-judicial-warrant", CT + "malloy-detainers-need-warrant",
         "Dannel Malloy", "376", "552"),
        ("id:jurisdiction/connecticut", "Connecticut", "id:order/malloy-police-letter",
         "skp:detainers-need-judicial-warrant", CT + "malloy-detainers-need-warrant",
         "Dannel Malloy", "376", "552"),
        ("id:jurisdiction/montgomery-county", "Montgomery County", "id:order/promoting-community-trust-executive-order",
         "skp:detainers-need-judicial-warrant", MD + "order-bars-assisting-ice",
         "The Washington Post", "599", "754"),
    ]
    assert rows(results, "exact")[2] == (
        "The order, signed Monday by Montgomery County Executive Marc Elrich, bars officials from\u00a0assisting ICE "
        "officers unless they have a court order or a warrant",)
    # by its label, and by a broader provision that takes in the narrower ones
    by_label = run(target, "jurisdictions-by-provision", provision="declines detainers without a judicial warrant")
    assert by_label == results
    broader = run(target, "jurisdictions-by-provision", provision="skp:detainer-limits")
    assert rows(broader, "jurisdiction", "order", "stated", "claim") == [
        ("id:jurisdiction/connecticut", "id:order/connecticut-detainer-law", "skp:detainers-need-judicial-warrant",
         CT + "malloy-detainers-need-warrant"),
        ("id:jurisdiction/connecticut", "id:order/malloy-police-letter", "skp:detainer-limits",
         CT + "malloy-detainers-optional"),
        ("id:jurisdiction/connecticut", "id:order/malloy-police-letter", "skp:detainers-need-judicial-warrant",
         CT + "malloy-detainers-need-warrant"),
        ("id:jurisdiction/cook-county", "id:order/cook-county-detainer-policy", "skp:detainer-limits",
         KING + "cook-county-no-detainers"),
        ("id:jurisdiction/king-county", "id:order/king-county-detainer-vote", "skp:detainer-limits",
         KING + "council-votes-to-suspend-minor-crime-holds"),
        ("id:jurisdiction/king-county", "id:order/king-county-detainer-vote", "skp:detainers-only-serious-crimes",
         KING + "vote-detains-only-major-crimes"),
        ("id:jurisdiction/montgomery-county", "id:order/promoting-community-trust-executive-order",
         "skp:detainers-need-judicial-warrant", MD + "order-bars-assisting-ice"),
    ]


OFFICIALS = [
    ("dannel-malloy", "Governor", "connecticut", "004_913d320b1791bd7c/malloy-detainers-need-warrant"),
    ("dannel-malloy", "Governor", "connecticut", "004_913d320b1791bd7c/connecticut-law-governs-detainers"),
    ("dannel-malloy", "Governor", "connecticut", "004_913d320b1791bd7c/letter-not-impede"),
    ("dannel-malloy", "Governor", "connecticut", "004_913d320b1791bd7c/letter-arm-of-ice"),
    ("dannel-malloy", "Governor", "connecticut", "004_913d320b1791bd7c/malloy-protect-rights"),
    ("donald-trump", "President", "united-states", "003_ac4e94ca39e181a2/order-harbour-illegal-immigrants"),
    ("donald-trump", "President", "united-states", "003_ac4e94ca39e181a2/crime-list-purpose"),
    ("jay-inslee", "Governor", "washington", "000_e0473f51d43d97b2/inslee-standfirst-reaffirms-commitment"),
    ("jay-inslee", "Governor", "washington", "000_e0473f51d43d97b2/inslee-not-willing-participant"),
    ("jay-inslee", "Governor", "washington", "000_e0473f51d43d97b2/inslee-officers-not-ice"),
    ("jay-inslee", "Governor", "washington", "000_e0473f51d43d97b2/inslee-commitment-to-tolerance"),
    ("jay-inslee", "Governor", "washington", "000_e0473f51d43d97b2/inslee-order-designed-for-duties-in-law"),
    ("jay-inslee", "Governor", "washington", "000_e0473f51d43d97b2/inslee-washington-does-not-discriminate"),
    ("john-kelly", "Homeland Security Secretary", "united-states",
     "000_e0473f51d43d97b2/memos-convicted-of-any-offence"),
    ("john-kelly", "Homeland Security Secretary", "united-states", "000_e0473f51d43d97b2/memos-abused-public-benefits"),
    ("john-kelly", "Homeland Security Secretary", "united-states", "000_e0473f51d43d97b2/kelly-no-mass-deportations"),
    ("john-kelly", "Homeland Security Secretary", "united-states", "000_e0473f51d43d97b2/kelly-no-military-force"),
    ("kevin-de-leon", "California Senate president Pro Tem", "california", ""),
    ("marc-elrich", "County Executive", "montgomery-county", "002_99daf81b38207396/elrich-force-of-law"),
    ("marc-elrich", "County Executive", "montgomery-county", "002_99daf81b38207396/elrich-not-symbolic"),
    ("marc-elrich", "County Executive", "montgomery-county", "002_99daf81b38207396/elrich-legally-codifies"),
    ("marc-elrich", "County Executive", "montgomery-county", "002_99daf81b38207396/elrich-federal-responsibility"),
    ("marc-elrich", "County Executive", "montgomery-county", "002_99daf81b38207396/elrich-limited-resources"),
    ("reince-priebus", "Chief of staff", "united-states", "003_ac4e94ca39e181a2/priebus-ignore-federal-law"),
    ("reince-priebus", "Chief of staff", "united-states", "003_ac4e94ca39e181a2/priebus-no-federal-help"),
]


def _officials(selected: list[tuple[str, str, str, str]]) -> list[tuple[str, ...]]:
    return [(f"id:person/{p}", o, f"id:jurisdiction/{j}", f"id:claim/{c}" if c else "") for p, o, j, c in selected]


def test_officials(target: Target) -> None:
    results = run(target, "officials")
    assert rows(results, "official", "office", "jurisdiction", "claim") == _officials(OFFICIALS)
    assert rows(results, "name", "quote", "start", "end")[18] == (
        "Marc Elrich", "\u201cNow, we\u2019ve laid it out in an Executive Order, so it has the force of law,\u201d",
        "1344", "1419")
    assert rows(results, "name", "quote")[17] == ("Kevin de Leon", "")  # an official no source quotes


def test_officials_optional_parameters(target: Target) -> None:
    governors = run(target, "officials", office="Governor")
    assert rows(governors, "official", "office", "jurisdiction", "claim") == \
        _officials([o for o in OFFICIALS if o[1] == "Governor"])
    washington = run(target, "officials", jurisdiction="Washington")
    assert rows(washington, "official", "office", "jurisdiction", "claim") == \
        _officials([o for o in OFFICIALS if o[2] == "washington"])
    both = run(target, "officials", jurisdiction="connecticut", office="Governor")
    assert rows(both, "official") == [("id:person/dannel-malloy",)] * 5
    assert rows(run(target, "officials", jurisdiction="connecticut", office="President")) == []


def test_statistics(target: Target) -> None:
    results = run(target, "statistics")
    assert rows(results, "claim", "statedBy", "value", "unit", "start", "end") == [
        (CA + "around-300-sanctuary-jurisdictions", "The Independent", "300", "jurisdictions",
         "1624", "1700"),
        (CA + "san-francisco-funding-loss-usd", "San Francisco", "1000000000", "USD", "2063", "2156"),
        (CA + "san-francisco-funding-loss-gbp", "The Independent", "794000000", "GBP", "2157", "2176"),
        (CT + "guidelines-target-millions", "Law&Crime", "", "", "691", "748"),
        (MD + "immigrant-share", "The Washington Post", "30", "percent", "1929", "2006"),
        (MD + "county-population", "The Washington Post", "1000000", "people", "1962", "2006"),
        (KING + "robles-entered-13-years-ago", "Care2", "13", "years", "65", "171"),
        (KING + "council-vote-in-favour", "Care2", "5", "votes in favour", "678", "692"),
        (KING + "council-vote-against", "Care2", "4", "votes against", "689", "715"),
        (WA + "immigrants-share-of-workforce", "Office of Governor Jay Inslee", "17", "percent",
         "2868", "2948"),
        (WA + "immigrants-taxes-usd", "Office of Governor Jay Inslee", "2400000000", "USD",
         "2953", "2975"),
        (WA + "immigrants-taxes-gbp", "The Independent", "1900000000", "GBP", "2976", "2993"),
    ]
    post = run(target, "statistics", claimant="The Washington Post")
    assert rows(post, "claim", "exact") == [
        (MD + "immigrant-share",
         "Immigrants make up 30 percent of the 1 million residents in Montgomery County"),
        (MD + "county-population", "the 1 million residents in Montgomery County"),
    ]


def test_claims_per_source(target: Target) -> None:
    results = run(target, "claims-per-source")
    assert rows(results, "source", "publisher", "kind", "claims") == [
        ("id:source/000_e0473f51d43d97b2", "The Independent", "direct quote", "10"),
        ("id:source/000_e0473f51d43d97b2", "The Independent", "reported statement", "13"),
        ("id:source/000_e0473f51d43d97b2", "The Independent", "statistic", "3"),
        ("id:source/001_a285dc5bd2db45e9", "Care2", "reader comment", "9"),
        ("id:source/001_a285dc5bd2db45e9", "Care2", "reported statement", "22"),
        ("id:source/001_a285dc5bd2db45e9", "Care2", "statistic", "3"),
        ("id:source/002_99daf81b38207396", "BizPac Review", "direct quote", "9"),
        ("id:source/002_99daf81b38207396", "BizPac Review", "reported statement", "21"),
        ("id:source/002_99daf81b38207396", "BizPac Review", "statistic", "2"),
        ("id:source/003_ac4e94ca39e181a2", "The Independent", "direct quote", "4"),
        ("id:source/003_ac4e94ca39e181a2", "The Independent", "reported statement", "19"),
        ("id:source/003_ac4e94ca39e181a2", "The Independent", "statistic", "3"),
        ("id:source/004_913d320b1791bd7c", "Law&Crime", "direct quote", "5"),
        ("id:source/004_913d320b1791bd7c", "Law&Crime", "reported statement", "15"),
        ("id:source/004_913d320b1791bd7c", "Law&Crime", "statistic", "1"),
    ]
    one = run(target, "claims-per-source", source="002_99daf81b38207396")
    assert rows(one, "title", "kind", "claims") == [
        ("Major D.C. suburb issues executive order to block local officials from cooperating with ICE", k, n)
        for k, n in (("direct quote", "9"), ("reported statement", "21"), ("statistic", "2"))]


def test_reader_comments_are_kept_apart(target: Target, built: Layout) -> None:
    results = run(target, "reader-comments")
    assert rows(results, "claim", "reader", "section", "start", "end") == [
        (f"id:claim/001_a285dc5bd2db45e9/{c}", r, "reader comments", s, e) for c, r, s, e in (
            ("comment-pam-bacon", "Pam Bacon", "3847", "4183"),
            ("comment-winn-adams", "Winn Adams", "4219", "4240"),
            ("comment-lou-delucia-link", "Lou DeLucia", "4278", "4508"),
            ("comment-susan-t", "Susan T.", "4575", "4690"),
            ("comment-jose-l-paywall", "Jose L.", "4720", "5157"),
            ("comment-lou-delucia-analysis", "Lou DeLucia", "5195", "5329"),
            ("comment-jose-l-store", "Jose L.", "5359", "6276"),
            ("comment-jose-l-legal-channels", "Jose L.", "6306", "7394"),
            ("comment-jose-l-other-countries", "Jose L.", "7424", "8252"))]
    assert rows(results, "comment")[1] == ("Good for King County!",)
    assert rows(run(target, "reader-comments", source="002_99daf81b38207396")) == []
    # "Good for King County!" is about King County, but the claims about it are the reporting only
    about_king = rows(run(target, "claims-about-jurisdiction", jurisdiction="king-county"), "claim", "kind")
    assert len(about_king) == 11
    assert all(kind != "reader comment" for _, kind in about_king)
    assert rows(run(target, "reader-comments", source="001_a285dc5bd2db45e9")) == rows(results)


def test_facts_without_evidence_is_empty_on_the_seeds(target: Target) -> None:
    assert run(target, "facts-without-evidence").rows == ()


def test_facts_without_evidence_finds_what_lacks_it(built: Layout) -> None:
    store = ox.Store()
    store.bulk_load(path=built.dataset, format=ox.RdfFormat.N_QUADS)
    graph = ox.NamedNode("https://w3id.org/sanctuary-kg/id/graph/002_99daf81b38207396")
    claim = ox.NamedNode("https://w3id.org/sanctuary-kg/id/claim/002_99daf81b38207396/elrich-force-of-law")
    sk = "https://w3id.org/sanctuary-kg/ontology#"
    for quad in list(store.quads_for_pattern(claim, ox.NamedNode(sk + "evidence"), None, graph)):
        store.remove(quad)
    order = ox.NamedNode("https://w3id.org/sanctuary-kg/id/order/california-trust-act")  # named in another article
    store.add(ox.Quad(claim, ox.NamedNode(sk + "about"), order, graph))
    results = run(Target(store=store), "facts-without-evidence")
    assert rows(results) == [
        ("id:graph/002_99daf81b38207396", MD + "elrich-force-of-law",
         "a claim without an evidence span"),
        ("id:graph/002_99daf81b38207396", "id:order/california-trust-act",
         "a jurisdiction, official or order used without words of this article that name it"),
    ]


def test_facts_without_evidence_finds_a_within_that_no_source_states(built: Layout) -> None:
    store = ox.Store()
    store.bulk_load(path=built.dataset, format=ox.RdfFormat.N_QUADS)
    evidence = ox.NamedNode("https://w3id.org/sanctuary-kg/ontology#evidence")
    seattle = ids.within_statement("001_a285dc5bd2db45e9", "seattle")
    for statement, predicate in ((ids.reference_statement("boston", "within"), None),  # the package's, gone
                                 (ids.reference_statement("hyattsville", "within"), None),  # article 002 states it
                                 (seattle, evidence)):  # article 001's, without its words
        for quad in list(store.quads_for_pattern(statement, predicate, None, None)):
            store.remove(quad)
    assert rows(run(Target(store=store), "facts-without-evidence")) == [
        ("id:graph/001_a285dc5bd2db45e9", "id:statement/001_a285dc5bd2db45e9/seattle/within",
         "a statement without an evidence span"),
        ("id:graph/entities", "id:jurisdiction/boston", "a within that no source states: no data package, no article"),
        ("id:graph/entities", "id:jurisdiction/seattle", "a within that no source states: no data package, no article"),
    ]


def test_provisions(target: Target) -> None:
    results = run(target, "provisions")
    assert rows(results, "notation", "broader", "orders") == [
        ("287g-agreements", "skp:requires-entanglement", "0"),
        ("detainer-limits", "skp:limits-entanglement", "3"),
        ("detainers-need-judicial-warrant", "skp:detainer-limits", "3"),
        ("detainers-only-serious-crimes", "skp:detainer-limits", "1"),
        ("discipline-for-violations", "skp:limits-entanglement", "1"),
        ("ice-access-limits", "skp:limits-entanglement", "0"),
        ("information-sharing-limits", "skp:limits-entanglement", "0"),
        ("limits-entanglement", "", "7"),
        ("mandatory-detainer-compliance", "skp:requires-entanglement", "0"),
        ("no-287g-agreement", "skp:limits-entanglement", "0"),
        ("no-detention-contract", "skp:limits-entanglement", "0"),
        ("no-ice-custody-interviews", "skp:ice-access-limits", "1"),
        ("no-ice-in-nonpublic-areas", "skp:ice-access-limits", "1"),
        ("no-local-resources", "skp:limits-entanglement", "4"),
        ("no-release-notification", "skp:information-sharing-limits", "2"),
        ("prioritised-removal", "skp:requires-entanglement", "3"),
        ("published-crime-lists", "skp:requires-entanglement", "1"),
        ("requires-entanglement", "", "0"),
        ("sanctuary-funding-penalties", "skp:requires-entanglement", "1"),
        ("sensitive-locations", "skp:limits-entanglement", "1"),
        ("services-regardless-of-status", "skp:limits-entanglement", "3"),
        ("status-inquiry-limits", "skp:limits-entanglement", "2"),
    ]
    assert rows(results, "provision", "label")[2] == (
        "skp:detainers-need-judicial-warrant", "declines detainers without a judicial warrant")


def test_jurisdictions(target: Target) -> None:
    results = run(target, "jurisdictions")
    found = rows(results, "jurisdiction", "label", "kind", "within", "claims")
    assert len(found) == 23
    assert found[:3] == [
        ("id:jurisdiction/boston", "Boston", "city", "id:jurisdiction/massachusetts", "1"),
        ("id:jurisdiction/california", "California", "state", "id:jurisdiction/united-states", "6"),
        ("id:jurisdiction/canada", "Canada", "nation", "", "1"),
    ]
    assert ("id:jurisdiction/montgomery-county", "Montgomery County", "county", "id:jurisdiction/maryland",
            "17") in found
    assert ("id:jurisdiction/takoma-park", "Takoma Park", "city", "id:jurisdiction/maryland", "1") in found
    # named by no article, there for Cook County's `within`, which the data packages give
    assert ("id:jurisdiction/illinois", "Illinois", "state", "id:jurisdiction/united-states", "0") in found


# ------------------------------------------------------------------ binding parameters


TYPES_QUERY = """#+ title: Every parameter type
#+ description: One parameter of each type, on a tiny graph.
#+ parameters:
#+   - {name: thing, type: iri, required: false, example: "http://example.org/a"}
#+   - {name: label, type: string, required: false, example: Governor}
#+   - {name: tag, type: langString, required: false, example: Gouverneur@fr}
#+   - {name: count, type: integer, required: false, example: 3}
#+   - {name: day, type: date, required: false, example: 2019-07-22}
#+ example: sanctuary-kg query types -p count=3
PREFIX ex: <http://example.org/>
SELECT ?thing WHERE {
  ?thing ex:label ?label ; ex:tag ?tag ; ex:count ?count ; ex:day ?day .
}
ORDER BY ?thing
"""

TINY = f"""
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a ex:label "Governor" ; ex:tag "Gouverneur"@fr ; ex:count 3 ; ex:day "2019-07-22"^^xsd:date .
ex:b ex:label {ox.Literal(NASTY)} ; ex:tag "Governor"@en ; ex:count -7 ; ex:day "2020-01-31"^^xsd:date .
"""


@pytest.fixture
def tiny(tmp_path: Path) -> tuple[queries.StoredQuery, Target]:
    store = ox.Store()
    store.load(TINY.encode(), format=ox.RdfFormat.TURTLE)
    return queries.read(write(tmp_path, "types", TYPES_QUERY)), Target(store=store)


@pytest.mark.parametrize(("values", "expected"), [
    ({}, ["a", "b"]),
    ({"thing": "http://example.org/b"}, ["b"]),
    ({"thing": "<http://example.org/a>"}, ["a"]),
    ({"label": "Governor"}, ["a"]),
    ({"label": "governor"}, []),  # strings match exactly
    ({"tag": "Gouverneur@fr"}, ["a"]),
    ({"tag": "Governor@en"}, ["b"]),
    ({"tag": "Governor@EN"}, ["b"]),  # language tags are case-insensitive
    ({"count": "3"}, ["a"]),
    ({"count": "+3"}, ["a"]),
    ({"count": " -7 "}, ["b"]),
    ({"day": "2020-01-31"}, ["b"]),
    ({"count": "3", "day": "2019-07-22", "label": "Governor"}, ["a"]),
    ({"count": "3", "day": "2020-01-31"}, []),
])
def test_each_type_binds_as_a_typed_term(tiny: tuple[queries.StoredQuery, Target], values: dict[str, str],
                                         expected: list[str]) -> None:
    query, target = tiny
    found = queries.run(query, values, target)
    assert [row[0].value.rsplit("/", 1)[1] for row in found.rows] == expected  # type: ignore[union-attr]


@pytest.mark.parametrize(("values", "message"), [
    ({"count": "three"}, "parameter 'count' (integer): 'three' is not an integer"),
    ({"count": "3.5"}, "is not an integer"),
    ({"day": "22/07/2019"}, "'22/07/2019' is not a date: write YYYY-MM-DD"),
    ({"day": "2019-02-30"}, "is not a date"),
    ({"tag": "Governor"}, "needs a language tag: write text@en"),
    ({"thing": "http://example.org/a b"}, "is not a valid IRI"),
    ({"thing": "http://example.org/a>"}, "is not a valid IRI"),
    ({"thing": "<http://example.org/a"}, "write <https://...> with the closing >"),
    ({"colour": "red"}, "types has no parameter 'colour': its parameters are thing (iri), label (string)"),
])
def test_a_value_of_the_wrong_type_is_refused(tiny: tuple[queries.StoredQuery, Target], values: dict[str, str],
                                              message: str) -> None:
    query, target = tiny
    with pytest.raises(QueryError, match=message.replace("(", r"\(").replace(")", r"\)")):
        queries.run(query, values, target)


def test_a_value_with_quotes_braces_and_newlines_is_matched_literally(tiny: tuple[queries.StoredQuery, Target]) -> None:
    query, target = tiny
    text = queries.bind(query, {"label": NASTY}, target)
    assert f"WHERE {{\n  VALUES (?label) {{ ({ox.Literal(NASTY)}) }}\n" in text
    found = queries.run(query, {"label": NASTY}, target)
    assert [row[0] for row in found.rows] == [ox.NamedNode("http://example.org/b")]  # the one literal that is equal
    assert queries.run(query, {"label": NASTY + " "}, target).rows == ()


def test_injection_into_a_stored_query_finds_nothing_and_breaks_nothing(target: Target) -> None:
    assert run(target, "officials", office=NASTY).rows == ()
    assert rows(run(target, "officials", office="County Executive"), "official", "claim")[0] == (
        "id:person/marc-elrich", MD + "elrich-force-of-law")
    with pytest.raises(QueryError, match="is not a jurisdiction"):
        run(target, "officials", jurisdiction=NASTY)


def test_missing_and_unknown_parameters(target: Target) -> None:
    with pytest.raises(QueryError, match="claims-about-jurisdiction needs jurisdiction: for example "
                                         "-p jurisdiction=montgomery-county"):
        run(target, "claims-about-jurisdiction")
    with pytest.raises(QueryError, match=r"has no parameter 'place': its parameters are jurisdiction \(iri\)"):
        run(target, "claims-about-jurisdiction", jurisdiction="seattle", place="x")


# ------------------------------------------------------------------ resolving ids and labels


JURISDICTION = "https://w3id.org/sanctuary-kg/ontology#Jurisdiction"


@pytest.mark.parametrize(("text", "range_", "iri"), [
    ("montgomery-county", JURISDICTION, "id/jurisdiction/montgomery-county"),
    ("MONTGOMERY COUNTY", JURISDICTION, "id/jurisdiction/montgomery-county"),
    ("Washington, D.C.", None, "id/jurisdiction/district-of-columbia"),
    ("002_99daf81b38207396/elrich-force-of-law", None, "id/claim/002_99daf81b38207396/elrich-force-of-law"),
    ("elrich-force-of-law", "https://w3id.org/sanctuary-kg/ontology#Claim",
     "id/claim/002_99daf81b38207396/elrich-force-of-law"),
    ("002_99daf81b38207396", "https://w3id.org/sanctuary-kg/ontology#Source", "id/source/002_99daf81b38207396"),
    ("detainers-need-judicial-warrant", "https://w3id.org/sanctuary-kg/provision/",
     "provision/detainers-need-judicial-warrant"),
    ("marc-elrich", "http://www.w3.org/ns/prov#Agent", "id/person/marc-elrich"),
    ("washington-post", "http://www.w3.org/ns/prov#Agent", "id/organization/washington-post"),
    ("Law&Crime", None, "id/organization/law-and-crime"),
    ("sk:County", None, "ontology#County"),
])
def test_resolve(target: Target, text: str, range_: str | None, iri: str) -> None:
    assert resolve.resolve(text, target, range_).value == "https://w3id.org/sanctuary-kg/" + iri


def test_resolve_lists_close_candidates(target: Target) -> None:
    with pytest.raises(QueryError, match=r"'montgomry' is not a jurisdiction: give an id, a label or an IRI; "
                                         r"did you mean "
                                         r"montgomery-county \(Montgomery County\)"):
        resolve.resolve("montgomry", target, JURISDICTION)
    with pytest.raises(QueryError, match=r"'Atlantis' is not a jurisdiction: give an id, a label or an IRI; "
                                         r"candidates: boston \(Boston\), "
                                         r"california \(California\).*\(23 in all\)"):
        resolve.resolve("Atlantis", target, JURISDICTION)


def test_resolve_says_what_a_name_is_when_it_is_not_of_the_range(target: Target) -> None:
    with pytest.raises(QueryError, match=r"'marc-elrich' names id:person/marc-elrich \(Marc Elrich\), "
                                         r"which is not a jurisdiction"):
        resolve.resolve("marc-elrich", target, JURISDICTION)


def test_resolve_prefers_ids_to_labels(target: Target) -> None:
    # "official" is the notation of the role and the label of the class: the notation wins
    assert resolve.resolve("official", target) == ox.NamedNode("https://w3id.org/sanctuary-kg/ontology#OfficialRole")


def test_resolve_refuses_an_ambiguous_name() -> None:
    store = ox.Store()
    entities = ox.NamedNode("https://w3id.org/sanctuary-kg/id/graph/entities")
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    for key in ("springfield-illinois", "springfield-massachusetts"):
        store.add(ox.Quad(ox.NamedNode(f"https://w3id.org/sanctuary-kg/id/jurisdiction/{key}"), label,
                          ox.Literal("Springfield"), entities))
    with pytest.raises(QueryError, match=r"'Springfield' is ambiguous: it names "
                                         r"id:jurisdiction/springfield-illinois \(Springfield\); "
                                         r"id:jurisdiction/springfield-massachusetts \(Springfield\); "
                                         r"give one of these"):
        resolve.resolve("Springfield", Target(store=store))


# ------------------------------------------------------------------ bad query files


GOOD_HEADER = """#+ title: T
#+ description: D
#+ parameters:
#+   - {name: x, type: iri, example: "urn:x"}
#+ example: sanctuary-kg query q -p x=urn:x
"""


@pytest.mark.parametrize(("text", "message"), [
    ("SELECT * WHERE { ?s ?p ?o }", "no `#\\+` header"),
    ("#+ title: [unclosed\nSELECT * WHERE { ?s ?p ?o }", r"q.rq:1: the `#\+` header is not valid YAML"),
    ("#+ title: T\n#+ example: sanctuary-kg query q\nSELECT * WHERE { ?s ?p ?o }", "needs a non-empty `description`"),
    ("#+ title: T\n#+ description: D\n#+ example: sanctuary-kg query other\nSELECT * { ?s ?p ?o }",
     "the example must be an invocation: `sanctuary-kg query q ...`"),
    ("#+ title: T\n#+ description: D\n#+ colour: red\n#+ example: sanctuary-kg query q\nSELECT * { ?s ?p ?o }",
     "unknown header key"),
    (GOOD_HEADER.replace("type: iri", "type: uri") + "SELECT ?x { ?x ?p ?o }", "needs a type: one of iri, string"),
    (GOOD_HEADER.replace(', example: "urn:x"', "") + "SELECT ?x { ?x ?p ?o }", "needs an example value"),
    (GOOD_HEADER.replace("type: iri", "type: integer") + "SELECT ?x { ?x ?p ?o }", "the example is wrong"),
    (GOOD_HEADER + "SELECT ?s { ?s ?p ?o }", r"\?x must be bound in the WHERE clause by a triple pattern"),
    (GOOD_HEADER + "SELECT ?s { ?s ?p ?o OPTIONAL { ?s ?q ?x } }",
     r"\?x must be bound in the WHERE clause by a triple pattern that is not OPTIONAL"),
    (GOOD_HEADER + "SELECT ?s { ?s ?p ?o BIND (1 AS ?x) }", r"\?x must be bound in the WHERE clause by a triple"),
    (GOOD_HEADER + "SELECT ?x\nWHERE { ?x ?p }", r"does not parse: line 7, column 9"),
    (GOOD_HEADER + "SELECT ?x { ?x a ex:Thing }", "is not a valid query: Unknown namespace prefix : ex"),
    (GOOD_HEADER + "DELETE WHERE { ?x ?p ?o }", "is an update"),
])
def test_a_bad_query_file_is_an_error_naming_it(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, "q", text)
    with pytest.raises(QueryError, match=message) as caught:
        queries.read(path)
    assert str(path) in str(caught.value)


def test_parameters_may_be_bound_in_every_union_branch_or_select_before_grouping(tmp_path: Path) -> None:
    union = queries.read(write(tmp_path, "q", GOOD_HEADER + "SELECT ?o { { ?x ?p ?o } UNION { ?o ?p ?x } }"))
    assert union.parameters[0].name == "x"
    with pytest.raises(QueryError, match="must be bound"):
        queries.read(write(tmp_path, "q", GOOD_HEADER + "SELECT ?o { { ?x ?p ?o } UNION { ?o ?p ?s } }"))
    store = ox.Store()
    store.load(b"<urn:a> <urn:p> <urn:x> , <urn:y> . <urn:b> <urn:p> <urn:x> .", format=ox.RdfFormat.TURTLE)
    counted = queries.read(write(tmp_path, "q", GOOD_HEADER + "SELECT ?s (COUNT(*) AS ?n) { ?s ?p ?x } GROUP BY ?s "
                                 "ORDER BY ?s VALUES ?s { <urn:a> <urn:b> }"))  # its own trailing VALUES too
    found = queries.run(counted, {"x": "urn:y"}, Target(store=store))
    assert [(row[0], row[1].value) for row in found.rows] == [(ox.NamedNode("urn:a"), "1")]  # type: ignore[union-attr]
    assert [row[1].value for row in queries.run(counted, {"x": "urn:x"}, Target(store=store)).rows] == \
        ["1", "1"]  # type: ignore[union-attr]


def test_an_unknown_query_lists_the_close_ones() -> None:
    with pytest.raises(QueryError, match=r"no stored query called 'claims-about'; did you mean "
                                         r"claims-about-jurisdiction"):
        queries.find(QUERIES, "claims-about")
    with pytest.raises(QueryError, match="stored queries: claims-about-jurisdiction, claims-per-source"):
        queries.find(QUERIES, "zzz")
    with pytest.raises(QueryError, match="no stored query called '../queries/orders'"):
        queries.find(QUERIES, "../queries/orders")


# ------------------------------------------------------------------ ad-hoc queries


@pytest.mark.parametrize(("text", "form", "variables"), [
    ("SELECT ?claim ?quote WHERE { ?claim sk:evidence/oa:exact ?quote }", "SELECT", ("claim", "quote")),
    ("PREFIX sk: <https://w3id.org/sanctuary-kg/ontology#>\nASK { ?s a sk:Order }", "ASK", ()),
    ("CONSTRUCT { ?s a sk:Order } WHERE { ?s a sk:Order }", "CONSTRUCT", ()),
    ("DESCRIBE <https://w3id.org/sanctuary-kg/id/order/california-trust-act>", "DESCRIBE", ()),
])
def test_prepare_finds_form_and_variables(text: str, form: str, variables: tuple[str, ...]) -> None:
    prepared = queries.prepare(text)
    assert (prepared.form, prepared.variables) == (form, variables)
    assert prepared.text.endswith(text)


@pytest.mark.parametrize("text", [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "delete { ?s ?p ?o } where { ?s ?p ?o }",
    "LOAD <http://example.org/data.ttl>",
    "DROP ALL",
    "CLEAR GRAPH <urn:g>",
    "CREATE GRAPH <urn:g>",
    "PREFIX ex: <http://example.org/>\n# a comment\nWITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "ADD <urn:a> TO <urn:b>",
    "INSERT DATA { <urn:a> <urn:b> <urn:c> } ; DROP ALL",
])
def test_updates_are_refused(text: str) -> None:
    with pytest.raises(QueryError, match="is an update .*read-only"):
        queries.prepare(text)


def test_a_syntax_error_names_line_and_column() -> None:
    with pytest.raises(QueryError, match=r"the query does not parse: line 3, column 23: .* "
                                         r"\(near '\?claim a sk:Claim . FILTER \('\)"):
        queries.prepare("SELECT ?claim\nWHERE {\n  ?claim a sk:Claim . FILTER (\n}")


def test_an_ad_hoc_query_runs_with_the_project_prefixes(target: Target) -> None:
    prepared = queries.prepare("SELECT (COUNT(DISTINCT ?claim) AS ?n) WHERE { GRAPH ?g { ?claim a sk:Claim } }")
    assert target.run(prepared.text, prepared.form).rows[0][0] == ox.Literal(
        "139", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))


# ------------------------------------------------------------------ the queries over reasoning and order lifecycle


def test_order_links(target: Target) -> None:
    assert rows(run(target, "order-links"), "order", "relation", "target", "claim", "start", "end") == [
        ("id:order/kelly-enforcement-memos", "builds-on", "id:order/trump-immigration-directives",
         WA + "memos-follow-presidential-directives", "1648", "1688"),
        ("id:order/malloy-police-letter", "opposes", "id:order/trump-sanctuary-executive-order",
         CT + "connecticut-not-easy-for-feds", "1141", "1318"),
        ("id:order/malloy-schools-letter", "builds-on", "id:order/supreme-court-public-education-ruling",
         CT + "schools-letter-right-to-education", "2035", "2168"),
        ("id:order/promoting-community-trust-executive-order", "builds-on", "id:order/montgomery-county-policies",
         MD + "elrich-office-order-aims", "894", "1111"),
        ("id:order/san-francisco-lawsuit", "challenges", "id:order/trump-sanctuary-executive-order",
         CA + "lawsuit-states-rights-basis", "1871", "1945"),
    ]


def test_orders_by_status(target: Target) -> None:
    assert len(run(target, "orders-by-status").rows) == 35
    in_force = run(target, "orders-by-status", status="in-force")
    assert rows(in_force, "code", "order", "claim", "claimant", "start", "end") == [
        ("in-force", "id:order/california-trust-act", KING + "trust-act-limits-collaboration", "Care2",
         "2457", "2528"),
        ("in-force", "id:order/connecticut-detainer-law", CT + "connecticut-law-governs-detainers", "Dannel Malloy",
         "449", "508"),
        ("in-force", "id:order/cook-county-detainer-policy", KING + "cook-county-no-detainers", "Care2",
         "2340", "2388"),
        ("in-force", "id:order/king-county-services-policy", KING + "county-services-regardless-of-status", "Care2",
         "1242", "1363"),
        ("in-force", "id:order/los-angeles-sanctuary-policy", CA + "cities-already-operate-policy", "The Independent",
         "1302", "1392"),
        ("in-force", "id:order/montgomery-county-policies", MD + "elrich-office-current-policy",
         "Office of County Executive Marc Elrich", "949", "979"),
        ("in-force", "id:order/montgomery-police-policy", MD + "police-refuse-to-assist-ice", "BizPac Review",
         "2076", "2171"),
        ("in-force", "id:order/promoting-community-trust-executive-order", MD + "officials-now-prohibited",
         "BizPac Review", "297", "449"),
        ("in-force", "id:order/promoting-community-trust-executive-order", MD + "elrich-force-of-law", "Marc Elrich",
         "1344", "1419"),
        ("in-force", "id:order/promoting-community-trust-executive-order", MD + "order-takes-effect-immediately",
         "BizPac Review", "3136", "3184"),
        ("in-force", "id:order/san-francisco-sanctuary-policy", CA + "cities-already-operate-policy", "The Independent",
         "1302", "1392"),
        ("in-force", "id:order/supreme-court-public-education-ruling", CT + "supreme-court-right-to-education",
         "Dannel Malloy", "2062", "2167"),
        ("in-force", "id:order/trump-administration-immigration-raids", MD + "administration-raids", "BizPac Review",
         "3194", "3328"),
    ]


def test_the_lawsuit_is_filed_in_san_francisco_and_only_the_order_it_contests_is_challenged(target: Target) -> None:
    filed = run(target, "orders-by-status", status="filed")
    assert rows(filed, "code", "order", "claim", "claimant", "exact", "start", "end") == [
        ("filed", "id:order/san-francisco-lawsuit", CA + "san-francisco-lawsuit-pending", "The Independent",
         "San Francisco is already suing him", "1836", "1870")]
    challenged = run(target, "orders-by-status", status="challenged")
    assert rows(challenged, "order", "claim") == [
        ("id:order/trump-sanctuary-executive-order", CA + "san-francisco-suing")]  # the lawsuit itself is not
    prepared = queries.prepare("SELECT ?jurisdiction ?status WHERE { GRAPH ?g { "
                               "<https://w3id.org/sanctuary-kg/id/order/san-francisco-lawsuit> "
                               "sk:jurisdiction ?jurisdiction ; sk:status ?status } }")
    stated = target.run(prepared.text, prepared.form)
    assert [(cell(j), cell(st)) for j, st in stated.rows] == [("id:jurisdiction/san-francisco", "sk:Filed")]


def test_the_supreme_court_ruling_holds_the_provision_the_schools_letter_cites(target: Target) -> None:
    found = run(target, "jurisdictions-by-provision", provision="services-regardless-of-status")
    assert rows(found, "jurisdiction", "order", "claim", "claimant", "exact") == [
        ("id:jurisdiction/king-county", "id:order/king-county-services-policy",
         KING + "county-services-regardless-of-status", "Care2",
         "King County has already stood out with its provision of social services to all residents regardless of "
         "immigration status"),
        ("id:jurisdiction/united-states", "id:order/supreme-court-public-education-ruling",
         CT + "supreme-court-right-to-education", "Dannel Malloy",
         "the U.S. Supreme Court has given children of undocumented children the right to obtain a public education"),
        ("id:jurisdiction/washington", "id:order/inslee-executive-order", WA + "order-bars-denying-services",
         "The Independent",
         "bars the state of Washington's agencies from denying services to people based on their citizenship or "
         "legal status"),
    ]
    ruling = [row for row in rows(run(target, "orders"), "order", "kind", "issuers", "statuses")
              if row[0] == "id:order/supreme-court-public-education-ruling"]
    assert ruling == [("id:order/supreme-court-public-education-ruling", "court-ruling", "U.S. Supreme Court",
                       "in-force")]


def test_provision_coverage(target: Target) -> None:
    found = rows(run(target, "provision-coverage", jurisdiction="montgomery-county"),
                 "provision", "coverage", "order", "claim")
    stated = [row for row in found if row[1] == "stated"]
    assert stated == [
        ("detainers-need-judicial-warrant", "stated", "id:order/promoting-community-trust-executive-order",
         MD + "order-bars-assisting-ice"),
        ("discipline-for-violations", "stated", "id:order/promoting-community-trust-executive-order",
         MD + "violators-face-discipline"),
        ("limits-entanglement", "stated", "id:order/promoting-community-trust-executive-order",
         MD + "headline-suburb-issues-order"),
        ("limits-entanglement", "stated", "id:order/promoting-community-trust-executive-order",
         MD + "order-bans-cooperation"),
        ("limits-entanglement", "stated", "id:order/promoting-community-trust-executive-order",
         MD + "officials-now-prohibited"),
        ("limits-entanglement", "stated", "id:order/montgomery-county-policies", MD + "other-agencies-policies"),
        ("no-ice-in-nonpublic-areas", "stated", "id:order/promoting-community-trust-executive-order",
         MD + "order-no-resources-no-nonpublic-access"),
        ("no-local-resources", "stated", "id:order/promoting-community-trust-executive-order",
         MD + "order-no-resources-no-nonpublic-access"),
        ("no-local-resources", "stated", "id:order/montgomery-police-policy", MD + "police-refuse-to-assist-ice"),
    ]
    # the order bars ICE from non-public areas, so it limits ICE access: covered, by the narrower provision, with its words
    narrower = [row for row in found if row[1].startswith("by a narrower provision")]
    assert narrower == [
        ("detainer-limits", "by a narrower provision: detainers-need-judicial-warrant",
         "id:order/promoting-community-trust-executive-order", MD + "order-bars-assisting-ice"),
        ("ice-access-limits", "by a narrower provision: no-ice-in-nonpublic-areas",
         "id:order/promoting-community-trust-executive-order", MD + "order-no-resources-no-nonpublic-access"),
    ]
    gaps = [row[0] for row in found if row[1] == "no evidence"]
    assert len(gaps) == 15 and "detainers-only-serious-crimes" in gaps and "sensitive-locations" in gaps
    assert "ice-access-limits" not in gaps and "detainer-limits" not in gaps
    assert all(row[2:] == ("", "") for row in found if row[1] == "no evidence")
    assert {row[0] for row in found} == set(queries_provisions(target))  # every provision, once covered or a gap
    # a provision stated there has no narrower-provision rows: limits-entanglement is stated, and narrower ones too
    assert not [row for row in narrower if row[0] == "limits-entanglement"]


def queries_provisions(target: Target) -> list[str]:
    return [row[0] for row in rows(run(target, "provisions"), "notation")]


def test_rollup_by_jurisdiction(target: Target) -> None:
    # within is followed transitively: Seattle counts towards King County, Washington and the United
    # States; reader comments are not reporting, so "Good for King County!" does not count
    found = rows(run(target, "rollup-by-jurisdiction"), "jurisdiction", "jurisdictions", "claims", "orders", "sources")
    assert found[:7] == [
        ("id:jurisdiction/united-states", "15", "80", "24", "5"),
        ("id:jurisdiction/washington", "3", "25", "3", "2"),
        ("id:jurisdiction/maryland", "4", "18", "5", "1"),
        ("id:jurisdiction/montgomery-county", "1", "17", "3", "1"),  # not Takoma Park: no source says its county
        ("id:jurisdiction/california", "3", "11", "5", "2"),
        ("id:jurisdiction/king-county", "2", "11", "2", "1"),
        ("id:jurisdiction/connecticut", "1", "7", "3", "1"),
    ]
    assert "id:jurisdiction/canada" not in [row[0] for row in found]  # named only in a reader comment
    assert len(found) == 19
    assert rows(run(target, "rollup-by-jurisdiction", jurisdiction="Washington"), "label", "claims") == [
        ("Washington", "25")]


def test_viewpoints_on_order(target: Target) -> None:
    found = run(target, "viewpoints-on-order", order="trump-sanctuary-executive-order")
    assert rows(found, "role", "claimant", "kind", "claim") == [
        ("agency", "San Francisco", "reported-statement", CA + "lawsuit-states-rights-basis"),
        ("agency", "San Francisco", "statistic", CA + "san-francisco-funding-loss-usd"),
        ("official", "Donald Trump", "direct-quote", CA + "order-harbour-illegal-immigrants"),
        ("publisher", "Law&Crime", "reported-statement", CT + "connecticut-not-easy-for-feds"),
        ("publisher", "Law&Crime", "reported-statement", CT + "trump-threatens-funding"),
        ("publisher", "The Independent", "reported-statement", CA + "trump-issued-funding-order"),
        ("publisher", "The Independent", "reported-statement", CA + "san-francisco-suing"),
        ("publisher", "The Independent", "statistic", CA + "san-francisco-funding-loss-gbp"),
    ]


def test_viewpoints_on_jurisdiction(target: Target, built: Layout) -> None:
    found = run(target, "viewpoints-on-jurisdiction", jurisdiction="montgomery-county")
    assert found.variables == ("role", "claimant", "kind", "claim", "source", "exact", "start", "end")
    assert rows(found, "role", "claimant", "kind", "claim", "start", "end") == [
        ("official", "Marc Elrich", "direct-quote", MD + "elrich-limited-resources", "2997", "3134"),
        ("official", "Montgomery County officials", "reported-statement", MD + "officials-policies-not-sanctuary",
         "2763", "2860"),
        ("official", "Office of County Executive Marc Elrich", "direct-quote", MD + "elrich-office-order-aims",
         "894", "1111"),
        ("official", "Office of County Executive Marc Elrich", "direct-quote", MD + "elrich-office-current-policy",
         "949", "979"),
        ("publisher", "BizPac Review", "reported-statement", MD + "headline-suburb-issues-order", "0", "91"),
        ("publisher", "BizPac Review", "reported-statement", MD + "order-bans-cooperation", "147", "295"),
        ("publisher", "BizPac Review", "reported-statement", MD + "officials-now-prohibited", "297", "449"),
        ("publisher", "BizPac Review", "reported-statement", MD + "violators-face-discipline", "788", "892"),
        ("publisher", "BizPac Review", "reported-statement", MD + "order-no-resources-no-nonpublic-access",
         "1150", "1342"),
        ("publisher", "BizPac Review", "reported-statement", MD + "police-refuse-to-assist-ice", "2076", "2171"),
        ("publisher", "BizPac Review", "reported-statement", MD + "other-agencies-policies", "2176", "2267"),
        ("publisher", "The Washington Post", "reported-statement", MD + "order-bars-assisting-ice", "599", "754"),
        ("publisher", "The Washington Post", "statistic", MD + "immigrant-share", "1929", "2006"),
        ("publisher", "The Washington Post", "statistic", MD + "county-population", "1962", "2006"),
        ("publisher", "The Washington Post", "reported-statement", MD + "county-includes-largest-suburb",
         "1989", "2074"),
        ("publisher", "The Washington Post", "reported-statement", MD + "not-called-sanctuary", "2304", "2419"),
        ("publisher", "The Washington Post", "reported-statement", MD + "officials-said-in-2017", "2675", "2860"),
    ]
    # the same claims as claims-about-jurisdiction, which keeps to the reporting; each row's words are the article's
    assert sorted(rows(found, "claim")) == sorted(rows(run(target, "claims-about-jurisdiction",
                                                           jurisdiction="montgomery-county"), "claim"))
    text = article(built, "002_99daf81b38207396")
    for exact, start, end in rows(found, "exact", "start", "end"):
        assert text[int(start):int(end)] == exact
    # King County: officials, the publisher and a reader speak about it; reader comments count as the reader role
    king = rows(run(target, "viewpoints-on-jurisdiction", jurisdiction="King County"), "role", "claimant", "kind")
    assert sorted(set(king)) == [("official", "King County Council", "reported-statement"),
                                 ("publisher", "Care2", "reported-statement"),
                                 ("reader", "Winn Adams", "reader-comment")]
    assert len(king) == 12


def test_every_claimant_has_a_role(target: Target) -> None:
    prepared = queries.prepare("""SELECT DISTINCT ?claimant ?role WHERE {
        GRAPH ?g { ?claim a sk:Claim ; sk:claimant ?claimant }
        OPTIONAL { GRAPH <https://w3id.org/sanctuary-kg/id/graph/entities> { ?claimant sk:role ?role } }
    } ORDER BY ?claimant""")
    found = [(cell(c), cell(r) if r else "") for c, r in target.run(prepared.text, prepared.form).rows]
    assert len(found) == 23
    assert [c for c, r in found if not r] == []
    assert ("id:jurisdiction/san-francisco", "sk:AgencyRole") in found  # a jurisdiction speaking for itself


# ------------------------------------------------------------------ where the parameters go


@pytest.mark.parametrize(("text", "form", "rest"), [
    ("SELECT ?x WHERE { ?x ?p ?o }", "SELECT", " ?x ?p ?o }"),
    ("PREFIX ex: <http://example.org/a#{}>\nSELECT ?x { ?x ex:p ?o }", "SELECT", " ?x ex:p ?o }"),
    ("# a comment with { braces }\nSELECT ?x WHERE { ?x ?p '{' }", "SELECT", " ?x ?p '{' }"),
    ('SELECT (EXISTS { ?x ?p ?o } AS ?e) ?x WHERE { ?x ?p """ { """ }', "SELECT", ' ?x ?p """ { """ }'),
    ("SELECT ?x FROM <urn:g> WHERE { ?x ?p ?o }", "SELECT", " ?x ?p ?o }"),
    ("ASK { ?x ?p ?o }", "ASK", " ?x ?p ?o }"),
    ("CONSTRUCT { ?x <urn:q> ?o } WHERE { ?x ?p ?o }", "CONSTRUCT", " ?x ?p ?o }"),
    ("CONSTRUCT { ?x <urn:q> ?o } { ?x ?p ?o }", "CONSTRUCT", " ?x ?p ?o }"),
    ("CONSTRUCT WHERE { ?x ?p ?o }", "CONSTRUCT", " ?x ?p ?o }"),
])
def test_where_clause_is_found(text: str, form: str, rest: str) -> None:
    from sanctuary_kg.querytext import where_clause

    at = where_clause(text, form)
    assert at is not None and text[at:] == rest


def test_construct_and_ask_stored_queries_take_parameters(tmp_path: Path, target: Target) -> None:
    header = GOOD_HEADER.replace('{name: x, type: iri, example: "urn:x"}',
                                 "{name: order, type: iri, range: sk:Order, example: california-trust-act}")
    construct = queries.read(write(tmp_path, "q", header + """
CONSTRUCT { ?order <http://www.w3.org/2000/01/rdf-schema#label> ?label }
WHERE { GRAPH ?g { ?order <http://www.w3.org/2000/01/rdf-schema#label> ?label } }"""))
    found = queries.run(construct, {"order": "california-trust-act"}, target)
    assert [t.object for t in found.triples] == [ox.Literal("California TRUST Act")]
    ask = queries.read(write(tmp_path, "q", header + """
ASK { GRAPH ?g { ?order a <https://w3id.org/sanctuary-kg/ontology#Order> } }"""))
    assert queries.run(ask, {"order": "california-trust-act"}, target).boolean is True


@pytest.mark.parametrize(("name", "scheme"), [("orders", "order-kind"), ("orders-by-status", "status")])
def test_a_query_that_lists_a_scheme_in_its_description_lists_all_of_it(name: str, scheme: str) -> None:
    from sanctuary_kg import ontology

    description = " ".join(queries.find(QUERIES, name).description.split())
    for notation in ontology.load(resources() / "ontology").lists[scheme]:
        assert notation.replace("-", " ") in description, f"{name}: its description does not name {notation}"
