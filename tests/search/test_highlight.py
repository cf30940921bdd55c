"""Highlights are found in the normalised text and cut from the original text."""

from __future__ import annotations

from app.search import find_spans, mark, query_terms, snippets, term_pattern


def test_longest_overlapping_term_wins() -> None:
    text = "英伟达的财报"
    spans = find_spans(text, term_pattern(["伟达", "英伟达"]))
    assert str(mark(text, spans)) == "<mark>英伟达</mark>的财报"


def test_traditional_text_is_highlighted_for_a_simplified_query() -> None:
    text = "聯準會主席發言"
    assert str(mark(text, find_spans(text, term_pattern(query_terms("联准会"))))) == (
        "<mark>聯準會</mark>主席發言"
    )


def test_phrase_is_highlighted_whole_and_only_together() -> None:
    text = "政府停摆。另一处的政府。"
    spans = find_spans(text, term_pattern(query_terms('"政府停摆"')))
    assert str(mark(text, spans)) == "<mark>政府停摆</mark>。另一处的政府。"


def test_latin_terms_match_whole_words_only() -> None:
    text = "ON semi upon it, ＯＮ again"
    spans = find_spans(text, term_pattern(query_terms("on")))
    assert str(mark(text, spans)) == "<mark>ON</mark> semi upon it, <mark>ＯＮ</mark> again"


def test_negated_terms_are_not_highlighted() -> None:
    assert query_terms("英伟达 -期权") == (("英伟达",),)


def test_snippets_are_escaped_and_cut_with_ellipses() -> None:
    text = "前" * 100 + "<b>降息</b>" + "后" * 100
    (snippet,) = snippets(text, find_spans(text, term_pattern(["降息"])))
    context = "&lt;b&gt;<mark>降息</mark>&lt;/b&gt;"
    assert str(snippet) == "…" + "前" * 45 + context + "后" * 44 + "…"


def test_snippet_without_matches_is_the_opening() -> None:
    assert [str(s) for s in snippets("第一段<x>\n第二段", [])] == ["第一段&lt;x&gt; 第二段"]
