"""The sample commentaries come out with exactly the titles, dates and bodies expected."""

from __future__ import annotations

import datetime as dt

import pytest

from app.ingest.prepare import prepare
from app.ingest.readers import Record, read
from tests.conftest import SEED_000, SEED_001, SEED_002, SEED_003, SEED_004, SEEDS, TODAY

EXPECTED = {
    SEED_000: (
        "2024年9月14日周末特辑:SPY收复失地,小盘股抢跑降息;FOMC真的会降50个基点吗,"
        "OpenAI新模型对行业又意味着什么?附本周操作总结",
        "in_text",
        dt.date(2024, 9, 14),
        "day",
    ),
    SEED_001: ("到周五晚些时候,市场的情形就像那些老交易所的寓言…", "derived", None, "none"),
    SEED_002: ("科技之神眨眼", "in_text", None, "none"),
    SEED_003: (
        "纳指如期突破年内高点;A股市场处于节前交易平淡期",
        "in_text",
        dt.date(2025, 1, 20),
        "inferred",
    ),
    SEED_004: ("AI狂热最终会如何收场", "in_text", None, "none"),
}


def _record(name: str) -> Record:
    (record,) = list(read(SEEDS / name))
    assert isinstance(record, Record)
    return record


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seed_title_and_date(name: str) -> None:
    prepared = prepare(_record(name), TODAY)
    title, source, published, precision = EXPECTED[name]
    assert (prepared.title, prepared.title_source, prepared.published, prepared.date_precision) == (
        title,
        source,
        published,
        precision,
    )


def test_derived_title_is_short_and_marked_as_cut() -> None:
    title = prepare(_record(SEED_001), TODAY).title
    assert len(title) <= 31
    assert title.endswith("…")


@pytest.mark.parametrize(
    ("name", "ending"),
    [
        (SEED_000, "并阅读全站可见内容。文末附有本周操作总结。"),
        (SEED_002, "它的目标正是人工智能领域的中心——消费者。"),
        (SEED_003, "给出更加明确的Capex预期后再做出进一步的判断。"),
        (SEED_004, "这些评级也是造成AI泡沫潮中Fomo的重要原因。"),
    ],
)
def test_boilerplate_and_title_lines_leave_the_body(name: str, ending: str) -> None:
    body = prepare(_record(name), TODAY).body
    assert body.endswith(ending)
    for furniture in (
        "有 2 条评论",
        "Comments (0)",
        "Add Comment",
        "关键词:",
        "页:",
        "[1]",
        "\nEND",
    ):
        assert furniture not in body


def test_title_lines_are_removed_from_the_body() -> None:
    assert not prepare(_record(SEED_002), TODAY).body.startswith("科技之神眨眼")
    assert "《" not in prepare(_record(SEED_000), TODAY).body.splitlines()[-1]


def test_body_keeps_the_original_text() -> None:
    original = (SEEDS / SEED_004).read_text("utf-8")
    body = prepare(_record(SEED_004), TODAY).body
    assert body in original
    assert body.startswith("作者:微信文章最近其实可以聊的内容不算太多")
