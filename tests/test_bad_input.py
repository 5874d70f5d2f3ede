"""Bad seeds stop the build with one line naming file, line and quote, and write nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sanctuary_kg.errors import ExitCode
from sanctuary_kg.files import Layout

SHEET = "002_99daf81b38207396.yaml"
ARTICLE = "002_99daf81b38207396.txt"


def edit(path: Path, old: str, new: str, count: int = 1) -> int:
    """Replace ``old`` in a file; return the 1-based line where it was."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return line


@pytest.fixture
def failing_build(layout: Layout, run_cli):
    """Build once so there is a previous output, then return a function that expects a failure."""
    assert run_cli("--seeds", layout.seeds, "--build-dir", layout.build, "build").code == 0
    before = {p: p.stat().st_mtime_ns for p in layout.build.rglob("*")}

    def fail(code: ExitCode = ExitCode.INPUT) -> str:
        result = run_cli("--seeds", layout.seeds, "--build-dir", layout.build, "build")
        assert result.code == code, result.err
        assert result.out == ""
        lines = result.err.strip().splitlines()
        assert len(lines) == 1, result.err
        after = {p: p.stat().st_mtime_ns for p in layout.build.rglob("*")}
        assert after == before, "a failed build changed the previous output"
        return lines[0]

    return fail


def test_malformed_yaml_names_file_and_line(layout: Layout, failing_build):
    line = edit(layout.seeds / SHEET, "mentions:", "mentions: [unclosed")
    message = failing_build()
    # the parser notices two lines on, at the next key; the message also names the line the bracket opened
    assert f"{SHEET}:{line + 2}: malformed YAML: did not find expected ',' or ']'" in message
    assert f"(while parsing a flow sequence begun on line {line})" in message


def test_malformed_yaml_names_the_very_line(layout: Layout, failing_build):
    line = edit(layout.seeds / SHEET, "kind: direct-quote", "kind: direct-quote: oops")
    message = failing_build()
    assert f"{SHEET}:{line}: malformed YAML: mapping values are not allowed" in message


def test_a_quote_not_in_the_article_names_the_quote_and_the_closest_passage(layout: Layout, failing_build):
    line = edit(layout.seeds / SHEET, "so it has the force of law", "so it has the full force of law")
    message = failing_build()
    assert f"{SHEET}:{line}:" in message
    assert "the full force of law" in message
    assert "closest passage" in message and "force of law" in message.split("closest passage")[1]


def test_a_repeated_quote_lists_where_it_occurs(layout: Layout, failing_build):
    line = edit(layout.seeds / SHEET, "- {kind: byline, from: \"Frieda Powers\"", "- {kind: byline, from: \"Montgomery County\"")
    message = failing_build()
    assert f"{SHEET}:{line}:" in message
    assert "'Montgomery County' occurs" in message and "occurrence: N" in message


def test_an_unknown_id_names_the_id(layout: Layout, failing_build):
    line = edit(layout.seeds / SHEET, "by: marc-elrich", "by: mark-elrich")
    message = failing_build()
    assert f"{SHEET}:{line}:" in message and "unknown id 'mark-elrich'" in message


def test_a_duplicate_entity_id_is_refused(layout: Layout, failing_build):
    canada = "  canada: {label: Canada, kind: nation}"
    edit(layout.seeds / "entities.yaml", canada, canada + "\n  spain: {label: Spain again, kind: nation}")
    message = failing_build()
    assert "entities.yaml" in message and "duplicate" in message and "spain" in message


def test_a_duplicate_claim_id_is_refused(layout: Layout, failing_build):
    sheet = layout.seeds / SHEET
    text = sheet.read_text(encoding="utf-8")
    first = re.findall(r"- id: ([a-z0-9-]+)", text)
    line = edit(sheet, f"- id: {first[1]}\n", f"- id: {first[0]}\n")
    message = failing_build()
    assert f"{SHEET}:{line}:" in message and f"duplicate claim id '{first[0]}'" in message


def test_a_provision_not_in_the_scheme_lists_the_choices(layout: Layout, failing_build):
    line = edit(layout.seeds / SHEET, "provisions: [detainers-need-judicial-warrant", "provisions: [detainers-need-a-warrant")
    message = failing_build()
    assert f"{SHEET}:{line}:" in message
    assert "'detainers-need-a-warrant' is not in the provision list" in message
    assert "detainers-need-judicial-warrant" in message


def test_a_kind_not_in_its_scheme_is_refused(layout: Layout, failing_build):
    line = edit(layout.seeds / SHEET, "kind: direct-quote", "kind: quotation")
    message = failing_build()
    assert f"{SHEET}:{line}:" in message and "'quotation' is not in the claim-kind list" in message


def test_a_changed_article_stops_the_build(layout: Layout, failing_build):
    path = layout.seeds / ARTICLE
    path.write_bytes(path.read_bytes().replace(b"Montgomery", b"Montgomerx", 1))
    message = failing_build()
    assert SHEET in message and "has changed since its fact sheet was written" in message


def test_an_article_that_is_not_utf8_is_refused(layout: Layout, failing_build):
    path = layout.seeds / ARTICLE
    path.write_bytes(path.read_bytes().replace("’".encode(), b"\x92", 1))
    message = failing_build()
    assert ARTICLE in message and "not UTF-8" in message


def test_an_empty_article_is_refused(layout: Layout, failing_build):
    (layout.seeds / ARTICLE).write_bytes(b"")
    message = failing_build()
    assert ARTICLE in message and "empty" in message


def test_a_reader_comment_outside_the_comments_is_refused(layout: Layout, failing_build):
    line = edit(layout.seeds / SHEET, "kind: direct-quote", "kind: reader-comment")
    message = failing_build()
    assert f"{SHEET}:{line - 1}:" in message  # the line of the claim, whose kind follows its id
    assert "reader comment outside the reader-comments segment" in message


def test_an_entity_the_article_never_names_is_refused(layout: Layout, failing_build):
    edit(layout.seeds / SHEET, "by: marc-elrich", "by: dannel-malloy")
    message = failing_build()
    assert "'dannel-malloy', which this article never names" in message


def test_an_unknown_field_is_refused(layout: Layout, failing_build):
    line = edit(layout.seeds / SHEET, "    kind: direct-quote", "    kinds: direct-quote")
    message = failing_build()
    assert f"{SHEET}:{line}:" in message and "unknown field 'kinds'" in message


def test_a_first_build_that_fails_leaves_no_build_folder(layout: Layout, run_cli):
    edit(layout.seeds / SHEET, "so it has the force of law", "so it has the full force of law")
    result = run_cli("--seeds", layout.seeds, "--build-dir", layout.build, "build")
    assert result.code == ExitCode.INPUT
    assert not layout.dataset.exists() and not layout.store.exists()


def test_a_claimant_without_a_role_is_refused(layout: Layout, failing_build):
    # California is named in the article but speaks in none: it has no role in entities.yaml
    line = edit(layout.seeds / "003_ac4e94ca39e181a2.yaml", "by: san-francisco", "by: california")
    message = failing_build()
    assert f"003_ac4e94ca39e181a2.yaml:{line}:" in message
    assert "is by california, which has no role: give it one in entities.yaml (one of: advocate, agency" in message


def test_a_within_that_no_source_states_is_refused(layout: Layout, failing_build):
    # Seattle within King County is in no data package: article 001 states it, and its sheet records the words
    edit(layout.seeds / "001_a285dc5bd2db45e9.yaml", "  - {place: seattle, in: king-county,", "  # - {place: seattle,")
    line = _line_of(layout.seeds / "entities.yaml", "  seattle:")
    message = failing_build()
    assert f"entities.yaml:{line}: seattle is within king-county, but no source says so" in message
    assert "record the words of an article that state it under within: in its fact sheet" in message


def test_a_new_within_that_no_source_states_stops_the_first_build(layout: Layout, run_cli):
    line = edit(layout.seeds / "entities.yaml", "  mexico-city:",
                "  oakland: {label: Oakland, kind: city, within: california}\n  mexico-city:")
    result = run_cli("--seeds", layout.seeds, "--build-dir", layout.build, "build")
    assert result.code == ExitCode.INPUT and result.out == ""
    assert result.err.strip().splitlines() == [
        f"sanctuary-kg: error: {layout.seeds / 'entities.yaml'}:{line}: oakland is within california, but no source "
        "says so (no data package in jurisdiction-codes.csv, no fact sheet): record the words of an article that state "
        "it under within: in its fact sheet, or place oakland within the deepest jurisdiction a source states"]
    assert not layout.build.exists()


def test_a_sheets_within_must_be_the_entity_lists(layout: Layout, failing_build):
    line = edit(layout.seeds / "001_a285dc5bd2db45e9.yaml", "{place: seattle, in: king-county,",
                "{place: seattle, in: washington,")
    message = failing_build()
    assert f"001_a285dc5bd2db45e9.yaml:{line}:" in message
    assert "within: seattle lies in king-county in entities.yaml, not washington" in message


def _line_of(path: Path, text: str) -> int:
    content = path.read_text(encoding="utf-8")
    return content[: content.index(text)].count("\n") + 1
