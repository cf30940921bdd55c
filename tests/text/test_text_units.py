"""Decoding, normalisation, dates, titles and boilerplate, rule by rule."""

from __future__ import annotations

import datetime as dt

import pytest

from app.text import normalize
from app.text.boilerplate import strip_trailing_boilerplate
from app.text.dates import (
    BadDate,
    DatedAs,
    date_in_file_name,
    inferred_date,
    parse_declared,
    stated_date,
)
from app.text.decode import DecodeError, decode_bytes
from app.text.normalize import fold, normalise
from app.text.titles import derive_title, find_title
from tests.conftest import SEEDS, TODAY

SIMPLIFIED = "美联储降息预期升温，英伟达股价上涨。"
TRADITIONAL = "聯準會降息預期升溫，輝達股價上漲。台積電財報優於預期。"


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        (SIMPLIFIED.encode("utf-8"), SIMPLIFIED, "utf-8"),
        (b"\xef\xbb\xbf" + SIMPLIFIED.encode("utf-8"), SIMPLIFIED, "utf-8-sig"),
        (SIMPLIFIED.encode("gbk"), SIMPLIFIED, "gb18030"),
        (TRADITIONAL.encode("big5"), TRADITIONAL, "big5"),
        ("第一行\r\n第二行\r第三行".encode(), "第一行\n第二行\n第三行", "utf-8"),
    ],
)
def test_decode_detects_encodings(data: bytes, text: str, encoding: str) -> None:
    decoded = decode_bytes(data)
    assert (decoded.text, decoded.encoding) == (text, encoding)


def test_decode_keeps_utf8_with_a_stray_byte() -> None:
    data = ("降息" * 600).encode() + b"\xff" + ("预期" * 600).encode()
    decoded = decode_bytes(data)
    assert (decoded.encoding, decoded.notes) == (
        "utf-8",
        ("1 invalid UTF-8 byte sequence replaced",),
    )
    assert decoded.text == "降息" * 600 + "\ufffd" + "预期" * 600


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b" \n\t\n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary file (PNG image)"),
        (b"PK\x03\x04rest", "binary file (zip archive)"),
        (b"abc\x00def", "binary file (contains NUL bytes)"),
        (bytes(range(1, 9)) * 20, "binary file (too many control characters)"),
    ],
)
def test_decode_refuses_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(DecodeError) as info:
        decode_bytes(data)
    assert str(info.value) == reason


def test_normalise_folds_width_and_script_and_maps_back() -> None:
    original = "聯準會　ＮＶＤＡ  降息"
    n = normalise(original)
    assert n.text == "联准会 NVDA 降息"
    start = n.text.index("NVDA")
    assert original[slice(*n.span(start, start + 4))] == "ＮＶＤＡ"
    assert original[slice(*n.span(0, 3))] == "聯準會"
    assert fold(original) == n.text


def test_normalise_maps_through_expanding_characters() -> None:
    original = "甲㈱乙"
    n = normalise(original)
    assert n.text == "甲(株)乙"
    assert n.span(1, 4) == (1, 2)
    assert original[slice(*n.span(4, 5))] == "乙"


@pytest.mark.parametrize(
    "text",
    [
        "英伟达（NVDA）今日收涨３％，聯準會官員表示：降息仍需等待。",
        "一行\n\n二行　三行\t四\u3000\u3000五  六\r\n七",
        "甲㈱乙ﬁ丙",  # characters that widen under NFKC
        "e\u0301 café ｶﾞ",  # combining marks and half-width kana compose
        "",
    ],
)
def test_quick_and_character_by_character_folding_agree(text: str) -> None:
    chars, origin = normalize._fold(text)
    n = normalise(text)
    assert (n.text, tuple(n.origin)) == ("".join(chars), (*origin, len(text)))
    assert fold(text) == n.text


def test_seed_commentaries_fold_alike_both_ways() -> None:
    for path in sorted(SEEDS.iterdir()):
        text = path.read_text("utf-8")
        chars, origin = normalize._fold(text)
        n = normalise(text)
        assert (n.text, tuple(n.origin)) == ("".join(chars), (*origin, len(text))), path.name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("大家好,今天是2024年9月14日星期六。", DatedAs(dt.date(2024, 9, 14), "day")),
        ("周报\ndate 2025-08-28\n正文", DatedAs(dt.date(2025, 8, 28), "day")),
        ("2025-09-19 市场回顾", DatedAs(dt.date(2025, 9, 19), "day")),
        ("2025年9月月报\n正文", DatedAs(dt.date(2025, 9, 1), "month")),
        ("没有日期", DatedAs(None, "none")),
        ("今天是2099年1月1日", DatedAs(None, "none")),
        ("今天是2025年2月30日", DatedAs(None, "none")),
    ],
)
def test_stated_date(text: str, expected: DatedAs) -> None:
    assert stated_date(text, TODAY) == expected


def test_inferred_date_is_the_latest_full_date() -> None:
    text = "一\n二\n三\n四：2024年9月24日的政策，以及2025年1月20日的就职，还有1月27日。"
    assert inferred_date(text, TODAY) == DatedAs(dt.date(2025, 1, 20), "inferred")
    assert inferred_date("只有1月27日", TODAY) == DatedAs(None, "none")


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("2025-09-19-weekly", DatedAs(dt.date(2025, 9, 19), "day")),
        ("wrap_20240914", DatedAs(dt.date(2024, 9, 14), "day")),
        ("000_c914eaaa9e4764eb", DatedAs(None, "none")),
        ("ab20240914cd", DatedAs(None, "none")),
    ],
)
def test_date_in_file_name(stem: str, expected: DatedAs) -> None:
    assert date_in_file_name(stem, TODAY) == expected


def test_declared_dates() -> None:
    assert parse_declared(dt.date(2025, 3, 1), TODAY) == DatedAs(dt.date(2025, 3, 1), "day")
    assert parse_declared("2025-03", TODAY) == DatedAs(dt.date(2025, 3, 1), "month")
    assert parse_declared("2025-03-02T08:00:00Z", TODAY) == DatedAs(dt.date(2025, 3, 2), "day")
    with pytest.raises(BadDate) as info:
        parse_declared("next week", TODAY)
    assert (
        str(info.value) == "date 'next week' is not a valid date (expected YYYY-MM-DD or YYYY-MM)"
    )


def test_titles() -> None:
    found = find_title(["正文第一段。", "", "《“标题在最后”》 有 2 条评论"])
    assert found is not None
    assert (found.title, found.source, found.lines) == (
        "标题在最后",
        "in_text",
        ["正文第一段。", ""],
    )
    heading = find_title(["# 市场周报", "正文。"])
    assert heading is not None and heading.title == "市场周报"
    assert find_title(["这一行很长但以句号结尾，所以它不是标题。", "正文。"]) is None
    assert derive_title("短句。后面还有") == "短句"
    assert derive_title("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三") == (
        "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九…"
    )


def test_trailing_boilerplate() -> None:
    lines = ["正文。", "", "关键词:", "", "Comments (0)", "Add Comment", "页:", "[1]", "END", ""]
    assert strip_trailing_boilerplate(lines) == ["正文。"]
    assert strip_trailing_boilerplate(["关键词: 降息", "正文"]) == ["关键词: 降息", "正文"]
