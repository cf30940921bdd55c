"""The peer the archive's search is compared with: SQLite FTS5 over the same words.

What a Datasette user would build: one FTS5 table holding each commentary's title,
body, tickers and source, ranked by bm25, answering a page of 20 and ``count(*)``.
Both engines see the same words: the text is the archive's own (read from its
database), folded and cut by ``app.search.analyzer.words`` (jieba in accurate mode,
the archive's dictionary), and stored space-separated. FTS5's ``unicode61``
tokenizer keeps such words whole: CJK characters are letters to it, so only the
spaces split them, and ``tokenchars`` keeps the joiners of Latin words (``brk.b``,
``0700.hk``) inside them. The dictionary sub-words the archive indexes at their
parent's position (波动率 in 隐含波动率) go to a column of their own, since FTS5 cannot
put two tokens at one position without a tokenizer written in C: a single word is
looked for there too, a phrase only in the title and body, whose positions stay
those of the archive.

Queries are the archive's planned criteria (``bench.planned.criterion``): words and
phrases become FTS5 phrases in ``{title body}``, names ``tickers`` terms, date bounds
a ``WHERE`` on a table of date ranges; scores weight the title twice, as the archive
does.

    python -m bench.fts5_peer build ARCHIVE_DATA_DIR PEER_DIR   (prints its figures)
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import multiprocessing
import sqlite3
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from app.search.criteria import (
    AllOf,
    AnyOf,
    Criterion,
    During,
    Nothing,
    Prefix,
    Source,
    Tagged,
    Without,
    Words,
)
from bench.queries import Query

DB = "peer.sqlite3"
PAGE = 20
WORKERS = 2
TOKENIZE = "unicode61 remove_diacritics 0 tokenchars '.&+-_'''"
RANK = "bm25(2.0, 1.0, 1.0, 1.0, 0.0)"  # title, body, sub-words, tickers, source
_UNDATED = 0


def _start(data_dir: str) -> None:
    from app.instruments import prepare_analysis

    prepare_analysis(Path(data_dir))


def _segment(row: tuple[int, str, str]) -> tuple[int, str, str, str]:
    """The title's and the body's words, and their sub-words apart."""
    from app.search import words
    from app.text.normalize import fold

    ident, title, body = row
    cut: list[str] = []
    extra: list[str] = []
    for text in (title, body):
        main: list[str] = []
        last = -1
        for position, token, _, _ in words(fold(text), subwords=True):
            (extra if position == last else main).append(token)
            last = position
        cut.append(" ".join(main))
    return ident, cut[0], cut[1], " ".join(extra)


def _last_day(published: str | None, precision: str) -> str | None:
    if published is None or precision != "month":
        return published
    day = dt.date.fromisoformat(published)
    return day.replace(day=calendar.monthrange(day.year, day.month)[1]).isoformat()


def _rows(archive: sqlite3.Connection) -> Iterator[tuple[int, str, str]]:
    yield from archive.execute("SELECT id, title, body FROM commentary ORDER BY id")


def build(data_dir: Path, peer_dir: Path) -> dict[str, Any]:
    """Build the peer from the archive in ``data_dir``: segmentation in a pool of two
    processes (timed apart), then the FTS5 table (the build time)."""
    peer_dir.mkdir(parents=True, exist_ok=True)
    (peer_dir / DB).unlink(missing_ok=True)
    # The pool reads the rows from a thread of its own.
    archive = sqlite3.connect(data_dir / "archive.sqlite3", check_same_thread=False)
    tickers: dict[int, set[str]] = defaultdict(set)
    for ident, symbol in archive.execute("SELECT commentary_id, symbol FROM mention"):
        tickers[ident].add(symbol)
    meta = {}
    for ident, published, precision, source, declared in archive.execute(
        "SELECT id, published, date_precision, source, declared_tickers FROM commentary"
    ):
        tickers[ident].update(s for s in (declared or "").split(",") if s)
        meta[ident] = (published, _last_day(published, precision), (source or "").casefold())
    started = time.perf_counter()
    context = multiprocessing.get_context("fork")
    with context.Pool(WORKERS, initializer=_start, initargs=(str(data_dir),)) as pool:
        cut = list(pool.imap(_segment, _rows(archive), chunksize=16))
    segmented = time.perf_counter() - started
    archive.close()

    started = time.perf_counter()
    write(
        peer_dir / DB,
        (
            (ident, title, body, extra, " ".join(sorted(tickers[ident])), meta[ident][2])
            for ident, title, body, extra in cut
        ),
        ((ident, m[0], m[1]) for ident, m in meta.items()),
    )
    built = time.perf_counter() - started
    return {
        "docs": len(cut),
        "segment_seconds": segmented,
        "build_seconds": built,
        "db_mb": (peer_dir / DB).stat().st_size / 2**20,
    }


Row = tuple[int, str, str, str, str, str]  # id, title, body, sub-words, tickers, source


def write(
    path: Path, rows: Iterable[Row], dates: Iterable[tuple[int, str | None, str | None]]
) -> None:
    """The peer's database: the FTS5 table of words, and each commentary's date range
    (ISO days; None when undated) with its newest-first key."""
    db = sqlite3.connect(path)
    db.execute(
        "CREATE VIRTUAL TABLE doc USING fts5(title, body, extra, tickers, source, "
        f'tokenize="{TOKENIZE}")'
    )
    db.execute("CREATE TABLE dates (id INTEGER PRIMARY KEY, first TEXT, last TEXT, newest INT)")
    with db:
        db.executemany(
            "INSERT INTO doc (rowid, title, body, extra, tickers, source) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )
        db.executemany(
            "INSERT INTO dates VALUES (?, ?, ?, ?)",
            ((ident, first, last, _newest(ident, first)) for ident, first, last in dates),
        )
        db.execute("CREATE INDEX dates_newest ON dates (newest)")
        db.execute("INSERT INTO doc (doc) VALUES ('optimize')")
        db.execute("INSERT INTO doc (doc, rank) VALUES ('rank', ?)", (RANK,))
    db.close()


def _newest(ident: int, published: str | None) -> int:
    day = dt.date.fromisoformat(published).toordinal() if published else _UNDATED
    return day * 10**9 + ident


class Unsupported(ValueError):
    """A criterion FTS5's MATCH cannot say (a date bound below the top level)."""


def _phrase(words: tuple[str, ...]) -> str:
    return '"' + " ".join(w.replace('"', '""') for w in words) + '"'


def match(criterion: Criterion) -> str:
    """The FTS5 MATCH expression of a criterion without date bounds."""
    if isinstance(criterion, Words):
        where = "{title body extra}" if len(criterion.words) == 1 else "{title body}"
        return f"{where} : " + _phrase(criterion.words)
    if isinstance(criterion, Prefix):
        return "{title body extra} : " + _phrase((criterion.stem,)) + " *"
    if isinstance(criterion, Tagged):
        return "tickers : (" + " OR ".join(_phrase((s,)) for s in criterion.symbols) + ")"
    if isinstance(criterion, Source):
        return "source : " + _phrase(tuple(criterion.value.split()))
    if isinstance(criterion, AnyOf):
        return "(" + " OR ".join(match(part) for part in criterion.parts) + ")"
    if isinstance(criterion, AllOf):
        positive = [p for p in criterion.parts if not isinstance(p, Without)]
        negative = [p.part for p in criterion.parts if isinstance(p, Without)]
        if not positive:
            raise Unsupported("a conjunction of exclusions only")
        text = "(" + " AND ".join(match(part) for part in positive) + ")"
        return text + "".join(f" NOT {match(part)}" for part in negative)
    raise Unsupported(type(criterion).__name__)


def _split(criterion: Criterion | None) -> tuple[Criterion | None, list[During]]:
    """The criterion without its top-level date bounds, and those bounds."""
    if isinstance(criterion, During):
        return None, [criterion]
    if isinstance(criterion, AllOf):
        dates = [p for p in criterion.parts if isinstance(p, During)]
        rest = [p for p in criterion.parts if not isinstance(p, During)]
        if not rest:
            return None, dates
        return (rest[0] if len(rest) == 1 else AllOf(tuple(rest))), dates
    return criterion, []


class Peer:
    def __init__(self, peer_dir: Path) -> None:
        self.db = sqlite3.connect(peer_dir / DB, check_same_thread=False)

    def search(self, criterion: Criterion | None, newest: bool = False) -> tuple[list[int], int]:
        """The top page's ids and the total."""
        if isinstance(criterion, Nothing):
            return [], 0
        rest, dates = _split(criterion)
        where: list[str] = []
        params: list[Any] = []
        for bound in dates:
            if bound.start is not None:
                where.append("dates.last >= ?")
                params.append(bound.start.isoformat())
            if bound.end is not None:
                where.append("dates.first <= ?")
                params.append(bound.end.isoformat())
        negated = isinstance(rest, Without)
        if rest is None or negated:
            if isinstance(rest, Without):
                where.append("dates.id NOT IN (SELECT rowid FROM doc WHERE doc MATCH ?)")
                params.append(match(rest.part))
            clause = " WHERE " + " AND ".join(where) if where else ""
            base, order = f"FROM dates{clause}", "dates.newest DESC"
        elif not where and not newest:
            # The common case as FTS5 is meant to run it: no join, its own rank order.
            base, order = "FROM doc WHERE doc MATCH ?", "rank"
            params = [match(rest)]
        else:
            where.insert(0, "doc MATCH ?")
            params.insert(0, match(rest))
            base = "FROM doc JOIN dates ON dates.id = doc.rowid WHERE " + " AND ".join(where)
            order = "dates.newest DESC" if newest else "doc.rank"
        page = f"SELECT {'doc.rowid' if base.startswith('FROM doc') else 'dates.id'} {base}"
        ids = [r[0] for r in self.db.execute(f"{page} ORDER BY {order} LIMIT {PAGE}", params)]
        total = self.db.execute(f"SELECT count(*) {base}", params).fetchone()[0]
        return ids, int(total)


def runner(peer_dir: Path, data_dir: Path) -> Callable[[Query], int]:
    """A query of the mix through the peer, planned (jieba on the query) inside the
    timing as the archive's own search is; returns the total."""
    from app.instruments import prepare_analysis
    from bench.planned import criterion

    names = prepare_analysis(data_dir)
    peer = Peer(peer_dir)

    def one(query: Query) -> int:
        newest = query.options.get("sort") == "newest"
        return peer.search(criterion(query.text, names), newest)[1]

    return one


if __name__ == "__main__":
    if sys.argv[1] == "build":
        print(json.dumps(build(Path(sys.argv[2]), Path(sys.argv[3]))))
