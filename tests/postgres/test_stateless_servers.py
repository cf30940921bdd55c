"""Two ``archive serve`` processes on different ports, one PostgreSQL database, the
postgres search engine and no index folder anywhere: while an ingest runs, a client
searches both servers all the time, no request fails, and every commentary the ingest
commits is found by a full-text search on both within a second of its commit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from app.ingest import ingest
from bench import corpus
from tests.conftest import ROOT, SEEDS, TODAY, Metric
from tests.databases import archive_env, archive_settings
from tests.server import serving

pytestmark = pytest.mark.postgresql

ADDED = 300
BODY_CHARS = 600
COMMIT_EVERY = 25  # records per database commit: many commits, each checked
# An ASCII word every added commentary ends with, and no other holds: searching it counts
# the added commentaries a server finds by their text.
PROBE = "batchprobe"
OTHER_QUERIES = ("英伟达", "降息 OR 加息", "ticker:NVDA", "", '"美联储"')
VISIBLE_WITHIN = 1.0  # seconds after the commit
WATCH_EVERY = 0.01  # seconds between looks at the database
PAUSE = 0.02  # between a client's requests, leaving the ingest some of the two cores
# The ingest with small commits (as tests.ingest.faults makes them).
INGEST = (
    "import sys; from app.ingest import pipeline; pipeline.COMMIT_EVERY = {every}; "
    "from app.cli import main; sys.argv = ['archive', 'ingest', {path!r}]; main()"
)


@dataclass
class Client:
    """What one server answered."""

    base: str
    requests: int = 0
    failures: list[str] = field(default_factory=list)
    # (sent, answered, total) of every search for the probe word
    probes: list[tuple[float, float, int]] = field(default_factory=list)

    def get(self, path: str, **params: Any) -> Any:
        url = f"{self.base}{path}?{urllib.parse.urlencode(params)}"
        self.requests += 1
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                return json.loads(response.read())
        except (OSError, ValueError) as exc:
            detail = exc.read().decode("utf-8", "replace") if hasattr(exc, "read") else ""
            self.failures.append(f"{url}: {exc!r} {detail}")
            return None

    def probe(self) -> int | None:
        sent = time.monotonic()
        answer = self.get("/api/search", q=PROBE, per_page=1)
        if answer is None:
            return None
        self.probes.append((sent, time.monotonic(), answer["total"]))
        return int(answer["total"])

    def run(self, stop: threading.Event) -> None:
        turn = 0
        while not stop.is_set():
            self.probe()
            self.get("/api/search", q=OTHER_QUERIES[turn % len(OTHER_QUERIES)], per_page=20)
            turn += 1
            stop.wait(PAUSE)

    def found(self) -> set[int]:
        """Every commentary the probe word finds, page by page."""
        ids: list[int] = []
        for page in range(1, ADDED // 100 + 2):
            answer = self.get("/api/search", q=PROBE, per_page=100, page=page, sort="oldest")
            assert answer is not None, self.failures
            ids += [hit["id"] for hit in answer["hits"]]
        assert len(ids) == len(set(ids))
        return set(ids)


@dataclass
class Commits:
    """When the database was first seen holding each count of added commentaries."""

    seen: list[tuple[float, int]] = field(default_factory=list)

    def watch(self, url: str, stop: threading.Event) -> None:
        engine = create_engine(url)
        count = "SELECT count(*) FROM commentary WHERE body LIKE :probe"
        try:
            with engine.connect() as conn:
                last = -1
                while not stop.is_set():
                    now = int(conn.execute(text(count), {"probe": f"%{PROBE}%"}).scalar_one())
                    conn.rollback()  # the next look sees what was committed since
                    if now != last:
                        self.seen.append((time.monotonic(), now))
                        last = now
                    stop.wait(WATCH_EVERY)
        finally:
            engine.dispose()


def _inputs(folder: Path) -> Path:
    path = folder / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for number in range(ADDED):
            record = corpus.commentary(number)
            record["body"] = f"{str(record['body'])[:BODY_CHARS]}\n{PROBE}"
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def _lags(commits: Commits, client: Client) -> list[float]:
    """For each count the database was seen holding, how long after that the server
    first answered with at least as many (it must have, by the end)."""
    lags = []
    for seen, count in commits.seen:
        answered = [done for _, done, total in client.probes if total >= count]
        assert answered, (client.base, count)
        lags.append(min(answered) - seen)
    return lags


def _index_folders(*roots: Path) -> list[Path]:
    return [p for root in roots if root.exists() for p in root.rglob("*") if p.name == "index"]


def test_two_servers_without_index_files_find_what_an_ingest_commits(
    tmp_path: Path, metric: Metric
) -> None:
    settings = archive_settings(tmp_path / "ingest", search_backend="postgres")
    assert settings.database_url is not None
    assert ingest(settings, [SEEDS], today=TODAY).counts["added"] == 5
    inputs = _inputs(tmp_path)
    # Each web process has a data folder of its own, which it is not given anything in.
    webs = [settings.model_copy(update={"data_dir": tmp_path / f"web{n}"}) for n in (1, 2)]

    commits = Commits()
    stop = threading.Event()
    with (
        serving(webs[0], tmp_path / "web1.log") as first,
        serving(webs[1], tmp_path / "web2.log") as second,
    ):
        assert first != second
        clients = [Client(first), Client(second)]
        assert [c.probe() for c in clients] == [0, 0]
        threads = [threading.Thread(target=c.run, args=(stop,)) for c in clients]
        threads.append(threading.Thread(target=commits.watch, args=(settings.database_url, stop)))
        for thread in threads:
            thread.start()
        try:
            started = time.monotonic()
            done = subprocess.run(
                [sys.executable, "-c", INGEST.format(every=COMMIT_EVERY, path=str(inputs))],
                cwd=ROOT,
                env={**os.environ, **archive_env(settings)},
                capture_output=True,
                text=True,
                timeout=600,
            )
            ended = time.monotonic()
            assert done.returncode == 0, done.stderr
            # Until both servers have answered for the last commit.
            while any(not c.probes or c.probes[-1][2] < ADDED for c in clients):
                assert time.monotonic() - ended < 10, [c.probes[-1:] for c in clients]
                time.sleep(0.05)
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=60)
        found = [c.found() for c in clients]
        listed = [c.get("/api/search", q="", per_page=1) for c in clients]

    assert [c.failures for c in clients] == [[], []]
    engine = create_engine(settings.database_url)
    with engine.connect() as conn:
        added = set(
            conn.execute(
                text("SELECT id FROM commentary WHERE body LIKE :p"), {"p": f"%{PROBE}%"}
            ).scalars()
        )
    engine.dispose()
    assert len(added) == ADDED
    assert found == [added, added]
    assert [answer["total"] for answer in listed] == [5 + ADDED, 5 + ADDED]
    # The database was seen at many counts along the way, the last of them all.
    counts = [count for _, count in commits.seen]
    assert counts == sorted(counts) and counts[-1] == ADDED
    assert len(counts) >= ADDED // COMMIT_EVERY // 2
    # Neither server ever found more than the database held at that moment's commits.
    for client in clients:
        totals = [total for _, _, total in client.probes]
        assert totals == sorted(totals), client.base
        assert set(totals) <= {0, *counts}, client.base
    lags = [_lags(commits, c) for c in clients]
    assert all(max(lag) <= VISIBLE_WITHIN for lag in lags), lags
    assert _index_folders(tmp_path) == []
    assert not settings.resolved_index_dir.exists()
    assert not any(web.resolved_index_dir.exists() for web in webs)
    metric(
        f"two servers while ingesting {ADDED} on postgres",
        f"ingest {ended - started:.1f} s in {len(counts) - 1} commits seen, "
        f"{sum(c.requests for c in clients)} requests, 0 failed; a commit searchable "
        f"after at most {max(lags[0]):.2f} s on one server, {max(lags[1]):.2f} s on the other",
    )
