"""Anchoring quotes in text: typography, repetition, edges, paragraphs, code points."""

from __future__ import annotations

import pytest

from sanctuary_kg import anchor


def test_curly_quotes_match_straight_ones_and_exact_keeps_the_article_characters():
    text = "Elrich said, \u201cIt\u2019s not just symbolic that I did this,\u201d to the Post."
    span = anchor.find(text, "\"It's not just symbolic that I did this,\"")
    assert span.exact == "\u201cIt\u2019s not just symbolic that I did this,\u201d"
    assert text[span.start : span.end] == span.exact


def test_non_breaking_and_other_spaces_match_a_plain_space():
    text = "a Democrat who\u00a0took office in\u2009December"
    span = anchor.find(text, "who took office in December")
    assert span.exact == "who\u00a0took office in\u2009December"


def test_en_and_em_dashes_match_a_hyphen():
    text = "such a policy \u2013 but it does not cover the entire state. US Immigration and Customs enforcement\u2014for example"
    assert anchor.find(text, "policy - but").exact == "policy \u2013 but"
    assert anchor.find(text, "enforcement-for example").exact == "enforcement\u2014for example"


def test_a_repeated_phrase_is_ambiguous_unless_an_occurrence_is_given():
    text = "ICE agents here. ICE agents there. ICE agents everywhere."
    with pytest.raises(anchor.Ambiguous) as raised:
        anchor.find(text, "ICE agents")
    assert raised.value.starts == [0, 17, 35]
    second = anchor.find(text, "ICE agents", occurrence=2)
    assert (second.start, second.end) == (17, 27)
    with pytest.raises(anchor.Ambiguous):
        anchor.find(text, "ICE agents", occurrence=4)


def test_a_quote_at_the_very_start_has_an_empty_prefix():
    text = "Skip to main content\n\nDemocratic Governor Tells Cops"
    span = anchor.find(text, "Skip to main")
    assert (span.start, span.prefix) == (0, "")
    assert span.suffix == " content\n\nDemocratic Governor Tells Cops"[: anchor.CONTEXT]


def test_a_quote_at_the_very_end_has_an_empty_suffix():
    text = "and Yale Law School."
    span = anchor.find(text, "Yale Law School.")
    assert (span.end, span.suffix) == (len(text), "")
    assert span.prefix == "and "


def test_a_multi_paragraph_quote_matches_across_line_breaks():
    text = "first line\n\nGood for King County!\n\nLou DeLucia\nLou DeLucia2 years ago"
    span = anchor.find(text, "Good for King County! Lou DeLucia Lou DeLucia2 years ago")
    assert span.exact == "Good for King County!\n\nLou DeLucia\nLou DeLucia2 years ago"
    assert span.end == len(text)


def test_offsets_count_code_points_not_bytes():
    text = "\u00a31.9bn \U0001f600 then \u201cno mass deportations\u201d"
    span = anchor.find(text, '"no mass deportations"')
    assert span.start == len("\u00a31.9bn \U0001f600 then ")
    assert span.start == 14  # the pound sign and the emoji each count as one


def test_a_missing_quote_names_the_closest_passage():
    text = "Mr Kelly has insisted there will be \u201cno mass deportations\u201d during the crackdown."
    with pytest.raises(anchor.NotFound) as raised:
        anchor.find(text, "there will be no mass deportation during")
    assert "no mass deportations" in raised.value.closest


def test_an_ellipsis_matches_three_dots():
    text = "We believe\u2026 quality journalism"
    assert anchor.find(text, "believe... quality").exact == "believe\u2026 quality"


def test_matching_is_case_sensitive():
    with pytest.raises(anchor.NotFound):
        anchor.find("The Post reported", "the post reported")
