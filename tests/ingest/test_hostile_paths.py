"""Inputs that are not what they seem: paths that are not files, names and keys that
cannot be stored, JSON that is hostile in its bytes or its shape. Each is refused or
repaired on its own, and the run goes on."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from app.ingest import IngestReport
from app.ingest.limits import MB, Limits
from app.ingest.readers import Failure, read
from tests.conftest import IngestFn

GOOD = "铜价周评\n本周伦敦铜价上涨百分之三，智利矿山罢工扰动供应。\n冶炼厂加工费继续下滑。\n"


def test_paths_that_are_not_files(tmp_path: Path, run_ingest: IngestFn) -> None:
    folder = tmp_path / "odd"
    folder.mkdir()
    (folder / "dangling.txt").symlink_to("nowhere.txt")
    with open(os.fsencode(folder) + b"/name\xff.txt", "wb") as fh:
        fh.write("文件名不是 UTF-8。\n".encode())
    (folder / "ok.txt").write_text(GOOD, "utf-8")
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    report = run_ingest(folder, loop, pipe)
    assert [(r.path, str(r.outcome), r.reason) for r in report.files] == [
        (f"{folder}/dangling.txt", "failed", "symbolic link to a missing file (nowhere.txt)"),
        (f"{folder}/name\\xff.txt", "failed", "file name is not valid UTF-8"),
        (f"{folder}/ok.txt", "added", None),
        (str(loop), "failed", "symbolic link loop"),
        (str(pipe), "failed", "not a regular file (a named pipe)"),
    ]


def test_a_stored_file_replaced_by_a_pipe_is_not_opened(
    docs_dir: Path, tmp_path: Path, run_ingest: IngestFn
) -> None:
    first = docs_dir / "first.txt"
    first.write_text(GOOD, "utf-8")
    (first_id,) = [r.id for r in run_ingest(first).files]
    first.unlink()
    os.mkfifo(first)
    twin = tmp_path / "twin.txt"
    twin.write_text(GOOD, "utf-8")
    # The twin's text is stored already: whether its origin still holds it decides
    # between a duplicate and a move, and looking must not wait on the pipe.
    result: list[IngestReport] = []
    looking = threading.Thread(target=lambda: result.append(run_ingest(twin)), daemon=True)
    looking.start()
    looking.join(60)
    assert not looking.is_alive()
    assert [(r.path, str(r.outcome), r.reason, r.id) for r in result[0].files] == [
        (str(twin), "updated", f"moved from {first.resolve()}", first_id)
    ]


def test_a_deeply_nested_json_line_is_refused_alone(docs_dir: Path, run_ingest: IngestFn) -> None:
    feed = docs_dir / "feed.jsonl"
    feed.write_text(
        '{"body": ' + "[" * 100_000 + "]" * 100_000 + "}\n" + json.dumps({"body": GOOD}) + "\n",
        "utf-8",
    )
    report = run_ingest(feed)
    assert [(r.path, str(r.outcome), r.reason) for r in report.files] == [
        (f"{feed}#L1", "failed", "not valid JSON: nested too deeply"),
        (f"{feed}#L2", "added", None),
    ]


def test_utf8_encoded_surrogates_in_a_json_line_are_refused_alone(
    docs_dir: Path, run_ingest: IngestFn
) -> None:
    feed = docs_dir / "feed.jsonl"
    # json.loads on bytes would accept the encoded surrogate (ED A0 80); the line cannot
    # be decoded as UTF-8, so it is not JSON text.
    feed.write_bytes(
        b'{"body": "\xed\xa0\x80 abc"}\n' + json.dumps({"body": GOOD}).encode() + b"\n"
    )
    report = run_ingest(feed)
    assert [(r.path, str(r.outcome), r.reason) for r in report.files] == [
        (
            f"{feed}#L1",
            "failed",
            "not valid JSON: 'utf-8' codec can't decode byte 0xed in position 10: "
            "invalid continuation byte",
        ),
        (f"{feed}#L2", "added", None),
    ]


def test_a_url_that_cannot_be_stored_does_not_name_its_line(
    docs_dir: Path, run_ingest: IngestFn, commentaries: object
) -> None:
    feed = docs_dir / "feed.jsonl"
    lines = [
        {"body": GOOD, "url": "https://example.com/a"},
        {"body": GOOD + "二", "url": "https://example.com/\ud800"},
        {"body": GOOD + "三", "url": "https://example.com/\u0000x"},
        {"body": GOOD + "四", "url": "https://example.com/" + "x" * 1_990},
        {"body": GOOD + "五", "url": "https://example.com/\u202eevil"},
    ]
    feed.write_text("".join(json.dumps(line) + "\n" for line in lines), "utf-8")
    report = run_ingest(feed)
    assert [(r.path, str(r.outcome)) for r in report.files] == [
        (f"{feed}#L{n}", "added") for n in range(1, 6)
    ]
    keys = sorted(c.origin_key for c in commentaries().values())  # type: ignore[operator]
    resolved = feed.resolve()
    assert keys == sorted(
        [f"{resolved}#https://example.com/a"] + [f"{resolved}#L{n}" for n in range(2, 6)]
    )


def test_a_path_argument_that_is_not_utf8_is_reported(tmp_path: Path, run_ingest: IngestFn) -> None:
    folder = tmp_path / "odd"
    folder.mkdir()
    odd = Path(os.fsdecode(os.fsencode(folder) + b"/name\xff.txt"))
    odd.write_text(GOOD, "utf-8")
    target = Path(os.fsdecode(os.fsencode(folder) + b"/target\xfe.txt"))
    target.write_text(GOOD + "链接", "utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    good = tmp_path / "good.txt"
    good.write_text(GOOD + "好", "utf-8")
    report = run_ingest(odd, link, good)
    assert [(r.path, str(r.outcome), r.reason) for r in report.files] == [
        (f"{folder}/name\\xff.txt", "failed", "file name is not valid UTF-8"),
        (str(link), "failed", "links to a file whose name is not valid UTF-8"),
        (str(good), "added", None),
    ]


def test_a_file_that_never_ends_is_read_no_further_than_the_limit(tmp_path: Path) -> None:
    # Its size says 0 bytes; reading it whole would never finish.
    endless = tmp_path / "endless.txt"
    endless.symlink_to("/dev/zero")
    (result,) = read(endless, Limits(file_bytes=MB))
    assert result == Failure(str(endless), "file is 1.0 MB, larger than the 1 MB limit")
