"""Characters no stored text may hold, NUL bytes and broken UTF-8 in files."""

from __future__ import annotations

import codecs

import pytest

from app.ingest.report import FileResult, IngestReport
from app.models import Outcome
from app.text.decode import DecodeError, decode_bytes
from app.text.unsafe import Removed, make_safe


def test_make_safe_removes_and_counts() -> None:
    removed = Removed()
    text = "A\u202eB\u2066C\u2069\u200fD\x00E\ud800F\udfffG"
    assert make_safe(text, removed) == "ABCDE\ufffdF\ufffdG"
    assert make_safe("没有要去掉的。", removed) == "没有要去掉的。"
    assert make_safe("\u202d", removed) == ""
    assert removed.notes() == [
        "1 NUL character removed",
        "2 unpaired surrogates replaced",
        "5 bidirectional control characters removed",
    ]
    assert Removed().notes() == []


@pytest.mark.parametrize(
    ("data", "text", "notes"),
    [
        (
            "镍价".encode() + b"\x00" + ("周报。" * 40).encode(),
            "镍价" + "周报。" * 40,
            ("1 NUL byte removed",),
        ),
        (
            b"\x00" + ("黄金价格创下历史新高。" * 20).encode("gbk") + b"\x00",
            "黄金价格创下历史新高。" * 20,
            ("2 NUL bytes removed",),
        ),
        (
            ("降息" * 100).encode() + b"\x00\xff" + ("预期" * 100).encode(),
            "降息" * 100 + "\ufffd" + "预期" * 100,
            ("1 NUL byte removed", "1 invalid UTF-8 byte sequence replaced"),
        ),
    ],
)
def test_a_few_nul_bytes_are_removed(data: bytes, text: str, notes: tuple[str, ...]) -> None:
    decoded = decode_bytes(data)
    assert (decoded.text, decoded.notes) == (text, notes)


@pytest.mark.parametrize(
    "data",
    [
        b"\x00" * 4000 + "锌价".encode(),
        "锌价".encode() + b"\x00" + bytes(range(0x80, 0x100)) * 2,
        "weekly zinc report, no byte-order mark".encode("utf-16-le"),
    ],
)
def test_nul_bytes_in_what_is_not_text_mean_binary(data: bytes) -> None:
    with pytest.raises(DecodeError) as info:
        decode_bytes(data)
    assert str(info.value) == "binary file (contains NUL bytes)"


def test_utf16_with_a_byte_order_mark_keeps_working() -> None:
    decoded = decode_bytes(codecs.BOM_UTF16_LE + "锌价周报\n正文。".encode("utf-16-le"))
    assert (decoded.text, decoded.encoding, decoded.notes) == ("锌价周报\n正文。", "utf-16", ())


def test_notes_join_the_reason_of_stored_results_only() -> None:
    notes = ("1 NUL byte removed", "title cut to 200 characters (it had 10,000)")
    added = FileResult("a.txt", Outcome.ADDED, None, 1).with_notes(notes)
    moved = FileResult("b.txt", Outcome.UPDATED, "moved from c.txt", 2).with_notes(notes[:1])
    twin = FileResult("d.txt", Outcome.DUPLICATE, "same text as commentary 1 (a.txt)", 1)
    assert added.reason == "1 NUL byte removed; title cut to 200 characters (it had 10,000)"
    assert moved.reason == "moved from c.txt; 1 NUL byte removed"
    assert twin.with_notes(notes) == twin
    assert FileResult("e.txt", Outcome.ADDED, None, 3).with_notes(()).reason is None


def test_report_never_holds_what_a_database_cannot_store() -> None:
    report = IngestReport()
    report.add(FileResult("/in/name\udcff.txt", Outcome.FAILED, "tickers N\x00V are not symbols"))
    report.add(FileResult("/in/\u202eevil.txt", Outcome.FAILED, "x\ud800y"))
    assert [(r.path, r.reason) for r in report.files] == [
        ("/in/name\\xff.txt", "tickers NV are not symbols"),
        ("/in/\\u202eevil.txt", "x\ufffdy"),
    ]
