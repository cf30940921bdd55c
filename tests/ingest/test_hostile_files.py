"""Hostile files in one ingest beside a good one: each is stored with limits applied or
refused with its own reason, nothing reaches the database that it cannot hold, memory
stays bounded, and the good file is stored and searchable."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import subprocess
import sys
import time
import tracemalloc
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
from tests.ingest.hostile import (
    GOOD,
    LINE,
    MB,
    RLO,
    SENTENCE,
    expected_outcomes,
    hostile_folder,
)

Matched = Callable[[str], set[int]]
Loaded = Callable[[], dict[str, Commentary]]


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
    folder = hostile_folder(tmp_path)
    unreadable(folder / "unreadable.txt")
    started = time.perf_counter()
    report = run_ingest(folder)
    took = time.perf_counter() - started
    metric("ingest of the hostile folder (in process)", f"{took:.1f} s")
    stored = commentaries()
    ids = {name: c.id for name, c in stored.items()}

    assert [(r.path, str(r.outcome), r.reason) for r in report.files] == expected_outcomes(folder)
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


def testhostile_folder_ingests_in_bounded_memory(
    tmp_path: Path, settings: Settings, metric: Metric
) -> None:
    folder = hostile_folder(tmp_path)
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
        for path, outcome, reason in expected_outcomes(folder)
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
