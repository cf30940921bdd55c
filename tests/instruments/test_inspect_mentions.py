"""The verdict on every candidate mention (``archive inspect``), on the tricky cases of
the labelled sets, and that tracing the extractor changes none of its mentions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from app.instruments import Dictionary, extract, prepare_analysis
from app.instruments.inspection import MentionInspection, inspect_mentions
from app.instruments.trace import Evidence, MentionTrace, Reason, Verdict
from app.search import words
from app.text.normalize import normalise

HERE = Path(__file__).parent
SETS = ("labelled_sentences.yaml", "real_news.yaml", "real_news_holdout.yaml")

E, R = Evidence, Reason
Row = tuple[int, int, str, Evidence, bool, Reason, str | None, str]


@pytest.fixture(scope="module")
def dictionary() -> Dictionary:
    return prepare_analysis(None)


def _entries(name: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = yaml.safe_load((HERE / name).read_text("utf-8"))
    return entries


def labelled(containing: str) -> str:
    """The one labelled sentence or article that contains ``containing``."""
    (text,) = [e["text"] for name in SETS for e in _entries(name) if containing in e["text"]]
    return text


def inspected(text: str, dictionary: Dictionary) -> MentionInspection:
    normalised = normalise(text)
    tokens = list(words(normalised.text, subwords=True))
    return inspect_mentions(text, dictionary, normalised, tokens)


def rows(text: str, dictionary: Dictionary) -> list[Row]:
    return [
        (v.start, v.end, j.text, v.evidence, v.counted, v.reason, v.symbol, v.detail)
        for j in inspected(text, dictionary).candidates
        for v in (j.verdict,)
    ]


def test_a_name_inside_a_longer_word(dictionary: Dictionary) -> None:
    text = labelled("阿里山小火車")
    assert rows(text, dictionary) == [
        (2, 4, "阿里", E.NAME, False, R.INSIDE_WORD, "BABA", "阿里山"),
    ]


def test_everyday_names_without_evidence(dictionary: Dictionary) -> None:
    text = labelled("決定統一各地分公司")
    assert rows(text, dictionary) == [
        (8, 10, "大同", E.NAME, False, R.INSIDE_WORD, "2371.TW", "山西大同"),
        (19, 21, "南亚", E.NAME, False, R.EVERYDAY_NAME, "1303.TW", ""),
        (29, 31, "统一", E.NAME, False, R.EVERYDAY_NAME, "1216.TW", ""),
    ]


def test_an_everyday_name_with_a_stock_word_next_to_it(dictionary: Dictionary) -> None:
    found = inspected("台股统一涨停", dictionary)
    (judged,) = found.candidates
    assert judged.verdict == Verdict(
        2, 4, E.NAME, True, R.PARAGRAPH_MARKET, "1216.TW", ("1216.TW",), "a stock word next to it"
    )
    assert judged.market == "TW"
    assert [(f.symbol, f.alias, f.start, f.end) for f in found.mentions] == [
        ("1216.TW", "统一", 2, 4)
    ]


def test_an_ambiguous_name_settled_by_its_code(dictionary: Dictionary) -> None:
    text = labelled("超微（AMD）推出新一代MI350")
    found = inspected(text, dictionary)
    assert rows(text, dictionary) == [
        (0, 7, "超微(AMD)", E.NAME_WITH_CODE, True, R.WRITTEN, "AMD", ""),
        (
            0,
            2,
            "超微",
            E.NAME,
            False,
            R.AMBIGUOUS,
            None,
            "marked ambiguous: counts only with its code",
        ),
        (3, 6, "AMD", E.BARE_SYMBOL, False, R.OVERLAPPED, "AMD", "超微(AMD) (name with code)"),
        (12, 17, "MI350", E.BARE_SYMBOL, False, R.UNKNOWN_SYMBOL, None, ""),
    ]
    assert found.candidates[1].verdict.options == ("AMD", "SMCI")
    # Offsets of what is stored point into the original (full-width brackets).
    assert [(f.symbol, f.alias, f.start, f.end) for f in found.mentions] == [
        ("AMD", "超微（AMD）", 0, 7)
    ]


def test_an_ambiguous_name_alone(dictionary: Dictionary) -> None:
    text = labelled("超微今年以來股價翻倍")
    assert rows(text, dictionary) == [
        (
            0,
            2,
            "超微",
            E.NAME,
            False,
            R.AMBIGUOUS,
            None,
            "marked ambiguous: counts only with its code",
        ),
    ]


def test_stop_listed_bare_symbols(dictionary: Dictionary) -> None:
    text = labelled("周三CPI，周四PPI")
    assert rows(text, dictionary) == [
        (9, 12, "CPI", E.BARE_SYMBOL, False, R.STOP_LIST, None, ""),
        (15, 18, "PPI", E.BARE_SYMBOL, False, R.STOP_LIST, None, ""),
        (21, 25, "FOMC", E.BARE_SYMBOL, False, R.STOP_LIST, None, ""),
        (30, 33, "COT", E.BARE_SYMBOL, False, R.STOP_LIST, None, ""),
        (38, 41, "CTA", E.BARE_SYMBOL, False, R.STOP_LIST, None, ""),
    ]


def test_outlet_organisation_and_a_wordlike_symbol_alone(dictionary: Dictionary) -> None:
    text = labelled("智通财经APP获悉，恒生指数有限公司同日")
    assert rows(text, dictionary) == [
        (0, 12, "中信银行(601998)", E.NAME_WITH_CODE, True, R.WRITTEN, "601998.SS", ""),
        (
            0,
            4,
            "中信银行",
            E.NAME,
            False,
            R.OVERLAPPED,
            "601998.SS",
            "中信银行(601998) (name with code)",
        ),
        (28, 30, "智通", E.NAME, False, R.INSIDE_OUTLET, "8932.TWO", ""),
        (32, 35, "APP", E.BARE_SYMBOL, False, R.WORDLIKE, "APP", ""),
        (38, 42, "恒生指数", E.NAME, False, R.INSIDE_ORGANISATION, "HSI", ""),
    ]


def test_a_wordlike_symbol_among_tickers(dictionary: Dictionary) -> None:
    assert rows("NVDA、APP 同步大涨", dictionary) == [
        (0, 4, "NVDA", E.BARE_SYMBOL, True, R.WRITTEN, "NVDA", ""),
        (5, 8, "APP", E.BARE_SYMBOL, True, R.WRITTEN, "APP", "among other tickers"),
    ]
    assert rows("APP 下载量大增", dictionary) == [
        (0, 3, "APP", E.BARE_SYMBOL, False, R.WORDLIKE, "APP", ""),
    ]


def test_a_learned_code_and_the_name_it_teaches(dictionary: Dictionary) -> None:
    # 智譜 is not in the dictionary: its code teaches it, and the headline and caption
    # above, which name it alone, count too.
    text = labelled("智譜 (02513-HK)")
    assert "智谱" not in dictionary.aliases
    folded = normalise(text).text
    code = folded.index("智谱 (02513-HK)")
    alone = [i for i in range(code) if folded.startswith("智谱", i)]
    assert len(alone) == 2
    learned = [row for row in rows(text, dictionary) if row[3] in {E.LEARNED_CODE, E.LEARNED_NAME}]
    assert learned == [
        *(
            (at, at + 2, "智谱", E.LEARNED_NAME, True, R.PARAGRAPH_MARKET, "2513.HK", "")
            for at in alone
        ),
        (code, code + 13, "智谱 (02513-HK)", E.LEARNED_CODE, True, R.WRITTEN, "2513.HK", ""),
        (
            code,
            code + 2,
            "智谱",
            E.LEARNED_NAME,
            False,
            R.OVERLAPPED,
            "2513.HK",
            "智谱 (02513-HK) (learned code)",
        ),
    ]
    mentions = [f for f in inspected(text, dictionary).mentions if f.symbol == "2513.HK"]
    assert [(f.alias, f.learned) for f in mentions] == [
        ("智譜", "智譜"),
        ("智譜", "智譜"),
        ("智譜 (02513-HK)", "智譜"),
    ]


def test_a_name_written_before_its_code_is_one_mention(dictionary: Dictionary) -> None:
    text = labelled("宁德时代SZ300750全天")
    assert rows(text, dictionary)[:2] == [
        (0, 12, "宁德时代SZ300750", E.EXPLICIT, True, R.WRITTEN, "300750.SZ", ""),
        (0, 4, "宁德时代", E.NAME, False, R.JOINED, "300750.SZ", "SZ300750"),
    ]


def test_counted_candidates_are_the_mentions(dictionary: Dictionary) -> None:
    for name in SETS:
        for entry in _entries(name):
            found = inspected(entry["text"], dictionary)
            counted = sorted(
                (j.verdict.start, j.verdict.symbol) for j in found.candidates if j.verdict.counted
            )
            folded = normalise(entry["text"])
            stored = sorted((folded.position(f.start), f.symbol) for f in found.mentions)
            assert counted == stored, entry["text"]


def test_the_trace_changes_nothing(dictionary: Dictionary) -> None:
    for name in SETS:
        for entry in _entries(name):
            text = entry["text"]
            assert extract(text, dictionary, trace=MentionTrace()) == extract(text, dictionary)
