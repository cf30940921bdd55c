"""The targets of issues 15 and 16, scaled to this run's machine, and the growth of
every figure from 2,000 to 100,000 commentaries.

Issue 16's targets compare the postgres engine with the Whoosh engine over the same
PostgreSQL archive in the same run (``bench.pg_bench``): they are ratios already.

Machines differ and are noisy, so every target is a ratio within one run: the
yardstick is this run's "jieba alone, 2 processes" seconds at 20,000 commentaries
(``J``; 110 s on the reference machine). A time target T becomes T × J / 110, a rate
R becomes R × 110 / J; ratios and memory are not scaled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

REFERENCE_JIEBA_S = 110.0
YARDSTICK_SIZE = 20000
INGEST_RATIO = 2.94  # ingest ÷ jieba alone at 20,000 before issue 15
PEAK_RSS_MB = 1536.0
SERVER_MB = 600.0

Results = dict[int, dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Target:
    size: int
    name: str
    reference: str  # as the issue writes it
    kind: str  # "time" (ms or s), "rate" (per second), "ratio" or "memory": how it scales
    limit: float  # the reference value
    at_most: bool  # True: measured ≤ limit; False: measured ≥ limit
    measure: Callable[[dict[str, Any], Results], float | None]
    unit: str = ""
    issue: int = 15
    # Whose figures ``measure`` reads: "sqlite" (the archive of ``size`` on SQLite),
    # "postgres" (both engines over the PostgreSQL archive of ``size``) or "ingest"
    # (the ingest comparison on PostgreSQL, at the size it was run with).
    source: str = "sqlite"


def _p95(key: str) -> Callable[[dict[str, Any], Results], float | None]:
    return lambda r, _: r[key]["all"]["p95"] if key in r else None


def _load(page: str, field: str) -> Callable[[dict[str, Any], Results], float | None]:
    def get(r: dict[str, Any], _: Results) -> float | None:
        for load in r.get("http", {}).get("loads", []):
            if load["name"] == page:
                if field == "rate":
                    return float(load["requests"] / load["seconds"])
                return float(load[field])
        return None

    return get


def _growth(r: dict[str, Any], every: Results) -> float | None:
    small = every.get(20000)
    if small is None or "search" not in r:
        return None
    return float(r["search"]["all"]["p95"] / small["search"]["all"]["p95"])


def _ratio(top: str, bottom: str) -> Callable[[dict[str, Any], Results], float | None]:
    def get(r: dict[str, Any], _: Results) -> float | None:
        if top not in r or bottom not in r:
            return None
        return float(r[top]["all"]["p95"] / r[bottom]["all"]["p95"])

    return get


def _ingest_ratio(r: dict[str, Any], _: Results) -> float | None:
    return float(r["ingest"]["seconds"] / r["segment"]["seconds"])


def _server_mb(r: dict[str, Any], _: Results) -> float | None:
    memory = r.get("http", {}).get("memory_mb")
    return float(memory["Anonymous"]) if memory else None


def _errors(r: dict[str, Any], _: Results) -> float | None:
    loads = r.get("http", {}).get("loads")
    return float(sum(load["errors"] for load in loads)) if loads else None


def _hostile_s(name: str) -> Callable[[dict[str, Any], Results], float | None]:
    def get(r: dict[str, Any], _: Results) -> float | None:
        found = r.get("hostile", {}).get("direct", {}).get(name)
        return float(found["seconds"]) if found else None

    return get


def _storm_errors(r: dict[str, Any], _: Results) -> float | None:
    storm = r.get("hostile", {}).get("storm")
    return float(storm["storm"]["errors"]) if storm else None


TARGETS = [
    Target(20000, "search p95", "≤ 50 ms", "time", 50, True, _p95("search"), " ms"),
    Target(100000, "search p95", "≤ 100 ms", "time", 100, True, _p95("search"), " ms"),
    Target(100000, "search p95 ÷ p95 at 20,000", "≤ 2×", "ratio", 2, True, _growth, "×"),
    Target(
        20000,
        "engine alone p95 ÷ FTS5 peer p95",
        "≤ 2×",
        "ratio",
        2,
        True,
        _ratio("engine_search", "fts5_search"),
        "×",
    ),
    Target(20000, "/search", "≥ 100 req/s", "rate", 100, False, _load("/search?q=…", "rate"), "/s"),
    Target(
        20000, "/search p95", "≤ 250 ms", "time", 250, True, _load("/search?q=…", "p95_ms"), " ms"
    ),
    Target(20000, "/c/{id}", "≥ 300 req/s", "rate", 300, False, _load("/c/{id}", "rate"), "/s"),
    Target(
        20000,
        "/tickers/NVDA",
        "≥ 150 req/s",
        "rate",
        150,
        False,
        _load("/tickers/NVDA", "rate"),
        "/s",
    ),
    Target(20000, "HTTP errors", "0", "ratio", 0, True, _errors),
    Target(100000, "/search", "≥ 50 req/s", "rate", 50, False, _load("/search?q=…", "rate"), "/s"),
    Target(
        20000, "ingest ÷ jieba alone", "≤ 2.94×", "ratio", INGEST_RATIO, True, _ingest_ratio, "×"
    ),
    Target(
        100000,
        "ingest peak RSS",
        "≤ 1.5 GB",
        "memory",
        PEAK_RSS_MB,
        True,
        lambda r, _: r["ingest"]["rss_mb"],
        " MB",
    ),
    Target(
        20000, "server memory (anonymous)", "≤ 600 MB", "memory", SERVER_MB, True, _server_mb, " MB"
    ),
    Target(
        20000,
        "naive p95 ÷ search p95",
        "≥ 10×",
        "ratio",
        10,
        False,
        _ratio("naive_search", "search"),
        "×",
    ),
    *(
        Target(20000, f"budget: {name}", "≤ 1 s", "time", 1, True, _hostile_s(name), " s")
        for name in ("32 common words", "4 broad wildcards", "3-deep OR")
    ),
    Target(
        20000, "other pages answer during the storm (errors)", "0", "ratio", 0, True, _storm_errors
    ),
    Target(
        20000,
        "ingest after a 1% alias, targeted ÷ full re-analysis",
        "≤ 0.10×",
        "ratio",
        0.10,
        True,
        lambda r, _: r["reanalysis"]["ratio"] if "reanalysis" in r else None,
        "×",
        17,
    ),
    Target(
        20000,
        "mentions differing from a full re-analysis",
        "0",
        "ratio",
        0,
        True,
        lambda r, _: r["reanalysis"]["mentions_differing"] if "reanalysis" in r else None,
        "",
        17,
    ),
]


def _engines(
    part: str, get: Callable[[dict[str, Any]], float | None]
) -> Callable[[dict[str, Any], Results], float | None]:
    """postgres ÷ Whoosh of ``get`` applied to each engine's ``part`` figures."""

    def ratio(r: dict[str, Any], _: Results) -> float | None:
        try:
            mine, theirs = get(r["postgres"][part]), get(r["whoosh"][part])
        except KeyError:
            return None
        return None if mine is None or not theirs else float(mine / theirs)

    return ratio


def _rate(page: str) -> Callable[[dict[str, Any]], float | None]:
    return lambda http: _load(page, "rate")({"http": http}, {})


def _pg_errors(r: dict[str, Any], every: Results) -> float | None:
    counts = [_errors(r[name], every) for name in ("whoosh", "postgres") if name in r]
    return None if not counts or None in counts else float(sum(c or 0 for c in counts))


def _ingest_engines(r: dict[str, Any], _: Results) -> float | None:
    return float(r["ratio"])


PG_TARGETS = [
    Target(
        20000,
        "search p95, postgres ÷ Whoosh (both on PostgreSQL)",
        "≤ 1.5×",
        "ratio",
        1.5,
        True,
        _engines("search", lambda f: f["all"]["p95"]),
        "×",
        16,
        "postgres",
    ),
    Target(
        20000,
        "/search req/s, postgres ÷ Whoosh (2 workers, database on this machine)",
        "≥ 0.7×",
        "ratio",
        0.7,
        False,
        _engines("http", _rate("/search?q=…")),
        "×",
        16,
        "postgres",
    ),
    Target(
        0,
        "ingest into PostgreSQL, postgres ÷ Whoosh",
        "≤ 1.2×",
        "ratio",
        1.2,
        True,
        _ingest_engines,
        "×",
        16,
        "ingest",
    ),
    Target(
        20000,
        "HTTP errors, both engines on PostgreSQL",
        "0",
        "ratio",
        0,
        True,
        _pg_errors,
        "",
        16,
        "postgres",
    ),
]
TARGETS += PG_TARGETS


def scaled(target: Target, jieba_s: float) -> float:
    if target.kind == "time":
        return target.limit * jieba_s / REFERENCE_JIEBA_S
    if target.kind == "rate":
        return target.limit * REFERENCE_JIEBA_S / jieba_s
    return target.limit


def _number(value: float, unit: str) -> str:
    if unit in (" ms", " MB", "/s"):
        return f"{value:.0f}{unit}" if value >= 100 else f"{value:.1f}{unit}"
    if unit == " s":
        return f"{value:.2f}{unit}"
    return f"{value:.2f}{unit}" if unit else f"{value:.0f}"


def rows(
    results: Results, jieba_s: float, postgres: dict[str, Any] | None = None
) -> list[list[object]]:
    """One row per target: size, target, issue, reference, this run's value, measured,
    verdict. ``postgres`` is the report's PostgreSQL part (``bench.pg_bench``)."""
    found: list[list[object]] = []
    engines: Results = {int(k): v for k, v in (postgres or {}).get("sizes", {}).items()}
    ingest = (postgres or {}).get("ingest")
    for target in TARGETS:
        limit = scaled(target, jieba_s)
        sign = "≤" if target.at_most else "≥"
        size = target.size
        r: dict[str, Any] | None
        if target.source == "ingest":
            r, size = ingest, (ingest or {}).get("size", 0)
        else:
            r = (engines if target.source == "postgres" else results).get(target.size)
        value = target.measure(r, results) if r is not None else None
        if value is None:
            measured, verdict = "not measured", "—"
        else:
            met = value <= limit if target.at_most else value >= limit
            measured, verdict = _number(value, target.unit), ("met" if met else "**missed**")
        found.append(
            [
                f"{size:,}" if size else "—",
                target.name,
                target.issue,
                target.reference,
                f"{sign} {_number(limit, target.unit)}",
                measured,
                verdict,
            ]
        )
    return found


GROWTH: list[tuple[str, Callable[[dict[str, Any]], Any]]] = [
    ("corpus MB", lambda r: f"{r['corpus_mb']:.0f}"),
    ("jieba alone, 2 processes, s", lambda r: f"{r['segment']['seconds']:.1f}"),
    ("archive ingest, s", lambda r: f"{r['ingest']['seconds']:.0f}"),
    ("ingest ÷ jieba alone", lambda r: f"{r['ingest']['seconds'] / r['segment']['seconds']:.2f}×"),
    ("ingest peak RSS, MB", lambda r: f"{r['ingest']['rss_mb']:.0f}"),
    ("index MB", lambda r: f"{r['ingest']['index_mb']:.0f}"),
    ("database MB", lambda r: f"{r['ingest']['db_mb']:.0f}"),
    ("+10 into the archive, s", lambda r: f"{r['increment']['seconds']:.2f}"),
    ("search p50, ms", lambda r: f"{r['search']['all']['p50']:.1f}"),
    ("search p95, ms", lambda r: f"{r['search']['all']['p95']:.1f}"),
    ("engine alone p95, ms", lambda r: f"{r['engine_search']['all']['p95']:.1f}"),
    ("FTS5 peer build (after segmentation), s", lambda r: f"{r['fts5']['build_seconds']:.1f}"),
    ("FTS5 peer p95, ms", lambda r: f"{r['fts5_search']['all']['p95']:.1f}"),
    ("naive p95, ms", lambda r: f"{r['naive_search']['all']['p95']:.1f}"),
    ("median matches of a query", lambda r: f"{r['search']['matches']['p50']:.0f}"),
    ("/search req/s", lambda r: f"{_load('/search?q=…', 'rate')(r, {}):.0f}"),
    ("/search p95, ms", lambda r: f"{_load('/search?q=…', 'p95_ms')(r, {}):.0f}"),
    ("/c/{id} req/s", lambda r: f"{_load('/c/{id}', 'rate')(r, {}):.0f}"),
    ("/tickers/NVDA req/s", lambda r: f"{_load('/tickers/NVDA', 'rate')(r, {}):.0f}"),
    ("server memory (anonymous), MB", lambda r: f"{r['http']['memory_mb']['Anonymous']:.0f}"),
]


def growth(results: Results) -> tuple[list[str], list[list[object]]]:
    sizes = sorted(results)
    table: list[list[object]] = []
    for name, get in GROWTH:
        cells: list[object] = [name]
        for size in sizes:
            try:
                cells.append(get(results[size]))
            except (KeyError, TypeError):
                cells.append("")
        if any(cells[1:]):
            table.append(cells)
    return ["", *(f"{size:,}" for size in sizes)], table
