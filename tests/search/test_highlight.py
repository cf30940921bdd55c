"""Highlights are found in the normalised text and cut from the original text."""

from __future__ import annotations

import re

from app.search import Sought, find_spans, mark, query_terms, snippet_terms, snippets, term_pattern
from app.search.highlight import lead

NVDA = Sought((("NVDA",), ("英伟达",)), ticker_filter=True)
RATE_CUT = Sought((("降息",), ("减息",)))
FED = Sought((("美联储",),))


def shown(text: str, *sought: Sought, limit: int = 3) -> list[str]:
    return [str(s) for s in snippets(text, snippet_terms(sought), limit)]


def marked(snippet: str) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", snippet)


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
    text = "前" * 100 + "<b>降息</b>" + "后" * 200
    # 48 characters before the match, the rest of the 180 after it.
    assert shown(text, RATE_CUT) == [
        "…" + "前" * 45 + "&lt;b&gt;<mark>降息</mark>&lt;/b&gt;" + "后" * 126 + "…"
    ]


def test_snippet_without_matches_is_the_opening() -> None:
    assert [str(s) for s in snippets("第一段<x>\n第二段", None)] == ["第一段&lt;x&gt; 第二段"]
    assert shown("第一段<x>\n第二段", FED) == ["第一段&lt;x&gt; 第二段"]


def test_a_passage_with_every_word_beats_one_with_many_of_one() -> None:
    text = "降息降息降息，降息再降息。\n" + "中间" * 60 + "\n美联储决定降息。"
    assert shown(text, RATE_CUT, FED, limit=1) == ["<mark>美联储</mark>决定<mark>降息</mark>。"]


def test_query_words_come_before_a_ticker_filters_names() -> None:
    text = "NVDA 大涨，英伟达市值创新高，NVDA 领涨。\n" + "其他" * 60 + "\n市场押注降息。"
    # One snippet: the query word, not the filter's names (every hit names the ticker).
    assert shown(text, NVDA, RATE_CUT, limit=1) == ["市场押注<mark>降息</mark>。"]
    # More snippets add what is not shown yet: the ticker, where it is named.
    assert [marked(s) for s in shown(text, NVDA, RATE_CUT, limit=2)] == [
        ["NVDA", "英伟达", "NVDA"],
        ["降息"],
    ]
    # A passage holding both beats either alone.
    both = text + "\n英伟达在降息后回升。"
    assert shown(both, NVDA, RATE_CUT, limit=1) == [
        "<mark>英伟达</mark>在<mark>降息</mark>后回升。"
    ]


def test_a_synonym_counts_as_the_word_it_stands_for() -> None:
    text = "減息與美联储。\n" + "其他" * 60 + "\n降息降息降息。"
    assert shown(text, RATE_CUT, FED, limit=1) == ["<mark>減息</mark>與<mark>美联储</mark>。"]


def test_every_match_inside_a_snippet_is_marked() -> None:
    text = "可见，NVDA贡献了涨幅的44%；NVDA和AVGO则贡献了42%。" * 6
    for snippet in shown(text, NVDA):
        plain = re.sub(r"</?mark>", "", snippet)
        assert len(marked(snippet)) == plain.count("NVDA")


def test_a_snippet_never_ends_inside_a_ticker_or_a_word() -> None:
    # The 180-character budget would end the snippet inside NVDA, 英伟达 or 11.55%.
    ends = {}
    for filler in ("NVDA ", "英伟达", "11.55% ", "Blackwell "):
        text = "降息" + "的" * 170 + filler * 20
        (snippet,) = shown(text, RATE_CUT)
        assert snippet.endswith("…")
        tail = snippet.removesuffix("…").rpartition("的")[2]
        ends[filler] = tail
        assert len(snippet) <= len("<mark></mark>…") + 180
    # The 180th character falls inside the next NVDA, 英伟达 or 11.55%, or inside the first
    # Blackwell: each is left out whole.
    assert ends == {"NVDA ": "NVDA", "英伟达": "英伟达" * 2, "11.55% ": "11.55%", "Blackwell ": ""}


def test_a_snippet_never_starts_inside_a_ticker() -> None:
    text = "x" * 3 + " NVDA" * 40 + "降息" + "。"
    (snippet,) = shown(text, RATE_CUT)
    assert snippet.startswith("…NVDA NVDA"), snippet[:12]
    assert snippet.endswith("<mark>降息</mark>。")


def test_a_snippet_starts_at_its_sentence_and_ends_after_one() -> None:
    text = (
        "前一句话说了些别的事情，很长很长。美联储在九月决定降息五十个基点，市场一片欢腾。后一句。"
    )
    assert shown(text, RATE_CUT) == [text.replace("降息", "<mark>降息</mark>")]
    long_before = "很" * 80 + "。" + "前文" * 30 + "，美联储决定降息，市场欢腾。" + "后" * 200
    (snippet,) = shown(long_before, RATE_CUT)
    assert snippet.startswith("…美联储决定<mark>降息</mark>，市场欢腾。")


def test_the_opening_is_cut_between_words() -> None:
    assert lead("甲" * 138 + "英伟达大涨") == "甲" * 138 + "…"
    assert lead("甲" * 137 + "英伟达大涨") == "甲" * 137 + "英伟达…"
    assert lead("很" * 130 + "，NVDA 与 Broadcom 走强") == "很" * 130 + "，…"
    assert lead("短文。") == "短文。"


def test_a_percentage_stays_with_its_number() -> None:
    assert lead("很" * 133 + "上涨11.55%走强") == "很" * 133 + "上涨…"
