"""Keep the ``instrument`` table equal to the dictionary file."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, select

from app.instruments.dictionary import Dictionary
from app.models import Instrument


def sync_instruments(session: Session, dictionary: Dictionary) -> int:
    """Upsert every dictionary row and drop rows the dictionary no longer has; returns
    the number of rows written or removed."""
    stored = {row.symbol: row for row in session.exec(select(Instrument))}
    changes = 0
    for entry in dictionary.instruments:
        values: dict[str, Any] = {
            "kind": entry.kind,
            "exchange": entry.exchange or None,
            "name": entry.name,
            "name_zh": entry.name_zh,
            "aliases": json.dumps(list(entry.plain_aliases), ensure_ascii=False),
        }
        row = stored.pop(entry.symbol, None)
        if row is None:
            session.add(Instrument(symbol=entry.symbol, **values))
            changes += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            session.add(row)
            changes += 1
    for row in stored.values():
        session.delete(row)
        changes += 1
    session.commit()
    return changes
