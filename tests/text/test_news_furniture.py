"""News-page furniture at the end of a text leaves the body; the article's own last
lines, however short, stay."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from app.models import Commentary
from app.text.boilerplate import strip_trailing_boilerplate
from app.text.furniture import is_tag_line
from tests.conftest import IngestFn
from tests.text.test_news_titles import prepared

HEAD = "台積電法說會前夕 外資連3買\n經濟日報／ 記者楊伶雯／台北即時報導\n"
ARTICLE = "外資今日買超台積電逾萬張。\n法人預期第三季營收將優於財測。"
BODY = "經濟日報／ 記者楊伶雯／台北即時報導\n" + ARTICLE


def body_of(tail: str) -> str:
    return prepared(f"{HEAD}{ARTICLE}\n{tail}").body


@pytest.mark.parametrize(
    "tail",
    [
        pytest.param("台積電 輝達 AI 半導體", id="tag words"),
        pytest.param("#美股 #降息", id="hashtags"),
        pytest.param("更多>同类天脉资讯 全站最新 热门内容", id="more-like-this row"),
        pytest.param(
            "延伸閱讀\n輝達財報優於預期 盤後股價卻下跌\n聯準會官員：降息步調不急\n\n美元指數走弱",
            id="further reading block",
        ),
        pytest.param("延伸閱讀：記憶體漲價潮延續", id="further reading on one line"),
        pytest.param("相关港股\n腾讯控股(00700)\n阿里巴巴-W(09988)", id="related HK stocks"),
        pytest.param("相关个股\n贵州茅台\n宁德时代", id="related stocks"),
        pytest.param("責任編輯：王小明", id="editor credit"),
        pytest.param("责任编辑：李华", id="simplified editor credit"),
        pytest.param("責任編輯 王小明", id="editor credit without a colon"),
        pytest.param("（文章來源：鉅亨網）", id="article source"),
        pytest.param(
            "免責聲明：本文僅供參考，不構成任何投資建議，投資人應獨立判斷，審慎評估並自負投資風險。",
            id="disclaimer",
        ),
        pytest.param("點我加入財經新聞LINE官方帳號", id="join prompt"),
        pytest.param("看更多經濟日報報導", id="see more"),
        pytest.param("訂閱《財經週報》電子報", id="subscribe"),
        pytest.param("分享", id="share"),
        pytest.param("Facebook LINE", id="share buttons"),
        pytest.param(
            "台積電 輝達 AI\n責任編輯：王小明\n延伸閱讀\n美股三大指數齊揚\n分享\nFacebook LINE",
            id="furniture of several kinds",
        ),
    ],
)
def test_trailing_furniture_leaves_the_body(tail: str) -> None:
    assert body_of(tail) == BODY


def test_a_paywall_marker_and_everything_after_it_leave_the_body() -> None:
    tail = "以下內容為會員專屬\n台積電第四季展望更樂觀，法人估毛利率將再創新高。\n立即訂閱"
    assert body_of(tail) == BODY


def test_a_paywall_phrase_inside_a_paragraph_is_the_text() -> None:
    tail = "成为会员后，以下内容为会员可见，欢迎阅读此文了解更多，文末附有本周操作总结。"
    assert body_of(tail) == f"{BODY}\n{tail}"


@pytest.mark.parametrize(
    "tail",
    [
        pytest.param("謝謝大家", id="a short sign-off"),
        pytest.param("以上僅供參考。", id="a short sentence"),
        pytest.param("我們下週見", id="a short line without punctuation"),
        pytest.param("美股 港股", id="two bare words"),
        pytest.param("2025年9月14日", id="a date"),
        pytest.param("订阅制是未来的趋势。", id="a sentence that starts like a prompt"),
        pytest.param("看更多數據之前，先確認資金流向。", id="a sentence that starts like see-more"),
        pytest.param("# 总结", id="a markdown heading"),
    ],
)
def test_an_articles_own_last_line_stays(tail: str) -> None:
    assert body_of(tail) == f"{BODY}\n{tail}"


def test_only_one_line_of_tag_words_goes() -> None:
    assert body_of("美国市场 欧洲市场 亚洲市场\n台積電 輝達 AI 半導體") == (
        f"{BODY}\n美国市场 欧洲市场 亚洲市场"
    )


def test_a_further_reading_box_inside_the_article_stays() -> None:
    middle = "延伸閱讀\n輝達財報優於預期 盤後股價卻下跌\n分析師指出，資金仍集中在大型權值股。"
    assert body_of(middle) == f"{BODY}\n{middle}"


def test_a_further_reading_block_too_long_to_be_links_stays() -> None:
    links = "\n".join(f"第{n}則連結標題" for n in range(20))
    assert body_of(f"延伸閱讀\n{links}") == f"{BODY}\n延伸閱讀\n{links}"


def test_a_paywall_marker_with_nothing_above_it_goes_alone() -> None:
    assert strip_trailing_boilerplate(["以下内容为会员可见", "正文。"]) == ["正文。"]


@pytest.mark.parametrize(
    ("line", "is_tags"),
    [
        ("台積電 輝達 AI 半導體", True),
        ("台積電、輝達、半導體", True),
        ("#美股", True),
        ("#美股#降息", True),
        ("BRK.B NVDA TSM", True),
        ("美股 港股", False),
        ("台積電，輝達，半導體", False),
        ("2025 09 14", False),
        ("美國 聯準會主席鮑爾今天暗示 降息", False),
        ("台積電 輝達 AI 半導體 記憶體 網通 伺服器 散熱 電源 矽光子 機器人 光通訊 低軌衛星", False),
    ],
)
def test_tag_lines(line: str, is_tags: bool) -> None:
    assert is_tag_line(line) is is_tags


def test_ingest_stores_the_raw_file_and_a_clean_body(
    docs_dir: Path, run_ingest: IngestFn, commentaries: Callable[[], dict[str, Commentary]]
) -> None:
    text = f"鉅亨網編譯陳韋廷 2025-08-26 12:10\n輝達財報前夕\n{ARTICLE}\n延伸閱讀\n美股收高\n"
    (docs_dir / "page.txt").write_text(text, "utf-8")
    run_ingest(docs_dir)
    stored = commentaries()["page.txt"]
    assert (stored.title, stored.body, stored.raw_text) == (
        "輝達財報前夕",
        f"鉅亨網編譯陳韋廷 2025-08-26 12:10\n{ARTICLE}",
        text,
    )
