"""Keep the index in step with the database, the source of truth.

An ``IndexTarget`` is the index one run writes to: the live index, or a new generation
when there is none, it is stale, or a rebuild was asked for. Ingest puts documents into
it as it stores them, with their terms computed ahead; ``finish`` then compares the
``(id, revision)`` pairs in the index with the database, indexes whatever still lags
(new, changed, or left behind by a crash between a database commit and an index
commit), deletes what the database no longer has, commits, and publishes a new
generation. A reindex is a new generation's target with nothing put into it.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, cast

from sqlalchemy.engine import Engine
from sqlalchemy.orm import QueryableAttribute, defer
from sqlmodel import Session, col, select
from whoosh.index import FileIndex

from app.models import Commentary, DatePrecision, Mention
from app.parallel import ProcessMap
from app.search import store
from app.search.schema import text_field
from app.search.terms import DocumentTerms, document_terms_chunk, key_words
from app.search.writer import Feeder

BATCH = 200
Progress = Callable[[int], None]
# Sort keys: the day ordinal, then the id; undated sorts as day 0 for "newest" and
# after every real day for "oldest", so it comes last either way.
_ID_SPAN = 10**9
_UNDATED_LAST = 10**7


@dataclass(frozen=True, slots=True)
class SyncReport:
    indexed: int
    deleted: int
    rebuilt: bool
    reason: str | None = None


class Indexable(Protocol):
    """What the index needs of a commentary (a ``Commentary`` row, or what ingest just
    wrote)."""

    @property
    def id(self) -> int | None: ...
    @property
    def revision(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def body(self) -> str: ...
    @property
    def source(self) -> str | None: ...
    @property
    def published(self) -> dt.date | None: ...
    @property
    def date_precision(self) -> str: ...
    @property
    def declared_ticker_list(self) -> list[str]: ...


def document_fields(commentary: Indexable, symbols: Iterable[str]) -> dict[str, Any]:
    """Every field of a commentary's index document; ``title`` and ``body`` hold text,
    to be analysed (or replaced by their terms, computed ahead)."""
    assert commentary.id is not None
    published = commentary.published
    day = published.toordinal() if published is not None else None
    fields: dict[str, Any] = {
        "id": str(commentary.id),
        "rev": commentary.revision,
        "title": commentary.title,
        "body": commentary.body,
        "tickers": ",".join(sorted(set(symbols) | set(commentary.declared_ticker_list))),
        "newest": (day or 0) * _ID_SPAN + commentary.id,
        "oldest": (day or _UNDATED_LAST) * _ID_SPAN + commentary.id,
    }
    if commentary.source:
        fields["source"] = commentary.source.casefold()
    if published is not None:
        last = published
        if commentary.date_precision == DatePrecision.MONTH:
            last = published.replace(day=calendar.monthrange(published.year, published.month)[1])
        fields["date_from"] = published.toordinal()
        fields["date_to"] = last.toordinal()
        fields["month"] = published.strftime("%Y-%m")
    return fields


def with_terms(fields: dict[str, Any], terms: DocumentTerms) -> dict[str, Any]:
    """``fields`` with their text replaced by its terms, and the body's key words."""
    return {**fields, "title": terms.title, "body": terms.body, "keys": terms.keys}


def with_text_keys(fields: dict[str, Any]) -> dict[str, Any]:
    """``fields`` holding text, with the body's key words as Whoosh's own analysis of
    it reads them (the writer analyses the text itself): the same as ``with_terms``
    stores."""
    return {**fields, "keys": key_words(text_field("body").index(fields["body"]))}


def fields_with_terms_chunk(chunk: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Index documents with their text replaced by its terms: work for a pool."""
    terms = document_terms_chunk([(f["title"], f["body"]) for f in chunk])
    return [with_terms(f, t) for f, t in zip(chunk, terms, strict=True)]


def mentioned_symbols(session: Session, ids: list[int]) -> dict[int, set[str]]:
    """The symbols each of ``ids`` mentions."""
    found: dict[int, set[str]] = defaultdict(set)
    rows = session.exec(
        select(Mention.commentary_id, Mention.symbol).where(col(Mention.commentary_id).in_(ids))
    )
    for commentary_id, symbol in rows:
        found[commentary_id].add(symbol)
    return found


def _documents(engine: Engine, ids: list[int]) -> Iterator[dict[str, Any]]:
    text_only = defer(cast(QueryableAttribute[Any], Commentary.raw_text))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        with Session(engine) as session:
            symbols = mentioned_symbols(session, chunk)
            rows = session.exec(
                select(Commentary).where(col(Commentary.id).in_(chunk)).options(text_only)
            )
            for commentary in rows:
                assert commentary.id is not None
                yield document_fields(commentary, symbols.get(commentary.id, ()))


def _db_revisions(engine: Engine) -> dict[int, int]:
    with Session(engine) as session:
        rows = session.exec(select(Commentary.id, Commentary.revision))
        return {int(i): rev for i, rev in rows if i is not None}


def _index_revisions(index: FileIndex) -> dict[int, int]:
    with index.searcher() as searcher:
        return {int(f["id"]): int(f["rev"]) for f in searcher.all_stored_fields()}


@dataclass
class IndexTarget:
    index_dir: Path
    index: FileIndex
    generation: Path | None  # a new generation, published by ``finish``
    reason: str | None
    in_index: dict[int, int] = field(default_factory=dict)  # id -> revision
    put_count: int = 0
    feeder: Feeder = field(init=False)

    def __post_init__(self) -> None:
        self.feeder = Feeder(self.index)

    def put(self, fields: dict[str, Any]) -> None:
        """Add or replace one document (``title``/``body`` as text or as terms)."""
        doc_id = int(fields["id"])
        if "keys" not in fields:
            fields = with_text_keys(fields)
        self.feeder.add(fields, replace=doc_id in self.in_index)
        self.in_index[doc_id] = int(fields["rev"])
        self.put_count += 1

    def finish(
        self,
        engine: Engine,
        pool: ProcessMap | None = None,
        progress: Progress | None = None,
        total: Progress | None = None,
    ) -> SyncReport:
        """Bring the index level with the database, commit, and publish; ``total`` is
        told how many documents that writes, ``progress`` of each one written."""
        try:
            in_db = _db_revisions(engine)
            lagging = sorted(i for i, rev in in_db.items() if self.in_index.get(i) != rev)
            if total:
                total(len(lagging))
            gone = sorted(set(self.in_index) - set(in_db))
            for doc_id in gone:
                self.feeder.delete(str(doc_id))
                del self.in_index[doc_id]
            docs = _documents(engine, lagging)
            if pool is not None:
                docs = pool.map(fields_with_terms_chunk, docs, size_hint=len(lagging))
            for fields in docs:
                self.put(fields)
                if progress:
                    progress(1)
            self.feeder.commit()
        except BaseException:
            self.cancel()
            raise
        if self.generation is not None:
            store.publish(self.index_dir, self.generation)
        return SyncReport(
            indexed=self.put_count,
            deleted=len(gone),
            rebuilt=self.generation is not None,
            reason=self.reason,
        )

    def cancel(self) -> None:
        self.feeder.cancel()
        if self.generation is not None:
            store.discard(self.generation)


def open_target(index_dir: Path, rebuild: bool = False) -> IndexTarget:
    """The live index, or a new generation when it is missing or stale or ``rebuild``.
    Call under the writer lock: it first removes what interrupted runs left unpublished."""
    notes: list[str] = []
    if index_dir.is_dir() and store.discard_unpublished(index_dir):
        notes.append("removed an unfinished index left by an interrupted run")
    if not rebuild:
        try:
            index = store.open_current(index_dir)
        except store.MissingIndex:
            notes.insert(0, "new index created")
        except store.StaleIndex as exc:
            notes.insert(0, f"rebuilt: the old index {exc.why}")
        else:
            in_index = _index_revisions(index)
            return IndexTarget(index_dir, index, None, _joined(notes), in_index)
    generation, created = store.create_generation(index_dir)
    return IndexTarget(index_dir, created, generation, _joined(notes))


def _joined(notes: list[str]) -> str | None:
    return "; ".join(notes) or None
