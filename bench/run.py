"""``make bench``: every benchmark, for each corpus size, against the naive baseline and
the SQLite FTS5 peer measured in the same run, then the postgres engine against the
Whoosh engine over PostgreSQL archives (``bench.pg_bench``); the report goes to
``bench/results/latest.md``.

Every target is scaled by the run's yardstick, jieba alone segmenting the 20,000
corpus in two processes, measured in every run. Archives, naive indexes and FTS5
peers are cached between runs (``bench.cache``): a size whose cache is valid reuses
them and carries the ingest figures measured when they were built.

Environment: ``BENCH_SIZES`` (default "2000 20000 100000"), ``NAIVE_MAX`` (the largest
size the naive baseline is built for, default 20000), ``FTS5_MAX`` (the same for the
FTS5 peer, default 100000), ``HTTP_SIZES`` (default "20000 100000"), ``HTTP_SECONDS``
(default 30), ``HTTP_WORKERS`` (default 2), ``HOSTILE_SIZE`` (the budget check, default
20000), ``REANALYSIS_SIZE`` (issue 17's targeted re-analysis, default 20000),
``BENCH_WORK`` (corpora, caches and scratch files, default ``bench/work``),
``BENCH_CACHE`` (default ``$BENCH_WORK/archives``), ``BENCH_STARTED`` (epoch seconds
``make bench`` started, for the report's first line), ``BENCH_PARTS`` (default "sqlite
postgres": the archives on SQLite, the engines over PostgreSQL; one of them alone keeps
the other's figures from the last report), and those of ``bench.pg_bench`` and
``bench.pg`` (``PG_SIZES``, ``BENCH_PG_URL``, …).

    python -m bench.run                   the benchmark and its report
    python -m bench.run prepare 100000    fill the cache for these sizes, nothing else
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from bench import cache, pg, pg_bench, reanalysis, report, targets
from bench.measure import Measured, dir_mb, machine, run
from bench.steps import HERE, PY, ROOT, WORK, check, corpus_file, when
from bench.steps import env as _env
from bench.steps import http as _http
from bench.steps import search as _search

__all__ = ["RESULTS", "ROOT", "WORK", "check", "corpus_file"]  # bench.ingest_ab's

RESULTS = HERE / "results"
INCREMENT = 10
YARDSTICK_SIZE = targets.YARDSTICK_SIZE


def segment(source: Path) -> dict[str, float]:
    floor = check(run([PY, "-m", "bench.segment", str(source)], cwd=ROOT), "segmentation")
    return {"seconds": floor.seconds, "rss_mb": floor.peak_rss_mb}


def _ingest(data_dir: Path, source: Path) -> Measured:
    env = {"ARCHIVE_DATA_DIR": str(data_dir)}
    return check(run([PY, "-m", "app.cli", "ingest", str(source)], env=env, cwd=ROOT), "ingest")


def archive(size: int, yardstick: dict[str, Any] | None = None) -> tuple[Path, dict[str, Any]]:
    """The cached archive of ``size`` commentaries and its ingest figures, built (and
    measured) first when the cache holds none that is still valid."""
    source = corpus_file(size)
    valid = cache.validity()
    place = cache.entry(size, source, valid)
    with cache.building(place):
        figures = cache.load(place)
        if figures is None and cache.migrated(size, source, valid) is not None:
            figures = cache.load(place)
        if figures is not None:
            return cache.archive(place), {**figures, "fresh": False}
        figures = _build_archive(size, source, place, yardstick)
    return cache.archive(place), {**figures, "fresh": True}


def _build_archive(
    size: int, source: Path, place: Path, yardstick: dict[str, Any] | None
) -> dict[str, Any]:
    print(f"   building the archive of {size} into {place}", flush=True)
    shutil.rmtree(place, ignore_errors=True)
    place.mkdir(parents=True)
    floor = yardstick if yardstick is not None else segment(source)
    data_dir = cache.archive(place)
    full = _ingest(data_dir, source)
    plus = WORK / f"plus-{size}"
    cache.copy(data_dir, plus)  # the cached archive stays the corpus and nothing else
    more = _ingest(plus, corpus_file(INCREMENT, start=size))
    shutil.rmtree(plus, ignore_errors=True)
    figures = {
        "measured": when(),
        "segment": floor,
        "ingest": {
            "seconds": full.seconds,
            "rss_mb": full.peak_rss_mb,
            "index_mb": dir_mb(data_dir / "index"),
            "db_mb": (data_dir / "archive.sqlite3").stat().st_size / 2**20,
        },
        "increment": {"docs": INCREMENT, "seconds": more.seconds, "rss_mb": more.peak_rss_mb},
    }
    cache.store(place, figures)
    cache.drop_stale(size, place)
    done = f"archive ingest: {full.seconds:.1f} s; +{INCREMENT}: {more.seconds:.1f} s"
    print(f"   {done}", flush=True)
    return figures


def _built(place: Path, figures: str, build: list[str], what: str) -> dict[str, Any]:
    """Figures of a cached derived index (naive, FTS5), building it first if missing."""
    saved = place / figures
    with cache.building(place):
        if saved.exists():
            return {**json.loads(saved.read_text()), "fresh": False}
        shutil.rmtree(place, ignore_errors=True)
        done = check(run(build, cwd=ROOT), what)
        found = {
            "measured": when(),
            "seconds": done.seconds,
            "rss_mb": done.peak_rss_mb,
            "index_mb": dir_mb(place),
        }
        last = done.output.strip().splitlines()[-1] if done.output.strip() else ""
        if last.startswith("{"):
            found.update(json.loads(last))
        saved.write_text(json.dumps(found, indent=1) + "\n")
    return {**found, "fresh": True}


def naive(size: int) -> tuple[Path, dict[str, Any]]:
    """The naive index, cached by corpus and ``bench/naive.py``."""
    source = corpus_file(size)
    key = hashlib.sha256(source.name.encode() + (HERE / "naive.py").read_bytes()).hexdigest()
    place = cache.root() / f"naive-{size}-{key[:12]}"
    build = [PY, "-m", "bench.naive", "build", str(source), str(place)]
    return place, _built(place, "naive.json", build, "naive build")


def fts5(data_dir: Path) -> tuple[Path, dict[str, Any]]:
    place = data_dir.parent / "fts5"
    build = [PY, "-m", "bench.fts5_peer", "build", str(data_dir), str(place)]
    return place, _built(place, "fts5.json", build, "FTS5 peer build")


def _hostile(data_dir: Path, size: int, budget: float) -> dict[str, Any]:
    found: dict[str, Any] = {"budget_s": budget}
    for mode in ("direct", "storm"):
        out = WORK / f"hostile-{mode}.json"
        command = [PY, "-m", "bench.hostile", mode, str(data_dir), str(corpus_file(size))]
        check(run([*command, f"{budget:.3f}", str(out)], cwd=ROOT), f"hostile {mode}")
        found[mode] = json.loads(out.read_text())
        out.unlink()
    return found


def bench_size(size: int, options: dict[str, Any], yardstick: dict[str, Any]) -> dict[str, Any]:
    print(f"== {size} commentaries", flush=True)
    source = corpus_file(size)
    data_dir, figures = archive(size, yardstick if size == YARDSTICK_SIZE else None)
    result: dict[str, Any] = {
        "size": size,
        "corpus_mb": source.stat().st_size / 2**20,
        "segment": figures["segment"],
        "ingest": figures["ingest"],
        "increment": figures["increment"],
        "ingest_measured": figures["measured"],
        "ingest_fresh": figures["fresh"],
        "upgraded": figures.get("upgraded", []),
    }
    result["search"] = _search("archive", data_dir)
    print(f"   search p95: {result['search']['all']['p95']:.1f} ms", flush=True)
    result["engine_search"] = _search("engine", data_dir)
    if size <= options["fts5_max"]:
        peer_dir, result["fts5"] = fts5(data_dir)
        result["fts5_search"] = _search("fts5", peer_dir, data_dir)
        print(f"   FTS5 peer p95: {result['fts5_search']['all']['p95']:.1f} ms", flush=True)
    if size <= options["naive_max"]:
        naive_dir, result["naive_ingest"] = naive(size)
        result["naive_search"] = _search("naive", naive_dir)
        print(f"   naive search p95: {result['naive_search']['all']['p95']:.1f} ms", flush=True)
    if size in options["http_sizes"]:
        result["http"] = _http(data_dir, size, options["http_seconds"], options["http_workers"])
        print("   http done", flush=True)
    if size == options["hostile_size"]:
        budget = 1.0 * yardstick["seconds"] / targets.REFERENCE_JIEBA_S
        result["hostile"] = _hostile(data_dir, size, budget)
        print("   budget check done", flush=True)
    if size == options["reanalysis_size"]:
        print("   targeted re-analysis", flush=True)
        result["reanalysis"] = reanalysis.measure(size, data_dir)
    result["measured"] = when()
    return result


def main() -> None:
    sizes = [int(s) for s in _env("BENCH_SIZES", "2000 20000 100000").split()]
    options = {
        "naive_max": int(_env("NAIVE_MAX", "20000")),
        "fts5_max": int(_env("FTS5_MAX", "100000")),
        "http_sizes": [int(s) for s in _env("HTTP_SIZES", "20000 100000").split()],
        "http_seconds": int(_env("HTTP_SECONDS", "30")),
        "http_workers": int(_env("HTTP_WORKERS", "2")),
        "hostile_size": int(_env("HOSTILE_SIZE", str(YARDSTICK_SIZE))),
        "reanalysis_size": int(_env("REANALYSIS_SIZE", str(YARDSTICK_SIZE))),
    }
    started = time.time()
    make_started = float(_env("BENCH_STARTED", str(started)))
    print(f"== yardstick: jieba alone, 2 processes, {YARDSTICK_SIZE} commentaries", flush=True)
    yardstick: dict[str, Any] = {**segment(corpus_file(YARDSTICK_SIZE)), "measured": when()}
    print(f"   {yardstick['seconds']:.1f} s", flush=True)
    parts = _env("BENCH_PARTS", "sqlite postgres").split()
    fresh = {size: bench_size(size, options, yardstick) for size in sizes if "sqlite" in parts}
    # Sizes measured by earlier runs stay in the report, marked so, until measured again.
    kept = {}
    earlier: dict[str, Any] = {}
    if (RESULTS / "latest.json").exists():
        earlier = json.loads((RESULTS / "latest.json").read_text())
        kept = {r["size"]: r for r in earlier.get("results", []) if "ingest_measured" in r}
    results = [r for _, r in sorted({**kept, **fresh}.items())]
    postgres = earlier.get("postgres", {"sizes": {}, "ingest": None})
    if "postgres" in parts:
        options.update(pg_bench.options(sizes))
        postgres = _postgres(options, yardstick, postgres)
    finished = time.time()
    run_info = {
        "started": when(started),
        "minutes": (finished - started) / 60,
        "make_minutes": (finished - make_started) / 60,
        "machine": machine(),
        "versions": report.versions(),
        "yardstick": yardstick,
        "settings": {"sizes": sizes, **options},
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(
        json.dumps(
            {"run": run_info, "results": results, "postgres": postgres},
            indent=1,
            ensure_ascii=False,
        )
        + "\n"
    )
    (RESULTS / "latest.md").write_text(report.markdown(run_info, results, postgres))
    print(f"report: {RESULTS / 'latest.md'}")


def _postgres(
    options: dict[str, Any], yardstick: dict[str, Any], earlier: dict[str, Any]
) -> dict[str, Any]:
    """Both engines over PostgreSQL archives, and ingest into PostgreSQL with each;
    sizes not measured in this run are kept from the earlier report."""
    problem = pg.problem()
    if problem:
        print(f"== PostgreSQL engine not measured: {problem}", flush=True)
        return {**earlier, "problem": problem}
    budget = 1.0 * yardstick["seconds"] / targets.REFERENCE_JIEBA_S
    measured = {
        str(size): pg_bench.bench_size(size, options, budget) for size in options["pg_sizes"]
    }
    ingest = pg_bench.ingest_ab(options["pg_ingest_size"], options["pg_ingest_rounds"])
    print(f"   ingest, postgres ÷ Whoosh: {ingest['ratio']:.2f}×", flush=True)
    return {"sizes": {**earlier.get("sizes", {}), **measured}, "ingest": ingest}


def prepare(sizes: list[int]) -> None:
    """Build what the cache lacks for ``sizes`` (archive with its ingest figures, FTS5
    peer, naive index), measuring nothing else: for a background job ahead of a run."""
    naive_max = int(_env("NAIVE_MAX", "20000"))
    fts5_max = int(_env("FTS5_MAX", "100000"))
    parts = _env("BENCH_PARTS", "sqlite postgres").split()
    pg_sizes = pg_bench.options(sizes)["pg_sizes"] if "postgres" in parts else []
    for size in sizes:
        started = time.perf_counter()
        if "sqlite" not in parts:
            if size in pg_sizes and pg.problem() is None:
                _, database, found = pg.archive(size)
                print(f"== {size}: PostgreSQL archive {database} ready", flush=True)
            continue
        data_dir, figures = archive(size)
        print(f"== {size}: archive at {data_dir} (measured {figures['measured']})", flush=True)
        if size <= fts5_max:
            print(f"   FTS5 peer: {fts5(data_dir)[1]['build_seconds']:.1f} s to build", flush=True)
        if size <= naive_max:
            print(f"   naive index: {naive(size)[1]['seconds']:.0f} s to build", flush=True)
        if size in pg_sizes and pg.problem() is None:
            _, database, found = pg.archive(size)
            print(f"   PostgreSQL archive {database} (measured {found['measured']})", flush=True)
        print(f"   ready after {(time.perf_counter() - started) / 60:.0f} minutes", flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["prepare"]:
        prepare([int(s) for s in sys.argv[2:]])
    else:
        main()
