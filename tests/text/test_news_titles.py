"""News-page openings: the title is the headline, never a byline, dateline or caption,
and the date those lines state is still the commentary's date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.ingest.prepare import Prepared, prepare
from app.ingest.readers import Record
from app.text.dates import DatedAs, stated_date
from tests.conftest import TODAY

# The prose under every opening below; it states no date of its own.
PROSE = "美股周一收高，投資人等待本週公布的財報。\n分析師認為，資金仍偏好大型科技股。"


def prepared(text: str, name: str = "page.txt") -> Prepared:
    record = Record(
        key=name,
        path=Path(name),
        label=name,
        fingerprint="test",
        raw=text,
        text=text,
        encoding="utf-8",
    )
    return prepare(record, TODAY)


def day(y: int, m: int, d: int) -> tuple[dt.date, str]:
    return dt.date(y, m, d), "day"


UNDATED = (None, "none")

# (opening lines above PROSE, expected title, (date, precision))
OPENINGS = {
    "byline then headline": (
        "鉅亨網編譯陳韋廷 綜合外電 2025-08-26 12:10\n輝達財報前夕 費半指數創新高",
        "輝達財報前夕 費半指數創新高",
        day(2025, 8, 26),
    ),
    "headline then byline and timestamp": (
        "台積電法說會前夕 外資連3買\n經濟日報／ 記者楊伶雯／台北即時報導\n2025/08/27 14:30",
        "台積電法說會前夕 外資連3買",
        day(2025, 8, 27),
    ),
    "outlet and reporter byline before headline": (
        "經濟日報／ 記者楊伶雯／台北即時報導\n2025/08/27 14:30\n台積電法說會前夕 外資連3買",
        "台積電法說會前夕 外資連3買",
        day(2025, 8, 27),
    ),
    "date label glued to headline": (
        "date 2025-08-28 台積電法說會前夕 外資連3買",
        "台積電法說會前夕 外資連3買",
        day(2025, 8, 28),
    ),
    "timestamp glued to headline": (
        "2025/08/26 12:10 鮑爾：降息時機已到",
        "鮑爾：降息時機已到",
        day(2025, 8, 26),
    ),
    "date label on its own line": (
        "date 2025-08-28\n外資連3買 台股站穩兩萬四",
        "外資連3買 台股站穩兩萬四",
        day(2025, 8, 28),
    ),
    "archive photo caption before headline": (
        "台積電董事長魏哲家。(本報資料照)\n台積電：AI需求強勁 上修全年營收展望\n"
        "記者王小明／台北報導 2025年7月17日",
        "台積電：AI需求強勁 上修全年營收展望",
        day(2025, 7, 17),
    ),
    "photographer caption before headline": (
        "外資連續賣超，台股早盤震盪。（記者王小明攝影）\n台股震盪 外資賣超百億",
        "台股震盪 外資賣超百億",
        UNDATED,
    ),
    "picture credit caption before headline": (
        "圖／路透\n油價連兩日下跌 OPEC+考慮增產\n發布時間：2025-09-02 08:15",
        "油價連兩日下跌 OPEC+考慮增產",
        day(2025, 9, 2),
    ),
    "agency credit in brackets": (
        "圖為聯準會主席鮑爾。(美聯社)\n鮑爾暗示9月降息 美債殖利率走低",
        "鮑爾暗示9月降息 美債殖利率走低",
        UNDATED,
    ),
    "short caption with a Getty credit": (
        "紐約證交所交易員 (Getty Images)\n道瓊再創新高",
        "道瓊再創新高",
        UNDATED,
    ),
    "publication date label": (
        "發布日期: 2026年01月07日\n記憶體漲價潮延續 南亞科營收創高",
        "記憶體漲價潮延續 南亞科營收創高",
        day(2026, 1, 7),
    ),
    "mainland publication time label": (
        "发布时间：2025-08-26 09:30\n来源：证券时报\n北向资金净买入超百亿",
        "北向资金净买入超百亿",
        day(2025, 8, 26),
    ),
    "update time label": (
        "更新時間：2025/09/01 08:00\n美元指數走弱 新台幣升值",
        "美元指數走弱 新台幣升值",
        day(2025, 9, 1),
    ),
    "bare date line": (
        "2025-09-19\n聯準會降息兩碼 美股三大指數齊揚",
        "聯準會降息兩碼 美股三大指數齊揚",
        day(2025, 9, 19),
    ),
    "bare date and time line": (
        "2025/08/26 12:10\n黃金再創新高",
        "黃金再創新高",
        day(2025, 8, 26),
    ),
    "bare time after a dated byline": (
        "鉅亨網新聞中心 2025-08-26\n12:10\n港股收跌 科指跌逾2%",
        "港股收跌 科指跌逾2%",
        day(2025, 8, 26),
    ),
    "written date with weekday": (
        "2025年8月26日 週二\n亞股午盤 日經指數跌1%",
        "亞股午盤 日經指數跌1%",
        day(2025, 8, 26),
    ),
    "no date anywhere": (
        "記者李大華／台北報導\n記憶體報價續漲 南亞科股價走強",
        "記憶體報價續漲 南亞科股價走強",
        UNDATED,
    ),
    "bracketed dateline of a news agency": (
        "【財華社訊】\n港股收評：恒指升1.2%",
        "港股收評：恒指升1.2%",
        UNDATED,
    ),
    "parenthesised dateline": (
        "（中央社台北26日電）\n台股收盤大漲300點",
        "台股收盤大漲300點",
        UNDATED,
    ),
    "agency reporter dateline": (
        "（中央社記者王小明台北26日電）\n央行理監事會 利率維持不變",
        "央行理監事會 利率維持不變",
        UNDATED,
    ),
    "agency reporter dateline without brackets": (
        "中央社記者王小明台北26日電\n央行理監事會 利率維持不變",
        "央行理監事會 利率維持不變",
        UNDATED,
    ),
    "section label and weather badge": (
        "date 2025-09-23 晴時多雲\n快訊\nAH股新聞\n投资 正文\n热搜:\n台股再創新高",
        "台股再創新高",
        day(2025, 9, 23),
    ),
    "member badge glued to a stamp, and a day-first stamp": (
        "date 2025-08-28   • 會員\n28/08/2025 15:09\n《Ａ股行情》滬綜指收升１﹒１４％",
        "《Ａ股行情》滬綜指收升１﹒１４％",
        day(2025, 8, 28),
    ),
    "quotes inside a headline stay": (
        "『纳斯达克』美股涨跌不一 寒武纪成新「股王」",
        "『纳斯达克』美股涨跌不一 寒武纪成新「股王」",
        UNDATED,
    ),
    "quotes around a whole headline go": ("「美股新高」", "美股新高", UNDATED),
    "app lead-in alone on its line": (
        "智通财经APP获悉\n腾讯控股回购股份",
        "腾讯控股回购股份",
        UNDATED,
    ),
    "wire-copy byline": (
        "綜合外電報導\n歐股收黑 德股跌1%",
        "歐股收黑 德股跌1%",
        UNDATED,
    ),
    "caption describing the picture": (
        "圖為台積電南科廠區\n台積電擴大南科投資",
        "台積電擴大南科投資",
        UNDATED,
    ),
    "update time label above its stamp": (
        "更新時間\n2025/09/01 08:00\n新台幣升值 收30.1元",
        "新台幣升值 收30.1元",
        day(2025, 9, 1),
    ),
    "stamp and source on one line": (
        "发布时间：2025-08-26 09:30 来源：证券时报\n创业板指涨逾2%",
        "创业板指涨逾2%",
        day(2025, 8, 26),
    ),
    "author label": ("作者：張三\n半導體庫存去化進入尾聲", "半導體庫存去化進入尾聲", UNDATED),
    "writer credit with a slash": ("文／李四\n高股息ETF還能買嗎", "高股息ETF還能買嗎", UNDATED),
    "writer and editor labels": (
        "撰文：王五\n編輯：陳六\n2025年9月\n航運股的下一步",
        "航運股的下一步",
        (dt.date(2025, 9, 1), "month"),
    ),
    "byline, caption and headline keep the byline's date": (
        "記者張三／台北報導 2025-08-26\n圖為台北101。(中央社)\n台股站上兩萬四 航運股領漲",
        "台股站上兩萬四 航運股領漲",
        day(2025, 8, 26),
    ),
    "captions above a headline do not push a dated byline out of the opening": (
        "圖／路透\n圖為紐約證交所。(美聯社)\n(Getty Images)\n美股收高\n"
        "鉅亨網編譯陳韋廷 2025-08-26 12:10",
        "美股收高",
        day(2025, 8, 26),
    ),
    "a paywall marker above the headline": (
        "以下內容為會員專屬\n2025-10-02\n美債殖利率翻揚",
        "美債殖利率翻揚",
        day(2025, 10, 2),
    ),
    "an ordinary commentary's short heading": ("美股周报", "美股周报", UNDATED),
    "a press conference is not a byline": (
        "台积电召开记者会说明",
        "台积电召开记者会说明",
        UNDATED,
    ),
    "a date that starts a title stays in it": (
        "2025-09-19 市场回顾",
        "2025-09-19 市场回顾",
        day(2025, 9, 19),
    ),
    "the site's name and a section above the headline": (
        "date 2025-09-25 明報新聞網\n經濟\n\n恒指反彈359點 阿里貢獻逾220點",
        "恒指反彈359點 阿里貢獻逾220點",
        day(2025, 9, 25),
    ),
    "font size buttons above the headline": (
        "A- A+\n\n港股:恆指週二高開低走收挫1.05%\n\n財訊新聞   2022/08/17 07:00",
        "港股:恆指週二高開低走收挫1.05%",
        day(2022, 8, 17),
    ),
    "a blog's name, breadcrumbs and section above the headline and its stamp": (
        "重庆小潘seo博客\n当前位置:首页 > 网络营销 > 小潘杂谈 >\n小潘杂谈\n"
        "特斯拉股价周三再涨10%\n时间:2020-11-19 11:20:02 作者:站长阿潘 来源:",
        "特斯拉股价周三再涨10%",
        day(2020, 11, 19),
    ),
    "an outlet's name alone above the headline": (
        "自由財經\n\n特斯拉大漲帶動科技股 那指收盤創新高\n\n2021/06/24 09:07",
        "特斯拉大漲帶動科技股 那指收盤創新高",
        day(2021, 6, 24),
    ),
    "a caption marked ▲ and credited (圖／路透) above the byline": (
        "date 2026-01-22\n▲韓國綜合股價指數（KOSPI）22日盤中首度站上5000點。（圖／路透）\n"
        "記者蕭承恩／綜合外電報導\n南韓股市改寫歷史",
        "南韓股市改寫歷史",
        day(2026, 1, 22),
    ),
}

# Openings whose every line is page furniture: the title comes from the prose.
FURNITURE_ONLY = {
    "an agency dateline with a slash": "date 2025-11-24\n快訊\n\n中央社／ 台北24日電",
    "a caption that ends with its agency": (
        "經濟日報／ 編譯林冠宇／綜合外電\n"
        "日股創新高，日經225指數首度突破54,000點。圖為行人經過指數看板。歐新社"
    ),
}


@pytest.mark.parametrize("case", sorted(FURNITURE_ONLY))
def test_an_opening_of_furniture_alone_gives_a_derived_title(case: str) -> None:
    result = prepared(f"{FURNITURE_ONLY[case]}\n\n{PROSE}\n")
    assert (result.title, result.title_source) == (
        "美股周一收高，投資人等待本週公布的財報",
        "derived",
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "现代钢铁股价暴跌7%，为2024年8月5日以来最大跌幅。",
        "新规自2025年1月2日起实施。",
        "新规将在2025年1月2日之前公布。",
    ],
)
def test_a_date_a_sentence_counts_from_is_not_the_texts_date(sentence: str) -> None:
    result = prepared(f"{sentence}\n{PROSE}\n")
    assert (result.published, result.date_precision) == UNDATED


def test_an_as_of_date_dates_the_text_only_as_inferred() -> None:
    result = prepared(f"截至2025年6月30日，基金规模过百亿。\n{PROSE}\n")
    assert (result.published, result.date_precision) == (dt.date(2025, 6, 30), "inferred")


@pytest.mark.parametrize("case", sorted(OPENINGS))
def test_news_opening_title_and_date(case: str) -> None:
    opening, title, (published, precision) = OPENINGS[case]
    result = prepared(f"{opening}\n{PROSE}\n")
    assert (result.title, result.title_source, result.published, result.date_precision) == (
        title,
        "in_text",
        published,
        precision,
    )


def test_a_paywall_marker_does_not_use_up_the_opening() -> None:
    text = "以下内容为会员可见\n美债殖利率翻扬\n第一段。\n记者张三/台北报导 2025-10-02\n第二段。"
    assert stated_date(text, TODAY) == DatedAs(dt.date(2025, 10, 2), "day")


def test_bylines_stay_in_the_body_and_the_headline_leaves_it() -> None:
    result = prepared(f"經濟日報／ 記者楊伶雯／台北即時報導\n台積電法說會前夕 外資連3買\n{PROSE}")
    assert result.body == f"經濟日報／ 記者楊伶雯／台北即時報導\n{PROSE}"


def test_the_prefix_of_a_glued_headline_stays_in_the_body() -> None:
    result = prepared(f"date 2025-08-28 台積電法說會前夕 外資連3買\n{PROSE}")
    assert result.body == f"date 2025-08-28\n{PROSE}"


def test_a_headline_may_end_in_a_question_mark() -> None:
    result = prepared(f"記者張三／台北報導 2025-08-26\n聯準會9月會降息嗎？\n{PROSE}")
    assert (result.title, result.title_source) == ("聯準會9月會降息嗎？", "in_text")


def test_a_title_derived_under_a_byline_comes_from_the_prose() -> None:
    result = prepared(f"記者張三／台北報導 2025-08-26\n{PROSE}")
    assert (result.title, result.title_source, result.published) == (
        "美股周一收高，投資人等待本週公布的財報",
        "derived",
        dt.date(2025, 8, 26),
    )


def test_a_lead_opening_with_its_dateline_is_prose() -> None:
    result = prepared("《經濟通通訊社4日專訊》天立國際控股現價升3%\n該股成交約137萬股。")
    assert result.title_source == "derived"


def test_a_short_line_under_a_byline_is_the_text_not_a_headline() -> None:
    result = prepared("記者張三／台北報導\n台股今天休市")
    assert (result.title, result.title_source, result.body) == (
        "台股今天休市",
        "derived",
        "記者張三／台北報導\n台股今天休市",
    )


def test_a_text_of_metadata_alone_gets_no_invented_date_or_heading() -> None:
    result = prepared("圖／路透\n記者張三／台北報導")
    assert (result.title_source, result.published, result.date_precision) == (
        "derived",
        None,
        "none",
    )


@pytest.mark.parametrize(
    ("opening", "source"),
    [
        ("經濟日報／ 記者楊伶雯／台北即時報導", "經濟日報"),
        ("鉅亨網編譯陳韋廷 綜合外電 2025-08-26 12:10", "鉅亨網"),
        ("【財華社訊】", "財華社"),
        ("（中央社台北26日電）", "中央社"),
        ("智通财经APP获悉", "智通财经"),
        ("来源：证券时报", "证券时报"),
        ("記者李大華／台北報導", None),
    ],
)
def test_a_bylines_outlet_is_the_source(opening: str, source: str | None) -> None:
    assert prepared(f"{opening}\n標題在此\n{PROSE}").source == source


def test_a_declared_source_wins_over_the_byline() -> None:
    text = f"經濟日報／ 記者楊伶雯／台北即時報導\n標題在此\n{PROSE}"
    record = Record("p", Path("p.md"), "p", "t", text, text, "utf-8", meta={"source": "自選"})
    assert prepare(record, TODAY).source == "自選"
