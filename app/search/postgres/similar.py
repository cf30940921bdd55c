"""Related commentaries from the key words stored with each row.

A commentary's key terms are the first ``KEY_TERMS`` of its stored key words by the
Bo1 weight they would have if the archive used each word as often as jieba's
dictionary says (``keywords.expected_key_terms``): PostgreSQL keeps no statistics of
its own words to weigh them against. Another commentary scores the sum, over the key
terms it holds in its body, of the term's weight times ``ts_rank`` of that term; the
likeness of two is the share of the commentary's own score the other reaches, as
with every engine. Where the words' index is RUM, only the ``CANDIDATES`` rows it
ranks first for any key term are scored, so a first view reads a few hundred rows
however large the archive.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Float, Select, func, literal_column, select
from sqlalchemy.engine import Connection

from app.search.keywords import expected_key_terms
from app.search.postgres.compile import COLUMNS, matches, tsquery
from app.search.postgres.words import quoted

KEY_TERMS = 12
# With RUM, the rows its own rank puts first for any key term are the ones scored.
CANDIDATES = 200
# ts_rank's weights of D, C, B, A: the body's words only (they are at B).
BODY_ONLY = "'{0,0,1,0}'::float4[]"


def key_terms(connection: Connection, commentary_id: int) -> list[tuple[str, float]]:
    found = select(COLUMNS["keys"]).where(COLUMNS.commentary_id == commentary_id)
    keys = connection.execute(found).scalar()
    return expected_key_terms(keys or "", KEY_TERMS)


def _score(terms: list[tuple[str, float]]) -> ColumnElement[Any]:
    body_only: ColumnElement[Any] = literal_column(BODY_ONLY)
    parts = [
        weight * func.ts_rank(body_only, COLUMNS.words, tsquery(quoted(word)))
        for word, weight in terms
    ]
    total: ColumnElement[Any] = parts[0]
    for part in parts[1:]:
        total = total + part
    return total


def _any(terms: list[tuple[str, float]]) -> ColumnElement[bool]:
    return matches(" | ".join(quoted(word) for word, _ in terms))


def _scores(
    connection: Connection, terms: list[tuple[str, float]], ids: list[int]
) -> dict[int, float]:
    score = _score(terms)
    rows = connection.execute(
        select(COLUMNS.commentary_id, score).where(COLUMNS.commentary_id.in_(ids))
    )
    return {int(i): float(s) for i, s in rows}


def _candidates(terms: list[tuple[str, float]], commentary_id: int, rum: bool) -> Select[Any]:
    """The rows worth scoring: with RUM, the ``CANDIDATES`` its index ranks first for
    any key term (read from the index, no text opened); without, every row holding
    one."""
    found = select(COLUMNS.commentary_id).where(_any(terms), COLUMNS.commentary_id != commentary_id)
    if rum:
        any_term = tsquery(" | ".join(quoted(word) for word, _ in terms))
        found = found.order_by(COLUMNS.words.op("<=>", return_type=Float)(any_term)).limit(
            CANDIDATES
        )
    return found


def similar(
    connection: Connection, commentary_id: int, limit: int, rum: bool
) -> list[tuple[int, float]]:
    """``(id, likeness)`` of the commentaries most like ``commentary_id`` (left out),
    best first."""
    terms = key_terms(connection, commentary_id)
    if not terms:
        return []
    own = _scores(connection, terms, [commentary_id]).get(commentary_id, 0.0)
    if not own:
        return []
    pool = _candidates(terms, commentary_id, rum).subquery("pool")
    score = _score(terms).label("score")
    rows = connection.execute(
        select(COLUMNS.commentary_id, score)
        .where(COLUMNS.commentary_id.in_(select(pool.c.commentary_id)))
        .order_by(score.desc(), COLUMNS.commentary_id)
        .limit(limit)
    )
    return [(int(i), float(s) / own) for i, s in rows if s]


def likeness(connection: Connection, commentary_id: int, other_id: int) -> float:
    """The share of ``commentary_id``'s own score ``other_id`` reaches; 0 when either
    has no row."""
    terms = key_terms(connection, commentary_id)
    if not terms:
        return 0.0
    scores = _scores(connection, terms, [commentary_id, other_id])
    own = scores.get(commentary_id, 0.0)
    return scores.get(other_id, 0.0) / own if own else 0.0
