"""The postgres engine against the Whoosh engine, both over one PostgreSQL archive, in
the same run: the query mix through the search function and the engine alone, the
real server under load, the budget check, and ingest into an empty database with
each engine.

Environment: ``PG_SIZES`` (the sizes measured, default the run's ``BENCH_SIZES``),
``PG_INGEST_SIZE`` (commentaries of the ingest comparison, default 2000),
``PG_INGEST_ROUNDS`` (ingests of each engine, alternating, default 2), and those of
``bench.pg``.
"""

from __future__ import annotations

import json
import shutil
import statistics
from pathlib import Path
from typing import Any

from bench import pg
from bench.measure import run
from bench.queries import mix
from bench.steps import PY, ROOT, WORK, check, corpus_file, env, http, search, when

BACKENDS = ("whoosh", "postgres")


def options(sizes: list[int]) -> dict[str, Any]:
    return {
        "pg_sizes": [int(s) for s in env("PG_SIZES", " ".join(map(str, sizes))).split()],
        "pg_ingest_size": int(env("PG_INGEST_SIZE", "2000")),
        "pg_ingest_rounds": int(env("PG_INGEST_ROUNDS", "2")),
    }


def differing(found: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The queries of the mix whose number of matches differs between the engines,
    where neither answer was cut short by the budget."""
    queries = mix()
    totals = {name: found[name]["search"]["totals"] for name in BACKENDS}
    cut = {name: found[name]["search"].get("cut", [0] * len(queries)) for name in BACKENDS}
    return [
        {"kind": q.kind, "query": q.text, **{name: totals[name][i] for name in BACKENDS}}
        for i, q in enumerate(queries)
        if len({totals[name][i] for name in BACKENDS}) > 1
        and not any(cut[name][i] for name in BACKENDS)
    ]


def _hostile(data_dir: Path, size: int, budget: float, environ: dict[str, str]) -> dict[str, Any]:
    out = WORK / "hostile-pg.json"
    command = [PY, "-m", "bench.hostile", "direct", str(data_dir), str(corpus_file(size))]
    check(run([*command, f"{budget:.3f}", str(out)], env=environ, cwd=ROOT), "hostile on PG")
    found: dict[str, Any] = json.loads(out.read_text())
    out.unlink()
    return found


def bench_size(size: int, options: dict[str, Any], budget: float) -> dict[str, Any]:
    """Both engines over the PostgreSQL archive of ``size`` commentaries."""
    print(f"== {size} commentaries on PostgreSQL", flush=True)
    data_dir, database, figures = pg.archive(size)
    result: dict[str, Any] = {"archive": figures, "database": database}
    for name in BACKENDS:
        environ = pg.environ(data_dir, database, name)
        found: dict[str, Any] = {
            "search": search("archive", data_dir, environ=environ),
            "engine_search": search("engine", data_dir, environ=environ),
        }
        print(f"   {name}: search p95 {found['search']['all']['p95']:.1f} ms", flush=True)
        if size in options["http_sizes"]:
            seconds, workers = options["http_seconds"], options["http_workers"]
            found["http"] = http(data_dir, size, seconds, workers, environ)
            print(f"   {name}: http done", flush=True)
        if size == options["hostile_size"]:
            found["hostile"] = {
                "budget_s": budget,
                "direct": _hostile(data_dir, size, budget, environ),
            }
        result[name] = found
    result["differing"] = differing(result)
    result["measured"] = when()
    return result


def ingest_ab(size: int, rounds: int) -> dict[str, Any]:
    """Ingest of ``size`` commentaries into an empty PostgreSQL database with each
    engine, ``rounds`` times each, the engines alternating so that drift in the
    machine's speed falls on both."""
    print(f"== ingest of {size} into PostgreSQL, Whoosh against postgres", flush=True)
    source = corpus_file(size)
    seconds: dict[str, list[float]] = {name: [] for name in BACKENDS}
    rss: dict[str, list[float]] = {name: [] for name in BACKENDS}
    sizes: dict[str, dict[str, float]] = {}
    rum = False
    for turn in range(rounds):
        for name in BACKENDS if turn % 2 == 0 else tuple(reversed(BACKENDS)):
            database = f"bench_ingest_{name}"
            data_dir = WORK / "pg-ingest" / name
            shutil.rmtree(data_dir, ignore_errors=True)
            rum = pg.create(database)
            done = pg.archive_cli(
                ["ingest", str(source)], pg.environ(data_dir, database, name), f"ingest ({name})"
            )
            seconds[name].append(done.seconds)
            rss[name].append(done.peak_rss_mb)
            facts = pg.facts(database)
            sizes[name] = {"db_mb": facts["db_mb"], "search_table_mb": facts["search_table_mb"]}
            print(f"   {name} round {turn + 1}: {done.seconds:.1f} s", flush=True)
            pg.drop(database)
    shutil.rmtree(WORK / "pg-ingest", ignore_errors=True)
    medians = {name: statistics.median(values) for name, values in seconds.items()}
    return {
        "size": size,
        "rounds": rounds,
        "rum": rum,
        "seconds": seconds,
        "medians": medians,
        "rss_mb": rss,
        "sizes": sizes,
        "ratio": medians["postgres"] / medians["whoosh"],
        "measured": when(),
    }
