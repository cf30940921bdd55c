"""The regional vocabulary table: how it is read and checked, that its words stay whole
index words, and that jieba's dictionary follows it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import opencc
import pytest

from app.instruments import load as load_dictionary
from app.instruments import prepare_analysis
from app.search import find_spans, mark, query_terms, segmenter, synonyms, term_pattern
from app.search.analyzer import words
from app.search.planner import plan
from app.search.synonyms import SynonymError, key_of, load, parse
from app.search.syntax import parse as parse_query
from app.text.normalize import fold

THEMES = (
    "Monetary policy and macro",
    "Currencies",
    "Institutions",
    "Technology",
    "Accounting and valuation",
    "Market slang",
    "Trading and market structure",
)


def test_the_table_has_its_groups_and_themes() -> None:
    table = synonyms.table()
    assert len(table.groups) >= 150
    assert all(len(group) >= 2 for group in table.groups)
    text = Path(synonyms.__file__).with_name("synonyms.txt").read_text("utf-8")
    for theme in THEMES:
        assert f"# --- {theme} " in text, theme


def test_words_are_folded_and_keep_their_written_form() -> None:
    assert synonyms.synonyms("降息") == ("减息",)
    assert synonyms.synonyms("減息") == ("降息",)
    assert synonyms.synonyms("减息") == ("降息",)
    assert set(synonyms.synonyms("美联储")) == {"联储", "联准会", "联储局"}
    assert synonyms.shown("联准会") == "聯準會"
    assert synonyms.shown("减息") == "減息"
    assert synonyms.synonyms("eps") == synonyms.synonyms("EPS")
    assert {"每股收益", "每股盈余"} <= set(synonyms.synonyms("EPS"))
    assert synonyms.synonyms("英伟达") == ()
    assert "联准会" in synonyms.words()


def test_every_word_is_one_index_word() -> None:
    table = synonyms.table()
    split = {
        written: [token for _, token, _, _ in words(fold(written))]
        for written in table.shown.values()
    }
    assert {w: tokens for w, tokens in split.items() if tokens != [key_of(w)]} == {}


def test_no_word_is_an_instrument_name() -> None:
    """Names are joined by the instrument dictionary through tickers; a name in the
    table as well would be expanded twice and listed twice."""
    dictionary = load_dictionary()
    symbols = {symbol.casefold() for symbol in dictionary.by_symbol}
    names = {alias.casefold() for alias in dictionary.aliases}
    assert sorted(w for w in synonyms.words() if w in names or w in symbols) == []


def test_opencc_taiwan_phrases_agree_with_the_table() -> None:
    """Where OpenCC's Taiwan phrase table turns one of our words into another word of
    the table, that word is in the same group: the two never contradict each other."""
    tw2sp = opencc.OpenCC("tw2sp")
    table = synonyms.table()
    agreed = 0
    for key, written in table.shown.items():
        converted = key_of(tw2sp.convert(written))
        if converted != key and converted in table.group_of:
            assert converted in table.group_of[key], (written, converted)
            agreed += 1
    # 軟體, 伺服器, 記憶體, 晶片, 資料中心, 人工智慧 … are all known to both.
    assert agreed >= 20


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "降息 | 減息\n# 注释\n\n加息 | 降息\n",
            "t.txt, line 4: '降息' is already in the group on line 1",
        ),
        ("降息 | 減息\n漲停 | 涨停\n", "t.txt, line 2: a group needs two words that differ"),
        ("降息\n", "t.txt, line 1: a group needs two words"),
        ("降 息 | 減息\n", "t.txt, line 1: '降 息' is not one word"),
        ("降息 | | 減息\n", "t.txt, line 1: '' is not one word"),
    ],
)
def test_a_broken_table_names_its_line(text: str, message: str) -> None:
    with pytest.raises(SynonymError) as raised:
        parse(text, "t.txt")
    assert str(raised.value).startswith(message)


def test_a_table_file_is_read_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "synonyms.txt"
    path.write_text("# 货币政策\n降息 | 減息 | 减息\n美联储|聯準會\n", "utf-8")
    table = load(path)
    assert table.groups == (("降息", "减息"), ("美联储", "联准会"))
    assert table.shown == {"降息": "降息", "减息": "減息", "美联储": "美联储", "联准会": "聯準會"}
    path.write_text("降息 | 減息\n美联储 | 聯準會\n加息 | 聯準會\n", "utf-8")
    with pytest.raises(SynonymError, match=r"synonyms.txt, line 3: '聯準會' .* line 2"):
        load(path)


def test_a_changed_table_changes_jiebas_words_but_not_the_index_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new synonym word becomes a jieba word. It changes only the texts that hold it,
    which the next ingest re-analyses; the index's base stays."""
    before, base = segmenter.user_words(), segmenter.base_fingerprint()
    assert set(before) >= {"减息", "联储局", "联准会"}
    changed = tmp_path / "synonyms.txt"
    changed.write_text("降息 | 減息\n空头 | 淡友\n", "utf-8")
    monkeypatch.setattr(synonyms, "table", lambda: load(changed))
    assert sorted(set(segmenter.user_words()) - set(before)) == ["淡友"]
    assert segmenter.base_fingerprint() == base


# --- Searching ---------------------------------------------------------------------------

Index = Callable[..., int]
Matched = Callable[..., set[int]]


@pytest.fixture
def regional(index_commentary: Index) -> dict[str, int]:
    """Commentaries that say the same things in Mainland, Taiwan and Hong Kong words."""
    return {
        "mainland": index_commentary("美联储宣布降息，市场反应平淡。"),
        "hongkong": index_commentary("聯儲局宣布減息，港股造好。"),
        "taiwan": index_commentary("聯準會維持利率不變，台股走弱。"),
        "nvda_cut": index_commentary("輝達財報後，市場押注減息。"),
        "nvda": index_commentary("英伟达发布新品。"),
        "other": index_commentary("央行按兵不动，晶片股走强。"),
    }


def test_a_word_finds_its_regional_synonyms(regional: dict[str, int], matched_ids: Matched) -> None:
    cut = {regional["mainland"], regional["hongkong"], regional["nvda_cut"]}
    for query in ("降息", "減息", "减息"):
        assert matched_ids(query) == cut, query
    fed = {regional["mainland"], regional["hongkong"], regional["taiwan"]}
    for query in ("美联储", "聯準會", "联储局", "聯儲局"):
        assert matched_ids(query) == fed, query
    assert matched_ids("芯片") == {regional["other"]}
    # Excluding a word excludes its synonyms too.
    assert matched_ids("美联储 -減息") == {regional["taiwan"]}


def test_literal_and_quoted_words_do_not_expand(
    regional: dict[str, int], matched_ids: Matched
) -> None:
    assert matched_ids("降息", literal=True) == {regional["mainland"]}
    assert matched_ids("減息", literal=True) == {regional["hongkong"], regional["nvda_cut"]}
    assert matched_ids('"降息"') == {regional["mainland"]}
    assert matched_ids("聯準會", literal=True) == {regional["taiwan"]}


def test_names_and_synonyms_are_anded(regional: dict[str, int], matched_ids: Matched) -> None:
    # 英伟达 finds 輝達 by name, 降息 finds 減息 by synonym: both must hold.
    assert matched_ids("英伟达 降息") == {regional["nvda_cut"]}
    assert matched_ids("英伟达降息") == {regional["nvda_cut"]}
    assert matched_ids("英伟达 OR 降息") == {
        regional["mainland"],
        regional["hongkong"],
        regional["nvda_cut"],
        regional["nvda"],
    }


def test_the_plan_reports_synonyms_apart_from_names() -> None:
    found = plan(parse_query("英伟达 降息 -加息"), prepare_analysis(None))
    assert found.synonyms == [("降息", ("減息",))]
    assert [(word, named.symbol) for word, named in found.expanded] == [("英伟达", "NVDA")]
    assert ("降息",) in found.highlights and ("减息",) in found.highlights
    assert ("升息",) not in found.highlights
    fed = plan(parse_query("美联储"), None)
    assert fed.synonyms == [("美联储", ("联储", "聯準會", "聯儲局"))]
    for quiet in (plan(parse_query("降息"), None, literal=True), plan(parse_query('"降息"'), None)):
        assert (quiet.synonyms, quiet.highlights) == ([], [("降息",)])
    assert plan(parse_query("降*"), None).synonyms == []


def test_highlights_mark_the_synonym_in_the_text() -> None:
    text = "聯儲局宣布減息，港股造好。"
    spans = find_spans(text, term_pattern(query_terms("降息")))
    assert str(mark(text, spans)) == "聯儲局宣布<mark>減息</mark>，港股造好。"
    spans = find_spans(text, term_pattern(query_terms("美联储 降息")))
    assert str(mark(text, spans)) == "<mark>聯儲局</mark>宣布<mark>減息</mark>，港股造好。"
    assert find_spans(text, term_pattern(query_terms("降息", literal=True))) == []
