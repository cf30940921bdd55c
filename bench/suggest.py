"""``python -m bench.suggest``: how fast ``/api/suggest`` answers at 20,000 commentaries.

Uses the archive ``bench.run`` caches for the same corpus (building it if none is
valid), measures what building the instrument
index costs, then starts the real server and sends the suggestion requests a reader
typing names, pinyin, codes and title words makes, one at a time, timing each from
request to last byte. The report goes to ``bench/results/suggest.md`` and ``.json``.

Environment: ``SUGGEST_SIZE`` (default 20000), ``SUGGEST_ROUNDS`` (times each query is
sent, default 20).
"""

from __future__ import annotations

import json
import os
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bench import http_bench
from bench.measure import machine, percentiles, run
from bench.run import RESULTS, ROOT, check
from bench.run import archive as cached_archive

PY = sys.executable
TARGET_P95_MS = 20.0

# What a reader types, keystroke by keystroke, grouped by what it matches.
QUERIES: dict[str, list[str]] = {
    "name": ["英", "英伟", "英伟达", "茅台", "贵州茅", "台積電", "腾讯", "宁德", "比亚迪", "銀行"],
    "pinyin": ["y", "yw", "ywd", "yingwei", "yingweida", "gzmt", "tx", "tengxun", "byd", "nh"],
    "symbol": ["N", "NV", "NVDA", "TS", "TSLA", "aapl", "BRK", "0700.HK", "BABA", "spy"],
    "code": ["6", "60", "600519", "700", "0700", "2330", "300750", "00", "9988", "1"],
    "title": ["降息", "财报", "周报", "市场", "美联储", "点评", "科技", "港股", "Morning", "a"],
    "odd": ["%", "_", "'", "NVDA OR", "ticker:", "🚀", "x" * 100, "的", "？", "Z"],
}


def archive(size: int) -> Path:
    """The benchmark's cached archive of ``size`` commentaries (``bench.cache``), built
    first if the cache holds none that is valid."""
    return cached_archive(size)[0]


def _index_build() -> dict[str, float]:
    """Seconds to import the index module and build the instrument index, in a fresh
    interpreter as a server worker would."""
    code = (
        "import time; t = time.perf_counter()\n"
        "from app.instruments import load\n"
        "d = load(); d.instruments; t1 = time.perf_counter()\n"
        "from app.web.queries.suggest import instrument_index\n"
        "t2 = time.perf_counter(); instrument_index(d); t3 = time.perf_counter()\n"
        "print(t1 - t, t2 - t1, t3 - t2)\n"
    )
    measured = check(run([PY, "-c", code], cwd=ROOT), "index build")
    dictionary, imports, build = (float(x) for x in measured.output.split()[-3:])
    return {"dictionary_s": dictionary, "import_s": imports, "build_s": build}


def _time(url: str) -> tuple[float, int]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            json.loads(response.read())["suggestions"]
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return (time.perf_counter() - started) * 1000, status


def _latencies(base: str, rounds: int) -> dict[str, Any]:
    by_kind: dict[str, list[float]] = {}
    errors = 0
    first_ms = 0.0
    for n in range(rounds + 1):
        for kind, queries in QUERIES.items():
            for query in queries:
                ms, status = _time(f"{base}/api/suggest?q={quote(query)}")
                errors += status != 200
                if n == 0:
                    first_ms = max(first_ms, ms)
                    continue  # the first round warms the caches
                by_kind.setdefault(kind, []).append(ms)
    every = [ms for values in by_kind.values() for ms in values]
    return {
        "requests": len(every),
        "errors": errors,
        "slowest_first_ms": first_ms,
        "all": percentiles(every),
        "kinds": {kind: percentiles(values) for kind, values in by_kind.items()},
    }


def _markdown(result: dict[str, Any]) -> str:
    cut = result["http"]["all"]
    verdict = "met" if cut["p95"] <= TARGET_P95_MS else "**missed**"
    build = result["index"]
    where = ", ".join(f"{key} {value}" for key, value in result["machine"].items())
    lines = [
        "# Suggestion benchmark",
        "",
        f"Run {result['started']} by `python -m bench.suggest`; machine: {where}.",
        f"Archive: {result['size']} commentaries (the `bench.run` corpus). One server "
        "worker, one request at a time over HTTP, timed from request to last byte; "
        f"each query sent {result['rounds']} times after a warming round.",
        "",
        f"Target: p95 ≤ {TARGET_P95_MS:.0f} ms — {cut['p95']:.1f} ms, {verdict}.",
        "",
        "| queries | p50 ms | p95 ms | max ms |",
        "| --- | --- | --- | --- |",
    ]
    for kind, figures in [*result["http"]["kinds"].items(), ("all", cut)]:
        lines.append(
            f"| {kind} | {figures['p50']:.1f} | {figures['p95']:.1f} | {figures['max']:.1f} |"
        )
    lines += [
        "",
        "Load average of the machine (1 min) when the requests began and ended: "
        f"{result['load'][0]:.1f} and {result['load'][1]:.1f} (2 cores; other work ran).",
        "",
        f"Requests: {result['http']['requests']}, errors: {result['http']['errors']}; "
        f"slowest request of the warming round (first use of each cache): "
        f"{result['http']['slowest_first_ms']:.0f} ms.",
        "",
        "Instrument index, in a fresh interpreter: loading the dictionary "
        f"{build['dictionary_s']:.2f} s, importing the suggestion module (pypinyin) "
        f"{build['import_s']:.2f} s, building the index {build['build_s']:.2f} s. "
        "The server builds it on a background thread at start-up, so no request waits "
        "for it unless one comes within that time.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    size = int(os.environ.get("SUGGEST_SIZE", "") or 20000)
    rounds = int(os.environ.get("SUGGEST_ROUNDS", "") or 20)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"== suggestions at {size} commentaries", flush=True)
    data_dir = archive(size)
    result: dict[str, Any] = {
        "started": started,
        "machine": machine(),
        "size": size,
        "rounds": rounds,
        "index": _index_build(),
    }
    server = http_bench.Server(data_dir, workers=1)
    try:
        load = os.getloadavg()[0]
        result["http"] = _latencies(server.url, rounds)
        result["load"] = [load, os.getloadavg()[0]]
        result["server_ready_s"] = server.ready_seconds
    finally:
        server.stop()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "suggest.json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    (RESULTS / "suggest.md").write_text(_markdown(result))
    print(f"   p95 {result['http']['all']['p95']:.1f} ms; report: {RESULTS / 'suggest.md'}")


if __name__ == "__main__":
    main()
