"""What an archive holds, in a form two archives of the same input can be compared by
(ids differ between them; origin keys do not), and whether its database and index agree:
as its engine's search finds them (any engine), and as Whoosh's stored fields hold them."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from sqlmodel import Session, select
from typer.testing import CliRunner

from app.cli import cli
from app.config import Settings, get_settings
from app.db import make_engine
from app.instruments import prepare_analysis
from app.models import Commentary, Mention
from app.search import SearchBackend, SearchRequest, open_backend, search
from app.search.whoosh import store
from tests.conftest import ROOT, UNBOUNDED
from tests.databases import archive_env

QUERIES = ("英伟达", "降息 OR 加息", "黄金 -美元", '"美联储"', "ticker:NVDA", "ticker:TSLA 特斯拉")

MentionRow = tuple[str, str, int, int, int]  # symbol, alias, start, end, paragraph


@dataclass(frozen=True)
class Stored:
    title: str
    published: dt.date | None
    date_precision: str
    content_hash: str
    mentions: tuple[MentionRow, ...]


@dataclass(frozen=True)
class Snapshot:
    commentaries: dict[str, Stored]  # by origin key
    searches: dict[str, frozenset[str]]  # query -> origin keys of every hit


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


def archive(settings: Settings, *arguments: str | Path, fault: str | None = None) -> Ran:
    """``archive …`` on ``settings``' archive: in this process, or with ``fault`` in a
    child process (and process group) killed at that point (see tests.ingest.faults)."""
    env = {**archive_env(settings), "COLUMNS": "400"}
    if fault is None:
        with _environment(env):
            get_settings.cache_clear()
            try:
                result = CliRunner().invoke(cli, [str(a) for a in arguments])
            finally:
                get_settings.cache_clear()
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Ran(result.exit_code, result.stdout, result.stderr)
    entry = "from tests.ingest.faults import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", entry, fault, *(str(a) for a in arguments)],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        start_new_session=True,
    )
    return Ran(done.returncode, done.stdout, done.stderr)


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def db_ids(settings: Settings) -> dict[int, int]:
    """Every commentary id in the database, with its revision."""
    engine = make_engine(settings)
    try:
        with Session(engine) as session:
            return dict(session.exec(select(Commentary.id, Commentary.revision)).all())  # type: ignore[arg-type]
    finally:
        engine.dispose()


def index_documents(settings: Settings) -> list[dict[str, str]]:
    """The stored fields of every live document of the live index (duplicates kept)."""
    prepare_analysis(None)  # the dictionary the index was built with, to open it
    index = store.open_current(settings.resolved_index_dir)
    try:
        with index.searcher() as searcher:
            return list(searcher.all_stored_fields())
    finally:
        index.close()


def tagged(settings: Settings) -> dict[int, tuple[int, frozenset[str]]]:
    """Every commentary id in the database, with its revision and the symbols its stored
    mentions and declared tickers name."""
    engine = make_engine(settings)
    try:
        with Session(engine) as session:
            rows = session.exec(select(Commentary)).all()
            symbols: dict[int, set[str]] = defaultdict(set)
            for commentary_id, symbol in session.exec(
                select(Mention.commentary_id, Mention.symbol)
            ):
                symbols[commentary_id].add(symbol)
    finally:
        engine.dispose()
    return {
        c.id: (c.revision, frozenset(symbols[c.id] | set(c.declared_ticker_list)))
        for c in rows
        if c.id is not None
    }


def assert_agreement(settings: Settings) -> None:
    """Search and the database agree (``assert_search_agrees``); on Whoosh, its index also
    stores each commentary once, at its revision, with the tickers the database names."""
    if settings.search_backend == "whoosh":
        documents = index_documents(settings)
        counted = Counter(int(d["id"]) for d in documents)
        assert [i for i, n in counted.items() if n > 1] == []
        expected = {i: (rev, ",".join(sorted(s))) for i, (rev, s) in tagged(settings).items()}
        found = {int(d["id"]): (int(d["rev"]), d["tickers"]) for d in documents}
        assert found == expected
    assert_search_agrees(settings)


def every_hit(index: SearchBackend, request: SearchRequest) -> list[int]:
    """The ids of every hit of ``request`` (page by page, 500 at a time), with no names
    to expand (a symbol finds itself only)."""
    found: list[int] = []
    for number in range(1, 10_000):
        page = search(index, replace(request, page=number, per_page=500), budget=UNBOUNDED)
        assert not page.partial and page.total_exact
        found += [hit.id for hit in page.hits]
        if len(page.hits) < 500:
            break
    assert len(found) == len(set(found)) == page.total, request
    return found


def assert_search_agrees(settings: Settings) -> None:
    """Search as the archive's engine answers it finds what the database holds, and
    nothing else: the engine knows each commentary at its revision, the listing of
    every commentary is the database's, and each symbol's filter finds exactly the
    commentaries tagged with it."""
    expected = tagged(settings)
    index = open_backend(settings)
    try:
        status = index.status()
        assert (status.problem, status.documents) == (None, len(expected))
        assert index.revisions() == {i: rev for i, (rev, _) in expected.items()}
        assert sorted(every_hit(index, SearchRequest())) == sorted(expected)
        symbols = sorted({s for _, tags in expected.values() for s in tags})
        found = {s: set(every_hit(index, SearchRequest(tickers=(s,)))) for s in symbols}
    finally:
        index.close()
    assert found == {s: {i for i, (_, tags) in expected.items() if s in tags} for s in symbols}


def snapshot(settings: Settings) -> Snapshot:
    engine = make_engine(settings)
    try:
        with Session(engine) as session:
            mentions: dict[int, list[MentionRow]] = defaultdict(list)
            for m in session.exec(select(Mention)):
                mentions[m.commentary_id].append((m.symbol, m.alias, m.start, m.end, m.paragraph))
            keys: dict[int, str] = {}
            stored: dict[str, Stored] = {}
            for c in session.exec(select(Commentary)):
                assert c.id is not None
                keys[c.id] = c.origin_key
                stored[c.origin_key] = Stored(
                    c.title,
                    c.published,
                    c.date_precision,
                    c.content_hash,
                    tuple(sorted(mentions[c.id])),
                )
    finally:
        engine.dispose()
    index = open_backend(settings)
    dictionary = prepare_analysis(None)
    searches = {}
    try:
        for query in QUERIES:
            found: list[str] = []
            for number in range(1, 100):
                request = SearchRequest(text=query, page=number, per_page=100)
                page = search(index, request, dictionary, budget=UNBOUNDED)
                assert not page.partial
                found += [keys[hit.id] for hit in page.hits]
                if len(found) >= page.total:
                    break
            assert len(found) == len(set(found)) == page.total, query
            searches[query] = frozenset(found)
    finally:
        index.close()
    return Snapshot(stored, searches)
