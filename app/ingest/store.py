"""Store one analysed record: add, update, move, or refuse it, with its mentions."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert
from sqlmodel import Session, col, select

from app.ingest.analyse import Analysed, Analysis
from app.ingest.limits import Limits
from app.ingest.prepare import Prepared
from app.ingest.readers import Record, current_fingerprints
from app.ingest.report import FileResult
from app.instruments import Dictionary, Found, learned_instrument
from app.models import Commentary, Instrument, Mention, Outcome, utcnow
from app.search import Indexable, RowWriter, document


@dataclass(frozen=True, slots=True)
class Added:
    """A commentary just inserted, as the index needs it (no ORM object is made)."""

    id: int
    revision: int
    title: str
    body: str
    source: str | None
    published: dt.date | None
    date_precision: str
    declared_tickers: str

    @property
    def declared_ticker_list(self) -> list[str]:
        return [t for t in self.declared_tickers.split(",") if t]


@dataclass(frozen=True, slots=True)
class Stored:
    result: FileResult
    # The commentary when its indexed content may have changed (added or updated).
    changed: Indexable | None = None


_COMMENTARIES = Commentary.__table__  # type: ignore[attr-defined]
# Built once: a statement made per row would be compiled per row.
_INSERT_COMMENTARY = insert(_COMMENTARIES).returning(_COMMENTARIES.c.id)
_INSERT_MENTION = insert(Mention.__table__)  # type: ignore[attr-defined]
_INSERT_INSTRUMENT = insert(Instrument.__table__)  # type: ignore[attr-defined]


class RecordStore:
    """Writes records into one session. A record is stored or refused alone (savepoint)."""

    def __init__(
        self,
        session: Session,
        dictionary: Dictionary,
        limits: Limits,
        rows: RowWriter | None = None,
    ) -> None:
        self.session = session
        # The search engine's rows, when they are written with the commentary.
        self.rows = rows
        self.dictionary = dictionary
        self.limits = limits
        self._sources: dict[str, dict[str, str]] = {}
        self._paths: dict[Path, str] = {}
        self._instruments: set[str] | None = None  # symbols in the instrument table

    def _mentions(
        self, commentary_id: int, found: tuple[Found, ...], published: dt.date | None
    ) -> list[dict[str, Any]]:
        """Mention rows for ``found``; instruments learned from the text are added to the
        instrument table first (inside the caller's savepoint)."""
        if self._instruments is None:
            self._instruments = set(self.session.exec(select(Instrument.symbol)))
        new = {f.symbol: f for f in found if f.learned and f.symbol not in self._instruments}
        if new:
            rows = [learned_instrument(f.symbol, f.learned) for f in new.values()]
            self.session.connection().execute(_INSERT_INSTRUMENT, rows)
            self._instruments.update(new)
        issuer = self.dictionary.issuer
        return [
            {
                "commentary_id": commentary_id,
                "symbol": f.symbol,
                "issuer": issuer(f.symbol).id,
                "alias": f.alias[:200],
                "start": f.start,
                "end": f.end,
                "paragraph": f.paragraph,
                "published": published,
            }
            for f in found
        ]

    def stamp(self, fingerprint: str) -> str:
        """The stored input hash: the record's own. A change of the dictionary does not
        re-read records: ingest re-analyses the stored commentaries it touches
        (``reanalysis``)."""
        return hashlib.sha256(f"record:{fingerprint}".encode()).hexdigest()

    def lookup(self, records: list[Record]) -> dict[str, tuple[int, str]]:
        """Of ``records``, those stored already: key to ``(id, stored input hash)``."""
        rows = self.session.exec(
            select(Commentary.origin_key, Commentary.id, Commentary.raw_hash).where(
                col(Commentary.origin_key).in_([r.key for r in records])
            )
        )
        return {key: (ident, raw) for key, ident, raw in rows if ident is not None}

    def _holds(self, origin_path: str, origin_key: str, raw_hash: str) -> bool:
        """Whether a commentary's origin still holds the text it was stored from."""
        if origin_path not in self._sources:
            prints = current_fingerprints(Path(origin_path), self.limits)
            self._sources[origin_path] = {key: self.stamp(fp) for key, fp in prints.items()}
        return self._sources[origin_path].get(origin_key) == raw_hash

    def store(self, record: Record, analysed: Analysed, known_id: int | None) -> Stored:
        """Store ``record`` (``known_id``: the commentary it is stored as already)."""
        stamp = self.stamp(record.fingerprint)
        prepared = analysed.prepared
        twin = self.session.exec(
            select(
                Commentary.id, Commentary.origin_path, Commentary.origin_key, Commentary.raw_hash
            ).where(
                Commentary.content_hash == prepared.content_hash,
                Commentary.origin_key != record.key,
            )
        ).first()
        if twin is not None and self._holds(twin[1], twin[2], twin[3]):
            reason = f"same text as commentary {twin[0]} ({twin[1]})"
            return Stored(FileResult(record.label, Outcome.DUPLICATE, reason, twin[0]))
        if known_id is None and twin is None:
            return self._insert(record, stamp, analysed)
        existing = self.session.get(Commentary, known_id) if known_id is not None else None
        moved = self.session.get(Commentary, twin[0]) if twin is not None else None
        return self._update(record, stamp, analysed, existing, moved)

    def _insert(self, record: Record, stamp: str, analysed: Analysed) -> Stored:
        """A new commentary, written with two statements (most of a large ingest)."""
        values = _values(analysed.prepared, record, self._resolved(record.path))
        now = utcnow()
        row = {
            **values,
            "origin_key": record.key,
            "raw_hash": stamp,
            "revision": 1,
            "ingested_at": now,
            "updated_at": now,
        }
        try:
            with self.session.begin_nested():
                connection = self.session.connection()
                new_id = connection.execute(_INSERT_COMMENTARY, row).scalar_one()
                wanted = self._mentions(new_id, analysed.mentions, values["published"])
                if wanted:
                    connection.execute(_INSERT_MENTION, wanted)
                added = Added(
                    id=new_id,
                    revision=1,
                    title=values["title"],
                    body=values["body"],
                    source=values["source"],
                    published=values["published"],
                    date_precision=values["date_precision"],
                    declared_tickers=values["declared_tickers"],
                )
                self._index(added, analysed)
        except Exception as exc:
            self._instruments = None  # the savepoint took any learned instrument with it
            failed = FileResult(record.label, Outcome.FAILED, f"could not be stored: {exc}")
            return Stored(failed)
        return Stored(FileResult(record.label, Outcome.ADDED, id=new_id), added)

    def reanalysed(self, commentary: Commentary, analysis: Analysis) -> Remention:
        """Store a stored commentary's new ``analysis``: its mentions when they differ
        (a new revision), and its index rows. Refused alone, like a record."""
        assert commentary.id is not None
        try:
            with self.session.begin_nested():
                wanted = self._mentions(commentary.id, analysis.mentions, commentary.published)
                before = self._replace_mentions(commentary.id, wanted)
                if before is not None:
                    commentary.revision += 1
                    commentary.updated_at = utcnow()
                    self.session.add(commentary)
                self._index(commentary, analysis)
        except Exception as exc:
            self._instruments = None
            return Remention(commentary.id, problem=f"could not be stored: {exc}")
        if before is None:
            return Remention(commentary.id)
        return Remention(commentary.id, _symbols(wanted, before), _symbols(before, wanted))

    def _replace_mentions(
        self, commentary_id: int, wanted: list[dict[str, Any]]
    ) -> list[dict[str, Any]] | None:
        """Make ``wanted`` the commentary's mentions; the ones it had when they differ,
        else None."""
        rows = self.session.exec(
            select(Mention).where(Mention.commentary_id == commentary_id).order_by(col(Mention.id))
        )
        stored = [_row(m) for m in rows]
        if [_key(m) for m in stored] == [_key(m) for m in wanted]:
            return None
        self.session.execute(delete(Mention).where(col(Mention.commentary_id) == commentary_id))
        if wanted:
            self.session.execute(insert(Mention), wanted)
        return stored

    def _index(self, commentary: Indexable, analysed: Analysis) -> None:
        """Write the search engine's rows of ``commentary``, when it keeps them in the
        database: inside the caller's savepoint, so they are stored with it or not at all."""
        if self.rows is not None:
            symbols = {f.symbol for f in analysed.mentions}
            self.session.flush()
            found = document(commentary, symbols, analysed.index_ready)
            self.rows.write(self.session.connection(), [found])

    def _resolved(self, path: Path) -> str:
        if path not in self._paths:
            self._paths[path] = str(path.resolve())
        return self._paths[path]

    def _update(
        self,
        record: Record,
        stamp: str,
        analysed: Analysed,
        existing: Commentary | None,
        twin: Commentary | None,
    ) -> Stored:
        session = self.session
        if existing is not None and existing.raw_hash == stamp:
            return Stored(FileResult(record.label, Outcome.UNCHANGED, id=existing.id))
        notes: list[str] = []
        values = _values(analysed.prepared, record, self._resolved(record.path))
        try:
            with session.begin_nested():
                if twin is not None:
                    # The twin's origin no longer holds this text (renamed, moved, edited,
                    # or a removed JSONL line): the commentary moves here, keeping its id.
                    if existing is not None:
                        notes.append(f"replaces commentary {existing.id}")
                        session.delete(existing)
                        session.flush()
                    notes.insert(0, f"moved from {twin.origin_key}")
                    twin.origin_key = record.key
                    existing = twin
                assert existing is not None
                commentary, changed = self._write(existing, stamp, values, analysed)
                if changed or notes:
                    self._index(commentary, analysed)
        except Exception as exc:
            self._instruments = None  # the savepoint took any learned instrument with it
            failed = FileResult(record.label, Outcome.FAILED, f"could not be stored: {exc}")
            return Stored(failed)
        if notes:
            moved = FileResult(record.label, Outcome.UPDATED, "; ".join(notes), commentary.id)
            return Stored(moved, commentary)
        outcome = Outcome.UPDATED if changed else Outcome.UNCHANGED
        result = FileResult(record.label, outcome, id=commentary.id)
        return Stored(result, commentary if changed else None)

    def _write(
        self, commentary: Commentary, stamp: str, values: dict[str, Any], analysed: Analysed
    ) -> tuple[Commentary, bool]:
        session = self.session
        changed = _apply(commentary, values)
        commentary.raw_hash = stamp
        assert commentary.id is not None
        wanted = self._mentions(commentary.id, analysed.mentions, values["published"])
        if self._replace_mentions(commentary.id, wanted) is not None:
            changed = True
        if changed:
            commentary.revision += 1
            commentary.updated_at = utcnow()
        session.add(commentary)
        return commentary, changed


@dataclass(frozen=True, slots=True)
class Remention:
    """What re-analysing one stored commentary changed: mentions by symbol."""

    id: int
    added: Counter[str] = field(default_factory=Counter)
    removed: Counter[str] = field(default_factory=Counter)
    problem: str | None = None

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


def _symbols(rows: list[dict[str, Any]], others: list[dict[str, Any]]) -> Counter[str]:
    """Symbols of the mentions in ``rows`` that ``others`` lack (as multisets)."""
    extra = Counter(_key(m) for m in rows) - Counter(_key(m) for m in others)
    found: Counter[str] = Counter()
    for key, count in extra.items():
        found[key[0]] += count
    return found


def _row(mention: Mention) -> dict[str, Any]:
    return {name: getattr(mention, name) for name in _MENTION_KEY}


_MENTION_KEY = ("symbol", "issuer", "alias", "start", "end", "paragraph", "published")


def _key(mention: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(mention[name] for name in _MENTION_KEY)


def _values(prepared: Prepared, record: Record, origin_path: str) -> dict[str, Any]:
    return {
        "title": prepared.title,
        "title_source": str(prepared.title_source),
        "published": prepared.published,
        "date_precision": str(prepared.date_precision),
        "source": prepared.source,
        "author": prepared.author,
        "url": prepared.url,
        "body": prepared.body,
        "raw_text": record.raw,
        "encoding": record.encoding,
        "content_hash": prepared.content_hash,
        "origin_path": origin_path,
        "declared_tickers": prepared.declared_tickers,
        "char_count": len(prepared.body),
    }


def _apply(commentary: Commentary, values: dict[str, Any]) -> bool:
    """Copy ``values`` onto the commentary; True when anything stored changed."""
    changed = False
    for name, value in values.items():
        if getattr(commentary, name, None) != value:
            setattr(commentary, name, value)
            changed = True
    return changed
