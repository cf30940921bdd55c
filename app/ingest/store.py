"""Store one record: add, update, move, or refuse it, with its mentions."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from app.ingest.prepare import Prepared, PrepareError, prepare
from app.ingest.readers import Record, current_fingerprints
from app.ingest.report import FileResult
from app.instruments import Dictionary, Found, extract
from app.models import Commentary, Mention, Outcome, utcnow


class RecordStore:
    """Writes records into one session. A record is stored or refused alone (savepoint)."""

    def __init__(self, session: Session, dictionary: Dictionary, today: dt.date) -> None:
        self.session = session
        self.dictionary = dictionary
        self.today = today
        self._sources: dict[str, dict[str, str]] = {}

    def stamp(self, fingerprint: str) -> str:
        """The stored input hash: the record's own, tied to the instrument dictionary so
        a dictionary change re-reads every record (and re-finds its mentions)."""
        return hashlib.sha256(f"{fingerprint}:{self.dictionary.fingerprint}".encode()).hexdigest()

    def _holds(self, commentary: Commentary) -> bool:
        """Whether the commentary's origin still holds the text it was stored from."""
        path = commentary.origin_path
        if path not in self._sources:
            prints = current_fingerprints(Path(path))
            self._sources[path] = {key: self.stamp(fp) for key, fp in prints.items()}
        return self._sources[path].get(commentary.origin_key) == commentary.raw_hash

    def store(self, record: Record) -> FileResult:
        session, stamp = self.session, self.stamp(record.fingerprint)
        existing = session.exec(
            select(Commentary).where(Commentary.origin_key == record.key)
        ).first()
        if existing is not None and existing.raw_hash == stamp:
            return FileResult(record.label, Outcome.UNCHANGED, id=existing.id)
        try:
            prepared = prepare(record, self.today)
        except PrepareError as exc:
            return FileResult(record.label, Outcome.FAILED, str(exc))
        twin = session.exec(
            select(Commentary).where(
                Commentary.content_hash == prepared.content_hash,
                Commentary.origin_key != record.key,
            )
        ).first()
        if twin is not None and self._holds(twin):
            reason = f"same text as commentary {twin.id} ({twin.origin_path})"
            return FileResult(record.label, Outcome.DUPLICATE, reason, twin.id)
        notes: list[str] = []
        values = _values(prepared, record)
        found = extract(prepared.body, self.dictionary)
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
                commentary, changed = self._write(existing, record.key, stamp, values, found)
        except Exception as exc:
            return FileResult(record.label, Outcome.FAILED, f"could not be stored: {exc}")
        if existing is None:
            return FileResult(record.label, Outcome.ADDED, id=commentary.id)
        if notes:
            return FileResult(record.label, Outcome.UPDATED, "; ".join(notes), commentary.id)
        outcome = Outcome.UPDATED if changed else Outcome.UNCHANGED
        return FileResult(record.label, outcome, id=commentary.id)

    def _write(
        self,
        existing: Commentary | None,
        key: str,
        stamp: str,
        values: dict[str, Any],
        found: list[Found],
    ) -> tuple[Commentary, bool]:
        session = self.session
        if existing is None:
            commentary = Commentary(origin_key=key, raw_hash=stamp, **values)
            session.add(commentary)
            session.flush()
            changed = True
        else:
            commentary = existing
            changed = _apply(commentary, values)
            commentary.raw_hash = stamp
        assert commentary.id is not None
        wanted = [_mention(commentary.id, f, values["published"]) for f in found]
        stored = list(session.exec(select(Mention).where(Mention.commentary_id == commentary.id)))
        if [_key(m) for m in stored] != [_key(m) for m in wanted]:
            for mention in stored:
                session.delete(mention)
            session.add_all(wanted)
            changed = True
        if changed and existing is not None:
            commentary.revision += 1
            commentary.updated_at = utcnow()
        session.add(commentary)
        return commentary, changed


def _mention(commentary_id: int, found: Found, published: dt.date | None) -> Mention:
    return Mention(
        commentary_id=commentary_id,
        symbol=found.symbol,
        alias=found.alias[:200],
        start=found.start,
        end=found.end,
        paragraph=found.paragraph,
        published=published,
    )


def _key(mention: Mention) -> tuple[Any, ...]:
    return (
        mention.symbol,
        mention.alias,
        mention.start,
        mention.end,
        mention.paragraph,
        mention.published,
    )


def _values(prepared: Prepared, record: Record) -> dict[str, Any]:
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
        "origin_path": str(record.path.resolve()),
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
