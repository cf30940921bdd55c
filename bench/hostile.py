"""The budget check: queries written to be as costly as the syntax allows, timed
through the web app's search function, then sent to the real server while a light
stream of other requests measures whether the site keeps answering.

The three hostile queries: the 32 commonest words of the mix's vocabulary (AND of
all), four broad wildcards on common characters, and an OR three levels deep of the
four commonest words. Every search runs with the archive's default budget (1 s on
the reference machine, scaled by the run's yardstick and passed in
``ARCHIVE_SEARCH_BUDGET``); ``partial`` says whether the search stopped at it.

    python -m bench.hostile direct DATA_DIR CORPUS.jsonl BUDGET_S OUT.json
    python -m bench.hostile storm DATA_DIR CORPUS.jsonl BUDGET_S OUT.json
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.measure import percentiles
from bench.queries import ALIASES, PAIRS, PHRASES, TRADITIONAL, WORDS, Query

BUDGET_ENV = "ARCHIVE_SEARCH_BUDGET"
WILDCARDS = "股* 市* 美* 资*"
SAMPLE = 2000  # commentaries of the corpus counted for the vocabulary's frequencies
ROUNDS = 3  # timed runs of each hostile query through the function
STORM_CLIENTS = 4
QUIET_SECONDS = 10
STORM_SECONDS = 20
LIGHT_PATH = "/timeline/2025"
LIGHT_PAUSE = 0.1  # seconds between two requests of the light stream


def commonest(corpus: Path, count: int) -> list[str]:
    """The ``count`` index words of the mix found in the most commentaries of the
    corpus's first ``SAMPLE`` (as substrings of the text: a rough count is enough to
    rank). Only words the analyzer keeps whole count, each once, so the query holds
    exactly ``count`` words."""
    from app.instruments import prepare_analysis
    from app.search import words
    from app.text.normalize import fold

    prepare_analysis(None)
    typed = (*WORDS, *PAIRS, *PHRASES, *ALIASES, *TRADITIONAL)
    vocabulary: dict[str, None] = {}
    for word in (w for text in typed for w in text.split()):
        tokens = [token for _, token, _, _ in words(fold(word))]
        if len(tokens) == 1 and not tokens[0].isascii():
            vocabulary.setdefault(tokens[0])
    found: Counter[str] = Counter()
    with corpus.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh):
            if number == SAMPLE:
                break
            found.update(w for w in vocabulary if w in line)
    return [w for w, _ in found.most_common(count)]


def queries(corpus: Path) -> dict[str, str]:
    words = commonest(corpus, 32)
    a, b, c, d = words[:4]
    return {
        "32 common words": " ".join(words),
        "4 broad wildcards": WILDCARDS,
        "3-deep OR": f"({a} OR ({b} OR ({c} OR {d})))",
    }


def direct(data_dir: Path, corpus: Path) -> dict[str, Any]:
    """Each hostile query through the search function: seconds (median of ``ROUNDS``,
    and the slowest), whether it came back partial, and its total."""
    from bench.search_bench import archive_runner

    one = archive_runner(data_dir)
    one(Query("word", "降息"))  # warm: searcher open, caches filled
    found: dict[str, Any] = {}
    for name, text in queries(corpus).items():
        seconds = []
        pages = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            pages.append(one(Query("hostile", text)))
            seconds.append(time.perf_counter() - started)
        page = pages[-1]
        found[name] = {
            "query": text,
            "seconds": statistics.median(seconds),
            "max_seconds": max(seconds),
            "partial": page.partial,
            "total": page.total,
            "total_exact": page.total_exact,
        }
    return found


def _get(url: str, timeout: float = 30) -> tuple[float, bool]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            ok = response.status == 200
    except (urllib.error.URLError, OSError):
        ok = False
    return (time.perf_counter() - started) * 1000, ok


def _light(base: str, until: float, out: list[float], errors: list[int]) -> None:
    while time.perf_counter() < until:
        ms, ok = _get(base + LIGHT_PATH)
        out.append(ms)
        if not ok:
            errors.append(1)
        time.sleep(LIGHT_PAUSE)


def _hostile(
    base: str, paths: list[str], until: float, out: list[float], errors: list[int]
) -> None:
    i = 0
    while time.perf_counter() < until:
        ms, ok = _get(base + paths[i % len(paths)])
        i += 1
        out.append(ms)
        if not ok:
            errors.append(1)


def _cut(values: list[float], errors: list[int]) -> dict[str, Any]:
    return {**percentiles(values or [0.0]), "requests": len(values), "errors": len(errors)}


def storm(data_dir: Path, corpus: Path, workers: int = 2) -> dict[str, Any]:
    """The light stream's latency alone, then beside ``STORM_CLIENTS`` clients sending
    hostile searches back to back."""
    from bench.http_bench import Server

    paths = ["/search?" + urlencode({"q": text}) for text in queries(corpus).values()]
    server = Server(data_dir, workers)
    try:
        _get(server.url + LIGHT_PATH)
        quiet: list[float] = []
        quiet_errors: list[int] = []
        _light(server.url, time.perf_counter() + QUIET_SECONDS, quiet, quiet_errors)
        light: list[float] = []
        light_errors: list[int] = []
        heavy: list[float] = []
        heavy_errors: list[int] = []
        until = time.perf_counter() + STORM_SECONDS
        threads = [
            threading.Thread(
                target=_hostile,
                args=(server.url, paths[i:] + paths[:i], until, heavy, heavy_errors),
            )
            for i in range(STORM_CLIENTS)
        ]
        threads.append(
            threading.Thread(target=_light, args=(server.url, until, light, light_errors))
        )
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.stop()
    return {
        "workers": workers,
        "clients": STORM_CLIENTS,
        "seconds": STORM_SECONDS,
        "quiet": _cut(quiet, quiet_errors),
        "storm": _cut(light, light_errors),
        "hostile": _cut(heavy, heavy_errors),
    }


if __name__ == "__main__":
    mode, where, source, budget, out = sys.argv[1:6]
    os.environ[BUDGET_ENV] = budget
    if mode == "direct":
        result = direct(Path(where), Path(source))
    else:
        result = storm(Path(where), Path(source))
    Path(out).write_text(json.dumps(result, ensure_ascii=False))
