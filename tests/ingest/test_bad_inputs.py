"""A folder of bad and awkward inputs: each file's fate is reported on its own, the good
ones are stored and searchable, and the run exits with 1 because some files failed."""

from __future__ import annotations

import codecs
import datetime as dt
from collections.abc import Callable
from pathlib import Path

from sqlmodel import Session, select

from app.config import Settings
from app.db import make_engine
from app.models import Commentary, IngestFile, IngestRun
from app.search import open_backend
from tests.conftest import IngestFn

Matched = Callable[[str], set[int]]
Loaded = Callable[[], dict[str, Commentary]]

GOOD = "铜价周评\n本周伦敦铜价上涨百分之三，智利矿山罢工扰动供应。\n冶炼厂加工费继续下滑。\n"
GBK = (
    "黄金周报\n"
    "本周黄金价格创下历史新高，央行购金需求依旧强劲。\n"
    "投资者关注下周公布的通胀数据，避险情绪仍在。\n"
)
BIG5 = (
    "半導體月報\n"
    "2024年12月\n"
    "台積電股價創下歷史新高，外資持續買超，晶圓代工產能滿載。\n"
    "聯發科與日月光同步走強。\n"
)
BOM = "原油周报\n2025年3月7日\n本周原油价格下跌，欧佩克增产预期升温。\n页岩油钻机数回升。\n"
CRLF = "比特币观察\r\n比特币本周突破前高，现货交易所资金持续流入。\r\n矿工抛压减轻。\r\n"
BROKEN_MD = "---\ntitle: [未闭合的标题\ndate: 2025-03-01\n---\n正文内容。\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes((i * 37 + 11) % 256 for i in range(300))
WITH_NUL = b"report header " + bytes(range(256)) + b" trailer"


def _bad_folder(root: Path) -> Path:
    folder = root / "inbox"
    folder.mkdir()
    (folder / "a_good.txt").write_text(GOOD, "utf-8")
    (folder / "big5.txt").write_bytes(BIG5.encode("big5"))
    (folder / "blank.txt").write_bytes(b"  \n\r\n\t \n")
    (folder / "bom.txt").write_bytes(codecs.BOM_UTF8 + BOM.encode("utf-8"))
    (folder / "broken.md").write_text(BROKEN_MD, "utf-8")
    (folder / "crlf.txt").write_bytes(CRLF.encode("utf-8"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "gbk.txt").write_bytes(GBK.encode("gbk"))
    (folder / "nul.txt").write_bytes(WITH_NUL)
    (folder / "picture.txt").write_bytes(PNG)
    # Passed over without a report line: unsupported suffix and hidden file.
    (folder / "picture.png").write_bytes(PNG)
    (folder / ".hidden.txt").write_text("隐藏文件不应被读取。\n", "utf-8")
    (folder / "z_copy_of_good.txt").write_text(GOOD, "utf-8")
    return folder


def test_bad_input_folder_reports_each_file(
    tmp_path: Path, run_ingest: IngestFn, commentaries: Loaded
) -> None:
    folder = _bad_folder(tmp_path)
    report = run_ingest(folder)
    stored = commentaries()
    good_id = stored["a_good.txt"].id
    good_origin = str((folder / "a_good.txt").resolve())

    results = [(Path(r.path).name, r.outcome, r.reason) for r in report.files]
    assert results[0] == ("a_good.txt", "added", None)
    assert results[1] == ("big5.txt", "added", None)
    assert results[2] == ("blank.txt", "failed", "empty file")
    assert results[3] == ("bom.txt", "added", None)
    assert results[4] == ("broken.md", "failed", "front matter is not valid YAML at line 3")
    assert results[5] == ("crlf.txt", "added", None)
    assert results[6] == ("empty.txt", "failed", "empty file")
    assert results[7] == ("gbk.txt", "added", None)
    assert results[8] == ("nul.txt", "failed", "binary file (contains NUL bytes)")
    assert results[9] == ("picture.txt", "failed", "binary file (PNG image)")
    assert results[10] == (
        "z_copy_of_good.txt",
        "duplicate",
        f"same text as commentary {good_id} ({good_origin})",
    )
    assert len(results) == 11

    assert [r.path for r in report.files] == [
        str(folder / name)
        for name in (
            "a_good.txt",
            "big5.txt",
            "blank.txt",
            "bom.txt",
            "broken.md",
            "crlf.txt",
            "empty.txt",
            "gbk.txt",
            "nul.txt",
            "picture.txt",
            "z_copy_of_good.txt",
        )
    ]
    ids = {Path(r.path).name: r.id for r in report.files}
    assert ids == {
        "a_good.txt": good_id,
        "big5.txt": stored["big5.txt"].id,
        "blank.txt": None,
        "bom.txt": stored["bom.txt"].id,
        "broken.md": None,
        "crlf.txt": stored["crlf.txt"].id,
        "empty.txt": None,
        "gbk.txt": stored["gbk.txt"].id,
        "nul.txt": None,
        "picture.txt": None,
        "z_copy_of_good.txt": good_id,
    }
    assert report.counts == {
        "added": 5,
        "updated": 0,
        "unchanged": 0,
        "duplicate": 1,
        "failed": 5,
        "pruned": 0,
    }
    assert report.exit_code == 1
    assert report.indexed == 5
    assert set(stored) == {"a_good.txt", "big5.txt", "bom.txt", "crlf.txt", "gbk.txt"}


def test_encodings_are_detected_and_recorded(
    tmp_path: Path, run_ingest: IngestFn, commentaries: Loaded
) -> None:
    run_ingest(_bad_folder(tmp_path))
    stored = commentaries()
    assert {name: c.encoding for name, c in stored.items()} == {
        "a_good.txt": "utf-8",
        "big5.txt": "big5",
        "bom.txt": "utf-8-sig",
        "crlf.txt": "utf-8",
        "gbk.txt": "gb18030",
    }
    gbk, big5 = stored["gbk.txt"], stored["big5.txt"]
    assert (gbk.title, gbk.body) == (
        "黄金周报",
        "本周黄金价格创下历史新高，央行购金需求依旧强劲。\n投资者关注下周公布的通胀数据，避险情绪仍在。",
    )
    assert gbk.raw_text == GBK
    assert (big5.title, big5.published, big5.date_precision) == (
        "半導體月報",
        dt.date(2024, 12, 1),
        "month",
    )
    assert big5.body == (
        "2024年12月\n台積電股價創下歷史新高，外資持續買超，晶圓代工產能滿載。\n聯發科與日月光同步走強。"
    )
    assert big5.raw_text == BIG5


def test_bom_is_dropped_and_crlf_normalised(
    tmp_path: Path, run_ingest: IngestFn, commentaries: Loaded
) -> None:
    run_ingest(_bad_folder(tmp_path))
    stored = commentaries()
    bom, crlf = stored["bom.txt"], stored["crlf.txt"]
    assert (bom.title, bom.published, bom.date_precision) == (
        "原油周报",
        dt.date(2025, 3, 7),
        "day",
    )
    assert bom.body == "2025年3月7日\n本周原油价格下跌，欧佩克增产预期升温。\n页岩油钻机数回升。"
    assert "\ufeff" not in bom.raw_text
    assert (crlf.title, crlf.published, crlf.date_precision) == ("比特币观察", None, "none")
    assert crlf.body == "比特币本周突破前高，现货交易所资金持续流入。\n矿工抛压减轻。"
    assert "\r" not in crlf.body
    assert "\r" not in crlf.raw_text
    assert crlf.char_count == len(crlf.body)


def test_good_files_are_searchable_despite_failures(
    tmp_path: Path, run_ingest: IngestFn, commentaries: Loaded, matched_ids: Matched
) -> None:
    run_ingest(_bad_folder(tmp_path))
    ids = {name: c.id for name, c in commentaries().items()}
    assert matched_ids("铜价") == {ids["a_good.txt"]}
    assert matched_ids("黄金") == {ids["gbk.txt"]}
    # Traditional text is found from a simplified query and the other way round.
    assert matched_ids("台积电") == {ids["big5.txt"]}
    assert matched_ids("台積電") == {ids["big5.txt"]}
    assert matched_ids("原油") == {ids["bom.txt"]}
    assert matched_ids("比特币") == {ids["crlf.txt"]}
    assert matched_ids("隐藏文件") == set()
    assert matched_ids("正文内容") == set()


def test_index_holds_only_the_stored_files(
    tmp_path: Path, run_ingest: IngestFn, settings: Settings
) -> None:
    run_ingest(_bad_folder(tmp_path))
    index = open_backend(settings)
    try:
        status = index.status()
        assert (status.problem, status.documents) == (None, 5)
    finally:
        index.close()


def test_run_and_file_outcomes_are_recorded(
    tmp_path: Path, run_ingest: IngestFn, settings: Settings
) -> None:
    folder = _bad_folder(tmp_path)
    report = run_ingest(folder)
    engine = make_engine(settings)
    try:
        with Session(engine) as session:
            run = session.get(IngestRun, report.run_id)
            assert run is not None
            assert (run.status, run.paths) == ("completed", str(folder))
            assert (run.added, run.updated, run.unchanged, run.duplicate, run.failed) == (
                5,
                0,
                0,
                1,
                5,
            )
            rows = session.exec(
                select(IngestFile).where(IngestFile.run_id == report.run_id).order_by("id")
            ).all()
            assert [(r.path, r.outcome, r.reason, r.commentary_id) for r in rows] == [
                (r.path, str(r.outcome), r.reason, r.id) for r in report.files
            ]
    finally:
        engine.dispose()


def test_second_run_fails_the_same_files_again(tmp_path: Path, run_ingest: IngestFn) -> None:
    folder = _bad_folder(tmp_path)
    run_ingest(folder)
    again = run_ingest(folder)
    assert again.counts == {
        "added": 0,
        "updated": 0,
        "unchanged": 5,
        "duplicate": 1,
        "failed": 5,
        "pruned": 0,
    }
    assert again.exit_code == 1
    assert again.indexed == 0


def test_only_good_files_exit_zero(tmp_path: Path, run_ingest: IngestFn) -> None:
    folder = tmp_path / "fine"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD, "utf-8")
    (folder / "b.txt").write_bytes(GBK.encode("gbk"))
    report = run_ingest(folder)
    assert report.counts == {
        "added": 2,
        "updated": 0,
        "unchanged": 0,
        "duplicate": 0,
        "failed": 0,
        "pruned": 0,
    }
    assert report.exit_code == 0


def test_missing_and_unsupported_paths_given_directly(tmp_path: Path, run_ingest: IngestFn) -> None:
    missing = tmp_path / "nowhere.txt"
    image = tmp_path / "chart.png"
    image.write_bytes(PNG)
    bare = tmp_path / "README"
    bare.write_text("说明文字。\n", "utf-8")
    report = run_ingest(missing, image, bare)
    assert [(r.path, r.outcome, r.reason, r.id) for r in report.files] == [
        (str(missing), "failed", "no such file or folder", None),
        (str(image), "failed", "unsupported file type .png", None),
        (str(bare), "failed", "unsupported file type (none)", None),
    ]
    assert report.exit_code == 1


def test_front_matter_that_is_not_a_mapping_is_refused(
    tmp_path: Path, run_ingest: IngestFn, commentaries: Loaded
) -> None:
    note = tmp_path / "list.md"
    note.write_text("---\n- 标题\n- 2025-03-01\n---\n列表形式的元数据不是字段。\n", "utf-8")
    report = run_ingest(note)
    assert [(r.path, r.outcome, r.reason) for r in report.files] == [
        (str(note), "failed", "front matter must be a mapping of fields")
    ]
    assert commentaries() == {}
