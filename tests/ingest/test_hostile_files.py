"""Hostile files in one ingest beside a good one: each is stored with limits applied or
refused with its own reason, nothing reaches the database that it cannot hold, memory
stays bounded, and the good file is stored and searchable."""

from __future__ import annotations

import datetime as dt
import errno
import io
import json
import os
import subprocess
import sys
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.config import Settings
from app.ingest.limits import Limits
from app.ingest.readers import Failure, Record, count_records, read
from app.models import Commentary
from app.text.unsafe import BIDI_CONTROLS
from tests.conftest import ROOT, IngestFn, Metric
from tests.databases import archive_env

Matched = Callable[[str], set[int]]
Loaded = Callable[[], dict[str, Commentary]]
MB = 1024 * 1024

GOOD = "铜价周评\n本周伦敦铜价上涨百分之三，智利矿山罢工扰动供应。\n冶炼厂加工费继续下滑。\n"
LINE = "英伟达Nvidia财报超预期AI芯片股价上涨\n"
# Ten lines of valid UTF-8 between three broken sequences: read as GB18030 this was
# gibberish (鑻变紵杈綨vidia…).
DAMAGED = (
    b"\xa1".join([(LINE * 10).encode(), (LINE * 10).encode() + b"\xe4\xb8" + (LINE * 10).encode()])
    + b"\xfe"
    + (LINE * 10).encode()
)
SENTENCE = "美联储主席鲍威尔表示通胀回落仍需时间市场继续押注年内降息"
RLO, LRO, LRI, RLI, FSI, PDI, RLM = (
    "\u202e",
    "\u202d",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200f",
)
LAUGHS = "\n".join(
    ["lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 9)}]" for i in range(1, 10)]
    + ["title: *lol9"]
)


def _zip_bomb() -> bytes:
    """A real zip archive of 50 MB of zeros, about 50 KB on disk."""
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("report.txt", b"0" * (50 * MB))
    return packed.getvalue()


def _front(fields: str, body: str) -> str:
    return f"---\n{fields}\n---\n{body}\n"


def _hostile_folder(root: Path) -> Path:
    folder = root / "inbox"
    folder.mkdir()
    (folder / "a_good.txt").write_text(GOOD, "utf-8")
    with (folder / "big.txt").open("wb") as fh:
        fh.truncate(50 * MB)  # sparse: 50 MB to stat, nothing to read
    (folder / "bidi.md").write_text(
        _front(
            f"title: '{RLO}周报{PDI} 美股{LRO}复盘{RLM}'\nauthor: '{RLI}张三{PDI}'",
            f"第一段{RLO}文字{PDI}。\n第二段{LRI}ABC{FSI}文字{PDI}。",
        ),
        "utf-8",
    )
    (folder / "bomb.txt").write_bytes(_zip_bomb())
    (folder / "damaged.txt").write_bytes(DAMAGED)
    (folder / "date_9999.md").write_text(
        _front("title: 远期日期\ndate: 9999-12-31", "2025年3月7日\n正文说明远期日期被忽略。"),
        "utf-8",
    )
    (folder / "date_zero_2024-05-06.md").write_text(
        _front("title: 零日期\ndate: 0000-00-00", "正文没有写日期。"), "utf-8"
    )
    (folder / "date_negative.md").write_text(
        _front(
            "title: 负年份\ndate: -0001-01-01",
            "开头没有日期。\n第二行也没有。\n第三行还是没有。\n先是2024年1月2日，后来到了2024年8月9日。",
        ),
        "utf-8",
    )
    (folder / "date_year_zero.md").write_text(
        _front("title: 公元零年\ndate: 0000-01-01", "正文没有写日期。年份为零。"), "utf-8"
    )
    (folder / "deep.html").write_text(
        "<html><body>" + "<div>" * 100_000 + "深层" + "</div>" * 100_000 + "</body></html>",
        "utf-8",
    )
    (folder / "deep_ok.html").write_text(
        "<html><body><h1>嵌套很深的页面</h1>"
        + "<div>" * 20_000
        + "<p>深层嵌套的正文。</p>"
        + "</div>" * 20_000
        + "</body></html>",
        "utf-8",
    )
    (folder / "deep_yaml.md").write_text(
        _front("title: " + "[" * 5000 + "]" * 5000, "正文。"), "utf-8"
    )
    os.mkfifo(folder / "fifo.txt")
    (folder / "huge_front.md").write_text(_front("author: " + "长" * 70_000, "正文。"), "utf-8")
    (folder / "laughs.md").write_text(_front(LAUGHS, "正文。"), "utf-8")
    (folder / "loop_a.txt").symlink_to("loop_b.txt")
    (folder / "loop_b.txt").symlink_to("loop_a.txt")
    (folder / "nested").mkdir()
    (folder / "nested" / "up").symlink_to("..")
    (folder / "nul_few.txt").write_bytes(
        "镍价周报\n本周镍价".encode()
        + b"\x00"
        + "震荡走弱，".encode()
        + b"\x00\x00"
        + ("印尼供应持续增加。" * 20).encode()
    )
    (folder / "nul_most.txt").write_bytes("锌价".encode() + b"\x00" * 4000 + "周报".encode())
    (folder / "one_line.txt").write_text(SENTENCE * 60_000, "utf-8")  # 5.1 MB, no newline
    (folder / "one_line_ok.txt").write_text(SENTENCE * 5_000, "utf-8")  # 140,000 characters
    (folder / "title_heading.md").write_text("# " + "标" * 10_000 + "\n正文在标题之后。\n", "utf-8")
    (folder / "title_long.md").write_text(_front("title: " + "题" * 10_000, "正文。"), "utf-8")
    (folder / "unreadable.txt").write_text("读不到的文件。\n", "utf-8")
    unsafe = {"title": f"坏{RLO}字符\u0000", "body": "正文\ud800含有\u0000坏字符\udfff。"}
    ten_mb = {"title": "十兆", "body": "长" * (10 * MB // 3)}
    with (folder / "z_feed.jsonl").open("w", encoding="utf-8") as fh:
        fh.write(json.dumps(unsafe) + "\n")  # as JSON escapes: \ud800, \u0000
        fh.write(json.dumps(ten_mb, ensure_ascii=False) + "\n")
        fh.write('{"body": "' + "x" * (25 * MB) + '"}\n')
        fh.write(json.dumps({"title": "最后一行", "body": "最后一行仍被读取。"}) + "\n")
    return folder


def _expected(folder: Path) -> list[tuple[str, str, str | None]]:
    """Each file's (path, outcome, reason) in report order."""
    feed = f"{folder}/z_feed.jsonl"
    return [
        (f"{folder}/a_good.txt", "added", None),
        (
            f"{folder}/bidi.md",
            "added",
            "11 bidirectional control characters removed",
        ),
        (f"{folder}/big.txt", "failed", "file is 50.0 MB, larger than the 20 MB limit"),
        (f"{folder}/bomb.txt", "failed", "binary file (zip archive)"),
        (
            f"{folder}/damaged.txt",
            "added",
            "3 invalid UTF-8 byte sequences replaced",
        ),
        (
            f"{folder}/date_9999.md",
            "added",
            "date 9999-12-31 is out of range (1900 to today); ignored",
        ),
        (
            f"{folder}/date_negative.md",
            "added",
            "date '-0001-01-01' is not a valid date (expected YYYY-MM-DD or YYYY-MM); ignored",
        ),
        (
            f"{folder}/date_year_zero.md",
            "added",
            "date '0000-01-01' is not a valid date (expected YYYY-MM-DD or YYYY-MM); ignored",
        ),
        (
            f"{folder}/date_zero_2024-05-06.md",
            "added",
            "date '0000-00-00' is not a valid date (expected YYYY-MM-DD or YYYY-MM); ignored",
        ),
        (
            f"{folder}/deep.html",
            "failed",
            "HTML has 100,002 tags, more than the 50,000 limit",
        ),
        (f"{folder}/deep_ok.html", "added", None),
        (f"{folder}/deep_yaml.md", "failed", "front matter is nested too deeply"),
        (f"{folder}/fifo.txt", "failed", "not a regular file (a named pipe)"),
        (
            f"{folder}/huge_front.md",
            "failed",
            "front matter has 70,008 characters, more than the 65,536 limit",
        ),
        (
            f"{folder}/laughs.md",
            "failed",
            "front matter uses YAML aliases (*name), which are not accepted",
        ),
        (f"{folder}/loop_a.txt", "failed", "symbolic link loop"),
        (f"{folder}/loop_b.txt", "failed", "symbolic link loop"),
        (f"{folder}/nul_few.txt", "added", "3 NUL bytes removed"),
        (f"{folder}/nul_most.txt", "failed", "binary file (contains NUL bytes)"),
        (
            f"{folder}/one_line.txt",
            "failed",
            "text has 1,680,000 characters, more than the 200,000 limit",
        ),
        (f"{folder}/one_line_ok.txt", "added", None),
        (
            f"{folder}/title_heading.md",
            "added",
            "title cut to 200 characters (it had 10,000)",
        ),
        (
            f"{folder}/title_long.md",
            "added",
            "title cut to 200 characters (it had 10,000)",
        ),
        (f"{folder}/unreadable.txt", "failed", "cannot read file: Permission denied"),
        (
            f"{feed}#L1",
            "added",
            "2 NUL characters removed; 2 unpaired surrogates replaced; "
            "1 bidirectional control character removed",
        ),
        (
            f"{feed}#L2",
            "failed",
            "text has 3,495,253 characters, more than the 200,000 limit",
        ),
        (f"{feed}#L3", "failed", "line is 25.0 MB, larger than the 20 MB limit"),
        (f"{feed}#L4", "added", None),
        (
            f"{folder}/nested/up",
            "failed",
            f"symbolic link loop (leads back to {folder.resolve()})",
        ),
    ]


@pytest.fixture
def unreadable(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    """Make one path unreadable as chmod 000 would for anyone but root (tests run as root)."""

    def _deny(path: Path) -> None:
        real_open = Path.open

        def open_path(self: Path, *args: Any, **kwargs: Any) -> Any:
            if self == path:
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
            return real_open(self, *args, **kwargs)

        monkeypatch.setattr(Path, "open", open_path)

    return _deny


def test_each_hostile_file_gets_its_own_outcome(
    tmp_path: Path,
    run_ingest: IngestFn,
    commentaries: Loaded,
    matched_ids: Matched,
    unreadable: Callable[[Path], None],
    metric: Metric,
) -> None:
    folder = _hostile_folder(tmp_path)
    unreadable(folder / "unreadable.txt")
    started = time.perf_counter()
    report = run_ingest(folder)
    took = time.perf_counter() - started
    metric("ingest of the hostile folder (in process)", f"{took:.1f} s")
    stored = commentaries()
    ids = {name: c.id for name, c in stored.items()}

    assert [(r.path, str(r.outcome), r.reason) for r in report.files] == _expected(folder)
    assert {Path(r.path).name: r.id for r in report.files if r.id is not None} == ids
    assert report.counts == {
        "added": 14,
        "updated": 0,
        "unchanged": 0,
        "duplicate": 0,
        "failed": 15,
        "pruned": 0,
    }
    assert report.exit_code == 1

    assert matched_ids("铜价") == {ids["a_good.txt"]}
    assert (
        stored["a_good.txt"].body
        == "本周伦敦铜价上涨百分之三，智利矿山罢工扰动供应。\n冶炼厂加工费继续下滑。"
    )

    good = stored["a_good.txt"]
    assert (good.title, good.body) == ("铜价周评", GOOD.split("\n", 1)[1].strip("\n"))
    assert matched_ids("铜价") == {good.id}

    bidi = stored["bidi.md"]
    assert (bidi.title, bidi.author, bidi.body) == (
        "周报 美股复盘",
        "张三",
        "第一段文字。\n第二段ABC文字。",
    )
    assert RLO in bidi.raw_text  # the original file stays as it was

    damaged = stored["damaged.txt"]
    assert (damaged.title, damaged.encoding) == (LINE.strip(), "utf-8")
    assert damaged.body == (
        (LINE * 9 + "\ufffd" + LINE * 10 + "\ufffd" + LINE * 10 + "\ufffd" + LINE * 10).strip()
    )

    dates = {
        name: (c.title, c.published, c.date_precision)
        for name, c in stored.items()
        if name.startswith("date_")
    }
    assert dates == {
        # The date stated at the opening, the one in the file name, the latest in the
        # text, or none: the same order as when no date is declared.
        "date_9999.md": ("远期日期", dt.date(2025, 3, 7), "day"),
        "date_zero_2024-05-06.md": ("零日期", dt.date(2024, 5, 6), "day"),
        "date_negative.md": ("负年份", dt.date(2024, 8, 9), "inferred"),
        "date_year_zero.md": ("公元零年", None, "none"),
    }

    deep = stored["deep_ok.html"]
    assert (deep.title, deep.body) == ("嵌套很深的页面", "深层嵌套的正文。")

    few = stored["nul_few.txt"]
    assert (few.title, few.body) == ("镍价周报", "本周镍价震荡走弱，" + "印尼供应持续增加。" * 20)
    assert "\x00" not in few.raw_text

    one_line = stored["one_line_ok.txt"]
    assert (one_line.title, one_line.title_source) == (SENTENCE + "美…", "derived")
    assert (len(one_line.body), one_line.char_count) == (140_000, 140_000)

    heading, declared = stored["title_heading.md"], stored["title_long.md"]
    assert (heading.title, heading.title_source, heading.body) == (
        "标" * 199 + "…",
        "in_text",
        "正文在标题之后。",
    )
    assert (declared.title, declared.title_source, declared.body) == (
        "题" * 199 + "…",
        "front_matter",
        "正文。",
    )

    unsafe = stored["z_feed.jsonl#L1"]
    assert (unsafe.title, unsafe.body) == ("坏字符", "正文\ufffd含有坏字符\ufffd。")
    assert stored["z_feed.jsonl#L4"].body == "最后一行仍被读取。"

    unstorable = "\x00" + BIDI_CONTROLS + "".join(map(chr, range(0xD800, 0xE000)))
    for name, c in stored.items():
        for field in (c.title, c.body, c.author or "", c.source or "", c.url or ""):
            assert not set(field) & set(unstorable), name
        assert not set(c.raw_text) & set("\x00" + unstorable[1 + len(BIDI_CONTROLS) :]), name


# Runs ``archive ingest`` and prints the largest resident set of it and its workers (KB).
_PEAK_RSS = """
import resource, subprocess, sys
done = subprocess.run([sys.executable, "-m", "app.cli", *sys.argv[1:]], timeout=300)
print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""
# `archive ingest` of one small file peaks at about 170 MB here (interpreter, jieba's
# dictionary, the instrument matcher, Whoosh); the largest inputs the limits let through
# (a 200,000-character text in one unbroken run for jieba, a 20 MB JSON Lines line, a
# 50,000-tag page) add about 110, 60 and 50 MB. Before the limits, the 5 MB line alone
# took 1.1 GB and the 10 MB JSON body more than 2 GB.
MAX_PEAK_MB = 400


def test_hostile_folder_ingests_in_bounded_memory(
    tmp_path: Path, settings: Settings, metric: Metric
) -> None:
    folder = _hostile_folder(tmp_path)
    report_file = tmp_path / "report.json"
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _PEAK_RSS, "ingest", str(folder), "--report-json", str(report_file)],
        cwd=ROOT,
        env={**os.environ, **archive_env(settings)},
        capture_output=True,
        text=True,
        check=True,
    )
    took = time.perf_counter() - started
    code, peak_kb = map(int, done.stdout.split()[-2:])
    metric(
        "archive ingest of the hostile folder", f"{took:.1f} s, peak RSS {peak_kb / 1024:.0f} MB"
    )
    assert code == 1
    written = json.loads(report_file.read_text("utf-8"))
    # Without the test's stand-in for chmod 000, the unreadable file is an ordinary one.
    expected = [
        (path, "added", None) if path.endswith("unreadable.txt") else (path, outcome, reason)
        for path, outcome, reason in _expected(folder)
    ]
    assert [(f["path"], f["outcome"], f["reason"]) for f in written["files"]] == expected
    assert peak_kb < MAX_PEAK_MB * 1024


def test_oversized_inputs_are_refused_without_being_held(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.truncate(50 * MB)
    feed = tmp_path / "feed.jsonl"
    with feed.open("w", encoding="utf-8") as fh:
        fh.write('{"body": "' + "x" * (25 * MB) + '"}\n')
        fh.write(json.dumps({"body": "第二行照常读取。"}) + "\n")
    limits = Limits(file_bytes=MB)

    tracemalloc.start()
    try:
        refused = list(read(big))
        lines = list(read(feed, limits))
        counted = count_records(feed, limits)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert refused == [Failure(str(big), "file is 50.0 MB, larger than the 20 MB limit")]
    assert [(r.label, r.reason if isinstance(r, Failure) else r.text) for r in lines] == [
        (f"{feed}#L1", "line is 25.0 MB, larger than the 1 MB limit"),
        (f"{feed}#L2", "第二行照常读取。"),
    ]
    assert counted == 2
    # A limit's worth of the line (1 MB) and the megabyte chunks read past the rest of
    # it, never the 25 MB line or the 50 MB file.
    assert peak < 5 * MB


def test_deeply_nested_html_is_read_in_linear_time(tmp_path: Path, metric: Metric) -> None:
    page = tmp_path / "deep.html"
    page.write_text(
        "<html><body><h1>标题</h1>" + "<div>" * 40_000 + "<p>正文。</p>" + "</div>" * 40_000,
        "utf-8",
    )
    started = time.perf_counter()
    (record,) = read(page)
    took = time.perf_counter() - started
    metric("reading 40,000 nested <div>", f"{took:.2f} s")
    assert isinstance(record, Record)
    assert (record.meta["title"], record.text) == ("标题", "正文。")
    # Inserting line breaks into the tree walked every descendant per tag: 10,000
    # levels took 12.5 s, 40,000 about 200 s.
    assert took < 10


def test_one_long_line_is_stored_in_linear_time(
    docs_dir: Path, run_ingest: IngestFn, commentaries: Loaded, metric: Metric
) -> None:
    (docs_dir / "one_line.txt").write_text(SENTENCE * 7_000, "utf-8")  # 196,000 characters
    started = time.perf_counter()
    report = run_ingest(docs_dir)
    took = time.perf_counter() - started
    metric("ingest of one 196,000-character line", f"{took:.1f} s")
    assert [(Path(r.path).name, str(r.outcome), r.reason) for r in report.files] == [
        ("one_line.txt", "added", None)
    ]
    stored = commentaries()["one_line.txt"]
    assert (stored.title, len(stored.body)) == (SENTENCE + "美…", 196_000)
    assert took < 30
