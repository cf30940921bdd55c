"""The benchmark report as Markdown: figures, ratios to the naive baseline and to bare
segmentation, and each target met or missed."""

from __future__ import annotations

import sqlite3
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

from bench import pg_report, planned, targets
from bench.hostile import ROUNDS

HERE = Path(__file__).resolve().parent
PACKAGES = ["whoosh-reloaded", "jieba", "sqlalchemy", "sqlmodel", "fastapi", "uvicorn"]


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
    seg, ours = r["segment"], r["ingest"]
    rows: list[list[object]] = []

    def row(name: str, figures: dict[str, Any], index: str = "", db: str = "") -> None:
        seconds = figures["seconds"]
        rows.append(
            [
                name,
                f"{seconds:.1f}",
                f"{size / seconds:.0f}",
                f"{mb / seconds:.2f}",
                f"{figures['rss_mb']:.0f}",
                index,
                db,
                _x(seconds / seg["seconds"]),
            ]
        )

    row("jieba alone (2 processes)", seg)
    row("archive ingest", ours, f"{ours['index_mb']:.0f}", f"{ours['db_mb']:.0f}")
    if "naive_ingest" in r:
        row("naive build", r["naive_ingest"], f"{r['naive_ingest']['index_mb']:.0f}")
    if "fts5" in r:
        peer = r["fts5"]
        row(
            "FTS5 peer: segmentation",
            {"seconds": peer["segment_seconds"], "rss_mb": peer["rss_mb"]},
        )
        row(
            "FTS5 peer: build after segmentation",
            {"seconds": peer["build_seconds"], "rss_mb": peer["rss_mb"]},
            f"{peer['db_mb']:.0f}",
        )
    inc = r["increment"]
    increment: list[object] = [f"+{inc['docs']} into the archive", f"{inc['seconds']:.2f}"]
    rows.append([*increment, "", "", f"{inc['rss_mb']:.0f}", "", "", ""])
    header = ["", "seconds", "docs/s", "MB/s", "peak RSS MB", "index MB", "DB MB", "× jieba alone"]
    when = r.get("ingest_measured", r.get("measured", "?"))
    origin = (
        f"measured in this run ({when})"
        if r.get("ingest_fresh")
        else f"carried from the cached archive's run of {when}"
    )
    upgrades = "".join(
        f" Its database was since upgraded from Alembic revision {u['from']} to {u['to']} "
        f"({u['seconds']:.1f} s, {u['on']}), not rebuilt."
        for u in r.get("upgraded", [])
    )
    lines = [
        f"### Ingest ({size:,} commentaries, {mb:.1f} MB of JSON Lines)",
        "",
        f"Archive ingest, jieba alone and +{inc['docs']}: {origin}.{upgrades} "
        + _built_note("Naive build", r.get("naive_ingest"))
        + _built_note("FTS5 peer", r.get("fts5")),
        "",
    ]
    lines += _table(header, rows)
    if "naive_ingest" in r:
        lines.append(
            "Naive build ÷ archive ingest: "
            f"**{_x(r['naive_ingest']['seconds'] / ours['seconds'])}**."
        )
        lines.append("")
    return lines


def _built_note(what: str, figures: dict[str, Any] | None) -> str:
    if not figures:
        return ""
    if figures.get("fresh"):
        return f"{what}: built in this run. "
    return f"{what}: built (and timed) by the run of {figures.get('measured', '?')}. "


def _search(r: dict[str, Any]) -> list[str]:
    ours = r["search"]
    others = [
        (label, r[key])
        for label, key in (
            ("engine alone", "engine_search"),
            ("FTS5", "fts5_search"),
            ("naive", "naive_search"),
        )
        if key in r
    ]
    header = ["kind", "p50 ms", "p95 ms", "max ms"]
    for label, _ in others:
        header += [f"{label} p50", f"{label} p95"]
    if "naive_search" in r:
        header.append("naive p95 ÷ ours")
    if "engine_search" in r and "fts5_search" in r:
        header.append("engine alone p95 ÷ FTS5 p95")
    rows: list[list[object]] = []
    for kind in [*ours["kinds"], "all"]:

        def cut(figures: dict[str, Any], kind: str = kind) -> dict[str, float]:
            found: dict[str, float] = figures["all"] if kind == "all" else figures["kinds"][kind]
            return found

        mine = cut(ours)
        row: list[object] = [
            f"**{kind}**" if kind == "all" else kind,
            _ms(mine["p50"]),
            _ms(mine["p95"]),
            _ms(mine["max"]),
        ]
        for _, figures in others:
            row += [_ms(cut(figures)["p50"]), _ms(cut(figures)["p95"])]
        if "naive_search" in r:
            row.append(_x(cut(r["naive_search"])["p95"] / mine["p95"]))
        if "engine_search" in r and "fts5_search" in r:
            row.append(_x(cut(r["engine_search"])["p95"] / cut(r["fts5_search"])["p95"]))
        rows.append(row)
    matches = ours["matches"]
    lines = [
        f"### Search ({r['size']:,} commentaries, {ours['queries']} timed queries, warm)",
        "",
        f"A query of the mix matches {matches['p50']:.0f} commentaries at the median "
        f"({matches['p50'] / r['size']:.0%} of the archive), {matches['p95']:.0f} at the "
        f"95th percentile and {matches['max']:.0f} at most. The first columns are the web "
        "app's search function (snippets and facets included); *engine alone* is the top "
        "page and the total only; *FTS5* the peer on the same words.",
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
        f"### HTTP ({r['size']:,} commentaries, 16 connections, "
        f"`archive serve --workers {http['workers']}`)",
        "",
    ]
    lines += _table(["page", "requests/s", "p50 ms", "p95 ms", "max ms", "errors", "client"], rows)
    memory = http.get("memory_mb", {})
    lines.append(
        f"Server ready {http['ready_s']:.2f} s after start; after the load, RSS "
        f"{http['rss_mb']:.0f} MB"
        + (
            f", of which anonymous {memory['Anonymous']:.0f} MB (private clean "
            f"{memory['Private_Clean']:.0f} MB, private dirty {memory['Private_Dirty']:.0f} MB, "
            f"PSS {memory['Pss']:.0f} MB)"
            if memory
            else ""
        )
        + "."
    )
    if http.get("ready_note"):
        lines.append(f"Ready time {http['ready_note']}.")
    return [*lines, ""]


def _hostile(r: dict[str, Any]) -> list[str]:
    found = r["hostile"]
    rows = [
        [
            name,
            f"`{one['query'] if len(one['query']) < 60 else one['query'][:57] + '…'}`",
            f"{one['seconds']:.3f}",
            f"{one['max_seconds']:.3f}",
            "not reported" if one["partial"] is None else ("yes" if one["partial"] else "no"),
            "" if one["total"] is None else one["total"],
        ]
        for name, one in found["direct"].items()
    ]
    storm = found["storm"]
    lines = [
        f"### Budget check ({r['size']:,} commentaries)",
        "",
        f"Each hostile query through the web app's search function, budget "
        f"{found['budget_s']:.2f} s (1 s scaled by the yardstick, in `ARCHIVE_SEARCH_BUDGET`); "
        f"seconds are the median and the slowest of {ROUNDS} runs.",
        "",
    ]
    lines += _table(["query", "text", "seconds", "slowest", "partial", "total"], rows)
    rows = [
        [
            label,
            cut["requests"],
            _ms(cut["p50"]),
            _ms(cut["p95"]),
            _ms(cut["max"]),
            cut["errors"],
        ]
        for label, cut in (
            ("/timeline/2025, quiet", storm["quiet"]),
            ("/timeline/2025, during the storm", storm["storm"]),
            ("the hostile searches themselves", storm["hostile"]),
        )
    ]
    lines += [
        f"`archive serve --workers {storm['workers']}`: {storm['clients']} clients send the "
        f"hostile searches back to back for {storm['seconds']} s while one client asks for "
        "`/timeline/2025` every 0.1 s; before that, the same light stream alone.",
        "",
    ]
    return lines + _table(["requests", "count", "p50 ms", "p95 ms", "max ms", "errors"], rows)


def markdown(
    run: dict[str, Any], results: list[dict[str, Any]], postgres: dict[str, Any] | None = None
) -> str:
    m = run["machine"]
    settings = run["settings"]
    jieba_s = run["yardstick"]["seconds"]
    by_size = {r["size"]: r for r in results}
    fresh = [r for r in results if r.get("measured") and r["measured"] >= run["started"]]
    older = [r for r in results if r not in fresh]
    lines = [
        f"# Benchmark report: `make bench` took {run['make_minutes']:.0f} minutes "
        f"(sizes {', '.join(f'{s:,}' for s in settings['sizes'])}: {run['minutes']:.0f} minutes)",
        "",
        f"Run of {run['started']}. Machine: {m['cpu']}, {m['cores']} cores, {m['memory']}, "
        f"{m['os']}, Python {m['python']}.",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in run["versions"].items()) + ".",
        "",
        f"**Yardstick**: jieba alone, 2 processes, {targets.YARDSTICK_SIZE:,} commentaries: "
        f"**{jieba_s:.1f} s** in this run (reference {targets.REFERENCE_JIEBA_S:.0f} s): a time "
        f"target is multiplied by {jieba_s / targets.REFERENCE_JIEBA_S:.2f}, a rate target "
        f"by {targets.REFERENCE_JIEBA_S / jieba_s:.2f}.",
        "",
    ]
    if older:
        lines += [
            "Sizes carried from earlier runs (not measured in this one): "
            + ", ".join(f"{r['size']:,} ({r.get('measured', '?')})" for r in older)
            + ".",
            "",
        ]
    lines += [
        "The naive baseline is jieba's stock `ChineseAnalyzer`, the body stored in the index,",
        "one writer, a searcher opened per query and Whoosh's highlighter (`bench/naive.py`).",
        "The FTS5 peer is SQLite FTS5 over the archive's own words (`bench/fts5_peer.py`);",
        f"its queries are planned by the {planned.PLANNER}.",
        "",
        "## Targets",
        "",
    ]
    lines += _table(
        ["size", "target", "issue", "as written", "this run", "measured", ""],
        targets.rows(by_size, jieba_s, postgres),
    )
    lines += [
        "Server memory is the `Anonymous` memory of the server's processes (their "
        "`smaps_rollup` summed): what they allocated themselves. The rest of their RSS is "
        "file pages, mostly the memory-mapped index, which both workers share through the "
        "page cache and the kernel can drop; `Private_Clean` would count the index pages "
        "only one worker touched, so it depends on which worker served which query.",
        "",
        "## Growth",
        "",
    ]
    header, rows = targets.growth(by_size)
    lines += _table(header, rows)
    lines += pg_report.section(postgres)
    lines += ["## Figures", ""]
    for r in results:
        lines += [f"## {r['size']:,} commentaries", ""]
        lines += _ingest(r) + _search(r)
        if "http" in r:
            lines += _http(r)
        if "hostile" in r:
            lines += _hostile(r)
    analysis = HERE / "analysis.md"
    if analysis.exists():
        lines += [analysis.read_text().rstrip(), ""]
    return "\n".join(lines)


if __name__ == "__main__":
    # Rewrite latest.md from latest.json (after editing analysis.md, say).
    import json

    saved = json.loads((HERE / "results" / "latest.json").read_text())
    (HERE / "results" / "latest.md").write_text(
        markdown(saved["run"], saved["results"], saved.get("postgres"))
    )
