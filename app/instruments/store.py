"""Keep the ``instrument`` table equal to the dictionary, plus the instruments learned
from commentaries that wrote a name with its exchange code."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import insert, update
from sqlmodel import Session, col, select

from app.instruments.dictionary import Dictionary
from app.models import Instrument, Mention

_EXCHANGES = {"HK": "HKEX", "SS": "SSE", "SZ": "SZSE", "BJ": "BSE", "TW": "TWSE"}
_EXCHANGES |= {"TWO": "TPEX", "T": "TSE", "KS": "KRX", "KQ": "KRX"}


def learned_instrument(symbol: str, name: str) -> dict[str, Any]:
    """The instrument-table row for a listing learned from ``name(code)`` in a text."""
    suffix = symbol.rpartition(".")[2]
    return {
        "symbol": symbol,
        "kind": "stock",
        "exchange": _EXCHANGES.get(suffix),
        "name": name,
        "name_zh": name,
        "aliases": json.dumps([name], ensure_ascii=False),
        "issuer": symbol,
        "learned": True,
    }


def sync_instruments(session: Session, dictionary: Dictionary) -> int:
    """Upsert every dictionary row and drop rows the dictionary no longer has (learned
    rows stay while no list names them); returns the number of rows written or removed."""
    stored = {row.symbol: row for row in session.exec(select(Instrument))}
    changes = 0
    new: list[dict[str, Any]] = []
    for entry in dictionary.instruments:
        values: dict[str, Any] = {
            "kind": entry.kind,
            "exchange": entry.exchange or None,
            "name": entry.name,
            "name_zh": entry.name_zh,
            "aliases": json.dumps(list(entry.aliases), ensure_ascii=False),
            "issuer": dictionary.issuer(entry.symbol).id,
            "learned": False,
        }
        row = stored.pop(entry.symbol, None)
        if row is None:
            new.append({"symbol": entry.symbol, **values})
        elif any(getattr(row, k) != v for k, v in values.items()):
            if row.issuer != values["issuer"]:
                # Mentions keep their issuer in step, or ticker pages would lose those
                # of commentaries this ingest does not re-read.
                session.execute(
                    update(Mention)
                    .where(col(Mention.symbol) == entry.symbol)
                    .values(issuer=values["issuer"])
                )
            for key, value in values.items():
                setattr(row, key, value)
            session.add(row)
            changes += 1
    for row in stored.values():
        if not row.learned:
            session.delete(row)
            changes += 1
    if new:
        # One statement for the thousands of rows a first ingest adds.
        session.execute(insert(Instrument), new)
    session.commit()
    return changes + len(new)
