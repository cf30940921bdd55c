"""Hostile inputs for the ingest tests: a folder of them beside one good file, and the
outcome the report must give each."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

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


def zip_bomb() -> bytes:
    """A real zip archive of 50 MB of zeros, about 50 KB on disk."""
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("report.txt", b"0" * (50 * MB))
    return packed.getvalue()


def front_matter(fields: str, body: str) -> str:
    return f"---\n{fields}\n---\n{body}\n"


def hostile_folder(root: Path) -> Path:
    folder = root / "inbox"
    folder.mkdir()
    (folder / "a_good.txt").write_text(GOOD, "utf-8")
    with (folder / "big.txt").open("wb") as fh:
        fh.truncate(50 * MB)  # sparse: 50 MB to stat, nothing to read
    (folder / "bidi.md").write_text(
        front_matter(
            f"title: '{RLO}周报{PDI} 美股{LRO}复盘{RLM}'\nauthor: '{RLI}张三{PDI}'",
            f"第一段{RLO}文字{PDI}。\n第二段{LRI}ABC{FSI}文字{PDI}。",
        ),
        "utf-8",
    )
    (folder / "bomb.txt").write_bytes(zip_bomb())
    (folder / "damaged.txt").write_bytes(DAMAGED)
    (folder / "date_9999.md").write_text(
        front_matter("title: 远期日期\ndate: 9999-12-31", "2025年3月7日\n正文说明远期日期被忽略。"),
        "utf-8",
    )
    (folder / "date_zero_2024-05-06.md").write_text(
        front_matter("title: 零日期\ndate: 0000-00-00", "正文没有写日期。"), "utf-8"
    )
    (folder / "date_negative.md").write_text(
        front_matter(
            "title: 负年份\ndate: -0001-01-01",
            "开头没有日期。\n第二行也没有。\n第三行还是没有。\n先是2024年1月2日，后来到了2024年8月9日。",
        ),
        "utf-8",
    )
    (folder / "date_year_zero.md").write_text(
        front_matter("title: 公元零年\ndate: 0000-01-01", "正文没有写日期。年份为零。"), "utf-8"
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
        front_matter("title: " + "[" * 5000 + "]" * 5000, "正文。"), "utf-8"
    )
    os.mkfifo(folder / "fifo.txt")
    (folder / "huge_front.md").write_text(
        front_matter("author: " + "长" * 70_000, "正文。"), "utf-8"
    )
    (folder / "laughs.md").write_text(front_matter(LAUGHS, "正文。"), "utf-8")
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
    (folder / "title_long.md").write_text(
        front_matter("title: " + "题" * 10_000, "正文。"), "utf-8"
    )
    (folder / "unreadable.txt").write_text("读不到的文件。\n", "utf-8")
    unsafe = {"title": f"坏{RLO}字符\u0000", "body": "正文\ud800含有\u0000坏字符\udfff。"}
    ten_mb = {"title": "十兆", "body": "长" * (10 * MB // 3)}
    with (folder / "z_feed.jsonl").open("w", encoding="utf-8") as fh:
        fh.write(json.dumps(unsafe) + "\n")  # as JSON escapes: \ud800, \u0000
        fh.write(json.dumps(ten_mb, ensure_ascii=False) + "\n")
        fh.write('{"body": "' + "x" * (25 * MB) + '"}\n')
        fh.write(json.dumps({"title": "最后一行", "body": "最后一行仍被读取。"}) + "\n")
    return folder


def expected_outcomes(folder: Path) -> list[tuple[str, str, str | None]]:
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
