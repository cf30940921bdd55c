"""An ingest of 2,000 commentaries while a running server answers searches: no request
fails, no result shows a commentary before all of it is stored, and the server finds
the new commentaries once the ingest has committed, without a restart."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session

from app.config import Settings
from app.db import make_engine
from app.ingest import ingest
from app.web.queries.commentaries import tickers_of
from bench import corpus
from tests.conftest import ROOT, SEEDS, TODAY, Metric
from tests.databases import archive_env
from tests.ingest.archive_state import assert_agreement, db_ids
from tests.server import serving

ADDED = 2000
BODY_CHARS = 600
PAUSE = 0.05  # between rounds of requests, leaving the ingest some of the two cores
QUERIES = ("英伟达", "降息 OR 加息", "ticker:NVDA", "黄金", "")
VISIBLE_WITHIN = 5.0  # seconds after the ingest ends; the server looks every second


@dataclass
class Observed:
    requests: int = 0
    failures: list[str] = field(default_factory=list)
    # Every commentary a response showed, with the tickers it showed for it.
    tickers: dict[int, set[tuple[str, ...]]] = field(default_factory=dict)
    mentions: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    totals: dict[str, list[int]] = field(default_factory=dict)


def _get(url: str) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def _search(base: str, query: str, observed: Observed) -> int:
    params = urllib.parse.urlencode({"q": query, "per_page": 50, "sort": "newest"})
    status, body = _get(f"{base}/api/search?{params}")
    observed.requests += 1
    if status != 200:
        observed.failures.append(f"search {query!r}: {status} {body}")
        return -1
    for hit in body["hits"]:
        observed.tickers.setdefault(hit["id"], set()).add(tuple(hit["tickers"]))
    if body["total_exact"]:
        # Not a lower bound (a search out of time while counting): totals can be compared.
        observed.totals.setdefault(query, []).append(body["total"])
    return int(body["total"])


def _newest_in_full(base: str, observed: Observed) -> None:
    """The newest stored commentary as its page would show it, mentions and all."""
    status, body = _get(f"{base}/api/commentaries?per_page=1&page=1")
    observed.requests += 1
    if status != 200 or not body["items"]:
        observed.failures.append(f"list: {status} {body}")
        return
    newest = body["items"][0]["id"]
    status, body = _get(f"{base}/api/commentaries/{newest}")
    observed.requests += 1
    if status != 200:
        observed.failures.append(f"commentary {newest}: {status} {body}")
        return
    observed.mentions[newest] = body["mentions"]


def _load(base: str, stop: threading.Event, observed: Observed) -> None:
    while not stop.is_set():
        for query in QUERIES:
            _search(base, query, observed)
        _newest_in_full(base, observed)
        stop.wait(PAUSE)


def test_searching_while_2000_commentaries_are_ingested(
    settings: Settings, tmp_path: Path, metric: Metric
) -> None:
    assert ingest(settings, [SEEDS], today=TODAY).counts["added"] == 5
    inputs = tmp_path / "corpus.jsonl"
    with inputs.open("w", encoding="utf-8") as out:
        for number in range(ADDED):
            record = corpus.commentary(number)
            record["body"] = str(record["body"])[:BODY_CHARS]
            out.write(json.dumps(record, ensure_ascii=False) + "\n")

    observed = Observed()
    stop = threading.Event()
    with serving(settings, tmp_path / "server.log") as base:
        before = _search(base, "", observed)
        assert before == 5
        loader = threading.Thread(target=_load, args=(base, stop, observed))
        loader.start()
        try:
            started = time.monotonic()
            done = subprocess.run(
                [sys.executable, "-m", "app.cli", "ingest", str(inputs)],
                cwd=ROOT,
                env={**os.environ, **archive_env(settings)},
                capture_output=True,
                text=True,
                timeout=900,
            )
            ended = time.monotonic()
            assert done.returncode == 0, done.stderr
            while _search(base, "", observed) != 5 + ADDED:
                assert time.monotonic() - ended < VISIBLE_WITHIN, observed.totals[""][-3:]
                time.sleep(0.1)
            visible_after = time.monotonic() - ended
        finally:
            stop.set()
            loader.join(timeout=120)
        final = {query: _search(base, query, observed) for query in QUERIES}
        in_full = {}
        for commentary_id in observed.mentions:
            status, body = _get(f"{base}/api/commentaries/{commentary_id}")
            assert status == 200
            in_full[commentary_id] = body

    assert observed.failures == []
    assert len(db_ids(settings)) == 5 + ADDED
    assert_agreement(settings)
    # A commentary was shown only once stored whole: the same tickers (most mentioned
    # first, so mention counts too) and mentions as now, in every response.
    engine = make_engine(settings)
    with Session(engine) as session:
        now = tickers_of(session, sorted(observed.tickers))
    engine.dispose()
    assert observed.tickers == {i: {tuple(symbols)} for i, symbols in now.items()}
    assert {i: in_full[i]["mentions"] for i in observed.mentions} == observed.mentions
    # Searches saw the archive grow, never shrink, and end at what it holds.
    for query, totals in observed.totals.items():
        assert totals == sorted(totals), query
        assert totals[-1] == final[query], query
    assert final[""] == 5 + ADDED
    assert len(observed.totals[""]) > 3  # the ingest overlapped the searches
    metric(
        "ingest of 2,000 while serving",
        f"{ended - started:.1f} s, {observed.requests} requests, 0 failed, "
        f"new commentaries searchable {visible_after:.1f} s after the ingest ended",
    )
