"""What counts as a mention on real market text: the listing a name means, names
written with their code (and learned from it), everyday names that need evidence,
word-like symbols, and names inside longer organisation names."""

from __future__ import annotations

import pytest

from app.instruments import Dictionary, extract, prepare_analysis


@pytest.fixture(scope="module")
def dictionary() -> Dictionary:
    return prepare_analysis(None)


def found(text: str, dictionary: Dictionary) -> list[tuple[str, str]]:
    return [(f.symbol, f.alias) for f in extract(text, dictionary)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The market of the paragraph picks the listing.
        ("港股方面，恒指收涨，阿里巴巴涨3%。", [("HSI", "恒指"), ("9988.HK", "阿里巴巴")]),
        ("美股方面，纳指收涨，阿里巴巴涨3%。", [("IXIC", "纳指"), ("BABA", "阿里巴巴")]),
        ("台股加權指數收漲，台積電漲2%。", [("TWII", "台股加權指數"), ("2330.TW", "台積電")]),
        # A code written in the text decides where the paragraph names no market...
        (
            "阿里巴巴（09988）收涨。\n阿里也走强。",
            [("9988.HK", "阿里巴巴（09988）"), ("9988.HK", "阿里")],
        ),
        # ...and the paragraph's market decides where it does.
        (
            "台积电(TSM)昨晚上涨。\n台股今日加权指数上涨，台积电涨2%。",
            [("TSM", "台积电(TSM)"), ("TWII", "加权指数"), ("2330.TW", "台积电")],
        ),
        ("美股盘前，印孚瑟斯ADR上涨3%。", [("INFY", "印孚瑟斯")]),
        ("美股收盘，必和必拓、力拓走高。", [("BHP", "必和必拓"), ("RIO", "力拓")]),
        # A name two companies share means the one of the paragraph's market.
        ("A股方面，沪指收涨，中国联通涨2%。", [("000001.SS", "沪指"), ("600050.SS", "中国联通")]),
        ("港股方面，恒指收涨，中国联通涨2%。", [("HSI", "恒指"), ("0762.HK", "中国联通")]),
        # A company's name holding a market word does not place the paragraph.
        ("恒生电子、比亚迪今日大涨。", [("600570.SS", "恒生电子"), ("002594.SZ", "比亚迪")]),
        # The share class written after the name.
        (
            "中芯H股跌2%，中芯国际A股(688981.SH)跌1%。",
            [("0981.HK", "中芯"), ("688981.SS", "中芯国际A股(688981.SH)")],
        ),
        ("台積電美國存託憑證（ADR）創新高", [("TSM", "台積電")]),
        ("台積電(ADR)大漲", [("TSM", "台積電")]),
        # A symbol is its own listing whatever the market around it.
        ("台股加權指數收漲，TSM 盤前漲2%。", [("TWII", "台股加權指數"), ("TSM", "TSM")]),
        # No evidence at all: the issuer's primary listing.
        ("今天聊聊台积电和药明康德。", [("2330.TW", "台积电"), ("603259.SS", "药明康德")]),
    ],
)
def test_a_name_means_the_listing_the_text_is_about(
    dictionary: Dictionary, text: str, expected: list[tuple[str, str]]
) -> None:
    assert found(text, dictionary) == expected


def test_a_name_with_its_code_is_learned_when_the_lists_lack_it(dictionary: Dictionary) -> None:
    text = "港股通资金买入某某新能源(02999)，某某新能源早盘涨5%。"
    mentions = extract(text, dictionary)
    assert "2999.HK" not in dictionary.by_symbol
    assert [(f.symbol, f.alias, f.learned) for f in mentions] == [
        ("2999.HK", "某某新能源(02999)", "某某新能源"),
        ("2999.HK", "某某新能源", "某某新能源"),
    ]


@pytest.mark.parametrize(
    ("text", "symbol"),
    [
        ("力積電（6770）今日亮燈漲停", "6770.TW"),
        ("中芯國際(滬：６８８９８１)早盤走高", "688981.SS"),
        ("山西汾酒(600809.SH)放量上涨", "600809.SS"),
        ("信義光能(00968)午後急升", "0968.HK"),
        ("台積電 (2330-TW) 收漲", "2330.TW"),
    ],
)
def test_a_name_followed_by_its_code_counts(dictionary: Dictionary, text: str, symbol: str) -> None:
    assert [f.symbol for f in extract(text, dictionary)] == [symbol]


@pytest.mark.parametrize(
    "text",
    [
        "两岸统一是长期议题，山西大同的煤矿也在调整。",
        "祝大家平安夜快乐，出入平安。",
        "长城脚下的华夏文明源远流长，要发扬光大。",
        "上海今年招商引资成绩亮眼，力求老工业区中兴。",
        "模型在以往的海量数据中学习。",
        "記者何佳穎／台北報導",
        "一个结合形式化推理能力(RL)的模型，用强化学习(RL)训练。",
        "智通财经APP获悉，恒生指数有限公司宣布调整成份股。",
        "日本黃金週連假期間，觀光人潮擠爆京都。",
        # Places, things and phrases that are also listed names.
        "我们周末去陆家嘴看夜景，然后在徐家汇吃了晚饭。",
        "去连云港看海。",
        "电能可以转化为热能。",
        "我真的好想你。",
        "三棵树和一盆万年青。",
        "大台北地区明天会有大雨。",
        "经济增长的驱动力。",
        # A move without a stock beside it.
        "房价全国上涨0.3%。",
        "全国油价统一上涨。",
        "今年春天上涨的不只是气温。",
        # Numbers in brackets that are not codes.
        "巴黎奥运会(2024)圆满落幕。",
        "电话区号(0755)。",
        "本周成交手数(123456)。",
    ],
)
def test_everyday_words_are_not_mentions(dictionary: Dictionary, text: str) -> None:
    assert found(text, dictionary) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Written among other tickers.
        ("台積電、聯電、統一均收漲。", ["2330.TW", "2303.TW", "1216.TW"]),
        # A stock word right next to it.
        ("台股統一股價創新高。", ["1216.TW"]),
        ("統一盤中亮燈漲停。", ["1216.TW"]),
        # Its code.
        ("統一（1216）公布營收。", ["1216.TW"]),
    ],
)
def test_an_everyday_name_counts_with_evidence(
    dictionary: Dictionary, text: str, expected: list[str]
) -> None:
    assert [f.symbol for f in extract(text, dictionary)] == expected


def test_word_like_symbols_count_only_among_tickers(dictionary: Dictionary) -> None:
    assert found("智通财经APP获悉，新版APP上线。", dictionary) == []
    assert found("用户可以在腾讯 APP 里下单", dictionary) == [("0700.HK", "腾讯")]
    assert found("NVDA ALL TIME HIGH", dictionary) == [("NVDA", "NVDA")]
    assert found("NVDA、APP、PLTR 领涨。", dictionary) == [
        ("NVDA", "NVDA"),
        ("APP", "APP"),
        ("PLTR", "PLTR"),
    ]
    assert found("AppLovin(APP)大涨", dictionary) == [("APP", "AppLovin(APP)")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NYSE FANG+ 指數收漲1%", [("NYFANG", "NYSE FANG+ 指數")]),
        ("Cboe波動率指數回落", [("VIX", "Cboe波動率指數")]),
        ("那斯達克 100 指數上漲", [("NDX", "那斯達克 100 指數")]),
        ("澳洲标普澳交所 200 指數下跌", [("AXJO", "标普澳交所 200")]),
        ("中國金龍指數收跌", [("HXC", "中國金龍指數")]),
        ("三星生物医药公布业绩", [("207940.KS", "三星生物")]),
        ("史坦普500指數與羅素 2000同創高", [("SPX", "史坦普500指數"), ("RUT", "羅素 2000")]),
    ],
)
def test_the_longest_name_wins(
    dictionary: Dictionary, text: str, expected: list[tuple[str, str]]
) -> None:
    assert found(text, dictionary) == expected


@pytest.mark.parametrize(
    ("word", "symbol"),
    [
        ("0700", "0700.HK"),
        ("700", "0700.HK"),
        ("00700", "0700.HK"),
        ("2330", "2330.TW"),
        ("600519", "600519.SS"),
        ("6770", "6770.TW"),
        # Years and round numbers are quantities, not codes.
        ("2024", None),
        ("1000", None),
        ("500", None),
    ],
)
def test_bare_codes_in_a_query_name_the_instrument(
    dictionary: Dictionary, word: str, symbol: str | None
) -> None:
    named = dictionary.named(word)
    assert (named.symbol if named else None) == symbol


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("上证指数(000001)收涨", [("000001.SS", "上证指数(000001)")]),
        ("科创50(000688)回落", [("000688.SS", "科创50(000688)")]),
        ("台积电(NYSE: TSM)", [("TSM", "台积电(NYSE: TSM)")]),
        ("英伟达（纳斯达克：NVDA）", [("NVDA", "英伟达（纳斯达克：NVDA）")]),
        ("腾讯(700.HK)", [("0700.HK", "腾讯(700.HK)")]),
        ("SK海力士(000660)大涨", [("000660.KS", "SK海力士(000660)")]),
        ("中芯国际A股(688981.SH)跌1%", [("688981.SS", "中芯国际A股(688981.SH)")]),
        # A known code after an unknown word is a mention, but the word is not learned.
        ("他提到了半导体(688981)，半导体板块上涨。", [("688981.SS", "半导体(688981)")]),
        ("英伟达网络业务营收同比增长", [("NVDA", "英伟达")]),
    ],
)
def test_codes_settle_names(
    dictionary: Dictionary, text: str, expected: list[tuple[str, str]]
) -> None:
    assert found(text, dictionary) == expected


def test_a_and_h_listings_of_one_name_are_one_issuer_unless_kept_apart(
    dictionary: Dictionary,
) -> None:
    assert dictionary.listings("3958.HK") == ("600958.SS", "3958.HK")  # 东方证券
    assert dictionary.listings("0762.HK") == ("0762.HK",)  # 中国联通 (Hong Kong)
    assert dictionary.listings("600050.SS") == ("600050.SS",)


def test_a_listed_name_is_not_repeated_among_the_aliases(dictionary: Dictionary) -> None:
    aliases = dictionary.by_symbol["2330.TW"].aliases
    assert len(aliases) == len(set(aliases))
    assert "台積電" in aliases


def test_a_name_means_every_listing_of_its_issuer(dictionary: Dictionary) -> None:
    for word in ("台积电", "TSM", "2330.TW"):
        named = dictionary.ticker(word)
        assert named is not None
        assert set(named.listings) == {"2330.TW", "TSM"}
    assert dictionary.issuer("TSM") == dictionary.issuer("2330.TW")
    assert dictionary.listings("9988.HK") == ("BABA", "9988.HK")
