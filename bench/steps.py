"""The steps every part of ``make bench`` shares: the corpus of a size, a child process
that must succeed, the search mix timed in a child process and the real server under
load. Each takes the environment it runs under, so the same step measures an archive
on SQLite or on PostgreSQL, with either search engine.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench import cache, corpus, http_bench
from bench.measure import Measured, percentiles, run
from bench.queries import mix

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = cache.work()
PY = sys.executable


def env(name: str, default: str) -> str:
    return os.environ.get(name, "").strip() or default


def when(epoch: float | None = None) -> str:
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


def search(which: str, *where: Path, environ: dict[str, str] | None = None) -> dict[str, Any]:
    """The mix through ``bench.search_bench which`` in a child process: percentiles of
    every timed query and by kind, of the matches, and each query's matches
    (``totals``, in the mix's order) with 1 in ``cut`` where the budget cut its answer
    short."""
    out = WORK / f"search-{which}-{os.getpid()}.json"
    command = [PY, "-m", "bench.search_bench", which, *map(str, where), str(out)]
    check(run(command, env=environ, cwd=ROOT), which)
    by_kind: dict[str, list[float]] = json.loads(out.read_text())
    out.unlink()
    matches = by_kind.pop("matches")
    totals = by_kind.pop("totals", matches)
    cut = by_kind.pop("cut", [0.0] * len(totals))
    every = [ms for values in by_kind.values() for ms in values]
    return {
        "all": percentiles(every),
        "queries": len(every),
        "kinds": {kind: percentiles(values) for kind, values in by_kind.items()},
        "matches": percentiles(matches),
        "totals": [int(m) for m in totals],
        "cut": [int(c) for c in cut],
    }


def http_paths(size: int) -> dict[str, list[str]]:
    searches = ["/search?" + urlencode({"q": q.text, **q.options}) for q in mix()]
    step = max(1, size // 200)
    return {
        "/search?q=…": searches,
        "/tickers/NVDA": ["/tickers/NVDA"],
        "/timeline/2025": ["/timeline/2025"],
        "/c/{id}": [f"/c/{i}" for i in range(1, size + 1, step)],
    }


def http(
    data_dir: Path,
    size: int,
    seconds: int,
    workers: int,
    environ: dict[str, str] | None = None,
) -> dict[str, Any]:
    """``archive serve --workers N`` under wrk, page by page, each warmed first."""
    server = http_bench.Server(data_dir, workers, environ)
    try:
        loads = []
        for name, paths in http_paths(size).items():
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
