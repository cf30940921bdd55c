"""The report's PostgreSQL part: both engines over the same PostgreSQL archives, size
by size, the ingest comparison, the budget check, and the archive size past which each
engine's search p95 exceeds 150 ms."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import Any

from bench.pg_bench import BACKENDS

LIMIT_MS = 150.0
LABEL = {"whoosh": "Whoosh", "postgres": "postgres"}


def _row(*cells: object) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    return [_row(*header), _row(*["---"] * len(header)), *(_row(*row) for row in rows), ""]


def crossing(points: list[tuple[int, float]], limit: float = LIMIT_MS) -> str:
    """Where p95 passes ``limit``: between two measured sizes, p95 taken as a power of
    the size (a straight line on log-log axes through the two); past the largest,
    the last two sizes' power carried on (an extrapolation, said so)."""
    points = sorted(points)
    if not points:
        return "not measured"
    first_size, first = points[0]
    if first > limit:
        return f"already above at {first_size:,} (p95 {first:.0f} ms)"
    for (s0, p0), (s1, p1) in itertools.pairwise(points):
        if p0 <= limit < p1:
            k = math.log(p1 / p0) / math.log(s1 / s0)
            at = s0 * (limit / p0) ** (1 / k)
            return (
                f"about {at:,.0f} commentaries, interpolated between {s0:,} ({p0:.0f} ms) "
                f"and {s1:,} ({p1:.0f} ms) as p95 ∝ size^{k:.2f}"
            )
    last_size, last = points[-1]
    if len(points) < 2:
        return f"not reached at {last_size:,} (p95 {last:.0f} ms); one size only"
    s0, p0 = points[-2]
    k = math.log(last / p0) / math.log(last_size / s0) if p0 > 0 else 0.0
    if k <= 0.05:
        return (
            f"not reached at {last_size:,} (p95 {last:.0f} ms), and p95 did not grow from "
            f"{s0:,} (size^{k:.2f}): no crossing to extrapolate"
        )
    at = last_size * (limit / last) ** (1 / k)
    return (
        f"not reached at {last_size:,} (p95 {last:.0f} ms); extrapolated: about "
        f"{at:,.0f} commentaries, carrying on p95 ∝ size^{k:.2f} from {s0:,} ({p0:.0f} ms)"
    )


def _ms(value: float) -> str:
    return f"{value:.1f}"


def _load(found: dict[str, Any], page: str) -> dict[str, Any] | None:
    for load in found.get("http", {}).get("loads", []):
        if load["name"] == page:
            return dict(load)
    return None


def _rate(found: dict[str, Any], page: str) -> float | None:
    load = _load(found, page)
    return load["requests"] / load["seconds"] if load else None


Getter = Callable[[dict[str, Any]], float | None]


def _figure(r: dict[str, Any], name: str, get: Getter) -> float | None:
    try:
        return get(r[name])
    except (KeyError, TypeError):
        return None


# Each figure of both engines: name, how to read it, style, whether to show the ratio.
ROWS: list[tuple[str, Getter, str, bool]] = [
    ("search p50, ms", lambda f: f["search"]["all"]["p50"], "ms", False),
    ("search p95, ms", lambda f: f["search"]["all"]["p95"], "ms", True),
    ("engine alone p50, ms", lambda f: f["engine_search"]["all"]["p50"], "ms", False),
    ("engine alone p95, ms", lambda f: f["engine_search"]["all"]["p95"], "ms", True),
    ("/search req/s", lambda f: _rate(f, "/search?q=…"), "n", True),
    ("/search p95, ms", lambda f: (_load(f, "/search?q=…") or {}).get("p95_ms"), "n", False),
    ("/c/{id} req/s", lambda f: _rate(f, "/c/{id}"), "n", True),
    ("/tickers/NVDA req/s", lambda f: _rate(f, "/tickers/NVDA"), "n", False),
    ("/timeline/2025 req/s", lambda f: _rate(f, "/timeline/2025"), "n", False),
    ("server memory (anonymous), MB", lambda f: f["http"]["memory_mb"]["Anonymous"], "n", False),
]


def _cell(value: float | None, style: str) -> str:
    if value is None:
        return ""
    return _ms(value) if style == "ms" else f"{value:.0f}"


def _seconds(figures: dict[str, Any], seconds: float) -> str:
    """Seconds of a build, marked when it ran in the background (niced)."""
    return f"{seconds:.0f}" + (" (niced)" if figures.get("nice", 0) > 0 else "")


def _sizes_table(by_size: dict[int, dict[str, Any]]) -> list[str]:
    sizes = sorted(by_size)
    header = ["", *(f"{s:,}" for s in sizes)]
    rows: list[list[object]] = []

    def add(name: str, cells: list[str]) -> None:
        if any(cells):
            rows.append([name, *cells])

    def archive(get: Callable[[dict[str, Any]], Any]) -> list[str]:
        cells = []
        for s in sizes:
            try:
                cells.append(get(by_size[s]["archive"]))
            except (KeyError, TypeError):
                cells.append("")
        return cells

    add(
        "ingest into PostgreSQL (Whoosh engine), s",
        archive(lambda a: _seconds(a, a["ingest"]["seconds"])),
    )
    add(
        "filling the postgres engine (`reindex --backend postgres`), s",
        archive(lambda a: _seconds(a["fill"], a["fill"]["seconds"])),
    )
    add("database MB (all)", archive(lambda a: f"{a['facts']['db_mb']:.0f}"))
    add(
        "postgres engine's table and indexes, MB",
        archive(lambda a: f"{a['facts']['search_table_mb']:.0f}"),
    )
    add("Whoosh index, MB", archive(lambda a: f"{a['ingest']['index_mb']:.0f}"))
    add("RUM", archive(lambda a: "yes" if a["facts"]["rum"] else "no (GIN)"))
    for label, get, style, ratio in ROWS:
        for name in BACKENDS:
            add(
                f"{LABEL[name]}: {label}",
                [_cell(_figure(by_size[s], name, get), style) for s in sizes],
            )
        if not ratio:
            continue
        ratios = []
        for s in sizes:
            mine = _figure(by_size[s], "postgres", get)
            theirs = _figure(by_size[s], "whoosh", get)
            ratios.append(f"{mine / theirs:.2f}×" if mine is not None and theirs else "")
        add(f"postgres ÷ Whoosh: {label.split(',')[0]}", ratios)
    for name in BACKENDS:
        add(
            f"{LABEL[name]}: searches of the mix the budget cut short (last pass)",
            [str(sum(by_size[s].get(name, {}).get("search", {}).get("cut", []))) for s in sizes],
        )
    add(
        "queries whose number of matches differs (neither cut short)",
        [str(len(by_size[s].get("differing", []))) for s in sizes],
    )
    add("measured", [str(by_size[s].get("measured", "")) for s in sizes])
    return _table(header, rows)


def _kinds(r: dict[str, Any], size: int) -> list[str]:
    kinds = list(r["whoosh"]["search"]["kinds"])
    rows = []
    for kind in [*kinds, "all"]:
        row: list[object] = [f"**{kind}**" if kind == "all" else kind]
        for name in BACKENDS:
            for part in ("search", "engine_search"):
                figures = r[name][part]
                cut = figures["all"] if kind == "all" else figures["kinds"][kind]
                row += [_ms(cut["p50"]), _ms(cut["p95"])]
        rows.append(row)
    header = ["kind"]
    for name in BACKENDS:
        header += [f"{LABEL[name]} p50", f"{LABEL[name]} p95"]
        header += [f"{LABEL[name]} engine p50", f"{LABEL[name]} engine p95"]
    return [
        f"#### Search by kind, {size:,} commentaries on PostgreSQL (ms)",
        "",
        *_table(header, rows),
    ]


def _ingest(ingest: dict[str, Any] | None) -> list[str]:
    if not ingest:
        return []
    rows: list[list[object]] = [
        [
            LABEL[name],
            ", ".join(f"{s:.1f}" for s in ingest["seconds"][name]),
            f"{ingest['medians'][name]:.1f}",
            f"{1000 * ingest['medians'][name] / ingest['size']:.1f}",
            f"{max(ingest['rss_mb'][name]):.0f}",
            f"{ingest['sizes'][name]['db_mb']:.0f}",
            f"{ingest['sizes'][name]['search_table_mb']:.0f}",
        ]
        for name in BACKENDS
    ]
    header = ["engine", "seconds per ingest", "median s", "ms per commentary", "peak RSS MB"]
    header += ["database MB", "engine's table MB"]
    return [
        f"### Ingest into PostgreSQL ({ingest['size']:,} commentaries, {ingest['measured']})",
        "",
        f"Each ingest into a new empty database ({'with' if ingest['rum'] else 'without'} "
        f"RUM) and a new data folder, {ingest['rounds']} of each engine, the engines "
        "alternating. Seconds are the whole `archive ingest` (its processes and the "
        "database server's work within it); peak RSS is the ingest's processes only.",
        "",
        *_table(header, rows),
        f"postgres ÷ Whoosh (medians): **{ingest['ratio']:.2f}×**.",
        "",
    ]


def _hostile(r: dict[str, Any], size: int) -> list[str]:
    if "hostile" not in r.get("postgres", {}):
        return []
    rows = []
    budget = r["postgres"]["hostile"]["budget_s"]
    for query in r["postgres"]["hostile"]["direct"]:
        row: list[object] = [query]
        for name in BACKENDS:
            one = r[name]["hostile"]["direct"][query]
            row += [f"{one['seconds']:.3f}", f"{one['max_seconds']:.3f}"]
            row += ["yes" if one["partial"] else "no", one["total"]]
        rows.append(row)
    header = ["query"]
    for name in BACKENDS:
        header += [f"{LABEL[name]} s", "slowest", "partial", "total"]
    return [
        f"#### Budget check, {size:,} commentaries on PostgreSQL (budget {budget:.2f} s)",
        "",
        *_table(header, rows),
    ]


def _differing(r: dict[str, Any], size: int) -> list[str]:
    found = r.get("differing", [])
    if not found:
        return []
    rows = [[d["kind"], f"`{d['query']}`", d["whoosh"], d["postgres"]] for d in found[:15]]
    more = f" (the first 15 of {len(found)})" if len(found) > 15 else ""
    return [
        f"#### Queries whose number of matches differs, {size:,}{more}",
        "",
        *_table(["kind", "query", "Whoosh", "postgres"], rows),
    ]


def section(postgres: dict[str, Any] | None) -> list[str]:
    lines = ["## PostgreSQL: the postgres engine against the Whoosh engine", ""]
    if not postgres or not postgres.get("sizes"):
        problem = (postgres or {}).get("problem", "not run")
        return [*lines, f"Not measured: {problem}.", ""]
    by_size = {int(k): v for k, v in postgres["sizes"].items()}
    largest = by_size[max(by_size)]["archive"]["facts"]
    settings = ", ".join(f"{k} {v}" for k, v in largest["settings"].items())
    lines += [
        "Both engines search the same PostgreSQL archive of each size: the corpus "
        "ingested once with the Whoosh engine, then `archive reindex --backend postgres` "
        "filling the postgres engine's table, then `VACUUM (ANALYZE)`; the database "
        "(`bench_<size>_<key>` on the local server) and the Whoosh index are kept "
        "between runs (`bench/pg.py`). Search is the web app's search function over the "
        "query mix (snippets and facets included), *engine alone* the top page and the "
        "total only; HTTP is `archive serve` under wrk as above, the database on this "
        f"machine. PostgreSQL {largest['server']}: {settings}. A build marked *niced* "
        "ran in the background at low priority beside other work: its seconds say what "
        "it took, not what it costs.",
        "",
        *_sizes_table(by_size),
    ]
    if postgres.get("problem"):
        lines += [f"Not measured in this run: {postgres['problem']}.", ""]
    lines += ["### Search p95 ≤ 150 ms: the archive size where each engine stops meeting it", ""]
    for name in BACKENDS:
        points = [
            (s, r[name]["search"]["all"]["p95"]) for s, r in sorted(by_size.items()) if name in r
        ]
        lines.append(f"- {LABEL[name]} engine (on PostgreSQL): {crossing(points)}.")
    lines += [
        "",
        "p95 of the search function over the mix at each measured size; between two "
        "sizes p95 is taken to grow as a power of the size (a line on log-log axes), "
        "past the largest the last two sizes' power is carried on. 150 ms as measured "
        "on this machine, not scaled by the yardstick.",
        "",
    ]
    for size, r in sorted(by_size.items()):
        if all(name in r for name in BACKENDS):
            lines += _kinds(r, size) + _hostile(r, size) + _differing(r, size)
    indexes = [f"`{i['definition']}` ({i['mb']:.0f} MB)" for i in largest["indexes"]]
    if indexes:
        lines += [
            f"Indexes of the postgres engine's table at {max(by_size):,}: "
            + "; ".join(indexes)
            + ".",
            "",
        ]
    return lines + _ingest(postgres.get("ingest"))
