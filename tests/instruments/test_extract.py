"""Mention extraction: explicit forms, names, bare symbols, the stop list, ambiguity,
word boundaries, and offsets that point at the original text."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, select

from app.config import Settings
from app.db import make_engine
from app.instruments import Dictionary, Found, extract, prepare_analysis
from app.models import Commentary, Mention
from tests.conftest import SEED_000, SEED_001, SEED_002, SEED_003, SEED_004


@pytest.fixture(scope="module")
def dictionary() -> Dictionary:
    return prepare_analysis(None)


def found(text: str, dictionary: Dictionary) -> list[tuple[str, str, int, int]]:
    return [(f.symbol, f.alias, f.start, f.end) for f in extract(text, dictionary)]


def symbols(text: str, dictionary: Dictionary) -> set[str]:
    return {f.symbol for f in extract(text, dictionary)}


# What the seeds mention, exactly. The minimum for each seed is a subset; the
# rest are names the dictionary knows (商汤 is 0020.HK, 伯克希尔 is BRK.B, 高盛 is GS).
SEED_SYMBOLS = {
    SEED_000: {"AFRM", "AVGO", "HIMS", "HOOD", "IWM", "IXIC", "NVDA", "QQQ", "SMH", "SPY", "TLT"},
    SEED_001: {"BTC", "GOOGL", "GS", "NVDA", "SPX"},
    SEED_002: {
        *("0700.HK", "BABA", "BTC", "ETH", "GS", "IXIC", "META", "NVDA", "SNDK", "STX"),
        # 铠侠 (Kioxia) has been listed in Tokyo since December 2024.
        *("WDC", "XAU", "285A.T"),
    },
    SEED_003: {"9984.T", "AMD", "IXIC", "META", "MSFT", "ORCL", "TSLA"},
    SEED_004: {
        *("000001.SS", "000660.KS", "000688.SS", "0020.HK", "002475.SZ", "005930.KS"),
        *("2317.TW", "603259.SS", "9984.T", "AAPL", "ADBE", "AMAT", "AMD", "AMZN", "ARM"),
        *("ASML", "AVGO", "BABA", "BIDU", "BLK", "BRK.B", "BTC", "BX", "CRWV", "CVX"),
        *("GOOGL", "HSI", "HSTECH", "IGV", "KKR", "META", "MSFT", "MU", "NBIS", "NVDA"),
        *("ORCL", "OXY", "SMH", "SPX", "STX", "TSLA", "2330.TW", "WDC", "XAU"),
        # 康龙化成, a listed CRO named next to 药明康德.
        "300759.SZ",
    },
}
REQUIRED = {
    SEED_000: {"SPY", "NVDA", "AVGO", "HIMS", "HOOD", "AFRM", "QQQ", "IWM", "SMH", "TLT"},
    SEED_002: {"NVDA", "SNDK", "WDC", "STX", "BABA"},
    SEED_003: {"TSLA", "META", "MSFT", "AMD", "ORCL"},
    SEED_004: {
        *("NVDA", "SMH", "MU", "STX", "WDC", "ASML", "AMAT", "IGV", "GOOGL", "AAPL", "TSLA"),
        *("MSFT", "AMZN", "META", "ORCL", "AMD", "CRWV", "NBIS", "ARM", "AVGO", "BIDU"),
        *("BABA", "ADBE", "2330.TW", "BX", "KKR", "BLK", "CVX", "OXY"),
    },
}
NEVER = {
    *("CPI", "PPI", "FOMC", "CTA", "AI", "GPU", "LLM", "ETF", "QT", "SOFR", "IOR", "SRF"),
    *("RMP", "BLS", "CRO", "EDA", "PPA", "MLA", "MOE", "SFT", "AGI", "GPT", "RL", "COT"),
    *("OAI", "BOJ", "QDS", "EPS", "PE", "CEO", "USD", "GDP"),
}


def _stored_mentions(settings: Settings) -> dict[str, list[tuple[Mention, Commentary]]]:
    engine = make_engine(settings)
    try:
        with Session(engine) as session:
            rows = session.exec(
                select(Mention, Commentary)
                .join(Commentary, col(Commentary.id) == col(Mention.commentary_id))
                .order_by(col(Mention.id))
            ).all()
            by_seed: dict[str, list[tuple[Mention, Commentary]]] = {}
            for mention, commentary in rows:
                name = commentary.origin_key.rsplit("/", 1)[-1]
                by_seed.setdefault(name, []).append((mention, commentary))
            return by_seed
    finally:
        engine.dispose()


def test_seed_mentions_are_exactly_these(seeded_settings: Settings) -> None:
    stored = _stored_mentions(seeded_settings)
    assert {name: {m.symbol for m, _ in rows} for name, rows in stored.items()} == SEED_SYMBOLS
    for name, required in REQUIRED.items():
        assert required <= SEED_SYMBOLS[name]
    assert all(not (found & NEVER) for found in SEED_SYMBOLS.values())


def test_stored_offsets_point_at_the_alias_in_the_body(seeded_settings: Settings) -> None:
    stored = _stored_mentions(seeded_settings)
    for rows in stored.values():
        for mention, commentary in rows:
            assert commentary.body[mention.start : mention.end] == mention.alias
            lines = commentary.body[: mention.start].split("\n")
            assert mention.paragraph == sum(1 for line in lines[:-1] if line.strip())
            assert mention.published == commentary.published
    first_002 = stored[SEED_002][0][0]
    assert (first_002.symbol, first_002.alias, first_002.start, first_002.paragraph) == (
        "NVDA",
        "NVDA",
        122,
        0,
    )


def test_stop_list_holds_the_macro_and_tech_acronyms(dictionary: Dictionary) -> None:
    assert dictionary.stop_words >= NEVER
    sentence = " ".join(sorted(NEVER)) + " 都不是代码。"
    assert found(sentence, dictionary) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$NVDA$ 大涨", [("NVDA", "$NVDA$", 0, 6)]),
        ("关注 $NVDA 的财报", [("NVDA", "$NVDA", 3, 8)]),
        ("$英伟达(NVDA)$ 大涨", [("NVDA", "$英伟达(NVDA)$", 0, 11)]),
        ("买入NVDA.US。", [("NVDA", "NVDA.US", 2, 9)]),
        ("买入US.NVDA。", [("NVDA", "US.NVDA", 2, 9)]),
        ("买入NVDA-US。", [("NVDA", "NVDA-US", 2, 9)]),
        ("博通(AVGO)走强", [("AVGO", "博通(AVGO)", 0, 8)]),
        ("博通（AVGO）走强", [("AVGO", "博通（AVGO）", 0, 8)]),
        ("微软(MSFT.US)发布财报", [("MSFT", "微软(MSFT.US)", 0, 11)]),
        ("南向买入00700.HK", [("0700.HK", "00700.HK", 4, 12)]),
        ("南向买入 0700.HK 回购", [("0700.HK", "0700.HK", 5, 12)]),
        ("南向买入HK.00700", [("0700.HK", "HK.00700", 4, 12)]),
        ("白酒龙头SH600519", [("600519.SS", "SH600519", 4, 12)]),
        ("电池龙头SZ300750", [("300750.SZ", "SZ300750", 4, 12)]),
        ("白酒600519.SH", [("600519.SS", "600519.SH", 2, 11)]),
        ("药明康德（603259）", [("603259.SS", "药明康德（603259）", 0, 12)]),
        ("台积电(2330)涨停", [("2330.TW", "台积电(2330)", 0, 9)]),
        ("软银(9984)", [("9984.T", "软银(9984)", 0, 8)]),
        ("韩国龙头005930.KS", [("005930.KS", "005930.KS", 4, 13)]),
        # A name written right before its own code is one mention.
        ("腾讯 00700.HK", [("0700.HK", "腾讯 00700.HK", 0, 11)]),
        ("贵州茅台SH600519", [("600519.SS", "贵州茅台SH600519", 0, 12)]),
        ("英伟达 NVDA.US", [("NVDA", "英伟达 NVDA.US", 0, 11)]),
        ("英伟达 NVDA", [("NVDA", "英伟达", 0, 3), ("NVDA", "NVDA", 4, 8)]),
        ("买入BRK-B和BRK.B", [("BRK.B", "BRK-B", 2, 7), ("BRK.B", "BRK.B", 8, 13)]),
    ],
)
def test_explicit_forms(text: str, expected: list[tuple[str, str, int, int]]) -> None:
    assert found(text, prepare_analysis(None)) == expected


def test_a_code_settles_an_ambiguous_name(dictionary: Dictionary) -> None:
    assert found("超微（AMD）大涨", dictionary) == [("AMD", "超微（AMD）", 0, 7)]
    assert found("超微(SMCI)大跌", dictionary) == [("SMCI", "超微(SMCI)", 0, 8)]
    # Alone, 超微 may mean either company: it is not counted.
    assert found("今天超微大涨", dictionary) == []
    assert found("超微电脑大跌", dictionary) == [("SMCI", "超微电脑", 0, 4)]
    assert found("超微電腦大跌", dictionary) == [("SMCI", "超微電腦", 0, 4)]
    # The code decides the listing even when the name is unambiguous.
    assert found("阿里巴巴（09988.HK）", dictionary) == [("9988.HK", "阿里巴巴（09988.HK）", 0, 14)]
    # Two markets share 2382: the name picks the listing.
    assert found("舜宇(2382)与广达(2382)", dictionary) == [
        ("2382.HK", "舜宇(2382)", 0, 8),
        ("2382.TW", "广达(2382)", 9, 17),
    ]


@pytest.mark.parametrize(
    "name",
    ["英伟达", "輝達", "英偉達", "辉达", "Nvidia", "NVIDIA", "NVDA", "$NVDA$", "NVDA.US"],
)
def test_every_way_of_writing_nvidia(name: str, dictionary: Dictionary) -> None:
    assert found(f"今天{name}大涨。", dictionary) == [("NVDA", name, 2, 2 + len(name))]


@pytest.mark.parametrize(
    "text",
    [
        "Fund9月调仓",
        "H200 与 B200 出货",
        "MI300X 和 MI355X",
        "FP8 训练",
        "GB200 机柜",
        "一篇meta-analysis指出",
        "一篇Meta-analysis指出",
        "阿里山小火车",
        "浓缩苹果汁出口",
        "国庆黄金周",
        "IT行业预算",
        "DeepSeek-R1 发布",
        "GPT-4o 的价格",
        "nvda 小写不算",
    ],
)
def test_lookalikes_are_not_mentions(text: str, dictionary: Dictionary) -> None:
    assert found(text, dictionary) == []


def test_names_match_whole_words(dictionary: Dictionary) -> None:
    assert symbols("Meta 与 Alphabet 加码资本开支", dictionary) == {"META", "GOOGL"}
    assert symbols("苹果发布新品，阿里宣布回购", dictionary) == {"AAPL", "BABA"}


def test_offsets_map_back_through_full_width_and_traditional_text(
    dictionary: Dictionary,
) -> None:
    text = "第一段。\n\n　　ＮＶＤＡ　　和　輝達（ＮＶＤＡ）以及　蘋果\n第三段提到 $TSLA$"
    result = extract(text, dictionary)
    assert [(f.symbol, f.alias, f.start, f.end, f.paragraph) for f in result] == [
        ("NVDA", "ＮＶＤＡ", 8, 12, 1),
        ("NVDA", "輝達（ＮＶＤＡ）", 16, 24, 1),
        ("AAPL", "蘋果", 27, 29, 1),
        ("TSLA", "$TSLA$", 36, 42, 2),
    ]
    for f in result:
        assert text[f.start : f.end] == f.alias


def test_every_found_mention_is_a_found_value(dictionary: Dictionary) -> None:
    (only,) = extract("英伟达", dictionary)
    assert only == Found("NVDA", "英伟达", 0, 3, 0)
