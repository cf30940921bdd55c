"""Headings, lists and paragraphs read from the lines of plain-text commentaries."""

from __future__ import annotations

import pytest

from app.ingest.prepare import prepare
from app.ingest.readers import Record, read
from app.text.structure import Block, Heading, Item, ItemList, Paragraph, blocks, cjk_number
from tests.conftest import SEEDS, TODAY

Shown = tuple[str, ...]


def shown(text: str) -> list[Shown]:
    """Each block as its kind and the text it shows (a list: its style, then items with
    their numbers)."""
    out: list[Shown] = []
    for block in blocks(text):
        if isinstance(block, Heading):
            out.append((f"h{block.level}", text[slice(*block.span)]))
        elif isinstance(block, ItemList):
            items = [
                (f"{item.number}:" if item.number else "") + text[slice(*item.span)]
                for item in block.items
            ]
            out.append((block.style, *items))
        else:
            out.append(("p", text[slice(*block.span)]))
    return out


def seed_body(name: str) -> str:
    (record,) = read(SEEDS / name)
    assert isinstance(record, Record)
    return prepare(record, TODAY).body


def test_a_weekly_letter_with_headings_and_bullets() -> None:
    text = (
        "上周美股全线收涨，SPY收复9月初的全部跌幅。\n"
        "一周走势回顾\n"
        "\n"
        "本周美股涨势之强劲出乎所有人意料，NVDA盘中深V突破阻力位。\n"
        "FOMC,美股命运之判\n"
        "从本周的反应来看,我们认为:\n"
        "- 如果最终降息50bps,小盘股会继续上涨;\n"
        "\n"
        "- 如果最终降息25bps,本周涨幅较大的股票会出现回调\n"
        "下周,我的策略是谨慎看空。"
    )
    assert shown(text) == [
        ("p", "上周美股全线收涨，SPY收复9月初的全部跌幅。"),
        ("h2", "一周走势回顾"),
        ("p", "本周美股涨势之强劲出乎所有人意料，NVDA盘中深V突破阻力位。"),
        ("h2", "FOMC,美股命运之判"),
        ("p", "从本周的反应来看,我们认为:"),
        (
            "bullet",
            "如果最终降息50bps,小盘股会继续上涨;",
            "如果最终降息25bps,本周涨幅较大的股票会出现回调",
        ),
        ("p", "下周,我的策略是谨慎看空。"),
    ]


def test_section_headings_over_numbered_headings_take_two_levels() -> None:
    text = (
        "美国市场\n"
        "一、纳指如期突破年内高点\n"
        "上周纳斯达克指数如期突破20007点，创出年内新高。\n"
        "A股市场\n"
        "一、A股市场处于节前交易平淡期\n"
        "上周A股交易适逢春节，做多情绪有限。\n"
        "（一）政策面\n"
        "财政部、证监会再次召开新闻发布会发布利好政策。"
    )
    assert shown(text) == [
        ("h2", "美国市场"),
        ("h3", "一、纳指如期突破年内高点"),
        ("p", "上周纳斯达克指数如期突破20007点，创出年内新高。"),
        ("h2", "A股市场"),
        ("h3", "一、A股市场处于节前交易平淡期"),
        ("p", "上周A股交易适逢春节，做多情绪有限。"),
        ("h4", "（一）政策面"),
        ("p", "财政部、证监会再次召开新闻发布会发布利好政策。"),
    ]


def test_numbered_lines_in_a_row_are_a_list_in_their_own_style() -> None:
    text = (
        "本周要点如下：\n"
        "1、美联储降息25个基点，符合市场预期；\n"
        "2、日本央行维持利率不变；\n"
        "\n"
        "3、英伟达财报超预期。\n"
        "后续关注：\n"
        "（一）非农数据\n"
        "（二）CPI数据\n"
        "3) 第三点接着上文\n"
        "4) 第四点"
    )
    assert shown(text) == [
        ("p", "本周要点如下："),
        (
            "num_comma",
            "1:美联储降息25个基点，符合市场预期；",
            "2:日本央行维持利率不变；",
            "3:英伟达财报超预期。",
        ),
        ("p", "后续关注："),
        ("cjk_paren", "1:非农数据", "2:CPI数据"),
        ("num_close", "3:第三点接着上文", "4:第四点"),
    ]


def test_bullets_of_every_kind_and_lists_split_by_bullet() -> None:
    text = "• 算力需求确定性高\n•应用端最受益\n⚫ 多头潜在注意力机制\n* 星号要点\n· 中点要点"
    assert shown(text) == [
        ("bullet", "算力需求确定性高", "应用端最受益"),
        ("bullet", "多头潜在注意力机制"),
        ("bullet", "星号要点"),
        ("bullet", "中点要点"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        # short lines without a full stop that are not headings
        "大家好\n今天是2024年9月14日星期六，上周又是多头狂欢的一周。",
        "总结：\n美联储正在做一个艰难的决定，但使用的工具不完整。",
        "作者：张三\n美联储正在做一个艰难的决定，但使用的工具不完整。",
        "2024年9月14日\n美联储正在做一个艰难的决定，但使用的工具不完整。",
        "图1：标普500走势\n美联储正在做一个艰难的决定，但使用的工具不完整。",
        "资料来源：彭博\n美联储正在做一个艰难的决定，但使用的工具不完整。",
        # a sentence, a question, a clause
        "市场涨了。明天再看\n美联储正在做一个艰难的决定，但使用的工具不完整。",
        "降息会来吗？\n美联储正在做一个艰难的决定，但使用的工具不完整。",
        "不过这一次，\n美联储正在做一个艰难的决定，但使用的工具不完整。",
        # nothing or only a shorter line after it
        "美联储的艰难决定\n短句而已",
        "美联储的艰难决定",
        "美联储的艰难决定\n\n",
        # too long for a heading
        "美联储正在做一个艰难的决定但使用的工具不完整而且数据陈旧劳动市场的表面看起来较软\n"
        "在这样的环境下，不确定性不是风险，而是基线。",
        # not enough Chinese: a ticker line, an English word
        "NVDA AMD\n英伟达和超威半导体本周一同上涨，成交放量。",
        "Summary of the week\n英伟达和超威半导体本周一同上涨，成交放量。",
        # short lines of a poem or an address: none is a heading
        "春眠不觉晓处处\n处处闻啼鸟声声\n夜来风雨声中花落知多少，这是一首古诗。",
    ],
)
def test_lines_that_are_no_headings(text: str) -> None:
    assert not [b for b in blocks(text) if isinstance(b, Heading)]


@pytest.mark.parametrize(
    "text",
    [
        "-5%的跌幅让人措手不及\n周五继续下探4%。",  # a minus sign, not a bullet
        "1.5%的涨幅\n2.5%的跌幅",  # decimals, not numbers of a list
        "1. 美联储降息25个基点，符合预期。\n3. 日本央行按兵不动，日元走弱。",  # 1 then 3
        "2024. 又是多头狂欢的一年\n2025. 也许是空头的一年",
    ],
)
def test_lines_that_are_no_lists(text: str) -> None:
    assert not [b for b in blocks(text) if isinstance(b, ItemList)]


def test_a_numbered_sentence_alone_keeps_its_number_in_a_paragraph() -> None:
    text = "1. 美联储降息25个基点，符合预期。\n市场反应平淡，美元指数小幅走弱。"
    assert shown(text) == [
        ("p", "1. 美联储降息25个基点，符合预期。"),
        ("p", "市场反应平淡，美元指数小幅走弱。"),
    ]


def test_spans_skip_indents_and_markers() -> None:
    text = "　　前言部分说明了本周的背景情况。\n  - 要点一 \n"
    assert blocks(text) == [
        Paragraph((2, 17)),
        ItemList(items=(Item((22, 25), None),), style="bullet"),
    ]


def test_cjk_numbers() -> None:
    assert [cjk_number(n) for n in ("一", "九", "十", "十一", "二十", "九十九")] == [
        1,
        9,
        10,
        11,
        20,
        99,
    ]
    assert [cjk_number(n) for n in ("一一", "十十", "一百", "二十十")] == [None] * 4


SEED_STRUCTURE: dict[str, list[Shown]] = {
    "000_c914eaaa9e4764eb.txt": [
        ("h2", "一周走势回顾"),
        ("h2", "FOMC,美股命运之判"),
        ("bullet", "2 items"),
        ("bullet", "3 items"),
        ("bullet", "2 items"),
        ("h2", "改变范式,O1横空出世"),
        ("bullet", "8 items"),
    ],
    "001_ec83c6fb50b098af.txt": [
        ("h2", "交易员视角:AI曼哈顿计划"),
        ("h2", "过时的数据,新的问题"),
        ("h2", "本周图表"),
        ("h2", "德国现在从中国进口的资本货物比出口更多"),
    ],
    "002_31a3cd2343be7dca.txt": [
        ("h2", "年末流动性正在成为市场真正的风险资产"),
        ("h2", "阿里巴巴瞄准AI聊天王座"),
    ],
    "003_70f6b4f1b0cd2a58.txt": [
        ("h2", "美国市场"),
        ("h3", "一、纳指如期突破年内高点"),
        ("h2", "A股市场"),
        ("h3", "一、A股市场处于节前交易平淡期"),
        ("h2", "【产业分析】——Deepseek-R1正式发布"),
        ("bullet", "4 items"),
        ("bullet", "2 items"),
    ],
    "004_a5ac74193c901af3.txt": [],
}


@pytest.mark.parametrize("name", sorted(SEED_STRUCTURE))
def test_the_seeds_show_their_sections_and_lists(name: str) -> None:
    body = seed_body(name)
    found: list[Shown] = []
    for block in blocks(body):
        if isinstance(block, Heading):
            found.append((f"h{block.level}", body[slice(*block.span)]))
        elif isinstance(block, ItemList):
            found.append((block.style, f"{len(block.items)} items"))
    assert found == SEED_STRUCTURE[name]


def test_every_character_of_a_seed_is_in_one_block_in_order() -> None:
    body = seed_body("003_70f6b4f1b0cd2a58.txt")
    spans = [s for b in blocks(body) for s in _spans(b)]
    assert spans == sorted(spans)
    covered = "".join(body[slice(*s)] for s in spans)
    assert covered.replace("⚫", "").replace(" ", "") == "".join(body.split()).replace("⚫", "")


def _spans(block: Block) -> list[tuple[int, int]]:
    if isinstance(block, ItemList):
        return [item.span for item in block.items]
    return [block.span]
