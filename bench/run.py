"""``make bench``: every benchmark, for each corpus size, against the naive baseline
measured in the same run; the report goes to ``bench/results/latest.md``.

Environment: ``BENCH_SIZES`` (default "2000 20000"), ``NAIVE_MAX`` (the largest size
the naive baseline is built for, default 20000), ``HTTP_SECONDS`` (default 30),
``HTTP_SIZE`` (the size the HTTP benchmark runs on, default 20000 or the largest),
``HTTP_WORKERS`` (server processes, default 2: one per core).
Corpora and archives live under ``bench/work/`` (not in git).
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

from bench import corpus, http_bench, report
from bench.measure import Measured, dir_mb, machine, percentiles, run
from bench.queries import mix

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "work"
RESULTS = HERE / "results"
PY = sys.executable
INCREMENT = 10


def _env(name: str, default: str) -> str:
    return os.environ.get(name, "").strip() or default


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


def _ingest(data_dir: Path, source: Path) -> Measured:
    env = {"ARCHIVE_DATA_DIR": str(data_dir)}
    return check(run([PY, "-m", "app.cli", "ingest", str(source)], env=env, cwd=ROOT), "ingest")


def _search(which: str, where: Path) -> dict[str, Any]:
    out = WORK / f"search-{which}.json"
    check(run([PY, "-m", "bench.search_bench", which, str(where), str(out)], cwd=ROOT), which)
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
    searches = []
    for query in mix():
        params = {"q": query.text, **query.options}
        searches.append("/search?" + urlencode(params))
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
            "loads": loads,
        }
    finally:
        server.stop()


def bench_size(
    size: int, naive_max: int, http_size: int, http_seconds: int, http_workers: int
) -> dict[str, Any]:
    print(f"== {size} commentaries", flush=True)
    source = corpus_file(size)
    place = WORK / str(size)
    shutil.rmtree(place, ignore_errors=True)
    result: dict[str, Any] = {"size": size, "corpus_mb": source.stat().st_size / 2**20}

    floor = check(run([PY, "-m", "bench.segment", str(source)], cwd=ROOT), "segmentation")
    result["segment"] = {"seconds": floor.seconds, "rss_mb": floor.peak_rss_mb}
    print(f"   jieba alone, 2 processes: {floor.seconds:.1f} s", flush=True)

    archive = place / "archive"
    full = _ingest(archive, source)
    result["ingest"] = {
        "seconds": full.seconds,
        "rss_mb": full.peak_rss_mb,
        "index_mb": dir_mb(archive / "index"),
        "db_mb": (archive / "archive.sqlite3").stat().st_size / 2**20,
    }
    print(f"   archive ingest: {full.seconds:.1f} s", flush=True)
    more = _ingest(archive, corpus_file(INCREMENT, start=size))
    result["increment"] = {"docs": INCREMENT, "seconds": more.seconds, "rss_mb": more.peak_rss_mb}
    print(f"   + {INCREMENT}: {more.seconds:.1f} s", flush=True)

    result["search"] = _search("archive", archive)
    print(f"   search p95: {result['search']['all']['p95']:.1f} ms", flush=True)
    if size <= naive_max:
        naive_dir = place / "naive"
        built = check(
            run([PY, "-m", "bench.naive", "build", str(source), str(naive_dir)], cwd=ROOT),
            "naive build",
        )
        result["naive_ingest"] = {
            "seconds": built.seconds,
            "rss_mb": built.peak_rss_mb,
            "index_mb": dir_mb(naive_dir),
        }
        print(f"   naive build: {built.seconds:.1f} s", flush=True)
        result["naive_search"] = _search("naive", naive_dir)
        print(f"   naive search p95: {result['naive_search']['all']['p95']:.1f} ms", flush=True)
    if size == http_size:
        result["http"] = _http(archive, size, http_seconds, http_workers)
        print("   http done", flush=True)
    shutil.rmtree(place, ignore_errors=True)
    return result


def main() -> None:
    sizes = [int(s) for s in _env("BENCH_SIZES", "2000 20000").split()]
    naive_max = int(_env("NAIVE_MAX", "20000"))
    http_size = int(_env("HTTP_SIZE", str(20000 if 20000 in sizes else max(sizes))))
    http_seconds = int(_env("HTTP_SECONDS", "30"))
    http_workers = int(_env("HTTP_WORKERS", "2"))
    started = time.time()
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(started))
    fresh = {}
    for size in sizes:
        fresh[size] = bench_size(size, naive_max, http_size, http_seconds, http_workers)
        fresh[size]["measured"] = when
    # Sizes measured by earlier runs stay in the report until measured again.
    kept = {}
    if (RESULTS / "latest.json").exists():
        earlier = json.loads((RESULTS / "latest.json").read_text())
        kept = {r["size"]: r for r in earlier.get("results", []) if "measured" in r}
    results = [r for _, r in sorted({**kept, **fresh}.items())]
    run_info = {
        "started": when,
        "minutes": (time.time() - started) / 60,
        "machine": machine(),
        "versions": report.versions(),
        "settings": {
            "sizes": sizes,
            "naive_max": naive_max,
            "http_seconds": http_seconds,
            "http_workers": http_workers,
        },
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(
        json.dumps({"run": run_info, "results": results}, indent=1, ensure_ascii=False) + "\n"
    )
    (RESULTS / "latest.md").write_text(report.markdown(run_info, results))
    print(f"report: {RESULTS / 'latest.md'}")


if __name__ == "__main__":
    main()
