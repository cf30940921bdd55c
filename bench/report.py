"""The benchmark report as Markdown: figures, ratios to the naive baseline and to bare
segmentation, and each target met or missed."""

from __future__ import annotations

import sqlite3
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PACKAGES = ["whoosh-reloaded", "jieba", "sqlalchemy", "sqlmodel", "fastapi", "uvicorn"]
RSS_LIMIT_MB = 1536
# Search p95 limit by corpus size; sizes not listed are reported without a target.
SEARCH_P95_MS = {20000: 50.0, 100000: 150.0}


def versions() -> dict[str, str]:
    found = {name: metadata.version(name) for name in PACKAGES}
    found["sqlite"] = sqlite3.sqlite_version
    try:
        wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout
        found["wrk"] = wrk.split()[1] if wrk else "not installed"
    except OSError:
        found["wrk"] = "not installed"
    return found


def _row(*cells: object) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    lines = [_row(*header), _row(*["---"] * len(header))]
    lines += [_row(*row) for row in rows]
    return [*lines, ""]


def _ms(value: float) -> str:
    return f"{value:.1f}"


def _x(value: float) -> str:
    return f"{value:.2f}×"


def _ingest(r: dict[str, Any]) -> list[str]:
    size, mb = r["size"], r["corpus_mb"]
    rows: list[list[object]] = []
    seg, ours = r["segment"], r["ingest"]
    rows.append(
        [
            "jieba alone (2 processes)",
            f"{seg['seconds']:.1f}",
            f"{size / seg['seconds']:.0f}",
            f"{mb / seg['seconds']:.2f}",
            f"{seg['rss_mb']:.0f}",
            "",
            "",
            "1.00×",
        ]
    )
    rows.append(
        [
            "archive ingest",
            f"{ours['seconds']:.1f}",
            f"{size / ours['seconds']:.0f}",
            f"{mb / ours['seconds']:.2f}",
            f"{ours['rss_mb']:.0f}",
            f"{ours['index_mb']:.0f}",
            f"{ours['db_mb']:.0f}",
            _x(ours["seconds"] / seg["seconds"]),
        ]
    )
    if "naive_ingest" in r:
        naive = r["naive_ingest"]
        rows.append(
            [
                "naive build",
                f"{naive['seconds']:.1f}",
                f"{size / naive['seconds']:.0f}",
                f"{mb / naive['seconds']:.2f}",
                f"{naive['rss_mb']:.0f}",
                f"{naive['index_mb']:.0f}",
                "",
                _x(naive["seconds"] / seg["seconds"]),
            ]
        )
    inc = r["increment"]
    rows.append(
        [
            f"+{inc['docs']} into the archive",
            f"{inc['seconds']:.2f}",
            "",
            "",
            f"{inc['rss_mb']:.0f}",
            "",
            "",
            "",
        ]
    )
    header = ["", "seconds", "docs/s", "MB/s", "peak RSS MB", "index MB", "DB MB", "× jieba alone"]
    lines = [f"### Ingest ({size} commentaries, {mb:.1f} MB of JSON Lines)", ""]
    lines += _table(header, rows)
    if "naive_ingest" in r:
        lines.append(
            "Naive build ÷ archive ingest: "
            f"**{_x(r['naive_ingest']['seconds'] / ours['seconds'])}**."
        )
        lines.append("")
    return lines


def _search(r: dict[str, Any]) -> list[str]:
    ours = r["search"]
    naive = r.get("naive_search")
    header = ["kind", "p50 ms", "p95 ms", "max ms"]
    if naive:
        header += ["naive p50", "naive p95", "naive max", "naive p95 ÷ ours"]
    rows: list[list[object]] = []
    for kind in [*ours["kinds"], "all"]:
        cut = ours["all"] if kind == "all" else ours["kinds"][kind]
        row: list[object] = [
            f"**{kind}**" if kind == "all" else kind,
            _ms(cut["p50"]),
            _ms(cut["p95"]),
            _ms(cut["max"]),
        ]
        if naive:
            other = naive["all"] if kind == "all" else naive["kinds"][kind]
            row += [
                _ms(other["p50"]),
                _ms(other["p95"]),
                _ms(other["max"]),
                _x(other["p95"] / cut["p95"]),
            ]
        rows.append(row)
    matches = ours["matches"]
    lines = [
        f"### Search ({r['size']} commentaries, {ours['queries']} timed queries, warm)",
        "",
        f"A query of the mix matches {matches['p50']:.0f} commentaries at the median "
        f"({matches['p50'] / r['size']:.0%} of the archive), {matches['p95']:.0f} at the "
        f"95th percentile and {matches['max']:.0f} at most.",
        "",
    ]
    return lines + _table(header, rows)


def _http(r: dict[str, Any]) -> list[str]:
    http = r["http"]
    rows = [
        [
            load["name"],
            f"{load['requests'] / load['seconds']:.0f}",
            _ms(load["p50_ms"]),
            _ms(load["p95_ms"]),
            _ms(load["max_ms"]),
            load["errors"],
            load["client"],
        ]
        for load in http["loads"]
    ]
    lines = [
        f"### HTTP ({r['size']} commentaries, 16 connections, "
        f"`archive serve --workers {http['workers']}`)",
        "",
    ]
    lines += _table(["page", "requests/s", "p50 ms", "p95 ms", "max ms", "errors", "client"], rows)
    lines.append(
        f"Server ready {http['ready_s']:.2f} s after start; RSS after the load "
        f"{http['rss_mb']:.0f} MB."
    )
    if http.get("ready_note"):
        lines.append(f"Ready time {http['ready_note']}.")
    return [*lines, ""]


def targets(r: dict[str, Any]) -> list[list[object]]:
    """(target, measured, met) for the targets that apply to this size."""
    size = r["size"]
    found: list[list[object]] = []

    def add(name: str, measured: str, met: bool) -> None:
        found.append([size, name, measured, "met" if met else "**missed**"])

    if size == 20000:
        ingest, seg = r["ingest"], r["segment"]
        ratio = ingest["seconds"] / seg["seconds"]
        add("ingest ≤ 1.5× jieba alone", f"{ratio:.2f}× ({ingest['seconds']:.0f} s)", ratio <= 1.5)
        add("peak RSS ≤ 1.5 GB", f"{ingest['rss_mb']:.0f} MB", ingest["rss_mb"] <= RSS_LIMIT_MB)
        add("+10 ≤ 3 s", f"{r['increment']['seconds']:.2f} s", r["increment"]["seconds"] <= 3)
        if "naive_ingest" in r:
            speedup = r["naive_ingest"]["seconds"] / ingest["seconds"]
            add("ingest ≥ 2.5× faster than naive", _x(speedup), speedup >= 2.5)
    if size in SEARCH_P95_MS:
        p95 = r["search"]["all"]["p95"]
        add(
            f"search p95 ≤ {SEARCH_P95_MS[size]:.0f} ms",
            f"{p95:.1f} ms",
            p95 <= SEARCH_P95_MS[size],
        )
        if "naive_search" in r:
            better = r["naive_search"]["all"]["p95"] / p95
            add("search p95 ≥ 4× better than naive", _x(better), better >= 4)
    if "http" in r:
        http = r["http"]
        for load in http["loads"]:
            if load["name"].startswith("/search"):
                rps = load["requests"] / load["seconds"]
                add("/search ≥ 150 requests/s", f"{rps:.0f}/s", rps >= 150)
            add(f"{load['name']}: no errors", str(load["errors"]), load["errors"] == 0)
            add(f"{load['name']}: p95 ≤ 150 ms", f"{load['p95_ms']:.1f} ms", load["p95_ms"] <= 150)
        add("server RSS ≤ 400 MB", f"{http['rss_mb']:.0f} MB", http["rss_mb"] <= 400)
        add("server ready ≤ 3 s", f"{http['ready_s']:.2f} s", http["ready_s"] <= 3)
    return found


def markdown(run: dict[str, Any], results: list[dict[str, Any]]) -> str:
    m = run["machine"]
    lines = [
        "# Benchmark report",
        "",
        f"Last run {run['started']}, {run['minutes']:.0f} minutes, by `make bench` "
        f'(BENCH_SIZES="{" ".join(map(str, run["settings"]["sizes"]))}"); '
        + "; ".join(f"{r['size']} measured {r['measured']}" for r in results)
        + ".",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']}, {m['os']}, Python {m['python']}.",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in run["versions"].items()) + ".",
        "",
        "Every ratio compares figures of this run only. The naive baseline is jieba's stock",
        "`ChineseAnalyzer`, the body stored in the index, one writer, a searcher opened per",
        "query and Whoosh's highlighter (`bench/naive.py`).",
        "",
        "## Targets",
        "",
    ]
    rows = [row for r in results for row in targets(r)]
    lines += (
        _table(["size", "target", "measured", ""], rows) if rows else ["(none at these sizes)", ""]
    )
    lines += ["## Figures", ""]
    for r in results:
        lines += [f"## {r['size']} commentaries", ""]
        lines += _ingest(r) + _search(r)
        if "http" in r:
            lines += _http(r)
    analysis = HERE / "analysis.md"
    if analysis.exists():
        lines += [analysis.read_text().rstrip(), ""]
    return "\n".join(lines)


if __name__ == "__main__":
    # Rewrite latest.md from latest.json (after editing analysis.md, say).
    import json

    saved = json.loads((HERE / "results" / "latest.json").read_text())
    (HERE / "results" / "latest.md").write_text(markdown(saved["run"], saved["results"]))
