"""``make bench``: every benchmark, for each corpus size, against the naive baseline and
the SQLite FTS5 peer measured in the same run; the report goes to
``bench/results/latest.md``.

Every target is scaled by the run's yardstick, jieba alone segmenting the 20,000
corpus in two processes, measured in every run. Archives, naive indexes and FTS5
peers are cached between runs (``bench.cache``): a size whose cache is valid reuses
them and carries the ingest figures measured when they were built.

Environment: ``BENCH_SIZES`` (default "2000 20000 100000"), ``NAIVE_MAX`` (the largest
size the naive baseline is built for, default 20000), ``FTS5_MAX`` (the same for the
FTS5 peer, default 100000), ``HTTP_SIZES`` (default "20000 100000"), ``HTTP_SECONDS``
(default 30), ``HTTP_WORKERS`` (default 2), ``HOSTILE_SIZE`` (the budget check,
default 20000), ``BENCH_WORK`` (corpora, caches and scratch files, default
``bench/work``), ``BENCH_CACHE`` (default ``$BENCH_WORK/archives``), ``BENCH_STARTED``
(epoch seconds ``make bench`` started, for the report's first line).

    python -m bench.run                   the benchmark and its report
    python -m bench.run prepare 100000    fill the cache for these sizes, nothing else
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench import cache, corpus, http_bench, report, targets
from bench.measure import Measured, dir_mb, machine, percentiles, run
from bench.queries import mix

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = cache.work()
RESULTS = HERE / "results"
PY = sys.executable
INCREMENT = 10
YARDSTICK_SIZE = targets.YARDSTICK_SIZE


def _env(name: str, default: str) -> str:
    return os.environ.get(name, "").strip() or default


def _when(epoch: float | None = None) -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(epoch))


def corpus_file(size: int, start: int = 0) -> Path:
    """The corpus, regenerated only when its generator, the seeds or the dictionary
    changed."""
    digest = hashlib.sha256()
    data = ROOT / "app/instruments"
    for path in [HERE / "corpus.py", *(data / n for n in ("instruments.csv", "listings.csv"))]:
        digest.update(path.read_bytes())
    for path in sorted(corpus.SEEDS.iterdir()):
        digest.update(path.read_bytes())
    out = WORK / "corpus" / f"{size}-{start}-{digest.hexdigest()[:10]}.jsonl"
    if not out.exists():
        partial = out.with_suffix(".part")
        corpus.write(size, partial, start=start)
        partial.rename(out)
    return out


def check(measured: Measured, what: str) -> Measured:
    if measured.returncode != 0:
        raise SystemExit(f"{what} failed ({measured.returncode}):\n{measured.output[-3000:]}")
    return measured


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
    place = cache.entry(size, source, cache.validity())
    with cache.building(place):
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
        "measured": _when(),
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
            "measured": _when(),
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


def _search(which: str, *where: Path) -> dict[str, Any]:
    out = WORK / f"search-{which}.json"
    command = [PY, "-m", "bench.search_bench", which, *map(str, where), str(out)]
    check(run(command, cwd=ROOT), which)
    by_kind: dict[str, list[float]] = json.loads(out.read_text())
    out.unlink()
    matches = by_kind.pop("matches")
    every = [ms for values in by_kind.values() for ms in values]
    return {
        "all": percentiles(every),
        "queries": len(every),
        "kinds": {kind: percentiles(values) for kind, values in by_kind.items()},
        "matches": percentiles(matches),
    }


def _http_paths(size: int) -> dict[str, list[str]]:
    searches = ["/search?" + urlencode({"q": q.text, **q.options}) for q in mix()]
    step = max(1, size // 200)
    return {
        "/search?q=…": searches,
        "/tickers/NVDA": ["/tickers/NVDA"],
        "/timeline/2025": ["/timeline/2025"],
        "/c/{id}": [f"/c/{i}" for i in range(1, size + 1, step)],
    }


def _http(data_dir: Path, size: int, seconds: int, workers: int) -> dict[str, Any]:
    server = http_bench.Server(data_dir, workers)
    try:
        loads = []
        for name, paths in _http_paths(size).items():
            http_bench.load(name, server.url, paths[:1], 2)  # warm
            loads.append(asdict(http_bench.load(name, server.url, paths, seconds)))
        return {
            "workers": workers,
            "ready_s": server.ready_seconds,
            "rss_mb": server.rss_mb(),
            "memory_mb": server.memory_mb(),
            "loads": loads,
        }
    finally:
        server.stop()


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
    result["measured"] = _when()
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
    }
    started = time.time()
    make_started = float(_env("BENCH_STARTED", str(started)))
    print(f"== yardstick: jieba alone, 2 processes, {YARDSTICK_SIZE} commentaries", flush=True)
    yardstick: dict[str, Any] = {**segment(corpus_file(YARDSTICK_SIZE)), "measured": _when()}
    print(f"   {yardstick['seconds']:.1f} s", flush=True)
    fresh = {size: bench_size(size, options, yardstick) for size in sizes}
    # Sizes measured by earlier runs stay in the report, marked so, until measured again.
    kept = {}
    if (RESULTS / "latest.json").exists():
        earlier = json.loads((RESULTS / "latest.json").read_text())
        kept = {r["size"]: r for r in earlier.get("results", []) if "ingest_measured" in r}
    results = [r for _, r in sorted({**kept, **fresh}.items())]
    finished = time.time()
    run_info = {
        "started": _when(started),
        "minutes": (finished - started) / 60,
        "make_minutes": (finished - make_started) / 60,
        "machine": machine(),
        "versions": report.versions(),
        "yardstick": yardstick,
        "settings": {"sizes": sizes, **options},
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(
        json.dumps({"run": run_info, "results": results}, indent=1, ensure_ascii=False) + "\n"
    )
    (RESULTS / "latest.md").write_text(report.markdown(run_info, results))
    print(f"report: {RESULTS / 'latest.md'}")


def prepare(sizes: list[int]) -> None:
    """Build what the cache lacks for ``sizes`` (archive with its ingest figures, FTS5
    peer, naive index), measuring nothing else: for a background job ahead of a run."""
    naive_max = int(_env("NAIVE_MAX", "20000"))
    fts5_max = int(_env("FTS5_MAX", "100000"))
    for size in sizes:
        started = time.perf_counter()
        data_dir, figures = archive(size)
        print(f"== {size}: archive at {data_dir} (measured {figures['measured']})", flush=True)
        if size <= fts5_max:
            print(f"   FTS5 peer: {fts5(data_dir)[1]['build_seconds']:.1f} s to build", flush=True)
        if size <= naive_max:
            print(f"   naive index: {naive(size)[1]['seconds']:.0f} s to build", flush=True)
        print(f"   ready after {(time.perf_counter() - started) / 60:.0f} minutes", flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["prepare"]:
        prepare([int(s) for s in sys.argv[2:]])
    else:
        main()
